#!/usr/bin/env python3
"""Prints the README's rule table: catalog id -> implementing file/function -> tests naming it.

Run from the repository root: python3 model/tools/rule_table.py ../shared/RFC_CATALOG.md
Rows for ids that no branch fires come from NOTES below.
"""
import glob
import re
import sys

NOTES = {
    "R26": ("not implemented ([OPT]): after sending a RST the model goes to CLOSED, never TIME-WAIT",
            None),
    "R65": ("not modelled: the security/compartment check is a no-op (RFC 9293 §3.10.7.4 step 3); "
            "not observable", None),
    "R120f": ("`Endpoint::observe()` / `Endpoint::find()` (endpoint.cc) — STATUS is a read, not an "
              "event, so no rule fires", None),
}

catalog = open(sys.argv[1]).read()
ids = sorted(set(re.findall(r"(?m)(?:^\| |^- )(R\d+[a-z]?)", catalog)),
             key=lambda r: (int(re.match(r"R(\d+)", r).group(1)), r))

impl = {}
for path in sorted(glob.glob("model/src/*.cc")):
    func = None
    for line in open(path):
        m = re.match(r"^[A-Za-z].*\b(Endpoint::\w+|\w+)\(", line)
        if m and not line.startswith("  "):
            func = m.group(1)
        for rid in re.findall(r"Rule::(R\d+[a-z]?)\b", line):
            where = f"{path.split('/')[-1]}: `{func}`"
            impl.setdefault(rid, [])
            if where not in impl[rid]:
                impl[rid].append(where)

tests = {}
for path in sorted(glob.glob("tests/model/*_test.cc")):
    for m in re.finditer(r"TEST\((\w+), (\w+)\)", open(path).read()):
        for rid in re.findall(r"(?:^|_)(R\d+[a-z]?)(?=_)", m.group(2)):
            tests.setdefault(rid, []).append(f"{m.group(1)}.{m.group(2)}")

print("| id | implemented in | checked by |")
print("|---|---|---|")
for rid in ids:
    where = "; ".join(impl.get(rid, [])[:3])
    if rid in NOTES:
        where = NOTES[rid][0] + (("; " + where) if where else "")
    t = tests.get(rid, [])
    checked = ", ".join(t[:2]) + (f" (+{len(t) - 2})" if len(t) > 2 else "")
    if not checked:
        checked = "— none yet"
    print(f"| {rid} | {where or '— not implemented'} | {checked} |")
