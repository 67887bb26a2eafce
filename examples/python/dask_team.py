#!/usr/bin/env python3
"""Assesses many athletes' runs on a Dask cluster and prints a table, one row per athlete.

    dask_team.py [--athletes N] [--runs-per-athlete K] [--workers W] [--scheduler ADDRESS]

For platforms that outgrow one machine. Each worker loads the knowledge base once (a worker
plugin), when it starts, and assesses every run it is given with it: the knowledge base is
immutable and assessment reentrant, so the workers share nothing and need no new C. Without
--scheduler the example starts a LocalCluster of W worker processes (one thread each) on
this machine; with it, it uses the running cluster there (start workers with PYTHONPATH
reaching the postrun package).

The runs are made up from the example run reports (examples/runs/), each athlete with their
own body mass, and each run a little longer or hotter than the last. The last line gives the
throughput: runs assessed per second, in total and per worker.
"""
from __future__ import annotations

import argparse
import copy
import pathlib
import sys
import time
from typing import Dict, List

import yaml
from distributed import Client, LocalCluster, WorkerPlugin, get_worker

import postrun

RUNS = pathlib.Path(__file__).resolve().parent.parent / "runs"


class KnowledgeBaseOnWorker(WorkerPlugin):
    """Loads the bundled knowledge base once per worker, when the worker starts."""

    name = "postrun-kb"

    def setup(self, worker):
        worker.postrun_kb = postrun.KnowledgeBase.default()
        worker.postrun_kb_loads = getattr(worker, "postrun_kb_loads", 0) + 1


def templates() -> List[dict]:
    """The single-run example reports, as dicts."""
    out = []
    for path in sorted(RUNS.glob("[0-9]*.yaml")):
        out.append(yaml.safe_load(path.read_text()))
    return out


def athlete_runs(athlete: int, k: int, base: List[dict]) -> List[dict]:
    """K runs of one athlete, made from the templates: deterministic, no randomness."""
    runs = []
    for r in range(k):
        report = copy.deepcopy(base[(athlete + r) % len(base)])
        report["id"] = f"athlete-{athlete:04d}-run-{r:02d}"
        report["athlete"]["body_mass_kg"] = 52 + (athlete * 7) % 40
        report["run"]["duration_min"] = min(300, report["run"]["duration_min"] + 5 * r)
        env = report.setdefault("environment", {})
        env["temperature_c"] = min(38, env.get("temperature_c", 15) + (r % 5))
        runs.append(report)
    return runs


def assess_athlete(athlete: int, runs: List[dict]) -> Dict[str, object]:
    """Runs on a worker: one athlete's runs with the worker's knowledge base."""
    worker = get_worker()
    kb = worker.postrun_kb
    sweat, flags, causes = 0.0, 0, {}
    for report in runs:
        a = kb.assess(report)
        sweat += a.fluid.sweat_loss_l.expected
        flags += len(a.red_flags)
        if a.causes:
            causes[a.causes[0].id] = causes.get(a.causes[0].id, 0) + 1
    top = max(sorted(causes), key=causes.get) if causes else "-"
    return {"athlete": athlete, "runs": len(runs), "sweat_l": sweat, "red_flags": flags,
            "top_cause": top, "worker": worker.address, "kb_loads": worker.postrun_kb_loads}


def main(argv: List[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--athletes", type=int, default=40)
    ap.add_argument("--runs-per-athlete", type=int, default=25)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--scheduler", help="address of a running Dask scheduler")
    ap.add_argument("--quiet", action="store_true", help="print the summary lines only")
    args = ap.parse_args(argv)

    base = templates()
    work = [(i, athlete_runs(i, args.runs_per_athlete, base)) for i in range(args.athletes)]
    if args.scheduler:
        cluster, client = None, Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        client.register_worker_plugin(KnowledgeBaseOnWorker())
        workers = len(client.scheduler_info()["workers"])
        start = time.perf_counter()
        futures = [client.submit(assess_athlete, i, runs, pure=False) for i, runs in work]
        rows = sorted(client.gather(futures), key=lambda r: r["athlete"])
        elapsed = time.perf_counter() - start
        loads = {r["worker"]: r["kb_loads"] for r in rows}
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

    if not args.quiet:
        print(f"{'athlete':>7}  {'runs':>4}  {'sweat l':>7}  {'red flags':>9}  most often")
        for r in rows:
            print(f"{r['athlete']:>7}  {r['runs']:>4}  {r['sweat_l']:>7.1f}  "
                  f"{r['red_flags']:>9}  {r['top_cause']}")
    total = sum(r["runs"] for r in rows)
    print(f"{len(rows)} athletes, {total} runs on {workers} workers; knowledge base loaded "
          f"{sum(loads.values())} times by {len(loads)} workers")
    print(f"throughput: {total / elapsed:.0f} runs/s, {total / elapsed / workers:.0f} runs/s "
          f"per worker ({elapsed:.2f} s)")
    # Once per worker that did work: never once per task.
    if any(n != 1 for n in loads.values()):
        print("a worker loaded the knowledge base more than once", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
