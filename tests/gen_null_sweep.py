#!/usr/bin/env python3
"""Generates a C test that calls every public function of include/postrun.h with each of its
pointer arguments NULL (the others valid), so a new function cannot escape the NULL sweep.

    gen_null_sweep.py postrun.h out.c

Prototypes are read from the header (every `POSTRUN_API` declaration). A function returning
postrun_status must return POSTRUN_ERR_ARGUMENT for a NULL argument, unless its doc comment
says "@p NAME may be NULL" (or the argument is the error record `err`, or `userdata`, which are
always optional): then the call must just not crash. Functions returning a pointer must return
NULL (unless documented "Never NULL"), counts (`..._count`) 0; the others must not crash.

Valid values come from the table VALID below, by parameter type and name: a function with a
parameter the table does not know makes the generator fail, so the table grows with the API.
"""
import re
import sys

# (type, name) or type -> C expression of a valid argument. Objects come from the fixture.
VALID = {
    ("postrun_kb **", None): "&o_kb",
    ("postrun_kb_builder **", None): "&o_builder",
    ("postrun_run **", None): "&o_run",
    ("postrun_stream **", None): "&o_stream",
    ("postrun_assessment **", None): "&o_assessment",
    ("const postrun_kb *", None): "f->kb",
    ("postrun_kb *", None): "NULL /* postrun_kb_free: only its NULL call is made */",
    ("postrun_kb_builder *", None): "f->builder",
    ("postrun_run *", None): "f->run",
    ("const postrun_run *", None): "f->run",
    ("postrun_stream *", None): "f->stream",
    ("const postrun_stream *", None): "f->stream",
    ("postrun_assessment *", None): "f->a",
    ("const postrun_assessment *", None): "f->a",
    ("postrun_error *", None): "&e",
    ("const postrun_error *", None): "&f->problem",
    ("const char *", "path"): "f->path",
    ("const char *", "name"): "\"fixture\"",
    ("const char *", "text"): "f->text",
    ("const char *", "value"): "\"f\"",
    ("const char *", "id"): "f->id",
    ("const char *const *", "overlays"): "f->overlays",
    ("char *", "buf"): "buf",
    ("char **", "out"): "&o_text",
    ("size_t *", "len"): "&o_len",
    ("void *", "ptr"): "NULL /* postrun_free(NULL) */",
    ("void *", "userdata"): "f",
    ("postrun_alloc_fn", "fn"): "NULL",
    ("postrun_write_fn", "write"): "sink",
    ("const postrun_visitor *", "v"): "&f->visitor",
    ("postrun_kb_entry_info *", "out"): "&o_entry",
    ("postrun_range *", "out"): "&o_range",
    ("postrun_red_flag *", "out"): "&o_flag",
    ("postrun_cause *", "out"): "&o_cause",
    ("postrun_contribution *", "out"): "&o_contrib",
    ("postrun_recommendation *", "out"): "&o_rec",
    ("double *", None): "&o_d",
    ("int *", None): "&o_i",
    ("uint32_t *", None): "&o_u",
    ("const char **", None): "&o_s",
    ("postrun_activity **", None): "&o_activity",
    ("const postrun_activity *", None): "f->activity",
    ("postrun_activity *", None): "NULL /* postrun_activity_free: only its NULL call is made */",
    ("const void *", "data"): "f->activity_text",
    ("const postrun_activity_options *", "opts"): "&f->activity_opts",
    ("postrun_activity_sample *", "out"): "&o_sample",
    ("postrun_history_builder **", None): "&o_hbuilder",
    ("postrun_history_builder *", None): "f->hbuilder",
    ("postrun_history **", None): "&o_history",
    ("const postrun_history *", None): "f->history",
    ("postrun_history *", None): "NULL /* postrun_history_free: only its NULL call is made */",
}
# Non-pointer arguments.
SCALAR = {
    "size_t": "0", "int": "0", "unsigned": "0", "double": "1.0",
    "postrun_status": "POSTRUN_ERR_ARGUMENT", "postrun_kind": "POSTRUN_KIND_SOURCE",
    "postrun_format": "POSTRUN_FORMAT_YAML",
}
# Per function, a parameter that needs another value than the table's.
OVERRIDE = {
    ("postrun_kb_load", "path"): "f->kb_dir",
    ("postrun_kb_load", "n_overlays"): "1",
    ("postrun_kb_builder_add_path", "path"): "f->kb_dir",
    ("postrun_kb_builder_add_overlay", "path"): "f->overlay",
    ("postrun_kb_builder_add_string", "text"): "f->overlay_text",
    ("postrun_kb_builder_add_string", "len"): "strlen(f->overlay_text)",
    ("postrun_kb_builder_add_overlay_string", "text"): "f->overlay_text",
    ("postrun_kb_builder_add_overlay_string", "len"): "strlen(f->overlay_text)",
    ("postrun_run_parse", "len"): "strlen(f->text)",
    ("postrun_stream_open_string", "len"): "strlen(f->text)",
    ("postrun_run_load_file", "path"): "f->run_file",
    ("postrun_stream_open_file", "path"): "f->run_file",
    ("postrun_run_set_number", "value"): "70.0",
    ("postrun_run_set_number", "path"): "\"athlete.body_mass_kg\"",
    ("postrun_run_set_string", "path"): "\"athlete.sex\"",
    ("postrun_run_set_string", "value"): "\"female\"",
    ("postrun_run_set_bool", "path"): "\"intake.fasted\"",
    ("postrun_run_append", "path"): "\"symptoms\"",
    ("postrun_run_append", "value"): "f->symptom",
    ("postrun_run_unset", "path"): "\"athlete.sex\"",
    ("postrun_run_has", "path"): "\"athlete.body_mass_kg\"",
    ("postrun_run_get_number", "path"): "\"athlete.body_mass_kg\"",
    ("postrun_run_get_string", "path"): "\"athlete.sex\"",
    ("postrun_run_get_bool", "path"): "\"intake.fasted\"",
    ("postrun_run_count", "path"): "\"symptoms\"",
    ("postrun_run_item", "path"): "\"symptoms\"",
    ("postrun_kb_entry", "id"): "f->symptom",
    ("postrun_kb_entry_source", "id"): "f->symptom",
    ("postrun_kb_parameter", "id"): "f->param",
    ("postrun_assessment_metric", "name"): "\"fluid.sweat_loss_l\"",
    ("postrun_assessment_label", "name"): "\"fluid.sweat_loss_source\"",
    ("postrun_metric_index", "name"): "\"fluid.sweat_loss_l\"",
    ("postrun_error_format", "size"): "sizeof buf",
    ("postrun_assessment_render", "format"): "POSTRUN_FORMAT_JSON",
    ("postrun_stream_next", "run"): "f->run2",
    ("postrun_activity_load", "path"): "\"sweep.gpx\"",
    ("postrun_activity_load", "len"): "strlen(f->activity_text)",
    ("postrun_run_load_activity", "path"): "\"sweep.gpx\"",
    ("postrun_run_load_activity", "len"): "strlen(f->activity_text)",
    ("postrun_run_load_activity", "run"): "f->run2",
    ("postrun_history_builder_add_path", "path"): "f->run_file",
}
ALWAYS_OPTIONAL = {"err", "userdata"}
# Functions the sweep leaves out, with the reason (none so far).
SKIP = {}


