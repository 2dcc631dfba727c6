/*
 * test-manifest.c: a user with write access to the data directory's files
 * (a shell on the server, no passphrase) changes a case behind dossier's
 * back through a raw Berkeley DB handle, as tests/unit/test-audit.c does
 * for the audit log.  Each change must be caught: the case does not open
 * (so it is neither shown nor exported) and 'dossier check' names it.
 *
 * The attacks: a record put back to its earlier version (a finding
 * rolled back), a clear envelope field changed, a record moved from
 * another case, a journal entry deleted, the clear header changed (the
 * state), the manifest deleted, and the manifest's list rewritten without
 * a user's signing key.
 */
#include "config.h"

#include <db.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "account.h"
#include "casefile.h"
#include "export.h"
#include "form.h"
#include "helpers.h"
#include "layout.h"
#include "raw.h"
#include "record.h"
#include "session.h"
#include "store.h"
#include "util.h"
#include "vault.h"
#include "workflow.h"

#define PASS	"une phrase assez longue pour nous"

struct fixture {
	char			*tmp, *data;
	struct store		*s;
	struct formset		*forms;
	struct workflow_set	*flows;
	struct session		*sup, *inv;
	struct casefile_ctx	 csup, cinv;
	uint64_t		 a, b;		/* two cases */
	uint64_t		 alleg;		/* an allegation of a */
};

static void
ctx_init(struct fixture *f, struct casefile_ctx *c, struct session *sess)
{
	helper_ctx(c, sess, f->forms, f->flows);
}

static uint64_t
new_case(struct fixture *f, const char *summary)
{
	char		*cause = NULL;
	uint64_t	 id;

	id = helper_new_case(&f->csup, summary);
	if (casefile_assign(&f->csup, id, "inv", 1, &cause) != 0)
		fail_msg("assign: %s", cause);
	return (id);
}

static void
sign_in(struct fixture *f)
{
	f->sup = helper_signin(f->s, "sup", PASS);
	ctx_init(f, &f->csup, f->sup);
	f->inv = helper_signin(f->s, "inv", PASS);
	ctx_init(f, &f->cinv, f->inv);
}

static void
sign_out(struct fixture *f)
{
	session_free(f->sup);
	session_free(f->inv);
	f->sup = f->inv = NULL;
	store_close(f->s);
	f->s = NULL;
}

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);
	struct session	*admin;

	f->tmp = helper_tmpdir();
	f->s = helper_init_store(f->tmp, NULL);
	xasprintf(&f->data, "%s/data", f->tmp);
	helper_load_forms(&f->forms, &f->flows);
	admin = helper_signin(f->s, "chef", HELPER_ADMIN_PASS);
	helper_add_user(admin, "sup", "supervisor", PASS);
	helper_add_user(admin, "inv", "investigator", PASS);
	session_free(admin);
	sign_in(f);
	f->a = new_case(f, "Arrestation au poste de Sévaré");
	f->b = new_case(f, "Racket au poste de Gao");
	helper_add(&f->cinv, f->a, "person", "role", "agent", "full_name",
	    "Sgt Traoré", "service_number", "PN-4471", NULL);
	f->alleg = helper_add(&f->cinv, f->a, "allegation", "agent", "1",
	    "category", "integrity.assault", "finding", "not_sustained", NULL);
	helper_add(&f->cinv, f->b, "person", "role", "victim", "full_name", "Awa",
	    NULL);
	helper_add(&f->cinv, f->b, "person", "role", "agent", "full_name",
	    "Cpl Keïta", NULL);
	helper_add(&f->cinv, f->b, "allegation", "agent", "2", "category",
	    "liberty.arbitrary", NULL);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	if (f->s != NULL)
		sign_out(f);
	formset_free(f->forms);
	workflow_set_free(f->flows);
	helper_rmrf(f->tmp);
	free(f->tmp);
	free(f->data);
	free(f);
	return (0);
}

static void
collect_problem(const char *sentence, void *arg)
{
	char	**all = arg, *s;

	xasprintf(&s, "%s%s\n", *all != NULL ? *all : "", sentence);
	free(*all);
	*all = s;
}

