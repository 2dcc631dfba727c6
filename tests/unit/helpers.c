/*
 * helpers.c: see helpers.h.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "access.h"
#include "account.h"
#include "casefile.h"
#include "form.h"
#include "helpers.h"
#include "record.h"
#include "session.h"
#include "stats.h"
#include "store.h"
#include "trust.h"
#include "util.h"
#include "vault.h"
#include "workflow.h"

char *
helper_tmpdir(void)
{
	const char	*base = getenv("TMPDIR");
	char		*dir;

	xasprintf(&dir, "%s/dossier-test-XXXXXX", base != NULL && *base ?
	    base : "/tmp");
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chmod(dir, 0700), 0);
	return (dir);
}

void
helper_rmrf(const char *dir)
{
	char	*cmd;

	xasprintf(&cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* The recovery key of the store helper_init_store() made last. */
static char	*helper_recovery;

/* A new store in dir/data with admin "chef"; the recovery text returned. */
struct store *
helper_init_store(const char *dir, char **recovery)
{
	struct store	*s;
	char		*data, *cause = NULL, *rec = NULL;

	assert_int_equal(vault_init(NULL), 0);
	xasprintf(&data, "%s/data", dir);
	if (store_open(&s, data, STORE_CREATE, &cause) != 0)
		fail_msg("store_open: %s", cause);
	if (account_init(s, "chef", HELPER_ADMIN_PASS,
	    strlen(HELPER_ADMIN_PASS), VAULT_COST_INTERACTIVE, trust_org_init,
	    &rec, &cause) != 0)
		fail_msg("account_init: %s", cause);
	free(helper_recovery);
	helper_recovery = xstrdup(rec);
	if (recovery != NULL)
		*recovery = rec;
	else
		free(rec);
	free(data);
	return (s);
}

struct session *
helper_signin(struct store *s, const char *name, const char *pass)
{
	struct session	*sess;
	char		*cause = NULL;

	if (session_signin(s, name, pass, strlen(pass), &sess, &cause) != 0)
		fail_msg("sign-in of %s: %s", name, cause);
	return (sess);
}

void
helper_add_user(struct session *admin, const char *name, const char *role,
    const char *pass)
{
	enum role	 r;

	helper_add_user_unapproved(admin, name, role, pass);
	assert_int_equal(access_role_parse(role, &r), 0);
	if (r != ROLE_ADMIN)
		helper_approve_root(admin, name);
}

/* An account as an admin alone makes it: no key reaches it yet. */
void
helper_add_user_unapproved(struct session *admin, const char *name,
    const char *role, const char *pass)
{
	enum role	 r;
	char		*cause = NULL;

	assert_int_equal(access_role_parse(role, &r), 0);
	if (account_add(admin, name, r, pass, strlen(pass), 0, &cause) != 0)
		fail_msg("account_add %s: %s", name, cause);
}

/* The account's fingerprint, as 'user fingerprint' prints it. */
void
helper_fingerprint(struct store *s, const char *name, char *fp)
{
	struct account	*a;
	char		*cause = NULL;

	if (account_get(s, name, &a, &cause) != 0)
		fail_msg("account_get %s: %s", name, cause);
	trust_fingerprint(a, fp);
	account_free(a);
}

/* Approved with the organisation's root (the recovery key). */
void
helper_approve_root(struct session *sess, const char *name)
{
	struct vault_identity	*root;
	char			 fp[VAULT_FINGERPRINT_LEN], *cause = NULL;

	assert_non_null(helper_recovery);
	root = vault_recovery_decode(helper_recovery, &cause);
	assert_non_null(root);
	helper_fingerprint(sess->store, name, fp);
	if (trust_approve(sess, name, fp, root, &cause) != 0)
		fail_msg("approving %s: %s", name, cause);
	vault_identity_free(root);
}

