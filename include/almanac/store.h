/* The store: how a dataset folder is written without ever losing data.
 *
 * Every command that changes a dataset takes the folder's lock
 * (".almanac.lock", an fcntl write lock), builds the new contents of the
 * files it changes in memory, and commits them together:
 *
 *   1. each new file is written to ".NAME.almanac-tmp" and fsync'ed;
 *   2. a journal naming those files is written, fsync'ed and renamed to
 *      ".almanac-journal": this rename is the commit point;
 *   3. each temporary file is renamed over its file, the folder fsync'ed;
 *   4. the journal is removed.
 *
 * A process killed before step 2 leaves only temporary files, which the
 * next opener deletes: the dataset is as before. Killed after it, the next
 * opener finds the journal and finishes the renames: the dataset is as
 * after. Readers take the lock shared, so they never see a commit half
 * done; a reader that finds a journal upgrades to the write lock, finishes
 * the commit, then reads. */
#ifndef ALMANAC_STORE_H
#define ALMANAC_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include <almanac/error.h>
/* The output helpers once declared here (alm_fs_write_atomic) are fsio's;
 * included for the callers that still look for them here. */
#include <almanac/fsio.h>

/* The names of the files a transaction may replace, relative to the
 * dataset folder. */
#define ALM_STORE_FILES_MAX 8

struct alm_store_file {
    const char *name; /* "observations.csv": a plain name, no '/' */
    const char *data; /* the new contents */
    size_t len;
    /* Or, when fill is not NULL, the contents as fill(ctx, out, err)
     * writes them into the new file with alm_fs_new_write(), a piece at a
     * time (data and len unused). The files are written in the order of
     * files[], so a fill may use what the fills before it found. A fill
     * that fails (its message in err) rolls the commit back, as a failed
     * write does: nothing changed. */
    enum alm_status (*fill)(void *ctx, struct alm_fs_new *out,
                            struct alm_error *err);
    void *ctx;
};

/* A held lock on a dataset folder. */
struct alm_lock;

/* Takes the lock of dir, shared (readers) or exclusive (writers), waiting
 * for other holders, and completes or rolls back any transaction a killed
 * writer left behind. A folder where the lock file cannot be created (a
 * read-only folder) is opened shared without a lock: nobody can write it.
 * On success *out holds the lock; release it with alm_store_unlock(). */
enum alm_status alm_store_lock(const char *dir, bool exclusive,
                               struct alm_lock **out, struct alm_error *err);

/* Releases and frees the lock; NULL is a no-op. */
void alm_store_unlock(struct alm_lock *lock);

/* Replaces the n files of dir with their new contents as one atomic
 * transaction (see above). The caller holds the exclusive lock. On
 * failure before the commit point nothing changed; after it the
 * transaction is completed by the next alm_store_lock(). */
enum alm_status alm_store_commit(const struct alm_lock *lock,
                                 const struct alm_store_file *files, size_t n,
                                 struct alm_error *err);

#endif
