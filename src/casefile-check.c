/*
 * casefile-check.c: what 'dossier check' verifies of the cases themselves,
 * beyond the tables' structure: every clear header names its case, has
 * its reference (found again through the reference index), a workflow
 * and a state that exist, and every required header field of the intake
 * form, that every case matches its signed manifest
 * (casefile-manifest.c), and that the header indexes and counters are
 * what the headers make (casefile-index.c; built first for a store made
 * before them).  A case that fails any of these would be listed
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

#include "audit.h"
#include "casefile-int.h"
#include "casefile.h"
#include "form.h"
#include "i18n.h"
#include "keyring.h"
#include "layout.h"
#include "record.h"
#include "store.h"
#include "util.h"
#include "vault.h"
#include "workflow.h"

struct cc_walk {
	const struct formset		*forms;
	const struct workflow_set	*flows;
	size_t				 cases;
	char				**problems;	/* sentences */
	size_t				 nproblems;
	/* Filled by the scan, checked afterwards. */
	uint8_t				 root[VAULT_PK_LEN];
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
	if (ref != NULL && *ref != '\0' && id == 0)
		xasprintf(&line, _("case %s: %s"), ref, msg);
	else if (ref != NULL && *ref != '\0')
		xasprintf(&line, _("case %s (number %" PRIu64 "): %s"), ref, id,
		    msg);
	else if (id != 0)
		xasprintf(&line, _("case number %" PRIu64 ": %s"), id, msg);
	else
		line = xstrdup(msg);
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
	rc = cf_manifest_check(t, id, h, NULL, w->root, &why);
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

static int
cc_idcmp(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x < y ? -1 : x > y);
}

/* dossier never deletes a case: every number it gave must be there. */
static int
cc_numbers(struct store_txn *t, struct cc_walk *w, char **cause)
{
	uint64_t	 last, id;
	size_t		 i = 0;
	int		 rc;

	if ((rc = store_last_id(t, "case", &last, cause)) != 0)
		return (rc);
	if (w->nall > 0)
		qsort(w->all, w->nall, sizeof *w->all, cc_idcmp);
	for (id = 1; id <= last; id++) {
		while (i < w->nall && w->all[i] < id)
			i++;
		if (i < w->nall && w->all[i] == id)
			continue;
		cc_problem(w, id, NULL, _("the case is missing: dossier never "
		    "deletes a case, so it was deleted outside dossier."));
	}
	if (w->nall > 0 && w->all[w->nall - 1] > last)
		cc_problem(w, w->all[w->nall - 1], NULL, _("the case has a "
		    "number dossier never gave."));
	return (0);
}

/* Every "ref:" entry of the reference index names a case that says so. */
struct cc_refs {
	struct cc_walk		*w;
	struct store_txn	*t;
	char			**names;
	uint64_t		*ids;
	size_t			 n;
};

static int
cc_refs_cb(const void *k, size_t klen, const void *v, size_t vlen, void *arg)
{
	struct cc_refs	*r = arg;

	r->names = xrealloc(r->names, (r->n + 1) * sizeof *r->names);
	r->ids = xrealloc(r->ids, (r->n + 1) * sizeof *r->ids);
	r->names[r->n] = xstrndup((const char *)k + 4, klen - 4);
	r->ids[r->n] = vlen == 8 ? get_be64(v) : 0;
	r->n++;
	return (0);
}

static int
cc_refs(struct store_txn *t, struct cc_walk *w, char **cause)
{
	struct cc_refs	 r;
	struct record	*h;
	const char	*ref;
	size_t		 i;
	int		 rc;

	memset(&r, 0, sizeof r);
	rc = store_scan(t, STORE_META, "ref:", 4, cc_refs_cb, &r, cause);
	for (i = 0; rc == 0 && i < r.n; i++) {
		if (cf_header_read(t, r.ids[i], &h, NULL) != 0) {
			cc_problem(w, r.ids[i], NULL, _("the reference index "
			    "sends %s to a case that does not exist."),
			    r.names[i]);
			continue;
		}
		ref = record_get_str(h, "reference");
		if (ref == NULL || strcmp(ref, r.names[i]) != 0)
			cc_problem(w, r.ids[i], ref, _("the reference index "
			    "sends %s to this case."), r.names[i]);
		record_free(h);
	}
	for (i = 0; i < r.n; i++)
		free(r.names[i]);
	free(r.names);
	free(r.ids);
	return (rc);
}

