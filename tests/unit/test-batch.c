/*
 * test-batch.c: keys sealed in batches (an import, a demo: "SK" 3 with the
 * batch's record, docs/FORMAT.md).  A demo's cases open; each sealed key
 * is 72 bytes and a batch's ephemeral key is stored once.  A file writer
 * (a raw Berkeley DB handle on keys.db) who changes a batch's record,
 * removes it, or moves a seal under another case's label opens nothing
 * with it: the case says its key is damaged, 'dossier check' names it
 * without any key, and nothing is lost (the bytes put back, it opens
 * again and the check is clean).  A removed copy for the recovery key
 * and a bent seal are named by the check too.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "casefile.h"
#include "form.h"
#include "helpers.h"
#include "raw.h"
#include "session.h"
#include "store.h"
#include "util.h"
#include "vault.h"
#include "workflow.h"

struct fixture {
	char			*tmp, *data;
	struct store		*s;
	struct formset		*forms;
	struct workflow_set	*flows;
	struct session		*sup;
	struct casefile_ctx	 ctx;
};

/* Open the store and sign in as the demo's supervisor. */
static void
sign_in(struct fixture *f)
{
	char	*pass, *cause = NULL;

	if (store_open(&f->s, f->data, 0, &cause) != 0)
		fail_msg("open: %s", cause);
	pass = helper_demo_pass(f->data, "oumar");
	f->sup = helper_signin(f->s, "oumar", pass);
	free(pass);
	f->ctx.sess = f->sup;
	f->ctx.forms = f->forms;
	f->ctx.flows = f->flows;
}

/* The store closed, as a file writer finds it. */
static void
let_go(struct fixture *f)
{
	session_free(f->sup);
	f->sup = NULL;
	store_close(f->s);
	f->s = NULL;
}

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);

	helper_demo("--cases 20", &f->tmp, &f->data);
	helper_load_forms(&f->forms, &f->flows);
	assert_int_equal(vault_init(NULL), 0);
	sign_in(f);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	let_go(f);
	formset_free(f->forms);
	workflow_set_free(f->flows);
	helper_rmrf(f->tmp);
	free(f->tmp);
	free(f->data);
	free(f);
	return (0);
}

/* The rows of the keys table: sealed keys and batch records. */
struct rows {
	size_t	 seals, seals72, batches, batches44;
};

static int
rows_cb(const void *k, size_t klen, const void *v, size_t vlen, void *arg)
{
	struct rows	*r = arg;
	const char	*nul = memchr(k, '\0', klen);

	if (nul == NULL)
		return (0);
	if (strncmp(k, "sealbatch:", 10) == 0) {
		r->batches++;
		r->batches44 += vlen == VAULT_BATCH_LEN &&
		    memcmp(v, "SB\1", 3) == 0;
	} else if (strncmp(k, "case:", 5) == 0) {
		r->seals++;
		r->seals72 += vlen == VAULT_SEALED3_LEN &&
		    memcmp(v, "SK\3", 3) == 0;
	}
	return (0);
}

static int
rows_txn(struct store_txn *t, void *arg, char **cause)
{
	memset(arg, 0, sizeof (struct rows));
	return (store_scan(t, STORE_KEYS, NULL, 0, rows_cb, arg, cause));
}

/* The key of the keys row of case id's key for the supervisor. */
static char *
seal_key(uint64_t id, size_t *len)
{
	char	*k;

	xasprintf(&k, "case:%" PRIu64 "%coumar", id, '\0');
	*len = strlen(k) + 1 + strlen("oumar");
	return (k);
}

/* The keys row of the record of the batch case id's key is sealed in. */
static char *
batch_key(struct fixture *f, uint64_t id, size_t *len)
{
	struct raw	 r;
	uint8_t		*v;
	size_t		 vlen, klen, i;
	char		*k, *sk;

	sk = seal_key(id, &klen);
	raw_open(&r, f->data, "keys.db");
	raw_get(&r, sk, klen, &v, &vlen);
	raw_close(&r);
	free(sk);
	assert_int_equal(vlen, VAULT_SEALED3_LEN);
	k = xmalloc(10 + 16 + 1 + 6 + 1);
	memcpy(k, "sealbatch:", 10);
	for (i = 0; i < VAULT_BATCH_ID_LEN; i++)
		snprintf(k + 10 + 2 * i, 3, "%02x", v[4 + VAULT_KEYID_LEN + i]);
	memcpy(k + 26, "\0@batch", 7);
	*len = 26 + 7;
	free(v);
	return (k);
}

/* What 'dossier check' says, one sentence a line; its count in *n. */
static void
hear(const char *sentence, void *arg)
{
	char	**all = arg, *n;

	xasprintf(&n, "%s%s\n", *all, sentence);
	free(*all);
	*all = n;
}

static char *
check_says(struct fixture *f, size_t *n)
{
	char	*all = xstrdup(""), *cause = NULL;
	size_t	 cases;

	if (casefile_check(f->s, f->forms, f->flows, hear, &all, &cases, n,
	    &cause) != 0)
		fail_msg("check: %s", cause);
	return (all);
}

/* Open case id: 0, or -1 with the sentence in *cause. */
static int
open_case(struct fixture *f, uint64_t id, char **cause)
{
	struct casefile	*cf;

	if (casefile_open(&f->ctx, id, 0, &cf, cause) != 0)
		return (-1);
	casefile_free(cf);
	return (0);
}

