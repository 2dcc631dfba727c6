/*
 * stats-table.c: counting cases into tables, the durations of stages,
 * and suppression for publication.
 *
 * A table counts each case once under each value it has: a case with two
 * categories counts in both, so the totals of a multi-valued dimension
 * (categories, findings, decisions) count case-value pairs, not cases.
 * Totals are always the sums of the numbers shown, so that the only
 * relations between the published numbers are the row and column sums.
 *
 * Suppression.  Every published number (cell or total) from 1 to
 * threshold - 1 is hidden (primary suppression): a small count may name
 * a victim.  Zeros are shown: they name no one.  Then, as long as some
 * hidden number can be worked out exactly from the numbers shown through
 * the row and column sums, one more number is hidden (complementary
 * suppression), chosen among those sharing a sum with it so that it stops
 * being derivable, the smallest first.  "Derivable" is decided by linear
 * algebra, not by counting hidden cells per line: the hidden numbers are
 * the unknowns of the system of sums, and one of them is determined
 * exactly when its column of that system is not in the span of the other
 * columns (removing it lowers the rank).  The test checks the result
 * against an independent criterion (tests/unit/test-stats.c).
 *
 * Codes are kept once per struct stats (the pool, below), each with its
 * number, so that counting indexes arrays instead of comparing strings:
 * a run at 100,000 cases counts in tens of milliseconds.
 */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "util.h"
#include "workflow.h"

static int	stats_code_cmp(const void *, const void *);

/* The pool of codes: each string once, with its number. */
struct stats_str {
	size_t	 id;
	char	*shown;		/* free text: as first entered, or NULL */
	uint64_t shown_at;	/* the case it was entered in */
	char	 s[];
};

struct stats_pool {
	struct stats_str	**v;
	size_t			  n, size;
	size_t			 *slot;		/* id + 1, 0: free */
	size_t			  nslot;	/* a power of 2 */
};

static uint64_t
stats_hash(const char *s)
{
	uint64_t	 h = 1469598103934665603ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (h);
}

static void
stats_pool_grow(struct stats_pool *p)
{
	size_t	 i, j;

	free(p->slot);
	p->nslot = p->nslot == 0 ? 256 : 2 * p->nslot;
	p->slot = xcalloc(p->nslot, sizeof *p->slot);
	for (i = 0; i < p->n; i++) {
		j = stats_hash(p->v[i]->s) & (p->nslot - 1);
		while (p->slot[j] != 0)
			j = (j + 1) & (p->nslot - 1);
		p->slot[j] = i + 1;
	}
}

char *
stats_intern(struct stats *st, const char *s)
{
	struct stats_pool	*p;
	struct stats_str	*e;
	size_t			 j, len;

	if (st->pool == NULL)
		st->pool = xcalloc(1, sizeof *st->pool);
	p = st->pool;
	if (2 * (p->n + 1) > p->nslot)
		stats_pool_grow(p);
	j = stats_hash(s) & (p->nslot - 1);
	while (p->slot[j] != 0) {
		if (strcmp(p->v[p->slot[j] - 1]->s, s) == 0)
			return (p->v[p->slot[j] - 1]->s);
		j = (j + 1) & (p->nslot - 1);
	}
	len = strlen(s);
	e = xmalloc(sizeof *e + len + 1);
	e->id = p->n;
	e->shown = NULL;
	memcpy(e->s, s, len + 1);
	if (p->n == p->size) {
		p->size = p->size == 0 ? 64 : 2 * p->size;
		p->v = xrealloc(p->v, p->size * sizeof *p->v);
	}
	p->v[p->n++] = e;
	p->slot[j] = p->n;
	return (e->s);
}

/*
 * A free-text code (folded: "brigade de sévaré") and the words it was
 * entered as in case order ("Brigade de Sévaré"): those of the oldest
 * case are kept, whatever order the cases are read in, for the labels of
 * the tables; the code stays what is counted and sorted.
 */
void
stats_code_set_shown(struct stats *st, const char *code, const char *shown,
    uint64_t order)
{
	struct stats_str	*e;
	size_t			 id;

	if ((id = stats_code_find(st, code)) == SIZE_MAX)
		return;
	e = st->pool->v[id];
	if (e->shown != NULL && e->shown_at <= order)
		return;
	free(e->shown);
	e->shown = xstrdup(shown);
	e->shown_at = order;
}

