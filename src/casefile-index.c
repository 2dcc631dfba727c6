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
 * the overdue ones are those before today) and "recs" (cases holding a
 * recommendation, as the header's clear n.recommendation says: the
 * follow-up of recommendations reads those cases only; see
 * casefile_recs_ids()).  Counters: "all", "flow",
 * "aflow" (assignee \0 workflow \0 state, for the workload of open
 * cases), "region", "force", "categories", "victim_sex", and "due" per
 * deadline day (8 bytes): overdue depends on the date, not on a write, so
 * the number overdue today is the sum of the days before it, a few
 * thousand counters at most, never a walk of the cases.
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

#define CI_MARK		"hv"
#define CI_PAIRS_MARK	"hp"
#define CI_RECS_MARK	"hr"
#define CI_RECS		"recs"
#define CI_BATCH	2000
#define CI_NODEADLINE	((uint64_t)1 << 40)

/* The header fields the index reads (sorted, for record_decode_keys). */
static const char *ci_keys[] = {
	"assignees", "categories", "clock.deadline", "clock.paused_since",
	"force", "n.recommendation", "region", "state", "victim_sex",
	"workflow"
};
#define CI_NKEYS (sizeof ci_keys / sizeof ci_keys[0])

/* Comma-list fields with an entry and a counter per code. */
static const char *ci_lists[] = {
	"region", "force", "categories", "victim_sex"
};
#define CI_NLISTS (sizeof ci_lists / sizeof ci_lists[0])

static void
ci_keys_add(struct cf_ix_keys *ks, const void *b, size_t len)
{
	if ((ks->n & (ks->n - 1)) == 0)
		ks->list = xrealloc(ks->list, (ks->n == 0 ? 1 : 2 * ks->n) *
		    sizeof *ks->list);
	ks->list[ks->n].b = xmalloc(len);
	memcpy(ks->list[ks->n].b, b, len);
	ks->list[ks->n].len = len;
	ks->n++;
}

void
cf_ix_keys_free(struct cf_ix_keys *ks)
{
	size_t	 i;

	for (i = 0; i < ks->n; i++)
		free(ks->list[i].b);
	free(ks->list);
	ks->list = NULL;
	ks->n = 0;
}

int
cf_ix_keycmp(const void *a, const void *b)
{
	const struct cf_ix_key	*x = a, *y = b;
	int			 c;

	c = memcmp(x->b, y->b, x->len < y->len ? x->len : y->len);
	if (c != 0)
		return (c);
	return (x->len < y->len ? -1 : x->len > y->len);
}

int
cf_ix_u64cmp(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x < y ? -1 : x > y);
}

