/*
 * util.h: small helpers shared by every layer: allocation that aborts on
 * out-of-memory, the one error-reporting helper, and wiping memory.
 */
#ifndef UTIL_H
#define UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 xvasprintf(char **, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));

/*
 * err_set() fills *cause (when cause is not NULL) with a sentence for the
 * user; the caller frees it.  A previous cause is freed first.  It returns
 * -1 so that "return err_set(cause, ...);" reads naturally.
 */
int	 err_set(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* Keep only the first reason of a parse (libinih handlers); returns 0. */
int	 err_first(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* Wipe memory in a way the compiler cannot remove. */
void	 wipe(void *, size_t);
/* Wipe a NUL-terminated string, then free it. */
void	 free_wiped(char *);

/* Big-endian helpers for the on-disk formats. */
void	 put_be16(uint8_t *, uint16_t);
void	 put_be32(uint8_t *, uint32_t);
void	 put_be64(uint8_t *, uint64_t);
uint16_t get_be16(const uint8_t *);
uint32_t get_be32(const uint8_t *);
uint64_t get_be64(const uint8_t *);
/* LEB128 (7 bits a byte, lowest first), in as few bytes as it needs. */
size_t	 varint_size(uint64_t);
uint8_t	*varint_put(uint8_t *, uint64_t);
int	 varint_get(const uint8_t **, const uint8_t *, uint64_t, uint64_t *);

/* Disable core dumps and ptrace attachment for this process. */
int	 harden_process(void);

/* The language of messages: 0 French, 1 English (FORM_FR, FORM_EN). */
int	 lang_index(void);

/* Day number (days since 1970-01-01) as YYYY-MM-DD into buf[11]. */
void	 format_day(long, char *);
/* Seconds since the epoch as "YYYY-MM-DD HH:MM" (UTC) into buf[17]. */
void	 format_time(int64_t, char *);

/* Is name one of the items of a comma-separated list? */
int	 list_has(const char *, const char *);
/*
 * A new file for case content, keys or passphrases: never an existing
 * file or a link, readable by its owner only (0600).  A FILE open for
 * writing, or NULL with the sentence in *cause.
 */
FILE	*file_create_private(const char *, char **);
/* All of data to fd, through interrupted and short writes: 0, or -1 and
 * errno. */
int	 write_all(int, const void *, size_t);
/* A whole regular file of at most max bytes, not through a link: 0, or
 * -1 and a sentence.  The caller wipes and frees *data. */
int	 file_read(const char *, size_t, uint8_t **, size_t *, char **);
int	 file_readable(const char *, size_t, char **);
/* Forget a sentence set earlier (cause may be NULL). */
void	 err_clear(char **);
/* s, or dflt when s is NULL or empty. */
const char *str_or(const char *, const char *);

/* Current time in seconds since the epoch. */
int64_t	 now(void);
/* Test builds only: replace the clock (NULL: the system's again). */
void	 util_set_clock(int64_t (*)(void));

#endif
