/*
 * store-config.c: DB_CONFIG, the Berkeley DB settings every process of a
 * data directory shares.
 *
 * The environment's regions are made with them when they are made
 * again: by the recovery that follows a process's failure (DB_REGISTER),
 * and by 'dossier check', which has the directory alone (store_check()).
 * The cache is shared too, and each process's resident memory counts the
 * pages of it that it touched: 40 MB keeps a terminal at 55 MB at
 * 1,000,000 cases (48 MB left it at 63, 128 MB at 83 at 100,000), and a
 * bulk load whose puts are sorted (store-behind.c) is no slower for it
 * (docs/PERFORMANCE.md, 2026-12-02).
 *
 * A directory made by an earlier dossier keeps the DB_CONFIG it was made
 * with.  One that is still exactly what an earlier version wrote (nobody
 * edited it) is brought to today's settings when the directory is opened
 * (store_config_upgrade()); one that was edited is the administrator's
 * and is left as it is.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "store-int.h"
#include "util.h"

#define STORE_CONFIG_HEAD \
	"# dossier: shared Berkeley DB settings (read at every open)\n"
#define STORE_CONFIG_CACHE	"set_cachesize 0 41943040 1\n"
#define STORE_CONFIG_TAIL \
	"set_lg_bsize 1048576\n" \
	"set_lg_max 10485760\n" \
	"set_lk_max_locks 50000\n" \
	"set_lk_max_objects 50000\n" \
	"set_lk_max_lockers 5000\n" \
	"set_tx_max 200\n"
#define STORE_CONFIG \
	STORE_CONFIG_HEAD STORE_CONFIG_CACHE STORE_CONFIG_TAIL

/* What earlier versions wrote: only their cache differed. */
static const char *const store_config_old[] = {
	STORE_CONFIG_HEAD "set_cachesize 0 134217728 1\n" STORE_CONFIG_TAIL,
	STORE_CONFIG_HEAD "set_cachesize 0 50331648 1\n" STORE_CONFIG_TAIL,
};

int
store_write_config(const char *dir, char **cause)
{
	char	*path;
	FILE	*f;
	int	 fd;

	xasprintf(&path, "%s/DB_CONFIG", dir);
	fd = open(path, O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW, 0660);
	if (fd == -1 || (f = fdopen(fd, "w")) == NULL) {
		err_set(cause, _("Cannot write %s: %s."), path, strerror(errno));
		if (fd != -1)
			close(fd);
		free(path);
		return (-1);
	}
	fputs(STORE_CONFIG, f);
	if (fclose(f) != 0) {
		err_set(cause, _("Cannot write %s: %s."), path, strerror(errno));
		free(path);
		return (-1);
	}
	free(path);
	return (0);
}

/*
 * Bring a DB_CONFIG an earlier version wrote, unedited, to today's: a
 * new file renamed over it, so that a process opening the environment
 * meanwhile reads the one or the other whole.  It takes effect when the
 * environment's regions are next made again (see above).
 * Nothing is lost if it cannot be done: the old settings stay, and the
 * open goes on (its own errors are the ones worth telling).
 */
void
store_config_upgrade(const char *dir)
{
	char	 buf[1024], *path, *tmp;
	size_t	 i;
	ssize_t	 n;
	int	 fd, old = 0;

	xasprintf(&path, "%s/DB_CONFIG", dir);
	if ((fd = open(path, O_RDONLY|O_NOFOLLOW|O_CLOEXEC)) == -1) {
		free(path);
		return;
	}
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n > 0) {
		buf[n] = '\0';
		for (i = 0; i < sizeof store_config_old /
		    sizeof store_config_old[0]; i++)
			if (strcmp(buf, store_config_old[i]) == 0)
				old = 1;
	}
	if (!old) {
		free(path);
		return;
	}
	xasprintf(&tmp, "%s/DB_CONFIG.XXXXXX", dir);
	if ((fd = mkstemp(tmp)) != -1) {
		n = fchmod(fd, 0660) == 0 ? write(fd, STORE_CONFIG,
		    strlen(STORE_CONFIG)) : -1;
		if (n != (ssize_t)strlen(STORE_CONFIG) || fsync(fd) != 0) {
			close(fd);
			unlink(tmp);
		} else if (close(fd) != 0 || rename(tmp, path) != 0)
			unlink(tmp);
	}
	free(tmp);
	free(path);
}