def canon(typ):
    """A type without spaces around '*': "const char *const *" -> "const char*const*"."""
    return re.sub(r"\s*\*\s*", "*", " ".join(typ.split())).strip()


def prototypes(header):
    text = open(header, encoding="utf-8").read()
    # doc comment (optional) then POSTRUN_API ... ;
    for m in re.finditer(r"(/\*\*(?:(?!\*/).)*\*/\s*)?POSTRUN_API\s+([^;(]+?)\s*\b(postrun_\w+)\s*\(([^)]*)\)\s*;",
                         text, re.S):
        doc, ret, name, params = m.group(1) or "", " ".join(m.group(2).split()), m.group(3), m.group(4)
        ps = []
        params = " ".join(params.split())
        if params != "void":
            for p in params.split(","):
                p = p.strip()
                pm = re.match(r"(.*?)(\w+)$", p)
                ps.append((canon(pm.group(1)), pm.group(2)))
        flat = " ".join(re.sub(r"^\s*/?\*+/?", " ", line) for line in doc.splitlines())
        flat = " ".join(flat.split())
        opt = set()
        for m2 in re.finditer(r"((?:@p \w+(?:,| and| or)? )+)may be NULL", flat):
            opt.update(re.findall(r"@p (\w+)", m2.group(1)))
        yield ret, name, ps, opt, doc


