/*
 * casefile-keys.c: the storage helpers of casefile*.c and the keys of
 * the organisation.
 *
 * Two organisation keys exist besides the case and witness keys:
 *  - the oversight key (label org:oversight): a seed from which an X25519
 *    key pair is derived; its public half is in meta "oversight_pk" and
 *    every case key is sealed to it, so supervisors and auditors, who hold
 *    the seed, read every case (never the witness identities);
 *  - the index key (label org:index): the key of the blind index that
 *    links an agent's service number across cases without storing it.
 * Both are made by the first user entitled to them, sealed to the
 * recovery key, and passed on by any holder to the entitled users who
 * lack them each time a holder signs in (casefile_share_keys).  The
 * administrator is never entitled to either.
 */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "casefile-int.h"
#include "casefile.h"
#include "i18n.h"
#include "keyring.h"
#include "layout.h"
#include "record.h"
#include "session.h"
#include "store.h"
#include "util.h"
#include "vault.h"

int
cf_header_read(struct store_txn *t, uint64_t id, struct record **hp,
    char **cause)
{
	uint8_t	 k[8], *v;
	size_t	 len;
	int	 rc;

	*hp = NULL;
	put_be64(k, id);
	rc = store_get(t, STORE_CASES, k, sizeof k, &v, &len, cause);
	if (rc == STORE_NOTFOUND)
		return (err_set(cause, _("There is no case %" PRIu64 "."), id));
	if (rc != 0)
		return (rc);
	*hp = record_decode(v, len, cause);
	free(v);
	return (*hp == NULL ? -1 : 0);
}

int
cf_header_write(struct store_txn *t, uint64_t id, const struct record *h,
    char **cause)
{
	uint8_t	 k[8], *v;
	size_t	 len;
	int	 rc;

	put_be64(k, id);
	record_encode(h, &v, &len);
	rc = store_put(t, STORE_CASES, k, sizeof k, v, len, 0, cause);
	free(v);
	return (rc);
}

int
cf_get(struct store_txn *t, uint64_t id, int type, uint64_t n,
    struct record **rp, char **cause)
{
	uint8_t	 k[LAYOUT_RECORD_KEYLEN], *v;
	size_t	 len;
	int	 rc;

	*rp = NULL;
	layout_record_key(k, id, type, n);
	rc = store_get(t, STORE_RECORDS, k, sizeof k, &v, &len, cause);
	if (rc == STORE_NOTFOUND) {
		err_set(cause, _("The case has no record %" PRIu64 "."), n);
		return (STORE_NOTFOUND);
	}
	if (rc != 0)
		return (rc);
	*rp = record_decode(v, len, cause);
	free(v);
	return (*rp == NULL ? -1 : 0);
}

int
cf_put(struct store_txn *t, uint64_t id, int type, uint64_t n,
    const struct record *r, char **cause)
{
	uint8_t	 k[LAYOUT_RECORD_KEYLEN], *v;
	size_t	 len;
	int	 rc;

	layout_record_key(k, id, type, n);
	record_encode(r, &v, &len);
	rc = store_put(t, STORE_RECORDS, k, sizeof k, v, len, 0, cause);
	free(v);
	return (rc);
}

/* A user's public box key and role; STORE_NOTFOUND if no such user. */
int
cf_user_pk(struct store_txn *t, const char *name, uint8_t *pk, int *role,
    char **cause)
{
	struct record	*r;
	uint8_t		*v;
	const void	*p;
	const char	*rs;
	size_t		 len;
	enum role	 ro;
	int		 rc;

	rc = store_get(t, STORE_USERS, name, strlen(name), &v, &len, cause);
	if (rc == STORE_NOTFOUND) {
		err_set(cause, _("There is no user named '%s'."), name);
		return (STORE_NOTFOUND);
	}
	if (rc != 0)
		return (rc);
	r = record_decode(v, len, cause);
	free(v);
	if (r == NULL)
		return (-1);
	p = record_get(r, "box_pk", &len);
	rs = record_get_str(r, "role");
	if (p == NULL || len != VAULT_PK_LEN || rs == NULL ||
	    access_role_parse(rs, &ro) != 0) {
		record_free(r);
		return (err_set(cause, _("A user account record is damaged.")));
	}
	memcpy(pk, p, VAULT_PK_LEN);
	if (role != NULL)
		*role = record_get_int(r, "disabled", 0) ? -1 : (int)ro;
	record_free(r);
	return (0);
}

int
cf_org_key(struct store_txn *t, const struct session *sess, const char *label,
    struct vault_key **kp, char **cause)
{
	int	 rc;

	*kp = NULL;
	rc = keyring_holds(t, label, sess->user->name, cause);
	if (rc < 0)
		return (rc);
	if (rc == 0)
		return (STORE_NOTFOUND);
	return (keyring_open(t, label, sess->user->name, sess->id, kp, cause));
}

