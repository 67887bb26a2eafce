#!/usr/bin/python3
"""Grid search behind the `calibrated` sweat parameters (docs/validation.md).

Evaluates every combination of the values below through a knowledge-base overlay, on the
`fit` part of the sweat references only, and prints the best few: most references within
tolerance, then the smallest sum of squared relative errors. Not a test: run by hand when the
model or the fit part changes.

Usage: fit.py --cli PATH
"""
import argparse
import itertools
import os
import sys
import tempfile

import run_validation as rv

GRID = {
    "clothing_dry_heat_factor": [0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65],
    "sweat_efficiency_max": [0.8, 0.9, 1.0],
    "treadmill_air_speed_m_s": [1.0, 2.0, 3.0],
}


def overlay(values):
    lines = ["postrun_overlay: 1", "parameters:"]
    for k, v in values.items():
        lines += [f"  - id: {k}", f"    value: {v}", f"    low: {v * 0.85:.4g}",
                  f"    high: {v * 1.15:.4g}"]
    return "\n".join(lines) + "\n"


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--category", default="sweat")
    args = ap.parse_args(argv)
    refs = [r for r in rv.load_refs(os.path.join(rv.HERE, "references.yaml"))
            if r["split"] == "fit" and r["category"] == args.category]
    results = []
    keys = list(GRID)
    for combo in itertools.product(*(GRID[k] for k in keys)):
        values = dict(zip(keys, combo))
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            f.write(overlay(values))
        try:
            assessed = rv.assess_all(args.cli, refs, extra=["--overlay", f.name])
            rows = [rv.evaluate(r, assessed[r["id"]]) for r in refs]
        finally:
            os.unlink(f.name)
        ok = sum(r["within_tolerance"] for r in rows)
        sse = sum((r["error"] / r["value"]) ** 2 for r in rows)
        results.append((-ok, sse, values))
    results.sort(key=lambda t: (t[0], t[1]))
    for neg_ok, sse, values in results[:8]:
        print(f"{-neg_ok}/{len(refs)} within tolerance, sum sq rel error {sse:.3f}: {values}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
