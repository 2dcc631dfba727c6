/*
 * test-canary.c: witness-class data and passphrases never reach the disk
 * in clear.  A canary string is stored as a witness's identity, encrypted
 * the way witness records are, and every byte of every file of the data
 * directory (tables, logs, environment regions) is searched for it.  A
 * control run stores the same canary in clear and must find it, so the
 * search itself is shown to work.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "account.h"
#include "helpers.h"
#include "keyring.h"
#include "record.h"
#include "store.h"
#include "util.h"
#include "vault.h"

#define CANARY_NAME	"CANARY-Kadiatou-Diallo-7f3e"
#define CANARY_PHONE	"CANARY-+223-76-00-11-22"
#define CANARY_PASS	"CANARY passphrase sous le baobab"
#define LABEL		"witness:1:1"
#define AD		"case:1/witness/1/v1"

struct witness_op {
	struct session		*sess;
	struct vault_key	*k;
	const uint8_t		*blob;
	size_t			 len;
	uint8_t			*got;
	size_t			 gotlen;
	int			 clear;
	struct vault_key	*opened;
};

static int
write_txn(struct store_txn *t, void *arg, char **cause)
{
	struct witness_op	*op = arg;
	int			 rc;

	if (!op->clear) {
		if ((rc = keyring_seal(t, LABEL, op->k, op->sess->user->name,
		    op->sess->user->box_pk, cause)) != 0)
			return (rc);
		if ((rc = keyring_seal_recovery(t, LABEL, op->k, cause)) != 0)
			return (rc);
	}
	return (store_put(t, STORE_RECORDS, AD, strlen(AD), op->blob, op->len,
	    0, cause));
}

static int
read_txn(struct store_txn *t, void *arg, char **cause)
{
	struct witness_op	*op = arg;

	return (store_get(t, STORE_RECORDS, AD, strlen(AD), &op->got,
	    &op->gotlen, cause));
}

static int
open_txn(struct store_txn *t, void *arg, char **cause)
{
	struct witness_op	*op = arg;

	return (keyring_open(t, LABEL, op->sess->user->name, op->sess->id,
	    &op->opened, cause));
}

/* Store a witness record (encrypted, or in clear for the control). */
static char *
store_witness(int clear)
{
	struct witness_op	 op;
	struct store		*s;
	struct session		*admin;
	struct record		*r;
	uint8_t			*pt, *ct;
	size_t			 ptlen, ctlen;
	char			*tmp, *cause = NULL;

	tmp = helper_tmpdir();
	s = helper_init_store(tmp, NULL);
	admin = helper_signin(s, "chef", HELPER_ADMIN_PASS);
	helper_add_user(admin, "ibrahim", "investigator", CANARY_PASS);
	memset(&op, 0, sizeof op);
	op.sess = helper_signin(s, "ibrahim", CANARY_PASS);
	op.k = vault_key_generate();
	op.clear = clear;

	r = record_create();
	record_set_str(r, "full_name", CANARY_NAME);
	record_set_str(r, "phone", CANARY_PHONE);
	record_encode(r, &pt, &ptlen);
	record_free(r);
	if (clear) {
		op.blob = pt;
		op.len = ptlen;
	} else {
		vault_encrypt(op.k, AD, pt, ptlen, &ct, &ctlen);
		op.blob = ct;
		op.len = ctlen;
	}
	if (store_run(s, write_txn, &op, &cause) != 0)
		fail_msg("%s", cause);

	/* The assigned investigator reads it back: the data is there. */
	assert_int_equal(store_run(s, read_txn, &op, &cause), 0);
	if (!clear) {
		struct vault_key	*k;
		uint8_t			*back;
		size_t			 backlen;

		op.opened = NULL;
		assert_int_equal(store_run(s, open_txn, &op, &cause), 0);
		k = op.opened;
		assert_int_equal(vault_decrypt(k, AD, op.got, op.gotlen,
		    &back, &backlen, &cause), 0);
		r = record_decode(back, backlen, &cause);
		assert_non_null(r);
		assert_string_equal(record_get_str(r, "full_name"), CANARY_NAME);
		record_free(r);
		vault_key_free(k);
		wipe(back, backlen);
		free(back);
		free(ct);
	}
	free(op.got);
	wipe(pt, ptlen);
	free(pt);
	vault_key_free(op.k);
	session_free(op.sess);
	session_free(admin);
	store_close(s);
	free(cause);
	return (tmp);
}

static void
canary__finds__clear_text_in_the_control_store(void **state)
{
	char	*tmp, *where = NULL;

	tmp = store_witness(1);
	assert_true(helper_tree_contains(tmp, CANARY_NAME,
	    strlen(CANARY_NAME), &where));
	free(where);
	helper_rmrf(tmp);
	free(tmp);
}

static void
canary__never_appears__in_any_file_of_the_data_directory(void **state)
{
	const char	*canaries[] = { CANARY_NAME, CANARY_PHONE, CANARY_PASS,
			    "CANARY" };
	char		*tmp, *where = NULL;
	size_t		 i;

	tmp = store_witness(0);
	for (i = 0; i < sizeof canaries / sizeof canaries[0]; i++) {
		if (helper_tree_contains(tmp, canaries[i], strlen(canaries[i]),
		    &where))
			fail_msg("'%s' found in clear in %s", canaries[i], where);
	}
	helper_rmrf(tmp);
	free(tmp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(canary__finds__clear_text_in_the_control_store),
		cmocka_unit_test(
		    canary__never_appears__in_any_file_of_the_data_directory),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
