/*
 * cli-audit.c: 'dossier audit verify' and 'dossier audit list'.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "access.h"
#include "audit.h"
#include "checkpoint.h"
#include "cli.h"
#include "export.h"
#include "form.h"
#include "i18n.h"
#include "minisign.h"
#include "paths.h"
#include "session.h"
#include "store.h"
#include "text.h"
#include "util.h"
#include "vault.h"
#include "workflow.h"

/* Text then spaces to width display columns, one space at least. */
static void
cli_audit_cell(const char *text, int width)
{
	char	 spaces[64];
	int	 pad = width - text_width(text);

	if (pad < 1)
		pad = 1;
	if ((size_t)pad >= sizeof spaces)
		pad = sizeof spaces - 1;
	memset(spaces, ' ', (size_t)pad);
	spaces[pad] = '\0';
	text_printf("%s%s", text, spaces);
}

/*
 * One entry a line: for people, the time the user's way and the action
 * in words, in columns by display width; with --format tsv, tab-separated
 * fields and the action's code, for scripts (a stable format).
 */
/* What the listing prints with: the options, and forms/ for the words. */
struct cli_audit_list {
	const struct cli		*c;
	const struct formset		*forms;
	const struct workflow_set	*flows;
};

static int
cli_audit_print(const struct audit_entry *e, void *arg)
{
	const struct cli_audit_list	*al = arg;
	const struct cli		*c = al->c;
	const char		*ref;
	char			 when[17], *detail, *shown, *via, *more, *words;

	if ((c->caseref != NULL && (e->caseref == NULL ||
	    strcmp(c->caseref, e->caseref) != 0)) ||
	    (c->by != NULL && strcmp(c->by, e->user) != 0))
		return (0);
	format_time(e->time, when);
	detail = text_clean(e->detail != NULL ? e->detail : "",
	    e->detail != NULL ? strlen(e->detail) : 0, 0);
	if (c->format != NULL && strcmp(c->format, "tsv") == 0) {
		text_printf("%" PRIu64 "\t%s\t%s\t%s\t%s\t%s\n", e->seq, when,
		    e->user, e->action, e->caseref != NULL ? e->caseref : "",
		    detail);
		free(detail);
		return (0);
	}
	/* For people: the detail in their words, cleaned as the raw one. */
	free(detail);
	words = audit_detail_labels(al->forms, al->flows, e->action,
	    e->caseref, e->detail != NULL ? e->detail : "");
	detail = text_clean(words, strlen(words), 0);
	free(words);
	shown = form_value_show(FORM_DATETIME, when);
	text_printf("%6" PRIu64 " ", e->seq);
	cli_audit_cell(shown, 19);
	cli_audit_cell(e->user, 11);
	ref = e->caseref != NULL ? e->caseref : "";
	if (e->via != NULL) {
		/* Made at a replica and recorded by the master. */
		via = text_clean(e->via, strlen(e->via), 0);
		xasprintf(&more, *detail != '\0' ? _("%s (at %s)") :
		    _("%s(at %s)"), detail, via);
		free(via);
		free(detail);
		detail = more;
	}
	if (*ref == '\0' && *detail == '\0')
		text_printf("%s\n", audit_action_words(e->action));
	else {
		cli_audit_cell(audit_action_words(e->action), 31);
		text_printf("%s%s%s\n", ref, *ref != '\0' && *detail != '\0' ?
		    " " : "", detail);
	}
	free(shown);
	free(detail);
	return (0);
}

static int
cli_audit_list_check(struct cli_run *r)
{
	const char	*f = r->c->format;

	if (f != NULL && strcmp(f, "tsv") != 0 && strcmp(f, "text") != 0)
		return (cli_usage(_("--format takes text or tsv.")));
	return (CLI_OK);
}

/*
 * --since FILE: the checkpoint's signature, by the key given with --pub
 * (kept off the server: the strong way) or else by the account of this
 * store that holds the signing key; then the log must still hold the
 * entry it names, unchanged.
 */
