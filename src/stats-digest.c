/*
 * stats-digest.c: the figures of a case kept beside it (issue 16).
 *
 * A full statistics run that opens every case checks its manifest,
 * opens its key and decrypts every record: about half a millisecond a
 * case, a minute at 100,000.  A digest holds just what the figures read
 * of a case (struct stats_input), so that a run reads one short entry a
 * case instead:
 *
 * - the header fields the figures use (workflow, state, received,
 *   region, force, categories, channel, victim sex and age group,
 *   reference), the deadline clock, the day it was created, and the
 *   moves of its journal (the state left, and when);
 * - the content fields the figures count: the intake's unit, the
 *   allegations' findings, the decisions' verdict, outcome and sanction,
 *   the recommendations' addressee unit and force, status and deadline.
 *   Free-text fields (unit, sanction, addressee unit) are kept as
 *   entered (the figures fold them; the follow-up shows the unit).
 *   Never a witness record, a name, a narrative, a statement.
 *
 * A digest is sealed whole (XChaCha20-Poly1305, associated data
 * "stats:ID", so that one moved to another case does not open) under the
 * statistics key: a random key kept in the meta table wrapped under the
 * oversight seed ("org:stats").  Only holders of the oversight key
 * (supervisors and auditors, who read every case anyway) read or write
 * digests; a key wrapped under an earlier oversight seed (a rotation) is
 * replaced by a new one, and the digests under it are made again.
 *
 * Every change of a case removes its digest in the change's transaction
 * (cf_manifest_write()).  A run of an oversight holder reads every
 * digest in bulk; a case without one (a store older than digests, a case
 * changed since, a digest that does not open or parse) is read whole
 * through casefile_open(), its manifest checked, and its digest written,
 * but only if its key is sealed to the oversight key (so that any holder
 * of it would read the same) and its header version is still the one
 * read.  Users without the oversight key read every case whole, as
 * before (stats.c).
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "casefile.h"
#include "i18n.h"
#include "keyring.h"
#include "layout.h"
#include "record.h"
#include "session.h"
#include "stats.h"
#include "store.h"
#include "trust.h"
#include "util.h"
#include "vault.h"

#define SD_VERSION	4
#define SD_VERSION_S	"4"
#define SD_VERSION_FOLDED "3"	/* read too: its free text folded */
#define SD_META		"stats.key"
#define SD_LABEL	"org:stats"
#define SD_BATCH	256
#define SD_N(a)		(sizeof (a) / sizeof (a)[0])

struct sd_entry {
	uint64_t	 id;
	uint8_t		*v;
	size_t		 len;
	int64_t		 version;	/* of the header it was made from */
};

struct sd_list {
	struct sd_entry	*list;
	size_t		 n, size;
};

static void
sd_list_add(struct sd_list *l, uint64_t id, uint8_t *v, size_t len)
{
	if (l->n == l->size) {
		l->size = l->size == 0 ? 1024 : 2 * l->size;
		l->list = xrealloc(l->list, l->size * sizeof *l->list);
	}
	l->list[l->n].id = id;
	l->list[l->n].v = v;
	l->list[l->n].len = len;
	l->list[l->n].version = 0;
	l->n++;
}

static void
sd_list_free(struct sd_list *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		free(l->list[i].v);
	free(l->list);
	memset(l, 0, sizeof *l);
}

static int
sd_entry_cmp(const void *a, const void *b)
{
	uint64_t	 x = ((const struct sd_entry *)a)->id;
	uint64_t	 y = ((const struct sd_entry *)b)->id;

	return (x < y ? -1 : x > y);
}

static int
sd_u64cmp(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x < y ? -1 : x > y);
}