/* The words a free-text code was first entered as, or NULL. */
const char *
stats_code_shown(const struct stats *st, const char *code)
{
	size_t	 id;

	if (st == NULL || (id = stats_code_find(st, code)) == SIZE_MAX)
		return (NULL);
	return (st->pool->v[id]->shown);
}

size_t
stats_code_id(const char *code)
{
	return (((const struct stats_str *)(const void *)(code -
	    offsetof(struct stats_str, s)))->id);
}

size_t
stats_code_find(const struct stats *st, const char *s)
{
	const struct stats_pool	*p = st->pool;
	size_t			 j;

	if (p == NULL || p->nslot == 0)
		return (SIZE_MAX);
	j = stats_hash(s) & (p->nslot - 1);
	while (p->slot[j] != 0) {
		if (strcmp(p->v[p->slot[j] - 1]->s, s) == 0)
			return (p->slot[j] - 1);
		j = (j + 1) & (p->nslot - 1);
	}
	return (SIZE_MAX);
}

const char *
stats_code_at(const struct stats *st, size_t id)
{
	return (st->pool->v[id]->s);
}

size_t
stats_ncodes(const struct stats *st)
{
	return (st->pool != NULL ? st->pool->n : 0);
}

void
stats_pool_free(struct stats *st)
{
	size_t	 i;

	if (st->pool == NULL)
		return;
	for (i = 0; i < st->pool->n; i++) {
		free(st->pool->v[i]->shown);
		free(st->pool->v[i]);
	}
	free(st->pool->v);
	free(st->pool->slot);
	free(st->pool);
	st->pool = NULL;
}

static int
stats_code_rank(const char *s)
{
	if (strcmp(s, STATS_NONE) == 0)
		return (1);
	if (strcmp(s, STATS_UNSTATED) == 0)
		return (2);
	if (strcmp(s, STATS_NOKEY) == 0)
		return (3);
	return (0);
}

/* Codes in order, "(none)" and "(nokey)" last. */
static int
stats_code_cmp(const void *a, const void *b)
{
	const char	*x = *(const char * const *)a;
	const char	*y = *(const char * const *)b;
	int		 rx = stats_code_rank(x), ry = stats_code_rank(y);

	if (rx != ry)
		return (rx - ry);
	return (strcmp(x, y));
}

/* Every value of a dimension among the cases, sorted. */
static char **
stats_codes(const struct stats *st, enum stats_dim d, size_t *np,
    size_t **mapp)
{
	char			**codes = NULL;
	const struct stats_values *v;
	unsigned char		 *seen;
	size_t			  n = 0, i, j, ncodes = stats_ncodes(st);

	seen = xcalloc(ncodes + 1, 1);
	for (i = 0; i < st->ncases; i++) {
		v = &st->cases[i].values[d];
		for (j = 0; j < v->n; j++) {
			if (seen[stats_code_id(v->v[j])])
				continue;
			seen[stats_code_id(v->v[j])] = 1;
			codes = xrealloc(codes, (n + 1) * sizeof *codes);
			codes[n++] = v->v[j];
		}
	}
	free(seen);
	if (n > 0)
		qsort(codes, n, sizeof *codes, stats_code_cmp);
	/* Each code's row or column, by its number; then a copy. */
	*mapp = xcalloc(ncodes + 1, sizeof **mapp);
	for (i = 0; i < n; i++) {
		(*mapp)[stats_code_id(codes[i])] = i;
		codes[i] = xstrdup(codes[i]);
	}
	*np = n;
	return (codes);
}

struct stats_rank {
	long	 rank;
	size_t	 at;
};

static int
stats_rank_cmp(const void *a, const void *b)
{
	const struct stats_rank	*x = a, *y = b;

	if (x->rank != y->rank)
		return (x->rank < y->rank ? -1 : 1);
	return (x->at < y->at ? -1 : x->at > y->at);
}

