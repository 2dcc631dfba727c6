/*
 * cli-case.c: 'dossier case ...': the batch command line for cases, so
 * that every capability of the terminal application can be scripted.
 *
 * Stored text is printed through text_clean(): nothing in a case can send
 * an escape sequence to the terminal that shows it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "account.h"
#include "case-words.h"
#include "casefile.h"
#include "cli.h"
#include "form.h"
#include "paths.h"
#include "i18n.h"
#include "record.h"
#include "session.h"
#include "store.h"
#include "text.h"
#include "util.h"
#include "workflow.h"


/* --set FIELD=VALUE options into a record. */
static int
cli_case_fields(const struct cli *c, struct record **rp)
{
	struct record	*r;
	const char	*eq;
	char		*key;
	int		 i;

	r = record_create();
	for (i = 0; i < c->nsets; i++) {
		if ((eq = strchr(c->sets[i], '=')) == NULL ||
		    eq == c->sets[i]) {
			record_free(r);
			cli_usage(_("--set takes FIELD=VALUE."));
			return (-1);
		}
		key = xstrndup(c->sets[i], eq - c->sets[i]);
		if (record_set(r, key, eq + 1, strlen(eq + 1)) != 0) {
			text_error(_("'%s' is not a valid field id."), key);
			free(key);
			record_free(r);
			return (-1);
		}
		free(key);
	}
	*rp = r;
	return (0);
}

static int
cli_case_id(struct casefile_ctx *ctx, const char *ref, uint64_t *id)
{
	char	*cause = NULL;

	if (casefile_find(ctx, ref, id, &cause) != 0) {
		cli_fail(cause);
		return (-1);
	}
	return (0);
}

static int
cli_rid(const char *s, uint64_t *rid)
{
	char	*end;

	if (strcmp(s, "intake") == 0) {
		*rid = 0;
		return (0);
	}
	errno = 0;
	*rid = strtoull(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0)
		return (cli_usage(_("RECORD is a record number or 'intake'.")),
		    -1);
	return (0);
}

static int
cli_case_new(struct cli_run *r)
{
	struct cli		*c = r->c;
	struct casefile_ctx	*ctx = r->ctx;
	struct record	*rec;
	char		*ref, *cause = NULL;
	int		 rc;

	if (c->form != NULL && strcmp(c->form, "intake") != 0)
		return (cli_usage(_("A case starts with the intake form: "
		    "--form intake.")));
	if (cli_case_fields(c, &rec) != 0)
		return (CLI_USAGE);
	rc = casefile_create(ctx, c->workflow != NULL ? c->workflow :
	    "inspection", rec, &ref, &cause);
	record_free(rec);
	if (rc != 0)
		return (cli_fail(cause));
	text_printf("%s\n", ref);
	free(ref);
	return (CLI_OK);
}

static int
cli_case_attach(struct cli *c, struct casefile_ctx *ctx, uint64_t id,
    uint64_t rid)
{
	uint8_t		*data = NULL;
	size_t		 len = 0;
	const char	*name;
	char		*cause = NULL;
	int		 rc;

	if (file_read(c->attach, CASEFILE_BLOB_MAX, &data, &len, &cause) != 0)
		return (cli_fail(cause));
	name = strrchr(c->attach, '/') != NULL ? strrchr(c->attach, '/') + 1 :
	    c->attach;
	rc = casefile_attach(ctx, id, rid, name, data, len, &cause);
	wipe(data, len);
	free(data);
	return (rc != 0 ? cli_fail(cause) : CLI_OK);
}

static int
cli_case_add(struct cli_run *r)
{
	struct cli		*c = r->c;
	struct casefile_ctx	*ctx = r->ctx;
	struct record	*rec;
	uint64_t	 id, rid;
	char		*cause = NULL;
	int		 rc;

	if (cli_case_id(ctx, r->argv[0], &id) != 0)
		return (CLI_FAIL);
	if (cli_case_fields(c, &rec) != 0)
		return (CLI_USAGE);
	rc = casefile_add(ctx, id, r->argv[1], rec, &rid, &cause);
	record_free(rec);
	if (rc != 0)
		return (cli_fail(cause));
	if (c->attach != NULL && cli_case_attach(c, ctx, id, rid) != CLI_OK)
		return (CLI_FAIL);
	text_printf("%" PRIu64 "\n", rid);
	return (CLI_OK);
}

