/*
 * test-trust.c: authority rooted in keys (docs/SECURITY.md).
 *
 * Two attackers.  An administrator, who makes accounts and may know a
 * new account's passphrase: an account they made reads nothing until a
 * supervisor or auditor approves it, comparing its key's fingerprint.
 * And a user with write access to the data directory's files (no
 * passphrase), who changes rows through a raw Berkeley DB handle: a
 * role or a "disabled" flag flipped, an approval copied, the oversight
 * or root key replaced, a forged index key sealed to a user.  Each must
 * give the attacker no key, and say so.
 */
#include "config.h"

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "account.h"
#include "audit.h"
#include "casefile.h"
#include "casefile-int.h"
#include "form.h"
#include "helpers.h"
#include "keyring.h"
#include "layout.h"
#include "raw.h"
#include "record.h"
#include "session.h"
#include "store.h"
#include "trust.h"
#include "util.h"
#include "vault.h"
#include "workflow.h"

#define PASS	"une phrase assez longue pour nous"

struct fixture {
	char			*tmp, *data;
	struct store		*s;
	struct formset		*forms;
	struct workflow_set	*flows;
};

struct user {
	struct session		*sess;
	struct casefile_ctx	 ctx;
};

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
	helper_add_user(admin, "sup", "supervisor", PASS);	/* by the root */
	helper_add_user(admin, "reg", "registrar", PASS);
	helper_add_user(admin, "inv", "investigator", PASS);
	session_free(admin);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	if (f->s != NULL)
		store_close(f->s);
	formset_free(f->forms);
	workflow_set_free(f->flows);
	helper_rmrf(f->tmp);
	free(f->tmp);
	free(f->data);
	free(f);
	return (0);
}

/* Sign in and pass on keys, as every front end does. */
static void
in(struct fixture *f, struct user *u, const char *name)
{
	u->sess = helper_signin(f->s, name, PASS);
	helper_ctx(&u->ctx, u->sess, f->forms, f->flows);
}

static void
out(struct user *u)
{
	session_free(u->sess);
	u->sess = NULL;
}

static uint64_t
new_case(struct user *u, const char *summary)
{
	return (helper_new_case(&u->ctx, summary));
}

/* Can this user read the case (not only its clear header)? */
static int
reads(struct user *u, uint64_t id)
{
	struct casefile	*cf;
	char		*cause = NULL;
	int		 readable;

	if (casefile_open(&u->ctx, id, 0, &cf, &cause) != 0) {
		print_message("open: %s\n", cause);
		free(cause);
		return (0);
	}
	readable = cf->readable;
	casefile_free(cf);
	return (readable);
}

static void
admin_add(struct fixture *f, const char *name, const char *role, int approve)
{
	struct session	*admin;

	admin = helper_signin(f->s, "chef", HELPER_ADMIN_PASS);
	if (approve)
		helper_add_user(admin, name, role, PASS);
	else
		helper_add_user_unapproved(admin, name, role, PASS);
	session_free(admin);
}

static void
admin_disable(struct fixture *f, const char *name, int disabled)
{
	struct session	*admin;
	char		*cause = NULL;

	admin = helper_signin(f->s, "chef", HELPER_ADMIN_PASS);
	if (account_set_disabled(admin, name, disabled, &cause) != 0)
		fail_msg("disable %s: %s", name, cause);
	session_free(admin);
}

/* The call is made before *causep is read (arguments have no order). */
static void
assert_fails(int rc, char **causep, const char *words)
{
	char	*cause = *causep;

	assert_int_not_equal(rc, 0);
	assert_non_null(cause);
	print_message("refused: %s\n", cause);
	if (strstr(cause, words) == NULL)
		fail_msg("expected '%s' in: %s", words, cause);
	free(cause);
	*causep = NULL;
}

/* An account row as a file writer reads it: the store closed. */
static struct record *
raw_account_get(struct fixture *f, struct raw *r, const char *name)
{
	struct record	*rec;
	uint8_t		*v;
	size_t		 len;

	store_close(f->s);
	f->s = NULL;
	raw_open(r, f->data, "users.db");
	raw_get(r, name, strlen(name), &v, &len);
	assert_non_null(rec = record_decode(v, len, NULL));
	free(v);
	return (rec);
}

/* ... and writes it back (rec freed), the store opened again. */
static void
raw_account_put(struct fixture *f, struct raw *r, const char *name,
    struct record *rec)
{
	uint8_t	*nv;
	size_t	 nlen;

	record_encode(rec, &nv, &nlen);
	record_free(rec);
	raw_put(r, name, strlen(name), nv, nlen);
	free(nv);
	raw_close(r);
	assert_int_equal(store_open(&f->s, f->data, 0, NULL), 0);
}

/* Rewrite one field of an account row, as a file writer can. */
static void
raw_account(struct fixture *f, const char *name, const char *field,
    const char *str, int64_t num)
{
	struct raw	 r;
	struct record	*rec;

	rec = raw_account_get(f, &r, name);
	if (str != NULL)
		record_set_str(rec, field, str);
	else
		record_set_int(rec, field, num);
	raw_account_put(f, &r, name, rec);
}

/*
 * The administrator makes a supervisor and knows its passphrase: the
 * account reads nothing, however many holders sign in, until an approved
 * supervisor approves it with the fingerprint its owner reads out.
 */
static void
trust__admin_made_supervisor__reads_nothing_until_approved(void **state)
{
	struct fixture	*f = *state;
	struct user	 sup, sup2, reg;
	struct session	*admin;
	char		 fp[VAULT_FINGERPRINT_LEN], *cause = NULL;
	uint64_t	 id;

	admin_add(f, "sup2", "supervisor", 0);
	in(f, &reg, "reg");
	id = new_case(&reg, "Arrestation au poste de Sévaré");
	out(&reg);
	in(f, &sup, "sup");		/* a holder signs in: passes nothing */
	assert_true(reads(&sup, id));
	in(f, &sup2, "sup2");
	assert_false(reads(&sup2, id));

	/* Neither the account itself, nor the admin, nor a wrong print. */
	helper_fingerprint(f->s, "sup2", fp);
	assert_fails(trust_approve(sup2.sess, "sup2", fp, NULL, &cause), &cause,
	    "approved can approve");
	admin = helper_signin(f->s, "chef", HELPER_ADMIN_PASS);
	assert_fails(trust_approve(admin, "sup2", fp, NULL, &cause), &cause,
	    "Only a supervisor or auditor");
	session_free(admin);
	assert_fails(trust_approve(sup.sess, "sup2",
	    "0000 0000 0000 0000 0000 0000 0000 0000", NULL, &cause), &cause,
	    "does not match");
	out(&sup2);
	in(f, &sup2, "sup2");
	assert_false(reads(&sup2, id));

	/* Approved by an approved supervisor: now it reads. */
	if (trust_approve(sup.sess, "sup2", fp, NULL, &cause) != 0)
		fail_msg("approve: %s", cause);
	assert_fails(trust_approve(sup.sess, "sup2", fp, NULL, &cause), &cause,
	    "already approved");
	out(&sup2);
	in(f, &sup2, "sup2");
	assert_true(reads(&sup2, id));
	out(&sup2);
	out(&sup);
}

/* Nothing is given to an account that still has the admin's passphrase. */
static void
trust__refuses__an_account_with_its_initial_passphrase(void **state)
{
	struct fixture	*f = *state;
	struct session	*admin;
	struct user	 sup;
	char		 fp[VAULT_FINGERPRINT_LEN], *cause = NULL;

	admin = helper_signin(f->s, "chef", HELPER_ADMIN_PASS);
	assert_int_equal(account_add(admin, "neuf", ROLE_INVESTIGATOR, PASS,
	    strlen(PASS), 1, &cause), 0);
	session_free(admin);
	helper_fingerprint(f->s, "neuf", fp);
	in(f, &sup, "sup");
	assert_fails(trust_approve(sup.sess, "neuf", fp, NULL, &cause), &cause,
	    "has not chosen their own passphrase");
	out(&sup);
}

/*
 * A file writer makes the registrar an auditor: no oversight key reaches
 * it when a supervisor signs in, and nobody can assign it a case.
 */
static void
trust__role_flipped_by_hand__yields_no_key(void **state)
{
	struct fixture	*f = *state;
	struct user	 sup, reg;
	char		*cause = NULL;
	uint64_t	 id;

	in(f, &sup, "sup");
	id = new_case(&sup, "Racket au poste de Gao");
	out(&sup);
	raw_account(f, "reg", "role", "auditor", 0);
	in(f, &sup, "sup");		/* a holder passes keys on */
	out(&sup);
	in(f, &reg, "reg");
	assert_false(reads(&reg, id));
	out(&reg);
	raw_account(f, "reg", "role", "investigator", 0);
	in(f, &sup, "sup");
	assert_fails(casefile_assign(&sup.ctx, id, "reg", 1, &cause), &cause,
	    "does not match its approval");
	out(&sup);
	in(f, &reg, "reg");
	assert_false(reads(&reg, id));
	out(&reg);
}

/*
 * Disabling takes the approval away; a file writer who clears the flag
 * gets an account that receives nothing, and enabling it again asks for
 * a new approval.  What a disabled supervisor approved stays approved.
 */
static void
trust__disabled_flag_cleared_by_hand__yields_no_key(void **state)
{
	struct fixture	*f = *state;
	struct user	 sup, inv;
	char		 fp[VAULT_FINGERPRINT_LEN], *cause = NULL;
	uint64_t	 id;

	admin_add(f, "inv2", "investigator", 0);
	in(f, &sup, "sup");
	helper_fingerprint(f->s, "inv2", fp);
	if (trust_approve(sup.sess, "inv2", fp, NULL, &cause) != 0)
		fail_msg("approve: %s", cause);
	out(&sup);

	admin_disable(f, "inv", 1);
	raw_account(f, "inv", "disabled", NULL, 0);
	in(f, &sup, "sup");
	id = new_case(&sup, "Torture alléguée à Mopti");
	assert_fails(casefile_assign(&sup.ctx, id, "inv", 1, &cause), &cause,
	    "has not been approved");
	out(&sup);
	in(f, &inv, "inv");
	assert_false(reads(&inv, id));
	out(&inv);

	/* Enabled by the admin: still awaiting a second person. */
	admin_disable(f, "inv", 0);
	in(f, &sup, "sup");
	assert_fails(casefile_assign(&sup.ctx, id, "inv", 1, &cause), &cause,
	    "has not been approved");
	out(&sup);

	/*
	 * inv2 was approved by sup; sup is disabled: its approvals no
	 * longer vouch (with the key it kept, it could date one before its
	 * disabling), and a second person approves inv2 again.
	 */
	admin_add(f, "sup3", "supervisor", 1);
	admin_disable(f, "sup", 1);
	in(f, &sup, "sup3");
	assert_fails(casefile_assign(&sup.ctx, id, "inv2", 1, &cause), &cause,
	    "no longer an approved supervisor");
	helper_fingerprint(f->s, "inv2", fp);
	if (trust_approve(sup.sess, "inv2", fp, NULL, &cause) != 0 ||
	    casefile_assign(&sup.ctx, id, "inv2", 1, &cause) != 0)
		fail_msg("approve and assign inv2: %s", cause);
	out(&sup);

	/* Enabled again, sup approves nobody until approved itself. */
	admin_disable(f, "sup", 0);
	admin_add(f, "inv4", "investigator", 0);
	sup.sess = helper_signin(f->s, "sup", PASS);
	helper_fingerprint(f->s, "inv4", fp);
	assert_fails(trust_approve(sup.sess, "inv4", fp, NULL, &cause), &cause,
	    "approved can approve");
	session_free(sup.sess);
}

struct approve_op {
	const char			*name;
	const struct account_approval	*ap;
};

static int
approve_txn(struct store_txn *t, void *arg, char **cause)
{
	struct approve_op	*op = arg;

	return (account_approve_in(t, op->name, op->ap, cause));
}

/*
 * A disabled supervisor kept their signing key and can write the files:
 * they sign an approval for an account of their own.  It does not
 * vouch: the approver is no longer approved.
 */
static void
trust__disabled_supervisor__cannot_forge_an_approval(void **state)
{
	struct fixture		*f = *state;
	struct user		 sup;
	struct session		*old;
	struct account		*ghost;
	struct account_approval	 ap;
	char			 fp[VAULT_FINGERPRINT_LEN], *cause = NULL;
	uint64_t		 id;

	admin_add(f, "sup2", "supervisor", 1);
	admin_add(f, "ghost", "supervisor", 0);
	old = helper_signin(f->s, "sup2", PASS);	/* keeps its keys */
	admin_disable(f, "sup2", 1);
	/* What sup2 can sign with the key it kept, written by hand. */
	helper_fingerprint(f->s, "ghost", fp);
	assert_int_equal(account_get(f->s, "ghost", &ghost, NULL), 0);
	memset(&ap, 0, sizeof ap);
	ap.by = (char *)"sup2";
	ap.at = 1;
	trust_sign_approval(ghost, old->id, &ap);
	{
		struct approve_op	 op = { "ghost", &ap };

		assert_int_equal(store_run(f->s, approve_txn, &op, NULL), 0);
	}
	account_free(ghost);
	session_free(old);
	in(f, &sup, "sup");
	id = new_case(&sup, "Torture alléguée à Mopti");
	assert_fails(casefile_assign(&sup.ctx, id, "ghost", 1, &cause), &cause,
	    "no longer an approved supervisor");
	out(&sup);
}

static void
collect(const char *sentence, void *arg)
{
	char	**all = arg, *s;

	xasprintf(&s, "%s%s\n", *all != NULL ? *all : "", sentence);
	free(*all);
	*all = s;
}

/* An approval copied from another account's row does not verify. */
static void
trust__copied_approval__is_refused(void **state)
{
	struct fixture	*f = *state;
	struct user	 sup;
	struct raw	 r;
	struct record	*from, *to;
	uint8_t		*v, *nv;
	size_t		 len, nlen;
	const char	*fields[] = { "approved_by", "approved_at", "approval" };
	const void	*x;
	size_t		 i, xlen;
	char		*cause = NULL;
	uint64_t	 id;

	admin_add(f, "inv3", "investigator", 0);
	store_close(f->s);
	f->s = NULL;
	raw_open(&r, f->data, "users.db");
	raw_get(&r, "inv", 3, &v, &len);
	from = record_decode(v, len, NULL);
	free(v);
	raw_get(&r, "inv3", 4, &v, &len);
	to = record_decode(v, len, NULL);
	free(v);
	assert_non_null(from);
	assert_non_null(to);
	for (i = 0; i < 3; i++) {
		assert_non_null(x = record_get(from, fields[i], &xlen));
		record_set(to, fields[i], x, xlen);
	}
	record_encode(to, &nv, &nlen);
	raw_put(&r, "inv3", 4, nv, nlen);
	free(nv);
	record_free(from);
	record_free(to);
	raw_close(&r);
	assert_int_equal(store_open(&f->s, f->data, 0, NULL), 0);

	in(f, &sup, "sup");
	id = new_case(&sup, "Détention prolongée à Kayes");
	assert_fails(casefile_assign(&sup.ctx, id, "inv3", 1, &cause), &cause,
	    "does not match its approval");
	out(&sup);
	/* And 'dossier check' finds an approval the audit log never saw. */
	{
		char	*all = NULL;
		size_t	 problems;

		assert_int_equal(trust_check_accounts(f->s, collect, &all,
		    &problems, &cause), 0);
		assert_int_equal(problems, 1);
		assert_non_null(strstr(all, "'inv3' carries an approval"));
		free(all);
	}
}

