/*
 * test-vault.c: key pairs, passphrase locking, sealed keys, AEAD binding,
 * recovery and signatures, on the real libsodium.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "util.h"
#include "vault.h"

#define PASS	"deux tambours sous la pluie"

static int
setup(void **state)
{
	return (vault_init(NULL));
}

static void
vault__unlocks__with_the_right_passphrase_only(void **state)
{
	struct vault_identity	*id, *back = NULL;
	uint8_t			*blob;
	size_t			 len;
	char			*cause = NULL;
	uint8_t			 sig[VAULT_SIG_LEN];

	id = vault_identity_generate();
	vault_identity_lock(id, PASS, strlen(PASS), VAULT_COST_INTERACTIVE,
	    "dossier-user:awa", &blob, &len);
	assert_int_equal(vault_identity_unlock(blob, len, PASS, strlen(PASS),
	    "dossier-user:awa", vault_identity_box_pk(id),
	    vault_identity_sign_pk(id), &back, &cause), 0);
	assert_non_null(back);
	/* The unlocked identity signs as the original. */
	vault_sign(back, "msg", 3, sig);
	assert_int_equal(vault_verify(vault_identity_sign_pk(id), "msg", 3,
	    sig), 0);
	assert_memory_equal(vault_identity_keyid(id), vault_identity_keyid(back),
	    VAULT_KEYID_LEN);
	vault_identity_free(back);

	assert_int_equal(vault_identity_unlock(blob, len, "wrong words here",
	    16, "dossier-user:awa", vault_identity_box_pk(id),
	    vault_identity_sign_pk(id), &back, &cause), VAULT_EBADPASS);
	assert_null(back);
	assert_string_equal(cause, "Wrong passphrase.");

	/* The lock is bound to its owner: another user's name fails. */
	assert_int_equal(vault_identity_unlock(blob, len, PASS, strlen(PASS),
	    "dossier-user:oumar", vault_identity_box_pk(id),
	    vault_identity_sign_pk(id), &back, &cause), VAULT_EBADPASS);

	/* A truncated blob is reported as damaged, not as a bad passphrase. */
	assert_int_equal(vault_identity_unlock(blob, len - 1, PASS,
	    strlen(PASS), "dossier-user:awa", vault_identity_box_pk(id),
	    vault_identity_sign_pk(id), &back, &cause), -1);
	assert_non_null(strstr(cause, "damaged"));
	free(cause);
	free(blob);
	vault_identity_free(id);
}

static void
vault__refuses__secret_keys_that_do_not_match_the_public_ones(void **state)
{
	struct vault_identity	*a, *b, *back;
	uint8_t			*blob;
	size_t			 len;
	char			*cause = NULL;

	a = vault_identity_generate();
	b = vault_identity_generate();
	vault_identity_lock(a, PASS, strlen(PASS), VAULT_COST_INTERACTIVE,
	    "ad", &blob, &len);
	assert_int_equal(vault_identity_unlock(blob, len, PASS, strlen(PASS),
	    "ad", vault_identity_box_pk(b), vault_identity_sign_pk(b), &back,
	    &cause), -1);
	free(cause);
	free(blob);
	vault_identity_free(a);
	vault_identity_free(b);
}

static void
vault__sealed_key__opens_only_for_its_recipient_and_place(void **state)
{
	struct vault_identity	*alice, *bob;
	struct vault_key	*k, *back;
	uint8_t			 sealed[VAULT_SEALED_LEN], *ct, *pt;
	size_t			 ctlen, ptlen;
	char			*cause = NULL;

	alice = vault_identity_generate();
	bob = vault_identity_generate();
	k = vault_key_generate();
	vault_key_seal(k, "case:42", vault_identity_box_pk(alice), sealed);

	assert_int_equal(vault_key_open(sealed, sizeof sealed, "case:42", alice,
	    &back, &cause), 0);
	vault_encrypt(k, "case:42/intake/1/v1", "secret", 6, &ct, &ctlen);
	assert_int_equal(vault_decrypt(back, "case:42/intake/1/v1", ct, ctlen,
	    &pt, &ptlen, &cause), 0);
	assert_int_equal(ptlen, 6);
	assert_memory_equal(pt, "secret", 6);
	free(pt);
	vault_key_free(back);

	/* Bob does not hold it. */
	assert_int_equal(vault_key_open(sealed, sizeof sealed, "case:42", bob,
	    &back, &cause), -1);
	assert_null(back);
	/* Moved to another case, it refuses to open. */
	assert_int_equal(vault_key_open(sealed, sizeof sealed, "case:43", alice,
	    &back, &cause), -1);
	assert_non_null(strstr(cause, "another place"));
	/* A flipped bit in the seal fails. */
	sealed[50] ^= 1;
	assert_int_equal(vault_key_open(sealed, sizeof sealed, "case:42", alice,
	    &back, &cause), -1);
	free(cause);
	free(ct);
	vault_key_free(k);
	vault_identity_free(alice);
	vault_identity_free(bob);
}