static int
cli_audit_since(struct cli_run *r, const char *path, uint64_t *seq,
    char **cause)
{
	struct account_set	 set;
	uint8_t			 keyid[VAULT_KEYID_LEN] = { 0 }, pk[VAULT_PK_LEN];
	uint8_t			 hash[VAULT_HASH_LEN], kid[VAULT_KEYID_LEN];
	char			*trusted = NULL, hex[17];
	size_t			 i;
	int			 found = 0;

	if (r->c->pub != NULL) {
		if (cli_read_pub(r->c->pub, keyid, pk, cause) != 0)
			return (-1);
		found = 1;
	} else {
		if (export_verify(path, keyid, NULL, &trusted, cause) != 0)
			return (-1);
		if (account_set_load(r->store, &set, cause) != 0)
			return (-1);
		for (i = 0; i < set.n && !found; i++) {
			vault_keyid(set.list[i]->sign_pk, kid);
			if (memcmp(kid, keyid, sizeof kid) == 0 &&
			    access_allows(set.list[i]->role,
			    ACCESS_READ_AUDIT)) {
				memcpy(pk, set.list[i]->sign_pk, sizeof pk);
				found = 1;
			}
		}
		account_set_free(&set);
		if (!found) {
			minisign_keyid_hex(keyid, hex);
			return (err_set(cause, _("The checkpoint is signed by key "
			    "%s, which no supervisor or auditor of this store "
			    "holds; give its public key with --pub."), hex));
		}
	}
	if (export_verify(path, keyid, pk, &trusted, cause) != 0)
		return (-1);
	free(trusted);
	if (checkpoint_read(path, seq, hash, cause) != 0)
		return (-1);
	return (audit_extends(r->store, *seq, hash, cause));
}

static int
cli_audit_verify(struct cli_run *r)
{
	uint64_t	 count, bad, since = 0;
	char		*cause = NULL;

	if (account_verify_audit(r->store, r->sess, &count, &bad, &cause) != 0)
		return (cli_fail(cause));
	if (r->c->since != NULL && cli_audit_since(r, r->c->since, &since,
	    &cause) != 0)
		return (cli_fail(cause));
	text_printf(_("The audit log is intact: %" PRIu64 " entries, every link "
	    "and signature verified.\n"), count);
	if (r->c->since != NULL)
		text_printf(_("It extends the checkpoint %s (entry %" PRIu64
		    ").\n"), r->c->since, since);
	return (CLI_OK);
}

static int
cli_audit_checkpoint(struct cli_run *r)
{
	uint64_t	 seq;
	char		*cause = NULL;

	if (r->c->out == NULL)
		return (cli_usage(_("Usage: dossier audit checkpoint --out "
		    "FILE")));
	if (checkpoint_write(r->sess, r->c->out, &seq, &cause) != 0)
		return (cli_fail(cause));
	text_printf(_("Wrote %s and %s.minisig: the audit log's head, entry "
	    "%" PRIu64 ", signed by %s. Keep them away from this server; check "
	    "later with 'dossier audit verify --since %s'.\n"), r->c->out,
	    r->c->out, seq, r->sess->user->name, r->c->out);
	return (CLI_OK);
}

static int
cli_audit_list(struct cli_run *r)
{
	struct cli_audit_list	 al;
	struct formset		*forms = NULL;
	struct workflow_set	*flows = NULL;
	char			*cause = NULL;
	int			 rc;

	/*
	 * forms/ names the states and records in the details; the log is
	 * listed without them (their codes) if the files do not load.
	 */
	if (formset_load(paths_forms_dir(), &forms, &cause) != 0 ||
	    workflow_load(paths_forms_dir(), &flows, &cause) != 0) {
		free(cause);
		cause = NULL;
	}
	al.c = r->c;
	al.forms = forms;
	al.flows = flows;
	rc = audit_list(r->store, r->sess->user->role, cli_audit_print, &al,
	    &cause);
	formset_free(forms);
	workflow_set_free(flows);
	if (rc != 0)
		return (cli_fail(cause));
	return (CLI_OK);
}

const struct cli_command cli_audit_commands[] = {
	{ "audit verify", N_("[--since CHECKPOINT [--pub KEY.pub]]"),
	    N_("walk the audit log's chain and signatures; with --since, check "
	    "that it still extends a checkpoint"), CLI_OPT_SINCE | CLI_OPT_PUB,
	    0, 0, CLI_SIGNIN, cli_audit_verify, NULL },
	{ "audit checkpoint", N_("--out FILE"), N_("the log's head, signed, to "
	    "keep away from the server"), CLI_OPT_OUT, 0, 0, CLI_SIGNIN,
	    cli_audit_checkpoint, NULL },
	{ "audit list", N_("[--case REF] [--by USER] [--format text|tsv]"),
	    N_("the audit log, one entry a line, actions in words (codes with "
	    "--format tsv)"), CLI_OPT_CASE | CLI_OPT_BY | CLI_OPT_FORMAT, 0, 0,
	    CLI_SIGNIN, cli_audit_list, cli_audit_list_check },
	{ NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL }
};
