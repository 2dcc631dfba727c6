/*
 * test-store.c: the Berkeley DB environment: creation and refusals,
 * several processes writing at once, and a process killed with SIGKILL
 * in the middle of a transaction.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

/*
 * Berkeley DB cannot free the handles of a panicked environment (DB->close
 * and DB_ENV->close return at once on a panic); under LeakSanitizer the
 * test that panics one on purpose ignores what it allocates, and only that.
 */
#if defined(__SANITIZE_ADDRESS__)
#define LEAKS_CHECKED	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LEAKS_CHECKED	1
#endif
#endif
#ifdef LEAKS_CHECKED
#include <sanitizer/lsan_interface.h>
#define leaks_ignored()	__lsan_disable()
#define leaks_checked()	__lsan_enable()
#else
#define leaks_ignored()	do { } while (0)
#define leaks_checked()	do { } while (0)
#endif

#include "helpers.h"
#include "raw.h"
#include "store.h"
#include "util.h"

struct kv {
	const char	*key;
	const char	*value;
	uint8_t		*got;
	size_t		 len;
};

static int
put_txn(struct store_txn *t, void *arg, char **cause)
{
	struct kv	*kv = arg;

	return (store_put(t, STORE_CASES, kv->key, strlen(kv->key), kv->value,
	    strlen(kv->value), 0, cause));
}

static int
kv_get(struct store_txn *t, enum store_table table, struct kv *kv,
    char **cause)
{
	return (store_get(t, table, kv->key, strlen(kv->key), &kv->got,
	    &kv->len, cause));
}

static int
get_txn(struct store_txn *t, void *arg, char **cause)
{
	return (kv_get(t, STORE_CASES, arg, cause));
}

static int
put_meta_txn(struct store_txn *t, void *arg, char **cause)
{
	struct kv	*kv = arg;

	return (store_put(t, STORE_META, kv->key, strlen(kv->key), kv->value,
	    strlen(kv->value), 0, cause));
}

static void
put(struct store *s, const char *k, const char *v)
{
	struct kv	 kv = { k, v, NULL, 0 };
	char		*cause = NULL;

	if (store_run(s, put_txn, &kv, &cause) != 0)
		fail_msg("put %s: %s", k, cause);
}

/* 1 if present with the value, 0 if absent. */
static int
has(struct store *s, const char *k, const char *v)
{
	struct kv	 kv = { k, NULL, NULL, 0 };
	int		 rc, same;

	rc = store_run(s, get_txn, &kv, NULL);
	if (rc == STORE_NOTFOUND)
		return (0);
	assert_int_equal(rc, 0);
	same = kv.len == strlen(v) && memcmp(kv.got, v, kv.len) == 0;
	free(kv.got);
	assert_true(same);
	return (1);
}

/* The store checks clean; then its directory goes. */
static void
checked_away(char *tmp, char *d)
{
	char	*cause = NULL;

	if (store_check(d, &cause) != 0)
		fail_msg("store_check: %s", cause);
	helper_rmrf(tmp);
	free(d);
	free(tmp);
}

static char *
data_dir(const char *tmp)
{
	char	*d;

	xasprintf(&d, "%s/data", tmp);
	return (d);
}