static int
cli_case_edit(struct cli_run *r)
{
	struct cli		*c = r->c;
	struct casefile_ctx	*ctx = r->ctx;
	struct record	*rec;
	uint64_t	 id, rid;
	int64_t		 version = -1;
	char		*cause = NULL, *end;
	int		 rc;

	if (c->nsets == 0 && c->attach == NULL)
		return (cli_usage(_("Usage: dossier case edit REF RECORD --set "
		    "FIELD=VALUE ... [--if-version N] [--attach FILE]")));
	if (c->ifversion != NULL) {
		version = strtoll(c->ifversion, &end, 10);
		if (*c->ifversion == '\0' || *end != '\0' || version < 1)
			return (cli_usage(_("--if-version takes a version "
			    "number.")));
	}
	if (cli_rid(r->argv[1], &rid) != 0)
		return (CLI_USAGE);
	if (cli_case_id(ctx, r->argv[0], &id) != 0)
		return (CLI_FAIL);
	if (c->nsets != 0) {
		if (cli_case_fields(c, &rec) != 0)
			return (CLI_USAGE);
		rc = casefile_edit(ctx, id, rid, rec, version, &cause);
		record_free(rec);
		if (rc != 0)
			return (cli_fail(cause));
	}
	if (c->attach != NULL)
		return (cli_case_attach(c, ctx, id, rid));
	return (CLI_OK);
}

/* Who a record of the case is, for a field naming it: a name or a pseudonym. */
static const char *
cli_person(const struct casefile *cf, const char *v)
{
	const char	*name;
	uint64_t	 rid = strtoull(v, NULL, 10);
	size_t		 i;

	for (i = 0; cf != NULL && i < cf->nrecs; i++) {
		if (cf->recs[i].rid != rid || cf->recs[i].locked)
			continue;
		if ((name = record_get_str(cf->recs[i].fields,
		    "full_name")) != NULL && *name != '\0')
			return (name);
		return (record_get_str(cf->recs[i].fields, "pseudonym"));
	}
	return (NULL);
}

/*
 * A field's value as a user reads it: list codes become labels, yes or
 * no words, a record of the case its number and who it is.
 */
