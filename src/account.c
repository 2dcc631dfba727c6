/*
 * account.c: accounts, first set-up and sign-in.
 *
 * The Argon2id derivation is slow on purpose (about half a second), so it
 * always runs before or after the short store transaction, never inside.
 */
#include "config.h"

#include <stdio.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "account.h"
#include "audit.h"
#include "i18n.h"
#include "keyring.h"
#include "layout.h"
#include "prompt.h"
#include "record.h"
#include "session.h"
#include "store.h"
#include "util.h"

struct account_op {
	const char		*name;
	struct account		*acct;		/* read result */
	struct record		*rec;		/* record to write */
	const uint8_t		*recovery_pk;
	const struct vault_identity *root;	/* init */
	account_org_fn		 org;
	const struct account_approval *approval;
	enum vault_cost		 cost;
	int			 disabled;
	/* passwd */
	const uint8_t		*old_sign_pk;
	const struct vault_identity *old_id;
	const struct vault_identity *new_id;
	const uint8_t		*secret;
	size_t			 secretlen;
	const struct session	*sess;		/* for the audit entry */
};

int
account_check_name(const char *name, char **cause)
{
	size_t	 i, len = strlen(name);

	if (len == 0 || len > ACCOUNT_NAME_MAX)
		return (err_set(cause, _("A user name has 1 to %d characters."),
		    ACCOUNT_NAME_MAX));
	for (i = 0; i < len; i++) {
		if ((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= '0' && name[i] <= '9') ||
		    (i > 0 && (name[i] == '.' || name[i] == '_' ||
		    name[i] == '-')))
			continue;
		return (err_set(cause, _("The user name '%s' is not valid: use "
		    "lower-case letters, digits, '.', '_' and '-', starting "
		    "with a letter or digit."), name));
	}
	return (0);
}

/* The rule account_check_passphrase() applies, in one sentence. */
char *
account_passphrase_rule(void)
{
	char	*out;

	xasprintf(&out, _("A passphrase has at least %d characters; a few "
	    "unrelated words work well."), ACCOUNT_PASS_MIN);
	return (out);
}

static int
account_taken(const char *name, char **cause)
{
	return (err_set(cause, _("A user named '%s' already exists."), name));
}

static int
account_free_name_txn(struct store_txn *t, void *arg, char **cause)
{
	const char	*name = arg;

	return (account_exists_in(t, name) ? account_taken(name, cause) : 0);
}

/* 0 if no account has this name (asked before a passphrase is typed). */
int
account_name_free(struct store *s, const char *name, char **cause)
{
	return (store_run(s, account_free_name_txn, (void *)name, cause));
}

/*
 * A minimum strength: long enough, varied enough, and not the user name.
 * Length matters most; a few unrelated words pass easily.
 */
int
account_check_passphrase(const char *name, const char *pass, char **cause)
{
	size_t		 i, len = strlen(pass), chars = 0, distinct = 0;
	unsigned char	 seen[256];

	if (len > ACCOUNT_PASS_MAX)
		return (err_set(cause, _("The passphrase is too long (at most "
		    "%d bytes)."), ACCOUNT_PASS_MAX));
	memset(seen, 0, sizeof seen);
	for (i = 0; i < len; i++) {
		if (((unsigned char)pass[i] & 0xc0) != 0x80)
			chars++;
		if (!seen[(unsigned char)pass[i]]++)
			distinct++;
	}
	if (chars < ACCOUNT_PASS_MIN)
		return (err_set(cause, _("The passphrase is too short: use at "
		    "least %d characters (a few unrelated words work well)."),
		    ACCOUNT_PASS_MIN));
	if (distinct < 6)
		return (err_set(cause, _("The passphrase repeats too few "
		    "different characters; choose a few unrelated words.")));
	if (name != NULL && strlen(name) >= 3 && strcasestr(pass, name) != NULL)
		return (err_set(cause, _("The passphrase must not contain the "
		    "user name.")));
	return (0);
}

unsigned int
account_failure_delay(int64_t failures)
{
	if (failures <= 0)
		return (0);
	if (failures > 5)
		return (ACCOUNT_DELAY_MAX);
	return (1U << (failures - 1));
}

/* An approval's three fields: PREFIXed_by, PREFIXed_at, PREFIXal. */
static void
account_approval_to_record(struct record *r, const char *prefix,
    const struct account_approval *ap)
{
	char	 by[32], at[32], sig[32];

	snprintf(by, sizeof by, "%sed_by", prefix);
	snprintf(at, sizeof at, "%sed_at", prefix);
	snprintf(sig, sizeof sig, "%sal", prefix);
	if (ap->by == NULL) {
		record_unset(r, by);
		record_unset(r, at);
		record_unset(r, sig);
		return;
	}
	record_set_str(r, by, ap->by);
	record_set_int(r, at, ap->at);
	record_set(r, sig, ap->sig, VAULT_SIG_LEN);
}

static void
account_approval_from_record(const struct record *r, const char *prefix,
    struct account_approval *ap)
{
	char		 by[32], at[32], sig[32];
	const char	*s;
	const void	*v;
	size_t		 len;

