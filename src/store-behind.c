/*
 * store-behind.c: a transaction's puts made by a thread of their own
 * (store_txn_behind()), so that a bulk load's other work (encryption,
 * signatures, encoding: about half of a case) runs beside Berkeley DB's
 * (the other half) on a second processor.
 *
 * The transaction stays one: the thread makes the puts in it (sorted
 * by table and key, each key's in the order they were asked for: see
 * store_behind_sort()), and the caller touches it again (a read, a
 * delete whose answer matters, the commit) only once the thread is idle
 * (store_behind_wait()): Berkeley DB lets a transaction change threads
 * so long as one thread at a time uses it.  The first failure stops the
 * puts; it is returned by the next put, read or wait, and by
 * store_behind_end() at the end of the attempt, which store_run() then
 * aborts (or retries, for a deadlock) as for any failed attempt.
 * Queued values are wiped when freed: they are ciphertext and clear
 * headers, as on disk, but a queue is no place to leave them.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "store-int.h"
#include "util.h"

/* Bytes handed over past which the caller waits for the thread. */
#define STORE_BEHIND_MAX	(8 * 1024 * 1024)
/*
 * Ops the caller gathers before it hands them over: handing over (a lock,
 * and waking the thread) for each put cost more than the put did, a
 * case making about thirty.  The thread sorts what it is handed, so the
 * more at once, the longer its runs: about thirty cases.
 */
#define STORE_BEHIND_HAND	1024
/* Puts into one table, keys increasing, made as one bulk put at most. */
#define STORE_BEHIND_RUN	1024

struct store_behind_op {
	struct store_behind_op	*next;
	enum store_table	 table;
	int			 del;
	int			 flags;
	size_t			 klen;
	size_t			 vlen;
	uint8_t			 data[];	/* the key, then the value */
};

struct store_behind {
	struct store_txn	*t;
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 work;		/* ops handed over, or stop */
	pthread_cond_t		 idle;		/* the thread's list is done */
	struct store_behind_op	*head;		/* handed over (locked) */
	struct store_behind_op	*tail;
	size_t			 queued;	/* bytes handed over (locked) */
	int			 busy;		/* the thread has a list */
	int			 stop;
	int			 rc;		/* the first failure */
	char			*cause;

	/* Gathered by the caller, not yet handed over (no lock). */
	struct store_behind_op	*phead;
	struct store_behind_op	*ptail;
	size_t			 pn;
	size_t			 pbytes;
};

/* Free a list of ops, their bytes wiped; the bytes freed. */
static size_t
store_behind_drop(struct store_behind_op *op)
{
	struct store_behind_op	*next;
	size_t			 bytes = 0;

	for (; op != NULL; op = next) {
		next = op->next;
		bytes += op->klen + op->vlen;
		wipe(op->data, op->klen + op->vlen);
		free(op);
	}
	return (bytes);
}

/* The order of the thread's sort: by table, then key as Berkeley DB's. */
static int
store_behind_cmp(const struct store_behind_op *a,
    const struct store_behind_op *b)
{
	return (store_key_order(a->table, a->data, a->klen, b->table,
	    b->data, b->klen));
}

/*
 * Sort a list by table and key, stably (a merge sort): ops on one key
 * keep their order, so the last put of a key is still the one kept, and
 * a delete stays between the puts it came between.  Ops on different
 * keys do not depend on each other within the transaction, whose reads
 * wait for the whole list; sorted, a list's puts into one table are long
 * runs of increasing keys, each one bulk put: a compressed table then
 * rewrites its last chunk once a list, not once a case (and logs it once).
 */
static struct store_behind_op *
store_behind_sort(struct store_behind_op *list)
{
	struct store_behind_op	*a, *b, *slow, *fast, *head, **tail;

	if (list == NULL || list->next == NULL)
		return (list);
	slow = list;
	fast = list->next;
	while (fast != NULL && fast->next != NULL) {
		slow = slow->next;
		fast = fast->next->next;
	}
	b = slow->next;
	slow->next = NULL;
	a = store_behind_sort(list);
	b = store_behind_sort(b);

	tail = &head;
	while (a != NULL && b != NULL) {
		if (store_behind_cmp(b, a) < 0) {
			*tail = b;
			b = b->next;
		} else {
			*tail = a;
			a = a->next;
		}
		tail = &(*tail)->next;
	}
	*tail = a != NULL ? a : b;
	return (head);
}

