/*
 * casefile-index-check.c: 'dossier check' of the header indexes and
 * counters kept by casefile-index.c: the entries and counters the headers
 * make, against those stored.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "casefile-int.h"
#include "casefile.h"
#include "i18n.h"
#include "record.h"
#include "store.h"
#include "util.h"

/*
 * Checking ('dossier check'): the entries and counters the headers make,
 * against those stored.  fn gets the case (0: none in particular) and a
 * sentence for each difference.
 */
struct ci_check {
	struct store_txn	*t;
	uint64_t		 mark;
	cf_index_problem_fn	 fn;
	void			*arg;
	uint64_t		*ids;		/* cases, in id order ... */
	uint32_t		*want, *have;	/* ... their entries */
	size_t			 n;
	struct cf_ix_keys		 counts;
	int			 due;	/* "due" counted: compared too */
	int			 pairs;	/* ci_pairs()' counted: compared too */
	int			 recs;	/* the entries "recs" made: compared too */
	int			 rc;
	char			**cause;
};

/* A key as words: its name, then its value's parts. */
static char *
ci_key_text(const uint8_t *k, size_t len, int entry)
{
	char	*out, *part, *n;
	size_t	 i, end = entry ? len - 8 : len;
	int	 day;

	out = xstrndup((const char *)k + 3, end - 3);
	/* "deadline", "due", "rdue", "adue", "fdue": a day last. */
	day = strcmp(out, "deadline") == 0 || (strlen(out) >= 3 &&
	    strcmp(out + strlen(out) - 3, "due") == 0);
	for (i = 3 + strlen(out) + 1; i < end; free(out), out = n) {
		if (day && i + (entry ? 9 : 8) == end) {
			xasprintf(&n, "%s %" PRIu64, out, get_be64(k + i));
			i += 9;
			continue;
		}
		part = xstrndup((const char *)k + i, end - i);
		xasprintf(&n, "%s %s", out, part);
		i += strlen(part) + 1;
		free(part);
	}
	return (out);
}

static int
ci_check_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct ci_check	*c = arg;
	struct cf_ix_keys	 e;
	struct record	*h;
	uint8_t		*got;
	size_t		 glen, i;
	uint64_t	 id;
	char		*what, *msg;
	int		 rc;

	if (klen != 8)
		return (0);
	id = get_be64(k);
	if (id >= c->mark)
		return (1);
	if ((h = cf_ix_decode(v, vlen)) == NULL)
		return (0);	/* reported with the headers */
	memset(&e, 0, sizeof e);
	cf_ix_terms(h, id, &e, &c->counts, (c->pairs ? CF_IX_PAIRS : 0) |
	    (c->recs ? CF_IX_RECS : 0));
	record_free(h);
	c->ids = xrealloc(c->ids, (c->n + 1) * sizeof *c->ids);
	c->want = xrealloc(c->want, (c->n + 1) * sizeof *c->want);
	c->ids[c->n] = id;
	c->want[c->n++] = (uint32_t)e.n;
	for (i = 0; i < e.n; i++) {
		rc = store_get(c->t, STORE_INDEX, e.list[i].b, e.list[i].len,
		    &got, &glen, c->cause);
		if (rc == 0) {
			free(got);
			continue;
		}
		if (rc != STORE_NOTFOUND) {
			c->rc = rc;
			break;
		}
		err_clear(c->cause);
		what = ci_key_text(e.list[i].b, e.list[i].len, 1);
		xasprintf(&msg, _("the header index lacks its entry \"%s\": "
		    "the list and the dashboard miss the case there."), what);
		c->fn(id, msg, c->arg);
		free(msg);
		free(what);
	}
	cf_ix_keys_free(&e);
	return (c->rc);
}

static int
ci_check_entry_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct ci_check	*c = arg;
	uint64_t	 id, *p;
	char		*what, *msg;

	(void)v;
	(void)vlen;
	if (klen < 3 + 8 || (!c->recs && cf_ix_is_recs(k, klen)))
		return (0);
	id = ~get_be64((const uint8_t *)k + klen - 8);
	if (id >= c->mark)
		p = NULL;
	else if ((p = c->n == 0 ? NULL : bsearch(&id, c->ids, c->n,
	    sizeof *c->ids, cf_ix_u64cmp)) != NULL) {
		c->have[p - c->ids]++;
		return (0);
	}
	what = ci_key_text(k, klen, 1);
	xasprintf(&msg, _("the header index has an entry \"%s\" for this case, "
	    "which has no header: it was added outside dossier."), what);
	c->fn(id, msg, c->arg);
	free(msg);
	free(what);
	return (0);
}