	snprintf(by, sizeof by, "%sed_by", prefix);
	snprintf(at, sizeof at, "%sed_at", prefix);
	snprintf(sig, sizeof sig, "%sal", prefix);
	memset(ap, 0, sizeof *ap);
	if ((s = record_get_str(r, by)) == NULL ||
	    (v = record_get(r, sig, &len)) == NULL || len != VAULT_SIG_LEN)
		return;
	ap->by = xstrdup(s);
	ap->at = record_get_int(r, at, 0);
	memcpy(ap->sig, v, VAULT_SIG_LEN);
}

static struct record *
account_to_record(const struct account *a)
{
	struct record	*r;

	r = record_create();
	record_set_str(r, "name", a->name);
	record_set_str(r, "role", access_role_name(a->role));
	record_set_int(r, "disabled", a->disabled);
	record_set_int(r, "must_change", a->must_change);
	record_set_int(r, "created", a->created);
	record_set_int(r, "failures", a->failures);
	record_set(r, "box_pk", a->box_pk, VAULT_PK_LEN);
	record_set(r, "sign_pk", a->sign_pk, VAULT_PK_LEN);
	record_set(r, "secret", a->secret, a->secretlen);
	if (a->pastlen != 0)
		record_set(r, "past_sign_pks", a->past_sign_pks, a->pastlen);
	record_set(r, "org_pk", a->org_pk, VAULT_PK_LEN);
	record_set(r, "root_pk", a->root_pk, VAULT_PK_LEN);
	account_approval_to_record(r, "approv", &a->approval);
	if (a->historylen != 0)
		record_set(r, "history", a->history, a->historylen);
	return (r);
}

/*
 * The history of approvals: each one a 4-byte length and a record of
 * what it approved (docs/FORMAT.md, "Accounts").  A new approval is
 * added to the row's history in the transaction that writes it.
 */
static void
account_history_add(struct record *r, const struct account_approval *ap)
{
	struct record	*e;
	const char	*role, *fields[] = { "box_pk", "sign_pk", "org_pk",
			    "root_pk" };
	const void	*old, *v;
	uint8_t		*buf, *eb;
	size_t		 oldlen = 0, elen, len, i;

	e = record_create();
	if ((role = record_get_str(r, "role")) != NULL)
		record_set_str(e, "role", role);
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if ((v = record_get(r, fields[i], &len)) != NULL)
			record_set(e, fields[i], v, len);
	record_set_str(e, "by", ap->by);
	record_set_int(e, "at", ap->at);
	record_set(e, "sig", ap->sig, VAULT_SIG_LEN);
	record_encode(e, &eb, &elen);
	record_free(e);
	if ((old = record_get(r, "history", &oldlen)) == NULL)
		oldlen = 0;
	buf = xmalloc(oldlen + 4 + elen);
	if (oldlen != 0)
		memcpy(buf, old, oldlen);
	put_be32(buf + oldlen, (uint32_t)elen);
	memcpy(buf + oldlen + 4, eb, elen);
	record_set(r, "history", buf, oldlen + 4 + elen);
	free(buf);
	free(eb);
}

/* Is this approval (by its signature) in the row's history already? */
static int
account_history_holds(const struct record *r, const struct account_approval *ap)
{
	struct account_past_approval	 pa;
	struct account			 a;
	const void			*h;
	size_t				 off = 0;

	memset(&a, 0, sizeof a);
	if ((h = record_get(r, "history", &a.historylen)) == NULL)
		return (0);
	a.history = (uint8_t *)h;
	while (account_history_next(&a, &off, &pa) == 1)
		if (memcmp(pa.sig, ap->sig, VAULT_SIG_LEN) == 0)
			return (1);
	return (0);
}

int
account_history_next(const struct account *a, size_t *off,
    struct account_past_approval *pa)
{
	struct record	*e;
	const char	*role, *by;
	const void	*v[4];
	const char	*fields[] = { "box_pk", "sign_pk", "org_pk", "root_pk" };
	uint8_t		*dst[4];
	const void	*sig;
	size_t		 len, vlen, siglen, i;
	int		 ok;

	if (*off == a->historylen)
		return (0);
	if (*off > a->historylen || a->historylen - *off < 4)
		return (-1);
	len = get_be32(a->history + *off);
	if (len > a->historylen - *off - 4 ||
	    (e = record_decode(a->history + *off + 4, len, NULL)) == NULL)
		return (-1);
	memset(pa, 0, sizeof *pa);
	dst[0] = pa->box_pk;
	dst[1] = pa->sign_pk;
	dst[2] = pa->org_pk;
	dst[3] = pa->root_pk;
	role = record_get_str(e, "role");
	by = record_get_str(e, "by");
	sig = record_get(e, "sig", &siglen);
	ok = role != NULL && access_role_parse(role, &pa->role) == 0 &&
	    by != NULL && strlen(by) < sizeof pa->by &&
	    sig != NULL && siglen == VAULT_SIG_LEN;
	for (i = 0; ok && i < 4; i++) {
		v[i] = record_get(e, fields[i], &vlen);
		if ((ok = v[i] != NULL && vlen == VAULT_PK_LEN))
			memcpy(dst[i], v[i], VAULT_PK_LEN);
	}
	if (ok) {
		memcpy(pa->by, by, strlen(by) + 1);
		pa->at = record_get_int(e, "at", 0);
		memcpy(pa->sig, sig, VAULT_SIG_LEN);
	}
	record_free(e);
	if (!ok)
		return (-1);
	*off += 4 + len;
	return (1);
}

