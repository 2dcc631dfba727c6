/*
 * minisign.h: signature and public-key files in minisign's format, so
 * that "minisign -Vm FILE -p USER.pub" verifies dossier's exports with no
 * dossier installed (design.md section 8, docs/FORMAT.md).
 *
 * Signatures are of the prehashed kind ("ED"): Ed25519 over the
 * BLAKE2b-512 of the file, then a global signature over that signature
 * and the trusted comment.  Returned strings are malloc'd.
 */
#ifndef MINISIGN_H
#define MINISIGN_H

#include <stddef.h>
#include <stdint.h>

struct vault_identity;

#define MINISIGN_COMMENT_MAX	1024

struct minisign_sig {
	uint8_t		 keyid[8];
	uint8_t		 sig[64];
	char		*trusted;	/* the trusted comment's text */
	uint8_t		 global[64];
};

char	*minisign_pubkey(const uint8_t *, const uint8_t *);
int	 minisign_pubkey_parse(const char *, uint8_t *, uint8_t *, char **);
char	*minisign_sign(const struct vault_identity *, const uint8_t *,
	    const char *);
int	 minisign_sig_parse(const char *, struct minisign_sig *, char **);
void	 minisign_sig_free(struct minisign_sig *);
/* Check a parsed signature of a file's BLAKE2b-512 against a key. */
int	 minisign_verify(const struct minisign_sig *, const uint8_t *,
	    const uint8_t *, const uint8_t *, char **);
void	 minisign_keyid_hex(const uint8_t *, char *);

#endif
