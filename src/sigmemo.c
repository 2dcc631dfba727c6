/*
 * sigmemo.c: signatures already checked in this process.
 *
 * Whether a signature verifies depends on nothing but the public key, the
 * message and the signature, so a success found once stays true: every
 * save checks the manifest of the case it writes (made by this process at
 * the save before, most of the time), the approvals of its holders and
 * the organisation's statements, the same few signatures each time.
 *
 * Kept: a BLAKE2b hash of (key, signature, message) for each success,
 * and for each signature this process made (sigmemo_note), in a table of
 * SIGMEMO_N slots indexed by the hash.  Failures are never kept, so a row
 * that changes is checked again; the table holds no secret and is
 * process memory only, never written anywhere.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sigmemo.h"
#include "util.h"
#include "vault.h"

#define SIGMEMO_N	1024	/* 32 kB */

static uint8_t	sigmemo[SIGMEMO_N][VAULT_HASH_LEN];

static size_t
sigmemo_hash(const uint8_t *pk, const void *msg, size_t len,
    const uint8_t *sig, uint8_t *h)
{
	uint8_t	 stackbuf[2048], *buf = stackbuf;
	size_t	 n = VAULT_PK_LEN + VAULT_SIG_LEN + len;

	if (n > sizeof stackbuf)
		buf = xmalloc(n);
	memcpy(buf, pk, VAULT_PK_LEN);
	memcpy(buf + VAULT_PK_LEN, sig, VAULT_SIG_LEN);
	memcpy(buf + VAULT_PK_LEN + VAULT_SIG_LEN, msg, len);
	vault_hash(buf, n, h);
	if (buf != stackbuf)
		free(buf);
	return (((size_t)h[0] | (size_t)h[1] << 8) % SIGMEMO_N);
}

/* vault_verify(), remembering successes. */
int
sigmemo_verify(const uint8_t *pk, const void *msg, size_t len,
    const uint8_t *sig)
{
	uint8_t	 h[VAULT_HASH_LEN];
	size_t	 slot;

	slot = sigmemo_hash(pk, msg, len, sig, h);
	if (memcmp(sigmemo[slot], h, sizeof h) == 0)
		return (0);
	if (vault_verify(pk, msg, len, sig) != 0)
		return (-1);
	memcpy(sigmemo[slot], h, sizeof h);
	return (0);
}

/* A signature this process just made with the secret half of pk. */
void
sigmemo_note(const uint8_t *pk, const void *msg, size_t len,
    const uint8_t *sig)
{
	uint8_t	 h[VAULT_HASH_LEN];
	size_t	 slot;

	slot = sigmemo_hash(pk, msg, len, sig, h);
	memcpy(sigmemo[slot], h, sizeof h);
}
