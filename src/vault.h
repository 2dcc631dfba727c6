/*
 * vault.h: every cryptographic operation of dossier (the only module that
 * includes <sodium.h>).  The scheme is described in docs/SECURITY.md and
 * the byte layouts in docs/FORMAT.md.
 *
 * Secret material (identities, case and witness keys, passphrases) lives in
 * sodium_malloc() memory, guarded and wiped on free.  Objects returned by
 * vault_*_generate/unlock/open are owned by the caller, who frees them with
 * the matching *_free function.  Byte buffers returned through uint8_t **
 * are malloc'd; plaintexts must be wiped by the caller (wipe()).
 */
#ifndef VAULT_H
#define VAULT_H

#include <stddef.h>
#include <stdint.h>

#define VAULT_KEYID_LEN		8
#define VAULT_PK_LEN		32
#define VAULT_SIG_LEN		64
#define VAULT_HASH_LEN		32
#define VAULT_HASH512_LEN	64
#define VAULT_SEED_LEN		32
#define VAULT_SEALED_LEN	108	/* "SK" 1 0 keyid[8] seal(key||tag) */
#define VAULT_SEALED_MAX	132	/* "SK" 2 0 keyid eph nonce box */
#define VAULT_SEALED3_LEN	72	/* "SK" 3 0 keyid batch[8] n[4] aead */
#define VAULT_BATCH_ID_LEN	8
#define VAULT_BATCH_LEN		44	/* "SB" 1 0 keyid[8] eph[32] */
#define VAULT_SHA256_LEN	32
#define VAULT_KEY_LEN		32

/* Argon2id cost, chosen at init and stored with each user. */
enum vault_cost {
	VAULT_COST_INTERACTIVE,		/* 64 MiB, 2 passes */
	VAULT_COST_MODERATE,		/* 256 MiB, 3 passes (default) */
	VAULT_COST_SENSITIVE		/* 1 GiB, 4 passes */
};

/* Result of vault_identity_unlock() when the passphrase is wrong. */
#define VAULT_EBADPASS	(-2)

struct vault_identity;
struct vault_key;

int	 vault_init(char **);
void	*vault_alloc(size_t);
void	 vault_free(void *);
void	 vault_random(void *, size_t);
int	 vault_cost_parse(const char *, enum vault_cost *);
const char *vault_cost_name(enum vault_cost);

/* A user's (or the organisation's) key pairs. */
struct vault_identity *vault_identity_generate(void);
struct vault_identity *vault_identity_from_key(const struct vault_key *);
struct vault_identity *vault_identity_from_seed(const uint8_t *);
void	 vault_identity_free(struct vault_identity *);
void	 vault_cache_clear(void);
const uint8_t *vault_identity_box_pk(const struct vault_identity *);
const uint8_t *vault_identity_sign_pk(const struct vault_identity *);
const uint8_t *vault_identity_keyid(const struct vault_identity *);
void	 vault_keyid(const uint8_t *, uint8_t *);

/* The secret halves encrypted under a passphrase; ad binds to the owner. */
void	 vault_identity_lock(const struct vault_identity *, const char *,
	    size_t, enum vault_cost, const char *, uint8_t **, size_t *);
int	 vault_identity_unlock(const uint8_t *, size_t, const char *, size_t,
	    const char *, const uint8_t *, const uint8_t *,
	    struct vault_identity **, char **);
int	 vault_lock_cost(const uint8_t *, size_t, uint64_t *, uint64_t *);

/* The organisation recovery key file (text, two lines). */
struct vault_identity *vault_recovery_generate(void);	/* signs too */
char	*vault_recovery_encode(const struct vault_identity *);
struct vault_identity *vault_recovery_decode(const char *, char **);

