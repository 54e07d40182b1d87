#ifndef SMTP_DOCTOR_CARES_SHIM_H
#define SMTP_DOCTOR_CARES_SHIM_H
#include <ares.h>
#include <ares_dns.h>
#include <arpa/nameser.h>

/* ARES_GETSOCK_* are function-like macros; Swift cannot import them. */
static inline int sd_ares_sock_readable(int bits, int n) { return ARES_GETSOCK_READABLE(bits, n) != 0; }
static inline int sd_ares_sock_writable(int bits, int n) { return ARES_GETSOCK_WRITABLE(bits, n) != 0; }
static inline int sd_ares_getsock_maxnum(void) { return ARES_GETSOCK_MAXNUM; }
static inline ares_socket_t sd_ares_socket_bad(void) { return ARES_SOCKET_BAD; }
#endif
