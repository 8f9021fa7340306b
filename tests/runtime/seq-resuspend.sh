#!/bin/sh
# seq-resuspend.sh -- a re-apply sets suspend=true again on a running step's Job: the
# sequencer resumes it, logs it, and the run completes.
. "${srcdir:-.}/tests/runtime/lib.sh"
make_certs
mkplan "a;b:a" 0 continue
start_sim '{"default": {"outcome": "succeed", "delay": 0.5}, "resuspend": {"step": "a", "after": 0.15}}'
run_seq
expect_rc 0
expect_log 'step a: its Job was suspended again while running \(a re-apply\?\); resumed it \(restart 1\)'
kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null; SIM_PID=
check 'r["unsuspends"] == {"demo-a": 2, "demo-b": 1}' 'a resumed once after the re-apply, b started once'
check 'state("demo-a") == "succeeded"' 'a succeeded'
finish
