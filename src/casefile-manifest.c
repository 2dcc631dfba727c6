/*
 * casefile-manifest.c: the manifest that makes a case whole.
 *
 * Every change of a case ends by writing, in the same transaction, a
 * manifest of the case: the BLAKE2b hash of the clear header as stored,
 * and of every item of the records table (each record version with its
 * whole envelope, each journal entry, each attached file), in key order.
 * The manifest is authenticated twice:
 *
 * - a keyed hash under the case key, which only the users who can read
 *   the case can make;
 * - an Ed25519 signature by the author of the change, over the manifest
 *   and that keyed hash, which anyone can check against the author's
 *   public key, without the case key ('dossier check').
 *
 * Opening a case recomputes the hashes and compares: a record put back at
 * an earlier version, replayed, moved from another case, deleted or
 * forged, a changed clear envelope field (h.*, by, at, the version), a
 * changed header or a removed journal entry no longer matches, and the
 * case does not open; export refuses it.  The manifest names nothing
 * more than what the disk already shows (how many items a case has).
 *
 * What it does not catch alone: the whole case (header, manifest and
 * every item) put back together to an earlier state, and the author's
 * public key replaced in the users table.  docs/SECURITY.md says which
 * issue anchors those.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "casefile-int.h"
#include "casefile.h"
#include "i18n.h"
#include "layout.h"
#include "record.h"
#include "session.h"
#include "store.h"
#include "util.h"
#include "vault.h"

#define CM_ITEM_LEN	(1 + 8 + VAULT_HASH_LEN)
#define CM_MAC_LABEL	"dossier case manifest v1"

struct cm_items {
	uint8_t		*buf;		/* CM_ITEM_LEN each, in key order */
	size_t		 n;
};

static int
cm_items_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct cm_items	*it = arg;
	const uint8_t	*key = k;
	uint8_t		*p;

	if (klen != LAYOUT_RECORD_KEYLEN || key[8] == LAYOUT_MANIFEST)
		return (0);
	it->buf = xrealloc(it->buf, (it->n + 1) * CM_ITEM_LEN);
	p = it->buf + it->n * CM_ITEM_LEN;
	p[0] = key[8];
	memcpy(p + 1, key + 9, 8);
	vault_hash(v, vlen, p + 9);
	it->n++;
	return (0);
}

/* The hashes of every item of case id as stored now. */
static int
cm_collect(struct store_txn *t, uint64_t id, struct cm_items *it,
    char **cause)
{
	uint8_t	 prefix[8];

	memset(it, 0, sizeof *it);
	put_be64(prefix, id);
	return (store_scan(t, STORE_RECORDS, prefix, sizeof prefix,
	    cm_items_cb, it, cause));
}

static void
cm_mac(const struct vault_key *ck, const uint8_t *m, size_t mlen,
    uint8_t *mac)
{
	uint8_t	*buf;
	size_t	 llen = sizeof CM_MAC_LABEL;

	buf = xmalloc(llen + mlen);
	memcpy(buf, CM_MAC_LABEL, llen);
	memcpy(buf + llen, m, mlen);
	vault_key_hash(ck, buf, llen + mlen, mac);
	free(buf);
}

/* The signed message: the manifest's bytes, then its keyed hash. */
static uint8_t *
cm_signed(const uint8_t *m, size_t mlen, const uint8_t *mac, size_t *len)
{
	uint8_t	*buf;

	buf = xmalloc(mlen + VAULT_HASH_LEN);
	memcpy(buf, m, mlen);
	memcpy(buf + mlen, mac, VAULT_HASH_LEN);
	*len = mlen + VAULT_HASH_LEN;
	return (buf);
}

static void
cm_header_hash(const struct record *h, uint8_t *out)
{
	uint8_t	*v;
	size_t	 len;

	record_encode(h, &v, &len);
	vault_hash(v, len, out);
	free(v);
}