int
helper_file_contains(const char *path, const void *needle, size_t len)
{
	FILE	*f;
	char	*buf;
	size_t	 size, n, i;
	int	 found = 0;

	if ((f = fopen(path, "rb")) == NULL)
		return (-1);
	fseek(f, 0, SEEK_END);
	size = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = xmalloc(size + 1);
	n = fread(buf, 1, size, f);
	fclose(f);
	for (i = 0; !found && n >= len && i <= n - len; i++)
		found = memcmp(buf + i, needle, len) == 0;
	free(buf);
	return (found);
}

/* Does any file under dir contain needle?  *where names the first. */
int
helper_tree_contains(const char *dir, const void *needle, size_t len,
    char **where)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 sb;
	char		*path;
	int		 found = 0;

	assert_non_null(d = opendir(dir));
	while (!found && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		xasprintf(&path, "%s/%s", dir, de->d_name);
		assert_int_equal(lstat(path, &sb), 0);
		if (S_ISDIR(sb.st_mode))
			found = helper_tree_contains(path, needle, len, where);
		else if (S_ISREG(sb.st_mode) &&
		    helper_file_contains(path, needle, len) == 1) {
			found = 1;
			if (where != NULL)
				*where = xstrdup(path);
		}
		free(path);
	}
	closedir(d);
	return (found);
}

void
helper_load_forms(struct formset **forms, struct workflow_set **flows)
{
	const char	*top = getenv("top_srcdir");
	char		*dir, *cause = NULL;

	xasprintf(&dir, "%s/forms", top != NULL ? top : "..");
	if (formset_load(dir, forms, &cause) != 0 ||
	    workflow_load(dir, flows, &cause) != 0 ||
	    workflow_guards_check_forms(*flows, *forms, &cause) != 0)
		fail_msg("%s", cause);
	free(dir);
}

struct record *
helper_intake(const char *summary)
{
	struct record	*r = record_create();

	record_set_str(r, "received", "2026-11-20 09:30");
	record_set_str(r, "channel", "letter");
	record_set_str(r, "filed_by", "victim");
	record_set_str(r, "facts_date", "2026-11-18");
	record_set_str(r, "region", "mopti");
	record_set_str(r, "force", "police");
	record_set_str(r, "summary", summary);
	record_set_str(r, "categories", "liberty.arbitrary");
	return (r);
}

void
helper_ctx(struct casefile_ctx *c, struct session *sess,
    const struct formset *forms, const struct workflow_set *flows)
{
	char	*cause = NULL;

	memset(c, 0, sizeof *c);
	c->sess = sess;
	c->forms = forms;
	c->flows = flows;
	if (casefile_share_keys(c, &cause) != 0)
		fail_msg("share: %s", cause);
}

struct store *
helper_team(char **tmp, struct formset **forms, struct workflow_set **flows,
    const struct helper_user *u, size_t n)
{
	struct store	*s;
	struct session	*admin;
	size_t		 i;

	*tmp = helper_tmpdir();
	s = helper_init_store(*tmp, NULL);
	helper_load_forms(forms, flows);
	admin = helper_signin(s, "chef", HELPER_ADMIN_PASS);
	for (i = 0; i < n; i++)
		helper_add_user(admin, u[i].name, u[i].role, HELPER_USER_PASS);
	session_free(admin);
	for (i = 0; i < n; i++) {
		*u[i].sess = helper_signin(s, u[i].name, HELPER_USER_PASS);
		helper_ctx(u[i].ctx, *u[i].sess, *forms, *flows);
	}
	return (s);
}

void
helper_team_free(char *tmp, struct store *s, struct formset *forms,
    struct workflow_set *flows, const struct helper_user *u, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		session_free(*u[i].sess);
	formset_free(forms);
	workflow_set_free(flows);
	store_close(s);
	helper_rmrf(tmp);
	free(tmp);
}