/* The new place of each row or column, the margin staying last. */
static size_t *
stats_rank_order(const long *rank, size_t n)
{
	struct stats_rank	*r = xcalloc(n + 1, sizeof *r);
	size_t			*order = xcalloc(n + 1, sizeof *order), i;

	for (i = 0; i < n; i++) {
		r[i].rank = rank == NULL ? 0 : rank[i] < 0 ? LONG_MAX :
		    rank[i];
		r[i].at = i;
	}
	if (n > 0)
		qsort(r, n, sizeof *r, stats_rank_cmp);
	for (i = 0; i < n; i++)
		order[i] = r[i].at;
	order[n] = n;
	free(r);
	return (order);
}

void
stats_table_order(struct stats_table *t, const long *rrank,
    const long *crank)
{
	size_t		*ro, *co, i, j, size = (t->nr + 1) * (t->nc + 1);
	long		*grid = xcalloc(size, sizeof *grid);
	unsigned char	*sup = xcalloc(size, 1);
	char		**codes;

	ro = stats_rank_order(rrank, t->nr);
	co = stats_rank_order(crank, t->nc);
	for (i = 0; i <= t->nr; i++) {
		for (j = 0; j <= t->nc; j++) {
			grid[STATS_AT(t, i, j)] = t->grid[STATS_AT(t, ro[i],
			    co[j])];
			sup[STATS_AT(t, i, j)] = t->sup[STATS_AT(t, ro[i],
			    co[j])];
		}
	}
	free(t->grid);
	free(t->sup);
	t->grid = grid;
	t->sup = sup;
	codes = xcalloc(t->nr + 1, sizeof *codes);
	for (i = 0; i < t->nr; i++)
		codes[i] = t->rcodes[ro[i]];
	memcpy(t->rcodes, codes, t->nr * sizeof *codes);
	free(codes);
	codes = xcalloc(t->nc + 1, sizeof *codes);
	for (j = 0; j < t->nc; j++)
		codes[j] = t->ccodes[co[j]];
	memcpy(t->ccodes, codes, t->nc * sizeof *codes);
	free(codes);
	free(ro);
	free(co);
}

/* A one-way table (col STATS_NDIM) or a cross-tabulation. */
struct stats_table *
stats_table(const struct stats *st, enum stats_dim row, enum stats_dim col)
{
	struct stats_table		*t = xcalloc(1, sizeof *t);
	const struct stats_values	*rv, *cv;
	size_t				 i, a, b, r, c, size;
	size_t				*rmap, *cmap = NULL;

	t->row = row;
	t->col = col;
	t->rcodes = stats_codes(st, row, &t->nr, &rmap);
	if (col == STATS_NDIM) {
		t->nc = 1;
		t->ccodes = xcalloc(1, sizeof *t->ccodes);
		t->ccodes[0] = xstrdup("");
	} else
		t->ccodes = stats_codes(st, col, &t->nc, &cmap);
	size = (t->nr + 1) * (t->nc + 1);
	t->grid = xcalloc(size, sizeof *t->grid);
	t->sup = xcalloc(size, 1);
	for (i = 0; i < st->ncases; i++) {
		rv = &st->cases[i].values[row];
		for (a = 0; a < rv->n; a++) {
			r = rmap[stats_code_id(rv->v[a])];
			if (col == STATS_NDIM) {
				t->grid[STATS_AT(t, r, 0)]++;
				continue;
			}
			cv = &st->cases[i].values[col];
			for (b = 0; b < cv->n; b++) {
				c = cmap[stats_code_id(cv->v[b])];
				t->grid[STATS_AT(t, r, c)]++;
			}
		}
	}
	free(rmap);
	free(cmap);
	for (r = 0; r < t->nr; r++) {
		for (c = 0; c < t->nc; c++) {
			t->grid[STATS_AT(t, r, t->nc)] += t->grid[STATS_AT(t, r,
			    c)];
			t->grid[STATS_AT(t, t->nr, c)] += t->grid[STATS_AT(t, r,
			    c)];
			t->grid[STATS_AT(t, t->nr, t->nc)] += t->grid[STATS_AT(t,
			    r, c)];
		}
	}
	return (t);
}

/*
 * Every one-way table of the cases' dimensions, as stats_table() makes
 * them, in one pass over the cases (a run at 100,000 cases made 19
 * passes over memory much larger than the caches).
 */
