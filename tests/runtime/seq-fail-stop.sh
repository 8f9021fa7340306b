#!/bin/sh
# seq-fail-stop.sh -- onFailure: stop: after b fails, c (already running) finishes, nothing new
# starts (e waits on c, g on nothing), every waiting step is skipped, exit 1.
. "${srcdir:-.}/tests/runtime/lib.sh"
make_certs
mkplan "a;b:a;c:a;d:b;e:c;g:a" 2 stop
start_sim '{"default": {"outcome": "succeed", "delay": 0.1},
 "steps": {"b": {"outcome": "fail", "delay": 0.05, "reason": "DeadlineExceeded", "message": "Job was active longer than specified deadline"},
           "c": {"outcome": "succeed", "delay": 0.4}}}'
run_seq
expect_rc 1
expect_log 'step b: running -> failed: DeadlineExceeded: Job was active longer than specified deadline'
expect_log 'step e: waiting -> skipped: run stopped after a failure \(onFailure: stop\)'
expect_log 'step g: waiting -> skipped: run stopped after a failure'
expect_log 'step c: running -> succeeded'
kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null; SIM_PID=
check 'sorted(r["unsuspends"]) == ["demo-a", "demo-b", "demo-c"]' 'nothing started after the failure'
check 'state("demo-c") == "succeeded" and state("demo-e") == "skipped" and state("demo-g") == "skipped"' 'states'
finish