/* Reopen as dossier would; the case must not open, nor pass check. */
static void
assert_caught(struct fixture *f, uint64_t id, const char *words)
{
	struct casefile	*cf;
	char		*cause = NULL, *path, *text = NULL;
	int		 rc;

	if (store_open(&f->s, f->data, 0, &cause) != 0)
		fail_msg("reopen: %s", cause);
	sign_in(f);
	rc = casefile_open(&f->cinv, id, 0, &cf, &cause);
	if (rc == 0)
		fail_msg("the changed case opened as if nothing happened");
	print_message("open: %s\n", cause);
	assert_non_null(strstr(cause, words));
	free(cause);
	cause = NULL;
	/* A search reads it under the manifest's keyed hash: refused too. */
	assert_int_equal(casefile_search_text(&f->cinv, id, &text, &cause),
	    -1);
	assert_null(text);
	free(cause);
	cause = NULL;
	/* Export refuses to sign it. */
	xasprintf(&path, "%s/summary.txt", f->tmp);
	assert_int_equal(export_case(&f->csup, id, EXPORT_TEXT, 0, path,
	    &cause), -1);
	free(cause);
	cause = NULL;
	free(path);
	sign_out(f);
}

static void
assert_check_finds(struct fixture *f, const char *words)
{
	char		*cause = NULL, *all = NULL;
	size_t		 cases, problems;

	if (store_open(&f->s, f->data, 0, &cause) != 0)
		fail_msg("reopen: %s", cause);
	assert_int_equal(casefile_check(f->s, f->forms, f->flows,
	    collect_problem, &all, &cases, &problems, &cause), 0);
	assert_true(problems >= 1);
	print_message("check: %s", all);
	assert_non_null(strstr(all, words));
	free(all);
	store_close(f->s);
	f->s = NULL;
}


/*
 * The manifest's list as the file writer makes it again from what the
 * records table holds now (version 2: each item's type, number and the
 * first 4 bytes of its hash; the hash of the items with their whole
 * hashes), put in m.  The writer can do all of it: the hashes are not
 * keyed.
 */
static void
relist(struct raw *r, uint64_t id, struct record *m)
{
	DBC		*c;
	DBT		 k, v;
	uint8_t		*all = NULL, *il, *p, ih[32];
	size_t		 n = 0, i;

	assert_int_equal(r->db->cursor(r->db, NULL, &c, 0), 0);
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	while (c->get(c, &k, &v, DB_NEXT) == 0) {
		if (k.size != LAYOUT_RECORD_KEYLEN ||
		    get_be64(k.data) != id ||
		    ((uint8_t *)k.data)[8] == LAYOUT_MANIFEST)
			continue;
		all = xrealloc(all, (n + 1) * 41);
		memcpy(all + n * 41, (uint8_t *)k.data + 8, 9);
		vault_hash(v.data, v.size, all + n * 41 + 9);
		n++;
	}
	c->close(c);
	p = il = xmalloc(n * 15 + 1);
	for (i = 0; i < n; i++) {
		*p++ = all[i * 41];
		p = varint_put(p, get_be64(all + i * 41 + 1));
		memcpy(p, all + i * 41 + 9, 4);
		p += 4;
	}
	vault_hash(all != NULL ? all : (uint8_t *)"", n * 41, ih);
	record_set(m, "il", il, (size_t)(p - il));
	record_set(m, "ih", ih, sizeof ih);
	free(il);
	free(all);
}

static void
record_key(uint8_t *k, uint64_t id, int type, uint64_t n)
{
	layout_record_key(k, id, type, n);
}

/* Reopen as dossier would, and make the allegation's finding sustained. */
static void
edit_finding(struct fixture *f)
{
	struct record	*ch;
	char		*cause = NULL;

	assert_int_equal(store_open(&f->s, f->data, 0, &cause), 0);
	sign_in(f);
	ch = record_create();
	record_set_str(ch, "finding", "sustained");
	assert_int_equal(casefile_edit(&f->cinv, f->a, f->alleg, ch, -1,
	    &cause), 0);
	record_free(ch);
	sign_out(f);
}

