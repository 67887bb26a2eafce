"""The result of assessing one run: :class:`Assessment` and the values it hands out."""
from __future__ import annotations

import json
from typing import (TYPE_CHECKING, Any, Dict, Iterator, List, Mapping, NamedTuple, Optional,
                    Tuple)

from . import postrun_core as _core
from ._errors import NotFoundError

if TYPE_CHECKING:
    from ._kb import KnowledgeBase


def _words(prefix: str) -> Dict[int, str]:
    """{URGENCY_EMERGENCY: "emergency", ...} from the generated constants (an enum's values,
    not a struct's ``*_VERSION``)."""
    return {getattr(_core, n): n[len(prefix):].lower() for n in dir(_core)
            if n.startswith(prefix) and not n.endswith("_VERSION")}


URGENCIES = _words("URGENCY_")
#: metric name -> index (the same for every assessment): one dict lookup instead of two
#: searches of the library's name list per a.metric() call.
_METRIC_INDEX = {_core.metric_name(i): i for i in range(_core.metric_count())}
WHENS = _words("WHEN_")
SOURCES = _words("CONTRIBUTION_")


class Range(NamedTuple):
    """A quantity with its honest uncertainty: ``low <= expected <= high``, where ``low`` and
    ``high`` are the 10th and 90th percentiles, a central interval of probability
    :attr:`interval` (0.8)."""

    low: float
    expected: float
    high: float

    #: The probability that ``low..high`` holds the quantity (not a tuple field).
    interval = 0.8

    def __str__(self) -> str:
        return f"{self.expected:.4g} ({self.low:.4g} to {self.high:.4g})"


class RedFlag(NamedTuple):
    """A sign that needs a professional rather than self-care."""

    id: str
    name: str
    urgency: str  #: "emergency", "see_doctor_soon" or "see_doctor_if_persists"
    advice: str
    because: Tuple[str, ...]


class Contribution(NamedTuple):
    """One term of a cause's score."""

    source: str  #: "prior", "symptom", "metric" or "rule"
    ref: str  #: symptom id, metric name or rule id ("prior" for the prior)
    value: Optional[float]  #: the metric's value or the symptom's severity, None otherwise
    weight: float  #: what it added to the log-odds
    text: str


class Cause(NamedTuple):
    """A likely cause, with the evidence for it."""

    id: str
    name: str
    score: float  #: 0..1
    explains: Tuple[str, ...]  #: symptom ids
    because: Tuple[Contribution, ...]  #: largest |weight| first


class Recommendation(NamedTuple):
    """What to do, with doses computed for this run."""

    id: str
    name: str
    priority: int  #: 1 = first
    when: str  #: "now", "within_2h", "today", "next_days" or "next_runs"
    text: str
    dose: Dict[str, float]  #: e.g. {"fluid_ml": 2100.0, "sodium_mg": 1200.0}
    addresses: Tuple[str, ...]  #: cause ids
    sources: Tuple[str, ...]  #: source keys


class Withdrawn(NamedTuple):
    """A recommendation a red flag removed."""

    id: str
    by: str  #: the red flag's id


class Misconception(NamedTuple):
    """A common belief this run's report makes relevant, and its correction."""

    id: str
    text: str


def _is_range(v: Any) -> bool:
    return isinstance(v, dict) and v.keys() == {"low", "expected", "high"}


