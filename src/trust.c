/*
 * trust.c: see trust.h.
 */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "audit.h"
#include "i18n.h"
#include "keyring.h"
#include "layout.h"
#include "record.h"
#include "session.h"
#include "sigmemo.h"
#include "store.h"
#include "trust.h"
#include "util.h"
#include "vault.h"

#define TRUST_DEPTH	8	/* the longest chain of approvals followed */
/* Audit entries a statement's anchor may lag before it is moved on. */
#define TRUST_ANCHOR_SPAN 256

/* A growing buffer of what is signed. */
struct trust_msg {
	uint8_t	*buf;
	size_t	 len;
};

static void
trust_add(struct trust_msg *m, const void *p, size_t len)
{
	m->buf = xrealloc(m->buf, m->len + len);
	memcpy(m->buf + m->len, p, len);
	m->len += len;
}

static void
trust_add_str(struct trust_msg *m, const char *s)
{
	trust_add(m, s, strlen(s) + 1);		/* with its NUL */
}

static void
trust_add_int(struct trust_msg *m, int64_t v)
{
	uint8_t	 b[8];

	put_be64(b, (uint64_t)v);
	trust_add(m, b, sizeof b);
}

/*
 * What an approval signs: the account's name, role, public keys and the
 * organisation keys it pinned, when and by whom (docs/FORMAT.md).
 */
static void
trust_approval_msg(const struct account *a, enum role role,
    const struct account_approval *ap, struct trust_msg *m)
{
	memset(m, 0, sizeof *m);
	trust_add_str(m, "dossier-approval-v1");
	trust_add_str(m, a->name);
	trust_add_str(m, access_role_name(role));
	trust_add(m, a->box_pk, VAULT_PK_LEN);
	trust_add(m, a->sign_pk, VAULT_PK_LEN);
	trust_add(m, a->org_pk, VAULT_PK_LEN);
	trust_add(m, a->root_pk, VAULT_PK_LEN);
	trust_add_int(m, ap->at);
	trust_add_str(m, ap->by);
}

/*
 * What the approver compares with the account's owner: a fingerprint of
 * everything an approval signs but its date and signer (the name, the
 * role, both public keys and the organisation keys pinned).  The owner
 * reads it from 'dossier user fingerprint', signed in, so that a key
 * swapped in the row shows as a different fingerprint.
 */
void
trust_fingerprint(const struct account *a, char *out)
{
	struct trust_msg	 m;
	uint8_t			 h[VAULT_HASH_LEN];

	memset(&m, 0, sizeof m);
	trust_add_str(&m, "dossier-account-v1");
	trust_add_str(&m, a->name);
	trust_add_str(&m, access_role_name(a->role));
	trust_add(&m, a->box_pk, VAULT_PK_LEN);
	trust_add(&m, a->sign_pk, VAULT_PK_LEN);
	trust_add(&m, a->org_pk, VAULT_PK_LEN);
	trust_add(&m, a->root_pk, VAULT_PK_LEN);
	vault_hash(m.buf, m.len, h);
	free(m.buf);
	vault_fingerprint(h, out);
}

/*
 * Where the audit log stood when a statement was signed: whoever checks
 * it reads the log from there, and a disabled account since makes the
 * key due for replacement, whatever statement or mark was put back.
 */
struct trust_anchor {
	int	 set;		/* 0: a statement from before anchors */
	uint64_t seq;
	uint8_t	 hash[VAULT_HASH_LEN];
};

/* What an organisation key's statement signs. */
static void
trust_statement_msg(const char *label, const uint8_t *value, int64_t epoch,
    const char *holders, const char *by, const struct trust_anchor *an,
    struct trust_msg *m)
{
	memset(m, 0, sizeof *m);
	trust_add_str(m, an->set ? "dossier-org-key-v3" :
	    "dossier-org-key-v2");
	trust_add_str(m, label);
	trust_add(m, value, TRUST_VALUE_LEN);
	trust_add_int(m, epoch);
	trust_add_str(m, holders);
	trust_add_str(m, by);
	if (an->set) {
		trust_add_int(m, (int64_t)an->seq);
		trust_add(m, an->hash, VAULT_HASH_LEN);
	}
}

/* Sign ap (by and at set) for a's current keys and role. */
void
trust_sign_approval(const struct account *a, const struct vault_identity *id,
    struct account_approval *ap)
{
	struct trust_msg	 m;

	trust_approval_msg(a, a->role, ap, &m);
	vault_sign(id, m.buf, m.len, ap->sig);
	free(m.buf);
}

int
trust_entitled(enum role role, const char *label)
{
	if (strcmp(label, LAYOUT_LABEL_OVERSIGHT) == 0)
		return (role == ROLE_SUPERVISOR || role == ROLE_AUDITOR);
	if (strcmp(label, LAYOUT_LABEL_INDEX) == 0)
		return (role != ROLE_ADMIN);
	return (0);
}

void
trust_key_value(const char *label, const struct vault_key *k, uint8_t *value)
{
	struct vault_identity	*ov;

	if (strcmp(label, LAYOUT_LABEL_OVERSIGHT) == 0) {
		ov = vault_identity_from_key(k);
		memcpy(value, vault_identity_box_pk(ov), TRUST_VALUE_LEN);
		vault_identity_free(ov);
	} else
		vault_key_hash(k, "dossier-index-id", 16, value);
}

/* An organisation key in the user's words. */
static const char *
trust_key_name(const char *label)
{
	return (strcmp(label, LAYOUT_LABEL_OVERSIGHT) == 0 ? _("oversight") :
	    _("agents' index"));
}

static enum meta_key
trust_meta(const char *label)
{
	return (strcmp(label, LAYOUT_LABEL_OVERSIGHT) == 0 ?
	    META_ORG_OVERSIGHT : META_ORG_INDEX);
}

/* Write the signed statement of an organisation key. */
static int
trust_statement_put(struct store_txn *t, const char *label,
    const uint8_t *value, int64_t epoch, const char *holders, const char *by,
    const struct trust_anchor *keep, const struct vault_identity *signer,
    char **cause)
{
	struct trust_anchor	 an;
	struct trust_msg	 m;
	struct record		*r;
	uint8_t			 sig[VAULT_SIG_LEN], *v;
	size_t			 len;
	int			 rc;

	/* Kept when a holder is added: a disabling since stays in view. */
	if (keep != NULL)
		an = *keep;
	else {
		an.set = 1;
		if ((rc = audit_head_in(t, &an.seq, an.hash, cause)) != 0)
			return (rc);
	}
	trust_statement_msg(label, value, epoch, holders, by, &an, &m);
	vault_sign(signer, m.buf, m.len, sig);
	free(m.buf);
	r = record_create();
	record_set(r, "value", value, TRUST_VALUE_LEN);
	record_set_int(r, "epoch", epoch);
	record_set_str(r, "holders", holders);
	record_set_str(r, "by", by);
	if (an.set) {
		record_set_int(r, "aseq", (int64_t)an.seq);
		record_set(r, "ahash", an.hash, VAULT_HASH_LEN);
	}
	record_set(r, "sig", sig, sizeof sig);
	record_encode(r, &v, &len);
	record_free(r);
	rc = meta_put(t, trust_meta(label), v, len, 0, cause);
	free(v);
	return (rc);
}

