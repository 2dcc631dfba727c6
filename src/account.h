/*
 * account.h: user accounts, the organisation's first set-up, and sign-in.
 *
 * An account record holds the user's public keys in clear and the secret
 * halves locked under the passphrase (vault_identity_lock).  Signing in
 * unlocks them into a session; session_free() wipes them.
 */
#ifndef ACCOUNT_H
#define ACCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "access.h"
#include "vault.h"

#define ACCOUNT_NAME_MAX	32
#define ACCOUNT_PASS_MIN	12	/* characters */
#define ACCOUNT_PASS_MAX	1024	/* bytes */
#define ACCOUNT_DELAY_MAX	30	/* seconds after repeated failures */

struct store;
struct store_txn;

struct account {
	char		*name;
	enum role	 role;
	int		 disabled;
	int		 must_change;	/* set by an admin; user must passwd */
	int64_t		 created;
	int64_t		 failures;	/* consecutive wrong passphrases */
	uint8_t		 box_pk[VAULT_PK_LEN];
	uint8_t		 sign_pk[VAULT_PK_LEN];
	uint8_t		*secret;	/* locked secret keys */
	size_t		 secretlen;
	uint8_t		*past_sign_pks;	/* replaced signing keys, 32 each */
	size_t		 pastlen;
	/*
	 * The organisation recovery key the account was locked with: bound
	 * into the locked keys' associated data, so a file writer cannot
	 * change it, and compared with the store's before anything is
	 * sealed to it.
	 */
	uint8_t		 org_pk[VAULT_PK_LEN];
	uint8_t		 root_pk[VAULT_PK_LEN];	/* the root, pinned the same */
	/* The approval that lets the account receive keys (trust.c). */
	struct account_approval {
		char		*by;	/* TRUST_ROOT or a name; NULL: none */
		int64_t		 at;
		uint8_t		 sig[VAULT_SIG_LEN];
	}		 approval;
	/*
	 * Every approval the account was given, kept when it is disabled
	 * or its keys change (account_history_next()): what its
	 * signatures made before are checked against.
	 */
	uint8_t		*history;
	size_t		 historylen;
};

/* One approval of the history, with the keys and role it approved. */
struct account_past_approval {
	enum role	 role;
	uint8_t		 box_pk[VAULT_PK_LEN];
	uint8_t		 sign_pk[VAULT_PK_LEN];
	uint8_t		 org_pk[VAULT_PK_LEN];
	uint8_t		 root_pk[VAULT_PK_LEN];
	char		 by[ACCOUNT_NAME_MAX + 1];	/* or TRUST_ROOT */
	int64_t		 at;
	uint8_t		 sig[VAULT_SIG_LEN];
};
/*
 * The approval of the history at *off, which moves on: 1 if one was
 * read, 0 at the end, -1 if the history is damaged.
 */
int	 account_history_next(const struct account *, size_t *,
	    struct account_past_approval *);

struct session;

int	 account_check_name(const char *, char **);
int	 account_check_passphrase(const char *, const char *, char **);
/* The passphrase rule in one sentence, for prompts (free it). */
char	*account_passphrase_rule(void);
/* 0 if no account has this name; else one sentence. */
int	 account_name_free(struct store *, const char *, char **);

/*
 * A new organisation: the recovery key (its secret returned as the text
 * of the recovery file), the first admin, and in the same transaction
 * whatever org makes with the root (trust_org_init: the oversight and
 * index keys).
 */
typedef int (*account_org_fn)(struct store_txn *, const struct vault_identity *,
    char **);
int	 account_init(struct store *, const char *, const char *, size_t,
	    enum vault_cost, account_org_fn, char **, char **);
int	 account_get(struct store *, const char *, struct account **, char **);
int	 account_list(struct store *, struct account ***, size_t *, char **);
int	 account_list_in(struct store_txn *, struct account ***, size_t *,
	    char **);
/*
 * The store's organisation recovery key is the one the signed-in user's
 * account pinned; else one sentence ("... has changed since your account
 * was created").  pk gets the pinned key, to seal to.
 */
int	 account_recovery_pk(struct store_txn *, const struct account *,
	    uint8_t *, char **);
/* The same for the root signing key. */
int	 account_root_pk(struct store_txn *, const struct account *,
	    uint8_t *, char **);
/* One account inside the caller's transaction. */
int	 account_get_in(struct store_txn *, const char *, struct account **,
	    char **);
int	 account_exists_in(struct store_txn *, const char *);
/* Does the account hold, or has it held, this signing key? */
int	 account_holds_sign_pk(const struct account *, const uint8_t *);
void	 account_free(struct account *);
void	 account_list_free(struct account **, size_t);

/*
 * For audit_verify(): does the account hold, or has it held, this signing
 * key?  arg is a struct account_set loaded once.
 */
struct account_set {
	struct account	**list;
	size_t		  n;
};
int	 account_set_load(struct store *, struct account_set *, char **);
void	 account_set_free(struct account_set *);
int	 account_held_key(const char *, const uint8_t *, void *);
/*
 * Walk the audit log checking every signature against the keys the
 * accounts hold or held.  With a session, only for the roles that may
 * read the log; without one ('dossier check'), for whoever can open the
 * data directory.
 */
int	 account_verify_audit(struct store *, const struct session *,
	    uint64_t *, uint64_t *, char **);

struct audit_signer;
int	 account_note_signin(struct store_txn *, const char *, int,
	    const struct audit_signer *, char **);

int	 account_add(struct session *, const char *, enum role, const char *,
	    size_t, int, char **);
/* Write an approval (trust.c) into the account record. */
int	 account_approve_in(struct store_txn *, const char *,
	    const struct account_approval *, char **);
int	 account_set_disabled(struct session *, const char *, int, char **);
int	 account_passwd(struct session *, const char *, size_t, char **);

/* How long to wait after the nth consecutive failure. */
unsigned int account_failure_delay(int64_t);

#endif
