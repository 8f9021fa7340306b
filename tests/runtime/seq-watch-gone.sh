#!/bin/sh
# seq-watch-gone.sh -- the watch gets an ERROR event with 410 Gone (resourceVersion too old):
# the sequencer lists again and carries on; also a 410 as the watch's HTTP status.
. "${srcdir:-.}/tests/runtime/lib.sh"
make_certs
mkplan "a;b:a;c:b" 0 continue
start_sim '{"default": {"outcome": "succeed", "delay": 0.1},
 "faults": [{"on": "watch", "gone": true, "times": 1}, {"on": "watch", "status": 410, "times": 1}]}'
run_seq
expect_rc 0
expect_log 'watch: resourceVersion [0-9]+ expired \(410 Gone\); listing again'
kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null; SIM_PID=
check 'r["faults"] == 2' 'both faults served'
check 'r["requests"]["list"] >= 3' 'listed again after each 410'
check 'set(r["unsuspends"].values()) == {1} and len(r["unsuspends"]) == 3' 'each step started once'
finish
