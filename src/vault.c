/*
 * vault.c: the cryptography of dossier, on libsodium.
 *
 * An identity is two key pairs: X25519 (crypto_box) to receive sealed keys
 * and Ed25519 to sign.  Its secret halves are stored encrypted ("locked")
 * with XChaCha20-Poly1305 under a key derived from the passphrase with
 * Argon2id; the cost parameters travel in the blob so they can be raised.
 *
 * Case and witness keys are random 32-byte keys, sealed to each reader with
 * crypto_box_seal.  A sealed key carries a 16-byte BLAKE2b tag of its
 * "label" (its place: case and record), so a sealed key copied to another
 * place does not open there.  Records are encrypted with XChaCha20-Poly1305
 * whose associated data is the record's place, for the same reason.
 */
#include "config.h"

#include <sodium.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "util.h"
#include "vault.h"

#define SK_BOX_LEN	crypto_box_SECRETKEYBYTES
#define SK_SIGN_LEN	crypto_sign_SECRETKEYBYTES
#define SK_LEN		(SK_BOX_LEN + SK_SIGN_LEN)
#define AEAD_NONCE	crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define AEAD_TAG	crypto_aead_xchacha20poly1305_ietf_ABYTES
#define KEY_LEN		crypto_aead_xchacha20poly1305_ietf_KEYBYTES
_Static_assert(KEY_LEN == VAULT_KEY_LEN, "VAULT_KEY_LEN");
#define LABEL_TAG_LEN	16

/* Locked identity: "DK" 1 alg ops[8] mem[8] salt[16] nonce[24] ct[96+16] */
#define LOCK_HEADER	(4 + 8 + 8 + crypto_pwhash_SALTBYTES + AEAD_NONCE)
#define LOCK_LEN	(LOCK_HEADER + SK_LEN + AEAD_TAG)
#define LOCK_ALG_ARGON2ID13	1

/* Encrypted blob: "DX" 1 0 nonce[24] ct+tag */
#define BOX_HEADER	(4 + AEAD_NONCE)
/* Version 2, for a key of few messages: "DX" 2 0 nonce[12] ct+tag */
#define BOX2_NONCE	crypto_aead_chacha20poly1305_ietf_NPUBBYTES
#define BOX2_HEADER	(4 + BOX2_NONCE)
_Static_assert(crypto_aead_chacha20poly1305_ietf_KEYBYTES == KEY_LEN,
    "one key for both versions");
_Static_assert(crypto_aead_chacha20poly1305_ietf_ABYTES == AEAD_TAG,
    "one tag for both versions");

/* Recovery file payload: "RK" keyid[8] pk[32] sk[32] */
#define RECOVERY_LEN	(2 + VAULT_KEYID_LEN + 2 * crypto_box_SECRETKEYBYTES)

struct vault_identity {
	uint8_t		box_pk[crypto_box_PUBLICKEYBYTES];
	uint8_t		box_sk[crypto_box_SECRETKEYBYTES];
	uint8_t		sign_pk[crypto_sign_PUBLICKEYBYTES];
	uint8_t		sign_sk[crypto_sign_SECRETKEYBYTES];
	uint8_t		keyid[VAULT_KEYID_LEN];
	int		can_sign;
};

/*
 * A key, with room behind it for the label's tag that a sealed key
 * carries: what a seal is made of and what opening one gives, in the
 * same pooled guarded memory (vault_key_new), so that opening a case's
 * key makes no guarded allocation of its own (a tenth of an open).
 */
struct vault_key {
	uint8_t		key[KEY_LEN];
	uint8_t		tag[LABEL_TAG_LEN];	/* while sealing or opening */
};
_Static_assert(offsetof(struct vault_key, tag) == KEY_LEN &&
    sizeof(struct vault_key) == KEY_LEN + LABEL_TAG_LEN, "vault_key");

static void	label_tag(const char *, uint8_t *);
static struct vault_key *vault_key_new(void);

int
vault_init(char **cause)
{
	if (sodium_init() < 0)
		return (err_set(cause, _("The cryptography library could not "
		    "be initialised.")));
	return (0);
}

void *
vault_alloc(size_t len)
{
	void	*p;

	if ((p = sodium_malloc(len)) == NULL) {
		/* Guarded pages are limited by RLIMIT_MEMLOCK; say so. */
		fputs("dossier: cannot allocate protected memory\n", stderr);
		abort();
	}
	return (p);
}

void
vault_free(void *p)
{
	if (p != NULL)
		sodium_free(p);
}

void
vault_random(void *buf, size_t len)
{
	randombytes_buf(buf, len);
}

/*
 * Nonces, drawn from a pool of random bytes refilled 1,024 bytes at a
 * time: a bulk import takes some fifteen a case, and one getrandom()
 * each cost a tenth of its time.  Nonces are public (each is stored
 * beside its ciphertext), so the pool is ordinary memory.  The pool is
 * the thread's own, and a process forked from this one empties it (the
 * child handler of pthread_atfork, run in the only thread a child has):
 * a child must never take the nonces its parent takes next.
 */
#define NONCE_POOL	1024

static __thread uint8_t	nonce_pool[NONCE_POOL];
static __thread size_t	nonce_left;
static pthread_once_t	nonce_once = PTHREAD_ONCE_INIT;

static void
nonce_forked(void)
{
	nonce_left = 0;
}

static void
nonce_init(void)
{
	if (pthread_atfork(NULL, NULL, nonce_forked) != 0) {
		fputs("dossier: out of memory\n", stderr);	/* ENOMEM */
		abort();
	}
}

static void
vault_nonce(uint8_t *out, size_t len)
{
	pthread_once(&nonce_once, nonce_init);
	if (nonce_left < len) {
		randombytes_buf(nonce_pool, sizeof nonce_pool);
		nonce_left = sizeof nonce_pool;
	}
	memcpy(out, nonce_pool + sizeof nonce_pool - nonce_left, len);
	nonce_left -= len;
}

