#!/usr/bin/env python3
"""Check that every scalar of a YAML file reads the same to a YAML 1.1 reader as to a YAML 1.2 one.

kubectl and most Kubernetes tooling read manifests with YAML 1.1 resolvers (go-yaml v2 via
sigs.k8s.io/yaml); newer tools use the YAML 1.2 core schema. A plain scalar such as `yes`,
`0o17`, `1e3`, `2026-11-24` or `1_000` is a string to one and a bool, int, float or date to the
other, so pipec must quote it. This script reads each file with PyYAML (the YAML 1.1 resolver
from Debian's python3-yaml), resolves every scalar again with the YAML 1.2 core-schema rules
(YAML 1.2.2, section 10.3.2), and reports each scalar whose tag (or, for int and float, whose
value, e.g. `017`) differs.

usage: yaml11-roundtrip.py FILE-OR-DIR...   (directories are searched for *.yaml and *.yml)
exit:  0 all scalars agree, 1 a mismatch or a document PyYAML cannot read, 2 usage error.
Needs only python3 and PyYAML (Debian: apt-get install python3-yaml).
"""

import math
import os
import re
import sys

try:
    import yaml
except ImportError:
    sys.stderr.write("yaml11-roundtrip: PyYAML is missing (Debian: apt-get install python3-yaml)\n")
    sys.exit(2)

TAG = "tag:yaml.org,2002:"

# YAML 1.2 core schema, table of section 10.3.2: (tag, regex), first match wins; no match is str.
CORE_12 = [
    ("null", re.compile(r"(?:null|Null|NULL|~|)\Z")),
    ("bool", re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z")),
    ("int", re.compile(r"[-+]?[0-9]+\Z")),
    ("int", re.compile(r"0o[0-7]+\Z")),
    ("int", re.compile(r"0x[0-9a-fA-F]+\Z")),
    ("float", re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")),
    ("float", re.compile(r"[-+]?(?:\.inf|\.Inf|\.INF)\Z")),
    ("float", re.compile(r"(?:\.nan|\.NaN|\.NAN)\Z")),
]


# The YAML 1.1 bool type (yaml.org/type/bool.html) also has y/Y/n/N. PyYAML leaves them
# out, but go-yaml v2, and so kubectl, reads them as booleans: count them as YAML 1.1 bools.
YAML11_YN = ("y", "Y", "n", "N")


def resolve_12(value):
    """Tag and value the YAML 1.2 core schema gives a plain scalar."""
    for tag, rx in CORE_12:
        if rx.match(value):
            return TAG + tag, value_12(tag, value)
    return TAG + "str", value


def value_12(tag, v):
    if tag == "int":
        if v.startswith("0o"):
            return int(v[2:], 8)
        if v.startswith("0x"):
            return int(v[2:], 16)
        return int(v, 10)
    if tag == "float":
        low = v.lower()
        if low.endswith(".nan"):
            return math.nan
        if low.endswith(".inf"):
            return -math.inf if v.startswith("-") else math.inf
        return float(v)
    return None


def short(tag):
    return "!!" + tag[len(TAG):] if tag.startswith(TAG) else tag


def same_number(a, b):
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def check_stream(path, text, report):
    """Report every scalar of one file whose YAML 1.1 and 1.2 readings differ; return documents read."""
    resolver = yaml.resolver.Resolver()
    constructor = yaml.SafeLoader("")
    docs = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.DocumentStartEvent):
            docs += 1
        if not isinstance(event, yaml.ScalarEvent):
            continue
        if event.tag not in (None, "!"):
            continue  # an explicit tag means the same to both readers
        plain = event.style is None and event.implicit[0]
        if not plain:
            continue  # quoted and block scalars are strings to both readers
        tag11 = resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        if event.value in YAML11_YN:
            tag11 = TAG + "bool"
        tag12, val12 = resolve_12(event.value)
        mark = event.start_mark
        where = "%s:%d:%d" % (path, mark.line + 1, mark.column + 1)
        if tag11 != tag12:
            report("%s: scalar %r reads as %s in YAML 1.1 but %s in YAML 1.2"
                   % (where, event.value, short(tag11), short(tag12)))
        elif tag11 in (TAG + "int", TAG + "float"):
            node = yaml.ScalarNode(tag11, event.value, mark, event.end_mark, style=event.style)
            val11 = constructor.construct_object(node, deep=True)
            if not same_number(val11, val12):
                report("%s: scalar %r reads as %s %r in YAML 1.1 but %s %r in YAML 1.2"
                       % (where, event.value, short(tag11), val11, short(tag12), val12))
    # Constructing catches what the event stream does not: bad aliases, impossible dates, ...
    for _ in yaml.safe_load_all(text):
        pass
    return docs


def collect(args):
    files = []
    for a in args:
        if os.path.isdir(a):
            for root, dirs, names in os.walk(a):
                dirs.sort()
                files.extend(os.path.join(root, n) for n in sorted(names)
                             if n.endswith((".yaml", ".yml")))
        elif os.path.exists(a):
            files.append(a)
        else:
            raise OSError("%s: no such file or directory" % a)
    return files


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        sys.stderr.write("usage: yaml11-roundtrip.py FILE-OR-DIR...\n")
        return 2
    try:
        files = collect(argv)
    except OSError as e:
        sys.stderr.write("yaml11-roundtrip: %s\n" % e)
        return 2
    problems = []
    docs = 0
    for path in files:
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
            docs += check_stream(path, text, problems.append)
        except yaml.MarkedYAMLError as e:
            mark = e.problem_mark or e.context_mark
            where = "%s:%d:%d" % (path, mark.line + 1, mark.column + 1) if mark else path
            problems.append("%s: cannot parse: %s" % (where, (e.problem or e.context or str(e)).strip()))
        except (yaml.YAMLError, ValueError, UnicodeDecodeError) as e:
            problems.append("%s: cannot parse: %s" % (path, str(e).strip().splitlines()[0]))
    for p in problems:
        print(p)
    print("%d document%s checked in %d file%s, %d problem%s"
          % (docs, "" if docs == 1 else "s", len(files), "" if len(files) == 1 else "s",
             len(problems), "" if len(problems) == 1 else "s"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
