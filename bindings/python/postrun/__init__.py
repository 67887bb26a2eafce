"""libpostrun for Python: why a runner's body feels the way it does after a run, and what to do.

>>> import postrun
>>> kb = postrun.KnowledgeBase.default()
>>> a = kb.assess({"postrun": 1, "athlete": {"body_mass_kg": 68},
...                "run": {"duration_min": 95, "distance_km": 16},
...                "symptoms": [{"id": "muscles_feel_smaller"}]})
>>> a.causes[0].id, a.fluid.sweat_loss_l.expected  # doctest: +SKIP
('dehydration', 1.13)

A thin layer over the SWIG-generated module ``postrun.postrun_core`` (the C API with its
prefix stripped). Errors are :class:`Error` subclasses carrying ``code``, ``message``,
``file``, ``line``, ``column``, ``field`` and every ``problems``. See docs/bindings.md.
"""
from __future__ import annotations

from typing import Dict, List

from . import postrun_core as _core
from ._assessment import (Assessment, Cause, Contribution, Misconception, Range,
                          Recommendation, RedFlag, Section, Withdrawn)
from ._errors import (ArgumentError, Error, FileError, KnowledgeBaseError, MemoryError,
                      NotFoundError, ParseError, Problem, ValidationError)
from ._kb import Entry, History, Kind, KnowledgeBase, Parameter, Report, Source
from ._run import Run

__version__: str = _core.version()
#: The C library's version as a number (major*1000000 + minor*1000 + patch).
version_number: int = _core.version_number()

# Status codes, as in postrun.h without the prefix (Error.code is one of them).
OK = _core.OK
ERR_NOMEM = _core.ERR_NOMEM
ERR_ARGUMENT = _core.ERR_ARGUMENT
ERR_IO = _core.ERR_IO
ERR_SYNTAX = _core.ERR_SYNTAX
ERR_LIMIT = _core.ERR_LIMIT
ERR_TYPE = _core.ERR_TYPE
ERR_RANGE = _core.ERR_RANGE
ERR_VALUE = _core.ERR_VALUE
ERR_MISSING = _core.ERR_MISSING
ERR_UNKNOWN_KEY = _core.ERR_UNKNOWN_KEY
ERR_DUPLICATE = _core.ERR_DUPLICATE
ERR_UNKNOWN_ID = _core.ERR_UNKNOWN_ID
ERR_KB = _core.ERR_KB
ERR_NOT_FOUND = _core.ERR_NOT_FOUND


def assess(report: Report) -> Assessment:
    """Assesses a run report with the bundled knowledge base (see
    :meth:`KnowledgeBase.assess`)."""
    return KnowledgeBase.default().assess(report)


def metrics() -> Dict[str, str]:
    """Every metric rules and formulas can use, with its unit: {"fluid.sweat_loss_l": "l"}."""
    return {_core.metric_name(i): _core.metric_unit(i) for i in range(_core.metric_count())}


def strerror(code: int) -> str:
    """A short description of a status code."""
    return _core.strerror(code)


def live_objects(kind: str = "all") -> int:
    """Number of live library objects (``"kb"``, ``"run"``, ``"assessment"``, ``"stream"``,
    ``"builder"``, ``"history"`` or ``"all"``): what the garbage collector has not freed yet. For tests."""
    kinds = {"kb": _core.LIVE_KB, "builder": _core.LIVE_BUILDER, "run": _core.LIVE_RUN,
             "assessment": _core.LIVE_ASSESSMENT, "stream": _core.LIVE_STREAM,
             "history": _core.LIVE_HISTORY, "all": _core.LIVE_ALL}
    return _core.live_objects(kinds[kind])


# MemoryError is left out: `from postrun import *` must not shadow the builtin.
__all__: List[str] = [
    "ArgumentError", "Assessment", "Cause", "Contribution", "Entry", "Error", "FileError",
    "History", "Kind", "KnowledgeBase", "KnowledgeBaseError", "Misconception", "NotFoundError",
    "Parameter", "ParseError", "Problem", "Range", "Recommendation", "RedFlag", "Run",
    "Section", "Source", "ValidationError", "Withdrawn", "assess", "live_objects", "metrics",
    "strerror", "version_number",
]