int
trust_org_init(struct store_txn *t, const struct vault_identity *root,
    char **cause)
{
	const char		*labels[] = { LAYOUT_LABEL_OVERSIGHT,
				    LAYOUT_LABEL_INDEX };
	struct vault_key	*k;
	uint8_t			 value[TRUST_VALUE_LEN];
	size_t			 i;
	int			 rc = 0;

	for (i = 0; rc == 0 && i < sizeof labels / sizeof labels[0]; i++) {
		k = vault_key_generate();
		trust_key_value(labels[i], k, value);
		rc = keyring_seal_recovery(t, labels[i], k,
		    vault_identity_box_pk(root), cause);
		if (rc == 0)
			rc = trust_statement_put(t, labels[i], value, 1, "",
			    TRUST_ROOT, NULL, root, cause);
		vault_key_free(k);
	}
	return (rc);
}

static int trust_authority(struct store_txn *, const struct account *,
    const char *, int, uint8_t *, char **);
static int trust_count_in(struct store_txn *, const struct account *,
    size_t *, char **);

/* Does this approval of a, as role, verify along a chain to the root? */
static int
trust_approval_ok(struct store_txn *t, const struct account *viewer,
    const struct account *a, const struct account_approval *ap,
    enum role role, int depth)
{
	struct trust_msg	 m;
	uint8_t			 pk[VAULT_PK_LEN];
	int			 ok;

	if (ap->by == NULL ||
	    memcmp(a->root_pk, viewer->root_pk, VAULT_PK_LEN) != 0 ||
	    memcmp(a->org_pk, viewer->org_pk, VAULT_PK_LEN) != 0)
		return (0);
	if (strcmp(ap->by, TRUST_ROOT) == 0)
		memcpy(pk, viewer->root_pk, VAULT_PK_LEN);
	else if (strcmp(ap->by, a->name) == 0 ||
	    trust_authority(t, viewer, ap->by, depth + 1, pk, NULL) != 0)
		return (0);
	trust_approval_msg(a, role, ap, &m);
	ok = sigmemo_verify(pk, m.buf, m.len, ap->sig) == 0;
	free(m.buf);
	return (ok);
}

/*
 * Is this account an approved, enabled supervisor or auditor?  Its
 * signing key then vouches for what it signs.  Only its current approval
 * counts: once it is disabled, neither what it signs from then on nor
 * what it approved before vouches for anything (an approval dated before
 * the disabling would be as easy to forge, with the key it kept).
 */
static int
trust_authority(struct store_txn *t, const struct account *viewer,
    const char *name, int depth, uint8_t *pk, char **cause)
{
	struct account	*a;
	int		 ok;

	if (depth > TRUST_DEPTH)
		return (err_set(cause, _("The chain of approvals is too long "
		    "or goes round in a circle.")));
	if (account_get_in(t, name, &a, cause) != 0)
		return (-1);
	ok = (a->role == ROLE_SUPERVISOR || a->role == ROLE_AUDITOR) &&
	    !a->disabled && !a->must_change &&
	    trust_approval_ok(t, viewer, a, &a->approval, a->role, depth);
	if (ok)
		memcpy(pk, a->sign_pk, VAULT_PK_LEN);
	account_free(a);
	if (!ok)
		return (err_set(cause, _("%s was not approved as a supervisor "
		    "or auditor."), name));
	return (0);
}

/* 0 if the signed-in user is an approved supervisor or auditor. */
int
trust_authority_self(struct store_txn *t, const struct session *sess)
{
	uint8_t	 pk[VAULT_PK_LEN];

	return (trust_authority(t, sess->user, sess->user->name, 0, pk, NULL));
}

/* Signing keys, 32 bytes each. */
struct trust_keys {
	uint8_t	*pk;
	size_t	 n;
};

/* One search for the keys an account held: its approvers' keys, once. */
struct trust_held {
	struct store_txn	*t;
	const uint8_t		*root;
	struct trust_approver {
		char		*name;
		struct trust_keys keys;
		int		 depth;	/* the link it was found at */
		int		 busy;	/* being found: a circle finds none */
	}			*by;
	size_t			 nby;
};

static void
trust_keys_add(struct trust_keys *k, const uint8_t *pk)
{
	k->pk = xrealloc(k->pk, (k->n + 1) * VAULT_PK_LEN);
	memcpy(k->pk + k->n++ * VAULT_PK_LEN, pk, VAULT_PK_LEN);
}

static int
trust_keys_has(const struct trust_keys *k, const uint8_t *pk)
{
	size_t	 i;

	for (i = 0; i < k->n; i++)
		if (memcmp(k->pk + i * VAULT_PK_LEN, pk, VAULT_PK_LEN) == 0)
			return (1);
	return (0);
}

static void trust_held_keys(struct trust_held *, const struct account *, int,
    int, struct trust_keys *);

/* The keys an approver held as a supervisor or auditor (none if unknown). */
static const struct trust_keys *
trust_approver_keys(struct trust_held *h, const char *name, int depth)
{
	struct account	*a;
	struct trust_keys keys;
	size_t		 i;

	for (i = 0; i < h->nby; i++)
		if (strcmp(h->by[i].name, name) == 0)
			break;
	if (i < h->nby) {
		/* Found before: again only if a shorter chain may find
		 * what the longest one allowed cut off. */
		if (h->by[i].busy || h->by[i].keys.n != 0 ||
		    h->by[i].depth <= depth)
			return (&h->by[i].keys);
	} else {
		h->by = xrealloc(h->by, (h->nby + 1) * sizeof *h->by);
		i = h->nby++;
		h->by[i].name = xstrdup(name);
		memset(&h->by[i].keys, 0, sizeof h->by[i].keys);
	}
	h->by[i].depth = depth;
	h->by[i].busy = 1;
	memset(&keys, 0, sizeof keys);
	if (depth <= TRUST_DEPTH && account_get_in(h->t, name, &a, NULL) == 0) {
		trust_held_keys(h, a, 1, depth, &keys);
		account_free(a);
	}
	free(h->by[i].keys.pk);
	h->by[i].keys = keys;
	h->by[i].busy = 0;
	return (&h->by[i].keys);
}

/*
 * Does this approval of a's name, for these keys and role, verify under
 * the root or under a key its approver held as a supervisor or auditor?
 */
