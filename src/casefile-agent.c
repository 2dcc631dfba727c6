/*
 * casefile-agent.c: the counters of the agent index.
 *
 * The agent index (casefile-batch.c) has an entry for each record that
 * names an agent by service number: "agent/", the number's blind index
 * (64 hexadecimal digits), "/", the case id and the record id.  The
 * dashboard's early warning lists the agents named in N cases or more;
 * it read every entry to find them (half a second at a million cases).
 * These counters say it without the walk, kept in the transaction of
 * every entry written or taken out (docs/FORMAT.md):
 *
 *	an/HEX			8 bytes: the cases that name the agent
 *	ar/COUNT HEX		empty: the same, in the order of the count
 *				(8 bytes, big-endian), for the early warning
 *	am			the agents counted: those up to this HEX,
 *				or every one ("~")
 *
 * A store made before them has none; casefile_index_ensure() counts them
 * a range of agents a transaction, its mark written before the range is
 * read: a writer that read the mark before holds it until its commit (the
 * mark's write waits, then the range's read sees its entry), one after
 * waits for the count and then counts its own change.  Until every agent
 * is counted, and at a replica whose master has not counted them, the
 * early warning reads the entries, as before.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "casefile-int.h"
#include "casefile.h"
#include "i18n.h"
#include "layout.h"
#include "session.h"
#include "store.h"
#include "util.h"

#define CA_HEX		64
#define CA_COUNT	"an/"
#define CA_RANK		"ar/"
#define CA_MARK		"am"
#define CA_ALL		"~"
#define CA_BATCH	20000	/* entries read a transaction, at most */
#define CA_ENTRY_LEN	(sizeof LAYOUT_AGENT_PREFIX - 1 + CA_HEX + 1 + 16)

/* The mark: 0 none counted, 1 those up to mark (a HEX), 2 every one. */
static int
ca_mark(struct store_txn *t, char *mark, char **cause)
{
	uint8_t	*v;
	size_t	 len;
	int	 rc, done;

	mark[0] = '\0';
	rc = store_get(t, STORE_INDEX, CA_MARK, strlen(CA_MARK), &v, &len,
	    cause);
	if (rc == STORE_NOTFOUND) {
		err_clear(cause);
		return (0);
	}
	if (rc != 0)
		return (rc);
	done = len == 1 && v[0] == CA_ALL[0];
	if (!done && len == CA_HEX) {
		memcpy(mark, v, CA_HEX);
		mark[CA_HEX] = '\0';
	}
	free(v);
	return (done ? 2 : mark[0] != '\0' ? 1 : 0);
}

/* Is this agent counted? */
static int
ca_counted(struct store_txn *t, const char *hex, int *yes, char **cause)
{
	char	 mark[CA_HEX + 1];
	int	 m;

	if ((m = ca_mark(t, mark, cause)) < 0)
		return (m);
	*yes = m == 2 || (m == 1 && strcmp(hex, mark) <= 0);
	return (0);
}

static void
ca_rank_key(uint8_t *k, uint64_t n, const char *hex)
{
	memcpy(k, CA_RANK, 3);
	put_be64(k + 3, n);
	memcpy(k + 11, hex, CA_HEX);
}

/* The agent's counter set to n (and its place in the ranking). */
static int
ca_set(struct store_txn *t, const char *hex, uint64_t old, uint64_t n,
    char **cause)
{
	uint8_t	 ck[3 + CA_HEX], rk[3 + 8 + CA_HEX], v[8];
	int	 rc = 0;

	memcpy(ck, CA_COUNT, 3);
	memcpy(ck + 3, hex, CA_HEX);
	if (old != 0) {
		ca_rank_key(rk, old, hex);
		rc = store_del_any(t, STORE_INDEX, rk, sizeof rk, cause);
	}
	if (rc == 0 && n == 0)
		rc = store_del_any(t, STORE_INDEX, ck, sizeof ck, cause);
	else if (rc == 0) {
		put_be64(v, n);
		rc = store_put(t, STORE_INDEX, ck, sizeof ck, v, sizeof v, 0,
		    cause);
		ca_rank_key(rk, n, hex);
		if (rc == 0)
			rc = store_put(t, STORE_INDEX, rk, sizeof rk, "", 0, 0,
			    cause);
	}
	return (rc);
}

