/*
 * casefile-index.c: the indexes and counters of the clear case headers,
 * kept in the same transaction as every header write, so the case list
 * and the dashboard read an index walk and a few counters instead of
 * every header.
 *
 * Only header fields that are clear already are indexed (workflow,
 * state, assignees, region, force, categories, victim sex, deadline):
 * nothing encrypted ever reaches them.  They live in the index table
 * beside the agents' blind index:
 *
 *   "hx/" NAME \0 VALUE \0 ~ID	an entry (ID big-endian, inverted so
 *				that a walk in key order is newest first)
 *   "hc/" NAME \0 VALUE		a counter: 8 bytes, big-endian
 *   "hv"			how far the index is built (below)
 *
 * VALUE may itself hold \0 separators ("flow" is workflow \0 state) or
 * 8 bytes (the deadline's day).  Entries: "all" (every case), "flow",
 * "assignee", "region", "force", "categories", "victim_sex" (one entry per
 * code of a comma list), "deadline" (every case, for the sort; no
 * deadline sorts last) and "due" (cases whose clock runs, by deadline:
 * the overdue ones are those before today; overdue depends on the date,
 * not on a write, so it is counted by a walk and not by a counter).
 * Counters: "all", "flow", "aflow" (assignee \0 workflow \0 state, for
 * the workload of open cases), "region", "force", "categories",
 * "victim_sex".
 *
 * cf_header_write() reads the header it replaces and calls
 * cf_index_header() with both: the entries and counters that differ are
 * changed, in the writer's transaction, so a process killed mid-write
 * leaves both or neither.
 *
 * Stores made before the index existed are indexed on first use
 * (casefile_index_ensure(), called at every sign-in and by the readers):
 * "hv" holds the id below which every case is indexed, raised a batch of
 * cases per transaction while other processes go on writing (a writer
 * keeps the index only for cases below it; the builder reads the others
 * later), and set to the largest id once the last case is done.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "casefile-int.h"
#include "casefile.h"
#include "i18n.h"
#include "record.h"
#include "session.h"
#include "store.h"
#include "util.h"
#include "workflow.h"

#define CI_ENTRY	CF_INDEX_ENTRY
#define CI_COUNT	CF_INDEX_COUNT
#define CI_MARK		"hv"
#define CI_DONE		UINT64_MAX
#define CI_BATCH	2000
#define CI_NODEADLINE	((uint64_t)1 << 40)

/* The header fields the index reads (sorted, for record_decode_keys). */
static const char *ci_keys[] = {
	"assignees", "categories", "clock.deadline", "clock.paused_since",
	"force", "region", "state", "victim_sex", "workflow"
};
#define CI_NKEYS (sizeof ci_keys / sizeof ci_keys[0])

/* Comma-list fields with an entry and a counter per code. */
static const char *ci_lists[] = {
	"region", "force", "categories", "victim_sex"
};
#define CI_NLISTS (sizeof ci_lists / sizeof ci_lists[0])

struct ci_key {
	uint8_t		*b;
	size_t		 len;
};

struct ci_keys {
	struct ci_key	*list;
	size_t		 n;
};

static void
ci_keys_add(struct ci_keys *ks, const void *b, size_t len)
{
	if ((ks->n & (ks->n - 1)) == 0)
		ks->list = xrealloc(ks->list, (ks->n == 0 ? 1 : 2 * ks->n) *
		    sizeof *ks->list);
	ks->list[ks->n].b = xmalloc(len);
	memcpy(ks->list[ks->n].b, b, len);
	ks->list[ks->n].len = len;
	ks->n++;
}

static void
ci_keys_free(struct ci_keys *ks)
{
	size_t	 i;

	for (i = 0; i < ks->n; i++)
		free(ks->list[i].b);
	free(ks->list);
	ks->list = NULL;
	ks->n = 0;
}

static int
ci_keycmp(const void *a, const void *b)
{
	const struct ci_key	*x = a, *y = b;
	int			 c;

	c = memcmp(x->b, y->b, x->len < y->len ? x->len : y->len);
	if (c != 0)
		return (c);
	return (x->len < y->len ? -1 : x->len > y->len);
}

static int
ci_u64cmp(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x < y ? -1 : x > y);
}

