/*
 * export-file.c: a summary as files: written to a new file (never over
 * an existing one, mode 0600) with its minisign signature beside it,
 * verified at once; a case's attached files in a tar archive beside it;
 * the export audited only once everything is written.  And a summary
 * checked against its signature ('dossier verify').  What the summary
 * says is export.c's.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "account.h"
#include "casefile.h"
#include "export.h"
#include "export-int.h"
#include "i18n.h"
#include "minisign.h"
#include "record.h"
#include "session.h"
#include "tar.h"
#include "util.h"
#include "vault.h"

/* Claim a new file, never an existing one or a link; mode 0600. */
static int
export_create(const char *path, char **cause)
{
	FILE	*f;
	int	 fd;

	if ((f = file_create_private(path, cause)) == NULL)
		return (-1);
	fd = dup(fileno(f));
	fclose(f);
	if (fd == -1) {
		unlink(path);
		return (err_set(cause, _("Cannot create %s: %s."), path,
		    strerror(errno)));
	}
	return (fd);
}

/* Write and close a claimed file. */
static int
export_fill(int fd, const char *path, const void *data, size_t len,
    char **cause)
{
	if (write_all(fd, data, len) != 0) {
		err_set(cause, _("Cannot write %s: %s."), path, strerror(errno));
		close(fd);
		return (-1);
	}
	if (fsync(fd) != 0) {
		err_set(cause, _("Cannot write %s: %s."), path, strerror(errno));
		close(fd);
		return (-1);
	}
	if (close(fd) != 0)
		return (err_set(cause, _("Cannot write %s: %s."), path,
		    strerror(errno)));
	return (0);
}

/*
 * Both files are claimed before the audit entry is written, so that an
 * export that cannot happen (the file exists, the directory is not
 * writable) is never recorded as made; if the audit entry cannot be
 * written, nothing is exported.
 */
static int
export_files(struct casefile_ctx *ctx, uint64_t id, const char *path,
    const char *text, size_t len, const char *sigtext, const char *detail,
    char **cause)
{
	char	*sigpath;
	int	 fd, sfd, rc;

	xasprintf(&sigpath, "%s.minisig", path);
	if ((fd = export_create(path, cause)) == -1) {
		free(sigpath);
		return (-1);
	}
	if ((sfd = export_create(sigpath, cause)) == -1) {
		close(fd);
		unlink(path);
		free(sigpath);
		return (-1);
	}
	rc = casefile_audit(ctx, id, "case.export", detail, cause);
	if (rc != 0) {
		close(fd);
		close(sfd);
	} else if ((rc = export_fill(fd, path, text, len, cause)) != 0)
		close(sfd);
	else
		rc = export_fill(sfd, sigpath, sigtext, strlen(sigtext), cause);
	if (rc != 0) {
		unlink(path);
		unlink(sigpath);
	}
	free(sigpath);
	return (rc);
}

/*
 * To standard output, for someone who has no file of the server (over
 * SSH): a tar archive of REF.EXT and REF.EXT.minisig.  Never to a
 * terminal.  Audited before anything is written, as for files.
 */
static int
export_archive(struct casefile_ctx *ctx, uint64_t id, const char *ref,
    enum export_format f, const char *text, size_t len, const char *sigtext,
    const char *detail, char **cause)
{
	const char	*ext;
	char		*name, *signame, *p;
	time_t		 t = now();
	int		 rc;

	if (isatty(STDOUT_FILENO))
		return (err_set(cause, _("With --out -, the export is a tar "
		    "archive written to standard output: send it to a file "
		    "(... --out - > %s.tar), not to the terminal."),
		    ref != NULL ? ref : "case"));
	ext = f == EXPORT_JSON ? "json" : f == EXPORT_MD ? "md" : "txt";
	xasprintf(&name, "%s.%s", ref != NULL ? ref : "case", ext);
	/* A name tar extracts where it is run, and nowhere else. */
	for (p = name; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' ||
		    (*p == '.' && p != name)))
			*p = '_';
	xasprintf(&signame, "%s.minisig", name);
	if ((rc = casefile_audit(ctx, id, "case.export", detail, cause)) == 0 &&
	    (rc = tar_add(STDOUT_FILENO, name, text, len, t, cause)) == 0 &&
	    (rc = tar_add(STDOUT_FILENO, signame, sigtext, strlen(sigtext), t,
	    cause)) == 0)
		rc = tar_end(STDOUT_FILENO, cause);
	free(name);
	free(signame);
	return (rc);
}

