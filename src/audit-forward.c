/*
 * audit-forward.c: audit entries made at a replica, recorded by the
 * master (docs/REPLICATION.md, "Users at a replica").
 *
 * At a replica the user signs the entry as at the master, but without
 * its place in the chain, which only the master knows: time, user,
 * action, case, detail, the replica's address ("via"), a random nonce
 * and the signing key, then the signature over that record.  store-
 * forward.c carries it to the master, where replica.c checks it and
 * audit_append_forwarded() appends it: the sequence number first, the
 * replica's fields as signed, the hash of the entry before last.  A
 * verifier takes out seq, prev and sig again to check the signature.
 * The process at the replica shows nothing until the entry came back
 * to it through replication.  The master's side is replica.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "i18n.h"
#include "layout.h"
#include "record.h"
#include "store.h"
#include "util.h"
#include "vault.h"

#define FORWARD_WAIT	30	/* s a process at a replica waits */

/* What a process at a replica waits for after its transaction. */
struct audit_forward_wait {
	uint64_t	 after;		/* the head when the entry was made */
	uint8_t		 nonce[AUDIT_FORWARD_NONCE];
	char		 name[2 * AUDIT_FORWARD_NONCE + 1];
	char		 master[300];
	size_t		 len;
	uint8_t		 msg[];
};

struct audit_forward_find {
	const uint8_t	*nonce;
	int		 found;
};

static int
audit_forward_match(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct audit_forward_find	*f = arg;
	struct record			*r;
	const void			*n;
	size_t				 nlen;

	(void)k;
	(void)klen;
	if ((r = record_decode(v, vlen, NULL)) == NULL)
		return (0);
	n = record_get(r, "nonce", &nlen);
	if (n != NULL && nlen == AUDIT_FORWARD_NONCE &&
	    memcmp(n, f->nonce, AUDIT_FORWARD_NONCE) == 0)
		f->found = 1;
	record_free(r);
	return (f->found);
}

/* Whether an entry after seq after carries this nonce. */
int
audit_nonce_in(struct store_txn *t, uint64_t after, const uint8_t *nonce,
    int *found, char **cause)
{
	struct audit_forward_find	 f;
	uint8_t				 key[8];
	int				 rc;

	memset(&f, 0, sizeof f);
	f.nonce = nonce;
	put_be64(key, after + 1);
	rc = store_scan_from(t, STORE_AUDIT, key, sizeof key,
	    audit_forward_match, &f, cause);
	*found = f.found;
	return (rc < 0 ? rc : 0);
}

static int
audit_forward_find_txn(struct store_txn *t, void *arg, char **cause)
{
	struct audit_forward_wait	*w = ((void **)arg)[0];
	int				*found = ((void **)arg)[1];

	return (audit_nonce_in(t, w->after, w->nonce, found, cause));
}

/* After the read's transaction: send the entry, wait until it is back. */
static int
audit_forward_after(struct store *s, void *arg, char **cause)
{
	struct audit_forward_wait	*w = arg;
	int				 found = 0;
	void				*both[2] = { w, &found };
	time_t				 end;

	if (store_forward_send(s, w->name, w->msg, w->len, cause) != 0)
		return (-1);
	end = time(NULL) + FORWARD_WAIT;
	while (time(NULL) <= end) {
		if (store_forward_refused(s, w->name, cause) != 0) {
			store_forward_drop(s, w->name);
			return (-1);
		}
		if (store_run(s, audit_forward_find_txn, both, cause) != 0) {
			store_forward_drop(s, w->name);
			return (-1);
		}
		if (found)
			return (0);
		usleep(50000);
	}
	store_forward_drop(s, w->name);
	return (err_set(cause, _("This site is a replica, and the master (%s) "
	    "did not confirm within %d seconds that it recorded this in the "
	    "audit log, so nothing is shown. Is 'dossier serve' running here "
	    "and at the master? See 'dossier site status'."),
	    *w->master != '\0' ? w->master : "?", FORWARD_WAIT));
}

/* The entry as a replica sends it (signed unless signer is NULL). */
void
audit_forward_encode(const char *user, const struct vault_identity *signer,
    const char *action, const char *caseref, const char *detail, size_t dlen,
    const char *via, const uint8_t *nonce, uint8_t **enc, size_t *enclen)
{
	struct record	*r;
	uint8_t		 sig[VAULT_SIG_LEN];

	r = record_create();
	record_set_int(r, "time", now());
	record_set_str(r, "user", user);
	record_set_str(r, "action", action);
	record_set_str(r, "case", caseref != NULL ? caseref : "");
	record_set(r, "detail", detail != NULL ? detail : "", dlen);
	record_set_str(r, "via", via);
	record_set(r, "nonce", nonce, AUDIT_FORWARD_NONCE);
	if (signer != NULL) {
		record_set(r, "pk", vault_identity_sign_pk(signer),
		    VAULT_PK_LEN);
		record_encode(r, enc, enclen);
		vault_sign(signer, *enc, *enclen, sig);
		free(*enc);
		record_set(r, "sig", sig, sizeof sig);
	}
	record_encode(r, enc, enclen);
	record_free(r);
}

/*
 * Inside a transaction at a replica (store_txn_forwards()): sign the
 * entry and have it sent and waited for once the transaction is over.
 */
int
audit_forward(struct store_txn *t, const char *user,
    const struct vault_identity *signer, const char *action,
    const char *caseref, const char *detail, size_t dlen, char **cause)
{
	struct audit_forward_wait	*w;
	uint8_t				 prev[VAULT_HASH_LEN];
	uint8_t				 nonce[AUDIT_FORWARD_NONCE], *enc;
	char				 self[300], master[300], *hex;
	size_t				 enclen;
	uint64_t			 head;
	int				 rc;

	if ((rc = audit_head_in(t, &head, prev, cause)) != 0)
		return (rc);
	store_txn_addrs(t, self, master, sizeof self);
	vault_random(nonce, sizeof nonce);
	audit_forward_encode(user, signer, action, caseref, detail, dlen, self,
	    nonce, &enc, &enclen);

	w = xmalloc(sizeof *w + enclen);

	w->after = head;
	memcpy(w->nonce, nonce, sizeof nonce);
	hex = vault_hex(nonce, sizeof nonce);
	snprintf(w->name, sizeof w->name, "%s", hex);
	free(hex);
	snprintf(w->master, sizeof w->master, "%s", master);
	w->len = enclen;
	memcpy(w->msg, enc, enclen);
	free(enc);
	return (store_txn_after(t, audit_forward_after, w, cause));
}
