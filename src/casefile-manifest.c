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
#include "sigmemo.h"
#include "store.h"
#include "trust.h"
#include "util.h"
#include "vault.h"

/* An item in memory, and in a version 1 manifest's list. */
#define CM_ITEM_LEN	(1 + 8 + VAULT_HASH_LEN)
/* Version 2 lists each item's first bytes of its hash: a hint that
 * names the item changed; the hash of the whole list decides. */
#define CM_HINT_LEN	4
#define CM_MAC_LABEL1	"dossier case manifest v1"
#define CM_MAC_LABEL2	"dossier case manifest v2"

struct cf_scan;
static int	cm_check(struct store_txn *, uint64_t, const struct record *,
		    const struct vault_key *, const uint8_t *,
		    struct cf_scan *, char **);

/* The version new manifests are written in (cf_manifest_set_version()). */
static int cm_version = 2;

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

/*
 * The items of the case a change checked (cf_manifest_check() before it
 * writes), kept for the manifest it writes at its end: the list the
 * signed manifest vouched for, with each item this transaction writes put
 * in (cf_manifest_note(), from cf_put_raw()).  It is what a scan of the
 * case in the same transaction would find, without reading and hashing
 * every item again.  Tied to one transaction attempt (store_txn_serial)
 * and one case: anything else scans.
 */
static __thread struct cm_memo {
	uint64_t	 serial;	/* 0: none */
	uint64_t	 id;
	struct cm_items	 it;
} cm_memo;

/*
 * A new case's items are all written in its one transaction: they are
 * kept here (cf_manifest_new()) and put in key order once its manifest is
 * made (cf_manifest_flush(), from cf_commit()), journal, manifest, then
 * records, so that the records table grows at its end: written in the
 * order they are made (records, journal, then manifest, which sort the
 * other way), they split its pages in the middle and left them half
 * empty.
 */
struct cm_put {
	uint8_t		 key[LAYOUT_RECORD_KEYLEN];
	uint8_t		*v;
	size_t		 len;
};

static __thread struct cm_new {
	uint64_t	 serial;	/* 0: none */
	uint64_t	 id;
	struct cm_put	*puts;
	size_t		 n;
} cm_new;

static void
cm_memo_clear(void)
{
	free(cm_memo.it.buf);
	memset(&cm_memo, 0, sizeof cm_memo);
}

static void
cm_new_clear(void)
{
	size_t	 i;

	for (i = 0; i < cm_new.n; i++)
		free(cm_new.puts[i].v);
	free(cm_new.puts);
	memset(&cm_new, 0, sizeof cm_new);
}

/* Case id is being made in this transaction: it has no item yet. */
void
cf_manifest_new(struct store_txn *t, uint64_t id)
{
	cm_memo_clear();
	cm_new_clear();
	cm_memo.serial = cm_new.serial = store_txn_serial(t);
	cm_memo.id = cm_new.id = id;
}

/* 1 if the item is kept for cf_manifest_flush() (a new case's). */
int
cf_manifest_keep(struct store_txn *t, const uint8_t *key, const void *v,
    size_t len)
{
	struct cm_put	*p;

	if (cm_new.serial == 0 || cm_new.serial != store_txn_serial(t) ||
	    get_be64(key) != cm_new.id)
		return (0);
	cm_new.puts = xrealloc(cm_new.puts, (cm_new.n + 1) *
	    sizeof *cm_new.puts);
	p = &cm_new.puts[cm_new.n++];
	memcpy(p->key, key, sizeof p->key);
	p->v = xmalloc(len + 1);
	memcpy(p->v, v, len);
	p->len = len;
	return (1);
}

static int
cm_put_cmp(const void *a, const void *b)
{
	return (memcmp(((const struct cm_put *)a)->key,
	    ((const struct cm_put *)b)->key, LAYOUT_RECORD_KEYLEN));
}

