/*
 * test-audit.c: the audit log finds every change made behind dossier's
 * back.  Entries are altered, deleted and reordered through a raw
 * Berkeley DB handle joined to the store's environment, as someone with
 * the files and the library could do, and 'audit verify' must name the
 * broken entry.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <db.h>

#include "account.h"
#include "audit.h"
#include "helpers.h"
#include "session.h"
#include "store.h"
#include "util.h"

#define PASS	"une phrase assez longue pour nous"

struct fixture {
	char		*tmp;
	char		*data;
	struct store	*s;
};

/* Sign-ins and account changes make a few entries. */
static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);
	struct session	*admin, *sess;
	char		*cause = NULL;

	f->tmp = helper_tmpdir();
	f->s = helper_init_store(f->tmp, NULL);
	xasprintf(&f->data, "%s/data", f->tmp);
	admin = helper_signin(f->s, "chef", HELPER_ADMIN_PASS);
	helper_add_user(admin, "awa", "registrar", PASS);
	helper_add_user(admin, "ibrahim", "investigator", PASS);
	assert_int_equal(account_set_disabled(admin, "awa", 1, &cause), 0);
	assert_int_equal(account_set_disabled(admin, "awa", 0, &cause), 0);
	session_free(admin);
	sess = helper_signin(f->s, "ibrahim", PASS);
	session_free(sess);
	/* A failed sign-in is recorded, signed by the store's own key. */
	assert_int_equal(session_signin(f->s, "ibrahim", "wrong wrong wrong",
	    17, &sess, &cause), -1);
	free(cause);
	store_close(f->s);
	f->s = NULL;
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	store_close(f->s);
	helper_rmrf(f->tmp);
	free(f->tmp);
	free(f->data);
	free(f);
	return (0);
}

static int
verify(struct fixture *f, uint64_t *count, uint64_t *bad, char **cause)
{
	int	 rc;

	if (store_open(&f->s, f->data, 0, cause) != 0)
		fail_msg("store_open: %s", *cause);
	rc = account_verify_audit(f->s, NULL, count, bad, cause);
	store_close(f->s);
	f->s = NULL;
	return (rc);
}

/* A raw handle on audit.db inside the store's environment. */
static void
raw_open(struct fixture *f, DB_ENV **envp, DB **dbp)
{
	DB_ENV	*env;
	DB	*db;

	assert_int_equal(db_env_create(&env, 0), 0);
	assert_int_equal(env->open(env, f->data, DB_CREATE | DB_INIT_MPOOL |
	    DB_INIT_TXN | DB_INIT_LOCK | DB_INIT_LOG, 0), 0);
	assert_int_equal(db_create(&db, env, 0), 0);
	assert_int_equal(db->open(db, NULL, "audit.db", NULL, DB_BTREE,
	    DB_AUTO_COMMIT, 0), 0);
	*envp = env;
	*dbp = db;
}

static void
raw_close(DB_ENV *env, DB *db)
{
	db->close(db, 0);
	env->txn_checkpoint(env, 0, 0, DB_FORCE);
	env->close(env, 0);
}

static void
raw_get(DB *db, uint64_t seq, DBT *v)
{
	uint8_t	 k[8];
	DBT	 key;

	put_be64(k, seq);
	memset(&key, 0, sizeof key);
	memset(v, 0, sizeof *v);
	key.data = k;
	key.size = 8;
	v->flags = DB_DBT_MALLOC;
	assert_int_equal(db->get(db, NULL, &key, v, 0), 0);
}

static void
raw_put(DB *db, uint64_t seq, DBT *v)
{
	uint8_t	 k[8];
	DBT	 key;

	put_be64(k, seq);
	memset(&key, 0, sizeof key);
	key.data = k;
	key.size = 8;
	v->flags = 0;
	assert_int_equal(db->put(db, NULL, &key, v, 0), 0);
}

static void
raw_del(DB *db, uint64_t seq)
{
	uint8_t	 k[8];
	DBT	 key;

	put_be64(k, seq);
	memset(&key, 0, sizeof key);
	key.data = k;
	key.size = 8;
	assert_int_equal(db->del(db, NULL, &key, 0), 0);
}

static void
audit__verifies__an_untouched_log(void **state)
{
	struct fixture	*f = *state;
	uint64_t	 count, bad;
	char		*cause = NULL;

	if (verify(f, &count, &bad, &cause) != 0)
		fail_msg("%s", cause);
	/* signin, 2 adds, disable, enable, signin, failure */
	assert_int_equal(count, 7);
}

static void
audit__finds__an_altered_entry(void **state)
{
	struct fixture	*f = *state;
	DB_ENV		*env;
	DB		*db;
	DBT		 v;
	uint64_t	 count, bad;
	char		*cause = NULL, *p;

	raw_open(f, &env, &db);
	raw_get(db, 4, &v);
	/* "user.disable" becomes "user.enable" in the same length. */
	p = memmem(v.data, v.size, "disable", 7);
	assert_non_null(p);
	memcpy(p, "xnable.", 7);
	raw_put(db, 4, &v);
	free(v.data);
	raw_close(env, db);
	assert_int_equal(verify(f, &count, &bad, &cause), -1);
	assert_int_equal(bad, 4);
	assert_non_null(strstr(cause, "entry 4"));
	free(cause);
}

static void
audit__finds__a_deleted_entry(void **state)
{
	struct fixture	*f = *state;
	DB_ENV		*env;
	DB		*db;
	uint64_t	 count, bad;
	char		*cause = NULL;

	raw_open(f, &env, &db);
	raw_del(db, 3);
	raw_close(env, db);
	assert_int_equal(verify(f, &count, &bad, &cause), -1);
	assert_int_equal(bad, 3);
	assert_non_null(strstr(cause, "missing"));
	free(cause);
}

static void
audit__finds__reordered_entries(void **state)
{
	struct fixture	*f = *state;
	DB_ENV		*env;
	DB		*db;
	DBT		 a, b;
	uint64_t	 count, bad;
	char		*cause = NULL;

	raw_open(f, &env, &db);
	raw_get(db, 2, &a);
	raw_get(db, 3, &b);
	raw_put(db, 2, &b);
	raw_put(db, 3, &a);
	free(a.data);
	free(b.data);
	raw_close(env, db);
	assert_int_equal(verify(f, &count, &bad, &cause), -1);
	assert_int_equal(bad, 2);
	free(cause);
}

static void
audit__finds__a_removed_last_entry(void **state)
{
	struct fixture	*f = *state;
	DB_ENV		*env;
	DB		*db;
	uint64_t	 count, bad;
	char		*cause = NULL;

	raw_open(f, &env, &db);
	raw_del(db, 7);
	raw_close(env, db);
	assert_int_equal(verify(f, &count, &bad, &cause), -1);
	assert_non_null(strstr(cause, "head"));
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(audit__verifies__an_untouched_log,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(audit__finds__an_altered_entry,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(audit__finds__a_deleted_entry,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(audit__finds__reordered_entries,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    audit__finds__a_removed_last_entry, setup, teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