static void
cli_print_value(const struct formset *forms, const struct casefile *cf,
    const struct form_field *f, const char *v, size_t len)
{
	const char		*label;
	char			*copy, *tok, *save, *clean;
	int			 first = 1;

	if (f != NULL && f->type == FORM_YESNO && (strcmp(v, "yes") == 0 ||
	    strcmp(v, "no") == 0)) {
		text_printf("%s", strcmp(v, "yes") == 0 ? _("yes") : _("no"));
		return;
	}
	if (f != NULL && f->type == FORM_PERSON &&
	    (label = cli_person(cf, v)) != NULL) {
		clean = text_clean(label, strlen(label), 0);
		copy = text_clean(v, len, 0);
		text_printf("%s (%s)", copy, clean);
		free(copy);
		free(clean);
		return;
	}

	if (f != NULL && f->list != NULL &&
	    formset_list(forms, f->list) != NULL) {
		copy = xstrndup(v, len);
		for (tok = strtok_r(copy, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			label = form_list_label(forms, f->list, tok);
			clean = text_clean(label, strlen(label), 0);
			text_printf("%s%s", first ? "" : ", ", clean);
			free(clean);
			first = 0;
		}
		free(copy);
		return;
	}
	if (f != NULL && f->type == FORM_FILE) {
		clean = text_clean(v, len, 0);
		text_printf("%s", clean);
		free(clean);
		return;
	}
	clean = text_clean(v, len, TEXT_NEWLINES | TEXT_TABS);
	for (tok = clean; *tok != '\0'; tok++) {
		putchar(*tok);
		if (*tok == '\n')
			fputs("      ", stdout);
	}
	free(clean);
}

static void
cli_print_record(const struct casefile_ctx *ctx, const struct casefile *cf,
    const struct casefile_rec *r)
{
	const struct form	*fm = formset_form(ctx->forms, r->kind);
	const struct form_field	*f;
	const char		*key, *v;
	char			 when[17];
	size_t			 i, len;
	int			 l = lang_index();

	format_time(r->at, when);
	text_printf("\n%s %" PRIu64 " (v%" PRId64 ", %s, %s)", fm != NULL ?
	    fm->title[l] : r->kind, r->rid, r->version, r->by, when);
	if ((v = record_get_str(r->fields, "pseudonym")) != NULL)
		text_printf(" %s", v);
	text_printf("\n");
	if (r->locked) {
		text_printf("  %s\n", _("(sealed: you do not hold the case key)"));
		return;
	}
	if (r->witness_locked)
		text_printf("  %s\n", _("(identity sealed: shown by pseudonym only)"));
	/* Fields in the form's order, then any the form no longer knows. */
	for (i = 0; fm != NULL && i < fm->nfields; i++) {
		f = &fm->fields[i];
		if (r->rid == 0 && f->class == FORM_HEADER &&
		    strcmp(f->id, "reference") == 0)
			continue;
		if ((v = record_get(r->fields, f->id, &len)) == NULL || len == 0)
			continue;
		/* TRANSLATORS: a field label then its value. */
		text_printf(_("  %s: "), f->label[l]);
		cli_print_value(ctx->forms, cf, f, v, len);
		text_printf("\n");
	}
	for (i = 0; i < record_count(r->fields); i++) {
		key = record_key_at(r->fields, i);
		if (fm != NULL && form_field(fm, key) != NULL)
			continue;
		if (r->rid == 0)
			continue;	/* header bookkeeping */
		v = record_value_at(r->fields, i, &len);
		text_printf("  [%s] ", key);
		cli_print_value(ctx->forms, cf, NULL, v, len);
		text_printf("\n");
	}
}

static void
cli_print_header(const struct casefile_ctx *ctx, const struct casefile *cf)
{
	const struct workflow		*wf;
	const struct workflow_transition *tr;
	struct workflow_clock		 clock;
	const char			*state, *ref;
	char				 day[11];
	long				 today = casefile_today(), late;
	size_t				 i, j;
	int				 l = lang_index(), first = 1;

	ref = record_get_str(cf->header, "reference");
	state = record_get_str(cf->header, "state");
	wf = workflow_find(ctx->flows, record_get_str(cf->header, "workflow") ?
	    record_get_str(cf->header, "workflow") : "");
	text_printf(_("%s  %s: %s (%s)\n"), ref != NULL ? ref : "?",
	    wf != NULL ? wf->title[l] : "?", state != NULL ? state : "?",
	    wf != NULL && state != NULL ? workflow_state_label(wf, state) :
	    "?");
	casefile_clock(cf->header, &clock);
	if (clock.deadline != 0) {
		format_day(clock.deadline, day);
		late = workflow_overdue(&clock, today);
		if (late > 0)
			text_printf(_("Deadline: %s (overdue by %ld days)\n"), day,
			    late);
		else
			text_printf(_("Deadline: %s\n"), day);
	} else if (clock.paused_since != 0)
		text_printf("%s\n", _("Deadline: clock paused"));
	text_printf(_("Paused days: %ld  Version: %" PRId64 "  Assigned: %s\n"),
	    workflow_paused_total(&clock, today),
	    record_get_int(cf->header, "version", 0),
	    str_or(record_get_str(cf->header, "assignees"), "-"));
	if (wf == NULL || state == NULL)
		return;
	for (i = 0; i < wf->ntransitions; i++) {
		tr = &wf->transitions[i];
		for (j = 0; j < tr->nfrom; j++) {
			if (strcmp(tr->from[j], state) != 0 ||
			    (tr->roles & (1U << ctx->sess->user->role)) == 0)
				continue;
			text_printf("%s %s (%s%s)", first ? _("Moves:") : ",",
			    tr->id, tr->label[l], tr->reason ?
			    _(", reason required") : "");
			first = 0;
		}
	}
	if (!first)
		text_printf("\n");
}

static int
cli_case_show_check(struct cli_run *r)
{
	const char	*f = r->c->format;

	if (f != NULL && strcmp(f, "text") != 0 && strcmp(f, "json") != 0)
		return (cli_usage(_("--format takes text or json.")));
	return (CLI_OK);
}

static int
cli_case_show(struct cli_run *r)
{
	struct cli		*c = r->c;
	struct casefile_ctx	*ctx = r->ctx;
	struct casefile	*cf;
	uint64_t	 id;
	char		*cause = NULL;
	size_t		 i;
	int		 rc = CLI_OK;

	if (cli_case_id(ctx, r->argv[0], &id) != 0)
		return (CLI_FAIL);
	if (casefile_open(ctx, id, CASEFILE_WITNESSES, &cf, &cause) != 0)
		return (cli_fail(cause));
	if (c->format != NULL && strcmp(c->format, "json") == 0)
		rc = cli_case_json_show(ctx, cf);
	else {
		cli_print_header(ctx, cf);
		if (!cf->readable)
			text_printf("%s\n", _("You do not hold this case's key: only "
			    "its header is shown."));
		for (i = 0; i < cf->nrecs; i++)
			cli_print_record(ctx, cf, &cf->recs[i]);
	}
	casefile_free(cf);
	return (rc);
}

static int
cli_case_list_check(struct cli_run *r)
{
	const char	*f = r->c->format;

	if (f != NULL && strcmp(f, "tsv") != 0 && strcmp(f, "json") != 0 &&
	    strcmp(f, "text") != 0)
		return (cli_usage(_("--format takes text, tsv or json.")));
	return (CLI_OK);
}

/*
 * The columns of 'case list' as text, 80 wide: in the user's words
 * (labels, dates as the screens show them, "first +N" investigators),
 * laid out by display width, a text too long for its column cut with an
 * ellipsis.  The codes, the force and every investigator are in tsv and
 * json.
 */
static const struct {
	const char	*title;
	int		 width;
} cli_list_cols[] = {
	{ N_("Reference"), 16 }, { N_("State"), 24 }, { N_("Region"), 10 },
	{ N_("Assigned"), 11 }, { N_("Deadline"), 10 }, { N_("Late"), 0 }
};
#define CLI_LIST_NCOLS	(sizeof cli_list_cols / sizeof cli_list_cols[0])

static void
cli_list_row(const char *cell[CLI_LIST_NCOLS])
{
	char	*line = xstrdup(""), *fit, *n;
	size_t	 i;

	for (i = 0; i < CLI_LIST_NCOLS; i++) {
		if (cli_list_cols[i].width == 0)
			fit = xstrdup(cell[i]);
		else
			fit = text_fit(cell[i], cli_list_cols[i].width,
			    TEXT_PAD);
		xasprintf(&n, "%s%s%s", line, i > 0 ? " " : "", fit);
		free(fit);
		free(line);
		line = n;
	}
	/* No trailing spaces where the last columns are empty. */
	for (i = strlen(line); i > 0 && line[i - 1] == ' '; i--)
		line[i - 1] = '\0';
	text_printf("%s\n", line);
	free(line);
}

static void
cli_list_heading(void)
{
	const char	*cell[CLI_LIST_NCOLS];
	size_t		 i;

	for (i = 0; i < CLI_LIST_NCOLS; i++)
		cell[i] = _(cli_list_cols[i].title);
	cli_list_row(cell);
}

static void
cli_case_text(struct cli_run *r, const struct casefile_summary *cs,
    const char *day)
{
	const struct record	*h = cs->header;
	const char		*cell[CLI_LIST_NCOLS], *as, *p;
	char			*shown, *who, late[24];
	size_t			 more = 0;

	as = str_or(record_get_str(h, "assignees"), "");
	for (p = as; (p = strchr(p, ',')) != NULL; p++)
		more++;
	if (*as == '\0')
		who = xstrdup("-");
	else if (more == 0)
		who = xstrdup(as);
	else
		xasprintf(&who, "%.*s +%zu", (int)strcspn(as, ","), as, more);
	shown = day != NULL ? form_value_show(FORM_DATE, day) : xstrdup("-");
	if (cs->overdue > 0)
		snprintf(late, sizeof late, "+%ld", cs->overdue);
	else
		late[0] = '\0';
	cell[0] = str_or(record_get_str(h, "reference"), "?");
	cell[1] = workflow_state_label(workflow_find(r->ctx->flows,
	    str_or(record_get_str(h, "workflow"), "")),
	    str_or(record_get_str(h, "state"), ""));
	cell[2] = form_label(r->ctx->forms, "intake", "region",
	    str_or(record_get_str(h, "region"), "-"));
	cell[3] = who;
	cell[4] = shown;
	cell[5] = late;
	cli_list_row(cell);
	free(shown);
	free(who);
}

/* One line of 'case list' (text, tsv or json). */
static void
cli_case_line(struct cli_run *r, const struct casefile_summary *cs,
    int first)
{
	struct cli		*c = r->c;
	const struct record	*h = cs->header;
	struct workflow_clock	 clock;
	const char		*cat = record_get_str(h, "categories");
	char			 day[11], *clean;
	int			 tsv;

	tsv = c->format != NULL && strcmp(c->format, "tsv") == 0;
	casefile_clock(h, &clock);
	if (clock.deadline != 0)
		format_day(clock.deadline, day);
	else
		snprintf(day, sizeof day, "-");
	clean = text_clean(cat != NULL ? cat : "", strlen(cat != NULL ? cat :
	    ""), 0);
	if (c->format != NULL && strcmp(c->format, "json") == 0) {
		text_printf("%s\n {\"reference\": \"%s\", \"state\": \"%s\", "
		    "\"workflow\": \"%s\", \"region\": \"%s\", "
		    "\"force\": \"%s\", \"assignees\": \"%s\", "
		    "\"deadline\": \"%s\", \"overdue_days\": %ld}",
		    first ? "" : ",", record_get_str(h, "reference"),
		    record_get_str(h, "state"),
		    record_get_str(h, "workflow"),
		    record_get_str(h, "region") ?
		    record_get_str(h, "region") : "",
		    record_get_str(h, "force") ?
		    record_get_str(h, "force") : "",
		    record_get_str(h, "assignees"), day, cs->overdue);
	} else if (!tsv) {
		cli_case_text(r, cs, clock.deadline != 0 ? day : NULL);
	} else
		text_printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%ld\n",
		    record_get_str(h, "reference"),
		    record_get_str(h, "state"),
		    record_get_str(h, "region") ?
		    record_get_str(h, "region") : "-",
		    record_get_str(h, "force") ?
		    record_get_str(h, "force") : "-",
		    *record_get_str(h, "assignees") != '\0' ?
		    record_get_str(h, "assignees") : "-", day, clean,
		    cs->overdue);
	free(clean);
}