static int
trust_past_approval_ok(struct trust_held *h, const struct account *a,
    const struct account_past_approval *pa, int depth)
{
	struct account			 tmp;
	struct account_approval		 ap;
	const struct trust_keys		*keys;
	struct trust_keys		 root;
	struct trust_msg		 m;
	size_t				 i;
	int				 ok = 0;

	if (memcmp(pa->root_pk, h->root, VAULT_PK_LEN) != 0 ||
	    strcmp(pa->by, a->name) == 0)
		return (0);
	if (strcmp(pa->by, TRUST_ROOT) == 0) {
		root.pk = (uint8_t *)h->root;
		root.n = 1;
		keys = &root;
	} else
		keys = trust_approver_keys(h, pa->by, depth + 1);
	if (keys->n == 0)
		return (0);
	memset(&tmp, 0, sizeof tmp);
	tmp.name = a->name;
	memcpy(tmp.box_pk, pa->box_pk, VAULT_PK_LEN);
	memcpy(tmp.sign_pk, pa->sign_pk, VAULT_PK_LEN);
	memcpy(tmp.org_pk, pa->org_pk, VAULT_PK_LEN);
	memcpy(tmp.root_pk, pa->root_pk, VAULT_PK_LEN);
	ap.by = (char *)pa->by;
	ap.at = pa->at;
	memcpy(ap.sig, pa->sig, VAULT_SIG_LEN);
	trust_approval_msg(&tmp, pa->role, &ap, &m);
	for (i = 0; !ok && i < keys->n; i++)
		ok = sigmemo_verify(keys->pk + i * VAULT_PK_LEN, m.buf, m.len,
		    pa->sig) == 0;
	free(m.buf);
	return (ok);
}

/*
 * The signing keys a held under an approval that verifies along a chain
 * to the root: its current approval and every one of its history,
 * whatever became of the account since (approver: only those approved
 * as a supervisor or auditor).  A replaced key (past_sign_pks) does not
 * count: keys are replaced only at the first change of a passphrase an
 * administrator chose, so the replaced key was never approved.
 */
static void
trust_held_keys(struct trust_held *h, const struct account *a, int approver,
    int depth, struct trust_keys *out)
{
	struct account_past_approval	 pa;
	size_t				 off = 0;
	int				 more;

	for (;;) {
		if ((more = account_history_next(a, &off, &pa)) != 1)
			break;
		if (approver && pa.role != ROLE_SUPERVISOR &&
		    pa.role != ROLE_AUDITOR)
			continue;
		if (!trust_keys_has(out, pa.sign_pk) &&
		    trust_past_approval_ok(h, a, &pa, depth))
			trust_keys_add(out, pa.sign_pk);
	}
	/* An approval written before approvals were kept in a history. */
	if (a->approval.by != NULL && !trust_keys_has(out, a->sign_pk) &&
	    (!approver || a->role == ROLE_SUPERVISOR ||
	    a->role == ROLE_AUDITOR) &&
	    strlen(a->approval.by) < sizeof pa.by) {
		pa.role = a->role;
		memcpy(pa.box_pk, a->box_pk, VAULT_PK_LEN);
		memcpy(pa.sign_pk, a->sign_pk, VAULT_PK_LEN);
		memcpy(pa.org_pk, a->org_pk, VAULT_PK_LEN);
		memcpy(pa.root_pk, a->root_pk, VAULT_PK_LEN);
		memcpy(pa.by, a->approval.by, strlen(a->approval.by) + 1);
		pa.at = a->approval.at;
		memcpy(pa.sig, a->approval.sig, VAULT_SIG_LEN);
		if (trust_past_approval_ok(h, a, &pa, depth))
			trust_keys_add(out, a->sign_pk);
	}
	/*
	 * An account's keys change only at the first change of the
	 * passphrase its administrator chose, before any approval: two
	 * approved keys mean one was approved behind the owner's back (by
	 * an approver who can write the files), and neither counts.
	 */
	if (out->n > 1)
		out->n = 0;
}

int
trust_signer(struct store_txn *t, const uint8_t *root,
    const struct account *a, const uint8_t *pk)
{
	struct trust_held	 h;
	struct trust_keys	 keys;
	size_t			 i;
	int			 ok;

	memset(&h, 0, sizeof h);
	h.t = t;
	h.root = root;
	memset(&keys, 0, sizeof keys);
	trust_held_keys(&h, a, 0, 0, &keys);
	ok = trust_keys_has(&keys, pk);
	free(keys.pk);
	for (i = 0; i < h.nby; i++) {
		free(h.by[i].name);
		free(h.by[i].keys.pk);
	}
	free(h.by);
	return (ok ? 0 : -1);
}

struct trust_self_op {
	const struct session	*sess;
	int			 signs;
};

static int
trust_signer_self_txn(struct store_txn *t, void *arg, char **cause)
{
	struct trust_self_op	*op = arg;
	struct account		*me;
	int			 rc;

	if ((rc = account_get_in(t, op->sess->user->name, &me, cause)) != 0)
		return (rc);
	op->signs = trust_signer(t, op->sess->user->root_pk, me,
	    vault_identity_sign_pk(op->sess->id)) == 0;
	account_free(me);
	return (0);
}

int
trust_signer_self(struct store *s, const struct session *sess)
{
	struct trust_self_op	 op;
	char			*cause = NULL;

	op.sess = sess;
	op.signs = 0;
	if (store_run(s, trust_signer_self_txn, &op, &cause) != 0) {
		free(cause);
		return (0);
	}
	return (op.signs);
}

int
trust_approved(struct store_txn *t, const struct account *viewer,
    const struct account *a)
{
	return (!a->disabled && a->role != ROLE_ADMIN &&
	    trust_approval_ok(t, viewer, a, &a->approval, a->role, 0));
}

int
trust_account(struct store_txn *t, const struct account *viewer,
    const struct account *a, enum role *role, char **cause)
{
	if (a->disabled)
		return (err_set(cause, _("The account '%s' is disabled."),
		    a->name));
	if (a->role == ROLE_ADMIN)
		return (err_set(cause, _("%s is an administrator: "
		    "administrators never receive a key."), a->name));
	if (a->must_change)
		return (err_set(cause, _("%s has not chosen their own "
		    "passphrase yet: nothing is given to an account whose "
		    "passphrase an administrator chose."), a->name));
	if (a->approval.by == NULL)
		return (err_set(cause, _("%s has not been approved yet: a "
		    "supervisor or auditor must first compare their key's "
		    "fingerprint with them ('dossier user approve %s')."),
		    a->name, a->name));
	if (!trust_approval_ok(t, viewer, a, &a->approval, a->role, 0)) {
		uint8_t	 pk[VAULT_PK_LEN];

		if (strcmp(a->approval.by, TRUST_ROOT) != 0 &&
		    strcmp(a->approval.by, a->name) != 0 &&
		    trust_authority(t, viewer, a->approval.by, 1, pk,
		    NULL) != 0)
			return (err_set(cause, _("%s was approved by %s, who is "
			    "no longer an approved supervisor or auditor: a "
			    "supervisor or auditor must approve %s again."),
			    a->name, a->approval.by, a->name));
		return (err_set(cause, _("The account '%s' does not match its "
		    "approval: its role or keys were changed outside dossier. "
		    "Nothing was given to it."), a->name));
	}
	if (role != NULL)
		*role = a->role;
	return (0);
}

int
trust_user_pk(struct store_txn *t, const struct account *viewer,
    const char *name, uint8_t *pk, enum role *role, char **cause)
{
	struct account	*a;
	int		 rc;

	if ((rc = account_get_in(t, name, &a, cause)) != 0)
		return (rc);
	if ((rc = trust_account(t, viewer, a, role, cause)) == 0)
		memcpy(pk, a->box_pk, VAULT_PK_LEN);
	account_free(a);
	return (rc);
}

