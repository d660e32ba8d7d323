/* The store: the folder lock, atomic multi-file commits and their
 * recovery (the protocol is described in store.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <almanac/buf.h>
#include <almanac/fsio.h>
#include <almanac/store.h>

#include "internal.h"

#define LOCK_NAME    ".almanac.lock"
#define JOURNAL_NAME ".almanac-journal"
#define JOURNAL_TMP  ".almanac-journal.tmp"
#define JOURNAL_HEAD "almanac-journal 1\n"
#define JOURNAL_END  "end\n"

struct alm_lock {
    char *dir;
    int fd; /* the lock file, or -1 for a read-only folder */
    bool exclusive;
};

/* Builds "dir/name" into b. */
static enum alm_status join(struct alm_buf *b, const char *dir,
                            const char *name)
{
    alm_buf_reset(b);
    if (alm_buf_puts(b, dir) != ALM_OK || alm_buf_putc(b, '/') != ALM_OK ||
        alm_buf_puts(b, name) != ALM_OK)
        return ALM_ENOMEM;
    return ALM_OK;
}

/* Builds "dir/.name.almanac-tmp" into b. */
static enum alm_status tmp_path(struct alm_buf *b, const char *dir,
                                const char *name)
{
    alm_buf_reset(b);
    if (alm_buf_printf(b, "%s/.%s.almanac-tmp", dir, name) != ALM_OK)
        return ALM_ENOMEM;
    return ALM_OK;
}

static bool plain_name(const char *name, size_t len)
{
    if (len == 0 || len > 200 || name[0] == '.')
        return false;
    for (size_t i = 0; i < len; i++)
        if (name[i] == '/' || name[i] == '\0' || name[i] == '\n')
            return false;
    return true;
}

/* Renames the temporary file of name over it, as a commit listed in the
 * journal; a temporary file already gone was renamed before a crash. */
static enum alm_status replay_file(const char *dir, const char *name,
                                   struct alm_error *err)
{
    struct alm_buf tmp = ALM_BUF_INIT, target = ALM_BUF_INIT;
    enum alm_status st = ALM_OK;
    struct stat sb;
    if (tmp_path(&tmp, dir, name) != ALM_OK ||
        join(&target, dir, name) != ALM_OK)
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
    /* Anything but a regular file was not written by a commit (a symbolic
     * link would become the dataset file). */
    else if (lstat(tmp.s, &sb) == 0 && !S_ISREG(sb.st_mode))
        st = alm_fail(err, ALM_EIO,
                      "'%s' is not a regular file: the dataset needs "
                      "repair by hand",
                      tmp.s);
    else if (rename(tmp.s, target.s) != 0 && errno != ENOENT)
        st = alm_fs_fail(err, "complete the commit of", target.s);
    alm_buf_release(&tmp);
    alm_buf_release(&target);
    return st;
}

/* Completes the transaction whose journal is at path: checks the journal
 * whole, renames every file it lists, then removes it. */
static enum alm_status replay_journal(const char *dir, const char *path,
                                      struct alm_error *err)
{
    struct alm_buf journal = ALM_BUF_INIT;
    enum alm_status st = alm_file_read_regular(path, 1 << 20, &journal, err);
    if (st != ALM_OK)
        goto done;
    size_t hl = strlen(JOURNAL_HEAD), el = strlen(JOURNAL_END);
    if (journal.len < hl + el || memcmp(journal.s, JOURNAL_HEAD, hl) != 0 ||
        memcmp(journal.s + journal.len - el, JOURNAL_END, el) != 0) {
        st =
            alm_fail(err, ALM_EIO,
                     "'%s' is damaged: the dataset needs repair by hand", path);
        goto done;
    }
    char *p = journal.s + hl, *end = journal.s + journal.len - el;
    while (p < end && st == ALM_OK) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl || !plain_name(p, (size_t)(nl - p))) {
            st = alm_fail(err, ALM_EIO, "'%s' names a bad file", path);
            goto done;
        }
        *nl = '\0';
        st = replay_file(dir, p, err);
        p = nl + 1;
    }
    if (st == ALM_OK)
        st = alm_fs_sync_dir(dir, err);
    if (st == ALM_OK && unlink(path) != 0 && errno != ENOENT)
        st = alm_fs_fail(err, "remove", path);
    if (st == ALM_OK)
        st = alm_fs_sync_dir(dir, err);
done:
    alm_buf_release(&journal);
    return st;
}

/* Removes the temporary files of dir, which belong to no committed
 * transaction. unlink() removes a symbolic link itself, never what it
 * points to. */
static void remove_debris(const char *dir)
{
    struct alm_buf path = ALM_BUF_INIT;
    /* The four tables and the change log (dataset_log.c). */
    static const char *const names[] = {"indicators.csv", "observations.csv",
                                        "sources.csv", "targets.csv",
                                        "changes.log"};
    if (join(&path, dir, JOURNAL_TMP) == ALM_OK)
        unlink(path.s);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (tmp_path(&path, dir, names[i]) == ALM_OK)
            unlink(path.s);
    alm_buf_release(&path);
}

