"""The package and the generated module: import, names, constants, version."""
import builtins
import re

import postrun
from postrun import postrun_core as core


def test_import_gives_the_generated_module_with_the_c_prefix_stripped():
    assert hasattr(core, "kb_count") and not hasattr(core, "postrun_kb_count")
    assert core.ERR_RANGE == -7 and not hasattr(core, "POSTRUN_ERR_RANGE")
    assert core.KIND_CAUSE == 5
    assert core.FORMAT_JSON == 1
    assert core.RENDER_EXPLAIN == 1


def test_version_matches_the_header():
    assert re.fullmatch(r"\d+\.\d+\.\d+", postrun.__version__)
    assert postrun.__version__ == core.VERSION_STRING
    major, minor, patch = (int(x) for x in postrun.__version__.split("."))
    assert postrun.version_number == major * 1000000 + minor * 1000 + patch


def test_status_constants_are_exported():
    assert postrun.OK == 0
    assert postrun.ERR_SYNTAX == core.ERR_SYNTAX
    assert postrun.strerror(postrun.ERR_RANGE) == "value out of range"


def test_metrics_list_names_and_units():
    m = postrun.metrics()
    assert m["fluid.sweat_loss_l"] == "l"
    assert "glycogen.muscle_remaining_pct" in m


def test_module_level_assess_uses_the_bundled_knowledge_base(minimal):
    a = postrun.assess(minimal)
    assert a.kb is postrun.KnowledgeBase.default()


def test_star_import_does_not_shadow_builtin_memory_error():
    ns = {}
    exec("from postrun import *", ns)
    assert "MemoryError" not in ns
    assert issubclass(postrun.MemoryError, builtins.MemoryError)


def test_every_name_in_all_exists():
    for name in postrun.__all__:
        assert hasattr(postrun, name), name