/* What the figures read of a case opened whole. */
void
stats_input_casefile(struct stats_input *in, const struct casefile *cf)
{
	const struct casefile_rec	*r, *src;
	const struct casefile_event	*e;
	const char *const		*keys;
	struct stats_irec		*ir;
	const char			*from;
	size_t				 i, j;
	int				 text;

	memset(in, 0, sizeof *in);
	in->id = cf->id;
	in->readable = cf->readable;
	for (i = 0; i < STATS_NH; i++)
		in->h[i] = record_get_str(cf->header, stats_hfield_keys[i]);
	in->num[STATS_N_CREATED] = record_get_int(cf->header, "created", 0);
	in->num[STATS_N_ENTERED] = record_get_int(cf->header,
	    "clock.entered", 0);
	in->num[STATS_N_DEADLINE] = record_get_int(cf->header,
	    "clock.deadline", 0);
	in->num[STATS_N_PAUSED_SINCE] = record_get_int(cf->header,
	    "clock.paused_since", 0);
	in->num[STATS_N_PAUSED_DAYS] = record_get_int(cf->header,
	    "clock.paused_days", 0);
	in->num[STATS_N_RESUME_LEFT] = record_get_int(cf->header,
	    "clock.resume_left", 0);
	in->num[STATS_N_RESUME] = record_get_int(cf->header, "clock.resume",
	    0);
	for (i = 0; i < cf->njournal; i++) {
		e = &cf->journal[i];
		if (strcmp(e->what, "move") != 0 ||
		    (from = record_get_str(e->body, "from")) == NULL)
			continue;
		in->moves = xrealloc(in->moves, (in->nmoves + 1) *
		    sizeof *in->moves);
		in->moves[in->nmoves].at = e->at;
		in->moves[in->nmoves++].from = from;
	}
	for (i = 0; i < cf->nrecs; i++) {
		r = &cf->recs[i];
		if (r->locked ||
		    (keys = stats_rec_fields(r->kind, r->rid, &text)) == NULL)
			continue;
		in->recs = xrealloc(in->recs, (in->nrecs + 1) *
		    sizeof *in->recs);
		ir = &in->recs[in->nrecs++];
		memset(ir, 0, sizeof *ir);
		ir->kind = r->kind;
		ir->rid = r->rid;
		for (j = 0; j < STATS_RF && keys[j] != NULL; j++)
			ir->f[j] = record_get_str(r->fields, keys[j]);
		/* A recommendation: the kind of the record it comes from. */
		if (strcmp(r->kind, "recommendation") == 0 &&
		    ir->f[STATS_RF_SOURCE] != NULL &&
		    (src = casefile_rec(cf, strtoull(ir->f[STATS_RF_SOURCE],
		    NULL, 10))) != NULL)
			ir->f[STATS_RF_SOURCE_KIND] = src->kind;
	}
}

void
stats_input_free(struct stats_input *in)
{
	free(in->moves);
	free(in->recs);
	memset(in, 0, sizeof *in);
}

struct sd_buf {
	char	*p;
	size_t	 n, size;
	int	 bad;		/* a value with a tab or a line break */
};

static void
sd_add(struct sd_buf *b, const char *p, size_t len)
{
	if (b->n + len + 1 > b->size) {
		b->size = b->size == 0 ? 512 : b->size;
		while (b->n + len + 1 > b->size)
			b->size *= 2;
		b->p = xrealloc(b->p, b->size);
	}
	memcpy(b->p + b->n, p, len);
	b->n += len;
	b->p[b->n] = '\0';
}

static void
sd_addf(struct sd_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
sd_addf(struct sd_buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	 tmp[64];
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		sd_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n :
		    sizeof tmp - 1);
}

/* A value: "-" when absent, else "=" and the value; then end. */
static void
sd_value(struct sd_buf *b, const char *v, int end)
{
	char	tmp[1];

	if (v == NULL)
		sd_add(b, "-", 1);
	else {
		if (strpbrk(v, "\t\n") != NULL)
			b->bad = 1;
		sd_add(b, "=", 1);
		sd_add(b, v, strlen(v));
	}
	if (end != 0) {
		tmp[0] = (char)end;
		sd_add(b, tmp, 1);
	}
}

/*
 * The digest's text (FORMAT.md "Statistics digests"): 0 and *bp, or -1
 * when a value holds a tab or a line break (no digest: the case is read
 * whole every time).
 */