/* Make a list's ops in order, up to the first failure. */
static int
store_behind_run(struct store_behind *b, struct store_behind_op *op,
    char **cause)
{
	struct store_behind_op	*o, *end;
	const uint8_t		*keys[STORE_BEHIND_RUN], *vals[STORE_BEHIND_RUN];
	size_t			 klens[STORE_BEHIND_RUN], vlens[STORE_BEHIND_RUN];
	size_t			 n, kmin;
	int			 rc = 0;

	while (rc == 0 && op != NULL) {
		if (op->del) {
			rc = store_del_now(b->t, op->table, op->data, op->klen,
			    cause);
			if (rc == STORE_NOTFOUND) {
				err_clear(cause);
				rc = 0;
			}
			op = op->next;
			continue;
		}
		/* A run of plain puts into one table, keys increasing. */
		for (n = 0, o = op; o != NULL && n < STORE_BEHIND_RUN &&
		    !o->del && o->flags == 0 && o->table == op->table; o = o->next) {
			if (n > 0) {
				kmin = klens[n - 1] < o->klen ? klens[n - 1] :
				    o->klen;
				if (memcmp(keys[n - 1], o->data, kmin) > 0 ||
				    (memcmp(keys[n - 1], o->data, kmin) == 0 &&
				    klens[n - 1] >= o->klen))
					break;
			}
			keys[n] = o->data;
			klens[n] = o->klen;
			vals[n] = o->data + o->klen;
			vlens[n] = o->vlen;
			n++;
		}
		end = o;
		if (n >= 2) {
			rc = store_put_many_now(b->t, op->table, n, keys, klens,
			    vals, vlens, cause);
			op = end;
			continue;
		}
		rc = store_put_now(b->t, op->table, op->data, op->klen,
		    op->data + op->klen, op->vlen, op->flags, cause);
		op = op->next;
	}
	return (rc);
}

static void *
store_behind_main(void *arg)
{
	struct store_behind	*b = arg;
	struct store_behind_op	*list;
	char			*cause = NULL;
	size_t			 bytes;
	int			 rc;

	pthread_mutex_lock(&b->lock);
	for (;;) {
		if (b->head == NULL) {
			b->busy = 0;
			pthread_cond_broadcast(&b->idle);
			if (b->stop)
				break;
			pthread_cond_wait(&b->work, &b->lock);
			continue;
		}
		list = b->head;
		b->head = b->tail = NULL;
		b->busy = 1;
		rc = b->rc;	/* after a failure, the rest is dropped */
		pthread_mutex_unlock(&b->lock);

		list = store_behind_sort(list);
		if (rc == 0)
			rc = store_behind_run(b, list, &cause);
		else
			rc = 0;
		bytes = store_behind_drop(list);

		pthread_mutex_lock(&b->lock);
		if (rc != 0 && b->rc == 0) {
			b->rc = rc;
			b->cause = cause != NULL ? cause :
			    xstrdup(_("A write failed; nothing was saved."));
			cause = NULL;
		}
		free(cause);
		cause = NULL;
		b->queued -= bytes;
		pthread_cond_broadcast(&b->idle);
	}
	pthread_mutex_unlock(&b->lock);
	return (NULL);
}

int
store_txn_behind(struct store_txn *t, char **cause)
{
	struct store_behind	*b;
	int			 rc;

	if (t->behind != NULL)
		return (0);
	/* What was gathered before comes first. */
	if ((rc = store_gather_flush(t, cause)) != 0)
		return (rc);
	b = xcalloc(1, sizeof *b);
	b->t = t;
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->work, NULL);
	pthread_cond_init(&b->idle, NULL);
	if (pthread_create(&b->thread, NULL, store_behind_main, b) != 0) {
		pthread_cond_destroy(&b->idle);
		pthread_cond_destroy(&b->work);
		pthread_mutex_destroy(&b->lock);
		free(b);
		return (err_set(cause, _("Cannot start a thread for the "
		    "writes; nothing was saved.")));
	}
	t->behind = b;
	return (0);
}

