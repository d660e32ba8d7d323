/* Tests of fsio, on files the test makes in a temporary folder: whole
 * files read (limits, what is refused), new files created without
 * following what is at their name, and outputs replaced atomically or
 * written in place. Expected contents and messages are written by hand
 * from fsio.h. */
/* realpath() is an XSI function. */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dirent.h>

#include <almanac/fsio.h>

#include "../check.h"
#include "tmpdir.h"

/* The number of entries in the folder, . and .. left out. */
static int entries(void)
{
    int n = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (d)
        closedir(d);
    return n;
}

static void test_read(void)
{
    struct alm_error err;
    struct alm_buf b = ALM_BUF_INIT;
    put("a.txt", "one\ntwo\n");
    alm_error_clear(&err);
    CHECK(alm_file_read(at("a.txt"), 100, &b, &err) == ALM_OK);
    CHECK_INT(b.len, 8);
    CHECK_STR(b.s, "one\ntwo\n");
    /* It appends: a second read follows the first. */
    CHECK(alm_file_read(at("a.txt"), 100, &b, &err) == ALM_OK);
    CHECK_STR(b.s, "one\ntwo\none\ntwo\n");
    alm_buf_release(&b);

    /* An empty file gives "", not NULL. */
    put("empty.txt", "");
    CHECK(alm_file_read(at("empty.txt"), 100, &b, &err) == ALM_OK);
    CHECK(b.s != NULL && b.len == 0);
    alm_buf_release(&b);

    /* max is the largest size allowed: 8 bytes pass with max 8, not 7. */
    CHECK(alm_file_read(at("a.txt"), 8, &b, &err) == ALM_OK);
    alm_buf_release(&b);
    alm_error_clear(&err);
    CHECK(alm_file_read(at("a.txt"), 7, &b, &err) == ALM_EINPUT);
    CHECK(strstr(err.msg, "a.txt' is larger than 7 bytes") != NULL);
    alm_buf_release(&b);

    /* A missing file: ALM_EIO, naming it and the system's reason. */
    alm_error_clear(&err);
    CHECK(alm_file_read(at("missing.txt"), 100, &b, &err) == ALM_EIO);
    CHECK(strncmp(err.msg, "cannot open '", 13) == 0);
    CHECK(strstr(err.msg, "missing.txt': No such file or directory") != NULL);
    alm_buf_release(&b);

    /* A file name with a control character is quoted escaped. */
    alm_error_clear(&err);
    CHECK(alm_file_read(at("x\ny"), 100, &b, &err) == ALM_EIO);
    CHECK(strstr(err.msg, "x\\ny'") != NULL);
    alm_buf_release(&b);
}

/* Writes n bytes of a pattern (line k is "row k\n", cut at n) to name. */
static char *pattern(const char *name, size_t n)
{
    char *s = malloc(n + 32);
    size_t len = 0;
    for (long k = 0; len < n; k++)
        len += (size_t)snprintf(s + len, 32, "row %ld\n", k);
    s[n] = '\0';
    FILE *f = fopen(at(name), "wb");
    CHECK(f && fwrite(s, 1, n, f) == n);
    if (f)
        fclose(f);
    return s;
}

/* alm_file_text_open: a regular file of 1 MiB or more mapped, with the
 * NUL after it even when its size is a whole number of pages; smaller
 * files and failures as alm_file_read gives them. */