/* The stored counters, against those the headers make (sorted). */
struct ci_check_counts {
	struct ci_check	*c;
	size_t		 i;		/* next expected */
};

static void
ci_check_count(struct ci_check *c, const struct cf_ix_key *k, uint64_t want,
    uint64_t have)
{
	char	*what, *msg;

	what = ci_key_text(k->b, k->len, 0);
	xasprintf(&msg, _("the counter \"%s\" says %" PRIu64 " cases; the "
	    "headers make %" PRIu64 "."), what, have, want);
	c->fn(0, msg, c->arg);
	free(msg);
	free(what);
}

static int
ci_check_counts_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct ci_check_counts	*cc = arg;
	struct ci_check		*c = cc->c;
	struct cf_ix_key		 key;
	size_t			 j;
	int			 cmp;

	key.b = (uint8_t *)k;
	key.len = klen;
	if (!c->due && klen >= 7 && memcmp(k, CF_INDEX_COUNT "due", 7) == 0)
		return (0);
	for (;;) {
		if (cc->i == c->counts.n) {
			ci_check_count(c, &key, 0, vlen == 8 ? get_be64(v) : 0);
			return (0);
		}
		for (j = cc->i; j < c->counts.n && cf_ix_keycmp(&c->counts.list[j],
		    &c->counts.list[cc->i]) == 0; j++)
			;
		cmp = cf_ix_keycmp(&c->counts.list[cc->i], &key);
		if (cmp < 0) {
			ci_check_count(c, &c->counts.list[cc->i], j - cc->i, 0);
			cc->i = j;
			continue;
		}
		if (cmp > 0) {
			ci_check_count(c, &key, 0, vlen == 8 ? get_be64(v) : 0);
			return (0);
		}
		if (vlen != 8 || get_be64(v) != j - cc->i)
			ci_check_count(c, &key, j - cc->i, vlen == 8 ?
			    get_be64(v) : 0);
		cc->i = j;
		return (0);
	}
}

int
cf_index_check(struct store_txn *t, cf_index_problem_fn fn, void *arg,
    char **cause)
{
	struct ci_check		 c;
	struct ci_check_counts	 cc;
	char			*msg;
	size_t			 i, j;
	uint64_t		 pmark, rmark;
	int			 rc;

	memset(&c, 0, sizeof c);
	c.t = t;
	c.fn = fn;
	c.arg = arg;
	c.cause = cause;
	if ((rc = cf_ix_mark(t, &c.mark, cause)) != 0 ||
	    (rc = cf_ix_pairs_mark(t, &pmark, cause)) != 0 ||
	    (rc = cf_ix_recs_mark(t, &rmark, cause)) != 0)
		return (rc);
	/* Counted for every case, or not compared (an older store). */
	c.pairs = pmark == CF_INDEX_DONE;
	c.recs = rmark == CF_INDEX_DONE;
	if (c.mark != CF_INDEX_DONE) {
		xasprintf(&msg, _("the header index is built up to case %" PRIu64
		    " only: it is finished at the next sign-in."), c.mark);
		fn(0, msg, arg);
		free(msg);
	}
	rc = store_scan(t, STORE_CASES, NULL, 0, ci_check_cb, &c, cause);
	if (rc == 0)
		rc = c.rc;
	if (rc == 0) {
		c.have = xcalloc(c.n + 1, sizeof *c.have);
		rc = store_scan_keys(t, STORE_INDEX, CF_INDEX_ENTRY, 3,
		    ci_check_entry_cb, &c, cause);
	}
	for (i = 0; rc == 0 && i < c.n; i++) {
		if (c.have[i] <= c.want[i])
			continue;	/* a missing one is named above */
		xasprintf(&msg, _("the header index holds %u entries for this "
		    "case; its header makes %u: one was added outside "
		    "dossier."), c.have[i], c.want[i]);
		fn(c.ids[i], msg, arg);
		free(msg);
	}
	/*
	 * A replica whose master has not counted "due" yet (an older store,
	 * casefile_index_ensure()) has none: they are not compared.
	 */
	if (rc == 0 && c.mark == CF_INDEX_DONE)
		rc = cf_ix_due_counted(t, &c.due, cause);
	for (i = j = 0; rc == 0 && !c.due && i < c.counts.n; i++) {
		if (c.counts.list[i].len >= 7 && memcmp(c.counts.list[i].b,
		    CF_INDEX_COUNT "due", 7) == 0)
			free(c.counts.list[i].b);
		else
			c.counts.list[j++] = c.counts.list[i];
		if (i + 1 == c.counts.n)
			c.counts.n = j;
	}
	if (rc == 0 && c.mark == CF_INDEX_DONE) {
		if (c.counts.n > 0)
			qsort(c.counts.list, c.counts.n, sizeof *c.counts.list,
			    cf_ix_keycmp);
		cc.c = &c;
		cc.i = 0;
		rc = store_scan(t, STORE_INDEX, CF_INDEX_COUNT, 3,
		    ci_check_counts_cb, &cc, cause);
		/* They sort after those of "hc/". */
		if (rc == 0 && c.pairs)
			rc = store_scan(t, STORE_INDEX, CF_INDEX_MULTI, 3,
			    ci_check_counts_cb, &cc, cause);
		for (i = cc.i; rc == 0 && i < c.counts.n; i = j) {
			for (j = i; j < c.counts.n && cf_ix_keycmp(
			    &c.counts.list[j], &c.counts.list[i]) == 0; j++)
				;
			ci_check_count(&c, &c.counts.list[i], j - i, 0);
		}
	}
	cf_ix_keys_free(&c.counts);
	free(c.ids);
	free(c.want);
	free(c.have);
	if (rc == 0)
		rc = cf_agent_check(t, fn, arg, cause);
	return (rc);
}