static int
sd_text(const struct stats_input *in, struct sd_buf *b)
{
	const struct stats_irec	*r;
	const char *const	*keys;
	size_t			 i, j;
	int			 text;

	memset(b, 0, sizeof *b);
	sd_addf(b, "dossier-stats %d\n%" PRIu64 "\n", SD_VERSION, in->id);
	for (i = 0; i < STATS_NH; i++)
		sd_value(b, in->h[i], '\n');
	for (i = 0; i < STATS_NN; i++)
		sd_addf(b, "%" PRId64 "\n", in->num[i]);
	sd_addf(b, "%zu\n", in->nmoves);
	for (i = 0; i < in->nmoves; i++) {
		sd_addf(b, "%" PRId64 "\t", in->moves[i].at);
		sd_value(b, in->moves[i].from, '\n');
	}
	sd_addf(b, "%zu\n", in->nrecs);
	for (i = 0; i < in->nrecs; i++) {
		r = &in->recs[i];
		keys = stats_rec_fields(r->kind, r->rid, &text);
		sd_value(b, r->kind, 0);
		sd_add(b, "\t", 1);
		sd_addf(b, "%" PRIu64, r->rid);
		for (j = 0; j < STATS_RF; j++) {
			sd_add(b, "\t", 1);
			/* Free text as entered: the figures fold it. */
			sd_value(b, keys != NULL && j < STATS_RF &&
			    r->f[j] != NULL ? r->f[j] : NULL,
			    j + 1 < STATS_RF ? 0 : '\n');
		}
	}
	if (b->bad) {
		if (b->p != NULL)
			wipe(b->p, b->n);
		free(b->p);
		memset(b, 0, sizeof *b);
		return (-1);
	}
	return (0);
}

/* The digest of a case read whole, sealed: 0, or -1 (none to keep). */
static int
sd_make(const struct casefile *cf, const struct vault_key *k, uint8_t **vp,
    size_t *lenp)
{
	struct stats_input	 in;
	struct sd_buf		 b;
	char			*ad;
	int			 rc;

	stats_input_casefile(&in, cf);
	rc = sd_text(&in, &b);
	stats_input_free(&in);
	if (rc != 0)
		return (-1);
	xasprintf(&ad, "stats:%" PRIu64, cf->id);
	vault_encrypt(k, ad, b.p, b.n, vp, lenp);
	free(ad);
	wipe(b.p, b.n);
	free(b.p);
	return (0);
}

/* Parsing in place: the next piece up to c, NUL-terminated; or NULL. */
static char *
sd_next(char **p, char *end, int c)
{
	char	*s = *p, *e;

	if (s == NULL || s >= end ||
	    (e = memchr(s, c, (size_t)(end - s))) == NULL)
		return (NULL);
	*e = '\0';
	*p = e + 1;
	return (s);
}

/* A value written by sd_value(): NULL for "-"; *ok 0 if damaged. */
static const char *
sd_get_value(char **p, char *end, int c, int *ok)
{
	char	*s;

	if ((s = sd_next(p, end, c)) == NULL || (*s != '-' && *s != '=')) {
		*ok = 0;
		return (NULL);
	}
	return (*s == '=' ? s + 1 : NULL);
}

static int
sd_get_num(char **p, char *end, int c, int64_t *v)
{
	char	*s, *ep;

	if ((s = sd_next(p, end, c)) == NULL || *s == '\0')
		return (-1);
	*v = strtoll(s, &ep, 10);
	return (*ep == '\0' ? 0 : -1);
}

#define SD_MAXN	100000

