#!/usr/bin/env python3
"""Compares two `kehoach dump --json` outputs made by the same steps on two machines (Linux and
Windows under wine). Record ids, device ids and clock stamps differ between two runs by nature;
everything else — every record's kind and every field's value — must be equal."""
import json
import re
import sys

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?")


def canonical(path):
    with open(path, encoding="utf-8") as f:
        dump = json.load(f)
    records = []
    for record in dump["entities"].values():
        text = json.dumps(record, sort_keys=True, ensure_ascii=False)
        records.append(STAMP.sub("<time>", UUID.sub("<id>", text)))
    return sorted(records), dump["conflicts"]


a, b = canonical(sys.argv[1]), canonical(sys.argv[2])
if a != b:
    only_a = sorted(set(a[0]) - set(b[0]))
    only_b = sorted(set(b[0]) - set(a[0]))
    print(f"dumps differ: {len(a[0])} vs {len(b[0])} records", file=sys.stderr)
    for r in only_a[:5]:
        print(f"  only in {sys.argv[1]}: {r[:400]}", file=sys.stderr)
    for r in only_b[:5]:
        print(f"  only in {sys.argv[2]}: {r[:400]}", file=sys.stderr)
    sys.exit(1)
print(f"same dump: {len(a[0])} records")
