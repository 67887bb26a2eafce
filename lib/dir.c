/*
 * Listing a directory for the loaders (knowledge-base files in kb_load.c, the runs of a
 * history in history.c): the paths "DIR/NAME" of the entries a filter accepts, hidden ones
 * left out, sorted by name so that a directory is read in the same order everywhere.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

postrun_status pr_dir_list(const char *path, bool (*want)(const char *name), char ***names,
                           size_t *count, postrun_error *err)
{
    *names = NULL;
    *count = 0;
    DIR *d = opendir(path);
    if (!d)
        return pr_err_add(err, POSTRUN_ERR_IO, POSTRUN_SEVERITY_ERROR, path, 0, 0, NULL,
                          "cannot open directory: %s", strerror(errno));
    char **list = NULL;
    size_t n = 0, cap = 0;
    postrun_status rc = POSTRUN_OK;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || !want(de->d_name))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **nn = pr_realloc(list, cap * sizeof *nn);
            if (!nn) {
                rc = pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
                break;
            }
            list = nn;
        }
        size_t len = strlen(path) + strlen(de->d_name) + 2;
        list[n] = pr_malloc(len);
        if (!list[n]) {
            rc = pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "out of memory");
            break;
        }
        snprintf(list[n], len, "%s/%s", path, de->d_name);
        n++;
    }
    closedir(d);
    if (rc != POSTRUN_OK) {
        pr_dir_list_free(list, n);
        return rc;
    }
    if (n)
        qsort(list, n, sizeof *list, cmp_str);
    *names = list;
    *count = n;
    return POSTRUN_OK;
}

void pr_dir_list_free(char **names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        pr_free(names[i]);
    pr_free(names);
}