int
vault_cost_parse(const char *s, enum vault_cost *cost)
{
	if (strcmp(s, "interactive") == 0)
		*cost = VAULT_COST_INTERACTIVE;
	else if (strcmp(s, "moderate") == 0)
		*cost = VAULT_COST_MODERATE;
	else if (strcmp(s, "sensitive") == 0)
		*cost = VAULT_COST_SENSITIVE;
	else
		return (-1);
	return (0);
}

const char *
vault_cost_name(enum vault_cost cost)
{
	switch (cost) {
	case VAULT_COST_INTERACTIVE:
		return ("interactive");
	case VAULT_COST_SENSITIVE:
		return ("sensitive");
	default:
		return ("moderate");
	}
}

void
vault_keyid(const uint8_t *sign_pk, uint8_t *keyid)
{
	crypto_generichash(keyid, VAULT_KEYID_LEN, sign_pk,
	    crypto_sign_PUBLICKEYBYTES, (const uint8_t *)"dossier-keyid", 13);
}

struct vault_identity *
vault_identity_generate(void)
{
	struct vault_identity	*id;

	id = vault_alloc(sizeof *id);
	crypto_box_keypair(id->box_pk, id->box_sk);
	crypto_sign_keypair(id->sign_pk, id->sign_sk);
	vault_keyid(id->sign_pk, id->keyid);
	id->can_sign = 1;
	return (id);
}

/* Both key pairs from a 32-byte seed (the store's key; test keys). */
struct vault_identity *
vault_identity_from_seed(const uint8_t *seed)
{
	struct vault_identity	*id;

	id = vault_alloc(sizeof *id);
	crypto_box_seed_keypair(id->box_pk, id->box_sk, seed);
	crypto_sign_seed_keypair(id->sign_pk, id->sign_sk, seed);
	vault_keyid(id->sign_pk, id->keyid);
	id->can_sign = 1;
	return (id);
}

/*
 * The organisation recovery key signs too: its Ed25519 key pair (the
 * organisation's root, which approves the first accounts) is derived from
 * the X25519 secret, so the recovery file stays one secret.
 */
static void
vault_recovery_sign_keys(struct vault_identity *id)
{
	uint8_t	 seed[crypto_sign_SEEDBYTES];

	crypto_generichash(seed, sizeof seed, id->box_sk, sizeof id->box_sk,
	    (const unsigned char *)"dossier-root-sign", 17);
	crypto_sign_seed_keypair(id->sign_pk, id->sign_sk, seed);
	sodium_memzero(seed, sizeof seed);
	vault_keyid(id->sign_pk, id->keyid);
	id->can_sign = 1;
}

struct vault_identity *
vault_recovery_generate(void)
{
	struct vault_identity	*id;

	id = vault_alloc(sizeof *id);
	crypto_box_keypair(id->box_pk, id->box_sk);
	vault_recovery_sign_keys(id);
	return (id);
}

/* A box-only identity derived from a symmetric key (the oversight key). */
struct vault_identity *
vault_identity_from_key(const struct vault_key *k)
{
	struct vault_identity	*id;

	id = vault_alloc(sizeof *id);
	crypto_box_seed_keypair(id->box_pk, id->box_sk, k->key);
	id->can_sign = 0;
	return (id);
}

/*
 * The keys opened in this session.  The same identity opening the same
 * sealed bytes for the same label always gets the same key, so opening
 * them again (reopening a case, a save of the case just opened, the
 * oversight key on each save of a supervisor) does no Diffie-Hellman.
 * An entry is found by the identity's public key and a hash of the label
 * and the sealed bytes, in a table of VAULT_CACHE_N slots indexed by that
 * hash (a key whose slot is taken replaces the one there).  The keys are
 * in one block of guarded memory (sodium_malloc: locked, guard pages),
 * wiped when a session ends (vault_cache_clear, at sign-out and exit).
 */
#define VAULT_CACHE_N	1024	/* 32 kB of keys */

