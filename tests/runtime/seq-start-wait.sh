#!/bin/sh
# seq-start-wait.sh -- at start, 403 (RBAC not bound yet) and 404 are waited out with a clear
# log line, and so are step Jobs not created yet; past the start-up wait it gives up with exit 4.
. "${srcdir:-.}/tests/runtime/lib.sh"
make_certs
mkplan "a;b:a" 0 continue
start_sim '{"default": {"outcome": "succeed", "delay": 0.1},
 "preload": {"b": {"createAfter": 0.8}},
 "faults": [{"on": "list", "status": 403, "times": 2}, {"on": "list", "status": 404, "times": 1}]}'
run_seq
expect_rc 0
expect_log 'cannot list Jobs in namespace ml \(HTTP 403: injected fault\): waiting for RBAC or the namespace'
expect_log 'HTTP 404'
expect_log 'waiting for step Jobs that do not exist yet: demo-b'
kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null; SIM_PID=
check 'r["unsuspends"] == {"demo-a": 1, "demo-b": 1}' 'ran after the waits'

# Forbidden for good: bounded wait, then exit 4.
PIPEC_RUNTIME_START_WAIT=1
start_sim '{"faults": [{"on": "list", "status": 403, "times": 1000}]}'
: >"$T/seq2.log"
run_seq "$T/seq2.log"
expect_rc 4
expect_log 'giving up: the cluster could not be used' "$T/seq2.log"

# A wrong token: 401 is not retried; exit 4 at once.
PIPEC_RUNTIME_START_WAIT=5
kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null; SIM_PID=
start_sim '{}'
echo wrong >"$T/token"
: >"$T/seq3.log"
run_seq "$T/seq3.log"
expect_rc 4
expect_log 'HTTP 401' "$T/seq3.log"
finish
