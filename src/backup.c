/*
 * backup.c: backups that are whole or absent, and restores that are
 * checked before they are presented as a data directory.
 *
 * A backup is written into a hidden directory beside its final name
 * (".NAME.partial-XXXXXX"): Berkeley DB's hot copy, recovered and
 * verified (store_backup), then SHA256SUMS, the list of its files with
 * their SHA-256, written last.  Only then is the directory renamed to its
 * name, so a backup that failed or was killed half way never carries a
 * backup's name.  With --keep, backups are named dossier-YYYYMMDDTHHMMSSZ
 * inside one directory, and the oldest beyond the number kept are
 * removed; rotation counts and removes only directories with that name
 * and a SHA256SUMS inside, never anything else, and takes an exclusive
 * flock on the directory so two runs do not rotate at once.  A backup
 * being removed is first renamed to a hidden name, so a removal cut
 * short leaves no damaged backup that rotation would count.
 *
 * A restore copies the files the list names into a hidden directory
 * beside the target, checks each copy against its SHA-256 (a file cut
 * short, changed or missing is refused by name), runs catastrophic
 * recovery, and leaves the rest of the checks to the caller ('dossier
 * check' of the copy); only a copy that passes is renamed to the target.
 * Everything copied lies in files, which hold the tables' clear headers,
 * ciphertext and the blind index: no key is needed, and none is used.
 */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backup.h"
#include "i18n.h"
#include "store.h"
#include "util.h"
#include "vault.h"

#define BACKUP_PREFIX		"dossier-"
#define BACKUP_NAME_LEN		24	/* dossier-YYYYMMDDTHHMMSSZ */
#define BACKUP_SUMS_MAX		(1024 * 1024)
#define BACKUP_FILES_MAX	4096

struct backup_sum {
	char		*name;
	uint8_t		 hash[VAULT_SHA256_LEN];
};

static int	backup_split(const char *, char **, char **, char **);
static int	backup_tmpdir(const char *, const char *, const char *, char **,
		    char **);
static int	backup_rmflat(const char *);
static void	backup_sync_dir(const char *);
static int	backup_seal(const char *, char **);
static int	backup_fill(struct store *, const char *, char **);
static int	backup_is_name(const char *);
static int	backup_is_ours(const char *, const char *);
static void	backup_clean_stale(const char *);
static int	backup_name_cmp(const void *, const void *);
static int	backup_safe_name(const char *);
static int	backup_sums_read(const char *, struct backup_sum **, size_t *,
		    char **);
static void	backup_sums_free(struct backup_sum *, size_t);
static int	backup_copy_file(const char *, const char *,
		    const struct backup_sum *, char **);

/* The directory holding path, and its last name (both malloc'd). */
static int
backup_split(const char *path, char **parent, char **base, char **cause)
{
	char	*copy, *slash;
	size_t	 len;

	copy = xstrdup(path);
	len = strlen(copy);
	while (len > 1 && copy[len - 1] == '/')
		copy[--len] = '\0';
	if ((slash = strrchr(copy, '/')) == NULL) {
		*parent = xstrdup(".");
		*base = xstrdup(copy);
	} else {
		*base = xstrdup(slash + 1);
		*slash = '\0';
		*parent = xstrdup(slash == copy ? "/" : copy);
	}
	free(copy);
	if (**base == '\0' || strcmp(*base, ".") == 0 ||
	    strcmp(*base, "..") == 0) {
		free(*parent);
		free(*base);
		return (err_set(cause, _("%s does not name a directory that "
		    "can be created."), path));
	}
	return (0);
}

