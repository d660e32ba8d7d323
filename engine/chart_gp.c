/* Quoting for gnuplot and running it (see chart.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <almanac/chart.h>

#include "chart_internal.h"
#include "internal.h"

/* The most bytes of gnuplot's standard error kept for a message. */
#define STDERR_MAX (64 * 1024)

enum alm_status alm_gp_quote(struct alm_buf *out, const char *text)
{
    size_t start = out->len;
    enum alm_status st = alm_buf_putc(out, '\'');
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    for (; *p && st == ALM_OK; p++) {
        unsigned char c = *p;
        if (c == '\'')
            st = alm_buf_puts(out, "'.\"\\047\".'");
        else if (c == '\r' && p[1] == '\n')
            continue; /* CRLF is one line break, one space */
        else if (c == '\t' || c == '\n' || c == '\r')
            st = alm_buf_putc(out, ' ');
        else if (c < 0x20 || c == 0x7f)
            continue;
        else
            st = alm_buf_putc(out, (char)c);
    }
    if (st == ALM_OK)
        st = alm_buf_putc(out, '\'');
    if (st != ALM_OK && out->s) {
        out->len = start;
        out->s[start] = '\0';
    }
    return st;
}

/* Turns gnuplot's standard error into one line for a message: the lines
 * that say something (not the caret under the command), joined by "; ". */
static void gp_message(const char *text, char *out, size_t size)
{
    struct alm_buf b = ALM_BUF_INIT;
    const char *p = text;
    while (*p) {
        size_t len = strcspn(p, "\n");
        const char *a = p, *z = p + len;
        while (a < z && (*a == ' ' || *a == '\t' || *a == '\r'))
            a++;
        while (z > a && (z[-1] == ' ' || z[-1] == '\t' || z[-1] == '\r'))
            z--;
        bool carets = a < z && strspn(a, "^") >= (size_t)(z - a);
        if (a < z && !carets) {
            if (b.len)
                alm_buf_puts(&b, "; ");
            alm_buf_add(&b, a, (size_t)(z - a));
        }
        p += len;
        if (*p)
            p++;
    }
    alm_error_quote(b.s ? b.s : "", out, size);
    alm_buf_release(&b);
}

static void set_cloexec(int fd)
{
    int fl = fcntl(fd, F_GETFD);
    if (fl >= 0)
        fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
}

/* Feeds the script to gnuplot's standard input and collects its standard
 * error until both are done. Writes that find gnuplot gone (EPIPE) stop
 * the feeding: its exit status tells what happened. */
static enum alm_status gp_pump(int in, int er, const char *script, size_t len,
                               struct alm_buf *errtext, struct alm_error *err)
{
    size_t off = 0;
    int fl = fcntl(in, F_GETFL);
    if (fl >= 0)
        fcntl(in, F_SETFL, fl | O_NONBLOCK);
    if (len == 0) {
        close(in);
        in = -1;
    }
    while (in >= 0 || er >= 0) {
        struct pollfd fds[2] = {{in, POLLOUT, 0}, {er, POLLIN, 0}};
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            if (in >= 0)
                close(in);
            if (er >= 0)
                close(er);
            return alm_fail(err, ALM_EEXTERNAL, "cannot talk to gnuplot: %s",
                            strerror(errno));
        }
        if (in >= 0 && fds[0].revents) {
            size_t chunk = len - off < 65536 ? len - off : 65536;
            ssize_t k = write(in, script + off, chunk);
            if (k > 0)
                off += (size_t)k;
            if ((k < 0 && errno != EAGAIN && errno != EINTR) || off == len) {
                close(in);
                in = -1;
            }
        }
        if (er >= 0 && fds[1].revents) {
            char buf[4096];
            ssize_t k = read(er, buf, sizeof buf);
            if (k > 0 && errtext->len < STDERR_MAX)
                alm_buf_add(errtext, buf, (size_t)k);
            if (k == 0 || (k < 0 && errno != EAGAIN && errno != EINTR)) {
                close(er);
                er = -1;
            }
        }
    }
    return ALM_OK;
}

/* Starts prog with standard input in_fd, output out_fd (-1: /dev/null)
 * and error err_fd, storing its id in *pid; returns 0 or the errno of the
 * failed fork or exec. The child dies with almanac (PR_SET_PDEATHSIG):
 * a killed almanac leaves no gnuplot drawing to a temporary file. */