#define CLI_LIST_CHUNK	512

/*
 * Streamed: the ids from the header indexes (8 bytes a case), oldest
 * first, then the headers read and printed CLI_LIST_CHUNK at a time, so
 * memory stays flat whatever the number of cases.
 */
/* Whether code is one of list's, ", " between them. */
static int
cli_listed(const char *list, const char *code)
{
	const char	*p = list;
	size_t		 len = strlen(code);

	while ((p = strstr(p, code)) != NULL) {
		if ((p == list || p[-1] == ' ') && (p[len] == ',' ||
		    p[len] == '\0'))
			return (1);
		p += len;
	}
	return (0);
}

/*
 * The filters of 'case list' named as the forms name them: a region by
 * its code, or by its label in either language (what the screens show);
 * each state by its id in a workflow.  Anything else is refused with
 * what there is, rather than listing no case.
 */
static int
cli_case_list_names(struct cli_run *r, const char **region, char **cause)
{
	const struct form		*fm;
	const struct form_field		*ff;
	const struct form_list		*l = NULL;
	const struct workflow_set	*flows = r->ctx->flows;
	const struct workflow		*wf;
	char				*copy, *tok, *save, *all = NULL, *n;
	size_t				 i, j, k;
	int				 found, rc = 0;

	*region = r->c->region;
	if (r->c->region != NULL && r->ctx->forms != NULL &&
	    (fm = formset_form(r->ctx->forms, "intake")) != NULL &&
	    (ff = form_field(fm, "region")) != NULL && ff->list != NULL)
		l = formset_list(r->ctx->forms, ff->list);
	if (l != NULL && form_list_item(l, r->c->region) == NULL) {
		for (i = 0; i < l->nitems && *region == r->c->region; i++)
			for (k = 0; k < FORM_NLANG; k++)
				if (l->items[i].label[k] != NULL &&
				    strcasecmp(l->items[i].label[k],
				    r->c->region) == 0)
					*region = l->items[i].code;
		if (*region == r->c->region) {
			for (i = 0; i < l->nitems; i++) {
				xasprintf(&n, "%s%s%s", all != NULL ? all : "",
				    all != NULL ? ", " : "", l->items[i].code);
				free(all);
				all = n;
			}
			rc = err_set(cause, _("There is no region \"%s\"; "
			    "the regions are: %s."), r->c->region, all);
			free(all);
			return (rc);
		}
	}
	if (r->c->state == NULL || flows == NULL)
		return (0);
	copy = xstrdup(r->c->state);
	for (tok = strtok_r(copy, ",", &save); rc == 0 && tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		for (found = 0, j = 0; !found && j < flows->n; j++) {
			wf = flows->list[j];
			found = (r->c->workflow == NULL || strcmp(wf->id,
			    r->c->workflow) == 0) && workflow_state(wf,
			    tok) != NULL;
		}
		if (found)
			continue;
		for (j = 0; j < flows->n; j++) {
			wf = flows->list[j];
			if (r->c->workflow != NULL && strcmp(wf->id,
			    r->c->workflow) != 0)
				continue;
			for (i = 0; i < wf->nstates; i++) {
				if (all != NULL && cli_listed(all,
				    wf->states[i].id))
					continue;	/* in two workflows */
				xasprintf(&n, "%s%s%s", all != NULL ? all : "",
				    all != NULL ? ", " : "", wf->states[i].id);
				free(all);
				all = n;
			}
		}
		rc = err_set(cause, _("There is no state \"%s\"; the states "
		    "are: %s."), tok, all != NULL ? all : "");
		free(all);
	}
	free(copy);
	return (rc);
}