/*
 * The key a sealed key (with its batch's record, or NULL) opens to is k:
 * it decrypts what k encrypted.
 */
static int
opens_to(const uint8_t *sealed, const uint8_t *batch, const char *label,
    const struct vault_identity *id, const struct vault_key *k)
{
	struct vault_key	*back;
	uint8_t			*ct, *pt = NULL;
	size_t			 ctlen, ptlen;
	char			*cause = NULL;
	int			 ok;

	if (vault_key_open_batch(sealed, VAULT_SEALED3_LEN, batch, batch ==
	    NULL ? 0 : VAULT_BATCH_LEN, label, id, &back, &cause) != 0) {
		free(cause);
		return (0);
	}
	vault_encrypt(k, label, "secret", 6, &ct, &ctlen);
	ok = vault_decrypt(back, label, ct, ctlen, &pt, &ptlen, &cause) == 0 &&
	    ptlen == 6 && memcmp(pt, "secret", 6) == 0;
	free(pt);
	free(ct);
	free(cause);
	vault_key_free(back);
	return (ok);
}

/*
 * Keys sealed in batches (version 3: one ephemeral key a batch, stored
 * once in the batch's record) open with that record and the
 * Diffie-Hellman kept for the session: two batches opened in turn each
 * give their own keys; a seal altered after its batch's exchange was kept
 * still fails, as does one opened under another label, with the other
 * batch's record, with an altered record or none; after the session's
 * keys are wiped they open again.  No two seals of a batch share a
 * number (their nonce).
 */
static void
vault__sealed_batches__open_with_the_kept_exchange(void **state)
{
	struct vault_identity	*alice, *bob;
	struct vault_sealer	*a, *b;
	struct vault_key	*k[8];
	uint8_t			 sealed[8][VAULT_SEALED_MAX];
	uint8_t			 ida[VAULT_BATCH_ID_LEN], idb[VAULT_BATCH_ID_LEN];
	uint8_t			 ra[VAULT_BATCH_LEN], rb[VAULT_BATCH_LEN];
	uint8_t			 id[VAULT_BATCH_ID_LEN];
	char			 label[8][32];
	size_t			 i;

	(void)state;
	alice = vault_identity_generate();
	bob = vault_identity_generate();
	a = vault_sealer_create(vault_identity_box_pk(alice));
	b = vault_sealer_create(vault_identity_box_pk(alice));
	for (i = 0; i < 8; i++) {
		k[i] = vault_key_generate();
		snprintf(label[i], sizeof label[i], "case:%zu", 100 + i);
		assert_int_equal(vault_key_seal_with(k[i], label[i], i % 2 ? b :
		    a, sealed[i]), VAULT_SEALED3_LEN);
	}
	vault_sealer_batch(a, ida, ra);
	vault_sealer_batch(b, idb, rb);
	vault_sealer_free(a);
	vault_sealer_free(b);
	/* Two batches; each seal names its own, with a number of its own. */
	assert_memory_not_equal(ida, idb, sizeof ida);
	for (i = 0; i < 8; i++) {
		assert_true(vault_sealed_batch(sealed[i], VAULT_SEALED3_LEN,
		    id));
		assert_memory_equal(id, i % 2 ? idb : ida, sizeof id);
	}
	assert_memory_not_equal(sealed[0] + 20, sealed[2] + 20, 4);
	assert_memory_equal(sealed[0] + 20, sealed[1] + 20, 4);
	for (i = 0; i < 6; i++)
		assert_true(opens_to(sealed[i], i % 2 ? rb : ra, label[i],
		    alice, k[i]));
	/*
	 * Not for bob; not with the other batch, another label, nothing (a
	 * seal not opened yet: an opened one is found among the keys kept).
	 */
	assert_false(opens_to(sealed[0], ra, label[0], bob, k[0]));
	assert_false(opens_to(sealed[6], rb, label[6], alice, k[6]));
	assert_false(opens_to(sealed[6], ra, label[4], alice, k[6]));
	assert_false(opens_to(sealed[6], NULL, label[6], alice, k[6]));
	/* The exchange of batch a is kept: an altered seal still fails. */
	sealed[6][40] ^= 1;
	assert_false(opens_to(sealed[6], ra, label[6], alice, k[6]));
	sealed[6][40] ^= 1;
	/* Another ephemeral key written in the record: refused. */
	ra[20] ^= 1;
	assert_false(opens_to(sealed[6], ra, label[6], alice, k[6]));
	ra[20] ^= 1;
	vault_cache_clear();
	for (i = 0; i < 8; i++)
		assert_true(opens_to(sealed[i], i % 2 ? rb : ra, label[i],
		    alice, k[i]));
	for (i = 0; i < 8; i++)
		vault_key_free(k[i]);
	vault_identity_free(alice);
	vault_identity_free(bob);
}

