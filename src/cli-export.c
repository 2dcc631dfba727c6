/*
 * cli-export.c: 'dossier export', 'key export', 'key fingerprint' and
 * 'verify'.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "audit.h"
#include "casefile.h"
#include "cli.h"
#include "export.h"
#include "form.h"
#include "paths.h"
#include "i18n.h"
#include "layout.h"
#include "minisign.h"
#include "session.h"
#include "store.h"
#include "text.h"
#include "util.h"
#include "vault.h"
#include "workflow.h"

static int
cli_export_check(struct cli_run *r)
{
	enum export_format	 f;

	if (r->c->out == NULL)
		return (cli_usage(_("Usage: dossier export REF --out FILE "
		    "[--format text|md|json] [--with-witnesses | --redact]")));
	if (r->c->with_witnesses && r->c->redact)
		return (cli_usage(_("--redact leaves every name out: it cannot "
		    "go with --with-witnesses.")));
	if (export_format_parse(r->c->format, &f) != 0)
		return (cli_usage(_("--format takes text, md or json.")));
	return (CLI_OK);
}

static int
cli_export(struct cli_run *r)
{
	struct cli		*c = r->c;
	enum export_format	 f;
	uint64_t		 id;
	char			*cause = NULL;

	export_format_parse(c->format, &f);	/* cli_export_check */
	if (casefile_find(r->ctx, r->argv[0], &id, &cause) != 0 ||
	    export_case(r->ctx, id, f, (c->with_witnesses ? EXPORT_WITNESSES :
	    0) | (c->redact ? EXPORT_REDACT : 0), c->out, &cause) != 0)
		return (cli_fail(cause));
	if (strcmp(c->out, "-") != 0)
		text_printf(_("Wrote %s and %s.minisig, signed by %s.\n"),
		    c->out, c->out, r->sess->user->name);
	return (CLI_OK);
}

static int
cli_key(struct cli_run *r)
{
	struct account	*a;
	uint8_t		 keyid[VAULT_KEYID_LEN];
	char		*cause = NULL, *text;
	const char	*name;

	name = r->argc == 1 ? r->argv[0] : r->c->user != NULL ? r->c->user :
	    getenv("USER");
	if (name == NULL)
		return (cli_usage(_("Name the user: dossier key export USER")));
	if (account_get(r->store, name, &a, &cause) != 0)
		return (cli_fail(cause));
	vault_keyid(a->sign_pk, keyid);
	text = minisign_pubkey(keyid, a->sign_pk);
	fputs(text, stdout);
	free(text);
	account_free(a);
	return (CLI_OK);
}

struct cli_fp {
	uint8_t	 pk[VAULT_PK_LEN];
	uint8_t	 root[VAULT_PK_LEN];
};

static int
cli_fp_txn(struct store_txn *t, void *arg, char **cause)
{
	struct cli_fp	*fp = arg;
	int		 rc;

	if ((rc = meta_get_fixed(t, META_RECOVERY_PK, fp->pk, sizeof fp->pk,
	    cause)) != 0)
		return (rc);
	return (meta_get_fixed(t, META_ROOT_PK, fp->root, sizeof fp->root,
	    cause));
}

/*
 * Fingerprints to compare out of band, as 'ssh-keygen -l' prints them:
 * the organisation recovery key as this store holds it (noted at init)
 * and each account's signing key (or one account's).
 */
static int
cli_key_fingerprint(struct cli_run *r)
{
	struct account_set	 set;
	struct cli_fp		 fp;
	uint8_t			 kid[VAULT_KEYID_LEN];
	char			 f[48], hex[17], *cause = NULL;
	size_t			 i;

	if (store_run(r->store, cli_fp_txn, &fp, &cause) != 0)
		return (cli_fail(cause));
	vault_fingerprint(fp.pk, f);
	text_printf(_("recovery key\t%s\n"), f);
	vault_fingerprint(fp.root, f);
	text_printf(_("root key\t%s\n"), f);
	if (account_set_load(r->store, &set, &cause) != 0)
		return (cli_fail(cause));
	for (i = 0; i < set.n; i++) {
		if (r->argc == 1 && strcmp(set.list[i]->name, r->argv[0]) != 0)
			continue;
		vault_keyid(set.list[i]->sign_pk, kid);
		minisign_keyid_hex(kid, hex);
		vault_fingerprint(set.list[i]->sign_pk, f);
		text_printf("%s\t%s\t%s\n", set.list[i]->name, hex, f);
	}
	account_set_free(&set);
	return (CLI_OK);
}

