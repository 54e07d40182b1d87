#define _GNU_SOURCE
#include "CSupport.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

int sd_enable_recverr(int fd, int family) {
    int on = 1;
    if (family == AF_INET6) {
        return setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof on);
    }
    return setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof on);
}

int sd_read_icmp_error(int fd, sd_icmp_error *out) {
    memset(out, 0, sizeof *out);
    char control[512];
    char data[64];
    struct iovec iov = { .iov_base = data, .iov_len = sizeof data };
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    if (recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) {
        return -1;
    }
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
        int v4 = c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR;
        int v6 = c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR;
        if (!v4 && !v6) continue;
        struct sock_extended_err *ee = (struct sock_extended_err *)CMSG_DATA(c);
        out->found = 1;
        out->origin = ee->ee_origin;
        out->type = ee->ee_type;
        out->code = ee->ee_code;
        out->err = (int)ee->ee_errno;
        struct sockaddr *off = SO_EE_OFFENDER(ee);
        if (off->sa_family == AF_INET) {
            inet_ntop(AF_INET, &((struct sockaddr_in *)off)->sin_addr, out->offender, sizeof out->offender);
        } else if (off->sa_family == AF_INET6) {
            inet_ntop(AF_INET6, &((struct sockaddr_in6 *)off)->sin6_addr, out->offender, sizeof out->offender);
        }
        return 0;
    }
    return -1;
}

/* ---- terminal guard ---------------------------------------------------- */

static const int guarded_signals[] = { SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE };
#define GUARDED_COUNT (sizeof guarded_signals / sizeof guarded_signals[0])

static struct sigaction previous[GUARDED_COUNT];
static struct termios saved_termios;
static int guard_fd = -1;
static volatile sig_atomic_t guard_active = 0;
static volatile sig_atomic_t last_signal = 0;
static char restore_seq[256];
static size_t restore_len = 0;

/* ---- output isolation -------------------------------------------------- */

/* While curses owns the screen, file descriptors 1 and 2 point at a sink (the
   --log file or /dev/null) so that nothing else can write over the frames;
   curses writes to its own duplicate of the terminal. Restoring is
   async-signal-safe (dup2, close), so the signal path puts them back too and
   a crash report still reaches the terminal. */
static volatile int saved_stdout = -1;
static volatile int saved_stderr = -1;

int sd_isolate_output(int sink_fd) {
    fflush(stdout);
    fflush(stderr);
    int tty = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    if (tty < 0) return -1;
    saved_stdout = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    if (sink_fd >= 0) {
        dup2(sink_fd, STDOUT_FILENO);
        dup2(sink_fd, STDERR_FILENO);
    }
    return tty;
}

void sd_flush_stray_output(void) {
    fflush(stdout);
    fflush(stderr);
}

void sd_restore_output(void) {
    int out = saved_stdout, err = saved_stderr;
    saved_stdout = -1;
    saved_stderr = -1;
    if (out >= 0) { dup2(out, STDOUT_FILENO); close(out); }
    if (err >= 0) { dup2(err, STDERR_FILENO); close(err); }
}

void sd_restore_terminal(void) {
    if (guard_active) {
        guard_active = 0;
        if (restore_len > 0) {
            ssize_t ignored = write(guard_fd, restore_seq, restore_len);
            (void)ignored;
        }
        tcsetattr(guard_fd, TCSANOW, &saved_termios);
    }
    sd_restore_output();
}

static void guard_handler(int sig) {
    int saved_errno = errno;
    last_signal = sig;
    sd_restore_terminal();
    /* Put the previous disposition back and deliver the signal again so the
       process ends (or is handled) exactly as it would have without us. */
    for (size_t i = 0; i < GUARDED_COUNT; i++) {
        if (guarded_signals[i] == sig) {
            sigaction(sig, &previous[i], NULL);
        }
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    kill(getpid(), sig);
    errno = saved_errno;
}

int sd_install_terminal_guard(int fd, const char *restore_bytes, size_t len) {
    if (tcgetattr(fd, &saved_termios) != 0) return -1;
    guard_fd = fd;
    restore_len = len < sizeof restore_seq ? len : sizeof restore_seq;
    memcpy(restore_seq, restore_bytes, restore_len);
    guard_active = 1;
    for (size_t i = 0; i < GUARDED_COUNT; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = guard_handler;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESETHAND;
        sigaction(guarded_signals[i], &sa, &previous[i]);
    }
    return 0;
}

void sd_set_restore_bytes(const char *restore_bytes, size_t len) {
    restore_len = 0;
    size_t n = len < sizeof restore_seq ? len : sizeof restore_seq;
    memcpy(restore_seq, restore_bytes, n);
    restore_len = n;
}

void sd_remove_terminal_guard(void) {
    guard_active = 0;
    for (size_t i = 0; i < GUARDED_COUNT; i++) {
        sigaction(guarded_signals[i], &previous[i], NULL);
    }
}

int sd_last_guard_signal(void) { return last_signal; }
