/*
 * casefile-keys.c: the storage helpers of casefile*.c and the keys of
 * the organisation.
 *
 * Two organisation keys exist besides the case and witness keys:
 *  - the oversight key (label org:oversight): a seed from which an X25519
 *    key pair is derived; every case key is sealed to its public half, so
 *    supervisors and auditors, who hold the seed, read every case (never
 *    the witness identities);
 *  - the index key (label org:index): the key of the blind index that
 *    links an agent's service number across cases without storing it.
 * Both are made at init, sealed to the recovery key, and signed for by
 * the organisation's root (trust.c); approving an account passes them
 * on, and any holder passes them to approved accounts entitled to them
 * that lack them each time they sign in (casefile_share_keys).  The
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
#include "trust.h"
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

	/* The indexes and counters change in the same transaction. */
	if ((rc = cf_index_header(t, id, h, cause)) != 0)
		return (rc);
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
	rc = cf_put_raw(t, k, v, len, cause);
	free(v);
	return (rc);
}

/* Every write to the records table: the manifest to come hears of it. */
int
cf_put_raw(struct store_txn *t, const uint8_t *k, const void *v, size_t len,
    char **cause)
{
	int	 rc;

	if (cf_manifest_keep(t, k, v, len)) {
		cf_manifest_note(t, k, v, len);
		return (0);
	}
	if ((rc = store_put(t, STORE_RECORDS, k, LAYOUT_RECORD_KEYLEN, v, len,
	    0, cause)) == 0)
		cf_manifest_note(t, k, v, len);
	return (rc);
}

/*
 * A user's public box key and approved role, if the signed-in user may
 * seal to it (trust_account); STORE_NOTFOUND if no such user.
 */
