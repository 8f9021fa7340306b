#!/bin/sh
# seq-watch-drop.sh -- watch connections cut mid-stream (no final chunk) and watches that end
# normally (short timeoutSeconds) are resumed from the last resourceVersion; nothing is lost.
. "${srcdir:-.}/tests/runtime/lib.sh"
make_certs
PIPEC_RUNTIME_WATCH_TIMEOUT=1
mkplan "a;b:a;c:a;d:b,c" 0 continue
start_sim '{"default": {"outcome": "succeed", "delay": 0.3},
 "faults": [{"on": "watch", "dropAfterEvents": 1, "times": 3}]}'
run_seq
expect_rc 0
expect_log 'watch: connection lost .*reconnecting from resourceVersion [0-9]+'
kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null; SIM_PID=
check 'r["faults"] == 3' 'three watches cut'
check 'r["requests"]["watch"] >= 4' 'the watch was reopened'
check 'r["requests"]["list"] == 1' 'resumed, not relisted'
check 'set(r["unsuspends"].values()) == {1} and len(r["unsuspends"]) == 4' 'each step started once'
finish