/* Sign a statement for an attacker's oversight key with an own key. */
static void
forge_oversight(struct fixture *f, int with_root_name)
{
	struct vault_identity	*evil = vault_identity_generate();
	struct record		*rec;
	struct raw		 r;
	uint8_t			 sig[VAULT_SIG_LEN], *v;
	size_t			 len;
	const char		*key = meta_key_name(META_ORG_OVERSIGHT);

	memset(sig, 0x5a, sizeof sig);
	rec = record_create();
	record_set(rec, "value", vault_identity_box_pk(evil), VAULT_PK_LEN);
	record_set_int(rec, "epoch", 2);
	record_set_str(rec, "by", with_root_name ? TRUST_ROOT : "sup");
	record_set(rec, "sig", sig, sizeof sig);
	record_encode(rec, &v, &len);
	record_free(rec);
	store_close(f->s);
	f->s = NULL;
	raw_open(&r, f->data, "meta.db");
	raw_put(&r, key, strlen(key), v, len);
	raw_close(&r);
	free(v);
	vault_identity_free(evil);
	assert_int_equal(store_open(&f->s, f->data, 0, NULL), 0);
}

/*
 * A file writer puts their own key in place of the oversight key: every
 * new case key would be sealed to them.  Registering refuses instead.
 */
static void
trust__replaced_oversight_key__makes_sealing_refuse(void **state)
{
	struct fixture		*f = *state;
	struct user		 reg;
	struct casefile_summary	*list;
	struct record		*r;
	size_t			 n, before;
	char			*ref, *cause = NULL;
	int			 pass;

	in(f, &reg, "reg");
	new_case(&reg, "Arrestation au poste de Sévaré");
	assert_int_equal(casefile_list(&reg.ctx, NULL, &list, &before,
	    &cause), 0);
	casefile_list_free(list, before);
	out(&reg);
	for (pass = 0; pass < 2; pass++) {
		forge_oversight(f, pass == 0);
		in(f, &reg, "reg");
		r = helper_intake("Racket au poste de Gao");
		assert_fails(casefile_create(&reg.ctx, "inspection", r, &ref,
		    &cause), &cause, "not the one the organisation signed");
			record_free(r);
		assert_int_equal(casefile_list(&reg.ctx, NULL, &list, &n,
		    &cause), 0);
		casefile_list_free(list, n);
		assert_int_equal(n, before);	/* nothing was saved */
		out(&reg);
	}
}

/* The root key replaced in the store: nobody signs in against it. */
static void
trust__replaced_root_key__refuses_sign_in(void **state)
{
	struct fixture		*f = *state;
	struct vault_identity	*evil = vault_recovery_generate();
	struct session		*sess;
	struct raw		 r;
	const char		*key = meta_key_name(META_ROOT_PK);
	char			*cause = NULL;

	store_close(f->s);
	f->s = NULL;
	raw_open(&r, f->data, "meta.db");
	raw_put(&r, key, strlen(key), vault_identity_sign_pk(evil),
	    VAULT_PK_LEN);
	raw_close(&r);
	vault_identity_free(evil);
	assert_int_equal(store_open(&f->s, f->data, 0, NULL), 0);
	assert_fails(session_signin(f->s, "sup", PASS, strlen(PASS), &sess,
	    &cause), &cause, "root key has changed");
}

/*
 * The same in the account rows too (every approval re-signed with the
 * attacker's key would then verify): the root is bound into each
 * account's locked keys, so the account no longer unlocks.
 */
static void
trust__root_key_replaced_in_every_row__does_not_unlock(void **state)
{
	struct fixture		*f = *state;
	struct vault_identity	*evil = vault_recovery_generate();
	struct session		*sess;
	struct raw		 r;
	const char		*key = meta_key_name(META_ROOT_PK);
	char			*cause = NULL, *ad;
	uint8_t			 zero[VAULT_PK_LEN];

	/* Both pins are in the associated data, whole. */
	memset(zero, 0xab, sizeof zero);
	ad = layout_ad_account("sup", zero, vault_identity_sign_pk(evil));
	assert_int_equal(strlen(ad), strlen("dossier-user:sup:") + 128);
	assert_non_null(strstr(ad, "abababab"));
	free(ad);

	store_close(f->s);
	f->s = NULL;
	raw_open(&r, f->data, "meta.db");
	raw_put(&r, key, strlen(key), vault_identity_sign_pk(evil),
	    VAULT_PK_LEN);
	raw_close(&r);
	assert_int_equal(store_open(&f->s, f->data, 0, NULL), 0);
	{
		struct record	*rec;
		uint8_t		*v, *nv;
		size_t		 len, nlen;

		store_close(f->s);
		f->s = NULL;
		raw_open(&r, f->data, "users.db");
		raw_get(&r, "sup", 3, &v, &len);
		rec = record_decode(v, len, NULL);
		free(v);
		record_set(rec, "root_pk", vault_identity_sign_pk(evil),
		    VAULT_PK_LEN);
		record_encode(rec, &nv, &nlen);
		record_free(rec);
		raw_put(&r, "sup", 3, nv, nlen);
		free(nv);
		raw_close(&r);
		assert_int_equal(store_open(&f->s, f->data, 0, NULL), 0);
	}
	vault_identity_free(evil);
	assert_int_not_equal(session_signin(f->s, "sup", PASS, strlen(PASS),
	    &sess, &cause), 0);
	print_message("refused: %s\n", cause);
	free(cause);
}

struct seal_op {
	const char		*label, *name;
	const uint8_t		*pk;
	struct vault_key	*k;
};

static int
seal_txn(struct store_txn *t, void *arg, char **cause)
{
	struct seal_op	*op = arg;

	return (keyring_seal(t, op->label, op->k, op->name, op->pk, cause));
}

/*
 * A file writer seals their own index key to an investigator (a user's
 * public key is public): blind indexes made with it would let them test
 * service numbers.  It is refused before use.
 */
static void
trust__forged_index_key__is_not_used(void **state)
{
	struct fixture	*f = *state;
	struct user	 sup, inv;
	struct account	*a;
	struct seal_op	 op;
	struct record	*r;
	char		*cause = NULL;
	uint64_t	 id, rid;

	in(f, &sup, "sup");
	id = new_case(&sup, "Racket au poste de Gao");
	if (casefile_assign(&sup.ctx, id, "inv", 1, &cause) != 0)
		fail_msg("assign: %s", cause);
	out(&sup);
	assert_int_equal(account_get(f->s, "inv", &a, NULL), 0);
	op.label = LAYOUT_LABEL_INDEX;
	op.name = "inv";
	op.pk = a->box_pk;
	op.k = vault_key_generate();
	assert_int_equal(store_run(f->s, seal_txn, &op, NULL), 0);
	vault_key_free(op.k);
	account_free(a);
	in(f, &inv, "inv");
	/* The key is used to index an agent's service number. */
	r = record_create();
	record_set_str(r, "role", "agent");
	record_set_str(r, "full_name", "Sgt Traoré");
	record_set_str(r, "service_number", "PN4471");
	assert_fails(casefile_add(&inv.ctx, id, "person", r, &rid, &cause),
	    &cause, "is not the organisation's");
	record_free(r);
	out(&inv);
}

struct key_op {
	const char			*label, *name;
	const struct vault_identity	*id;
	struct vault_key		*k;
	uint64_t			 cid, n;
	int				 type;
	struct record			*env;
};

static int
open_key_txn(struct store_txn *t, void *arg, char **cause)
{
	struct key_op	*op = arg;

	return (keyring_open(t, op->label, op->name, op->id, &op->k, cause));
}

static int
get_env_txn(struct store_txn *t, void *arg, char **cause)
{
	struct key_op	*op = arg;
	uint8_t		 k[LAYOUT_RECORD_KEYLEN], *v;
	size_t		 len;
	int		 rc;

	layout_record_key(k, op->cid, op->type, op->n);
	if ((rc = store_get(t, STORE_RECORDS, k, sizeof k, &v, &len,
	    cause)) != 0)
		return (rc);
	op->env = record_decode(v, len, cause);
	free(v);
	return (op->env == NULL ? -1 : 0);
}

/* The key a user holds, as they could keep a copy of it. */
static struct vault_key *
kept_key(struct fixture *f, struct user *u, const char *label)
{
	struct key_op	 op;
	char		*cause = NULL;

	memset(&op, 0, sizeof op);
	op.label = label;
	op.name = u->sess->user->name;
	op.id = u->sess->id;
	if (store_run(f->s, open_key_txn, &op, &cause) != 0)
		fail_msg("open %s: %s", label, cause);
	return (op.k);
}

/* Does key k open field name of a stored record, with this ad? */
static int
opens(struct fixture *f, const struct vault_key *k, uint64_t id, uint64_t rid,
    const char *name, const char *ad)
{
	struct key_op	 op;
	const void	*ct;
	uint8_t		*pt;
	size_t		 ctlen, ptlen;
	int		 ok;

	memset(&op, 0, sizeof op);
	op.cid = id;
	op.type = LAYOUT_RECORD;
	op.n = rid;
	assert_int_equal(store_run(f->s, get_env_txn, &op, NULL), 0);
	assert_non_null(ct = record_get(op.env, name, &ctlen));
	ok = vault_decrypt(k, ad, ct, ctlen, &pt, &ptlen, NULL) == 0;
	if (ok) {
		wipe(pt, ptlen);
		free(pt);
	}
	record_free(op.env);
	return (ok);
}

static int64_t
env_int(struct fixture *f, uint64_t id, uint64_t rid, const char *name)
{
	struct key_op	 op;
	int64_t		 v;

	memset(&op, 0, sizeof op);
	op.cid = id;
	op.type = LAYOUT_RECORD;
	op.n = rid;
	assert_int_equal(store_run(f->s, get_env_txn, &op, NULL), 0);
	v = record_get_int(op.env, name, 0);
	record_free(op.env);
	return (v);
}

/*
 * A grant taken back: the user's copy goes, and a copy of the key they
 * kept opens nothing of it from then on: both the witness's identity and
 * the case are re-encrypted under new keys at once.
 */
static void
trust__revoked_grant__no_longer_opens_the_next_version(void **state)
{
	struct fixture		*f = *state;
	struct user		 sup, inv, inv2;
	struct casefile		*cf;
	struct record		*r;
	struct vault_key	*ck, *wk;
	char			*label, *ad, *cause = NULL;
	uint64_t		 id, w, rid;

	admin_add(f, "inv2", "investigator", 1);
	in(f, &sup, "sup");
	id = new_case(&sup, "Arrestation au poste de Sévaré");
	if (casefile_assign(&sup.ctx, id, "inv", 1, &cause) != 0 ||
	    casefile_grant(&sup.ctx, id, 0, "inv2", &cause) != 0)
		fail_msg("assign/grant: %s", cause);
	in(f, &inv, "inv");
	r = record_create();
	record_set_str(r, "full_name", "Aminata Diallo");
	record_set_str(r, "phone", "+223 76 11 22 33");
	record_set_str(r, "role", "direct");
	if (casefile_add(&inv.ctx, id, "witness", r, &w, &cause) != 0)
		fail_msg("witness: %s", cause);
	record_free(r);
	if (casefile_grant(&inv.ctx, id, w, "inv2", &cause) != 0)
		fail_msg("grant witness: %s", cause);
	in(f, &inv2, "inv2");
	assert_true(reads(&inv2, id));
	label = layout_label_case(id);
	ck = kept_key(f, &inv2, label);
	free(label);
	label = layout_label_witness(id, w);
	wk = kept_key(f, &inv2, label);
	free(label);
	out(&inv2);

	/* The witness: revoked by its holder, re-encrypted at once. */
	assert_fails(casefile_revoke(&inv.ctx, id, w, "inv", &cause), &cause,
	    "your own access");
	if (casefile_revoke(&inv.ctx, id, w, "inv2", &cause) != 0)
		fail_msg("revoke witness: %s", cause);
	ad = layout_ad_witness(id, w, env_int(f, id, w, "wv"));
	assert_false(opens(f, wk, id, w, "wbody", ad));
	free(ad);
	/* Its holder still reads the identity. */
	assert_int_equal(casefile_open(&inv.ctx, id, CASEFILE_WITNESSES, &cf,
	    &cause), 0);
	assert_false(casefile_rec(cf, w)->witness_locked);
	casefile_free(cf);

	/* The case: revoked by a supervisor, re-encrypted at once. */
	assert_fails(casefile_revoke(&sup.ctx, id, 0, "inv", &cause), &cause,
	    "unassign them instead");
	ad = layout_ad_record(id, "intake", 0, env_int(f, id, 0, "v"));
	assert_true(opens(f, ck, id, 0, "body", ad));
	free(ad);
	if (casefile_revoke(&sup.ctx, id, 0, "inv2", &cause) != 0)
		fail_msg("revoke case: %s", cause);
	ad = layout_ad_record(id, "intake", 0, env_int(f, id, 0, "v"));
	assert_false(opens(f, ck, id, 0, "body", ad));
	free(ad);
	r = record_create();
	record_set_str(r, "role", "victim");
	record_set_str(r, "full_name", "Moussa Keita");
	if (casefile_add(&inv.ctx, id, "person", r, &rid, &cause) != 0)
		fail_msg("add: %s", cause);
	record_free(r);
	ad = layout_ad_record(id, "person", rid, env_int(f, id, rid, "v"));
	assert_false(opens(f, ck, id, rid, "body", ad));
	free(ad);
	in(f, &inv2, "inv2");
	assert_false(reads(&inv2, id));
	out(&inv2);
	out(&inv);
	out(&sup);
	vault_key_free(ck);
	vault_key_free(wk);
}

static uint64_t
add_agent(struct user *u, uint64_t id, const char *number)
{
	struct record	*r = record_create();
	char		*cause = NULL;
	uint64_t	 rid;

	record_set_str(r, "role", "agent");
	record_set_str(r, "full_name", "Sgt Traoré");
	record_set_str(r, "service_number", number);
	if (casefile_add(&u->ctx, id, "person", r, &rid, &cause) != 0)
		fail_msg("agent: %s", cause);
	record_free(r);
	return (rid);
}

struct epoch_op {
	const struct account	*viewer;
	const char		*label;
	int64_t			 epoch;
};

static int
epoch_txn(struct store_txn *t, void *arg, char **cause)
{
	struct epoch_op	*op = arg;
	uint8_t		 v[TRUST_VALUE_LEN];

	return (trust_org_state(t, op->viewer, op->label, v, &op->epoch,
	    cause));
}

static int64_t
epoch(struct fixture *f, struct user *u, const char *label)
{
	struct epoch_op	 op;
	char		*cause = NULL;

	op.viewer = u->sess->user;
	op.label = label;
	if (store_run(f->s, epoch_txn, &op, &cause) != 0)
		fail_msg("epoch: %s", cause);
	return (op.epoch);
}

