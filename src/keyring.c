/*
 * keyring.c: storing, opening and re-sealing sealed keys.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "keyring.h"
#include "store.h"
#include "util.h"
#include "vault.h"

struct keyring_scan {
	const char		 *label;
	char			**names;
	size_t			  n;
	/* For re-sealing one user's keys. */
	const char		 *user;
	char			**labels;
	size_t			  nlabels;
};

static char *
keyring_key(const char *label, const char *recipient, size_t *len)
{
	char	*k;
	size_t	 l1 = strlen(label), l2 = strlen(recipient);

	k = xmalloc(l1 + 1 + l2);
	memcpy(k, label, l1);
	k[l1] = '\0';
	memcpy(k + l1 + 1, recipient, l2);
	*len = l1 + 1 + l2;
	return (k);
}

/* The row sealed for recipient: *vp (the caller frees), or an error. */
static int
keyring_get(struct store_txn *t, const char *label, const char *recipient,
    uint8_t **vp, size_t *lenp, char **cause)
{
	char	*key;
	size_t	 klen;
	int	 rc;

	key = keyring_key(label, recipient, &klen);
	rc = store_get(t, STORE_KEYS, key, klen, vp, lenp, cause);
	free(key);
	return (rc);
}

int
keyring_seal(struct store_txn *t, const char *label, const struct vault_key *k,
    const char *recipient, const unsigned char *box_pk, char **cause)
{
	uint8_t	 sealed[VAULT_SEALED_MAX];
	char	*key;
	size_t	 klen;
	int	 rc;

	vault_key_seal(k, label, box_pk, sealed);
	key = keyring_key(label, recipient, &klen);
	rc = store_put(t, STORE_KEYS, key, klen, sealed, VAULT_SEALED_LEN, 0,
	    cause);
	free(key);
	return (rc);
}

/*
 * A batch's record (its ephemeral public key, vault_sealer_batch()) is
 * stored under the label "sealbatch:" and the batch id in hex, for the
 * recipient KEYRING_BATCH: once in each transaction that seals with it
 * (the last few batches written are remembered for the attempt).
 */
#define KEYRING_BATCH_LABEL	"sealbatch:"
#define KEYRING_BATCHES		8

static __thread struct {
	uint8_t		 id[VAULT_BATCH_ID_LEN];
	uint64_t	 serial;
}	keyring_batches[KEYRING_BATCHES];
static __thread size_t	keyring_nbatch;

static char *
keyring_batch_label(const uint8_t *id)
{
	char	*label;
	size_t	 i, n = strlen(KEYRING_BATCH_LABEL);

	label = xmalloc(n + 2 * VAULT_BATCH_ID_LEN + 1);
	memcpy(label, KEYRING_BATCH_LABEL, n);
	for (i = 0; i < VAULT_BATCH_ID_LEN; i++)
		snprintf(label + n + 2 * i, 3, "%02x", id[i]);
	return (label);
}

static int
keyring_batch_put(struct store_txn *t, const struct vault_sealer *sealer,
    char **cause)
{
	uint8_t	 id[VAULT_BATCH_ID_LEN], rec[VAULT_BATCH_LEN];
	char	*label, *key;
	size_t	 i, klen;
	uint64_t serial = store_txn_serial(t);
	int	 rc;

	vault_sealer_batch(sealer, id, rec);
	for (i = 0; i < KEYRING_BATCHES; i++)
		if (keyring_batches[i].serial == serial &&
		    memcmp(keyring_batches[i].id, id, sizeof id) == 0)
			return (0);
	label = keyring_batch_label(id);
	key = keyring_key(label, KEYRING_BATCH, &klen);
	rc = store_put(t, STORE_KEYS, key, klen, rec, sizeof rec, 0, cause);
	free(key);
	free(label);
	if (rc == 0) {
		i = keyring_nbatch++ % KEYRING_BATCHES;
		memcpy(keyring_batches[i].id, id, sizeof id);
		keyring_batches[i].serial = serial;
	}
	return (rc);
}