/*
 * A version 2 seal (one ephemeral key in each seal), as stores made
 * before version 3 hold: written by that version for the identity of
 * seed 0..31, of the key a0..bf, for "case:7".  It still opens, and only
 * for its label.
 */
static const char v2_seal[] =
	    "534b0200ddf8df3f8ebe4091c6fb32981ba7fb710854151c94ff00a3"
	    "4a4b6a2427126de7f3a1f208d83f0e0592061369830fb0bfd51f9895"
	    "f5a597c544e6404c0f1f276b9e70b5458770b1d96c4a391684d2f60a"
	    "fe5ddb59f5e6d9d5ada90b6fe34f7da763592c943b580f4443d4daee"
	    "c881672953d384ccf98b071f43614e1dfe02834b";

static void
vault__version_2_seal__still_opens(void **state)
{
	struct vault_identity	*id;
	struct vault_key	*k = NULL;
	uint8_t			 seed[32], want[32], got[32];
	uint8_t			 sealed[VAULT_SEALED_MAX];
	char			*cause = NULL;
	size_t			 i;
	unsigned int		 byte;

	(void)state;
	assert_int_equal(strlen(v2_seal), 2 * VAULT_SEALED_MAX);
	for (i = 0; i < VAULT_SEALED_MAX; i++) {
		assert_int_equal(sscanf(v2_seal + 2 * i, "%2x", &byte), 1);
		sealed[i] = (uint8_t)byte;
	}
	for (i = 0; i < 32; i++) {
		seed[i] = (uint8_t)i;
		want[i] = (uint8_t)(0xa0 + i);
	}
	id = vault_identity_from_seed(seed);
	assert_int_equal(vault_key_open(sealed, sizeof sealed, "case:8", id,
	    &k, &cause), -1);
	free(cause);
	cause = NULL;
	if (vault_key_open(sealed, sizeof sealed, "case:7", id, &k,
	    &cause) != 0)
		fail_msg("open: %s", cause);
	vault_key_export(k, got);
	assert_memory_equal(got, want, sizeof want);
	vault_key_free(k);
	vault_identity_free(id);
}

