/*
 * audit.c: appending to and verifying the hash-chained, signed audit log.
 *
 * The head of the chain (last sequence number and the hash of the last
 * entry) is kept in the meta table under "audit.head" and updated in the
 * same transaction as the entry, so concurrent writers serialise on it
 * and the chain has no forks.  An entry is signed over its encoding
 * without the "sig" field; the signer's public key is stored in the entry
 * and must be one the user's account holds or held, so a key replaced by
 * a first passphrase change still verifies the entries it signed.
 * Deleting the last entries is found because the head then names a
 * sequence number the table lacks.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "audit.h"
#include "i18n.h"
#include "layout.h"
#include "record.h"
#include "store.h"
#include "util.h"
#include "vault.h"

#define AUDIT_DETAIL_MAX 512

struct audit_blob {
	uint64_t	 seq;
	uint8_t		*data;
	size_t		 len;
};

struct audit_walk {
	struct audit_blob	*list;
	size_t			 n;
	uint8_t			 head[8 + VAULT_HASH_LEN];
	int			 has_head;
};

static int
audit_head(struct store_txn *t, uint64_t *seq, uint8_t *hash, char **cause)
{
	uint8_t	*v;
	size_t	 len;
	int	 rc;

	rc = meta_get(t, META_AUDIT_HEAD, &v, &len, cause);
	if (rc == STORE_NOTFOUND) {
		*seq = 0;
		memset(hash, 0, VAULT_HASH_LEN);
		return (0);
	}
	if (rc != 0)
		return (rc);
	if (len != 8 + VAULT_HASH_LEN) {
		free(v);
		return (err_set(cause, _("The head of the audit log is damaged; "
		    "run 'dossier audit verify'.")));
	}
	*seq = get_be64(v);
	memcpy(hash, v + 8, VAULT_HASH_LEN);
	free(v);
	return (0);
}

/*
 * A long reading that must see one state of the store ('check', the
 * list): the log's head is read first and its lock kept until the
 * reading ends, so that no change commits meanwhile (every change
 * appends to the log); the rest is then read at degree 2
 * (store_txn_read_committed()), keeping no lock on the pages it left.
 */
int
audit_hold(struct store_txn *t, char **cause)
{
	uint8_t		 hash[VAULT_HASH_LEN];
	uint64_t	 seq;
	int		 rc;

	if ((rc = audit_head(t, &seq, hash, cause)) != 0)
		return (rc);
	store_txn_read_committed(t);
	return (0);
}

/* The last entry's number and hash, inside the caller's transaction. */
int
audit_head_in(struct store_txn *t, uint64_t *seq, uint8_t *hash, char **cause)
{
	return (audit_head(t, seq, hash, cause));
}

/* The hash of entry seq as stored; STORE_NOTFOUND if it is not there. */
int
audit_entry_hash_in(struct store_txn *t, uint64_t seq, uint8_t *hash,
    char **cause)
{
	uint8_t	 key[8], *v;
	size_t	 len;
	int	 rc;

	put_be64(key, seq);
	if ((rc = store_get(t, STORE_AUDIT, key, sizeof key, &v, &len,
	    cause)) != 0)
		return (rc);
	vault_hash(v, len, hash);
	free(v);
	return (0);
}

/*
 * The entries after entry seq, whose hash the caller kept (seq 0: the
 * whole log), to fn in order, inside the caller's transaction.  Each
 * must follow the one before it, up to the head: an entry changed,
 * removed or put back in another order is refused, as is an anchor that
 * is no longer the entry it named.  Signatures are not checked here
 * (audit_verify does): what cannot be forged is the chain.
 */
