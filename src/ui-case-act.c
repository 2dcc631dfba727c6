/*
 * ui-case-act.c: what the case view does to a case besides its records:
 * assigning investigators, giving and taking back keys (the case's and
 * witnesses'), recording an event, attaching an evidence file.
 *
 * Each is a picker or a question, then one call of the same casefile
 * function the command line calls ('case assign', 'case grant', 'case
 * event', 'case add --attach'), so the checks, the journal entry and the
 * audit entry are theirs; the screen only says what happened.  After a
 * change ui->list_dirty moves, and the case view reads the case again.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "case-words.h"
#include "casefile.h"
#include "i18n.h"
#include "paths.h"
#include "record.h"
#include "session.h"
#include "ui.h"
#include "util.h"

/* Is name in the comma-separated list of the case header's field? */
static int
act_listed(const struct casefile *cf, const char *field, const char *name)
{
	return (list_has(record_get_str(cf->header, field), name));
}

/* Does name hold the key of witness rid (header "wholders": rid:name)? */
static int
act_wholder(const struct casefile *cf, uint64_t rid, const char *name)
{
	char	*item;
	int	 has;

	xasprintf(&item, "%" PRIu64 ":%s", rid, name);
	has = list_has(record_get_str(cf->header, "wholders"), item);
	free(item);
	return (has);
}

/*
 * The investigators, each marked when assigned; what the user toggles
 * is assigned or unassigned, one call each.
 */
void
ui_case_assign(struct ui *ui, const struct casefile *cf)
{
	struct account	**users = NULL;
	const char	**names, **labels;
	char		*sel, *cause = NULL, *title;
	size_t		  n = 0, i, k = 0, done = 0, failed = 0;
	int		  was;

	if (session_require(ui->ctx.sess, ACCESS_ASSIGN_CASE, &cause) != 0) {
		ui_cause(ui, cause);
		return;
	}
	if (account_list(ui->store, &users, &n, &cause) != 0) {
		ui_cause(ui, cause);
		return;
	}
	names = xcalloc(n + 1, sizeof *names);
	labels = xcalloc(n + 1, sizeof *labels);
	sel = xcalloc(n + 1, 1);
	for (i = 0; i < n; i++) {
		if (users[i]->role != ROLE_INVESTIGATOR ||
		    (users[i]->disabled &&
		    !act_listed(cf, "assignees", users[i]->name)))
			continue;
		names[k] = labels[k] = users[i]->name;
		sel[k++] = (char)act_listed(cf, "assignees", users[i]->name);
	}
	if (k == 0) {
		ui_message(ui, 1, "%s", _("There is no investigator's account "
		    "to assign."));
		goto out;
	}
	xasprintf(&title, _("Investigators assigned to %s"),
	    str_or(record_get_str(cf->header, "reference"), ""));
	if (ui_pick(ui, title, names, labels, k, 1, sel) < 0) {
		free(title);
		goto out;
	}
	free(title);
	for (i = 0; i < k; i++) {
		was = act_listed(cf, "assignees", names[i]);
		if (was == (sel[i] != 0))
			continue;
		if (casefile_assign(&ui->ctx, cf->id, names[i], sel[i] != 0,
		    &cause) != 0) {
			ui_cause(ui, cause);
			cause = NULL;
			failed++;
			break;
		}
		done++;
	}
	if (done > 0)
		ui->list_dirty++;
	if (failed == 0)
		ui_message(ui, 0, "%s", done == 0 ? _("Nothing changed.") :
		    _("The investigators assigned are changed; the case key "
		    "follows."));
out:
	free(names);
	free(labels);
	free(sel);
	account_list_free(users, n);
}

/*
 * Which key: the case key (supervisors) or the key of a witness the user
 * holds.  The selected witness comes first.  -1 when cancelled, else 0
 * with *rid (0: the case key).
 */
