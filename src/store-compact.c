/*
 * store-compact.c: the tables' pages filled again and the empty ones
 * given back to the file system ('dossier compact', and the end of an
 * import or a demo load).
 *
 * A Berkeley DB btree splits a full page in two halves; keys that do not
 * arrive in order (the sealed keys' "case:ID" labels, the blind index's
 * hashes) leave pages about half full for good.  DB->compact moves
 * entries into fewer pages and truncates the file's free tail.  Without a
 * transaction handle, in an environment opened with DB_AUTO_COMMIT, it
 * runs as many small transactions: the store stays open to others, a
 * crash leaves every table whole (recovery undoes the unfinished one),
 * and at the master of a replication group every step is replicated.
 * Nothing in the tables changes but where entries lie: no key, value or
 * signature.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "store-int.h"
#include "util.h"

/* Passes over one table at most: each gives back what the last freed. */
#define STORE_COMPACT_PASSES	4
/*
 * A call over a whole table of more than some 50,000 pages (400 MB; the
 * cases of 1,000,000 demo cases) runs out of locks (set_lk_max_locks in
 * DB_CONFIG): compaction locks what it walks.  Such a table is compacted
 * a range of this many keys at a time instead, the ranges' first keys
 * read beforehand with one cursor; it gives back less than one call.
 */
#define STORE_COMPACT_RANGE	20000
/* Deadlocks with users' changes met in one range before giving up. */
#define STORE_COMPACT_BUSY	20

/* Tests take the path of large tables on small ones (test-store.c). */
static size_t	store_compact_keys = STORE_COMPACT_RANGE;
static int	store_compact_ranged;

struct store_compact_key {
	void	*data;
	size_t	 size;
};

static uint64_t
store_compact_size(struct store *s)
{
	struct stat	 sb;
	uint64_t	 total = 0;
	char		*path;
	int		 i;

	for (i = 0; i < STORE_NTABLES; i++) {
		xasprintf(&path, "%s/%s.db", s->dir, store_table_name(i));
		if (stat(path, &sb) == 0)
			total += (uint64_t)sb.st_size;
		free(path);
	}
	return (total);
}

/* A change may be made here (a replica says where its master is). */
static int
store_compact_writable(struct store_txn *t, void *arg, char **cause)
{
	(void)arg;
	return (store_txn_writable(t, cause));
}

/* The first key of every STORE_COMPACT_RANGE keys of table i. */
static int
store_compact_ranges(struct store *s, int i, struct store_compact_key **out,
    size_t *nout, char **cause)
{
	struct store_compact_key	*b = NULL;
	DB_TXN				*txn;
	DBC				*cur;
	DBT				 k, v;
	size_t				 n = 0, nb = 0, alloc = 0;
	int				 ret, ret2;

	*out = NULL;
	*nout = 0;
	if ((ret = s->env->txn_begin(s->env, NULL, &txn,
	    DB_READ_COMMITTED)) != 0)
		return (store_error(ret, _("compacting the tables"), cause));
	if ((ret = s->db[i]->cursor(s->db[i], txn, &cur,
	    DB_READ_COMMITTED)) != 0) {
		txn->abort(txn);
		return (store_error(ret, _("compacting the tables"), cause));
	}
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	v.flags = DB_DBT_PARTIAL;	/* the keys only */
	while ((ret = cur->get(cur, &k, &v, DB_NEXT)) == 0) {
		if (n++ % store_compact_keys != 0)
			continue;
		if (nb == alloc) {
			alloc = alloc == 0 ? 16 : alloc * 2;
			b = xrealloc(b, alloc * sizeof *b);
		}
		b[nb].data = xmalloc(k.size ? k.size : 1);
		memcpy(b[nb].data, k.data, k.size);
		b[nb].size = k.size;
		nb++;
	}
	ret2 = cur->close(cur);
	if (ret == DB_NOTFOUND)
		ret = ret2;
	if (ret == 0)
		ret = txn->commit(txn, 0);
	else
		txn->abort(txn);
	if (ret != 0) {
		while (nb > 0)
			free(b[--nb].data);
		free(b);
		return (store_error(ret, _("compacting the tables"), cause));
	}
	*out = b;
	*nout = nb;
	return (0);
}