/* What the current signing key signs: the list of those it replaced. */
static void
account_past_msg(const char *name, const void *past, size_t pastlen,
    uint8_t **msg, size_t *len)
{
	*len = 21 + strlen(name) + 1 + pastlen;
	*msg = xmalloc(*len);
	memcpy(*msg, "dossier-past-keys-v1", 21);	/* with its NUL */
	memcpy(*msg + 21, name, strlen(name) + 1);
	memcpy(*msg + 21 + strlen(name) + 1, past, pastlen);
}

static int
account_past_ok(const struct account *a, const void *past, size_t pastlen,
    const void *sig, size_t siglen)
{
	uint8_t	*msg;
	size_t	 len;
	int	 ok;

	if (sig == NULL || siglen != VAULT_SIG_LEN)
		return (0);
	account_past_msg(a->name, past, pastlen, &msg, &len);
	ok = vault_verify(a->sign_pk, msg, len, sig) == 0;
	free(msg);
	return (ok);
}

static struct account *
account_from_record(const struct record *r, char **cause)
{
	struct account	*a;
	const char	*name, *role;
	const void	*box, *sign, *secret, *past, *org, *root, *psig;
	size_t		 boxlen, signlen, secretlen, pastlen, orglen, rootlen;
	size_t		 siglen = 0;

	name = record_get_str(r, "name");
	role = record_get_str(r, "role");
	box = record_get(r, "box_pk", &boxlen);
	sign = record_get(r, "sign_pk", &signlen);
	org = record_get(r, "org_pk", &orglen);
	root = record_get(r, "root_pk", &rootlen);
	secret = record_get(r, "secret", &secretlen);
	if (name == NULL || role == NULL || box == NULL || sign == NULL ||
	    secret == NULL || boxlen != VAULT_PK_LEN || signlen != VAULT_PK_LEN ||
	    org == NULL || orglen != VAULT_PK_LEN || root == NULL ||
	    rootlen != VAULT_PK_LEN) {
		err_set(cause, _("A user account record is damaged."));
		return (NULL);
	}
	a = xcalloc(1, sizeof *a);
	if (access_role_parse(role, &a->role) != 0) {
		free(a);
		err_set(cause, _("A user account has an unknown role '%s'."),
		    role);
		return (NULL);
	}
	a->name = xstrdup(name);
	a->disabled = record_get_int(r, "disabled", 0) != 0;
	a->must_change = record_get_int(r, "must_change", 0) != 0;
	a->created = record_get_int(r, "created", 0);
	a->failures = record_get_int(r, "failures", 0);
	memcpy(a->box_pk, box, VAULT_PK_LEN);
	memcpy(a->sign_pk, sign, VAULT_PK_LEN);
	memcpy(a->org_pk, org, VAULT_PK_LEN);
	memcpy(a->root_pk, root, VAULT_PK_LEN);
	account_approval_from_record(r, "approv", &a->approval);
	if ((past = record_get(r, "history", &pastlen)) != NULL &&
	    pastlen != 0) {
		a->history = xmalloc(pastlen);
		memcpy(a->history, past, pastlen);
		a->historylen = pastlen;
	}
	a->secret = xmalloc(secretlen);
	memcpy(a->secret, secret, secretlen);
	a->secretlen = secretlen;
	/*
	 * Replaced signing keys verify the entries signed before: only if
	 * the current key signed their list (a key added by hand would let
	 * entries be forged in the user's name).
	 */
	psig = record_get(r, "past_sig", &siglen);
	if ((past = record_get(r, "past_sign_pks", &pastlen)) != NULL &&
	    pastlen % VAULT_PK_LEN == 0 && pastlen != 0 &&
	    account_past_ok(a, past, pastlen, psig, siglen)) {
		a->past_sign_pks = xmalloc(pastlen);
		memcpy(a->past_sign_pks, past, pastlen);
		a->pastlen = pastlen;
	}
	return (a);
}

void
account_free(struct account *a)
{
	if (a == NULL)
		return;
	free(a->name);
	free(a->approval.by);
	free(a->secret);
	free(a->past_sign_pks);
	free(a->history);
	free(a);
}

void
account_list_free(struct account **list, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		account_free(list[i]);
	free(list);
}

/* Read one account record inside a transaction. */
static int
account_read(struct store_txn *t, const char *name, struct record **rp,
    char **cause)
{
	uint8_t	*v;
	size_t	 len;
	int	 rc;

	*rp = NULL;
	rc = store_get(t, STORE_USERS, name, strlen(name), &v, &len, cause);
	if (rc == STORE_NOTFOUND) {
		err_set(cause, _("There is no user named '%s'."), name);
		return (STORE_NOTFOUND);
	}
	if (rc != 0)
		return (rc);
	*rp = record_decode(v, len, cause);
	free(v);
	return (*rp == NULL ? -1 : 0);
}

static int
account_write(struct store_txn *t, const struct record *r, int flags,
    char **cause)
{
	const char	*name = record_get_str(r, "name");
	uint8_t		*buf;
	size_t		 len;
	int		 rc;

	record_encode(r, &buf, &len);
	rc = store_put(t, STORE_USERS, name, strlen(name), buf, len, flags,
	    cause);
	free(buf);
	if (rc == STORE_EXISTS)
		return (account_taken(name, cause));
	return (rc);
}

