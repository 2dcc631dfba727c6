/*
 * test-audit-forward.c: what a master accepts from a replica for its
 * audit log.  The attacker is a user with a shell at a replica: she can
 * leave any file in the outbox that the replica's serve sends on, so
 * each entry here is one she could make, handed to the master's check
 * (replica_entry_accept()) as serve would hand it.  Only an entry signed
 * by a key the named account holds, with the master's time and never
 * seen before, is appended; and what was appended then verifies, and
 * stops verifying when its replica's fields are changed on disk.
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
#include "record.h"
#include "replica.h"
#include "session.h"
#include "store.h"
#include "util.h"
#include "vault.h"

#define PASS	"une phrase assez longue pour nous"
#define VIA	"10.0.0.2:6100"

struct fixture {
	char		*tmp;
	char		*data;
	struct store	*s;
	struct session	*ibrahim;
	struct session	*awa;
	uint64_t	 count;		/* entries before the test */
};

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);
	struct session	*admin;
	uint64_t	 bad;
	char		*cause = NULL;

	f->tmp = helper_tmpdir();
	f->s = helper_init_store(f->tmp, NULL);
	xasprintf(&f->data, "%s/data", f->tmp);
	admin = helper_signin(f->s, "chef", HELPER_ADMIN_PASS);
	helper_add_user_unapproved(admin, "awa", "registrar", PASS);
	helper_add_user_unapproved(admin, "ibrahim", "investigator", PASS);
	session_free(admin);
	f->ibrahim = helper_signin(f->s, "ibrahim", PASS);
	f->awa = helper_signin(f->s, "awa", PASS);
	if (account_verify_audit(f->s, NULL, &f->count, &bad, &cause) != 0)
		fail_msg("%s", cause);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	session_free(f->ibrahim);
	session_free(f->awa);
	store_close(f->s);
	helper_rmrf(f->tmp);
	free(f->tmp);
	free(f->data);
	free(f);
	return (0);
}

/* An entry as a replica makes it, signed by sess (NULL: unsigned). */
static void
entry(const char *user, const struct session *sess, const char *action,
    uint8_t **msg, size_t *len)
{
	uint8_t	 nonce[AUDIT_FORWARD_NONCE];

	vault_random(nonce, sizeof nonce);
	audit_forward_encode(user, sess != NULL ? sess->id : NULL, action,
	    "ISSPC-2026-0001", "1 witness record(s)", 19, VIA, nonce, msg,
	    len);
}

static uint64_t
entries(struct fixture *f)
{
	uint64_t	 count, bad;
	char		*cause = NULL;

	if (account_verify_audit(f->s, NULL, &count, &bad, &cause) != 0)
		fail_msg("%s", cause);
	return (count);
}

static void
refused(struct fixture *f, const uint8_t *msg, size_t len, const char *why)
{
	char	*cause = NULL;

	assert_int_equal(replica_entry_accept(f->s, msg, len, &cause), -1);
	assert_non_null(cause);
	if (strstr(cause, why) == NULL)
		fail_msg("refused for '%s', not '%s'", cause, why);
	free(cause);
	assert_int_equal(entries(f), f->count);
}

static void
forward__appends__a_signed_entry_that_verifies(void **state)
{
	struct fixture	*f = *state;
	uint8_t		*msg;
	size_t		 len;
	char		*cause = NULL;

	entry("ibrahim", f->ibrahim, "witness.view", &msg, &len);
	if (replica_entry_accept(f->s, msg, len, &cause) != 0)
		fail_msg("%s", cause);
	free(msg);
	assert_int_equal(entries(f), f->count + 1);
}

static void
forward__refuses__the_same_entry_twice_even_after_a_restart(void **state)
{
	struct fixture	*f = *state;
	uint8_t		*msg;
	size_t		 len;
	char		*cause = NULL;

	entry("ibrahim", f->ibrahim, "signin", &msg, &len);
	assert_int_equal(replica_entry_accept(f->s, msg, len, &cause), 0);
	f->count++;
	refused(f, msg, len, "sent before");
	/* The master's serve restarted: the log itself remembers. */
	store_close(f->s);
	if (store_open(&f->s, f->data, 0, &cause) != 0)
		fail_msg("store_open: %s", cause);
	refused(f, msg, len, "sent before");
	free(msg);
}