static void
store_compact_ranges_free(struct store_compact_key *b, size_t nb)
{
	size_t	 i;

	for (i = 0; i < nb; i++)
		free(b[i].data);
	free(b);
}

/* Table i, range j of the nb that b starts. */
static int
store_compact_range(struct store *s, int i, struct store_compact_key *b,
    size_t nb, size_t j, char **cause)
{
	DB_COMPACT	 c;
	DBT		 start, stop;
	int		 busy = 0, ret, rc;

	for (;;) {
		memset(&c, 0, sizeof c);
		memset(&start, 0, sizeof start);
		memset(&stop, 0, sizeof stop);
		start.data = b[j].data;
		start.size = (u_int32_t)b[j].size;
		if (j + 1 < nb) {
			stop.data = b[j + 1].data;
			stop.size = (u_int32_t)b[j + 1].size;
		}
		ret = s->db[i]->compact(s->db[i], NULL, &start, j + 1 < nb ?
		    &stop : NULL, &c, DB_FREE_SPACE, NULL);
		if (ret == 0)
			return (0);
		/* A user's change met ours: what was done stays. */
		rc = store_error(ret, _("compacting the tables"), cause);
		if (rc != STORE_RETRY || ret == DB_RUNRECOVERY ||
		    ++busy >= STORE_COMPACT_BUSY)
			return (-1);
	}
}

/*
 * Table i in one call, again while a pass frees pages: it fills pages
 * best and gives back the most.  A pass that frees none has only moved
 * the file's tail into the holes; at 100,000 demo cases another walked
 * the whole table again to give back one page at most (a tenth of the
 * compaction's time).  ENOMEM when the table is too large for the lock
 * table (nothing is lost: the step aborts).
 */
static int
store_compact_whole(struct store *s, int i, char **cause)
{
	DB_COMPACT	 c;
	int		 pass, busy = 0, ret, rc;

	for (pass = 0; pass < STORE_COMPACT_PASSES; pass++) {
		memset(&c, 0, sizeof c);
		ret = s->db[i]->compact(s->db[i], NULL, NULL, NULL, &c,
		    DB_FREE_SPACE, NULL);
		/*
		 * Out of locks after a first pass: what that pass filled
		 * stays, and the pages it freed are reused.  Going by ranges
		 * then took 66 s at 1,000,000 cases to give back 90 MB.
		 */
		if (ret == ENOMEM)
			return (pass == 0 ? ENOMEM : 0);
		if (ret != 0) {
			rc = store_error(ret, _("compacting the tables"), cause);
			if (rc != STORE_RETRY || ret == DB_RUNRECOVERY ||
			    ++busy >= STORE_COMPACT_BUSY)
				return (-1);
			pass--;
			continue;
		}
		if (c.compact_pages_free == 0)
			break;
	}
	return (0);
}

int
store_compact(struct store *s, struct store_compaction *out, char **cause)
{
	struct store_compact_key	*b;
	size_t				 nb, j;
	int				 i, rc = 0;

	memset(out, 0, sizeof *out);
	if (store_run(s, store_compact_writable, NULL, cause) != 0)
		return (-1);
	/* The files' sizes before, once the cache's pages are in them. */
	s->env->txn_checkpoint(s->env, 0, 0, DB_FORCE);
	out->before = store_compact_size(s);
	for (i = 0; rc == 0 && i < STORE_NTABLES; i++) {
		if (!store_compact_ranged &&
		    (rc = store_compact_whole(s, i, cause)) != ENOMEM)
			continue;
		/* Too large for one call: a range at a time. */
		if (store_compact_ranges(s, i, &b, &nb, cause) != 0)
			return (-1);
		for (rc = 0, j = 0; rc == 0 && j < nb; j++)
			rc = store_compact_range(s, i, b, nb, j, cause);
		store_compact_ranges_free(b, nb);
	}
	/* The moves are in the log; the files shrink on disk now. */
	s->env->txn_checkpoint(s->env, 0, 0, DB_FORCE);
	out->after = store_compact_size(s);
	return (rc);
}

/* For tests only: compact every table by ranges of keys keys. */
void
store_compact_by_ranges(size_t keys)
{
	store_compact_ranged = keys != 0;
	store_compact_keys = keys != 0 ? keys : STORE_COMPACT_RANGE;
}