void
stats_add_one_way(struct stats *st)
{
	struct stats_table		*t;
	const struct stats_values	*v;
	char				**codes;
	long				*cnt, *row;
	size_t				 nc = stats_ncodes(st), i, j, r, n, size;
	int				 d;

	cnt = xcalloc((size_t)STATS_NDIM * (nc + 1), sizeof *cnt);
	for (i = 0; i < st->ncases; i++) {
		for (d = 0; d < STATS_NDIM; d++) {
			v = &st->cases[i].values[d];
			row = cnt + (size_t)d * (nc + 1);
			for (j = 0; j < v->n; j++)
				row[stats_code_id(v->v[j])]++;
		}
	}
	codes = xcalloc(nc + 1, sizeof *codes);
	for (d = 0; d < STATS_NDIM; d++) {
		if (STATS_IS_REC(d))
			continue;
		row = cnt + (size_t)d * (nc + 1);
		for (i = n = 0; i < nc; i++)
			if (row[i] > 0)
				codes[n++] = (char *)stats_code_at(st, i);
		if (n > 0)
			qsort(codes, n, sizeof *codes, stats_code_cmp);
		t = xcalloc(1, sizeof *t);
		t->row = d;
		t->col = STATS_NDIM;
		t->nr = n;
		t->rcodes = xcalloc(n + 1, sizeof *t->rcodes);
		t->nc = 1;
		t->ccodes = xcalloc(1, sizeof *t->ccodes);
		t->ccodes[0] = xstrdup("");
		size = (t->nr + 1) * (t->nc + 1);
		t->grid = xcalloc(size, sizeof *t->grid);
		t->sup = xcalloc(size, 1);
		for (r = 0; r < n; r++) {
			t->rcodes[r] = xstrdup(codes[r]);
			t->grid[STATS_AT(t, r, 0)] = row[stats_code_id(codes[r])];
			t->grid[STATS_AT(t, r, 1)] = t->grid[STATS_AT(t, r, 0)];
			t->grid[STATS_AT(t, n, 0)] += t->grid[STATS_AT(t, r, 0)];
			t->grid[STATS_AT(t, n, 1)] += t->grid[STATS_AT(t, r, 0)];
		}
		stats_add_table(st, t);
	}
	free(codes);
	free(cnt);
}

struct stats_table *
stats_table_any(const struct stats *st, enum stats_dim row, enum stats_dim col)
{
	struct stats	 empty;

	if (!STATS_IS_REC(row) && (col == STATS_NDIM || !STATS_IS_REC(col)))
		return (stats_table(st, row, col));
	if (st->recs != NULL)
		return (stats_table(st->recs, row, col));
	memset(&empty, 0, sizeof empty);
	return (stats_table(&empty, row, col));
}

void
stats_table_free(struct stats_table *t)
{
	size_t	 i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nr; i++)
		free(t->rcodes[i]);
	free(t->rcodes);
	for (i = 0; i < t->nc; i++)
		free(t->ccodes[i]);
	free(t->ccodes);
	free(t->grid);
	free(t->sup);
	free(t);
}

void
stats_add_table(struct stats *st, struct stats_table *t)
{
	st->tables = xrealloc(st->tables, (st->ntables + 1) *
	    sizeof *st->tables);
	st->tables[st->ntables++] = t;
}

static int
stats_long_cmp(const void *a, const void *b)
{
	long	 x = *(const long *)a, y = *(const long *)b;

	return (x < y ? -1 : x > y);
}

