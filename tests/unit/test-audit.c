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
#include <unistd.h>

#include <sys/wait.h>

#include <cmocka.h>
#include <db.h>

#include "account.h"
#include "audit.h"
#include "form.h"
#include "helpers.h"
#include "record.h"
#include "session.h"
#include "store.h"
#include "util.h"
#include "workflow.h"
#include "vault.h"

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
	helper_add_user_unapproved(admin, "awa", "registrar", PASS);
	helper_add_user_unapproved(admin, "ibrahim", "investigator", PASS);
	assert_int_equal(account_set_disabled(admin, "awa", 1, &cause), 0);
	assert_int_equal(account_set_disabled(admin, "awa", 0, &cause), 0);
	session_free(admin);
	sess = helper_signin(f->s, "ibrahim", PASS);
	session_free(sess);
	/* A failed sign-in is recorded (unsigned: nobody is signed in). */
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

static int
failure_txn(struct store_txn *t, void *arg, char **cause)
{
	(void)arg;
	return (audit_append_failure(t, "ibrahim", cause));
}

/*
 * 'audit verify' while another process appends: it reads the log at
 * degree 2 (few locks at any size), but the head it compares with is
 * held from its first read, so it never sees a log longer or shorter
 * than its head and never cries tampering at honest work.
 */
