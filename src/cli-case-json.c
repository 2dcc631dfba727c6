/*
 * cli-case-json.c: 'case export-json', 'case import' and 'case show
 * --format json' (format in docs/FORMAT.md, "JSON cases").
 *
 * An import is checked whole against the forms and workflows before
 * anything is written, then written in one transaction: a file with one
 * bad record leaves the store as it was, and the message names the
 * record.
 */
#include "config.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "casefile.h"
#include "cli.h"
#include "form.h"
#include "i18n.h"
#include "record.h"
#include "session.h"
#include "store.h"
#include "text.h"
#include "util.h"
#include "workflow.h"

#define JSON_FORMAT	"dossier-cases"
#define JSON_VERSION	1

int	cli_case_json_check(struct casefile_ctx *, const char *, size_t,
	    char **);

static json_t *
json_fields(const struct record *r, const struct form *fm, int rid0)
{
	json_t		*o = json_object();
	const char	*key;
	const void	*v;
	size_t		 i, len;

	for (i = 0; i < record_count(r); i++) {
		key = record_key_at(r, i);
		/* The intake shows header bookkeeping only if it is a field. */
		if (rid0 && (fm == NULL || form_field(fm, key) == NULL))
			continue;
		if (rid0 && strcmp(key, "reference") == 0)
			continue;
		v = record_value_at(r, i, &len);
		json_object_set_new(o, key, json_stringn(v, len));
	}
	return (o);
}

static json_t *
json_case(struct casefile_ctx *ctx, const struct casefile *cf)
{
	const struct casefile_rec	*r;
	struct workflow_clock		 clock;
	json_t				*o, *recs, *jr, *as;
	const char			*assignees, *p, *q;
	char				 day[11];
	size_t				 i;

	o = json_object();
	json_object_set_new(o, "reference",
	    json_string(record_get_str(cf->header, "reference")));
	json_object_set_new(o, "workflow",
	    json_string(record_get_str(cf->header, "workflow")));
	json_object_set_new(o, "state",
	    json_string(record_get_str(cf->header, "state")));
	as = json_array();
	assignees = record_get_str(cf->header, "assignees");
	for (p = assignees; p != NULL && *p != '\0'; p = *q ? q + 1 : q) {
		q = strchr(p, ',') != NULL ? strchr(p, ',') : p + strlen(p);
		json_array_append_new(as, json_stringn(p, q - p));
	}
	json_object_set_new(o, "assignees", as);
	casefile_clock(cf->header, &clock);
	if (clock.deadline != 0) {
		format_day(clock.deadline, day);
		json_object_set_new(o, "deadline", json_string(day));
	}
	json_object_set_new(o, "overdue_days", json_integer(
	    workflow_overdue(&clock, casefile_today())));
	json_object_set_new(o, "paused_days", json_integer(
	    workflow_paused_total(&clock, casefile_today())));
	json_object_set_new(o, "readable", json_boolean(cf->readable));
	recs = json_array();
	for (i = 0; i < cf->nrecs; i++) {
		r = &cf->recs[i];
		if (r->rid == 0) {
			json_object_set_new(o, "intake", json_fields(r->fields,
			    formset_form(ctx->forms, "intake"), 1));
			continue;
		}
		jr = json_object();
		json_object_set_new(jr, "id", json_integer((json_int_t)r->rid));
		json_object_set_new(jr, "kind", json_string(r->kind));
		json_object_set_new(jr, "version", json_integer(r->version));
		if (r->witness_locked)
			json_object_set_new(jr, "identity_sealed", json_true());
		json_object_set_new(jr, "fields", json_fields(r->fields, NULL,
		    0));
		json_array_append_new(recs, jr);
	}
	json_object_set_new(o, "records", recs);
	return (o);
}

static json_t *
json_document(void)
{
	json_t	*doc = json_object();

	json_object_set_new(doc, "format", json_string(JSON_FORMAT));
	json_object_set_new(doc, "version", json_integer(JSON_VERSION));
	json_object_set_new(doc, "cases", json_array());
	return (doc);
}

static int
json_write(json_t *doc, const char *out)
{
	FILE	*f = stdout;
	char	*cause = NULL;
	int	 rc = CLI_OK;

	/* Witness identities included: the owner's eyes only. */
	if (out != NULL && (f = file_create_private(out, &cause)) == NULL)
		return (cli_fail(cause));
	if (json_dumpf(doc, f, JSON_INDENT(1) | JSON_ENSURE_ASCII) != 0 ||
	    fputc('\n', f) == EOF)
		rc = CLI_FAIL;
	if (out != NULL && fclose(f) != 0)
		rc = CLI_FAIL;
	if (rc != CLI_OK)
		text_error("%s", _("Cannot write the JSON output."));
	return (rc);
}