/* Symmetric keys for cases and witnesses. */
struct vault_key *vault_key_generate(void);
struct vault_key *vault_key_import(const uint8_t *);	/* VAULT_KEY_LEN */
void	 vault_key_export(const struct vault_key *, uint8_t *);
int	 vault_equal(const void *, const void *, size_t);
void	 vault_key_free(struct vault_key *);
void	 vault_key_seal(const struct vault_key *, const char *,
	    const uint8_t *, uint8_t *);
/*
 * A sealer seals many keys to one recipient with one ephemeral key pair:
 * the Diffie-Hellman is done once, each seal is then symmetric ("SK" 3,
 * VAULT_SEALED3_LEN bytes).  The ephemeral public key is stored once, in
 * the batch record (vault_sealer_batch(), VAULT_BATCH_LEN bytes, named by
 * its id), which opening a seal of the batch needs.
 */
struct vault_sealer;
struct vault_sealer *vault_sealer_create(const uint8_t *);
void	 vault_sealer_free(struct vault_sealer *);
size_t	 vault_key_seal_with(const struct vault_key *, const char *,
	    struct vault_sealer *, uint8_t *);
void	 vault_sealer_batch(const struct vault_sealer *, uint8_t *,
	    uint8_t *);
int	 vault_sealed_batch(const uint8_t *, size_t, uint8_t *);
int	 vault_sealed_wellformed(const uint8_t *, size_t);
int	 vault_sealed_batch_matches(const uint8_t *, size_t, const uint8_t *,
	    size_t);
int	 vault_key_open(const uint8_t *, size_t, const char *,
	    const struct vault_identity *, struct vault_key **, char **);
int	 vault_key_open_batch(const uint8_t *, size_t, const uint8_t *,
	    size_t, const char *, const struct vault_identity *,
	    struct vault_key **, char **);

/* XChaCha20-Poly1305 with associated data binding the ciphertext. */
void	 vault_key_wrap(const struct vault_key *, const struct vault_key *,
	    const char *, uint8_t **, size_t *);
int	 vault_key_unwrap(const struct vault_key *, const char *,
	    const uint8_t *, size_t, struct vault_key **, char **);
int	 vault_sealed_for(const uint8_t *, size_t, const uint8_t *);
void	 vault_encrypt(const struct vault_key *, const char *, const void *,
	    size_t, uint8_t **, size_t *);
/* ChaCha20-Poly1305, 96-bit nonce: for a case's or a witness's key. */
void	 vault_encrypt_few(const struct vault_key *, const char *,
	    const void *, size_t, uint8_t **, size_t *);
int	 vault_decrypt(const struct vault_key *, const char *, const void *,
	    size_t, uint8_t **, size_t *, char **);

/* Signatures and hashes (audit log, exports). */
void	 vault_sign(const struct vault_identity *, const void *, size_t,
	    uint8_t *);
int	 vault_verify(const uint8_t *, const void *, size_t, const uint8_t *);
void	 vault_hash(const void *, size_t, uint8_t *);
void	 vault_hash512(const void *, size_t, uint8_t *);
int	 vault_hash512_fd(int, uint8_t *);
/* Keyed BLAKE2b-256 (blind indexes) and SHA-256 (evidence files). */
void	 vault_key_hash(const struct vault_key *, const void *, size_t,
	    uint8_t *);
void	 vault_sha256(const void *, size_t, uint8_t *);
/* The same of a file from fd's position; -1 with errno on a read error. */
int	 vault_sha256_fd(int, uint8_t *);

/* Hex and base64 (standard alphabet, padded); results are malloc'd. */
char	*vault_hex(const void *, size_t);
int	 vault_unhex(const char *, void *, size_t, size_t *);
/* The same bytes for the same seed and n: demo data, never keys. */
void	 vault_deterministic(uint64_t, uint64_t, void *, size_t);
#define VAULT_FINGERPRINT_LEN	40
void	 vault_fingerprint(const uint8_t *, char *);
char	*vault_base64(const void *, size_t);
int	 vault_unbase64(const char *, uint8_t **, size_t *);

#endif
