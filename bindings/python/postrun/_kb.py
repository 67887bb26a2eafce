"""The knowledge base: :class:`KnowledgeBase`, compiled once, shared by threads."""
from __future__ import annotations

import enum
import io
import itertools
import os
import signal
import threading
from typing import (Any, Iterable, Iterator, List, Mapping, NamedTuple, Optional, Sequence,
                    Tuple, Union)

from . import postrun_core as _core
from ._assessment import Assessment
from ._errors import Error, Problem
from ._run import Run

PathLike = Union[str, "os.PathLike[str]"]
#: What :meth:`KnowledgeBase.assess` takes: a dict shaped like the contract's run report, a
#: :class:`Run`, YAML text, or the path of a YAML file.
Report = Union[Mapping[str, Any], Run, str, bytes, "os.PathLike[str]"]


class Kind(enum.IntEnum):
    """Kinds of knowledge-base entry."""

    SOURCE = _core.KIND_SOURCE
    PARAMETER = _core.KIND_PARAMETER
    SYMPTOM = _core.KIND_SYMPTOM
    OBSERVATION = _core.KIND_OBSERVATION
    BODY_AREA = _core.KIND_BODY_AREA
    CAUSE = _core.KIND_CAUSE
    RULE = _core.KIND_RULE
    RECOMMENDATION = _core.KIND_RECOMMENDATION
    RED_FLAG = _core.KIND_RED_FLAG
    MISCONCEPTION = _core.KIND_MISCONCEPTION
    NOTE = _core.KIND_NOTE


class Source(NamedTuple):
    """A reference an entry cites."""

    key: str  #: e.g. "seed-000"
    title: str  #: the full citation


class Entry(NamedTuple):
    """One knowledge-base entry, and where it was defined (or last changed by an overlay)."""

    kind: Kind
    id: str
    name: str
    description: str
    file: str
    line: int
    column: int
    sources: Tuple[Source, ...]


class Parameter(NamedTuple):
    """A model parameter: its value and the range it is known to lie in."""

    value: float
    low: float
    high: float


def _kind(kind: Union[Kind, str, int]) -> int:
    if isinstance(kind, str):
        try:
            return Kind[kind.upper()]
        except KeyError:
            raise ValueError(f"unknown kind {kind!r}: one of "
                             f"{', '.join(k.name.lower() for k in Kind)}") from None
    return int(Kind(kind))


def _looks_like_yaml(text: str) -> bool:
    """A str is YAML text rather than a path when it spans lines or is a flow mapping."""
    return "\n" in text or text.lstrip().startswith("{")


_CHUNK = 64  # reports assessed per release of the GIL in assess_many

_default: Optional["KnowledgeBase"] = None
_default_lock = threading.Lock()


def _block_sigint() -> Any:
    """Blocks SIGINT for this thread (and the threads it starts); returns what to restore."""
    if threading.current_thread() is not threading.main_thread() or \
            not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


def _restore_sigint(old: Any) -> None:
    if old is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