/* Write the kept items of the new case, in key order; the last wins. */
int
cf_manifest_flush(struct store_txn *t, char **cause)
{
	struct cm_put	 p;
	size_t		 i, j;
	int		 rc = 0;

	if (cm_new.serial == 0 || cm_new.serial != store_txn_serial(t)) {
		cm_new_clear();
		return (0);
	}
	/* A stable sort (a case has a few items): the later of two writes
	 * of one item is the one kept. */
	for (i = 1; i < cm_new.n; i++) {
		p = cm_new.puts[i];
		for (j = i; j > 0 && cm_put_cmp(&cm_new.puts[j - 1], &p) > 0;
		    j--)
			cm_new.puts[j] = cm_new.puts[j - 1];
		cm_new.puts[j] = p;
	}
	for (i = 0; rc == 0 && i < cm_new.n; i++) {
		if (i + 1 < cm_new.n && cm_put_cmp(&cm_new.puts[i],
		    &cm_new.puts[i + 1]) == 0)
			continue;
		rc = store_put(t, STORE_RECORDS, cm_new.puts[i].key,
		    LAYOUT_RECORD_KEYLEN, cm_new.puts[i].v, cm_new.puts[i].len,
		    0, cause);
	}
	cm_new_clear();
	return (rc);
}

void
cf_manifest_note(struct store_txn *t, const uint8_t *key, const void *v,
    size_t len)
{
	struct cm_items	*it = &cm_memo.it;
	uint8_t		*p;
	size_t		 lo = 0, hi = it->n, mid;
	int		 c;

	if (cm_memo.serial == 0 || cm_memo.serial != store_txn_serial(t) ||
	    get_be64(key) != cm_memo.id || key[8] == LAYOUT_MANIFEST)
		return;
	/* Items are in key order: type, then number (9 bytes). */
	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = memcmp(it->buf + mid * CM_ITEM_LEN, key + 8, 9);
		if (c == 0) {
			vault_hash(v, len, it->buf + mid * CM_ITEM_LEN + 9);
			return;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	it->buf = xrealloc(it->buf, (it->n + 1) * CM_ITEM_LEN);
	p = it->buf + lo * CM_ITEM_LEN;
	memmove(p + CM_ITEM_LEN, p, (it->n - lo) * CM_ITEM_LEN);
	memcpy(p, key + 8, 9);
	vault_hash(v, len, p + 9);
	it->n++;
}

/* The hashes of every item of case id as stored now. */
static int
cm_collect(struct store_txn *t, uint64_t id, struct cm_items *it,
    char **cause)
{
	uint8_t	 prefix[8];

	memset(it, 0, sizeof *it);
	if (cm_memo.serial != 0 && cm_memo.serial == store_txn_serial(t) &&
	    cm_memo.id == id) {
		*it = cm_memo.it;
		memset(&cm_memo, 0, sizeof cm_memo);
		return (0);
	}
	put_be64(prefix, id);
	return (store_scan(t, STORE_RECORDS, prefix, sizeof prefix,
	    cm_items_cb, it, cause));
}

/* Tests make the manifests of an older store; 2 otherwise. */
void
cf_manifest_set_version(int version)
{
	cm_version = version;
}

static void
cm_mac(int version, const struct vault_key *ck, const uint8_t *m,
    size_t mlen, uint8_t *mac)
{
	const char	*label = version == 1 ? CM_MAC_LABEL1 : CM_MAC_LABEL2;
	uint8_t		*buf;
	size_t		 llen = strlen(label) + 1;

	buf = xmalloc(llen + mlen);
	memcpy(buf, label, llen);
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
 * Version 2's list: per item its type, its number (a varint) and the
 * first CM_HINT_LEN bytes of its hash ("il"); and the BLAKE2b-256 of the
 * items as version 1 lists them, whole hashes and all ("ih").  A case of
 * ten items takes 60 bytes instead of 410, and a changed item is caught
 * by a 256-bit hash as before.
 */
static void
cm_list_set(struct record *m, const struct cm_items *it)
{
	uint8_t		*il, *p, ih[VAULT_HASH_LEN];
	const uint8_t	*item;
	size_t		 i;

	p = il = xmalloc(it->n * (1 + 10 + CM_HINT_LEN) + 1);
	for (i = 0; i < it->n; i++) {
		item = it->buf + i * CM_ITEM_LEN;
		*p++ = item[0];
		p = varint_put(p, get_be64(item + 1));
		memcpy(p, item + 9, CM_HINT_LEN);
		p += CM_HINT_LEN;
	}
	vault_hash(it->buf != NULL ? it->buf : (uint8_t *)"",
	    it->n * CM_ITEM_LEN, ih);
	record_set(m, "il", il, (size_t)(p - il));
	record_set(m, "ih", ih, sizeof ih);
	free(il);
}

/*
 * Read version 2's list back into version 1's layout (CM_ITEM_LEN an
 * item), each hash but its hint zero: -1 if it is not a list dossier
 * writes (an unknown type, a number out of order, bytes left over).
 */
static int
cm_list_get(const uint8_t *il, size_t len, struct cm_items *out)
{
	const uint8_t	*p = il, *end = il + len;
	uint8_t		*item;
	uint64_t	 num;

	memset(out, 0, sizeof *out);
	while (p < end) {
		if (*p != LAYOUT_RECORD && *p != LAYOUT_JOURNAL &&
		    *p != LAYOUT_BLOB)
			goto bad;
		out->buf = xrealloc(out->buf, (out->n + 1) * CM_ITEM_LEN);
		item = out->buf + out->n * CM_ITEM_LEN;
		memset(item, 0, CM_ITEM_LEN);
		item[0] = *p++;
		if (varint_get(&p, end, UINT64_MAX, &num) != 0 ||
		    (size_t)(end - p) < CM_HINT_LEN)
			goto bad;
		put_be64(item + 1, num);
		memcpy(item + 9, p, CM_HINT_LEN);
		p += CM_HINT_LEN;
		if (out->n > 0 && memcmp(item - CM_ITEM_LEN, item, 9) >= 0)
			goto bad;
		out->n++;
	}
	return (0);
bad:
	free(out->buf);
	memset(out, 0, sizeof *out);
	return (-1);
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
	uint8_t		 sk[LAYOUT_STATS_KEYLEN];
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
	if (cm_version == 1)
		record_set(m, "items", it.buf != NULL ? it.buf :
		    (uint8_t *)"", it.n * CM_ITEM_LEN);
	else
		cm_list_set(m, &it);
	record_encode(m, &mbytes, &mlen);
	record_free(m);
	free(it.buf);
	cm_mac(cm_version, ck, mbytes, mlen, mac);
	msg = cm_signed(mbytes, mlen, mac, &msglen);
	vault_sign(sess->id, msg, msglen, sig);
	/* The check before the next write of this case finds it here. */
	sigmemo_note(vault_identity_sign_pk(sess->id), msg, msglen, sig);
	free(msg);

	env = record_create();
	record_set(env, "m", mbytes, mlen);
	record_set(env, "mac", mac, sizeof mac);
	if (cm_version == 1) {
		record_set_str(env, "by", sess->user->name);
		record_set(env, "pk", sess->user->sign_pk, VAULT_PK_LEN);
	}
	record_set(env, "sig", sig, sizeof sig);
	free(mbytes);
	rc = cf_put(t, id, LAYOUT_MANIFEST, 0, env, cause);
	record_free(env);
	/* The statistics digest no longer says what the case holds. */
	layout_stats_key(sk, id);
	if (rc == 0)
		rc = store_del_any(t, STORE_INDEX, sk, sizeof sk, cause);
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
		return (_("entry of an unknown kind"));
	}
}

/*
 * Compare the items stored now with the manifest's list, of which hlen
 * bytes of each hash are known (all of them in version 1, the hint in
 * version 2).
 */
static int
cm_compare(const char *ref, const uint8_t *want, size_t nwant,
    const struct cm_items *have, size_t hlen, char **cause)
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
		if (memcmp(w + 9, h + 9, hlen) != 0)
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
    const struct vault_key *ck, const uint8_t *root, char **cause)
{
	return (cm_check(t, id, h, ck, root, NULL, cause));
}

