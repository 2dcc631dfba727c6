/*
 * cli-backup.c: 'dossier check', 'backup' and 'restore': the data
 * directory checked, copied and brought back (backup.c does the copying).
 *
 * None of them signs in.  Whoever runs them must already be able to read
 * every file of the data directory (dossier needs that to open it at
 * all), so a sign-in would protect nothing, while a scheduled backup
 * would need a passphrase left on the server.  Run as an SSH key's forced
 * command, backup and restore are refused (cli-ssh.c).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "backup.h"
#include "casefile.h"
#include "cli.h"
#include "form.h"
#include "i18n.h"
#include "paths.h"
#include "store.h"
#include "text.h"
#include "trust.h"
#include "util.h"
#include "workflow.h"

static void
cli_check_problem(const char *sentence, void *arg)
{
	(void)arg;
	text_error("%s", sentence);
}

/*
 * Everything 'dossier check' checks, of the data directory dir: every
 * table with Berkeley DB (alone), every case header and account, the
 * audit log.  Each problem is printed as found; 0 when all is well, with
 * how many cases and audit entries were checked.
 */
static int
cli_check_dir(const char *dir, int repair, size_t *cases, uint64_t *count)
{
	struct store		*s;
	struct formset		*forms = NULL;
	struct workflow_set	*flows = NULL;
	uint64_t		 bad;
	size_t			 problems, aproblems, fixed;
	char			*cause = NULL;
	int			 rc;

	if (store_check(dir, &cause) != 0) {
		text_error("%s", cause);
		free(cause);
		return (-1);
	}
	if (formset_load(paths_forms_dir(), &forms, &cause) != 0 ||
	    workflow_load(paths_forms_dir(), &flows, &cause) != 0 ||
	    workflow_guards_check_forms(flows, forms, &cause) != 0) {
		text_error("%s", cause);
		free(cause);
		formset_free(forms);
		workflow_set_free(flows);
		return (-1);
	}
	if (store_open(&s, dir, 0, &cause) != 0) {
		text_error("%s", cause);
		free(cause);
		formset_free(forms);
		workflow_set_free(flows);
		return (-1);
	}
	/* The indexes and counters, derived data, first made right. */
	rc = 0;
	if (repair && (rc = casefile_index_repair(s, cli_check_problem, NULL,
	    &fixed, &cause)) == 0 && fixed != 0)
		text_printf(ngettext("The header indexes and counters did not "
		    "match the case headers (%zu difference): they were rebuilt "
		    "from the headers and now match.\n", "The header indexes and "
		    "counters did not match the case headers (%zu differences): "
		    "they were rebuilt from the headers and now match.\n", fixed),
		    fixed);
	if (rc == 0)
		rc = casefile_check(s, forms, flows, cli_check_problem, NULL,
		    cases, &problems, &cause);
	if (rc == 0 && (rc = trust_check_accounts(s, cli_check_problem, NULL,
	    &aproblems, &cause)) == 0)
		problems += aproblems;
	formset_free(forms);
	workflow_set_free(flows);
	if (rc != 0 || account_verify_audit(s, NULL, count, &bad,
	    &cause) != 0) {
		text_error("%s", cause);
		free(cause);
		store_close(s);
		return (-1);
	}
	store_close(s);
	if (problems != 0) {
		text_error(ngettext("%zu problem in the cases or accounts; the "
		    "tables and the audit log verify.", "%zu problems in the "
		    "cases or accounts; the tables and the audit log verify.",
		    problems), problems);
		return (-1);
	}
	return (0);
}

static int
cli_check(struct cli_run *r)
{
	uint64_t	 count;
	size_t		 cases;
	char		*dir;
	int		 rc;

	if ((dir = cli_data_dir(r->c)) == NULL) {
		text_error("%s", _("No data directory: use --data DIR or set "
		    "DOSSIER_DATA."));
		return (CLI_FAIL);
	}
	rc = cli_check_dir(dir, r->c->repair, &cases, &count);
	free(dir);
	if (rc != 0)
		return (CLI_FAIL);
	text_printf(_("Every table verifies; the %zu case headers are whole; the "
	    "audit log is intact (%" PRIu64 " entries).\n"), cases, count);
	return (CLI_OK);
}