/* Sort and drop repeats among the keys from start on. */
static void
ci_keys_sort(struct cf_ix_keys *ks, size_t start)
{
	struct cf_ix_key	*l = ks->list + start;
	size_t		 i, j, n = ks->n - start;

	if (n == 0)
		return;
	qsort(l, n, sizeof *l, cf_ix_keycmp);
	for (i = j = 1; i < n; i++) {
		if (cf_ix_keycmp(&l[i], &l[j - 1]) == 0)
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
ci_term(struct cf_ix_keys *e, struct cf_ix_keys *c, uint64_t id, const char *name,
    const char *a, const char *b, int count)
{
	struct ci_buf	 k;

	ci_buf_start(&k, CF_INDEX_ENTRY, name);
	if ((a != NULL && ci_buf_str(&k, a) != 0) ||
	    (b != NULL && ci_buf_str(&k, b) != 0))
		return;		/* a value too long to index: never in forms */
	if (e != NULL) {
		ci_buf_id(&k, id);
		ci_keys_add(e, k.b, k.len);
		k.len -= 8;
	}
	if (count && c != NULL) {
		memcpy(k.b, CF_INDEX_COUNT, 3);
		/* A counter's key ends with its value, without the last \0. */
		ci_keys_add(c, k.b, a == NULL ? k.len : k.len - 1);
	}
}

/* An entry name \0 day \0 ~id, and (c) the counter name \0 day. */
static void
ci_day(struct cf_ix_keys *e, struct cf_ix_keys *c, uint64_t id,
    const char *name, uint64_t day)
{
	struct ci_buf	 k;
	uint8_t		 d[8];

	ci_buf_start(&k, CF_INDEX_ENTRY, name);
	put_be64(d, day);
	ci_buf_add(&k, d, sizeof d);
	if (c != NULL) {
		memcpy(k.b, CF_INDEX_COUNT, 3);
		ci_keys_add(c, k.b, k.len);
		memcpy(k.b, CF_INDEX_ENTRY, 3);
	}
	if (e == NULL)
		return;
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

/*
 * A counter: name \0, then the parts (up to the first NULL), each but
 * the last ending with \0, then the day (8 bytes) when it is not 0.
 */
static void
ci_counter_add(struct cf_ix_keys *c, const char *kind, const char *name,
    const char *const parts[4], uint64_t day)
{
	struct ci_buf	 k;
	uint8_t		 d[8];
	size_t		 i;

	ci_buf_start(&k, kind, name);
	for (i = 0; i < 4 && parts[i] != NULL; i++)
		if (ci_buf_str(&k, parts[i]) != 0)
			return;		/* too long to index: never in forms */
	if (day != 0) {
		put_be64(d, day);
		if (ci_buf_add(&k, d, sizeof d) != 0)
			return;
	} else
		k.len--;
	ci_keys_add(c, k.b, k.len);
}

/* Is k an entry "recs"? */
int
cf_ix_is_recs(const void *k, size_t len)
{
	return (len == 3 + sizeof CI_RECS + 8 && memcmp(k, CF_INDEX_ENTRY
	    CI_RECS, 3 + sizeof CI_RECS) == 0);
}

/* Is k one of the counters of ci_pairs()? */
int
cf_ix_is_pair(const void *k, size_t len)
{
	return (len > 3 && memcmp(k, CF_INDEX_MULTI, 3) == 0);
}

/*
 * The counters that give the number of a list of two conditions and
 * more without a walk: a region and a state ("rflow": region, workflow,
 * state), an assignee, a region and a state ("raflow": assignee, region,
 * workflow, state), and overdue with a region ("rdue": region, day), an
 * assignee ("adue": assignee, day) or a state ("fdue": workflow, state,
 * day).  day is the deadline of a clock that runs, 0 if none.
 */
static void
ci_pairs(struct cf_ix_keys *c, const char *wf, const char *st,
    const char *as, const char *regions, uint64_t day)
{
	const char	*p[4];
	char		*rcopy, *acopy, *r, *a, *rsave, *asave;

	rcopy = xstrdup(regions);
	for (r = strtok_r(rcopy, ",", &rsave); r != NULL;
	    r = strtok_r(NULL, ",", &rsave)) {
		p[0] = r, p[1] = wf, p[2] = st, p[3] = NULL;
		ci_counter_add(c, CF_INDEX_MULTI, "rflow", p, 0);
		p[1] = NULL;
		if (day != 0)
			ci_counter_add(c, CF_INDEX_MULTI, "rdue", p, day);
		acopy = xstrdup(as);
		for (a = strtok_r(acopy, ",", &asave); a != NULL;
		    a = strtok_r(NULL, ",", &asave)) {
			p[0] = a, p[1] = r, p[2] = wf, p[3] = st;
			ci_counter_add(c, CF_INDEX_MULTI, "raflow", p, 0);
		}
		free(acopy);
	}
	free(rcopy);
	if (day == 0)
		return;
	acopy = xstrdup(as);
	for (a = strtok_r(acopy, ",", &asave); a != NULL;
	    a = strtok_r(NULL, ",", &asave)) {
		p[0] = a, p[1] = NULL;
		ci_counter_add(c, CF_INDEX_MULTI, "adue", p, day);
	}
	free(acopy);
	p[0] = wf, p[1] = st, p[2] = NULL;
	ci_counter_add(c, CF_INDEX_MULTI, "fdue", p, day);
}

/*
 * Every entry (e) and counter (c) a header makes, with the counters of
 * ci_pairs() (CF_IX_PAIRS) and the entry "recs" (CF_IX_RECS) when asked;
 * sorted, no repeats.
 */
void
cf_ix_terms(const struct record *h, uint64_t id, struct cf_ix_keys *e,
    struct cf_ix_keys *c, int flags)
{
	const char	*wf, *st, *as, *p[4];
	char		*copy, *tok, *save;
	int64_t		 deadline;
	size_t		 i, cstart;
	int		 running;

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
		p[0] = tok, p[1] = wf, p[2] = st, p[3] = NULL;
		if (c != NULL)
			ci_counter_add(c, CF_INDEX_COUNT, "aflow", p, 0);
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
	if (e != NULL)
		ci_day(e, NULL, id, "deadline", deadline <= 0 ?
		    CI_NODEADLINE : (uint64_t)deadline);
	running = deadline > 0 && record_get_int(h, "clock.paused_since",
	    0) == 0;
	if (running)
		ci_day(e, c, id, "due", (uint64_t)deadline);
	if ((flags & CF_IX_PAIRS) && c != NULL)
		ci_pairs(c, wf, st, as, ci_str(h, "region"), running ?
		    (uint64_t)deadline : 0);
	if ((flags & CF_IX_RECS) && e != NULL &&
	    record_get_int(h, "n.recommendation", 0) > 0)
		ci_term(e, NULL, id, CI_RECS, NULL, NULL, 0);
	if (e != NULL)
		ci_keys_sort(e, 0);
	if (c != NULL)
		ci_keys_sort(c, cstart);
}

/* Add d to a counter. */
static int
ci_count(struct store_txn *t, const struct cf_ix_key *k, int64_t d,
    char **cause)
{
	uint8_t		 buf[8];
	uint64_t	 n;
	int		 rc, found;

	if ((rc = cf_ix_get(t, k->b, k->len, &n, &found, cause)) != 0)
		return (rc);
	n = (d < 0 && n < (uint64_t)-d) ? 0 : n + (uint64_t)d;
	if (n == 0)
		return (found ? store_del(t, STORE_INDEX, k->b, k->len,
		    cause) : 0);
	put_be64(buf, n);
	return (store_put(t, STORE_INDEX, k->b, k->len, buf, 8, 0, cause));
}

/*
 * A batch of new cases (import, demo) keeps the changes of the counters
 * in *sink while it runs (cf_index_defer), and writes each counter once,
 * in the same transaction, at its end (cf_index_flush): the same counters
 * read and written again for every case were a third of the index's
 * work.  Entries are written at once, as always.
 */
static __thread struct cf_ix_counts *ci_sink;

void
cf_index_defer(struct cf_ix_counts *sink)
{
	ci_sink = sink;
}

/* The net change of each counter of c, then c emptied. */
int
cf_index_flush(struct store_txn *t, struct cf_ix_counts *c, char **cause)
{
	struct cf_ix_keys	*l[2] = { &c->plus, &c->minus };
	const struct cf_ix_key	*key;
	size_t			 i[2] = { 0, 0 }, j, k;
	int64_t			 d;
	int			 cmp, rc = 0;

	for (k = 0; k < 2; k++)
		if (l[k]->n > 0)
			qsort(l[k]->list, l[k]->n, sizeof *l[k]->list,
			    cf_ix_keycmp);
	while (rc == 0 && (i[0] < l[0]->n || i[1] < l[1]->n)) {
		cmp = i[0] == l[0]->n ? 1 : i[1] == l[1]->n ? -1 :
		    cf_ix_keycmp(&l[0]->list[i[0]], &l[1]->list[i[1]]);
		k = cmp <= 0 ? 0 : 1;
		key = &l[k]->list[i[k]];
		d = 0;
		for (k = 0; k < 2; k++)
			for (j = i[k]; j < l[k]->n &&
			    cf_ix_keycmp(&l[k]->list[j], key) == 0; j++)
				d += k == 0 ? 1 : -1;
		if (d != 0)
			rc = ci_count(t, key, d, cause);
		for (k = 0; k < 2; k++)
			while (i[k] < l[k]->n &&
			    cf_ix_keycmp(&l[k]->list[i[k]], key) == 0)
				i[k]++;
	}
	cf_ix_keys_free(&c->plus);
	cf_ix_keys_free(&c->minus);
	return (rc);
}

/* Apply the difference between two sorted sets: what left, what came. */
static int
ci_apply(struct store_txn *t, const struct cf_ix_keys *old,
    const struct cf_ix_keys *new, int counters, char **cause)
{
	size_t	 i = 0, j = 0;
	int	 c, rc = 0;

	while (rc == 0 && (i < old->n || j < new->n)) {
		c = i == old->n ? 1 : j == new->n ? -1 :
		    cf_ix_keycmp(&old->list[i], &new->list[j]);
		if (counters && ci_sink != NULL) {
			if (c < 0)
				ci_keys_add(&ci_sink->minus, old->list[i].b,
				    old->list[i].len);
			else if (c > 0)
				ci_keys_add(&ci_sink->plus, new->list[j].b,
				    new->list[j].len);
		} else if (c < 0) {
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
/*
 * The 8-byte value of an index key (a counter, the mark) in *n, 0 when
 * there is none; *found whether there is one (NULL: not asked).
 */
int
cf_ix_get(struct store_txn *t, const void *k, size_t klen, uint64_t *n,
    int *found, char **cause)
{
	uint8_t	*v;
	size_t	 len;
	int	 rc;

	*n = 0;
	if (found != NULL)
		*found = 0;
	rc = store_get(t, STORE_INDEX, k, klen, &v, &len, cause);
	if (rc == STORE_NOTFOUND) {
		err_clear(cause);
		return (0);
	}
	if (rc != 0)
		return (rc);
	if (found != NULL)
		*found = 1;
	if (len == 8)
		*n = get_be64(v);
	free(v);
	return (0);
}

/*
 * The marks ("hv", "hp") as this attempt read or wrote them last: read
 * once per attempt (store_txn_serial()), since no other transaction can
 * change them while this one holds them, and a batch's every case asks.
 */
struct ci_memo {
	const char	*key;
	uint64_t	 serial, value;
};
static __thread struct ci_memo ci_memo_mark = { CI_MARK, 0, 0 };
static __thread struct ci_memo ci_memo_pairs = { CI_PAIRS_MARK, 0, 0 };
static __thread struct ci_memo ci_memo_recs = { CI_RECS_MARK, 0, 0 };

static int
ci_memo_get(struct store_txn *t, struct ci_memo *m, uint64_t *v,
    char **cause)
{
	int	 rc;

	if (m->serial != 0 && m->serial == store_txn_serial(t)) {
		*v = m->value;
		return (0);
	}
	rc = cf_ix_get(t, m->key, strlen(m->key), v, NULL, cause);
	if (rc == 0) {
		m->value = *v;
		m->serial = store_txn_serial(t);
	}
	return (rc);
}

static int
ci_memo_set(struct store_txn *t, struct ci_memo *m, uint64_t v,
    char **cause)
{
	uint8_t	 b[8];
	int	 rc;

	put_be64(b, v);
	m->serial = 0;
	rc = store_put(t, STORE_INDEX, m->key, strlen(m->key), b, 8, 0,
	    cause);
	if (rc == 0) {
		m->value = v;
		m->serial = store_txn_serial(t);
	}
	return (rc);
}

int
cf_ix_mark(struct store_txn *t, uint64_t *mark, char **cause)
{
	return (ci_memo_get(t, &ci_memo_mark, mark, cause));
}

static int
ci_mark_set(struct store_txn *t, uint64_t mark, char **cause)
{
	return (ci_memo_set(t, &ci_memo_mark, mark, cause));
}

/*
 * The counters of ci_pairs() came after the index: "hp" holds the id
 * below which they are counted (CF_INDEX_DONE: every case), so a store
 * indexed before them has them counted once, a batch of cases per
 * transaction (ci_pairs_txn()), while writers keep those of the cases
 * below it.  A list reads them only once every case is counted.
 */
int
cf_ix_pairs_mark(struct store_txn *t, uint64_t *mark, char **cause)
{
	return (ci_memo_get(t, &ci_memo_pairs, mark, cause));
}

/*
 * The entries "recs" came after the index too: "hr" holds the id below
 * which they are made (CF_INDEX_DONE: every case), raised a batch of
 * cases per transaction (ci_recs_txn()).  A writer keeps a case's entry
 * whatever the mark (putting one the builder puts again, or deleting one
 * it never put, changes nothing); a reader uses them only once every
 * case is in.
 */
int
cf_ix_recs_mark(struct store_txn *t, uint64_t *mark, char **cause)
{
	return (ci_memo_get(t, &ci_memo_recs, mark, cause));
}

/*
 * A batch of new cases says so (cf_index_fresh(1) while it writes one):
 * there is no stored header to read and unindex.
 */
static __thread int ci_fresh;

void
cf_index_fresh(int on)
{
	ci_fresh = on;
}

/* The header fields the index reads, from a stored header. */
struct record *
cf_ix_decode(const void *v, size_t len)
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
	struct cf_ix_keys	 oe, oc, ne, nc;
	struct record	*old = NULL;
	uint8_t		 k[8], *v;
	size_t		 len;
	uint64_t	 mark, pmark;
	int		 rc;

	if ((rc = cf_ix_mark(t, &mark, cause)) != 0)
		return (rc);
	if (id >= mark)
		return (0);	/* the builder will read it */
	if ((rc = cf_ix_pairs_mark(t, &pmark, cause)) != 0)
		return (rc);
	put_be64(k, id);
	rc = ci_fresh ? STORE_NOTFOUND : store_get(t, STORE_CASES, k, sizeof k,
	    &v, &len, cause);
	if (rc == 0) {
		old = cf_ix_decode(v, len);
		free(v);
	} else if (rc == STORE_NOTFOUND)
		err_clear(cause);
	else
		return (rc);
	memset(&oe, 0, sizeof oe);
	memset(&oc, 0, sizeof oc);
	memset(&ne, 0, sizeof ne);
	memset(&nc, 0, sizeof nc);
	cf_ix_terms(old, id, &oe, &oc, CF_IX_RECS |
	    (id < pmark ? CF_IX_PAIRS : 0));
	cf_ix_terms(h, id, &ne, &nc, CF_IX_RECS |
	    (id < pmark ? CF_IX_PAIRS : 0));
	record_free(old);
	rc = ci_apply(t, &oe, &ne, 0, cause);
	if (rc == 0)
		rc = ci_apply(t, &oc, &nc, 1, cause);
	cf_ix_keys_free(&oe);
	cf_ix_keys_free(&oc);
	cf_ix_keys_free(&ne);
	cf_ix_keys_free(&nc);
	return (rc);
}

/*
 * Whether the "due" counters are kept (*yes): they came after the index,
 * and a store indexed before them has them counted once on first use
 * (ci_due_txn() below).
 */
#define CI_DUE_MARK	"hd"

int
cf_ix_due_counted(struct store_txn *t, int *yes, char **cause)
{
	uint64_t	 n;

	return (cf_ix_get(t, CI_DUE_MARK, strlen(CI_DUE_MARK), &n, yes,
	    cause));
}

/*
 * Building: one batch of cases from the mark on, in one transaction.
 */
struct ci_build {
	struct store_txn	*t;
	uint64_t		 from, last;
	size_t			 n;
	struct cf_ix_keys		 counts;	/* one per case and counter */
	uint64_t		 pmark;		/* "hp" */
	uint64_t		 rmark;		/* "hr" */
	int			 pairs;		/* ci_pairs() only */
	int			 recs;		/* the entries "recs" only */
	int			 due;		/* "due" counted (below) */
	int			 rc;
	char			**cause;
};

static int
ci_build_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct ci_build	*b = arg;
	struct cf_ix_keys	 e, c;
	struct record	*h;
	uint64_t	 id;
	size_t		 i;

	if (klen != 8)
		return (0);
	if (b->n == CI_BATCH)
		return (1);
	id = get_be64(k);
	if ((h = cf_ix_decode(v, vlen)) == NULL)
		return (0);	/* dossier check reports it */
	memset(&e, 0, sizeof e);
	memset(&c, 0, sizeof c);
	if (b->pairs) {
		/* Only the counters of ci_pairs(), for ci_pairs_txn(). */
		cf_ix_terms(h, id, NULL, &c, 1);
		for (i = 0; i < c.n; i++)
			if (cf_ix_is_pair(c.list[i].b, c.list[i].len))
				ci_keys_add(&b->counts, c.list[i].b,
				    c.list[i].len);
		cf_ix_keys_free(&c);
	} else if (b->recs)
		cf_ix_terms(h, id, &e, NULL, CF_IX_RECS);
	else
		cf_ix_terms(h, id, &e, &b->counts, CF_IX_RECS |
		    (id < b->pmark ? CF_IX_PAIRS : 0));
	record_free(h);
	for (i = 0; b->rc == 0 && i < e.n; i++) {
		if (b->recs && !cf_ix_is_recs(e.list[i].b, e.list[i].len))
			continue;
		b->rc = store_put(b->t, STORE_INDEX, e.list[i].b, e.list[i].len,
		    "", 0, 0, b->cause);
	}
	cf_ix_keys_free(&e);
	b->last = id;
	b->n++;
	return (b->rc != 0 ? b->rc : 0);
}

/* Keys of the index to delete: up to max of them (0: every one). */
struct ci_drop {
	struct cf_ix_keys	 keys;
	size_t			 max;
	size_t			 n;
};

static int
ci_drop_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct ci_drop	*d = arg;

	(void)v;
	(void)vlen;
	if (d->max != 0 && d->keys.n == d->max)
		return (1);
	ci_keys_add(&d->keys, k, klen);
	return (0);
}

/* Delete every key under a prefix of the index. */
static int
ci_drop_prefix(struct store_txn *t, const void *prefix, size_t len,
    char **cause)
{
	struct ci_drop	 d;
	size_t		 i;
	int		 rc;

	memset(&d, 0, sizeof d);
	rc = store_scan_keys(t, STORE_INDEX, prefix, len, ci_drop_cb, &d,
	    cause);
	for (i = 0; rc == 0 && i < d.keys.n; i++)
		rc = store_del(t, STORE_INDEX, d.keys.list[i].b,
		    d.keys.list[i].len, cause);
	cf_ix_keys_free(&d.keys);
	return (rc);
}

/* The counters of a batch (one key per case and counter), each added once. */
static int
ci_build_counts(struct store_txn *t, struct cf_ix_keys *c, char **cause)
{
	size_t	 i, j;
	int	 rc = 0;

	if (c->n > 0)
		qsort(c->list, c->n, sizeof *c->list, cf_ix_keycmp);
	for (i = 0; rc == 0 && i < c->n; i = j) {
		for (j = i + 1; j < c->n && cf_ix_keycmp(&c->list[i],
		    &c->list[j]) == 0; j++)
			;
		rc = ci_count(t, &c->list[i], (int64_t)(j - i), cause);
	}
	return (rc);
}

/* A transaction's attempt starts afresh (recs: the "recs" entries only). */
static void
ci_build_begin(struct ci_build *b, struct store_txn *t, int recs,
    char **cause)
{
	cf_ix_keys_free(&b->counts);
	b->t = t;
	b->n = 0;
	b->rc = 0;
	b->cause = cause;
	b->pairs = 0;
	b->recs = recs;
}

static int
ci_build_txn(struct store_txn *t, void *arg, char **cause)
{
	struct ci_build	*b = arg;
	uint8_t		 start[8];
	uint64_t	 mark;
	int		 rc;

	ci_build_begin(b, t, 0, cause);
	if ((rc = cf_ix_mark(t, &mark, cause)) != 0 ||
	    (rc = cf_ix_pairs_mark(t, &b->pmark, cause)) != 0 ||
	    (rc = cf_ix_recs_mark(t, &b->rmark, cause)) != 0)
		return (rc);
	b->from = mark;
	if (mark == CF_INDEX_DONE)
		return (cf_ix_due_counted(t, &b->due, cause));
	/* A build from the start counts every counter as it goes. */
	if (mark == 0 && b->pmark != CF_INDEX_DONE) {
		if ((rc = ci_memo_set(t, &ci_memo_pairs, CF_INDEX_DONE,
		    cause)) != 0)
			return (rc);
		b->pmark = CF_INDEX_DONE;
	}
	/* ... and makes the entries "recs" too. */
	if (mark == 0) {
		if ((rc = ci_memo_set(t, &ci_memo_recs, CF_INDEX_DONE,
		    cause)) != 0)
			return (rc);
		b->rmark = CF_INDEX_DONE;
	}
	put_be64(start, mark);
	rc = store_scan_from(t, STORE_CASES, start, sizeof start, ci_build_cb,
	    b, cause);
	if (rc == 0)
		rc = b->rc;
	if (rc == 0)
		rc = ci_build_counts(t, &b->counts, cause);
	if (rc != 0)
		return (rc);
	return (ci_mark_set(t, b->n < CI_BATCH ? CF_INDEX_DONE : b->last + 1,
	    cause));
}

/*
 * The counters of ci_pairs() for a store indexed before them: a batch of
 * cases from "hp" on, in one transaction, then "hp" raised.
 */
static int
ci_pairs_txn(struct store_txn *t, void *arg, char **cause)
{
	struct ci_build	*b = arg;
	uint8_t		 start[8];
	int		 rc;

	cf_ix_keys_free(&b->counts);
	b->t = t;
	b->n = 0;
	b->rc = 0;
	b->cause = cause;
	b->pairs = 1;
	b->recs = 0;
	if ((rc = cf_ix_pairs_mark(t, &b->pmark, cause)) != 0)
		return (rc);
	b->from = b->pmark;
	if (b->pmark == CF_INDEX_DONE)
		return (0);
	if (b->pmark == 0 && (rc = ci_drop_prefix(t, CF_INDEX_MULTI, 3,
	    cause)) != 0)
		return (rc);	/* counted from nothing */
	put_be64(start, b->pmark);
	rc = store_scan_from(t, STORE_CASES, start, sizeof start, ci_build_cb,
	    b, cause);
	if (rc == 0)
		rc = b->rc;
	if (rc == 0)
		rc = ci_build_counts(t, &b->counts, cause);
	if (rc != 0)
		return (rc);
	return (ci_memo_set(t, &ci_memo_pairs, b->n < CI_BATCH ?
	    CF_INDEX_DONE : b->last + 1, cause));
}

/*
 * The entries "recs" for a store indexed before them: a batch of cases
 * from "hr" on, in one transaction, then "hr" raised.
 */
static int
ci_recs_txn(struct store_txn *t, void *arg, char **cause)
{
	struct ci_build	*b = arg;
	uint8_t		 start[8];
	uint64_t	 rmark;
	int		 rc;

	ci_build_begin(b, t, 1, cause);
	if ((rc = cf_ix_recs_mark(t, &rmark, cause)) != 0)
		return (rc);
	b->from = rmark;
	if (rmark == CF_INDEX_DONE)
		return (0);
	put_be64(start, rmark);
	rc = store_scan_from(t, STORE_CASES, start, sizeof start, ci_build_cb,
	    b, cause);
	if (rc == 0)
		rc = b->rc;
	if (rc != 0)
		return (rc);
	return (ci_memo_set(t, &ci_memo_recs, b->n < CI_BATCH ?
	    CF_INDEX_DONE : b->last + 1, cause));
}

/*
 * The counters "due" (cases whose clock runs, per deadline day), for a
 * store indexed before them: its "due" entries counted in one
 * transaction, and "hd" set.  Counting sets each counter to what the
 * entries say, so doing it again changes nothing.
 */

struct ci_due {
	struct store_txn	*t;
	uint8_t			 day[8];
	uint64_t		 n;
	int			 rc;
	char			**cause;
};

static int
ci_due_flush(struct ci_due *d)
{
	struct cf_ix_key	 key;
	struct ci_buf		 k;

	if (d->n == 0)
		return (0);
	ci_buf_start(&k, CF_INDEX_COUNT, "due");
	ci_buf_add(&k, d->day, sizeof d->day);
	key.b = k.b;
	key.len = k.len;
	d->rc = ci_count(d->t, &key, (int64_t)d->n, d->cause);
	d->n = 0;
	return (d->rc);
}

static int
ci_due_cb(const void *k, size_t klen, const void *v, size_t vlen, void *arg)
{
	struct ci_due	*d = arg;
	const uint8_t	*day = (const uint8_t *)k + 7;	/* "hx/due\0" */

	(void)v;
	(void)vlen;
	if (klen != 7 + 8 + 1 + 8)
		return (0);
	if (d->n > 0 && memcmp(day, d->day, 8) != 0 && ci_due_flush(d) != 0)
		return (d->rc);
	memcpy(d->day, day, 8);
	d->n++;
	return (0);
}

static int
ci_due_txn(struct store_txn *t, void *arg, char **cause)
{
	struct ci_due		*d = arg;
	int			 rc, yes;

	if ((rc = cf_ix_due_counted(t, &yes, cause)) != 0 || yes)
		return (rc);
	rc = ci_drop_prefix(t, CF_INDEX_COUNT "due", 7, cause);
	memset(d, 0, sizeof *d);
	d->t = t;
	d->cause = cause;
	if (rc == 0)
		rc = store_scan_keys(t, STORE_INDEX, CF_INDEX_ENTRY "due", 7,
		    ci_due_cb, d, cause);
	if (rc == 0)
		rc = d->rc;
	if (rc == 0)
		rc = ci_due_flush(d);
	if (rc == 0)
		rc = store_put(t, STORE_INDEX, CI_DUE_MARK,
		    strlen(CI_DUE_MARK), "", 0, 0, cause);
	return (rc);
}

/*
 * Index the cases not indexed yet (a store made before the index, or a
 * rebuild): nothing to do but one read once it is built.
 */
int
casefile_index_ensure(struct store *s, char **cause)
{
	struct ci_build	 b;
	struct ci_due	 d;
	int		 rc, recs;

	memset(&b, 0, sizeof b);
	do {
		rc = store_run(s, ci_build_txn, &b, cause);
	} while (rc == 0 && b.from != CF_INDEX_DONE && b.n == CI_BATCH);
	cf_ix_keys_free(&b.counts);
	/* "hr" as the last build transaction read it, once built. */
	recs = b.from == CF_INDEX_DONE && b.rmark != CF_INDEX_DONE;
	/* At a replica, the master counts them (and sends the counters). */
	if (rc == 0 && b.from == CF_INDEX_DONE && !b.due &&
	    store_site_refuses(s, NULL) == 0)
		rc = store_run(s, ci_due_txn, &d, cause);
	if (rc == 0 && b.from == CF_INDEX_DONE && b.pmark != CF_INDEX_DONE &&
	    store_site_refuses(s, NULL) == 0) {
		do {
			rc = store_run(s, ci_pairs_txn, &b, cause);
		} while (rc == 0 && b.from != CF_INDEX_DONE &&
		    b.n == CI_BATCH);
		cf_ix_keys_free(&b.counts);
	}
	if (rc == 0 && recs && store_site_refuses(s, NULL) == 0) {
		do {
			rc = store_run(s, ci_recs_txn, &b, cause);
		} while (rc == 0 && b.from != CF_INDEX_DONE &&
		    b.n == CI_BATCH);
	}
	/* The agent index's counters (casefile-agent.c), the same way. */
	if (rc == 0 && store_site_refuses(s, NULL) == 0)
		rc = cf_agent_ensure(s, cause);
	return (rc);
}

/* Drop the index (a batch of keys per transaction); ensure rebuilds it. */
static int
ci_drop_txn(struct store_txn *t, void *arg, char **cause)
{
	struct ci_drop	*d = arg;
	const char	*pfx[] = { CF_INDEX_ENTRY, CF_INDEX_COUNT,
	    CF_INDEX_MULTI };
	size_t		 i, p;
	int		 rc = 0;

	cf_ix_keys_free(&d->keys);
	if ((rc = ci_mark_set(t, 0, cause)) != 0 ||
	    (rc = ci_memo_set(t, &ci_memo_recs, 0, cause)) != 0)
		return (rc);
	/* The agents' counters too: counted again from the entries. */
	if ((rc = cf_agent_drop(t, cause)) != 0)
		return (rc);
	for (p = 0; rc == 0 && p < 3 && d->keys.n < d->max; p++)
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
	d.max = 10 * CI_BATCH;
	do {
		rc = store_run(s, ci_drop_txn, &d, cause);
	} while (rc == 0 && d.n == d.max);
	cf_ix_keys_free(&d.keys);
	if (rc != 0)
		return (rc);
	return (casefile_index_ensure(s, cause));
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
 * with value parts (up to 4, to the first NULL), each ending with \0;
 * its length, 0 if too long.  A counter's key is the prefix without its
 * last \0.
 */
size_t
cf_index_prefixv(uint8_t *out, size_t size, const char *kind,
    const char *name, const char *const parts[4])
{
	struct ci_buf	 k;
	size_t		 i;

	ci_buf_start(&k, kind, name);
	for (i = 0; i < 4 && parts[i] != NULL; i++)
		if (ci_buf_str(&k, parts[i]) != 0)
			return (0);
	if (k.len > size)
		return (0);
	memcpy(out, k.b, k.len);
	return (k.len);
}

/* The same with value parts a and b (NULL: not given). */
size_t
cf_index_prefix(uint8_t *out, size_t size, const char *kind,
    const char *name, const char *a, const char *b)
{
	const char	*parts[4] = { a, a != NULL ? b : NULL, NULL, NULL };

	return (cf_index_prefixv(out, size, kind, name, parts));
}

/*
 * The cases holding a recommendation (the header's n.recommendation),
 * newest first: from the entries "recs" once every case has them (0),
 * or 1 while they are being made (the caller reads every case).
 */
struct ci_recs {
	uint64_t	*ids;
	size_t		 n;
	int		 ready;
};

static int
ci_recs_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct ci_recs	*r = arg;

	(void)v;
	(void)vlen;
	if (!cf_ix_is_recs(k, klen))
		return (0);
	if ((r->n & (r->n - 1)) == 0)
		r->ids = xrealloc(r->ids, (r->n == 0 ? 1 : 2 * r->n) *
		    sizeof *r->ids);
	r->ids[r->n++] = ~get_be64((const uint8_t *)k + klen - 8);
	return (0);
}

static int
ci_recs_ids_txn(struct store_txn *t, void *arg, char **cause)
{
	struct ci_recs	*r = arg;
	uint64_t	 mark, rmark;
	int		 rc;

	r->n = 0;
	r->ready = 0;
	if ((rc = cf_ix_mark(t, &mark, cause)) != 0 ||
	    (rc = cf_ix_recs_mark(t, &rmark, cause)) != 0)
		return (rc);
	if (mark != CF_INDEX_DONE || rmark != CF_INDEX_DONE)
		return (0);
	r->ready = 1;
	return (store_scan_keys(t, STORE_INDEX, CF_INDEX_ENTRY CI_RECS,
	    3 + sizeof CI_RECS, ci_recs_cb, r, cause));
}

int
casefile_recs_ids(struct casefile_ctx *ctx, uint64_t **idsp, size_t *np,
    char **cause)
{
	struct ci_recs	 r;

	*idsp = NULL;
	*np = 0;
	if (casefile_index_ensure(ctx->sess->store, cause) != 0)
		return (-1);
	memset(&r, 0, sizeof r);
	if (store_run(ctx->sess->store, ci_recs_ids_txn, &r, cause) != 0) {
		free(r.ids);
		return (-1);
	}
	if (!r.ready) {
		free(r.ids);
		return (1);
	}
	*idsp = r.ids != NULL ? r.ids : xcalloc(1, sizeof *r.ids);
	*np = r.n;
	return (0);
}