/* A new hidden directory beside the final one: .BASE.WHAT-XXXXXX. */
static int
backup_tmpdir(const char *parent, const char *base, const char *what,
    char **tmp, char **cause)
{
	xasprintf(tmp, "%s/.%s.%s-XXXXXX", parent, base, what);
	if (mkdtemp(*tmp) == NULL) {
		err_set(cause, _("Cannot create a directory in %s: %s."),
		    parent, strerror(errno));
		free(*tmp);
		*tmp = NULL;
		return (-1);
	}
	/* The modes of a data directory: a group may share it. */
	if (chmod(*tmp, 02770) != 0) {
		err_set(cause, _("Cannot set the permissions of %s: %s."), *tmp,
		    strerror(errno));
		rmdir(*tmp);
		free(*tmp);
		*tmp = NULL;
		return (-1);
	}
	return (0);
}

/* Remove a directory holding only files; -1 (errno) if it holds more. */
static int
backup_rmflat(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	char		*path;
	int		 rc = 0, saved = 0;

	if ((d = opendir(dir)) == NULL)
		return (-1);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		xasprintf(&path, "%s/%s", dir, de->d_name);
		if (unlink(path) != 0) {
			saved = errno;
			rc = -1;
		}
		free(path);
	}
	closedir(d);
	if (rc == 0 && rmdir(dir) != 0)
		return (-1);
	if (rc != 0)
		errno = saved;
	return (rc);
}

static void
backup_sync_dir(const char *dir)
{
	int	 fd;

	if ((fd = open(dir, O_RDONLY|O_DIRECTORY|O_CLOEXEC)) != -1) {
		fsync(fd);
		close(fd);
	}
}

static int
backup_name_cmp(const void *a, const void *b)
{
	return (strcmp(*(char * const *)a, *(char * const *)b));
}

/*
 * Every file of the finished copy to disk with the modes of a data
 * directory, then SHA256SUMS, last: "HEX  NAME" a line, as sha256sum
 * prints it, so that 'sha256sum -c SHA256SUMS' checks a backup too.
 */
static int
backup_seal(const char *dir, char **cause)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 sb;
	FILE		*f;
	uint8_t		 hash[VAULT_SHA256_LEN];
	char		**names = NULL, *path, *hex;
	size_t		 n = 0, i;
	int		 fd, rc = -1;

	if ((d = opendir(dir)) == NULL)
		return (err_set(cause, _("Cannot read %s: %s."), dir,
		    strerror(errno)));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, backup_name_cmp);

	xasprintf(&path, "%s/%s", dir, BACKUP_SUMS);
	fd = open(path, O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC, 0660);
	if (fd == -1 || (f = fdopen(fd, "w")) == NULL) {
		err_set(cause, _("Cannot write %s: %s."), path, strerror(errno));
		if (fd != -1)
			close(fd);
		free(path);
		goto out;
	}
	free(path);
	for (i = 0; i < n; i++) {
		xasprintf(&path, "%s/%s", dir, names[i]);
		fd = open(path, O_RDONLY|O_NOFOLLOW|O_CLOEXEC);
		if (fd == -1 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
		    fchmod(fd, 0660) != 0 || fsync(fd) != 0 ||
		    vault_sha256_fd(fd, hash) != 0) {
			err_set(cause, _("Cannot read %s back: %s."), path,
			    fd != -1 && !S_ISREG(sb.st_mode) ? _("not a file") :
			    strerror(errno));
			if (fd != -1)
				close(fd);
			free(path);
			fclose(f);
			goto out;
		}
		close(fd);
		free(path);
		hex = vault_hex(hash, sizeof hash);
		fprintf(f, "%s  %s\n", hex, names[i]);
		free(hex);
	}
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		err_set(cause, _("Cannot write %s/%s: %s."), dir, BACKUP_SUMS,
		    strerror(errno));
		fclose(f);
		goto out;
	}
	if (fclose(f) != 0) {
		err_set(cause, _("Cannot write %s/%s: %s."), dir, BACKUP_SUMS,
		    strerror(errno));
		goto out;
	}
	backup_sync_dir(dir);
	rc = 0;
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return (rc);
}

static int
backup_fill(struct store *s, const char *tmp, char **cause)
{
	if (store_backup(s, tmp, cause) != 0 || backup_seal(tmp, cause) != 0)
		return (-1);
	return (0);
}

