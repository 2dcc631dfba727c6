/*
 * casefile-check.c: what 'dossier check' verifies of the cases themselves,
 * beyond the tables' structure: every clear header names its case, has
 * its reference (found again through the reference index), a workflow
 * and a state that exist, and every required header field of the intake
 * form, and that every case matches its signed manifest
 * (casefile-manifest.c).  A case that fails any of these would be listed
 * as "?", exported without a reference or dropped from the audit screens,
 * or shows what someone changed outside dossier, so each problem is
 * reported with the case and the field or record.
 *
 * Headers are clear data: no sign-in is needed to check them.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casefile-int.h"
#include "casefile.h"
#include "form.h"
#include "i18n.h"
#include "layout.h"
#include "record.h"
#include "store.h"
#include "util.h"
#include "workflow.h"

struct cc_walk {
	const struct formset		*forms;
	const struct workflow_set	*flows;
	size_t				 cases;
	char				**problems;	/* sentences */
	size_t				 nproblems;
	/* Filled by the scan, checked afterwards. */
	uint64_t			*all;		/* every case */
	size_t				 nall;
	uint64_t			*ids;		/* with a reference */
	char				**refs;
	size_t				 n;
};

static void	cc_problem(struct cc_walk *, uint64_t, const char *,
		    const char *, ...) __attribute__((format(printf, 4, 5)));

static void
cc_problem(struct cc_walk *w, uint64_t id, const char *ref, const char *fmt,
    ...)
{
	va_list	 ap;
	char	*msg, *line;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	if (ref != NULL && *ref != '\0')
		xasprintf(&line, _("case %s (number %" PRIu64 "): %s"), ref, id,
		    msg);
	else
		xasprintf(&line, _("case number %" PRIu64 ": %s"), id, msg);
	w->problems = xrealloc(w->problems, (w->nproblems + 1) *
	    sizeof *w->problems);
	w->problems[w->nproblems++] = line;
	free(msg);
}

static int
cc_scan_cb(const void *k, size_t klen, const void *v, size_t vlen, void *arg)
{
	struct cc_walk			*w = arg;
	const struct form		*intake;
	const struct form_field		*f;
	const struct workflow		*wf;
	struct record			*h;
	const char			*ref, *name, *state, *fv;
	uint64_t			 id;
	size_t				 i, len;

	w->cases++;
	if (klen != 8) {
		cc_problem(w, 0, NULL, _("a header is stored under a key of "
		    "%zu bytes."), klen);
		return (0);
	}
	id = get_be64(k);
	w->all = xrealloc(w->all, (w->nall + 1) * sizeof *w->all);
	w->all[w->nall++] = id;
	if ((h = record_decode(v, vlen, NULL)) == NULL) {
		cc_problem(w, id, NULL, _("the header does not decode."));
		return (0);
	}
	ref = record_get_str(h, "reference");
	if ((uint64_t)record_get_int(h, "id", 0) != id)
		cc_problem(w, id, ref, _("the header names case number %" PRId64
		    "."), record_get_int(h, "id", 0));
	if (ref == NULL || *ref == '\0')
		cc_problem(w, id, NULL, _("the header has no reference."));
	else {
		w->ids = xrealloc(w->ids, (w->n + 1) * sizeof *w->ids);
		w->refs = xrealloc(w->refs, (w->n + 1) * sizeof *w->refs);
		w->ids[w->n] = id;
		w->refs[w->n] = xstrdup(ref);
		w->n++;
	}
	name = record_get_str(h, "workflow");
	state = record_get_str(h, "state");
	if (name == NULL || (wf = workflow_find(w->flows, name)) == NULL)
		cc_problem(w, id, ref, _("the workflow '%s' is not installed."),
		    name != NULL ? name : "");
	else if (state == NULL || workflow_state(wf, state) == NULL)
		cc_problem(w, id, ref, _("the workflow '%s' has no state '%s'."),
		    name, state != NULL ? state : "");
	if (record_get(h, "created", NULL) == NULL)
		cc_problem(w, id, ref, _("the header has no creation time."));
	if ((intake = formset_form(w->forms, "intake")) != NULL) {
		for (i = 0; i < intake->nfields; i++) {
			f = &intake->fields[i];
			if (f->class != FORM_HEADER || !f->required ||
			    f->automatic != NULL)
				continue;
			fv = record_get(h, f->id, &len);
			if (fv == NULL || len == 0)
				cc_problem(w, id, ref, _("the required header "
				    "field '%s' is missing."), f->id);
		}
	}
	record_free(h);
	return (0);
}