/* The case key: sealed to the user, or to the oversight key they hold. */
int
cf_case_key(struct store_txn *t, const struct session *sess, uint64_t id,
    struct vault_key **kp, char **cause)
{
	struct vault_key	*seed;
	struct vault_identity	*ov;
	char			*label = layout_label_case(id);
	int			 rc;

	*kp = NULL;
	rc = keyring_holds(t, label, sess->user->name, cause);
	if (rc > 0) {
		rc = keyring_open(t, label, sess->user->name, sess->id, kp,
		    cause);
		free(label);
		return (rc);
	}
	if (rc < 0 || (rc = keyring_holds(t, label, CF_OVERSIGHT,
	    cause)) <= 0) {
		free(label);
		return (rc < 0 ? rc : STORE_NOTFOUND);
	}
	if ((rc = cf_org_key(t, sess, CF_LABEL_OVERSIGHT, &seed,
	    cause)) != 0) {
		free(label);
		return (rc);
	}
	ov = vault_identity_from_key(seed);
	vault_key_free(seed);
	rc = keyring_open(t, label, CF_OVERSIGHT, ov, kp, cause);
	vault_identity_free(ov);
	free(label);
	return (rc);
}

int
cf_witness_key(struct store_txn *t, const struct session *sess, uint64_t id,
    uint64_t rid, struct vault_key **kp, char **cause)
{
	char	*label = layout_label_witness(id, rid);
	int	 rc;

	*kp = NULL;
	rc = keyring_holds(t, label, sess->user->name, cause);
	if (rc > 0)
		rc = keyring_open(t, label, sess->user->name, sess->id, kp,
		    cause);
	else if (rc == 0)
		rc = STORE_NOTFOUND;
	free(label);
	return (rc);
}

void
cf_seal_body(struct record *env, const char *name, const struct vault_key *k,
    const char *ad, const struct record *body)
{
	uint8_t	*pt, *ct;
	size_t	 ptlen, ctlen;

	record_encode(body, &pt, &ptlen);
	vault_encrypt(k, ad, pt, ptlen, &ct, &ctlen);
	wipe(pt, ptlen);
	free(pt);
	record_set(env, name, ct, ctlen);
	free(ct);
}

int
cf_open_body(const struct record *env, const char *name,
    const struct vault_key *k, const char *ad, struct record **bp,
    char **cause)
{
	const void	*ct;
	uint8_t		*pt;
	size_t		 ctlen, ptlen;

	*bp = NULL;
	if ((ct = record_get(env, name, &ctlen)) == NULL) {
		*bp = record_create();
		return (0);
	}
	if (vault_decrypt(k, ad, ct, ctlen, &pt, &ptlen, cause) != 0)
		return (-1);
	*bp = record_decode(pt, ptlen, cause);
	wipe(pt, ptlen);
	free(pt);
	return (*bp == NULL ? -1 : 0);
}

/* The blind index of a service number: keyed hash of its letters/digits. */
void
cf_blind(const struct vault_key *k, const char *number, char *hex)
{
	uint8_t	 h[VAULT_HASH_LEN];
	char	*norm, *x;
	size_t	 i, n = 0;

	norm = xmalloc(strlen(number) + 1);
	for (i = 0; number[i] != '\0'; i++) {
		if (isalnum((unsigned char)number[i]))
			norm[n++] = toupper((unsigned char)number[i]);
	}
	vault_key_hash(k, norm, n, h);
	wipe(norm, n);
	free(norm);
	x = vault_hex(h, sizeof h);
	memcpy(hex, x, 2 * VAULT_HASH_LEN + 1);
	free(x);
}

static int
cf_entitled(enum role role, const char *label)
{
	if (strcmp(label, CF_LABEL_OVERSIGHT) == 0)
		return (role == ROLE_SUPERVISOR || role == ROLE_AUDITOR);
	return (role != ROLE_ADMIN);
}

struct cf_share {
	struct casefile_ctx	*ctx;
	struct account		**users;
	size_t			  nusers;
};