/* The account whose signing key has this key id, or NULL. */
static struct account *
cli_signer(struct store *s, const uint8_t *keyid)
{
	struct account	**list;
	struct account	 *found = NULL;
	uint8_t		  kid[VAULT_KEYID_LEN];
	size_t		  n, i;
	char		 *cause = NULL;

	if (account_list(s, &list, &n, &cause) != 0) {
		free(cause);
		return (NULL);
	}
	for (i = 0; i < n; i++) {
		vault_keyid(list[i]->sign_pk, kid);
		if (memcmp(kid, keyid, sizeof kid) == 0) {
			found = list[i];
			list[i] = NULL;
			break;
		}
	}
	account_list_free(list, n);
	return (found);
}

static int
cli_verify(struct cli_run *r)
{
	struct cli	*c = r->c;
	struct store	*s = NULL;
	struct account	*a = NULL;
	uint8_t		 keyid[VAULT_KEYID_LEN] = { 0 }, pk[VAULT_PK_LEN];
	char		*cause = NULL, *trusted = NULL, hex[17];

	if (c->pub != NULL) {
		if (cli_read_pub(c->pub, keyid, pk, &cause) != 0)
			goto fail;
	} else {
		/* The signer's key from the store. */
		if (export_verify(r->argv[0], keyid, NULL, &trusted,
		    &cause) != 0)
			goto fail;
		if (cli_open(c, &s) != 0) {
			free(trusted);
			return (CLI_FAIL);
		}
		if ((a = cli_signer(s, keyid)) == NULL) {
			minisign_keyid_hex(keyid, hex);
			err_set(&cause, _("Signed by key %s, which no account of "
			    "this store holds; give its public key with --pub."),
			    hex);
			goto fail;
		}
		memcpy(pk, a->sign_pk, VAULT_PK_LEN);
	}
	if (export_verify(r->argv[0], keyid, pk, &trusted, &cause) != 0)
		goto fail;
	text_printf("%s\n", _("Signature and comment signature verified"));
	text_printf(_("Trusted comment: %s\n"), trusted);
	if (a != NULL)
		text_printf(_("Signed by %s, a user of this store.\n"), a->name);
	free(trusted);
	account_free(a);
	store_close(s);
	return (CLI_OK);
fail:
	text_error("%s", cause);
	free(cause);
	free(trusted);
	account_free(a);
	store_close(s);
	return (CLI_FAIL);
}

const struct cli_command cli_export_commands[] = {
	{ "export", N_("REF --out FILE [--format text|md|json] "
	    "[--with-witnesses | --redact]"), N_("a case summary, signed: "
	    "FILE and FILE.minisig; --redact for third parties, with no "
	    "names"), CLI_OPT_OUT | CLI_OPT_FORMAT | CLI_OPT_WITH_WITNESSES |
	    CLI_OPT_REDACT, 1, 1, CLI_CASES, cli_export,
	    cli_export_check },
	{ "key export", N_("[USER]"), N_("a user's public key in minisign's "
	    "format"), 0, 0, 1, CLI_STORE, cli_key, NULL },
	{ "key fingerprint", N_("[USER]"), N_("fingerprints of the "
	    "organisation recovery key and of users' signing keys, to compare "
	    "out of band"), 0, 0, 1, CLI_STORE, cli_key_fingerprint, NULL },
	{ "verify", N_("FILE [--pub KEY.pub]"), N_("check FILE against "
	    "FILE.minisig"), CLI_OPT_PUB, 1, 1, 0, cli_verify, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL }
};