/* Does the identity made from seed open the case's copy for oversight? */
static int
seed_opens(struct fixture *f, const struct vault_key *seed, uint64_t id)
{
	struct key_op		 op;
	struct vault_identity	*ov = vault_identity_from_key(seed);
	int			 ok;

	memset(&op, 0, sizeof op);
	op.label = layout_label_case(id);
	op.name = LAYOUT_OVERSIGHT;
	op.id = ov;
	ok = store_run(f->s, open_key_txn, &op, NULL) == 0;
	vault_key_free(op.k);
	free((char *)op.label);
	vault_identity_free(ov);
	return (ok);
}

/*
 * A supervisor leaves with a copy of the oversight and index keys.  Once
 * they are disabled, the next supervisor who signs in replaces both: new
 * cases, and old ones at their next change, are sealed to a key the copy
 * does not open; earlier cases still open for the others, and an agent
 * indexed before is still found.
 */
static void
trust__disabling_a_supervisor__rotates_the_organisation_keys(void **state)
{
	struct fixture		*f = *state;
	struct user		 sup, sup2, inv;
	struct vault_key	*seed, *index;
	uint64_t		*ids, id1, id2;
	size_t			 n;
	char			*cause = NULL;

	admin_add(f, "sup2", "supervisor", 1);
	in(f, &sup, "sup");
	id1 = new_case(&sup, "Arrestation au poste de Sévaré");
	if (casefile_assign(&sup.ctx, id1, "inv", 1, &cause) != 0)
		fail_msg("assign: %s", cause);
	out(&sup);
	in(f, &inv, "inv");
	add_agent(&inv, id1, "PN-4471");
	out(&inv);
	in(f, &sup2, "sup2");
	assert_int_equal(epoch(f, &sup2, LAYOUT_LABEL_OVERSIGHT), 1);
	seed = kept_key(f, &sup2, LAYOUT_LABEL_OVERSIGHT);
	index = kept_key(f, &sup2, LAYOUT_LABEL_INDEX);
	assert_true(seed_opens(f, seed, id1));
	out(&sup2);

	admin_disable(f, "sup2", 1);
	in(f, &sup, "sup");		/* replaces both keys */
	assert_int_equal(epoch(f, &sup, LAYOUT_LABEL_OVERSIGHT), 2);
	assert_int_equal(epoch(f, &sup, LAYOUT_LABEL_INDEX), 2);
	id2 = new_case(&sup, "Racket au poste de Gao");
	assert_false(seed_opens(f, seed, id2));
	/* The earlier case opens, through the archived key. */
	assert_true(reads(&sup, id1));
	out(&sup);
	in(f, &inv, "inv");
	assert_true(seed_opens(f, seed, id1));	/* until its next change */
	add_agent(&inv, id1, "PN-9001");
	assert_false(seed_opens(f, seed, id1));
	out(&inv);

	/* The agent indexed under the old key is still found. */
	in(f, &sup, "sup");
	if (casefile_agent_cases(&sup.ctx, "PN-4471", &ids, &n, &cause) != 0)
		fail_msg("agent: %s", cause);
	assert_int_equal(n, 1);
	assert_true(ids[0] == id1);
	free(ids);
	assert_true(reads(&sup, id1));
	assert_true(reads(&sup, id2));
	out(&sup);
	vault_key_free(seed);
	vault_key_free(index);
}

struct forge_op {
	struct session	*sess;
};

static int
forge_txn(struct store_txn *t, void *arg, char **cause)
{
	struct forge_op	*op = arg;
	int		 rc;

	if ((rc = audit_appendf(t, &op->sess->signer, "user.enable", NULL,
	    cause, "inv")) != 0)
		return (rc);
	return (audit_appendf(t, &op->sess->signer, "user.approve", NULL,
	    cause, "inv role=investigator key=0000 by=@root"));
}

/*
 * A file writer puts back a disabled investigator's row as it was before
 * the disabling (its approval included): a rollback that no signature
 * catches, but 'dossier check' compares every account with the audit log.
 */
static void
trust__check_finds__an_account_row_put_back(void **state)
{
	struct fixture	*f = *state;
	struct session	*kept;
	struct raw	 r;
	uint8_t		*v;
	size_t		 len, problems;
	char		*all = NULL, *cause = NULL;

	assert_int_equal(trust_check_accounts(f->s, collect, &all, &problems,
	    &cause), 0);
	assert_int_equal(problems, 0);
	kept = helper_signin(f->s, "inv", PASS);
	store_close(f->s);
	f->s = NULL;
	raw_open(&r, f->data, "users.db");
	raw_get(&r, "inv", 3, &v, &len);
	raw_close(&r);
	assert_int_equal(store_open(&f->s, f->data, 0, NULL), 0);
	admin_disable(f, "inv", 1);
	store_close(f->s);
	f->s = NULL;
	raw_open(&r, f->data, "users.db");
	raw_put(&r, "inv", 3, v, len);
	raw_close(&r);
	free(v);
	assert_int_equal(store_open(&f->s, f->data, 0, NULL), 0);
	assert_int_equal(trust_check_accounts(f->s, collect, &all, &problems,
	    &cause), 0);
	print_message("check: %s", all);
	assert_int_equal(problems, 1);
	assert_non_null(strstr(all, "'inv' was disabled"));
	free(all);
	all = NULL;

	/* She adds entries of her own, signed with the key she kept. */
	{
		struct forge_op	 op = { kept };

		assert_int_equal(store_run(f->s, forge_txn, &op, &cause), 0);
	}
	session_free(kept);
	assert_int_equal(trust_check_accounts(f->s, collect, &all, &problems,
	    &cause), 0);
	print_message("check: %s", all);
	assert_int_equal(problems, 1);
	free(all);
}

/*
 * The owner read their fingerprint to the approver; then the admin, who
 * can write the files, swaps the account's box key for one of theirs.
 * The fingerprint covers the box key too: the approval is refused.
 */
static void
trust__box_key_swapped_after_the_fingerprint_was_read__is_refused(void **state)
{
	struct fixture		*f = *state;
	struct vault_identity	*evil = vault_identity_generate();
	struct user		 sup;
	struct raw		 r;
	struct record		*rec;
	uint8_t			*v, *nv;
	size_t			 len, nlen;
	char			 fp[VAULT_FINGERPRINT_LEN], *cause = NULL;

	admin_add(f, "newsup", "supervisor", 0);
	helper_fingerprint(f->s, "newsup", fp);	/* read out by the owner */
	store_close(f->s);
	f->s = NULL;
	raw_open(&r, f->data, "users.db");
	raw_get(&r, "newsup", 6, &v, &len);
	rec = record_decode(v, len, NULL);
	free(v);
	record_set(rec, "box_pk", vault_identity_box_pk(evil), VAULT_PK_LEN);
	record_encode(rec, &nv, &nlen);
	record_free(rec);
	raw_put(&r, "newsup", 6, nv, nlen);
	free(nv);
	raw_close(&r);
	vault_identity_free(evil);
	assert_int_equal(store_open(&f->s, f->data, 0, NULL), 0);
	in(f, &sup, "sup");
	assert_fails(trust_approve(sup.sess, "newsup", fp, NULL, &cause),
	    &cause, "does not match");
	out(&sup);
}

/*
 * A row of a table, as a file writer reads (put 0), writes (put 1) or
 * deletes it (put 1, *v NULL): the store closed meanwhile.
 */
static void
raw_row(struct fixture *f, const char *table, const void *key, size_t klen,
    uint8_t **v, size_t *len, int put)
{
	struct raw	 rw;

	store_close(f->s);
	f->s = NULL;
	raw_open(&rw, f->data, table);
	if (put && *v != NULL)
		raw_put(&rw, key, klen, *v, *len);
	else if (put)
		raw_del(&rw, key, klen);
	else
		raw_get(&rw, key, klen, v, len);
	raw_close(&rw);
	assert_int_equal(store_open(&f->s, f->data, 0, NULL), 0);
}

/* A row of meta. */
static void
raw_meta(struct fixture *f, const char *key, uint8_t **v, size_t *len,
    int put)
{
	raw_row(f, "meta.db", key, strlen(key), v, len, put);
}

/* The row of label's copy sealed to recipient, read or written raw. */
static void
raw_copy(struct fixture *f, const char *label, const char *recipient,
    uint8_t **v, size_t *len, int put)
{
	char	*k;
	size_t	 l1 = strlen(label), l2 = strlen(recipient);

	k = xmalloc(l1 + 1 + l2);
	memcpy(k, label, l1);
	k[l1] = '\0';
	memcpy(k + l1 + 1, recipient, l2);
	raw_row(f, "keys.db", k, l1 + 1 + l2, v, len, put);
	free(k);
}

/* Write a row of the keys table (NULL: delete it). */
static void
raw_key_row(struct fixture *f, const char *label, const char *recipient,
    const uint8_t *v, size_t len)
{
	uint8_t	*val = (uint8_t *)v;

	raw_copy(f, label, recipient, &val, &len, 1);
}

/*
 * An approved investigator who can write the files plants a row naming
 * themselves as a holder of a case and of a witness they were never
 * given, and waits for a re-key: the new keys go only to the holders the
 * signed header names.
 */
static void
trust__planted_holder_rows__get_nothing_at_a_rekey(void **state)
{
	struct fixture	*f = *state;
	struct user	 sup, inv, inv2;
	struct record	*r;
	uint8_t		 junk[VAULT_SEALED_LEN];
	char		*label, *cause = NULL;
	uint64_t	 id, w, rid;

	admin_add(f, "inv2", "investigator", 1);
	admin_add(f, "inv3", "investigator", 1);
	in(f, &sup, "sup");
	id = new_case(&sup, "Arrestation au poste de Sévaré");
	if (casefile_assign(&sup.ctx, id, "inv", 1, &cause) != 0 ||
	    casefile_assign(&sup.ctx, id, "inv3", 1, &cause) != 0 ||
	    casefile_grant(&sup.ctx, id, 0, "inv2", &cause) != 0)
		fail_msg("assign: %s", cause);
	out(&sup);
	in(f, &inv, "inv");
	r = record_create();
	record_set_str(r, "full_name", "Aminata Diallo");
	record_set_str(r, "role", "direct");
	if (casefile_add(&inv.ctx, id, "witness", r, &w, &cause) != 0)
		fail_msg("witness: %s", cause);
	record_free(r);
	if (casefile_grant(&inv.ctx, id, w, "inv2", &cause) != 0)
		fail_msg("grant: %s", cause);
	out(&inv);

	/* inv3 plants a witness row for itself; inv2's grant is revoked. */
	memset(junk, 0, sizeof junk);
	label = layout_label_witness(id, w);
	raw_key_row(f, label, "inv3", junk, sizeof junk);
	free(label);
	in(f, &inv, "inv");
	if (casefile_revoke(&inv.ctx, id, w, "inv2", &cause) != 0)
		fail_msg("revoke: %s", cause);
	out(&inv);
	label = layout_label_witness(id, w);
	{
		struct user	 x;
		struct casefile	*cf;

		in(f, &x, "inv3");
		assert_int_equal(casefile_open(&x.ctx, id, CASEFILE_WITNESSES,
		    &cf, &cause), 0);
		assert_true(casefile_rec(cf, w)->witness_locked);
		casefile_free(cf);
		out(&x);
	}
	free(label);

	/* inv3 is unassigned, plants a case row, the case is re-keyed. */
	in(f, &sup, "sup");
	if (casefile_assign(&sup.ctx, id, "inv3", 0, &cause) != 0)
		fail_msg("unassign: %s", cause);
	out(&sup);
	label = layout_label_case(id);
	raw_key_row(f, label, "inv3", junk, sizeof junk);
	free(label);
	in(f, &inv, "inv");
	r = record_create();
	record_set_str(r, "role", "victim");
	record_set_str(r, "full_name", "Moussa Keita");
	if (casefile_add(&inv.ctx, id, "person", r, &rid, &cause) != 0)
		fail_msg("add: %s", cause);
	record_free(r);
	out(&inv);
	in(f, &inv2, "inv3");
	assert_false(reads(&inv2, id));
	out(&inv2);
	in(f, &inv2, "inv2");
	assert_true(reads(&inv2, id));	/* its grant stands */
	out(&inv2);
}

/*
 * A file writer seals a case key of their own making to the investigator
 * (a sealed copy names no sealer): the next change would be written
 * under a key they know.  The manifest, keyed by the real case key, is
 * checked before anything is written: nothing is.
 */
static void
trust__planted_case_key__writes_nothing(void **state)
{
	struct fixture	*f = *state;
	struct user	 sup, inv;
	struct account	*a;
	struct seal_op	 op;
	struct record	*r;
	char		*cause = NULL;
	uint64_t	 id, rid;

	in(f, &sup, "sup");
	id = new_case(&sup, "Racket au poste de Gao");
	if (casefile_assign(&sup.ctx, id, "inv", 1, &cause) != 0)
		fail_msg("assign: %s", cause);
	out(&sup);
	assert_int_equal(account_get(f->s, "inv", &a, NULL), 0);
	op.label = layout_label_case(id);
	op.name = "inv";
	op.pk = a->box_pk;
	op.k = vault_key_generate();
	assert_int_equal(store_run(f->s, seal_txn, &op, NULL), 0);
	vault_key_free(op.k);
	free((char *)op.label);
	account_free(a);
	in(f, &inv, "inv");
	r = record_create();
	record_set_str(r, "role", "victim");
	record_set_str(r, "full_name", "Moussa Keita");
	assert_fails(casefile_add(&inv.ctx, id, "person", r, &rid, &cause),
	    &cause, "not made with the case key");
	record_free(r);
	out(&inv);
}

/*
 * A disabled investigator kept the case key and deletes the mark that
 * asks for a new one (rekey/ID in the index table): the case still gets
 * a new key at its next change, because its signed header names an
 * account the organisation no longer vouches for.
 */
static void
trust__disabled_holder__gets_nothing_new_without_the_rekey_mark(void **state)
{
	struct fixture		*f = *state;
	struct user		 sup, inv;
	struct vault_key	*ck;
	struct record		*r;
	struct raw		 rw;
	uint8_t			 rk[LAYOUT_REKEY_KEYLEN];
	char			*label, *ad, *cause = NULL;
	uint64_t		 id, rid;

	in(f, &sup, "sup");
	id = new_case(&sup, "Arrestation au poste de Sévaré");
	if (casefile_assign(&sup.ctx, id, "inv", 1, &cause) != 0)
		fail_msg("assign: %s", cause);
	out(&sup);
	in(f, &inv, "inv");
	label = layout_label_case(id);
	ck = kept_key(f, &inv, label);
	free(label);
	out(&inv);
	admin_disable(f, "inv", 1);
	store_close(f->s);
	f->s = NULL;
	layout_rekey_key(rk, id);
	raw_open(&rw, f->data, "index.db");
	raw_del(&rw, rk, sizeof rk);
	raw_close(&rw);
	assert_int_equal(store_open(&f->s, f->data, 0, NULL), 0);
	in(f, &sup, "sup");
	r = record_create();
	record_set_str(r, "role", "victim");
	record_set_str(r, "full_name", "Moussa Keita");
	if (casefile_add(&sup.ctx, id, "person", r, &rid, &cause) != 0)
		fail_msg("add: %s", cause);
	record_free(r);
	out(&sup);
	ad = layout_ad_record(id, "person", rid, env_int(f, id, rid, "v"));
	assert_false(opens(f, ck, id, rid, "body", ad));
	free(ad);
	vault_key_free(ck);
}

