/*
 * replica.c: what a master accepts from its replicas for its audit log
 * (docs/REPLICATION.md, "Users at a replica"; FORMAT.md, "Entries made
 * at a replica").
 *
 * A replica's entry (audit-forward.c makes it) reaches the master's
 * serve through store-forward.c.  It is appended only if its fields are
 * those a replica makes, in their order; it is signed by a key the named
 * account holds, the account not disabled (only a failed sign-in goes
 * unsigned, as at the master); its time is within REPLICA_SKEW of the
 * master's clock; and its nonce is in none of the last REPLICA_SEEN
 * entries of the log (read in the transaction that appends it, so that
 * it holds across restarts and at any later master).  A user with a shell at a replica can leave any entry for
 * serve to send: this is what keeps her from writing in another's name,
 * altering her own or sending it twice.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "audit.h"
#include "i18n.h"
#include "record.h"
#include "replica.h"
#include "store.h"
#include "util.h"
#include "vault.h"

#define REPLICA_SKEW	300	/* s between the replica's clock and ours */
#define REPLICA_SEEN	1024	/* entries searched for the same nonce */

/* The fields of a forwarded entry, in the order they are signed. */
static const char *replica_keys[] = {
	"time", "user", "action", "case", "detail", "via", "nonce", "pk", "sig"
};

struct replica_accept {
	struct record	*r;
};

static int
replica_accept_txn(struct store_txn *t, void *arg, char **cause)
{
	struct replica_accept	*a = arg;
	struct account			*acct;
	const char			*user;
	const void			*pk;
	uint8_t				 hash[VAULT_HASH_LEN];
	uint64_t			 head;
	size_t				 pklen;
	int				 rc, seen;

	/* The same entry twice: its nonce among the last entries. */
	if ((rc = audit_head_in(t, &head, hash, cause)) != 0 ||
	    (rc = audit_nonce_in(t, head > REPLICA_SEEN ? head - REPLICA_SEEN :
	    0, record_get(a->r, "nonce", NULL), &seen, cause)) != 0)
		return (rc);
	if (seen)
		return (err_set(cause, _("the entry was sent before.")));
	user = record_get_str(a->r, "user");
	pk = record_get(a->r, "pk", &pklen);
	rc = account_get_in(t, user, &acct, cause);
	if (rc != 0 && pk == NULL) {
		/* A failed sign-in names any account, as at the master. */
		err_clear(cause);
		return (audit_append_forwarded(t, a->r, cause));
	}
	if (rc != 0)
		return (rc);
	if (pk != NULL && (acct->disabled ||
	    !account_holds_sign_pk(acct, pk))) {
		account_free(acct);
		return (err_set(cause, _("the entry is signed by a key that the "
		    "account '%s' does not hold, or the account is "
		    "disabled."), user));
	}
	account_free(acct);
	return (audit_append_forwarded(t, a->r, cause));
}

/* The master's serve: check a replica's entry and append it. */
int
replica_entry_accept(struct store *s, const uint8_t *msg, size_t len,
    char **cause)
{
	struct replica_accept	 a;
	struct record			*r, *u;
	const void			*nonce, *pk, *sig;
	const char			*action, *user;
	uint8_t				*enc;
	size_t				 i, n, nlen, pklen = 0, siglen = 0, enclen;
	int64_t				 when;
	int				 rc, ok;

	if ((r = record_decode(msg, len, NULL)) == NULL)
		return (err_set(cause, _("the entry is damaged.")));
	n = record_count(r);
	for (i = 0; i < n; i++)
		if (i >= sizeof replica_keys / sizeof replica_keys[0] ||
		    strcmp(record_key_at(r, i), replica_keys[i]) != 0)
			break;
	nonce = record_get(r, "nonce", &nlen);
	pk = record_get(r, "pk", &pklen);
	sig = record_get(r, "sig", &siglen);
	user = record_get_str(r, "user");
	action = record_get_str(r, "action");
	when = record_get_int(r, "time", 0);
	if ((i != n) || (n != 7 && n != 9) || nonce == NULL ||
	    nlen != AUDIT_FORWARD_NONCE || user == NULL || action == NULL ||
	    record_get_str(r, "via") == NULL || (n == 9 &&
	    (pklen != VAULT_PK_LEN || siglen != VAULT_SIG_LEN))) {
		record_free(r);
		return (err_set(cause, _("the entry is damaged.")));
	}
	if (n == 7 && strcmp(action, "signin.fail") != 0) {
		record_free(r);
		return (err_set(cause, _("the entry is not signed.")));
	}
	if (when < now() - REPLICA_SKEW || when > now() + REPLICA_SKEW) {
		record_free(r);
		return (err_set(cause, _("the replica's clock and the master's "
		    "differ by more than %d seconds."), REPLICA_SKEW));
	}
	if (n == 9) {
		u = record_copy(r);
		record_unset(u, "sig");
		record_encode(u, &enc, &enclen);
		record_free(u);
		ok = vault_verify(pk, enc, enclen, sig) == 0;
		free(enc);
		if (!ok) {
			record_free(r);
			return (err_set(cause, _("the entry's signature does not "
			    "verify.")));
		}
	}
	a.r = r;
	rc = store_run(s, replica_accept_txn, &a, cause);
	record_free(r);
	return (rc);
}
