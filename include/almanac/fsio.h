/* File input and output: whole files read into a buffer, and files written
 * so that a failure never leaves half a file behind.
 *
 * fsio is a bottom module: it depends only on error and buf, and every
 * module that reads or writes a file goes through it (csvio reads tables
 * with it, the store writes its temporary files and its journal with it,
 * the commands write their outputs with alm_fs_write_atomic). Messages
 * name the file with alm_error_quote and say what failed ("cannot open
 * 'x.csv': No such file or directory"). */
#ifndef ALMANAC_FSIO_H
#define ALMANAC_FSIO_H

#include <stdbool.h>
#include <stddef.h>

#include <almanac/buf.h>
#include <almanac/error.h>

/* Reads a whole file ("-" is standard input) and appends it to out,
 * failing with ALM_EINPUT when it is larger than max bytes and ALM_EIO
 * when it cannot be opened or read. On success out->s is never NULL (an
 * empty file gives ""). */
enum alm_status alm_file_read(const char *path, size_t max, struct alm_buf *out,
                              struct alm_error *err);

/* Like alm_file_read, for files that must be regular (a dataset's tables,
 * the journal): a symbolic link, a FIFO, a device, a socket or a folder
 * at path is refused with ALM_EINPUT, without following the link or
 * waiting on the FIFO. */
enum alm_status alm_file_read_regular(const char *path, size_t max,
                                      struct alm_buf *out,
                                      struct alm_error *err);

/* A whole file's bytes, read-only: s[0..len) and a NUL at s[len]. A
 * regular file of 1 MiB or more is mapped into memory rather than read
 * (no copy, no fresh pages), anything else ("-", a FIFO, a small file) is
 * read into buf. A mapped file that another program truncates while it is
 * in use ends the process with SIGBUS, as with any mapped file. */
struct alm_file_text {
    const char *s;
    size_t len;
    void *map; /* the mapping (NULL when read into buf) */
    size_t maplen;
    struct alm_buf buf;
};

/* Fills *t with the file at path as alm_file_read would read it (same
 * limits and messages); alm_file_text_release() frees it, on failure too. */
enum alm_status alm_file_text_open(const char *path, size_t max,
                                   struct alm_file_text *t,
                                   struct alm_error *err);
void alm_file_text_release(struct alm_file_text *t);

/* Fails with ALM_EIO and the message "cannot WHAT 'PATH': " followed by
 * strerror(errno), errno as it was on entry. Returns ALM_EIO. */
enum alm_status alm_fs_fail(struct alm_error *err, const char *what,
                            const char *path);

/* Writes all of data to a new file at path and flushes it to disk
 * (fsync). The file is created, never opened: whatever is at path (a file,
 * a dangling symbolic link) makes this fail rather than write where it
 * points. Messages name the file shown, which may differ from path (a
 * temporary file). On failure no file is left at path. */
enum alm_status alm_fs_write_new(const char *path, const char *shown,
                                 const char *data, size_t len,
                                 struct alm_error *err);

/* alm_fs_write_new() a piece at a time: _open creates the file (f->fd),
 * _write appends len bytes, _close flushes and closes it; on a failure of
 * _write or _close (with its message, as alm_fs_write_new gives it) the
 * file is removed, and _abort removes it too (a no-op once closed or
 * failed). path and shown must last until the file is closed. */
struct alm_fs_new {
    int fd; /* -1 once closed, failed or aborted */
    const char *path, *shown;
    char *stage; /* bytes not written yet (fsio.c) */
    size_t staged;
};
enum alm_status alm_fs_new_open(struct alm_fs_new *f, const char *path,
                                const char *shown, struct alm_error *err);
enum alm_status alm_fs_new_write(struct alm_fs_new *f, const void *data,
                                 size_t len, struct alm_error *err);
enum alm_status alm_fs_new_close(struct alm_fs_new *f, struct alm_error *err);
void alm_fs_new_abort(struct alm_fs_new *f);

/* Flushes the folder dir itself, so that renames in it are durable. A
 * file system that cannot flush a folder (EINVAL, EROFS) is not an
 * error. */
enum alm_status alm_fs_sync_dir(const char *dir, struct alm_error *err);

/* How an output name is written (README, "Outputs"). */
enum alm_out_kind {
    ALM_OUT_REPLACE, /* nothing or a regular file: written beside, renamed */
    ALM_OUT_DIRECT   /* a device, a FIFO, a socket: opened and written */
};

/* Decides how path is written: *kind, and in *real (caller frees) the name
 * to write, which is path except for a symbolic link to a regular file,
 * followed on purpose to the file it names (the link stays). A link to a
 * device or a FIFO (/dev/stdout) is written directly through the link. A
 * dangling link and a folder are refused (ALM_EINPUT). */
enum alm_status alm_fs_output_kind(const char *path, enum alm_out_kind *kind,
                                   char **real, struct alm_error *err);

/* Writes len bytes to path: when alm_fs_output_kind says ALM_OUT_REPLACE,
 * atomically (a temporary file in the same folder, flushed to disk, then
 * renamed over the file; on failure the file is untouched and no
 * temporary file is left); a device or a FIFO is written in place, never
 * replaced. */
enum alm_status alm_fs_write_atomic(const char *path, const char *data,
                                    size_t len, struct alm_error *err);

/* Removes the temporary files of the outputs being written now (by
 * alm_fs_write_atomic and alm_fs_out), for a program stopped by a
 * signal: it only calls unlink(), so a signal handler may call it. A
 * dataset's own temporary files are not among them (the store recovers
 * them, store.h). */
void alm_fs_remove_temporaries(void);

/* A file written as it comes, with alm_fs_write_atomic's guarantees:
 * alm_fs_out_open names the output, alm_fs_out_write adds data (to a
 * temporary file beside it, created at the first write), and
 * alm_fs_out_commit flushes it and renames it over path (a device or a
 * FIFO gets the data held until then, in place); alm_fs_out_abort, or a
 * failed call, leaves path untouched and no temporary file behind. The
 * messages are alm_fs_write_atomic's. */
struct alm_fs_out {
    const char *path; /* as given, for messages */
    char *real;       /* the file replaced */
    struct alm_buf tmp, held;
    int fd;       /* the temporary file, or -1 */
    bool created; /* the temporary file exists */
    bool direct;  /* a device or a FIFO: written at commit */
};
enum alm_status alm_fs_out_open(struct alm_fs_out *o, const char *path,
                                struct alm_error *err);
enum alm_status alm_fs_out_write(struct alm_fs_out *o, const void *data,
                                 size_t len, struct alm_error *err);
enum alm_status alm_fs_out_commit(struct alm_fs_out *o, struct alm_error *err);
void alm_fs_out_abort(struct alm_fs_out *o);

#endif
