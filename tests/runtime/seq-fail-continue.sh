#!/bin/sh
# seq-fail-continue.sh -- a failure in one branch under onFailure: continue: the other branch
# finishes, the failed step's downstream is skipped (left suspended), exit 1, the failure's
# Job condition reason and message in the log, states and summary on the cluster.
. "${srcdir:-.}/tests/runtime/lib.sh"
make_certs
mkplan "a;b:a;c:a;d:b;e:c;f:d,e" 0 continue
start_sim '{"default": {"outcome": "succeed", "delay": 0.1},
 "steps": {"b": {"outcome": "fail", "delay": 0.05, "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit"}}}'
run_seq
expect_rc 1
expect_log "step b: running -> failed: BackoffLimitExceeded: Job has reached the specified backoff limit"
expect_log "step d: waiting -> skipped: upstream step 'b' failed"
expect_log "step f: waiting -> skipped: upstream step 'd' skipped"
expect_log 'step e: running -> succeeded'
expect_log '^b +failed .*BackoffLimitExceeded'
expect_log 'pipeline demo failed: 3 succeeded, 1 failed, 2 skipped'
kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null; SIM_PID=
check 'sorted(r["unsuspends"]) == ["demo-a", "demo-b", "demo-c", "demo-e"]' 'd and f never started'
check 'state("demo-b") == "failed" and state("demo-d") == "skipped" and state("demo-f") == "skipped" and state("demo-e") == "succeeded"' 'states published'
check 'label("demo-d") == "skipped" and label("demo-b") == "failed"' 'state labels for kubectl delete -l'
check 'r["jobs"]["demo-d"]["spec"]["suspend"] is True' 'skipped Job left suspended'
check 'r["jobs"]["demo-d"]["metadata"]["annotations"]["pipec.dev/reason"] == "upstream step '"'"'b'"'"' failed"' 'skip reason on the Job'
check 'summary("demo-run")["result"] == "failed" and {s["name"]: s["state"] for s in summary("demo-run")["steps"]}["d"] == "skipped"' 'summary'
check 'label("demo-run") == "failed"' 'sequencer Job labelled failed'
finish
