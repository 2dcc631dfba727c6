/*
 * tar.c: see tar.h.  The ustar header of POSIX.1-1988 (pax's "ustar"
 * format): 512-byte blocks, numbers in octal, the checksum computed with
 * its own field as blanks.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "tar.h"
#include "util.h"

#define TAR_BLOCK	512
#define TAR_MAX		077777777777ULL	/* eleven octal digits */

static int
tar_write(int fd, const void *data, size_t len, char **cause)
{
	if (write_all(fd, data, len) != 0)
		return (err_set(cause, _("Cannot write the archive: %s."),
		    strerror(errno)));
	return (0);
}

/* A 12-byte numeric field: eleven octal digits and a NUL. */
static void
tar_octal(unsigned char *field, unsigned long long v)
{
	char	 buf[32];

	snprintf(buf, sizeof buf, "%011llo", v & TAR_MAX);
	memcpy(field, buf, 12);
}

int
tar_add(int fd, const char *name, const void *data, size_t len,
    time_t mtime, char **cause)
{
	unsigned char	 h[TAR_BLOCK], pad[TAR_BLOCK];
	unsigned int	 sum = 0;
	size_t		 i;

	if (strlen(name) >= 100 || len > TAR_MAX)
		return (err_set(cause, _("%s is too long for the archive."),
		    name));
	memset(h, 0, sizeof h);
	memcpy(h, name, strlen(name));				/* name */
	snprintf((char *)h + 100, 8, "%07o", 0600);		/* mode */
	snprintf((char *)h + 108, 8, "%07o", 0);		/* uid */
	snprintf((char *)h + 116, 8, "%07o", 0);		/* gid */
	tar_octal(h + 124, (unsigned long long)len);		/* size */
	tar_octal(h + 136, (unsigned long long)(mtime > 0 ? mtime : 0));
	memset(h + 148, ' ', 8);				/* chksum */
	h[156] = '0';						/* typeflag */
	memcpy(h + 257, "ustar", 6);				/* magic */
	memcpy(h + 263, "00", 2);				/* version */
	for (i = 0; i < sizeof h; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	h[155] = ' ';
	if (tar_write(fd, h, sizeof h, cause) != 0 ||
	    tar_write(fd, data, len, cause) != 0)
		return (-1);
	memset(pad, 0, sizeof pad);
	if (len % TAR_BLOCK != 0)
		return (tar_write(fd, pad, TAR_BLOCK - len % TAR_BLOCK, cause));
	return (0);
}

int
tar_end(int fd, char **cause)
{
	unsigned char	 z[2 * TAR_BLOCK];

	memset(z, 0, sizeof z);
	return (tar_write(fd, z, sizeof z, cause));
}