static struct vault_cached {
	uint8_t			 owner[crypto_box_PUBLICKEYBYTES];
	uint8_t			 tag[crypto_generichash_BYTES];
	int			 used;
}			 vault_cache[VAULT_CACHE_N];
static uint8_t		*vault_cache_keys;	/* KEY_LEN each, guarded */
static int		 vault_cache_atexit;
static pthread_mutex_t	 vault_cache_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * The Diffie-Hellman of a version 2 sealed key's sender with this
 * identity, kept for the session: one sender seals a batch of keys (an
 * import's cases) with one ephemeral key, so the keys of a batch open
 * with one scalar multiplication between them.  The shared keys are in
 * guarded memory, wiped with the keys opened (vault_cache_clear).
 */
#define VAULT_DH_N	64

static struct vault_dh {
	uint8_t		 owner[crypto_box_PUBLICKEYBYTES];
	uint8_t		 eph[crypto_box_PUBLICKEYBYTES];
	int		 used;
}			 vault_dh[VAULT_DH_N];
static uint8_t		*vault_dh_keys;	/* crypto_box_BEFORENMBYTES each */

static size_t
vault_cache_tag(const char *label, const uint8_t *sealed, size_t len,
    const struct vault_identity *id, uint8_t *tag)
{
	crypto_generichash_state	st;

	crypto_generichash_init(&st, NULL, 0, crypto_generichash_BYTES);
	crypto_generichash_update(&st, (const uint8_t *)label,
	    strlen(label) + 1);
	crypto_generichash_update(&st, sealed, len);
	crypto_generichash_update(&st, id->box_pk, sizeof id->box_pk);
	crypto_generichash_final(&st, tag, crypto_generichash_BYTES);
	return (((size_t)tag[0] | (size_t)tag[1] << 8) % VAULT_CACHE_N);
}

static struct vault_key *
vault_cache_find(const struct vault_identity *id, const uint8_t *tag,
    size_t slot)
{
	struct vault_cached	*c = &vault_cache[slot];
	struct vault_key	*k = NULL;

	pthread_mutex_lock(&vault_cache_lock);
	if (c->used && memcmp(c->owner, id->box_pk, sizeof c->owner) == 0 &&
	    memcmp(c->tag, tag, sizeof c->tag) == 0) {
		k = vault_key_new();
		memcpy(k->key, vault_cache_keys + slot * KEY_LEN, KEY_LEN);
	}
	pthread_mutex_unlock(&vault_cache_lock);
	return (k);
}

static void
vault_cache_add(const struct vault_identity *id, const uint8_t *tag,
    size_t slot, const struct vault_key *k)
{
	struct vault_cached	*c = &vault_cache[slot];

	pthread_mutex_lock(&vault_cache_lock);
	if (vault_cache_keys == NULL) {
		vault_cache_keys = vault_alloc(VAULT_CACHE_N * KEY_LEN);
		if (!vault_cache_atexit++)
			atexit(vault_cache_clear);
	}
	memcpy(c->owner, id->box_pk, sizeof c->owner);
	memcpy(c->tag, tag, sizeof c->tag);
	memcpy(vault_cache_keys + slot * KEY_LEN, k->key, KEY_LEN);
	c->used = 1;
	pthread_mutex_unlock(&vault_cache_lock);
}

/* Wipe the keys opened so far (a session ends, the process exits). */
void
vault_cache_clear(void)
{
	pthread_mutex_lock(&vault_cache_lock);
	if (vault_cache_keys != NULL) {
		vault_free(vault_cache_keys);	/* sodium_free wipes */
		vault_cache_keys = NULL;
	}
	if (vault_dh_keys != NULL) {
		vault_free(vault_dh_keys);
		vault_dh_keys = NULL;
	}
	memset(vault_cache, 0, sizeof vault_cache);
	memset(vault_dh, 0, sizeof vault_dh);
	pthread_mutex_unlock(&vault_cache_lock);
}

void
vault_identity_free(struct vault_identity *id)
{
	vault_free(id);		/* sodium_free wipes. */
}

const uint8_t *
vault_identity_box_pk(const struct vault_identity *id)
{
	return (id->box_pk);
}

const uint8_t *
vault_identity_sign_pk(const struct vault_identity *id)
{
	return (id->sign_pk);
}

const uint8_t *
vault_identity_keyid(const struct vault_identity *id)
{
	return (id->keyid);
}

static void
cost_limits(enum vault_cost cost, uint64_t *ops, uint64_t *mem)
{
	switch (cost) {
	case VAULT_COST_INTERACTIVE:
		*ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
		*mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
		break;
	case VAULT_COST_SENSITIVE:
		*ops = crypto_pwhash_OPSLIMIT_SENSITIVE;
		*mem = crypto_pwhash_MEMLIMIT_SENSITIVE;
		break;
	default:
		*ops = crypto_pwhash_OPSLIMIT_MODERATE;
		*mem = crypto_pwhash_MEMLIMIT_MODERATE;
		break;
	}
}

void
vault_identity_lock(const struct vault_identity *id, const char *pass,
    size_t passlen, enum vault_cost cost, const char *ad, uint8_t **out,
    size_t *outlen)
{
	uint8_t		*blob, *salt, *nonce, *key, *sk;
	uint64_t	 ops, mem;

	cost_limits(cost, &ops, &mem);
	blob = xmalloc(LOCK_LEN);
	blob[0] = 'D';
	blob[1] = 'K';
	blob[2] = 1;
	blob[3] = LOCK_ALG_ARGON2ID13;
	put_be64(blob + 4, ops);
	put_be64(blob + 12, mem);
	salt = blob + 20;
	nonce = salt + crypto_pwhash_SALTBYTES;
	randombytes_buf(salt, crypto_pwhash_SALTBYTES);
	randombytes_buf(nonce, AEAD_NONCE);

	key = vault_alloc(KEY_LEN);
	if (crypto_pwhash(key, KEY_LEN, pass, passlen, salt, ops, mem,
	    crypto_pwhash_ALG_ARGON2ID13) != 0) {
		fputs("dossier: not enough memory for Argon2id\n", stderr);
		abort();
	}
	sk = vault_alloc(SK_LEN);
	memcpy(sk, id->box_sk, SK_BOX_LEN);
	memcpy(sk + SK_BOX_LEN, id->sign_sk, SK_SIGN_LEN);
	crypto_aead_xchacha20poly1305_ietf_encrypt(blob + LOCK_HEADER, NULL,
	    sk, SK_LEN, (const uint8_t *)ad, strlen(ad), NULL, nonce, key);
	vault_free(sk);
	vault_free(key);
	*out = blob;
	*outlen = LOCK_LEN;
}

int
vault_lock_cost(const uint8_t *blob, size_t len, uint64_t *ops, uint64_t *mem)
{
	if (len != LOCK_LEN || blob[0] != 'D' || blob[1] != 'K' ||
	    blob[2] != 1 || blob[3] != LOCK_ALG_ARGON2ID13)
		return (-1);
	*ops = get_be64(blob + 4);
	*mem = get_be64(blob + 12);
	return (0);
}

int
vault_identity_unlock(const uint8_t *blob, size_t len, const char *pass,
    size_t passlen, const char *ad, const uint8_t *box_pk,
    const uint8_t *sign_pk, struct vault_identity **idp, char **cause)
{
	struct vault_identity	*id;
	uint8_t			*key, *sk, check[crypto_box_PUBLICKEYBYTES];
	uint64_t		 ops, mem;
	const uint8_t		*salt, *nonce;

	*idp = NULL;
	if (vault_lock_cost(blob, len, &ops, &mem) != 0 ||
	    ops < crypto_pwhash_OPSLIMIT_MIN || ops > crypto_pwhash_OPSLIMIT_MAX ||
	    mem < crypto_pwhash_MEMLIMIT_MIN ||
	    mem > (uint64_t)1 << 32)
		return (err_set(cause, _("The stored secret keys of this user "
		    "are damaged; restore them from a backup.")));
	salt = blob + 20;
	nonce = salt + crypto_pwhash_SALTBYTES;

	key = vault_alloc(KEY_LEN);
	if (crypto_pwhash(key, KEY_LEN, pass, passlen, salt, ops, (size_t)mem,
	    crypto_pwhash_ALG_ARGON2ID13) != 0) {
		vault_free(key);
		return (err_set(cause, _("Not enough memory to check the "
		    "passphrase (Argon2id needs %llu MiB)."),
		    (unsigned long long)(mem >> 20)));
	}
	sk = vault_alloc(SK_LEN);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(sk, NULL, NULL,
	    blob + LOCK_HEADER, SK_LEN + AEAD_TAG, (const uint8_t *)ad,
	    strlen(ad), nonce, key) != 0) {
		vault_free(key);
		vault_free(sk);
		err_set(cause, _("Wrong passphrase."));
		return (VAULT_EBADPASS);
	}
	vault_free(key);
	id = vault_alloc(sizeof *id);
	memcpy(id->box_sk, sk, SK_BOX_LEN);
	memcpy(id->sign_sk, sk + SK_BOX_LEN, SK_SIGN_LEN);
	vault_free(sk);
	memcpy(id->box_pk, box_pk, crypto_box_PUBLICKEYBYTES);
	memcpy(id->sign_pk, sign_pk, crypto_sign_PUBLICKEYBYTES);
	crypto_scalarmult_base(check, id->box_sk);
	if (sodium_memcmp(check, box_pk, sizeof check) != 0 ||
	    sodium_memcmp(id->sign_sk + 32, sign_pk, 32) != 0) {
		vault_free(id);
		return (err_set(cause, _("The stored keys of this user do not "
		    "match their public keys; the account is damaged.")));
	}
	vault_keyid(id->sign_pk, id->keyid);
	id->can_sign = 1;
	*idp = id;
	return (0);
}

