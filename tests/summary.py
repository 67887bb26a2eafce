#!/usr/bin/python3
"""Prints "N passed, N failed[, N skipped]" from one or more meson testlog.json files.

meson writes one JSON object per test; TAP tests report their subtests in the output, which
meson counts in the result only as a whole, so this counts the TAP lines when there are any.
"""
import json
import re
import sys

passed = failed = skipped = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            t = json.loads(line)
            out = t.get("stdout") or ""
            oks = len(re.findall(r"^ok \d+", out, re.M))
            noks = len(re.findall(r"^not ok \d+", out, re.M))
            if t.get("protocol") == "tap" or oks + noks:
                skips = len(re.findall(r"^ok \d+.*# SKIP", out, re.M))
                passed += oks - skips
                skipped += skips
                failed += noks
                if t["result"] not in ("OK", "EXPECTEDFAIL", "SKIP") and noks == 0:
                    failed += 1
            elif t["result"] in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif t["result"] == "SKIP":
                skipped += 1
            else:
                failed += 1
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
