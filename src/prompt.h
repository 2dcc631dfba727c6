/*
 * prompt.h: reading passphrases for the command line, either from the
 * first line of a file or from the terminal with echo off.  The result is
 * in protected memory (vault_alloc); release it with prompt_free().
 */
#ifndef PROMPT_H
#define PROMPT_H

/* The longest passphrase read, in bytes (account.h's limit is the same). */
#define PROMPT_PASS_MAX	1024

#include <stddef.h>

int	 prompt_passphrase(const char *, const char *, char **, size_t *,
	    char **);
int	 prompt_new_passphrase(const char *, const char *, const char *,
	    char **, size_t *, char **);
void	 prompt_free(char *);

#endif
