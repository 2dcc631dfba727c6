/*
 * test-account.c: accounts, sign-in, roles, passphrase changes and the
 * recovery key, on a real store.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "access.h"
#include "account.h"
#include "helpers.h"
#include "keyring.h"
#include "layout.h"
#include "record.h"
#include "session.h"
#include "store.h"
#include "util.h"
#include "vault.h"

#define INV_PASS	"marche du lundi a Mopti"
#define NEW_PASS	"la pirogue rentre au port"

struct fixture {
	char		*tmp;
	struct store	*s;
	char		*recovery;
};

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);

	f->tmp = helper_tmpdir();
	f->s = helper_init_store(f->tmp, &f->recovery);
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
	free(f->recovery);
	free(f);
	return (0);
}

static void
account__signs_in__with_the_right_passphrase(void **state)
{
	struct fixture	*f = *state;
	struct session	*sess;

	sess = helper_signin(f->s, "chef", HELPER_ADMIN_PASS);
	assert_string_equal(sess->user->name, "chef");
	assert_int_equal(sess->user->role, ROLE_ADMIN);
	assert_int_equal(sess->user->must_change, 0);
	session_free(sess);
}

static void
account__refuses__a_wrong_passphrase_counting_and_delaying(void **state)
{
	struct fixture	*f = *state;
	struct session	*sess;
	struct account	*a;
	char		*cause = NULL;
	time_t		 t0;

	t0 = time(NULL);
	assert_int_equal(session_signin(f->s, "chef", "not the passphrase", 18,
	    &sess, &cause), -1);
	assert_null(sess);
	assert_non_null(strstr(cause, "Wrong passphrase"));
	assert_true(time(NULL) - t0 >= 1);
	assert_int_equal(account_get(f->s, "chef", &a, &cause), 0);
	assert_int_equal(a->failures, 1);
	account_free(a);
	/* A success clears the count. */
	session_free(helper_signin(f->s, "chef", HELPER_ADMIN_PASS));
	assert_int_equal(account_get(f->s, "chef", &a, &cause), 0);
	assert_int_equal(a->failures, 0);
	account_free(a);
	assert_int_equal(account_failure_delay(1), 1);
	assert_int_equal(account_failure_delay(3), 4);
	assert_int_equal(account_failure_delay(50), ACCOUNT_DELAY_MAX);

	assert_int_equal(session_signin(f->s, "nobody", "x", 1, &sess,
	    &cause), -1);
	assert_non_null(strstr(cause, "no user named"));
	free(cause);
}

static void
account__enforces__roles_for_user_commands(void **state)
{
	struct fixture	*f = *state;
	struct session	*admin, *inv;
	char		*cause = NULL;

	admin = helper_signin(f->s, "chef", HELPER_ADMIN_PASS);
	helper_add_user(admin, "ibrahim", "investigator", INV_PASS);
	inv = helper_signin(f->s, "ibrahim", INV_PASS);
	assert_int_equal(account_add(inv, "intrus", ROLE_ADMIN, INV_PASS,
	    strlen(INV_PASS), 0, &cause), -1);
	assert_non_null(strstr(cause, "does not allow"));
	assert_int_equal(account_set_disabled(inv, "chef", 1, &cause), -1);
	/* Duplicates and self-disabling are refused too. */
	assert_int_equal(account_add(admin, "ibrahim", ROLE_AUDITOR, INV_PASS,
	    strlen(INV_PASS), 0, &cause), -1);
	assert_non_null(strstr(cause, "already exists"));
	assert_int_equal(account_set_disabled(admin, "chef", 1, &cause), -1);
	/* The admin role can never read a case; the others' can. */
	assert_false(access_allows(ROLE_ADMIN, ACCESS_READ_CASE));
	assert_true(access_allows(ROLE_INVESTIGATOR, ACCESS_READ_CASE));
	assert_false(access_allows(ROLE_AUDITOR, ACCESS_EDIT_CASE));
	session_free(inv);
	session_free(admin);
	free(cause);
}