/*
 * A disabled supervisor kept the oversight key and deletes the mark that
 * asks for its replacement (org.rotate in meta): the key is replaced all
 * the same, because its signed statement lists a holder the organisation
 * no longer vouches for.  Then a file writer puts the earlier statement
 * back: registering refuses, the replaced epoch's archive says so.
 */
static void
trust__rotation__needs_no_mark_and_cannot_be_undone(void **state)
{
	struct fixture		*f = *state;
	struct user		 sup, reg, sup2;
	struct vault_key	*seed;
	struct record		*r;
	const char		*mk = meta_key_name(META_ORG_ROTATE);
	const char		*sk = meta_key_name(META_ORG_OVERSIGHT);
	uint8_t			*old, *none = NULL;
	size_t			 oldlen, nolen = 0;
	uint64_t		 id;
	char			*ref, *cause = NULL;

	admin_add(f, "sup2", "supervisor", 1);
	in(f, &sup2, "sup2");
	seed = kept_key(f, &sup2, LAYOUT_LABEL_OVERSIGHT);
	out(&sup2);
	raw_meta(f, sk, &old, &oldlen, 0);
	admin_disable(f, "sup2", 1);
	raw_meta(f, mk, &none, &nolen, 1);

	in(f, &sup, "sup");
	assert_int_equal(epoch(f, &sup, LAYOUT_LABEL_OVERSIGHT), 2);
	out(&sup);
	in(f, &reg, "reg");
	id = new_case(&reg, "Racket au poste de Gao");
	assert_false(seed_opens(f, seed, id));
	out(&reg);

	/* The epoch-1 statement put back. */
	raw_meta(f, sk, &old, &oldlen, 1);
	free(old);
	in(f, &reg, "reg");
	r = helper_intake("Arrestation au poste de Sévaré");
	assert_fails(casefile_create(&reg.ctx, "inspection", r, &ref, &cause),
	    &cause, "replaced since");
	record_free(r);
	out(&reg);
	vault_key_free(seed);
}

struct hforge_op {
	struct user		*u;
	uint64_t		 id;
	const struct vault_key	*k;
	const char		*field, *item;
};

/*
 * What a user who can write the files does with a case key they hold or
 * kept: put an item on one of the header's lists, clear the re-key mark,
 * and sign a manifest for the result as themselves.
 */
static int
forge_header_txn(struct store_txn *t, void *arg, char **cause)
{
	struct hforge_op	*op = arg;
	struct record	*h;
	const char	*list;
	char		*nl;
	int		 rc;

	if ((rc = cf_header_read(t, op->id, &h, cause)) != 0)
		return (rc);
	list = record_get_str(h, op->field);
	if (op->item == NULL)
		record_unset(h, op->field);	/* a mark taken off */
	else {
		xasprintf(&nl, "%s%s%s", list != NULL ? list : "",
		    list != NULL && *list != '\0' ? "," : "", op->item);
		record_set_str(h, op->field, nl);
		free(nl);
	}
	record_set_int(h, "rekey", 0);
	rc = cf_header_write(t, op->id, h, cause);
	if (rc == 0)
		rc = cf_manifest_write(t, op->u->sess, op->id, h, op->k,
		    cause);
	record_free(h);
	return (rc);
}

static void
forge_header(struct fixture *f, struct user *u, uint64_t id,
    const struct vault_key *k, const char *field, const char *item)
{
	struct hforge_op	 op;
	char		*cause = NULL;

	op.u = u;
	op.id = id;
	op.k = k;
	op.field = field;
	op.item = item;
	if (store_run(f->s, forge_header_txn, &op, &cause) != 0)
		fail_msg("forge %s: %s", field, cause);
}

/*
 * An investigator who can write the files keeps the case key, is
 * unassigned, and writes themselves back: their name in the header's
 * grants, then in its assignees, the re-key mark cleared, signed into a
 * manifest with their own signing key and the key they kept (round two's
 * attack N3).  The unassignment re-encrypted the case under a new key,
 * so the kept key opens nothing of it and cannot make the manifest's
 * keyed hash: the next change refuses, and nothing is sealed to them.
 */
static void
trust__unassigned_holder__cannot_write_themselves_back(void **state)
{
	struct fixture		*f = *state;
	struct user		 sup, inv, inv2;
	struct vault_key	*ck;
	struct record		*r;
	char			*label, *ad, *cause = NULL;
	uint64_t		 id, rid;
	const char		*fields[] = { "grants", "assignees" };
	size_t			 i;

	admin_add(f, "inv2", "investigator", 1);
	in(f, &sup, "sup");
	id = new_case(&sup, "Arrestation au poste de Sévaré");
	if (casefile_assign(&sup.ctx, id, "inv", 1, &cause) != 0 ||
	    casefile_assign(&sup.ctx, id, "inv2", 1, &cause) != 0)
		fail_msg("assign: %s", cause);
	in(f, &inv2, "inv2");
	label = layout_label_case(id);
	ck = kept_key(f, &inv2, label);
	free(label);
	if (casefile_assign(&sup.ctx, id, "inv2", 0, &cause) != 0)
		fail_msg("unassign: %s", cause);
	out(&sup);
	ad = layout_ad_record(id, "intake", 0, env_int(f, id, 0, "v"));
	assert_false(opens(f, ck, id, 0, "body", ad));
	free(ad);

	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		forge_header(f, &inv2, id, ck, fields[i], "inv2");
		in(f, &inv, "inv");
		r = record_create();
		record_set_str(r, "role", "victim");
		record_set_str(r, "full_name", "Moussa Keita");
		assert_fails(casefile_add(&inv.ctx, id, "person", r, &rid,
		    &cause), &cause, "not made with the case key");
		record_free(r);
		out(&inv);
		assert_false(reads(&inv2, id));
	}
	out(&inv2);
	vault_key_free(ck);
}

/*
 * A case assigned to inv and inv2, with a witness inv recorded and
 * granted to inv2: *idp, *wp.  sup is signed in, inv signed out after.
 */
static void
witness_granted(struct fixture *f, struct user *sup, uint64_t *idp,
    uint64_t *wp)
{
	struct user	 inv;
	struct record	*r;
	char		*cause = NULL;

	*idp = new_case(sup, "Arrestation au poste de Sévaré");
	if (casefile_assign(&sup->ctx, *idp, "inv", 1, &cause) != 0 ||
	    casefile_assign(&sup->ctx, *idp, "inv2", 1, &cause) != 0)
		fail_msg("assign: %s", cause);
	in(f, &inv, "inv");
	r = record_create();
	record_set_str(r, "full_name", "Aminata Diallo");
	record_set_str(r, "phone", "+223 76 11 22 33");
	record_set_str(r, "role", "direct");
	if (casefile_add(&inv.ctx, *idp, "witness", r, wp, &cause) != 0 ||
	    casefile_grant(&inv.ctx, *idp, *wp, "inv2", &cause) != 0)
		fail_msg("witness: %s", cause);
	record_free(r);
	out(&inv);
}

/*
 * An investigator assigned to the case holds its key but not a
 * witness's.  Able to write the files, they put their name on the
 * witness's holders in the header, plant a row for themselves in the
 * keys table, and sign a manifest (it verifies: they hold the case key).
 * When the witness's holder revokes a colleague, the new witness key
 * goes only to the names a holder of the witness key sealed (round two's
 * attack N4).  Forging that seal too makes the revocation refuse.
 */
static void
trust__case_holder__cannot_write_themselves_onto_a_witness(void **state)
{
	struct fixture		*f = *state;
	struct user		 sup, inv, inv3;
	struct vault_key	*ck;
	struct casefile		*cf;
	uint8_t			 junk[VAULT_SEALED_LEN];
	char			*label, *item, *cause = NULL, *seal[3];
	uint64_t		 id, w;
	int			 i;

	admin_add(f, "inv2", "investigator", 1);
	admin_add(f, "inv3", "investigator", 1);
	in(f, &sup, "sup");
	witness_granted(f, &sup, &id, &w);
	if (casefile_assign(&sup.ctx, id, "inv3", 1, &cause) != 0)
		fail_msg("assign: %s", cause);
	out(&sup);

	in(f, &inv3, "inv3");
	label = layout_label_case(id);
	ck = kept_key(f, &inv3, label);
	free(label);
	xasprintf(&item, "%" PRIu64 ":inv3", w);
	forge_header(f, &inv3, id, ck, "wholders", item);
	out(&inv3);
	memset(junk, 0, sizeof junk);
	label = layout_label_witness(id, w);
	raw_key_row(f, label, "inv3", junk, sizeof junk);
	free(label);

	in(f, &inv, "inv");
	if (casefile_revoke(&inv.ctx, id, w, "inv2", &cause) != 0)
		fail_msg("revoke: %s", cause);
	out(&inv);
	in(f, &inv3, "inv3");
	assert_int_equal(casefile_open(&inv3.ctx, id, CASEFILE_WITNESSES, &cf,
	    &cause), 0);
	assert_true(casefile_rec(cf, w)->witness_locked);
	casefile_free(cf);

	/* The sealed list forged as well: the holder's next grant refuses. */
	forge_header(f, &inv3, id, ck, "wholders", item);
	forge_header(f, &inv3, id, ck, "wsnap", item);
	out(&inv3);
	in(f, &inv, "inv");
	assert_fails(casefile_grant(&inv.ctx, id, w, "inv2", &cause), &cause,
	    "behind dossier's back");
	out(&inv);
	/* With a seal cut short (none at all, one byte, 15 of 16): a
	 * shorter seal would be a weaker one, so it is refused too. */
	xasprintf(&seal[0], "%" PRIu64 ":", w);
	xasprintf(&seal[1], "%" PRIu64 ":AA==", w);
	xasprintf(&seal[2], "%" PRIu64 ":AAAAAAAAAAAAAAAAAAAA", w);
	for (i = 0; i < 3; i++) {
		in(f, &inv3, "inv3");
		forge_header(f, &inv3, id, ck, "wseal", NULL);
		forge_header(f, &inv3, id, ck, "wseal", seal[i]);
		out(&inv3);
		in(f, &inv, "inv");
		assert_fails(casefile_grant(&inv.ctx, id, w, "inv2", &cause),
		    &cause, "behind dossier's back");
		out(&inv);
		free(seal[i]);
	}
	free(item);
	vault_key_free(ck);
}

static void
edit_phone(struct user *u, uint64_t id, uint64_t w, const char *phone)
{
	struct record	*ch = record_create();
	char		*cause = NULL;

	record_set_str(ch, "phone", phone);
	if (casefile_edit(&u->ctx, id, w, ch, -1, &cause) != 0)
		fail_msg("edit witness: %s", cause);
	record_free(ch);
}

static int
opens_witness(struct fixture *f, const struct vault_key *k, uint64_t id,
    uint64_t w)
{
	char	*ad;
	int	 ok;

	ad = layout_ad_witness(id, w, env_int(f, id, w, "wv"));
	ok = opens(f, k, id, w, "wbody", ad);
	free(ad);
	return (ok);
}

/*
 * A witness's key taken from someone by a person who does not hold it:
 * an unassignment, a revoked case grant (round three's F1 and F1b).  The
 * supervisor cannot re-key the witness, so it is marked; the next holder
 * who writes about it re-keys it first, and a copy of the old key opens
 * nothing written afterwards.
 */
static void
trust__unassigned_holder__opens_no_witness_written_afterwards(void **state)
{
	struct fixture		*f = *state;
	struct user		 sup, inv, inv2;
	struct vault_key	*wk;
	struct casefile		*cf;
	struct record		*r;
	char			*label, *cause = NULL;
	uint64_t		 id, w;
	int			 grant;

	admin_add(f, "inv2", "investigator", 1);
	for (grant = 0; grant < 2; grant++) {
		in(f, &sup, "sup");
		id = new_case(&sup, "Arrestation au poste de Sévaré");
		if (casefile_assign(&sup.ctx, id, "inv", 1, &cause) != 0 ||
		    (grant ? casefile_grant(&sup.ctx, id, 0, "inv2", &cause) :
		    casefile_assign(&sup.ctx, id, "inv2", 1, &cause)) != 0)
			fail_msg("assign: %s", cause);
		in(f, &inv, "inv");
		r = record_create();
		record_set_str(r, "full_name", "Aminata Diallo");
		record_set_str(r, "phone", "+223 76 11 22 33");
		record_set_str(r, "role", "direct");
		if (casefile_add(&inv.ctx, id, "witness", r, &w, &cause) != 0 ||
		    casefile_grant(&inv.ctx, id, w, "inv2", &cause) != 0)
			fail_msg("witness: %s", cause);
		record_free(r);
		in(f, &inv2, "inv2");
		label = layout_label_witness(id, w);
		wk = kept_key(f, &inv2, label);
		free(label);
		out(&inv2);
		assert_true(opens_witness(f, wk, id, w));
		if ((grant ? casefile_revoke(&sup.ctx, id, 0, "inv2", &cause) :
		    casefile_assign(&sup.ctx, id, "inv2", 0, &cause)) != 0)
			fail_msg("take back: %s", cause);
		out(&sup);
		edit_phone(&inv, id, w, "+223 66 00 00 01");
		assert_false(opens_witness(f, wk, id, w));
		assert_int_equal(casefile_open(&inv.ctx, id, CASEFILE_WITNESSES,
		    &cf, &cause), 0);
		assert_false(casefile_rec(cf, w)->witness_locked);
		assert_string_equal(record_get_str(casefile_rec(cf, w)->fields,
		    "phone"), "+223 66 00 00 01");
		casefile_free(cf);
		out(&inv);
		vault_key_free(wk);
	}
}

/*
 * Round three's F3: an investigator unassigned, then assigned again, who
 * can write the files, puts themselves back on a witness's holders (the
 * sealed list, from before the unassignment, still names them) and
 * plants a keys row.  The witness's next re-key reads the audit log
 * since that seal, finds the unassignment, and seals nothing to them;
 * a grant made afterwards by a holder gives the key back, as it should.
 */
static void
trust__reassigned_holder__gets_no_witness_key_back_by_hand(void **state)
{
	struct fixture		*f = *state;
	struct user		 sup, inv, inv2;
	struct vault_key	*ck;
	struct casefile		*cf;
	uint8_t			 junk[VAULT_SEALED_LEN];
	char			*label, *item, *cause = NULL;
	uint64_t		 id, w;

	admin_add(f, "inv2", "investigator", 1);
	in(f, &sup, "sup");
	witness_granted(f, &sup, &id, &w);
	if (casefile_assign(&sup.ctx, id, "inv2", 0, &cause) != 0 ||
	    casefile_assign(&sup.ctx, id, "inv2", 1, &cause) != 0)
		fail_msg("unassign, assign again: %s", cause);
	out(&sup);

	/* Back on the holders, signed as a change of theirs, and a row. */
	in(f, &inv2, "inv2");
	label = layout_label_case(id);
	ck = kept_key(f, &inv2, label);
	free(label);
	xasprintf(&item, "%" PRIu64 ":inv2", w);
	forge_header(f, &inv2, id, ck, "wholders", item);
	out(&inv2);
	memset(junk, 0, sizeof junk);
	label = layout_label_witness(id, w);
	raw_key_row(f, label, "inv2", junk, sizeof junk);
	free(label);

	/* The holder edits the witness: it is re-keyed, not for inv2. */
	in(f, &inv, "inv");
	edit_phone(&inv, id, w, "+223 66 00 00 01");
	out(&inv);
	in(f, &inv2, "inv2");
	assert_int_equal(casefile_open(&inv2.ctx, id, CASEFILE_WITNESSES, &cf,
	    &cause), 0);
	assert_true(casefile_rec(cf, w)->witness_locked);
	casefile_free(cf);

	/* The anchor of the seal is not the writer's to move. */
	xasprintf(&label, "%" PRIu64 ":1.00", w);
	forge_header(f, &inv2, id, ck, "wanchor", label);
	free(label);
	out(&inv2);
	in(f, &inv, "inv");
	assert_fails(casefile_grant(&inv.ctx, id, w, "inv2", &cause), &cause,
	    "behind dossier's back");
	out(&inv);
	free(item);
	vault_key_free(ck);
}

