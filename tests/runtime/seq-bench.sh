#!/bin/sh
# seq-bench.sh -- the figures issue 5 asks for, measured against kube-sim: API requests per
# step, and the delay between a step's completion (as the server records it) and the start of
# the steps waiting on it. A chain of 10 and a fan-out of 20 (maxParallel 5). Prints the
# figures; fails only when a delay exceeds 1 s (a sign that the watch is not being used).
. "${srcdir:-.}/tests/runtime/lib.sh"
make_certs
report() {
	"$PYTHON" - "$T/record.json" "$1" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); name, steps = sys.argv[2], int(sys.argv[3])
lat = sorted(r["latencies"]); req = sum(r["requests"].values())
print("bench %s: %d steps, %d API requests (%.1f per step: %s), completion-to-start delay "
      "median %.0f ms, max %.0f ms" % (name, steps, req, req / steps, json.dumps(r["requests"], sort_keys=True),
                                       1000 * lat[len(lat) // 2], 1000 * lat[-1]))
sys.exit(0 if lat[-1] < 1.0 else 1)
PY
}
spec=s1; i=2
while [ $i -le 10 ]; do spec="$spec;s$i:s$((i - 1))"; i=$((i + 1)); done
mkplan "$spec" 0 continue
start_sim '{"default": {"outcome": "succeed", "delay": 0.05}}'
run_seq
expect_rc 0
kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null; SIM_PID=
report chain-10 10 || fail "a completion-to-start delay above 1 s"
spec=root; i=1
while [ $i -le 19 ]; do spec="$spec;f$i:root"; i=$((i + 1)); done
mkplan "$spec" 5 continue
start_sim '{"default": {"outcome": "succeed", "delay": 0.05}}'
: >"$T/seq.log"
run_seq
expect_rc 0
kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null; SIM_PID=
report fanout-20 20 || fail "a completion-to-start delay above 1 s"
finish