static void test_text(void)
{
    struct alm_error err;
    struct alm_file_text t;
    const size_t sizes[] = {(size_t)1 << 20, ((size_t)1 << 20) + 1,
                            ((size_t)3 << 20) + 4095};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char *want = pattern("big.txt", sizes[i]);
        alm_error_clear(&err);
        CHECK(alm_file_text_open(at("big.txt"), (size_t)64 << 20, &t, &err) ==
              ALM_OK);
        CHECK(t.map != NULL);
        CHECK_INT(t.len, sizes[i]);
        CHECK(memcmp(t.s, want, sizes[i]) == 0);
        CHECK_INT(t.s[t.len], '\0');
        alm_file_text_release(&t);
        CHECK(t.s == NULL && t.map == NULL);
        free(want);
    }
    /* Larger than max: refused as alm_file_read refuses it. */
    alm_error_clear(&err);
    CHECK(alm_file_text_open(at("big.txt"), 1 << 20, &t, &err) == ALM_EINPUT);
    CHECK(strstr(err.msg, "big.txt' is larger than 1048576 bytes") != NULL);
    alm_file_text_release(&t);
    unlink(at("big.txt"));

    /* A small file is read, not mapped. */
    put("a.txt", "one\ntwo\n");
    CHECK(alm_file_text_open(at("a.txt"), 100, &t, &err) == ALM_OK);
    CHECK(t.map == NULL);
    CHECK_INT(t.len, 8);
    CHECK_STR(t.s, "one\ntwo\n");
    alm_file_text_release(&t);

    alm_error_clear(&err);
    CHECK(alm_file_text_open(at("missing.txt"), 100, &t, &err) == ALM_EIO);
    CHECK(strstr(err.msg, "missing.txt': No such file or directory") != NULL);
    alm_file_text_release(&t);
}

static void test_read_regular(void)
{
    struct alm_error err;
    struct alm_buf b = ALM_BUF_INIT;
    put("t.csv", "id\n");
    CHECK(alm_file_read_regular(at("t.csv"), 100, &b, NULL) == ALM_OK);
    CHECK_STR(b.s, "id\n");
    alm_buf_release(&b);

    /* A symbolic link, even to a good file, is refused unfollowed. */
    CHECK(symlink("t.csv", at("link.csv")) == 0);
    alm_error_clear(&err);
    CHECK(alm_file_read_regular(at("link.csv"), 100, &b, &err) == ALM_EINPUT);
    CHECK(strstr(err.msg, "link.csv' is a symbolic link") != NULL);
    alm_buf_release(&b);
    /* alm_file_read follows it. */
    CHECK(alm_file_read(at("link.csv"), 100, &b, NULL) == ALM_OK);
    CHECK_STR(b.s, "id\n");
    alm_buf_release(&b);

    /* A FIFO with no writer: refused at once, not waited on. */
    CHECK(mkfifo(at("fifo"), 0600) == 0);
    alm_error_clear(&err);
    CHECK(alm_file_read_regular(at("fifo"), 100, &b, &err) == ALM_EINPUT);
    CHECK(strstr(err.msg, "fifo' is not a regular file") != NULL);
    alm_buf_release(&b);

    /* A folder. */
    CHECK(mkdir(at("sub"), 0700) == 0);
    alm_error_clear(&err);
    CHECK(alm_file_read_regular(at("sub"), 100, &b, &err) == ALM_EINPUT);
    CHECK(strstr(err.msg, "sub' is not a regular file") != NULL);
    alm_buf_release(&b);
    unlink(at("link.csv"));
    unlink(at("fifo"));
    rmdir(at("sub"));
    unlink(at("t.csv"));
}

static void test_write_new(void)
{
    struct alm_error err;
    int before = entries();
    CHECK(alm_fs_write_new(at("new.txt"), "shown.txt", "abc", 3, NULL) ==
          ALM_OK);
    CHECK_STR(slurp("new.txt"), "abc");
    /* Never opened when present: the file keeps its contents, the message
     * names the file shown. */
    alm_error_clear(&err);
    CHECK(alm_fs_write_new(at("new.txt"), "shown.txt", "xyz", 3, &err) ==
          ALM_EIO);
    CHECK_STR(err.msg, "cannot create 'shown.txt': File exists");
    CHECK_STR(slurp("new.txt"), "abc");
    /* A dangling link planted at the name: nothing is created where it
     * points. */
    CHECK(symlink("target.txt", at("planted")) == 0);
    alm_error_clear(&err);
    CHECK(alm_fs_write_new(at("planted"), "planted", "x", 1, &err) == ALM_EIO);
    CHECK(access(at("target.txt"), F_OK) != 0);
    unlink(at("planted"));
    unlink(at("new.txt"));
    CHECK_INT(entries(), before);
}