struct aforge_op {
	struct user	*u;
	const char	*action, *ref, *detail;
};

/* An audit entry chained to the head, signed with the writer's own key. */
static int
forge_audit_txn(struct store_txn *t, void *arg, char **cause)
{
	struct aforge_op	*op = arg;

	return (audit_append(t, &op->u->sess->signer, op->action, op->ref,
	    op->detail, cause));
}

struct rseal_op {
	const char		*label, *name;
	const struct vault_key	*k;
	const uint8_t		*pk;
};

/* A keys row sealing a key one kept to oneself, as a file writer can. */
static int
reseal_txn(struct store_txn *t, void *arg, char **cause)
{
	struct rseal_op	*op = arg;

	return (keyring_seal(t, op->label, op->k, op->name, op->pk, cause));
}

/*
 * Round five: inv2 kept the witness key, was unassigned and assigned
 * again, and can write the files.  G1: back on the holders with a
 * planted row and a chained `witness.grant` entry of their own; G3: the
 * kept key sealed to themselves, then a grant through dossier, to
 * themselves or to another; G4: the re-key mark taken off the header.
 * None of it gives them the new key or leaves the identity written
 * under the key they kept.
 */
static void
trust__former_holder__gets_nothing_by_log_row_or_mark(void **state)
{
	struct fixture		*f = *state;
	struct user		 sup, inv, inv2;
	struct aforge_op	 aop;
	struct rseal_op		 rop;
	struct vault_key	*ck, *wk;
	struct casefile		*cf;
	char			*label, *item, *detail, *ref, *cause = NULL;
	uint64_t		 id, w;

	admin_add(f, "inv2", "investigator", 1);
	admin_add(f, "inv3", "investigator", 1);
	in(f, &sup, "sup");
	witness_granted(f, &sup, &id, &w);
	in(f, &inv2, "inv2");
	label = layout_label_witness(id, w);
	wk = kept_key(f, &inv2, label);
	out(&inv2);
	if (casefile_assign(&sup.ctx, id, "inv2", 0, &cause) != 0 ||
	    casefile_assign(&sup.ctx, id, "inv3", 1, &cause) != 0 ||
	    casefile_assign(&sup.ctx, id, "inv2", 1, &cause) != 0)
		fail_msg("unassign, assign again: %s", cause);
	assert_int_equal(casefile_open(&sup.ctx, id, 0, &cf, &cause), 0);
	ref = xstrdup(record_get_str(cf->header, "reference"));
	casefile_free(cf);
	out(&sup);

	in(f, &inv2, "inv2");
	free(label);
	label = layout_label_case(id);
	ck = kept_key(f, &inv2, label);
	free(label);
	label = layout_label_witness(id, w);
	/* G4: the mark off; G1: on the holders, a row, a grant entry. */
	forge_header(f, &inv2, id, ck, "wrekey", NULL);
	xasprintf(&item, "%" PRIu64 ":inv2", w);
	forge_header(f, &inv2, id, ck, "wholders", item);
	rop.label = label;
	rop.name = "inv2";
	rop.k = wk;
	rop.pk = vault_identity_box_pk(inv2.sess->id);
	assert_int_equal(store_run(f->s, reseal_txn, &rop, &cause), 0);
	xasprintf(&detail, "witness inv2 %" PRIu64, w);
	aop.u = &inv2;
	aop.action = "witness.grant";
	aop.ref = ref;
	aop.detail = detail;
	assert_int_equal(store_run(f->s, forge_audit_txn, &aop, &cause), 0);
	/* G3: a row that opens is not holding: no grant, no edit. */
	assert_fails(casefile_grant(&inv2.ctx, id, w, "inv2", &cause), &cause,
	    "yourself");
	assert_fails(casefile_grant(&inv2.ctx, id, w, "inv3", &cause), &cause,
	    "do not hold this witness's key");
	{
		struct record	*ch = record_create();

		record_set_str(ch, "phone", "+223 70 00 00 00");
		assert_fails(casefile_edit(&inv2.ctx, id, w, ch, -1, &cause),
		    &cause, "do not hold the key of this witness");
		record_free(ch);
	}
	out(&inv2);

	/* The holder's next edit re-keys: nothing new opens for inv2. */
	in(f, &inv, "inv");
	edit_phone(&inv, id, w, "+223 66 00 00 03");
	out(&inv);
	assert_false(opens_witness(f, wk, id, w));
	in(f, &inv2, "inv2");
	assert_int_equal(casefile_open(&inv2.ctx, id, CASEFILE_WITNESSES, &cf,
	    &cause), 0);
	assert_true(casefile_rec(cf, w)->witness_locked);
	casefile_free(cf);
	out(&inv2);
	free(label);
	free(item);
	free(detail);
	free(ref);
	vault_key_free(ck);
	vault_key_free(wk);
}

/* What the audit log says: an entry with this action and detail? */
struct afind {
	const char	*action, *detail;
	int		 found;
};

static int
afind_cb(const struct audit_entry *e, void *arg)
{
	struct afind	*a = arg;

	if (strcmp(e->action, a->action) == 0 && e->detail != NULL &&
	    strcmp(e->detail, a->detail) == 0)
		a->found = 1;
	return (0);
}

/*
 * Round five's G2: an investigator approved by an auditor who is then
 * disabled is no longer vouched for; at the case's next change the
 * witness keys sealed to her go with the case key, and the audit log
 * says so (`case.drop`), for the witness's next holder to read.
 */
static void
trust__holder_no_longer_vouched_for__loses_witness_keys(void **state)
{
	struct fixture		*f = *state;
	struct user		 sup, inv, aud2, zara;
	struct session		*admin;
	struct casefile		*cf;
	struct record		*r;
	struct afind		 a;
	char			 fp[VAULT_FINGERPRINT_LEN], *cause = NULL;
	uint64_t		 id, w;

	admin_add(f, "aud2", "auditor", 1);
	admin_add(f, "zara", "investigator", 0);
	in(f, &aud2, "aud2");
	helper_fingerprint(f->s, "zara", fp);
	if (trust_approve(aud2.sess, "zara", fp, NULL, &cause) != 0)
		fail_msg("approve: %s", cause);
	out(&aud2);
	in(f, &sup, "sup");
	id = new_case(&sup, "Arrestation au poste de Sévaré");
	if (casefile_assign(&sup.ctx, id, "inv", 1, &cause) != 0 ||
	    casefile_assign(&sup.ctx, id, "zara", 1, &cause) != 0)
		fail_msg("assign: %s", cause);
	in(f, &inv, "inv");
	r = record_create();
	record_set_str(r, "full_name", "Aminata Diallo");
	record_set_str(r, "role", "direct");
	if (casefile_add(&inv.ctx, id, "witness", r, &w, &cause) != 0 ||
	    casefile_grant(&inv.ctx, id, w, "zara", &cause) != 0)
		fail_msg("witness: %s", cause);
	record_free(r);
	out(&inv);
	in(f, &zara, "zara");
	assert_int_equal(casefile_open(&zara.ctx, id, CASEFILE_WITNESSES, &cf,
	    &cause), 0);
	assert_false(casefile_rec(cf, w)->witness_locked);
	casefile_free(cf);
	out(&zara);

	admin = helper_signin(f->s, "chef", HELPER_ADMIN_PASS);
	if (account_set_disabled(admin, "aud2", 1, &cause) != 0)
		fail_msg("disable: %s", cause);
	session_free(admin);
	if (casefile_event(&sup.ctx, id, "note", "Relance", &cause) != 0)
		fail_msg("event: %s", cause);
	out(&sup);
	in(f, &zara, "zara");
	if (casefile_open(&zara.ctx, id, CASEFILE_WITNESSES, &cf,
	    &cause) == 0) {
		assert_true(casefile_rec(cf, w)->witness_locked);
		casefile_free(cf);
	} else {
		free(cause);
		cause = NULL;
	}
	out(&zara);
	memset(&a, 0, sizeof a);
	a.action = "case.drop";
	a.detail = "zara";
	in(f, &sup, "sup");
	assert_int_equal(audit_list(f->s, sup.sess->user->role, afind_cb, &a,
	    &cause), 0);
	out(&sup);
	assert_true(a.found);
}

/* A holder's own grant, after an unassignment and a new assignment. */
static void
trust__reassigned_holder__gets_the_witness_key_by_a_grant(void **state)
{
	struct fixture		*f = *state;
	struct user		 sup, inv, inv2;
	struct casefile		*cf;
	char			*cause = NULL;
	uint64_t		 id, w;

	admin_add(f, "inv2", "investigator", 1);
	in(f, &sup, "sup");
	witness_granted(f, &sup, &id, &w);
	if (casefile_assign(&sup.ctx, id, "inv2", 0, &cause) != 0 ||
	    casefile_assign(&sup.ctx, id, "inv2", 1, &cause) != 0)
		fail_msg("unassign, assign again: %s", cause);
	out(&sup);
	in(f, &inv, "inv");
	if (casefile_grant(&inv.ctx, id, w, "inv2", &cause) != 0)
		fail_msg("grant again: %s", cause);
	edit_phone(&inv, id, w, "+223 66 00 00 02");
	out(&inv);
	in(f, &inv2, "inv2");
	assert_int_equal(casefile_open(&inv2.ctx, id, CASEFILE_WITNESSES, &cf,
	    &cause), 0);
	assert_false(casefile_rec(cf, w)->witness_locked);
	assert_string_equal(record_get_str(casefile_rec(cf, w)->fields,
	    "phone"), "+223 66 00 00 02");
	casefile_free(cf);
	out(&inv2);
}

struct launder_op {
	struct user		*u;
	uint64_t		 id;
	const struct vault_key	*k;
};

/*
 * With a case key and no valid signature: the intake's summary changed
 * in place, a manifest made for it with the right keyed hash, its
 * signature then wiped (round three's F2: the key kept from before the
 * attacker was disabled, the manifest naming a colleague).
 */
static int
launder_txn(struct store_txn *t, void *arg, char **cause)
{
	struct launder_op	*op = arg;
	struct record		*h, *env, *body;
	uint8_t			 zero[VAULT_SIG_LEN];
	char			*ad;
	int			 rc;

	if ((rc = cf_header_read(t, op->id, &h, cause)) != 0)
		return (rc);
	if ((rc = cf_get(t, op->id, LAYOUT_RECORD, 0, &env, cause)) != 0) {
		record_free(h);
		return (rc);
	}
	ad = layout_ad_record(op->id, "intake", 0, record_get_int(env, "v",
	    1));
	if ((rc = cf_open_body(env, "body", op->k, ad, &body, cause)) == 0) {
		record_set_str(body, "summary", "Rien ne s'est passé");
		cf_seal_body(env, "body", op->k, ad, body);
		record_free(body);
		rc = cf_put(t, op->id, LAYOUT_RECORD, 0, env, cause);
	}
	free(ad);
	record_free(env);
	if (rc == 0)
		rc = cf_manifest_write(t, op->u->sess, op->id, h, op->k, cause);
	if (rc == 0 && (rc = cf_get(t, op->id, LAYOUT_MANIFEST, 0, &env,
	    cause)) == 0) {
		memset(zero, 0, sizeof zero);
		record_set(env, "sig", zero, sizeof zero);
		rc = cf_put(t, op->id, LAYOUT_MANIFEST, 0, env, cause);
		record_free(env);
	}
	record_free(h);
	return (rc);
}

/*
 * Someone who holds or kept a case key, but signs nothing, forges a
 * change: the next writer checks the manifest's signature as well as its
 * keyed hash, and refuses, so the forgery is never signed in their name
 * and `dossier check` goes on naming it.
 */
static void
trust__forged_change__is_not_signed_by_the_next_writer(void **state)
{
	struct fixture		*f = *state;
	struct user		 sup, inv;
	struct launder_op	 op;
	struct vault_key	*ck;
	struct record		*r;
	char			*label, *cause = NULL;
	uint64_t		 id, rid;

	in(f, &sup, "sup");
	id = new_case(&sup, "Arrestation au poste de Sévaré");
	if (casefile_assign(&sup.ctx, id, "inv", 1, &cause) != 0)
		fail_msg("assign: %s", cause);
	out(&sup);
	in(f, &inv, "inv");
	label = layout_label_case(id);
	ck = kept_key(f, &inv, label);
	free(label);
	op.u = &inv;
	op.id = id;
	op.k = ck;
	if (store_run(f->s, launder_txn, &op, &cause) != 0)
		fail_msg("launder: %s", cause);
	out(&inv);
	in(f, &sup, "sup");
	r = record_create();
	record_set_str(r, "role", "victim");
	record_set_str(r, "full_name", "Moussa Keita");
	assert_fails(casefile_add(&sup.ctx, id, "person", r, &rid, &cause),
	    &cause, "does not verify");
	record_free(r);
	out(&sup);
	vault_key_free(ck);
}

/* approver approves name with the fingerprint its owner reads out. */
static void
approve_as(struct fixture *f, struct user *approver, const char *name)
{
	char	 fp[VAULT_FINGERPRINT_LEN], *cause = NULL;

	helper_fingerprint(f->s, name, fp);
	if (trust_approve(approver->sess, name, fp, NULL, &cause) != 0)
		fail_msg("approve %s: %s", name, cause);
}

/* The user records a victim of this name in case id: casefile_add()'s. */
static int
add_victim(struct user *u, uint64_t id, const char *name, char **cause)
{
	struct record	*r;
	uint64_t	 rid;
	int		 rc;

	r = record_create();
	record_set_str(r, "role", "victim");
	record_set_str(r, "full_name", name);
	rc = casefile_add(&u->ctx, id, "person", r, &rid, cause);
	record_free(r);
	return (rc);
}

/*
 * What a file writer signs with key in name's name, from u's session: the
 * header of case id changed (forge_header()), its manifest signed.
 */
static void
forge_as(struct fixture *f, struct user *u, const char *name,
    struct vault_identity *key, uint64_t id, const struct vault_key *ck)
{
	struct account	 fa;
	struct session	 fake;
	struct user	 forger;

