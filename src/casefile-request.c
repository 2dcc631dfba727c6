/*
 * casefile-request.c: asking for a witness's key.
 *
 * A reader of a case who does not hold a witness's key asks for it: the
 * request is a journal entry and an audit entry (like every change), and
 * one entry in the index table per holder of that key, under the
 * holder's name ("request/HOLDER/..."), so that each holder finds what
 * is asked of them at sign-in with one scan, whatever the number of
 * cases.  Giving the key (casefile_grant) answers the request: an entry
 * whose asker holds the key now, or whose holder no longer does, is
 * dropped the next time the holder's requests are read.
 *
 * The entries hold names and numbers only, as the case header does
 * (assignees, "wholders"): nothing of the witness's identity.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "casefile-int.h"
#include "casefile.h"
#include "i18n.h"
#include "layout.h"
#include "record.h"
#include "session.h"
#include "store.h"
#include "util.h"

/* Does name hold the key of witness rid (header "wholders": rid:name)? */
static int
cr_holds(const struct record *h, uint64_t rid, const char *name)
{
	char	*item;
	int	 has;

	xasprintf(&item, "%" PRIu64 ":%s", rid, name);
	has = list_has(record_get_str(h, "wholders"), item);
	free(item);
	return (has);
}

/* One request entry for each holder of the witness's key. */
int
cf_request_apply(struct cf_tx *x, char **cause)
{
	struct cf_op	*op = x->op;
	const char	*me = x->ctx->sess->user->name, *list, *kind;
	struct record	*env;
	char		*copy, *tok, *save, *colon;
	uint8_t		*k;
	size_t		 klen, holders = 0;
	int		 rc;

	if ((rc = cf_get(x->t, op->id, LAYOUT_RECORD, op->rid, &env,
	    cause)) != 0)
		return (rc);
	kind = record_get_str(env, "kind");
	if (kind == NULL || strcmp(kind, "witness") != 0)
		rc = err_set(cause, _("Record %" PRIu64 " is not a witness."),
		    op->rid);
	record_free(env);
	if (rc != 0)
		return (rc);
	if (cr_holds(x->h, op->rid, me))
		return (err_set(cause, "%s", _("You hold this witness's key "
		    "already.")));
	list = record_get_str(x->h, "wholders");
	copy = xstrdup(list != NULL ? list : "");
	for (tok = strtok_r(copy, ",", &save); rc == 0 && tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if ((colon = strchr(tok, ':')) == NULL ||
		    strtoull(tok, NULL, 10) != op->rid)
			continue;
		k = layout_request_key(colon + 1, op->id, op->rid, me, &klen);
		rc = store_put(x->t, STORE_INDEX, k, klen, "", 0, 0, cause);
		free(k);
		holders++;
	}
	free(copy);
	if (rc == 0 && holders == 0)
		rc = err_set(cause, "%s", _("Nobody holds this witness's key "
		    "but the organisation's recovery key: ask a supervisor."));
	if (rc != 0)
		return (rc);
	record_set_str(x->jenv, "user", me);
	x->rid = op->rid;
	xasprintf(&x->detail, "witness %" PRIu64, op->rid);
	return (0);
}

/* Ask the holders of witness rid's key for it.  Journalled, audited. */
int
casefile_key_request(struct casefile_ctx *ctx, uint64_t id, uint64_t rid,
    char **cause)
{
	struct cf_op	 op;

	memset(&op, 0, sizeof op);
	op.id = id;
	op.rid = rid;
	return (cf_change(ctx, CF_REQUEST, &op, cause));
}

struct cr_scan {
	size_t		  plen;
	uint8_t		**keys;
	size_t		 *lens;
	size_t		  n;
};

static int
cr_scan_cb(const void *k, size_t klen, const void *v, size_t vlen, void *arg)
{
	struct cr_scan	*s = arg;

	(void)v;
	(void)vlen;
	if (klen <= s->plen + 16)
		return (0);
	s->keys = xrealloc(s->keys, (s->n + 1) * sizeof *s->keys);
	s->lens = xrealloc(s->lens, (s->n + 1) * sizeof *s->lens);
	s->keys[s->n] = xmalloc(klen);
	memcpy(s->keys[s->n], k, klen);
	s->lens[s->n++] = klen;
	return (0);
}

struct cr_list {
	struct casefile_ctx	*ctx;
	struct casefile_request	*list;
	size_t			 n;
};

static int
cr_list_txn(struct store_txn *t, void *arg, char **cause)
{
	struct cr_list		*l = arg;
	const char		*me = l->ctx->sess->user->name;
	struct cr_scan		 s;
	struct casefile_request	*r;
	struct record		*h;
	char			*prefix, *user;
	uint64_t		 id, rid;
	size_t			 i;
	int			 rc;

	casefile_requests_free(l->list, l->n);	/* an earlier, retried try */
	l->list = NULL;
	l->n = 0;
	memset(&s, 0, sizeof s);
	prefix = layout_request_prefix(me);
	s.plen = strlen(prefix);
	rc = store_scan(t, STORE_INDEX, prefix, s.plen, cr_scan_cb, &s, cause);
	free(prefix);
	for (i = 0; rc == 0 && i < s.n; i++) {
		id = get_be64(s.keys[i] + s.plen);
		rid = get_be64(s.keys[i] + s.plen + 8);
		user = xstrndup((char *)s.keys[i] + s.plen + 16,
		    s.lens[i] - s.plen - 16);
		rc = cf_header_read(t, id, &h, cause);
		if (rc == STORE_NOTFOUND) {
			err_clear(cause);
			h = NULL;
			rc = 0;
		}
		if (rc != 0) {
			free(user);
			break;
		}
		/* Answered, or no longer the user's to answer: dropped. */
		if (h == NULL || cr_holds(h, rid, user) ||
		    !cr_holds(h, rid, me)) {
			rc = store_del(t, STORE_INDEX, s.keys[i], s.lens[i],
			    cause);
			if (rc == STORE_NOTFOUND) {
				err_clear(cause);
				rc = 0;
			}
			free(user);
			record_free(h);
			continue;
		}
		l->list = xrealloc(l->list, (l->n + 1) * sizeof *l->list);
		r = &l->list[l->n++];
		r->id = id;
		r->rid = rid;
		r->user = user;
		r->reference = xstrdup(str_or(record_get_str(h, "reference"),
		    "?"));
		record_free(h);
	}
	for (i = 0; i < s.n; i++)
		free(s.keys[i]);
	free(s.keys);
	free(s.lens);
	return (rc);
}

/* The requests waiting for the signed-in user; stale ones are dropped. */
int
casefile_key_requests(struct casefile_ctx *ctx, struct casefile_request **list,
    size_t *n, char **cause)
{
	struct cr_list	 l;

	memset(&l, 0, sizeof l);
	l.ctx = ctx;
	if (store_run(ctx->sess->store, cr_list_txn, &l, cause) != 0) {
		casefile_requests_free(l.list, l.n);
		return (-1);
	}
	*list = l.list;
	*n = l.n;
	return (0);
}

void
casefile_requests_free(struct casefile_request *list, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(list[i].reference);
		free(list[i].user);
	}
	free(list);
}