static void
audit__verifies__while_another_process_appends(void **state)
{
	struct fixture	*f = *state;
	struct store	*s;
	uint64_t	 count, bad, last = 0;
	char		*cause = NULL;
	pid_t		 pid;
	int		 i, status, p[2];
	char		 c;

	assert_int_equal(pipe(p), 0);
	if ((pid = fork()) == 0) {
		close(p[0]);
		alarm(120);
		if (store_open(&s, f->data, 0, NULL) != 0)
			_exit(10);
		(void)write(p[1], "x", 1);
		for (i = 0; i < 200; i++)
			if (store_run(s, failure_txn, NULL, NULL) != 0)
				_exit(11);
		store_close(s);
		_exit(0);
	}
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	if (store_open(&f->s, f->data, 0, &cause) != 0)
		fail_msg("store_open: %s", cause);
	for (i = 0; i < 20; i++) {
		if (account_verify_audit(f->s, NULL, &count, &bad, &cause) != 0)
			fail_msg("verify %d, beside a writer: %s", i, cause);
		assert_true(count >= last);
		last = count;
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	if (account_verify_audit(f->s, NULL, &count, &bad, &cause) != 0)
		fail_msg("verify: %s", cause);
	assert_int_equal(count, 7 + 200);
	store_close(f->s);
	f->s = NULL;
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

/*
 * The classic trim: the last entries removed and the head in meta
 * rewritten to the new last one.  audit verify cannot tell, but the
 * user whose sign-in was cut off refuses to sign in: the entry they
 * signed as seen is gone.
 */
static void
audit__signin_refuses__a_log_trimmed_with_its_head(void **state)
{
	struct fixture	*f = *state;
	DB_ENV		*env;
	DB		*db, *meta;
	DBT		 v, key, val;
	struct session	*sess;
	uint64_t	 count, bad, last, i;
	uint8_t		 head[8 + 32];
	char		*cause = NULL;
	const char	*hk = "audit.head";

	/* ibrahim signs in again: his anchor is that entry. */
	assert_int_equal(store_open(&f->s, f->data, 0, &cause), 0);
	sess = helper_signin(f->s, "ibrahim", PASS);
	session_free(sess);
	assert_int_equal(account_verify_audit(f->s, NULL, &last, &bad, &cause),
	    0);
	store_close(f->s);
	f->s = NULL;
	/* Cut his sign-in off and make the head match entry last - 1. */
	raw_open(f, &env, &db);
	raw_del(db, last);
	raw_get(db, last - 1, &v);
	put_be64(head, last - 1);
	vault_hash(v.data, v.size, head + 8);
	free(v.data);
	assert_int_equal(db_create(&meta, env, 0), 0);
	assert_int_equal(meta->open(meta, NULL, "meta.db", NULL, DB_BTREE,
	    DB_AUTO_COMMIT, 0), 0);
	memset(&key, 0, sizeof key);
	memset(&val, 0, sizeof val);
	key.data = (void *)hk;
	key.size = strlen(hk);
	val.data = head;
	val.size = sizeof head;
	assert_int_equal(meta->put(meta, NULL, &key, &val, 0), 0);
	meta->close(meta, 0);
	raw_close(env, db);
	/* The trim passes the chain check ... */
	assert_int_equal(verify(f, &count, &bad, &cause), 0);
	assert_int_equal(count, last - 1);
	/* ... but not ibrahim's sign-in. */
	assert_int_equal(store_open(&f->s, f->data, 0, &cause), 0);
	assert_int_equal(session_signin(f->s, "ibrahim", PASS, strlen(PASS),
	    &sess, &cause), -1);
	print_message("%s\n", cause);
	assert_non_null(strstr(cause, "no longer holds entry"));
	free(cause);
	(void)i;
}

/* A file writer cannot move a user's anchor: it is signed. */
static void
audit__signin_refuses__an_altered_anchor(void **state)
{
	struct fixture	*f = *state;
	DB_ENV		*env;
	DB		*users;
	DBT		 key, val;
	struct record	*r;
	struct session	*sess;
	uint8_t		*enc, *seen;
	size_t		 len, enclen;
	char		*cause = NULL, name[] = "ibrahim";

	assert_int_equal(db_env_create(&env, 0), 0);
	assert_int_equal(env->open(env, f->data, DB_CREATE | DB_INIT_MPOOL |
	    DB_INIT_TXN | DB_INIT_LOCK | DB_INIT_LOG, 0), 0);
	assert_int_equal(db_create(&users, env, 0), 0);
	assert_int_equal(users->open(users, NULL, "users.db", NULL, DB_BTREE,
	    DB_AUTO_COMMIT, 0), 0);
	memset(&key, 0, sizeof key);
	memset(&val, 0, sizeof val);
	key.data = name;
	key.size = 7;
	val.flags = DB_DBT_MALLOC;
	assert_int_equal(users->get(users, NULL, &key, &val, 0), 0);
	r = record_decode(val.data, val.size, NULL);
	free(val.data);
	assert_non_null(r);
	assert_non_null(record_get(r, "seen", &len));
	seen = xmalloc(len);
	memcpy(seen, record_get(r, "seen", NULL), len);
	seen[7] -= 1;			/* an earlier entry */
	record_set(r, "seen", seen, len);
	free(seen);
	record_encode(r, &enc, &enclen);
	record_free(r);
	memset(&val, 0, sizeof val);
	val.data = enc;
	val.size = enclen;
	assert_int_equal(users->put(users, NULL, &key, &val, 0), 0);
	free(enc);
	users->close(users, 0);
	env->txn_checkpoint(env, 0, 0, DB_FORCE);
	env->close(env, 0);
	assert_int_equal(store_open(&f->s, f->data, 0, &cause), 0);
	assert_int_equal(session_signin(f->s, "ibrahim", PASS, strlen(PASS),
	    &sess, &cause), -1);
	assert_non_null(strstr(cause, "was altered"));
	free(cause);
}

/*
 * The details dossier writes, in words (English here: no catalogue is
 * loaded), states and records named as forms/ names them, and any detail
 * of another shape, or with more after it, or naming what the files do
 * not know, as it was written: words never hide what the log holds.
 */
static const struct {
	const char	*action, *detail, *words;
} audit_details[] = {
	{ "signin", "after 1 failed attempt(s)", "after 1 failed attempt" },
	{ "signin", "after 7 failed attempt(s)", "after 7 failed attempts" },
	{ "witness.view", "2 witness record(s)", "2 witness records" },
	{ "agent.lookup", "bi=8adcb553deec0fe5 3 case(s)",
	    "blind index 8adcb553deec0fe5: 3 cases" },
	{ "audit.checkpoint", "entry 244", "at entry 244" },
	{ "user.passwd", "new key pairs", "new key pairs" },
	{ "user.disable", "sup2 (sealed keys revoked)",
	    "sup2 (its sealed keys withdrawn)" },
	{ "org.rotate", "oversight epoch=3", "oversight, epoch 3" },
	{ "user.add", "awa role=registrar", "awa, role registrar" },
	{ "user.approve", "awa role=auditor key=6ba1 263e by=@root",
	    "awa, role auditor, key 6ba1 263e, approved by @root" },
	{ "user.add", "awa role=pirate", "awa, role pirate" },
	/* What forms/ names (audit_detail_labels()). */
	{ "case.move", "en_revue -> transmise",
	    "Under review to Sent for decision" },
	{ "record.add", "person 3", "Person, record 3" },
	{ "record.edit", "intake 0 v2", "Complaint intake, record 0, version 2" },
	{ "case.move", "en_revue -> nowhere", "en_revue -> nowhere" },
	{ "record.add", "ghost 3", "ghost 3" },
	{ "record.edit", "intake 0 v2 and more", "intake 0 v2 and more" },
	/* Other shapes, and the same with something after it. */
	{ "signin", "after 1 failed attempt(s) and more",
	    "after 1 failed attempt(s) and more" },
	{ "signin", "after x failed attempt(s)", "after x failed attempt(s)" },
	{ "audit.checkpoint", "entry 244\x1b[2J", "entry 244\x1b[2J" },
	{ "user.add", "awa", "awa" },
	{ "user.approve", "awa role=auditor key=6ba1",
	    "awa role=auditor key=6ba1" },
	{ "case.create", "after 1 failed attempt(s)",
	    "after 1 failed attempt(s)" },
	{ "signin", "", "" },
	/* The entry's case is ISSPC-2026-0007: said once, in its column. */
	{ "case.create", "ISSPC-2026-0007", "" },
	{ "case.create", "ISSPC-2026-0008", "ISSPC-2026-0008" },
};

static void
audit__detail_words__render_known_shapes_and_keep_the_rest(void **state)
{
	struct formset		*forms;
	struct workflow_set	*flows;
	char			*w;
	size_t			 i;

	(void)state;
	helper_load_forms(&forms, &flows);
	for (i = 0; i < sizeof audit_details / sizeof audit_details[0]; i++) {
		w = audit_detail_labels(forms, flows, audit_details[i].action,
		    "ISSPC-2026-0007", audit_details[i].detail);
		assert_string_equal(w, audit_details[i].words);
		free(w);
	}
	formset_free(forms);
	workflow_set_free(flows);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(audit__verifies__an_untouched_log,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    audit__verifies__while_another_process_appends, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(audit__finds__an_altered_entry,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(audit__finds__a_deleted_entry,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(audit__finds__reordered_entries,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    audit__signin_refuses__a_log_trimmed_with_its_head, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    audit__signin_refuses__an_altered_anchor, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    audit__finds__a_removed_last_entry, setup, teardown),
		cmocka_unit_test(
		    audit__detail_words__render_known_shapes_and_keep_the_rest),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