char *
vault_recovery_encode(const struct vault_identity *id)
{
	uint8_t	*raw;
	char	*b64, *text;

	raw = vault_alloc(RECOVERY_LEN);
	raw[0] = 'R';
	raw[1] = 'K';
	memcpy(raw + 2, id->keyid, VAULT_KEYID_LEN);
	memcpy(raw + 2 + VAULT_KEYID_LEN, id->box_pk, 32);
	memcpy(raw + 2 + VAULT_KEYID_LEN + 32, id->box_sk, 32);
	b64 = vault_base64(raw, RECOVERY_LEN);
	vault_free(raw);
	xasprintf(&text, "untrusted comment: dossier organisation recovery "
	    "secret key - keep it offline\n%s\n", b64);
	wipe(b64, strlen(b64));
	free(b64);
	return (text);
}

struct vault_identity *
vault_recovery_decode(const char *text, char **cause)
{
	struct vault_identity	*id;
	const char		*line;
	char			*copy, *nl;
	uint8_t			*raw = NULL;
	size_t			 rawlen = 0;
	uint8_t			 check[32];

	if ((line = strchr(text, '\n')) == NULL ||
	    strncmp(text, "untrusted comment:", 18) != 0)
		goto bad;
	copy = xstrdup(line + 1);
	if ((nl = strchr(copy, '\n')) != NULL)
		*nl = '\0';
	if (vault_unbase64(copy, &raw, &rawlen) != 0 || rawlen != RECOVERY_LEN ||
	    raw[0] != 'R' || raw[1] != 'K') {
		free_wiped(copy);
		if (raw != NULL) {
			wipe(raw, rawlen);
			free(raw);
		}
		goto bad;
	}
	free_wiped(copy);
	id = vault_alloc(sizeof *id);
	memset(id, 0, sizeof *id);
	memcpy(id->keyid, raw + 2, VAULT_KEYID_LEN);
	memcpy(id->box_pk, raw + 2 + VAULT_KEYID_LEN, 32);
	memcpy(id->box_sk, raw + 2 + VAULT_KEYID_LEN + 32, 32);
	wipe(raw, rawlen);
	free(raw);
	crypto_scalarmult_base(check, id->box_sk);
	if (sodium_memcmp(check, id->box_pk, 32) != 0) {
		vault_free(id);
		goto bad;
	}
	vault_recovery_sign_keys(id);
	return (id);
bad:
	err_set(cause, _("This is not a dossier recovery key file, or it is "
	    "damaged."));
	return (NULL);
}

struct vault_key *
vault_key_generate(void)
{
	struct vault_key	*k;

	k = vault_key_new();
	crypto_aead_xchacha20poly1305_ietf_keygen(k->key);
	return (k);
}

/* A key kept in a file of its own (a replication group's key). */
struct vault_key *
vault_key_import(const uint8_t *raw)
{
	struct vault_key	*k;

	k = vault_alloc(sizeof *k);
	memcpy(k->key, raw, KEY_LEN);
	return (k);
}

void
vault_key_export(const struct vault_key *k, uint8_t *raw)
{
	memcpy(raw, k->key, KEY_LEN);
}

/* Constant-time comparison of two secrets or keyed hashes. */
int
vault_equal(const void *a, const void *b, size_t len)
{
	return (sodium_memcmp(a, b, len) == 0);
}

/*
 * Freed keys are wiped and kept for the next (up to VAULT_POOL_N): each
 * guarded allocation costs a handful of system calls (mmap, mprotect,
 * mlock and back), more than the rest of reopening a case.
 */
#define VAULT_POOL_N	32

static struct vault_key	*vault_pool[VAULT_POOL_N];
static size_t		 vault_npool;
static pthread_mutex_t	 vault_pool_lock = PTHREAD_MUTEX_INITIALIZER;

static struct vault_key *
vault_key_new(void)
{
	struct vault_key	*k = NULL;

	pthread_mutex_lock(&vault_pool_lock);
	if (vault_npool > 0)
		k = vault_pool[--vault_npool];
	pthread_mutex_unlock(&vault_pool_lock);
	return (k != NULL ? k : vault_alloc(sizeof *k));
}