int
trust_org_value(struct store_txn *t, const struct account *viewer,
    const char *label, uint8_t *value, char **cause)
{
	int64_t	 epoch;

	return (trust_org_state(t, viewer, label, value, &epoch, cause));
}

/* An organisation key's statement as stored, not checked yet. */
struct trust_stmt {
	uint8_t			 value[TRUST_VALUE_LEN];
	uint8_t			 sig[VAULT_SIG_LEN];
	int64_t			 epoch;
	char			*holders;
	char			*by;
	struct trust_anchor	 anchor;
};

static void
trust_stmt_free(struct trust_stmt *st)
{
	free(st->holders);
	free(st->by);
	memset(st, 0, sizeof *st);
}

/* 0, 1 if it does not decode, or the store's error (STORE_NOTFOUND). */
static int
trust_stmt_get(struct store_txn *t, const char *label, struct trust_stmt *st,
    char **cause)
{
	struct record	*r;
	const void	*val, *sig, *ah;
	const char	*by, *hl;
	uint8_t		*v;
	size_t		 len, vlen, siglen, ahlen;
	int		 rc, ok;

	memset(st, 0, sizeof *st);
	if ((rc = meta_get(t, trust_meta(label), &v, &len, cause)) != 0)
		return (rc);
	r = record_decode(v, len, NULL);
	free(v);
	ok = r != NULL && (val = record_get(r, "value", &vlen)) != NULL &&
	    vlen == TRUST_VALUE_LEN && (by = record_get_str(r, "by")) != NULL &&
	    (sig = record_get(r, "sig", &siglen)) != NULL &&
	    siglen == VAULT_SIG_LEN;
	if (ok) {
		memcpy(st->value, val, TRUST_VALUE_LEN);
		memcpy(st->sig, sig, VAULT_SIG_LEN);
		st->epoch = record_get_int(r, "epoch", 0);
		st->holders = xstrdup((hl = record_get_str(r, "holders")) !=
		    NULL ? hl : "");
		st->by = xstrdup(by);
		if ((ah = record_get(r, "ahash", &ahlen)) != NULL &&
		    ahlen == VAULT_HASH_LEN) {
			st->anchor.set = 1;
			st->anchor.seq = (uint64_t)record_get_int(r, "aseq", 0);
			memcpy(st->anchor.hash, ah, VAULT_HASH_LEN);
		}
	}
	record_free(r);
	return (ok ? 0 : 1);
}

/* Does the statement verify under pk? */
static int
trust_stmt_signed(const char *label, const struct trust_stmt *st,
    const uint8_t *pk)
{
	struct trust_msg	 m;
	int			 ok;

	trust_statement_msg(label, st->value, st->epoch, st->holders, st->by,
	    &st->anchor, &m);
	ok = sigmemo_verify(pk, m.buf, m.len, st->sig) == 0;
	free(m.buf);
	return (ok);
}

/*
 * An organisation key's statement, checked: signed by the root or by an
 * approved supervisor or auditor, and not an earlier one put back (an
 * epoch that was replaced has its archive under @next).  holders (if not
 * NULL) gets the accounts the key was given to, comma-separated; anchor
 * (if not NULL) where the audit log stood when it was signed.
 */
static int
trust_org_read(struct store_txn *t, const struct account *viewer,
    const char *label, uint8_t *value, int64_t *epoch, char **holders,
    struct trust_anchor *anchor, char **cause)
{
	struct trust_stmt	 st;
	uint8_t			 pk[VAULT_PK_LEN];
	char			*alabel;
	int			 rc, ok = 0;

	if (holders != NULL)
		*holders = NULL;
	if ((rc = trust_stmt_get(t, label, &st, cause)) == STORE_NOTFOUND) {
		err_clear(cause);
		return (err_set(cause, _("The organisation's %s key is missing "
		    "from the store: it was removed outside dossier."),
		    trust_key_name(label)));
	}
	if (rc < 0)
		return (rc);
	if (rc == 0) {
		*epoch = st.epoch;
		if (strcmp(st.by, TRUST_ROOT) == 0) {
			memcpy(pk, viewer->root_pk, VAULT_PK_LEN);
			ok = 1;
		} else if (trust_authority(t, viewer, st.by, 0, pk, NULL) == 0)
			ok = 1;
		else if (account_exists_in(t, st.by)) {
			/* Its signer was disabled since: replaced soon. */
			rc = err_set(cause, _("The organisation's %s key was "
			    "last replaced by %s, whose account was disabled "
			    "since: it is replaced when the next approved "
			    "supervisor or auditor signs in, or when the "
			    "holder of the recovery key approves one. Nothing "
			    "was saved."), trust_key_name(label), st.by);
			trust_stmt_free(&st);
			return (rc);
		}
		ok = ok && trust_stmt_signed(label, &st, pk);
	}
	if (ok) {
		memcpy(value, st.value, TRUST_VALUE_LEN);
		if (holders != NULL)
			*holders = xstrdup(st.holders);
		if (anchor != NULL)
			*anchor = st.anchor;
	}
	trust_stmt_free(&st);
	if (!ok)
		return (err_set(cause, _("The organisation's %s key in the store "
		    "is not the one the organisation signed: it was replaced "
		    "outside dossier, and nothing will be sealed to it or "
		    "opened with it; nothing was saved."), trust_key_name(label)));
	alabel = layout_label_archive(label, *epoch);
	rc = keyring_holds(t, alabel, KEYRING_NEXT, cause);
	free(alabel);
	if (rc != 0 && holders != NULL) {
		free(*holders);
		*holders = NULL;
	}
	if (rc > 0) {
		return (err_set(cause, _("The organisation's %s key in the store "
		    "is one that was replaced since: it was put back outside "
		    "dossier, and nothing will be sealed to it; nothing was "
		    "saved."), trust_key_name(label)));
	}
	return (rc);
}

int
trust_org_state(struct store_txn *t, const struct account *viewer,
    const char *label, uint8_t *value, int64_t *epoch, char **cause)
{
	return (trust_org_read(t, viewer, label, value, epoch, NULL, NULL,
	    cause));
}

static int
trust_disable_cb(const struct audit_entry *e, void *arg)
{
	(void)arg;
	return (strcmp(e->action, "user.disable") == 0);
}

/*
 * Does the audit log show an account disabled since the anchor (the
 * whole log for a statement without one)?  1 also if the log no longer
 * extends the anchor: replacing the key is the safe answer.
 */
static int
trust_disabled_since(struct store_txn *t, const struct trust_anchor *an)
{
	return (audit_after_in(t, an->set ? an->seq : 0, an->hash,
	    trust_disable_cb, NULL, NULL) != 0);
}

/*
 * Must the organisation key be replaced?  When its holder was disabled
 * (the mark), but also, whatever marks say, when its statement no longer
 * verifies, or names a holder the organisation no longer vouches for.
 */