/*
 * The agents' blind index against the records: each record whose
 * envelope names a service number's blind index "bi" (covered by the
 * case's manifest) has its index entry, and each entry its record.
 */
struct cc_agent_key {
	char		 hex[65];
	uint64_t	 id, rid;
};

struct cc_agent {
	struct cc_agent_key	*keys;
	size_t			 n;
};

static void
cc_agent_add(struct cc_agent *a, const char *hex, size_t hexlen,
    uint64_t id, uint64_t rid)
{
	struct cc_agent_key	*k;

	a->keys = xrealloc(a->keys, (a->n + 1) * sizeof *a->keys);
	k = &a->keys[a->n++];
	memset(k, 0, sizeof *k);
	memcpy(k->hex, hex, hexlen < 64 ? hexlen : 64);
	k->id = id;
	k->rid = rid;
}

static int
cc_index_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	const char	*key = k;
	size_t		 plen = strlen(LAYOUT_AGENT_PREFIX);

	(void)v;
	(void)vlen;
	if (klen < plen + 1 + 16)
		return (0);
	cc_agent_add(arg, key + plen, klen - plen - 1 - 16,
	    get_be64((const uint8_t *)key + klen - 16),
	    get_be64((const uint8_t *)key + klen - 8));
	return (0);
}

static int
cc_records_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	const uint8_t	*key = k;
	struct record	*env;
	const char	*bi;

	if (klen != LAYOUT_RECORD_KEYLEN || key[8] != LAYOUT_RECORD)
		return (0);
	if ((env = record_decode(v, vlen, NULL)) == NULL)
		return (0);	/* the manifest check reports it */
	if ((bi = record_get_str(env, "bi")) != NULL)
		cc_agent_add(arg, bi, strlen(bi), get_be64(key),
		    get_be64(key + 9));
	record_free(env);
	return (0);
}

static int
cc_keycmp(const void *a, const void *b)
{
	const struct cc_agent_key	*x = a, *y = b;
	int				 c;

	if ((c = memcmp(x->hex, y->hex, sizeof x->hex)) != 0)
		return (c);
	if (x->id != y->id)
		return (x->id < y->id ? -1 : 1);
	return (x->rid < y->rid ? -1 : x->rid > y->rid);
}

static int
cc_agents(struct store_txn *t, struct cc_walk *w, char **cause)
{
	struct cc_agent	 idx, rec;
	size_t		 i = 0, j = 0;
	int		 c, rc;

	memset(&idx, 0, sizeof idx);
	memset(&rec, 0, sizeof rec);
	rc = store_scan(t, STORE_INDEX, LAYOUT_AGENT_PREFIX,
	    strlen(LAYOUT_AGENT_PREFIX), cc_index_cb, &idx, cause);
	if (rc == 0)
		rc = store_scan(t, STORE_RECORDS, NULL, 0, cc_records_cb, &rec,
		    cause);
	if (rc == 0) {
		/* qsort(NULL, 0, ...) is undefined. */
		if (idx.n > 0)
			qsort(idx.keys, idx.n, sizeof *idx.keys, cc_keycmp);
		if (rec.n > 0)
			qsort(rec.keys, rec.n, sizeof *rec.keys, cc_keycmp);
	}
	while (rc == 0 && (i < idx.n || j < rec.n)) {
		c = i == idx.n ? 1 : j == rec.n ? -1 :
		    cc_keycmp(&idx.keys[i], &rec.keys[j]);
		if (c < 0)
			cc_problem(w, idx.keys[i].id, NULL, _("the agents' index "
			    "names record %" PRIu64 ", which does not name that "
			    "agent: an entry was added outside dossier."),
			    idx.keys[i].rid);
		else if (c > 0)
			cc_problem(w, rec.keys[j].id, NULL, _("record %" PRIu64
			    " names an agent that the agents' "
			    "index does not list: an entry was removed outside "
			    "dossier."), rec.keys[j].rid);
		i += c <= 0;
		j += c >= 0;
	}
	free(idx.keys);
	free(rec.keys);
	return (rc);
}

static void
cc_index_problem(uint64_t id, const char *msg, void *arg)
{
	cc_problem(arg, id, NULL, "%s", msg);
}