/* Every state of every workflow in its order, with its stays. */
void
stats_stages(struct stats *st, const struct workflow_set *flows)
{
	const struct workflow		*wf;
	const struct workflow_state	*s;
	const struct stats_visit	*v;
	struct stats_stage		*g;
	struct stage_acc {
		const struct workflow		*wf;
		const struct workflow_state	*s;
		long				*days;
		size_t				 n, size, total;
		size_t				 met, missed, running;
	}				*acc = NULL, *a;
	size_t				*wmap, *smap, nc = stats_ncodes(st);
	size_t				 nw, nslot = 0, w, k, i, j, id, slot, sid;
	size_t				 n;
	long				*days;

	nw = flows != NULL ? flows->n : 0;
	if (nw == 0 || nc == 0)
		return;
	/* Each stay's slot, by its workflow's and state's numbers. */
	wmap = xcalloc(nc, sizeof *wmap);
	smap = xcalloc(nw * nc, sizeof *smap);
	for (w = 0; w < nw; w++) {
		wf = flows->list[w];
		if ((id = stats_code_find(st, wf->id)) != SIZE_MAX)
			wmap[id] = w + 1;
		for (k = 0; k < wf->nstates; k++) {
			s = &wf->states[k];
			if (s->terminal)
				continue;
			acc = xrealloc(acc, (nslot + 1) * sizeof *acc);
			memset(&acc[nslot], 0, sizeof *acc);
			acc[nslot].wf = wf;
			acc[nslot].s = s;
			if ((sid = stats_code_find(st, s->id)) != SIZE_MAX)
				smap[w * nc + sid] = nslot + 1;
			nslot++;
		}
	}
	for (i = 0; i < st->ncases; i++) {
		for (j = 0; j < st->cases[i].nvisits; j++) {
			v = &st->cases[i].visits[j];
			if ((w = wmap[stats_code_id(v->workflow)]) == 0 ||
			    (slot = smap[(w - 1) * nc +
			    stats_code_id(v->state)]) == 0)
				continue;
			a = &acc[slot - 1];
			a->total++;
			if (v->late)
				a->missed++;
			else if (v->open && v->limit > 0)
				a->running++;
			else if (!v->open && v->limit > 0)
				a->met++;
			if (v->open)
				continue;
			if (a->n == a->size) {
				a->size = a->size == 0 ? 64 : 2 * a->size;
				a->days = xrealloc(a->days, a->size *
				    sizeof *a->days);
			}
			a->days[a->n++] = v->days;
		}
	}
	for (slot = 0; slot < nslot; slot++) {
		if (acc[slot].total == 0)
			continue;
		st->stages = xrealloc(st->stages, (st->nstages + 1) *
		    sizeof *st->stages);
		g = &st->stages[st->nstages++];
		memset(g, 0, sizeof *g);
		g->workflow = xstrdup(acc[slot].wf->id);
		g->state = xstrdup(acc[slot].s->id);
		g->limit = acc[slot].s->days;
		g->missed = acc[slot].missed;
		g->running = acc[slot].running;
		g->met = acc[slot].met;
		g->done = acc[slot].n;
		days = acc[slot].days;
		if ((n = g->done) > 0) {
			qsort(days, n, sizeof *days, stats_long_cmp);
			g->median = n % 2 ? (double)days[n / 2] :
			    (days[n / 2 - 1] + days[n / 2]) / 2.0;
			/* Nearest rank: the smallest stay that 90% of the
			 * stays do not exceed. */
			g->p90 = days[(9 * n + 9) / 10 - 1];
		}
		free(days);
	}
	free(acc);
	free(wmap);
	free(smap);
}

/*
 * The sums the published numbers obey, as lists of (grid index, sign):
 * a one-way table has one (its cells make its total); a cross-tabulation
 * one per row and one per column, totals included.
 */
struct stats_sum {
	size_t	*idx;
	int	*sign;
	size_t	 n;
};

static void
stats_sum_add(struct stats_sum *s, size_t idx, int sign)
{
	s->idx = xrealloc(s->idx, (s->n + 1) * sizeof *s->idx);
	s->sign = xrealloc(s->sign, (s->n + 1) * sizeof *s->sign);
	s->idx[s->n] = idx;
	s->sign[s->n++] = sign;
}

static struct stats_sum *
stats_sums(const struct stats_table *t, size_t *np)
{
	struct stats_sum	*s;
	size_t			 i, j, n;

	if (t->col == STATS_NDIM) {
		s = xcalloc(1, sizeof *s);
		for (i = 0; i < t->nr; i++)
			stats_sum_add(s, STATS_AT(t, i, 0), 1);
		stats_sum_add(s, STATS_AT(t, t->nr, 0), -1);
		*np = 1;
		return (s);
	}
	n = (t->nr + 1) + (t->nc + 1);
	s = xcalloc(n, sizeof *s);
	for (i = 0; i <= t->nr; i++) {
		for (j = 0; j < t->nc; j++)
			stats_sum_add(&s[i], STATS_AT(t, i, j), 1);
		stats_sum_add(&s[i], STATS_AT(t, i, t->nc), -1);
	}
	for (j = 0; j <= t->nc; j++) {
		for (i = 0; i < t->nr; i++)
			stats_sum_add(&s[t->nr + 1 + j], STATS_AT(t, i, j), 1);
		stats_sum_add(&s[t->nr + 1 + j], STATS_AT(t, t->nr, j), -1);
	}
	*np = n;
	return (s);
}

