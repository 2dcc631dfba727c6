/*
 * tar.h: a POSIX ustar archive of regular files written to a descriptor,
 * for what must reach someone who has no file of the server (an export
 * over SSH: 'dossier export REF --out - > REF.tar').
 */
#ifndef TAR_H
#define TAR_H

#include <stddef.h>
#include <time.h>

/* One file, mode 0600; name at most 99 bytes. */
int	 tar_add(int, const char *, const void *, size_t, time_t, char **);
/* The two empty blocks that end an archive. */
int	 tar_end(int, char **);

#endif