static int spawn(const char *prog, char *const argv[], int in_fd, int out_fd,
                 int err_fd, pid_t *pid)
{
    int ep[2];
    if (pipe(ep) != 0)
        return errno;
    set_cloexec(ep[0]);
    set_cloexec(ep[1]);
    pid_t parent = getpid();
    pid_t child = fork();
    if (child < 0) {
        int e = errno;
        close(ep[0]);
        close(ep[1]);
        return e;
    }
    if (child == 0) {
        int e;
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        /* The parent may have died before prctl: then nobody waits. */
        if (getppid() != parent)
            _exit(127);
        if (out_fd < 0)
            out_fd = open("/dev/null", O_WRONLY);
        if (dup2(in_fd, 0) < 0 || out_fd < 0 || dup2(out_fd, 1) < 0 ||
            dup2(err_fd, 2) < 0) {
            e = errno;
        } else {
            execvp(prog, argv);
            e = errno;
        }
        ssize_t w = write(ep[1], &e, sizeof e);
        (void)w;
        _exit(127);
    }
    close(ep[1]);
    int e = 0;
    ssize_t k;
    do
        k = read(ep[0], &e, sizeof e);
    while (k < 0 && errno == EINTR);
    close(ep[0]);
    if (k == (ssize_t)sizeof e) {
        /* exec failed: the child has exited; collect it. */
        while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
            ;
        return e ? e : ENOEXEC;
    }
    *pid = child;
    return 0;
}

/* Opens the pipes to gnuplot's standard input (in) and error (er), each
 * closed on exec. */
static enum alm_status open_pipes(int in[2], int er[2], struct alm_error *err)
{
    if (pipe(in) != 0 || pipe(er) != 0) {
        int e = errno;
        for (int i = 0; i < 2; i++) {
            if (in[i] >= 0)
                close(in[i]);
            if (er[i] >= 0)
                close(er[i]);
        }
        return alm_fail(err, ALM_EEXTERNAL, "cannot run gnuplot: %s",
                        strerror(e));
    }
    for (int i = 0; i < 2; i++) {
        set_cloexec(in[i]);
        set_cloexec(er[i]);
    }
    return ALM_OK;
}

/* gnuplot's standard output (text charts) goes to a temporary file that
 * is copied to ours afterwards: a write error there is ours to report,
 * which gnuplot's exit status would not do. */
static enum alm_status output_file(int *out, struct alm_error *err)
{
    const char *tdir = getenv("TMPDIR");
    struct alm_buf tpl = ALM_BUF_INIT;
    alm_buf_printf(&tpl, "%s/almanac-gp-XXXXXX", tdir && *tdir ? tdir : "/tmp");
    int fd = alm_buf_status(&tpl) == ALM_OK ? mkstemp(tpl.s) : -1;
    int e = errno;
    if (fd >= 0)
        unlink(tpl.s);
    alm_buf_release(&tpl);
    if (fd < 0)
        return alm_fail(err, ALM_EEXTERNAL,
                        "cannot make a temporary file for gnuplot: %s",
                        strerror(e));
    set_cloexec(fd);
    *out = fd;
    return ALM_OK;
}

/* The error for a gnuplot that could not be started (rc an errno). */
static enum alm_status spawn_failed(const char *prog, int rc,
                                    struct alm_error *err)
{
    char q[300];
    alm_error_quote(prog, q, sizeof q);
    if (rc == ENOENT)
        return alm_fail(err, ALM_EEXTERNAL,
                        "gnuplot not found ('%s'): install the package "
                        "gnuplot-nox (apt-get install gnuplot-nox)",
                        q);
    return alm_fail(err, ALM_EEXTERNAL, "cannot run '%s': %s", q, strerror(rc));
}

/* The error for gnuplot's exit status, with the message it wrote. */
static enum alm_status exit_status(int status, const char *errtext,
                                   struct alm_error *err)
{
    char msg[400];
    gp_message(errtext, msg, sizeof msg);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && !msg[0])
        return alm_fail(err, ALM_EEXTERNAL,
                        "gnuplot not found: install the package "
                        "gnuplot-nox (apt-get install gnuplot-nox)");
    if (WIFSIGNALED(status))
        return alm_fail(err, ALM_EEXTERNAL, "gnuplot was killed by signal %d",
                        WTERMSIG(status));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return alm_fail(err, ALM_EEXTERNAL, "gnuplot failed: %s",
                        msg[0] ? msg : "no message");
    return ALM_OK;
}