static void
stats_sums_free(struct stats_sum *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(s[i].idx);
		free(s[i].sign);
	}
	free(s);
}

/* The rank of an m x n matrix (row-major, destroyed). */
static size_t
stats_rank(double *a, size_t m, size_t n)
{
	size_t	 rank = 0, r, c, i, p;
	double	 f, tmp;

	for (c = 0; c < n && rank < m; c++) {
		p = rank;
		for (r = rank + 1; r < m; r++)
			if (fabs(a[r * n + c]) > fabs(a[p * n + c]))
				p = r;
		if (fabs(a[p * n + c]) < 1e-9)
			continue;
		for (i = 0; i < n; i++) {
			tmp = a[p * n + i];
			a[p * n + i] = a[rank * n + i];
			a[rank * n + i] = tmp;
		}
		for (r = rank + 1; r < m; r++) {
			f = a[r * n + c] / a[rank * n + c];
			if (f == 0)
				continue;
			for (i = c; i < n; i++)
				a[r * n + i] -= f * a[rank * n + i];
		}
		rank++;
	}
	return (rank);
}

/*
 * The system of sums over the hidden numbers, without the one at grid
 * index skip (or with all when skip is the grid size); its rank.
 */
static size_t
stats_hidden_rank(const struct stats_table *t, const struct stats_sum *s,
    size_t ns, size_t skip)
{
	size_t	 size = (t->nr + 1) * (t->nc + 1), *col, n = 0, i, k, r;
	double	*a;

	col = xcalloc(size, sizeof *col);
	for (i = 0; i < size; i++)
		col[i] = (t->sup[i] && i != skip) ? n++ : size;
	if (n == 0) {
		free(col);
		return (0);
	}
	a = xcalloc(ns * n, sizeof *a);
	for (k = 0; k < ns; k++)
		for (i = 0; i < s[k].n; i++)
			if (col[s[k].idx[i]] != size)
				a[k * n + col[s[k].idx[i]]] += s[k].sign[i];
	r = stats_rank(a, ns, n);
	free(a);
	free(col);
	return (r);
}

static int
stats_derivable_in(const struct stats_table *t, const struct stats_sum *s,
    size_t ns, size_t k)
{
	size_t	 size = (t->nr + 1) * (t->nc + 1);

	if (!t->sup[k])
		return (1);	/* shown */
	return (stats_hidden_rank(t, s, ns, size) >
	    stats_hidden_rank(t, s, ns, k));
}

int
stats_derivable(const struct stats_table *t, size_t k)
{
	struct stats_sum	*s;
	size_t			 ns;
	int			 rc;

	s = stats_sums(t, &ns);
	rc = stats_derivable_in(t, s, ns, k);
	stats_sums_free(s, ns);
	return (rc);
}

/* Is grid index k a number the table shows? */
static int
stats_shown(const struct stats_table *t, size_t k)
{
	size_t	 j = k % (t->nc + 1);

	return (t->col != STATS_NDIM || j == 0);
}

static int
stats_share_sum(const struct stats_sum *s, size_t ns, size_t a, size_t b)
{
	size_t	 k, i;
	int	 ha, hb;

	for (k = 0; k < ns; k++) {
		ha = hb = 0;
		for (i = 0; i < s[k].n; i++) {
			if (s[k].idx[i] == a)
				ha = 1;
			if (s[k].idx[i] == b)
				hb = 1;
		}
		if (ha && hb)
			return (1);
	}
	return (0);
}

/*
 * The number to hide so that k stops being derivable: among those that
 * share a sum with k, the smallest that does it, else the smallest of
 * them (the loop goes on), else the smallest shown anywhere.
 */
