/*
 * test-backup.c: backups whole or absent, rotation that removes only its
 * own, restores that refuse a damaged file and leave nothing behind
 * (tests/e2e/backup.sh does the same through the command line, with a
 * writer running).
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "backup.h"
#include "helpers.h"
#include "store.h"
#include "util.h"

static int64_t	 test_clock;

static int64_t
fixed_clock(void)
{
	return (test_clock);
}

/* How many entries of dir start with prefix. */
static int
count_prefix(const char *dir, const char *prefix)
{
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			n++;
	}
	closedir(d);
	return (n);
}

static int
exists(const char *dir, const char *name)
{
	struct stat	 sb;
	char		*path;
	int		 rc;

	xasprintf(&path, "%s/%s", dir, name);
	rc = lstat(path, &sb) == 0;
	free(path);
	return (rc);
}

static void
backup__keep__takes_1_to_1000(void **state)
{
	unsigned int	 k;

	(void)state;
	assert_int_equal(backup_keep_parse("1", &k), 0);
	assert_int_equal(k, 1);
	assert_int_equal(backup_keep_parse("1000", &k), 0);
	assert_int_equal(backup_keep_parse("0", &k), -1);
	assert_int_equal(backup_keep_parse("1001", &k), -1);
	assert_int_equal(backup_keep_parse("-1", &k), -1);
	assert_int_equal(backup_keep_parse("3x", &k), -1);
	assert_int_equal(backup_keep_parse("", &k), -1);
	assert_int_equal(backup_keep_parse(NULL, &k), -1);
}

/* Three backups with --keep 2: the two newest stay, nothing else goes. */
static void
backup__rotation__removes_only_its_own(void **state)
{
	struct backup_rotation	 r;
	struct store		*s;
	char			*tmp, *dir, *path, *cause = NULL;
	int			 i;
	FILE			*f;

	(void)state;
	tmp = helper_tmpdir();
	s = helper_init_store(tmp, NULL);
	xasprintf(&dir, "%s/backups", tmp);
	assert_int_equal(mkdir(dir, 0700), 0);
	/* Foreign: a name like ours without SHA256SUMS, a file, a folder. */
	xasprintf(&path, "%s/dossier-20000101T000000Z", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	free(path);
	xasprintf(&path, "%s/dossier-20000102T000000Z", dir);
	assert_non_null(f = fopen(path, "w"));
	fclose(f);
	free(path);
	xasprintf(&path, "%s/dossier-notes", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	free(path);

	util_set_clock(fixed_clock);
	for (i = 0; i < 3; i++) {
		test_clock = 1800000000 + i * 3600;
		if (backup_rotate(s, dir, 2, &r, &cause) != 0)
			fail_msg("backup_rotate: %s", cause);
		assert_int_equal(r.kept, i < 2 ? i + 1 : 2);
		assert_int_equal(r.nremoved, i < 2 ? 0 : 1);
		backup_rotation_free(&r);
	}
	/* The same second again: refused, nothing removed. */
	assert_int_equal(backup_rotate(s, dir, 1, &r, &cause), -1);
	assert_non_null(strstr(cause, "same second"));
	free(cause);
	cause = NULL;
	backup_rotation_free(&r);
	util_set_clock(NULL);

	assert_int_equal(count_prefix(dir, "dossier-2027"), 2);
	assert_false(exists(dir, "dossier-20270115T080000Z"));
	assert_true(exists(dir, "dossier-20270115T090000Z"));
	assert_true(exists(dir, "dossier-20270115T100000Z"));
	assert_true(exists(dir, "dossier-20000101T000000Z"));
	assert_true(exists(dir, "dossier-20000102T000000Z"));
	assert_true(exists(dir, "dossier-notes"));
	assert_int_equal(count_prefix(dir, "."), 2);	/* . and .. only */
	store_close(s);
	helper_rmrf(tmp);
	free(dir);
	free(tmp);
}

/*
 * A restore of a backup whose table changed after it was made is refused
 * by name and leaves nothing; the same backup whole restores, and the
 * copy opens as a data directory.
 */
static void
backup__restore__refuses_a_changed_file_and_leaves_nothing(void **state)
{
	struct store	*s;
	char		*tmp, *b, *target, *copy, *path, *cause = NULL;
	FILE		*f;

	(void)state;
	tmp = helper_tmpdir();
	s = helper_init_store(tmp, NULL);
	xasprintf(&b, "%s/b", tmp);
	if (backup_make(s, b, &cause) != 0)
		fail_msg("backup_make: %s", cause);
	assert_int_equal(backup_make(s, b, &cause), -1);	/* exists */
	free(cause);
	cause = NULL;
	store_close(s);
	assert_int_equal(count_prefix(tmp, ".b."), 0);

	/* Into a non-empty directory: refused before anything is copied. */
	xasprintf(&target, "%s/b", tmp);
	assert_int_equal(backup_restore_copy(b, target, &copy, &cause), -1);
	assert_non_null(strstr(cause, "not empty"));
	free(cause);
	cause = NULL;
	free(target);

	/* One byte of users.db changed: refused, by name. */
	xasprintf(&path, "%s/users.db", b);
	assert_non_null(f = fopen(path, "r+"));
	assert_int_equal(fseek(f, 4000, SEEK_SET), 0);
	assert_int_not_equal(fputc('X', f), EOF);
	fclose(f);
	xasprintf(&target, "%s/r", tmp);
	assert_int_equal(backup_restore_copy(b, target, &copy, &cause), -1);
	assert_non_null(strstr(cause, "users.db"));
	assert_null(copy);
	free(cause);
	cause = NULL;
	assert_false(exists(tmp, "r"));
	assert_int_equal(count_prefix(tmp, ".r."), 0);
	free(path);
	free(target);

	/* A new backup, whole: copied, committed, it opens. */
	helper_rmrf(b);
	xasprintf(&path, "%s/data", tmp);
	if (store_open(&s, path, 0, &cause) != 0)
		fail_msg("store_open: %s", cause);
	free(path);
	if (backup_make(s, b, &cause) != 0)
		fail_msg("backup_make: %s", cause);
	store_close(s);
	xasprintf(&target, "%s/r", tmp);
	assert_int_equal(mkdir(target, 0700), 0);	/* empty: allowed */
	if (backup_restore_copy(b, target, &copy, &cause) != 0)
		fail_msg("backup_restore_copy: %s", cause);
	if (backup_restore_commit(copy, target, &cause) != 0)
		fail_msg("backup_restore_commit: %s", cause);
	free(copy);
	assert_false(exists(target, BACKUP_SUMS));
	if (store_open(&s, target, 0, &cause) != 0)
		fail_msg("store_open of the restore: %s", cause);
	store_close(s);
	assert_int_equal(count_prefix(tmp, ".r."), 0);
	helper_rmrf(tmp);
	free(target);
	free(b);
	free(tmp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(backup__keep__takes_1_to_1000),
		cmocka_unit_test(backup__rotation__removes_only_its_own),
		cmocka_unit_test(
		    backup__restore__refuses_a_changed_file_and_leaves_nothing),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