static int
act_pick_key(struct ui *ui, const struct casefile *cf,
    const struct casefile_rec *selected, int revoke, uint64_t *rid)
{
	const char	*me = ui->ctx.sess->user->name;
	const char	**codes, **labels;
	char		**owned;
	uint64_t	*rids;
	size_t		 i, n = 0, j;
	int		 k;

	codes = xcalloc(cf->nrecs + 2, sizeof *codes);
	labels = xcalloc(cf->nrecs + 2, sizeof *labels);
	owned = xcalloc(cf->nrecs + 2, sizeof *owned);
	rids = xcalloc(cf->nrecs + 2, sizeof *rids);
	for (j = 0; j < 2; j++) {
		for (i = 0; i < cf->nrecs; i++) {
			const struct casefile_rec *r = &cf->recs[i];

			if (strcmp(r->kind, "witness") != 0 ||
			    (j == 0) != (r == selected) ||
			    !act_wholder(cf, r->rid, me))
				continue;
			xasprintf(&owned[n], _("The key of witness %s"),
			    str_or(record_get_str(r->fields, "pseudonym"),
			    "?"));
			codes[n] = labels[n] = owned[n];
			rids[n++] = r->rid;
		}
	}
	if (access_allows(ui->ctx.sess->user->role, ACCESS_ASSIGN_CASE)) {
		codes[n] = labels[n] = _("The case key");
		rids[n++] = 0;
	}
	k = -1;
	if (n == 0)
		ui_message(ui, 1, "%s", _("You hold no key you may give or "
		    "take back here: a witness's key is given by those who "
		    "hold it, the case key by a supervisor."));
	else if (n == 1)
		k = 0;
	else
		k = ui_pick(ui, revoke ? _("Take back which key?") :
		    _("Give which key?"), codes, labels, n, 0, NULL);
	if (k >= 0)
		*rid = rids[k];
	for (i = 0; i < n; i++)
		free(owned[i]);
	free(owned);
	free(codes);
	free(labels);
	free(rids);
	return (k >= 0 ? 0 : -1);
}

/* Does name hold the key (rid 0: the case key) by a grant? */
static int
act_holds(const struct casefile *cf, uint64_t rid, const struct account *a)
{
	if (rid != 0)
		return (act_wholder(cf, rid, a->name));
	return (act_listed(cf, "grants", a->name) ||
	    act_listed(cf, "assignees", a->name));
}

/* A witness record's pseudonym, or "?" (the journal says which). */
static const char *
act_pseudonym(const struct casefile *cf, uint64_t rid)
{
	const struct casefile_rec	*r = casefile_rec(cf, rid);
	const char			*p;

	if (r != NULL && (p = record_get_str(r->fields, "pseudonym")) !=
	    NULL && *p != '\0')
		return (p);
	return ("?");
}

/*
 * Give a key to someone who has not got it, or take it back from
 * someone who was given it (revoke).
 */