int
audit_after_in(struct store_txn *t, uint64_t seq, const uint8_t *hash,
    audit_fn fn, void *arg, char **cause)
{
	struct audit_entry	 e;
	struct record		*r;
	uint8_t			 prev[VAULT_HASH_LEN], head[VAULT_HASH_LEN];
	uint8_t			 key[8], *v;
	const void		*p;
	size_t			 len, plen;
	uint64_t		 headseq, n;
	int			 rc;

	if ((rc = audit_head(t, &headseq, head, cause)) != 0)
		return (rc);
	memset(prev, 0, sizeof prev);
	if (seq != 0) {
		rc = audit_entry_hash_in(t, seq, prev, cause);
		if (rc == STORE_NOTFOUND || (rc == 0 &&
		    memcmp(prev, hash, VAULT_HASH_LEN) != 0)) {
			err_clear(cause);
			return (err_set(cause, _("Audit entry %llu is not the "
			    "one kept when this was sealed: the audit log was "
			    "rewritten."), (unsigned long long)seq));
		}
		if (rc != 0)
			return (rc);
	}
	if (headseq < seq)
		return (err_set(cause, _("The audit log ends at entry %llu, "
		    "before entry %llu seen earlier: entries were removed."),
		    (unsigned long long)headseq, (unsigned long long)seq));
	for (n = seq + 1; n <= headseq; n++) {
		put_be64(key, n);
		if ((rc = store_get(t, STORE_AUDIT, key, sizeof key, &v, &len,
		    cause)) != 0) {
			if (rc != STORE_NOTFOUND)
				return (rc);
			err_clear(cause);
			return (err_set(cause, _("Audit entry %llu is missing."),
			    (unsigned long long)n));
		}
		r = record_decode(v, len, NULL);
		if (r == NULL || (p = record_get(r, "prev", &plen)) == NULL ||
		    plen != VAULT_HASH_LEN || memcmp(p, prev, plen) != 0 ||
		    record_get_int(r, "seq", 0) != (int64_t)n) {
			record_free(r);
			free(v);
			return (err_set(cause, _("Audit entry %llu does not "
			    "follow the entry before it: an entry was changed, "
			    "removed or reordered."), (unsigned long long)n));
		}
		vault_hash(v, len, prev);
		free(v);
		memset(&e, 0, sizeof e);
		e.seq = n;
		e.time = record_get_int(r, "time", 0);
		e.user = (char *)record_get_str(r, "user");
		e.action = (char *)record_get_str(r, "action");
		e.caseref = (char *)record_get_str(r, "case");
		e.detail = (char *)record_get_str(r, "detail");
		e.via = (char *)record_get_str(r, "via");
		rc = e.user != NULL && e.action != NULL ? fn(&e, arg) : 0;
		record_free(r);
		if (rc != 0)
			return (rc);
	}
	if (memcmp(prev, head, VAULT_HASH_LEN) != 0 && headseq != seq)
		return (err_set(cause, _("The head of the audit log does not "
		    "name its last entry: entries were changed at the end.")));
	return (0);
}

static int audit_put(struct store_txn *, uint64_t, struct record *,
    char **);
static int audit_write(struct store_txn *, const char *,
    const struct vault_identity *, const char *, const char *, const char *,
    char **);

int
audit_append(struct store_txn *t, const struct audit_signer *signer,
    const char *action, const char *caseref, const char *detail,
    char **cause)
{
	return (audit_write(t, signer->user, signer->id, action, caseref,
	    detail, cause));
}

/*
 * A failed sign-in for name (which may not exist).  Nobody is signed in,
 * so the entry is chained but not signed: no signing secret is kept in
 * clear for it.  The next successful sign-in of the account says, in an
 * entry the user signs, how many failures came before it.
 */
int
audit_append_failure(struct store_txn *t, const char *name, char **cause)
{
	return (audit_write(t, name, NULL, "signin.fail", NULL, NULL, cause));
}