static size_t
stats_complement(struct stats_table *t, const struct stats_sum *s, size_t ns,
    size_t k)
{
	size_t	 size = (t->nr + 1) * (t->nc + 1), i, fix = size, near = size;
	size_t	 any = size;

	for (i = 0; i < size; i++) {
		if (t->sup[i] || !stats_shown(t, i))
			continue;
		if (any == size || t->grid[i] < t->grid[any])
			any = i;
		if (!stats_share_sum(s, ns, i, k))
			continue;
		if (near == size || t->grid[i] < t->grid[near])
			near = i;
		if (fix != size && t->grid[i] >= t->grid[fix])
			continue;
		t->sup[i] = STATS_SUP_SECONDARY;
		if (!stats_derivable_in(t, s, ns, k))
			fix = i;
		t->sup[i] = 0;
	}
	return (fix != size ? fix : near != size ? near : any);
}

void
stats_suppress(struct stats_table *t, int threshold)
{
	struct stats_sum	*s;
	size_t			 size = (t->nr + 1) * (t->nc + 1), ns, k, c;
	int			 again;

	memset(t->sup, 0, size);
	t->primary = t->secondary = 0;
	for (k = 0; k < size; k++) {
		if (stats_shown(t, k) && t->grid[k] > 0 &&
		    t->grid[k] < threshold) {
			t->sup[k] = STATS_SUP_PRIMARY;
			t->primary++;
		}
	}
	if (t->primary == 0)
		return;
	s = stats_sums(t, &ns);
	do {
		again = 0;
		for (k = 0; k < size; k++) {
			if (!t->sup[k] || !stats_derivable_in(t, s, ns, k))
				continue;
			if ((c = stats_complement(t, s, ns, k)) == size)
				break;	/* all hidden */
			t->sup[c] = STATS_SUP_SECONDARY;
			t->secondary++;
			again = 1;
			break;
		}
	} while (again);
	stats_sums_free(s, ns);
}

/*
 * Tables that add up to another: months and quarters make years, states
 * make workflows, units make forces.  Published together, a count hidden
 * in one could be worked out from the other (a month from its quarter
 * and the other months shown), so the first of each pair is left out
 * when the second is in the same output.  A category group is the sum
 * of its categories for cases of one category: the group goes.
 */
static const struct {
	enum stats_dim	 drop, because;
} stats_nested[] = {
	{ STATS_RECEIVED_QUARTER, STATS_RECEIVED },
	{ STATS_RECEIVED_MONTH, STATS_RECEIVED },
	{ STATS_RECEIVED_MONTH, STATS_RECEIVED_QUARTER },
	{ STATS_CLOSED_QUARTER, STATS_CLOSED },
	{ STATS_CLOSED_MONTH, STATS_CLOSED },
	{ STATS_CLOSED_MONTH, STATS_CLOSED_QUARTER },
	{ STATS_CATEGORY_GROUP, STATS_CATEGORY },
	{ STATS_STATE, STATS_WORKFLOW },
	{ STATS_UNIT, STATS_FORCE },
	{ STATS_REC_UNIT, STATS_REC_FORCE },
};

static int
stats_nested_in(const struct stats *st, const struct stats_table *t)
{
	size_t	 i, k;

	for (k = 0; k < sizeof stats_nested / sizeof stats_nested[0]; k++) {
		if (t->row != stats_nested[k].drop)
			continue;
		for (i = 0; i < st->ntables; i++)
			if (st->tables[i]->row == stats_nested[k].because &&
			    st->tables[i]->col == t->col)
				return (1);
	}
	return (0);
}

/*
 * For publication.  Sanctions are free text that may name the agent
 * sanctioned: their tables are left out whatever their counts; so are
 * tables nested in another of the same output.
 */
void
stats_publish(struct stats *st, int threshold)
{
	unsigned char	*drop;
	size_t		 i, j;

	st->publish = 1;
	st->threshold = threshold;
	drop = xcalloc(st->ntables + 1, 1);
	for (i = 0; i < st->ntables; i++)
		drop[i] = st->tables[i]->row == STATS_SANCTION ||
		    st->tables[i]->col == STATS_SANCTION ||
		    stats_nested_in(st, st->tables[i]);
	for (i = j = 0; i < st->ntables; i++) {
		if (drop[i]) {
			stats_table_free(st->tables[i]);
			continue;
		}
		st->tables[j++] = st->tables[i];
	}
	st->ntables = j;
	free(drop);
	for (i = 0; i < st->ntables; i++)
		stats_suppress(st->tables[i], threshold);
	for (i = 0; i < st->nstages; i++)
		st->stages[i].suppressed = (long)st->stages[i].done < threshold;
}