void
ui_case_grant(struct ui *ui, const struct casefile *cf,
    const struct casefile_rec *selected, int revoke)
{
	struct account	**users = NULL;
	const char	**names, **labels;
	char		 *cause = NULL, *title;
	uint64_t	  rid = 0;
	size_t		  n = 0, i, k = 0;
	int		  c, rc;

	if (act_pick_key(ui, cf, selected, revoke, &rid) != 0)
		return;
	if (account_list(ui->store, &users, &n, &cause) != 0) {
		ui_cause(ui, cause);
		return;
	}
	names = xcalloc(n + 1, sizeof *names);
	labels = xcalloc(n + 1, sizeof *labels);
	for (i = 0; i < n; i++) {
		if (strcmp(users[i]->name, ui->ctx.sess->user->name) == 0 ||
		    users[i]->role == ROLE_ADMIN || (!revoke &&
		    users[i]->disabled))
			continue;
		/* A case key given by assignment is taken back so too. */
		if (revoke && (rid != 0 ? !act_wholder(cf, rid,
		    users[i]->name) : !act_listed(cf, "grants",
		    users[i]->name)))
			continue;
		if (!revoke && act_holds(cf, rid, users[i]))
			continue;
		names[k] = users[i]->name;
		labels[k++] = users[i]->name;
	}
	if (k == 0) {
		ui_message(ui, 1, "%s", revoke ? _("Nobody was given this key "
		    "here.") : _("Everyone who may read cases holds this key "
		    "already."));
		goto out;
	}
	if (rid == 0)
		title = xstrdup(revoke ? _("Take the case key back from") :
		    _("Give the case key to"));
	else
		xasprintf(&title, revoke ? _("Take the witness's key back "
		    "from") : _("Give the witness's key to"));
	c = ui_pick(ui, title, names, labels, k, 0, NULL);
	free(title);
	if (c < 0)
		goto out;
	/* Giving a key lets its holder read: asked first, by name. */
	if (!revoke) {
		if (rid == 0)
			xasprintf(&title, _("Give the case key to %s, who will "
			    "read the whole case?"), names[c]);
		else
			xasprintf(&title, _("Give the key of %s to %s, who will "
			    "read the witness's identity?"), act_pseudonym(cf,
			    rid), names[c]);
		rc = ui_confirm(ui, title);
		free(title);
		if (!rc)
			goto out;
	}
	rc = revoke ? casefile_revoke(&ui->ctx, cf->id, rid, names[c],
	    &cause) : casefile_grant(&ui->ctx, cf->id, rid, names[c], &cause);
	if (rc != 0)
		ui_cause(ui, cause);
	else {
		ui->list_dirty++;
		if (revoke)
			ui_message(ui, 0, _("%s no longer holds this key."),
			    names[c]);
		else
			ui_message(ui, 0, _("%s now holds this key (audited)."),
			    names[c]);
	}
out:
	free(names);
	free(labels);
	account_list_free(users, n);
}

/* An event: which one, a few words, then recorded in the journal. */
void
ui_case_event(struct ui *ui, const struct casefile *cf)
{
	const char	*codes[16], *labels[16];
	char		*text, *cause = NULL;
	size_t		 n;
	int		 k;

	for (n = 0; n < 16 && (codes[n] = words_event_code(n)) != NULL; n++)
		labels[n] = words_event(codes[n]);
	if ((k = ui_pick(ui, _("Record an event"), codes, labels, n, 0,
	    NULL)) < 0)
		return;
	if ((text = ui_ask(ui, _("Details (optional): "), "", 1)) == NULL)
		return;
	if (casefile_event(&ui->ctx, cf->id, codes[k], text, &cause) != 0)
		ui_cause(ui, cause);
	else {
		ui->list_dirty++;
		ui_message(ui, 0, _("Recorded: %s."), labels[k]);
	}
	free(text);
}

/*
 * A file attached to an evidence record by its path on the server: its
 * bytes encrypted into the store, its name, size and SHA-256 recorded
 * (casefile_attach, as 'case add --attach'), the SHA-256 said at once.
 */
int
ui_attach_path(struct ui *ui, uint64_t id, uint64_t rid, const char *path)
{
	const struct casefile_rec	*r;
	struct casefile			*cf;
	const char			*name;
	char				*cause = NULL;
	uint8_t				*data = NULL;
	size_t				 len = 0;
	int				 rc;

	if (file_read(path, CASEFILE_BLOB_MAX, &data, &len, &cause) != 0) {
		ui_cause(ui, cause);
		return (-1);
	}
	name = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	rc = casefile_attach(&ui->ctx, id, rid, name, data, len, &cause);
	wipe(data, len);
	free(data);
	if (rc != 0) {
		ui_cause(ui, cause);
		return (-1);
	}
	ui->list_dirty++;
	/* The figure as recorded, read back: what sha256sum must print. */
	if (casefile_open(&ui->ctx, id, 0, &cf, &cause) != 0) {
		ui_cause(ui, cause);
		return (0);
	}
	r = casefile_rec(cf, rid);
	ui_message(ui, 0, _("Attached %s (%zu bytes, encrypted). SHA-256: "
	    "%s"), name, len, r != NULL ? str_or(record_get_str(r->fields,
	    "file_sha256"), "?") : "?");
	casefile_free(cf);
	return (0);
}