int
cli_case_json_show(struct casefile_ctx *ctx, const struct casefile *cf)
{
	json_t	*doc = json_document();
	int	 rc;

	json_array_append_new(json_object_get(doc, "cases"),
	    json_case(ctx, cf));
	rc = json_write(doc, NULL);
	json_decref(doc);
	return (rc);
}

int
cli_case_json_export(struct cli_run *r)
{
	struct cli		*c = r->c;
	struct casefile_ctx	*ctx = r->ctx;
	struct casefile	*cf;
	uint64_t	 id;
	json_t		*doc;
	char		*cause = NULL;
	int		 i, rc;

	doc = json_document();
	for (i = 0; i < r->argc; i++) {
		if (casefile_find(ctx, r->argv[i], &id, &cause) != 0 ||
		    casefile_open(ctx, id, CASEFILE_WITNESSES, &cf,
		    &cause) != 0) {
			json_decref(doc);
			text_error("%s", cause);
			free(cause);
			return (CLI_FAIL);
		}
		json_array_append_new(json_object_get(doc, "cases"),
		    json_case(ctx, cf));
		casefile_free(cf);
	}
	rc = json_write(doc, c->out);
	json_decref(doc);
	return (rc);
}

/* One case of an import, checked. */
struct import_case {
	const char	*workflow;
	const char	*state;
	struct record	*intake;
	const char	**kinds;
	struct record	**recs;
	size_t		  nrecs;
};

struct import {
	struct casefile_ctx	*ctx;
	struct import_case	*cases;
	size_t			 n;
	char			**refs;
};

static int
import_fields(json_t *obj, struct record **rp, char **cause)
{
	struct record	*r;
	const char	*key;
	json_t		*v;

	if (!json_is_object(obj))
		return (err_set(cause, _("'fields' must be an object")));
	r = record_create();
	json_object_foreach(obj, key, v) {
		if (!json_is_string(v) || record_set(r, key, json_string_value(v),
		    json_string_length(v)) != 0) {
			record_free(r);
			return (err_set(cause, _("field '%.64s' must be a "
			    "string with a valid field id"), key));
		}
	}
	*rp = r;
	return (0);
}

static int
import_case(struct import *im, json_t *jc, struct import_case *ic,
    char **cause)
{
	const struct workflow	*wf;
	const struct form	*fm;
	json_t			*recs, *jr;
	const char		*kind;
	size_t			 i;

	ic->workflow = json_string_value(json_object_get(jc, "workflow"));
	if (ic->workflow == NULL)
		ic->workflow = "inspection";
	if ((wf = workflow_find(im->ctx->flows, ic->workflow)) == NULL)
		return (err_set(cause, _("unknown workflow '%s'"),
		    ic->workflow));
	ic->state = json_string_value(json_object_get(jc, "state"));
	if (ic->state != NULL && workflow_state(wf, ic->state) == NULL)
		return (err_set(cause, _("the workflow has no state '%s'"),
		    ic->state));
	if (import_fields(json_object_get(jc, "intake"), &ic->intake,
	    cause) != 0)
		return (-1);
	record_unset(ic->intake, "reference");
	if (form_validate(im->ctx->forms, formset_form(im->ctx->forms,
	    "intake"), ic->intake, cause) != 0)
		return (-1);
	recs = json_object_get(jc, "records");
	if (recs != NULL && !json_is_array(recs))
		return (err_set(cause, _("'records' must be an array")));
	ic->nrecs = json_array_size(recs);
	ic->kinds = xcalloc(ic->nrecs + 1, sizeof *ic->kinds);
	ic->recs = xcalloc(ic->nrecs + 1, sizeof *ic->recs);
	json_array_foreach(recs, i, jr) {
		kind = json_string_value(json_object_get(jr, "kind"));
		if (kind == NULL || strcmp(kind, "intake") == 0 ||
		    (fm = formset_form(im->ctx->forms, kind)) == NULL)
			return (err_set(cause, _("record %zu: unknown kind '%s'"),
			    i + 1, kind != NULL ? kind : ""));
		ic->kinds[i] = kind;
		if (import_fields(json_object_get(jr, "fields"), &ic->recs[i],
		    cause) != 0 || form_validate(im->ctx->forms, fm,
		    ic->recs[i], cause) != 0) {
			char	*inner = *cause;

			*cause = NULL;
			err_set(cause, _("record %zu (%s): %s"), i + 1, kind,
			    inner);
			free(inner);
			return (-1);
		}
	}
	return (0);
}

