/*
 * text.h: making stored text safe to show on a terminal.
 *
 * Control characters (C0, DEL, C1) become visible placeholders ("^[",
 * "^?", "<U+009B>"), invalid UTF-8 bytes become U+FFFD, so nothing
 * stored can send an escape sequence to a terminal.  Results are
 * malloc'd; the caller frees them.
 */
#ifndef TEXT_H
#define TEXT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#define TEXT_NEWLINES	0x1	/* keep \n (multi-line text) */
#define TEXT_TABS	0x2	/* keep \t */

char	*text_clean(const char *, size_t, int);
/* printf whose %s arguments go through text_clean(flags). */
int	 text_vfprintf(FILE *, int, const char *, va_list)
	    __attribute__((format(printf, 3, 0)));
int	 text_fprintf(FILE *, int, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
int	 text_printf(const char *, ...) __attribute__((format(printf, 1, 2)));
/* "dossier: " and one sentence on standard error, made safe. */
void	 text_error(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Decode one UTF-8 character; returns its length, 0 if invalid. */
size_t	 text_utf8(const unsigned char *, size_t, unsigned int *);

#endif