int
export_case(struct casefile_ctx *ctx, uint64_t id, enum export_format f,
    int flags, const char *path, char **cause)
{
	struct casefile		*cf;
	struct minisign_sig	 sig;
	uint8_t			 hash[VAULT_HASH512_LEN];
	char			*text, *sigtext, *trusted, when[17];
	char			*detail;
	size_t			 len;
	int			 rc, with_witnesses;

	if (session_require(ctx->sess, ACCESS_EXPORT_CASE, cause) != 0)
		return (-1);
	if ((flags & EXPORT_REDACT) != 0 && (flags & EXPORT_WITNESSES) != 0)
		return (err_set(cause, _("A redacted summary names no one: it "
		    "cannot include witness identities.")));
	with_witnesses = (flags & EXPORT_WITNESSES) != 0;
	if (casefile_open(ctx, id, with_witnesses ? CASEFILE_WITNESSES |
	    CASEFILE_JOURNAL : CASEFILE_JOURNAL, &cf, cause) != 0)
		return (-1);
	if (!cf->readable) {
		casefile_free(cf);
		return (err_set(cause, _("You do not hold this case's key.")));
	}
	text = export_render(ctx, cf, f, flags, &len);
	format_time(now(), when);
	xasprintf(&trusted, "dossier case %s exported by %s at %s UTC "
	    "format=%s witnesses=%s parties=%s", record_get_str(cf->header,
	    "reference"), ctx->sess->user->name, when, export_format_name(f),
	    with_witnesses ? "identities" : "pseudonyms",
	    (flags & EXPORT_REDACT) ? "redacted" : "named");
	vault_hash512(text, len, hash);
	sigtext = minisign_sign(ctx->sess->id, hash, trusted);
	/* Verify right after signing, as minisign does. */
	rc = minisign_sig_parse(sigtext, &sig, cause);
	if (rc == 0) {
		rc = minisign_verify(&sig, hash, vault_identity_keyid(
		    ctx->sess->id), ctx->sess->user->sign_pk, cause);
		minisign_sig_free(&sig);
	}
	xasprintf(&detail, "%s format=%s witnesses=%s parties=%s",
	    strcmp(path, "-") == 0 ? "(standard output)" : path,
	    export_format_name(f), with_witnesses ? "identities" :
	    "pseudonyms", (flags & EXPORT_REDACT) ? "redacted" : "named");
	if (rc == 0 && strcmp(path, "-") == 0)
		rc = export_archive(ctx, id, record_get_str(cf->header,
		    "reference"), f, text, len, sigtext, detail, cause);
	else if (rc == 0)
		rc = export_files(ctx, id, path, text, len, sigtext, detail,
		    cause);
	wipe(text, len);
	free(text);
	free(sigtext);
	free(trusted);
	free(detail);
	casefile_free(cf);
	return (rc);
}

static char *
export_slurp(const char *path, size_t max, size_t *lenp, char **cause)
{
	FILE	*f;
	char	*buf;
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL) {
		err_set(cause, _("Cannot read %s: %s."), path, strerror(errno));
		return (NULL);
	}
	buf = xmalloc(max + 1);
	n = fread(buf, 1, max, f);
	if (ferror(f) || (n == max && fgetc(f) != EOF)) {
		fclose(f);
		free(buf);
		err_set(cause, _("%s is not a signature file."), path);
		return (NULL);
	}
	fclose(f);
	buf[n] = '\0';
	if (lenp != NULL)
		*lenp = n;
	return (buf);
}

/*
 * Check path against path.minisig.  With pk NULL, only parse and return
 * the signer's key id (in keyid) so the caller can find the key.
 */
int
export_verify(const char *path, const uint8_t *keyid, const uint8_t *pk,
    char **trusted, char **cause)
{
	struct minisign_sig	 sig;
	uint8_t			 hash[VAULT_HASH512_LEN];
	char			*sigpath, *text;
	int			 fd, rc;

	*trusted = NULL;
	xasprintf(&sigpath, "%s.minisig", path);
	text = export_slurp(sigpath, 8192, NULL, cause);
	free(sigpath);
	if (text == NULL)
		return (-1);
	rc = minisign_sig_parse(text, &sig, cause);
	free(text);
	if (rc != 0)
		return (-1);
	if (pk == NULL) {
		memcpy((uint8_t *)keyid, sig.keyid, 8);
		minisign_sig_free(&sig);
		return (0);
	}
	if ((fd = open(path, O_RDONLY)) == -1 || vault_hash512_fd(fd, hash) != 0) {
		rc = err_set(cause, _("Cannot read %s: %s."), path,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		minisign_sig_free(&sig);
		return (rc);
	}
	close(fd);
	rc = minisign_verify(&sig, hash, keyid, pk, cause);
	if (rc == 0)
		*trusted = xstrdup(sig.trusted);
	minisign_sig_free(&sig);
	return (rc);
}