int
backup_make(struct store *s, const char *target, char **cause)
{
	struct stat	 sb;
	char		*parent, *base, *tmp;
	int		 rc = -1;

	if (lstat(target, &sb) == 0)
		return (err_set(cause, _("%s already exists; a backup goes into "
		    "a new directory (or, with --keep, inside an existing "
		    "one)."), target));
	if (backup_split(target, &parent, &base, cause) != 0)
		return (-1);
	if (backup_tmpdir(parent, base, "partial", &tmp, cause) != 0)
		goto out;
	if (backup_fill(s, tmp, cause) != 0) {
		backup_rmflat(tmp);
		free(tmp);
		goto out;
	}
	if (rename(tmp, target) != 0) {
		err_set(cause, _("Cannot rename %s to %s: %s."), tmp, target,
		    strerror(errno));
		backup_rmflat(tmp);
		free(tmp);
		goto out;
	}
	free(tmp);
	backup_sync_dir(parent);
	rc = 0;
out:
	free(parent);
	free(base);
	return (rc);
}

/* dossier-YYYYMMDDTHHMMSSZ */
static int
backup_is_name(const char *name)
{
	const char	*p;
	size_t		 i;

	if (strlen(name) != BACKUP_NAME_LEN ||
	    strncmp(name, BACKUP_PREFIX, strlen(BACKUP_PREFIX)) != 0)
		return (0);
	p = name + strlen(BACKUP_PREFIX);
	for (i = 0; i < 15; i++) {
		if (i == 8 ? p[i] != 'T' : (p[i] < '0' || p[i] > '9'))
			return (0);
	}
	return (p[15] == 'Z');
}

/* A directory of ours: our name, not a link, a SHA256SUMS file inside. */
static int
backup_is_ours(const char *dir, const char *name)
{
	struct stat	 sb;
	char		*path;
	int		 ours;

	if (!backup_is_name(name))
		return (0);
	xasprintf(&path, "%s/%s", dir, name);
	ours = lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
	free(path);
	if (!ours)
		return (0);
	xasprintf(&path, "%s/%s/%s", dir, name, BACKUP_SUMS);
	ours = lstat(path, &sb) == 0 && S_ISREG(sb.st_mode);
	free(path);
	return (ours);
}

/*
 * What a run killed half way left, while we hold the directory's lock
 * (so no run is writing it): .dossier-*.partial-XXXXXX and
 * .dossier-*.removing-XXXXXX directories, holding only files.
 */
static void
backup_clean_stale(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 sb;
	const char	*rest;
	char		*path, name[BACKUP_NAME_LEN + 1];

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] != '.' ||
		    strlen(de->d_name) <= 1 + BACKUP_NAME_LEN)
			continue;
		memcpy(name, de->d_name + 1, BACKUP_NAME_LEN);
		name[BACKUP_NAME_LEN] = '\0';
		rest = de->d_name + 1 + BACKUP_NAME_LEN;
		if (!backup_is_name(name) || (strncmp(rest, ".partial-", 9) != 0 &&
		    strncmp(rest, ".removing-", 10) != 0))
			continue;
		xasprintf(&path, "%s/%s", dir, de->d_name);
		if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
			backup_rmflat(path);
		free(path);
	}
	closedir(d);
}

int
backup_keep_parse(const char *s, unsigned int *keep)
{
	char		*end;
	unsigned long	 n;

	if (s == NULL || *s < '0' || *s > '9')
		return (-1);
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || n < 1 || n > BACKUP_KEEP_MAX)
		return (-1);
	*keep = (unsigned int)n;
	return (0);
}

void
backup_rotation_free(struct backup_rotation *r)
{
	size_t	 i;

	free(r->path);
	for (i = 0; i < r->nremoved; i++)
		free(r->removed[i]);
	free(r->removed);
	memset(r, 0, sizeof *r);
}