uint64_t
helper_new_case(struct casefile_ctx *c, const char *summary)
{
	struct record	*r = helper_intake(summary);
	char		*ref, *cause = NULL;
	uint64_t	 id;

	if (casefile_create(c, "inspection", r, &ref, &cause) != 0)
		fail_msg("create: %s", cause);
	record_free(r);
	if (casefile_find(c, ref, &id, &cause) != 0)
		fail_msg("find %s: %s", ref, cause);
	free(ref);
	return (id);
}

uint64_t
helper_add(struct casefile_ctx *c, uint64_t id, const char *kind, ...)
{
	struct record	*r = record_create();
	const char	*k, *v;
	char		*cause = NULL;
	uint64_t	 rid;
	va_list		 ap;

	va_start(ap, kind);
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		record_set_str(r, k, v);
	}
	va_end(ap);
	if (casefile_add(c, id, kind, r, &rid, &cause) != 0)
		fail_msg("add %s: %s", kind, cause);
	record_free(r);
	return (rid);
}

void
helper_stats_same(struct casefile_ctx *ctx, const char *workflow,
    const struct stats *st)
{
	struct stats	*slow;
	char		*cause = NULL, *a, *b;
	size_t		 i;
	int		 fmt;

	if (stats_collect_how(ctx, workflow, STATS_SLOW, &slow, &cause) != 0)
		fail_msg("stats: %s", cause);
	assert_int_equal(slow->digests, 0);
	assert_int_equal(slow->opened, slow->ncases);
	assert_int_equal(slow->ncases, st->ncases);
	assert_int_equal(slow->readable, st->readable);
	slow->at = st->at;
	for (fmt = STATS_TEXT; fmt <= STATS_JSON; fmt++) {
		a = stats_render(st, ctx->forms, ctx->flows, fmt);
		b = stats_render(slow, ctx->forms, ctx->flows, fmt);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	assert_int_equal(slow->nlist, st->nlist);
	for (i = 0; i < st->nlist; i++) {
		assert_int_equal(st->list[i].id, slow->list[i].id);
		assert_int_equal(st->list[i].rid, slow->list[i].rid);
		assert_string_equal(st->list[i].reference,
		    slow->list[i].reference);
		assert_string_equal(st->list[i].unit, slow->list[i].unit);
		assert_string_equal(st->list[i].force, slow->list[i].force);
		assert_string_equal(st->list[i].status, slow->list[i].status);
		assert_int_equal(st->list[i].deadline,
		    slow->list[i].deadline);
		assert_int_equal(st->list[i].late, slow->list[i].late);
		assert_int_equal(st->list[i].source, slow->list[i].source);
		assert_string_equal(st->list[i].source_kind,
		    slow->list[i].source_kind);
	}
	stats_free(slow);
}

/* The passphrase 'dossier demo' gave user (demo-users.txt of data). */
char *
helper_demo_pass(const char *data, const char *user)
{
	char	*path, line[256], name[64], role[64], pass[128];
	FILE	*f;

	xasprintf(&path, "%s/demo-users.txt", data);
	assert_non_null(f = fopen(path, "r"));
	free(path);
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "%63s %63s %127s", name, role, pass) == 3 &&
		    strcmp(name, user) == 0) {
			fclose(f);
			return (xstrdup(pass));
		}
	fclose(f);
	fail_msg("no %s in demo-users.txt", user);
	return (NULL);
}

/*
 * A temporary directory (*tmp) with a demo's data directory in it
 * (*data), made by the dossier binary $DOSSIER with these arguments of
 * 'demo' ("--cases 20").
 */
void
helper_demo(const char *args, char **tmp, char **data)
{
	const char	*dossier = getenv("DOSSIER");
	char		*cmd;

	if (dossier == NULL)
		fail_msg("DOSSIER must name the dossier binary");
	*tmp = helper_tmpdir();
	xasprintf(data, "%s/data", *tmp);
	xasprintf(&cmd, "'%s' --data '%s' demo %s >/dev/null", dossier, *data,
	    args);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}