/* Sort and drop repeats among the keys from start on. */
static void
ci_keys_sort(struct ci_keys *ks, size_t start)
{
	struct ci_key	*l = ks->list + start;
	size_t		 i, j, n = ks->n - start;

	if (n == 0)
		return;
	qsort(l, n, sizeof *l, ci_keycmp);
	for (i = j = 1; i < n; i++) {
		if (ci_keycmp(&l[i], &l[j - 1]) == 0)
			free(l[i].b);
		else
			l[j++] = l[i];
	}
	ks->n = start + j;
}

/* A key: kind ("hx/" or "hc/"), name \0, then the value parts. */
struct ci_buf {
	uint8_t		 b[512];
	size_t		 len;
};

static void
ci_buf_start(struct ci_buf *k, const char *kind, const char *name)
{
	k->len = 0;
	memcpy(k->b, kind, 3);
	k->len = 3;
	memcpy(k->b + k->len, name, strlen(name) + 1);
	k->len += strlen(name) + 1;
}

static int
ci_buf_add(struct ci_buf *k, const void *v, size_t len)
{
	if (k->len + len + 1 + 8 > sizeof k->b)
		return (-1);
	memcpy(k->b + k->len, v, len);
	k->len += len;
	return (0);
}

static int
ci_buf_str(struct ci_buf *k, const char *s)
{
	return (ci_buf_add(k, s, strlen(s) + 1));
}

static void
ci_buf_id(struct ci_buf *k, uint64_t id)
{
	put_be64(k->b + k->len, ~id);
	k->len += 8;
}

/* An entry name \0 parts... \0 ~id, and (count) the counter name \0 parts. */
static void
ci_term(struct ci_keys *e, struct ci_keys *c, uint64_t id, const char *name,
    const char *a, const char *b, int count)
{
	struct ci_buf	 k;

	ci_buf_start(&k, CI_ENTRY, name);
	if ((a != NULL && ci_buf_str(&k, a) != 0) ||
	    (b != NULL && ci_buf_str(&k, b) != 0))
		return;		/* a value too long to index: never in forms */
	if (e != NULL) {
		ci_buf_id(&k, id);
		ci_keys_add(e, k.b, k.len);
		k.len -= 8;
	}
	if (count && c != NULL) {
		memcpy(k.b, CI_COUNT, 3);
		/* A counter's key ends with its value, without the last \0. */
		ci_keys_add(c, k.b, a == NULL ? k.len : k.len - 1);
	}
}

static void
ci_day(struct ci_keys *e, uint64_t id, const char *name, uint64_t day)
{
	struct ci_buf	 k;
	uint8_t		 d[8];

	ci_buf_start(&k, CI_ENTRY, name);
	put_be64(d, day);
	ci_buf_add(&k, d, sizeof d);
	ci_buf_add(&k, "", 1);
	ci_buf_id(&k, id);
	ci_keys_add(e, k.b, k.len);
}

static const char *
ci_str(const struct record *h, const char *k)
{
	const char	*s = record_get_str(h, k);

	return (s != NULL ? s : "");
}

/* Every entry (e) and counter (c) a header makes; sorted, no repeats. */
static void
ci_terms(const struct record *h, uint64_t id, struct ci_keys *e,
    struct ci_keys *c)
{
	struct ci_buf	 k;
	const char	*wf, *st, *as;
	char		*copy, *tok, *save;
	int64_t		 deadline;
	size_t		 i, cstart;

	if (h == NULL)
		return;
	/* Counters may gather several cases: only this one's are sorted. */
	cstart = c != NULL ? c->n : 0;
	wf = ci_str(h, "workflow");
	st = ci_str(h, "state");
	as = ci_str(h, "assignees");
	ci_term(e, c, id, "all", NULL, NULL, 1);
	ci_term(e, c, id, "flow", wf, st, 1);
	copy = xstrdup(as);
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		ci_term(e, NULL, id, "assignee", tok, NULL, 0);
		/* "aflow": assignee \0 workflow \0 state, counted only. */
		ci_buf_start(&k, CI_COUNT, "aflow");
		if (c != NULL && ci_buf_str(&k, tok) == 0 &&
		    ci_buf_str(&k, wf) == 0 && ci_buf_add(&k, st,
		    strlen(st)) == 0)
			ci_keys_add(c, k.b, k.len);
	}
	free(copy);
	for (i = 0; i < CI_NLISTS; i++) {
		copy = xstrdup(ci_str(h, ci_lists[i]));
		for (tok = strtok_r(copy, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save))
			ci_term(e, c, id, ci_lists[i], tok, NULL, 1);
		free(copy);
	}
	deadline = record_get_int(h, "clock.deadline", 0);
	ci_day(e, id, "deadline", deadline <= 0 ? CI_NODEADLINE :
	    (uint64_t)deadline);
	if (deadline > 0 && record_get_int(h, "clock.paused_since", 0) == 0)
		ci_day(e, id, "due", (uint64_t)deadline);
	if (e != NULL)
		ci_keys_sort(e, 0);
	if (c != NULL)
		ci_keys_sort(c, cstart);
}