/* Untouched: both cases open and check finds nothing. */
static void
manifest__passes__an_untouched_case(void **state)
{
	struct fixture	*f = *state;
	struct casefile	*cf;
	char		*cause = NULL, *all = NULL;
	size_t		 cases, problems;

	assert_int_equal(casefile_open(&f->cinv, f->a, CASEFILE_JOURNAL, &cf,
	    &cause), 0);
	casefile_free(cf);
	/* Without the case key (the registrar's view) too. */
	assert_int_equal(casefile_check(f->s, f->forms, f->flows,
	    collect_problem, &all, &cases, &problems, &cause), 0);
	assert_int_equal(cases, 2);
	assert_int_equal(problems, 0);
	free(all);
}

/* The finding "sustained" is put back to the earlier "not sustained". */
static void
manifest__catches__a_record_put_back_to_an_earlier_version(void **state)
{
	struct fixture	*f = *state;
	struct raw	 r;
	uint8_t		 k[LAYOUT_RECORD_KEYLEN], *old;
	size_t		 oldlen;

	sign_out(f);
	record_key(k, f->a, LAYOUT_RECORD, f->alleg);
	raw_open(&r, f->data, "records.db");
	raw_get(&r, k, sizeof k, &old, &oldlen);
	raw_close(&r);
	edit_finding(f);
	raw_open(&r, f->data, "records.db");
	raw_put(&r, k, sizeof k, old, oldlen);
	raw_close(&r);
	free(old);
	assert_caught(f, f->a, "does not match the case's manifest");
	assert_check_finds(f, "record 2 does not match");
}

/* A clear envelope field changed: the author's name. */
static void
manifest__catches__a_changed_envelope_field(void **state)
{
	struct fixture	*f = *state;
	struct record	*env;
	struct raw	 r;
	uint8_t		 k[LAYOUT_RECORD_KEYLEN], *v, *nv;
	size_t		 len, nlen;

	sign_out(f);
	record_key(k, f->a, LAYOUT_RECORD, f->alleg);
	raw_open(&r, f->data, "records.db");
	raw_get(&r, k, sizeof k, &v, &len);
	env = record_decode(v, len, NULL);
	assert_non_null(env);
	record_set_str(env, "by", "sup");
	record_encode(env, &nv, &nlen);
	raw_put(&r, k, sizeof k, nv, nlen);
	raw_close(&r);
	record_free(env);
	free(v);
	free(nv);
	assert_caught(f, f->a, "record 2 does not match");
}

/* Case b's allegation copied over case a's. */
static void
manifest__catches__a_record_moved_from_another_case(void **state)
{
	struct fixture	*f = *state;
	struct raw	 r;
	uint8_t		 ka[LAYOUT_RECORD_KEYLEN], kb[LAYOUT_RECORD_KEYLEN], *v;
	size_t		 len;

	sign_out(f);
	record_key(ka, f->a, LAYOUT_RECORD, f->alleg);
	record_key(kb, f->b, LAYOUT_RECORD, 2);
	raw_open(&r, f->data, "records.db");
	raw_get(&r, kb, sizeof kb, &v, &len);
	raw_put(&r, ka, sizeof ka, v, len);
	raw_close(&r);
	free(v);
	assert_caught(f, f->a, "does not match the case's manifest");
}

/* The journal entry of the allegation's creation is removed. */
static void
manifest__catches__a_deleted_journal_entry(void **state)
{
	struct fixture	*f = *state;
	struct raw	 r;
	uint8_t		 k[LAYOUT_RECORD_KEYLEN];

	sign_out(f);
	record_key(k, f->a, LAYOUT_JOURNAL, 2);
	raw_open(&r, f->data, "records.db");
	raw_del(&r, k, sizeof k);
	raw_close(&r);
	assert_caught(f, f->a, "journal entry 2 is missing");
	assert_check_finds(f, "journal entry 2 is missing");
}