/*
 * A reader's scan of case id that serves the check too: each item goes to
 * fn as store_scan() would give it, and is hashed for the check; the
 * manifest is kept.  Then cf_manifest_check_scanned() checks what this
 * scan read, in the same transaction, so an open reads the case once
 * rather than three times (the manifest, the items to check, the items to
 * show: a compressed chunk decompressed at each).  The reader must use
 * nothing it was handed before that check passes.
 */
struct cf_scan {
	store_scan_fn	 fn;
	void		*arg;
	struct cm_items	 it;
	struct record	*manifest;	/* NULL: none read */
	int		 damaged;	/* a manifest that does not decode */
};

static int
cm_scan_cb(const void *k, size_t klen, const void *v, size_t vlen, void *arg)
{
	struct cf_scan	*sc = arg;
	const uint8_t	*key = k;

	/* The manifest is number 0 alone, as cf_get() reads it: another
	 * number under its type (an old manifest put there) is no item
	 * and no manifest. */
	if (klen == LAYOUT_RECORD_KEYLEN && key[8] == LAYOUT_MANIFEST) {
		if (get_be64(key + 9) == 0 && sc->manifest == NULL &&
		    !sc->damaged &&
		    (sc->manifest = record_decode(v, vlen, NULL)) == NULL)
			sc->damaged = 1;
	} else
		cm_items_cb(k, klen, v, vlen, &sc->it);
	return (sc->fn(k, klen, v, vlen, sc->arg));
}