/* Completes a committed transaction (the journal exists) or removes the
 * debris of an uncommitted one. The caller holds the exclusive lock. */
static enum alm_status recover(const char *dir, struct alm_error *err)
{
    struct alm_buf path = ALM_BUF_INIT;
    struct stat sb;
    enum alm_status st = ALM_OK;
    if (join(&path, dir, JOURNAL_NAME) != ALM_OK)
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
    else if (lstat(path.s, &sb) == 0 && !S_ISREG(sb.st_mode))
        st = alm_fail(err, ALM_EIO,
                      "'%s' is not a regular file: the dataset needs "
                      "repair by hand",
                      path.s);
    else if (lstat(path.s, &sb) == 0)
        st = replay_journal(dir, path.s, err);
    if (st == ALM_OK)
        remove_debris(dir);
    alm_buf_release(&path);
    return st;
}

/* Returns true when a transaction may need recovery: a journal or a
 * temporary file is present. */
static bool needs_recovery(const char *dir)
{
    struct alm_buf p = ALM_BUF_INIT;
    struct stat sb;
    bool found = false;
    static const char *const names[] = {JOURNAL_NAME,
                                        JOURNAL_TMP,
                                        ".indicators.csv.almanac-tmp",
                                        ".observations.csv.almanac-tmp",
                                        ".sources.csv.almanac-tmp",
                                        ".targets.csv.almanac-tmp",
                                        ".changes.log.almanac-tmp"};
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !found; i++)
        if (join(&p, dir, names[i]) == ALM_OK && lstat(p.s, &sb) == 0)
            found = true;
    alm_buf_release(&p);
    return found;
}

static int set_lock(int fd, short type)
{
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = type;
    fl.l_whence = SEEK_SET;
    int rc;
    do
        rc = fcntl(fd, F_SETLKW, &fl);
    while (rc != 0 && errno == EINTR);
    return rc;
}

/* Opens (creating it) the lock file at path into lk->fd. In a read-only
 * folder a reader goes without: lk->fd stays -1, and the call succeeds. */
static enum alm_status open_lock_file(struct alm_lock *lk, const char *path,
                                      struct alm_error *err)
{
    char q[300];
    struct stat sb;
    /* O_NOFOLLOW: a symbolic link planted at the lock's name would have
     * it created wherever it points. O_NONBLOCK: a FIFO there would wait
     * for a writer. */
    lk->fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
                  0644);
    if (lk->fd < 0 && errno == ELOOP)
        return alm_fail(err, ALM_EINPUT,
                        "'%s' is a symbolic link: Almanac's lock must be a "
                        "regular file (remove the link; it is made again)",
                        alm_error_quote(path, q, sizeof q));
    if (lk->fd >= 0 && (fstat(lk->fd, &sb) != 0 || !S_ISREG(sb.st_mode)))
        return alm_fail(err, ALM_EINPUT,
                        "'%s' is not a regular file: Almanac's lock must be a "
                        "regular file (remove it; it is made again)",
                        alm_error_quote(path, q, sizeof q));
    /* A read-only folder: no writer can change it under us. */
    if (lk->fd < 0 && (lk->exclusive || (errno != EACCES && errno != EROFS)))
        return alm_fs_fail(err, "lock", path);
    return ALM_OK;
}

/* Takes the fcntl lock on lk->fd (the lock file at path), then completes
 * or rolls back whatever transaction a killed writer left. */
static enum alm_status take_lock(struct alm_lock *lk, const char *path,
                                 struct alm_error *err)
{
    bool exclusive = lk->exclusive;
    if (set_lock(lk->fd, exclusive ? F_WRLCK : F_RDLCK) != 0)
        return alm_fs_fail(err, "lock", path);
    if (!needs_recovery(lk->dir))
        return ALM_OK;
    /* A reader lets go of its shared lock before it waits for the
     * exclusive one: two readers upgrading at once deadlock (EDEADLK).
     * Another process may recover meanwhile; recover() allows that. */
    if (!exclusive &&
        (set_lock(lk->fd, F_UNLCK) != 0 || set_lock(lk->fd, F_WRLCK) != 0))
        return alm_fs_fail(err, "lock", path);
    enum alm_status st = recover(lk->dir, err);
    if (st != ALM_OK)
        return st;
    if (!exclusive && set_lock(lk->fd, F_RDLCK) != 0)
        return alm_fs_fail(err, "lock", path);
    return ALM_OK;
}

