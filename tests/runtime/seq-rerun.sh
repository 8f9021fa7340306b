#!/bin/sh
# seq-rerun.sh -- re-run from the failure: after deleting the failed and skipped Jobs and
# applying again, the Complete Jobs come back with suspend=true (as kubectl apply leaves them);
# they count as succeeded and only the recreated steps run. Also: a restart that finds a step
# this sequencer had failed for pending time-out keeps it failed.
. "${srcdir:-.}/tests/runtime/lib.sh"
make_certs
mkplan "a;b:a;c:a;d:b,c" 0 continue r2
start_sim '{"default": {"outcome": "succeed", "delay": 0.1},
 "preload": {"a": {"complete": true, "suspend": true, "annotations": {"pipec.dev/state": "succeeded"}},
             "c": {"complete": true, "suspend": true}}}'
run_seq
expect_rc 0
expect_log 'step a: waiting -> succeeded'
expect_log 'step b: waiting -> running: started'
kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null; SIM_PID=
check 'r["unsuspends"] == {"demo-b-r2": 1, "demo-d-r2": 1}' 'only the recreated steps ran'
check 'state("demo-c-r2") == "succeeded"' 'Complete Job published as succeeded'

mkplan "a;b:a" 0 continue
start_sim '{"preload": {"a": {"suspend": true, "annotations": {"pipec.dev/state": "failed", "pipec.dev/reason": "PendingTimeout: x"}}}}'
: >"$T/seq2.log"
run_seq "$T/seq2.log"
expect_rc 1
expect_log 'step a: waiting -> failed: PendingTimeout: x' "$T/seq2.log"
kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null; SIM_PID=
check 'r["unsuspends"] == {}' 'a failed step is not started again'
finish
