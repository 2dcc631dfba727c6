/* fuzz-minisig.c: minisign signature and public-key files; a parsed
 * signature is checked against a key (and must fail). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "minisign.h"
#include "vault.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct minisign_sig	 sig;
	uint8_t			 keyid[8], pk[32], hash[64];
	char			*text = malloc(len + 1), *cause = NULL;

	static int		 ready;

	if (!ready) {
		if (vault_init(NULL) != 0)
			abort();
		ready = 1;
	}
	memcpy(text, data, len);
	text[len] = '\0';
	if (minisign_pubkey_parse(text, keyid, pk, &cause) != 0)
		free(cause);
	cause = NULL;
	if (minisign_sig_parse(text, &sig, &cause) == 0) {
		memset(hash, 0, sizeof hash);
		memset(pk, 0x11, sizeof pk);
		if (minisign_verify(&sig, hash, sig.keyid, pk, &cause) == 0)
			abort();	/* a forged signature verified */
		free(cause);
		minisign_sig_free(&sig);
	} else
		free(cause);
	free(text);
	return (0);
}