static void
account__refuses__weak_passphrases_and_bad_names(void **state)
{
	struct fixture	*f = *state;
	struct session	*admin;
	char		*cause = NULL;

	admin = helper_signin(f->s, "chef", HELPER_ADMIN_PASS);
	assert_int_equal(account_add(admin, "awa", ROLE_REGISTRAR, "short", 5,
	    0, &cause), -1);
	assert_non_null(strstr(cause, "too short"));
	assert_int_equal(account_check_passphrase("awa", "aaaaaaaaaaaaaaaa",
	    &cause), -1);
	assert_int_equal(account_check_passphrase("fatoumata",
	    "le nom fatoumata est dedans", &cause), -1);
	assert_int_equal(account_check_passphrase("awa", "été à Ségou 2026",
	    &cause), 0);
	assert_int_equal(account_check_name("Awa", &cause), -1);
	assert_int_equal(account_check_name("a/b", &cause), -1);
	assert_int_equal(account_check_name("awa.traore", &cause), 0);
	session_free(admin);
	free(cause);
}

static void
account__disabled_user__cannot_sign_in(void **state)
{
	struct fixture	*f = *state;
	struct session	*admin, *sess;
	char		*cause = NULL;

	admin = helper_signin(f->s, "chef", HELPER_ADMIN_PASS);
	helper_add_user(admin, "mariam", "investigator", INV_PASS);
	assert_int_equal(account_set_disabled(admin, "mariam", 1, &cause), 0);
	assert_int_equal(session_signin(f->s, "mariam", INV_PASS,
	    strlen(INV_PASS), &sess, &cause), -1);
	assert_non_null(strstr(cause, "disabled"));
	assert_int_equal(account_set_disabled(admin, "mariam", 0, &cause), 0);
	session_free(helper_signin(f->s, "mariam", INV_PASS));
	session_free(admin);
	free(cause);
}

struct keyop {
	const char		*label;
	const char		*user;
	const uint8_t		*pk;
	struct vault_key	*k;
	const struct vault_identity *id;
	struct vault_key	*opened;
};

static int
seal_txn(struct store_txn *t, void *arg, char **cause)
{
	struct keyop	*op = arg;
	uint8_t		 rpk[VAULT_PK_LEN];
	int		 rc;

	if ((rc = keyring_seal(t, op->label, op->k, op->user, op->pk,
	    cause)) != 0)
		return (rc);
	if ((rc = meta_get_fixed(t, META_RECOVERY_PK, rpk, sizeof rpk,
	    cause)) != 0)
		return (rc);
	return (keyring_seal_recovery(t, op->label, op->k, rpk, cause));
}

static int
open_txn(struct store_txn *t, void *arg, char **cause)
{
	struct keyop	*op = arg;

	return (keyring_open(t, op->label, op->user, op->id, &op->opened,
	    cause));
}

static void
account__first_passwd__replaces_keys_and_reseals_them(void **state)
{
	struct fixture	*f = *state;
	struct session	*admin, *sess;
	struct keyop	 op;
	uint8_t		 old_pk[VAULT_PK_LEN];
	char		*cause = NULL;

	admin = helper_signin(f->s, "chef", HELPER_ADMIN_PASS);
	assert_int_equal(account_add(admin, "oumar", ROLE_SUPERVISOR, INV_PASS,
	    strlen(INV_PASS), 1, &cause), 0);
	sess = helper_signin(f->s, "oumar", INV_PASS);
	assert_int_equal(sess->user->must_change, 1);
	memcpy(old_pk, sess->user->box_pk, VAULT_PK_LEN);

	/* A case key sealed to the account before its first change. */
	memset(&op, 0, sizeof op);
	op.label = "case:1";
	op.user = "oumar";
	op.pk = sess->user->box_pk;
	op.k = vault_key_generate();
	assert_int_equal(store_run(f->s, seal_txn, &op, &cause), 0);

	assert_int_equal(account_passwd(sess, NEW_PASS, strlen(NEW_PASS),
	    &cause), 0);
	assert_memory_not_equal(old_pk, sess->user->box_pk, VAULT_PK_LEN);
	session_free(sess);

	/* The old passphrase no longer works; the new one opens the key. */
	assert_int_equal(session_signin(f->s, "oumar", INV_PASS,
	    strlen(INV_PASS), &sess, &cause), -1);
	sess = helper_signin(f->s, "oumar", NEW_PASS);
	assert_int_equal(sess->user->must_change, 0);
	op.id = sess->id;
	assert_int_equal(store_run(f->s, open_txn, &op, &cause), 0);
	assert_non_null(op.opened);
	vault_key_free(op.opened);

	/* A second change keeps the key pairs. */
	memcpy(old_pk, sess->user->box_pk, VAULT_PK_LEN);
	assert_int_equal(account_passwd(sess, INV_PASS, strlen(INV_PASS),
	    &cause), 0);
	assert_memory_equal(old_pk, sess->user->box_pk, VAULT_PK_LEN);
	session_free(sess);
	vault_key_free(op.k);
	session_free(admin);
	free(cause);
}