static int
audit_write(struct store_txn *t, const char *user,
    const struct vault_identity *signer, const char *action,
    const char *caseref, const char *detail, char **cause)
{
	struct record	*r;
	uint8_t		 prev[VAULT_HASH_LEN], sig[VAULT_SIG_LEN], *enc;
	size_t		 enclen, dlen;
	uint64_t	 seq = 0;
	int		 rc;

	dlen = detail != NULL ? strlen(detail) : 0;
	if (dlen > AUDIT_DETAIL_MAX)
		dlen = AUDIT_DETAIL_MAX;
	/* A replica's entries are the master's to append (audit-forward.c). */
	if (store_txn_forwards(t))
		return (audit_forward(t, user, signer, action, caseref, detail,
		    dlen, cause));
	if ((rc = audit_head(t, &seq, prev, cause)) != 0)
		return (rc);
	seq++;
	r = record_create();
	record_set_int(r, "seq", (int64_t)seq);
	record_set_int(r, "time", now());
	record_set_str(r, "user", user);
	record_set_str(r, "action", action);
	record_set_str(r, "case", caseref != NULL ? caseref : "");
	record_set(r, "detail", detail != NULL ? detail : "", dlen);
	record_set(r, "prev", prev, sizeof prev);
	if (signer != NULL) {
		record_set(r, "pk", vault_identity_sign_pk(signer),
		    VAULT_PK_LEN);
		record_encode(r, &enc, &enclen);
		vault_sign(signer, enc, enclen, sig);
		free(enc);
		record_set(r, "sig", sig, sizeof sig);
	}
	return (audit_put(t, seq, r, cause));
}

/*
 * A replica's entry, checked by replica.c: its number first,
 * its fields as the replica signed them, the hash of the entry before.
 */
int
audit_append_forwarded(struct store_txn *t, const struct record *fwd,
    char **cause)
{
	struct record	*r;
	const void	*v;
	size_t		 i, len;
	uint8_t		 prev[VAULT_HASH_LEN];
	uint64_t	 seq = 0;
	int		 rc;

	if ((rc = audit_head(t, &seq, prev, cause)) != 0)
		return (rc);
	seq++;
	/* Encoded as the replica signed it (record.h). */
	r = record_create_as(fwd);
	record_set_int(r, "seq", (int64_t)seq);
	for (i = 0; i < record_count(fwd); i++) {
		v = record_value_at(fwd, i, &len);
		record_set(r, record_key_at(fwd, i), v, len);
	}
	record_set(r, "prev", prev, sizeof prev);
	return (audit_put(t, seq, r, cause));
}

/* Write entry seq (record r, freed) and make it the head. */
static int
audit_put(struct store_txn *t, uint64_t seq, struct record *r, char **cause)
{
	uint8_t		 key[8], head[8 + VAULT_HASH_LEN], *enc;
	size_t		 enclen;
	int		 rc;

	record_encode(r, &enc, &enclen);
	record_free(r);

	put_be64(key, seq);
	rc = store_put(t, STORE_AUDIT, key, sizeof key, enc, enclen,
	    STORE_NOOVERWRITE, cause);
	if (rc == 0) {
		put_be64(head, seq);
		vault_hash(enc, enclen, head + 8);
		rc = meta_put(t, META_AUDIT_HEAD, head, sizeof head,
		    0, cause);
	}
	free(enc);
	return (rc);
}

int
audit_appendf(struct store_txn *t, const struct audit_signer *signer,
    const char *action, const char *caseref, char **cause, const char *fmt,
    ...)
{
	va_list	 ap;
	char	*detail;
	int	 rc;

	va_start(ap, fmt);
	xvasprintf(&detail, fmt, ap);
	va_end(ap);
	rc = audit_append(t, signer, action, caseref, detail, cause);
	free(detail);
	return (rc);
}

static int
audit_collect(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct audit_walk	*w = arg;
	struct audit_blob	*b;

	w->list = xrealloc(w->list, (w->n + 1) * sizeof *w->list);
	b = &w->list[w->n++];
	b->seq = klen == 8 ? get_be64(k) : 0;
	b->data = xmalloc(vlen > 0 ? vlen : 1);
	memcpy(b->data, v, vlen);
	b->len = vlen;
	return (0);
}

static int
audit_collect_txn(struct store_txn *t, void *arg, char **cause)
{
	struct audit_walk	*w = arg;
	uint8_t			*v;
	size_t			 len, i;
	int			 rc;

	for (i = 0; i < w->n; i++)
		free(w->list[i].data);
	free(w->list);
	w->list = NULL;
	w->n = 0;
	w->has_head = 0;
	rc = meta_get(t, META_AUDIT_HEAD, &v, &len, cause);
	if (rc == 0) {
		if (len == sizeof w->head) {
			memcpy(w->head, v, len);
			w->has_head = 1;
		}
		free(v);
	} else if (rc != STORE_NOTFOUND)
		return (rc);
	/* The head's lock kept: the entries read at degree 2 are its. */
	store_txn_read_committed(t);
	return (store_scan(t, STORE_AUDIT, NULL, 0, audit_collect, w, cause));
}