/* The same with a sealer made for this recipient (many keys at once). */
int
keyring_seal_with(struct store_txn *t, const char *label,
    const struct vault_key *k, const char *recipient,
    struct vault_sealer *sealer, char **cause)
{
	uint8_t	 sealed[VAULT_SEALED_MAX];
	char	*key;
	size_t	 klen, len;
	int	 rc;

	len = vault_key_seal_with(k, label, sealer, sealed);
	if ((rc = keyring_batch_put(t, sealer, cause)) != 0)
		return (rc);
	key = keyring_key(label, recipient, &klen);
	rc = store_put(t, STORE_KEYS, key, klen, sealed, len, 0, cause);
	free(key);
	return (rc);
}

/*
 * Seal to the organisation recovery key the sealing user's account
 * pinned; the caller has compared it with the store's.
 */
int
keyring_seal_recovery(struct store_txn *t, const char *label,
    const struct vault_key *k, const uint8_t *recovery_pk, char **cause)
{
	return (keyring_seal(t, label, k, KEYRING_RECOVERY, recovery_pk,
	    cause));
}

/*
 * The records of the batches whose keys opened last, so that the next key
 * of a batch (the next case of an import) needs no read of its record.
 * A record is public; one changed on disk since would open nothing more
 * than the one remembered did.
 */
static __thread struct {
	uint8_t	 id[VAULT_BATCH_ID_LEN];
	uint8_t	 rec[VAULT_BATCH_LEN];
}	keyring_seen[KEYRING_BATCHES];
static __thread size_t	keyring_nseen;

static uint8_t *
keyring_batch_seen(const uint8_t *id)
{
	uint8_t	*rec;
	size_t	 i;

	for (i = 0; i < KEYRING_BATCHES && i < keyring_nseen; i++)
		if (memcmp(keyring_seen[i].id, id, VAULT_BATCH_ID_LEN) == 0) {
			rec = xmalloc(VAULT_BATCH_LEN);
			memcpy(rec, keyring_seen[i].rec, VAULT_BATCH_LEN);
			return (rec);
		}
	return (NULL);
}

static void
keyring_batch_saw(const uint8_t *id, const uint8_t *rec, size_t len)
{
	size_t	 i;

	if (len != VAULT_BATCH_LEN)
		return;
	for (i = 0; i < KEYRING_BATCHES && i < keyring_nseen; i++)
		if (memcmp(keyring_seen[i].id, id, VAULT_BATCH_ID_LEN) == 0)
			return;
	i = keyring_nseen++ % KEYRING_BATCHES;
	memcpy(keyring_seen[i].id, id, VAULT_BATCH_ID_LEN);
	memcpy(keyring_seen[i].rec, rec, VAULT_BATCH_LEN);
}

/* Open sealed bytes; a version 3 seal with the record of its batch. */
static int
keyring_open_sealed(struct store_txn *t, const uint8_t *sealed, size_t len,
    const char *label, const struct vault_identity *id,
    struct vault_key **kp, char **cause)
{
	uint8_t	 bid[VAULT_BATCH_ID_LEN], *rec = NULL;
	char	*blabel;
	size_t	 rlen = 0;
	int	 rc;

	if (vault_sealed_batch(sealed, len, bid) &&
	    (rec = keyring_batch_seen(bid)) != NULL)
		rlen = VAULT_BATCH_LEN;
	else if (vault_sealed_batch(sealed, len, bid)) {
		blabel = keyring_batch_label(bid);
		rc = keyring_get(t, blabel, KEYRING_BATCH, &rec, &rlen, cause);
		free(blabel);
		if (rc == STORE_NOTFOUND) {
			err_clear(cause);
			rec = NULL;	/* opens to "damaged" below */
		} else if (rc != 0)
			return (rc);
	}
	rc = vault_key_open_batch(sealed, len, rec, rlen, label, id, kp,
	    cause);
	if (rc == 0 && rec != NULL)
		keyring_batch_saw(bid, rec, rlen);
	free(rec);
	return (rc);
}

