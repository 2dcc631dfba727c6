/*
 * test-upgrade.c: a store made as before 2026-12-02 (records in encoding
 * version 1, tables uncompressed, version 1 manifests naming their key
 * and listing every item's whole hash, witness seals in hex) is read and
 * changed by this version.  Its cases open whole and their witnesses
 * still open; an edit of the complaint keeps its reference; new records
 * are written in version 2 beside the old ones; the manifests, 'dossier
 * check' and the audit log verify across both encodings.
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
#include "casefile-int.h"
#include "casefile.h"
#include "form.h"
#include "helpers.h"
#include "layout.h"
#include "record.h"
#include "session.h"
#include "store.h"
#include "util.h"
#include "workflow.h"

#define PASS		"une phrase assez longue pour nous"
#define WITNESS		"Aminata Traore, temoin de 2025"

struct raw {
	uint8_t	 key[8];
	uint8_t	*v;
	size_t	 len;
};

static int
raw_txn(struct store_txn *t, void *arg, char **cause)
{
	struct raw	*r = arg;

	return (store_get(t, STORE_CASES, r->key, sizeof r->key, &r->v,
	    &r->len, cause));
}

/* The record encoding version of case id's stored header. */
static int
header_version(struct store *s, uint64_t id)
{
	struct raw	 r;
	int		 v;

	put_be64(r.key, id);
	assert_int_equal(store_run(s, raw_txn, &r, NULL), 0);
	assert_true(r.len > 3);
	v = r.v[2];
	free(r.v);
	return (v);
}

static int
manifest_txn(struct store_txn *t, void *arg, char **cause)
{
	struct raw	*r = arg;
	uint8_t		 k[LAYOUT_RECORD_KEYLEN];

	layout_record_key(k, get_be64(r->key), LAYOUT_MANIFEST, 0);
	return (store_get(t, STORE_RECORDS, k, sizeof k, &r->v, &r->len,
	    cause));
}

/* The version of case id's manifest: 1 names its key, 2 does not. */
static int
manifest_version(struct store *s, uint64_t id)
{
	struct raw	 r;
	struct record	*env;
	int		 v;

	put_be64(r.key, id);
	assert_int_equal(store_run(s, manifest_txn, &r, NULL), 0);
	env = record_decode(r.v, r.len, NULL);
	assert_non_null(env);
	v = record_get(env, "pk", NULL) != NULL ? 1 : 2;
	record_free(env);
	free(r.v);
	return (v);
}

/* The length of case id's "wseal" ("RID:" and the seal). */
static size_t
wseal_len(struct store *s, uint64_t id)
{
	struct raw	 r;
	struct record	*h;
	const char	*seal;
	size_t		 len;

	put_be64(r.key, id);
	assert_int_equal(store_run(s, raw_txn, &r, NULL), 0);
	h = record_decode(r.v, r.len, NULL);
	assert_non_null(h);
	seal = record_get_str(h, "wseal");
	assert_non_null(seal);
	print_message("wseal %s, wanchor %s\n", seal,
	    record_get_str(h, "wanchor"));
	len = strlen(seal);
	record_free(h);
	free(r.v);
	return (len);
}

static void
problem(const char *sentence, void *arg)
{
	(void)arg;
	fail_msg("dossier check: %s", sentence);
}

