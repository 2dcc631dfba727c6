/*
 * backup.h: backups that are whole or absent, rotated, and restored only
 * once they check (see backup.c and docs/FORMAT.md, "Backups").
 */
#ifndef BACKUP_H
#define BACKUP_H

#include <stddef.h>

#define BACKUP_SUMS		"SHA256SUMS"	/* the list of a backup */
#define BACKUP_KEEP_MAX		1000

struct store;

/* What 'backup --keep' did; backup_rotation_free() frees it. */
struct backup_rotation {
	char	 *path;		/* the new backup */
	char	**removed;	/* directory names removed, oldest first */
	size_t	  nremoved;
	size_t	  kept;		/* backups left in the directory */
};

/* A backup into dir, which must not exist yet. */
int	 backup_make(struct store *, const char *, char **);
/* A backup named dossier-YYYYMMDDTHHMMSSZ inside dir; the newest keep stay. */
int	 backup_rotate(struct store *, const char *, unsigned int,
	    struct backup_rotation *, char **);
void	 backup_rotation_free(struct backup_rotation *);
/* keep as the command line gives it: 1 to BACKUP_KEEP_MAX. */
int	 backup_keep_parse(const char *, unsigned int *);

/*
 * A restore in three steps: the backup's files copied beside target into
 * a hidden directory (*tmp, malloc'd) and checked against the backup's
 * list, then recovered; the caller checks the copy; then either commit
 * (renamed to target) or abort (removed).  target is refused unless it is
 * absent or an empty directory.
 */
int	 backup_restore_copy(const char *, const char *, char **, char **);
int	 backup_restore_commit(const char *, const char *, char **);
void	 backup_restore_abort(const char *);

#endif