static int
cli_case_list(struct cli_run *r)
{
	struct cli		*c = r->c;
	struct casefile_ctx	*ctx = r->ctx;
	struct casefile_filter	 f;
	struct casefile_summary	*list;
	struct account		*a;
	uint64_t		*ids, t;
	char			*cause = NULL;
	size_t			 n, i, j, k;

	memset(&f, 0, sizeof f);
	if (cli_case_list_names(r, &f.region, &cause) != 0)
		return (cli_fail(cause));
	/* An account, even disabled (named on its old cases): a name
	 * mistyped lists nothing and would say so no other way. */
	if (c->assignee != NULL) {
		if (account_get(r->store, c->assignee, &a, &cause) != 0)
			return (cli_fail(cause));
		account_free(a);
	}
	f.state = c->state;
	f.assignee = c->assignee;
	f.workflow = c->workflow;
	f.overdue = c->overdue;
	if (casefile_ids(ctx, &f, CASEFILE_SORT_REFERENCE, &ids, &n,
	    &cause) != 0)
		return (cli_fail(cause));
	for (i = 0; i < n / 2; i++) {
		t = ids[i];
		ids[i] = ids[n - 1 - i];
		ids[n - 1 - i] = t;
	}
	if (c->format != NULL && strcmp(c->format, "json") == 0)
		text_printf("[");
	else if (c->format == NULL || strcmp(c->format, "text") == 0)
		cli_list_heading();
	for (i = 0; i < n; i += k) {
		k = n - i < CLI_LIST_CHUNK ? n - i : CLI_LIST_CHUNK;
		if (casefile_summaries(ctx, ids + i, k, &list, &cause) != 0) {
			free(ids);
			return (cli_fail(cause));
		}
		for (j = 0; j < k; j++)
			cli_case_line(r, &list[j], i + j == 0);
		casefile_list_free(list, k);
	}
	if (c->format != NULL && strcmp(c->format, "json") == 0)
		fputs(n != 0 ? "\n]\n" : "]\n", stdout);
	free(ids);
	return (CLI_OK);
}