/* A new file written a piece at a time: pieces of odd sizes across the
 * stages of 1 MiB that go to the disk directly, and a last partial stage;
 * the bytes read back are those written, in order. An aborted file is
 * removed. */
static void test_write_pieces(void)
{
    struct alm_error err;
    struct alm_fs_new f;
    size_t total = (size_t)3 << 20, piece = 100003, done = 0;
    total += 12345;
    char *want = malloc(total);
    if (!want)
        return;
    for (size_t i = 0; i < total; i++)
        want[i] = (char)('a' + (i * 7 + i / 4099) % 26);
    alm_error_clear(&err);
    CHECK(alm_fs_new_open(&f, at("big.txt"), "big.txt", &err) == ALM_OK);
    while (done < total) {
        size_t n = total - done < piece ? total - done : piece;
        CHECK(alm_fs_new_write(&f, want + done, n, &err) == ALM_OK);
        done += n;
        piece = piece * 3 % 1500007 + 1; /* 1 byte to 1.5 MB */
    }
    CHECK(alm_fs_new_close(&f, &err) == ALM_OK);
    struct alm_buf b = ALM_BUF_INIT;
    CHECK(alm_file_read(at("big.txt"), total + 1, &b, &err) == ALM_OK);
    CHECK_INT(b.len, total);
    CHECK(b.len == total && memcmp(b.s, want, total) == 0);
    alm_buf_release(&b);
    unlink(at("big.txt"));
    int before = entries();
    CHECK(alm_fs_new_open(&f, at("gone.txt"), "gone.txt", &err) == ALM_OK);
    CHECK(alm_fs_new_write(&f, want, (size_t)2 << 20, &err) == ALM_OK);
    alm_fs_new_abort(&f);
    CHECK_INT(entries(), before);
    free(want);
}

static void test_sync_and_fail(void)
{
    struct alm_error err;
    CHECK(alm_fs_sync_dir(dir, NULL) == ALM_OK);
    alm_error_clear(&err);
    CHECK(alm_fs_sync_dir(at("no-such-folder"), &err) == ALM_EIO);
    CHECK(strncmp(err.msg, "cannot open folder '", 20) == 0);

    alm_error_clear(&err);
    errno = ENOSPC;
    CHECK(alm_fs_fail(&err, "write", "out.csv") == ALM_EIO);
    CHECK_INT(err.status, ALM_EIO);
    CHECK_STR(err.msg, "cannot write 'out.csv': No space left on device");
}

static void test_output_kind(void)
{
    struct alm_error err;
    enum alm_out_kind kind;
    char *real = NULL;
    /* Nothing at the name: replaced (created), under its own name. */
    CHECK(alm_fs_output_kind(at("out.csv"), &kind, &real, NULL) == ALM_OK);
    CHECK(kind == ALM_OUT_REPLACE);
    CHECK_STR(real, at("out.csv"));
    free(real);
    /* A device is written in place. */
    CHECK(alm_fs_output_kind("/dev/null", &kind, &real, NULL) == ALM_OK);
    CHECK(kind == ALM_OUT_DIRECT);
    CHECK_STR(real, "/dev/null");
    free(real);
    /* A link to a regular file is followed to that file. */
    put("target.csv", "old\n");
    CHECK(symlink("target.csv", at("link.csv")) == 0);
    char *want = realpath(at("target.csv"), NULL);
    CHECK(alm_fs_output_kind(at("link.csv"), &kind, &real, NULL) == ALM_OK);
    CHECK(kind == ALM_OUT_REPLACE);
    CHECK_STR(real, want);
    free(real);
    free(want);
    /* A dangling link and a folder are refused. */
    CHECK(symlink("nothing.csv", at("dangling")) == 0);
    alm_error_clear(&err);
    CHECK(alm_fs_output_kind(at("dangling"), &kind, &real, &err) == ALM_EINPUT);
    CHECK(real == NULL);
    CHECK(strstr(err.msg, "dangling' is a symbolic link to nothing") != NULL);
    alm_error_clear(&err);
    CHECK(alm_fs_output_kind(dir, &kind, &real, &err) == ALM_EINPUT);
    CHECK(strstr(err.msg, "' is a folder: name a file") != NULL);
    unlink(at("dangling"));
}

