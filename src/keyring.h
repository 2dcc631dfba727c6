/*
 * keyring.h: sealed case and witness keys in the "keys" table.
 *
 * A key belongs to a place, named by a label ("case:42",
 * "witness:42:7").  For each reader it is stored sealed to that reader's
 * public key under "label NUL recipient"; the organisation recovery key
 * is the recipient KEYRING_RECOVERY and receives every key.
 */
#ifndef KEYRING_H
#define KEYRING_H

#include <stddef.h>
#include <stdint.h>

struct store_txn;
struct vault_key;
struct vault_sealer;
struct vault_identity;

#define KEYRING_RECOVERY	"@recovery"
#define KEYRING_NEXT		"@next"	/* an archive under its successor */
#define KEYRING_BATCH		"@batch" /* a batch of sealed keys (its ephemeral key) */

int	 keyring_seal(struct store_txn *, const char *, const struct vault_key *,
	    const char *, const unsigned char *, char **);
int	 keyring_seal_with(struct store_txn *, const char *,
	    const struct vault_key *, const char *, struct vault_sealer *,
	    char **);
int	 keyring_seal_recovery(struct store_txn *, const char *,
	    const struct vault_key *, const uint8_t *, char **);
typedef void (*keyring_problem_fn)(const char *, void *);
int	 keyring_check(struct store_txn *, keyring_problem_fn, void *, char **);
int	 keyring_open(struct store_txn *, const char *, const char *,
	    const struct vault_identity *, struct vault_key **, char **);
int	 keyring_revoke(struct store_txn *, const char *, const char *, char **);
int	 keyring_holds(struct store_txn *, const char *, const char *, char **);
int	 keyring_holders(struct store_txn *, const char *, char ***, size_t *,
	    char **);
int	 keyring_revoke_user(struct store_txn *, const char *, char ***,
	    size_t *, char **);
int	 keyring_reseal_user(struct store_txn *, const char *,
	    const struct vault_identity *, const unsigned char *, char **);
int	 keyring_archive_put(struct store_txn *, const char *,
	    const struct vault_key *, const struct vault_key *, char **);
int	 keyring_archive_open(struct store_txn *, const char *,
	    const struct vault_key *, struct vault_key **, char **);
int	 keyring_sealed_for(struct store_txn *, const char *, const char *,
	    const uint8_t *, char **);

#endif