static void
store__creates__a_private_group_directory_and_reopens_it(void **state)
{
	struct store	*s;
	struct stat	 sb;
	char		*tmp = helper_tmpdir(), *d = data_dir(tmp), *cause = NULL;

	assert_int_equal(store_open(&s, d, STORE_CREATE, &cause), 0);
	put(s, "k", "v");
	store_close(s);
	assert_int_equal(stat(d, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 02770);
	assert_int_equal(store_open(&s, d, 0, &cause), 0);
	assert_int_equal(has(s, "k", "v"), 1);
	store_close(s);
	/* A second creation refuses and keeps the data. */
	assert_int_equal(store_open(&s, d, STORE_CREATE, &cause), -1);
	assert_non_null(strstr(cause, "already holds"));
	assert_int_equal(store_open(&s, d, 0, &cause), 0);
	assert_int_equal(has(s, "k", "v"), 1);
	store_close(s);
	free(cause);
	helper_rmrf(tmp);
	free(d);
	free(tmp);
}

static void
store__refuses__missing_foreign_and_world_readable_directories(void **state)
{
	struct store	*s;
	char		*tmp = helper_tmpdir(), *d = data_dir(tmp), *cause = NULL;
	char		*file;
	FILE		*f;

	assert_int_equal(store_open(&s, d, 0, &cause), -1);
	assert_non_null(strstr(cause, "dossier init"));

	assert_int_equal(mkdir(d, 0700), 0);
	xasprintf(&file, "%s/notes.txt", d);
	assert_non_null(f = fopen(file, "w"));
	fclose(f);
	assert_int_equal(store_open(&s, d, 0, &cause), -1);
	assert_non_null(strstr(cause, "not a dossier data directory"));
	assert_int_equal(store_open(&s, d, STORE_CREATE, &cause), -1);
	assert_non_null(strstr(cause, "not empty"));
	/* Nothing was written into the foreign directory. */
	assert_int_equal(access(file, F_OK), 0);
	free(file);
	xasprintf(&file, "%s/meta.db", d);
	assert_int_equal(access(file, F_OK), -1);
	free(file);

	assert_int_equal(chmod(d, 0707), 0);
	assert_int_equal(store_open(&s, d, 0, &cause), -1);
	assert_non_null(strstr(cause, "accessible to other users"));
	free(cause);
	helper_rmrf(tmp);
	free(d);
	free(tmp);
}

static void
store__refuses__a_newer_format(void **state)
{
	struct store	*s;
	struct kv	 kv = { "format", "99", NULL, 0 };
	char		*tmp = helper_tmpdir(), *d = data_dir(tmp), *cause = NULL;

	assert_int_equal(store_open(&s, d, STORE_CREATE, &cause), 0);
	assert_int_equal(store_run(s, put_meta_txn, &kv, &cause), 0);
	store_close(s);
	assert_int_equal(store_open(&s, d, 0, &cause), -1);
	assert_non_null(strstr(cause, "newer dossier (format 99)"));
	free(cause);
	helper_rmrf(tmp);
	free(d);
	free(tmp);
}

static void
store__reports__a_damaged_table_file(void **state)
{
	struct store	*s;
	char		*tmp = helper_tmpdir(), *d = data_dir(tmp), *cause = NULL;
	char		*file;
	int		 fd;

	assert_int_equal(store_open(&s, d, STORE_CREATE, &cause), 0);
	put(s, "k", "v");
	store_close(s);
	xasprintf(&file, "%s/users.db", d);
	assert_true((fd = open(file, O_WRONLY|O_TRUNC)) != -1);
	assert_int_equal(write(fd, "garbage, not a btree", 20), 20);
	close(fd);
	assert_int_equal(store_open(&s, d, 0, &cause), -1);
	assert_non_null(strstr(cause, "users.db"));
	assert_int_equal(store_verify(d, &cause), -1);
	free(file);
	free(cause);
	helper_rmrf(tmp);
	free(d);
	free(tmp);
}

struct counter {
	uint64_t	id;
};

static int
next_txn(struct store_txn *t, void *arg, char **cause)
{
	struct counter	*c = arg;
	char		 key[32];
	int		 rc;

	if ((rc = store_next_id(t, "test", &c->id, cause)) != 0)
		return (rc);
	snprintf(key, sizeof key, "id-%llu", (unsigned long long)c->id);
	return (store_put(t, STORE_CASES, key, strlen(key), "x", 1,
	    STORE_NOOVERWRITE, cause));
}

static void
store__serialises__concurrent_writers_from_several_processes(void **state)
{
	struct store	*s;
	struct counter	 c;
	char		*tmp = helper_tmpdir(), *d = data_dir(tmp), *cause = NULL;
	char		 key[32];
	pid_t		 pids[4];
	int		 i, j, status;

	assert_int_equal(store_open(&s, d, STORE_CREATE, &cause), 0);
	store_close(s);
	for (i = 0; i < 4; i++) {
		if ((pids[i] = fork()) == 0) {
			alarm(60);
			if (store_open(&s, d, 0, &cause) != 0)
				_exit(10);
			for (j = 0; j < 100; j++) {
				if (store_run(s, next_txn, &c, &cause) != 0)
					_exit(11);
			}
			store_close(s);
			_exit(0);
		}
		assert_true(pids[i] > 0);
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	/* 400 ids handed out, none twice, none lost. */
	assert_int_equal(store_open(&s, d, 0, &cause), 0);
	for (i = 1; i <= 400; i++) {
		snprintf(key, sizeof key, "id-%d", i);
		assert_int_equal(has(s, key, "x"), 1);
	}
	assert_int_equal(has(s, "id-401", "x"), 0);
	store_close(s);
	assert_int_equal(store_verify(d, &cause), 0);
	helper_rmrf(tmp);
	free(d);
	free(tmp);
}

struct many {
	int	 from, to;	/* keys kFROM .. kTO-1 */
};

static void
compact_value(char *v, size_t size, int i)
{
	snprintf(v, size, "%d:%0120d", i, i);
}

static int
many_txn(struct store_txn *t, void *arg, char **cause)
{
	struct many	*m = arg;
	char		 k[32], v[160];
	int		 i, rc;

	for (i = m->from; i < m->to; i++) {
		snprintf(k, sizeof k, "k%d", i);
		compact_value(v, sizeof v, i);
		if ((rc = store_put(t, STORE_CASES, k, strlen(k), v, strlen(v),
		    0, cause)) != 0)
			return (rc);
	}
	return (0);
}

/* Puts made by a thread from now on, then keys kFROM .. kTO-1. */
static int
behind_many(struct store_txn *t, int from, int to, char **cause)
{
	struct many	 m = { from, to };
	int		 rc;

	if ((rc = store_txn_behind(t, cause)) != 0)
		return (rc);
	return (many_txn(t, &m, cause));
}

struct hold {
	int	fd;	/* tell the parent the write is in progress */
	int	behind;	/* its puts made by a thread (store_txn_behind) */
};

static int
hold_txn(struct store_txn *t, void *arg, char **cause)
{
	struct hold	*h = arg;
	uint8_t		*v;
	size_t		 len;
	int		 rc;

	if (h->behind && (rc = behind_many(t, 0, 300, cause)) != 0)
		return (rc);
	rc = store_put(t, STORE_CASES, "uncommitted", 11, "no", 2, 0, cause);
	if (rc != 0)
		return (rc);
	rc = store_put(t, STORE_CASES, "shared", 6, "child", 5, 0, cause);
	if (rc != 0)
		return (rc);
	/* A read waits until the thread made every put before it. */
	if ((rc = store_get(t, STORE_CASES, "shared", 6, &v, &len, cause)) != 0)
		return (rc);
	free(v);
	(void)write(h->fd, "x", 1);
	for (;;)
		pause();	/* killed here, inside the transaction */
}

/* Start a child that commits "committed", then dies mid-transaction. */
static pid_t
start_dying_writer(const char *d, int *rfd, int behind)
{
	struct store	*s;
	struct hold	 h;
	int		 p[2];
	pid_t		 pid;
	char		 c;

	assert_int_equal(pipe(p), 0);
	if ((pid = fork()) == 0) {
		close(p[0]);
		alarm(60);
		if (store_open(&s, d, 0, NULL) != 0)
			_exit(10);
		put(s, "committed", "yes");
		h.fd = p[1];
		h.behind = behind;
		store_run(s, hold_txn, &h, NULL);
		_exit(11);
	}
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	*rfd = p[0];
	return (pid);
}

static void
dies_mid_transaction(int behind)
{
	struct store	*s;
	char		*tmp = helper_tmpdir(), *d = data_dir(tmp), *cause = NULL;
	char		 k[32], v[160];
	pid_t		 pid;
	int		 fd, status, i;

	assert_int_equal(store_open(&s, d, STORE_CREATE, &cause), 0);
	store_close(s);
	pid = start_dying_writer(d, &fd, behind);
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(fd);

	alarm(30);	/* a hang fails the test instead of blocking make */
	if (store_open(&s, d, 0, &cause) != 0)
		fail_msg("reopen: %s", cause);
	assert_int_equal(has(s, "committed", "yes"), 1);
	assert_int_equal(has(s, "uncommitted", ""), 0);
	for (i = 0; i < 300; i++) {
		snprintf(k, sizeof k, "k%d", i);
		compact_value(v, sizeof v, i);
		assert_int_equal(has(s, k, v), 0);
	}
	put(s, "shared", "parent");
	assert_int_equal(has(s, "shared", "parent"), 1);
	store_close(s);
	alarm(0);
	assert_int_equal(store_verify(d, &cause), 0);
	helper_rmrf(tmp);
	free(d);
	free(tmp);
}

static void
store__recovers__after_a_writer_is_killed_mid_transaction(void **state)
{
	dies_mid_transaction(0);
}

/* The same while a thread of its own makes the transaction's puts. */
static void
store__recovers__after_a_writer_behind_is_killed_mid_transaction(void **state)
{
	dies_mid_transaction(1);
}

static void
store__unblocks__a_live_process_when_a_lock_holder_dies(void **state)
{
	struct store	*s;
	char		*tmp = helper_tmpdir(), *d = data_dir(tmp), *cause = NULL;
	pid_t		 pid;
	int		 fd, status;

	assert_int_equal(store_open(&s, d, STORE_CREATE, &cause), 0);
	store_close(s);
	pid = start_dying_writer(d, &fd, 0);
	/* We open while the child holds its locks, then it dies. */
	if (store_open(&s, d, 0, &cause) != 0)
		fail_msg("open: %s", cause);
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(fd);

	alarm(30);
	put(s, "shared", "parent");	/* waits, times out, failchk, retries */
	assert_int_equal(has(s, "shared", "parent"), 1);
	assert_int_equal(has(s, "committed", "yes"), 1);
	assert_int_equal(has(s, "uncommitted", ""), 0);
	store_close(s);
	alarm(0);
	helper_rmrf(tmp);
	free(d);
	free(tmp);
}

/*
 * Keys whose string order is not their order of arrival ("k1", "k10",
 * "k100" ...), as the sealed keys' "case:ID" labels are: the btree
 * splits pages in the middle and leaves them about half full.
 */
#define COMPACT_KEYS	6000

static void
put_many(struct store *s, int from, int to)
{
	struct many	 m;
	char		*cause = NULL;
	int		 i;

	/* A transaction per 200 keys, as an import makes them. */
	for (i = from; i < to; i += 200) {
		m.from = i;
		m.to = i + 200 < to ? i + 200 : to;
		if (store_run(s, many_txn, &m, &cause) != 0)
			fail_msg("put: %s", cause);
	}
}

static off_t
file_size(const char *d, const char *name)
{
	struct stat	 sb;
	char		*path;

	xasprintf(&path, "%s/%s", d, name);
	assert_int_equal(stat(path, &sb), 0);
	free(path);
	return (sb.st_size);
}

static void
all_there(struct store *s, int n)
{
	char	 k[32], v[160];
	int	 i;

	for (i = 0; i < n; i++) {
		snprintf(k, sizeof k, "k%d", i);
		compact_value(v, sizeof v, i);
		assert_int_equal(has(s, k, v), 1);
	}
}

/* Every key of n there, the store closed, checked and removed. */
static void
compact_done(struct store *s, char *d, char *tmp, int n)
{
	all_there(s, n);
	store_close(s);
	checked_away(tmp, d);
}

/*
 * With its puts made by a thread: a read in the transaction sees the
 * puts asked for before it, a delete of an absent key is no failure, and
 * the transaction commits all of them; a failed put (an existing key
 * written with STORE_NOOVERWRITE), or the caller's own failure, leaves
 * nothing of the attempt.
 */
struct behind {
	int	 mode;		/* 0: all well, 1: a failed put, 2: rc -1 */
	int	 seen;		/* keys the scan in the transaction saw */
	int	 got;		/* the read found the last put */
};

static int
behind_count(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct behind	*b = arg;

	(void)k; (void)klen; (void)v; (void)vlen;
	b->seen++;
	return (0);
}

static int
behind_txn(struct store_txn *t, void *arg, char **cause)
{
	struct behind	*b = arg;
	uint8_t		*v;
	size_t		 len;
	int		 rc;

	if ((rc = behind_many(t, 1000, 2000, cause)) != 0)
		return (rc);
	if (b->mode == 1 && (rc = store_put(t, STORE_CASES, "k0", 2, "again",
	    5, STORE_NOOVERWRITE, cause)) != 0)
		return (rc);	/* a failure already known is fine too */
	if ((rc = store_del_any(t, STORE_CASES, "absent", 6, cause)) != 0 ||
	    (rc = store_put(t, STORE_CASES, "last", 4, "one", 3, 0, cause)) != 0)
		return (rc);
	if (b->mode == 1)
		return (0);	/* the failure comes out at the end */
	if ((rc = store_get(t, STORE_CASES, "last", 4, &v, &len, cause)) != 0)
		return (rc);
	b->got = len == 3 && memcmp(v, "one", 3) == 0;
	free(v);
	b->seen = 0;
	if ((rc = store_scan(t, STORE_CASES, "k1", 2, behind_count, b,
	    cause)) != 0)
		return (rc);
	return (b->mode == 2 ? -1 : 0);
}

static void
store__writes_behind__in_order_and_all_or_nothing(void **state)
{
	struct store	*s;
	struct behind	 b;
	char		*tmp = helper_tmpdir(), *d = data_dir(tmp), *cause = NULL;
	char		 k[32], v[160];

	assert_int_equal(store_open(&s, d, STORE_CREATE, &cause), 0);
	put_many(s, 0, 10);

	memset(&b, 0, sizeof b);
	b.mode = 1;
	assert_int_not_equal(store_run(s, behind_txn, &b, &cause), 0);
	free(cause);
	cause = NULL;
	assert_int_equal(has(s, "k1500", ""), 0);
	assert_int_equal(has(s, "last", ""), 0);
	compact_value(v, sizeof v, 0);
	assert_int_equal(has(s, "k0", v), 1);

	memset(&b, 0, sizeof b);
	b.mode = 2;
	assert_int_equal(store_run(s, behind_txn, &b, &cause), -1);
	assert_int_equal(has(s, "k1500", ""), 0);
	assert_int_equal(has(s, "last", ""), 0);

	memset(&b, 0, sizeof b);
	if (store_run(s, behind_txn, &b, &cause) != 0)
		fail_msg("behind: %s", cause);
	assert_true(b.got);
	/* k1 (of k0..k9 before), k1000..k1999 queued behind the scan */
	assert_int_equal(b.seen, 1 + 1000);
	snprintf(k, sizeof k, "k%d", 1999);
	compact_value(v, sizeof v, 1999);
	assert_int_equal(has(s, k, v), 1);
	assert_int_equal(has(s, "last", "one"), 1);
	store_close(s);
	checked_away(tmp, d);
}

/* 1 if the table file's metadata page says it is compressed. */
static int
compressed(const char *d, const char *file)
{
	struct raw	 r;
	DB_BTREE_STAT	*sp;
	int		 yes;

	raw_open(&r, d, file);
	assert_int_equal(r.db->stat(r.db, NULL, &sp, DB_FAST_STAT), 0);
	yes = (sp->bt_metaflags & 0x080) != 0;	/* BTM_COMPRESS */
	free(sp);
	raw_close(&r);
	return (yes);
}

struct run {
	int	 from, to;
};

/*
 * Puts into the records table behind: increasing keys (one bulk put),
 * then a key put again with another value, a key out of order, and an
 * existing key overwritten: each key holds its last value.
 */
static int
run_txn(struct store_txn *t, void *arg, char **cause)
{
	struct run	*r = arg;
	char		 k[32], v[160];
	int		 i, rc;

	if ((rc = store_txn_behind(t, cause)) != 0)
		return (rc);
	for (i = r->from; i < r->to; i++) {
		snprintf(k, sizeof k, "r%06d", i);
		compact_value(v, sizeof v, i);
		if ((rc = store_put(t, STORE_RECORDS, k, strlen(k), v,
		    strlen(v), 0, cause)) != 0)
			return (rc);
	}
	if ((rc = store_put(t, STORE_RECORDS, "r000005", 7, "twice", 5, 0,
	    cause)) != 0 ||
	    (rc = store_put(t, STORE_RECORDS, "r000001x", 8, "early", 5, 0,
	    cause)) != 0 ||
	    (rc = store_put(t, STORE_RECORDS, "r000007", 7, "first", 5, 0,
	    cause)) != 0 ||
	    (rc = store_put(t, STORE_RECORDS, "r000007", 7, "second", 6, 0,
	    cause)) != 0)
		return (rc);
	return (0);
}

static int
rec_txn(struct store_txn *t, void *arg, char **cause)
{
	return (kv_get(t, STORE_RECORDS, arg, cause));
}

static void
rec_is(struct store *s, const char *k, const char *v)
{
	struct kv	 kv = { k, NULL, NULL, 0 };
	char		*cause = NULL;

	if (store_run(s, rec_txn, &kv, &cause) != 0)
		fail_msg("get %s: %s", k, cause);
	assert_int_equal(kv.len, strlen(v));
	assert_memory_equal(kv.got, v, kv.len);
	free(kv.got);
}

static int
count_cb(const void *k, size_t klen, const void *v, size_t vlen, void *arg)
{
	(void)k; (void)klen; (void)v; (void)vlen;
	(*(size_t *)arg)++;
	return (0);
}

static int
count_txn(struct store_txn *t, void *arg, char **cause)
{
	return (store_scan(t, STORE_RECORDS, "r", 1, count_cb, arg, cause));
}

/*
 * The thread sorts what it is handed by table and key (store-behind.c):
 * keys put in decreasing order into two tables, some deleted and some
 * put again after their delete.  Each key ends as its last operation
 * left it, whatever the order the thread made the others in.
 */
static int
sorted_txn(struct store_txn *t, void *arg, char **cause)
{
	char	 k[32], v[32];
	int	 i, rc;

	(void)arg;
	if ((rc = store_txn_behind(t, cause)) != 0)
		return (rc);
	for (i = 2999; i >= 0; i--) {
		snprintf(k, sizeof k, "q%05d", i);
		snprintf(v, sizeof v, "v%d", i);
		if ((rc = store_put(t, STORE_RECORDS, k, strlen(k), v,
		    strlen(v), 0, cause)) != 0)
			return (rc);
		snprintf(v, sizeof v, "c%d", i);
		if ((rc = store_put(t, STORE_CASES, k, strlen(k), v,
		    strlen(v), 0, cause)) != 0)
			return (rc);
		if (i % 3 == 0 && (rc = store_del_any(t, STORE_RECORDS, k,
		    strlen(k), cause)) != 0)
			return (rc);
		snprintf(v, sizeof v, "again%d", i);
		if (i % 5 == 0 && (rc = store_put(t, STORE_RECORDS, k,
		    strlen(k), v, strlen(v), 0, cause)) != 0)
			return (rc);
	}
	return (0);
}

static void
store__writes_behind__each_key_as_its_last_operation_left_it(void **state)
{
	struct store	*s;
	struct kv	 kv;
	char		*tmp = helper_tmpdir(), *d = data_dir(tmp), *cause = NULL;
	char		 k[32], v[32];
	int		 i, rc;

	assert_int_equal(store_open(&s, d, STORE_CREATE, &cause), 0);
	if (store_run(s, sorted_txn, NULL, &cause) != 0)
		fail_msg("sorted: %s", cause);
	for (i = 0; i < 3000; i++) {
		snprintf(k, sizeof k, "q%05d", i);
		memset(&kv, 0, sizeof kv);
		kv.key = k;
		rc = store_run(s, rec_txn, &kv, NULL);
		if (i % 5 == 0)
			snprintf(v, sizeof v, "again%d", i);
		else if (i % 3 == 0)
			v[0] = '\0';
		else
			snprintf(v, sizeof v, "v%d", i);
		if (v[0] == '\0')
			assert_int_equal(rc, STORE_NOTFOUND);
		else {
			assert_int_equal(rc, 0);
			assert_int_equal(kv.len, strlen(v));
			assert_memory_equal(kv.got, v, kv.len);
		}
		free(kv.got);
		snprintf(v, sizeof v, "c%d", i);
		assert_int_equal(has(s, k, v), 1);
	}
	store_close(s);
	checked_away(tmp, d);
}

/*
 * A file writer flips the bytes of the compressed records table's pages
 * (their headers kept), and removes the region files that cached the
 * good pages: a read says which table is damaged and what to do, never a bare
 * "Invalid argument" (found by a helper attacking the compressed tables).
 */
static void
store__names__a_damaged_page_of_a_compressed_table(void **state)
{
	struct store	*s;
	struct run	 r = { 0, 3000 };
	char		*tmp = helper_tmpdir(), *d = data_dir(tmp), *cause = NULL;
	char		*file, page[8192];
	size_t		 n = 0;
	off_t		 off;
	int		 fd, i;

	assert_int_equal(store_open(&s, d, STORE_CREATE, &cause), 0);
	if (store_run(s, run_txn, &r, &cause) != 0)
		fail_msg("run: %s", cause);
	assert_int_equal(store_run(s, count_txn, &n, &cause), 0);
	assert_int_equal(n, 3001);
	store_close(s);
	/* Every page's entries past its first kilobyte, the headers kept. */
	xasprintf(&file, "%s/records.db", d);
	assert_true((fd = open(file, O_RDWR)) != -1);
	for (off = 8192; pread(fd, page, sizeof page, off) ==
	    (ssize_t)sizeof page; off += 8192) {
		for (i = 1024; i < (int)sizeof page; i++)
			page[i] ^= 0x5a;
		assert_int_equal(pwrite(fd, page, sizeof page, off),
		    (ssize_t)sizeof page);
	}
	close(fd);
	free(file);
	for (i = 1; i <= 3; i++) {
		xasprintf(&file, "%s/__db.%03d", d, i);
		unlink(file);
		free(file);
	}
	assert_int_equal(store_open(&s, d, 0, &cause), 0);
	n = 0;
	assert_int_equal(store_run(s, count_txn, &n, &cause), -1);
	print_message("scan: %s\n", cause);
	assert_non_null(strstr(cause, "records.db"));
	assert_non_null(strstr(cause, "dossier check"));
	store_close(s);
	assert_int_equal(store_verify(d, &cause), -1);
	free(cause);
	helper_rmrf(tmp);
	free(d);
	free(tmp);
}

/*
 * A new store's records and keys tables are compressed, its other
 * tables not; one made as before 2026-12-02 (none compressed) opens and
 * takes the same writes.  Either way, puts made behind in runs (bulk)
 * keep every key's last value, and the store checks.
 */
static void
store__compresses__records_and_keys_of_a_new_store_only(void **state)
{
	struct store	*s;
	struct run	 r = { 0, 3000 };
	char		*tmp, *d, *cause = NULL, k[32], v[160];
	int		 old, i;

	for (old = 0; old < 2; old++) {
		tmp = helper_tmpdir();
		d = data_dir(tmp);
		store_set_compress(!old);
		assert_int_equal(store_open(&s, d, STORE_CREATE, &cause), 0);
		store_set_compress(1);
		store_close(s);
		assert_int_equal(compressed(d, "records.db"), !old);
		assert_int_equal(compressed(d, "keys.db"), !old);
		assert_int_equal(compressed(d, "cases.db"), 0);
		assert_int_equal(compressed(d, "index.db"), 0);

		assert_int_equal(store_open(&s, d, 0, &cause), 0);
		if (store_run(s, run_txn, &r, &cause) != 0)
			fail_msg("run: %s", cause);
		for (i = 0; i < 3000; i += 7) {
			if (i == 5 || i == 7)
				continue;
			snprintf(k, sizeof k, "r%06d", i);
			compact_value(v, sizeof v, i);
			rec_is(s, k, v);
		}
		rec_is(s, "r000005", "twice");
		rec_is(s, "r000001x", "early");
		rec_is(s, "r000007", "second");
		/* Written again over what is there, in one run. */
		r.from = 1000;
		r.to = 1010;
		if (store_run(s, run_txn, &r, &cause) != 0)
			fail_msg("run: %s", cause);
		compact_value(v, sizeof v, 1009);
		rec_is(s, "r001009", v);
		r.from = 0;
		r.to = 3000;
		store_close(s);
		if (store_check(d, &cause) != 0)
			fail_msg("store_check: %s", cause);
		helper_rmrf(tmp);
		free(d);
		free(tmp);
	}
}

static void
store__compacts__half_full_pages_and_keeps_every_entry(void **state)
{
	struct store		*s;
	struct store_compaction	 sc;
	char			*tmp = helper_tmpdir(), *d = data_dir(tmp);
	char			*cause = NULL;
	off_t			 after;
	pid_t			 pid;
	int			 status;

	assert_int_equal(store_open(&s, d, STORE_CREATE, &cause), 0);
	put_many(s, 0, COMPACT_KEYS);
	/*
	 * Another process keeps writing while the tables are compacted:
	 * compaction runs in small transactions beside it.
	 */
	if ((pid = fork()) == 0) {
		struct store	*s2;

		alarm(60);
		if (store_open(&s2, d, 0, NULL) != 0)
			_exit(10);
		put_many(s2, COMPACT_KEYS, COMPACT_KEYS + 1000);
		store_close(s2);
		_exit(0);
	}
	assert_true(pid > 0);
	if (store_compact(s, &sc, &cause) != 0)
		fail_msg("compact: %s", cause);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	after = file_size(d, "cases.db");
	/*
	 * Half-full pages filled: a quarter of the file at least given back.
	 * The puts' pages were still in the cache (no checkpoint since):
	 * the size before is the one compaction measured once they were
	 * written, the other, nearly empty, tables' pages with it.
	 */
	assert_true(sc.after < sc.before);
	assert_true(after * 4 <= (off_t)sc.before * 3 + 4 * 8192 * 8);
	compact_done(s, d, tmp, COMPACT_KEYS + 1000);
}

/*
 * A table too large for one call (more pages than the lock table holds
 * locks, as at 1,000,000 cases) is compacted a range of keys at a time:
 * the same way taken here on a small table, by ranges of 500 keys.
 */
static void
store__compacts__by_ranges_of_keys_too(void **state)
{
	struct store		*s;
	struct store_compaction	 sc;
	char			*tmp = helper_tmpdir(), *d = data_dir(tmp);
	char			*cause = NULL;
	off_t			 before, after;

	assert_int_equal(store_open(&s, d, STORE_CREATE, &cause), 0);
	put_many(s, 0, COMPACT_KEYS);
	/* Closed, the table's pages are in its file, not in the cache. */
	store_close(s);
	assert_int_equal(store_open(&s, d, 0, &cause), 0);
	before = file_size(d, "cases.db");
	store_compact_by_ranges(500);
	if (store_compact(s, &sc, &cause) != 0)
		fail_msg("compact: %s", cause);
	store_compact_by_ranges(0);
	after = file_size(d, "cases.db");
	assert_true(after * 4 <= before * 3);
	compact_done(s, d, tmp, COMPACT_KEYS);
}

/*
 * Puts into a compressed table are gathered and made at once
 * (store-gather.c): within the transaction a read, a scan or a delete of
 * the table sees every put asked for before it, in the order asked (the
 * last of two puts of a key wins), the commit makes the rest, and an
 * attempt that fails leaves nothing for the next one to make.
 */
struct gather {
	int	 fail;		/* the attempt returns -1 at its end */
	int	 seen;		/* keys "g..." the scan in it saw */
	int	 got;		/* reads that found what was asked */
};

static int
gather_count(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	(void)k; (void)klen; (void)v; (void)vlen;
	((struct gather *)arg)->seen++;
	return (0);
}

static int
gather_is(struct store_txn *t, enum store_table table, const char *k,
    const char *want, struct gather *g, char **cause)
{
	uint8_t	*v;
	size_t	 len;
	int	 rc;

	rc = store_get(t, table, k, strlen(k), &v, &len, cause);
	if (want == NULL) {
		if (rc == STORE_NOTFOUND) {
			err_clear(cause);
			g->got++;
			return (0);
		}
		if (rc == 0)
			free(v);
		return (rc == 0 ? 0 : rc);
	}
	if (rc != 0)
		return (rc == STORE_NOTFOUND ? 0 : rc);
	if (len == strlen(want) && memcmp(v, want, len) == 0)
		g->got++;
	free(v);
	return (0);
}

/* 1 if file holds k (with value v, unless NULL), read without dossier. */
static int
raw_has(const char *d, const char *file, const char *k, const char *v)
{
	struct raw	 r;
	DBT		 key, val;
	int		 ret, yes;

	raw_open(&r, d, file);
	memset(&key, 0, sizeof key);
	memset(&val, 0, sizeof val);
	key.data = (void *)k;
	key.size = (u_int32_t)strlen(k);
	val.flags = DB_DBT_MALLOC;
	ret = r.db->get(r.db, NULL, &key, &val, 0);
	assert_true(ret == 0 || ret == DB_NOTFOUND);
	yes = ret == 0;
	if (yes && v != NULL)
		assert_true(val.size == strlen(v) &&
		    memcmp(val.data, v, val.size) == 0);
	free(val.data);
	raw_close(&r);
	return (yes);
}

#define GPUT(tb, k, v) store_put(t, tb, k, strlen(k), v, strlen(v), 0, cause)

static int
gather_txn(struct store_txn *t, void *arg, char **cause)
{
	struct gather	*g = arg;
	int		 rc;

	g->seen = g->got = 0;
	if (g->fail) {
		if ((rc = GPUT(STORE_RECORDS, "gone", "never")) != 0)
			return (rc);
		return (-1);
	}
	if ((rc = GPUT(STORE_RECORDS, "ga", "1")) != 0 ||
	    (rc = GPUT(STORE_KEYS, "ka", "1")) != 0 ||
	    (rc = GPUT(STORE_RECORDS, "gb", "1")) != 0 ||
	    (rc = GPUT(STORE_RECORDS, "ga", "2")) != 0 ||
	    (rc = gather_is(t, STORE_RECORDS, "ga", "2", g, cause)) != 0 ||
	    (rc = gather_is(t, STORE_KEYS, "ka", "1", g, cause)) != 0)
		return (rc);
	if ((rc = GPUT(STORE_RECORDS, "gc", "1")) != 0 ||
	    (rc = store_del(t, STORE_RECORDS, "gc", 2, cause)) != 0 ||
	    (rc = gather_is(t, STORE_RECORDS, "gc", NULL, g, cause)) != 0)
		return (rc);
	if ((rc = GPUT(STORE_RECORDS, "gd", "1")) != 0 ||
	    (rc = store_del_any(t, STORE_RECORDS, "gd", 2, cause)) != 0 ||
	    (rc = GPUT(STORE_RECORDS, "ge", "1")) != 0 ||
	    (rc = store_scan(t, STORE_RECORDS, "g", 1, gather_count, g,
	    cause)) != 0)
		return (rc);
	/* Made by the commit alone: put twice, never read in here. */
	if ((rc = GPUT(STORE_RECORDS, "gf", "1")) != 0 ||
	    (rc = GPUT(STORE_KEYS, "kf", "1")) != 0 ||
	    (rc = GPUT(STORE_RECORDS, "gf", "2")) != 0)
		return (rc);
	return (0);
}

static void
store__gathers__puts_into_a_compressed_table_in_the_order_asked(void **state)
{
	struct store	*s;
	struct gather	 g = { 0, 0, 0 };
	struct kv	 kv = { "gone", NULL, NULL, 0 };
	char		*tmp = helper_tmpdir(), *d = data_dir(tmp), *cause = NULL;

	assert_int_equal(store_open(&s, d, STORE_CREATE, &cause), 0);
	if (store_run(s, gather_txn, &g, &cause) != 0)
		fail_msg("gather: %s", cause);
	assert_int_equal(g.got, 3);	/* ga is 2, ka is 1, gc is gone */
	assert_int_equal(g.seen, 3);	/* ga, gb, ge: not gc, not gd */
	rec_is(s, "ga", "2");
	rec_is(s, "gb", "1");
	rec_is(s, "ge", "1");
	rec_is(s, "gf", "2");
	/* A failed attempt: its gathered put is not made, then or later. */
	g.fail = 1;
	assert_int_equal(store_run(s, gather_txn, &g, &cause), -1);
	g.fail = 0;
	if (store_run(s, gather_txn, &g, &cause) != 0)
		fail_msg("gather again: %s", cause);
	assert_int_equal(store_run(s, rec_txn, &kv, NULL), STORE_NOTFOUND);
	store_close(s);
	/* What is on disk, read with Berkeley DB alone. */
	assert_int_equal(raw_has(d, "records.db", "gf", "2"), 1);
	assert_int_equal(raw_has(d, "keys.db", "kf", "1"), 1);
	assert_int_equal(raw_has(d, "records.db", "gd", NULL), 0);
	assert_int_equal(raw_has(d, "records.db", "gone", NULL), 0);
	checked_away(tmp, d);
}

/*
 * A data directory made before 2026-12-02 has a 128 MB (or 48 MB) cache
 * in its DB_CONFIG: if nobody edited the file, an open brings it to
 * today's 40 MB, and 'dossier check' (which has the directory alone)
 * rebuilds the environment with it; a file an administrator edited is
 * left as it is.
 */
static char *
config_text(const char *d)
{
	char	*path, *text = xcalloc(1, 4096);
	FILE	*f;

	xasprintf(&path, "%s/DB_CONFIG", d);
	assert_non_null(f = fopen(path, "r"));
	assert_true(fread(text, 1, 4095, f) > 0);
	fclose(f);
	free(path);
	return (text);
}

static void
config_write(const char *d, const char *text)
{
	char	*path;
	FILE	*f;

	xasprintf(&path, "%s/DB_CONFIG", d);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	free(path);
}

/* The cache of the environment as its regions have it, in MB. */
static unsigned int
cache_mb(const char *d)
{
	DB_ENV		*env;
	DB_MPOOL_STAT	*ms;
	unsigned int	 mb;

	assert_int_equal(db_env_create(&env, 0), 0);
	assert_int_equal(env->open(env, d, DB_JOINENV, 0), 0);
	assert_int_equal(env->memp_stat(env, &ms, NULL, 0), 0);
	mb = ms->st_gbytes * 1024 + ms->st_bytes / (1024 * 1024);
	free(ms);
	env->close(env, 0);
	return (mb);
}

static void
store__brings__an_unedited_old_db_config_to_todays_settings(void **state)
{
	struct store	*s;
	char		*tmp = helper_tmpdir(), *d = data_dir(tmp), *cause = NULL;
	char		*today, *old, *edited, *text, *p, *path;
	int		 i;

	assert_int_equal(store_open(&s, d, STORE_CREATE, &cause), 0);
	store_close(s);
	today = config_text(d);
	assert_non_null(p = strstr(today, "set_cachesize 0 41943040 1\n"));
	/* As the versions before wrote it: the cache line alone differs. */
	xasprintf(&old, "%.*sset_cachesize 0 134217728 1\n%s",
	    (int)(p - today), today, p + strlen("set_cachesize 0 41943040 1\n"));
	xasprintf(&edited, "%s# 128 MB: this server has memory to spare\n",
	    old);
	/* Its environment made with 128 MB (Berkeley DB adds a quarter). */
	config_write(d, edited);
	for (i = 1; i <= 5; i++) {
		xasprintf(&path, "%s/__db.%03d", d, i);
		unlink(path);
		free(path);
	}
	assert_int_equal(store_open(&s, d, 0, &cause), 0);
	store_close(s);
	assert_int_equal(cache_mb(d), 160);
	config_write(d, old);

	assert_int_equal(store_open(&s, d, 0, &cause), 0);
	text = config_text(d);
	assert_string_equal(text, today);
	free(text);
	/* Others may have the environment open: it stays as it was... */
	assert_int_equal(cache_mb(d), 160);
	store_close(s);
	/* ...until 'dossier check' has the directory alone. */
	if (store_check(d, &cause) != 0)
		fail_msg("check: %s", cause);
	assert_int_equal(store_open(&s, d, 0, &cause), 0);
	assert_int_equal(cache_mb(d), 50);
	store_close(s);

	/* Edited by an administrator: theirs, and checked as it is. */
	config_write(d, edited);
	assert_int_equal(store_open(&s, d, 0, &cause), 0);
	store_close(s);
	text = config_text(d);
	assert_string_equal(text, edited);
	free(text);
	if (store_check(d, &cause) != 0)
		fail_msg("check: %s", cause);
	assert_int_equal(store_open(&s, d, 0, &cause), 0);
	assert_int_equal(cache_mb(d), 160);
	store_close(s);
	free(edited);
	free(old);
	free(today);
	helper_rmrf(tmp);
	free(d);
	free(tmp);
}

/*
 * A database that fails again after each recovery (here another process
 * panics the environment at every attempt, as a damaged table would make
 * Berkeley DB do) is given up after a few recoveries with a sentence that
 * says so, not retried for a minute; once the cause is gone the store
 * recovers and holds what it held.
 */
/* Berkeley DB's messages for a panic made on purpose. */
static void
quiet(const DB_ENV *env, const char *prefix, const char *msg)
{
}

struct panic {
	const char	*d;
	int		 attempts;
};

static int
panic_txn(struct store_txn *t, void *arg, char **cause)
{
	struct panic	*p = arg;
	DB_ENV		*env;
	uint8_t		*v;
	size_t		 len;
	int		 rc;

	p->attempts++;
	assert_int_equal(db_env_create(&env, 0), 0);
	env->set_errcall(env, quiet);
	assert_int_equal(env->open(env, p->d, DB_JOINENV, 0), 0);
	(void)env->set_flags(env, DB_PANIC_ENVIRONMENT, 1);
	(void)env->close(env, 0);
	rc = store_get(t, STORE_CASES, "k", 1, &v, &len, cause);
	if (rc == 0)
		free(v);
	return (rc);
}

static void
store__gives_up__when_each_recovery_fails_again(void **state)
{
	struct store	*s;
	struct panic	 p;
	char		*tmp = helper_tmpdir(), *d = data_dir(tmp), *cause = NULL;

	/* Each panicked environment's handles stay allocated. */
	leaks_ignored();
	assert_int_equal(store_open(&s, d, STORE_CREATE, &cause), 0);
	put(s, "k", "kept");
	p.d = d;
	p.attempts = 0;
	assert_int_equal(store_run(s, panic_txn, &p, &cause), -1);
	leaks_checked();
	print_message("%d attempts: %s\n", p.attempts, cause);
	assert_non_null(strstr(cause, "failed again each time"));
	assert_non_null(strstr(cause, "dossier check"));
	/* The first, then one after each of a few recoveries. */
	assert_true(p.attempts >= 2 && p.attempts <= 5);
	free(cause);
	cause = NULL;
	/* Nothing panics it now: recovered, as it was. */
	assert_int_equal(has(s, "k", "kept"), 1);
	store_close(s);
	checked_away(tmp, d);
}

/*
 * A process that finds another one killed runs recovery, and first
 * panics the environment for every process that opened it before: one
 * still opening it (between its environment and its tables, or its
 * replication) is among them.  Seen in CI: a 'serve' restarted at once
 * after SIGKILL failed to start, the environment panicked under it by a
 * 'site status' that found the killed one gone.  Here one process opens
 * and closes the store as fast as it can while this one panics the
 * environment (as a recovery does) twenty times, at moments apart: no
 * open fails, and the store holds what it held.
 */
#define PANICS	20

static void
store__opens__while_another_process_recovers(void **state)
{
	struct store	*s;
	char		*tmp = helper_tmpdir(), *d = data_dir(tmp), *cause = NULL;
	char		*stop, line[256];
	DB_ENV		*env;
	FILE		*fp;
	pid_t		 pid;
	int		 fds[2], status, i, panicked = 0;
	unsigned int	 opens = 0, failed = 0;

	assert_int_equal(store_open(&s, d, STORE_CREATE, &cause), 0);
	put(s, "k", "kept");
	store_close(s);
	xasprintf(&stop, "%s/stop", tmp);
	assert_int_equal(pipe(fds), 0);
	if ((pid = fork()) == 0) {
		/* Each panicked environment's handles stay allocated. */
		leaks_ignored();
		close(fds[0]);
		while (access(stop, F_OK) != 0) {
			if (store_open(&s, d, 0, &cause) != 0) {
				if (failed++ == 0)
					dprintf(fds[1], "# %s\n", cause);
				free(cause);
				cause = NULL;
				continue;
			}
			opens++;
			store_close(s);
		}
		dprintf(fds[1], "%u %u\n", opens, failed);
		_exit(0);
	}
	close(fds[1]);
	srandom((unsigned int)getpid());
	usleep(50000);
	/* Each panicked environment's handles stay allocated. */
	leaks_ignored();
	for (i = 0; i < PANICS; i++) {
		/* Long enough apart for a recovery between two. */
		usleep(40000 + random() % 40000);
		assert_int_equal(db_env_create(&env, 0), 0);
		env->set_errcall(env, quiet);
		/* Already panicked (the opener has not reopened yet): next. */
		if (env->open(env, d, DB_JOINENV, 0) == 0 &&
		    env->set_flags(env, DB_PANIC_ENVIRONMENT, 1) == 0)
			panicked++;
		(void)env->close(env, 0);
	}
	leaks_checked();
	close(open(stop, O_WRONLY|O_CREAT, 0600));
	assert_non_null(fp = fdopen(fds[0], "r"));
	while (fgets(line, sizeof line, fp) != NULL && line[0] == '#')
		print_message("%s", line);
	assert_int_equal(sscanf(line, "%u %u", &opens, &failed), 2);
	fclose(fp);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	print_message("%d panics, %u opens, %u failed\n", panicked, opens,
	    failed);
	assert_true(panicked >= PANICS / 2);
	assert_true(opens >= (unsigned int)PANICS);
	assert_int_equal(failed, 0);
	assert_int_equal(store_open(&s, d, 0, &cause), 0);
	assert_int_equal(has(s, "k", "kept"), 1);
	store_close(s);
	free(stop);
	checked_away(tmp, d);
}

/*
 * The threads of one process share its store: 'serve' appends a
 * replica's audit entries in Berkeley DB's message threads while its own
 * thread writes.  When another process's recovery panics the
 * environment, one thread reopens it while the others wait; none runs a
 * transaction in an environment being closed.  Four threads write while
 * this process panics the environment twenty times: every write that
 * says it landed is there, and none fails.
 */
#define THREADS	4
#define WRITES	1000		/* each, at most */

struct writer {
	struct store	*s;
	atomic_int	*stop;
	int		 id;
	unsigned int	 done, failed;
	char		*first;
};

static void *
writer_thread(void *arg)
{
	struct writer	*w = arg;
	struct kv	 kv;
	char		 key[32], *cause = NULL;

	while (!atomic_load(w->stop)) {
		/* Enough to read back: then reads, through the panics. */
		snprintf(key, sizeof key, "w%d-%u", w->id,
		    w->done < WRITES ? w->done : 0);
		kv.key = key;
		kv.value = key;
		kv.got = NULL;
		if (store_run(w->s, w->done < WRITES ? put_txn : get_txn, &kv,
		    &cause) != 0) {
			if (w->failed++ == 0)
				w->first = cause;
			else
				free(cause);
			cause = NULL;
			continue;
		}
		free(kv.got);
		if (w->done < WRITES)
			w->done++;
		usleep(2000);
	}
	return (NULL);
}

static void
store__reopens__once_for_all_its_threads(void **state)
{
	struct store	*s;
	struct writer	 w[THREADS];
	pthread_t	 th[THREADS];
	atomic_int	 stop = 0;
	char		*tmp = helper_tmpdir(), *d = data_dir(tmp), *cause = NULL;
	char		 key[32], line[512];
	DB_ENV		*env;
	FILE		*fp;
	pid_t		 pid;
	unsigned int	 n, done = 0, failed = 0;
	int		 fds[2], status, i, j, panicked = 0;

	assert_int_equal(store_open(&s, d, STORE_CREATE, &cause), 0);
	store_close(s);
	assert_int_equal(pipe(fds), 0);
	if ((pid = fork()) == 0) {
		/* Each panicked environment's handles stay allocated. */
		leaks_ignored();
		close(fds[0]);
		alarm(120);	/* a thread that never returns fails it */
		/* As 'serve' opens it (here without a group). */
		if (store_open(&s, d, STORE_SERVE, &cause) != 0)
			_exit(2);
		for (i = 0; i < THREADS; i++) {
			memset(&w[i], 0, sizeof w[i]);
			w[i].s = s;
			w[i].stop = &stop;
			w[i].id = i;
			if (pthread_create(&th[i], NULL, writer_thread,
			    &w[i]) != 0)
				_exit(3);
		}
		srandom((unsigned int)getpid());
		usleep(50000);
		for (i = 0; i < PANICS; i++) {
			usleep(40000 + random() % 40000);
			if (db_env_create(&env, 0) != 0)
				_exit(4);
			env->set_errcall(env, quiet);
			if (env->open(env, d, DB_JOINENV, 0) == 0 &&
			    env->set_flags(env, DB_PANIC_ENVIRONMENT, 1) == 0)
				panicked++;
			(void)env->close(env, 0);
		}
		atomic_store(&stop, 1);
		for (i = 0; i < THREADS; i++) {
			pthread_join(th[i], NULL);
			if (w[i].first != NULL)
				dprintf(fds[1], "# %s\n", w[i].first);
			dprintf(fds[1], "%u %u\n", w[i].done, w[i].failed);
		}
		dprintf(fds[1], "%d\n", panicked);
		store_close(s);
		_exit(0);
	}
	close(fds[1]);
	assert_non_null(fp = fdopen(fds[0], "r"));
	/* The store as the threads left it, once they are gone. */
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(store_open(&s, d, 0, &cause), 0);
	for (i = 0; i < THREADS; i++) {
		while (fgets(line, sizeof line, fp) != NULL && line[0] == '#')
			print_message("%s", line);
		assert_int_equal(sscanf(line, "%u %u", &n, &failed), 2);
		assert_int_equal(failed, 0);
		assert_true(n > 0);
		/* What a thread was told was saved is there. */
		for (j = 0; j < (int)n; j++) {
			snprintf(key, sizeof key, "w%d-%d", i, j);
			assert_int_equal(has(s, key, key), 1);
		}
		done += n;
	}
	assert_non_null(fgets(line, sizeof line, fp));
	panicked = atoi(line);
	fclose(fp);
	print_message("%d panics, %u writes by %d threads\n", panicked, done,
	    THREADS);
	assert_true(panicked >= PANICS / 2);
	store_close(s);
	checked_away(tmp, d);
}

/*
 * The log does not grow without end while a process writes: a checkpoint
 * after each 16 MB of log, and the log files wholly before it removed,
 * while the store is open (a terminal stays open for a day).
 */
static int
log_file_exists(const char *d, int n)
{
	struct stat	 sb;
	char		*path;
	int		 rc;

	xasprintf(&path, "%s/log.%010d", d, n);
	rc = stat(path, &sb) == 0;
	free(path);
	return (rc);
}

static void
store__checkpoints__and_removes_the_log_behind_it(void **state)
{
	struct store	*s;
	char		*tmp = helper_tmpdir(), *d = data_dir(tmp), *cause = NULL;
	char		 key[32], *value;
	size_t		 i, j, len = 64 * 1024;

	assert_int_equal(store_open(&s, d, STORE_CREATE, &cause), 0);
	value = xmalloc(len + 1);
	value[len] = '\0';
	/* 26 MB of values: the first log file (10 MB) lies behind the
	 * checkpoint taken at 16 MB. */
	for (i = 0; i < 400; i++) {
		for (j = 0; j < len; j++)
			value[j] = 'a' + (char)((i * 31 + j * 7 + j / 13) % 26);
		snprintf(key, sizeof key, "big-%03zu", i);
		put(s, key, value);
	}
	assert_true(log_file_exists(d, 3));
	/* The watchdog thread takes the checkpoint: within its second. */
	for (i = 0; i < 300 && log_file_exists(d, 1); i++)
		usleep(100000);
	assert_false(log_file_exists(d, 1));
	/* And every value is there. */
	for (i = 0; i < 400; i += 57) {
		for (j = 0; j < len; j++)
			value[j] = 'a' + (char)((i * 31 + j * 7 + j / 13) % 26);
		snprintf(key, sizeof key, "big-%03zu", i);
		assert_int_equal(has(s, key, value), 1);
	}
	free(value);
	store_close(s);
	assert_int_equal(store_check(d, &cause), 0);
	helper_rmrf(tmp);
	free(d);
	free(tmp);
}

/* SIGKILL in the middle of a compaction: recovery, nothing lost. */
static void
store__recovers__after_a_compaction_is_killed(void **state)
{
	struct store		*s;
	struct store_compaction	 sc;
	char			*tmp = helper_tmpdir(), *d = data_dir(tmp);
	char			*cause = NULL;
	pid_t			 pid;
	int			 status, p[2];
	char			 c;

	assert_int_equal(store_open(&s, d, STORE_CREATE, &cause), 0);
	put_many(s, 0, COMPACT_KEYS);
	store_close(s);
	assert_int_equal(pipe(p), 0);
	if ((pid = fork()) == 0) {
		close(p[0]);
		alarm(60);
		if (store_open(&s, d, 0, NULL) != 0)
			_exit(10);
		(void)write(p[1], "x", 1);
		for (;;)	/* compacting when the kill lands */
			(void)store_compact(s, &sc, NULL);
	}
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	/* The first pass over these tables takes about 35 ms here. */
	usleep(10000);
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(store_open(&s, d, 0, &cause), 0);
	all_there(s, COMPACT_KEYS);
	put(s, "after", "yes");
	assert_int_equal(has(s, "after", "yes"), 1);
	store_close(s);
	assert_int_equal(store_check(d, &cause), 0);
	helper_rmrf(tmp);
	free(d);
	free(tmp);
}

/*
 * A site being joined ('site join', STORE_JOIN) has no tables until the
 * group's copy is here: reading or writing one is a sentence, not a
 * crash: a join that an election made master while it copied would go
 * to write its proof into meta (store-auth.c), a table never opened.
 * The same open without a group: the tables are as absent.
 */
static void
store__refuses__the_tables_of_a_join_not_copied_yet(void **state)
{
	struct store	*s;
	struct kv	 kv = { "site.proved 127.0.0.1:1", "1", NULL, 0 };
	char		*tmp = helper_tmpdir(), *j, *cause = NULL;

	xasprintf(&j, "%s/j", tmp);
	assert_int_equal(mkdir(j, 0700), 0);
	if (store_open(&s, j, STORE_JOIN, &cause) != 0)
		fail_msg("open: %s", cause);
	assert_int_equal(store_run(s, put_meta_txn, &kv, &cause), -1);
	print_message("put: %s\n", cause);
	assert_non_null(strstr(cause, "still being copied"));
	free(cause);
	cause = NULL;
	assert_int_equal(store_run(s, get_txn, &kv, &cause), -1);
	assert_non_null(strstr(cause, "still being copied"));
	free(cause);
	store_close(s);
	helper_rmrf(tmp);
	free(j);
	free(tmp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    store__creates__a_private_group_directory_and_reopens_it),
		cmocka_unit_test(
		    store__refuses__missing_foreign_and_world_readable_directories),
		cmocka_unit_test(store__refuses__a_newer_format),
		cmocka_unit_test(store__reports__a_damaged_table_file),
		cmocka_unit_test(
		    store__serialises__concurrent_writers_from_several_processes),
		cmocka_unit_test(
		    store__recovers__after_a_writer_is_killed_mid_transaction),
		cmocka_unit_test(
		    store__unblocks__a_live_process_when_a_lock_holder_dies),
		cmocka_unit_test(
		    store__compacts__half_full_pages_and_keeps_every_entry),
		cmocka_unit_test(store__compacts__by_ranges_of_keys_too),
		cmocka_unit_test(
		    store__writes_behind__in_order_and_all_or_nothing),
		cmocka_unit_test(
		    store__writes_behind__each_key_as_its_last_operation_left_it),
		cmocka_unit_test(
		    store__compresses__records_and_keys_of_a_new_store_only),
		cmocka_unit_test(
		    store__names__a_damaged_page_of_a_compressed_table),
		cmocka_unit_test(
		    store__recovers__after_a_writer_behind_is_killed_mid_transaction),
		cmocka_unit_test(store__recovers__after_a_compaction_is_killed),
		cmocka_unit_test(
		    store__gathers__puts_into_a_compressed_table_in_the_order_asked),
		cmocka_unit_test(
		    store__brings__an_unedited_old_db_config_to_todays_settings),
		cmocka_unit_test(store__gives_up__when_each_recovery_fails_again),
		cmocka_unit_test(store__opens__while_another_process_recovers),
		cmocka_unit_test(store__reopens__once_for_all_its_threads),
		cmocka_unit_test(
		    store__refuses__the_tables_of_a_join_not_copied_yet),
		cmocka_unit_test(
		    store__checkpoints__and_removes_the_log_behind_it),
	};

	umask(007);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