/* Make an organisation key if nobody has one yet, else pass it on. */
static int
cf_share_one(struct store_txn *t, struct cf_share *sh, const char *label,
    char **cause)
{
	struct session		*sess = sh->ctx->sess;
	struct vault_key	*k;
	struct vault_identity	*ov;
	struct account		*a;
	uint8_t			  pk[VAULT_PK_LEN];
	char			**holders;
	size_t			  nholders, i;
	int			  rc;

	if (!cf_entitled(sess->user->role, label))
		return (0);
	rc = keyring_holders(t, label, &holders, &nholders, cause);
	for (i = 0; i < nholders; i++)
		free(holders[i]);
	free(holders);
	if (rc != 0)
		return (rc);
	if (nholders == 0) {
		k = vault_key_generate();
		if (strcmp(label, CF_LABEL_OVERSIGHT) == 0) {
			ov = vault_identity_from_key(k);
			rc = meta_put(t, META_OVERSIGHT_PK,
			    vault_identity_box_pk(ov), VAULT_PK_LEN, 0, cause);
			vault_identity_free(ov);
		}
		if (rc == 0 && (rc = account_recovery_pk(t, sess->user, pk,
		    cause)) == 0)
			rc = keyring_seal_recovery(t, label, k, pk, cause);
	} else {
		rc = cf_org_key(t, sess, label, &k, cause);
		if (rc == STORE_NOTFOUND)
			return (0);	/* a holder will pass it on */
		if (rc != 0)
			return (rc);
	}
	for (i = 0; rc == 0 && i < sh->nusers; i++) {
		a = sh->users[i];
		if (a->disabled || !cf_entitled(a->role, label))
			continue;
		if ((rc = keyring_holds(t, label, a->name, cause)) != 0) {
			if (rc > 0)
				rc = 0;
			continue;
		}
		rc = keyring_seal(t, label, k, a->name, a->box_pk, cause);
	}
	vault_key_free(k);
	return (rc);
}

struct cf_pending {
	uint64_t	*ids;
	size_t		 n;
};

static int
cf_pending_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct cf_pending	*p = arg;

	(void)v;
	(void)vlen;
	if (klen != LAYOUT_PENDING_KEYLEN)
		return (0);
	p->ids = xrealloc(p->ids, (p->n + 1) * sizeof *p->ids);
	p->ids[p->n++] = get_be64((const uint8_t *)k + 8);
	return (0);
}

/*
 * Cases registered before the oversight key existed: seal those whose key
 * this user holds to oversight, and strike them from the pending list.
 */
static int
cf_share_pending(struct store_txn *t, struct cf_share *sh, char **cause)
{
	struct cf_pending	 p;
	struct vault_key	*k;
	struct record		*h;
	uint8_t			 pk[VAULT_PK_LEN], key[LAYOUT_PENDING_KEYLEN];
	char			*label;
	size_t			 i;
	int			 rc;

	if ((rc = meta_get_fixed(t, META_OVERSIGHT_PK, pk, VAULT_PK_LEN, cause)) != 0)
		return (rc == STORE_NOTFOUND ? 0 : rc);
	memset(&p, 0, sizeof p);
	if ((rc = store_scan(t, STORE_INDEX, LAYOUT_PENDING_PREFIX,
	    strlen(LAYOUT_PENDING_PREFIX), cf_pending_cb, &p,
	    cause)) != 0)
		return (rc);
	for (i = 0; rc == 0 && i < p.n; i++) {
		k = NULL;
		label = layout_label_case(p.ids[i]);
		rc = keyring_holds(t, label, sh->ctx->sess->user->name, cause);
		if (rc > 0)
			rc = keyring_open(t, label, sh->ctx->sess->user->name,
			    sh->ctx->sess->id, &k, cause);
		else {
			free(label);
			continue;
		}
		if (rc == 0)
			rc = keyring_seal(t, label, k, CF_OVERSIGHT, pk, cause);
		free(label);
		if (rc == 0 && (rc = cf_header_read(t, p.ids[i], &h,
		    cause)) == 0) {
			record_set_int(h, "oversight", 1);
			record_set_int(h, "version",
			    record_get_int(h, "version", 0) + 1);
			if ((rc = cf_header_write(t, p.ids[i], h, cause)) == 0)
				rc = cf_manifest_write(t, sh->ctx->sess,
				    p.ids[i], h, k, cause);
			record_free(h);
		}
		vault_key_free(k);
		layout_pending_key(key, p.ids[i]);
		if (rc == 0)
			rc = store_del(t, STORE_INDEX, key, sizeof key, cause);
	}
	free(p.ids);
	return (rc);
}

static int
cf_share_txn(struct store_txn *t, void *arg, char **cause)
{
	struct cf_share	*sh = arg;
	int		 rc;

	if ((rc = cf_share_one(t, sh, CF_LABEL_OVERSIGHT, cause)) != 0 ||
	    (rc = cf_share_one(t, sh, CF_LABEL_INDEX, cause)) != 0)
		return (rc);
	return (cf_share_pending(t, sh, cause));
}

/* Called after each sign-in: see the comment at the top of this file. */
int
casefile_share_keys(struct casefile_ctx *ctx, char **cause)
{
	struct cf_share	 sh;
	int		 rc;

	/* Every front end passes here before touching a case. */
	if (casefile_forms_pin(ctx->sess->store, ctx->forms, cause) != 0)
		return (-1);
	if (ctx->sess->user->role == ROLE_ADMIN)
		return (0);
	memset(&sh, 0, sizeof sh);
	sh.ctx = ctx;
	if (account_list(ctx->sess->store, &sh.users, &sh.nusers, cause) != 0)
		return (-1);
	rc = store_run(ctx->sess->store, cf_share_txn, &sh, cause);
	account_list_free(sh.users, sh.nusers);
	return (rc);
}