static int
import_txn(struct store_txn *t, void *arg, char **cause)
{
	struct import		*im = arg;
	struct casefile_batch	*b;
	struct import_case	*ic;
	size_t			 i;
	int			 rc = 0;

	for (i = 0; i < im->n; i++) {
		free(im->refs[i]);
		im->refs[i] = NULL;
	}
	b = casefile_batch_create(im->ctx);
	casefile_batch_defer(b);
	for (i = 0; rc == 0 && i < im->n; i++) {
		ic = &im->cases[i];
		rc = casefile_batch_case(b, t, ic->workflow, ic->state,
		    ic->intake, ic->kinds, ic->recs, ic->nrecs, &im->refs[i],
		    cause);
	}
	if (rc == 0)
		rc = casefile_batch_finish(b, t, cause);
	casefile_batch_free(b);
	return (rc);
}

static void
import_free(struct import *im)
{
	size_t	 i, j;

	for (i = 0; i < im->n; i++) {
		record_free(im->cases[i].intake);
		for (j = 0; j < im->cases[i].nrecs; j++)
			record_free(im->cases[i].recs[j]);
		free(im->cases[i].recs);
		free(im->cases[i].kinds);
		free(im->refs[i]);
	}
	free(im->cases);
	free(im->refs);
}

/* Check a whole document into im; -1 and a sentence naming the case. */
static int
import_read(struct import *im, json_t *doc, const char *name, char **cause)
{
	json_t		*cases, *jc;
	const char	*fmt;
	char		*inner = NULL;
	size_t		 i;

	fmt = json_string_value(json_object_get(doc, "format"));
	cases = json_object_get(doc, "cases");
	if (fmt == NULL || strcmp(fmt, JSON_FORMAT) != 0 ||
	    json_integer_value(json_object_get(doc, "version")) !=
	    JSON_VERSION || !json_is_array(cases))
		return (err_set(cause, _("%s is not a dossier cases file "
		    "(format \"%s\", version %d)."), name, JSON_FORMAT,
		    JSON_VERSION));
	im->n = json_array_size(cases);
	im->cases = xcalloc(im->n + 1, sizeof *im->cases);
	im->refs = xcalloc(im->n + 1, sizeof *im->refs);
	json_array_foreach(cases, i, jc) {
		if (!json_is_object(jc) || import_case(im, jc, &im->cases[i],
		    &inner) != 0) {
			err_set(cause, _("%s: case %zu: %s. Nothing was "
			    "imported."), name, i + 1, inner != NULL ? inner :
			    _("not an object"));
			free(inner);
			return (-1);
		}
	}
	return (0);
}

/* Parse and check a cases document without writing (tests, fuzzing). */
int
cli_case_json_check(struct casefile_ctx *ctx, const char *buf, size_t len,
    char **cause)
{
	struct import	 im;
	json_error_t	 jerr;
	json_t		*doc;
	int		 rc;

	if ((doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES,
	    &jerr)) == NULL)
		return (err_set(cause, _("%s:%d: not valid JSON: %s."), "-",
		    jerr.line, jerr.text));
	memset(&im, 0, sizeof im);
	im.ctx = ctx;
	rc = import_read(&im, doc, "-", cause);
	import_free(&im);
	json_decref(doc);
	return (rc);
}

int
cli_case_json_import(struct cli_run *r)
{
	struct casefile_ctx	*ctx = r->ctx;
	struct import	 im;
	json_error_t	 jerr;
	json_t		*doc;
	char		*cause = NULL;
	size_t		 i;
	int		 rc = CLI_FAIL;

	if (session_require(ctx->sess, ACCESS_CREATE_CASE, &cause) != 0) {
		text_error("%s", cause);		/* before reading the file */
		free(cause);
		return (CLI_FAIL);
	}
	if ((doc = json_load_file(r->argv[0], JSON_REJECT_DUPLICATES,
	    &jerr)) == NULL) {
		text_error(_("%s:%d: not valid JSON: %s."), r->argv[0],
		    jerr.line, jerr.text);
		return (CLI_FAIL);
	}
	memset(&im, 0, sizeof im);
	im.ctx = ctx;
	if (import_read(&im, doc, r->argv[0], &cause) != 0) {
		text_error("%s", cause);
		free(cause);
		goto out;
	}
	if (store_run(ctx->sess->store, import_txn, &im, &cause) != 0) {
		text_error(_("%s. Nothing was imported."), cause);
		free(cause);
		goto out;
	}
	for (i = 0; i < im.n; i++)
		text_printf("%s\n", im.refs[i]);
	rc = CLI_OK;
out:
	import_free(&im);
	json_decref(doc);
	return (rc);
}
