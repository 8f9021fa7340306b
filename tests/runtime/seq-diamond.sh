#!/bin/sh
# seq-diamond.sh -- happy path: a diamond runs in dependency order, every step started once,
# states published, summary written on the sequencer Job, exit 0.
. "${srcdir:-.}/tests/runtime/lib.sh"
make_certs
mkplan "a;b:a;c:a;d:b,c" 0 continue r1
start_sim '{"default": {"outcome": "succeed", "delay": 0.1}}'
run_seq
expect_rc 0
expect_log 'step a: waiting -> running: started'
expect_log 'step d: running -> succeeded'
expect_log 'pipeline demo succeeded: 4 succeeded, 0 failed, 0 skipped'
expect_log '^d +succeeded'
finish_checks() {
	check 'r["unsuspends"] == {"demo-a-r1": 1, "demo-b-r1": 1, "demo-c-r1": 1, "demo-d-r1": 1}' 'each step started exactly once'
	check 'r["violations"] == []' 'no step started before its dependencies completed'
	check 'all(state(j) == "succeeded" and label(j) == "succeeded" for j in ["demo-a-r1", "demo-b-r1", "demo-c-r1", "demo-d-r1"])' 'pipec.dev/state annotation and label are succeeded'
	check 'summary("demo-run-r1")["result"] == "succeeded" and [s["state"] for s in summary("demo-run-r1")["steps"]] == ["succeeded"] * 4' 'summary annotation on the sequencer Job'
	check 'all(s["start"] and s["end"] for s in summary("demo-run-r1")["steps"])' 'summary has start and end times'
	check 'label("demo-run-r1") == "succeeded"' 'sequencer Job labelled with the result'
	check 'all(p["body"].get("spec", {}).get("suspend") is not True for p in r["patches"])' 'nothing re-suspended'
}
kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null; SIM_PID=
finish_checks
finish
