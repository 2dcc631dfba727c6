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
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "util.h"
#include "workflow.h"

static int	stats_code_cmp(const void *, const void *);
static size_t	stats_code_index(char **, size_t, const char *);

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

static size_t
stats_code_index(char **codes, size_t n, const char *code)
{
	char	**p;

	p = bsearch(&code, codes, n, sizeof *codes, stats_code_cmp);
	return (p == NULL ? n : (size_t)(p - codes));
}

/* Every value of a dimension among the cases, sorted. */
static char **
stats_codes(const struct stats *st, enum stats_dim d, size_t *np)
{
	char			**codes = NULL;
	const struct stats_values *v;
	size_t			  n = 0, i, j, k;

	for (i = 0; i < st->ncases; i++) {
		v = &st->cases[i].values[d];
		for (j = 0; j < v->n; j++) {
			for (k = 0; k < n; k++)
				if (strcmp(codes[k], v->v[j]) == 0)
					break;
			if (k < n)
				continue;
			codes = xrealloc(codes, (n + 1) * sizeof *codes);
			codes[n++] = xstrdup(v->v[j]);
		}
	}
	if (n > 0)
		qsort(codes, n, sizeof *codes, stats_code_cmp);
	*np = n;
	return (codes);
}

/* A one-way table (col STATS_NDIM) or a cross-tabulation. */
struct stats_table *
stats_table(const struct stats *st, enum stats_dim row, enum stats_dim col)
{
	struct stats_table		*t = xcalloc(1, sizeof *t);
	const struct stats_values	*rv, *cv;
	size_t				 i, a, b, r, c, size;

	t->row = row;
	t->col = col;
	t->rcodes = stats_codes(st, row, &t->nr);
	if (col == STATS_NDIM) {
		t->nc = 1;
		t->ccodes = xcalloc(1, sizeof *t->ccodes);
		t->ccodes[0] = xstrdup("");
	} else
		t->ccodes = stats_codes(st, col, &t->nc);
	size = (t->nr + 1) * (t->nc + 1);
	t->grid = xcalloc(size, sizeof *t->grid);
	t->sup = xcalloc(size, 1);
	for (i = 0; i < st->ncases; i++) {
		rv = &st->cases[i].values[row];
		for (a = 0; a < rv->n; a++) {
			r = stats_code_index(t->rcodes, t->nr, rv->v[a]);
			if (col == STATS_NDIM) {
				t->grid[STATS_AT(t, r, 0)]++;
				continue;
			}
			cv = &st->cases[i].values[col];
			for (b = 0; b < cv->n; b++) {
				c = stats_code_index(t->ccodes, t->nc, cv->v[b]);
				t->grid[STATS_AT(t, r, c)]++;
			}
		}
	}
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
	long				*days = NULL;
	size_t				 w, k, i, j, n, total;

	for (w = 0; flows != NULL && w < flows->n; w++) {
		wf = flows->list[w];
		for (k = 0; k < wf->nstates; k++) {
			s = &wf->states[k];
			if (s->terminal)
				continue;
			n = total = 0;
			st->stages = xrealloc(st->stages, (st->nstages + 1) *
			    sizeof *st->stages);
			g = &st->stages[st->nstages++];
			memset(g, 0, sizeof *g);
			g->workflow = xstrdup(wf->id);
			g->state = xstrdup(s->id);
			g->limit = s->days;
			for (i = 0; i < st->ncases; i++) {
				for (j = 0; j < st->cases[i].nvisits; j++) {
					v = &st->cases[i].visits[j];
					if (strcmp(v->workflow, wf->id) != 0 ||
					    strcmp(v->state, s->id) != 0)
						continue;
					total++;
					if (v->late)
						g->missed++;
					else if (v->open && v->limit > 0)
						g->running++;
					else if (!v->open && v->limit > 0)
						g->met++;
					if (v->open)
						continue;
					days = xrealloc(days, (n + 1) *
					    sizeof *days);
					days[n++] = v->days;
				}
			}
			g->done = n;
			if (n > 0) {
				qsort(days, n, sizeof *days, stats_long_cmp);
				g->median = n % 2 ? (double)days[n / 2] :
				    (days[n / 2 - 1] + days[n / 2]) / 2.0;
				/* Nearest rank: the smallest stay that 90% of
				 * the stays do not exceed. */
				g->p90 = days[(9 * n + 9) / 10 - 1];
			}
			if (total == 0)
				free(g->workflow), free(g->state),
				    st->nstages--;
		}
	}
	free(days);
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
