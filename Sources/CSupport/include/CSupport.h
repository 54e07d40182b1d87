#ifndef SMTP_DOCTOR_CSUPPORT_H
#define SMTP_DOCTOR_CSUPPORT_H
#include <stddef.h>
#include <stdint.h>

/// What the kernel's error queue said about an ICMP error on a socket.
typedef struct {
    int found;          /* 1 when an ICMP/ICMPv6 error was read */
    int origin;         /* SO_EE_ORIGIN_* */
    int type;           /* ICMP type */
    int code;           /* ICMP code */
    int err;            /* errno the kernel derived */
    char offender[64];  /* address of the router or host that sent the ICMP */
} sd_icmp_error;

/// Asks the kernel to queue ICMP errors for this socket (IP_RECVERR / IPV6_RECVERR).
int sd_enable_recverr(int fd, int family);

/// Reads one entry of the socket's error queue without blocking.
int sd_read_icmp_error(int fd, sd_icmp_error *out);

/// Saves the terminal state of `fd` and installs signal handlers that restore
/// it (writing `restore_bytes` first, e.g. rmcup + cnorm) before letting the
/// signal take its usual course. Covers SIGTERM, SIGHUP, SIGINT, SIGQUIT and the
/// crash signals. Returns 0 on success.
int sd_install_terminal_guard(int fd, const char *restore_bytes, size_t len);

/// Replaces the bytes written on restore (known only once curses has read terminfo).
void sd_set_restore_bytes(const char *restore_bytes, size_t len);

/// Restores the saved terminal state now (idempotent); safe from any thread.
void sd_restore_terminal(void);

/// Points file descriptors 1 and 2 at `sink_fd` (the --log file or /dev/null;
/// -1 leaves them) while curses owns the terminal, and returns a new
/// descriptor for the terminal itself (curses writes there). -1 on failure.
int sd_isolate_output(int sink_fd);

/// Flushes what stdio still buffers for stdout and stderr (into the sink,
/// before they are pointed back at the terminal).
void sd_flush_stray_output(void);

/// Points 1 and 2 back at what they were (idempotent, async-signal-safe).
/// `sd_restore_terminal` does this too.
void sd_restore_output(void);

/// Forgets the guard and puts back the previous signal handlers.
void sd_remove_terminal_guard(void);

/// A signal that arrived while the guard was installed and was handled by
/// restoring the terminal (0 if none). For tests and diagnostics.
int sd_last_guard_signal(void);
#endif