class KnowledgeBase:
    """A compiled, immutable knowledge base (the bundled one, or YAML files and overlays).

    Load it once and share it: assessing is thread-safe and releases the GIL, so threads
    assess in parallel (:meth:`assess_many`). Every assessment and run keeps its knowledge
    base alive.
    """

    __slots__ = ("_h", "__weakref__")

    def __reduce__(self) -> Any:
        # A compiled knowledge base lives in C memory: it does not travel between processes.
        raise TypeError("a postrun.KnowledgeBase cannot be pickled: load it in the other "
                        "process (KnowledgeBase.default() or KnowledgeBase.load(path))")

    def __init__(self) -> None:
        raise TypeError("use KnowledgeBase.default(), KnowledgeBase.load() or "
                        "KnowledgeBase.build()")

    @classmethod
    def _wrap(cls, handle: Any) -> "KnowledgeBase":
        kb = object.__new__(cls)
        kb._h = handle
        return kb

    # ---- loading ----

    @classmethod
    def default(cls) -> "KnowledgeBase":
        """The bundled knowledge base (embedded in the library), loaded once and shared."""
        global _default
        with _default_lock:
            if _default is None:
                _default = cls._wrap(_core.kb_load(None, None))
            return _default

    @classmethod
    def load(cls, path: Optional[PathLike] = None,
             overlays: Iterable[PathLike] = ()) -> "KnowledgeBase":
        """Loads ``path`` (a directory, whose ``*.yaml`` files are read in name order, or one
        file; None: the bundled knowledge base), then applies ``overlays`` in order.

        Raises :class:`KnowledgeBaseError` listing every problem with file, line and column,
        or :class:`FileError`.
        """
        p = None if path is None else os.fspath(path)
        return cls._wrap(_core.kb_load(p, [os.fspath(o) for o in overlays]))

    @classmethod
    def build(cls, *, default: bool = True, paths: Iterable[PathLike] = (),
              overlays: Iterable[PathLike] = (),
              texts: Iterable[Union[str, Tuple[str, str]]] = (),
              overlay_texts: Iterable[Union[str, Tuple[str, str]]] = ()) -> "KnowledgeBase":
        """Compiles a knowledge base from parts: the bundled files (``default``), base
        ``paths``, YAML ``texts``, then ``overlays`` and ``overlay_texts`` in order. A text is
        YAML, or a ``(name, yaml)`` pair; the name appears in error messages.
        """
        b = _core.builder_new()
        if default:
            _core.kb_builder_add_default(b)
        for p in paths:
            _core.kb_builder_add_path(b, os.fspath(p))
        for i, t in enumerate(texts):
            name, text = t if isinstance(t, tuple) else (f"<text {i + 1}>", t)
            _core.kb_builder_add_string(b, name, text)
        for p in overlays:
            _core.kb_builder_add_overlay(b, os.fspath(p))
        for i, t in enumerate(overlay_texts):
            name, text = t if isinstance(t, tuple) else (f"<overlay {i + 1}>", t)
            _core.kb_builder_add_overlay_string(b, name, text)
        return cls._wrap(_core.builder_build(b))

    @property
    def warnings(self) -> List[Problem]:
        """Warnings reported while building (unused entries...)."""
        h = self._h
        return [Problem._from_core(_core.kb_warning(h, i))
                for i in range(_core.kb_warning_count(h))]

    # ---- contents ----

    def count(self, kind: Union[Kind, str]) -> int:
        """Number of entries of a kind."""
        return _core.kb_count(self._h, _kind(kind))

    def ids(self, kind: Union[Kind, str]) -> List[str]:
        """Ids of the entries of a kind (``"cause"``, ``Kind.SYMPTOM``...)."""
        h, k = self._h, _kind(kind)
        return [_core.kb_id(h, k, i) for i in range(_core.kb_count(h, k))]

    symptoms = property(lambda self: self.ids(Kind.SYMPTOM), doc="Symptom ids.")
    observations = property(lambda self: self.ids(Kind.OBSERVATION), doc="Observation ids.")
    body_areas = property(lambda self: self.ids(Kind.BODY_AREA), doc="Body-area ids.")
    causes = property(lambda self: self.ids(Kind.CAUSE), doc="Cause ids.")
    recommendations = property(lambda self: self.ids(Kind.RECOMMENDATION),
                               doc="Recommendation ids.")
    red_flags = property(lambda self: self.ids(Kind.RED_FLAG), doc="Red-flag ids.")
    misconceptions = property(lambda self: self.ids(Kind.MISCONCEPTION),
                              doc="Misconception ids.")
    parameters = property(lambda self: self.ids(Kind.PARAMETER), doc="Parameter ids.")

    def entry(self, id: str) -> Entry:
        """An entry by id, with its sources. Raises :class:`NotFoundError`."""
        h = self._h
        kind, eid, name, desc, file, line, column, n = _core.kb_entry(h, id)
        sources = tuple(Source(*_core.kb_entry_source(h, id, i)) for i in range(n))
        return Entry(Kind(kind), eid, name, desc, file, line, column, sources)

    def __contains__(self, id: object) -> bool:
        if not isinstance(id, str):
            return False
        try:
            _core.kb_entry(self._h, id)
            return True
        except Error:
            return False

    def parameter(self, id: str) -> Parameter:
        """A model parameter's value and range. Raises :class:`NotFoundError`."""
        return Parameter(*_core.kb_parameter(self._h, id))

    # ---- run reports ----

    def run(self, data: Optional[Mapping[str, Any]] = None) -> Run:
        """A run report checked against this knowledge base (empty, or from a dict)."""
        return Run(data, self)

    def run_from_activity(self, path: PathLike, report: Optional[Mapping[str, Any]] = None,
                          sport: str = "running") -> Run:
        """The run an activity file (FIT, TCX or GPX; told by its content) holds, filled into
        ``report`` (a dict, whose own values win) or an empty report. ``sport="any"``
        accepts files of other sports; by default only runs are read. Raises
        :class:`ParseError` naming the file and the byte offset or line of a broken file."""
        if sport not in ("running", "any"):
            raise ValueError("sport must be 'running' or 'any'")
        run = Run(report, self) if report is not None else Run(None, self)
        _core.run_load_activity(run._h, self._h, os.fspath(path), sport == "any")
        return run

    def parse(self, text: Union[str, bytes], name: str = "<string>") -> Run:
        """Parses one YAML run report."""
        return Run.parse(text, self, name)

    def load_run(self, path: PathLike) -> Run:
        """Reads one YAML run report from a file."""
        return Run.load(path, self)

    def runs(self, source: Union[PathLike, str, bytes, io.IOBase]) -> Iterator[Run]:
        """The run reports of a YAML stream (documents separated by ``---``): a path, ``"-"``
        for standard input, YAML text, or a file object. Read one document at a time."""
        s = self._open_stream(source)
        while True:
            h = _core.stream_next(s)
            if h is None:
                return
            yield Run._wrap(h, self)

    def _open_stream(self, source: Any) -> Any:
        if isinstance(source, io.IOBase) or hasattr(source, "read"):
            text = source.read()
            return _core.stream_open_string(self._h, text, getattr(source, "name", "<stream>"))
        if isinstance(source, bytes) or (isinstance(source, str) and _looks_like_yaml(source)):
            return _core.stream_open_string(self._h, source, "<string>")
        return _core.stream_open_file(self._h, os.fspath(source))

    # ---- assessing ----

    def history(self, items: Iterable[Union[Report, PathLike]]) -> "History":
        """A history of one athlete's runs (docs/history.md): run reports as dicts,
        :class:`Run` objects or YAML text, and paths of YAML streams, activity files (FIT,
        TCX, GPX) or directories of them, in any order. Every run needs
        ``run.started_at``. Build it once and pass it to :meth:`assess` for many runs."""
        hist = History._new(_core.history_new(self._h), self)
        for item in items:
            if isinstance(item, Run):
                _core.history_add_run(hist._h, item._h)
            elif isinstance(item, Mapping):
                _core.history_add_run(hist._h, Run(dict(item), self)._h)
            elif isinstance(item, bytes) or (isinstance(item, str) and _looks_like_yaml(item)):
                _core.history_add_run(hist._h, Run.parse(item, self)._h)
            elif isinstance(item, (str, os.PathLike)):
                _core.history_add_path(hist._h, os.fspath(item))
            else:
                raise TypeError("a history holds run reports (dict, Run, YAML text) and "
                                f"paths, not {type(item).__name__}")
        _core.history_build(hist._h)
        return hist

    def assess(self, report: Optional[Report] = None, activity: Optional[PathLike] = None,
               sport: str = "running", *, all: bool = False,
               history: Optional[Union["History", Iterable[Union[Report, PathLike]]]] = None
               ) -> Assessment:
        """Assesses one run report: a dict shaped like the contract's run report (the fast
        path, through the field-path setters), a :class:`Run`, YAML text, or a path.

        With ``activity`` (a FIT, TCX or GPX file) the report (a dict, or None) is completed
        with what the file holds; its own values win, and the assumptions say which came
        from the file (see :meth:`run_from_activity`).

        The assessment lists the few causes and recommendations that matter most (at most
        six of each); ``all=True`` lists every one. Red flags, withdrawals, warnings and
        assumptions are never cut.

        With ``history`` (a :class:`History`, or what :meth:`history` takes) the run is
        assessed in the light of the runs before it; it then needs ``run.started_at``.

        Raises :class:`ValidationError` / :class:`ParseError` listing every problem of the
        report, with field (and line and column for YAML).
        """
        if history is not None:
            hist = history if isinstance(history, History) else self.history(history)
            if activity is not None:
                if report is not None and not isinstance(report, Mapping):
                    raise TypeError("with an activity file, give the report as a dict (or None)")
                run = self.run_from_activity(activity, report, sport)
            elif report is None:
                raise TypeError("assess() needs a run report or an activity file")
            else:
                run = self._as_run(report)
            a = _core.assessment_new(self._h)
            _core.assess_history(a, run._h, hist._h)
            if all:
                _core.assessment_set_limit(a, 0)
            return Assessment._new(a, self)
        if activity is not None:
            if report is not None and not isinstance(report, Mapping):
                raise TypeError("with an activity file, give the report as a dict (or None)")
            a = self._assess(self.run_from_activity(activity, report, sport))
        elif report is None:
            raise TypeError("assess() needs a run report or an activity file")
        else:
            a = self._assess(report)
        if all:
            _core.assessment_set_limit(a._h, 0)
        return a

    def _as_run(self, report: Report) -> Run:
        if isinstance(report, Run):
            return report
        if isinstance(report, Mapping):
            return Run(dict(report), self)
        if isinstance(report, bytes) or (isinstance(report, str) and _looks_like_yaml(report)):
            return Run.parse(report, self)
        if isinstance(report, (str, os.PathLike)):
            return Run.load(report, self)
        raise TypeError(f"a run report is a dict, a Run, YAML text or a path, not "
                        f"{type(report).__name__}")

    def _assess(self, report: Report) -> Assessment:
        h = self._h
        if isinstance(report, dict):
            return _core.py_assess(h, self, report)
        if isinstance(report, Run):
            a = _core.assessment_new(h)
            _core.assess(a, report._h)
            return Assessment._new(a, self)
        if isinstance(report, bytes) or (isinstance(report, str) and _looks_like_yaml(report)):
            return self.assess(Run.parse(report, self))
        if isinstance(report, (str, os.PathLike)):
            return self.assess(Run.load(report, self))
        if isinstance(report, Mapping):
            return _core.py_assess(h, self, dict(report))
        raise TypeError(f"expected a run report (dict, Run, YAML text or path), got "
                        f"{type(report).__name__}")

    def assess_many(self, reports: Iterable[Report], threads: int = 1,
                    errors: str = "raise") -> List[Union[Assessment, Error]]:
        """Assesses a batch, in order, with ``threads`` threads.

        Reports go to the library in chunks: each thread turns a chunk into setter calls
        with the GIL, then builds and assesses the whole chunk without it, so threads run in
        parallel. With ``errors="raise"`` the first bad report (in input order) raises once
        all are done; with ``errors="return"`` its :class:`Error` takes its place in the list.
        """
        if errors not in ("raise", "return"):
            raise ValueError("errors must be 'raise' or 'return'")
        items = list(reports)
        results: List[Any] = [None] * len(items)
        h, n_items, threads = self._h, len(items), max(1, int(threads))
        # Chunks of _CHUNK reports; smaller for a small batch, so that every thread gets
        # several and they overlap (one thread's GIL-held part, another's GIL-free part).
        size = _CHUNK if threads == 1 else max(8, min(_CHUNK, -(-n_items // (threads * 4))))
        starts = itertools.count(0, size)  # next() on it is atomic: no lock needed
        stop = threading.Event()
        raised: List[BaseException] = []

        def work() -> None:
            chunk = _core.py_assess_chunk
            for start in starts:
                if start >= n_items or stop.is_set():
                    return
                chunk(h, self, items, start, start + size, results)

        def worker() -> None:
            # What a chunk raises beyond a bad report's Error (KeyboardInterrupt or SystemExit
            # from a report's own code, MemoryError...) stops every worker and is raised, as
            # it is, by assess_many: never a thread that dies and leaves None results.
            try:
                work()
            except BaseException as e:  # noqa: B036 - handed to the calling thread
                raised.append(e)
                stop.set()

        n = max(1, min(threads, -(-n_items // size)))
        if n == 1:
            work()
        else:
            pool = [threading.Thread(target=worker, daemon=True) for _ in range(n)]
            # Ctrl-C held back while the workers start: an interrupt inside Thread.start() would
            # leave a started thread that join() refuses ("not started") and that outlives the
            # call. It is delivered once they have started, while they are joined below.
            masked = _block_sigint()
            try:
                for t in pool:
                    t.start()
            finally:
                _restore_sigint(masked)
            try:
                for t in pool:
                    t.join()
            except BaseException:
                # A signal (Ctrl-C) in this thread: the workers stop after their chunk, and
                # are joined before the interrupt goes on, so none outlives the call.
                stop.set()
                for t in pool:
                    try:
                        t.join()
                    except RuntimeError:  # never started
                        pass
                raise
            if raised:
                raise raised[0]
        for r in results:
            if isinstance(r, Exception) and (errors == "raise" or not isinstance(r, Error)):
                raise r
        return results

    def _batch_item(self, report: Report) -> Any:
        """What py_assess_chunk assesses for a report that is not a dict: a dict, or a run
        handle. Raises for a report it cannot read (that exception is the report's result)."""
        if isinstance(report, dict):
            return report
        if isinstance(report, Run):
            return report._h
        if isinstance(report, Mapping):
            return dict(report)
        if isinstance(report, bytes) or (isinstance(report, str) and _looks_like_yaml(report)):
            return Run.parse(report, self)._h
        if isinstance(report, (str, os.PathLike)):
            return Run.load(report, self)._h
        raise TypeError(f"expected a run report (dict, Run, YAML text or path), got "
                        f"{type(report).__name__}")

    def assess_stream(self, source: Union[PathLike, str, bytes, io.IOBase],
                      errors: str = "raise") -> Iterator[Union[Assessment, Error]]:
        """Assesses every document of a YAML stream (see :meth:`runs`), one at a time. A bad
        document raises (``errors="raise"``), is yielded as its :class:`Error`
        (``"return"``; ``.document`` is its index), or is skipped (``"skip"``)."""
        if errors not in ("raise", "return", "skip"):
            raise ValueError("errors must be 'raise', 'return' or 'skip'")
        s = self._open_stream(source)
        while True:
            try:
                h = _core.stream_next(s)
                if h is None:
                    return
                a = _core.assessment_new(self._h)
                _core.assess(a, h)
                yield Assessment._new(a, self)
            except Error as e:
                e.document = _core.stream_document(s)
                if errors == "raise":
                    raise
                if errors == "return":
                    yield e

    def __repr__(self) -> str:
        return (f"<postrun.KnowledgeBase: {self.count(Kind.CAUSE)} causes, "
                f"{self.count(Kind.SYMPTOM)} symptoms, {self.count(Kind.RECOMMENDATION)} "
                f"recommendations>")


class History:
    """One athlete's runs before the one assessed, in time order (docs/history.md). Made by
    :meth:`KnowledgeBase.history`; immutable once made, and shareable between threads."""

    __slots__ = ("_h", "_kb")

    def __init__(self) -> None:
        raise TypeError("use KnowledgeBase.history(items)")

    @classmethod
    def _new(cls, handle: Any, kb: KnowledgeBase) -> "History":
        h = object.__new__(cls)
        h._h = handle
        h._kb = kb
        return h

    def __len__(self) -> int:
        return int(_core.history_size(self._h))

    def render(self, format: str = "text") -> str:
        """The athlete's trends as of the last run, as "text", "yaml" or "json"."""
        formats = {"text": _core.FORMAT_TEXT, "yaml": _core.FORMAT_YAML,
                   "json": _core.FORMAT_JSON}
        if format not in formats:
            raise ValueError("format must be 'text', 'yaml' or 'json'")
        return _core.history_render(self._h, formats[format])

    def trends(self) -> Any:
        """The trends as a dict (weekly distance, load, sweat, glycogen, patterns)."""
        import json
        return json.loads(self.render("json"))
