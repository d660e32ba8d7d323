/* File input and output (see fsio.h): whole files read into a buffer,
 * files created, flushed and renamed so that a failure leaves nothing
 * half written. */
/* realpath() is an XSI function; O_DIRECT is Linux's (GNU). */
#define _XOPEN_SOURCE 700
#ifdef __linux__
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <almanac/fsio.h>

#include "internal.h"

/* ---- reading ------------------------------------------------------------ */

/* Reads f to its end into out (see alm_file_read); path names it in
 * messages. */
static enum alm_status read_stream(FILE *f, const char *path, size_t max,
                                   struct alm_buf *out, struct alm_error *err)
{
    char q[300];
    char chunk[65536];
    size_t n;
    enum alm_status st = ALM_OK;
    /* A regular file is read straight into a buffer of its size, so a
     * large file is neither copied twice nor given twice its room. */
    struct stat sb;
    bool direct = false;
    bool regular = fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode);
    if (regular && (unsigned long long)sb.st_size > max)
        st = alm_fail(err, ALM_EINPUT, "'%s' is larger than %zu bytes",
                      alm_error_quote(path, q, sizeof q), max);
    else if (regular && sb.st_size > 0 &&
             out->cap < out->len + (size_t)sb.st_size + 1) {
        size_t cap = out->len + (size_t)sb.st_size + 1;
        char *s = realloc(out->s, cap);
        if (!s)
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
        else {
            out->s = s;
            out->cap = cap;
            out->s[out->len] = '\0';
            direct = true;
        }
    }
    while (st == ALM_OK && direct && out->cap > out->len + 1 &&
           (n = fread(out->s + out->len, 1, out->cap - out->len - 1, f)) > 0) {
        out->len += n;
        out->s[out->len] = '\0';
    }
    while (st == ALM_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (out->len + n > max) {
            st = alm_fail(err, ALM_EINPUT, "'%s' is larger than %zu bytes",
                          alm_error_quote(path, q, sizeof q), max);
            break;
        }
        if (alm_buf_add(out, chunk, n) != ALM_OK) {
            st = alm_fail(err, ALM_ENOMEM, "out of memory");
            break;
        }
    }
    if (st == ALM_OK && ferror(f))
        st = alm_fail(err, ALM_EIO, "cannot read '%s': %s",
                      alm_error_quote(path, q, sizeof q), strerror(errno));
    if (st == ALM_OK && !out->s)
        st = alm_buf_add(out, "", 0);
    return st;
}

enum alm_status alm_file_read(const char *path, size_t max, struct alm_buf *out,
                              struct alm_error *err)
{
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        char q[300];
        return alm_fail(err, ALM_EIO, "cannot open '%s': %s",
                        alm_error_quote(path, q, sizeof q), strerror(errno));
    }
    enum alm_status st = read_stream(f, path, max, out, err);
    if (!is_stdin)
        fclose(f);
    return st;
}

/* Maps the len bytes of fd, with a zero page after them (so that the
 * text ends with a NUL whatever its length): an anonymous mapping of
 * len + a page with the file mapped over its start. NULL when it cannot. */
static void *map_with_nul(int fd, size_t len, size_t *maplen)
{
    long page = sysconf(_SC_PAGESIZE);
    if (page <= 0)
        return NULL;
    size_t n = (len / (size_t)page + 1) * (size_t)page;
    void *area = mmap(NULL, n, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED)
        return NULL;
    /* MAP_POPULATE: the pages are mapped now, in one call, rather than
     * faulted in one by one as the text is read. */
    int flags = MAP_PRIVATE | MAP_FIXED;
#ifdef MAP_POPULATE
    flags |= MAP_POPULATE;
#endif
    if (mmap(area, len, PROT_READ, flags, fd, 0) == MAP_FAILED) {
        munmap(area, n);
        return NULL;
    }
    *maplen = n;
    return area;
}