/* The digest's text read into in (pointing into text): 0 or -1. */
static int
sd_parse(char *text, size_t len, uint64_t id, struct stats_input *in)
{
	char		*p = text, *end = text + len, *s;
	struct stats_irec *r;
	int64_t		 n, v;
	size_t		 i, j;
	int		 ok = 1;

	memset(in, 0, sizeof *in);
	if ((s = sd_next(&p, end, '\n')) == NULL ||
	    (strcmp(s, "dossier-stats " SD_VERSION_S) != 0 &&
	    strcmp(s, "dossier-stats " SD_VERSION_FOLDED) != 0) ||
	    sd_get_num(&p, end, '\n', &v) != 0 || (uint64_t)v != id)
		return (-1);
	in->id = id;
	in->readable = 1;
	for (i = 0; i < STATS_NH; i++)
		in->h[i] = sd_get_value(&p, end, '\n', &ok);
	for (i = 0; i < STATS_NN; i++)
		if (sd_get_num(&p, end, '\n', &in->num[i]) != 0)
			return (-1);
	if (!ok || sd_get_num(&p, end, '\n', &n) != 0 || n < 0 ||
	    n > SD_MAXN)
		return (-1);
	if (n > 0)
		in->moves = xcalloc((size_t)n, sizeof *in->moves);
	for (i = 0; i < (size_t)n; i++) {
		if (sd_get_num(&p, end, '\t', &in->moves[i].at) != 0)
			goto bad;
		in->moves[i].from = sd_get_value(&p, end, '\n', &ok);
		in->nmoves++;
	}
	if (!ok || sd_get_num(&p, end, '\n', &n) != 0 || n < 0 ||
	    n > SD_MAXN)
		goto bad;
	if (n > 0)
		in->recs = xcalloc((size_t)n, sizeof *in->recs);
	for (i = 0; i < (size_t)n; i++) {
		r = &in->recs[in->nrecs++];
		if ((r->kind = sd_get_value(&p, end, '\t', &ok)) == NULL ||
		    sd_get_num(&p, end, '\t', &v) != 0)
			goto bad;
		r->rid = (uint64_t)v;
		for (j = 0; j < STATS_RF; j++)
			r->f[j] = sd_get_value(&p, end, j + 1 < STATS_RF ?
			    '\t' : '\n', &ok);
	}
	if (!ok || p != end)
		goto bad;
	return (0);
bad:
	stats_input_free(in);
	return (-1);
}

/* The statistics key, opened (or made) with the oversight seed. */
struct sd_key {
	struct casefile_ctx	*ctx;
	struct vault_key	*k;
	int			 none;		/* no oversight key held */
};

static int
sd_key_txn(struct store_txn *t, void *arg, char **cause)
{
	struct sd_key		*a = arg;
	struct session		*sess = a->ctx->sess;
	struct vault_key	*seed;
	uint8_t			*v, *w;
	size_t			 len, wlen;
	char			*why = NULL;
	int			 rc;

	vault_key_free(a->k);
	a->k = NULL;
	a->none = 0;
	rc = keyring_holds(t, LAYOUT_LABEL_OVERSIGHT, sess->user->name,
	    cause);
	if (rc <= 0) {
		a->none = rc == 0;
		return (rc);
	}
	if ((rc = keyring_open(t, LAYOUT_LABEL_OVERSIGHT, sess->user->name,
	    sess->id, &seed, cause)) != 0)
		return (rc);
	/* A key sealed to the user by a file writer is not used. */
	if ((rc = trust_org_key_check(t, sess->user, LAYOUT_LABEL_OVERSIGHT,
	    seed, cause)) != 0) {
		vault_key_free(seed);
		return (rc);
	}
	rc = store_get(t, STORE_META, SD_META, strlen(SD_META), &v, &len,
	    cause);
	if (rc == 0) {
		rc = vault_key_unwrap(seed, SD_LABEL, v, len, &a->k, &why);
		free(v);
		free(why);
		if (rc == 0) {
			vault_key_free(seed);
			return (0);
		}
		/* Wrapped under an earlier oversight key: a new one. */
	} else if (rc != STORE_NOTFOUND) {
		vault_key_free(seed);
		return (rc);
	}
	a->k = vault_key_generate();
	vault_key_wrap(seed, a->k, SD_LABEL, &w, &wlen);
	vault_key_free(seed);
	rc = store_put(t, STORE_META, SD_META, strlen(SD_META), w, wlen, 0,
	    cause);
	free(w);
	return (rc);
}

