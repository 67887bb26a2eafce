#!/usr/bin/env python3
"""Draws a season as a PNG: training load, the personal sweat rate and glycogen, week by week.

    history_plot.py [SEASON.yaml] [-o season.png]

Every run of the season is assessed in the light of the runs before it (a history,
docs/history.md), and three panels share the calendar:
  - training load: the distance of the last 7 days and the average week of the last 4, and
    their ratio (the acute:chronic workload ratio) on a second axis;
  - the runner's sweat factor (measured over the heat balance's prediction for an average
    runner) with its 80 % interval, which starts at the population's spread and narrows with
    each weigh-in (marked);
  - leg-muscle glycogen at the start of each run (after the runs before and the food since)
    and what each run left.
The default season is examples/history/season.yaml (make_season.py wrote it).
"""
from __future__ import annotations

import argparse
import datetime
import pathlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import postrun  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT = HERE.parent / "history" / "season.yaml"
BLUE, ORANGE, GREY, GREEN = "#1f6fb4", "#d9711c", "#6b6b6b", "#2e8b57"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("season", nargs="?", default=str(DEFAULT))
    ap.add_argument("-o", "--output", default="season.png")
    args = ap.parse_args()

    kb = postrun.KnowledgeBase.default()
    history = kb.history([args.season])  # built once, read by every assessment
    rows = []
    for run in kb.runs(args.season):
        a = kb.assess(run, history=history)
        when = datetime.datetime.fromtimestamp(run.get("run.started_at"), datetime.timezone.utc)
        rows.append({
            "when": when,
            "acute": a.metric("load.acute_km"),
            "chronic": a.metric("load.chronic_km"),
            "acwr": a.metric("load.acwr"),
            "factor": a.metric("history.sweat_factor"),
            "weigh_ins": a.metric("history.weigh_ins").expected,
            "weighed": run.get("weigh_in.pre_kg") is not None,
            "start": a.metric("history.muscle_start_pct"),
            "left": a.metric("glycogen.muscle_remaining_pct"),
        })

    fig, (load, sweat, gly) = plt.subplots(3, 1, figsize=(10, 10), sharex=True)
    known = [r for r in rows if r["chronic"] is not None]
    load.plot([r["when"] for r in rows if r["acute"]], [r["acute"].expected for r in rows
                                                         if r["acute"]],
              color=BLUE, label="last 7 days (km)")
    load.plot([r["when"] for r in known], [r["chronic"].expected for r in known], color=GREY,
              label="average week of the last 4 (km)")
    load.set_ylabel("km")
    ratio = load.twinx()
    ratio.plot([r["when"] for r in known], [r["acwr"].expected for r in known], color=ORANGE,
               linestyle="--", label="acute:chronic ratio")
    ratio.axhspan(0.8, 1.3, color=ORANGE, alpha=0.08)
    ratio.set_ylabel("ratio")
    load.legend(loc="upper left")
    ratio.legend(loc="upper right")
    load.set_title("Training load from the runs themselves")

    x = [r["when"] for r in rows]
    sweat.fill_between(x, [r["factor"].low for r in rows], [r["factor"].high for r in rows],
                       color=BLUE, alpha=0.2, label="80 % interval")
    sweat.plot(x, [r["factor"].expected for r in rows], color=BLUE,
               label="sweat factor (x the heat balance)")
    weighed = [r["when"] for r in rows if r["weighed"]]
    for i, when in enumerate(weighed):
        sweat.axvline(when, color=GREEN, alpha=0.5, label="weigh-in" if i == 0 else None)
    sweat.set_ylabel("factor")
    sweat.legend(loc="upper left")
    sweat.set_title("Personal sweat rate, learnt from weigh-ins")

    gly.fill_between(x, [r["start"].low for r in rows], [r["start"].high for r in rows],
                     color=GREEN, alpha=0.2)
    gly.plot(x, [r["start"].expected for r in rows], color=GREEN, label="at the start (%)")
    gly.plot(x, [r["left"].expected for r in rows], color=GREY, marker=".", linestyle="none",
             label="left after the run (%)")
    gly.set_ylim(0, 105)
    gly.set_ylabel("% of a full store")
    gly.legend(loc="lower left")
    gly.set_title("Leg-muscle glycogen")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(args.output, dpi=90)
    last = rows[-1]
    print(f"{args.output}: {len(rows)} runs; sweat factor {last['factor'].expected:.2f} "
          f"({last['factor'].low:.2f}-{last['factor'].high:.2f}) from "
          f"{last['weigh_ins']:.0f} weigh-ins")


if __name__ == "__main__":
    main()
