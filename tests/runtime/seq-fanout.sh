#!/bin/sh
# seq-fanout.sh -- fan-out of 50 with maxParallel 4: the server never sees more than 4 step
# Jobs running at once, and sees exactly 4 at some point (the limit is used, not just obeyed).
. "${srcdir:-.}/tests/runtime/lib.sh"
make_certs
spec=root
i=1
while [ $i -le 50 ]; do spec="$spec;s$i:root"; i=$((i + 1)); done
mkplan "$spec" 4 continue
start_sim '{"default": {"outcome": "succeed", "delay": 0.2}}'
run_seq
expect_rc 0
expect_log 'pipeline demo succeeded: 51 succeeded'
finish_sim() { kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null; SIM_PID=; }
finish_sim
check 'r["maxActive"] == 4' 'at most 4 running at once, and the limit reached'
check 'len(r["unsuspends"]) == 51 and set(r["unsuspends"].values()) == {1}' 'every step started exactly once'
check 'r["violations"] == []' 'no step before its dependency'
finish