static void
vault__ciphertext__moved_to_another_case_fails_to_open(void **state)
{
	struct vault_key	*k;
	uint8_t			*ct, *pt;
	size_t			 ctlen, ptlen;
	char			*cause = NULL;

	k = vault_key_generate();
	vault_encrypt(k, "case:1/witness/3/v2", "Témoin", 7, &ct, &ctlen);
	assert_int_equal(vault_decrypt(k, "case:2/witness/3/v2", ct, ctlen,
	    &pt, &ptlen, &cause), -1);
	assert_null(pt);
	assert_non_null(strstr(cause, "moved"));
	assert_int_equal(vault_decrypt(k, "case:1/witness/3/v1", ct, ctlen,
	    &pt, &ptlen, &cause), -1);
	ct[ctlen - 1] ^= 0x80;
	assert_int_equal(vault_decrypt(k, "case:1/witness/3/v2", ct, ctlen,
	    &pt, &ptlen, &cause), -1);
	assert_int_equal(vault_decrypt(k, "x", ct, 10, &pt, &ptlen, &cause), -1);
	free(cause);
	free(ct);
	vault_key_free(k);
}

/*
 * A blob of version 2 ("DX" 2 0, a 12-byte nonce: a case's or a
 * witness's key) opens with its key and place only, is 12 bytes shorter
 * than version 1, and a version 1 blob still opens beside it.  A blob
 * cut short, with its version byte changed, or with a flipped bit does
 * not open, with a sentence.
 */
static void
vault__version_2_blob__opens_where_it_was_made_only(void **state)
{
	struct vault_key	*k, *other;
	uint8_t			*ct, *ct1, *pt;
	size_t			 ctlen, ct1len, ptlen;
	char			*cause = NULL;
	const char		*ad = "case:7/witness/3/w1";

	k = vault_key_generate();
	other = vault_key_generate();
	vault_encrypt_few(k, ad, "Aminata", 7, &ct, &ctlen);
	vault_encrypt(k, ad, "Aminata", 7, &ct1, &ct1len);
	assert_int_equal(ct[2], 2);
	assert_int_equal(ctlen + 12, ct1len);
	assert_int_equal(vault_decrypt(k, ad, ct, ctlen, &pt, &ptlen, &cause),
	    0);
	assert_int_equal(ptlen, 7);
	assert_memory_equal(pt, "Aminata", 7);
	free(pt);
	assert_int_equal(vault_decrypt(k, ad, ct1, ct1len, &pt, &ptlen,
	    &cause), 0);
	assert_memory_equal(pt, "Aminata", 7);
	free(pt);
	assert_int_equal(vault_decrypt(other, ad, ct, ctlen, &pt, &ptlen,
	    &cause), -1);
	assert_null(pt);
	assert_int_equal(vault_decrypt(k, "case:8/witness/3/w1", ct, ctlen,
	    &pt, &ptlen, &cause), -1);
	assert_int_equal(vault_decrypt(k, ad, ct, 4 + 12 + 15, &pt, &ptlen,
	    &cause), -1);
	assert_non_null(strstr(cause, "damaged"));
	ct[2] = 1;		/* read as version 1: the nonce is too short */
	assert_int_equal(vault_decrypt(k, ad, ct, ctlen, &pt, &ptlen, &cause),
	    -1);
	ct[2] = 3;
	assert_int_equal(vault_decrypt(k, ad, ct, ctlen, &pt, &ptlen, &cause),
	    -1);
	assert_non_null(strstr(cause, "unknown format version"));
	ct[2] = 2;
	ct[ctlen - 1] ^= 0x01;
	assert_int_equal(vault_decrypt(k, ad, ct, ctlen, &pt, &ptlen, &cause),
	    -1);
	assert_non_null(strstr(cause, "altered"));
	assert_null(pt);
	free(cause);
	free(ct);
	free(ct1);
	vault_key_free(other);
	vault_key_free(k);
}

/* The nonce of a vault_encrypt() blob ("DX" 1 0, then 24 bytes). */
#define NONCE_AT	4
#define NONCE_LEN	24

static void
take_nonce(const struct vault_key *k, uint8_t *nonce)
{
	uint8_t	*ct;
	size_t	 ctlen;

	vault_encrypt(k, "case:1/intake/0/v1", "x", 1, &ct, &ctlen);
	assert_true(ctlen > NONCE_AT + NONCE_LEN);
	memcpy(nonce, ct + NONCE_AT, NONCE_LEN);
	free(ct);
}