int
trust_org_rotation_due(struct store_txn *t, const struct account *viewer,
    const char *label, char **cause)
{
	struct trust_anchor	 an;
	struct account		*a;
	uint8_t			 value[TRUST_VALUE_LEN];
	int64_t			 epoch;
	char			*holders, *tok, *save;
	int			 rc, due = 0;

	if ((rc = layout_rotate_due(t, label, cause)) != 0)
		return (rc);
	if (trust_org_read(t, viewer, label, value, &epoch, &holders, &an,
	    NULL) != 0)
		return (1);
	/* The mark and the holders are rows a file writer can put back. */
	if (trust_disabled_since(t, &an)) {
		free(holders);
		return (1);
	}
	for (tok = strtok_r(holders, ",", &save); !due && tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if ((rc = account_get_in(t, tok, &a, NULL)) != 0) {
			due = 1;
			continue;
		}
		due = trust_account(t, viewer, a, NULL, NULL) != 0;
		account_free(a);
	}
	free(holders);
	return (due);
}

/*
 * The key was given to name: its statement, re-signed by signer (the
 * root, or the approved supervisor or auditor by), lists it.
 */
int
trust_org_add_holder(struct store_txn *t, const struct account *viewer,
    const char *label, const char *name, const char *by,
    const struct vault_identity *signer, char **cause)
{
	struct trust_anchor	 an;
	uint8_t			 value[TRUST_VALUE_LEN];
	int64_t			 epoch;
	char			*holders, *nh;
	int			 rc;

	if ((rc = trust_org_read(t, viewer, label, value, &epoch, &holders,
	    &an, cause)) != 0)
		return (rc);
	if (list_has(holders, name)) {
		free(holders);
		return (0);
	}
	xasprintf(&nh, "%s%s%s", holders, *holders != '\0' ? "," : "", name);
	free(holders);
	rc = trust_statement_put(t, label, value, epoch, nh, by, &an, signer,
	    cause);
	free(nh);
	return (rc);
}

int
trust_org_key_check(struct store_txn *t, const struct account *viewer,
    const char *label, const struct vault_key *k, char **cause)
{
	uint8_t	 want[TRUST_VALUE_LEN], have[TRUST_VALUE_LEN];
	int	 rc;

	if ((rc = trust_org_value(t, viewer, label, want, cause)) != 0)
		return (rc);
	trust_key_value(label, k, have);
	if (memcmp(want, have, sizeof want) != 0)
		return (err_set(cause, _("The %s key sealed to you is not the "
		    "organisation's: it was put there outside dossier, and it "
		    "is not used; nothing was saved."), trust_key_name(label)));
	return (0);
}

/* The highest epoch the audit log's org.rotate entries give a key. */
struct trust_epochs {
	const char	*label;
	int64_t		 max;
};

static int
trust_epochs_cb(const struct audit_entry *e, void *arg)
{
	struct trust_epochs	*te = arg;
	const char		*d = e->detail;
	size_t			 n = strlen(te->label);
	long long		 v;
	char			*end;

	if (strcmp(e->action, "org.rotate") != 0 || d == NULL ||
	    strncmp(d, te->label, n) != 0 || strncmp(d + n, " epoch=", 7) != 0)
		return (0);
	v = strtoll(d + n + 7, &end, 10);
	if (*end == '\0' && v > te->max && v < INT32_MAX)
		te->max = v;
	return (0);
}

/*
 * Before a key is replaced: the epoch it is at, and whether old (the copy
 * the replacer opened) is its key.  The epoch is the audit log's (the
 * last org.rotate entry for it, signed and chained; 1 if none), never a
 * statement's, which a file writer can put back and any key can sign.
 * old is the key of epoch E > 1 only if it opens the archive of E - 1
 * (the key of E - 1 encrypted under the key of E): a copy put back from
 * an earlier epoch, or planted, does not, and the key is left for a
 * holder with a genuine copy (0 in *usable).  An archive removed checks
 * nothing: the copy is taken as it is, or no one could replace the key.  At epoch 1 nothing can be
 * checked: the copy is archived as it is (a planted one then opens none
 * of the earlier cases, and reveals nothing).  Rows planted at epochs
 * above E go: the new statement's epoch must have no archive.
 */
static int
trust_org_prior(struct store_txn *t, const char *label,
    const struct vault_key *old, int64_t *epoch, int *usable, char **cause)
{
	struct trust_epochs	 te;
	struct vault_key	*prev = NULL;
	uint8_t			 none[VAULT_HASH_LEN];
	char			*alabel;
	int			 rc;

	te.label = label;
	te.max = 1;
	memset(none, 0, sizeof none);
	if ((rc = audit_after_in(t, 0, none, trust_epochs_cb, &te,
	    cause)) != 0)
		return (rc);
	*epoch = te.max;
	*usable = 1;
	if (old != NULL && *epoch > 1) {
		alabel = layout_label_archive(label, *epoch - 1);
		rc = keyring_archive_open(t, alabel, old, &prev, cause);
		free(alabel);
		vault_key_free(prev);
		if (rc == STORE_NOTFOUND)	/* removed: nothing to check */
			err_clear(cause);
		else if (rc == -1) {
			err_clear(cause);
			*usable = 0;
			return (0);
		} else if (rc != 0)
			return (rc);
	}
	alabel = layout_label_archive(label, *epoch + 1);
	rc = keyring_revoke(t, alabel, KEYRING_NEXT, cause);
	free(alabel);
	return (rc);
}

/*
 * Replace an organisation key: a new key, the old one kept encrypted
 * under it (so earlier cases still open), a statement signed by signer
 * (by names it: a supervisor or auditor, or the root), and copies for
 * the recovery key and every approved account entitled to it (the
 * others' copies are deleted).
 */
static int
trust_org_replace(struct store_txn *t, struct session *sess,
    const char *label, const struct vault_key *old, struct account **users,
    size_t n, const char *by, const struct vault_identity *signer,
    const uint8_t *recovery_pk, char **cause)
{
	struct vault_key	*k, *none;
	uint8_t			 value[TRUST_VALUE_LEN];
	int64_t			 epoch;
	enum role		 role;
	char			*alabel, *holders, *nh;
	size_t			 i;
	int			 rc, usable;

	/*
	 * The old key is only kept to open what was sealed before;
	 * everything new goes to the key made here.
	 */
	if ((rc = trust_org_prior(t, label, old, &epoch, &usable,
	    cause)) != 0)
		return (rc);
	/*
	 * A copy that is not the key of its epoch is left out, and the key
	 * replaced all the same: waiting for a genuine copy could be put
	 * off for ever by a file writer, with new cases sealed to a key a
	 * disabled account kept.
	 */
	if (!usable)
		old = NULL;
	k = vault_key_generate();
	none = old == NULL ? vault_key_generate() : NULL;
	alabel = layout_label_archive(label, epoch);
	rc = keyring_archive_put(t, alabel, k, old != NULL ? old : none, cause);
	free(alabel);
	vault_key_free(none);
	trust_key_value(label, k, value);
	if (rc == 0)
		rc = keyring_seal_recovery(t, label, k, recovery_pk, cause);
	holders = xstrdup("");
	for (i = 0; rc == 0 && i < n; i++) {
		if (trust_entitled(users[i]->role, label) &&
		    trust_account(t, sess->user, users[i], &role, NULL) == 0) {
			rc = keyring_seal(t, label, k, users[i]->name,
			    users[i]->box_pk, cause);
			xasprintf(&nh, "%s%s%s", holders, *holders != '\0' ?
			    "," : "", users[i]->name);
			free(holders);
			holders = nh;
		} else
			rc = keyring_revoke(t, label, users[i]->name, cause);
	}
	if (rc == 0)
		rc = trust_statement_put(t, label, value, epoch + 1, holders,
		    by, NULL, signer, cause);
	free(holders);
	if (rc == 0)
		rc = layout_rotate_clear(t, label, cause);
	if (rc == 0)
		rc = audit_appendf(t, &sess->signer, "org.rotate", NULL, cause,
		    "%s epoch=%lld", label, (long long)(epoch + 1));
	vault_key_free(k);
	return (rc);
}

