#!/bin/sh
# seq-rerun.sh -- re-run from the failure: after deleting the failed and skipped Jobs and
# applying again, the Complete Jobs come back with suspend=true (as kubectl apply leaves them);
# they count as succeeded and only the recreated steps run. Also: a restart that finds a step
# this sequencer had failed for pending time-out keeps it failed, and one it had started that
# a re-apply suspended while it was down is resumed (not counted as a second start by it).
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

mkplan "a;b:a;c" 0 continue
start_sim '{"preload": {"a": {"suspend": true, "annotations": {"pipec.dev/state": "failed", "pipec.dev/reason": "PendingTimeout: x"}},
                        "c": {"suspend": true, "annotations": {"pipec.dev/state": "running"}}}}'
: >"$T/seq2.log"
run_seq "$T/seq2.log"
expect_rc 1
expect_log 'step a: waiting -> failed: PendingTimeout: x' "$T/seq2.log"
expect_log 'step c: its Job was suspended again while running \(a re-apply\?\); resumed it' "$T/seq2.log"
expect_log 'step c: running -> succeeded' "$T/seq2.log"
kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null; SIM_PID=
check 'r["unsuspends"] == {"demo-c": 1}' 'a failed step is not started again; a re-suspended one is resumed once'
finish