	fa = *u->sess->user;
	fa.name = (char *)name;
	memcpy(fa.sign_pk, vault_identity_sign_pk(key), VAULT_PK_LEN);
	fake = *u->sess;
	fake.user = &fa;
	fake.id = key;
	memset(&forger, 0, sizeof forger);
	forger.sess = &fake;
	forge_header(f, &forger, id, ck, "assignees", "reg");
}

/* Put bytes in one field of an account row (none: take it out). */
static void
raw_account_bytes(struct fixture *f, const char *name, const char *field,
    const void *val, size_t vlen)
{
	struct raw	 r;
	struct record	*rec;

	rec = raw_account_get(f, &r, name);
	if (val != NULL)
		record_set(rec, field, val, vlen);
	else
		record_unset(rec, field);
	raw_account_put(f, &r, name, rec);
}

/* The problems 'dossier check' finds, one sentence each, in *all. */
static size_t
check_problems(struct fixture *f, char **all)
{
	char	*cause = NULL;
	size_t	 cases, problems, more;

	*all = NULL;
	if (casefile_check(f->s, f->forms, f->flows, collect, all, &cases,
	    &problems, &cause) != 0 ||
	    trust_check_accounts(f->s, collect, all, &more, &cause) != 0)
		fail_msg("check: %s", cause);
	problems += more;
	if (*all != NULL)
		print_message("check: %s", *all);
	return (problems);
}

/* Nothing for check to report; name reads case id and adds to it. */
static void
goes_on(struct fixture *f, const char *name, uint64_t id)
{
	struct user	 u;
	char		*cause = NULL, *all;

	assert_int_equal(check_problems(f, &all), 0);
	free(all);
	in(f, &u, name);
	assert_true(reads(&u, id));
	if (add_victim(&u, id, "Moussa Keita", &cause) != 0)
		fail_msg("%s adds: %s", name, cause);
	out(&u);
}

/*
 * An investigator who can write the files and holds the case key puts a
 * signing key of their own making in their supervisor's row, changes the
 * case's header and signs its manifest with that key in the supervisor's
 * name.  The key is in the row, but no approval gave it to sup: the next
 * change refuses, the case does not open, and 'dossier check' names it.
 */
static void
trust__signing_key_swapped_in_a_row__signs_for_nobody(void **state)
{
	struct fixture		*f = *state;
	struct user		 sup, inv;
	struct vault_identity	*evil;
	struct vault_key	*ck;
	char			*label, *cause = NULL, *all;
	uint64_t		 id;

	in(f, &sup, "sup");
	id = new_case(&sup, "Arrestation au poste de Sévaré");
	if (casefile_assign(&sup.ctx, id, "inv", 1, &cause) != 0)
		fail_msg("assign: %s", cause);
	out(&sup);
	in(f, &inv, "inv");
	label = layout_label_case(id);
	ck = kept_key(f, &inv, label);
	free(label);
	out(&inv);
	assert_int_equal(check_problems(f, &all), 0);
	free(all);

	evil = vault_identity_generate();
	raw_account_bytes(f, "sup", "sign_pk", vault_identity_sign_pk(evil),
	    VAULT_PK_LEN);
	in(f, &inv, "inv");
	forge_as(f, &inv, "sup", evil, id, ck);

	assert_fails(add_victim(&inv, id, "Moussa Keita", &cause), &cause,
	    "no approval gave sup");
	assert_false(reads(&inv, id));
	out(&inv);
	assert_int_equal(check_problems(f, &all), 1);
	assert_non_null(strstr(all, "no approval gave sup"));
	free(all);
	vault_identity_free(evil);
	vault_key_free(ck);
}

/*
 * What an account signed while it was approved stays its own once it is
 * disabled, and once the supervisor who approved it is disabled too: its
 * approvals are kept in its history, checked along the chain as they
 * were signed.  The next writer goes on, and 'dossier check' is clean.
 */
static void
trust__signer_disabled_since__still_vouches_for_what_it_signed(void **state)
{
	struct fixture	*f = *state;
	struct user	 sup, sup2, inv2;
	char		*cause = NULL;
	uint64_t	 id;

	admin_add(f, "sup2", "supervisor", 0);
	admin_add(f, "inv2", "investigator", 0);
	in(f, &sup, "sup");
	approve_as(f, &sup, "sup2");
	in(f, &sup2, "sup2");
	approve_as(f, &sup2, "inv2");
	id = new_case(&sup, "Arrestation au poste de Sévaré");
	if (casefile_assign(&sup.ctx, id, "inv", 1, &cause) != 0 ||
	    casefile_assign(&sup.ctx, id, "inv2", 1, &cause) != 0)
		fail_msg("assign: %s", cause);
	out(&sup2);
	out(&sup);
	in(f, &inv2, "inv2");
	if (add_victim(&inv2, id, "Awa Traoré", &cause) != 0)
		fail_msg("inv2 adds: %s", cause);
	out(&inv2);

	admin_disable(f, "inv2", 1);
	admin_disable(f, "sup2", 1);
	goes_on(f, "inv", id);
}

/*
 * An account no one has approved yet (its passphrase its own, so it can
 * sign in) signs nothing: what it signed would be refused by the next
 * reader, so its first change is refused and nothing is written.  Once
 * approved, the same session's next change goes through.
 */
static void
trust__unapproved_account__signs_nothing(void **state)
{
	struct fixture	*f = *state;
	struct user	 sup, neuf;
	struct record	*r;
	char		*ref = NULL, *cause = NULL;
	char		*all;

	admin_add(f, "neuf", "investigator", 0);
	in(f, &neuf, "neuf");
	r = helper_intake("Arrestation au poste de Sévaré");
	assert_fails(casefile_create(&neuf.ctx, "inspection", r, &ref,
	    &cause), &cause, "not been approved yet");
	assert_null(ref);
	assert_int_equal(check_problems(f, &all), 0);
	free(all);

	in(f, &sup, "sup");
	approve_as(f, &sup, "neuf");
	out(&sup);
	if (casefile_create(&neuf.ctx, "inspection", r, &ref, &cause) != 0)
		fail_msg("create once approved: %s", cause);
	record_free(r);
	free(ref);
	out(&neuf);
	assert_int_equal(check_problems(f, &all), 0);
	free(all);
}

struct forged_entry_op {
	struct session	*as;
	const char	*detail;
};

/* An audit entry appended with a key someone kept. */
static int
forged_entry_txn(struct store_txn *t, void *arg, char **cause)
{
	struct forged_entry_op	*op = arg;

	return (audit_append(t, &op->as->signer, "user.approve", NULL,
	    op->detail, cause));
}

/*
 * A disabled supervisor kept their signing key and can write the files:
 * they add to an account's history an approval dated before their
 * disabling.  The manifest check would count it (it was signed by an
 * approver), so 'dossier check' compares every history with the audit
 * log: no 'user.approve' entry records it, and one they append with the
 * key they kept comes after their disabling, so it does not count.
 */
static void
trust__check_finds__an_approval_a_disabled_supervisor_backdated(void **state)
{
	struct fixture		*f = *state;
	struct session		*old;
	struct account		*ghost;
	struct account_approval	 ap;
	struct forged_entry_op	 op;
	char			 fp[VAULT_FINGERPRINT_LEN], *detail, *all;

	admin_add(f, "sup2", "supervisor", 1);
	admin_add(f, "ghost", "investigator", 0);
	assert_int_equal(check_problems(f, &all), 0);
	free(all);
	old = helper_signin(f->s, "sup2", PASS);	/* keeps its keys */
	admin_disable(f, "sup2", 1);
	assert_int_equal(account_get(f->s, "ghost", &ghost, NULL), 0);
	memset(&ap, 0, sizeof ap);
	ap.by = (char *)"sup2";
	ap.at = 1;
	trust_sign_approval(ghost, old->id, &ap);
	{
		struct approve_op	 aop = { "ghost", &ap };

		assert_int_equal(store_run(f->s, approve_txn, &aop, NULL), 0);
	}
	/* In the history only: it need not be the current approval. */
	raw_account_bytes(f, "ghost", "approved_by", NULL, 0);
	assert_int_equal(check_problems(f, &all), 1);
	assert_non_null(strstr(all, "approval by sup2 that the audit log "
	    "does not record"));
	free(all);

	/* The entry 'user approve' would have written, signed by sup2. */
	helper_fingerprint(f->s, "ghost", fp);
	xasprintf(&detail, "ghost role=investigator key=%s by=sup2", fp);
	op.as = old;
	op.detail = detail;
	assert_int_equal(store_run(f->s, forged_entry_txn, &op, NULL), 0);
	free(detail);
	assert_int_equal(check_problems(f, &all), 1);
	assert_non_null(strstr(all, "approval by sup2 that the audit log "
	    "does not record"));
	free(all);
	account_free(ghost);
	session_free(old);
}

/*
 * The key pair an account had before its first passphrase change, the
 * one the administrator's passphrase unlocks, was never approved: the
 * row still lists it among its replaced keys, but a manifest it signs in
 * the account's name (by whoever knew that passphrase and kept the row
 * or a copy of it) is refused.
 */
static void
trust__key_of_the_initial_passphrase__signs_for_nobody(void **state)
{
	struct fixture		*f = *state;
	struct session		*admin, *first;
	struct user		 sup, neuf;
	struct vault_key	*ck;
	char			*label, *cause = NULL, *all;
	const char		*pass2 = "une autre phrase assez longue";
	uint64_t		 id;

	admin = helper_signin(f->s, "chef", HELPER_ADMIN_PASS);
	assert_int_equal(account_add(admin, "neuf", ROLE_INVESTIGATOR, PASS,
	    strlen(PASS), 1, &cause), 0);
	first = helper_signin(f->s, "neuf", PASS);	/* the admin's keys */
	neuf.sess = helper_signin(f->s, "neuf", PASS);
	if (account_passwd(neuf.sess, pass2, strlen(pass2), &cause) != 0)
		fail_msg("passwd: %s", cause);
	session_free(neuf.sess);
	helper_approve_root(admin, "neuf");
	session_free(admin);
	in(f, &sup, "sup");
	id = new_case(&sup, "Arrestation au poste de Sévaré");
	if (casefile_assign(&sup.ctx, id, "neuf", 1, &cause) != 0)
		fail_msg("assign: %s", cause);
	out(&sup);
	neuf.sess = helper_signin(f->s, "neuf", pass2);
	label = layout_label_case(id);
	ck = kept_key(f, &neuf, label);
	free(label);
	assert_int_equal(neuf.sess->user->pastlen, VAULT_PK_LEN);

	forge_as(f, &neuf, "neuf", first->id, id, ck);
	session_free(neuf.sess);

	in(f, &sup, "sup");
	assert_fails(add_victim(&sup, id, "Moussa Keita", &cause), &cause,
	    "no approval gave neuf");
	out(&sup);
	assert_int_equal(check_problems(f, &all), 1);
	free(all);
	session_free(first);
	vault_key_free(ck);
}

/*
 * A row approved before approvals were kept in a history (a store made
 * before 2026-12-03) has its approval alone; disabling it moves that
 * approval to the history, so the cases it signed still open and take
 * changes.
 */
static void
trust__approval_of_an_older_row__kept_when_it_is_disabled(void **state)
{
	struct fixture	*f = *state;
	struct user	 sup, inv;
	char		*cause = NULL;
	uint64_t	 id;

	in(f, &sup, "sup");
	id = new_case(&sup, "Arrestation au poste de Sévaré");
	if (casefile_assign(&sup.ctx, id, "inv", 1, &cause) != 0)
		fail_msg("assign: %s", cause);
	out(&sup);
	in(f, &inv, "inv");
	if (add_victim(&inv, id, "Awa Traoré", &cause) != 0)
		fail_msg("inv adds: %s", cause);
	out(&inv);
	raw_account_bytes(f, "inv", "history", NULL, 0);
	admin_disable(f, "inv", 1);
	goes_on(f, "sup", id);
}

/*
 * A supervisor who can write the files gives a colleague a key of their
 * own: an approval of it, signed with the supervisor's own key, in the
 * colleague's history, the key in the row, a manifest signed with it in
 * the colleague's name.  An account is approved for one key only (keys
 * change before approval, never after): with two, neither counts, so the
 * forged manifest is refused; every case the colleague signed stops
 * opening too (their key is no longer in the row), which shows at once.
 */
static void
trust__second_key_approved_behind_its_owner__signs_for_nobody(void **state)
{
	struct fixture		*f = *state;
	struct user		 sup, inv;
	struct vault_identity	*evil;
	struct vault_key	*ck;
	struct account		*a;
	struct account_approval	 ap;
	char			*label, *cause = NULL;
	uint64_t		 id, id2;

	in(f, &sup, "sup");
	id = new_case(&sup, "Arrestation au poste de Sévaré");
	id2 = new_case(&sup, "Racket au poste de Gao");
	if (casefile_assign(&sup.ctx, id, "inv", 1, &cause) != 0 ||
	    casefile_assign(&sup.ctx, id2, "inv", 1, &cause) != 0)
		fail_msg("assign: %s", cause);
	in(f, &inv, "inv");
	if (add_victim(&inv, id2, "Awa Traoré", &cause) != 0)
		fail_msg("inv adds: %s", cause);
	out(&inv);
	label = layout_label_case(id);
	ck = kept_key(f, &sup, label);
	free(label);

	/* The supervisor approves a key of their own for inv, by hand. */
	evil = vault_identity_generate();
	assert_int_equal(account_get(f->s, "inv", &a, NULL), 0);
	memcpy(a->sign_pk, vault_identity_sign_pk(evil), VAULT_PK_LEN);
	memset(&ap, 0, sizeof ap);
	ap.by = (char *)"sup";
	ap.at = 1;
	trust_sign_approval(a, sup.sess->id, &ap);
	account_free(a);
	{
		struct approve_op	 aop = { "inv", &ap };

		assert_int_equal(store_run(f->s, approve_txn, &aop, NULL), 0);
	}
	out(&sup);
	raw_account_bytes(f, "inv", "sign_pk", vault_identity_sign_pk(evil),
	    VAULT_PK_LEN);
	in(f, &sup, "sup");
	forge_as(f, &sup, "inv", evil, id, ck);

	assert_fails(add_victim(&sup, id, "Moussa Keita", &cause), &cause,
	    "no approval gave inv");
	/* And what inv really signed no longer opens: it shows. */
	assert_fails(add_victim(&sup, id2, "Moussa Keita", &cause), &cause,
	    "its manifest");
	out(&sup);
	vault_identity_free(evil);
	vault_key_free(ck);
}

/*
 * What the terminal tells an account at sign-in: one nobody approved
 * yet signs for nobody; one whose approver was disabled since is no
 * longer approved (it receives no new key) but still signs for itself.
 */
static void
trust__signer_self__tells_unapproved_from_approver_gone(void **state)
{
	struct fixture	*f = *state;
	struct user	 sup, sup2, neuf;
	struct account	*a;
	int		 approved = 1;

	admin_add(f, "sup2", "supervisor", 1);
	admin_add(f, "neuf", "investigator", 0);
	in(f, &neuf, "neuf");
	assert_false(trust_signer_self(f->s, neuf.sess));
	in(f, &sup2, "sup2");
	approve_as(f, &sup2, "neuf");
	out(&sup2);
	assert_true(trust_signer_self(f->s, neuf.sess));
	out(&neuf);

	admin_disable(f, "sup2", 1);
	in(f, &neuf, "neuf");
	in(f, &sup, "sup");
	assert_int_equal(account_get(f->s, "neuf", &a, NULL), 0);
	assert_int_equal(trust_mark_approved(f->s, sup.sess->user, &a, 1,
	    &approved, NULL), 0);
	assert_false(approved);
	account_free(a);
	assert_true(trust_signer_self(f->s, neuf.sess));
	out(&sup);
	out(&neuf);
}