/*
 * Replace an organisation key whose holder was disabled, signed by the
 * signed-in supervisor or auditor.  0 without doing anything if the user
 * may not sign statements: the next one who may does it.
 */
int
trust_org_rotate(struct store_txn *t, struct session *sess, const char *label,
    const struct vault_key *old, struct account **users, size_t n,
    char **cause)
{
	uint8_t	 pk[VAULT_PK_LEN];
	int	 rc;

	if (trust_authority(t, sess->user, sess->user->name, 0, pk,
	    NULL) != 0)
		return (0);
	if ((rc = account_recovery_pk(t, sess->user, pk, cause)) != 0)
		return (rc);
	return (trust_org_replace(t, sess, label, old, users, n,
	    sess->user->name, sess->id, pk, cause));
}

/*
 * A statement whose anchor lies far back in the audit log (or that has
 * none) is signed again, unchanged, with the log's head as its anchor,
 * by the signed-in supervisor or auditor: whoever checks it next reads
 * the log from there, not from its start.  Only once the key is known
 * not to be due (trust_org_rotation_due() first).
 */
int
trust_org_reanchor(struct store_txn *t, struct session *sess,
    const char *label, char **cause)
{
	struct trust_anchor	 an;
	uint8_t			 value[TRUST_VALUE_LEN], hash[VAULT_HASH_LEN];
	uint8_t			 pk[VAULT_PK_LEN];
	uint64_t		 head;
	int64_t			 epoch;
	char			*holders;
	int			 rc;

	if (trust_authority(t, sess->user, sess->user->name, 0, pk,
	    NULL) != 0)
		return (0);
	if ((rc = audit_head_in(t, &head, hash, cause)) != 0)
		return (rc);
	if ((rc = trust_org_read(t, sess->user, label, value, &epoch,
	    &holders, &an, cause)) != 0)
		return (rc);
	if (!an.set || head > an.seq + TRUST_ANCHOR_SPAN)
		rc = trust_statement_put(t, label, value, epoch, holders,
		    sess->user->name, NULL, sess->id, cause);
	free(holders);
	return (rc);
}

/* "ab12 cd34 ..." as typed: hex digits only, lower case. */
static void
trust_fp_norm(const char *in, char *out, size_t size)
{
	size_t	 n = 0;

	for (; *in != '\0' && n + 1 < size; in++)
		if (isxdigit((unsigned char)*in))
			out[n++] = (char)tolower((unsigned char)*in);
	out[n] = '\0';
}

struct trust_approve_op {
	struct session			*sess;
	const char			*name;
	const char			*fingerprint;
	const struct vault_identity	*root;
	size_t				 approvers;	/* before it */
};

/* Pass on the organisation keys the approved role needs. */
static int
trust_pass_keys(struct store_txn *t, struct trust_approve_op *op,
    const struct account *a, char **cause)
{
	const char		*labels[] = { LAYOUT_LABEL_OVERSIGHT,
				    LAYOUT_LABEL_INDEX };
	struct vault_key	*k;
	size_t			 i;
	int			 rc = 0;

	for (i = 0; rc == 0 && i < sizeof labels / sizeof labels[0]; i++) {
		if (!trust_entitled(a->role, labels[i]))
			continue;
		k = NULL;
		if (op->root != NULL)
			rc = keyring_open(t, labels[i], KEYRING_RECOVERY,
			    op->root, &k, cause);
		else
			rc = keyring_open(t, labels[i], op->sess->user->name,
			    op->sess->id, &k, cause);
		if (rc == STORE_NOTFOUND) {	/* a holder passes it on */
			err_clear(cause);
			rc = 0;
			continue;
		}
		if (rc == 0)
			rc = trust_org_key_check(t, op->sess->user, labels[i], k,
			    cause);
		if (rc == -1 && op->root != NULL) {
			/* A recovery copy planted: a holder passes it on. */
			err_clear(cause);
			vault_key_free(k);
			rc = 0;
			continue;
		}
		if (rc == 0)
			rc = keyring_seal(t, labels[i], k, a->name, a->box_pk,
			    cause);
		if (rc == 0)
			rc = trust_org_add_holder(t, op->sess->user, labels[i],
			    a->name, op->root != NULL ? TRUST_ROOT :
			    op->sess->user->name, op->root != NULL ? op->root :
			    op->sess->id, cause);
		vault_key_free(k);
	}
	return (rc);
}

/*
 * With the recovery key, when no approved supervisor or auditor is left
 * (the account disabled had approved every one), replace first an
 * organisation key that is due: no one else can.  The old key is the
 * recovery copy, kept to open earlier cases if its statement says it is
 * the organisation's.  While an approver is left, the next one to sign
 * in replaces it with the copy sealed to them, as after any disabling.
 */
static int
trust_root_rotate(struct store_txn *t, struct trust_approve_op *op,
    char **cause)
{
	const char		*labels[] = { LAYOUT_LABEL_OVERSIGHT,
				    LAYOUT_LABEL_INDEX };
	struct account		**users;
	struct vault_key	*k;
	size_t			  i, n;
	int			  rc = 0, had;

	if (op->approvers != 0)
		return (0);
	if (account_list_in(t, &users, &n, cause) != 0)
		return (-1);
	for (i = 0; rc == 0 && i < sizeof labels / sizeof labels[0]; i++) {
		if ((rc = trust_org_rotation_due(t, op->sess->user, labels[i],
		    cause)) <= 0)
			continue;
		/* A copy removed or damaged: the key is replaced anyway. */
		rc = keyring_open(t, labels[i], KEYRING_RECOVERY, op->root, &k,
		    cause);
		if (rc == STORE_NOTFOUND || rc == -1) {
			err_clear(cause);
			k = NULL;
		} else if (rc != 0)
			break;
		had = k != NULL;
		rc = trust_org_replace(t, op->sess, labels[i], k, users, n,
		    TRUST_ROOT, op->root, vault_identity_box_pk(op->root),
		    cause);
		vault_key_free(k);
		/* A copy that is not the key of its epoch: none, then. */
		if (rc == 0 && had && (rc = trust_org_rotation_due(t,
		    op->sess->user, labels[i], cause)) > 0)
			rc = trust_org_replace(t, op->sess, labels[i], NULL,
			    users, n, TRUST_ROOT, op->root,
			    vault_identity_box_pk(op->root), cause);
	}
	account_list_free(users, n);
	return (rc);
}