static int
ca_get(struct store_txn *t, const char *hex, uint64_t *n, char **cause)
{
	uint8_t	 ck[3 + CA_HEX], *v;
	size_t	 len;
	int	 rc;

	memcpy(ck, CA_COUNT, 3);
	memcpy(ck + 3, hex, CA_HEX);
	*n = 0;
	rc = store_get(t, STORE_INDEX, ck, sizeof ck, &v, &len, cause);
	if (rc == STORE_NOTFOUND) {
		err_clear(cause);
		return (0);
	}
	if (rc == 0 && len == 8)
		*n = get_be64(v);
	if (rc == 0)
		free(v);
	return (rc);
}

static int
ca_any_cb(const void *k, size_t klen, const void *v, size_t vlen, void *arg)
{
	(void)k;
	(void)klen;
	(void)v;
	(void)vlen;
	*(int *)arg = 1;
	return (1);
}

/* Does any record of case id name the agent? */
static int
ca_case_names(struct store_txn *t, const char *hex, uint64_t id, int *yes,
    char **cause)
{
	uint8_t	*k;
	size_t	 len;
	int	 rc;

	k = layout_agent_key(hex, id, 0, &len);
	*yes = 0;
	rc = store_scan_keys(t, STORE_INDEX, k, len - 8, ca_any_cb, yes,
	    cause);
	free(k);
	return (rc);
}

/* Case id came to name the agent (+1), or no longer does (-1). */
static int
ca_change(struct store_txn *t, const char *hex, int delta, char **cause)
{
	uint64_t n;
	int	 rc, yes;

	if ((rc = ca_counted(t, hex, &yes, cause)) != 0 || !yes)
		return (rc);
	if ((rc = ca_get(t, hex, &n, cause)) != 0)
		return (rc);
	if (delta < 0 && n == 0)
		return (0);	/* 'check' names a counter gone wrong */
	return (ca_set(t, hex, n, delta > 0 ? n + 1 : n - 1, cause));
}

int
cf_agent_put(struct store_txn *t, const char *hex, uint64_t id,
    uint64_t rid, char **cause)
{
	uint8_t	*key;
	size_t	 klen;
	int	 rc, had;

	if (strlen(hex) != CA_HEX)
		return (err_set(cause, "%s", _("A blind index is malformed.")));
	if ((rc = ca_case_names(t, hex, id, &had, cause)) != 0)
		return (rc);
	key = layout_agent_key(hex, id, rid, &klen);
	rc = store_put(t, STORE_INDEX, key, klen, "", 0, 0, cause);
	free(key);
	if (rc == 0 && !had)
		rc = ca_change(t, hex, 1, cause);
	return (rc);
}

int
cf_agent_del(struct store_txn *t, const char *hex, uint64_t id,
    uint64_t rid, char **cause)
{
	uint8_t	*key;
	size_t	 len;
	int	 rc, still;

	key = layout_agent_key(hex, id, rid, &len);
	rc = store_del(t, STORE_INDEX, key, len, cause);
	free(key);
	if (rc == STORE_NOTFOUND) {
		err_clear(cause);
		return (0);
	}
	if (rc == 0 && strlen(hex) == CA_HEX)
		rc = ca_case_names(t, hex, id, &still, cause);
	if (rc == 0 && strlen(hex) == CA_HEX && !still)
		rc = ca_change(t, hex, -1, cause);
	return (rc);
}

/*
 * A batch of new cases (casefile_batch_defer()) puts its entries beside
 * its other work, notes each agent and case here, and counts them once at
 * its end, in the same transaction: no read while its puts go on.
 */
void
cf_agent_note(struct cf_ix_keys *pairs, const char *hex, uint64_t id)
{
	struct cf_ix_key	*k;

	pairs->list = xrealloc(pairs->list, (pairs->n + 1) *
	    sizeof *pairs->list);
	k = &pairs->list[pairs->n++];
	k->b = xmalloc(CA_HEX + 8);
	memcpy(k->b, hex, CA_HEX);
	put_be64(k->b + CA_HEX, id);
	k->len = CA_HEX + 8;
}