/*
 * A history that does not decode (truncated, a length past its end,
 * bytes of nothing) is bad input: it gives no key, breaks nothing else
 * (the current approval still counts), and 'dossier check' names it.
 */
static void
trust__damaged_history__is_named_and_gives_nothing(void **state)
{
	struct fixture	*f = *state;
	struct user	 sup;
	const uint8_t	 junk[] = { 0xff, 0xff, 0xff, 0xf0, 'x', 0x1b, '[',
			    '2', 'J' };
	char		*cause = NULL, *all;
	uint64_t	 id;

	in(f, &sup, "sup");
	id = new_case(&sup, "Arrestation au poste de Sévaré");
	if (casefile_assign(&sup.ctx, id, "inv", 1, &cause) != 0)
		fail_msg("assign: %s", cause);
	out(&sup);
	raw_account_bytes(f, "inv", "history", junk, sizeof junk);
	assert_int_equal(check_problems(f, &all), 1);
	assert_non_null(strstr(all, "The account 'inv' has a damaged "
	    "history of approvals."));
	free(all);
	/* Its current approval still vouches: inv writes, sup reads. */
	in(f, &sup, "inv");
	if (add_victim(&sup, id, "Awa Traoré", &cause) != 0)
		fail_msg("inv adds: %s", cause);
	out(&sup);
	in(f, &sup, "sup");
	assert_true(reads(&sup, id));
	out(&sup);
}

/*
 * The supervisor every other approver was approved by leaves: disabled,
 * it no longer vouches for the auditor it approved, who vouches for no
 * one, and the statement of the oversight key it last signed holds no
 * more, so nothing is sealed (the deadlock SECURITY.md described).  The
 * recovery key is the way out: approving the auditor with it first
 * replaces the organisation keys under the root; the investigator works
 * again, the departed supervisor's copy opens nothing new, and every
 * earlier case still opens.
 */
static void
recovery_way_out(struct fixture *f, int copy_removed)
{
	struct user		 sup, aud, inv2;
	struct session		*admin;
	struct vault_key	*seed;
	struct record		*r;
	uint64_t		 id1, id2;
	char			 fp[VAULT_FINGERPRINT_LEN], *ref, *cause = NULL;

	admin_add(f, "aud", "auditor", 0);
	admin_add(f, "inv2", "investigator", 0);
	in(f, &sup, "sup");
	approve_as(f, &sup, "aud");
	out(&sup);
	in(f, &aud, "aud");
	approve_as(f, &aud, "inv2");
	out(&aud);
	in(f, &inv2, "inv2");
	id1 = new_case(&inv2, "Arrestation au poste de Sévaré");
	out(&inv2);
	in(f, &sup, "sup");
	seed = kept_key(f, &sup, LAYOUT_LABEL_OVERSIGHT);
	out(&sup);

	admin_disable(f, "sup", 1);
	in(f, &aud, "aud");		/* may not replace them */
	out(&aud);
	in(f, &inv2, "inv2");
	r = helper_intake("Racket au poste de Gao");
	assert_fails(casefile_create(&inv2.ctx, "inspection", r, &ref,
	    &cause), &cause, "disabled since");
	out(&inv2);

	if (copy_removed) {	/* by a file writer, to keep it stuck */
		raw_key_row(f, LAYOUT_LABEL_OVERSIGHT, KEYRING_RECOVERY, NULL,
		    0);
	}
	/* The recovery key's holder approves the auditor again. */
	admin = helper_signin(f->s, "chef", HELPER_ADMIN_PASS);
	helper_fingerprint(f->s, "aud", fp);
	assert_fails(trust_approve(admin, "aud", fp, NULL, &cause), &cause,
	    "Only a supervisor or auditor");
	helper_approve_root(admin, "aud");
	session_free(admin);

	in(f, &aud, "aud");
	assert_int_equal(epoch(f, &aud, LAYOUT_LABEL_OVERSIGHT), 2);
	assert_int_equal(epoch(f, &aud, LAYOUT_LABEL_INDEX), 2);
	/* Through the archived key; with no copy left, it is gone. */
	assert_int_equal(reads(&aud, id1), !copy_removed);
	out(&aud);
	in(f, &inv2, "inv2");		/* approved by aud: vouched for again */
	if (casefile_create(&inv2.ctx, "inspection", r, &ref, &cause) != 0)
		fail_msg("create after the recovery: %s", cause);
	if (casefile_find(&inv2.ctx, ref, &id2, &cause) != 0)
		fail_msg("find %s: %s", ref, cause);
	free(ref);
	assert_true(reads(&inv2, id1));
	out(&inv2);
	assert_false(seed_opens(f, seed, id2));
	in(f, &aud, "aud");
	assert_true(reads(&aud, id2));
	out(&aud);
	record_free(r);
	vault_key_free(seed);
}

static void
trust__recovery_key__replaces_keys_no_approver_can(void **state)
{
	recovery_way_out(*state, 0);
}

/*
 * The same with the recovery copy of the oversight key removed by a file
 * writer (helper-39's L1): the key is replaced all the same, with no
 * archive of the old one (the cases sealed to it open for their
 * investigators and with the recovery key, no longer for oversight).
 */
static void
trust__recovery_copy_removed__still_lets_the_key_be_replaced(void **state)
{
	recovery_way_out(*state, 1);
}

/*
 * The search for the keys an approver held follows at most TRUST_DEPTH
 * links, and remembers each approver it looked for.  zed's first
 * approval is by a1, at the end of a chain one link too long
 * (root, n2, n, a7 ... a1): n is met at the last link, where its own
 * approver is cut off.  zed's second approval, by n directly, is two
 * links from the root: n must be looked for again at that shorter
 * distance, not taken as remembered (empty).
 */
static void
trust__approver_cut_off_by_a_long_chain__is_found_by_a_short_one(void **state)
{
	struct fixture	*f = *state;
	const char	*chain[] = { "n2", "n", "a7", "a6", "a5", "a4", "a3",
			    "a2", "a1", "zed" };
	struct session	*admin, *by, *zed;
	char		 fp[VAULT_FINGERPRINT_LEN], *cause = NULL;
	size_t		 i, n = sizeof chain / sizeof chain[0];

	for (i = 0; i < n; i++)
		admin_add(f, chain[i], i + 1 < n ? "supervisor" :
		    "investigator", 0);
	admin = helper_signin(f->s, "chef", HELPER_ADMIN_PASS);
	helper_approve_root(admin, chain[0]);
	session_free(admin);
	for (i = 1; i < n; i++) {
		by = helper_signin(f->s, chain[i - 1], PASS);
		helper_fingerprint(f->s, chain[i], fp);
		if (trust_approve(by, chain[i], fp, NULL, &cause) != 0)
			fail_msg("%s approves %s: %s", chain[i - 1], chain[i],
			    cause);
		session_free(by);
	}
	zed = helper_signin(f->s, "zed", PASS);
	assert_false(trust_signer_self(f->s, zed));	/* too far */
	session_free(zed);

	admin_disable(f, "zed", 1);
	admin_disable(f, "zed", 0);
	by = helper_signin(f->s, "n", PASS);
	helper_fingerprint(f->s, "zed", fp);
	if (trust_approve(by, "zed", fp, NULL, &cause) != 0)
		fail_msg("n approves zed: %s", cause);
	session_free(by);
	zed = helper_signin(f->s, "zed", PASS);
	assert_true(trust_signer_self(f->s, zed));
	session_free(zed);
}

/*
 * A supervisor with the files keeps a copy of the oversight statement
 * signed before they held the key (every holder it lists still approved)
 * and their seed.  Disabled, they put that statement back and delete the
 * org.rotate mark (helper-39's H1): no mark, no holder gone.  The key is
 * replaced all the same, since the audit log shows an account disabled
 * after the statement's anchor; the seed opens no new case.
 */
static void
trust__earlier_statement_and_no_mark__still_replace_the_key(void **state)
{
	struct fixture		*f = *state;
	struct user		 sup, sup2, reg;
	struct vault_key	*seed;
	const char		*sk = meta_key_name(META_ORG_OVERSIGHT);
	const char		*mk = meta_key_name(META_ORG_ROTATE);
	uint8_t			*old, *none = NULL;
	size_t			 oldlen, nolen = 0;
	uint64_t		 id;

	raw_meta(f, sk, &old, &oldlen, 0);	/* before sup2 holds it */
	admin_add(f, "sup2", "supervisor", 1);
	in(f, &sup2, "sup2");
	seed = kept_key(f, &sup2, LAYOUT_LABEL_OVERSIGHT);
	out(&sup2);
	admin_disable(f, "sup2", 1);
	raw_meta(f, sk, &old, &oldlen, 1);
	raw_meta(f, mk, &none, &nolen, 1);

	in(f, &sup, "sup");
	assert_int_equal(epoch(f, &sup, LAYOUT_LABEL_OVERSIGHT), 2);
	out(&sup);
	in(f, &reg, "reg");
	id = new_case(&reg, "Racket au poste de Gao");
	assert_false(seed_opens(f, seed, id));
	out(&reg);
	free(old);
	vault_key_free(seed);
}

/*
 * A file writer sets the epoch of a statement that was replaced once
 * (epoch 2, the first key archived as epoch 1) back to 1 (helper-39's
 * M1, b): the signature breaks, the key is due, and its replacement
 * must not write over the archive of epoch 1, or the cases sealed to the
 * first key would no longer open.
 */
static void
trust__epoch_set_back__overwrites_no_archive(void **state)
{
	struct fixture		*f = *state;
	struct user		 sup, reg;
	struct record		*rec;
	const char		*sk = meta_key_name(META_ORG_OVERSIGHT);
	uint8_t			*v;
	size_t			 len;
	uint64_t		 id1, id2;

	admin_add(f, "sup2", "supervisor", 1);
	in(f, &reg, "reg");
	id1 = new_case(&reg, "Arrestation au poste de Sévaré");
	out(&reg);
	admin_disable(f, "sup2", 1);
	in(f, &sup, "sup");		/* epoch 2: the first key archived */
	assert_int_equal(epoch(f, &sup, LAYOUT_LABEL_OVERSIGHT), 2);
	out(&sup);

	raw_meta(f, sk, &v, &len, 0);
	rec = record_decode(v, len, NULL);
	assert_non_null(rec);
	free(v);
	record_set_int(rec, "epoch", 1);
	record_encode(rec, &v, &len);
	record_free(rec);
	raw_meta(f, sk, &v, &len, 1);
	free(v);

	in(f, &sup, "sup");		/* due: replaced again, at epoch 3 */
	assert_int_equal(epoch(f, &sup, LAYOUT_LABEL_OVERSIGHT), 3);
	assert_true(reads(&sup, id1));	/* the first key's archive holds */
	id2 = new_case(&sup, "Racket au poste de Gao");
	out(&sup);
	in(f, &sup, "sup");
	assert_true(reads(&sup, id2));
	assert_true(reads(&sup, id1));
	out(&sup);
}

/* The org.rotate mark, set as a file writer can. */
static int
mark_txn(struct store_txn *t, void *arg, char **cause)
{
	return (layout_rotate_mark(t, arg, cause));
}

/*
 * A file writer with no key seals another oversight key to the recovery
 * key (its public half is public) and sets the org.rotate mark
 * (helper-39's M1, a).  While an approver is left, an approval made with
 * the recovery key replaces nothing and passes no planted key on: the
 * next supervisor to sign in replaces it, archiving the copy sealed to
 * them, which the statement vouches for; earlier cases still open for
 * the account approved, once a supervisor passed the new key on.
 */
static void
trust__planted_recovery_copy__is_never_archived(void **state)
{
	struct fixture		*f = *state;
	struct user		 sup, reg, aud;
	struct session		*admin;
	struct seal_op		 op;
	const char		*rk = meta_key_name(META_RECOVERY_PK);
	uint8_t			*rpk;
	size_t			 rlen;
	uint64_t		 id1;

	in(f, &reg, "reg");
	id1 = new_case(&reg, "Arrestation au poste de Sévaré");
	out(&reg);
	raw_meta(f, rk, &rpk, &rlen, 0);
	assert_int_equal(rlen, VAULT_PK_LEN);
	op.label = LAYOUT_LABEL_OVERSIGHT;
	op.name = KEYRING_RECOVERY;
	op.pk = rpk;
	op.k = vault_key_generate();
	assert_int_equal(store_run(f->s, seal_txn, &op, NULL), 0);
	vault_key_free(op.k);
	free(rpk);
	assert_int_equal(store_run(f->s, mark_txn,
	    (void *)LAYOUT_LABEL_OVERSIGHT, NULL), 0);

	admin_add(f, "aud", "auditor", 0);
	admin = helper_signin(f->s, "chef", HELPER_ADMIN_PASS);
	helper_approve_root(admin, "aud");
	session_free(admin);
	in(f, &sup, "sup");		/* replaces it with its own copy */
	assert_int_equal(epoch(f, &sup, LAYOUT_LABEL_OVERSIGHT), 2);
	assert_true(reads(&sup, id1));
	out(&sup);
	in(f, &aud, "aud");
	assert_true(reads(&aud, id1));
	out(&aud);
}

static int
entries_txn(struct store_txn *t, void *arg, char **cause)
{
	struct user	*u = arg;
	int		 i, rc = 0;

	for (i = 0; rc == 0 && i < 300; i++)
		rc = audit_appendf(t, &u->sess->signer, "signin", NULL, cause,
		    "entry %d", i);
	return (rc);
}

/* The audit entry the oversight statement is anchored at. */
static int64_t
statement_anchor(struct fixture *f)
{
	const char	*sk = meta_key_name(META_ORG_OVERSIGHT);
	struct record	*rec;
	uint8_t		*v;
	size_t		 len;
	int64_t		 seq;

	raw_meta(f, sk, &v, &len, 0);
	rec = record_decode(v, len, NULL);
	assert_non_null(rec);
	seq = record_get_int(rec, "aseq", -1);
	record_free(rec);
	free(v);
	return (seq);
}

/*
 * Every sign-in reads the audit log from the statement's anchor: a
 * supervisor who signs in when it lags by more than a few hundred
 * entries signs it again at the log's head; an investigator cannot.
 */
static void
trust__statement_anchor__follows_the_log(void **state)
{
	struct fixture	*f = *state;
	struct user	 sup, inv;
	int64_t		 before;
	char		*cause = NULL;

	before = statement_anchor(f);
	assert_true(before >= 0);
	in(f, &inv, "inv");
	if (store_run(f->s, entries_txn, &inv, &cause) != 0)
		fail_msg("entries: %s", cause);
	out(&inv);
	in(f, &inv, "inv");
	out(&inv);
	assert_true(statement_anchor(f) == before);
	in(f, &sup, "sup");
	out(&sup);
	assert_true(statement_anchor(f) >= before + 300);
}