static int
cli_case_assign_set(struct cli_run *r, int assign)
{
	uint64_t	 id;
	char		*cause = NULL;

	if (cli_case_id(r->ctx, r->argv[0], &id) != 0)
		return (CLI_FAIL);
	if (casefile_assign(r->ctx, id, r->argv[1], assign, &cause) != 0)
		return (cli_fail(cause));
	return (CLI_OK);
}

static int
cli_case_assign(struct cli_run *r)
{
	return (cli_case_assign_set(r, 1));
}

static int
cli_case_unassign(struct cli_run *r)
{
	return (cli_case_assign_set(r, 0));
}

static int
cli_case_move(struct cli_run *r)
{
	struct cli		*c = r->c;
	struct casefile_ctx	*ctx = r->ctx;
	uint64_t	 id;
	char		*cause = NULL;

	if (cli_case_id(ctx, r->argv[0], &id) != 0)
		return (CLI_FAIL);
	if (casefile_move(ctx, id, r->argv[1], c->reason, &cause) != 0)
		return (cli_fail(cause));
	return (CLI_OK);
}

static int
cli_case_event(struct cli_run *r)
{
	struct cli		*c = r->c;
	struct casefile_ctx	*ctx = r->ctx;
	uint64_t	 id;
	char		*cause = NULL;

	if (cli_case_id(ctx, r->argv[0], &id) != 0)
		return (CLI_FAIL);
	if (casefile_event(ctx, id, r->argv[1], c->reason, &cause) != 0)
		return (cli_fail(cause));
	return (CLI_OK);
}

/* 'case grant' and 'case revoke': the same arguments. */
static int
cli_case_holder(struct cli_run *r, int (*fn)(struct casefile_ctx *, uint64_t,
    uint64_t, const char *, char **))
{
	uint64_t	 id, rid = 0;
	char		*cause = NULL;

	if (r->c->witness != NULL && (cli_rid(r->c->witness, &rid) != 0 ||
	    rid == 0))
		return (CLI_USAGE);
	if (cli_case_id(r->ctx, r->argv[0], &id) != 0)
		return (CLI_FAIL);
	if (fn(r->ctx, id, rid, r->argv[1], &cause) != 0)
		return (cli_fail(cause));
	return (CLI_OK);
}