enum alm_status alm_store_lock(const char *dir, bool exclusive,
                               struct alm_lock **out, struct alm_error *err)
{
    struct alm_buf path = ALM_BUF_INIT;
    struct stat sb;
    char q[300];
    enum alm_status st = ALM_OK;
    struct alm_lock *lk = calloc(1, sizeof *lk);
    if (!lk || !(lk->dir = alm__strdup(dir))) {
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
        goto fail;
    }
    lk->fd = -1;
    lk->exclusive = exclusive;
    if (stat(dir, &sb) != 0)
        st = alm_fs_fail(err, "open dataset", dir);
    else if (!S_ISDIR(sb.st_mode))
        st = alm_fail(err, ALM_EIO, "'%s' is not a folder",
                      alm_error_quote(dir, q, sizeof q));
    else if (join(&path, dir, LOCK_NAME) != ALM_OK)
        st = alm_fail(err, ALM_ENOMEM, "out of memory");
    else
        st = open_lock_file(lk, path.s, err);
    if (st == ALM_OK && lk->fd >= 0)
        st = take_lock(lk, path.s, err);
    if (st != ALM_OK)
        goto fail;
    alm_buf_release(&path);
    *out = lk;
    return ALM_OK;
fail:
    alm_buf_release(&path);
    alm_store_unlock(lk);
    return st;
}

void alm_store_unlock(struct alm_lock *lock)
{
    if (!lock)
        return;
    if (lock->fd >= 0)
        close(lock->fd); /* closing the file releases the fcntl lock */
    free(lock->dir);
    free(lock);
}

/* Writes the new contents of f into a new file at path. */
static enum alm_status write_file(const char *path,
                                  const struct alm_store_file *f,
                                  struct alm_error *err)
{
    if (!f->fill)
        return alm_fs_write_new(path, path, f->data, f->len, err);
    struct alm_fs_new out;
    enum alm_status st = alm_fs_new_open(&out, path, path, err);
    if (st == ALM_OK)
        st = f->fill(f->ctx, &out, err);
    if (st == ALM_OK)
        return alm_fs_new_close(&out, err);
    alm_fs_new_abort(&out);
    return st;
}

enum alm_status alm_store_commit(const struct alm_lock *lock,
                                 const struct alm_store_file *files, size_t n,
                                 struct alm_error *err)
{
    const char *dir = lock->dir;
    struct alm_buf tmp = ALM_BUF_INIT, path = ALM_BUF_INIT;
    struct alm_buf journal = ALM_BUF_INIT;
    enum alm_status st = ALM_OK;
    size_t written = 0;

    if (!lock->exclusive || lock->fd < 0)
        return alm_fail(err, ALM_EBUG, "commit without the write lock");
    if (alm_buf_puts(&journal, JOURNAL_HEAD) != ALM_OK)
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        if (!plain_name(files[i].name, strlen(files[i].name))) {
            st = alm_fail(err, ALM_EBUG, "bad file name in a commit");
            goto done;
        }
        if (alm_buf_printf(&journal, "%s\n", files[i].name) != ALM_OK)
            goto nomem;
    }
    if (alm_buf_puts(&journal, JOURNAL_END) != ALM_OK)
        goto nomem;

    /* 1. The new contents, beside the old ones. */
    for (written = 0; written < n; written++) {
        if (tmp_path(&tmp, dir, files[written].name) != ALM_OK)
            goto nomem;
        /* Under the write lock, a file at this name is the debris of a
         * killed writer, or something planted: either way it goes. */
        if (unlink(tmp.s) != 0 && errno != ENOENT) {
            st = alm_fs_fail(err, "remove", tmp.s);
            goto rollback;
        }
        st = write_file(tmp.s, &files[written], err);
        if (st != ALM_OK)
            goto rollback;
    }
    /* 2. The commit point: the journal appears whole or not at all. */
    if (join(&tmp, dir, JOURNAL_TMP) != ALM_OK ||
        join(&path, dir, JOURNAL_NAME) != ALM_OK)
        goto nomem;
    if (unlink(tmp.s) != 0 && errno != ENOENT) {
        st = alm_fs_fail(err, "remove", tmp.s);
        goto rollback;
    }
    st = alm_fs_write_new(tmp.s, tmp.s, journal.s, journal.len, err);
    if (st != ALM_OK)
        goto rollback;
    if (rename(tmp.s, path.s) != 0) {
        st = alm_fs_fail(err, "commit", path.s);
        unlink(tmp.s);
        goto rollback;
    }
    /* 3 and 4: if anything fails from here on, the journal stays and the
     * next opener completes the transaction. */
    st = recover(dir, err);
    goto done;

nomem:
    st = alm_fail(err, ALM_ENOMEM, "out of memory");
rollback:
    for (size_t i = 0; i < written; i++)
        if (tmp_path(&tmp, dir, files[i].name) == ALM_OK)
            unlink(tmp.s);
done:
    alm_buf_release(&tmp);
    alm_buf_release(&path);
    alm_buf_release(&journal);
    return st;
}