/* The case against its manifest: signature and hashes (no case key). */
static int
cc_manifest(struct store_txn *t, struct cc_walk *w, uint64_t id,
    char **cause)
{
	struct record	*h;
	char		*why = NULL;
	int		 rc;

	if ((rc = cf_header_read(t, id, &h, cause)) != 0)
		return (rc == STORE_RETRY ? rc : 0);	/* reported by the scan */
	rc = cf_manifest_check(t, id, h, NULL, &why);
	record_free(h);
	if (rc == STORE_RETRY) {
		free(why);
		return (rc);
	}
	if (rc != 0) {
		/* The sentence names the case already. */
		w->problems = xrealloc(w->problems, (w->nproblems + 1) *
		    sizeof *w->problems);
		w->problems[w->nproblems++] = why != NULL ? why :
		    xstrdup("?");
		why = NULL;
	}
	free(why);
	return (0);
}

/* Forget what an earlier try of the transaction found. */
static void
cc_reset(struct cc_walk *w)
{
	size_t	 i;

	for (i = 0; i < w->n; i++)
		free(w->refs[i]);
	for (i = 0; i < w->nproblems; i++)
		free(w->problems[i]);
	w->n = w->nproblems = w->cases = w->nall = 0;
}

static int
cc_txn(struct store_txn *t, void *arg, char **cause)
{
	struct cc_walk	*w = arg;
	uint64_t	 id;
	size_t		 i;
	int		 rc;

	cc_reset(w);
	if ((rc = store_scan(t, STORE_CASES, NULL, 0, cc_scan_cb, w,
	    cause)) != 0)
		return (rc);
	for (i = 0; i < w->nall; i++)
		if ((rc = cc_manifest(t, w, w->all[i], cause)) != 0)
			return (rc);
	for (i = 0; i < w->n; i++) {
		rc = layout_ref_get(t, w->refs[i], &id, cause);
		if (rc == STORE_NOTFOUND) {
			cc_problem(w, w->ids[i], w->refs[i], _("the reference "
			    "index does not know this reference."));
			continue;
		}
		if (rc != 0)
			return (rc);
		if (id != w->ids[i])
			cc_problem(w, w->ids[i], w->refs[i], _("the reference "
			    "index leads to another case."));
	}
	return (0);
}

/*
 * Check every case header; fn gets one sentence per problem.  Returns
 * the number of problems in *problems and of cases in *cases.
 */
int
casefile_check(struct store *s, const struct formset *forms,
    const struct workflow_set *flows, casefile_problem_fn fn, void *arg,
    size_t *cases, size_t *problems, char **cause)
{
	struct cc_walk	 w;
	size_t		 i;
	int		 rc;

	memset(&w, 0, sizeof w);
	w.forms = forms;
	w.flows = flows;
	rc = store_run(s, cc_txn, &w, cause);
	for (i = 0; rc == 0 && i < w.nproblems; i++)
		fn(w.problems[i], arg);
	if (rc == 0) {
		*cases = w.cases;
		*problems = w.nproblems;
	}
	cc_reset(&w);
	free(w.problems);
	free(w.refs);
	free(w.ids);
	free(w.all);
	return (rc != 0 ? -1 : 0);
}
