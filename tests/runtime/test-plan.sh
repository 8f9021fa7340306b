#!/bin/sh
# test-plan.sh -- golden tests of the plan loader: for each plans/NAME.json, the output of
# test-plan (the plan, or its diagnostics) must equal plans/NAME.out exactly.
set -u
LC_ALL=C; export LC_ALL
srcdir=${srcdir:-.}
dir=$srcdir/tests/runtime/plans
bin=${TEST_PLAN:-./tests/runtime/test-plan}
pass=0 fail=0
for f in "$dir"/*.json; do
	name=$(basename "$f" .json)
	exp=$dir/$name.out
	# Paths in diagnostics are printed relative to the plans directory.
	got=$(cd "$dir" && "$OLDPWD/$bin" "$name.json" 2>&1; echo "exit $?")
	if printf '%s\n' "$got" | diff -u "$exp" - >/dev/null 2>&1; then
		echo "PASS: plan/$name"; pass=$((pass + 1))
	else
		echo "FAIL: plan/$name"; printf '%s\n' "$got" | diff -u "$exp" -; fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
