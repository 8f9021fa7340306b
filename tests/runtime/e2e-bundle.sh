#!/bin/sh
# e2e-bundle.sh -- compiled pipelines run end to end: pipec builds each example's bundle, the
# test API server serves the bundle's own Jobs (labels, suspend, annotations exactly as
# emitted), and pipec-runtime runs the bundle's plan.json to success: every step started
# once, never before its dependencies, never more than maxParallel at once. This is where
# the compiler's labels and the sequencer's selectors must agree.
. "${srcdir:-.}/tests/runtime/lib.sh"
PIPEC=${PIPEC:-./pipec}
"$PYTHON" -c 'import yaml' 2>/dev/null || { echo "SKIP: $TEST_NAME: PyYAML not found (Debian: python3-yaml)"; exit 77; }
make_certs
for case in "hello" "diamond" "fanout" "nightly-train --run-id 20261202-1" "aqueduct-gpu --run-id hash"; do
	set -- $case
	example=$1
	shift
	rm -rf "$T/out" "$T/seq.log" "$T/record.json"
	"$PIPEC" build "$srcdir/examples/$example.yaml" -o "$T/out" "$@" || { fail "$example: pipec build failed"; continue; }
	# plan.json from the ConfigMap, and every Job of the bundle as JSON.
	"$PYTHON" - "$T/out" "$T/plan.json" "$T/jobs.json" <<'PY' || { fail "$example: cannot read the bundle"; continue; }
import glob, json, sys, yaml
out, plan_path, jobs_path = sys.argv[1:]
docs = [d for f in sorted(glob.glob(out + "/*.yaml")) for d in yaml.safe_load_all(open(f)) if d]
plan = [d for d in docs if d["kind"] == "ConfigMap"][0]["data"]["plan.json"]
open(plan_path, "w").write(plan)
json.dump([d for d in docs if d["kind"] == "Job"], open(jobs_path, "w"))
PY
	SIM_MANIFESTS=$T/jobs.json
	start_sim '{"default": {"outcome": "succeed", "delay": 0.05}}'
	run_seq
	kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null; SIM_PID=
	[ "$RC" -eq 0 ] || { fail "$example: sequencer exit code $RC, expected 0"; sed 's/^/  | /' "$T/seq.log" | tail -20; }
	maxp=$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["maxParallel"])' "$T/plan.json")
	check "sorted(r['unsuspends']) == sorted(s['job'] for s in __import__('json').load(open('$T/plan.json'))['steps']) and set(r['unsuspends'].values()) == {1}" "$example: every step Job of the bundle started exactly once"
	check "r['violations'] == []" "$example: no step started before its dependencies"
	check "$maxp == 0 or r['maxActive'] <= $maxp" "$example: at most maxParallel ($maxp) at once"
done
finish