static void
audit_walk_free(struct audit_walk *w)
{
	size_t	 i;

	for (i = 0; i < w->n; i++)
		free(w->list[i].data);
	free(w->list);
}

/* Check one entry against the hash of the one before it. */
static int
audit_check_entry(audit_key_fn held, void *arg, const struct audit_blob *b,
    uint64_t expect, const uint8_t *prev, char **cause)
{
	struct record	*r;
	const void	*p, *pk, *sig;
	const char	*user, *action;
	uint8_t		*enc;
	size_t		 plen, pklen = 0, siglen = 0, enclen;
	int		 ok, unsigned_ok;

	if (b->seq != expect)
		return (err_set(cause, _("Audit entry %llu is missing: the next "
		    "entry found is %llu."), (unsigned long long)expect,
		    (unsigned long long)b->seq));
	if ((r = record_decode(b->data, b->len, NULL)) == NULL)
		return (err_set(cause, _("Audit entry %llu is damaged."),
		    (unsigned long long)expect));
	p = record_get(r, "prev", &plen);
	pk = record_get(r, "pk", &pklen);
	sig = record_get(r, "sig", &siglen);
	user = record_get_str(r, "user");
	action = record_get_str(r, "action");
	/* Only a failed sign-in goes unsigned: nobody was signed in. */
	unsigned_ok = action != NULL && strcmp(action, "signin.fail") == 0 &&
	    pk == NULL && sig == NULL;
	if (record_get_int(r, "seq", 0) != (int64_t)expect || p == NULL ||
	    user == NULL || action == NULL || plen != VAULT_HASH_LEN ||
	    (!unsigned_ok && (pk == NULL || sig == NULL ||
	    pklen != VAULT_PK_LEN || siglen != VAULT_SIG_LEN))) {
		record_free(r);
		return (err_set(cause, _("Audit entry %llu is damaged."),
		    (unsigned long long)expect));
	}
	if (memcmp(p, prev, VAULT_HASH_LEN) != 0) {
		record_free(r);
		return (err_set(cause, _("Audit entry %llu does not follow the "
		    "entry before it: an entry was changed, removed or "
		    "reordered."), (unsigned long long)expect));
	}
	if (unsigned_ok) {
		record_free(r);
		return (0);
	}
	{
		struct record	*unsigned_r = record_copy(r);
		uint8_t		 sigcopy[VAULT_SIG_LEN], pkcopy[VAULT_PK_LEN];

		memcpy(sigcopy, sig, sizeof sigcopy);
		memcpy(pkcopy, pk, sizeof pkcopy);
		record_unset(unsigned_r, "sig");
		/* A replica signed its entry before it had a place. */
		if (record_get(r, "via", NULL) != NULL) {
			record_unset(unsigned_r, "seq");
			record_unset(unsigned_r, "prev");
		}
		record_encode(unsigned_r, &enc, &enclen);
		record_free(unsigned_r);
		ok = vault_verify(pkcopy, enc, enclen, sigcopy) == 0;
		free(enc);
		if (ok && !held(user, pkcopy, arg)) {
			record_free(r);
			return (err_set(cause, _("Audit entry %llu is signed by a "
			    "key that the account '%s' never held."),
			    (unsigned long long)expect, user));
		}
	}
	record_free(r);
	if (!ok)
		return (err_set(cause, _("Audit entry %llu has a bad signature: "
		    "it was altered."), (unsigned long long)expect));
	return (0);
}

