/* The bundled knowledge base, embedded at build time by tools/embed.c. */
#ifndef POSTRUN_EMBEDDED_H
#define POSTRUN_EMBEDDED_H

#include <stddef.h>

typedef struct pr_embedded_file {
    const char *name; /* base name, e.g. "causes.yaml" */
    const char *text;
    size_t len;
    const unsigned char *tree; /* its document tree (tools/embed.c), or NULL: parse the text */
    size_t tree_len;
} pr_embedded_file;

extern const pr_embedded_file PR_EMBEDDED_KB[];
extern const size_t PR_EMBEDDED_KB_COUNT;

#endif