struct rawput {
	enum store_table	 table;
	const char		*key;
	const void		*v;
	size_t			 len;
};

static int
rawput_txn(struct store_txn *t, void *arg, char **cause)
{
	struct rawput	*r = arg;

	return (store_put(t, r->table, r->key, strlen(r->key), r->v, r->len, 0,
	    cause));
}

struct getrow {
	const char	*name;
	uint8_t		*v;
	size_t		 len;
};

static int
getrow_txn(struct store_txn *t, void *arg, char **cause)
{
	struct getrow	*g = arg;

	return (store_get(t, STORE_USERS, g->name, strlen(g->name), &g->v,
	    &g->len, cause));
}

/*
 * A user's replaced signing keys still verify what they signed before,
 * so adding a key to that list would let a file writer sign audit
 * entries in her name.  The list is signed by her current key: the old
 * key counts after a real change, a key added by hand counts for nothing.
 */
static void
account__refuses__a_past_signing_key_added_by_hand(void **state)
{
	struct fixture		*f = *state;
	struct session		*admin, *sess;
	struct vault_identity	*evil = vault_identity_generate();
	struct account		*a;
	struct getrow		 g;
	struct rawput		 r;
	struct record		*rec;
	uint8_t			 old_pk[VAULT_PK_LEN], *keys, *v;
	size_t			 len;
	char			*cause = NULL;

	admin = helper_signin(f->s, "chef", HELPER_ADMIN_PASS);
	assert_int_equal(account_add(admin, "oumar", ROLE_SUPERVISOR, INV_PASS,
	    strlen(INV_PASS), 1, &cause), 0);
	session_free(admin);
	sess = helper_signin(f->s, "oumar", INV_PASS);
	memcpy(old_pk, sess->user->sign_pk, VAULT_PK_LEN);
	assert_int_equal(account_passwd(sess, NEW_PASS, strlen(NEW_PASS),
	    &cause), 0);
	session_free(sess);
	assert_int_equal(account_get(f->s, "oumar", &a, &cause), 0);
	assert_true(account_holds_sign_pk(a, old_pk));
	account_free(a);

	/* The attacker's key appended to the list, by hand. */
	g.name = "oumar";
	assert_int_equal(store_run(f->s, getrow_txn, &g, &cause), 0);
	assert_non_null(rec = record_decode(g.v, g.len, NULL));
	free(g.v);
	v = (uint8_t *)record_get(rec, "past_sign_pks", &len);
	keys = xmalloc(len + VAULT_PK_LEN);
	memcpy(keys, v, len);
	memcpy(keys + len, vault_identity_sign_pk(evil), VAULT_PK_LEN);
	record_set(rec, "past_sign_pks", keys, len + VAULT_PK_LEN);
	free(keys);
	record_encode(rec, &v, &len);
	record_free(rec);
	r.table = STORE_USERS;
	r.key = "oumar";
	r.v = v;
	r.len = len;
	assert_int_equal(store_run(f->s, rawput_txn, &r, &cause), 0);
	free(v);
	assert_int_equal(account_get(f->s, "oumar", &a, &cause), 0);
	assert_false(account_holds_sign_pk(a, vault_identity_sign_pk(evil)));
	account_free(a);
	vault_identity_free(evil);
}