static int
account_init_txn(struct store_txn *t, void *arg, char **cause)
{
	struct account_op	*op = arg;
	const char		*cost = vault_cost_name(op->cost);
	int			 rc;

	if ((rc = meta_put(t, META_RECOVERY_PK, op->recovery_pk, VAULT_PK_LEN,
	    STORE_NOOVERWRITE, cause)) != 0) {
		if (rc == STORE_EXISTS)
			return (err_set(cause, _("This store is already "
			    "initialised.")));
		return (rc);
	}
	if ((rc = meta_put(t, META_ROOT_PK, vault_identity_sign_pk(op->root),
	    VAULT_PK_LEN, STORE_NOOVERWRITE, cause)) != 0 ||
	    (rc = meta_put(t, META_KDF, cost, strlen(cost), 0, cause)) != 0 ||
	    (rc = op->org(t, op->root, cause)) != 0)
		return (rc);
	return (account_write(t, op->rec, STORE_NOOVERWRITE, cause));
}

/*
 * Set up a new store: the organisation recovery key pair (its secret
 * returned as the text of the recovery file) and the first admin.
 */
int
account_init(struct store *s, const char *name, const char *pass,
    size_t passlen, enum vault_cost cost, account_org_fn org, char **recovery,
    char **cause)
{
	struct account_op	 op;
	struct vault_identity	*root, *id;
	struct account		 a;
	char			*ad;
	int			 rc;

	*recovery = NULL;
	if (account_check_name(name, cause) != 0 ||
	    account_check_passphrase(name, pass, cause) != 0)
		return (-1);
	root = vault_recovery_generate();
	id = vault_identity_generate();
	memset(&a, 0, sizeof a);
	a.name = (char *)name;
	a.role = ROLE_ADMIN;
	a.created = now();
	memcpy(a.box_pk, vault_identity_box_pk(id), VAULT_PK_LEN);
	memcpy(a.sign_pk, vault_identity_sign_pk(id), VAULT_PK_LEN);
	memcpy(a.org_pk, vault_identity_box_pk(root), VAULT_PK_LEN);
	memcpy(a.root_pk, vault_identity_sign_pk(root), VAULT_PK_LEN);
	ad = layout_ad_account(name, a.org_pk, a.root_pk);
	vault_identity_lock(id, pass, passlen, cost, ad, &a.secret,
	    &a.secretlen);
	free(ad);

	memset(&op, 0, sizeof op);
	op.rec = account_to_record(&a);
	op.recovery_pk = vault_identity_box_pk(root);
	op.root = root;
	op.org = org;
	op.cost = cost;
	rc = store_run(s, account_init_txn, &op, cause);
	if (rc == 0)
		*recovery = vault_recovery_encode(root);
	record_free(op.rec);
	free(a.secret);
	vault_identity_free(id);
	vault_identity_free(root);
	return (rc);
}

static int
account_get_txn(struct store_txn *t, void *arg, char **cause)
{
	struct account_op	*op = arg;
	struct record		*r;
	int			 rc;

	if ((rc = account_read(t, op->name, &r, cause)) != 0)
		return (rc);
	op->acct = account_from_record(r, cause);
	record_free(r);
	return (op->acct == NULL ? -1 : 0);
}

int
account_recovery_pk(struct store_txn *t, const struct account *a,
    uint8_t *pk, char **cause)
{
	uint8_t	 store_pk[VAULT_PK_LEN];
	int	 rc;

	rc = meta_get_fixed(t, META_RECOVERY_PK, store_pk, sizeof store_pk,
	    cause);
	if (rc == STORE_NOTFOUND) {
		err_clear(cause);
		return (err_set(cause, _("The organisation recovery key is "
		    "missing from the store: it was removed outside dossier; "
		    "nothing was saved.")));
	}
	if (rc != 0)
		return (rc);
	if (memcmp(store_pk, a->org_pk, VAULT_PK_LEN) != 0)
		return (err_set(cause, _("The organisation's recovery key has "
		    "changed since your account was created: it was replaced "
		    "outside dossier, and nothing will be sealed to it; nothing "
		    "was saved. Compare 'dossier key fingerprint' with the one "
		    "noted at init.")));
	memcpy(pk, a->org_pk, VAULT_PK_LEN);
	return (0);
}

int
account_root_pk(struct store_txn *t, const struct account *a, uint8_t *pk,
    char **cause)
{
	uint8_t	 store_pk[VAULT_PK_LEN];
	int	 rc;

	rc = meta_get_fixed(t, META_ROOT_PK, store_pk, sizeof store_pk, cause);
	if (rc == STORE_NOTFOUND) {
		err_clear(cause);
		return (err_set(cause, _("The organisation's root key is "
		    "missing from the store: it was removed outside dossier; "
		    "nothing was saved.")));
	}
	if (rc != 0)
		return (rc);
	if (memcmp(store_pk, a->root_pk, VAULT_PK_LEN) != 0)
		return (err_set(cause, _("The organisation's root key has "
		    "changed since your account was created: it was replaced "
		    "outside dossier, and nothing it signs is trusted; nothing "
		    "was saved. Compare 'dossier key fingerprint' with the one "
		    "noted at init.")));
	memcpy(pk, a->root_pk, VAULT_PK_LEN);
	return (0);
}