/* Remove the oldest of our backups in dir beyond keep. */
static int
backup_prune(const char *dir, unsigned int keep, struct backup_rotation *r,
    char **cause)
{
	DIR		*d;
	struct dirent	*de;
	char		**names = NULL, *from, *to;
	size_t		 n = 0, i;
	int		 rc = 0;

	if ((d = opendir(dir)) == NULL)
		return (err_set(cause, _("Cannot read %s: %s."), dir,
		    strerror(errno)));
	while ((de = readdir(d)) != NULL) {
		if (!backup_is_ours(dir, de->d_name))
			continue;
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, backup_name_cmp);
	for (i = 0; i < n; i++) {
		if (n - i <= keep || rc != 0) {
			free(names[i]);
			continue;
		}
		/* Out of the count first, then emptied. */
		xasprintf(&from, "%s/%s", dir, names[i]);
		xasprintf(&to, "%s/.%s.removing-%06ld", dir, names[i],
		    (long)getpid() % 1000000);
		if (rename(from, to) != 0 || backup_rmflat(to) != 0) {
			rc = err_set(cause, _("Cannot remove the old backup %s: "
			    "%s."), from, strerror(errno));
			free(names[i]);
		} else {
			r->removed = xrealloc(r->removed, (r->nremoved + 1) *
			    sizeof *r->removed);
			r->removed[r->nremoved++] = names[i];
		}
		free(from);
		free(to);
	}
	free(names);
	r->kept = n - r->nremoved;
	return (rc);
}

int
backup_rotate(struct store *s, const char *dir, unsigned int keep,
    struct backup_rotation *r, char **cause)
{
	struct stat	 sb;
	struct tm	 tm;
	time_t		 t = (time_t)now();
	char		 name[BACKUP_NAME_LEN + 1], *tmp = NULL;
	int		 fd, rc = -1;

	memset(r, 0, sizeof *r);
	if (stat(dir, &sb) != 0) {
		if (errno != ENOENT || mkdir(dir, 0770) != 0 ||
		    chmod(dir, 02770) != 0)
			return (err_set(cause, _("Cannot create the backup "
			    "directory %s: %s."), dir, strerror(errno)));
	} else if (!S_ISDIR(sb.st_mode))
		return (err_set(cause, _("%s is not a directory."), dir));
	if ((fd = open(dir, O_RDONLY|O_DIRECTORY|O_CLOEXEC)) == -1)
		return (err_set(cause, _("Cannot read %s: %s."), dir,
		    strerror(errno)));
	if (flock(fd, LOCK_EX|LOCK_NB) != 0) {
		close(fd);
		return (err_set(cause, _("Another backup into %s is running; "
		    "try again when it is done."), dir));
	}
	backup_clean_stale(dir);

	gmtime_r(&t, &tm);
	strftime(name, sizeof name, BACKUP_PREFIX "%Y%m%dT%H%M%SZ", &tm);
	xasprintf(&r->path, "%s/%s", dir, name);
	if (lstat(r->path, &sb) == 0) {
		err_set(cause, _("%s already exists: a backup was made in the "
		    "same second. Wait a second and try again."), r->path);
		goto out;
	}
	if (backup_tmpdir(dir, name, "partial", &tmp, cause) != 0)
		goto out;
	if (backup_fill(s, tmp, cause) != 0) {
		backup_rmflat(tmp);
		goto out;
	}
	if (rename(tmp, r->path) != 0) {
		err_set(cause, _("Cannot rename %s to %s: %s."), tmp, r->path,
		    strerror(errno));
		backup_rmflat(tmp);
		goto out;
	}
	backup_sync_dir(dir);
	rc = backup_prune(dir, keep, r, cause);
	backup_sync_dir(dir);
out:
	free(tmp);
	close(fd);
	return (rc);
}

/* A name SHA256SUMS may give: a file of the backup's own directory. */
static int
backup_safe_name(const char *name)
{
	const char	*p;

	if (*name == '\0' || *name == '.' || strlen(name) > 255 ||
	    strcmp(name, BACKUP_SUMS) == 0)
		return (0);
	for (p = name; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		    *p == '-'))
			return (0);
	}
	return (1);
}