/* The same, the path asked for (f in an evidence record's viewer). */
void
ui_attach(struct ui *ui, uint64_t id, uint64_t rid)
{
	char	*path;

	if (paths_restricted()) {
		ui_message(ui, 1, "%s", _("Over SSH, dossier reads no file on "
		    "the server: attaching files is not available this way."));
		return;
	}
	if ((path = ui_ask(ui, _("Path of the file to attach: "), "",
	    0)) == NULL)
		return;
	ui_attach_path(ui, id, rid, path);
	free(path);
}

/* A witness of the case whose identity the user cannot read. */
int
ui_case_sealed_witness(const struct casefile *cf)
{
	size_t	 i;

	if (cf == NULL || !cf->readable)
		return (0);
	for (i = 0; i < cf->nrecs; i++)
		if (strcmp(cf->recs[i].kind, "witness") == 0 &&
		    cf->recs[i].witness_locked)
			return (1);
	return (0);
}

/*
 * Ask for a witness's key: the selected witness, or the one sealed to
 * the user if there is only one, else a choice among them.
 */
void
ui_case_request(struct ui *ui, const struct casefile *cf,
    const struct casefile_rec *selected)
{
	const char	**codes, **labels;
	uint64_t	 *rids;
	char		 *cause = NULL;
	size_t		  i, n = 0;
	int		  k = 0;

	if (selected != NULL && (strcmp(selected->kind, "witness") != 0 ||
	    !selected->witness_locked))
		selected = NULL;
	codes = xcalloc(cf->nrecs + 1, sizeof *codes);
	labels = xcalloc(cf->nrecs + 1, sizeof *labels);
	rids = xcalloc(cf->nrecs + 1, sizeof *rids);
	for (i = 0; i < cf->nrecs; i++) {
		if (strcmp(cf->recs[i].kind, "witness") != 0 ||
		    !cf->recs[i].witness_locked || (selected != NULL &&
		    &cf->recs[i] != selected))
			continue;
		codes[n] = labels[n] = str_or(record_get_str(cf->recs[i].fields,
		    "pseudonym"), "?");
		rids[n++] = cf->recs[i].rid;
	}
	if (n == 0)
		ui_message(ui, 1, "%s", _("You can read every witness of this "
		    "case."));
	else if (n > 1)
		k = ui_pick(ui, _("Ask for the key of which witness?"), codes,
		    labels, n, 0, NULL);
	if (n > 0 && k >= 0) {
		if (casefile_key_request(&ui->ctx, cf->id, rids[k],
		    &cause) != 0)
			ui_cause(ui, cause);
		else {
			ui->list_dirty++;
			ui_message(ui, 0, _("Asked for the key of %s: its holders "
			    "will see it when they sign in."), labels[k]);
		}
	}
	free(codes);
	free(labels);
	free(rids);
}

/*
 * At sign-in: the witness keys asked of this user, in one message
 * (ui.c shows it on the first screen).
 */
void
ui_key_requests(struct ui *ui)
{
	struct casefile_request	*list;
	char			*cause = NULL, *msg, *n;
	size_t			 nl, i;

	if (!access_allows(ui->ctx.sess->user->role, ACCESS_READ_CASE))
		return;
	if (casefile_key_requests(&ui->ctx, &list, &nl, &cause) != 0) {
		ui_cause(ui, cause);
		return;
	}
	if (nl == 0)
		return;
	msg = xstrdup(_("Witness keys asked of you:"));
	for (i = 0; i < nl; i++) {
		/* TRANSLATORS: who asks, the witness's record, the case. */
		xasprintf(&n, _("%s %s for witness %" PRIu64 " of %s"), msg,
		    list[i].user, list[i].rid, list[i].reference);
		free(msg);
		msg = n;
		if (i + 1 < nl) {
			xasprintf(&n, "%s;", msg);
			free(msg);
			msg = n;
		}
	}
	xasprintf(&n, _("%s. Open the case and give the key (g) if they "
	    "should have it."), msg);
	free(msg);
	ui_message_add(ui, 0, "%s", n);
	free(n);
	casefile_requests_free(list, nl);
}
