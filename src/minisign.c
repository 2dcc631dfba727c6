/*
 * minisign.c: writing and reading minisign's public keys and signatures.
 *
 * Formats (checked against minisign 0.11):
 *   public key:  "untrusted comment: minisign public key KEYID\n"
 *                base64("Ed" keyid[8] pk[32]) "\n"
 *   signature:   "untrusted comment: ...\n"
 *                base64("ED" keyid[8] Ed25519(BLAKE2b-512(file))) "\n"
 *                "trusted comment: TEXT\n"
 *                base64(Ed25519(signature[64] TEXT)) "\n"
 * KEYID in the comment is the key id read as a little-endian 64-bit
 * number, in upper-case hex, as minisign prints it.  Dossier's key id of
 * a user is the first 8 bytes of BLAKE2b("dossier-keyid", Ed25519 key).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "minisign.h"
#include "util.h"
#include "vault.h"

void
minisign_keyid_hex(const uint8_t *keyid, char *hex)
{
	int	 i;

	for (i = 0; i < 8; i++)
		snprintf(hex + 2 * i, 3, "%02X", keyid[7 - i]);
}

char *
minisign_pubkey(const uint8_t *keyid, const uint8_t *pk)
{
	uint8_t	 raw[2 + 8 + VAULT_PK_LEN];
	char	 hex[17], *b64, *out;

	raw[0] = 'E';
	raw[1] = 'd';
	memcpy(raw + 2, keyid, 8);
	memcpy(raw + 10, pk, VAULT_PK_LEN);
	b64 = vault_base64(raw, sizeof raw);
	minisign_keyid_hex(keyid, hex);
	xasprintf(&out, "untrusted comment: minisign public key %s\n%s\n", hex,
	    b64);
	free(b64);
	return (out);
}

/* The next line of text (without its newline) into a new string. */
static char *
minisign_line(const char **p)
{
	const char	*nl;
	char		*line;

	if (**p == '\0')
		return (NULL);
	if ((nl = strchr(*p, '\n')) == NULL)
		nl = *p + strlen(*p);
	line = xstrndup(*p, (size_t)(nl - *p));
	if (strlen(line) > 0 && line[strlen(line) - 1] == '\r')
		line[strlen(line) - 1] = '\0';
	*p = *nl == '\n' ? nl + 1 : nl;
	return (line);
}

int
minisign_pubkey_parse(const char *text, uint8_t *keyid, uint8_t *pk,
    char **cause)
{
	const char	*p = text;
	char		*l1, *l2;
	uint8_t		*raw = NULL;
	size_t		 len = 0;
	int		 rc = -1;

	l1 = minisign_line(&p);
	l2 = minisign_line(&p);
	if (l1 == NULL || strncmp(l1, "untrusted comment: ", 19) != 0 ||
	    l2 == NULL)
		err_set(cause, _("Not a minisign public key file."));
	else if (vault_unbase64(l2, &raw, &len) != 0 ||
	    len != 2 + 8 + VAULT_PK_LEN || raw[0] != 'E' || raw[1] != 'd')
		err_set(cause, _("The public key is damaged or not an Ed25519 "
		    "minisign key."));
	else {
		memcpy(keyid, raw + 2, 8);
		memcpy(pk, raw + 10, VAULT_PK_LEN);
		rc = 0;
	}
	free(raw);
	free(l1);
	free(l2);
	return (rc);
}