/* Is there an account of that name (its record aside)? */
int
account_exists_in(struct store_txn *t, const char *name)
{
	uint8_t	*v;
	size_t	 len;

	if (store_get(t, STORE_USERS, name, strlen(name), &v, &len,
	    NULL) != 0)
		return (0);
	free(v);
	return (1);
}

int
account_get_in(struct store_txn *t, const char *name, struct account **ap,
    char **cause)
{
	struct record	*r;
	int		 rc;

	*ap = NULL;
	if ((rc = account_read(t, name, &r, cause)) != 0)
		return (rc);
	*ap = account_from_record(r, cause);
	record_free(r);
	return (*ap == NULL ? -1 : 0);
}

int
account_get(struct store *s, const char *name, struct account **ap,
    char **cause)
{
	struct account_op	 op;
	int			 rc;

	memset(&op, 0, sizeof op);
	op.name = name;
	rc = store_run(s, account_get_txn, &op, cause);
	*ap = op.acct;
	return (rc);
}

struct account_listing {
	struct account	**list;
	size_t		  n;
	char		**cause;
	int		  bad;
};

static int
account_list_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct account_listing	*l = arg;
	struct record		*r;
	struct account		*a;

	if ((r = record_decode(v, vlen, l->cause)) == NULL ||
	    (a = account_from_record(r, l->cause)) == NULL) {
		record_free(r);
		l->bad = 1;
		return (-1);
	}
	record_free(r);
	l->list = xrealloc(l->list, (l->n + 1) * sizeof *l->list);
	l->list[l->n++] = a;
	return (0);
}

static int
account_list_txn(struct store_txn *t, void *arg, char **cause)
{
	struct account_listing	*l = arg;

	account_list_free(l->list, l->n);
	l->list = NULL;
	l->n = 0;
	l->cause = cause;
	return (store_scan(t, STORE_USERS, NULL, 0, account_list_cb, l, cause));
}

/* The same inside the caller's transaction (never one nested in it). */
int
account_list_in(struct store_txn *t, struct account ***list, size_t *n,
    char **cause)
{
	struct account_listing	 l;
	int			 rc;

	memset(&l, 0, sizeof l);
	rc = account_list_txn(t, &l, cause);
	if (rc != 0) {
		account_list_free(l.list, l.n);
		*list = NULL;
		*n = 0;
		return (rc);
	}
	*list = l.list;
	*n = l.n;
	return (0);
}

int
account_list(struct store *s, struct account ***list, size_t *n, char **cause)
{
	struct account_listing	 l;
	int			 rc;

	memset(&l, 0, sizeof l);
	rc = store_run(s, account_list_txn, &l, cause);
	if (rc != 0) {
		account_list_free(l.list, l.n);
		*list = NULL;
		*n = 0;
		return (rc);
	}
	*list = l.list;
	*n = l.n;
	return (0);
}

int
account_set_load(struct store *s, struct account_set *set, char **cause)
{
	return (account_list(s, &set->list, &set->n, cause));
}

void
account_set_free(struct account_set *set)
{
	account_list_free(set->list, set->n);
	set->list = NULL;
	set->n = 0;
}

int
account_holds_sign_pk(const struct account *a, const uint8_t *pk)
{
	size_t	 j;

	if (memcmp(a->sign_pk, pk, VAULT_PK_LEN) == 0)
		return (1);
	for (j = 0; j + VAULT_PK_LEN <= a->pastlen; j += VAULT_PK_LEN)
		if (memcmp(a->past_sign_pks + j, pk, VAULT_PK_LEN) == 0)
			return (1);
	return (0);
}

int
account_held_key(const char *user, const uint8_t *pk, void *arg)
{
	const struct account_set	*set = arg;
	size_t				 i;

	for (i = 0; i < set->n; i++)
		if (strcmp(set->list[i]->name, user) == 0)
			return (account_holds_sign_pk(set->list[i], pk));
	return (0);
}

int
account_verify_audit(struct store *s, const struct session *sess,
    uint64_t *count, uint64_t *bad, char **cause)
{
	struct account_set	 set;
	int			 rc;

	if (sess != NULL && access_require(sess->user->role, ACCESS_READ_AUDIT,
	    cause) != 0)
		return (-1);
	if (account_set_load(s, &set, cause) != 0)
		return (-1);
	rc = audit_verify(s, account_held_key, &set, count, bad, cause);
	account_set_free(&set);
	return (rc);
}

/*
 * Inside a sign-in's transaction: count a failed attempt (failed > 0,
 * with an entry signed by the store's key) or clear the count after a
 * success (with an entry signed by the user).
 */
/* What a user signs as the last audit head they saw. */
static void
account_seen_msg(uint64_t seq, const uint8_t *hash, uint8_t *msg)
{
	memcpy(msg, "dossier audit seen", 18);
	put_be64(msg + 18, seq);
	memcpy(msg + 26, hash, VAULT_HASH_LEN);
}

#define ACCOUNT_SEEN_MSG	(18 + 8 + VAULT_HASH_LEN)
#define ACCOUNT_SEEN_LEN	(8 + VAULT_HASH_LEN + VAULT_SIG_LEN)

