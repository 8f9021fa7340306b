# lib.sh -- shared by the sequencer tests: a temporary directory, a test CA and server
# certificate (openssl), kube-sim.py started and stopped around each test, pipec-runtime run
# with short timings, and assertions that count failures. Sourced by tests/runtime/seq-*.sh.
# Exit codes: 0 pass, 1 fail, 77 skipped (python3 or openssl missing).
set -u
LC_ALL=C; export LC_ALL
srcdir=${srcdir:-.}
RT_DIR=$srcdir/tests/runtime
PIPEC_RUNTIME=${PIPEC_RUNTIME:-./pipec-runtime}
PYTHON=${PYTHON3:-python3}
TEST_NAME=$(basename "$0" .sh)

command -v "$PYTHON" >/dev/null 2>&1 || { echo "SKIP: $TEST_NAME: python3 not found"; exit 77; }
command -v openssl >/dev/null 2>&1 || { echo "SKIP: $TEST_NAME: openssl not found"; exit 77; }

T=$(mktemp -d "${TMPDIR:-/tmp}/pipec-rt.XXXXXX")
SIM_PID=
SEQ_PID=
FAILS=0
cleanup() {
	[ -n "$SEQ_PID" ] && kill -9 "$SEQ_PID" 2>/dev/null
	[ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null
	[ -n "${KEEP_TMP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Short timings so that every wait in a test takes a fraction of a second.
PIPEC_RUNTIME_BACKOFF_BASE=0.05; PIPEC_RUNTIME_BACKOFF_CAP=0.3; PIPEC_RUNTIME_RETRY_BUDGET=8
PIPEC_RUNTIME_REQUEST_TIMEOUT=5; PIPEC_RUNTIME_WATCH_TIMEOUT=5; PIPEC_RUNTIME_POLL_INTERVAL=0.2
PIPEC_RUNTIME_START_WAIT=5
export PIPEC_RUNTIME_BACKOFF_BASE PIPEC_RUNTIME_BACKOFF_CAP PIPEC_RUNTIME_RETRY_BUDGET \
	PIPEC_RUNTIME_REQUEST_TIMEOUT PIPEC_RUNTIME_WATCH_TIMEOUT PIPEC_RUNTIME_POLL_INTERVAL \
	PIPEC_RUNTIME_START_WAIT

# A CA and a server certificate for 127.0.0.1 signed by it, made fresh for each test.
make_certs() {
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=pipec-test-ca \
		-keyout "$T/ca.key" -out "$T/ca.crt" >/dev/null 2>&1 &&
	openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 \
		-keyout "$T/server.key" -out "$T/server.csr" >/dev/null 2>&1 &&
	printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' >"$T/ext.cnf" &&
	openssl x509 -req -in "$T/server.csr" -CA "$T/ca.crt" -CAkey "$T/ca.key" -CAcreateserial \
		-days 1 -extfile "$T/ext.cnf" -out "$T/server.crt" >/dev/null 2>&1 ||
		{ echo "FAIL: $TEST_NAME: openssl could not make the test certificates"; exit 1; }
	echo "test-token-$$" >"$T/token"
}

# mkplan SPEC [maxParallel] [onFailure] [run] [pendingTimeoutSeconds]
# SPEC is "a;b:a;c:a;d:b,c" (step:deps). Writes $T/plan.json as the compiler would.
mkplan() {
	"$PYTHON" - "$T/plan.json" "$@" <<'PY'
import json, sys
out, spec = sys.argv[1], sys.argv[2]
maxp = int(sys.argv[3]) if len(sys.argv) > 3 else 0
onf = sys.argv[4] if len(sys.argv) > 4 else "continue"
run = sys.argv[5] if len(sys.argv) > 5 and sys.argv[5] else None
pend = int(sys.argv[6]) if len(sys.argv) > 6 else 1800
p, sfx = "demo", ("-" + run if run else "")
steps = []
for item in spec.split(";"):
    name, _, deps = item.partition(":")
    steps.append({"name": name, "job": "%s-%s%s" % (p, name, sfx),
                  "after": [d for d in deps.split(",") if d], "pendingTimeoutSeconds": pend})
plan = {"apiVersion": "pipec.dev/v1", "pipeline": p, "namespace": "ml", "maxParallel": maxp,
        "onFailure": onf, "sequencerJob": "%s-run%s" % (p, sfx), "steps": steps}
if run:
    plan["run"] = run
json.dump(plan, open(out, "w"), indent=2, sort_keys=True)
PY
}

# start_sim SCENARIO_JSON: starts kube-sim with $T/plan.json and that scenario.
start_sim() {
	printf '%s\n' "$1" >"$T/scenario.json"
	rm -f "$T/port"
	"$PYTHON" "$RT_DIR/kube-sim.py" --plan "$T/plan.json" --scenario "$T/scenario.json" \
		--token "$(cat "$T/token")" --cert "$T/server.crt" --key "$T/server.key" \
		--port-file "$T/port" --record "$T/record.json" --timeout 50 \
		${SIM_MANIFESTS:+--manifests "$SIM_MANIFESTS"} 2>"$T/sim.err" &
	SIM_PID=$!
	i=0
	while [ ! -s "$T/port" ]; do
		i=$((i + 1))
		[ $i -gt 100 ] && { echo "FAIL: $TEST_NAME: kube-sim did not start"; cat "$T/sim.err"; exit 1; }
		sleep 0.1
	done
	SERVER=https://127.0.0.1:$(cat "$T/port")
}

# run_seq [LOG]: runs the sequencer to its end (bounded: 40 s); sets RC; appends to LOG.
run_seq() {
	log=${1:-$T/seq.log}
	timeout 40 "$PIPEC_RUNTIME" --plan "$T/plan.json" --server "$SERVER" \
		--token-file "$T/token" --ca-file "$T/ca.crt" >>"$log" 2>&1
	RC=$?
}

# start_seq_bg [LOG]: starts the sequencer in the background; SEQ_PID.
start_seq_bg() {
	timeout 40 "$PIPEC_RUNTIME" --plan "$T/plan.json" --server "$SERVER" \
		--token-file "$T/token" --ca-file "$T/ca.crt" >>"${1:-$T/seq.log}" 2>&1 &
	SEQ_PID=$!
}

fail() {
	echo "  $TEST_NAME: $*"
	FAILS=$((FAILS + 1))
}

expect_rc() {
	[ "$RC" -eq "$1" ] || fail "exit code $RC, expected $1"
}

# expect_log REGEX [FILE]: the sequencer's log has a line matching the extended regex.
expect_log() {
	grep -Eq -- "$1" "${2:-$T/seq.log}" || fail "no log line matches: $1"
}

expect_no_log() {
	! grep -Eq -- "$1" "${2:-$T/seq.log}" || fail "unexpected log line: $1"
}

# check EXPR WHAT: an assertion on the server's record (see check.py).
check() {
	"$PYTHON" "$RT_DIR/check.py" "$T/record.json" "$1" "$2" || FAILS=$((FAILS + 1))
}

# finish: stops the server (so its record is final), prints PASS/FAIL and exits.
finish() {
	if [ -n "$SIM_PID" ]; then
		kill "$SIM_PID" 2>/dev/null
		wait "$SIM_PID" 2>/dev/null
		SIM_PID=
	fi
	if [ "$FAILS" -eq 0 ]; then
		echo "PASS: $TEST_NAME"
		exit 0
	fi
	echo "FAIL: $TEST_NAME ($FAILS checks failed); sequencer log:"
	sed 's/^/  | /' "$T/seq.log" 2>/dev/null | tail -60
	exit 1
}