/* Copies what gnuplot wrote into fd to our standard output. */
static enum alm_status copy_output(int fd, struct alm_error *err)
{
    char chunk[65536];
    ssize_t k;
    if (lseek(fd, 0, SEEK_SET) != 0)
        return alm_fail(err, ALM_EIO, "cannot read gnuplot's output: %s",
                        strerror(errno));
    while ((k = read(fd, chunk, sizeof chunk)) != 0) {
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return alm_fail(err, ALM_EIO, "cannot read gnuplot's output: %s",
                            strerror(errno));
        if (fwrite(chunk, 1, (size_t)k, stdout) != (size_t)k ||
            fflush(stdout) != 0)
            return alm_fail(err, ALM_EIO, "cannot write to standard output: %s",
                            strerror(errno));
    }
    return ALM_OK;
}

/* Starts gnuplot, feeds it the script and waits for it. A write to a pipe
 * whose reader is gone raises SIGPIPE, which would kill the caller: it is
 * blocked while feeding gnuplot, and one that this call raised is
 * discarded. */
static enum alm_status feed(char *const argv[], int in[2], int er[2],
                            int out_fd, const char *script, size_t len,
                            struct alm_error *err)
{
    sigset_t pipe_set, old_mask, pending;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);
    sigpending(&pending);
    bool was_pending = sigismember(&pending, SIGPIPE) == 1;

    pid_t pid = -1;
    int rc = spawn(argv[0], argv, in[0], out_fd, er[1], &pid);
    close(in[0]);
    close(er[1]);
    enum alm_status st = ALM_OK;
    struct alm_buf errtext = ALM_BUF_INIT;
    int status = 0;
    if (rc != 0) {
        close(in[1]);
        close(er[0]);
        st = spawn_failed(argv[0], rc, err);
    } else {
        st = gp_pump(in[1], er[0], script, len, &errtext, err);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
    }
    if (!was_pending) {
        sigpending(&pending);
        if (sigismember(&pending, SIGPIPE) == 1) {
            struct timespec zero = {0, 0};
            sigtimedwait(&pipe_set, NULL, &zero);
        }
    }
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    if (rc == 0 && st == ALM_OK)
        st = exit_status(status, errtext.s ? errtext.s : "", err);
    alm_buf_release(&errtext);
    return st;
}

enum alm_status alm_gp_run(const char *script, size_t len, bool to_stdout,
                           struct alm_error *err)
{
    const char *env = getenv("ALMANAC_GNUPLOT");
    char prog[1024], arg_d[] = "-d", arg_in[] = "/dev/stdin";
    snprintf(prog, sizeof prog, "%s", env && *env ? env : "gnuplot");
    char *argv[] = {prog, arg_d, arg_in, NULL};
    int in[2] = {-1, -1}, er[2] = {-1, -1};
    enum alm_status st = open_pipes(in, er, err);
    if (st != ALM_OK)
        return st;
    int out_fd = -1;
    if (to_stdout && (st = output_file(&out_fd, err)) != ALM_OK) {
        for (int i = 0; i < 2; i++) {
            close(in[i]);
            close(er[i]);
        }
        return st;
    }
    st = feed(argv, in, er, out_fd, script, len, err);
    if (out_fd >= 0) {
        if (st == ALM_OK)
            st = copy_output(out_fd, err);
        close(out_fd);
    }
    return st;
}

void alm_gp_version(char *out, size_t size)
{
    const char *env = getenv("ALMANAC_GNUPLOT");
    char prog[1024], arg[] = "--version", line[256];
    snprintf(prog, sizeof prog, "%s", env && *env ? env : "gnuplot");
    char *argv[] = {prog, arg, NULL};
    int p[2], null_fd = open("/dev/null", O_RDWR);
    pid_t pid;
    size_t n = 0;
    alm__copy(out, size, "not found");
    if (null_fd < 0)
        return;
    if (pipe(p) != 0) {
        close(null_fd);
        return;
    }
    set_cloexec(p[0]);
    set_cloexec(p[1]);
    int e = spawn(prog, argv, null_fd, p[1], null_fd, &pid);
    close(p[1]);
    close(null_fd);
    if (e == 0) {
        ssize_t k;
        while (n + 1 < sizeof line &&
               ((k = read(p[0], line + n, sizeof line - 1 - n)) > 0 ||
                (k < 0 && errno == EINTR)))
            n += k > 0 ? (size_t)k : 0;
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    close(p[0]);
    line[n] = '\0';
    line[strcspn(line, "\r\n")] = '\0';
    if (line[0])
        alm__copy(out, size, line);
}
