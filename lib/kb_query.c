/*
 * Reading a compiled knowledge base: the public accessors (counts, ids, entries, sources,
 * parameters), the vocabulary lookups run parsing uses, metric names (for conditions,
 * formulas and the assessment's metric accessors), and freeing.
 */
#include <stdlib.h>
#include <math.h>
#include <string.h>

#include "kb.h"

void postrun_kb_free(postrun_kb *kb)
{
    if (!kb)
        return;
    pr_free(kb->links);
    pr_free(kb->cause_rules);
    pr_free(kb->src_refs);
    pr_free(kb->u16);
    pr_free(kb->u32);
    pr_free(kb->conds);
    pr_free(kb->cond_children);
    pr_free(kb->cond_set);
    pr_free(kb->ops);
    pr_free(kb->doses);
    pr_free(kb->contras);
    pr_free(kb->segs);
    pr_free(kb->templates);
    pr_free(kb->tag_names);
    pr_arena_free(&kb->arena);
    pr_free(kb);
}

static int cmp_key(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const kb_idx *)elem)->id);
}

/* FNV-1a. */
uint32_t pr_kb_id_hash(const char *id)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

const kb_idx *pr_kb_find_kind(const postrun_kb *kb, const char *id, int kind)
{
    if (!kb || !id || !kb->index)
        return NULL;
    if (kind >= 0 && kb->id_hash) { /* ids are unique within a kind */
        for (size_t h = pr_kb_id_hash(id) & kb->id_hash_mask; kb->id_hash[h];
             h = (h + 1) & kb->id_hash_mask) {
            const kb_idx *x = &kb->index[kb->id_hash[h] - 1];
            if (x->kind == kind && strcmp(x->id, id) == 0)
                return x;
        }
        return NULL;
    }
    const kb_idx *x = bsearch(id, kb->index, kb->n_index, sizeof *kb->index, cmp_key);
    if (!x)
        return NULL;
    /* Entries sharing an id sit together, ordered by kind: go to the first. */
    while (x > kb->index && strcmp(x[-1].id, id) == 0)
        x--;
    for (; x < kb->index + kb->n_index && strcmp(x->id, id) == 0; x++)
        if (kind < 0 || x->kind == kind)
            return x;
    return NULL;
}

const kb_idx *pr_kb_find(const postrun_kb *kb, const char *id) { return pr_kb_find_kind(kb, id, -1); }

const kb_meta *pr_kb_meta_of(const postrun_kb *kb, unsigned kind, size_t i)
{
    switch (kind) {
    case POSTRUN_KIND_SOURCE: return i < kb->n_sources ? &kb->sources[i].m : NULL;
    case POSTRUN_KIND_PARAMETER: return i < kb->n_parameters ? &kb->parameters[i].m : NULL;
    case POSTRUN_KIND_SYMPTOM: return i < kb->n_symptoms ? &kb->symptoms[i].m : NULL;
    case POSTRUN_KIND_OBSERVATION: return i < kb->n_observations ? &kb->observations[i].m : NULL;
    case POSTRUN_KIND_BODY_AREA: return i < kb->n_body_areas ? &kb->body_areas[i].m : NULL;
    case POSTRUN_KIND_CAUSE: return i < kb->n_causes ? &kb->causes[i].m : NULL;
    case POSTRUN_KIND_RULE: return i < kb->n_rules ? &kb->rules[i].m : NULL;
    case POSTRUN_KIND_RECOMMENDATION: return i < kb->n_recs ? &kb->recs[i].m : NULL;
    case POSTRUN_KIND_RED_FLAG: return i < kb->n_flags ? &kb->flags[i].m : NULL;
    case POSTRUN_KIND_MISCONCEPTION: return i < kb->n_miscs ? &kb->miscs[i].m : NULL;
    case POSTRUN_KIND_NOTE: return i < kb->n_notes ? &kb->notes[i].m : NULL;
    }
    return NULL;
}

size_t postrun_kb_count(const postrun_kb *kb, postrun_kind kind)
{
    if (!kb)
        return 0;
    size_t n = 0;
    while (pr_kb_meta_of(kb, kind, n))
        n++;
    return n;
}

const char *postrun_kb_id(const postrun_kb *kb, postrun_kind kind, size_t i)
{
    const kb_meta *m = kb ? pr_kb_meta_of(kb, kind, i) : NULL;
    return m ? m->id : NULL;
}