void
vault_key_free(struct vault_key *k)
{
	if (k == NULL)
		return;
	sodium_memzero(k, sizeof *k);
	pthread_mutex_lock(&vault_pool_lock);
	if (vault_npool < VAULT_POOL_N) {
		vault_pool[vault_npool++] = k;
		k = NULL;
	}
	pthread_mutex_unlock(&vault_pool_lock);
	vault_free(k);
}

static void
label_tag(const char *label, uint8_t *tag)
{
	crypto_generichash(tag, LABEL_TAG_LEN, (const uint8_t *)label,
	    strlen(label), (const uint8_t *)"dossier-key-label", 17);
}

void
vault_key_seal(const struct vault_key *k, const char *label,
    const uint8_t *box_pk, uint8_t *out)
{
	struct vault_key	*pt;

	pt = vault_key_new();
	memcpy(pt->key, k->key, KEY_LEN);
	label_tag(label, pt->tag);
	out[0] = 'S';
	out[1] = 'K';
	out[2] = 1;
	out[3] = 0;
	/* The recipient's key id is the BLAKE2b of its box key here. */
	crypto_generichash(out + 4, VAULT_KEYID_LEN, box_pk, 32, NULL, 0);
	crypto_box_seal(out + 4 + VAULT_KEYID_LEN, (uint8_t *)pt, sizeof *pt,
	    box_pk);
	vault_key_free(pt);
}

/*
 * Version 3 sealed keys: the shared key of a batch (crypto_box_beforenm of
 * the ephemeral secret and the recipient's public key) is turned into an
 * XChaCha20-Poly1305 key by BLAKE2b (keyed by it, of SK3_CONTEXT); each
 * seal is the case key under it, its nonce the seal's number in the batch
 * (so never twice), its associated data the label.
 */
#define SK3_CONTEXT	"dossier sealed key v3"
#define SK3_HEAD	(4 + VAULT_KEYID_LEN + VAULT_BATCH_ID_LEN + 4)

struct vault_sealer {
	uint8_t		box_pk[crypto_box_PUBLICKEYBYTES];
	uint8_t		eph_pk[crypto_box_PUBLICKEYBYTES];
	uint8_t		key[KEY_LEN];
	uint8_t		keyid[VAULT_KEYID_LEN];
	uint8_t		batch[VAULT_BATCH_ID_LEN];
	uint32_t	n;		/* seals made */
};

static void
vault_sk3_key(const uint8_t *shared, uint8_t *key)
{
	crypto_generichash(key, KEY_LEN, (const uint8_t *)SK3_CONTEXT,
	    sizeof SK3_CONTEXT - 1, shared, crypto_box_BEFORENMBYTES);
}

static void
vault_batch_id(const uint8_t *eph_pk, uint8_t *id)
{
	crypto_generichash(id, VAULT_BATCH_ID_LEN, eph_pk,
	    crypto_box_PUBLICKEYBYTES, NULL, 0);
}

/* A new ephemeral key pair, its exchange, and a batch of its own. */
static void
vault_sealer_new_batch(struct vault_sealer *s)
{
	uint8_t	*eph_sk, *shared;

	eph_sk = vault_alloc(crypto_box_SECRETKEYBYTES);
	shared = vault_alloc(crypto_box_BEFORENMBYTES);
	crypto_box_keypair(s->eph_pk, eph_sk);
	if (crypto_box_beforenm(shared, s->box_pk, eph_sk) != 0)
		randombytes_buf(shared, crypto_box_BEFORENMBYTES); /* weak */
	vault_free(eph_sk);
	vault_sk3_key(shared, s->key);
	vault_free(shared);
	vault_batch_id(s->eph_pk, s->batch);
	s->n = 0;
}

struct vault_sealer *
vault_sealer_create(const uint8_t *box_pk)
{
	struct vault_sealer	*s;

	s = vault_alloc(sizeof *s);
	memcpy(s->box_pk, box_pk, sizeof s->box_pk);
	crypto_generichash(s->keyid, sizeof s->keyid, box_pk, 32, NULL, 0);
	vault_sealer_new_batch(s);
	return (s);
}

void
vault_sealer_free(struct vault_sealer *s)
{
	vault_free(s);
}

/* The sealer's batch: its id, and the record to store under it. */
void
vault_sealer_batch(const struct vault_sealer *s, uint8_t *id, uint8_t *rec)
{
	memcpy(id, s->batch, VAULT_BATCH_ID_LEN);
	rec[0] = 'S';
	rec[1] = 'B';
	rec[2] = 1;
	rec[3] = 0;
	memcpy(rec + 4, s->keyid, VAULT_KEYID_LEN);
	memcpy(rec + 4 + VAULT_KEYID_LEN, s->eph_pk, sizeof s->eph_pk);
}

/* Seal k for label ("SK" 3); the length written (VAULT_SEALED3_LEN). */
size_t
vault_key_seal_with(const struct vault_key *k, const char *label,
    struct vault_sealer *s, uint8_t *out)
{
	uint8_t	 nonce[AEAD_NONCE], *p;

	/* 2^32 seals: the next ones in a batch of their own. */
	if (s->n == UINT32_MAX)
		vault_sealer_new_batch(s);
	out[0] = 'S';
	out[1] = 'K';
	out[2] = 3;
	out[3] = 0;
	p = out + 4;
	memcpy(p, s->keyid, VAULT_KEYID_LEN);
	p += VAULT_KEYID_LEN;
	memcpy(p, s->batch, VAULT_BATCH_ID_LEN);
	p += VAULT_BATCH_ID_LEN;
	put_be32(p, s->n);
	memset(nonce, 0, sizeof nonce);
	memcpy(nonce, p, 4);
	s->n++;
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + SK3_HEAD, NULL,
	    k->key, KEY_LEN, (const uint8_t *)label, strlen(label), NULL,
	    nonce, s->key);
	return (VAULT_SEALED3_LEN);
}

/* Is sealed an "SK" of a version read, of its length, reserved byte 0? */
int
vault_sealed_wellformed(const uint8_t *sealed, size_t len)
{
	if (len < 4 || sealed[0] != 'S' || sealed[1] != 'K' || sealed[3] != 0)
		return (0);
	return ((sealed[2] == 1 && len == VAULT_SEALED_LEN) ||
	    (sealed[2] == 2 && len == VAULT_SEALED_MAX) ||
	    (sealed[2] == 3 && len == VAULT_SEALED3_LEN));
}