static void
upgrade__a_version_1_store__reads_changes_and_verifies(void **state)
{
	struct store		*s;
	struct session		*admin, *sup, *inv;
	struct casefile_ctx	 csup, cinv;
	struct formset		*forms;
	struct workflow_set	*flows;
	struct casefile		*cf;
	const struct casefile_rec *w;
	struct record		*r;
	char			*tmp, *data, *cause = NULL;
	uint64_t		 id, id2, rid, count, bad;
	size_t			 cases, problems;

	/* Made as before: every record and manifest in version 1. */
	record_set_new_version(1);
	cf_manifest_set_version(1);
	cf_wseal_set_hex(1);
	store_set_compress(0);
	tmp = helper_tmpdir();
	s = helper_init_store(tmp, NULL);
	store_set_compress(1);
	helper_load_forms(&forms, &flows);
	admin = helper_signin(s, "chef", HELPER_ADMIN_PASS);
	helper_add_user(admin, "sup", "supervisor", PASS);
	helper_add_user(admin, "ibrahim", "investigator", PASS);
	session_free(admin);
	sup = helper_signin(s, "sup", PASS);
	helper_ctx(&csup, sup, forms, flows);
	inv = helper_signin(s, "ibrahim", PASS);
	helper_ctx(&cinv, inv, forms, flows);
	id = helper_new_case(&csup, "Plainte de l'ancien format");
	if (casefile_assign(&csup, id, "ibrahim", 1, &cause) != 0)
		fail_msg("assign: %s", cause);
	rid = helper_add(&cinv, id, "witness", "full_name", WITNESS, "role",
	    "direct", NULL);
	assert_int_equal(header_version(s, id), 1);
	assert_int_equal(manifest_version(s, id), 1);
	/* The witness's seal and anchor in hex, as written before. */
	assert_int_equal(wseal_len(s, id), 2 + 64);
	session_free(inv);
	session_free(sup);

	/* This version: new records and manifests in version 2. */
	record_set_new_version(2);
	cf_manifest_set_version(2);
	cf_wseal_set_hex(0);
	sup = helper_signin(s, "sup", PASS);
	helper_ctx(&csup, sup, forms, flows);
	inv = helper_signin(s, "ibrahim", PASS);
	helper_ctx(&cinv, inv, forms, flows);
	assert_int_equal(casefile_open(&cinv, id, CASEFILE_WITNESSES |
	    CASEFILE_JOURNAL, &cf, &cause), 0);
	w = casefile_rec(cf, rid);
	assert_non_null(w);
	assert_false(w->witness_locked);
	assert_string_equal(record_get_str(w->fields, "full_name"), WITNESS);
	casefile_free(cf);

	/* Its version 1 manifest checked by dossier check, no key. */
	if (casefile_check(s, forms, flows, problem, NULL, &cases, &problems,
	    &cause) != 0)
		fail_msg("check: %s", cause);
	assert_int_equal(problems, 0);

	/* The complaint edited: its reference stays (issue 10's loss). */
	r = record_create();
	record_set_str(r, "channel", "letter");
	if (casefile_edit(&cinv, id, 0, r, -1, &cause) != 0)
		fail_msg("edit: %s", cause);
	record_free(r);
	r = record_create();
	record_set_str(r, "phone", "+223 70 00 00 09");
	if (casefile_edit(&cinv, id, rid, r, -1, &cause) != 0)
		fail_msg("edit witness: %s", cause);
	record_free(r);
	(void)helper_add(&cinv, id, "person", "role", "complainant",
	    "full_name", "Moussa Diarra", NULL);
	assert_int_equal(casefile_open(&cinv, id, CASEFILE_WITNESSES |
	    CASEFILE_JOURNAL, &cf, &cause), 0);
	assert_non_null(cf->header);
	assert_non_null(record_get_str(cf->header, "reference"));
	assert_true(*record_get_str(cf->header, "reference") != '\0');
	w = casefile_rec(cf, rid);
	assert_non_null(w);
	assert_string_equal(record_get_str(w->fields, "phone"),
	    "+223 70 00 00 09");
	casefile_free(cf);
	/* Changed: its manifest is written again, in version 2; the
	 * witness's seal (read in hex to let the edit through) in base64. */
	assert_int_equal(manifest_version(s, id), 2);
	assert_int_equal(wseal_len(s, id), 2 + 24);

	/* A new case beside it is written in version 2. */
	id2 = helper_new_case(&csup, "Plainte du nouveau format");
	assert_int_equal(header_version(s, id2), 2);

	/* Everything verifies across both encodings. */
	if (casefile_check(s, forms, flows, problem, NULL, &cases, &problems,
	    &cause) != 0)
		fail_msg("check: %s", cause);
	assert_int_equal(cases, 2);
	assert_int_equal(problems, 0);
	if (account_verify_audit(s, NULL, &count, &bad, &cause) != 0)
		fail_msg("audit: %s", cause);
	assert_int_equal(bad, 0);
	assert_true(count > 5);

	session_free(inv);
	session_free(sup);
	store_close(s);
	xasprintf(&data, "%s/data", tmp);
	if (store_check(data, &cause) != 0)
		fail_msg("store_check: %s", cause);
	free(data);
	formset_free(forms);
	workflow_set_free(flows);
	helper_rmrf(tmp);
	free(tmp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    upgrade__a_version_1_store__reads_changes_and_verifies),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