/* The clear header's state moved on (or back) outside dossier. */
static void
manifest__catches__a_changed_header(void **state)
{
	struct fixture	*f = *state;
	struct record	*h;
	struct raw	 r;
	uint8_t		 k[8], *v, *nv;
	size_t		 len, nlen;

	sign_out(f);
	put_be64(k, f->a);
	raw_open(&r, f->data, "cases.db");
	raw_get(&r, k, sizeof k, &v, &len);
	h = record_decode(v, len, NULL);
	assert_non_null(h);
	record_set_str(h, "state", "cloturee");
	record_encode(h, &nv, &nlen);
	raw_put(&r, k, sizeof k, nv, nlen);
	raw_close(&r);
	record_free(h);
	free(v);
	free(nv);
	assert_caught(f, f->a, "header does not match");
	assert_check_finds(f, "header does not match");
}

/*
 * The case put back to before a change (its record, its header, the
 * change's journal entries removed) with the manifest of then planted
 * beside today's, under another number of the manifest's type, for an
 * open that would take the last manifest it reads: the manifest is
 * number 0 alone, and today's does not match what was put back.
 */
static void
manifest__reads_number_0_alone__an_old_manifest_planted_beside_it(
    void **state)
{
	struct fixture	*f = *state;
	struct raw	 r;
	DBC		*c;
	DBT		 k, v;
	uint8_t		 kr[LAYOUT_RECORD_KEYLEN], km[LAYOUT_RECORD_KEYLEN];
	uint8_t		 kh[8], dk[LAYOUT_RECORD_KEYLEN];
	uint8_t		*oldrec, *oldm, *oldh;
	uint64_t	 lastj = 0, n;
	size_t		 reclen, mlen, hlen, removed = 0;

	sign_out(f);
	record_key(kr, f->a, LAYOUT_RECORD, f->alleg);
	record_key(km, f->a, LAYOUT_MANIFEST, 0);
	put_be64(kh, f->a);
	raw_open(&r, f->data, "records.db");
	raw_get(&r, kr, sizeof kr, &oldrec, &reclen);
	raw_get(&r, km, sizeof km, &oldm, &mlen);
	assert_int_equal(r.db->cursor(r.db, NULL, &c, 0), 0);
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	while (c->get(c, &k, &v, DB_NEXT) == 0)
		if (k.size == LAYOUT_RECORD_KEYLEN &&
		    get_be64(k.data) == f->a &&
		    ((uint8_t *)k.data)[8] == LAYOUT_JOURNAL &&
		    (n = get_be64((uint8_t *)k.data + 9)) > lastj)
			lastj = n;
	c->close(c);
	raw_close(&r);
	raw_open(&r, f->data, "cases.db");
	raw_get(&r, kh, sizeof kh, &oldh, &hlen);
	raw_close(&r);

	edit_finding(f);

	raw_open(&r, f->data, "records.db");
	raw_put(&r, kr, sizeof kr, oldrec, reclen);
	for (n = lastj + 1; n < lastj + 16; n++) {
		record_key(dk, f->a, LAYOUT_JOURNAL, n);
		memset(&k, 0, sizeof k);
		k.data = dk;
		k.size = sizeof dk;
		if (r.db->del(r.db, NULL, &k, 0) == 0)
			removed++;
	}
	assert_true(removed >= 1);
	record_key(km, f->a, LAYOUT_MANIFEST, 1);
	raw_put(&r, km, sizeof km, oldm, mlen);
	raw_close(&r);
	raw_open(&r, f->data, "cases.db");
	raw_put(&r, kh, sizeof kh, oldh, hlen);
	raw_close(&r);
	free(oldrec);
	free(oldm);
	free(oldh);
	assert_caught(f, f->a, "header does not match");
	assert_check_finds(f, "header does not match");
}

/* The manifest's bytes overwritten with bytes that do not decode. */
static void
manifest__catches__a_manifest_that_does_not_decode(void **state)
{
	struct fixture	*f = *state;
	struct raw	 r;
	uint8_t		 k[LAYOUT_RECORD_KEYLEN], junk[64];

	sign_out(f);
	memset(junk, 0xff, sizeof junk);
	record_key(k, f->a, LAYOUT_MANIFEST, 0);
	raw_open(&r, f->data, "records.db");
	raw_put(&r, k, sizeof k, junk, sizeof junk);
	raw_close(&r);
	assert_caught(f, f->a, "manifest is damaged");
	assert_check_finds(f, "manifest is damaged");
}