/*
 * Write the manifest of case id after a change: h is the header as just
 * written, ck the case key, the session's user the author.
 */
int
cf_manifest_write(struct store_txn *t, const struct session *sess,
    uint64_t id, const struct record *h, const struct vault_key *ck,
    char **cause)
{
	struct cm_items	 it;
	struct record	*m, *env;
	uint8_t		 hh[VAULT_HASH_LEN], mac[VAULT_HASH_LEN];
	uint8_t		 sig[VAULT_SIG_LEN], *mbytes, *msg;
	size_t		 mlen, msglen;
	int		 rc;

	if ((rc = cm_collect(t, id, &it, cause)) != 0) {
		free(it.buf);
		return (rc);
	}
	cm_header_hash(h, hh);
	m = record_create();
	record_set_int(m, "case", (int64_t)id);
	record_set_int(m, "v", record_get_int(h, "version", 0));
	record_set_str(m, "by", sess->user->name);
	record_set(m, "header", hh, sizeof hh);
	record_set(m, "items", it.buf != NULL ? it.buf : (uint8_t *)"",
	    it.n * CM_ITEM_LEN);
	record_encode(m, &mbytes, &mlen);
	record_free(m);
	free(it.buf);
	cm_mac(ck, mbytes, mlen, mac);
	msg = cm_signed(mbytes, mlen, mac, &msglen);
	vault_sign(sess->id, msg, msglen, sig);
	free(msg);

	env = record_create();
	record_set(env, "m", mbytes, mlen);
	record_set(env, "mac", mac, sizeof mac);
	record_set_str(env, "by", sess->user->name);
	record_set(env, "pk", sess->user->sign_pk, VAULT_PK_LEN);
	record_set(env, "sig", sig, sizeof sig);
	free(mbytes);
	rc = cf_put(t, id, LAYOUT_MANIFEST, 0, env, cause);
	record_free(env);
	return (rc);
}

static const char *
cm_kind_name(int type)
{
	switch (type) {
	case LAYOUT_RECORD:
		return (_("record"));
	case LAYOUT_JOURNAL:
		return (_("journal entry"));
	case LAYOUT_BLOB:
		return (_("attached file of record"));
	default:
		return ("?");
	}
}

/* Compare the items stored now with the manifest's list. */
static int
cm_compare(const char *ref, const uint8_t *want, size_t nwant,
    const struct cm_items *have, char **cause)
{
	const uint8_t	*w, *h;
	size_t		 i = 0, j = 0;
	int		 c;

	while (i < nwant || j < have->n) {
		w = i < nwant ? want + i * CM_ITEM_LEN : NULL;
		h = j < have->n ? have->buf + j * CM_ITEM_LEN : NULL;
		c = w == NULL ? 1 : h == NULL ? -1 : memcmp(w, h, 9);
		if (c < 0)
			return (err_set(cause, _("Case %s: %s %" PRIu64 " is "
			    "missing: it was deleted."), ref, cm_kind_name(w[0]),
			    get_be64(w + 1)));
		if (c > 0)
			return (err_set(cause, _("Case %s: %s %" PRIu64 " is not "
			    "in the case's manifest: it was added or moved "
			    "from elsewhere."), ref, cm_kind_name(h[0]),
			    get_be64(h + 1)));
		if (memcmp(w + 9, h + 9, VAULT_HASH_LEN) != 0)
			return (err_set(cause, _("Case %s: %s %" PRIu64 " does not "
			    "match the case's manifest: it was changed, put back "
			    "to an earlier version or forged."), ref,
			    cm_kind_name(w[0]), get_be64(w + 1)));
		i++;
		j++;
	}
	return (0);
}

/*
 * Check case id against its manifest: the author's signature, the keyed
 * hash when ck is given, the header and every item.  The sentence names
 * the case and what does not match.  Before a write too: the keyed hash
 * alone would let a holder of an old case key forge a change and have the
 * next writer sign it as theirs.
 */