/* Sign a file's BLAKE2b-512 (hash) with a trusted comment of one line. */
char *
minisign_sign(const struct vault_identity *id, const uint8_t *hash,
    const char *trusted)
{
	uint8_t	 raw[2 + 8 + VAULT_SIG_LEN], *glob;
	uint8_t	 gsig[VAULT_SIG_LEN];
	char	*b1, *b2, *out, *tc, *nl;
	size_t	 tlen;

	tc = xstrndup(trusted, MINISIGN_COMMENT_MAX);
	while ((nl = strpbrk(tc, "\r\n")) != NULL)
		*nl = ' ';
	tlen = strlen(tc);
	raw[0] = 'E';
	raw[1] = 'D';
	memcpy(raw + 2, vault_identity_keyid(id), 8);
	vault_sign(id, hash, VAULT_HASH512_LEN, raw + 10);
	glob = xmalloc(VAULT_SIG_LEN + tlen);
	memcpy(glob, raw + 10, VAULT_SIG_LEN);
	memcpy(glob + VAULT_SIG_LEN, tc, tlen);
	vault_sign(id, glob, VAULT_SIG_LEN + tlen, gsig);
	free(glob);
	b1 = vault_base64(raw, sizeof raw);
	b2 = vault_base64(gsig, sizeof gsig);
	xasprintf(&out, "untrusted comment: signature from dossier secret key\n"
	    "%s\ntrusted comment: %s\n%s\n", b1, tc, b2);
	free(b1);
	free(b2);
	free(tc);
	return (out);
}

int
minisign_sig_parse(const char *text, struct minisign_sig *s, char **cause)
{
	const char	*p = text;
	char		*l[4];
	uint8_t		*raw = NULL, *g = NULL;
	size_t		 len = 0, glen = 0;
	int		 i, rc = -1;

	memset(s, 0, sizeof *s);
	for (i = 0; i < 4; i++)
		l[i] = minisign_line(&p);
	if (l[0] == NULL || l[1] == NULL || l[2] == NULL || l[3] == NULL ||
	    strncmp(l[0], "untrusted comment: ", 19) != 0 ||
	    strncmp(l[2], "trusted comment: ", 17) != 0)
		err_set(cause, _("Not a minisign signature file (four lines: "
		    "untrusted comment, signature, trusted comment, global "
		    "signature)."));
	else if (vault_unbase64(l[1], &raw, &len) != 0 ||
	    len != 2 + 8 + VAULT_SIG_LEN || raw[0] != 'E')
		err_set(cause, _("The signature line is damaged."));
	else if (raw[1] != 'D')
		err_set(cause, _("This is a legacy (not prehashed) minisign "
		    "signature; dossier writes and reads the prehashed kind."));
	else if (vault_unbase64(l[3], &g, &glen) != 0 ||
	    glen != VAULT_SIG_LEN)
		err_set(cause, _("The global signature line is damaged."));
	else {
		memcpy(s->keyid, raw + 2, 8);
		memcpy(s->sig, raw + 10, VAULT_SIG_LEN);
		memcpy(s->global, g, VAULT_SIG_LEN);
		s->trusted = xstrdup(l[2] + 17);
		rc = 0;
	}
	free(raw);
	free(g);
	for (i = 0; i < 4; i++)
		free(l[i]);
	return (rc);
}

void
minisign_sig_free(struct minisign_sig *s)
{
	free(s->trusted);
	s->trusted = NULL;
}

int
minisign_verify(const struct minisign_sig *s, const uint8_t *hash,
    const uint8_t *keyid, const uint8_t *pk, char **cause)
{
	uint8_t	*glob;
	char	 h1[17], h2[17];
	size_t	 tlen = strlen(s->trusted);
	int	 ok;

	if (memcmp(s->keyid, keyid, 8) != 0) {
		minisign_keyid_hex(s->keyid, h1);
		minisign_keyid_hex(keyid, h2);
		return (err_set(cause, _("Signed by key %s, not by key %s."),
		    h1, h2));
	}
	if (vault_verify(pk, hash, VAULT_HASH512_LEN, s->sig) != 0)
		return (err_set(cause, _("Signature verification failed: the "
		    "file was changed after it was signed.")));
	glob = xmalloc(VAULT_SIG_LEN + tlen);
	memcpy(glob, s->sig, VAULT_SIG_LEN);
	memcpy(glob + VAULT_SIG_LEN, s->trusted, tlen);
	ok = vault_verify(pk, glob, VAULT_SIG_LEN + tlen, s->global) == 0;
	free(glob);
	if (!ok)
		return (err_set(cause, _("Comment signature verification "
		    "failed: the trusted comment was changed.")));
	return (0);
}