enum alm_status alm_file_text_open(const char *path, size_t max,
                                   struct alm_file_text *t,
                                   struct alm_error *err)
{
    t->s = NULL;
    t->len = 0;
    t->map = NULL;
    t->maplen = 0;
    t->buf = (struct alm_buf)ALM_BUF_INIT;
    struct stat sb;
    int fd = strcmp(path, "-") == 0 ? -1 : open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
        sb.st_size >= (1 << 20) && (unsigned long long)sb.st_size <= max)
        t->map = map_with_nul(fd, (size_t)sb.st_size, &t->maplen);
    if (fd >= 0)
        close(fd);
    if (t->map) {
        t->s = t->map;
        t->len = (size_t)sb.st_size;
        return ALM_OK;
    }
    /* Anything else, and every failure, as alm_file_read reads it. */
    enum alm_status st = alm_file_read(path, max, &t->buf, err);
    t->s = t->buf.s;
    t->len = t->buf.len;
    return st;
}

void alm_file_text_release(struct alm_file_text *t)
{
    if (t->map)
        munmap(t->map, t->maplen);
    alm_buf_release(&t->buf);
    t->map = NULL;
    t->s = NULL;
    t->len = 0;
}

enum alm_status alm_file_read_regular(const char *path, size_t max,
                                      struct alm_buf *out,
                                      struct alm_error *err)
{
    char q[300];
    struct stat sb;
    /* O_NONBLOCK: opening a FIFO for reading would wait for a writer. */
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0 && errno == ELOOP)
        return alm_fail(err, ALM_EINPUT,
                        "'%s' is a symbolic link: a dataset file must be a "
                        "regular file (replace the link with a copy of its "
                        "target)",
                        alm_error_quote(path, q, sizeof q));
    if (fd < 0)
        return alm_fail(err, ALM_EIO, "cannot open '%s': %s",
                        alm_error_quote(path, q, sizeof q), strerror(errno));
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return alm_fail(err, ALM_EINPUT,
                        "'%s' is not a regular file (a folder, a device, a "
                        "FIFO or a socket): a dataset file must be a regular "
                        "file",
                        alm_error_quote(path, q, sizeof q));
    }
    int fl = fcntl(fd, F_GETFL);
    FILE *f = NULL;
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0 ||
        !(f = fdopen(fd, "rb"))) {
        int e = errno;
        close(fd);
        return alm_fail(err, ALM_EIO, "cannot open '%s': %s",
                        alm_error_quote(path, q, sizeof q), strerror(e));
    }
    enum alm_status st = read_stream(f, path, max, out, err);
    fclose(f);
    return st;
}

/* ---- writing ------------------------------------------------------------ */

enum alm_status alm_fs_fail(struct alm_error *err, const char *what,
                            const char *path)
{
    char q[300];
    int e = errno;
    return alm_fail(err, ALM_EIO, "cannot %s '%s': %s", what,
                    alm_error_quote(path, q, sizeof q), strerror(e));
}

/* Writes all len bytes of data to fd, through short writes and signals.
 * Returns 0, or -1 with errno set. */
static int write_all(int fd, const char *data, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        done += (size_t)w;
    }
    return 0;
}

/* A new file is written through a stage of this many bytes (a multiple
 * of any block size). Whole stages go to the disk directly (O_DIRECT)
 * where the file system allows it, so that a large file written once
 * takes no room in the page cache and its pages are not copied there;
 * the last, partial stage is written through the cache. */
#define STAGE_BYTES ((size_t)1 << 20)

enum alm_status alm_fs_new_open(struct alm_fs_new *f, const char *path,
                                const char *shown, struct alm_error *err)
{
    f->path = path;
    f->shown = shown;
    f->stage = NULL;
    f->staged = 0;
    f->fd =
        open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (f->fd < 0)
        return alm_fs_fail(err, "create", shown);
    return ALM_OK;
}

void alm_fs_new_abort(struct alm_fs_new *f)
{
    free(f->stage);
    f->stage = NULL;
    if (f->fd < 0)
        return;
    close(f->fd);
    unlink(f->path);
    f->fd = -1;
}