static void
forward__refuses__an_altered_entry(void **state)
{
	struct fixture	*f = *state;
	uint8_t		*msg, *p;
	size_t		 len;

	entry("ibrahim", f->ibrahim, "witness.view", &msg, &len);
	p = memmem(msg, len, "1 witness", 9);
	assert_non_null(p);
	*p = '0';	/* she hides that she saw a witness */
	refused(f, msg, len, "signature does not verify");
	free(msg);
}

static void
forward__refuses__a_key_the_account_does_not_hold(void **state)
{
	struct fixture	*f = *state;
	uint8_t		*msg;
	size_t		 len;

	/* awa signs an entry that names ibrahim. */
	entry("ibrahim", f->awa, "witness.view", &msg, &len);
	refused(f, msg, len, "does not hold");
	free(msg);
}

static void
forward__refuses__a_disabled_account(void **state)
{
	struct fixture	*f = *state;
	struct session	*admin;
	uint8_t		*msg;
	size_t		 len;
	char		*cause = NULL;

	admin = helper_signin(f->s, "chef", HELPER_ADMIN_PASS);
	assert_int_equal(account_set_disabled(admin, "awa", 1, &cause), 0);
	session_free(admin);
	f->count = entries(f);
	entry("awa", f->awa, "signin", &msg, &len);
	refused(f, msg, len, "disabled");
	free(msg);
}

static void
forward__refuses__an_unsigned_entry_but_a_failed_signin(void **state)
{
	struct fixture	*f = *state;
	uint8_t		*msg;
	size_t		 len;
	char		*cause = NULL;

	entry("ibrahim", NULL, "witness.view", &msg, &len);
	refused(f, msg, len, "not signed");
	free(msg);
	/* A failed sign-in is unsigned at the master too: nobody signed in. */
	entry("ibrahim", NULL, "signin.fail", &msg, &len);
	assert_int_equal(replica_entry_accept(f->s, msg, len, &cause), 0);
	free(msg);
	assert_int_equal(entries(f), f->count + 1);
}

static void
forward__refuses__an_entry_from_another_time(void **state)
{
	struct fixture	*f = *state;
	struct record	*r;
	uint8_t		*msg, *enc, sig[VAULT_SIG_LEN];
	size_t		 len, enclen;

	entry("ibrahim", f->ibrahim, "signin", &msg, &len);
	r = record_decode(msg, len, NULL);
	assert_non_null(r);
	free(msg);
	/* Signed again by ibrahim with a time an hour ago: a kept copy. */
	record_unset(r, "sig");
	record_set_int(r, "time", now() - 3600);
	record_encode(r, &enc, &enclen);
	vault_sign(f->ibrahim->id, enc, enclen, sig);
	free(enc);
	record_set(r, "sig", sig, sizeof sig);
	record_encode(r, &msg, &len);
	record_free(r);
	refused(f, msg, len, "clock");
	free(msg);
}

/* r in record encoding version 1, as a replica not yet upgraded writes. */
static void
v1_bytes(const struct record *r, uint8_t **out, size_t *outlen)
{
	const void	*v;
	size_t		 i, n = record_count(r), len = 8, kl, vl;
	uint8_t		*p;

	for (i = 0; i < n; i++) {
		(void)record_value_at(r, i, &vl);
		len += 1 + strlen(record_key_at(r, i)) + 4 + vl;
	}
	p = *out = xmalloc(len);
	*outlen = len;
	memcpy(p, "DR\1\0", 4);
	put_be32(p + 4, (uint32_t)n);
	p += 8;
	for (i = 0; i < n; i++) {
		kl = strlen(record_key_at(r, i));
		v = record_value_at(r, i, &vl);
		*p++ = (uint8_t)kl;
		memcpy(p, record_key_at(r, i), kl);
		p += kl;
		put_be32(p, (uint32_t)vl);
		p += 4;
		memcpy(p, v, vl);
		p += vl;
	}
}

/*
 * During an upgrade a replica may still write record encoding version 1:
 * its entry is appended in that version, so the signature it made still
 * verifies in the master's log.
 */