/* Every digest (only those of ids when few), and the ids counted. */
struct sd_read {
	struct casefile_ctx	*ctx;
	int			 few;
	struct sd_list		 have;	/* pointing into buf */
	uint8_t			*buf;
	size_t			 used, size;
	uint64_t		*ids;
	size_t			 nids;
};

/*
 * The digests are copied into one buffer (offsets in the entries until
 * the scan ends: the buffer moves as it grows), not one allocation each.
 */
static int
sd_scan_cb(const void *k, size_t klen, const void *v, size_t vlen, void *arg)
{
	struct sd_read	*r = arg;

	if (klen != LAYOUT_STATS_KEYLEN)
		return (0);
	if (r->used + vlen > r->size) {
		r->size = r->size == 0 ? 1 << 20 : r->size;
		while (r->used + vlen > r->size)
			r->size *= 2;
		r->buf = xrealloc(r->buf, r->size);
	}
	memcpy(r->buf + r->used, v, vlen);
	sd_list_add(&r->have, get_be64((const uint8_t *)k + 6), NULL, vlen);
	r->have.list[r->have.n - 1].version = (int64_t)r->used;
	r->used += vlen;
	return (0);
}

static int
sd_read_txn(struct store_txn *t, void *arg, char **cause)
{
	struct sd_read	*r = arg;
	uint8_t		 k[LAYOUT_STATS_KEYLEN], *v;
	size_t		 i, len;
	int		 rc = 0;

	r->have.n = 0;
	r->used = 0;
	/* A few cases (ids in order): theirs, not a walk of every one. */
	for (i = 0; r->few && rc == 0 && i < r->nids; i++) {
		layout_stats_key(k, r->ids[i]);
		rc = store_get(t, STORE_INDEX, k, sizeof k, &v, &len, cause);
		if (rc == STORE_NOTFOUND) {
			err_clear(cause);
			rc = 0;
			continue;
		}
		if (rc == 0)
			rc = sd_scan_cb(k, sizeof k, v, len, r);
		free(v);
	}
	if (!r->few)
		rc = store_scan_values(t, STORE_INDEX, LAYOUT_STATS_PREFIX,
		    strlen(LAYOUT_STATS_PREFIX), sd_scan_cb, r, cause);
	for (i = 0; rc == 0 && i < r->have.n; i++)
		r->have.list[i].v = r->buf + r->have.list[i].version;
	return (rc);
}

/* Digests to write: only over the header they were made from. */
struct sd_write {
	struct sd_entry	*list;
	size_t		 n;
	size_t		 written;
};

static int
sd_write_txn(struct store_txn *t, void *arg, char **cause)
{
	struct sd_write		*w = arg;
	struct record		*h;
	uint8_t			 k[LAYOUT_STATS_KEYLEN], ck[8], *v;
	const char		*keys[] = { "version" };
	char			*label;
	size_t			 i, len;
	int			 rc;

	w->written = 0;
	for (i = 0; i < w->n; i++) {
		/* Any holder of the oversight key reads the same. */
		label = layout_label_case(w->list[i].id);
		rc = keyring_holds(t, label, LAYOUT_OVERSIGHT, cause);
		free(label);
		if (rc < 0)
			return (rc);
		if (rc == 0)
			continue;
		/* Not over a change made since the case was read. */
		put_be64(ck, w->list[i].id);
		if ((rc = store_get(t, STORE_CASES, ck, sizeof ck, &v, &len,
		    cause)) != 0) {
			if (rc == STORE_NOTFOUND)
				continue;
			return (rc);
		}
		h = record_decode_keys(v, len, keys, 1, NULL);
		free(v);
		rc = h != NULL &&
		    record_get_int(h, "version", -1) == w->list[i].version;
		record_free(h);
		if (!rc)
			continue;
		layout_stats_key(k, w->list[i].id);
		if ((rc = store_put(t, STORE_INDEX, k, sizeof k,
		    w->list[i].v, w->list[i].len, 0, cause)) != 0)
			return (rc);
		w->written++;
	}
	return (0);
}