postrun_status postrun_kb_entry(const postrun_kb *kb, const char *id, postrun_kb_entry_info *out)
{
    if (!kb || !id || !out || out->version != POSTRUN_KB_ENTRY_INFO_VERSION)
        return POSTRUN_ERR_ARGUMENT;
    const kb_idx *x = pr_kb_find(kb, id);
    if (!x)
        return POSTRUN_ERR_NOT_FOUND;
    const kb_meta *m = pr_kb_meta_of(kb, x->kind, x->index);
    out->kind = (postrun_kind)m->kind;
    out->id = m->id;
    out->name = m->name;
    out->description = m->description;
    out->file = m->file;
    out->line = m->line;
    out->column = m->col;
    out->n_sources = m->n_src;
    return POSTRUN_OK;
}

postrun_status postrun_kb_entry_source(const postrun_kb *kb, const char *id, size_t i,
                                       const char **key, const char **title)
{
    if (!kb || !id)
        return POSTRUN_ERR_ARGUMENT;
    const kb_idx *x = pr_kb_find(kb, id);
    if (!x)
        return POSTRUN_ERR_NOT_FOUND;
    const kb_meta *m = pr_kb_meta_of(kb, x->kind, x->index);
    if (i >= m->n_src)
        return POSTRUN_ERR_NOT_FOUND;
    const kb_source *s = &kb->sources[kb->src_refs[m->src_first + i]];
    if (key)
        *key = s->m.id;
    if (title)
        *title = s->citation;
    return POSTRUN_OK;
}

postrun_status postrun_kb_parameter(const postrun_kb *kb, const char *id, double *value,
                                    double *low, double *high)
{
    if (!kb || !id)
        return POSTRUN_ERR_ARGUMENT;
    const kb_idx *x = pr_kb_find_kind(kb, id, POSTRUN_KIND_PARAMETER);
    if (!x)
        return POSTRUN_ERR_NOT_FOUND;
    const kb_param *p = &kb->parameters[x->index];
    if (value)
        *value = p->value;
    if (low)
        *low = p->low;
    if (high)
        *high = p->high;
    return POSTRUN_OK;
}

static int index_of(const postrun_kb *kb, const char *id, unsigned kind)
{
    const kb_idx *x = pr_kb_find_kind(kb, id, (int)kind);
    return x ? (int)x->index : -1;
}

int pr_kb_symptom_index(const postrun_kb *kb, const char *id)
{
    return index_of(kb, id, POSTRUN_KIND_SYMPTOM);
}
int pr_kb_observation_index(const postrun_kb *kb, const char *id)
{
    return index_of(kb, id, POSTRUN_KIND_OBSERVATION);
}
int pr_kb_body_area_index(const postrun_kb *kb, const char *id)
{
    return index_of(kb, id, POSTRUN_KIND_BODY_AREA);
}
const char *const *pr_kb_symptom_ids(const postrun_kb *kb) { return kb->symptom_ids; }
const char *const *pr_kb_observation_ids(const postrun_kb *kb) { return kb->observation_ids; }
const char *const *pr_kb_body_area_ids(const postrun_kb *kb) { return kb->body_area_ids; }

obs_type pr_kb_observation_type(const postrun_kb *kb, int index, double *min, double *max)
{
    const kb_observation *o = &kb->observations[index];
    if (min)
        *min = o->min;
    if (max)
        *max = o->max;
    return (obs_type)o->type;
}

double pr_kb_plausible_limit(const postrun_kb *kb, int i)
{
    int32_t p = kb->plausible_param[i];
    return p >= 0 ? kb->parameters[p].value : NAN;
}

int pr_kb_metric_lookup(const char *name, unsigned *comp)
{
    char buf[128];
    pr_strlcpy(buf, name, sizeof buf);
    unsigned cp = COMP_X;
    size_t l = strlen(buf);
    if (l > 4 && strcmp(buf + l - 4, ".low") == 0) {
        cp = COMP_LO;
        buf[l - 4] = '\0';
    } else if (l > 5 && strcmp(buf + l - 5, ".high") == 0) {
        cp = COMP_HI;
        buf[l - 5] = '\0';
    }
    int found = -1;
    for (int i = 0; i < RF_COUNT && found < 0; i++)
        if (PR_RUN_FIELDS[i].type != FT_STR && strcmp(PR_RUN_FIELDS[i].path, buf) == 0)
            found = i;
    for (int i = 0; i < M_COUNT && found < 0; i++)
        if (strcmp(PR_METRICS[i].name, buf) == 0)
            found = MI_OF_METRIC(i);
    if (found < 0)
        return -1;
    if (cp != COMP_X && (found < RF_COUNT || PR_METRICS[found - RF_COUNT].kind != MK_RANGE))
        return -1;
    if (comp)
        *comp = cp;
    return found;
}