static void
batch__every_seal__is_72_bytes_and_opens(void **state)
{
	struct fixture	*f = *state;
	struct rows	 r;
	uint64_t	 id;
	char		*cause = NULL;

	assert_int_equal(store_run(f->s, rows_txn, &r, &cause), 0);
	/* 20 cases, each sealed to several recipients; few batches. */
	assert_true(r.seals >= 40);
	assert_int_equal(r.seals72, r.seals);
	assert_true(r.batches > 0 && r.batches <= 8);
	assert_int_equal(r.batches44, r.batches);
	for (id = 1; id <= 20; id++)
		if (open_case(f, id, &cause) != 0)
			fail_msg("case %" PRIu64 ": %s", id, cause);
}

/* A file writer changes a byte of the batch record, or removes it. */
static void
batch_tampered(struct fixture *f, int remove)
{
	struct raw	 r;
	uint8_t		*orig, *bad;
	size_t		 olen, klen, n;
	char		*k, *said, *cause = NULL;

	let_go(f);
	k = batch_key(f, 3, &klen);
	raw_open(&r, f->data, "keys.db");
	raw_get(&r, k, klen, &orig, &olen);
	assert_int_equal(olen, VAULT_BATCH_LEN);
	if (remove)
		raw_del(&r, k, klen);
	else {
		bad = xmalloc(olen);
		memcpy(bad, orig, olen);
		bad[olen - 1] ^= 1;	/* the ephemeral key */
		raw_put(&r, k, klen, bad, olen);
		free(bad);
	}
	raw_close(&r);
	sign_in(f);
	assert_int_equal(open_case(f, 3, &cause), -1);
	/* Which key: a statistics run stopped by it says where to look. */
	if (cause == NULL || strstr(cause, "damaged") == NULL ||
	    strstr(cause, "the key of case:3") == NULL)
		fail_msg("open said: %s", cause != NULL ? cause : "(nothing)");
	free(cause);
	/* 'dossier check' names the keys it cut off, without any key. */
	said = check_says(f, &n);
	if (n == 0 || strstr(said, "names a batch whose record is missing") ==
	    NULL)
		fail_msg("check said (%zu): %s", n, said);
	free(said);
	/* Nothing lost: the bytes put back, the case opens. */
	let_go(f);
	raw_open(&r, f->data, "keys.db");
	raw_put(&r, k, klen, orig, olen);
	raw_close(&r);
	free(orig);
	free(k);
	sign_in(f);
	cause = NULL;
	if (open_case(f, 3, &cause) != 0)
		fail_msg("after: %s", cause);
	said = check_says(f, &n);
	if (n != 0)
		fail_msg("check after said: %s", said);
	free(said);
}

static void
batch__record_changed_by_a_file_writer__opens_nothing(void **state)
{
	batch_tampered(*state, 0);
}

static void
batch__record_removed_by_a_file_writer__opens_nothing(void **state)
{
	batch_tampered(*state, 1);
}

/* A seal of one case put under another case's label: refused there. */
static void
batch__seal_moved_to_another_case__is_refused(void **state)
{
	struct fixture	*f = *state;
	struct raw	 r;
	uint8_t		*v4, *v5;
	size_t		 l4, l5, k4len, k5len;
	char		*k4, *k5, *cause = NULL;

	let_go(f);
	k4 = seal_key(4, &k4len);
	k5 = seal_key(5, &k5len);
	raw_open(&r, f->data, "keys.db");
	raw_get(&r, k4, k4len, &v4, &l4);
	raw_get(&r, k5, k5len, &v5, &l5);
	raw_put(&r, k5, k5len, v4, l4);
	raw_close(&r);
	sign_in(f);
	assert_int_equal(open_case(f, 5, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	if (open_case(f, 4, &cause) != 0)
		fail_msg("case 4: %s", cause);
	let_go(f);
	raw_open(&r, f->data, "keys.db");
	raw_put(&r, k5, k5len, v5, l5);
	raw_close(&r);
	sign_in(f);
	if (open_case(f, 5, &cause) != 0)
		fail_msg("case 5 after: %s", cause);
	free(v4);
	free(v5);
	free(k4);
	free(k5);
}

/*
 * A case key's copy for the recovery key removed by a file writer: the
 * case still opens for its readers, but could no longer be recovered;
 * 'dossier check' says so.  A seal whose reserved byte is not 0 is
 * damaged, for the open and for the check.
 */
static void
batch__recovery_copy_removed_or_seal_bent__check_says_so(void **state)
{
	struct fixture	*f = *state;
	struct raw	 r;
	uint8_t		*v;
	size_t		 vlen, n;
	char		*said, *cause = NULL;
	static const char rk[] = "case:6\0@recovery", ok[] = "case:7\0oumar";

	said = check_says(f, &n);
	if (n != 0)
		fail_msg("check before said: %s", said);
	free(said);
	let_go(f);
	raw_open(&r, f->data, "keys.db");
	raw_del(&r, rk, sizeof rk - 1);
	raw_get(&r, ok, sizeof ok - 1, &v, &vlen);
	v[3] = 0xff;
	raw_put(&r, ok, sizeof ok - 1, v, vlen);
	raw_close(&r);
	free(v);
	sign_in(f);
	if (open_case(f, 6, &cause) != 0)
		fail_msg("case 6: %s", cause);
	assert_int_equal(open_case(f, 7, &cause), -1);
	assert_non_null(strstr(cause, "damaged"));
	free(cause);
	said = check_says(f, &n);
	assert_int_equal(n, 2);
	if (strstr(said, "key of case:6 is not sealed to the organisation "
	    "recovery key") == NULL || strstr(said, "key of case:7 sealed to "
	    "oumar is damaged") == NULL)
		fail_msg("check said: %s", said);
	free(said);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    batch__every_seal__is_72_bytes_and_opens, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    batch__record_changed_by_a_file_writer__opens_nothing,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    batch__record_removed_by_a_file_writer__opens_nothing,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    batch__seal_moved_to_another_case__is_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    batch__recovery_copy_removed_or_seal_bent__check_says_so,
		    setup, teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