int
keyring_open(struct store_txn *t, const char *label, const char *recipient,
    const struct vault_identity *id, struct vault_key **kp, char **cause)
{
	uint8_t	*sealed;
	size_t	 len;
	char	*why;
	int	 rc;

	*kp = NULL;
	rc = keyring_get(t, label, recipient, &sealed, &len, cause);
	if (rc == STORE_NOTFOUND) {
		err_set(cause, _("You do not hold the key of %s."), label);
		return (STORE_NOTFOUND);
	}
	if (rc != 0)
		return (rc);
	rc = keyring_open_sealed(t, sealed, len, label, id, kp, cause);
	free(sealed);
	/* Which key: one damaged key stops a whole statistics run. */
	if (rc == -1 && cause != NULL && *cause != NULL) {
		why = *cause;
		*cause = NULL;
		err_set(cause, _("%s (the key of %s)"), why, label);
		free(why);
	}
	return (rc);
}

int
keyring_revoke(struct store_txn *t, const char *label, const char *recipient,
    char **cause)
{
	char	*key;
	size_t	 klen;
	int	 rc;

	key = keyring_key(label, recipient, &klen);
	rc = store_del(t, STORE_KEYS, key, klen, cause);
	free(key);
	return (rc == STORE_NOTFOUND ? 0 : rc);
}

int
keyring_holds(struct store_txn *t, const char *label, const char *recipient,
    char **cause)
{
	uint8_t	*v;
	size_t	 len;
	int	 rc;

	if ((rc = keyring_get(t, label, recipient, &v, &len, cause)) == 0) {
		free(v);
		return (1);
	}
	return (rc == STORE_NOTFOUND ? 0 : rc);
}

static int
keyring_holders_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct keyring_scan	*ks = arg;
	size_t			 llen = strlen(ks->label);

	if (klen <= llen + 1 || ((const char *)k)[llen] != '\0')
		return (0);
	ks->names = xrealloc(ks->names, (ks->n + 1) * sizeof *ks->names);
	ks->names[ks->n++] = xstrndup((const char *)k + llen + 1,
	    klen - llen - 1);
	return (0);
}

/* The recipients holding the key of label (the caller frees them). */
int
keyring_holders(struct store_txn *t, const char *label, char ***names,
    size_t *n, char **cause)
{
	struct keyring_scan	 ks;
	int			 rc;

	memset(&ks, 0, sizeof ks);
	ks.label = label;
	rc = store_scan(t, STORE_KEYS, label, strlen(label) + 1,
	    keyring_holders_cb, &ks, cause);
	*names = ks.names;
	*n = ks.n;
	return (rc);
}

static int
keyring_user_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct keyring_scan	*ks = arg;
	const char		*key = k, *nul;
	size_t			 ulen = strlen(ks->user);

	if ((nul = memchr(key, '\0', klen)) == NULL)
		return (0);
	if ((size_t)(key + klen - nul - 1) != ulen ||
	    memcmp(nul + 1, ks->user, ulen) != 0)
		return (0);
	ks->labels = xrealloc(ks->labels, (ks->nlabels + 1) *
	    sizeof *ks->labels);
	ks->labels[ks->nlabels++] = xstrndup(key, nul - key);
	return (0);
}

/*
 * Remove every sealed copy held by user; *labels gets the places whose
 * keys they held (the caller frees them), so their keys can be rotated.
 */
int
keyring_revoke_user(struct store_txn *t, const char *user, char ***labels,
    size_t *n, char **cause)
{
	struct keyring_scan	 ks;
	size_t			 i;
	int			 rc;

	memset(&ks, 0, sizeof ks);
	ks.user = user;
	rc = store_scan(t, STORE_KEYS, NULL, 0, keyring_user_cb, &ks, cause);
	for (i = 0; rc == 0 && i < ks.nlabels; i++)
		rc = keyring_revoke(t, ks.labels[i], user, cause);
	*labels = ks.labels;
	*n = ks.nlabels;
	return (rc);
}

