/*
 * fuzz.h: what every fuzz target shares.  Each target defines
 * LLVMFuzzerTestOneInput(); built with clang -fsanitize=fuzzer it is a
 * libFuzzer program ('make fuzz'); built with driver.c it replays a
 * corpus, which 'make check' does for every target.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);
/* A path naming the bytes (a memfd), for parsers that read files. */
char	*fuzz_path(const uint8_t *, size_t, int *);
void	 fuzz_path_free(char *, int);

#endif
