#!/bin/sh
# seq-pending.sh -- stuck Pending: b cannot be scheduled (PodScheduled=False), c cannot pull its
# image; both are logged with the reason, fail after pendingTimeoutSeconds (1 s here), their Jobs
# are suspended again, downstream is skipped, exit 1.
. "${srcdir:-.}/tests/runtime/lib.sh"
make_certs
mkplan "a;b:a;c:a;d:b" 0 continue "" 1
start_sim '{"default": {"outcome": "succeed", "delay": 0.1},
 "steps": {"b": {"outcome": "pending", "pod": {"scheduled": false, "reason": "Unschedulable", "message": "0/3 nodes are available: 3 Insufficient nvidia.com/gpu."}},
           "c": {"outcome": "pending", "pod": {"waiting": {"reason": "ImagePullBackOff", "message": "Back-off pulling image \"nope:1\""}}}}}'
run_seq
expect_rc 1
expect_log 'step b: pod cannot start: Unschedulable: 0/3 nodes are available: 3 Insufficient nvidia.com/gpu.'
expect_log 'step c: pod cannot start: ImagePullBackOff: Back-off pulling image "nope:1"'
expect_log 'step b: running -> failed: PendingTimeout: pod could not start within 1s: Unschedulable: 0/3 nodes'
expect_log 'step c: running -> failed: PendingTimeout: pod could not start within 1s: ImagePullBackOff'
expect_log "step d: waiting -> skipped: upstream step 'b' failed"
kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null; SIM_PID=
check 'r["jobs"]["demo-b"]["spec"]["suspend"] is True and r["jobs"]["demo-c"]["spec"]["suspend"] is True' 'stuck Jobs suspended again'
check 'state("demo-b") == "failed" and "Insufficient nvidia.com/gpu" in r["jobs"]["demo-b"]["metadata"]["annotations"]["pipec.dev/reason"]' 'reason on the Job'
check '"PendingTimeout" in {s["name"]: s for s in summary("demo-run")["steps"]}["c"]["reason"]' 'reason in the summary'
check '"demo-d" not in r["unsuspends"]' 'downstream never started'
finish