static int
cli_case_grant(struct cli_run *r)
{
	return (cli_case_holder(r, casefile_grant));
}

static int
cli_case_revoke(struct cli_run *r)
{
	return (cli_case_holder(r, casefile_revoke));
}

static int
cli_case_history_check(struct cli_run *r)
{
	const char	*f = r->c->format;

	if (f != NULL && strcmp(f, "text") != 0 && strcmp(f, "tsv") != 0)
		return (cli_usage(_("--format takes text or tsv.")));
	return (CLI_OK);
}

/* Text wrapped at words to cols, its rows after the first indented two
 * more than the first (indent 0 or 4). */
static void
cli_print_wrapped(const char *text, int indent, int cols)
{
	char	**rows;
	size_t	  n, i;

	n = text_wrap(text, cols - indent, &rows);
	for (i = 0; i < n; i++) {
		text_printf("%s%s\n", i == 0 ? "" : indent == 0 ? "  " :
		    "      ", rows[i]);
		free(rows[i]);
	}
	free(rows);
}

/*
 * The journal, oldest first.  As text, in the words of the screens' own
 * journal: when, who, what was done, then each field changed, old and
 * new, by its label.  As tsv, the codes: when, who, what, the record
 * number, then each stored key=value.
 */
static int
cli_case_history(struct cli_run *r)
{
	struct casefile_ctx	*ctx = r->ctx;
	const struct workflow	*wf;
	struct casefile		*cf;
	struct casefile_event	*e;
	uint64_t		 id;
	const char		*key;
	const void		*v;
	char			*cause = NULL, when[17], *clean, *what, *line;
	char			**changes;
	size_t			 i, j, len, nc;
	int			 tsv;

	tsv = r->c->format != NULL && strcmp(r->c->format, "tsv") == 0;
	if (cli_case_id(ctx, r->argv[0], &id) != 0)
		return (CLI_FAIL);
	if (casefile_open(ctx, id, CASEFILE_JOURNAL | CASEFILE_WITNESSES, &cf,
	    &cause) != 0)
		return (cli_fail(cause));
	wf = workflow_find(ctx->flows, str_or(record_get_str(cf->header,
	    "workflow"), ""));
	for (i = 0; i < cf->njournal; i++) {
		e = &cf->journal[i];
		if (!tsv) {
			what = words_journal(ctx->forms, wf, cf, e);
			line = words_time(e->at);
			xasprintf(&clean, "%s  %s  %s", line, e->by, what);
			cli_print_wrapped(clean, 0, 80);
			free(clean);
			free(line);
			free(what);
			changes = words_changes(ctx->forms, cf, e, &nc);
			for (j = 0; j < nc; j++) {
				xasprintf(&line, "    %s", changes[j]);
				cli_print_wrapped(line, 4, 80);
				free(line);
			}
			words_free(changes, nc);
			continue;
		}
		format_time(e->at, when);
		text_printf("%s\t%s\t%s\t", when, e->by, e->what);
		if (e->rid != 0)
			text_printf("%" PRIu64, e->rid);
		for (j = 0; j < record_count(e->body); j++) {
			key = record_key_at(e->body, j);
			if (strcmp(key, "at") == 0 || strcmp(key, "by") == 0 ||
			    strcmp(key, "what") == 0 || strcmp(key, "rid") == 0)
				continue;
			v = record_value_at(e->body, j, &len);
			clean = text_clean(v, len, 0);
			text_printf("\t%s=%s", key, clean);
			free(clean);
		}
		text_printf("\n");
	}
	casefile_free(cf);
	return (CLI_OK);
}

static int
cli_case_agent(struct cli_run *r)
{
	struct casefile_ctx	*ctx = r->ctx;
	struct casefile	*cf;
	uint64_t	*ids;
	size_t		 n, i;
	char		*cause = NULL;

	if (casefile_agent_cases(ctx, r->argv[0], &ids, &n, &cause) != 0)
		return (cli_fail(cause));
	for (i = 0; i < n; i++) {
		if (casefile_open(ctx, ids[i], 0, &cf, &cause) != 0) {
			free(ids);
			return (cli_fail(cause));
		}
		text_printf("%s\t%s\n", record_get_str(cf->header, "reference"),
		    record_get_str(cf->header, "state"));
		casefile_free(cf);
	}
	free(ids);
	return (CLI_OK);
}