int
cf_agent_flush(struct store_txn *t, struct cf_ix_keys *pairs, char **cause)
{
	char		 hex[CA_HEX + 1];
	uint64_t	 n, add;
	size_t		 i, j;
	int		 rc = 0, yes;

	if (pairs->n > 0)
		qsort(pairs->list, pairs->n, sizeof *pairs->list,
		    cf_ix_keycmp);
	for (i = 0; rc == 0 && i < pairs->n; i = j) {
		/* The cases of one agent, each once. */
		add = 1;
		for (j = i + 1; j < pairs->n && memcmp(pairs->list[j].b,
		    pairs->list[i].b, CA_HEX) == 0; j++)
			if (memcmp(pairs->list[j].b, pairs->list[j - 1].b,
			    CA_HEX + 8) != 0)
				add++;
		memcpy(hex, pairs->list[i].b, CA_HEX);
		hex[CA_HEX] = '\0';
		if ((rc = ca_counted(t, hex, &yes, cause)) != 0 || !yes)
			continue;
		if ((rc = ca_get(t, hex, &n, cause)) == 0)
			rc = ca_set(t, hex, n, n + add, cause);
	}
	cf_ix_keys_free(pairs);
	return (rc);
}

/*
 * Counting: the entries in key order give each agent's cases in a row
 * (case ids in order within an agent).
 */
struct ca_tally {
	struct store_txn	*t;
	char			 cur[CA_HEX + 1];
	uint64_t		 lastid, cases;
	size_t			 entries, max;
	int			 stopped;	/* at max, before cur's end */
	int			 rc;
	char			**cause;
	/* Only seen: the last agent whose entries were all read. */
	int			 dry;
	char			 last[CA_HEX + 1];
	const char		*upto;		/* no agent after it */
	/* Checking: each agent's count against its counter. */
	cf_index_problem_fn	 fn;
	void			*arg;
};

static void
ca_tally_end(struct ca_tally *a)
{
	uint64_t have;
	char	*msg;

	if (a->cur[0] == '\0')
		return;
	memcpy(a->last, a->cur, sizeof a->last);
	if (a->dry)
		;
	else if (a->fn != NULL) {
		if (a->rc == 0)
			a->rc = ca_get(a->t, a->cur, &have, a->cause);
		if (a->rc == 0 && have != a->cases) {
			xasprintf(&msg, _("the counter of agent %.12s (blind "
			    "index) says %" PRIu64 " cases; the agent index "
			    "names the agent in %" PRIu64 "."), a->cur, have,
			    a->cases);
			a->fn(0, msg, a->arg);
			free(msg);
		}
	} else if (a->rc == 0) {
		/* A counter left there (a mark moved back by hand) has its
		 * place taken out with it. */
		if ((a->rc = ca_get(a->t, a->cur, &have, a->cause)) == 0)
			a->rc = ca_set(a->t, a->cur, have, a->cases, a->cause);
	}
	a->cur[0] = '\0';
	a->cases = 0;
	a->lastid = 0;
}

static int
ca_tally_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct ca_tally	*a = arg;
	const char	*key = k;
	const char	*hex = key + sizeof LAYOUT_AGENT_PREFIX - 1;
	uint64_t	 id;

	(void)v;
	(void)vlen;
	if (klen != CA_ENTRY_LEN || hex[CA_HEX] != '/')
		return (0);	/* 'check' names it */
	if (a->cur[0] == '\0' || memcmp(a->cur, hex, CA_HEX) != 0) {
		if (a->upto != NULL && memcmp(hex, a->upto, CA_HEX) > 0)
			return (1);
		if (a->max != 0 && a->entries >= a->max) {
			a->stopped = 1;
			return (1);
		}
		ca_tally_end(a);
		memcpy(a->cur, hex, CA_HEX);
		a->cur[CA_HEX] = '\0';
	}
	id = get_be64((const uint8_t *)hex + CA_HEX + 1);
	if (a->cases == 0 || id != a->lastid)
		a->cases++;
	a->lastid = id;
	a->entries++;
	return (a->rc);
}

/* Read the entries of the agents after from (all: from is empty). */
static int
ca_tally_run(struct store_txn *t, struct ca_tally *a, const char *from,
    char **cause)
{
	uint8_t	 start[sizeof LAYOUT_AGENT_PREFIX - 1 + CA_HEX + 1];
	size_t	 plen = sizeof LAYOUT_AGENT_PREFIX - 1, slen = plen;
	int	 rc;

	memcpy(start, LAYOUT_AGENT_PREFIX, plen);
	if (*from != '\0') {
		/* Past every entry of agent from: its "/" is followed by
		 * nothing that sorts after '0'. */
		memcpy(start + plen, from, CA_HEX);
		start[plen + CA_HEX] = '/' + 1;
		slen = plen + CA_HEX + 1;
	}
	rc = store_scan_keys_at(t, STORE_INDEX, start, slen, plen,
	    ca_tally_cb, a, cause);
	if (rc == 0)
		rc = a->rc;
	if (rc == 0 && !a->stopped)
		ca_tally_end(a);
	return (rc);
}

