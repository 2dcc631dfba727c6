/*
 * util.c: memfd paths for targets whose parsers read files (libinih).
 */
#define _GNU_SOURCE
#include "config.h"

#include <sys/mman.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz.h"

char *
fuzz_path(const uint8_t *data, size_t len, int *fdp)
{
	char	*p;
	int	 fd;

	if ((fd = memfd_create("fuzz", 0)) == -1)
		abort();
	if (len > 0 && write(fd, data, len) != (ssize_t)len)
		abort();
	if ((p = malloc(32)) == NULL)
		abort();
	snprintf(p, 32, "/proc/self/fd/%d", fd);
	*fdp = fd;
	return (p);
}

void
fuzz_path_free(char *p, int fd)
{
	close(fd);
	free(p);
}