/*
 * Re-seal every key held by user (opened with its old identity) to its new
 * public key: used when a user's key pairs are replaced.
 */
int
keyring_reseal_user(struct store_txn *t, const char *user,
    const struct vault_identity *old, const unsigned char *new_pk,
    char **cause)
{
	struct keyring_scan	 ks;
	struct vault_key	*k;
	size_t			 i;
	int			 rc;

	memset(&ks, 0, sizeof ks);
	ks.user = user;
	rc = store_scan(t, STORE_KEYS, NULL, 0, keyring_user_cb, &ks, cause);
	for (i = 0; rc == 0 && i < ks.nlabels; i++) {
		if ((rc = keyring_open(t, ks.labels[i], user, old, &k,
		    cause)) != 0)
			break;
		rc = keyring_seal(t, ks.labels[i], k, user, new_pk, cause);
		vault_key_free(k);
	}
	for (i = 0; i < ks.nlabels; i++)
		free(ks.labels[i]);
	free(ks.labels);
	return (rc);
}

/*
 * An organisation key's earlier version, kept encrypted under the key
 * that replaced it ("org:oversight:1" under recipient "@next"): whoever
 * holds the current key opens the earlier ones, back to the first.
 */
int
keyring_archive_put(struct store_txn *t, const char *label,
    const struct vault_key *next, const struct vault_key *old, char **cause)
{
	uint8_t	*ct;
	size_t	 ctlen, klen;
	char	*key;
	int	 rc;

	vault_key_wrap(next, old, label, &ct, &ctlen);
	key = keyring_key(label, KEYRING_NEXT, &klen);
	rc = store_put(t, STORE_KEYS, key, klen, ct, ctlen, 0, cause);
	free(key);
	free(ct);
	return (rc);
}

int
keyring_archive_open(struct store_txn *t, const char *label,
    const struct vault_key *next, struct vault_key **kp, char **cause)
{
	uint8_t	*ct;
	size_t	 ctlen;
	int	 rc;

	*kp = NULL;
	if ((rc = keyring_get(t, label, KEYRING_NEXT, &ct, &ctlen,
	    cause)) != 0)
		return (rc);
	rc = vault_key_unwrap(next, label, ct, ctlen, kp, cause);
	free(ct);
	return (rc);
}

/* 1 if the copy sealed to recipient was made for box_pk, 0 if not. */
int
keyring_sealed_for(struct store_txn *t, const char *label,
    const char *recipient, const uint8_t *box_pk, char **cause)
{
	uint8_t	*sealed;
	size_t	 len;
	int	 rc;

	if ((rc = keyring_get(t, label, recipient, &sealed, &len,
	    cause)) != 0)
		return (rc);
	rc = vault_sealed_for(sealed, len, box_pk);
	free(sealed);
	return (rc);
}

/*
 * 'dossier check' of the keys table, without any key: every sealed key is
 * of a version read and of its length; a version 3 one has its batch's
 * record, for the same recipient and the ephemeral key it names (without
 * it, the key no longer opens for anyone); each batch record is whole;
 * every case key is sealed to the organisation recovery key.  fn gets
 * each problem as a sentence.
 */
struct keyring_chk {
	keyring_problem_fn	  fn;
	void			 *arg;
	/* The batch records, by the hex id of their label. */
	char			**ids;
	uint8_t			**recs;
	size_t			 *lens;
	size_t			  n;
	/* The case key label being read, and whether @recovery holds it. */
	char			 *label;
	int			  recovery;
};

static int
keyring_chk_batch_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct keyring_chk	*c = arg;
	const char		*key = k, *nul;

	if ((nul = memchr(key, '\0', klen)) == NULL)
		return (0);
	c->ids = xrealloc(c->ids, (c->n + 1) * sizeof *c->ids);
	c->recs = xrealloc(c->recs, (c->n + 1) * sizeof *c->recs);
	c->lens = xrealloc(c->lens, (c->n + 1) * sizeof *c->lens);
	c->ids[c->n] = xstrndup(key + strlen(KEYRING_BATCH_LABEL), nul - key -
	    strlen(KEYRING_BATCH_LABEL));
	c->recs[c->n] = xmalloc(vlen + 1);
	memcpy(c->recs[c->n], v, vlen);
	c->lens[c->n++] = vlen;
	return (0);
}

