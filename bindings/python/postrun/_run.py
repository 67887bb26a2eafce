"""One run report (contract, section 1): :class:`Run`."""
from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Any, List, Mapping, Optional, Tuple, Union

from . import postrun_core as _core
from ._errors import ValidationError, error

if TYPE_CHECKING:
    from ._kb import KnowledgeBase

Value = Union[float, int, str, bool, List[str]]
_LISTS = ("symptoms", "observations")


def _kb_handle(kb: Optional["KnowledgeBase"]) -> Any:
    return None if kb is None else kb._h


class Run:
    """A run report, built from a dict, parsed from YAML, or set field by field through paths
    such as ``"run.duration_min"``, ``"symptoms[0].where"`` or ``"observations.numbness"``.

    With a knowledge base, symptom, observation and body-area ids are checked as they are
    set. A run keeps its knowledge base alive. Do not change a run while another thread
    assesses it (the library refuses, with :class:`ArgumentError`).
    """

    __slots__ = ("_h", "_kb", "__weakref__")

    def __reduce__(self) -> Any:
        raise TypeError("a postrun.Run cannot be pickled: send the report's dict or YAML text "
                        "and build the Run from it on the other side")

    def __init__(self, data: Optional[Mapping[str, Any]] = None,
                 kb: Optional["KnowledgeBase"] = None) -> None:
        """An empty run, or one built from ``data`` (a dict shaped like the contract's run
        report). Raises :class:`ValidationError` listing every problem."""
        self._kb = kb
        if data is None:
            self._h = _core.run_new(_kb_handle(kb))
        else:
            self._h = _core.py_run_from_dict(_kb_handle(kb), data)

    @classmethod
    def _wrap(cls, handle: Any, kb: Optional["KnowledgeBase"]) -> "Run":
        run = object.__new__(cls)
        run._h = handle
        run._kb = kb
        return run

    @classmethod
    def parse(cls, text: Union[str, bytes], kb: Optional["KnowledgeBase"] = None,
              name: str = "<string>") -> "Run":
        """Parses one YAML document; ``name`` names it in error messages."""
        return cls._wrap(_core.run_parse(_kb_handle(kb), text, name), kb)

    @classmethod
    def load(cls, path: Union[str, "os.PathLike[str]"],
             kb: Optional["KnowledgeBase"] = None) -> "Run":
        """Reads the run report in a YAML file (one document)."""
        return cls._wrap(_core.run_load_file(_kb_handle(kb), os.fspath(path)), kb)

    @property
    def kb(self) -> Optional["KnowledgeBase"]:
        """The knowledge base ids are checked against (None: not checked until assessed)."""
        return self._kb

    @property
    def id(self) -> Optional[str]:
        """The report's id, None when it has none."""
        return self.get("id")

    # ---- fields ----

    def set(self, path: str, value: Value) -> None:
        """Sets a field: a number, a word or text, a yes/no (bool), or a list of ids."""
        h = self._h
        if isinstance(value, bool):
            _core.run_set_bool(h, path, value)
        elif isinstance(value, (int, float)):
            try:
                number = float(value)
            except OverflowError:  # an int past any double: out of every range, as in YAML
                number = math.inf if value > 0 else -math.inf
            _core.run_set_number(h, path, number)
        elif isinstance(value, str):
            _core.run_set_string(h, path, value)
        elif isinstance(value, (list, tuple)):
            for item in value:
                self.append(path, item)
        else:
            raise error(_core.ERR_TYPE, f"expected a number, text, yes/no (bool) or a list of "
                        f"ids, got {type(value).__name__}", path)

    def append(self, path: str, value: str) -> None:
        """Appends an id to a list: ``"symptoms"`` or ``"symptoms[i].where"``."""
        if not isinstance(value, str):
            raise error(_core.ERR_TYPE, f"expected an id, got {type(value).__name__}", path)
        _core.run_append(self._h, path, value)

    def unset(self, path: str) -> None:
        """Removes a field's value."""
        _core.run_unset(self._h, path)

    def has(self, path: str) -> bool:
        """True when the field has a value."""
        return bool(_core.run_has(self._h, path))

    def get(self, path: str, default: Any = None) -> Any:
        """A field's value (float, str, bool, or a list of ids), ``default`` when unset."""
        if path in _LISTS or path.endswith(".where"):
            return self.items(path)
        if not _core.run_has(self._h, path):
            return default
        for getter in (_core.run_get_number, _core.run_get_string, _core.run_get_bool):
            try:
                return getter(self._h, path)
            except ValidationError:
                continue
        return default

    def __getitem__(self, path: str) -> Any:
        value = self.get(path, _MISSING)
        if value is _MISSING:
            raise error(_core.ERR_NOT_FOUND, f"'{path}' has no value", path)
        return value

    def __setitem__(self, path: str, value: Value) -> None:
        self.set(path, value)

    def __delitem__(self, path: str) -> None:
        self.unset(path)

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and self.has(path)

    def count(self, path: str) -> int:
        """Number of items of a list (``"symptoms"``, ``"symptoms[0].where"``,
        ``"observations"``)."""
        return _core.run_count(self._h, path)

    def items(self, path: str) -> List[str]:
        """The ids of a list: symptoms, a symptom's body areas, or the observations given."""
        h = self._h
        return [_core.run_item(h, path, i) for i in range(_core.run_count(h, path))]

    # ---- checks ----

    def validate(self) -> None:
        """Checks what single fields cannot (required fields, complete weigh-in); raises
        :class:`ValidationError` listing every problem."""
        _core.run_validate(self._h)

    def apply_defaults(self) -> List[str]:
        """Fills every missing optional field that has a documented default; returns the
        assumptions made (assessing does this on its own copy: only needed to inspect)."""
        _core.run_apply_defaults(self._h)
        return self.assumptions

    @property
    def assumptions(self) -> List[str]:
        """Assumptions recorded by :meth:`apply_defaults`."""
        h = self._h
        return [_core.run_assumption(h, i) for i in range(_core.run_assumption_count(h))]

    @property
    def position(self) -> Tuple[int, int]:
        """(line, column) where the YAML document started; (0, 0) when built in code."""
        return tuple(_core.run_position(self._h))  # type: ignore[return-value]

    def clear(self) -> None:
        """Removes every field."""
        _core.run_clear(self._h)

    def __repr__(self) -> str:
        return f"<postrun.Run {self.id or '(no id)'}>"


_MISSING = object()