/*
 * Is batch ("SB" 1) the record of the batch of the "SK" 3 sealed: for
 * the same recipient, its ephemeral key the one the seal names?  No key
 * is needed ('dossier check').
 */
int
vault_sealed_batch_matches(const uint8_t *sealed, size_t len,
    const uint8_t *batch, size_t blen)
{
	uint8_t	 bid[VAULT_BATCH_ID_LEN];

	if (!vault_sealed_wellformed(sealed, len) || sealed[2] != 3 ||
	    batch == NULL || blen != VAULT_BATCH_LEN || batch[0] != 'S' ||
	    batch[1] != 'B' || batch[2] != 1 || batch[3] != 0 ||
	    memcmp(batch + 4, sealed + 4, VAULT_KEYID_LEN) != 0)
		return (0);
	vault_batch_id(batch + 4 + VAULT_KEYID_LEN, bid);
	return (memcmp(bid, sealed + 4 + VAULT_KEYID_LEN, sizeof bid) == 0);
}

/* 1 and its batch's id in id if sealed is an "SK" 3, else 0. */
int
vault_sealed_batch(const uint8_t *sealed, size_t len, uint8_t *id)
{
	if (len != VAULT_SEALED3_LEN || sealed[0] != 'S' || sealed[1] != 'K' ||
	    sealed[2] != 3)
		return (0);
	memcpy(id, sealed + 4 + VAULT_KEYID_LEN, VAULT_BATCH_ID_LEN);
	return (1);
}

/*
 * The shared key of an ephemeral public key with this identity, from the
 * exchanges kept for the session (vault_dh), or made and kept; into out
 * (crypto_box_BEFORENMBYTES).  The caller holds vault_cache_lock.
 */
static int
vault_dh_get(const uint8_t *eph, const struct vault_identity *id,
    uint8_t **out)
{
	struct vault_dh	*d;
	uint8_t		*k;
	size_t		 slot = ((size_t)eph[0] | (size_t)eph[1] << 8) %
			    VAULT_DH_N;
	int		 rc = 0;

	if (vault_dh_keys == NULL) {
		vault_dh_keys = vault_alloc(VAULT_DH_N *
		    crypto_box_BEFORENMBYTES);
		if (!vault_cache_atexit++)
			atexit(vault_cache_clear);
	}
	d = &vault_dh[slot];
	k = vault_dh_keys + slot * crypto_box_BEFORENMBYTES;
	if (!d->used || memcmp(d->owner, id->box_pk, sizeof d->owner) != 0 ||
	    memcmp(d->eph, eph, sizeof d->eph) != 0) {
		d->used = 0;
		if ((rc = crypto_box_beforenm(k, eph, id->box_sk)) == 0) {
			memcpy(d->owner, id->box_pk, sizeof d->owner);
			memcpy(d->eph, eph, sizeof d->eph);
			d->used = 1;
		}
	}
	*out = k;
	return (rc);
}

/*
 * Open an "SK" 3 blob with its batch record into pt (KEY_LEN bytes): the
 * record must be for the same recipient and be the batch the seal names.
 */
static int
vault_key_open3(const uint8_t *sealed, const uint8_t *batch, size_t blen,
    const char *label, const struct vault_identity *id, uint8_t *pt)
{
	const uint8_t	*eph = batch + 4 + VAULT_KEYID_LEN;
	uint8_t		 nonce[AEAD_NONCE], *shared;
	uint8_t		 key[KEY_LEN];
	int		 rc;

	if (!vault_sealed_batch_matches(sealed, VAULT_SEALED3_LEN, batch,
	    blen))
		return (-1);
	memset(nonce, 0, sizeof nonce);
	memcpy(nonce, sealed + SK3_HEAD - 4, 4);
	pthread_mutex_lock(&vault_cache_lock);
	if ((rc = vault_dh_get(eph, id, &shared)) == 0)
		vault_sk3_key(shared, key);
	pthread_mutex_unlock(&vault_cache_lock);
	if (rc == 0)
		rc = crypto_aead_xchacha20poly1305_ietf_decrypt(pt, NULL, NULL,
		    sealed + SK3_HEAD, VAULT_SEALED3_LEN - SK3_HEAD,
		    (const uint8_t *)label, strlen(label), nonce, key);
	sodium_memzero(key, sizeof key);
	return (rc);
}

/* Open an "SK" 2 blob into pt (KEY_LEN + LABEL_TAG_LEN bytes). */
static int
vault_key_open2(const uint8_t *sealed, const struct vault_identity *id,
    uint8_t *pt)
{
	const uint8_t	*eph = sealed + 4 + VAULT_KEYID_LEN;
	const uint8_t	*nonce = eph + crypto_box_PUBLICKEYBYTES;
	uint8_t		*k;
	int		 rc;

	pthread_mutex_lock(&vault_cache_lock);
	if ((rc = vault_dh_get(eph, id, &k)) == 0)
		rc = crypto_box_open_easy_afternm(pt, nonce +
		    crypto_box_NONCEBYTES, crypto_box_MACBYTES + KEY_LEN +
		    LABEL_TAG_LEN, nonce, k);
	pthread_mutex_unlock(&vault_cache_lock);
	return (rc);
}

int
vault_key_open(const uint8_t *sealed, size_t len, const char *label,
    const struct vault_identity *id, struct vault_key **kp, char **cause)
{
	return (vault_key_open_batch(sealed, len, NULL, 0, label, id, kp,
	    cause));
}

/*
 * Open a sealed key of any version; a version 3 one with the record of
 * its batch (batch, blen: NULL when there is none).
 */