static int
cli_case_file(struct cli_run *r)
{
	struct cli		*c = r->c;
	struct casefile_ctx	*ctx = r->ctx;
	uint64_t	 id, rid;
	uint8_t		*data;
	size_t		 len;
	char		*cause = NULL;
	FILE		*f;

	if (c->out == NULL)
		return (cli_usage(_("Usage: dossier case file REF RECORD --out "
		    "FILE")));
	if (cli_rid(r->argv[1], &rid) != 0)
		return (CLI_USAGE);
	if (cli_case_id(ctx, r->argv[0], &id) != 0)
		return (CLI_FAIL);
	if (casefile_blob(ctx, id, rid, &data, &len, &cause) != 0)
		return (cli_fail(cause));
	if ((f = file_create_private(c->out, &cause)) == NULL) {
		wipe(data, len);
		free(data);
		return (cli_fail(cause));
	}
	if (fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		wipe(data, len);
		free(data);
		return (cli_fail(xstrdup(_("Cannot write the file."))));
	}
	wipe(data, len);
	free(data);
	return (CLI_OK);
}

const struct cli_command cli_case_commands[] = {
	{ "case new", N_("[--workflow inspection|monitoring] --set FIELD=VALUE "
	    "..."), N_("register a complaint; prints its reference"),
	    CLI_OPT_FORM | CLI_OPT_WORKFLOW | CLI_OPT_SET, 0, 0, CLI_CASES,
	    cli_case_new, NULL },
	{ "case add", N_("REF KIND --set FIELD=VALUE ... [--attach FILE]"),
	    N_("add a person, agent, allegation, witness, hearing, evidence, "
	    "report or decision; prints its number"),
	    CLI_OPT_SET | CLI_OPT_ATTACH, 2, 2, CLI_CASES, cli_case_add, NULL },
	{ "case edit", N_("REF RECORD --set FIELD=VALUE ... [--if-version N]"),
	    NULL, CLI_OPT_SET | CLI_OPT_IFVERSION | CLI_OPT_ATTACH, 2, 2,
	    CLI_CASES, cli_case_edit, NULL },
	{ "case show", N_("REF [--format text|json]"), NULL, CLI_OPT_FORMAT,
	    1, 1, CLI_CASES, cli_case_show, cli_case_show_check },
	{ "case list", N_("[--state S] [--assignee U] [--region R] "
	    "[--overdue] [--format text|tsv|json]"), NULL,
	    CLI_OPT_STATE | CLI_OPT_ASSIGNEE | CLI_OPT_REGION |
	    CLI_OPT_OVERDUE | CLI_OPT_FORMAT | CLI_OPT_WORKFLOW, 0, 0,
	    CLI_CASES, cli_case_list, cli_case_list_check },
	{ "case assign", N_("REF USER"), NULL, 0, 2, 2, CLI_CASES,
	    cli_case_assign, NULL },
	{ "case unassign", N_("REF USER"), NULL, 0, 2, 2, CLI_CASES,
	    cli_case_unassign, NULL },
	{ "case move", N_("REF STATE [--reason TEXT]"), NULL, CLI_OPT_REASON,
	    2, 2, CLI_CASES, cli_case_move, NULL },
	{ "case event", N_("REF EVENT [--reason TEXT]"), NULL, CLI_OPT_REASON,
	    2, 2, CLI_CASES, cli_case_event, NULL },
	{ "case grant", N_("REF USER [--witness RECORD]"), NULL,
	    CLI_OPT_WITNESS, 2, 2, CLI_CASES, cli_case_grant, NULL },
	{ "case revoke", N_("REF USER [--witness RECORD]"), NULL,
	    CLI_OPT_WITNESS, 2, 2, CLI_CASES, cli_case_revoke, NULL },
	{ "case history", N_("REF [--format text|tsv]"), NULL, CLI_OPT_FORMAT,
	    1, 1, CLI_CASES, cli_case_history, cli_case_history_check },
	{ "case agent", N_("SERVICE_NUMBER"), NULL, 0, 1, 1, CLI_CASES,
	    cli_case_agent, NULL },
	{ "case file", N_("REF RECORD --out FILE"), NULL, CLI_OPT_OUT, 2, 2,
	    CLI_CASES, cli_case_file, NULL },
	{ "case export-json", N_("REF... [--out FILE]"), NULL, CLI_OPT_OUT, 1,
	    -1, CLI_CASES, cli_case_json_export, NULL },
	{ "case import", N_("FILE.json"), NULL, 0, 1, 1, CLI_CASES,
	    cli_case_json_import, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL }
};