/*
 * The log must still hold the entry the user saw at their last sign-in,
 * unchanged: a log cut or rewritten since is refused.  The anchor is
 * signed by the user, so a file writer cannot move it forward.
 */
static int
account_check_seen(struct store_txn *t, const struct record *r,
    char **cause)
{
	struct account	*a;
	const uint8_t	*v;
	uint8_t		 msg[ACCOUNT_SEEN_MSG], hash[VAULT_HASH_LEN];
	uint64_t	 seq;
	size_t		 len, j;
	int		 rc, ok = 0;

	if ((v = record_get(r, "seen", &len)) == NULL)
		return (0);		/* never signed in yet */
	if ((a = account_from_record(r, cause)) == NULL)
		return (-1);
	seq = len == ACCOUNT_SEEN_LEN ? get_be64(v) : 0;
	if (len == ACCOUNT_SEEN_LEN) {
		account_seen_msg(seq, v + 8, msg);
		ok = vault_verify(a->sign_pk, msg, sizeof msg,
		    v + 8 + VAULT_HASH_LEN) == 0;
		for (j = 0; !ok && j + VAULT_PK_LEN <= a->pastlen;
		    j += VAULT_PK_LEN)
			ok = vault_verify(a->past_sign_pks + j, msg,
			    sizeof msg, v + 8 + VAULT_HASH_LEN) == 0;
	}
	account_free(a);
	if (!ok)
		return (err_set(cause, _("The record of the audit log kept with "
		    "your account was altered outside dossier. Nothing was "
		    "changed; tell your supervisor.")));
	rc = audit_entry_hash_in(t, seq, hash, cause);
	if (rc == STORE_NOTFOUND || (rc == 0 &&
	    memcmp(hash, v + 8, VAULT_HASH_LEN) != 0)) {
		err_clear(cause);
		return (err_set(cause, _("The audit log no longer holds entry "
		    "%" PRIu64 " as you saw it at your last sign-in: it was cut "
		    "or rewritten outside dossier. Nothing was changed; tell "
		    "your supervisor and restore a backup."), seq));
	}
	return (rc);
}

/*
 * Inside a sign-in's transaction: count a failed attempt (failed > 0,
 * with an unsigned entry) or, after a success, check the user's anchor in
 * the audit log, write the signed "signin" entry (which says how many
 * failures came before it), clear the count and sign the new head as the
 * user's anchor.
 */
int
account_note_signin(struct store_txn *t, const char *name, int failed,
    const struct audit_signer *signer, char **cause)
{
	struct record		*r;
	uint8_t			 seen[ACCOUNT_SEEN_LEN], msg[ACCOUNT_SEEN_MSG];
	uint64_t		 seq;
	int64_t			 failures;
	int			 rc;

	if ((rc = account_read(t, name, &r, cause)) != 0)
		return (rc);
	/*
	 * At a replica the entry goes to the master, and the account is
	 * not written: the failure count and the anchor stay as the master
	 * last set them (docs/REPLICATION.md).
	 */
	if (store_txn_forwards(t) || !store_txn_confirmable(t)) {
		/* At a master that no other site can confirm now (a pair whose
		 * replica is down) the entry stays here alone, and the anchor
		 * does not move: it could name an entry a failover loses. */
		store_txn_local_ok(t);
		if (failed)
			rc = audit_append_failure(t, name, cause);
		else if ((rc = account_check_seen(t, r, cause)) == 0)
			rc = audit_append(t, signer, "signin", NULL, NULL,
			    cause);
		record_free(r);
		return (rc);
	}
	if (failed) {
		if ((rc = audit_append_failure(t, name, cause)) == 0) {
			record_set_int(r, "failures",
			    record_get_int(r, "failures", 0) + 1);
			rc = account_write(t, r, 0, cause);
		}
		record_free(r);
		return (rc);
	}
	if ((rc = account_check_seen(t, r, cause)) != 0) {
		record_free(r);
		return (rc);
	}
	failures = record_get_int(r, "failures", 0);
	if (failures > 0)
		rc = audit_appendf(t, signer, "signin", NULL, cause,
		    "after %" PRId64 " failed attempt(s)", failures);
	else
		rc = audit_append(t, signer, "signin", NULL, NULL, cause);
	if (rc == 0)
		rc = audit_head_in(t, &seq, seen + 8, cause);
	if (rc == 0) {
		put_be64(seen, seq);
		account_seen_msg(seq, seen + 8, msg);
		vault_sign(signer->id, msg, sizeof msg, seen + 8 +
		    VAULT_HASH_LEN);
		record_set(r, "seen", seen, sizeof seen);
		record_set_int(r, "failures", 0);
		rc = account_write(t, r, 0, cause);
	}
	record_free(r);
	return (rc);
}

/* What the prompt reads is what an account accepts. */
_Static_assert(ACCOUNT_PASS_MAX == PROMPT_PASS_MAX,
    "the passphrase prompt and the accounts disagree on the longest one");

static int
account_require(struct session *sess, enum access_action action, char **cause)
{
	return (access_require(sess->user->role, action, cause));
}