/* Sets or clears O_DIRECT on fd; false when the system refuses. */
static bool set_direct(int fd, bool on)
{
#ifdef O_DIRECT
    int fl = fcntl(fd, F_GETFL);
    return fl != -1 &&
           fcntl(fd, F_SETFL, on ? fl | O_DIRECT : fl & ~O_DIRECT) == 0;
#else
    (void)fd;
    return !on;
#endif
}

/* Writes the stage, whole, directly when it can (a file system that
 * refuses a direct write gets it through the cache). */
static int flush_stage(struct alm_fs_new *f)
{
    if (f->staged == STAGE_BYTES && set_direct(f->fd, true)) {
        ssize_t w;
        do
            w = write(f->fd, f->stage, STAGE_BYTES);
        while (w < 0 && errno == EINTR);
        set_direct(f->fd, false);
        if (w == (ssize_t)STAGE_BYTES) {
            f->staged = 0;
            return 0;
        }
        /* Refused (EINVAL) or short: the rest goes through the cache. */
        size_t done = w > 0 ? (size_t)w : 0;
        if (w < 0 && errno != EINVAL)
            return -1;
        memmove(f->stage, f->stage + done, f->staged - done);
        f->staged -= done;
    }
    if (write_all(f->fd, f->stage, f->staged) != 0)
        return -1;
    f->staged = 0;
    return 0;
}

enum alm_status alm_fs_new_write(struct alm_fs_new *f, const void *data,
                                 size_t len, struct alm_error *err)
{
    const char *p = data;
    if (!f->stage && len) {
        void *s = NULL;
        if (posix_memalign(&s, 4096, STAGE_BYTES) != 0)
            s = NULL;
        f->stage = s;
    }
    int rc = f->stage || !len ? 0 : write_all(f->fd, p, len);
    while (f->stage && len && rc == 0) {
        size_t n =
            STAGE_BYTES - f->staged < len ? STAGE_BYTES - f->staged : len;
        memcpy(f->stage + f->staged, p, n);
        f->staged += n;
        p += n;
        len -= n;
        if (f->staged == STAGE_BYTES)
            rc = flush_stage(f);
    }
    if (rc != 0) {
        alm_fs_fail(err, "write", f->shown);
        alm_fs_new_abort(f);
        return ALM_EIO;
    }
    return ALM_OK;
}

enum alm_status alm_fs_new_close(struct alm_fs_new *f, struct alm_error *err)
{
    if (f->stage && f->staged && flush_stage(f) != 0) {
        alm_fs_fail(err, "write", f->shown);
        alm_fs_new_abort(f);
        return ALM_EIO;
    }
    free(f->stage);
    f->stage = NULL;
    if (fsync(f->fd) != 0) {
        alm_fs_fail(err, "flush", f->shown);
        alm_fs_new_abort(f);
        return ALM_EIO;
    }
    int fd = f->fd;
    f->fd = -1;
    if (close(fd) != 0) {
        alm_fs_fail(err, "close", f->shown);
        unlink(f->path);
        return ALM_EIO;
    }
    return ALM_OK;
}

enum alm_status alm_fs_write_new(const char *path, const char *shown,
                                 const char *data, size_t len,
                                 struct alm_error *err)
{
    struct alm_fs_new f;
    enum alm_status st = alm_fs_new_open(&f, path, shown, err);
    if (st == ALM_OK)
        st = alm_fs_new_write(&f, data, len, err);
    if (st == ALM_OK)
        st = alm_fs_new_close(&f, err);
    return st;
}

enum alm_status alm_fs_sync_dir(const char *dir, struct alm_error *err)
{
    int fd = open(dir, O_RDONLY);
    if (fd < 0)
        return alm_fs_fail(err, "open folder", dir);
    int rc = fsync(fd);
    /* Some file systems cannot fsync a folder (EINVAL): nothing to do. */
    if (rc != 0 && errno != EINVAL && errno != EROFS) {
        alm_fs_fail(err, "flush folder", dir);
        close(fd);
        return ALM_EIO;
    }
    close(fd);
    return ALM_OK;
}

