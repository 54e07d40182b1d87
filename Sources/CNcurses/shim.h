#ifndef SMTP_DOCTOR_CNCURSES_SHIM_H
#define SMTP_DOCTOR_CNCURSES_SHIM_H
/* Wide-character ncurses; the macros Swift cannot import get inline wrappers. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

static inline int sd_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int sd_attr_bold(void) { return (int)A_BOLD; }
static inline int sd_attr_reverse(void) { return (int)A_REVERSE; }
static inline int sd_attr_dim(void) { return (int)A_DIM; }
static inline int sd_attr_underline(void) { return (int)A_UNDERLINE; }
static inline int sd_key_resize(void) { return KEY_RESIZE; }
static inline int sd_key_up(void) { return KEY_UP; }
static inline int sd_key_down(void) { return KEY_DOWN; }
static inline int sd_key_left(void) { return KEY_LEFT; }
static inline int sd_key_right(void) { return KEY_RIGHT; }
static inline int sd_key_enter(void) { return KEY_ENTER; }
static inline int sd_key_backspace(void) { return KEY_BACKSPACE; }
static inline int sd_key_home(void) { return KEY_HOME; }
static inline int sd_key_end(void) { return KEY_END; }
static inline int sd_key_npage(void) { return KEY_NPAGE; }
static inline int sd_key_ppage(void) { return KEY_PPAGE; }
static inline int sd_key_dc(void) { return KEY_DC; }
static inline int sd_key_btab(void) { return KEY_BTAB; }
static inline int sd_key_code_yes(void) { return KEY_CODE_YES; }
static inline int sd_err(void) { return ERR; }
/* The window of the current screen (a global Swift 6 cannot touch). */
static inline WINDOW *sd_stdscr(void) { return stdscr; }
/* A curses screen writing to `out` (a duplicate of the terminal) and reading stdin. */
static inline SCREEN *sd_newterm(FILE *out) { return newterm(NULL, out, stdin); }
/* True when the locale chosen by setlocale(LC_ALL, "") encodes UTF-8. */
static inline int sd_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}
#endif
