"""A fuzz harness over the bindings' entry points: reports built from arbitrary nested values a
careless or hostile caller could pass (NUL bytes, lone surrogates, ints past any double, NaN,
bytes, complex numbers, Decimals, list and dict subclasses whose __len__ lies, objects whose
__float__ raises, non-text keys, tuples), placed at real field paths and at random keys, given
to KnowledgeBase.assess, assess_many and Run.

The only outcomes allowed are an Assessment, a postrun.Error, or the caller's own exception
raised unchanged. Run under the ASan + UBSan build (`.ci/run`, step 3), any memory error in
the glue (a read past a list, a foreign pointer, a use after free) aborts the interpreter.
"""
import decimal
import fractions
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import postrun

from conftest import REPORT

KB = postrun.KnowledgeBase.default()


class Oops(Exception):
    """What a user object raises: it must come out of assess unchanged."""


class BadFloat:
    def __float__(self):
        raise Oops("__float__")

    def __index__(self):
        raise Oops("__index__")


class LyingList(list):
    def __len__(self):
        return 1_000_000


class LyingDict(dict):
    def __len__(self):
        return 1_000_000


text = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF,
                                      blacklist_categories=()), max_size=16)
leaf = st.one_of(
    st.none(), st.booleans(), text, st.just("female\0x"), st.just("\udcff"),
    st.integers(), st.integers(min_value=2 ** 1023, max_value=2 ** 1100),
    st.just(10 ** 400), st.just(-(10 ** 400)),
    st.floats(allow_nan=True, allow_infinity=True), st.binary(max_size=8),
    st.complex_numbers(max_magnitude=10), st.decimals(allow_nan=False), st.just(decimal.Decimal("NaN")),
    st.fractions(), st.just(BadFloat()),
    st.just(fractions.Fraction(1, 3)))
key = st.one_of(text, st.sampled_from(["id", "where", "severity", "intensity\0x", "\udcff"]),
                st.integers(), st.none(), st.just(("t", 1)))


def _extend(inner):
    return st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.lists(inner, max_size=4).map(LyingList),
        st.dictionaries(key, inner, max_size=4),
        st.dictionaries(key, inner, max_size=4).map(LyingDict))


anything = st.recursive(leaf, _extend, max_leaves=16)

# Real field paths, so that hostile values reach the setters and not only the key checks.
PATHS = [(s, f) for s, fields in REPORT.items() if isinstance(fields, dict) for f in fields]
PATHS += [("symptoms", None), ("postrun", None), ("id", None)]


@st.composite
def hostile_report(draw):
    r = {k: (dict(v) if isinstance(v, dict) else list(v) if isinstance(v, list) else v)
         for k, v in REPORT.items()}
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        section, field = draw(st.sampled_from(PATHS))
        value = draw(anything)
        if field is None or not isinstance(r.get(section), dict):
            r[section] = value
        else:
            r[section][field] = value
    if draw(st.booleans()):
        r[draw(key)] = draw(anything)
    if draw(st.booleans()):
        r["symptoms"] = draw(st.lists(st.one_of(
            st.sampled_from(KB.symptoms),
            st.fixed_dictionaries({"id": st.sampled_from(KB.symptoms)},
                                  optional={"where": anything, "severity": leaf}),
            anything), max_size=3).map(lambda l: LyingList(l) if len(l) % 2 else l))
    return r


def outcome(call):
    try:
        return call()
    except (postrun.Error, Oops):
        return None


SETTINGS = settings(max_examples=100, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


@SETTINGS
@given(hostile_report())
def test_assess_gives_an_assessment_or_an_error_for_any_nested_value(report):
    a = outcome(lambda: KB.assess(report))
    if a is not None:
        for r in a.metrics().values():
            assert r is None or all(math.isfinite(x) for x in r)
        assert a.to_text()


@settings(SETTINGS, max_examples=60)
@given(hostile_report())
def test_run_from_any_nested_value_is_built_or_refused(report):
    outcome(lambda: postrun.Run(report, KB))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(hostile_report(), min_size=1, max_size=12),
       st.sampled_from([1, 3]))
def test_assess_many_gives_one_result_per_report(reports, threads):
    try:
        results = KB.assess_many(reports, threads=threads, errors="return")
    except Oops:
        return
    assert len(results) == len(reports)
    assert all(isinstance(r, (postrun.Assessment, postrun.Error)) for r in results), results