enum alm_status alm_fs_output_kind(const char *path, enum alm_out_kind *kind,
                                   char **real, struct alm_error *err)
{
    char q[300];
    struct stat sb, tb;
    *kind = ALM_OUT_REPLACE;
    *real = NULL;
    if (lstat(path, &sb) != 0) {
        if (errno != ENOENT)
            return alm_fs_fail(err, "create", path);
        if (!(*real = alm__strdup(path)))
            return alm_fail(err, ALM_ENOMEM, "out of memory");
        return ALM_OK;
    }
    if (S_ISLNK(sb.st_mode)) {
        if (stat(path, &tb) != 0)
            return alm_fail(err, ALM_EINPUT,
                            "'%s' is a symbolic link to nothing: remove it, "
                            "or make it name the file to write",
                            alm_error_quote(path, q, sizeof q));
        sb = tb;
        if (S_ISREG(sb.st_mode)) {
            /* Followed on purpose: the file it names is replaced. */
            *real = realpath(path, NULL);
            if (!*real)
                return alm_fs_fail(err, "follow the link", path);
            return ALM_OK;
        }
    }
    if (S_ISDIR(sb.st_mode))
        return alm_fail(err, ALM_EINPUT, "'%s' is a folder: name a file",
                        alm_error_quote(path, q, sizeof q));
    if (!(*real = alm__strdup(path)))
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    if (!S_ISREG(sb.st_mode))
        *kind = ALM_OUT_DIRECT;
    return ALM_OK;
}

/* Writes data to the device, FIFO or socket at path, in place. */
static enum alm_status write_direct(const char *path, const char *data,
                                    size_t len, struct alm_error *err)
{
    int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return alm_fs_fail(err, "write", path);
    if (write_all(fd, data, len) != 0) {
        alm_fs_fail(err, "write", path);
        close(fd);
        return ALM_EIO;
    }
    if (close(fd) != 0)
        return alm_fs_fail(err, "write", path);
    return ALM_OK;
}

/* The temporary files of outputs being written, for
 * alm_fs_remove_temporaries: slots a signal handler reads, each set and
 * cleared atomically (a path registered stays valid until cleared). */
#define TEMP_SLOTS 16
static _Atomic(const char *) temp_slot[TEMP_SLOTS];

/* Registers path in a free slot (with none free, it stays behind if the
 * program is killed, as it did before). */
static void temp_register(const char *path)
{
    for (size_t i = 0; i < TEMP_SLOTS; i++) {
        const char *none = NULL;
        if (atomic_compare_exchange_strong(&temp_slot[i], &none, path))
            return;
    }
}

static void temp_unregister(const char *path)
{
    for (size_t i = 0; i < TEMP_SLOTS; i++) {
        const char *p = path;
        if (atomic_compare_exchange_strong(&temp_slot[i], &p, NULL))
            return;
    }
}

void alm_fs_remove_temporaries(void)
{
    for (size_t i = 0; i < TEMP_SLOTS; i++) {
        const char *p = atomic_load(&temp_slot[i]);
        if (p)
            unlink(p);
    }
}