class Section(Mapping[str, Any]):
    """One group of model outputs (``a.fluid``, ``a.glycogen``...), read as attributes or as
    a mapping. Quantities with uncertainty are :class:`Range` objects at full precision;
    words, flags and lists are as in :meth:`Assessment.to_dict`."""

    __slots__ = ("_name", "_data", "_a")

    def __init__(self, name: str, data: Dict[str, Any], assessment: "Assessment") -> None:
        self._name = name
        self._data = data
        self._a = assessment

    def __getitem__(self, key: str) -> Any:
        v = self._data[key]
        if isinstance(v, bool) or not (_is_range(v) or isinstance(v, (int, float))):
            return v
        name = f"{self._name}.{key}"
        if name in _METRIC_INDEX:
            r = self._a.metric(name)
            if r is not None:
                return r if _is_range(v) else r.expected
        return Range(v["low"], v["expected"], v["high"]) if _is_range(v) else v

    def __getattr__(self, key: str) -> Any:
        if key.startswith("_"):
            raise AttributeError(key)
        try:
            return self[key]
        except KeyError:
            raise AttributeError(f"the {self._name} section has no {key!r}: it has "
                                 f"{', '.join(self._data)}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __dir__(self) -> List[str]:
        return list(self._data)

    def __repr__(self) -> str:
        return f"<postrun.Section {self._name}: {', '.join(self._data)}>"


class Assessment:
    """The result of assessing one run (contract, section 2).

    Lists (``red_flags``, ``causes``, ``recommendations``...) are read once, then cached.
    Model outputs are grouped in sections: ``a.fluid.sweat_loss_l.expected``. An assessment
    keeps its knowledge base alive. It is immutable: threads may read it, but each call of
    :meth:`KnowledgeBase.assess` makes a new one.
    """

    __slots__ = ("_h", "_kb", "_cache", "__weakref__")

    def __reduce__(self) -> Any:
        raise TypeError("a postrun.Assessment cannot be pickled: pickle assessment.to_dict() "
                        "(or to_json()) instead")

    _h: Any
    _kb: "KnowledgeBase"
    _cache: Dict[str, Any]

    def __init__(self) -> None:
        raise TypeError("assessments are made by KnowledgeBase.assess()")

    @classmethod
    def _new(cls, handle: Any, kb: "KnowledgeBase") -> "Assessment":
        # The C glue makes these objects the same way (py_assess, py_assess_chunk).
        a = object.__new__(cls)
        a._h = handle
        a._kb = kb
        a._cache = {}
        return a

    # ---- identity ----

    @property
    def kb(self) -> "KnowledgeBase":
        """The knowledge base this assessment was made with."""
        return self._kb

    @property
    def id(self) -> str:
        """The run's id, or "" when the report had none."""
        return _core.assessment_id(self._h)

    # ---- red flags, causes, recommendations ----

    @property
    def red_flags(self) -> List[RedFlag]:
        """Red flags raised, most urgent first (empty when none)."""
        c = self._cache
        if "red_flags" not in c:
            h, flags = self._h, []
            for i in range(_core.assessment_red_flag_count(h)):
                fid, name, urgency, advice, n = _core.assessment_red_flag(h, i)
                because = tuple(_core.assessment_red_flag_because(h, i, j) for j in range(n))
                flags.append(RedFlag(fid, name, URGENCIES[urgency], advice, because))
            c["red_flags"] = flags
        return list(c["red_flags"])

    @property
    def max_urgency(self) -> Optional[str]:
        """The most urgent red flag's urgency, None when no red flag was raised."""
        u = _core.assessment_max_urgency(self._h)
        return None if u < 0 else URGENCIES[u]

    @property
    def emergency(self) -> bool:
        """True when a red flag of urgency "emergency" was raised."""
        return _core.assessment_max_urgency(self._h) == _core.URGENCY_EMERGENCY

    @property
    def causes(self) -> List[Cause]:
        """Likely causes, most likely first."""
        c = self._cache
        if "causes" not in c:
            c["causes"] = _core.py_causes(self._h)  # made in C: Cause/Contribution objects
        return list(c["causes"])

    @property
    def recommendations(self) -> List[Recommendation]:
        """What to do, in order of priority."""
        c = self._cache
        if "recommendations" not in c:
            c["recommendations"] = _core.py_recommendations(self._h)  # made in C
        return list(c["recommendations"])

    @property
    def withdrawn(self) -> List[Withdrawn]:
        """Recommendations a red flag removed, and which flag."""
        h = self._h
        return [Withdrawn(*_core.assessment_withdrawn(h, i))
                for i in range(_core.assessment_withdrawn_count(h))]

    @property
    def misconceptions(self) -> List[Misconception]:
        """Corrections of common beliefs relevant to this run."""
        h = self._h
        return [Misconception(*_core.assessment_misconception(h, i))
                for i in range(_core.assessment_misconception_count(h))]

    @property
    def assumptions(self) -> List[str]:
        """Every default or estimate the model had to use."""
        h = self._h
        return [_core.assessment_assumption(h, i)
                for i in range(_core.assessment_assumption_count(h))]

    @property
    def warnings(self) -> List[str]:
        """Input that is possible but unusual: what to check (the run was assessed)."""
        h = self._h
        return [_core.assessment_warning(h, i)
                for i in range(_core.assessment_warning_count(h))]

    @property
    def notes(self) -> List[str]:
        """General caveats."""
        h = self._h
        return [_core.assessment_note(h, i) for i in range(_core.assessment_note_count(h))]

    # ---- metrics ----

    def metric(self, name: str) -> Optional[Range]:
        """A metric by name (``"fluid.sweat_loss_l"``), at full precision; None when it has
        no value for this run (``load.acwr`` without training context). Raises
        :class:`NotFoundError` for an unknown name (see :func:`postrun.metrics`)."""
        i = _METRIC_INDEX.get(name) if isinstance(name, str) else _core.metric_index(name)
        if i is None or i < 0:
            raise NotFoundError(_core.ERR_NOT_FOUND,
                                [(_core.ERR_NOT_FOUND, 0, f"no metric named '{name}'", "", 0, 0,
                                  name)])
        try:
            return Range(*_core.assessment_metric_at(self._h, i))
        except NotFoundError:
            return None

    def label(self, name: str) -> Optional[str]:
        """The word of an enumerated metric (``"fluid.status"`` -> ``"mild_deficit"``)."""
        return _core.assessment_label(self._h, name)

    def metrics(self) -> Dict[str, Optional[Range]]:
        """Every metric: name -> Range (None when it has no value)."""
        out: Dict[str, Optional[Range]] = {}
        for i in range(_core.metric_count()):
            try:
                out[_core.metric_name(i)] = Range(*_core.assessment_metric_at(self._h, i))
            except NotFoundError:
                out[_core.metric_name(i)] = None
        return out

    def section(self, name: str) -> Section:
        """One group of outputs of :meth:`to_dict` (``"fluid"``, ``"glycogen"``...)."""
        d = self._doc().get(name)
        if not isinstance(d, dict):
            raise AttributeError(f"an assessment has no section {name!r}")
        return Section(name, d, self)

    energy = property(lambda self: self.section("energy"), doc="Energy: expenditure, intensity.")
    fluid = property(lambda self: self.section("fluid"), doc="Fluid and electrolyte balance.")
    heat = property(lambda self: self.section("heat"), doc="Heat balance.")
    glycogen = property(lambda self: self.section("glycogen"), doc="Glycogen use and refill.")
    muscle = property(lambda self: self.section("muscle"), doc="Muscle water and volume.")
    load = property(lambda self: self.section("load"), doc="Training load and DOMS.")

    def __getattr__(self, name: str) -> Section:
        # Sections the renderer may add later (the layout belongs to the library).
        if name.startswith("_"):
            raise AttributeError(name)
        return self.section(name)

    # ---- output ----

    def render(self, format: str = "text", *, explain: bool = False, color: bool = False,
               compact: bool = False) -> str:
        """The assessment as ``"text"``, ``"yaml"`` or ``"json"``, as the CLI writes it."""
        formats = {"text": _core.FORMAT_TEXT, "yaml": _core.FORMAT_YAML,
                   "json": _core.FORMAT_JSON}
        if format not in formats:
            raise ValueError(f"format must be one of {', '.join(formats)}, not {format!r}")
        flags = ((_core.RENDER_EXPLAIN if explain else 0) | (_core.RENDER_COLOR if color else 0)
                 | (_core.RENDER_COMPACT if compact else 0))
        return _core.assessment_render(self._h, formats[format], flags)

    def _doc(self) -> Dict[str, Any]:
        c = self._cache
        if "doc" not in c:
            c["doc"] = json.loads(self.render("json", compact=True))
        return c["doc"]

    def to_dict(self) -> Dict[str, Any]:
        """The whole assessment as plain data, exactly as ``postrun assess --format json``
        writes it (numbers rounded as in that output; attributes give full precision)."""
        return json.loads(self.render("json", compact=True))

    def to_json(self, compact: bool = False) -> str:
        """The assessment as JSON (one line with ``compact``)."""
        return self.render("json", compact=compact)

    def to_yaml(self) -> str:
        """The assessment as YAML."""
        return self.render("yaml")

    def to_text(self, explain: bool = False, color: bool = False) -> str:
        """The plain-language report; ``explain`` adds every contribution of every cause."""
        return self.render("text", explain=explain, color=color)

    def __str__(self) -> str:
        return self.render("text")

    def __repr__(self) -> str:
        causes = self.causes
        top = f", top cause {causes[0].id}" if causes else ""
        return (f"<postrun.Assessment {self.id or '(no id)'}: {len(self.red_flags)} red "
                f"flag(s){top}>")


_core.py_set_assessment_class(Assessment)
_core.py_set_result_classes(Cause, Contribution,
                            tuple(SOURCES.get(i) for i in range(max(SOURCES) + 1)),
                            Recommendation, tuple(WHENS.get(i) for i in range(max(WHENS) + 1)))