/* Add d to a counter. */
static int
ci_count(struct store_txn *t, const struct ci_key *k, int64_t d,
    char **cause)
{
	uint8_t		*v, buf[8];
	size_t		 len;
	uint64_t	 n = 0;
	int		 rc;

	rc = store_get(t, STORE_INDEX, k->b, k->len, &v, &len, cause);
	if (rc == 0) {
		if (len == 8)
			n = get_be64(v);
		free(v);
	} else if (rc != STORE_NOTFOUND)
		return (rc);
	else
		err_clear(cause);
	n = (d < 0 && n < (uint64_t)-d) ? 0 : n + (uint64_t)d;
	if (n == 0)
		return (rc == 0 ? store_del(t, STORE_INDEX, k->b, k->len,
		    cause) : 0);
	put_be64(buf, n);
	return (store_put(t, STORE_INDEX, k->b, k->len, buf, 8, 0, cause));
}

/* Apply the difference between two sorted sets: what left, what came. */
static int
ci_apply(struct store_txn *t, const struct ci_keys *old,
    const struct ci_keys *new, int counters, char **cause)
{
	size_t	 i = 0, j = 0;
	int	 c, rc = 0;

	while (rc == 0 && (i < old->n || j < new->n)) {
		c = i == old->n ? 1 : j == new->n ? -1 :
		    ci_keycmp(&old->list[i], &new->list[j]);
		if (c < 0) {
			if (counters)
				rc = ci_count(t, &old->list[i], -1, cause);
			else {
				rc = store_del(t, STORE_INDEX, old->list[i].b,
				    old->list[i].len, cause);
				if (rc == STORE_NOTFOUND) {
					err_clear(cause);
					rc = 0;
				}
			}
		} else if (c > 0) {
			if (counters)
				rc = ci_count(t, &new->list[j], 1, cause);
			else
				rc = store_put(t, STORE_INDEX, new->list[j].b,
				    new->list[j].len, "", 0, 0, cause);
		}
		i += c <= 0;
		j += c >= 0;
	}
	return (rc);
}

/* How far the index is built: every case below *mark is in it. */
static int
ci_mark(struct store_txn *t, uint64_t *mark, char **cause)
{
	uint8_t	*v;
	size_t	 len;
	int	 rc;

	*mark = 0;
	rc = store_get(t, STORE_INDEX, CI_MARK, strlen(CI_MARK), &v, &len,
	    cause);
	if (rc == STORE_NOTFOUND) {
		err_clear(cause);
		return (0);
	}
	if (rc != 0)
		return (rc);
	if (len == 8)
		*mark = get_be64(v);
	free(v);
	return (0);
}

static int
ci_mark_set(struct store_txn *t, uint64_t mark, char **cause)
{
	uint8_t	 v[8];

	put_be64(v, mark);
	return (store_put(t, STORE_INDEX, CI_MARK, strlen(CI_MARK), v, 8, 0,
	    cause));
}

/* The header fields the index reads, from a stored header. */
static struct record *
ci_decode(const void *v, size_t len)
{
	return (record_decode_keys(v, len, ci_keys, CI_NKEYS, NULL));
}

/*
 * Before a header is written: change the entries and counters of case
 * id from what its stored header made to what h makes.
 */
int
cf_index_header(struct store_txn *t, uint64_t id, const struct record *h,
    char **cause)
{
	struct ci_keys	 oe, oc, ne, nc;
	struct record	*old = NULL;
	uint8_t		 k[8], *v;
	size_t		 len;
	uint64_t	 mark;
	int		 rc;

	if ((rc = ci_mark(t, &mark, cause)) != 0)
		return (rc);
	if (id >= mark)
		return (0);	/* the builder will read it */
	put_be64(k, id);
	rc = store_get(t, STORE_CASES, k, sizeof k, &v, &len, cause);
	if (rc == 0) {
		old = ci_decode(v, len);
		free(v);
	} else if (rc == STORE_NOTFOUND)
		err_clear(cause);
	else
		return (rc);
	memset(&oe, 0, sizeof oe);
	memset(&oc, 0, sizeof oc);
	memset(&ne, 0, sizeof ne);
	memset(&nc, 0, sizeof nc);
	ci_terms(old, id, &oe, &oc);
	ci_terms(h, id, &ne, &nc);
	record_free(old);
	rc = ci_apply(t, &oe, &ne, 0, cause);
	if (rc == 0)
		rc = ci_apply(t, &oc, &nc, 1, cause);
	ci_keys_free(&oe);
	ci_keys_free(&oc);
	ci_keys_free(&ne);
	ci_keys_free(&nc);
	return (rc);
}