int
cf_manifest_scan(struct store_txn *t, uint64_t id, store_scan_fn fn,
    void *arg, struct cf_scan **scp, char **cause)
{
	struct cf_scan	*sc;
	uint8_t		 prefix[8];
	int		 rc;

	sc = xcalloc(1, sizeof *sc);
	sc->fn = fn;
	sc->arg = arg;
	put_be64(prefix, id);
	rc = store_scan(t, STORE_RECORDS, prefix, sizeof prefix, cm_scan_cb,
	    sc, cause);
	if (rc != 0) {
		cf_scan_free(sc);
		sc = NULL;
	}
	*scp = sc;
	return (rc);
}

void
cf_scan_free(struct cf_scan *sc)
{
	if (sc == NULL)
		return;
	free(sc->it.buf);
	record_free(sc->manifest);
	free(sc);
}

/* cf_manifest_check() of what cf_manifest_scan() read (its items taken). */
int
cf_manifest_check_scanned(struct store_txn *t, uint64_t id,
    const struct record *h, const struct vault_key *ck, const uint8_t *root,
    struct cf_scan *sc, char **cause)
{
	return (cm_check(t, id, h, ck, root, sc, cause));
}

static int
cm_check(struct store_txn *t, uint64_t id, const struct record *h,
    const struct vault_key *ck, const uint8_t *root, struct cf_scan *sc,
    char **cause)
{
	struct cm_items	 it, want2;
	struct record	*env = NULL, *m = NULL;
	struct account	*a = NULL;
	const uint8_t	*mb, *mac, *pk, *sig, *hh, *items, *ih = NULL;
	const char	*by, *ref = record_get_str(h, "reference");
	uint8_t		 want[VAULT_HASH_LEN], *msg, *v;
	uint8_t		 key[LAYOUT_RECORD_KEYLEN];
	size_t		 mlen, maclen, pklen = 0, siglen, hlen, ilen, ihlen, msglen;
	size_t		 vlen;
	size_t		 j;
	int		 rc, version, listok;

	if (ref == NULL)
		ref = "?";
	memset(&it, 0, sizeof it);
	memset(&want2, 0, sizeof want2);
	if (sc == NULL) {
		layout_record_key(key, id, LAYOUT_MANIFEST, 0);
		rc = store_get(t, STORE_RECORDS, key, sizeof key, &v, &vlen,
		    cause);
		if (rc == 0) {
			env = record_decode(v, vlen, NULL);
			free(v);
			if (env == NULL)
				rc = err_set(cause, _("Case %s: its manifest "
				    "is damaged."), ref);
		}
	} else if (sc->damaged)
		rc = err_set(cause, _("Case %s: its manifest is damaged."),
		    ref);
	else if ((env = sc->manifest) == NULL)
		rc = STORE_NOTFOUND;
	else {
		sc->manifest = NULL;
		rc = 0;
	}
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
	    sig == NULL || siglen != VAULT_SIG_LEN ||
	    (m = record_decode(mb, mlen, NULL)) == NULL ||
	    (by = record_get_str(m, "by")) == NULL ||
	    account_check_name(by, NULL) != 0) {
		rc = err_set(cause, _("Case %s: its manifest is damaged."), ref);
		goto out;
	}
	/* Version 1 names its key; version 2 has its list's hash. */
	version = record_get(m, "ih", NULL) != NULL ? 2 : 1;
	if ((version == 1 && (pk == NULL || pklen != VAULT_PK_LEN)) ||
	    (version == 2 && pk != NULL)) {
		rc = err_set(cause, _("Case %s: its manifest is damaged."), ref);
		goto out;
	}
	if ((rc = account_get_in(t, by, &a, cause)) != 0 ||
	    (version == 1 && !account_holds_sign_pk(a, pk))) {
		err_clear(cause);
		rc = err_set(cause, _("Case %s: its manifest names %s as its "
		    "author, with a key that account never held."), ref, by);
		goto out;
	}
	/* Signed by the named user with a key that account holds or held:
	 * version 2 tries the current key first, then the replaced ones. */
	msg = cm_signed(mb, mlen, mac, &msglen);
	if (version == 1)
		rc = sigmemo_verify(pk, msg, msglen, sig);
	else {
		rc = sigmemo_verify((pk = a->sign_pk), msg, msglen, sig);
		for (j = 0; rc != 0 && j + VAULT_PK_LEN <= a->pastlen;
		    j += VAULT_PK_LEN)
			rc = sigmemo_verify((pk = a->past_sign_pks + j), msg,
			    msglen, sig);
	}
	free(msg);
	if (rc != 0) {
		rc = err_set(cause, _("Case %s: the signature of its manifest "
		    "does not verify: the manifest was altered."), ref);
		goto out;
	}
	/*
	 * The key is the author's only if an approval, signed along a
	 * chain to the root, gave it to them: the row's keys alone are
	 * what a file writer can change.
	 */
	if (trust_signer(t, root, a, pk) != 0) {
		rc = err_set(cause, _("Case %s: its manifest is signed with a "
		    "key no approval gave %s: it was signed before the account "
		    "was approved (approving %s opens it again), or the "
		    "account's keys were changed outside dossier."), ref, by,
		    by);
		goto out;
	}
	if (ck != NULL) {
		cm_mac(version, ck, mb, mlen, want);
		if (memcmp(want, mac, VAULT_HASH_LEN) != 0) {
			rc = err_set(cause, _("Case %s: its manifest was not made "
			    "with the case key."), ref);
			goto out;
		}
	}
	if (version == 1) {
		items = record_get(m, "items", &ilen);
		listok = items != NULL && ilen % CM_ITEM_LEN == 0;
	} else {
		items = record_get(m, "il", &ilen);
		ih = record_get(m, "ih", &ihlen);
		listok = items != NULL && ihlen == VAULT_HASH_LEN &&
		    cm_list_get(items, ilen, &want2) == 0;
		items = want2.buf;
		ilen = want2.n * CM_ITEM_LEN;
	}
	if ((hh = record_get(m, "header", &hlen)) == NULL ||
	    hlen != VAULT_HASH_LEN || !listok ||
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
	/* What is on disk now, never the memo. */
	cm_memo_clear();
	if (sc != NULL) {
		it = sc->it;	/* read in this transaction: on disk now */
		memset(&sc->it, 0, sizeof sc->it);
	} else if ((rc = cm_collect(t, id, &it, cause)) != 0)
		goto out;
	rc = cm_compare(ref, items, ilen / CM_ITEM_LEN, &it,
	    version == 1 ? VAULT_HASH_LEN : CM_HINT_LEN, cause);
	if (rc == 0 && version == 2) {
		/* Every hint matches: the whole list's hash decides. */
		vault_hash(it.buf != NULL ? it.buf : (uint8_t *)"",
		    it.n * CM_ITEM_LEN, want);
		if (memcmp(want, ih, VAULT_HASH_LEN) != 0)
			rc = err_set(cause, _("Case %s: an item does not match "
			    "the case's manifest: it was changed, put back to an "
			    "earlier version or forged."), ref);
	}
	if (rc == 0) {
		/* Checked: the write that follows may start from it. */
		cm_memo.serial = store_txn_serial(t);
		cm_memo.id = id;
		cm_memo.it = it;
		memset(&it, 0, sizeof it);
	}
out:
	free(it.buf);
	free(want2.buf);
	account_free(a);
	record_free(m);
	record_free(env);
	return (rc);
}