static int
ca_drop_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct cf_ix_keys	*ks = arg;

	(void)v;
	(void)vlen;
	ks->list = xrealloc(ks->list, (ks->n + 1) * sizeof *ks->list);
	ks->list[ks->n].b = xmalloc(klen);
	memcpy(ks->list[ks->n].b, k, klen);
	ks->list[ks->n].len = klen;
	ks->n++;
	return (0);
}

/* Take out every counter and the mark (a store counted again). */
int
cf_agent_drop(struct store_txn *t, char **cause)
{
	struct cf_ix_keys	 ks;
	size_t			 i;
	int			 rc;

	memset(&ks, 0, sizeof ks);
	rc = store_scan_keys(t, STORE_INDEX, CA_COUNT, 3, ca_drop_cb, &ks,
	    cause);
	if (rc == 0)
		rc = store_scan_keys(t, STORE_INDEX, CA_RANK, 3, ca_drop_cb,
		    &ks, cause);
	for (i = 0; rc == 0 && i < ks.n; i++)
		rc = store_del(t, STORE_INDEX, ks.list[i].b, ks.list[i].len,
		    cause);
	if (rc == 0)
		rc = store_del_any(t, STORE_INDEX, CA_MARK, strlen(CA_MARK),
		    cause);
	cf_ix_keys_free(&ks);
	return (rc);
}

/* One range of agents counted; *done once every one is. */
static int
ca_count_txn(struct store_txn *t, void *arg, char **cause)
{
	int		*done = arg;
	struct ca_tally	 a;
	char		 mark[CA_HEX + 1], last[CA_HEX + 1];
	int		 m, rc, stopped;

	*done = 0;
	if ((m = ca_mark(t, mark, cause)) < 0)
		return (m);
	if (m == 2) {
		*done = 1;
		return (0);
	}
	/* Counters a drop or an older run left: from nothing. */
	if (m == 0 && (rc = cf_agent_drop(t, cause)) != 0)
		return (rc);
	/* Where the range ends, read first; then the mark, then the count. */
	memset(&a, 0, sizeof a);
	a.t = t;
	a.cause = cause;
	a.max = CA_BATCH;
	a.dry = 1;
	if ((rc = ca_tally_run(t, &a, mark, cause)) != 0)
		return (rc);
	if (a.stopped)
		rc = store_put(t, STORE_INDEX, CA_MARK, strlen(CA_MARK),
		    a.last, CA_HEX, 0, cause);
	else
		rc = store_put(t, STORE_INDEX, CA_MARK, strlen(CA_MARK),
		    CA_ALL, 1, 0, cause);
	*done = !a.stopped;
	if (rc != 0)
		return (rc);
	/* The range again, to the agent marked: a writer the mark's write
	 * waited for has its entry in it now. */
	memcpy(last, a.last, sizeof last);
	stopped = a.stopped;
	memset(&a, 0, sizeof a);
	a.t = t;
	a.cause = cause;
	a.upto = stopped ? last : NULL;
	return (ca_tally_run(t, &a, mark, cause));
}

int
cf_agent_ensure(struct store *s, char **cause)
{
	int	 done = 0, rc;

	do {
		rc = store_run(s, ca_count_txn, &done, cause);
	} while (rc == 0 && !done);
	return (rc);
}

/*
 * 'dossier check': each agent's counter against the entries, once every
 * agent is counted (fn gets each difference), and no counter of an agent
 * the index does not name.
 */
struct ca_check {
	struct store_txn	*t;
	cf_index_problem_fn	 fn;
	void			*arg;
	int			 rc;
	char			**cause;
};

static int
ca_orphan_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct ca_check		*o = arg;
	char			 hex[CA_HEX + 1], *msg, *prefix;
	int			 yes;

	(void)v;
	(void)vlen;
	if (klen != 3 + CA_HEX) {
		o->fn(0, _("the agent index has a counter of a malformed "
		    "key: it was added outside dossier."), o->arg);
		return (0);
	}
	memcpy(hex, (const char *)k + 3, CA_HEX);
	hex[CA_HEX] = '\0';
	prefix = layout_agent_prefix(hex);
	yes = 0;
	o->rc = store_scan_keys(o->t, STORE_INDEX, prefix, strlen(prefix),
	    ca_any_cb, &yes, o->cause);
	free(prefix);
	if (o->rc == 0 && !yes) {
		xasprintf(&msg, _("the counter of agent %.12s (blind index) "
		    "counts cases that the agent index does not name."), hex);
		o->fn(0, msg, o->arg);
		free(msg);
	}
	return (o->rc);
}

