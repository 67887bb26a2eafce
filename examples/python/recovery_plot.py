#!/usr/bin/env python3
"""Draws a runner's recovery over the next two to three days as a PNG.

    recovery_plot.py [RUN_REPORT.yaml] [-o recovery.png]

Three panels share one time axis (hours after the run ended):
  - leg glycogen refilling from what is left to full, with its 80 % range (the band: from
    the 10th percentile of what is left refilling at the slow end of the refill time, to the
    90th refilling at the fast end);
  - fluid balance returning towards zero when the runner drinks what the assessment
    recommends, with its 80 % range;
  - when muscle soreness (DOMS) usually peaks, and how likely it is.
"Now" marks the time the report was written (run.ended_h_ago).

Every number comes from the assessment and the knowledge base (postrun); the only
assumptions of this script are drawn as such: glycogen refills at a steady rate until
`glycogen.restore_h`, and the recommended drink is taken evenly over the 3 hours after the
run, of which the body keeps 1 / `rehydration_volume_factor` (the knowledge base's reason
for advising more than was lost: the rest is passed as urine).
"""
from __future__ import annotations

import argparse
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import postrun  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT_RUN = HERE.parent / "runs" / "01_warm_long_run_muscles_smaller.yaml"
DRINK_OVER_H = 3.0  # the advice says "over the next 2-4 hours": its middle

BLUE, ORANGE, GREY, RED = "#1f6fb4", "#d9711c", "#6b6b6b", "#b8322a"
URGENCY = {"emergency": "get help now", "see_doctor_soon": "see a doctor soon",
           "see_doctor_if_persists": "see a doctor if it persists"}


def PCT(a):
    """The probability of the assessment's ranges (low..high: 10th to 90th percentile), as the
    plot labels it: "80 %"."""
    return f"{100 * type(a.glycogen.restore_h).interval:.0f} %"


def glycogen_curve(t, start_pct, restore_h):
    """Percent of a full store at times t: steady refill from start_pct to 100 at restore_h."""
    restore_h = max(restore_h, 1e-6)
    return np.clip(start_pct + (100.0 - start_pct) * t / restore_h, start_pct, 100.0)


def fluid_curve(t, start_l, kept_l):
    """Balance at times t: the deficit shrinks while the recommended drink goes in."""
    return start_l + kept_l * np.clip(t / DRINK_OVER_H, 0.0, 1.0)


def kept_fraction(kb):
    """Share of a recovery drink the body keeps, from the knowledge base's dose parameter."""
    try:
        return 1.0 / kb.parameter("rehydration_volume_factor").value
    except postrun.NotFoundError:  # a knowledge base without it: assume all of it
        return 1.0


def rehydration(a):
    """The recommendation that doses fluid, if any: (recommendation, litres)."""
    for rec in a.recommendations:
        if "fluid_ml" in rec.dose and rec.when in ("now", "within_2h"):
            return rec, rec.dose["fluid_ml"] / 1000.0
    return None, 0.0