static int
account_cost_txn(struct store_txn *t, void *arg, char **cause)
{
	struct account_op	*op = arg;
	uint8_t			*v, pk[VAULT_PK_LEN];
	size_t			 len;
	char			 buf[16];
	int			 rc;

	/* A key locked now pins the organisation key; check it first. */
	if (op->acct != NULL &&
	    ((rc = account_recovery_pk(t, op->acct, pk, cause)) != 0 ||
	    (rc = account_root_pk(t, op->acct, pk, cause)) != 0))
		return (rc);
	op->cost = VAULT_COST_MODERATE;
	rc = meta_get(t, META_KDF, &v, &len, cause);
	if (rc == STORE_NOTFOUND)
		return (0);
	if (rc != 0)
		return (rc);
	snprintf(buf, sizeof buf, "%.*s", (int)(len < 15 ? len : 15), v);
	free(v);
	if (vault_cost_parse(buf, &op->cost) != 0)
		op->cost = VAULT_COST_MODERATE;
	return (0);
}

static int
account_add_txn(struct store_txn *t, void *arg, char **cause)
{
	struct account_op	*op = arg;
	int			 rc;

	if ((rc = account_write(t, op->rec, STORE_NOOVERWRITE, cause)) != 0)
		return (rc);
	return (audit_appendf(t, &op->sess->signer, "user.add", NULL, cause,
	    "%s role=%s", op->name, record_get_str(op->rec, "role")));
}

int
account_add(struct session *sess, const char *name, enum role role,
    const char *pass, size_t passlen, int must_change, char **cause)
{
	struct account_op	 op;
	struct vault_identity	*id;
	struct account		 a;
	char			*ad;
	int			 rc;

	if (account_require(sess, ACCESS_MANAGE_USERS, cause) != 0 ||
	    account_check_name(name, cause) != 0 ||
	    account_check_passphrase(name, pass, cause) != 0)
		return (-1);
	memset(&op, 0, sizeof op);
	op.acct = sess->user;		/* its pinned recovery key */
	if ((rc = store_run(sess->store, account_cost_txn, &op, cause)) != 0)
		return (rc);

	id = vault_identity_generate();
	memset(&a, 0, sizeof a);
	a.name = (char *)name;
	a.role = role;
	a.must_change = must_change;
	a.created = now();
	memcpy(a.box_pk, vault_identity_box_pk(id), VAULT_PK_LEN);
	memcpy(a.sign_pk, vault_identity_sign_pk(id), VAULT_PK_LEN);
	memcpy(a.org_pk, sess->user->org_pk, VAULT_PK_LEN);
	memcpy(a.root_pk, sess->user->root_pk, VAULT_PK_LEN);
	ad = layout_ad_account(name, a.org_pk, a.root_pk);
	vault_identity_lock(id, pass, passlen, op.cost, ad, &a.secret,
	    &a.secretlen);
	free(ad);
	vault_identity_free(id);

	op.rec = account_to_record(&a);
	op.name = name;
	op.sess = sess;
	rc = store_run(sess->store, account_add_txn, &op, cause);
	record_free(op.rec);
	free(a.secret);
	return (rc);
}

int
account_approve_in(struct store_txn *t, const char *name,
    const struct account_approval *ap, char **cause)
{
	struct record	*r;
	int		 rc;

	if ((rc = account_read(t, name, &r, cause)) != 0)
		return (rc);
	account_approval_to_record(r, "approv", ap);
	if (ap->by != NULL)
		account_history_add(r, ap);
	rc = account_write(t, r, 0, cause);
	record_free(r);
	return (rc);
}

