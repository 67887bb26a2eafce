/* See model_fixture.h. Only what parameters.yaml uses: a mapping with a `parameters` list of
 * mappings holding id, value, low, high and points; everything else is skipped. */
#include "model_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#ifndef POSTRUN_DATA_DIR
#ifdef POSTRUN_SOURCE_ROOT
#define POSTRUN_DATA_DIR POSTRUN_SOURCE_ROOT "/data"
#else
#define POSTRUN_DATA_DIR "data"
#endif
#endif

static const char *scalar(yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *lookup(yaml_document_t *d, yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top;
         pr++) {
        const char *k = scalar(yaml_document_get_node(d, pr->key));
        if (k && strcmp(k, key) == 0)
            return yaml_document_get_node(d, pr->value);
    }
    return NULL;
}

static int number(yaml_node_t *n, double *out)
{
    const char *s = scalar(n);
    char *end;
    if (!s)
        return -1;
    *out = strtod(s, &end);
    return *end == '\0' && end != s ? 0 : -1;
}

static int read_points(yaml_document_t *d, yaml_node_t *seq, kb_curve *c)
{
    if (!seq || seq->type != YAML_SEQUENCE_NODE)
        return -1;
    c->n = 0;
    for (yaml_node_item_t *it = seq->data.sequence.items.start;
         it < seq->data.sequence.items.top; it++) {
        yaml_node_t *pt = yaml_document_get_node(d, *it);
        if (c->n == KB_CURVE_MAX_POINTS || !pt || pt->type != YAML_SEQUENCE_NODE ||
            pt->data.sequence.items.top - pt->data.sequence.items.start != 2)
            return -1;
        yaml_node_item_t *xy = pt->data.sequence.items.start;
        if (number(yaml_document_get_node(d, xy[0]), &c->x[c->n]) ||
            number(yaml_document_get_node(d, xy[1]), &c->y[c->n]))
            return -1;
        c->n++;
    }
    return c->n >= 2 ? 0 : -1;
}

static int read_entries(yaml_document_t *d, kb_params *p, char *why, size_t why_size)
{
    unsigned char seen_p[P_COUNT] = {0}, seen_c[C_COUNT] = {0};
    yaml_node_t *list = lookup(d, yaml_document_get_root_node(d), "parameters");
    if (!list || list->type != YAML_SEQUENCE_NODE) {
        snprintf(why, why_size, "no `parameters` list");
        return -1;
    }
    for (yaml_node_item_t *it = list->data.sequence.items.start;
         it < list->data.sequence.items.top; it++) {
        yaml_node_t *e = yaml_document_get_node(d, *it);
        const char *id = scalar(lookup(d, e, "id"));
        int i = pr_param_index(id), k = pr_curve_index(id);
        if (i >= 0) {
            if (number(lookup(d, e, "value"), &p->value[i])) {
                snprintf(why, why_size, "%s: bad value", id);
                return -1;
            }
            yaml_node_t *lo = lookup(d, e, "low"), *hi = lookup(d, e, "high");
            p->low[i] = p->high[i] = p->value[i];
            if ((lo && number(lo, &p->low[i])) || (hi && number(hi, &p->high[i]))) {
                snprintf(why, why_size, "%s: bad low/high", id);
                return -1;
            }
            seen_p[i] = 1;
        } else if (k >= 0) {
            if (read_points(d, lookup(d, e, "points"), &p->curve[k])) {
                snprintf(why, why_size, "%s: bad points", id);
                return -1;
            }
            seen_c[k] = 1;
        }
    }
    for (int i = 0; i < P_COUNT; i++)
        if (!seen_p[i]) {
            snprintf(why, why_size, "parameter %s missing", PR_PARAM_NAMES[i]);
            return -1;
        }
    for (int k = 0; k < C_COUNT; k++)
        if (!seen_c[k]) {
            snprintf(why, why_size, "curve %s missing", PR_CURVE_NAMES[k]);
            return -1;
        }
    return 0;
}

int model_fixture_load(kb_params *p, const char *path, char *why, size_t why_size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(why, why_size, "cannot open %s", path);
        return -1;
    }
    yaml_parser_t parser;
    yaml_document_t doc;
    int rc = -1;
    memset(p, 0, sizeof *p);
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    if (!yaml_parser_load(&parser, &doc)) {
        snprintf(why, why_size, "%s:%zu: %s", path, parser.problem_mark.line + 1,
                 parser.problem ? parser.problem : "YAML error");
    } else {
        rc = read_entries(&doc, p, why, why_size);
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&parser);
    fclose(f);
    return rc;
}

const kb_params *model_fixture_params(void)
{
    static kb_params params;
    static int state; /* 0 not tried, 1 loaded, -1 failed */
    if (state == 0) {
        const char *dir = getenv("POSTRUN_DATA_DIR");
        char path[1024], why[256];
        snprintf(path, sizeof path, "%s/parameters.yaml", dir && *dir ? dir : POSTRUN_DATA_DIR);
        state = model_fixture_load(&params, path, why, sizeof why) == 0 ? 1 : -1;
        pr_params_derive(&params);
        if (state < 0)
            fprintf(stderr, "model fixture: %s\n", why);
    }
    return state > 0 ? &params : NULL;
}
