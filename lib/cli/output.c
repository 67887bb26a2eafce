/*
 * Where `postrun assess` writes: standard output, a file replaced atomically, or anything else
 * written in place (-o).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/*
 * -o must never destroy what it names. A regular file is written to a temporary file beside it,
 * then renamed over it, so it is never left half-written; the temporary file takes the old
 * file's mode and owner first. A symbolic link is followed (the file it points to is replaced,
 * the link stays). What is not a regular file (a device such as /dev/null, a FIFO, a terminal)
 * is opened and written in place, as the shell's `>` would. A regular file with other hard
 * links, one whose owner cannot be kept, one that is not writable, and one that is also an
 * input are refused: replacing them would break the links, change the owner, override the
 * protection or lose the input. Every error names the path and the system's reason. */

int cli_out_write(void *ud, const char *data, size_t len)
{
    output *o = ud;
    if (o->failed)
        return -1;
    errno = 0;
    if (fwrite(data, 1, len, o->fp) != len) {
        o->failed = true;
        o->write_errno = errno ? errno : EIO;
        return -1;
    }
    return 0;
}

static const char *out_name(const output *o)
{
    return o->fp == stdout ? "standard output" : o->path;
}

/* 0, or CLI_EXIT_USAGE when `path` (a regular file) is one of the inputs. */
static int out_check_inputs(const char *path, const struct stat *st, const char **inputs,
                            int n_inputs)
{
    for (int i = 0; i < n_inputs; i++) {
        struct stat in;
        int r = strcmp(inputs[i], "-") == 0 ? fstat(STDIN_FILENO, &in) : stat(inputs[i], &in);
        if (r == 0 && in.st_dev == st->st_dev && in.st_ino == st->st_ino) {
            const char *name = strcmp(inputs[i], "-") == 0 ? "standard input" : inputs[i];
            if (strcmp(name, path) == 0)
                fprintf(stderr, "%s: %s: the output is also an input; write it to another file\n",
                        cli_prog, path);
            else
                fprintf(stderr,
                        "%s: %s: the output is also an input (%s); write it to another file\n",
                        cli_prog, path, name);
            return CLI_EXIT_USAGE;
        }
    }
    return 0;
}