static int
account_disable_txn(struct store_txn *t, void *arg, char **cause)
{
	struct account_op	*op = arg;
	struct record		*r;
	int			 rc;

	char			**labels = NULL;
	uint8_t			 rk[LAYOUT_REKEY_KEYLEN];
	uint64_t		 id;
	size_t			 n = 0, i;

	if ((rc = account_read(t, op->name, &r, cause)) != 0)
		return (rc);
	record_set_int(r, "disabled", op->disabled);
	if (op->disabled) {
		struct account_approval	 ap;

		/*
		 * The approval goes: enabled again, it needs a new one.  It
		 * stays in the history (one written before the history was
		 * kept goes there now), so that what the account signed
		 * stays its own.
		 */
		account_approval_from_record(r, "approv", &ap);
		if (ap.by != NULL && !account_history_holds(r, &ap))
			account_history_add(r, &ap);
		free(ap.by);
		memset(&ap, 0, sizeof ap);
		account_approval_to_record(r, "approv", &ap);
	}
	rc = account_write(t, r, 0, cause);
	record_free(r);
	/*
	 * Disabling revokes: every sealed copy the account held is
	 * deleted, and each case whose key it held gets a new key at its
	 * next change, so a copy taken before stops opening what follows.
	 */
	if (rc == 0 && op->disabled)
		rc = keyring_revoke_user(t, op->name, &labels, &n, cause);
	for (i = 0; rc == 0 && i < n; i++) {
		/* An organisation key it held is replaced (trust.c). */
		if (strcmp(labels[i], LAYOUT_LABEL_OVERSIGHT) == 0 ||
		    strcmp(labels[i], LAYOUT_LABEL_INDEX) == 0) {
			rc = layout_rotate_mark(t, labels[i], cause);
			continue;
		}
		if ((id = layout_label_case_id(labels[i])) == 0)
			continue;
		layout_rekey_key(rk, id);
		rc = store_put(t, STORE_INDEX, rk, sizeof rk, "", 0, 0, cause);
	}
	for (i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
	if (rc == 0)
		rc = audit_appendf(t, &op->sess->signer, op->disabled ?
		    "user.disable" : "user.enable", NULL, cause, "%s%s", op->name,
		    op->disabled ? " (sealed keys revoked)" : "");
	return (rc);
}

int
account_set_disabled(struct session *sess, const char *name, int disabled,
    char **cause)
{
	struct account_op	 op;

	if (account_require(sess, ACCESS_MANAGE_USERS, cause) != 0)
		return (-1);
	if (strcmp(name, sess->user->name) == 0)
		return (err_set(cause, _("You cannot disable your own account.")));
	memset(&op, 0, sizeof op);
	op.name = name;
	op.disabled = disabled;
	op.sess = sess;
	return (store_run(sess->store, account_disable_txn, &op, cause));
}

static int
account_passwd_txn(struct store_txn *t, void *arg, char **cause)
{
	struct account_op	*op = arg;
	struct record		*r;
	const void		*pk, *past;
	uint8_t			*keys;
	size_t			 len, pastlen;
	int			 rc;

	if ((rc = account_read(t, op->name, &r, cause)) != 0)
		return (rc);
	pk = record_get(r, "sign_pk", &len);
	if (pk == NULL || len != VAULT_PK_LEN ||
	    memcmp(pk, op->old_sign_pk, VAULT_PK_LEN) != 0) {
		record_free(r);
		return (err_set(cause, _("The account '%s' changed while you "
		    "were signed in; sign in again."), op->name));
	}
	if (op->new_id != NULL) {
		/* New key pairs: every key sealed to the old ones follows. */
		if ((rc = keyring_reseal_user(t, op->name, op->old_id,
		    vault_identity_box_pk(op->new_id), cause)) != 0) {
			record_free(r);
			return (rc);
		}
		/* Keep the old signing key: it verifies past audit entries. */
		if ((past = record_get(r, "past_sign_pks", &pastlen)) == NULL)
			pastlen = 0;
		keys = xmalloc(pastlen + VAULT_PK_LEN);
		if (pastlen != 0)
			memcpy(keys, past, pastlen);
		memcpy(keys + pastlen, op->old_sign_pk, VAULT_PK_LEN);
		record_set(r, "past_sign_pks", keys, pastlen + VAULT_PK_LEN);
		{
			uint8_t	*msg, sig[VAULT_SIG_LEN];
			size_t	 msglen;

			account_past_msg(op->name, keys, pastlen +
			    VAULT_PK_LEN, &msg, &msglen);
			vault_sign(op->new_id, msg, msglen, sig);
			free(msg);
			record_set(r, "past_sig", sig, sizeof sig);
		}
		free(keys);
		record_set(r, "box_pk", vault_identity_box_pk(op->new_id),
		    VAULT_PK_LEN);
		record_set(r, "sign_pk", vault_identity_sign_pk(op->new_id),
		    VAULT_PK_LEN);
	}
	record_set(r, "secret", op->secret, op->secretlen);
	record_set_int(r, "must_change", 0);
	record_set_int(r, "failures", 0);
	rc = account_write(t, r, 0, cause);
	record_free(r);
	if (rc == 0)
		rc = audit_append(t, &op->sess->signer, "user.passwd", NULL,
		    op->new_id != NULL ? "new key pairs" : NULL, cause);
	return (rc);
}

/*
 * Change the signed-in user's passphrase.  The first change after an admin
 * created the account also replaces the key pairs, so that the initial
 * passphrase, which the admin knew, unlocks nothing the user will hold.
 */
int
account_passwd(struct session *sess, const char *pass, size_t passlen,
    char **cause)
{
	struct account_op	 op;
	struct vault_identity	*new_id = NULL;
	const struct vault_identity *id;
	uint8_t			*secret;
	size_t			 secretlen;
	char			*ad;
	int			 rc;

	if (account_check_passphrase(sess->user->name, pass, cause) != 0)
		return (-1);
	memset(&op, 0, sizeof op);
	op.acct = sess->user;
	if ((rc = store_run(sess->store, account_cost_txn, &op, cause)) != 0)
		return (rc);
	if (sess->user->must_change)
		new_id = vault_identity_generate();
	id = new_id != NULL ? new_id : sess->id;
	ad = layout_ad_account(sess->user->name, sess->user->org_pk,
	    sess->user->root_pk);
	vault_identity_lock(id, pass, passlen, op.cost, ad, &secret, &secretlen);
	free(ad);

	op.name = sess->user->name;
	op.sess = sess;
	op.old_sign_pk = sess->user->sign_pk;
	op.old_id = sess->id;
	op.new_id = new_id;
	op.secret = secret;
	op.secretlen = secretlen;
	rc = store_run(sess->store, account_passwd_txn, &op, cause);
	free(secret);
	if (rc != 0) {
		vault_identity_free(new_id);
		return (rc);
	}
	if (new_id != NULL) {
		vault_identity_free(sess->id);
		sess->id = new_id;
		sess->signer.id = new_id;
		memcpy(sess->user->box_pk, vault_identity_box_pk(new_id),
		    VAULT_PK_LEN);
		memcpy(sess->user->sign_pk, vault_identity_sign_pk(new_id),
		    VAULT_PK_LEN);
	}
	sess->user->must_change = 0;
	return (0);
}
