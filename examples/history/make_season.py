#!/usr/bin/env python3
"""Writes season.yaml: twelve weeks of one runner's run reports, generated but realistic.

    make_season.py [-o examples/history/season.yaml]

A recreational runner (62 kg) builds towards a summer half marathon: intervals on
Tuesdays, easy runs on Wednesdays and Saturdays, a tempo run on Thursdays and a long run on
Sundays that grows from 14 to 24 km with easier weeks 4 and 8 and a taper in week 12. Spring
turns to summer (8 to 27 degrees). Five long runs have a weigh-in: this runner sweats about
30 % more than the heat balance predicts for an average runner (the weigh-ins are made from
the library's own prediction times 1.3, with the noise of a bathroom scale). Two downhill
trail long runs four weeks apart (the second sore less: the repeated-bout effect), and
cramps on three of the last four long runs, in the heat. In weeks 5, 9 and 11 a 10 km
evening run and a light dinner come before the Sunday long run, which starts with less
glycogen.

The file is committed; run this script again (with the Python binding) only to change it.
"""
from __future__ import annotations

import argparse
import datetime
import pathlib
import random

import postrun

HERE = pathlib.Path(__file__).resolve().parent
START = datetime.datetime(2026, 4, 6, 7, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
ATHLETE = {"body_mass_kg": 62.0, "sex": "female", "age_y": 36, "training_status": "recreational"}
PERSONAL = 1.3  # this runner's sweat over the average runner's


def plan(week: int):
    """(weekday, km, intensity, minutes per km) of the week's runs (0 = Monday)."""
    long_km = {1: 14, 2: 15, 3: 16, 4: 12, 5: 17, 6: 18, 7: 19, 8: 14, 9: 20, 10: 22, 11: 24,
               12: 12}[week]
    easy = 0.8 if week in (4, 8, 12) else 1.0
    return [(1, round(9 * easy), "intervals", 5.2), (2, round(7 * easy), "easy", 6.3),
            (3, round(10 * easy), "tempo", 5.4), (5, round(6 * easy), "easy", 6.4),
            (6, long_km, "steady", 6.0)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default=str(HERE / "season.yaml"))
    out = pathlib.Path(ap.parse_args().output)
    kb = postrun.KnowledgeBase.default()
    rng = random.Random(2026)
    docs = []
    for week in range(1, 13):
        for day, km, intensity, pace in plan(week):
            when = START + datetime.timedelta(days=7 * (week - 1) + day)
            if day == 5 and week in (5, 9, 11):  # an evening run the day before the long run
                when += datetime.timedelta(hours=11)
                km, intensity, pace = 10, "steady", 5.8
            temp = round(8 + 19 * (7 * (week - 1) + day) / 84 + rng.uniform(-2, 2))
            long_run = day == 6
            minutes = round(km * pace)
            run = {"started_at": when.isoformat(), "duration_min": minutes, "distance_km": km,
                   "intensity": intensity}
            if long_run and week in (6, 10):
                run.update(surface="trail", elevation_gain_m=650, elevation_loss_m=650)
            report = {"postrun": 1, "id": f"w{week:02d}-{when:%a}-{intensity}",
                      "athlete": dict(ATHLETE), "run": run,
                      "environment": {"temperature_c": temp, "relative_humidity_pct": 55}}
            if long_run:
                report["intake"] = {"fluid_ml": 500, "carbohydrate_g": 40}
                # a light dinner after an evening run, or a normal day's eating
                low = week in (5, 9, 11)
                report["recent"] = {"carbohydrate_since_last_run_g": 60 if low else 280}
            if long_run and week in (3, 5, 7, 9, 11):
                predicted = kb.assess(report).metric("fluid.sweat_loss_l").expected
                loss = PERSONAL * predicted * rng.uniform(0.92, 1.08)
                post = ATHLETE["body_mass_kg"] - loss + report["intake"]["fluid_ml"] / 1000
                report["weigh_in"] = {"pre_kg": ATHLETE["body_mass_kg"], "post_kg": round(post, 1)}
            if long_run and week in (9, 10, 11):
                report["symptoms"] = [{"id": "cramps", "severity": 5}]
            docs.append(report)
    import yaml
    text = "# Twelve weeks of one runner's season (examples/history/make_season.py wrote it).\n"
    text += "---\n".join(yaml.safe_dump(d, sort_keys=False, default_flow_style=None)
                         for d in docs)
    out.write_text(text)
    print(f"{out}: {len(docs)} runs")


if __name__ == "__main__":
    main()
