#!/usr/bin/python3
"""(Re)writes the seed part of the fuzz corpora from the examples and the test fixtures.

    tests/fuzz/seed_corpus.py           rewrite the seeds
    tests/fuzz/seed_corpus.py --check   exit 1 when a seed is missing or stale (a test)

Seeds are named seed-*; files named otherwise (regress-*: inputs a fuzzer failed on; hashes:
inputs kept from long runs) are left alone. Run it after adding an example or a fixture.
"""
import glob
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def read(path):
    with open(path, "rb") as f:
        return f.read()


WANTED = {}


def write(target, name, data):
    WANTED[os.path.join(HERE, "corpus", target, "seed-" + name)] = data


def base(path):
    return os.path.splitext(os.path.basename(path))[0]


def main():

    runs = sorted(glob.glob(os.path.join(ROOT, "examples", "runs", "*.yaml")))
    bad_runs = sorted(glob.glob(os.path.join(ROOT, "tests", "data", "runs", "*.yaml")))
    hostile = sorted(glob.glob(os.path.join(ROOT, "tests", "data", "hostile", "*.yaml")))
    for p in runs + bad_runs:
        for target in ("run", "pipeline"):
            write(target, "run-" + base(p), read(p))
    for p in hostile:
        if os.path.getsize(p) <= 65536:
            for target in ("run", "pipeline"):
                write(target, "hostile-" + base(p), read(p))
    # The field-path API, replayed line by line by fuzz_run.
    write("run", "paths", b"#paths\n" + b"\n".join([
        b"postrun=1", b"athlete.body_mass_kg=68", b"run.duration_min=95",
        b"run.intensity=hard", b"symptoms+=cramps", b"symptoms[0].severity=7",
        b"symptoms[0].where+=calves", b"observations.urine_colour=6",
        b"observations.numbness!", b"intake.fasted!", b"id=morning run",
        b"run.distance_km?", b"symptoms[0].where", b"observations", b"weigh_in.pre_kg=70",
        b"symptoms[9].id=x", b"athlete?", b"run.rpe=7.5", b"run.rpe=1e400",
    ]) + b"\n")

    kb_files = sorted(glob.glob(os.path.join(ROOT, "data", "*.yaml")))
    bad_kb = sorted(glob.glob(os.path.join(ROOT, "tests", "data", "kb", "*.yaml")))
    overlays = sorted(glob.glob(os.path.join(ROOT, "examples", "kb-overlay", "*.yaml")))
    write("kb", "bundled", b"%%bundled\n")
    for p in kb_files:
        write("kb", "base-" + base(p), read(p))
    for p in bad_kb + overlays:
        text = read(p)
        header = b"%%overlay\n" if b"postrun_overlay" in text else b"%%base\n"
        write("kb", "fixture-" + base(p), b"%%bundled\n" + header + text)
        write("kb", "alone-" + base(p), text)
    # Two overlays, the second undoing what the first needs.
    write("kb", "two-overlays", b"%%bundled\n%%overlay\n" + read(overlays[0]) +
          b"%%overlay\npostrun_overlay: 1\ndisable: [dehydration]\n")

    existing = set()
    for target in ("run", "kb", "pipeline"):
        existing.update(glob.glob(os.path.join(HERE, "corpus", target, "seed-*")))
    if "--check" in sys.argv[1:]:
        stale = sorted(p for p, data in WANTED.items()
                       if p not in existing or read(p) != data)
        extra = sorted(existing - set(WANTED))
        for p in stale + extra:
            print("stale or missing seed:", os.path.relpath(p, ROOT))
        if stale or extra:
            print("run tests/fuzz/seed_corpus.py")
            return 1
        print(len(WANTED), "seeds up to date")
        return 0
    for p in existing - set(WANTED):
        os.remove(p)
    for p, data in WANTED.items():
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