static void
forward__keeps__the_encoding_the_replica_signed(void **state)
{
	struct fixture	*f = *state;
	struct record	*r, *v1;
	uint8_t		*msg, *enc, sig[VAULT_SIG_LEN];
	size_t		 len, enclen;
	uint64_t	 count, bad;
	char		*cause = NULL;

	entry("ibrahim", f->ibrahim, "witness.view", &msg, &len);
	r = record_decode(msg, len, NULL);
	assert_non_null(r);
	free(msg);
	record_unset(r, "sig");
	v1_bytes(r, &enc, &enclen);
	record_free(r);
	v1 = record_decode(enc, enclen, NULL);
	assert_non_null(v1);
	vault_sign(f->ibrahim->id, enc, enclen, sig);
	free(enc);
	record_set(v1, "sig", sig, sizeof sig);
	record_encode(v1, &msg, &len);
	record_free(v1);
	assert_int_equal(msg[2], 1);
	if (replica_entry_accept(f->s, msg, len, &cause) != 0)
		fail_msg("%s", cause);
	free(msg);
	if (account_verify_audit(f->s, NULL, &count, &bad, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(bad, 0);
	assert_int_equal(count, f->count + 1);
}

static void
forward__refuses__damaged_bytes(void **state)
{
	struct fixture	*f = *state;
	uint8_t		*msg;
	size_t		 len;

	entry("ibrahim", f->ibrahim, "signin", &msg, &len);
	refused(f, msg, len - 3, "damaged");
	refused(f, (const uint8_t *)"DR\1\0\0\0\0\0", 8, "damaged");
	free(msg);
}

/* What was appended verifies until its replica's fields change on disk. */
static void
forward__entry_on_disk__verifies_only_untouched(void **state)
{
	struct fixture	*f = *state;
	DB_ENV		*env;
	DB		*db;
	DBT		 k, v;
	uint8_t		*msg, key[8], *p;
	size_t		 len;
	uint64_t	 count, bad, last;
	char		*cause = NULL;

	entry("ibrahim", f->ibrahim, "witness.view", &msg, &len);
	assert_int_equal(replica_entry_accept(f->s, msg, len, &cause), 0);
	free(msg);
	last = entries(f);
	store_close(f->s);
	f->s = NULL;

	/* A file writer at the master moves the entry to another site. */
	assert_int_equal(db_env_create(&env, 0), 0);
	assert_int_equal(env->open(env, f->data, DB_CREATE | DB_INIT_MPOOL |
	    DB_INIT_TXN | DB_INIT_LOCK | DB_INIT_LOG, 0), 0);
	assert_int_equal(db_create(&db, env, 0), 0);
	assert_int_equal(db->open(db, NULL, "audit.db", NULL, DB_BTREE,
	    DB_AUTO_COMMIT, 0), 0);
	put_be64(key, last);
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	k.data = key;
	k.size = sizeof key;
	v.flags = DB_DBT_MALLOC;
	assert_int_equal(db->get(db, NULL, &k, &v, 0), 0);
	p = memmem(v.data, v.size, VIA, strlen(VIA));
	assert_non_null(p);
	p[3] = '9';
	v.flags = 0;
	assert_int_equal(db->put(db, NULL, &k, &v, 0), 0);
	free(v.data);
	db->close(db, 0);
	env->txn_checkpoint(env, 0, 0, DB_FORCE);
	env->close(env, 0);

	if (store_open(&f->s, f->data, 0, &cause) != 0)
		fail_msg("store_open: %s", cause);
	assert_int_equal(account_verify_audit(f->s, NULL, &count, &bad,
	    &cause), -1);
	assert_int_equal(bad, last);
	assert_non_null(strstr(cause, "signature"));
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    forward__appends__a_signed_entry_that_verifies, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    forward__refuses__the_same_entry_twice_even_after_a_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    forward__refuses__an_altered_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    forward__refuses__a_key_the_account_does_not_hold, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    forward__refuses__a_disabled_account, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    forward__refuses__an_unsigned_entry_but_a_failed_signin,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    forward__refuses__an_entry_from_another_time, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    forward__keeps__the_encoding_the_replica_signed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    forward__refuses__damaged_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    forward__entry_on_disk__verifies_only_untouched, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
