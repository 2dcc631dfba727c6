/*
 * trust.h: whom the organisation vouches for.
 *
 * Authority comes from signatures checked against the two keys every
 * account pinned inside its passphrase-locked keys when it was made: the
 * organisation recovery key and the root signing key derived from it
 * (vault_recovery_generate).  Never from a row read from the store:
 *  - an account receives a key (a case, a witness, the oversight or the
 *    index key) only once an approval signs its name, role and current
 *    public keys, made by the root or by an approved supervisor or
 *    auditor: a chain that ends at the pinned root;
 *  - the oversight key's public half and the index key's id are
 *    statements signed the same way, checked before sealing to the one
 *    and after opening either.
 * docs/SECURITY.md, "Authority rooted in keys"; docs/FORMAT.md gives the
 * bytes signed.
 */
#ifndef TRUST_H
#define TRUST_H

#include <stdint.h>

#include "access.h"

struct account;
struct session;
struct store;
struct store_txn;
struct vault_identity;
struct vault_key;

#define TRUST_ROOT		"@root"	/* approvals made with the root key */
#define TRUST_VALUE_LEN		32

/* At init: the oversight and index keys, sealed to the recovery key. */
int	 trust_org_init(struct store_txn *, const struct vault_identity *,
	    char **);

/* What an organisation key is checked by (public half, or keyed id). */
void	 trust_key_value(const char *, const struct vault_key *, uint8_t *);
/* The signed value of an organisation key, for the viewer. */
int	 trust_org_value(struct store_txn *, const struct account *,
	    const char *, uint8_t *, char **);
/* The same with the statement's epoch (1 at init, +1 per rotation). */
int	 trust_org_state(struct store_txn *, const struct account *,
	    const char *, uint8_t *, int64_t *, char **);
/* 1 if the organisation key must be replaced (see trust.c). */
int	 trust_org_rotation_due(struct store_txn *, const struct account *,
	    const char *, char **);
/* Its statement lists one more holder, re-signed by the root or by. */
int	 trust_org_add_holder(struct store_txn *, const struct account *,
	    const char *, const char *, const char *,
	    const struct vault_identity *, char **);
/* Replace an organisation key a disabled account held (see trust.c). */
int	 trust_org_rotate(struct store_txn *, struct session *, const char *,
	    const struct vault_key *, struct account **, size_t, char **);
/* Move a statement's audit anchor on, if it lags (see trust.c). */
int	 trust_org_reanchor(struct store_txn *, struct session *,
	    const char *, char **);
/* Is this opened key the organisation's, as its statement says? */
int	 trust_org_key_check(struct store_txn *, const struct account *,
	    const char *, const struct vault_key *, char **);
/* May an account of this role hold this organisation key? */
int	 trust_entitled(enum role, const char *);

/*
 * May the viewer seal a key to this account?  0 if it is enabled and its
 * approval verifies along a chain to the viewer's root; role gets the
 * approved role.  Else one sentence.
 */
int	 trust_account(struct store_txn *, const struct account *,
	    const struct account *, enum role *, char **);
/* The same by name, with its public box key; STORE_NOTFOUND if none. */
int	 trust_user_pk(struct store_txn *, const struct account *,
	    const char *, uint8_t *, enum role *, char **);
/* How many approved, enabled supervisors and auditors vouch for keys. */
int	 trust_approvers(struct store *, const struct account *, size_t *,
	    char **);
/* After disabling one of this role: a warning if none is left, or NULL. */
char	*trust_disable_notice(struct store *, const struct account *,
	    enum role);
/* 0 if the signed-in user is an approved supervisor or auditor. */
int	 trust_authority_self(struct store_txn *, const struct session *);
/*
 * Did the account hold this signing key under an approval that verifies
 * along a chain to the root key given, now or before it was disabled or
 * its keys replaced?  0 if so: what the key signed is the account's.
 * Authority to sign comes from approvals, never from the row's keys.
 */
int	 trust_signer(struct store_txn *, const uint8_t *,
	    const struct account *, const uint8_t *);
/* Does the signed-in user's own key sign for them (trust_signer())? */
int	 trust_signer_self(struct store *, const struct session *);
/* Has the account a valid current approval (for the accounts list)? */
int	 trust_approved(struct store_txn *, const struct account *,
	    const struct account *);
/* The same for a list, in one transaction: approved[i] for list[i]. */
int	 trust_mark_approved(struct store *, const struct account *,
	    struct account **, size_t, int *, char **);

/*
 * 'dossier check': each account's status, approval and history of
 * approvals against the audit log; fn gets one sentence per problem.
 */
int	 trust_check_accounts(struct store *, void (*)(const char *, void *),
	    void *, size_t *, char **);

/* What the approver and the account's owner compare (VAULT_FINGERPRINT_LEN). */
void	 trust_fingerprint(const struct account *, char *);

struct account_approval;
/* Sign an approval (its by and at set) of an account as it stands. */
void	 trust_sign_approval(const struct account *,
	    const struct vault_identity *, struct account_approval *);

/*
 * 'dossier user approve NAME --fingerprint FP': the signed-in supervisor
 * or auditor (or, with root, the holder of the recovery key) approves
 * NAME's current keys and role, and passes on the organisation keys the
 * role needs.  The fingerprint is the one NAME reads out.
 */
int	 trust_approve(struct session *, const char *, const char *,
	    const struct vault_identity *, char **);

#endif
