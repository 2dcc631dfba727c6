/*
 * checkpoint.c: see checkpoint.h.
 *
 * The audit log lives in the store it protects: a file writer can cut
 * its end and rewrite the unsigned head.  A checkpoint is the head (the
 * last entry's number and BLAKE2b-256 hash) written to a file that the
 * supervisor or auditor keeps away from the server, signed with their
 * key in minisign's format.  Later, 'audit verify --since FILE' checks
 * the signature and that the log still holds that entry unchanged, so
 * that everything up to it is as it was.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "access.h"
#include "account.h"
#include "audit.h"
#include "checkpoint.h"
#include "i18n.h"
#include "minisign.h"
#include "session.h"
#include "store.h"
#include "util.h"
#include "vault.h"

#define CHECKPOINT_MAGIC	"dossier audit checkpoint 1\n"

struct checkpoint_op {
	struct session	*sess;
	uint64_t	 seq;
};

static int
checkpoint_audit_txn(struct store_txn *t, void *arg, char **cause)
{
	struct checkpoint_op	*op = arg;

	return (audit_appendf(t, &op->sess->signer, "audit.checkpoint", NULL,
	    cause, "entry %" PRIu64, op->seq));
}

static int
checkpoint_fill(FILE *f, const char *text)
{
	if (fputs(text, f) == EOF || fflush(f) != 0 || fsync(fileno(f)) != 0) {
		fclose(f);
		return (-1);
	}
	return (fclose(f));
}

/*
 * Verify the log, then write its head to path and path.minisig; the
 * checkpoint itself is audited after the head it names.
 */
int
checkpoint_write(struct session *sess, const char *path, uint64_t *seqp,
    char **cause)
{
	struct checkpoint_op	 op;
	uint8_t			 hash[VAULT_HASH_LEN], h512[VAULT_HASH512_LEN];
	uint64_t		 count, bad;
	char			*hex, *text, *sigtext, *trusted, *sigpath;
	char			 when[17];
	FILE			*f, *sf;
	int			 rc;

	if (session_require(sess, ACCESS_READ_AUDIT, cause) != 0)
		return (-1);
	if (account_verify_audit(sess->store, sess, &count, &bad, cause) != 0 ||
	    audit_head_now(sess->store, &op.seq, hash, cause) != 0)
		return (-1);
	hex = vault_hex(hash, sizeof hash);
	format_time(now(), when);
	xasprintf(&text, CHECKPOINT_MAGIC "entry: %" PRIu64 "\nhash: %s\n"
	    "time: %s UTC\nby: %s\n", op.seq, hex, when, sess->user->name);
	xasprintf(&trusted, "dossier audit checkpoint entry %" PRIu64
	    " by %s at %s UTC", op.seq, sess->user->name, when);
	free(hex);
	vault_hash512(text, strlen(text), h512);
	sigtext = minisign_sign(sess->id, h512, trusted);
	free(trusted);
	xasprintf(&sigpath, "%s.minisig", path);
	rc = -1;
	if ((f = file_create_private(path, cause)) != NULL) {
		if ((sf = file_create_private(sigpath, cause)) == NULL) {
			fclose(f);
			unlink(path);
		} else if (checkpoint_fill(f, text) != 0 ||
		    checkpoint_fill(sf, sigtext) != 0) {
			err_set(cause, _("Cannot write %s: %s."), path,
			    strerror(errno));
			unlink(path);
			unlink(sigpath);
		} else
			rc = 0;
	}
	op.sess = sess;
	if (rc == 0 && store_run(sess->store, checkpoint_audit_txn, &op,
	    cause) != 0) {
		unlink(path);
		unlink(sigpath);
		rc = -1;
	}
	if (rc == 0)
		*seqp = op.seq;
	free(sigpath);
	free(sigtext);
	free(text);
	return (rc);
}

int
checkpoint_read(const char *path, uint64_t *seq, uint8_t *hash, char **cause)
{
	FILE		*f;
	char		 buf[512], hex[2 * VAULT_HASH_LEN + 1];
	unsigned long long n;
	size_t		 len, i;
	unsigned int	 x;

	if ((f = fopen(path, "r")) == NULL)
		return (err_set(cause, _("Cannot read %s: %s."), path,
		    strerror(errno)));
	len = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[len] = '\0';
	if (strncmp(buf, CHECKPOINT_MAGIC, strlen(CHECKPOINT_MAGIC)) != 0 ||
	    sscanf(buf + strlen(CHECKPOINT_MAGIC), "entry: %llu\nhash: %64[0-9a-f]",
	    &n, hex) != 2 || strlen(hex) != 2 * VAULT_HASH_LEN)
		return (err_set(cause, _("%s is not an audit checkpoint."),
		    path));
	for (i = 0; i < VAULT_HASH_LEN; i++) {
		if (sscanf(hex + 2 * i, "%2x", &x) != 1)
			return (err_set(cause, _("%s is not an audit "
			    "checkpoint."), path));
		hash[i] = (uint8_t)x;
	}
	*seq = (uint64_t)n;
	return (0);
}