/*
 * Two epochs of the organisation keys: a case sealed under each, and an
 * agent indexed under the first (an account disabled in between).
 */
static void
two_epochs(struct fixture *f, uint64_t *id1, uint64_t *id2)
{
	struct user	 sup;

	in(f, &sup, "sup");
	*id1 = new_case(&sup, "Arrestation au poste de Sévaré");
	add_agent(&sup, *id1, "PN-4471");
	out(&sup);
	admin_add(f, "passant", "registrar", 1);
	admin_disable(f, "passant", 1);
	in(f, &sup, "sup");
	assert_int_equal(epoch(f, &sup, LAYOUT_LABEL_OVERSIGHT), 2);
	*id2 = new_case(&sup, "Racket au poste de Gao");
	out(&sup);
}

/* Both cases open for the supervisor, the agent is found. */
static void
epochs_hold(struct fixture *f, uint64_t id1, uint64_t id2)
{
	struct user	 sup;
	uint64_t	*ids;
	size_t		 n;
	char		*cause = NULL;

	in(f, &sup, "sup");
	assert_int_equal(epoch(f, &sup, LAYOUT_LABEL_OVERSIGHT), 3);
	assert_true(reads(&sup, id1));
	assert_true(reads(&sup, id2));
	if (casefile_agent_cases(&sup.ctx, "PN-4471", &ids, &n, &cause) != 0)
		fail_msg("agent: %s", cause);
	assert_int_equal(n, 1);
	free(ids);
	out(&sup);
}

/*
 * A file writer with no key keeps the statements of epoch 1 and puts them
 * back once the keys were replaced (helper-40's F1): sealing refuses, the
 * next supervisor replaces the keys again, and the key it holds (epoch 2)
 * is archived as epoch 2, not taken for a planted copy: every case still
 * opens, the agent is still found.
 */
static void
trust__statement_put_back__loses_no_epoch(void **state)
{
	struct fixture	*f = *state;
	enum meta_key	 labels[] = { META_ORG_OVERSIGHT, META_ORG_INDEX };
	uint8_t		*old[2];
	size_t		 len[2], i;
	uint64_t	 id1, id2;

	for (i = 0; i < 2; i++)
		raw_meta(f, meta_key_name(labels[i]), &old[i], &len[i], 0);
	two_epochs(f, &id1, &id2);
	for (i = 0; i < 2; i++) {
		raw_meta(f, meta_key_name(labels[i]), &old[i], &len[i], 1);
		free(old[i]);
	}
	epochs_hold(f, id1, id2);
}

/*
 * A file writer plants a row at the archive of the current epoch
 * (helper-40's F2): sealing refuses, the next supervisor replaces the
 * keys, archiving the key it holds at its own epoch over the planted row:
 * the chain of archives still leads to every earlier key.
 */
static void
trust__planted_archive__is_written_over(void **state)
{
	struct fixture	*f = *state;
	const char	*labels[] = { LAYOUT_LABEL_OVERSIGHT, LAYOUT_LABEL_INDEX };
	uint8_t		 junk[VAULT_SEALED_LEN];
	char		*alabel;
	size_t		 i;
	uint64_t	 id1, id2;

	two_epochs(f, &id1, &id2);
	memset(junk, 0x33, sizeof junk);
	for (i = 0; i < 2; i++) {
		alabel = layout_label_archive(labels[i], 2);
		raw_key_row(f, alabel, KEYRING_NEXT, junk, sizeof junk);
		free(alabel);
	}
	epochs_hold(f, id1, id2);
}

struct archive_op {
	const char		*label;
	const struct vault_key	*next;
};

static int
archive_txn(struct store_txn *t, void *arg, char **cause)
{
	struct archive_op	*op = arg;
	struct vault_key	*k;
	int			 rc;

	rc = keyring_archive_open(t, op->label, op->next, &k, cause);
	vault_key_free(k);
	return (rc);
}

/*
 * A file writer with no key keeps the statements of epoch 1 and the
 * copies sealed to the supervisor, and puts all four back after a
 * replacement (helper-41's H1): the supervisor's copy, the first key,
 * does not open the archive of epoch 1, so it is left out (it would have
 * written over that archive) and the key replaced without it: the
 * archive of epoch 1 still opens with the second key.  (The cases sealed
 * to the second key are lost to oversight until their next change:
 * SECURITY.md says so.)
 */
static void
trust__copy_and_statement_put_back__write_over_no_archive(void **state)
{
	struct fixture		*f = *state;
	struct user		 sup, aud;
	struct vault_key	*k2;
	struct archive_op	 op;
	enum meta_key		 metas[] = { META_ORG_OVERSIGHT, META_ORG_INDEX };
	const char		*labels[] = { LAYOUT_LABEL_OVERSIGHT,
				    LAYOUT_LABEL_INDEX };
	uint8_t			*st[2], *cp[2];
	size_t			 stlen[2], cplen[2], i;
	uint64_t		 id1, id2;
	char			*alabel;

	admin_add(f, "aud", "auditor", 1);
	for (i = 0; i < 2; i++) {
		raw_meta(f, meta_key_name(metas[i]), &st[i], &stlen[i], 0);
		raw_copy(f, labels[i], "sup", &cp[i], &cplen[i], 0);
	}
	two_epochs(f, &id1, &id2);
	in(f, &aud, "aud");
	k2 = kept_key(f, &aud, LAYOUT_LABEL_OVERSIGHT);
	out(&aud);
	for (i = 0; i < 2; i++) {
		raw_meta(f, meta_key_name(metas[i]), &st[i], &stlen[i], 1);
		raw_copy(f, labels[i], "sup", &cp[i], &cplen[i], 1);
		free(st[i]);
		free(cp[i]);
	}
	in(f, &sup, "sup");		/* its copy is not the key of epoch 2 */
	assert_int_equal(epoch(f, &sup, LAYOUT_LABEL_OVERSIGHT), 3);
	out(&sup);
	alabel = layout_label_archive(LAYOUT_LABEL_OVERSIGHT, 1);
	op.label = alabel;
	op.next = k2;
	assert_int_equal(store_run(f->s, archive_txn, &op, NULL), 0);
	free(alabel);
	vault_key_free(k2);
}

/*
 * A file writer plants archive rows at the epochs to come (helper-41's
 * H4): each new statement would be refused as replaced.  A replacement
 * removes the row at its new epoch: registering works at once.
 */
static void
trust__archives_planted_ahead__are_removed(void **state)
{
	struct fixture	*f = *state;
	struct user	 sup;
	uint8_t		 junk[VAULT_SEALED_LEN];
	char		*alabel;
	int64_t		 e;

	memset(junk, 0x44, sizeof junk);
	for (e = 2; e <= 3; e++) {
		alabel = layout_label_archive(LAYOUT_LABEL_OVERSIGHT, e);
		raw_key_row(f, alabel, KEYRING_NEXT, junk, sizeof junk);
		free(alabel);
	}
	for (e = 2; e <= 3; e++) {
		admin_add(f, e == 2 ? "passant" : "passante", "registrar", 1);
		admin_disable(f, e == 2 ? "passant" : "passante", 1);
		in(f, &sup, "sup");
		assert_int_equal(epoch(f, &sup, LAYOUT_LABEL_OVERSIGHT), e);
		new_case(&sup, "Racket au poste de Gao");
		out(&sup);
	}
}

/*
 * Junk where a supervisor's copies are, and the mark (helper-41's M1):
 * the supervisor still signs in (a damaged copy is not held).
 */
static void
trust__damaged_copy__does_not_stop_sign_in(void **state)
{
	struct fixture	*f = *state;
	struct user	 sup;
	uint8_t		 junk[108];

	memset(junk, 0x55, sizeof junk);
	raw_key_row(f, LAYOUT_LABEL_OVERSIGHT, "sup", junk, sizeof junk);
	raw_key_row(f, LAYOUT_LABEL_INDEX, "sup", junk, sizeof junk);
	assert_int_equal(store_run(f->s, mark_txn,
	    (void *)LAYOUT_LABEL_OVERSIGHT, NULL), 0);
	in(f, &sup, "sup");		/* fails the test if sign-in fails */
	out(&sup);
}

/*
 * A supervisor with the files keeps the oversight seed and removes the
 * other holder's copy before being disabled (helper-41's H3): no holder
 * is left to replace the key, and new cases would go on being sealed to
 * the seed they kept.  The next supervisor replaces it without the old
 * key (the earlier cases open for their investigators and with the
 * recovery key): the seed opens no new case.
 */
static void
trust__copies_removed__do_not_keep_the_key(void **state)
{
	struct fixture		*f = *state;
	struct user		 sup, sup2, reg;
	struct vault_key	*seed;
	uint64_t		 id;

	admin_add(f, "sup2", "supervisor", 1);
	in(f, &sup2, "sup2");
	seed = kept_key(f, &sup2, LAYOUT_LABEL_OVERSIGHT);
	out(&sup2);
	raw_key_row(f, LAYOUT_LABEL_OVERSIGHT, "sup", NULL, 0);
	admin_disable(f, "sup2", 1);
	in(f, &sup, "sup");
	assert_int_equal(epoch(f, &sup, LAYOUT_LABEL_OVERSIGHT), 2);
	out(&sup);
	in(f, &reg, "reg");
	id = new_case(&reg, "Racket au poste de Gao");
	out(&reg);
	assert_false(seed_opens(f, seed, id));
	in(f, &sup, "sup");
	assert_true(reads(&sup, id));
	out(&sup);
	vault_key_free(seed);
}

/*
 * A file writer removes the archive of epoch 1 after a replacement, so
 * that no copy can be checked against it: the key is still replaced at
 * the next disabling (a copy that cannot be checked is taken as it is),
 * not left, with new cases, to the key the disabled account kept.
 */
static void
trust__archive_removed__does_not_stop_the_replacement(void **state)
{
	struct fixture	*f = *state;
	struct user	 sup;
	char		*alabel;
	uint64_t	 id1, id2;

	two_epochs(f, &id1, &id2);
	alabel = layout_label_archive(LAYOUT_LABEL_OVERSIGHT, 1);
	raw_key_row(f, alabel, KEYRING_NEXT, NULL, 0);
	free(alabel);
	admin_add(f, "passante", "registrar", 1);
	admin_disable(f, "passante", 1);
	in(f, &sup, "sup");
	assert_int_equal(epoch(f, &sup, LAYOUT_LABEL_OVERSIGHT), 3);
	assert_true(reads(&sup, id2));
	out(&sup);
}

/*
 * The index key's copies of every supervisor removed, an investigator's
 * left (helper-42's HIGH 2): investigators cannot replace the key, so
 * they do not count as holders who will; the next supervisor replaces it
 * without the old one once a holder was disabled.
 */
static void
trust__index_copies_removed__investigators_do_not_count(void **state)
{
	struct fixture		*f = *state;
	struct user		 sup, sup2;
	struct vault_key	*kept;

	admin_add(f, "sup2", "supervisor", 1);
	in(f, &sup2, "sup2");
	kept = kept_key(f, &sup2, LAYOUT_LABEL_INDEX);
	out(&sup2);
	raw_key_row(f, LAYOUT_LABEL_INDEX, "sup", NULL, 0);
	admin_disable(f, "sup2", 1);
	in(f, &sup, "sup");
	assert_int_equal(epoch(f, &sup, LAYOUT_LABEL_INDEX), 2);
	out(&sup);
	vault_key_free(kept);
}

/*
 * A link of the index key's archives removed (helper-42's HIGH 3): a
 * lookup by agent still finds the agents indexed since, instead of
 * failing for every number.
 */
static void
trust__index_archive_removed__later_agents_still_found(void **state)
{
	struct fixture	*f = *state;
	struct user	 sup;
	uint64_t	 id1, id2, *ids;
	size_t		 n;
	char		*alabel, *cause = NULL;

	two_epochs(f, &id1, &id2);
	in(f, &sup, "sup");
	add_agent(&sup, id2, "PN-9001");
	out(&sup);
	alabel = layout_label_archive(LAYOUT_LABEL_INDEX, 1);
	raw_key_row(f, alabel, KEYRING_NEXT, NULL, 0);
	free(alabel);
	in(f, &sup, "sup");
	if (casefile_agent_cases(&sup.ctx, "PN-9001", &ids, &n, &cause) != 0)
		fail_msg("agent: %s", cause);
	assert_int_equal(n, 1);
	assert_true(ids[0] == id2);
	free(ids);
	out(&sup);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    trust__damaged_history__is_named_and_gives_nothing,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__signer_self__tells_unapproved_from_approver_gone,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__second_key_approved_behind_its_owner__signs_for_nobody,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__key_of_the_initial_passphrase__signs_for_nobody,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__approval_of_an_older_row__kept_when_it_is_disabled,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__check_finds__an_approval_a_disabled_supervisor_backdated,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__unapproved_account__signs_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__signing_key_swapped_in_a_row__signs_for_nobody,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__signer_disabled_since__still_vouches_for_what_it_signed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__admin_made_supervisor__reads_nothing_until_approved,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__refuses__an_account_with_its_initial_passphrase,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__role_flipped_by_hand__yields_no_key, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    trust__disabled_flag_cleared_by_hand__yields_no_key, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    trust__disabled_supervisor__cannot_forge_an_approval,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__copied_approval__is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__replaced_oversight_key__makes_sealing_refuse, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    trust__replaced_root_key__refuses_sign_in, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    trust__root_key_replaced_in_every_row__does_not_unlock,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__forged_index_key__is_not_used, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__revoked_grant__no_longer_opens_the_next_version,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__disabling_a_supervisor__rotates_the_organisation_keys,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__recovery_key__replaces_keys_no_approver_can,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__recovery_copy_removed__still_lets_the_key_be_replaced,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__earlier_statement_and_no_mark__still_replace_the_key,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__epoch_set_back__overwrites_no_archive,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__planted_recovery_copy__is_never_archived,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__statement_anchor__follows_the_log, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    trust__statement_put_back__loses_no_epoch, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    trust__planted_archive__is_written_over, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    trust__copy_and_statement_put_back__write_over_no_archive,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__archives_planted_ahead__are_removed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    trust__damaged_copy__does_not_stop_sign_in, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    trust__copies_removed__do_not_keep_the_key, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    trust__archive_removed__does_not_stop_the_replacement,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__index_copies_removed__investigators_do_not_count,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__index_archive_removed__later_agents_still_found,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__approver_cut_off_by_a_long_chain__is_found_by_a_short_one,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__check_finds__an_account_row_put_back, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    trust__box_key_swapped_after_the_fingerprint_was_read__is_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__planted_holder_rows__get_nothing_at_a_rekey, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    trust__planted_case_key__writes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__disabled_holder__gets_nothing_new_without_the_rekey_mark,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__rotation__needs_no_mark_and_cannot_be_undone,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__unassigned_holder__cannot_write_themselves_back,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__case_holder__cannot_write_themselves_onto_a_witness,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__unassigned_holder__opens_no_witness_written_afterwards,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__forged_change__is_not_signed_by_the_next_writer,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__reassigned_holder__gets_no_witness_key_back_by_hand,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__reassigned_holder__gets_the_witness_key_by_a_grant,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__former_holder__gets_nothing_by_log_row_or_mark,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    trust__holder_no_longer_vouched_for__loses_witness_keys,
		    setup, teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
