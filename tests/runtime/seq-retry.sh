#!/bin/sh
# seq-retry.sh -- 500s, a 429 with Retry-After and slow responses are retried with backoff,
# and the run completes.
. "${srcdir:-.}/tests/runtime/lib.sh"
make_certs
mkplan "a;b:a" 0 continue
start_sim '{"default": {"outcome": "succeed", "delay": 0.1},
 "faults": [{"on": "list", "status": 500, "times": 2},
            {"on": "patch", "status": 429, "retryAfter": 1, "times": 1},
            {"on": "patch", "status": 503, "times": 2},
            {"on": "any", "slow": 0.3, "times": 2}]}'
start=$(date +%s)
run_seq
end=$(date +%s)
expect_rc 0
expect_log 'GET /apis/batch/v1/namespaces/ml/jobs\?labelSelector=.*: HTTP 500: injected fault; retrying in'
expect_log 'PATCH /apis/batch/v1/namespaces/ml/jobs/demo-a: HTTP 429: injected fault; retrying in 1.00s'
expect_log 'HTTP 503: injected fault; retrying'
[ $((end - start)) -ge 1 ] || fail "Retry-After: 1 was not waited"
kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null; SIM_PID=
check 'r["faults"] == 7' 'every fault served'
check 'r["unsuspends"] == {"demo-a": 1, "demo-b": 1}' 'each step started once'
finish