/*
 * Hand what the caller gathered to the thread (waiting while too much is
 * queued): the thread's failure, if any, with its sentence.  Locked.
 */
static int
store_behind_hand(struct store_behind *b, char **cause)
{
	while (b->rc == 0 && b->queued > STORE_BEHIND_MAX)
		pthread_cond_wait(&b->idle, &b->lock);
	if (b->rc != 0) {
		store_behind_drop(b->phead);
		b->phead = b->ptail = NULL;
		b->pn = b->pbytes = 0;
		if (cause != NULL)
			err_set(cause, "%s", b->cause);
		return (b->rc);
	}
	if (b->phead != NULL) {
		if (b->tail != NULL)
			b->tail->next = b->phead;
		else
			b->head = b->phead;
		b->tail = b->ptail;
		b->queued += b->pbytes;
		b->phead = b->ptail = NULL;
		b->pn = b->pbytes = 0;
		pthread_cond_signal(&b->work);
	}
	return (0);
}

int
store_behind_add(struct store_txn *t, int del, enum store_table table,
    const void *key, size_t klen, const void *val, size_t vlen, int flags,
    char **cause)
{
	struct store_behind	*b = t->behind;
	struct store_behind_op	*op;
	int			 rc;

	op = xmalloc(sizeof *op + klen + vlen);
	op->next = NULL;
	op->table = table;
	op->del = del;
	op->flags = flags;
	op->klen = klen;
	op->vlen = vlen;
	memcpy(op->data, key, klen);
	if (vlen != 0)
		memcpy(op->data + klen, val, vlen);
	if (b->ptail != NULL)
		b->ptail->next = op;
	else
		b->phead = op;
	b->ptail = op;
	b->pbytes += klen + vlen;
	if (++b->pn < STORE_BEHIND_HAND)
		return (0);
	pthread_mutex_lock(&b->lock);
	rc = store_behind_hand(b, cause);
	pthread_mutex_unlock(&b->lock);
	return (rc);
}

int
store_behind_wait(struct store_txn *t, char **cause)
{
	struct store_behind	*b = t->behind;
	int			 rc;

	pthread_mutex_lock(&b->lock);
	if ((rc = store_behind_hand(b, cause)) == 0) {
		while (b->head != NULL || b->busy)
			pthread_cond_wait(&b->idle, &b->lock);
		if (b->rc != 0) {
			err_set(cause, "%s", b->cause);
			rc = b->rc;
		}
	}
	pthread_mutex_unlock(&b->lock);
	return (rc);
}

/*
 * The end of an attempt whose function returned rc: the queue made (or
 * dropped, after a failure), the thread stopped; the attempt's result is
 * rc, or else the thread's failure.  The transaction is the caller's
 * again.
 */
int
store_behind_end(struct store_txn *t, int rc, char **cause)
{
	struct store_behind	*b = t->behind;

	pthread_mutex_lock(&b->lock);
	if (rc != 0 && b->rc == 0)
		b->rc = rc;		/* what is queued is dropped */
	(void)store_behind_hand(b, NULL);
	while (b->head != NULL || b->busy)
		pthread_cond_wait(&b->idle, &b->lock);
	b->stop = 1;
	pthread_cond_signal(&b->work);
	pthread_mutex_unlock(&b->lock);
	pthread_join(b->thread, NULL);

	if (rc == 0 && b->rc != 0) {
		err_set(cause, "%s", b->cause);
		rc = b->rc;
	}
	free(b->cause);
	pthread_cond_destroy(&b->idle);
	pthread_cond_destroy(&b->work);
	pthread_mutex_destroy(&b->lock);
	free(b);
	t->behind = NULL;
	return (rc);
}

/* Puts made in the caller's thread again (a batch's end that reads). */
int
store_txn_behind_stop(struct store_txn *t, char **cause)
{
	if (t->behind == NULL)
		return (0);
	return (store_behind_end(t, 0, cause));
}