int
vault_key_open_batch(const uint8_t *sealed, size_t len, const uint8_t *batch,
    size_t blen, const char *label, const struct vault_identity *id,
    struct vault_key **kp, char **cause)
{
	struct vault_key	*k;
	uint8_t			*pt, tag[LABEL_TAG_LEN], rid[VAULT_KEYID_LEN];
	uint8_t			 ctag[crypto_generichash_BYTES];
	size_t			 slot;
	int			 rc;

	*kp = NULL;
	if (!vault_sealed_wellformed(sealed, len))
		return (err_set(cause, _("A sealed key is damaged.")));
	crypto_generichash(rid, sizeof rid, id->box_pk, 32, NULL, 0);
	if (memcmp(rid, sealed + 4, sizeof rid) != 0)
		return (err_set(cause, _("This key was not sealed to you.")));
	slot = vault_cache_tag(label, sealed, len, id, ctag);
	if ((*kp = vault_cache_find(id, ctag, slot)) != NULL)
		return (0);
	k = vault_key_new();
	pt = (uint8_t *)k;	/* the key, then its label's tag */
	if (sealed[2] == 3) {
		/* The label is the seal's associated data. */
		rc = vault_key_open3(sealed, batch, blen, label, id, pt);
		label_tag(label, k->tag);
	} else if (sealed[2] == 2)
		rc = vault_key_open2(sealed, id, pt);
	else
		rc = crypto_box_seal_open(pt, sealed + 4 + VAULT_KEYID_LEN,
		    len - 4 - VAULT_KEYID_LEN, id->box_pk, id->box_sk);
	if (rc != 0) {
		vault_key_free(k);
		return (err_set(cause, _("A sealed key does not open with "
		    "your key; it is damaged.")));
	}
	label_tag(label, tag);
	if (sodium_memcmp(tag, k->tag, LABEL_TAG_LEN) != 0) {
		vault_key_free(k);
		return (err_set(cause, _("A sealed key belongs to another "
		    "place than where it is stored; refusing it.")));
	}
	sodium_memzero(k->tag, sizeof k->tag);
	vault_cache_add(id, ctag, slot, k);
	*kp = k;
	return (0);
}

/* A key kept encrypted under another (an organisation key's archive). */
void
vault_key_wrap(const struct vault_key *kek, const struct vault_key *k,
    const char *ad, uint8_t **out, size_t *outlen)
{
	vault_encrypt(kek, ad, k->key, KEY_LEN, out, outlen);
}

int
vault_key_unwrap(const struct vault_key *kek, const char *ad,
    const uint8_t *ct, size_t ctlen, struct vault_key **kp, char **cause)
{
	uint8_t	*pt;
	size_t	 ptlen;

	*kp = NULL;
	if (vault_decrypt(kek, ad, ct, ctlen, &pt, &ptlen, cause) != 0)
		return (-1);
	if (ptlen != KEY_LEN) {
		sodium_memzero(pt, ptlen);
		free(pt);
		return (err_set(cause, _("A sealed key is damaged.")));
	}
	*kp = vault_key_new();
	memcpy((*kp)->key, pt, KEY_LEN);
	sodium_memzero(pt, ptlen);
	free(pt);
	return (0);
}

/* Was this sealed key made for that public key? */
int
vault_sealed_for(const uint8_t *sealed, size_t len, const uint8_t *box_pk)
{
	uint8_t	 rid[VAULT_KEYID_LEN];

	if (len < 4 + VAULT_KEYID_LEN)
		return (0);
	crypto_generichash(rid, sizeof rid, box_pk, 32, NULL, 0);
	return (memcmp(rid, sealed + 4, sizeof rid) == 0);
}

/*
 * An encrypted blob: version 1, XChaCha20-Poly1305 with a random 192-bit
 * nonce, for any key; version 2, ChaCha20-Poly1305 (IETF) with a random
 * 96-bit nonce, 12 bytes shorter: only for a key that encrypts few
 * messages (a case's, a witness's: thousands in its life, where two
 * equal nonces come with a chance of about n^2 / 2^97).  A key of the
 * whole organisation keeps version 1.
 */
static void
vault_box(int version, const struct vault_key *k, const char *ad,
    const void *pt, size_t ptlen, uint8_t **out, size_t *outlen)
{
	size_t	 head = version == 1 ? BOX_HEADER : BOX2_HEADER;
	uint8_t	*blob;

	blob = xmalloc(head + ptlen + AEAD_TAG);
	blob[0] = 'D';
	blob[1] = 'X';
	blob[2] = (uint8_t)version;
	blob[3] = 0;
	vault_nonce(blob + 4, head - 4);
	if (version == 1)
		crypto_aead_xchacha20poly1305_ietf_encrypt(blob + head, NULL,
		    pt, ptlen, (const uint8_t *)ad, strlen(ad), NULL, blob + 4,
		    k->key);
	else
		crypto_aead_chacha20poly1305_ietf_encrypt(blob + head, NULL,
		    pt, ptlen, (const uint8_t *)ad, strlen(ad), NULL, blob + 4,
		    k->key);
	*out = blob;
	*outlen = head + ptlen + AEAD_TAG;
}

void
vault_encrypt(const struct vault_key *k, const char *ad, const void *pt,
    size_t ptlen, uint8_t **out, size_t *outlen)
{
	vault_box(1, k, ad, pt, ptlen, out, outlen);
}

void
vault_encrypt_few(const struct vault_key *k, const char *ad, const void *pt,
    size_t ptlen, uint8_t **out, size_t *outlen)
{
	vault_box(2, k, ad, pt, ptlen, out, outlen);
}

