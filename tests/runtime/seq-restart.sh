#!/bin/sh
# seq-restart.sh -- restart safety: the sequencer is killed with SIGKILL at pseudo-random
# moments, 20 times, and started again each time; at the end every step ran, each was
# un-suspended exactly once, none before its dependencies.
. "${srcdir:-.}/tests/runtime/lib.sh"
make_certs
mkplan "a;b:a;c:a;d:b,c;e:d;f:d;g:e,f;h:g" 2 continue
start_sim '{"default": {"outcome": "succeed", "delay": 0.15}}'
n=0
seed=7
while [ $n -lt 20 ]; do
	start_seq_bg
	seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
	sleep "0.$(( (seed / 65536) % 25 + 2 ))"
	kill -9 "$SEQ_PID" 2>/dev/null
	wait "$SEQ_PID" 2>/dev/null
	SEQ_PID=
	echo "--- killed" >>"$T/seq.log"
	n=$((n + 1))
done
: >"$T/final.log"
run_seq "$T/final.log"
expect_rc 0
expect_log 'pipeline demo succeeded: 8 succeeded' "$T/final.log"
kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null; SIM_PID=
check 'len(r["unsuspends"]) == 8 and set(r["unsuspends"].values()) == {1}' 'every step started exactly once over 21 sequencer runs'
check 'r["violations"] == []' 'no step started before its dependencies completed'
check 'r["maxActive"] <= 2' 'maxParallel held across restarts'
finish