/*
 * Building: one batch of cases from the mark on, in one transaction.
 */
struct ci_build {
	struct store_txn	*t;
	uint64_t		 from, last;
	size_t			 n;
	struct ci_keys		 counts;	/* one per case and counter */
	int			 rc;
	char			**cause;
};

static int
ci_build_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct ci_build	*b = arg;
	struct ci_keys	 e;
	struct record	*h;
	uint64_t	 id;
	size_t		 i;

	if (klen != 8)
		return (0);
	if (b->n == CI_BATCH)
		return (1);
	id = get_be64(k);
	if ((h = ci_decode(v, vlen)) == NULL)
		return (0);	/* dossier check reports it */
	memset(&e, 0, sizeof e);
	ci_terms(h, id, &e, &b->counts);
	record_free(h);
	for (i = 0; b->rc == 0 && i < e.n; i++)
		b->rc = store_put(b->t, STORE_INDEX, e.list[i].b, e.list[i].len,
		    "", 0, 0, b->cause);
	ci_keys_free(&e);
	b->last = id;
	b->n++;
	return (b->rc != 0 ? b->rc : 0);
}

static int
ci_build_txn(struct store_txn *t, void *arg, char **cause)
{
	struct ci_build	*b = arg;
	struct ci_keys	*c = &b->counts;
	uint8_t		 start[8];
	uint64_t	 mark;
	size_t		 i, j;
	int		 rc;

	ci_keys_free(c);
	b->t = t;
	b->n = 0;
	b->rc = 0;
	b->cause = cause;
	if ((rc = ci_mark(t, &mark, cause)) != 0)
		return (rc);
	b->from = mark;
	if (mark == CI_DONE)
		return (0);
	put_be64(start, mark);
	rc = store_scan_from(t, STORE_CASES, start, sizeof start, ci_build_cb,
	    b, cause);
	if (rc == 0)
		rc = b->rc;
	if (rc != 0)
		return (rc);
	/* The counters of the batch, each added once. */
	if (c->n > 0)
		qsort(c->list, c->n, sizeof *c->list, ci_keycmp);
	for (i = 0; rc == 0 && i < c->n; i = j) {
		for (j = i + 1; j < c->n && ci_keycmp(&c->list[i],
		    &c->list[j]) == 0; j++)
			;
		rc = ci_count(t, &c->list[i], (int64_t)(j - i), cause);
	}
	if (rc != 0)
		return (rc);
	return (ci_mark_set(t, b->n < CI_BATCH ? CI_DONE : b->last + 1,
	    cause));
}

/*
 * Index the cases not indexed yet (a store made before the index, or a
 * rebuild): nothing to do but one read once it is built.
 */
int
casefile_index_ensure(struct store *s, char **cause)
{
	struct ci_build	 b;
	int		 rc;

	memset(&b, 0, sizeof b);
	do {
		rc = store_run(s, ci_build_txn, &b, cause);
	} while (rc == 0 && b.from != CI_DONE && b.n == CI_BATCH);
	ci_keys_free(&b.counts);
	return (rc);
}

/* Drop the index (a batch of keys per transaction); ensure rebuilds it. */
struct ci_drop {
	struct ci_keys	 keys;
	size_t		 n;
};

static int
ci_drop_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct ci_drop	*d = arg;

	(void)v;
	(void)vlen;
	if (d->keys.n == 10 * CI_BATCH)
		return (1);
	ci_keys_add(&d->keys, k, klen);
	return (0);
}

static int
ci_drop_txn(struct store_txn *t, void *arg, char **cause)
{
	struct ci_drop	*d = arg;
	const char	*pfx[] = { CI_ENTRY, CI_COUNT };
	size_t		 i, p;
	int		 rc = 0;

	ci_keys_free(&d->keys);
	if ((rc = ci_mark_set(t, 0, cause)) != 0)
		return (rc);
	for (p = 0; rc == 0 && p < 2 && d->keys.n < 10 * CI_BATCH; p++)
		rc = store_scan_keys(t, STORE_INDEX, pfx[p], strlen(pfx[p]),
		    ci_drop_cb, d, cause);
	for (i = 0; rc == 0 && i < d->keys.n; i++)
		rc = store_del(t, STORE_INDEX, d->keys.list[i].b,
		    d->keys.list[i].len, cause);
	d->n = d->keys.n;
	return (rc);
}

