"""The Python part of postrun-bench: how fast the binding assesses run reports given as dicts.

Run by postrun-bench (bench/postrun_bench.c) with --data, a JSON array of the example runs it
wrote from examples/runs; prints tab-separated lines postrun-bench adds to its table:
    ROW  <name>  <median>  <min>  <max>  <unit>  <repetitions>
    SKIP <why>
Each figure is the median over --reps repetitions after a warm-up, on the same fixed inputs.
Single-threaded figures use this process's CPU time (time.process_time: one core, like the C
figures); assess_many uses the wall clock, since its point is running threads side by side.

    PYTHONPATH=BUILD/bindings/python python3 bench/bench_python.py --data runs.json
"""
import argparse
import json
import statistics
import sys
import time


def row(name, values, unit):
    print("ROW\t%s\t%.6g\t%.6g\t%.6g\t%s\t%d" % (name, statistics.median(values), min(values),
                                                  max(values), unit, len(values)))
    sys.stdout.flush()


def rate(fn, count, reps, clock=time.process_time):
    """Calls fn() (which handles `count` items) once to warm up, then `reps` times: items/s."""
    fn()
    out = []
    for _ in range(reps):
        t0 = clock()
        fn()
        out.append(count / (clock() - t0))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    try:
        import postrun
    except ImportError as e:
        print("SKIP\tthe Python binding is not importable (%s); build with -Dbindings=true" % e)
        return 0

    with open(args.data, encoding="utf-8") as f:
        runs = json.load(f)
    kb = postrun.KnowledgeBase.default()

    # The dicts must say what the files say: same assessment as the YAML reports.
    for r in runs:
        a = kb.assess(r)
        if a.id != r.get("id", ""):
            print("SKIP\tthe benchmark's run data does not round-trip (%s)" % r.get("id"))
            return 0

    calls = 2000 if args.quick else 20000
    mix = [runs[i % len(runs)] for i in range(calls)]

    def one_by_one():
        assess = kb.assess
        for r in mix:
            assess(r)

    row("kb.assess(dict), mix of the %d example runs" % len(runs),
        rate(one_by_one, calls, args.reps), "calls/s")

    def numbers():  # the same, reading a few numbers back as an application would
        assess = kb.assess
        for r in mix:
            a = assess(r)
            a.causes[0].score if a.causes else 0.0
            a.metric("fluid.sweat_loss_l")

    row("kb.assess(dict) + read top cause and a metric",
        rate(numbers, calls, args.reps), "calls/s")

    batch = [runs[i % len(runs)] for i in range(4 * calls)]
    for threads in (1, 2):
        walls, busy = [], []
        kb.assess_many(batch, threads=threads)  # warm-up
        for _ in range(args.reps):
            w0, c0 = time.perf_counter(), time.process_time()
            kb.assess_many(batch, threads=threads)
            w, c = time.perf_counter() - w0, time.process_time() - c0
            walls.append(len(batch) / w)
            busy.append(c / w)
        row("kb.assess_many(%d dicts, threads=%d), wall clock" % (len(batch), threads), walls,
            "runs/s")
        # Cores kept busy: process CPU time over wall time (2 when both threads always run;
        # below that on a machine where other processes hold the cores).
        row("  cores busy during it (process CPU time / wall time)", busy, "cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