def valid(fn, typ, name):
    if (fn, name) in OVERRIDE:
        return OVERRIDE[(fn, name)]
    if "*" not in typ and typ not in ("postrun_alloc_fn", "postrun_write_fn"):
        if typ in SCALAR:
            return SCALAR[typ]
        raise SystemExit(f"gen_null_sweep: {fn}: no valid value for {typ} {name}")
    table = {(canon(t), n): v for (t, n), v in VALID.items()}
    for key in ((typ, name), (typ, None)):
        if key in table:
            return table[key]
    raise SystemExit(f"gen_null_sweep: {fn}: no valid value for {typ} {name}: add it to VALID")


def is_pointer(typ):
    return "*" in typ or typ in ("postrun_alloc_fn", "postrun_write_fn")


def main():
    header, out = sys.argv[1], sys.argv[2]
    cases = []
    n_calls = 0
    functions = set()
    for ret, fn, ps, opt, doc in prototypes(header):
        if fn in SKIP:
            continue
        for k, (typ, pname) in enumerate(ps):
            if not is_pointer(typ):
                continue
            args = []
            for j, (t2, n2) in enumerate(ps):
                args.append("NULL" if j == k else valid(fn, t2, n2))
            if "NULL /*" in " ".join(a for j, a in enumerate(args) if j != k):
                continue  # another argument cannot be made valid here (kb_free, postrun_free)
            optional = pname in ALWAYS_OPTIONAL or pname in opt
            call = f"{fn}({', '.join(args)})"
            label = f"{fn}: {pname} NULL"
            lines = [f"    /* {label} */", "    fixture_reset(f);"]
            if ret == "postrun_status":
                if optional:
                    lines.append(f"    {{ postrun_status rc = {call}; (void)rc; }}")
                else:
                    has_err = any(n2 == "err" for _, n2 in ps)
                    lines.append(f"    expect_status(\"{label}\", {call}, {'&e' if has_err else 'NULL'});")
            elif ret == "void":
                lines.append(f"    {call};")
            elif "*" in ret:  # (ret: "const char *", never canonicalised)
                if "Never NULL" in doc or optional:
                    lines.append(f"    {{ const void *p = {call}; (void)p; }}")
                else:
                    lines.append(f"    expect_null(\"{label}\", {call});")
            elif fn.endswith("_count") and not optional:
                lines.append(f"    expect_zero(\"{label}\", (long long){call});")
            else:
                lines.append(f"    {{ long long v = (long long){call}; (void)v; }}")
            lines.append("    free_outputs();")
            cases.append("\n".join(lines))
            functions.add(fn)
            n_calls += 1
    text = open(header, encoding="utf-8").read()
    declared = len(re.findall(r"^POSTRUN_API\s", text, re.M))
    parsed = sum(1 for _ in prototypes(header))
    if declared != parsed:
        raise SystemExit(f"gen_null_sweep: {declared} POSTRUN_API declarations, {parsed} parsed")
    with open(out, "w", encoding="utf-8") as fp:
        fp.write("/* Generated by gen_null_sweep.py from include/postrun.h: do not edit. */\n")
        fp.write('#include "null_sweep_fixture.h"\n\n')
        fp.write(f"const int null_sweep_calls = {n_calls};\n")
        fp.write(f"const int null_sweep_functions = {len(functions)};\n\n")
        fp.write("void null_sweep(null_fixture *f)\n{\n")
        fp.write("    postrun_error e = POSTRUN_ERROR_INIT;\n    char buf[64];\n")
        fp.write("\n\n".join(cases))
        fp.write("\n    postrun_error_clear(&e);\n    (void)buf;\n}\n")


if __name__ == "__main__":
    main()