static int
ca_rank_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct ca_check	*r = arg;
	const uint8_t	*key = k;
	char		 hex[CA_HEX + 1], *msg;
	uint64_t	 have;

	(void)v;
	(void)vlen;
	if (klen != 3 + 8 + CA_HEX)
		have = UINT64_MAX;
	else {
		memcpy(hex, key + 11, CA_HEX);
		hex[CA_HEX] = '\0';
		if ((r->rc = ca_get(r->t, hex, &have, r->cause)) != 0)
			return (r->rc);
	}
	if (have != UINT64_MAX && have == get_be64(key + 3))
		return (0);
	xasprintf(&msg, _("the early warning's order of agents has an entry "
	    "its counters do not make (agent %.12s): it was changed outside "
	    "dossier."), klen == 3 + 8 + CA_HEX ? hex : "?");
	r->fn(0, msg, r->arg);
	free(msg);
	return (0);
}

int
cf_agent_check(struct store_txn *t, cf_index_problem_fn fn, void *arg,
    char **cause)
{
	struct ca_tally		 a;
	struct ca_check		 o;
	char			 mark[CA_HEX + 1];
	int			 m, rc;

	if ((m = ca_mark(t, mark, cause)) < 0)
		return (m);
	if (m != 2)
		return (0);	/* counted at the next sign-in */
	memset(&a, 0, sizeof a);
	a.t = t;
	a.cause = cause;
	a.fn = fn;
	a.arg = arg;
	if ((rc = ca_tally_run(t, &a, "", cause)) != 0)
		return (rc);
	memset(&o, 0, sizeof o);
	o.t = t;
	o.fn = fn;
	o.arg = arg;
	o.cause = cause;
	rc = store_scan_keys(t, STORE_INDEX, CA_COUNT, 3, ca_orphan_cb, &o,
	    cause);
	if (rc == 0)
		rc = o.rc;
	if (rc == 0)
		rc = store_scan_keys(t, STORE_INDEX, CA_RANK, 3, ca_rank_cb,
		    &o, cause);
	return (rc != 0 ? rc : o.rc);
}

/*
 * The early warning: the agents named in min cases or more, the most
 * named first.  From the counters once every agent is counted; else from
 * every entry of the index.
 */
struct ca_list {
	struct casefile_agent_count	*list;
	size_t				 n;
};

static int
ca_list_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct ca_list			*l = arg;
	const uint8_t			*key = k;
	struct casefile_agent_count	*c;

	(void)v;
	(void)vlen;
	if (klen != 3 + 8 + CA_HEX)
		return (0);
	l->list = xrealloc(l->list, (l->n + 1) * sizeof *l->list);
	c = &l->list[l->n++];
	memset(c, 0, sizeof *c);
	memcpy(c->hex, key + 11, CA_HEX);
	c->hex[CA_HEX] = '\0';
	c->cases = (size_t)get_be64(key + 3);
	return (0);
}

struct ca_warn {
	size_t				 min;
	struct ca_list			 l;
};

/* The entries' way: every agent, with the ids of its cases. */
struct ca_scan {
	struct ca_list	 l;
	size_t		 min;
	char		 cur[CA_HEX + 1];
	uint64_t	*ids;
	size_t		 nids;
};

static void
ca_scan_end(struct ca_scan *s)
{
	struct casefile_agent_count	*c;

	if (s->cur[0] != '\0' && s->nids >= s->min) {
		s->l.list = xrealloc(s->l.list, (s->l.n + 1) *
		    sizeof *s->l.list);
		c = &s->l.list[s->l.n++];
		memset(c, 0, sizeof *c);
		memcpy(c->hex, s->cur, sizeof c->hex);
		c->cases = s->nids;
		c->ids = s->ids;
		s->ids = NULL;
	}
	free(s->ids);
	s->ids = NULL;
	s->nids = 0;
	s->cur[0] = '\0';
}

static int
ca_scan_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct ca_scan	*s = arg;
	const char	*hex = (const char *)k + sizeof LAYOUT_AGENT_PREFIX - 1;
	uint64_t	 id;

	(void)v;
	(void)vlen;
	if (klen != CA_ENTRY_LEN)
		return (0);
	if (memcmp(s->cur, hex, CA_HEX) != 0) {
		ca_scan_end(s);
		memcpy(s->cur, hex, CA_HEX);
		s->cur[CA_HEX] = '\0';
	}
	id = get_be64((const uint8_t *)hex + CA_HEX + 1);
	if (s->nids == 0 || s->ids[s->nids - 1] != id) {
		s->ids = xrealloc(s->ids, (s->nids + 1) * sizeof *s->ids);
		s->ids[s->nids++] = id;
	}
	return (0);
}