int
audit_verify(struct store *s, audit_key_fn held, void *arg, uint64_t *count,
    uint64_t *bad, char **cause)
{
	struct audit_walk	 w;
	uint8_t			 prev[VAULT_HASH_LEN];
	uint64_t		 headseq = 0;
	size_t			 i;
	int			 rc = 0;

	*count = 0;
	*bad = 0;
	memset(&w, 0, sizeof w);
	if (store_run(s, audit_collect_txn, &w, cause) != 0) {
		audit_walk_free(&w);
		return (-1);
	}
	memset(prev, 0, sizeof prev);
	for (i = 0; i < w.n; i++) {
		if (audit_check_entry(held, arg, &w.list[i], i + 1, prev,
		    cause) != 0) {
			*bad = i + 1;
			rc = -1;
			break;
		}
		vault_hash(w.list[i].data, w.list[i].len, prev);
	}
	if (rc == 0 && w.has_head)
		headseq = get_be64(w.head);
	if (rc == 0 && (headseq != w.n || (w.n != 0 && (!w.has_head ||
	    memcmp(w.head + 8, prev, VAULT_HASH_LEN) != 0)))) {
		*bad = w.n + 1;
		rc = err_set(cause, _("The audit log ends at entry %llu but its "
		    "head names entry %llu: entries were removed or changed at "
		    "the end."), (unsigned long long)w.n,
		    (unsigned long long)headseq);
	}
	*count = w.n;
	audit_walk_free(&w);
	return (rc);
}

int
audit_list(struct store *s, int role, audit_fn fn, void *arg, char **cause)
{
	if (access_require(role, ACCESS_READ_AUDIT, cause) != 0)
		return (-1);
	return (audit_scan(s, fn, arg, cause));
}

/*
 * Every entry, for 'dossier check', which runs for whoever can open the
 * data directory (and so read its files anyway).
 */
int
audit_scan(struct store *s, audit_fn fn, void *arg, char **cause)
{
	struct audit_walk	 w;
	struct audit_entry	 e;
	struct record		*r;
	size_t			 i;
	int			 rc = 0;

	memset(&w, 0, sizeof w);
	if (store_run(s, audit_collect_txn, &w, cause) != 0) {
		audit_walk_free(&w);
		return (-1);
	}
	for (i = 0; rc == 0 && i < w.n; i++) {
		if ((r = record_decode(w.list[i].data, w.list[i].len,
		    NULL)) == NULL) {
			rc = err_set(cause, _("Audit entry %llu is damaged."),
			    (unsigned long long)w.list[i].seq);
			break;
		}
		e.seq = w.list[i].seq;
		e.time = record_get_int(r, "time", 0);
		e.user = (char *)record_get_str(r, "user");
		e.action = (char *)record_get_str(r, "action");
		e.caseref = (char *)record_get_str(r, "case");
		e.detail = (char *)record_get_str(r, "detail");
		e.via = (char *)record_get_str(r, "via");
		if (e.user != NULL && e.action != NULL)
			rc = fn(&e, arg);
		record_free(r);
	}
	audit_walk_free(&w);
	return (rc < 0 ? -1 : 0);
}

struct audit_anchor {
	uint64_t	 seq;
	uint8_t		 hash[VAULT_HASH_LEN];
	int		 found;
};

static int
audit_head_txn(struct store_txn *t, void *arg, char **cause)
{
	struct audit_anchor	*a = arg;

	return (audit_head(t, &a->seq, a->hash, cause));
}

/* The head of the log now: the last entry's number and hash. */
int
audit_head_now(struct store *s, uint64_t *seq, uint8_t *hash, char **cause)
{
	struct audit_anchor	 a;

	memset(&a, 0, sizeof a);
	if (store_run(s, audit_head_txn, &a, cause) != 0)
		return (-1);
	*seq = a.seq;
	memcpy(hash, a.hash, VAULT_HASH_LEN);
	return (0);
}

static int
audit_extends_txn(struct store_txn *t, void *arg, char **cause)
{
	struct audit_anchor	*a = arg;
	uint8_t			 hash[VAULT_HASH_LEN];
	int			 rc;

	rc = audit_entry_hash_in(t, a->seq, hash, cause);
	if (rc == STORE_NOTFOUND) {
		err_clear(cause);
		a->found = 0;
		return (0);
	}
	if (rc == 0)
		a->found = memcmp(hash, a->hash, VAULT_HASH_LEN) == 0 ? 1 : -1;
	return (rc);
}

/*
 * Does the log still hold entry seq with this hash?  Together with a
 * verified chain, the log then extends the anchor.
 */