/* Either version. */
int
vault_decrypt(const struct vault_key *k, const char *ad, const void *ct,
    size_t ctlen, uint8_t **out, size_t *outlen, char **cause)
{
	const uint8_t	*blob = ct;
	uint8_t		*pt;
	size_t		 ptlen, head;
	int		 rc;

	*out = NULL;
	if (ctlen < 4 || blob[0] != 'D' || blob[1] != 'X')
		return (err_set(cause, _("An encrypted record is damaged.")));
	if (blob[2] != 1 && blob[2] != 2)
		return (err_set(cause, _("An encrypted record uses an unknown "
		    "format version (%u)."), blob[2]));
	head = blob[2] == 1 ? BOX_HEADER : BOX2_HEADER;
	if (ctlen < head + AEAD_TAG || blob[3] != 0)
		return (err_set(cause, _("An encrypted record is damaged.")));
	ptlen = ctlen - head - AEAD_TAG;
	pt = xmalloc(ptlen + 1);
	if (blob[2] == 1)
		rc = crypto_aead_xchacha20poly1305_ietf_decrypt(pt, NULL, NULL,
		    blob + head, ctlen - head, (const uint8_t *)ad, strlen(ad),
		    blob + 4, k->key);
	else
		rc = crypto_aead_chacha20poly1305_ietf_decrypt(pt, NULL, NULL,
		    blob + head, ctlen - head, (const uint8_t *)ad, strlen(ad),
		    blob + 4, k->key);
	if (rc != 0) {
		free(pt);
		return (err_set(cause, _("An encrypted record does not open: "
		    "it was altered, or moved from another place.")));
	}
	pt[ptlen] = '\0';
	*out = pt;
	*outlen = ptlen;
	return (0);
}

void
vault_sign(const struct vault_identity *id, const void *msg, size_t len,
    uint8_t *sig)
{
	crypto_sign_detached(sig, NULL, msg, len, id->sign_sk);
}

int
vault_verify(const uint8_t *sign_pk, const void *msg, size_t len,
    const uint8_t *sig)
{
	return (crypto_sign_verify_detached(sig, msg, len, sign_pk) == 0 ?
	    0 : -1);
}

void
vault_hash(const void *msg, size_t len, uint8_t *out)
{
	crypto_generichash(out, VAULT_HASH_LEN, msg, len, NULL, 0);
}

char *
vault_hex(const void *buf, size_t len)
{
	char	*hex;

	hex = xmalloc(len * 2 + 1);
	sodium_bin2hex(hex, len * 2 + 1, buf, len);
	return (hex);
}

/*
 * Bytes that depend only on seed and n (ChaCha20 keyed by a BLAKE2b of
 * both): a demo made again from the same seed is the same.  Never for
 * anything secret.
 */
void
vault_deterministic(uint64_t seed, uint64_t n, void *buf, size_t len)
{
	static const char	 label[] = "dossier deterministic 1";
	uint8_t			 in[sizeof label + 16];
	uint8_t			 key[randombytes_SEEDBYTES];

	memcpy(in, label, sizeof label);
	put_be64(in + sizeof label, seed);
	put_be64(in + sizeof label + 8, n);
	crypto_generichash(key, sizeof key, in, sizeof in, NULL, 0);
	randombytes_buf_deterministic(buf, len, key);
}

/* Hex digits to bytes: 0 if s is exactly max bytes or fewer (*len). */
int
vault_unhex(const char *s, void *buf, size_t max, size_t *len)
{
	const char	*end;

	if (sodium_hex2bin(buf, max, s, strlen(s), NULL, len, &end) != 0 ||
	    *end != '\0')
		return (-1);
	return (0);
}

char *
vault_base64(const void *buf, size_t len)
{
	size_t	 size;
	char	*b64;

	size = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	b64 = xmalloc(size);
	sodium_bin2base64(b64, size, buf, len, sodium_base64_VARIANT_ORIGINAL);
	return (b64);
}

int
vault_unbase64(const char *b64, uint8_t **out, size_t *outlen)
{
	size_t	 len, max;
	uint8_t	*buf;

	len = strlen(b64);
	max = len / 4 * 3 + 3;
	buf = xmalloc(max);
	if (sodium_base642bin(buf, max, b64, len, NULL, outlen, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0) {
		free(buf);
		*out = NULL;
		return (-1);
	}
	*out = buf;
	return (0);
}

void
vault_key_hash(const struct vault_key *k, const void *data, size_t len,
    uint8_t *out)
{
	crypto_generichash(out, VAULT_HASH_LEN, data, len, k->key, KEY_LEN);
}

void
vault_sha256(const void *data, size_t len, uint8_t *out)
{
	crypto_hash_sha256(out, data, len);
}

void
vault_hash512(const void *msg, size_t len, uint8_t *out)
{
	crypto_generichash(out, VAULT_HASH512_LEN, msg, len, NULL, 0);
}

/* SHA-256 of a file, read in pieces (backups, as sha256sum prints it). */
int
vault_sha256_fd(int fd, uint8_t *out)
{
	crypto_hash_sha256_state	 st;
	unsigned char			 buf[65536];
	ssize_t				 n;

	crypto_hash_sha256_init(&st);
	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		crypto_hash_sha256_update(&st, buf, (size_t)n);
	}
	crypto_hash_sha256_final(&st, out);
	return (0);
}

/* BLAKE2b-512 of a file, read in pieces; -1 with errno on a read error. */
int
vault_hash512_fd(int fd, uint8_t *out)
{
	crypto_generichash_state	 st;
	unsigned char			 buf[65536];
	ssize_t				 n;

	crypto_generichash_init(&st, NULL, 0, VAULT_HASH512_LEN);
	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		crypto_generichash_update(&st, buf, (size_t)n);
	}
	crypto_generichash_final(&st, out, VAULT_HASH512_LEN);
	return (0);
}

/*
 * A public key's fingerprint to compare out of band, as 'ssh-keygen -l'
 * prints one: BLAKE2b-256 of the key, its first 16 bytes in groups of
 * four hex digits (out: VAULT_FINGERPRINT_LEN bytes).
 */
void
vault_fingerprint(const uint8_t *pk, char *out)
{
	uint8_t	 h[VAULT_HASH_LEN];
	size_t	 i, o = 0;

	crypto_generichash(h, sizeof h, pk, VAULT_PK_LEN, NULL, 0);
	for (i = 0; i < 16; i++) {
		o += (size_t)snprintf(out + o, 4, "%02x", h[i]);
		if (i % 2 == 1 && i != 15)
			out[o++] = ' ';
	}
	out[o] = '\0';
}