/*
 * Nonces come from a pool of random bytes: every one differs from the
 * others, past the pool's refills, and a forked child never takes the
 * nonce its parent takes next (the pool is emptied in the child).
 */
static void
vault__nonces__differ_and_a_forked_child_takes_none_of_its_parents(void **state)
{
	struct vault_key	*k;
	uint8_t			(*seen)[NONCE_LEN], child[NONCE_LEN];
	uint8_t			 parent[NONCE_LEN];
	size_t			 i, j, n = 300;	/* 7,200 bytes: past refills */
	int			 fds[2], status;
	pid_t			 pid;

	k = vault_key_generate();
	seen = xcalloc(n, NONCE_LEN);
	for (i = 0; i < n; i++) {
		take_nonce(k, seen[i]);
		for (j = 0; j < i; j++)
			assert_memory_not_equal(seen[i], seen[j], NONCE_LEN);
	}
	free(seen);

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		take_nonce(k, child);
		_exit(write(fds[1], child, sizeof child) == sizeof child ? 0 : 1);
	}
	close(fds[1]);
	take_nonce(k, parent);
	assert_int_equal(read(fds[0], child, sizeof child), sizeof child);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_memory_not_equal(parent, child, NONCE_LEN);
	vault_key_free(k);
}

static void
vault__recovery_key__survives_its_file_and_opens_sealed_keys(void **state)
{
	struct vault_identity	*org, *back;
	struct vault_key	*k, *opened;
	uint8_t			 sealed[VAULT_SEALED_LEN];
	char			*text, *cause = NULL, *bad;

	org = vault_identity_generate();
	text = vault_recovery_encode(org);
	assert_non_null(strstr(text, "untrusted comment:"));
	back = vault_recovery_decode(text, &cause);
	assert_non_null(back);
	k = vault_key_generate();
	vault_key_seal(k, "witness:7:2", vault_identity_box_pk(org), sealed);
	assert_int_equal(vault_key_open(sealed, sizeof sealed, "witness:7:2",
	    back, &opened, &cause), 0);
	vault_key_free(opened);

	bad = xstrdup(text);
	bad[strlen(bad) - 5] = bad[strlen(bad) - 5] == 'A' ? 'B' : 'A';
	assert_null(vault_recovery_decode(bad, &cause));
	assert_null(vault_recovery_decode("hello", &cause));
	free(bad);
	free(cause);
	free(text);
	vault_key_free(k);
	vault_identity_free(back);
	vault_identity_free(org);
}

static void
vault__base64__round_trips_and_rejects_garbage(void **state)
{
	uint8_t	 raw[5] = { 0, 1, 2, 0xfe, 0xff }, *out;
	size_t	 len;
	char	*b64;

	b64 = vault_base64(raw, sizeof raw);
	assert_string_equal(b64, "AAEC/v8=");
	assert_int_equal(vault_unbase64(b64, &out, &len), 0);
	assert_int_equal(len, sizeof raw);
	assert_memory_equal(out, raw, len);
	free(out);
	assert_int_equal(vault_unbase64("!!!", &out, &len), -1);
	free(b64);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vault__unlocks__with_the_right_passphrase_only),
		cmocka_unit_test(
		vault__refuses__secret_keys_that_do_not_match_the_public_ones),
		cmocka_unit_test(
		    vault__sealed_key__opens_only_for_its_recipient_and_place),
		cmocka_unit_test_setup(
		    vault__sealed_batches__open_with_the_kept_exchange, setup),
		cmocka_unit_test(vault__version_2_seal__still_opens),
		cmocka_unit_test(
		    vault__ciphertext__moved_to_another_case_fails_to_open),
		cmocka_unit_test(
		    vault__nonces__differ_and_a_forked_child_takes_none_of_its_parents),
		cmocka_unit_test(
		    vault__recovery_key__survives_its_file_and_opens_sealed_keys),
		cmocka_unit_test(vault__base64__round_trips_and_rejects_garbage),
		cmocka_unit_test(
		    vault__version_2_blob__opens_where_it_was_made_only),
	};

	return (cmocka_run_group_tests(tests, setup, NULL));
}