int
cf_user_pk(struct store_txn *t, const struct session *sess, const char *name,
    uint8_t *pk, enum role *role, char **cause)
{
	return (trust_user_pk(t, sess->user, name, pk, role, cause));
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
	if ((rc = keyring_open(t, label, sess->user->name, sess->id, kp,
	    cause)) != 0)
		return (rc);
	/* A key sealed to the user by a file writer is not used. */
	if ((rc = trust_org_key_check(t, sess->user, label, *kp,
	    cause)) != 0) {
		vault_key_free(*kp);
		*kp = NULL;
	}
	return (rc);
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
	/* Sealed before a rotation: to an earlier oversight key. */
	if ((rc = cf_org_key_for(t, sess, CF_LABEL_OVERSIGHT, &seed, label,
	    cause)) != 0) {
		vault_key_free(seed);
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

/*
 * From the current oversight seed in *kp, back through its archives to
 * the one the copy of label sealed to @oversight was made for.
 */
int
cf_org_key_for(struct store_txn *t, const struct session *sess,
    const char *org, struct vault_key **kp, const char *label, char **cause)
{
	struct vault_identity	*ov;
	struct vault_key	*older;
	uint8_t			 value[TRUST_VALUE_LEN];
	int64_t			 epoch;
	char			*alabel;
	int			 rc;

	if ((rc = trust_org_state(t, sess->user, org, value, &epoch,
	    cause)) != 0)
		return (rc);
	for (;;) {
		ov = vault_identity_from_key(*kp);
		rc = keyring_sealed_for(t, label, CF_OVERSIGHT,
		    vault_identity_box_pk(ov), cause);
		vault_identity_free(ov);
		if (rc != 0)
			return (rc > 0 ? 0 : rc);
		if (--epoch < 1)
			return (err_set(cause, _("The case's copy for oversight "
			    "was sealed to no oversight key the organisation "
			    "had: it was put there outside dossier.")));
		alabel = layout_label_archive(org, epoch);
		rc = keyring_archive_open(t, alabel, *kp, &older, cause);
		free(alabel);
		if (rc != 0)
			return (rc);
		vault_key_free(*kp);
		*kp = older;
	}
}

/*
 * The index keys, the current one first, then each it replaced: an
 * agent indexed before a rotation is found under an earlier one.
 */
int
cf_index_keys(struct store_txn *t, const struct session *sess,
    struct vault_key ***keys, size_t *n, char **cause)
{
	struct vault_key	*k, *older;
	uint8_t			 value[TRUST_VALUE_LEN];
	int64_t			 epoch;
	char			*alabel;
	int			 rc;

	*keys = NULL;
	*n = 0;
	if ((rc = cf_org_key(t, sess, CF_LABEL_INDEX, &k, cause)) != 0)
		return (rc);
	if ((rc = trust_org_state(t, sess->user, CF_LABEL_INDEX, value,
	    &epoch, cause)) != 0) {
		vault_key_free(k);
		return (rc);
	}
	for (;;) {
		*keys = xrealloc(*keys, (*n + 1) * sizeof **keys);
		(*keys)[(*n)++] = k;
		if (--epoch < 1)
			return (0);
		alabel = layout_label_archive(CF_LABEL_INDEX, epoch);
		rc = keyring_archive_open(t, alabel, k, &older, cause);
		free(alabel);
		if (rc == STORE_NOTFOUND || rc == -1) {
			/* A link lost: the agents indexed since are found. */
			err_clear(cause);
			return (0);
		}
		if (rc != 0)
			return (rc);
		k = older;
	}
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
	vault_encrypt_few(k, ad, pt, ptlen, &ct, &ctlen);
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

struct cf_share {
	struct casefile_ctx	*ctx;
	struct account		**users;
	size_t			  nusers;
};

/*
 * Pass an organisation key on to the approved accounts entitled to it
 * that lack it (approval normally passes them at once; this catches an
 * approver who lacked one).
 */
static int
cf_share_one(struct store_txn *t, struct cf_share *sh, const char *label,
    char **cause)
{
	struct session		*sess = sh->ctx->sess;
	struct vault_key	*k = NULL;
	struct account		*a;
	enum role		 role;
	size_t			  i;
	int			  rc = 0;

	for (i = 0; rc == 0 && i < sh->nusers; i++) {
		a = sh->users[i];
		if (!trust_entitled(a->role, label))
			continue;
		if ((rc = keyring_holds(t, label, a->name, cause)) != 0) {
			if (rc > 0)
				rc = 0;
			continue;
		}
		if (trust_account(t, sess->user, a, &role, NULL) != 0)
			continue;
		/* Only a supervisor or auditor re-signs the holders. */
		if (trust_authority_self(t, sess) != 0)
			break;
		if (k == NULL) {
			rc = cf_org_key(t, sess, label, &k, cause);
			if (rc == STORE_NOTFOUND || rc == -1) {
				/* None, or not the organisation's: not passed. */
				err_clear(cause);
				return (0);
			}
			if (rc != 0)
				break;
		}
		rc = keyring_seal(t, label, k, a->name, a->box_pk, cause);
		if (rc == 0)
			rc = trust_org_add_holder(t, sess->user, label, a->name,
			    sess->user->name, sess->id, cause);
	}
	vault_key_free(k);
	return (rc);
}

/*
 * Does an approved account entitled to the key hold a copy of it?  If
 * none does (copies removed by a file writer, the disabled account the
 * last holder), waiting for a holder would leave new cases sealed to the
 * key the disabled account kept: it is replaced without the old one.
 */
static int
cf_org_held(struct store_txn *t, struct cf_share *sh, const char *label,
    char **cause)
{
	enum role	 role;
	size_t		 i;
	int		 rc;

	for (i = 0; i < sh->nusers; i++) {
		/* Only those who may replace it: supervisors, auditors. */
		if (!trust_entitled(sh->users[i]->role, label) ||
		    trust_account(t, sh->ctx->sess->user, sh->users[i], &role,
		    NULL) != 0 || (role != ROLE_SUPERVISOR &&
		    role != ROLE_AUDITOR))
			continue;
		if ((rc = keyring_holds(t, label, sh->users[i]->name,
		    cause)) != 0)
			return (rc);
	}
	return (0);
}

/* Replace an organisation key a disabled account held, if one is due. */
static int
cf_rotate_one(struct store_txn *t, struct cf_share *sh, const char *label,
    char **cause)
{
	struct session		*sess = sh->ctx->sess;
	struct vault_key	*k;
	int			 rc;

	if ((rc = trust_org_rotation_due(t, sess->user, label, cause)) == 0)
		return (trust_org_reanchor(t, sess, label, cause));
	if (rc < 0)
		return (rc);
	/* Checked against the archives: see trust_org_rotate(). */
	if ((rc = keyring_holds(t, label, sess->user->name, cause)) < 0)
		return (rc);
	if (rc == 0) {
		if ((rc = cf_org_held(t, sh, label, cause)) != 0)
			return (rc < 0 ? rc : 0);	/* a holder will */
		return (trust_org_rotate(t, sess, label, NULL, sh->users,
		    sh->nusers, cause));
	}
	rc = keyring_open(t, label, sess->user->name, sess->id, &k, cause);
	if (rc == -1) {		/* a damaged copy: a holder will */
		err_clear(cause);
		return (0);
	}
	if (rc != 0)
		return (rc);
	rc = trust_org_rotate(t, sess, label, k, sh->users, sh->nusers, cause);
	vault_key_free(k);
	return (rc);
}

static int
cf_share_txn(struct store_txn *t, void *arg, char **cause)
{
	struct cf_share	*sh = arg;
	int		 rc;

	/* Nothing is written at a replica: the master's sign-ins do it. */
	if ((rc = store_txn_writable(t, NULL)) != 0)
		return (rc == STORE_RETRY ? rc : 0);
	/* Read in this transaction: an account disabled meanwhile gets none. */
	if ((rc = account_list_in(t, &sh->users, &sh->nusers, cause)) != 0)
		return (rc);
	if ((rc = cf_rotate_one(t, sh, CF_LABEL_OVERSIGHT, cause)) == 0 &&
	    (rc = cf_rotate_one(t, sh, CF_LABEL_INDEX, cause)) == 0 &&
	    (rc = cf_share_one(t, sh, CF_LABEL_OVERSIGHT, cause)) == 0)
		rc = cf_share_one(t, sh, CF_LABEL_INDEX, cause);
	account_list_free(sh->users, sh->nusers);
	sh->users = NULL;
	sh->nusers = 0;
	return (rc);
}

/* Called after each sign-in: see the comment at the top of this file. */
int
casefile_share_keys(struct casefile_ctx *ctx, char **cause)
{
	struct cf_share	 sh;

	/* Every front end passes here before touching a case. */
	if (casefile_forms_pin(ctx->sess->store, ctx->forms, cause) != 0 ||
	    casefile_index_ensure(ctx->sess->store, cause) != 0)
		return (-1);
	if (ctx->sess->user->role == ROLE_ADMIN)
		return (0);
	memset(&sh, 0, sizeof sh);
	sh.ctx = ctx;
	return (store_run(ctx->sess->store, cf_share_txn, &sh, cause));
}