/*
 * 'dossier check --repair': the indexes and counters are derived from the
 * case headers alone, so when they do not match the headers they are
 * dropped and built again from them (casefile_index_rebuild()), then
 * checked again.  Nothing else is repaired: a header, record or manifest
 * that does not match is evidence, left as found for 'check' to report.
 */
struct ci_found {
	char		**lines;
	size_t		  n;
};

static void
ci_found_cb(uint64_t id, const char *msg, void *arg)
{
	struct ci_found	*fd = arg;
	char		*line;

	if (id != 0)
		xasprintf(&line, _("case number %" PRIu64 ": %s"), id, msg);
	else
		line = xstrdup(msg);
	fd->lines = xrealloc(fd->lines, (fd->n + 1) * sizeof *fd->lines);
	fd->lines[fd->n++] = line;
}

static void
ci_found_reset(struct ci_found *fd)
{
	size_t	 i;

	for (i = 0; i < fd->n; i++)
		free(fd->lines[i]);
	free(fd->lines);
	fd->lines = NULL;
	fd->n = 0;
}

static int
ci_found_txn(struct store_txn *t, void *arg, char **cause)
{
	int	 rc;

	ci_found_reset(arg);
	/* Every header and entry, in one state (audit.c). */
	if ((rc = audit_hold(t, cause)) != 0)
		return (rc);
	return (cf_index_check(t, ci_found_cb, arg, cause));
}

/*
 * Rebuild the header indexes and counters if they do not match the case
 * headers: fn gets each difference found, *fixed how many there were.
 */
int
casefile_index_repair(struct store *s, casefile_problem_fn fn, void *arg,
    size_t *fixed, char **cause)
{
	struct ci_found	 fd;
	size_t		 i;
	int		 rc;

	*fixed = 0;
	memset(&fd, 0, sizeof fd);
	if (casefile_index_ensure(s, cause) != 0 ||
	    store_run(s, ci_found_txn, &fd, cause) != 0) {
		ci_found_reset(&fd);
		return (-1);
	}
	for (i = 0; i < fd.n; i++)
		fn(fd.lines[i], arg);
	*fixed = fd.n;
	if (fd.n == 0) {
		ci_found_reset(&fd);
		return (0);
	}
	rc = casefile_index_rebuild(s, cause);
	if (rc == 0)
		rc = store_run(s, ci_found_txn, &fd, cause);
	if (rc == 0 && fd.n != 0)
		rc = err_set(cause, _("The header indexes were rebuilt from the "
		    "case headers and still do not match them: %s"),
		    fd.lines[0]);
	ci_found_reset(&fd);
	return (rc != 0 ? -1 : 0);
}