int
audit_extends(struct store *s, uint64_t seq, const uint8_t *hash,
    char **cause)
{
	struct audit_anchor	 a;

	memset(&a, 0, sizeof a);
	a.seq = seq;
	memcpy(a.hash, hash, VAULT_HASH_LEN);
	if (store_run(s, audit_extends_txn, &a, cause) != 0)
		return (-1);
	if (a.found == 0)
		return (err_set(cause, _("The audit log no longer holds entry "
		    "%llu, which the checkpoint names: entries were removed "
		    "outside dossier."), (unsigned long long)seq));
	if (a.found < 0)
		return (err_set(cause, _("Audit entry %llu is not the one the "
		    "checkpoint names: the log was rewritten outside dossier."),
		    (unsigned long long)seq));
	return (0);
}

/*
 * An action code in words, for people (the audit screen, 'audit list'
 * without --format tsv); the code itself where it is not known here.
 */
static const struct {
	const char	*code;
	const char	*words;
} audit_words[] = {
	{ "agent.lookup",	N_("agent looked up") },
	{ "audit.checkpoint",	N_("audit checkpoint written") },
	{ "audit.head",		N_("audit head noted") },
	{ "case.assign",	N_("case assigned") },
	{ "case.create",	N_("case registered") },
	{ "case.drop",		N_("access withdrawn (account no longer vouched for)") },
	{ "case.event",		N_("event recorded") },
	{ "case.export",	N_("summary exported") },
	{ "case.grant",		N_("case key granted") },
	{ "case.move",		N_("case moved") },
	{ "case.revoke",	N_("case key withdrawn") },
	{ "case.unassign",	N_("case unassigned") },
	{ "org.rotate",		N_("organisation keys replaced") },
	{ "record.add",		N_("record added") },
	{ "record.edit",	N_("record edited") },
	{ "signin",		N_("signed in") },
	{ "signin.fail",	N_("failed sign-in") },
	{ "stats.run",		N_("statistics counted") },
	{ "user.add",		N_("account created") },
	{ "user.approve",	N_("account approved") },
	{ "user.disable",	N_("account disabled") },
	{ "user.enable",	N_("account enabled") },
	{ "user.passwd",	N_("passphrase changed") },
	{ "witness.grant",	N_("witness key granted") },
	{ "witness.request",	N_("witness key asked for") },
	{ "witness.revoke",	N_("witness key withdrawn") },
	{ "witness.view",	N_("witness identity viewed") },
};

const char *
audit_action_words(const char *code)
{
	size_t	 i;

	for (i = 0; i < sizeof audit_words / sizeof audit_words[0]; i++)
		if (strcmp(audit_words[i].code, code) == 0)
			return (_(audit_words[i].words));
	return (code);
}

/* A role's code as the screens name it; the code if it is none. */
static const char *
audit_role_words(const char *code)
{
	enum role	 role;

	return (access_role_parse(code, &role) == 0 ?
	    access_role_label(role) : code);
}

/*
 * "NAME role=ROLE key=FINGERPRINT by=NAME" cut at its fields, in place
 * (a fingerprint holds spaces): 0 when every part is there.
 */
static int
audit_detail_fields(char *s, char **role, char **key, char **by)
{
	if ((*role = strstr(s, " role=")) == NULL)
		return (-1);
	**role = '\0';
	*role += strlen(" role=");
	*key = *by = NULL;
	if ((*key = strstr(*role, " key=")) != NULL) {
		**key = '\0';
		*key += strlen(" key=");
		if ((*by = strstr(*key, " by=")) == NULL)
			return (-1);
		**by = '\0';
		*by += strlen(" by=");
	}
	return (*s != '\0' && **role != '\0' ? 0 : -1);
}

/*
 * An entry's detail in the user's words, where dossier wrote it in a
 * known shape (the log keeps the words it was written with, in English:
 * they are signed); any other detail as it is.  Allocated.
 */