int
cf_manifest_check(struct store_txn *t, uint64_t id, const struct record *h,
    const struct vault_key *ck, char **cause)
{
	struct cm_items	 it;
	struct record	*env = NULL, *m = NULL;
	struct account	*a = NULL;
	const uint8_t	*mb, *mac, *pk, *sig, *hh, *items;
	const char	*by, *ref = record_get_str(h, "reference");
	uint8_t		 want[VAULT_HASH_LEN], *msg;
	size_t		 mlen, maclen, pklen, siglen, hlen, ilen, msglen;
	int		 rc;

	if (ref == NULL)
		ref = "?";
	memset(&it, 0, sizeof it);
	rc = cf_get(t, id, LAYOUT_MANIFEST, 0, &env, cause);
	if (rc == STORE_NOTFOUND) {
		err_clear(cause);
		return (err_set(cause, _("Case %s has no manifest: it was "
		    "removed, so nothing in the case can be trusted."), ref));
	}
	if (rc != 0)
		return (rc);
	mb = record_get(env, "m", &mlen);
	mac = record_get(env, "mac", &maclen);
	pk = record_get(env, "pk", &pklen);
	sig = record_get(env, "sig", &siglen);
	/* The author's name is read from the signed part only. */
	if (mb == NULL || mac == NULL || maclen != VAULT_HASH_LEN ||
	    pk == NULL || pklen != VAULT_PK_LEN || sig == NULL ||
	    siglen != VAULT_SIG_LEN ||
	    (m = record_decode(mb, mlen, NULL)) == NULL ||
	    (by = record_get_str(m, "by")) == NULL ||
	    account_check_name(by, NULL) != 0) {
		rc = err_set(cause, _("Case %s: its manifest is damaged."), ref);
		goto out;
	}
	/* Signed by the named user with a key that account holds or held. */
	if ((rc = account_get_in(t, by, &a, cause)) != 0 ||
	    !account_holds_sign_pk(a, pk)) {
		err_clear(cause);
		rc = err_set(cause, _("Case %s: its manifest names %s as its "
		    "author, with a key that account never held."), ref, by);
		goto out;
	}
	msg = cm_signed(mb, mlen, mac, &msglen);
	rc = vault_verify(pk, msg, msglen, sig);
	free(msg);
	if (rc != 0) {
		rc = err_set(cause, _("Case %s: the signature of its manifest "
		    "does not verify: the manifest was altered."), ref);
		goto out;
	}
	if (ck != NULL) {
		cm_mac(ck, mb, mlen, want);
		if (memcmp(want, mac, VAULT_HASH_LEN) != 0) {
			rc = err_set(cause, _("Case %s: its manifest was not made "
			    "with the case key."), ref);
			goto out;
		}
	}
	if ((hh = record_get(m, "header", &hlen)) == NULL ||
	    hlen != VAULT_HASH_LEN ||
	    (items = record_get(m, "items", &ilen)) == NULL ||
	    ilen % CM_ITEM_LEN != 0 ||
	    (uint64_t)record_get_int(m, "case", 0) != id) {
		rc = err_set(cause, _("Case %s: its manifest is damaged or "
		    "belongs to another case."), ref);
		goto out;
	}
	cm_header_hash(h, want);
	if (memcmp(want, hh, VAULT_HASH_LEN) != 0 ||
	    record_get_int(m, "v", -1) != record_get_int(h, "version", 0)) {
		rc = err_set(cause, _("Case %s: its header does not match the "
		    "case's manifest: the state, dates or assignees were "
		    "changed outside dossier or put back."), ref);
		goto out;
	}
	if ((rc = cm_collect(t, id, &it, cause)) != 0)
		goto out;
	rc = cm_compare(ref, items, ilen / CM_ITEM_LEN, &it, cause);
out:
	free(it.buf);
	account_free(a);
	record_free(m);
	record_free(env);
	return (rc);
}