static void
backup_sums_free(struct backup_sum *sums, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(sums[i].name);
	free(sums);
}

/*
 * The backup's list: every line "HEX  NAME"; every table, DB_CONFIG and
 * a log file must be in it, or the backup is not whole.
 */
static int
backup_sums_read(const char *backup, struct backup_sum **sumsp, size_t *np,
    char **cause)
{
	struct backup_sum	*sums = NULL;
	uint8_t			*data;
	char			*path, *text, *line, *next, *need;
	size_t			 len, n = 0, i, got;
	int			 t, logs = 0, bad = 0;

	*sumsp = NULL;
	*np = 0;
	xasprintf(&path, "%s/%s", backup, BACKUP_SUMS);
	if (file_read(path, BACKUP_SUMS_MAX, &data, &len, NULL) != 0) {
		free(path);
		return (err_set(cause, _("%s is not a dossier backup, or not a "
		    "whole one: it has no %s, which a backup gets last."),
		    backup, BACKUP_SUMS));
	}
	free(path);
	text = xstrndup((char *)data, len);
	free(data);
	for (line = text; !bad && line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		else
			bad = 1;	/* the last line must end */
		if (strlen(line) < 2 * VAULT_SHA256_LEN + 3 ||
		    line[2 * VAULT_SHA256_LEN] != ' ' ||
		    line[2 * VAULT_SHA256_LEN + 1] != ' ' || n == BACKUP_FILES_MAX) {
			bad = 1;
			break;
		}
		line[2 * VAULT_SHA256_LEN] = '\0';
		sums = xrealloc(sums, (n + 1) * sizeof *sums);
		sums[n].name = xstrdup(line + 2 * VAULT_SHA256_LEN + 2);
		n++;
		if (vault_unhex(line, sums[n - 1].hash, VAULT_SHA256_LEN,
		    &got) != 0 || got != VAULT_SHA256_LEN ||
		    !backup_safe_name(sums[n - 1].name))
			bad = 1;
		for (i = 0; !bad && i + 1 < n; i++) {
			if (strcmp(sums[i].name, sums[n - 1].name) == 0)
				bad = 1;
		}
		if (strncmp(sums[n - 1].name, "log.", 4) == 0)
			logs++;
	}
	free(text);
	if (bad) {
		backup_sums_free(sums, n);
		return (err_set(cause, _("The list %s/%s is damaged: the backup "
		    "cannot be trusted."), backup, BACKUP_SUMS));
	}
	for (t = -1; t < STORE_NTABLES; t++) {
		if (t == -1)
			need = xstrdup("DB_CONFIG");
		else
			xasprintf(&need, "%s.db", store_table_name(t));
		for (i = 0; i < n && strcmp(sums[i].name, need) != 0; i++)
			;
		if (i == n) {
			err_set(cause, _("The backup %s is incomplete: its list "
			    "does not name %s."), backup, need);
			free(need);
			backup_sums_free(sums, n);
			return (-1);
		}
		free(need);
	}
	if (logs == 0) {
		backup_sums_free(sums, n);
		return (err_set(cause, _("The backup %s is incomplete: its list "
		    "names no log file."), backup));
	}
	*sumsp = sums;
	*np = n;
	return (0);
}

