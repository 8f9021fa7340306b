#!/usr/bin/env python3
"""check.py -- asserts on kube-sim's record: check.py RECORD 'EXPR' 'what it means'.
EXPR is a Python expression over r (the record) and a few helpers; exit 0 when true, else
prints FAIL with the message and the relevant parts of the record and exits 1."""
import json
import sys


def state(r, job):
    return r["jobs"][job]["metadata"].get("annotations", {}).get("pipec.dev/state")


def label(r, job):
    return r["jobs"][job]["metadata"].get("labels", {}).get("pipec.dev/state")


def summary(r, job):
    return json.loads(r["jobs"][job]["metadata"]["annotations"]["pipec.dev/summary"])


def main():
    rec, expr, what = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(rec) as f:
        r = json.load(f)
    env = {"r": r, "state": lambda j: state(r, j), "label": lambda j: label(r, j),
           "summary": lambda j: summary(r, j), "json": json}
    try:
        ok = eval(expr, env)
    except Exception as e:  # a missing key is a failed check, not a crash
        ok = False
        what += " (%s: %s)" % (type(e).__name__, e)
    if ok:
        return 0
    print("check failed: %s\n  expression: %s\n  unsuspends: %s maxActive: %s violations: %s faults: %s"
          % (what, expr, r.get("unsuspends"), r.get("maxActive"), r.get("violations"), r.get("faults")))
    return 1


sys.exit(main())
