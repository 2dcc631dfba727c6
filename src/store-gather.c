/*
 * store-gather.c: a transaction's puts into the compressed tables,
 * gathered and made at once.
 *
 * A compressed table (records, sealed keys: store_table_open()) keeps a
 * page's entries as one compressed stream: each put into it decompresses
 * the stream, inserts, compresses it again and logs the whole stream,
 * before and after (about 4 KB).  A save puts three items of one case
 * (the record, its journal entry, the manifest), which sit in the same
 * stream: three rewrites, 12 KB of log.  Gathered, they are one bulk put
 * (store_put_many_now(): DB_MULTIPLE_KEY), which Berkeley DB merges into
 * the stream in one pass, logged once.
 *
 * The transaction stays what it was: a put that is gathered is made
 * before anything else touches its table in the transaction (a read, a
 * scan, a delete: store_gather_flush() from store.c) and before the
 * commit, in the order asked for (a stable sort by key, the last put of
 * a key the one kept).  Its failure is the failure of what flushed it,
 * and so the attempt's.  A put that asks for STORE_NOOVERWRITE, whose
 * answer matters at once, is not gathered.  Gathered values are wiped
 * when freed, as write-behind's are (store-behind.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store-int.h"
#include "util.h"

struct store_gather_op {
	enum store_table	 table;
	size_t			 klen;
	size_t			 vlen;
	uint8_t			*data;		/* the key, then the value */
};

struct store_gather {
	struct store_gather_op	*ops;
	size_t			 n;
	size_t			 size;
};

/* 1 if puts into table are gathered. */
int
store_gather_table(enum store_table table)
{
	return (table == STORE_RECORDS || table == STORE_KEYS);
}

int
store_gather_add(struct store_txn *t, enum store_table table,
    const void *key, size_t klen, const void *val, size_t vlen)
{
	struct store_gather	*g;
	struct store_gather_op	*op;

	if ((g = t->gather) == NULL)
		g = t->gather = xcalloc(1, sizeof *g);
	if (g->n == g->size) {
		g->size = g->size == 0 ? 8 : g->size * 2;
		g->ops = xrealloc(g->ops, g->size * sizeof *g->ops);
	}
	op = &g->ops[g->n++];
	op->table = table;
	op->klen = klen;
	op->vlen = vlen;
	op->data = xmalloc(klen + vlen + 1);
	memcpy(op->data, key, klen);
	memcpy(op->data + klen, val, vlen);
	return (0);
}

/* Forget what was gathered (the attempt is aborted, or it was made). */
void
store_gather_drop(struct store_txn *t)
{
	struct store_gather	*g = t->gather;
	size_t			 i;

	if (g == NULL)
		return;
	for (i = 0; i < g->n; i++) {
		wipe(g->ops[i].data, g->ops[i].klen + g->ops[i].vlen);
		free(g->ops[i].data);
	}
	free(g->ops);
	free(g);
	t->gather = NULL;
}

/*
 * The order of puts made at once, here and by write-behind: by table,
 * then key as Berkeley DB orders it (bytes, then length).
 */
int
store_key_order(enum store_table ta, const void *ka, size_t la,
    enum store_table tb, const void *kb, size_t lb)
{
	int	 c;

	if (ta != tb)
		return (ta < tb ? -1 : 1);
	if ((c = memcmp(ka, kb, la < lb ? la : lb)) != 0)
		return (c);
	return (la < lb ? -1 : la > lb);
}

static int
store_gather_cmp(const struct store_gather_op *a,
    const struct store_gather_op *b)
{
	return (store_key_order(a->table, a->data, a->klen, b->table,
	    b->data, b->klen));
}

/* Make every gathered put: one bulk put a table. */
int
store_gather_flush(struct store_txn *t, char **cause)
{
	struct store_gather	*g = t->gather;
	struct store_gather_op	 op;
	const uint8_t		**keys, **vals;
	size_t			*klens, *vlens, i, j, n;
	int			 rc = 0;

	if (g == NULL || g->n == 0)
		return (0);
	/*
	 * A stable insertion sort (a transaction gathers a few puts; a
	 * bulk load's go through write-behind): of two puts of one key,
	 * the later stays after, and is the one kept below.
	 */
	for (i = 1; i < g->n; i++) {
		op = g->ops[i];
		for (j = i; j > 0 && store_gather_cmp(&g->ops[j - 1], &op) > 0;
		    j--)
			g->ops[j] = g->ops[j - 1];
		g->ops[j] = op;
	}
	keys = xcalloc(g->n, sizeof *keys);
	vals = xcalloc(g->n, sizeof *vals);
	klens = xcalloc(g->n, sizeof *klens);
	vlens = xcalloc(g->n, sizeof *vlens);
	for (i = 0; rc == 0 && i < g->n; i = j) {
		n = 0;
		for (j = i; j < g->n && g->ops[j].table == g->ops[i].table;
		    j++) {
			if (j + 1 < g->n &&
			    store_gather_cmp(&g->ops[j], &g->ops[j + 1]) == 0)
				continue;	/* a later put of the key */
			keys[n] = g->ops[j].data;
			klens[n] = g->ops[j].klen;
			vals[n] = g->ops[j].data + g->ops[j].klen;
			vlens[n] = g->ops[j].vlen;
			n++;
		}
		if (n == 1)
			rc = store_put_now(t, g->ops[i].table, keys[0],
			    klens[0], vals[0], vlens[0], 0, cause);
		else
			rc = store_put_many_now(t, g->ops[i].table, n, keys,
			    klens, vals, vlens, cause);
	}
	free(keys);
	free(vals);
	free(klens);
	free(vlens);
	store_gather_drop(t);
	return (rc);
}