static int
trust_approve_txn(struct store_txn *t, void *arg, char **cause)
{
	struct trust_approve_op	*op = arg;
	const struct account	*me = op->sess->user;
	struct account_approval	 ap;
	struct account		*a;
	uint8_t			 pk[VAULT_PK_LEN];
	char			 fp[VAULT_FINGERPRINT_LEN], want[64], got[64];
	int			 rc;

	if ((rc = account_root_pk(t, me, pk, cause)) != 0)
		return (rc);
	if (op->root != NULL && memcmp(vault_identity_sign_pk(op->root),
	    me->root_pk, VAULT_PK_LEN) != 0)
		return (err_set(cause, _("This recovery key is not your "
		    "organisation's: nothing was approved.")));
	if (op->root == NULL && trust_authority(t, me, me->name, 0, pk,
	    NULL) != 0)
		return (err_set(cause, _("Only a supervisor or auditor who was "
		    "approved can approve an account; nothing was approved.")));
	if ((rc = account_get_in(t, op->name, &a, cause)) != 0)
		return (rc);
	trust_fingerprint(a, fp);
	trust_fp_norm(op->fingerprint, want, sizeof want);
	trust_fp_norm(fp, got, sizeof got);
	if (a->role == ROLE_ADMIN)
		rc = err_set(cause, _("%s is an administrator: administrators "
		    "are not approved, they never receive a key."), a->name);
	else if (op->root == NULL && strcmp(a->name, me->name) == 0)
		rc = err_set(cause, _("You cannot approve your own account: "
		    "that takes a second person."));
	else if (a->disabled)
		rc = err_set(cause, _("The account '%s' is disabled; enable it "
		    "first."), a->name);
	else if (a->must_change)
		rc = err_set(cause, _("%s has not chosen their own passphrase "
		    "yet ('dossier user passwd'): their key will change, so it "
		    "cannot be approved now."), a->name);
	else if (trust_approved(t, me, a))
		rc = err_set(cause, _("%s is already approved."), a->name);
	else if (strcmp(want, got) != 0)
		rc = err_set(cause, _("The fingerprint you were given does not "
		    "match %s's account: nothing was approved. Ask them to run "
		    "'dossier user fingerprint' and read it to you, in person "
		    "or on a call you trust."), a->name);
	if (rc != 0) {
		account_free(a);
		return (rc);
	}

	if (op->root != NULL && (rc = trust_count_in(t, me, &op->approvers,
	    cause)) != 0) {
		account_free(a);
		return (rc);
	}
	memset(&ap, 0, sizeof ap);
	ap.by = op->root != NULL ? (char *)TRUST_ROOT : me->name;
	ap.at = now();
	trust_sign_approval(a, op->root != NULL ? op->root : op->sess->id,
	    &ap);
	if ((rc = account_approve_in(t, a->name, &ap, cause)) == 0 &&
	    (op->root == NULL || (rc = trust_root_rotate(t, op, cause)) == 0) &&
	    (rc = trust_pass_keys(t, op, a, cause)) == 0)
		rc = audit_appendf(t, &op->sess->signer, "user.approve", NULL,
		    cause, "%s role=%s key=%s by=%s", a->name,
		    access_role_name(a->role), fp, ap.by);
	account_free(a);
	return (rc);
}

int
trust_approve(struct session *sess, const char *name, const char *fingerprint,
    const struct vault_identity *root, char **cause)
{
	struct trust_approve_op	 op;

	if (root == NULL && sess->user->role != ROLE_SUPERVISOR &&
	    sess->user->role != ROLE_AUDITOR)
		return (err_set(cause, _("Only a supervisor or auditor, or the "
		    "holder of the organisation recovery key, can approve an "
		    "account.")));
	memset(&op, 0, sizeof op);
	op.sess = sess;
	op.name = name;
	op.fingerprint = fingerprint;
	op.root = root;
	return (store_run(sess->store, trust_approve_txn, &op, cause));
}

struct trust_list_op {
	const struct account	 *viewer;
	struct account		**list;
	size_t			  n;
	int			 *approved;
};

static int
trust_list_txn(struct store_txn *t, void *arg, char **cause)
{
	struct trust_list_op	*op = arg;
	size_t			 i;

	(void)cause;
	for (i = 0; i < op->n; i++)
		op->approved[i] = trust_approved(t, op->viewer, op->list[i]);
	return (0);
}

int
trust_mark_approved(struct store *s, const struct account *viewer,
    struct account **list, size_t n, int *approved, char **cause)
{
	struct trust_list_op	 op;

	op.viewer = viewer;
	op.list = list;
	op.n = n;
	op.approved = approved;
	return (store_run(s, trust_list_txn, &op, cause));
}

struct trust_count_op {
	const struct account	*viewer;
	size_t			 n;
};

/* How many approved, enabled supervisors and auditors there are. */
static int
trust_count_in(struct store_txn *t, const struct account *viewer, size_t *np,
    char **cause)
{
	struct account	**list;
	uint8_t		  pk[VAULT_PK_LEN];
	size_t		  i, n;

	if (account_list_in(t, &list, &n, cause) != 0)
		return (-1);
	*np = 0;
	for (i = 0; i < n; i++)
		if (trust_authority(t, viewer, list[i]->name, 0, pk,
		    NULL) == 0)
			(*np)++;
	account_list_free(list, n);
	return (0);
}

static int
trust_count_txn(struct store_txn *t, void *arg, char **cause)
{
	struct trust_count_op	*op = arg;

	return (trust_count_in(t, op->viewer, &op->n, cause));
}

int
trust_approvers(struct store *s, const struct account *viewer, size_t *n,
    char **cause)
{
	struct trust_count_op	 op;
	int			 rc;

	op.viewer = viewer;
	op.n = 0;
	rc = store_run(s, trust_count_txn, &op, cause);
	*n = op.n;
	return (rc);
}

/*
 * After a supervisor or auditor was disabled: if no approved one is left,
 * what that stops and the way out, in one sentence (NULL otherwise).
 */
char *
trust_disable_notice(struct store *s, const struct account *viewer,
    enum role role)
{
	size_t	 n;

	if ((role != ROLE_SUPERVISOR && role != ROLE_AUDITOR) ||
	    trust_approvers(s, viewer, &n, NULL) != 0 || n != 0)
		return (NULL);
	return (xstrdup(_("No approved supervisor or auditor remains: "
	    "no account can be approved and no case registered until the "
	    "holder of the organisation recovery key approves one again "
	    "('dossier user approve NAME --fingerprint FP --recovery-key "
	    "FILE').")));
}

/*
 * 'dossier check': every account's status against the audit log, which is
 * chained, signed and anchored outside the users table.  An account row
 * put back as it was before its disabling, or an approval written in by
 * hand, disagrees with the last entries about the account.
 */
struct trust_check {
	struct account	**list;
	size_t		  n;
	uint64_t	 *status_seq;	/* last add, disable or enable */
	int		 *disabled;	/* what that entry did */
	uint64_t	 *approve_seq;	/* last approval */
	char		**approvals;	/* details of the entries that count */
	size_t		  napprovals;
};