enum alm_status alm_fs_write_atomic(const char *path, const char *data,
                                    size_t len, struct alm_error *err)
{
    enum alm_out_kind kind;
    char *real = NULL;
    enum alm_status st = alm_fs_output_kind(path, &kind, &real, err);
    if (st != ALM_OK)
        return st;
    if (kind == ALM_OUT_DIRECT) {
        st = write_direct(real, data, len, err);
        free(real);
        return st;
    }
    struct alm_buf tmp = ALM_BUF_INIT;
    if (alm_buf_printf(&tmp, "%s.almanac-tmp-%ld", real, (long)getpid()) !=
        ALM_OK) {
        free(real);
        return alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    /* Messages name path: the temporary name holds a process id. */
    temp_register(tmp.s);
    st = alm_fs_write_new(tmp.s, path, data, len, err);
    /* rename() replaces a regular file, or whatever was put at the name
     * since alm_fs_output_kind looked: check again just before. */
    struct stat sb;
    if (st == ALM_OK && lstat(real, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        char q[300];
        st = alm_fail(err, ALM_EIO,
                      "'%s' changed while it was written: not replaced",
                      alm_error_quote(path, q, sizeof q));
        unlink(tmp.s);
    } else if (st == ALM_OK && rename(tmp.s, real) != 0) {
        st = alm_fs_fail(err, "write", path);
        unlink(tmp.s);
    }
    temp_unregister(tmp.s);
    alm_buf_release(&tmp);
    free(real);
    return st;
}

enum alm_status alm_fs_out_open(struct alm_fs_out *o, const char *path,
                                struct alm_error *err)
{
    enum alm_out_kind kind;
    memset(o, 0, sizeof *o);
    o->fd = -1;
    o->path = path;
    enum alm_status st = alm_fs_output_kind(path, &kind, &o->real, err);
    o->direct = st == ALM_OK && kind == ALM_OUT_DIRECT;
    if (st == ALM_OK && alm_buf_printf(&o->tmp, "%s.almanac-tmp-%ld", o->real,
                                       (long)getpid()) != ALM_OK)
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
    if (st != ALM_OK)
        alm_fs_out_abort(o);
    return st;
}

enum alm_status alm_fs_out_write(struct alm_fs_out *o, const void *data,
                                 size_t len, struct alm_error *err)
{
    if (o->direct)
        return alm_buf_add(&o->held, data, len) == ALM_OK
                   ? ALM_OK
                   : alm_fail(err, ALM_ENOMEM, "out of memory");
    if (o->fd < 0) {
        o->fd =
            open(o->tmp.s, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                 0644);
        if (o->fd < 0)
            return alm_fs_fail(err, "create", o->path);
        o->created = true;
        temp_register(o->tmp.s);
    }
    if (write_all(o->fd, data, len) != 0) {
        alm_fs_fail(err, "write", o->path);
        alm_fs_out_abort(o);
        return ALM_EIO;
    }
    return ALM_OK;
}

enum alm_status alm_fs_out_commit(struct alm_fs_out *o, struct alm_error *err)
{
    enum alm_status st = ALM_OK;
    if (o->direct) {
        st =
            write_direct(o->real, o->held.s ? o->held.s : "", o->held.len, err);
        alm_fs_out_abort(o);
        return st;
    }
    if (o->fd < 0) /* nothing written: an empty file */
        st = alm_fs_out_write(o, "", 0, err);
    if (st == ALM_OK && fsync(o->fd) != 0)
        st = alm_fs_fail(err, "flush", o->path);
    if (st == ALM_OK) {
        int rc = close(o->fd);
        o->fd = -1;
        if (rc != 0)
            st = alm_fs_fail(err, "close", o->path);
    }
    struct stat sb;
    if (st == ALM_OK && lstat(o->real, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        char q[300];
        st = alm_fail(err, ALM_EIO,
                      "'%s' changed while it was written: not replaced",
                      alm_error_quote(o->path, q, sizeof q));
    } else if (st == ALM_OK && rename(o->tmp.s, o->real) != 0) {
        st = alm_fs_fail(err, "write", o->path);
    } else if (st == ALM_OK) {
        o->created = false; /* renamed: nothing to remove */
    }
    alm_fs_out_abort(o);
    return st;
}

void alm_fs_out_abort(struct alm_fs_out *o)
{
    if (o->fd >= 0) {
        close(o->fd);
        o->fd = -1;
    }
    if (o->created)
        unlink(o->tmp.s);
    o->created = false;
    if (o->tmp.s)
        temp_unregister(o->tmp.s);
    alm_buf_release(&o->tmp);
    alm_buf_release(&o->held);
    free(o->real);
    o->real = NULL;
}