/* The agents under prefix (every one, or one agent) read from the entries. */
static int
ca_scan_prefix(struct store_txn *t, const char *prefix, size_t min,
    struct ca_list *l, char **cause)
{
	struct ca_scan	 sc;
	int		 rc;

	memset(&sc, 0, sizeof sc);
	sc.min = min;
	rc = store_scan_keys(t, STORE_INDEX, prefix, strlen(prefix),
	    ca_scan_cb, &sc, cause);
	ca_scan_end(&sc);
	*l = sc.l;
	return (rc);
}

static int
ca_warn_txn(struct store_txn *t, void *arg, char **cause)
{
	struct ca_warn	*w = arg;
	uint8_t		 start[3 + 8];
	char		 mark[CA_HEX + 1];
	int		 m;

	store_txn_read_committed(t);
	casefile_agent_counts_free(w->l.list, w->l.n);
	memset(&w->l, 0, sizeof w->l);
	if ((m = ca_mark(t, mark, cause)) < 0)
		return (m);
	if (m == 2) {
		memcpy(start, CA_RANK, 3);
		put_be64(start + 3, w->min);
		return (store_scan_keys_at(t, STORE_INDEX, start, sizeof start,
		    3, ca_list_cb, &w->l, cause));
	}
	return (ca_scan_prefix(t, LAYOUT_AGENT_PREFIX, w->min, &w->l, cause));
}

static int
ca_warn_cmp(const void *a, const void *b)
{
	const struct casefile_agent_count	*x = a, *y = b;

	if (x->cases != y->cases)
		return (x->cases > y->cases ? -1 : 1);
	return (strcmp(x->hex, y->hex));
}

void
casefile_agent_counts_free(struct casefile_agent_count *list, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(list[i].ids);
	free(list);
}

int
casefile_agent_counts(struct casefile_ctx *ctx, size_t min,
    struct casefile_agent_count **listp, size_t *np, char **cause)
{
	struct ca_warn	 w;

	*listp = NULL;
	*np = 0;
	if (session_require(ctx->sess, ACCESS_DASHBOARD, cause) != 0)
		return (-1);
	memset(&w, 0, sizeof w);
	w.min = min;
	if (store_run(ctx->sess->store, ca_warn_txn, &w, cause) != 0) {
		casefile_agent_counts_free(w.l.list, w.l.n);
		return (-1);
	}
	if (w.l.n > 0)
		qsort(w.l.list, w.l.n, sizeof *w.l.list, ca_warn_cmp);
	*listp = w.l.list;
	*np = w.l.n;
	return (0);
}

/* The cases naming an agent of the early warning, by its blind index. */
struct ca_ids {
	const char	*hex;
	struct ca_list	 l;
};

static int
ca_ids_txn(struct store_txn *t, void *arg, char **cause)
{
	struct ca_ids	*c = arg;
	char		*prefix = layout_agent_prefix(c->hex);
	int		 rc;

	store_txn_read_committed(t);
	casefile_agent_counts_free(c->l.list, c->l.n);
	rc = ca_scan_prefix(t, prefix, 1, &c->l, cause);
	free(prefix);
	return (rc);
}

int
casefile_agent_ids(struct casefile_ctx *ctx, const char *hex,
    uint64_t **ids, size_t *n, char **cause)
{
	struct ca_ids	 c;

	*ids = NULL;
	*n = 0;
	if (session_require(ctx->sess, ACCESS_DASHBOARD, cause) != 0)
		return (-1);
	if (strlen(hex) != CA_HEX)
		return (err_set(cause, _("No such agent in the index.")));
	memset(&c, 0, sizeof c);
	c.hex = hex;
	if (store_run(ctx->sess->store, ca_ids_txn, &c, cause) != 0) {
		casefile_agent_counts_free(c.l.list, c.l.n);
		return (-1);
	}
	if (c.l.n == 1) {
		*ids = c.l.list[0].ids;
		*n = c.l.list[0].cases;
		c.l.list[0].ids = NULL;
	}
	casefile_agent_counts_free(c.l.list, c.l.n);
	return (0);
}