/* The manifest removed, to switch the checks off. */
static void
manifest__catches__a_deleted_manifest(void **state)
{
	struct fixture	*f = *state;
	struct raw	 r;
	uint8_t		 k[LAYOUT_RECORD_KEYLEN];

	sign_out(f);
	record_key(k, f->a, LAYOUT_MANIFEST, 0);
	raw_open(&r, f->data, "records.db");
	raw_del(&r, k, sizeof k);
	raw_close(&r);
	assert_caught(f, f->a, "has no manifest");
	assert_check_finds(f, "has no manifest");
}

/*
 * The file writer deletes a record and rewrites the manifest's list to
 * match, keeping the old signature: without a user's signing key, it
 * does not verify.
 */
static void
manifest__catches__a_manifest_rewritten_without_a_signing_key(void **state)
{
	struct fixture	*f = *state;
	struct record	*env, *m;
	struct raw	 r;
	uint8_t		 km[LAYOUT_RECORD_KEYLEN], kr[LAYOUT_RECORD_KEYLEN];
	uint8_t		*v, *nv, *mb;
	const uint8_t	*mv;
	size_t		 len, nlen, mlen, ilen, olen;

	sign_out(f);
	record_key(km, f->a, LAYOUT_MANIFEST, 0);
	record_key(kr, f->a, LAYOUT_RECORD, f->alleg);
	raw_open(&r, f->data, "records.db");
	raw_del(&r, kr, sizeof kr);
	raw_get(&r, km, sizeof km, &v, &len);
	env = record_decode(v, len, NULL);
	mv = record_get(env, "m", &mlen);
	m = record_decode(mv, mlen, NULL);
	assert_non_null(m);
	assert_non_null(record_get(m, "il", &olen));
	relist(&r, f->a, m);
	/* The list lost the allegation: one item shorter. */
	assert_non_null(record_get(m, "il", &ilen));
	assert_true(ilen < olen);
	record_encode(m, &mb, &mlen);
	record_set(env, "m", mb, mlen);
	record_encode(env, &nv, &nlen);
	raw_put(&r, km, sizeof km, nv, nlen);
	raw_close(&r);
	free(mb);
	free(nv);
	free(v);
	record_free(m);
	record_free(env);
	assert_caught(f, f->a, "signature of its manifest does not verify");
	assert_check_finds(f, "signature of its manifest does not verify");
}

/*
 * Every item's hint matches but the hash of the whole list does not (as
 * when an item is forged to keep the first 4 bytes of its hash, 2^32
 * tries): the manifest's author signed a list hash the items do not
 * make, and 'dossier check' says so.  The signature is the author's own,
 * so only the list hash can catch it.
 */
static void
manifest__check_finds__a_list_hash_the_items_do_not_make(void **state)
{
	struct fixture	*f = *state;
	struct record	*env, *m;
	struct raw	 r;
	uint8_t		 km[LAYOUT_RECORD_KEYLEN], ih[32], sig[64];
	uint8_t		*v, *nv, *mb, *msg;
	const uint8_t	*mv, *mac, *oih;
	size_t		 len, nlen, mlen, ihlen;
	char		*cause = NULL;

	sign_out(f);
	record_key(km, f->a, LAYOUT_MANIFEST, 0);
	raw_open(&r, f->data, "records.db");
	raw_get(&r, km, sizeof km, &v, &len);
	raw_close(&r);
	env = record_decode(v, len, NULL);
	assert_non_null(env);
	mv = record_get(env, "m", &mlen);
	mac = record_get(env, "mac", NULL);
	m = record_decode(mv, mlen, NULL);
	assert_non_null(m);
	oih = record_get(m, "ih", &ihlen);
	assert_non_null(oih);
	assert_int_equal(ihlen, sizeof ih);
	memcpy(ih, oih, sizeof ih);
	ih[31] ^= 1;
	record_set(m, "ih", ih, sizeof ih);
	record_encode(m, &mb, &mlen);
	/* Signed by the investigator, who wrote the case last. */
	if (store_open(&f->s, f->data, 0, &cause) != 0)
		fail_msg("reopen: %s", cause);
	sign_in(f);
	assert_string_equal(record_get_str(m, "by"), "inv");
	msg = xmalloc(mlen + 32);
	memcpy(msg, mb, mlen);
	memcpy(msg + mlen, mac, 32);
	vault_sign(f->inv->id, msg, mlen + 32, sig);
	sign_out(f);
	record_set(env, "m", mb, mlen);
	record_set(env, "sig", sig, sizeof sig);
	record_encode(env, &nv, &nlen);
	raw_open(&r, f->data, "records.db");
	raw_put(&r, km, sizeof km, nv, nlen);
	raw_close(&r);
	free(msg);
	free(mb);
	free(nv);
	free(v);
	record_free(m);
	record_free(env);
	assert_check_finds(f, "an item does not match the case's manifest");
}