char *
audit_detail_words(const char *action, const char *detail)
{
	char			*copy, *role, *key, *by, *out = NULL;
	char			 hex[17], view[64];
	unsigned long long	 n, v;
	int			 end = -1;

	if (strcmp(action, "signin") == 0 && sscanf(detail,
	    "after %llu failed attempt(s)%n", &n, &end) == 1 &&
	    detail[end] == '\0')
		xasprintf(&out, ngettext("after %llu failed attempt",
		    "after %llu failed attempts", n), n);
	else if (strcmp(action, "witness.view") == 0 && sscanf(detail,
	    "%llu witness record(s)%n", &n, &end) == 1 && detail[end] == '\0')
		xasprintf(&out, ngettext("%llu witness record",
		    "%llu witness records", n), n);
	else if (strcmp(action, "agent.lookup") == 0 && sscanf(detail,
	    "bi=%16[0-9a-f] %llu case(s)%n", hex, &n, &end) == 2 &&
	    detail[end] == '\0')
		xasprintf(&out, ngettext("blind index %s: %llu case",
		    "blind index %s: %llu cases", n), hex, n);
	else if (strcmp(action, "stats.run") == 0 &&
	    strcmp(detail, "recommendations screen") == 0)
		out = xstrdup(_("the recommendations to implement, on screen"));
	else if (strcmp(action, "stats.run") == 0 && sscanf(detail,
	    "recommendations due: %llu%n", &n, &end) == 1 &&
	    detail[end] == '\0')
		xasprintf(&out, ngettext("%llu recommendation to implement",
		    "%llu recommendations to implement", n), n);
	else if (strcmp(action, "stats.run") == 0 && sscanf(detail,
	    "recommendations overdue: %llu%n", &n, &end) == 1 &&
	    detail[end] == '\0')
		xasprintf(&out, ngettext("%llu recommendation overdue",
		    "%llu recommendations overdue", n), n);
	else if (strcmp(action, "stats.run") == 0 && sscanf(detail,
	    "screen %63s publish=%llu cases=%llu%n", view, &v, &n, &end) == 3 &&
	    detail[end] == '\0') {
		/* The view: every count, or by the dimensions named. */
		if (strcmp(view, "all") == 0)
			xasprintf(&by, ngettext("statistics screen, every count, "
			    "%llu case", "statistics screen, every count, %llu "
			    "cases", n), n);
		else
			xasprintf(&by, ngettext("statistics screen by %s, %llu "
			    "case", "statistics screen by %s, %llu cases", n),
			    view, n);
		if (v > 0)
			/* TRANSLATORS: a view to publish, small counts hidden. */
			xasprintf(&out, _("%s, to publish (counts under %llu "
			    "hidden)"), by, v);
		else
			out = by;
	}
	else if (strcmp(action, "audit.checkpoint") == 0 && sscanf(detail,
	    "entry %llu%n", &n, &end) == 1 && detail[end] == '\0')
		xasprintf(&out, _("at entry %llu"), n);
	else if (strcmp(action, "user.passwd") == 0 &&
	    strcmp(detail, "new key pairs") == 0)
		out = xstrdup(_("new key pairs"));
	else if (strcmp(action, "user.disable") == 0 &&
	    strlen(detail) > strlen(" (sealed keys revoked)") &&
	    strcmp(detail + strlen(detail) - strlen(" (sealed keys revoked)"),
	    " (sealed keys revoked)") == 0)
		xasprintf(&out, _("%.*s (its sealed keys withdrawn)"),
		    (int)(strlen(detail) - strlen(" (sealed keys revoked)")),
		    detail);
	else if (strcmp(action, "org.rotate") == 0 &&
	    (copy = strstr(detail, " epoch=")) != NULL && sscanf(copy,
	    " epoch=%llu%n", &n, &end) == 1 && copy[end] == '\0')
		xasprintf(&out, _("%.*s, epoch %llu"), (int)(copy - detail),
		    detail, n);
	else if (strcmp(action, "user.add") == 0 ||
	    strcmp(action, "user.approve") == 0) {
		copy = xstrdup(detail);
		if (audit_detail_fields(copy, &role, &key, &by) == 0) {
			if (key == NULL)
				xasprintf(&out, _("%s, role %s"), copy,
				    audit_role_words(role));
			else
				xasprintf(&out, _("%s, role %s, key %s, "
				    "approved by %s"), copy,
				    audit_role_words(role), key, by);
		}
		free(copy);
	}
	return (out != NULL ? out : xstrdup(detail));
}
