"""Shared fixtures of the Python binding tests (run by `meson test python`)."""
import copy
import gc
import os
import pathlib
import tempfile

# hypothesis writes its database under the working directory unless told otherwise: never
# into the source tree.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY",
                      os.path.join(tempfile.gettempdir(), "postrun-hypothesis"))

import pytest  # noqa: E402

import postrun  # noqa: E402

ROOT = pathlib.Path(os.environ.get("POSTRUN_SOURCE_ROOT",
                                   pathlib.Path(__file__).resolve().parents[3]))
RUNS = ROOT / "examples" / "runs"
OVERLAY = ROOT / "examples" / "kb-overlay" / "coach.yaml"

# A complete, realistic report: the hot long run of examples/runs/01, as a dict.
REPORT = {
    "postrun": 1,
    "id": "dict-long-run",
    "athlete": {"body_mass_kg": 68.0, "height_cm": 172, "age_y": 34, "sex": "female",
                "training_status": "recreational", "vo2max_ml_kg_min": 48,
                "max_hr_bpm": 186},
    "run": {"duration_min": 125, "distance_km": 21.5, "elevation_gain_m": 140,
            "elevation_loss_m": 140, "intensity": "steady", "avg_hr_bpm": 152, "rpe": 6,
            "surface": "road", "warmup_min": 10, "cooldown_min": 5, "ended_h_ago": 1},
    "environment": {"temperature_c": 27, "relative_humidity_pct": 65, "wind_m_s": 1.5,
                    "sun": "partial"},
    "intake": {"fluid_ml": 500, "carbohydrate_g": 30, "sodium_mg": 200,
               "pre_run_carbohydrate_g": 20},
    "recent": {"sleep_h": 7, "acute_week_km": 48, "chronic_week_km": 45,
               "days_since_hard_session": 3},
    "symptoms": [
        {"id": "muscles_feel_smaller", "severity": 5, "onset_h": 0.5, "duration_h": 1,
         "where": ["calves", "quadriceps"]},
        {"id": "fatigue", "severity": 4},
    ],
    "observations": {"urine_colour": 6, "dizziness": False},
}

MINIMAL = {"postrun": 1, "athlete": {"body_mass_kg": 68}, "run": {"duration_min": 45}}


@pytest.fixture(scope="session")
def kb():
    return postrun.KnowledgeBase.default()


@pytest.fixture
def report():
    return copy.deepcopy(REPORT)


@pytest.fixture
def minimal():
    return copy.deepcopy(MINIMAL)


@pytest.fixture(scope="session")
def cli():
    path = os.environ.get("POSTRUN_CLI")
    if not path or not os.path.exists(path):
        pytest.skip("POSTRUN_CLI is not set (run through meson test)")
    return path


def cli_env():
    """The environment for running the C command line: without the sanitizer runtime that
    an ASan build preloads into Python (the CLI links its own)."""
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    return env


def collect():
    """Runs the collector until nothing more is freed."""
    for _ in range(3):
        gc.collect()