/*
 * A file writer seals a case key of their own to the investigator (a
 * sealed key needs only the recipient's public key, and shows nothing
 * of who sealed it), rewrites a record in clear and the manifest's list,
 * and makes the manifest's keyed hash under the planted key: everything
 * but the author's signature matches.  The search must not read the case
 * (a search that checked the keyed hash alone found the planted name:
 * found by a helper attacking the search as a file writer), nor may the
 * case open.
 */
static void
manifest__search_refuses__a_planted_key_with_a_matching_keyed_hash(
    void **state)
{
	struct fixture		*f = *state;
	struct account		*a;
	struct vault_key	*k;
	struct record		*env, *menv, *m;
	struct casefile		*cf;
	struct raw		 r;
	uint8_t			 sealed[VAULT_SEALED_MAX], mac[32];
	uint8_t			 kp[LAYOUT_RECORD_KEYLEN], km[LAYOUT_RECORD_KEYLEN];
	uint8_t			*v, *nv, *mb, *buf;
	const uint8_t		*mv;
	char			*label, *kk, *cause = NULL, *text = NULL;
	size_t			 len, nlen, mlen, kl;
	size_t			 ll = sizeof "dossier case manifest v2";

	assert_int_equal(account_get(f->s, "inv", &a, NULL), 0);
	label = layout_label_case(f->a);
	k = vault_key_generate();
	vault_key_seal(k, label, a->box_pk, sealed);
	account_free(a);
	sign_out(f);
	kl = strlen(label) + 1 + 3;
	kk = xmalloc(kl);
	memcpy(kk, label, strlen(label) + 1);
	memcpy(kk + strlen(label) + 1, "inv", 3);
	raw_open(&r, f->data, "keys.db");
	raw_put(&r, kk, kl, sealed, VAULT_SEALED_LEN);
	raw_close(&r);
	/* The agent (record 1) named in clear, its body gone. */
	record_key(kp, f->a, LAYOUT_RECORD, 1);
	raw_open(&r, f->data, "records.db");
	raw_get(&r, kp, sizeof kp, &v, &len);
	env = record_decode(v, len, NULL);
	assert_non_null(env);
	record_unset(env, "body");
	record_set_str(env, "h.full_name", "Zorro Faussaire");
	record_encode(env, &nv, &nlen);
	raw_put(&r, kp, sizeof kp, nv, nlen);
	/* The manifest's list follows, its keyed hash under the planted key. */
	record_key(km, f->a, LAYOUT_MANIFEST, 0);
	free(v);
	raw_get(&r, km, sizeof km, &v, &len);
	menv = record_decode(v, len, NULL);
	assert_non_null(menv);
	mv = record_get(menv, "m", &mlen);
	m = record_decode(mv, mlen, NULL);
	assert_non_null(m);
	assert_non_null(record_get(m, "ih", NULL));
	relist(&r, f->a, m);
	record_encode(m, &mb, &mlen);
	record_set(menv, "m", mb, mlen);
	buf = xmalloc(ll + mlen);
	memcpy(buf, "dossier case manifest v2", ll);
	memcpy(buf + ll, mb, mlen);
	vault_key_hash(k, buf, ll + mlen, mac);
	record_set(menv, "mac", mac, sizeof mac);
	free(nv);
	record_encode(menv, &nv, &nlen);
	raw_put(&r, km, sizeof km, nv, nlen);
	raw_close(&r);

	assert_int_equal(store_open(&f->s, f->data, 0, &cause), 0);
	sign_in(f);
	assert_int_equal(casefile_search_text(&f->cinv, f->a, &text, &cause),
	    -1);
	assert_null(text);
	print_message("search: %s\n", cause);
	assert_non_null(strstr(cause, "signature of its manifest"));
	free(cause);
	cause = NULL;
	assert_int_equal(casefile_open(&f->cinv, f->a, 0, &cf, &cause), -1);
	free(cause);
	free(buf);
	free(mb);
	free(nv);
	free(v);
	free(kk);
	free(label);
	record_free(m);
	record_free(menv);
	record_free(env);
	vault_key_free(k);
}