/* The case key label left: was it sealed to the recovery key? */
static void
keyring_chk_label_done(struct keyring_chk *c)
{
	char	*msg;

	if (c->label != NULL && !c->recovery) {
		xasprintf(&msg, _("the key of %s is not sealed to the "
		    "organisation recovery key: it could not be recovered."),
		    c->label);
		c->fn(msg, c->arg);
		free(msg);
	}
	free(c->label);
	c->label = NULL;
	c->recovery = 0;
}

static int
keyring_chk_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct keyring_chk	*c = arg;
	const uint8_t		*rec = NULL;
	uint8_t			 bid[VAULT_BATCH_ID_LEN];
	const char		*key = k, *nul;
	char			*label, *who, *id, *msg = NULL;
	size_t			 i, rlen = 0;

	if ((nul = memchr(key, '\0', klen)) == NULL)
		return (0);
	label = xstrndup(key, nul - key);
	who = xstrndup(nul + 1, key + klen - nul - 1);
	if (strncmp(label, "case:", 5) == 0 && (c->label == NULL ||
	    strcmp(c->label, label) != 0)) {
		keyring_chk_label_done(c);
		c->label = xstrdup(label);
	}
	if (strncmp(label, "case:", 5) != 0)
		keyring_chk_label_done(c);
	if (strcmp(who, KEYRING_RECOVERY) == 0)
		c->recovery = 1;
	if (strcmp(who, KEYRING_NEXT) == 0)
		;	/* an archived organisation key: a "DX" blob */
	else if (strcmp(who, KEYRING_BATCH) == 0) {
		if (vlen != VAULT_BATCH_LEN || memcmp(v, "SB\1\0", 4) != 0)
			xasprintf(&msg, _("the record of a batch of sealed "
			    "keys (%s) is damaged: the keys of the batch no "
			    "longer open."), label);
	} else if (!vault_sealed_wellformed(v, vlen))
		xasprintf(&msg, _("the key of %s sealed to %s is damaged: it "
		    "no longer opens."), label, who);
	else if (vault_sealed_batch(v, vlen, bid)) {
		id = keyring_batch_label(bid);
		for (i = 0; i < c->n; i++)
			if (strcmp(c->ids[i], id + strlen(KEYRING_BATCH_LABEL))
			    == 0) {
				rec = c->recs[i];
				rlen = c->lens[i];
				break;
			}
		free(id);
		if (!vault_sealed_batch_matches(v, vlen, rec, rlen))
			xasprintf(&msg, _("the key of %s sealed to %s names "
			    "a batch whose record is missing or is not its "
			    "own: it no longer opens."), label, who);
	}
	if (msg != NULL) {
		c->fn(msg, c->arg);
		free(msg);
	}
	free(label);
	free(who);
	return (0);
}

int
keyring_check(struct store_txn *t, keyring_problem_fn fn, void *arg,
    char **cause)
{
	struct keyring_chk	 c;
	size_t			 i;
	int			 rc;

	memset(&c, 0, sizeof c);
	c.fn = fn;
	c.arg = arg;
	rc = store_scan(t, STORE_KEYS, KEYRING_BATCH_LABEL,
	    strlen(KEYRING_BATCH_LABEL), keyring_chk_batch_cb, &c, cause);
	if (rc == 0)
		rc = store_scan(t, STORE_KEYS, NULL, 0, keyring_chk_cb, &c,
		    cause);
	if (rc == 0)
		keyring_chk_label_done(&c);
	free(c.label);
	for (i = 0; i < c.n; i++) {
		free(c.ids[i]);
		free(c.recs[i]);
	}
	free(c.ids);
	free(c.recs);
	free(c.lens);
	return (rc);
}