/* Copy one file of the backup, then check the copy against the list. */
static int
backup_copy_file(const char *backup, const char *tmp,
    const struct backup_sum *sum, char **cause)
{
	struct stat	 sb;
	uint8_t		 buf[65536], hash[VAULT_SHA256_LEN];
	char		*from, *to;
	ssize_t		 got;
	int		 in, out = -1, rc = -1;

	xasprintf(&from, "%s/%s", backup, sum->name);
	xasprintf(&to, "%s/%s", tmp, sum->name);
	in = open(from, O_RDONLY|O_NOFOLLOW|O_CLOEXEC);
	if (in == -1 || fstat(in, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		err_set(cause, _("The backup %s is incomplete: %s is missing "
		    "or not a file."), backup, sum->name);
		goto out;
	}
	out = open(to, O_RDWR|O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC, 0660);
	if (out == -1) {
		err_set(cause, _("Cannot write %s: %s."), to, strerror(errno));
		goto out;
	}
	while ((got = read(in, buf, sizeof buf)) != 0) {
		if (got == -1 && errno == EINTR)
			continue;
		if (got == -1 || write_all(out, buf, (size_t)got) != 0) {
			err_set(cause, _("Cannot copy %s to %s: %s."), from, to,
			    strerror(errno));
			goto out;
		}
	}
	if (fsync(out) != 0 || lseek(out, 0, SEEK_SET) != 0 ||
	    vault_sha256_fd(out, hash) != 0) {
		err_set(cause, _("Cannot write %s: %s."), to, strerror(errno));
		goto out;
	}
	if (memcmp(hash, sum->hash, sizeof hash) != 0) {
		err_set(cause, _("The backup %s is damaged: %s is not what its "
		    "list says (it was cut short or changed since the backup "
		    "was made)."), backup, sum->name);
		goto out;
	}
	rc = 0;
out:
	if (in != -1)
		close(in);
	if (out != -1)
		close(out);
	free(from);
	free(to);
	return (rc);
}

int
backup_restore_copy(const char *backup, const char *target, char **tmpp,
    char **cause)
{
	struct backup_sum	*sums;
	struct stat		 sb;
	DIR			*d;
	struct dirent		*de;
	char			*parent, *base, *tmp;
	size_t			 n, i;
	int			 exists, empty = 1;

	*tmpp = NULL;
	if (stat(backup, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return (err_set(cause, _("There is no backup directory at %s."),
		    backup));
	exists = stat(target, &sb) == 0;
	if (exists && !S_ISDIR(sb.st_mode))
		return (err_set(cause, _("%s exists and is not a directory; "
		    "restore into a new or empty directory."), target));
	if (exists) {
		if ((d = opendir(target)) == NULL)
			return (err_set(cause, _("Cannot read %s: %s."), target,
			    strerror(errno)));
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") != 0 &&
			    strcmp(de->d_name, "..") != 0)
				empty = 0;
		}
		closedir(d);
		if (!empty)
			return (err_set(cause, _("%s is not empty: a restore "
			    "never writes over anything; give a new or empty "
			    "directory."), target));
	}
	if (backup_sums_read(backup, &sums, &n, cause) != 0)
		return (-1);
	if (backup_split(target, &parent, &base, cause) != 0) {
		backup_sums_free(sums, n);
		return (-1);
	}
	if (backup_tmpdir(parent, base, "restore", &tmp, cause) != 0) {
		free(parent);
		free(base);
		backup_sums_free(sums, n);
		return (-1);
	}
	/* An empty target made for the purpose gives its group. */
	if (exists)
		(void)chown(tmp, (uid_t)-1, sb.st_gid);
	free(parent);
	free(base);
	for (i = 0; i < n; i++) {
		if (backup_copy_file(backup, tmp, &sums[i], cause) != 0)
			break;
	}
	backup_sums_free(sums, n);
	if (i < n || store_recover(tmp, cause) != 0) {
		backup_restore_abort(tmp);
		free(tmp);
		return (-1);
	}
	*tmpp = tmp;
	return (0);
}

int
backup_restore_commit(const char *tmp, const char *target, char **cause)
{
	char	*parent, *base;

	/* Over an empty directory, rename() replaces it in one step. */
	if (rename(tmp, target) != 0)
		return (err_set(cause, _("Cannot rename %s to %s: %s."), tmp,
		    target, strerror(errno)));
	if (backup_split(target, &parent, &base, NULL) == 0) {
		backup_sync_dir(parent);
		free(parent);
		free(base);
	}
	return (0);
}

void
backup_restore_abort(const char *tmp)
{
	if (tmp != NULL)
		backup_rmflat(tmp);
}