int
casefile_index_rebuild(struct store *s, char **cause)
{
	struct ci_drop	 d;
	int		 rc;

	memset(&d, 0, sizeof d);
	do {
		rc = store_run(s, ci_drop_txn, &d, cause);
	} while (rc == 0 && d.n == 10 * CI_BATCH);
	ci_keys_free(&d.keys);
	if (rc != 0)
		return (rc);
	return (casefile_index_ensure(s, cause));
}

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
	struct ci_keys		 counts;
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
	day = strcmp(out, "deadline") == 0 || strcmp(out, "due") == 0;
	for (i = 3 + strlen(out) + 1; i < end; free(out), out = n) {
		if (day && i + 8 <= end) {
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
	struct ci_keys	 e;
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
	if ((h = ci_decode(v, vlen)) == NULL)
		return (0);	/* reported with the headers */
	memset(&e, 0, sizeof e);
	ci_terms(h, id, &e, &c->counts);
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
	ci_keys_free(&e);
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
	if (klen < 3 + 8)
		return (0);
	id = ~get_be64((const uint8_t *)k + klen - 8);
	if (id >= c->mark)
		p = NULL;
	else if ((p = c->n == 0 ? NULL : bsearch(&id, c->ids, c->n,
	    sizeof *c->ids, ci_u64cmp)) != NULL) {
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
ci_check_count(struct ci_check *c, const struct ci_key *k, uint64_t want,
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
	struct ci_key		 key;
	size_t			 j;
	int			 cmp;

	key.b = (uint8_t *)k;
	key.len = klen;
	for (;;) {
		if (cc->i == c->counts.n) {
			ci_check_count(c, &key, 0, vlen == 8 ? get_be64(v) : 0);
			return (0);
		}
		for (j = cc->i; j < c->counts.n && ci_keycmp(&c->counts.list[j],
		    &c->counts.list[cc->i]) == 0; j++)
			;
		cmp = ci_keycmp(&c->counts.list[cc->i], &key);
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
	int			 rc;

	memset(&c, 0, sizeof c);
	c.t = t;
	c.fn = fn;
	c.arg = arg;
	c.cause = cause;
	if ((rc = ci_mark(t, &c.mark, cause)) != 0)
		return (rc);
	if (c.mark != CI_DONE) {
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
		rc = store_scan_keys(t, STORE_INDEX, CI_ENTRY, 3,
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
	if (rc == 0 && c.mark == CI_DONE) {
		if (c.counts.n > 0)
			qsort(c.counts.list, c.counts.n, sizeof *c.counts.list,
			    ci_keycmp);
		cc.c = &c;
		cc.i = 0;
		rc = store_scan(t, STORE_INDEX, CI_COUNT, 3,
		    ci_check_counts_cb, &cc, cause);
		for (i = cc.i; rc == 0 && i < c.counts.n; i = j) {
			for (j = i; j < c.counts.n && ci_keycmp(
			    &c.counts.list[j], &c.counts.list[i]) == 0; j++)
				;
			ci_check_count(&c, &c.counts.list[i], j - i, 0);
		}
	}
	ci_keys_free(&c.counts);
	free(c.ids);
	free(c.want);
	free(c.have);
	return (rc);
}

/* Is field one of the comma-list fields with an entry per code? */
int
cf_index_listed(const char *field)
{
	size_t	 i;

	for (i = 0; i < CI_NLISTS; i++)
		if (strcmp(field, ci_lists[i]) == 0)
			return (1);
	return (0);
}

/*
 * The key prefix of entries (kind CF_INDEX_ENTRY) or counters of name
 * with value parts a and b (NULL: not given); its length, 0 if too long.
 */
size_t
cf_index_prefix(uint8_t *out, size_t size, const char *kind,
    const char *name, const char *a, const char *b)
{
	struct ci_buf	 k;

	ci_buf_start(&k, kind, name);
	if ((a != NULL && ci_buf_str(&k, a) != 0) ||
	    (b != NULL && ci_buf_str(&k, b) != 0) || k.len > size)
		return (0);
	memcpy(out, k.b, k.len);
	return (k.len);
}
