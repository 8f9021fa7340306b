#!/bin/sh
# local-run.sh -- local_run() (the engine of `pipec run`) with real processes, through
# lr-driver: dependency order, env and working directory, per-step logs, max parallel,
# failure with skip (continue and stop), command not found, timeout, Ctrl-C, dry run, and the
# live view on a terminal. Prints PASS/FAIL per case and "N passed, N failed".
set -u
LC_ALL=C; export LC_ALL
DRIVER=${LR_DRIVER:-$PWD/tests/runtime/lr-driver}
T=$(mktemp -d "${TMPDIR:-/tmp}/pipec-lr.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
pass=0 fail=0
ok() { echo "PASS: local-run/$1"; pass=$((pass + 1)); }
ko() { echo "FAIL: local-run/$1: $2"; fail=$((fail + 1)); [ -f out ] && sed 's/^/  | /' out; }
has() { grep -Eq -- "$1" "${2:-out}"; }
# alive PID: the process exists and is not a zombie (a killed orphan may stay a zombie when
# PID 1 does not reap, as in some containers).
alive() { s=$(ps -o stat= -p "$1" 2>/dev/null); [ -n "$s" ] && [ "${s#Z}" = "$s" ]; }

# 1. a diamond: order, env, cwd, logs
mkdir -p work
cat >p1 <<'P'
a : echo A-out; echo A-err >&2; echo a >>order
b after=a env=GREETING=hello : echo "$GREETING" >>order
c after=a cwd=work : pwd >../cwd; echo c >>../order
d after=b,c : echo d >>order
P
"$DRIVER" --logs logs p1 >out 2>&1; rc=$?
if [ $rc -eq 0 ] && [ "$(head -1 order)" = a ] && [ "$(tail -1 order)" = d ] && grep -qx hello order &&
	grep -q '/work$' cwd && grep -qx A-out logs/a.log && grep -qx A-err logs/a.log &&
	has "step 'd' succeeded" && has '4 succeeded, 0 failed, 0 skipped'; then ok diamond; else ko diamond "rc=$rc"; fi

# 2. max parallel: 6 steps of 0.3 s, at most 2 at once (measured from start/end marks)
: >ev
for i in 1 2 3 4 5 6; do echo "s$i : echo + >>ev; sleep 0.3; echo - >>ev"; done >p2
"$DRIVER" --max-parallel 2 --logs logs p2 >out 2>&1; rc=$?
max=$(awk '/\+/{n++; if (n>m) m=n} /-/{n--} END{print m}' ev)
if [ $rc -eq 0 ] && [ "$max" -eq 2 ]; then ok max-parallel; else ko max-parallel "rc=$rc max=$max"; fi

# 3. a failing step under continue: its downstream skipped, the other branch finishes, exit 1
cat >p3 <<'P'
a : true
b after=a : echo broken >&2; exit 3
c after=a : sleep 0.2
d after=b : true
e after=c : true
P
"$DRIVER" --logs logs p3 >out 2>&1; rc=$?
if [ $rc -eq 1 ] && has "step 'b' failed: exit code 3 \(log: logs/b.log\)" &&
	has "step 'd' skipped: upstream step 'b' failed" && has "step 'e' succeeded" &&
	grep -qx broken logs/b.log; then ok fail-continue; else ko fail-continue "rc=$rc"; fi

# 4. the same under stop: e is never started
"$DRIVER" --stop --logs logs p3 >out 2>&1; rc=$?
if [ $rc -eq 1 ] && has "step 'e' skipped: run stopped after a failure" && ! has "step 'e' started" &&
	has "step 'c' succeeded"; then ok fail-stop; else ko fail-stop "rc=$rc"; fi

# 5. a command that does not exist
printf 'x ! pipec-no-such-command-xyz --flag\ny after=x : true\n' >p5
"$DRIVER" --logs logs p5 >out 2>&1; rc=$?
if [ $rc -eq 1 ] && has "step 'x' failed: step 'x': command 'pipec-no-such-command-xyz' not found" &&
	has "step 'y' skipped"; then ok not-found; else ko not-found "rc=$rc"; fi

# 6. a missing working directory
printf 'x cwd=/nonexistent/dir : true\n' >p6
"$DRIVER" --logs logs p6 >out 2>&1; rc=$?
if [ $rc -eq 1 ] && has "cannot enter working directory '/nonexistent/dir'"; then ok bad-cwd; else ko bad-cwd "rc=$rc"; fi

# 7. a timeout kills the step's whole process group
printf 'slow timeout=1 : sleep 30 & echo $! >child; wait\n' >p7
start=$(date +%s)
"$DRIVER" --logs logs p7 >out 2>&1; rc=$?
took=$(( $(date +%s) - start ))
sleep 0.1
if [ $rc -eq 1 ] && has "step 'slow' failed: timed out after 1s" && [ "$took" -le 5 ] &&
	! alive "$(cat child)"; then ok timeout; else ko timeout "rc=$rc took=${took}s"; fi

# 8. Ctrl-C: the running steps' process groups are stopped and reported
printf 'a : sleep 30 & echo $! >child2; wait\nb : sleep 30\nc after=a : true\n' >p8
"$DRIVER" --logs logs p8 >out 2>&1 &
pid=$!
i=0
while [ ! -s child2 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -INT $pid
wait $pid; rc=$?
sleep 0.1
if [ $rc -eq 1 ] && has "interrupted: step 'a' was stopped" && has "interrupted: step 'b' was stopped" &&
	has "skipped" && ! alive "$(cat child2)"; then ok interrupt; else ko interrupt "rc=$rc"; fi

# 9. dry run: prints the plan, runs nothing
"$DRIVER" --dry-run --max-parallel 3 p1 >out 2>&1; rc=$?
if [ $rc -eq 0 ] && has "step 'd' after 'b', 'c': sh -c echo d >>order" && has "GREETING=hello" &&
	[ "$(wc -l <order)" -eq 4 ]; then ok dry-run; else ko dry-run "rc=$rc"; fi

# 10. on a terminal, the live view redraws in place (needs script(1) from util-linux)
if command -v script >/dev/null 2>&1; then
	printf 'a : sleep 0.3\nb after=a : true\n' >p10
	script -qec "$DRIVER --logs logs p10" /dev/null >out 2>&1 </dev/null; rc=$?
	if [ $rc -eq 0 ] && grep -q "$(printf '\033')\[2K  running  a" out && grep -q 'done     b' out; then
		ok live-view
	else ko live-view "rc=$rc"; fi
else
	echo "SKIP: local-run/live-view (script(1) not found)"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