static void
cc_key_problem(const char *msg, void *arg)
{
	cc_problem(arg, 0, NULL, "%s", msg);
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
	if ((rc = audit_hold(t, cause)) != 0)	/* every table, one state */
		return (rc);
	if ((rc = store_scan(t, STORE_CASES, NULL, 0, cc_scan_cb, w,
	    cause)) != 0)
		return (rc);
	/*
	 * Without a user signed in, the authors' approvals are checked
	 * against the store's root key (a signed-in user's is pinned).
	 */
	if (w->nall != 0 && (rc = meta_get_fixed(t, META_ROOT_PK, w->root,
	    sizeof w->root, cause)) != 0)
		return (rc);
	for (i = 0; i < w->nall; i++)
		if ((rc = cc_manifest(t, w, w->all[i], cause)) != 0)
			return (rc);
	if ((rc = cc_numbers(t, w, cause)) != 0 ||
	    (rc = cc_refs(t, w, cause)) != 0 ||
	    (rc = cc_agents(t, w, cause)) != 0 ||
	    (rc = cf_index_check(t, cc_index_problem, w, cause)) != 0 ||
	    (rc = keyring_check(t, cc_key_problem, w, cause)) != 0)
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

static int
cc_strcmp(const void *a, const void *b)
{
	return (strcmp(*(char * const *)a, *(char * const *)b));
}

/* Each case the audit log says was created must still be there. */
static int
cc_created_cb(const struct audit_entry *e, void *arg)
{
	struct cc_walk	*w = arg;
	const char	*key = e->caseref;

	if (strcmp(e->action, "case.create") != 0 || key == NULL ||
	    *key == '\0')
		return (0);
	if (w->n == 0 ||
	    bsearch(&key, w->refs, w->n, sizeof *w->refs, cc_strcmp) == NULL)
		cc_problem(w, 0, key, _("the audit log records its creation "
		    "(entry %" PRIu64 "), but the store has no such case: it was "
		    "deleted outside dossier."), e->seq);
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
	/* A store made before the header indexes gets them first. */
	if (casefile_index_ensure(s, cause) != 0)
		return (-1);
	rc = store_run(s, cc_txn, &w, cause);
	if (rc == 0) {
		/* refs and ids are no longer paired from here on. */
		if (w.n > 0)
			qsort(w.refs, w.n, sizeof *w.refs, cc_strcmp);
		rc = audit_scan(s, cc_created_cb, &w, cause);
	}
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

/*
 * The class of every form field is pinned in the store the first time a
 * forms file names it; a later forms file may raise a class, never lower
 * it (a witness's name moved to 'case' or 'header' would be written with
 * fewer readers' keys, or in clear).
 */
struct cc_pin {
	const struct formset	*forms;
};

static int
cc_pin_txn(struct store_txn *t, void *arg, char **cause)
{
	struct cc_pin		*p = arg;
	const struct form	*fm;
	const struct form_field	*f;
	struct record		*pins = NULL;
	uint8_t			*v;
	size_t			 len, i, j;
	char			*key;
	int64_t			 was;
	int			 rc, changed = 0;

	rc = meta_get(t, META_CLASSES, &v, &len, cause);
	if (rc == 0) {
		pins = record_decode(v, len, cause);
		free(v);
		if (pins == NULL)
			return (-1);
	} else if (rc == STORE_NOTFOUND) {
		err_clear(cause);
		pins = record_create();
		rc = 0;
	} else
		return (rc);
	for (i = 0; rc == 0 && i < p->forms->nforms; i++) {
		fm = p->forms->forms[i];
		for (j = 0; rc == 0 && j < fm->nfields; j++) {
			f = &fm->fields[j];
			xasprintf(&key, "%s.%s", fm->id, f->id);
			if (!record_valid_key(key)) {
				free(key);
				continue;	/* form.c refuses such ids */
			}
			was = record_get_int(pins, key, -1);
			if (was > (int64_t)f->class)
				rc = err_set(cause, _("%s: field '%s' is 'class = "
				    "%s', but this store has kept it as '%s': a "
				    "forms file may raise a class, never lower "
				    "it. Nothing was read or written."), fm->file,
				    f->id, form_class_name(f->class),
				    form_class_name((enum form_class)was));
			else if (was < (int64_t)f->class) {
				record_set_int(pins, key, f->class);
				changed = 1;
			}
			free(key);
		}
	}
	if (rc == 0 && changed) {
		record_encode(pins, &v, &len);
		rc = meta_put(t, META_CLASSES, v, len, 0, cause);
		free(v);
	}
	record_free(pins);
	return (rc);
}

int
casefile_forms_pin(struct store *s, const struct formset *forms,
    char **cause)
{
	struct cc_pin	 p;

	p.forms = forms;
	return (store_run(s, cc_pin_txn, &p, cause) != 0 ? -1 : 0);
}