int cli_out_open(output *o, const char *path, const char **inputs, int n_inputs)
{
    memset(o, 0, sizeof *o);
    o->path = path;
    if (!path || strcmp(path, "-") == 0) {
        o->fp = stdout;
        return 0;
    }
    struct stat st;
    bool exists = stat(path, &st) == 0;
    if (!exists && errno != ENOENT) {
        fprintf(stderr, "%s: %s: cannot write: %s\n", cli_prog, path, strerror(errno));
        return CLI_EXIT_OTHER;
    }
    if (!exists) {
        struct stat lst;
        if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
            fprintf(stderr, "%s: %s: cannot write: a symbolic link to a missing file\n", cli_prog,
                    path);
            return CLI_EXIT_OTHER;
        }
    }
    if (exists && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode)) {
            fprintf(stderr, "%s: %s: cannot write: %s\n", cli_prog, path, strerror(EISDIR));
            return CLI_EXIT_OTHER;
        }
        int rc = out_check_inputs(path, &st, inputs, n_inputs);
        if (rc)
            return rc;
        /* a device, FIFO or terminal: in place, never replaced */
        int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
        if (fd < 0 || !(o->fp = fdopen(fd, "w"))) {
            fprintf(stderr, "%s: %s: cannot write: %s\n", cli_prog, path, strerror(errno));
            if (fd >= 0)
                close(fd);
            return CLI_EXIT_OTHER;
        }
        o->in_place = true;
        return 0;
    }
    const char *target = path;
    if (exists) {
        int rc = out_check_inputs(path, &st, inputs, n_inputs);
        if (rc)
            return rc;
        if (st.st_nlink > 1) {
            fprintf(stderr,
                    "%s: %s: cannot write: the file has %ju hard links, which replacing it would "
                    "break; write to another file\n",
                    cli_prog, path, (uintmax_t)st.st_nlink);
            return CLI_EXIT_OTHER;
        }
        /* root may write anything: a file without any write bit is still read-only to us */
        if (access(path, W_OK) != 0 || !(st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH))) {
            fprintf(stderr, "%s: %s: cannot write: %s (the file is read-only)\n", cli_prog, path,
                    strerror(EACCES));
            return CLI_EXIT_OTHER;
        }
        char *real = realpath(path, NULL);
        if (!real) {
            fprintf(stderr, "%s: %s: cannot write: %s\n", cli_prog, path, strerror(errno));
            return CLI_EXIT_OTHER;
        }
        int n = snprintf(o->target, sizeof o->target, "%s", real);
        free(real);
        if (n < 0 || (size_t)n >= sizeof o->target) {
            fprintf(stderr, "%s: %s: cannot write: %s\n", cli_prog, path, strerror(ENAMETOOLONG));
            return CLI_EXIT_OTHER;
        }
        target = o->target;
    } else {
        int n = snprintf(o->target, sizeof o->target, "%s", path);
        if (n < 0 || (size_t)n >= sizeof o->target) {
            fprintf(stderr, "%s: %s: cannot write: %s\n", cli_prog, path, strerror(ENAMETOOLONG));
            return CLI_EXIT_OTHER;
        }
    }
    int n = snprintf(o->tmp, sizeof o->tmp, "%s.tmpXXXXXX", target);
    if (n < 0 || (size_t)n >= sizeof o->tmp) {
        fprintf(stderr, "%s: %s: cannot write: %s\n", cli_prog, path, strerror(ENAMETOOLONG));
        return CLI_EXIT_OTHER;
    }
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        fprintf(stderr, "%s: %s: cannot create a temporary file beside it: %s\n", cli_prog, path,
                strerror(errno));
        return CLI_EXIT_OTHER;
    }
    /* mkstemp makes 0600: a new file gets what `>` would give, an old one keeps its own */
    mode_t mode;
    if (exists) {
        mode = st.st_mode & 07777;
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    int fail = 0;
    const char *what = "";
    if (exists && (st.st_uid != geteuid() || st.st_gid != getegid()) &&
        fchown(fd, st.st_uid, st.st_gid) != 0) {
        fail = errno;
        what = "cannot keep the file's owner";
    } else if (fchmod(fd, mode) != 0) {
        fail = errno;
        what = "cannot keep the file's mode";
    }
    if (!fail && !(o->fp = fdopen(fd, "w"))) {
        fail = errno;
        what = "cannot write";
    }
    if (fail) {
        fprintf(stderr, "%s: %s: %s: %s\n", cli_prog, path, what, strerror(fail));
        close(fd);
        unlink(o->tmp);
        return CLI_EXIT_OTHER;
    }
    return 0;
}

/* Commits (rename) or discards the output. An existing file is never left half-written. */
int cli_out_close(output *o, bool commit)
{
    int e = o->write_errno;
    if (o->fp == stdout) {
        errno = 0;
        if (fflush(stdout) != 0 && !e)
            e = errno ? errno : EIO;
        if (o->failed || e) {
            fprintf(stderr, "%s: %s: cannot write: %s\n", cli_prog, out_name(o),
                    strerror(e ? e : EIO));
            return CLI_EXIT_OTHER;
        }
        return 0;
    }
    errno = 0;
    if (!e && fflush(o->fp) != 0)
        e = errno ? errno : EIO;
    /* fsync fails with EINVAL on FIFOs and most devices: only a regular file needs it */
    if (!e && !o->in_place && fsync(fileno(o->fp)) != 0)
        e = errno ? errno : EIO;
    errno = 0;
    if (fclose(o->fp) != 0 && !e)
        e = errno ? errno : EIO;
    o->fp = NULL;
    if (!e && o->failed)
        e = EIO;
    if (!e && commit && !o->in_place && rename(o->tmp, o->target) != 0)
        e = errno ? errno : EIO;
    if (!o->in_place && (e || !commit))
        unlink(o->tmp);
    if (e) { /* reported even when discarding: the reason of a failed write is news */
        fprintf(stderr, "%s: %s: cannot write: %s\n", cli_prog, o->path, strerror(e));
        return CLI_EXIT_OTHER;
    }
    return 0;
}
