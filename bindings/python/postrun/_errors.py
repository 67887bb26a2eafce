"""Exceptions: every problem the library reports is a :class:`postrun.Error`.

The generated module raises them directly: at import, this module registers a factory that the
C glue calls with the status code and every problem recorded (``py_set_error_factory``).
"""
from __future__ import annotations

import builtins
from typing import Any, Iterable, List, NamedTuple, Sequence, Tuple, Union

from . import postrun_core as _core


class Problem(NamedTuple):
    """One problem found by the library, with where it was found.

    ``file`` is ``""`` and ``line``/``column`` are 0 when the problem has no position (a
    value set from a dict, for example); ``field`` is the field path (``"run.duration_min"``)
    or ``""``.
    """

    code: int
    severity: str
    message: str
    file: str
    line: int
    column: int
    field: str

    @property
    def status(self) -> str:
        """The status as a word: ``"range"``, ``"syntax"``, ``"unknown_key"``..."""
        return _core.status_name(self.code)

    def __str__(self) -> str:
        if self.file and self.line:
            pos = f"{self.file}:{self.line}:{self.column}: "
        elif self.file:
            pos = f"{self.file}: "
        else:
            pos = ""
        warn = "warning: " if self.severity == "warning" else ""
        field = f"{self.field}: " if self.field else ""
        return f"{pos}{warn}{field}{self.message}"

    @classmethod
    def _from_core(cls, t: Sequence[Any]) -> "Problem":
        code, severity, message, file, line, column, field = t
        return cls(code, "warning" if severity == _core.SEVERITY_WARNING else "error",
                   message, file, line, column, field)


ProblemLike = Union[Problem, Tuple[int, int, str, str, int, int, str]]


class Error(Exception):
    """Base class of every libpostrun error.

    Attributes describe the first problem (``message``, ``file``, ``line``, ``column``,
    ``field``); ``problems`` lists every problem the call found, ``code`` is the C status code
    (``postrun.ERR_RANGE``...) and ``status`` its word (``"range"``).
    """

    code: int
    problems: List[Problem]

    def __init__(self, code: int, problems: Iterable[ProblemLike] = ()) -> None:
        plist = [p if isinstance(p, Problem) else Problem._from_core(p) for p in problems]
        if not plist:
            plist = [Problem(code, "error", _core.strerror(code), "", 0, 0, "")]
        super().__init__(code, plist)
        self.code = code
        self.problems = plist
        first = next((p for p in plist if p.severity == "error"), plist[0])
        self.message: str = first.message
        self.file: str = first.file
        self.line: int = first.line
        self.column: int = first.column
        self.field: str = first.field
        self.document: int = -1  # index in a stream of run reports, when it came from one

    @property
    def status(self) -> str:
        """The status as a word: ``"range"``, ``"syntax"``, ``"unknown_key"``..."""
        return _core.status_name(self.code)

    def __str__(self) -> str:
        first = next((p for p in self.problems if p.severity == "error"), self.problems[0])
        more = len(self.problems) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        return f"{first}{tail}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.status}: {self})"

    def __reduce__(self) -> Any:
        return (type(self), (self.code, self.problems))


class ParseError(Error, ValueError):
    """The YAML is not well-formed, or a size/nesting limit was exceeded (syntax, limit)."""


class ValidationError(Error, ValueError):
    """A run report's content is wrong: type, range, value, missing field, unknown key,
    duplicate, unknown id."""


class KnowledgeBaseError(Error):
    """The knowledge base (or an overlay) could not be loaded or compiled; ``problems`` lists
    every problem with file, line and column."""


class FileError(Error, OSError):
    """A file could not be opened, read or written."""


class MemoryError(Error, builtins.MemoryError):  # noqa: A001 - the library's out-of-memory
    """The library ran out of memory (nothing leaked; objects passed in stay usable)."""


class ArgumentError(Error, ValueError):
    """An argument the library cannot use (for example an object in use by another thread)."""


class NotFoundError(Error, KeyError):
    """An id, field or metric asked for does not exist or has no value."""


_CLASSES = {cls.__name__: cls for cls in (Error, ParseError, ValidationError,
                                           KnowledgeBaseError, FileError, MemoryError,
                                           ArgumentError, NotFoundError)}


def _make_error(code: int, problems: Sequence[Any], kb_context: int) -> Error:
    """Called by the C glue: the exception for a status and its problems."""
    cls = _CLASSES.get(_core.status_class(code, kb_context), Error)
    return cls(code, problems)


def error(code: int, message: str, field: str = "") -> Error:
    """An Error of the class the library uses for ``code``, with one problem."""
    return _make_error(code, [Problem(code, "error", message, "", 0, 0, field)], 0)


_core.py_set_error_factory(_make_error)
