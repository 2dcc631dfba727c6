/*
 * text.h: making stored text safe to show on a terminal, and laying it
 * out by display width.
 *
 * Control characters (C0, DEL, C1) become visible placeholders ("^[",
 * "^?", "<U+009B>"), invalid UTF-8 bytes become U+FFFD, so nothing
 * stored can send an escape sequence to a terminal.
 *
 * Widths are display columns (wcwidth), never bytes: "é" takes one
 * column, a combining accent none, a CJK character two.  Text that must
 * be cut ends with an ellipsis, at a word boundary when one is near;
 * text that may take several rows is wrapped at words.  Results are
 * malloc'd; the caller frees them.
 */
#ifndef TEXT_H
#define TEXT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#define TEXT_NEWLINES	0x1	/* keep \n (multi-line text) */
#define TEXT_TABS	0x2	/* keep \t */
#define TEXT_PAD	0x4	/* text_fit: pad with spaces to the width */

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

/*
 * Where needle occurs in text, letters compared without case and without
 * accents ("segou" finds "Ségou"): -1 if nowhere, else the character
 * index where it starts (0: text starts with needle).  An empty needle
 * is found at 0.
 */
long	 text_find(const char *, const char *);

/*
 * The order of labels for a reader: letters compared without case and
 * without accents ("Décidée" before "Documenté"), then byte by byte, so
 * that two different texts are never equal.
 */
int	 text_cmp(const char *, const char *);

/* Display columns of UTF-8 text (of its first len bytes). */
int	 text_width(const char *);
int	 text_nwidth(const char *, size_t);
/*
 * The text in at most width columns: whole if it fits, else cut with an
 * ellipsis ("…"), after the last whole word when that keeps half the
 * width or more.  TEXT_PAD pads it with spaces to exactly width.
 */
char	*text_fit(const char *, int, int);
/*
 * The text wrapped at words in lines of at most width columns (a word
 * longer than a line is split); newlines start new lines.  French
 * spacing holds: no line starts with ":", ";", "?", "!" or "»", nor ends
 * with "«".  Returns the number of lines (at least one) in *lines, an
 * array the caller frees with text_lines_free().
 */
size_t	 text_wrap(const char *, int, char ***);
void	 text_lines_free(char **, size_t);

/*
 * Columns of a table sized to the terminal.  Each column gets its
 * minimum; the room left goes one column at a time to the column
 * narrowest for its weight, until each has its want (its widest
 * content).  A column of weight 0 gets its minimum only.  Returns the
 * columns used, gaps included.
 */
struct text_column {
	int	 min;		/* never narrower */
	int	 want;		/* the widest content */
	int	 weight;	/* share of the room while short of want */
	int	 width;		/* the result */
};
int	 text_columns(struct text_column *, size_t, int, int);

#endif