def plot(a, run, out):
    g, f, load = a.glycogen, a.fluid, a.load
    left, restore = g.muscle_remaining_pct, g.restore_h
    balance = f.net_balance_l
    doms_lo, doms_hi = load.doms_peak_h
    now_h = run.get("run.ended_h_ago", 0.0) or 0.0
    horizon = max(48.0, float(doms_hi) + 6.0)
    t = np.linspace(0.0, horizon, 600)

    fig, (ax_g, ax_f, ax_d) = plt.subplots(
        3, 1, figsize=(10, 9.2), sharex=True, gridspec_kw={"height_ratios": [3, 3, 1.1]})
    title = "Your recovery after this run"
    if a.id:
        title += f"  ({a.id})"
    fig.suptitle(title, fontsize=15, fontweight="bold", x=0.06, ha="left")
    minutes = run.get("run.duration_min")
    distance = run.get("run.distance_km")
    temp = run.get("environment.temperature_c")
    facts = [f"{minutes:.0f} min" if minutes else None,
             f"{distance:.1f} km" if distance else None,
             f"{temp:.0f} °C" if temp is not None else None,
             f"sweat {f.sweat_loss_l.expected:.1f} l ({f.method})"]
    fig.text(0.06, 0.935, " · ".join(x for x in facts if x) +
             f"   —   shaded bands: the {PCT(a)} range, the line: the best estimate",
             fontsize=9.5, color=GREY)

    # ---- glycogen ----
    expected = glycogen_curve(t, left.expected, restore.expected)
    best = glycogen_curve(t, left.high, restore.low)  # most left, fastest refill
    worst = glycogen_curve(t, left.low, restore.high)  # least left, slowest refill
    ax_g.fill_between(t, worst, best, color=BLUE, alpha=0.18, lw=0, label=f"{PCT(a)} range")
    ax_g.plot(t, expected, color=BLUE, lw=2.4, label="best estimate")
    ax_g.axhline(100, color=GREY, lw=0.8, ls=":")
    ax_g.set_ylim(0, 108)
    ax_g.set_ylabel("leg glycogen\n(% of a full store)")
    ax_g.set_title("Fuel: leg-muscle glycogen refills as you eat carbohydrate", loc="left",
                   fontsize=11.5)
    ax_g.annotate(f"{left.expected:.0f} % left at the end of the run\n"
                  f"({PCT(a)} range {left.low:.0f} to {left.high:.0f} %)",
                  xy=(0, left.expected), xytext=(2.0, max(8.0, left.expected - 30)),
                  fontsize=9.5, arrowprops={"arrowstyle": "->", "color": BLUE})
    if restore.expected <= horizon:
        ax_g.annotate(f"full again after ≈ {restore.expected:.0f} h\n"
                      f"({PCT(a)} range {restore.low:.0f}–{restore.high:.0f} h)",
                      xy=(restore.expected, 100), xytext=(restore.expected + 3, 60),
                      fontsize=9.5, arrowprops={"arrowstyle": "->", "color": BLUE})
    refuel = next((r for r in a.recommendations if "carbohydrate_g" in r.dose), None)
    if refuel is not None:
        ax_g.text(0.99, 0.05, f"with the advice: {refuel.name.lower()}, "
                  f"~{refuel.dose['carbohydrate_g']:.0f} g carbohydrate an hour",
                  transform=ax_g.transAxes, ha="right", fontsize=9, color=GREY)

    # ---- fluid ----
    rec, drink_l = rehydration(a)
    kept_l = drink_l * kept_fraction(a.kb)
    exp_f = fluid_curve(t, balance.expected, kept_l)
    lo_f = fluid_curve(t, balance.low, kept_l)
    hi_f = fluid_curve(t, balance.high, kept_l)
    ax_f.fill_between(t, lo_f, hi_f, color=ORANGE, alpha=0.2, lw=0)
    ax_f.plot(t, exp_f, color=ORANGE, lw=2.4)
    ax_f.axhline(0, color=GREY, lw=1, ls="--")
    ax_f.text(horizon, 0.05, "balanced ", ha="right", va="bottom", fontsize=9, color=GREY)
    ax_f.set_ylabel("body water\n(litres, − = deficit)")
    ax_f.set_title(f"Fluid: {f.status.replace('_', ' ')} after the run", loc="left",
                   fontsize=11.5)
    ax_f.annotate(f"{balance.expected:+.1f} l at the end of the run\n"
                  f"({PCT(a)} range {balance.low:+.1f} to {balance.high:+.1f} l)",
                  xy=(0, balance.expected), xytext=(6, balance.expected),
                  fontsize=9.5, va="center", arrowprops={"arrowstyle": "->", "color": ORANGE})
    if rec is not None:
        sodium = rec.dose.get("sodium_mg")
        salt = f" with ~{sodium / 1000:.1f} g of sodium" if sodium else ""
        ax_f.axvspan(0, DRINK_OVER_H, color=ORANGE, alpha=0.08, lw=0)
        ax_f.text(DRINK_OVER_H + 0.8, balance.expected + kept_l + 0.15,
                  f"drink ≈ {drink_l:.1f} l{salt} over the first 2–4 h\n"
                  f"(the body keeps ≈ {kept_l:.1f} l of it; the rest leaves as urine)",
                  fontsize=9.5, va="bottom", color=ORANGE)
    else:
        if a.red_flags and a.withdrawn:
            note, colour = "no drinking advice: see the warning above", RED
        elif f.status == "overhydrated":
            note, colour = "you took in more than you lost: do not drink to catch up", RED
        else:
            note, colour = "no catch-up drinking needed: drink to thirst", GREY
        ax_f.text(0.99, 0.95, note, transform=ax_f.transAxes, ha="right", va="top",
                  fontsize=9.5, color=colour)
    low_all, high_all = min(lo_f.min(), 0), max(hi_f.max(), 0)
    pad = 0.15 * (high_all - low_all or 1)
    ax_f.set_ylim(low_all - pad, high_all + pad * 2)

    # ---- soreness ----
    ax_d.axvspan(doms_lo, doms_hi, color=RED, alpha=0.22, lw=0)
    ax_d.text((doms_lo + doms_hi) / 2, 0.5,
              f"muscle soreness (DOMS) usually peaks here — {load.doms_risk} risk after this run",
              ha="center", va="center", fontsize=9.5, color=RED)
    ax_d.set_yticks([])
    ax_d.set_ylim(0, 1)
    ax_d.set_title("Soreness", loc="left", fontsize=11.5)

    for ax in (ax_g, ax_f, ax_d):
        ax.axvline(now_h, color="black", lw=1.2)
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
        ax.grid(axis="x", color="#dddddd", lw=0.6)
    ax_g.text(now_h, 104, f" now ({now_h:g} h after the run)" if now_h else " now", fontsize=9,
              va="center")
    ax_d.set_xlim(0, horizon)
    ax_d.set_xticks(np.arange(0, horizon + 1, 6))
    ax_d.set_xlabel("hours after the run ended")

    footer = ("This is general information, not a diagnosis. The refill line assumes a steady "
              "rate; weigh yourself and check urine colour to see where you are in the band.")
    fig.text(0.06, 0.012, footer, fontsize=8.5, color=GREY)
    top = 0.93
    if a.red_flags:
        # Warning signs come first, above everything else, in the library's own words.
        flag = a.red_flags[0]
        first_sentence = flag.advice.split(". ")[0].rstrip(".") + "."
        more = f"  (+{len(a.red_flags) - 1} more warning sign)" if len(a.red_flags) > 1 else ""
        fig.text(0.06, 0.895, f"WARNING — {URGENCY[flag.urgency]}: {flag.name}{more}\n"
                 f"{first_sentence}", fontsize=10.5, color="white", fontweight="bold",
                 va="top", wrap=True,
                 bbox={"boxstyle": "round,pad=0.5", "facecolor": RED, "edgecolor": RED})
        top = 0.865
    fig.tight_layout(rect=(0.02, 0.035, 0.99, top))
    fig.savefig(out, dpi=110)
    plt.close(fig)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", nargs="?", default=str(DEFAULT_RUN),
                        help="a YAML run report (default: %(default)s)")
    parser.add_argument("-o", "--output", default="recovery.png", help="PNG to write")
    args = parser.parse_args(argv)
    kb = postrun.KnowledgeBase.default()
    try:
        run = kb.load_run(args.report)
        a = kb.assess(run)
    except postrun.Error as e:
        for p in e.problems:
            print(p, file=sys.stderr)
        return 1
    plot(a, run, args.output)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