static void test_write_atomic(void)
{
    struct alm_error err;
    int before = entries();
    /* A new file, then replaced whole. */
    CHECK(alm_fs_write_atomic(at("report.md"), "first\n", 6, NULL) == ALM_OK);
    CHECK_STR(slurp("report.md"), "first\n");
    CHECK(alm_fs_write_atomic(at("report.md"), "2nd\n", 4, NULL) == ALM_OK);
    CHECK_STR(slurp("report.md"), "2nd\n");
    /* No temporary file is left beside it. */
    CHECK_INT(entries(), before + 1);
    /* Through a link (test_output_kind left link.csv -> target.csv): the
     * target gets the contents, the link stays a link. */
    CHECK(alm_fs_write_atomic(at("link.csv"), "new\n", 4, NULL) == ALM_OK);
    CHECK_STR(slurp("target.csv"), "new\n");
    struct stat sb;
    CHECK(lstat(at("link.csv"), &sb) == 0 && S_ISLNK(sb.st_mode));
    /* A device: written in place. */
    CHECK(alm_fs_write_atomic("/dev/null", "x", 1, NULL) == ALM_OK);
    /* A folder: refused, and nothing appears. */
    CHECK(mkdir(at("folder"), 0700) == 0);
    int n = entries();
    alm_error_clear(&err);
    CHECK(alm_fs_write_atomic(at("folder"), "x", 1, &err) == ALM_EINPUT);
    CHECK_INT(entries(), n);
    rmdir(at("folder"));
    unlink(at("report.md"));
    unlink(at("link.csv"));
    unlink(at("target.csv"));
}

/* An output being written has one temporary file beside it, which
 * alm_fs_remove_temporaries (what the CLI calls when a signal stops it)
 * removes; one committed or aborted is no longer among them. */
static void test_remove_temporaries(void)
{
    struct alm_error err;
    struct alm_fs_out done, open;
    int before = entries();
    alm_error_clear(&err);
    CHECK(alm_fs_out_open(&done, at("done.csv"), &err) == ALM_OK);
    CHECK(alm_fs_out_write(&done, "a\n", 2, &err) == ALM_OK);
    CHECK(alm_fs_out_commit(&done, &err) == ALM_OK);
    CHECK(alm_fs_out_open(&open, at("open.csv"), &err) == ALM_OK);
    CHECK(alm_fs_out_write(&open, "b\n", 2, &err) == ALM_OK);
    CHECK_INT(entries(), before + 2); /* done.csv, open.csv's temporary */
    alm_fs_remove_temporaries();
    CHECK_INT(entries(), before + 1);
    CHECK_STR(slurp("done.csv"), "a\n");
    alm_fs_out_abort(&open);
    CHECK_INT(entries(), before + 1);
    unlink(at("done.csv"));
}

int main(void)
{
    alm_init();
    if (!tmpdir_make("fsio"))
        return 1;
    test_read();
    test_text();
    test_read_regular();
    test_write_new();
    test_write_pieces();
    test_sync_and_fail();
    test_output_kind();
    test_write_atomic();
    test_remove_temporaries();
    put("done", "");
    unlink(at("done"));
    unlink(at("empty.txt"));
    unlink(at("a.txt"));
    CHECK_INT(entries(), 0);
    rmdir(dir);
    return check_done();
}