static void
account__recovery_key__opens_every_sealed_key(void **state)
{
	struct fixture		*f = *state;
	struct session		*admin, *sess;
	struct vault_identity	*org;
	struct keyop		 op;
	char			*cause = NULL, label[32];
	int			 i;
	struct vault_key	*keys[5];

	admin = helper_signin(f->s, "chef", HELPER_ADMIN_PASS);
	helper_add_user(admin, "fatou", "investigator", INV_PASS);
	sess = helper_signin(f->s, "fatou", INV_PASS);
	org = vault_recovery_decode(f->recovery, &cause);
	assert_non_null(org);
	for (i = 0; i < 5; i++) {
		memset(&op, 0, sizeof op);
		snprintf(label, sizeof label, "case:%d", 100 + i);
		op.label = label;
		op.user = "fatou";
		op.pk = sess->user->box_pk;
		op.k = keys[i] = vault_key_generate();
		assert_int_equal(store_run(f->s, seal_txn, &op, &cause), 0);
	}
	for (i = 0; i < 5; i++) {
		snprintf(label, sizeof label, "case:%d", 100 + i);
		op.label = label;
		op.user = KEYRING_RECOVERY;
		op.id = org;
		op.opened = NULL;
		assert_int_equal(store_run(f->s, open_txn, &op, &cause), 0);
		/* Same key: what one encrypts, the other decrypts. */
		{
			uint8_t	*ct, *pt;
			size_t	 ctlen, ptlen;

			vault_encrypt(keys[i], label, "x", 1, &ct, &ctlen);
			assert_int_equal(vault_decrypt(op.opened, label, ct,
			    ctlen, &pt, &ptlen, &cause), 0);
			free(pt);
			free(ct);
		}
		vault_key_free(op.opened);
		vault_key_free(keys[i]);
	}
	/* The admin holds none of them. */
	op.label = "case:100";
	op.user = "chef";
	op.id = admin->id;
	assert_int_equal(store_run(f->s, open_txn, &op, &cause),
	    STORE_NOTFOUND);
	vault_identity_free(org);
	session_free(sess);
	session_free(admin);
	free(cause);
}

/* A file writer's raw put into one table of the data directory. */
/*
 * The organisation recovery key replaced in the meta table (so that new
 * case and witness keys would be sealed to the attacker's): every user
 * refuses to sign in, and so seals nothing, with a sentence that says so.
 */
static void
account__refuses__a_replaced_recovery_key(void **state)
{
	struct fixture		*f = *state;
	struct session		*admin, *sess;
	struct vault_identity	*evil = vault_identity_generate();
	struct rawput		 r;
	char			*cause = NULL;

	admin = helper_signin(f->s, "chef", HELPER_ADMIN_PASS);
	helper_add_user(admin, "ibrahim", "investigator", INV_PASS);
	session_free(admin);
	r.table = STORE_META;
	r.key = "recovery_pk";
	r.v = vault_identity_box_pk(evil);
	r.len = VAULT_PK_LEN;
	assert_int_equal(store_run(f->s, rawput_txn, &r, &cause), 0);
	assert_int_equal(session_signin(f->s, "ibrahim", INV_PASS,
	    strlen(INV_PASS), &sess, &cause), -1);
	print_message("%s\n", cause);
	assert_non_null(strstr(cause, "recovery key has changed"));
	free(cause);
	cause = NULL;
	assert_int_equal(session_signin(f->s, "chef", HELPER_ADMIN_PASS,
	    strlen(HELPER_ADMIN_PASS), &sess, &cause), -1);
	assert_non_null(strstr(cause, "recovery key has changed"));
	free(cause);
	vault_identity_free(evil);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    account__refuses__a_replaced_recovery_key, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    account__refuses__a_past_signing_key_added_by_hand, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    account__signs_in__with_the_right_passphrase, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    account__refuses__a_wrong_passphrase_counting_and_delaying,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    account__enforces__roles_for_user_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    account__refuses__weak_passphrases_and_bad_names, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    account__disabled_user__cannot_sign_in, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    account__first_passwd__replaces_keys_and_reseals_them,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    account__recovery_key__opens_every_sealed_key, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    account__refuses__a_replaced_recovery_key, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    account__refuses__a_past_signing_key_added_by_hand, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
