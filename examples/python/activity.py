#!/usr/bin/env python3
"""Assesses a run from a watch's file (FIT, TCX or GPX) with a report of what the watch cannot
know: the athlete and the symptoms. The report's own values win; the assumptions say which
values came from the file.

    activity.py RUN.fit
"""
import sys

import postrun

REPORT = {
    "postrun": 1,
    "athlete": {"body_mass_kg": 66, "age_y": 38, "sex": "male",
                "training_status": "recreational"},
    "intake": {"fluid_ml": 250, "carbohydrate_g": 0},
    "symptoms": [{"id": "muscles_feel_smaller", "severity": 4, "where": ["quadriceps"]},
                 {"id": "fatigue", "severity": 6}],
}


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    kb = postrun.KnowledgeBase.default()
    try:
        a = kb.assess(REPORT, activity=argv[1])
    except postrun.Error as e:
        print(e, file=sys.stderr)
        return 1
    for c in a.causes[:2]:
        print(f"{c.name}: score {c.score:.2f}")
    for text in a.assumptions:
        print("  assumed:", text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