/* cases.db rebuilt to hold a second, forged header behind case a's. */
static void
manifest__refuses__a_table_rebuilt_with_duplicates(void **state)
{
	struct fixture	*f = *state;
	struct raw	 r;
	DB_ENV		*env;
	DB		*db;
	DBC		*c;
	DBT		 key, val;
	uint8_t		 k[8], *v;
	size_t		 len, n = 0, i;
	struct { uint8_t *k, *v; size_t kl, vl; } rows[16];
	char		*cause = NULL;

	sign_out(f);
	raw_open(&r, f->data, "cases.db");
	db = r.db;
	env = r.env;
	assert_int_equal(db->cursor(db, NULL, &c, 0), 0);
	memset(&key, 0, sizeof key);
	memset(&val, 0, sizeof val);
	key.flags = val.flags = DB_DBT_MALLOC;
	while (n < 16 && c->get(c, &key, &val, DB_NEXT) == 0) {
		rows[n].k = key.data;
		rows[n].kl = key.size;
		rows[n].v = val.data;
		rows[n].vl = val.size;
		n++;
	}
	c->close(c);
	db->close(db, 0);
	assert_int_equal(env->dbremove(env, NULL, "cases.db", NULL,
	    DB_AUTO_COMMIT), 0);
	assert_int_equal(db_create(&db, env, 0), 0);
	assert_int_equal(db->set_flags(db, DB_DUP), 0);
	assert_int_equal(db->open(db, NULL, "cases.db", NULL, DB_BTREE,
	    DB_CREATE | DB_AUTO_COMMIT, 0660), 0);
	r.db = db;
	for (i = 0; i < n; i++) {
		raw_put(&r, rows[i].k, rows[i].kl, rows[i].v, rows[i].vl);
		free(rows[i].k);
		free(rows[i].v);
	}
	put_be64(k, f->a);
	raw_get(&r, k, sizeof k, &v, &len);
	raw_put(&r, k, sizeof k, v, len);	/* a second value */
	free(v);
	raw_close(&r);
	assert_int_equal(store_open(&f->s, f->data, 0, &cause), -1);
	print_message("open: %s\n", cause);
	assert_non_null(strstr(cause, "several values under one key"));
	free(cause);
	f->s = NULL;
}

/* ref:ISSPC-...-0001 pointed at case b: reads and writes go nowhere. */
static void
manifest__refuses__a_redirected_reference(void **state)
{
	struct fixture	*f = *state;
	struct casefile	*cf;
	struct raw	 r;
	uint8_t		 idb[8];
	char		*cause = NULL, *ref, key[64];
	uint64_t	 id;

	assert_int_equal(casefile_open(&f->cinv, f->a, 0, &cf, &cause), 0);
	ref = xstrdup(record_get_str(cf->header, "reference"));
	casefile_free(cf);
	sign_out(f);
	snprintf(key, sizeof key, "ref:%s", ref);
	put_be64(idb, f->b);
	raw_open(&r, f->data, "meta.db");
	raw_put(&r, key, strlen(key), idb, sizeof idb);
	raw_close(&r);
	assert_int_equal(store_open(&f->s, f->data, 0, &cause), 0);
	sign_in(f);
	assert_int_equal(casefile_find(&f->cinv, ref, &id, &cause), -1);
	print_message("find: %s\n", cause);
	assert_non_null(strstr(cause, "reference index sends"));
	free(cause);
	sign_out(f);
	assert_check_finds(f, "reference index sends");
	free(ref);
}