static int
trust_check_admin(const struct trust_check *ac, const char *user)
{
	size_t	 i;

	for (i = 0; i < ac->n; i++)
		if (strcmp(ac->list[i]->name, user) == 0)
			return (ac->list[i]->role == ROLE_ADMIN);
	return (0);
}

/* "NAME role=R key=FP by=X": X is the row's approver, and signed it. */
static int
trust_check_approver(const struct account *a, const struct audit_entry *e)
{
	const char	*by;
	size_t		 len;

	if (a->approval.by == NULL || e->detail == NULL ||
	    (by = strstr(e->detail, " by=")) == NULL)
		return (0);
	by += 4;
	len = strcspn(by, " ");
	if (strlen(a->approval.by) != len ||
	    strncmp(a->approval.by, by, len) != 0)
		return (0);
	return (strcmp(a->approval.by, "@root") == 0 ||
	    strcmp(a->approval.by, e->user) == 0);
}

/*
 * Does this approval entry count for an account's history: signed by the
 * approver it names (any user for the root's), who was not disabled then?
 */
static int
trust_check_signed(const struct trust_check *ac,
    const struct audit_entry *e)
{
	const char	*by;
	size_t		 i;

	if (e->detail == NULL || (by = strstr(e->detail, " by=")) == NULL)
		return (0);
	by += 4;
	if (strcmp(by, TRUST_ROOT) == 0)
		return (1);
	if (strcmp(by, e->user) != 0)
		return (0);
	for (i = 0; i < ac->n; i++)
		if (strcmp(ac->list[i]->name, by) == 0)
			return (!ac->disabled[i]);
	return (0);
}

/*
 * Each approval of an account's history must have its entry in the
 * audit log (what 'user approve' writes with it): one added by hand, by
 * a disabled approver with the key they kept, has none.  fn gets a
 * sentence for the first that has none; 1 if so.
 */
static int
trust_check_history(const struct trust_check *ac, const struct account *a,
    void (*fn)(const char *, void *), void *arg)
{
	struct account_past_approval	 pa;
	struct account			 tmp;
	char				 fp[VAULT_FINGERPRINT_LEN], *want, *p;
	size_t				 off = 0, j;
	int				 more, found;

	while ((more = account_history_next(a, &off, &pa)) == 1) {
		memset(&tmp, 0, sizeof tmp);
		tmp.name = a->name;
		tmp.role = pa.role;
		memcpy(tmp.box_pk, pa.box_pk, VAULT_PK_LEN);
		memcpy(tmp.sign_pk, pa.sign_pk, VAULT_PK_LEN);
		memcpy(tmp.org_pk, pa.org_pk, VAULT_PK_LEN);
		memcpy(tmp.root_pk, pa.root_pk, VAULT_PK_LEN);
		trust_fingerprint(&tmp, fp);
		xasprintf(&want, "%s role=%s key=%s by=%s", a->name,
		    access_role_name(pa.role), fp, pa.by);
		for (found = 0, j = 0; !found && j < ac->napprovals; j++)
			found = strcmp(ac->approvals[j], want) == 0;
		free(want);
		if (found)
			continue;
		xasprintf(&p, _("The account '%s' has in its history an "
		    "approval by %s that the audit log does not record: it was "
		    "put there outside dossier."), a->name, pa.by);
		fn(p, arg);
		free(p);
		return (1);
	}
	if (more == -1) {
		xasprintf(&p, _("The account '%s' has a damaged history of "
		    "approvals."), a->name);
		fn(p, arg);
		free(p);
		return (1);
	}
	return (0);
}

static int
trust_check_cb(const struct audit_entry *e, void *arg)
{
	struct trust_check	*ac = arg;
	const char		*d = e->detail != NULL ? e->detail : "";
	size_t			 len = strcspn(d, " "), i;
	int			 kind;

	if (strcmp(e->action, "user.add") == 0)
		kind = 0;
	else if (strcmp(e->action, "user.disable") == 0)
		kind = 1;
	else if (strcmp(e->action, "user.enable") == 0)
		kind = 2;
	else if (strcmp(e->action, "user.approve") == 0)
		kind = 3;
	else
		return (0);
	/*
	 * Only entries by whom may make them count: an administrator's for
	 * a status, the approver's own (or any, for the root) for an
	 * approval.  An entry a user signed about herself counts for
	 * nothing.
	 */
	if (kind != 3 && !trust_check_admin(ac, e->user))
		return (0);
	for (i = 0; i < ac->n; i++) {
		if (strlen(ac->list[i]->name) != len ||
		    strncmp(ac->list[i]->name, d, len) != 0)
			continue;
		if (kind == 3) {
			if (trust_check_approver(ac->list[i], e))
				ac->approve_seq[i] = e->seq;
			if (trust_check_signed(ac, e)) {
				ac->approvals = xrealloc(ac->approvals,
				    (ac->napprovals + 1) *
				    sizeof *ac->approvals);
				ac->approvals[ac->napprovals++] =
				    xstrdup(d);
			}
		} else {
			ac->status_seq[i] = e->seq;
			ac->disabled[i] = kind == 1;
		}
	}
	return (0);
}

int
trust_check_accounts(struct store *s, void (*fn)(const char *, void *), void *arg,
    size_t *problems, char **cause)
{
	struct trust_check	 ac;
	struct account		*a;
	char			*p;
	size_t			 i;
	int			 rc;

	*problems = 0;
	memset(&ac, 0, sizeof ac);
	if (account_list(s, &ac.list, &ac.n, cause) != 0)
		return (-1);
	ac.status_seq = xcalloc(ac.n + 1, sizeof *ac.status_seq);
	ac.disabled = xcalloc(ac.n + 1, sizeof *ac.disabled);
	ac.approve_seq = xcalloc(ac.n + 1, sizeof *ac.approve_seq);
	rc = audit_scan(s, trust_check_cb, &ac, cause);
	for (i = 0; rc == 0 && i < ac.n; i++) {
		a = ac.list[i];
		p = NULL;
		if (ac.disabled[i] && !a->disabled)
			xasprintf(&p, _("The account '%s' was disabled (audit "
			    "entry %" PRIu64 "), but its record says it is "
			    "enabled: the record was put back outside dossier."),
			    a->name, ac.status_seq[i]);
		else if (a->disabled && !ac.disabled[i])
			xasprintf(&p, _("The account '%s' is disabled in its "
			    "record, but the audit log does not say so: it was "
			    "changed outside dossier."), a->name);
		else if (a->approval.by != NULL && (ac.approve_seq[i] == 0 ||
		    ac.approve_seq[i] < ac.status_seq[i]))
			xasprintf(&p, _("The account '%s' carries an approval "
			    "that the audit log does not record since its last "
			    "change (entry %" PRIu64 "): it was put there "
			    "outside dossier."), a->name, ac.status_seq[i]);
		if (p != NULL) {
			fn(p, arg);
			free(p);
			(*problems)++;
		}
		*problems += (size_t)trust_check_history(&ac, a, fn, arg);
	}
	for (i = 0; i < ac.napprovals; i++)
		free(ac.approvals[i]);
	free(ac.approvals);
	free(ac.status_seq);
	free(ac.disabled);
	free(ac.approve_seq);
	account_list_free(ac.list, ac.n);
	return (rc);
}
