#!/usr/bin/env python3
"""Prints a table of a season of runs: sweat rates, sodium losses and warning signs.

    season_report.py [SOURCE ...]

A SOURCE is a YAML file holding one run report or a stream of them (documents separated by
`---`, like examples/runs/season.yaml), a folder of such files, or `-` for standard input.
Without a SOURCE it reads examples/runs/season.yaml. A report that cannot be assessed is
listed with its problem, and the others go on. Exit status 1 when any report was invalid.
"""
from __future__ import annotations

import pathlib
import statistics
import sys
from typing import Iterable, Iterator, List, Tuple, Union

import postrun

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT = HERE.parent / "runs" / "season.yaml"

Row = Tuple[str, Union[postrun.Assessment, postrun.Error]]


def sources(args: List[str]) -> Iterator[str]:
    for arg in args or [str(DEFAULT)]:
        path = pathlib.Path(arg)
        if arg != "-" and path.is_dir():
            yield from (str(p) for p in sorted(path.glob("*.yaml")))
        else:
            yield arg


def assess_all(kb: postrun.KnowledgeBase, args: List[str]) -> Iterator[Row]:
    for source in sources(args):
        name = "stdin" if source == "-" else pathlib.Path(source).name
        stream = sys.stdin if source == "-" else source
        try:
            for i, result in enumerate(kb.assess_stream(stream, errors="return")):
                label = result.id if isinstance(result, postrun.Assessment) and result.id \
                    else f"{name}#{i + 1}"
                yield label, result
        except postrun.Error as e:  # the file itself could not be read
            yield name, e


def cell(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}"


def table(rows: Iterable[Row]) -> Tuple[List[List[str]], List[postrun.Assessment], int]:
    header = ["run", "min", "°C", "sweat l/h", "sweat l", "Na mg", "fluid", "top cause", "flags"]
    lines, good, bad = [header], [], 0
    for label, a in rows:
        if isinstance(a, postrun.Error):
            where = f"line {a.line}: " if a.line else ""
            lines.append([label, "", "", "", "", "", "", f"NOT ASSESSED: {where}"
                          f"{a.field + ': ' if a.field else ''}{a.message}", ""])
            bad += 1
            continue
        good.append(a)
        fluid = a.fluid
        duration = a.metric("run.duration_min")
        temperature = a.metric("environment.temperature_c")
        cause = a.causes[0].id if a.causes and a.causes[0].score >= 0.5 else "-"
        flags = ", ".join(f.id for f in a.red_flags) or "-"
        lines.append([
            label,
            cell(duration.expected, 0) if duration else "?",
            cell(temperature.expected, 0) if temperature else "?",
            cell(fluid.sweat_rate_l_h.expected, 2),
            cell(fluid.sweat_loss_l.expected),
            cell(fluid.sodium_loss_mg.expected, 0),
            fluid.status.replace("_", " "),
            cause,
            flags,
        ])
    return lines, good, bad


def failed(row: List[str]) -> bool:
    return row[7].startswith("NOT ASSESSED")


def show(lines: List[List[str]]) -> None:
    widths = [max(len(row[i]) for row in lines if not failed(row)) for i in range(len(lines[0]))]
    numeric = {1, 2, 3, 4, 5}
    for n, row in enumerate(lines):
        if failed(row):
            print(f"{row[0]:<{widths[0]}}  {row[7]}")
            continue
        cells = [c.rjust(widths[i]) if i in numeric else c.ljust(widths[i])
                 for i, c in enumerate(row)]
        print("  ".join(cells).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def summary(runs: List[postrun.Assessment]) -> None:
    if not runs:
        print("\nNo run could be assessed.")
        return
    rates = [a.fluid.sweat_rate_l_h.expected for a in runs]
    sodium = sum(a.fluid.sodium_loss_mg.expected for a in runs)
    sweat = sum(a.fluid.sweat_loss_l.expected for a in runs)
    flagged = [a for a in runs if a.red_flags]
    hottest = max(runs, key=lambda a: a.fluid.sweat_rate_l_h.expected)
    print()
    plural = "s" if len(runs) != 1 else ""
    print(f"{len(runs)} run{plural}: {sweat:.1f} l of sweat and {sodium / 1000:.1f} g of sodium "
          f"lost in all (estimates).")
    print(f"Sweat rate: median {statistics.median(rates):.2f} l/h, highest "
          f"{hottest.fluid.sweat_rate_l_h.expected:.2f} l/h ({hottest.id or 'unnamed run'}).")
    measured = [a for a in runs if a.fluid.method == "measured"]
    if measured:
        print(f"{len(measured)} run(s) with a weigh-in: their sweat loss is measured, not "
              f"predicted.")
    if flagged:
        print("Warning signs: " + "; ".join(
            f"{a.id or '?'}: {', '.join(f.name for f in a.red_flags)}" for a in flagged))
    else:
        print("No warning signs this season.")


def main(argv: List[str]) -> int:
    kb = postrun.KnowledgeBase.default()
    lines, good, bad = table(assess_all(kb, argv))
    show(lines)
    summary(good)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