/* Case b deleted whole (header, items, manifest, reference). */
static void
manifest__check_finds__a_case_deleted_whole(void **state)
{
	struct fixture	*f = *state;
	struct raw	 r;
	DB_TXN		*txn;
	DBC		*c;
	DBT		 key, val;
	uint8_t		 k[8];
	char		 ref[64];
	struct casefile	*cf;
	char		*cause = NULL;

	assert_int_equal(casefile_open(&f->cinv, f->b, 0, &cf, &cause), 0);
	snprintf(ref, sizeof ref, "ref:%s", record_get_str(cf->header,
	    "reference"));
	casefile_free(cf);
	sign_out(f);
	put_be64(k, f->b);
	raw_open(&r, f->data, "cases.db");
	raw_del(&r, k, sizeof k);
	raw_close(&r);
	raw_open(&r, f->data, "meta.db");
	raw_del(&r, ref, strlen(ref));
	raw_close(&r);
	raw_open(&r, f->data, "records.db");
	assert_int_equal(r.env->txn_begin(r.env, NULL, &txn, 0), 0);
	assert_int_equal(r.db->cursor(r.db, txn, &c, 0), 0);
	memset(&key, 0, sizeof key);
	memset(&val, 0, sizeof val);
	key.data = k;
	key.size = 8;
	if (c->get(c, &key, &val, DB_SET_RANGE) == 0) {
		do {
			if (key.size < 8 || memcmp(key.data, k, 8) != 0)
				break;
			assert_int_equal(c->del(c, 0), 0);
		} while (c->get(c, &key, &val, DB_NEXT) == 0);
	}
	c->close(c);
	assert_int_equal(txn->commit(txn, 0), 0);
	raw_close(&r);
	assert_check_finds(f, "the case is missing");
	assert_check_finds(f, "audit log records its creation");
}

/* An agent's index entry removed, and one added to another case. */
static void
manifest__check_finds__a_rewritten_agent_index(void **state)
{
	struct fixture	*f = *state;
	struct raw	 r;
	DB_TXN		*txn;
	DBC		*c;
	DBT		 key, val;
	uint8_t		*k2;
	size_t		 klen;

	sign_out(f);
	raw_open(&r, f->data, "index.db");
	assert_int_equal(r.env->txn_begin(r.env, NULL, &txn, 0), 0);
	assert_int_equal(r.db->cursor(r.db, txn, &c, 0), 0);
	memset(&key, 0, sizeof key);
	memset(&val, 0, sizeof val);
	key.data = (void *)LAYOUT_AGENT_PREFIX;
	key.size = strlen(LAYOUT_AGENT_PREFIX);
	assert_int_equal(c->get(c, &key, &val, DB_SET_RANGE), 0);
	assert_int_equal(strncmp(key.data, LAYOUT_AGENT_PREFIX, 6), 0);
	klen = key.size;
	k2 = xmalloc(klen);
	memcpy(k2, key.data, klen);
	assert_int_equal(c->del(c, 0), 0);
	c->close(c);
	assert_int_equal(txn->commit(txn, 0), 0);
	put_be64(k2 + klen - 16, f->b);		/* now "in" case b */
	raw_put(&r, k2, klen, "", 0);
	free(k2);
	raw_close(&r);
	assert_check_finds(f, "does not list: an entry was removed");
	assert_check_finds(f, "an entry was added outside dossier");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    manifest__passes__an_untouched_case, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    manifest__catches__a_record_put_back_to_an_earlier_version,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    manifest__catches__a_changed_envelope_field, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    manifest__catches__a_record_moved_from_another_case, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    manifest__catches__a_deleted_journal_entry, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    manifest__catches__a_changed_header, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    manifest__reads_number_0_alone__an_old_manifest_planted_beside_it,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    manifest__catches__a_manifest_that_does_not_decode, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    manifest__catches__a_deleted_manifest, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    manifest__catches__a_manifest_rewritten_without_a_signing_key,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    manifest__check_finds__a_list_hash_the_items_do_not_make,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    manifest__search_refuses__a_planted_key_with_a_matching_keyed_hash,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    manifest__refuses__a_table_rebuilt_with_duplicates, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    manifest__refuses__a_redirected_reference, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    manifest__check_finds__a_case_deleted_whole, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    manifest__check_finds__a_rewritten_agent_index, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