static int
cli_backup_check(struct cli_run *r)
{
	unsigned int	 keep;

	if (r->c->keep != NULL && backup_keep_parse(r->c->keep, &keep) != 0)
		return (cli_usage(_("--keep takes how many backups to keep, a "
		    "number from 1 to 1000.")));
	return (CLI_OK);
}

static int
cli_backup(struct cli_run *r)
{
	struct backup_rotation	 rot;
	unsigned int		 keep;
	char			*cause = NULL;
	size_t			 i;

	if (r->c->keep == NULL) {
		if (backup_make(r->store, r->argv[0], &cause) != 0)
			return (cli_fail(cause));
		text_printf(_("Backed up to %s (encrypted as the original; "
		    "restore it with 'dossier restore %s DIR').\n"), r->argv[0],
		    r->argv[0]);
		return (CLI_OK);
	}
	(void)backup_keep_parse(r->c->keep, &keep);
	if (backup_rotate(r->store, r->argv[0], keep, &rot, &cause) != 0) {
		backup_rotation_free(&rot);
		return (cli_fail(cause));
	}
	text_printf(_("Backed up to %s (encrypted as the original; restore it "
	    "with 'dossier restore %s DIR').\n"), rot.path, rot.path);
	for (i = 0; i < rot.nremoved; i++)
		text_printf(_("Removed the old backup %s.\n"), rot.removed[i]);
	text_printf(ngettext("%zu backup kept in %s.\n", "%zu backups kept in "
	    "%s.\n", rot.kept), rot.kept, r->argv[0]);
	backup_rotation_free(&rot);
	return (CLI_OK);
}

/*
 * The tables' pages filled again and the free ones given back to the
 * file system, while others keep working (store-compact.c).
 */
static int
cli_compact(struct cli_run *r)
{
	struct store_compaction	 sc;
	char			*cause = NULL;

	if (store_compact(r->store, &sc, &cause) != 0)
		return (cli_fail(cause));
	text_printf(_("Compacted the tables: %" PRIu64 " KiB before, %" PRIu64
	    " KiB now; nothing in them changed but where it lies.\n"),
	    (sc.before + 1023) / 1024, (sc.after + 1023) / 1024);
	return (CLI_OK);
}

/*
 * Copy, recover, check, and only then give the copy the target's name;
 * a copy that fails is removed.
 */
static int
cli_restore(struct cli_run *r)
{
	const char	*backup = r->argv[0], *target = r->argv[1];
	uint64_t	 count;
	size_t		 cases;
	char		*tmp, *cause = NULL;

	if (backup_restore_copy(backup, target, &tmp, &cause) != 0)
		return (cli_fail(cause));
	if (cli_check_dir(tmp, 0, &cases, &count) != 0) {
		backup_restore_abort(tmp);
		free(tmp);
		text_error(_("The copy of %s fails its checks (above): nothing "
		    "was restored into %s."), backup, target);
		return (CLI_FAIL);
	}
	if (backup_restore_commit(tmp, target, &cause) != 0) {
		backup_restore_abort(tmp);
		free(tmp);
		return (cli_fail(cause));
	}
	free(tmp);
	text_printf(_("Restored %s into %s: every table verifies; the %zu case "
	    "headers are whole; the audit log is intact (%" PRIu64 " entries). "
	    "Open it with --data %s.\n"), backup, target, cases, count, target);
	return (CLI_OK);
}

const struct cli_command cli_backup_commands[] = {
	{ "check", N_("[--repair]"), N_("verify every table, every case "
	    "header and the audit log; with --repair, first rebuild the header "
	    "indexes and counters if they do not match the headers"),
	    CLI_OPT_REPAIR, 0, 0, 0, cli_check, NULL },
	{ "backup", N_("[--keep N] DIR"), N_("a hot backup into the new "
	    "directory DIR; with --keep, into DIR/dossier-YYYYMMDDTHHMMSSZ, "
	    "keeping the N newest backups there"), CLI_OPT_KEEP, 1, 1,
	    CLI_STORE, cli_backup, cli_backup_check },
	{ "compact", "", N_("fill the tables' pages again and give the free "
	    "ones back to the file system, while others keep working (after a "
	    "large import, or now and then from cron)"), 0, 0, 0, CLI_STORE,
	    cli_compact, NULL },
	{ "restore", N_("BACKUP DIR"), N_("a backup copied into a new or "
	    "empty directory, recovered and checked as 'check' does"), 0, 2,
	    2, 0, cli_restore, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL }
};