/*
 * Digests are a copy of what the cases say: one that cannot be written
 * (a store that takes no write here, such as a replica) leaves the case
 * to be read whole next time, and the figures of this run stand.
 */
static void
sd_flush(struct casefile_ctx *ctx, struct sd_list *out)
{
	struct sd_write	 w;
	char		*cause = NULL;

	if (out->n == 0)
		return;
	w.list = out->list;
	w.n = out->n;
	if (store_run(ctx->sess->store, sd_write_txn, &w, &cause) != 0)
		free(cause);
	sd_list_free(out);
}

/* A case's figures from its digest: 0, or -1 if it does not open. */
static int
sd_add_digest(struct stats *st, struct casefile_ctx *ctx,
    const struct sd_entry *e, const struct vault_key *k)
{
	struct stats_input	 in;
	uint8_t			*pt;
	size_t			 plen;
	char			 ad[40], *cause = NULL;
	int			 rc;

	snprintf(ad, sizeof ad, "stats:%" PRIu64, e->id);
	if (vault_decrypt(k, ad, e->v, e->len, &pt, &plen, &cause) != 0) {
		free(cause);
		return (-1);
	}
	if ((rc = sd_parse((char *)pt, plen, e->id, &in)) == 0) {
		stats_add_input(st, &in, ctx->flows);
		stats_input_free(&in);
		st->digests++;
	}
	wipe(pt, plen);
	free(pt);
	return (rc);
}

int
stats_digest_collect(struct casefile_ctx *ctx,
    const struct casefile_filter *filter, struct stats *st, char **cause)
{
	struct sd_key		 key;
	struct sd_read		 r;
	struct sd_list		 out;
	struct sd_entry		 want, *e;
	struct casefile		*cf;
	uint8_t			*v;
	size_t			 i, len;
	int			 rc = 0;

	memset(&key, 0, sizeof key);
	key.ctx = ctx;
	if (store_run(ctx->sess->store, sd_key_txn, &key, cause) != 0)
		return (-1);
	if (key.none)
		return (1);
	memset(&r, 0, sizeof r);
	memset(&out, 0, sizeof out);
	if (casefile_ids(ctx, filter, CASEFILE_SORT_REFERENCE, &r.ids,
	    &r.nids, cause) != 0) {
		vault_key_free(key.k);
		return (-1);
	}
	/* In the order of the cases table, as casefile_list() gives them. */
	qsort(r.ids, r.nids, sizeof *r.ids, sd_u64cmp);
	r.few = filter->ids != NULL;
	if (store_run(ctx->sess->store, sd_read_txn, &r, cause) != 0) {
		vault_key_free(key.k);
		free(r.ids);
		free(r.have.list);
		free(r.buf);
		return (-1);
	}
	for (i = 0; rc == 0 && i < r.nids; i++) {
		want.id = r.ids[i];
		/* No digest yet: no list to search (NULL is not an array). */
		e = r.have.n == 0 ? NULL : bsearch(&want, r.have.list,
		    r.have.n, sizeof *r.have.list, sd_entry_cmp);
		if (e != NULL && sd_add_digest(st, ctx, e, key.k) == 0)
			continue;
		/* No digest, or one that does not open: the whole case. */
		if ((rc = casefile_open(ctx, r.ids[i], CASEFILE_JOURNAL, &cf,
		    cause)) != 0)
			break;
		stats_add_casefile(st, cf, ctx->flows);
		st->opened++;
		if (cf->readable && sd_make(cf, key.k, &v, &len) == 0) {
			sd_list_add(&out, cf->id, v, len);
			out.list[out.n - 1].version = record_get_int(cf->header,
			    "version", -1);
		}
		casefile_free(cf);
		if (out.n >= SD_BATCH)
			sd_flush(ctx, &out);
	}
	if (rc == 0)
		sd_flush(ctx, &out);
	sd_list_free(&out);
	vault_key_free(key.k);
	free(r.ids);
	free(r.have.list);
	free(r.buf);
	return (rc == 0 ? 0 : -1);
}
