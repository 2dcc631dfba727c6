/*
 * test-casefile.c: cases on a real store with real keys: creation, who
 * reads what, optimistic versions, unassignment re-keying, the blind
 * index, closed cases, and the journal and audit entries of each change.
 */
#include "config.h"

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "account.h"
#include "audit.h"
#include "casefile.h"
#include "form.h"
#include "helpers.h"
#include "record.h"
#include "session.h"
#include "store.h"
#include "util.h"
#include "workflow.h"

#define PASS	HELPER_USER_PASS

struct fixture {
	char			*tmp;
	struct store		*s;
	struct formset		*forms;
	struct workflow_set	*flows;
	struct session		*reg, *inv1, *inv2, *sup, *aud;
	struct casefile_ctx	 creg, cinv1, cinv2, csup, caud;
	char			 agent1[24], agent2[24];	/* record ids */
	char			 report1[24], report2[24];
};

/* The team every test starts from (helpers.h). */
static void
team(struct fixture *f, struct helper_user *u)
{
	const struct helper_user t[] = {
		{ "sup", "supervisor", &f->sup, &f->csup },
		{ "reg", "registrar", &f->reg, &f->creg },
		{ "inv1", "investigator", &f->inv1, &f->cinv1 },
		{ "inv2", "investigator", &f->inv2, &f->cinv2 },
		{ "aud", "auditor", &f->aud, &f->caud }
	};

	memcpy(u, t, sizeof t);
}
#define TEAM	5

static int
setup(void **state)
{
	struct fixture		*f = xcalloc(1, sizeof *f);
	struct helper_user	 u[TEAM];

	team(f, u);
	f->s = helper_team(&f->tmp, &f->forms, &f->flows, u, TEAM);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture		*f = *state;
	struct helper_user	 u[TEAM];

	team(f, u);
	helper_team_free(f->tmp, f->s, f->forms, f->flows, u, TEAM);
	free(f);
	return (0);
}

/* A case registered by reg, assigned to inv1 by sup. */
static uint64_t
new_case(struct fixture *f)
{
	char		*cause = NULL;
	uint64_t	 id;

	id = helper_new_case(&f->creg, "Arrestation au poste de Sévaré");
	if (casefile_assign(&f->csup, id, "inv1", 1, &cause) != 0)
		fail_msg("assign: %s", cause);
	return (id);
}

static void
casefile__reads__by_role_and_key(void **state)
{
	struct fixture		*f = *state;
	struct casefile		*cf;
	const struct casefile_rec *r;
	char			*cause = NULL;
	uint64_t		 id, w;

	id = new_case(f);
	w = helper_add(&f->cinv1, id, "witness", "full_name", "Aminata Diallo",
	    "phone", "+223 76 11 22 33", "role", "direct", NULL);
	/* The investigator who recorded the witness reads everything. */
	assert_int_equal(casefile_open(&f->cinv1, id, CASEFILE_WITNESSES, &cf,
	    &cause), 0);
	assert_true(cf->readable);
	r = casefile_rec(cf, w);
	assert_non_null(r);
	assert_false(r->witness_locked);
	assert_string_equal(record_get_str(r->fields, "full_name"),
	    "Aminata Diallo");
	assert_string_equal(record_get_str(r->fields, "pseudonym"),
	    "Témoin A");
	assert_string_equal(record_get_str(casefile_rec(cf, 0)->fields,
	    "summary"), "Arrestation au poste de Sévaré");
	casefile_free(cf);
	/* The supervisor reads the case, the witness only by pseudonym. */
	assert_int_equal(casefile_open(&f->csup, id, CASEFILE_WITNESSES, &cf,
	    &cause), 0);
	assert_true(cf->readable);
	r = casefile_rec(cf, w);
	assert_true(r->witness_locked);
	assert_null(record_get_str(r->fields, "full_name"));
	assert_string_equal(record_get_str(r->fields, "pseudonym"),
	    "Témoin A");
	casefile_free(cf);
	/* The auditor too (oversight key); inv2, unassigned, sees headers. */
	assert_int_equal(casefile_open(&f->caud, id, 0, &cf, &cause), 0);
	assert_true(cf->readable);
	casefile_free(cf);
	assert_int_equal(casefile_open(&f->cinv2, id, 0, &cf, &cause), 0);
	assert_false(cf->readable);
	assert_true(casefile_rec(cf, 0)->locked);
	assert_null(record_get_str(casefile_rec(cf, 0)->fields, "summary"));
	assert_string_equal(record_get_str(cf->header, "region"), "mopti");
	casefile_free(cf);
	/* inv2 cannot add to it; granting the witness needs the case key. */
	{
		struct record	*r2 = record_create();
		uint64_t	 rid;

		record_set_str(r2, "role", "victim");
		record_set_str(r2, "full_name", "X");
		assert_int_equal(casefile_add(&f->cinv2, id, "person", r2, &rid,
		    &cause), -1);
		assert_non_null(strstr(cause, "do not hold the key"));
		free(cause);
		cause = NULL;
		record_free(r2);
	}
	assert_int_equal(casefile_grant(&f->cinv1, id, w, "inv2", &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(casefile_assign(&f->csup, id, "inv2", 1, &cause), 0);
	assert_int_equal(casefile_grant(&f->cinv1, id, w, "inv2", &cause), 0);
	assert_int_equal(casefile_open(&f->cinv2, id, CASEFILE_WITNESSES, &cf,
	    &cause), 0);
	assert_string_equal(record_get_str(casefile_rec(cf, w)->fields,
	    "full_name"), "Aminata Diallo");
	casefile_free(cf);
}

static void
casefile__refuses__saving_over_a_newer_version(void **state)
{
	struct fixture	*f = *state;
	struct record	*ch;
	struct casefile	*cf;
	char		*cause = NULL;
	uint64_t	 id, p;

	id = new_case(f);
	p = helper_add(&f->cinv1, id, "person", "role", "victim", "full_name",
	    "Moussa Keïta", NULL);
	/* Both start from version 1; the first save wins. */
	ch = record_create();
	record_set_str(ch, "contact", "Sévaré, marché");
	assert_int_equal(casefile_edit(&f->cinv1, id, p, ch, 1, &cause), 0);
	record_free(ch);
	ch = record_create();
	record_set_str(ch, "contact", "Mopti, port");
	assert_int_equal(casefile_edit(&f->csup, id, p, ch, 1, &cause),
	    CASEFILE_CONFLICT);
	assert_non_null(strstr(cause, "inv1"));
	free(cause);
	cause = NULL;
	record_free(ch);
	assert_int_equal(casefile_open(&f->csup, id, CASEFILE_JOURNAL, &cf,
	    &cause), 0);
	assert_string_equal(record_get_str(casefile_rec(cf, p)->fields,
	    "contact"), "Sévaré, marché");
	assert_int_equal(casefile_rec(cf, p)->version, 2);
	/* The journal holds the old and new value of the change. */
	assert_string_equal(cf->journal[cf->njournal - 1].what, "edit");
	assert_string_equal(record_get_str(cf->journal[cf->njournal - 1].body,
	    "new.contact"), "Sévaré, marché");
	casefile_free(cf);
	/* A bad value is refused and nothing changes. */
	ch = record_create();
	record_set_str(ch, "sex", "martian");
	assert_int_equal(casefile_edit(&f->cinv1, id, p, ch, -1, &cause), -1);
	assert_non_null(strstr(cause, "sex"));
	free(cause);
	record_free(ch);
}

/* Take (op 0) or put back (op 1) a user's sealed copy of a case key. */
struct sealed {
	uint64_t	 id;
	const char	*user;
	int		 op;
	uint8_t		*v;
	size_t		 len;
};

static int
sealed_copy(struct store_txn *t, void *arg, char **cause)
{
	struct sealed	*k = arg;
	char		 key[64];
	int		 n;

	n = snprintf(key, sizeof key, "case:%llu", (unsigned long long)k->id);
	n += 1 + snprintf(key + n + 1, sizeof key - n - 1, "%s", k->user);
	if (k->op == 0)
		return (store_get(t, STORE_KEYS, key, (size_t)n, &k->v, &k->len,
		    cause));
	return (store_put(t, STORE_KEYS, key, (size_t)n, k->v, k->len, 0,
	    cause));
}

static void
casefile__unassignment__rekeys_the_case(void **state)
{
	struct fixture	*f = *state;
	struct casefile	*cf;
	struct sealed	 k;
	char		*cause = NULL;
	uint64_t	 id, p;

	id = new_case(f);
	assert_int_equal(casefile_assign(&f->csup, id, "inv2", 1, &cause), 0);
	assert_int_equal(casefile_open(&f->cinv2, id, 0, &cf, &cause), 0);
	assert_true(cf->readable);
	casefile_free(cf);
	memset(&k, 0, sizeof k);
	k.id = id;
	k.user = "inv2";
	assert_int_equal(store_run(f->s, sealed_copy, &k, &cause), 0);
	assert_non_null(k.v);
	assert_int_equal(casefile_assign(&f->csup, id, "inv2", 0, &cause), 0);
	assert_int_equal(casefile_open(&f->cinv2, id, 0, &cf, &cause), 0);
	assert_false(cf->readable);
	/* Re-keyed at once, no mark left; everyone still assigned reads on. */
	assert_int_equal(record_get_int(cf->header, "rekey", 1), 0);
	casefile_free(cf);
	p = helper_add(&f->cinv1, id, "person", "role", "victim", "full_name", "Awa",
	    NULL);
	assert_int_equal(casefile_open(&f->cinv1, id, 0, &cf, &cause), 0);
	assert_string_equal(record_get_str(casefile_rec(cf, 0)->fields,
	    "summary"), "Arrestation au poste de Sévaré");
	assert_string_equal(record_get_str(casefile_rec(cf, p)->fields,
	    "full_name"), "Awa");
	casefile_free(cf);
	/*
	 * inv2 kept the old key: put her sealed copy back, as anyone who
	 * saved it could.  It opens nothing written since.
	 */
	k.op = 1;
	assert_int_equal(store_run(f->s, sealed_copy, &k, &cause), 0);
	assert_int_equal(casefile_open(&f->cinv2, id, 0, &cf, &cause), -1);
	assert_null(cf);
	print_message("the old key: %s\n", cause);
	assert_true(strstr(cause, "does not open") != NULL ||
	    strstr(cause, "not made with the case key") != NULL);
	free(cause);
	cause = NULL;
	free(k.v);
	assert_int_equal(casefile_open(&f->caud, id, 0, &cf, &cause), 0);
	assert_true(cf->readable);
	casefile_free(cf);
}

struct lookups {
	size_t	 n;
	int	 number_in_clear;
};

static int
lookups_cb(const struct audit_entry *e, void *arg)
{
	struct lookups	*l = arg;

	if (strcmp(e->action, "agent.lookup") != 0)
		return (0);
	l->n++;
	if (e->detail != NULL && (strstr(e->detail, "4471") != NULL ||
	    strstr(e->detail, "PN") != NULL))
		l->number_in_clear = 1;
	return (0);
}

static void
casefile__links__an_agent_across_cases(void **state)
{
	struct lookups	 look;
	struct fixture	*f = *state;
	uint64_t	 a, b, c, *ids;
	size_t		 n;
	char		*cause = NULL;

	a = new_case(f);
	b = new_case(f);
	c = new_case(f);
	helper_add(&f->cinv1, a, "person", "role", "agent", "full_name", "Sgt Traoré",
	    "service_number", "PN-4471", NULL);
	helper_add(&f->cinv1, b, "person", "role", "agent", "full_name", "S. Traoré",
	    "service_number", "pn 4471", NULL);
	helper_add(&f->cinv1, c, "person", "role", "agent", "full_name", "Cpl Diarra",
	    "service_number", "PN-9000", NULL);
	assert_int_equal(casefile_agent_cases(&f->csup, "PN4471", &ids, &n,
	    &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], a);
	assert_int_equal(ids[1], b);
	free(ids);
	assert_int_equal(casefile_agent_cases(&f->csup, "PN-1", &ids, &n,
	    &cause), 0);
	assert_int_equal(n, 0);
	free(ids);
	/* An unassigned investigator learns only of cases she can read ... */
	assert_int_equal(casefile_agent_cases(&f->cinv2, "PN4471", &ids, &n,
	    &cause), 0);
	assert_int_equal(n, 0);
	free(ids);
	assert_int_equal(casefile_agent_cases(&f->cinv1, "PN4471", &ids, &n,
	    &cause), 0);
	assert_int_equal(n, 2);
	free(ids);
	/* ... and a registrar of none. */
	assert_int_equal(casefile_agent_cases(&f->creg, "PN4471", &ids, &n,
	    &cause), -1);
	assert_non_null(strstr(cause, "does not allow"));
	free(cause);
	cause = NULL;
	/* Every lookup is audited, by blind index only. */
	memset(&look, 0, sizeof look);
	assert_int_equal(audit_list(f->s, f->sup->user->role, lookups_cb,
	    &look, &cause), 0);
	assert_int_equal(look.n, 4);
	assert_int_equal(look.number_in_clear, 0);
}

static void	 count_problem(const char *, void *);

/* The agents found by a number: exactly want (0, or the case a). */
static void
agent_is(struct fixture *f, const char *number, uint64_t want)
{
	uint64_t	*ids;
	size_t		 n;
	char		*cause = NULL;

	if (casefile_agent_cases(&f->csup, number, &ids, &n, &cause) != 0)
		fail_msg("agent %s: %s", number, cause);
	if (n != (want != 0) || (n == 1 && ids[0] != want))
		fail_msg("agent %s: %zu cases, %s", number, n, want != 0 ?
		    "one wanted" : "none wanted");
	free(ids);
}

static void
agent_edit(struct fixture *f, uint64_t id, uint64_t rid, const char *field,
    const char *v)
{
	struct record	*ch = record_create();
	char		*cause = NULL;

	record_set_str(ch, field, v);
	if (casefile_edit(&f->cinv1, id, rid, ch, -1, &cause) != 0)
		fail_msg("edit %s: %s", field, cause);
	record_free(ch);
}

/*
 * The early warning from one case up (the counters of the agent index):
 * nagents agents, the most named in top cases.
 */
static void
warned(struct fixture *f, size_t nagents, size_t top)
{
	struct casefile_agent_count	*l;
	size_t				 n;
	char				*cause = NULL;

	if (casefile_agent_counts(&f->csup, 1, &l, &n, &cause) != 0)
		fail_msg("agents: %s", cause);
	if (n != nagents || (n > 0 && l[0].cases != top))
		fail_msg("%zu agents, the first in %zu cases; %zu wanted, in "
		    "%zu", n, n > 0 ? l[0].cases : 0, nagents, top);
	casefile_agent_counts_free(l, n);
}

/* 'check' finds nothing wrong. */
static void
check_clean(struct fixture *f)
{
	size_t	 cases, problems;
	char	*cause = NULL, *last = NULL;

	assert_int_equal(casefile_check(f->s, f->forms, f->flows,
	    count_problem, &last, &cases, &problems, &cause), 0);
	if (problems != 0)
		fail_msg("check: %zu problems, the last: %s", problems, last);
	free(last);
}

/*
 * The agents' index follows the service number through edits: another
 * field changed keeps the entry, a new number moves it, none takes it
 * out; the early warning counts each case once, however many of its
 * records name the agent; 'check' finds the index and its counters as
 * the records say at each step.
 */
static void
casefile__agent_index__follows_the_number(void **state)
{
	struct fixture	*f = *state;
	uint64_t	 a, b, rid, rid2;

	a = new_case(f);
	rid = helper_add(&f->cinv1, a, "person", "role", "agent", "full_name",
	    "Sgt Traoré", "service_number", "PN-4471", NULL);
	agent_edit(f, a, rid, "full_name", "Sgt A. Traoré");
	agent_is(f, "PN4471", a);
	warned(f, 1, 1);
	check_clean(f);
	/* A second record of the case naming him: still one case. */
	rid2 = helper_add(&f->cinv1, a, "person", "role", "agent", "full_name",
	    "A. Traoré", "service_number", "PN 4471", NULL);
	warned(f, 1, 1);
	check_clean(f);
	agent_edit(f, a, rid2, "service_number", "");
	warned(f, 1, 1);
	agent_edit(f, a, rid, "service_number", "PN-5555");
	agent_is(f, "PN4471", 0);
	agent_is(f, "PN5555", a);
	warned(f, 1, 1);
	check_clean(f);
	/* Named in a second case: two. */
	b = new_case(f);
	helper_add(&f->cinv1, b, "person", "role", "agent", "full_name",
	    "Sgt Traoré", "service_number", "PN-5555", NULL);
	warned(f, 1, 2);
	check_clean(f);
	agent_edit(f, a, rid, "service_number", "");
	agent_is(f, "PN5555", b);
	warned(f, 1, 1);
	check_clean(f);
}

/* What the audit log says of one case. */
struct tally {
	char		*ref;
	uint64_t	 entries, create, moves, events;
	char		*last, *last_user;
};

static int
tally_cb(const struct audit_entry *e, void *arg)
{
	struct tally	*t = arg;

	t->entries++;
	if (e->caseref == NULL || strcmp(e->caseref, t->ref) != 0)
		return (0);
	if (strcmp(e->action, "case.create") == 0)
		t->create++;
	else if (strcmp(e->action, "case.move") == 0)
		t->moves++;
	else if (strcmp(e->action, "case.event") == 0)
		t->events++;
	free(t->last);
	free(t->last_user);
	t->last = xstrdup(e->action);
	t->last_user = xstrdup(e->user);
	return (0);
}

/* The move is refused, its cause naming want, and the case stays. */
static void
refused(struct casefile_ctx *who, uint64_t id, const char *to,
    const char *want)
{
	char	*cause = NULL;

	assert_int_equal(casefile_move(who, id, to, NULL, &cause), -1);
	if (strstr(cause, want) == NULL)
		fail_msg("move to %s: '%s' does not mention '%s'", to, cause,
		    want);
	free(cause);
}

/* Set one field of the first record of a kind. */
static void
edit_first(struct fixture *f, uint64_t id, const char *kind, const char *k,
    const char *v)
{
	struct casefile	*cf;
	struct record	*r = record_create();
	char		*cause = NULL;
	size_t		 i;

	assert_int_equal(casefile_open(&f->csup, id, 0, &cf, &cause), 0);
	for (i = 0; i < cf->nrecs; i++)
		if (strcmp(cf->recs[i].kind, kind) == 0)
			break;
	assert_true(i < cf->nrecs);
	record_set_str(r, k, v);
	if (casefile_edit(&f->csup, id, cf->recs[i].rid, r, cf->recs[i].version,
	    &cause) != 0)
		fail_msg("edit %s: %s", kind, cause);
	record_free(r);
	casefile_free(cf);
}

static void
casefile__moves__through_the_workflow_and_closes(void **state)
{
	struct tally		 tally;
	struct fixture		*f = *state;
	struct casefile		*cf;
	struct casefile_summary	*list;
	size_t			 n;
	char			*cause = NULL;
	uint64_t		 id, count, bad;
	const char		*path[] = { "enregistree", "examen_prealable",
	    "ouverte", "en_instruction", "contradictoire", "rapport_depose",
	    "en_revue", "transmise", "decidee", "cloturee" };
	struct casefile_ctx	*who;
	size_t			 i;
	uint64_t		 prid;
	char			*s, recent[11];

	id = new_case(f);
	assert_int_equal(casefile_move(&f->cinv1, id, "enregistree", NULL,
	    &cause), -1);			/* the registrar's move */
	free(cause);
	cause = NULL;
	for (i = 0; i < sizeof path / sizeof path[0]; i++) {
		who = i == 0 ? &f->creg : (i == 3 || i == 4 || i == 5) ?
		    &f->cinv1 : &f->csup;
		/* Each guarded move is refused until its records exist. */
		if (strcmp(path[i], "rapport_depose") == 0) {
			refused(who, id, path[i], "Written notice of the facts");
			prid = helper_add(&f->cinv1, id, "person", "role", "agent",
			    "full_name", "Sgt Diarra", NULL);
			xasprintf(&s, "%" PRIu64, prid);
			/* Told two days ago: the 15 days still run. */
			format_day(casefile_today() - 2, recent);
			helper_add(&f->cinv1, id, "agent", "person", s, "notice_date",
			    recent, NULL);
			refused(who, id, path[i], "Observations received");
			helper_add(&f->cinv1, id, "report", "facts", "Établis",
			    "conclusions", "Manquement", NULL);
			refused(who, id, path[i], "Observations received");
			helper_add(&f->cinv1, id, "agent", "person", s, "notice_date",
			    recent, "observations_date", recent, NULL);
			free(s);
			refused(who, id, path[i], "Observations received");
			edit_first(f, id, "agent", "observations_date", recent);
		} else if (strcmp(path[i], "decidee") == 0) {
			refused(who, id, path[i], "Decision");
			helper_add(&f->csup, id, "decision", "level", "authority",
			    "verdict", "decided", "decided_by", "DG", "date",
			    "2026-11-28", NULL);
		} else if (strcmp(path[i], "cloturee") == 0) {
			refused(who, id, path[i], "Allegation");
			helper_add(&f->csup, id, "allegation", "agent", "1",
			    "category", "liberty.arbitrary", "finding",
			    "pending", NULL);
			refused(who, id, path[i], "Pending");
			edit_first(f, id, "allegation", "finding", "sustained");
		}
		if (casefile_move(who, id, path[i], NULL, &cause) != 0)
			fail_msg("move to %s: %s", path[i], cause);
	}
	assert_int_equal(casefile_event(&f->csup, id, "referral_prosecutor",
	    "Transmis au parquet de Mopti", &cause), 0);
	/* Closed: read-only until a reasoned reopening. */
	assert_int_equal(casefile_event(&f->csup, id, "note", "x", &cause), 0);
	{
		struct record	*r = record_create();
		uint64_t	 rid;

		record_set_str(r, "role", "victim");
		record_set_str(r, "full_name", "Y");
		assert_int_equal(casefile_add(&f->cinv1, id, "person", r, &rid,
		    &cause), -1);
		assert_non_null(strstr(cause, "read-only"));
		free(cause);
		cause = NULL;
		record_free(r);
	}
	assert_int_equal(casefile_move(&f->csup, id, "rouverte", NULL, &cause),
	    -1);
	free(cause);
	cause = NULL;
	assert_int_equal(casefile_move(&f->csup, id, "rouverte",
	    "Élément nouveau", &cause), 0);
	assert_int_equal(casefile_open(&f->csup, id, CASEFILE_JOURNAL, &cf,
	    &cause), 0);
	assert_string_equal(record_get_str(cf->header, "state"), "rouverte");
	assert_string_equal(record_get_str(cf->journal[cf->njournal - 1].body,
	    "reason"), "Élément nouveau");
	casefile_free(cf);
	/* Filters. */
	{
		struct casefile_filter	 flt;

		memset(&flt, 0, sizeof flt);
		flt.state = "rouverte";
		assert_int_equal(casefile_list(&f->csup, &flt, &list, &n,
		    &cause), 0);
		assert_int_equal(n, 1);
		casefile_list_free(list, n);
		flt.state = NULL;
		flt.assignee = "inv2";
		assert_int_equal(casefile_list(&f->csup, &flt, &list, &n,
		    &cause), 0);
		assert_int_equal(n, 0);
		casefile_list_free(list, n);
	}
	/* Every change left a verifiable audit entry, in order. */
	if (account_verify_audit(f->s, NULL, &count, &bad, &cause) != 0)
		fail_msg("audit verify: %s", cause);
	memset(&tally, 0, sizeof tally);
	assert_int_equal(casefile_open(&f->csup, id, 0, &cf, &cause), 0);
	tally.ref = xstrdup(record_get_str(cf->header, "reference"));
	casefile_free(cf);
	assert_int_equal(audit_list(f->s, f->sup->user->role, tally_cb, &tally, &cause), 0);
	assert_int_equal(tally.entries, count);
	assert_int_equal(tally.create, 1);
	assert_int_equal(tally.moves, 11);	/* ten, and the reopening */
	assert_int_equal(tally.events, 2);
	assert_string_equal(tally.last, "case.move");
	assert_string_equal(tally.last_user, "sup");
	free(tally.ref);
	free(tally.last);
	free(tally.last_user);
}

static int64_t	 later;

static int64_t
later_clock(void)
{
	return (later);
}

static void
casefile__overdue__cases_are_listed(void **state)
{
	struct fixture		*f = *state;
	struct casefile_filter	 flt;
	struct casefile_summary	*list;
	size_t			 n;
	char			*cause = NULL;
	uint64_t		 id;

	id = new_case(f);
	(void)id;
	memset(&flt, 0, sizeof flt);
	flt.overdue = 1;
	assert_int_equal(casefile_list(&f->csup, &flt, &list, &n, &cause), 0);
	assert_int_equal(n, 0);
	casefile_list_free(list, n);
	/* Four days later the 3-day deadline of 'recue' has passed. */
	later = (int64_t)time(NULL) + 4 * 86400;
	util_set_clock(later_clock);
	assert_int_equal(casefile_list(&f->csup, &flt, &list, &n, &cause), 0);
	util_set_clock(NULL);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].overdue, 1);
	casefile_list_free(list, n);
}

/* A valid value for a field of this type; alt picks a second one. */
static const char *
valid_value(struct fixture *f, const struct form_field *ff, int alt)
{
	const struct form_list	*l;

	switch (ff->type) {
	case FORM_PERSON:	/* two agents the test recorded first */
		/* ... or two reports, for a link to a report (a
		 * recommendation's source). */
		if (ff->link != NULL && strstr(ff->link, "report") != NULL)
			return (alt ? f->report2 : f->report1);
		return (alt ? f->agent2 : f->agent1);
	case FORM_DATE:
		return (alt ? "2026-10-02" : "2026-10-01");
	case FORM_DATETIME:
		return (alt ? "2026-10-02 11:15" : "2026-10-01 08:00");
	case FORM_TIME:
		return (alt ? "11:15" : "08:00");
	case FORM_NUMBER:
		return (alt ? "7" : "3");
	case FORM_YESNO:
		return (alt ? "no" : "yes");
	case FORM_CHOICE:
	case FORM_MULTICHOICE:
		l = formset_list(f->forms, ff->list);
		assert_non_null(l);
		assert_true(l->nitems >= 2);
		return (l->items[alt ? l->nitems - 1 : 0].code);
	case FORM_FILE:
		return (NULL);
	default:
		return (alt ? "Deuxième version du texte" : "Première version");
	}
}

/* The header must not lose or change anything but its bookkeeping. */
static void
assert_header_kept(const struct record *before, const struct record *after,
    const char *changed)
{
	const char	*key, *v1, *v2;
	size_t		 i, l1, l2;

	for (i = 0; i < record_count(before); i++) {
		key = record_key_at(before, i);
		if (strcmp(key, "version") == 0 || strcmp(key, "updated") == 0 ||
		    strcmp(key, "next_j") == 0 || strcmp(key, "next_rid") == 0 ||
		    strncmp(key, "n.", 2) == 0 || strcmp(key, "witnesses") == 0 ||
		    /* A witness's holders are sealed again at each write. */
		    strcmp(key, "wanchor") == 0 || strcmp(key, "wseal") == 0 ||
		    (changed != NULL && strcmp(key, changed) == 0))
			continue;
		v1 = record_value_at(before, i, &l1);
		v2 = record_get(after, key, &l2);
		if (v2 == NULL)
			fail_msg("the edit erased the header field '%s'", key);
		if (l1 != l2 || memcmp(v1, v2, l1) != 0)
			fail_msg("the edit changed the header field '%s'", key);
	}
}

/*
 * Every form, record 0 (the intake) included: editing any one field keeps
 * every header field, the reference above all, and the case stays
 * findable by its reference.
 */
/*
 * Set one field of record rid (an empty value clears it) and open the
 * case again: every other header field, and the reference, as before.
 */
static struct casefile *
edit_one(struct fixture *f, uint64_t id, uint64_t rid, const struct form *fm,
    const struct form_field *ff, const char *v, const struct record *before,
    const char *ref)
{
	struct record	*ch;
	struct casefile	*cf;
	char		*cause = NULL;

	ch = record_create();
	record_set_str(ch, ff->id, v);
	if (casefile_edit(&f->cinv1, id, rid, ch, -1, &cause) != 0)
		fail_msg("edit %s.%s to '%s': %s", fm->id, ff->id, v, cause);
	record_free(ch);
	assert_int_equal(casefile_open(&f->cinv1, id, CASEFILE_WITNESSES, &cf,
	    &cause), 0);
	assert_header_kept(before, cf->header, rid == 0 &&
	    ff->class == FORM_HEADER ? ff->id : NULL);
	assert_string_equal(record_get_str(cf->header, "reference"), ref);
	return (cf);
}

static void
casefile__edit__keeps_every_header_field_of_every_form(void **state)
{
	struct fixture		*f = *state;
	const struct form	*fm;
	const struct form_field	*ff;
	struct casefile		*cf;
	struct record		*before, *r;
	struct casefile_summary	*list;
	char			*cause = NULL, *ref;
	const char		*v;
	uint64_t		 id, found, rid;
	size_t			 i, j, n, edits = 0, blanks = 0;

	id = new_case(f);
	snprintf(f->agent1, sizeof f->agent1, "%" PRIu64, helper_add(&f->cinv1,
	    id, "person", "role", "agent", "full_name", "Sgt Diarra", NULL));
	snprintf(f->agent2, sizeof f->agent2, "%" PRIu64, helper_add(&f->cinv1,
	    id, "person", "role", "agent", "full_name", "Cpl Keïta", NULL));
	snprintf(f->report1, sizeof f->report1, "%" PRIu64, helper_add(
	    &f->cinv1, id, "report", "facts", "Faits", "conclusions",
	    "Conclusions", NULL));
	snprintf(f->report2, sizeof f->report2, "%" PRIu64, helper_add(
	    &f->cinv1, id, "report", "facts", "Faits 2", "conclusions",
	    "Conclusions 2", NULL));
	assert_int_equal(casefile_open(&f->cinv1, id, 0, &cf, &cause), 0);
	ref = xstrdup(record_get_str(cf->header, "reference"));
	casefile_free(cf);
	for (i = 0; i < f->forms->nforms; i++) {
		fm = f->forms->forms[i];
		rid = 0;
		if (strcmp(fm->id, "intake") != 0) {
			r = record_create();
			for (j = 0; j < fm->nfields; j++) {
				ff = &fm->fields[j];
				if (ff->required && ff->automatic == NULL &&
				    (v = valid_value(f, ff, 0)) != NULL)
					record_set_str(r, ff->id, v);
			}
			if (casefile_add(&f->cinv1, id, fm->id, r, &rid,
			    &cause) != 0)
				fail_msg("add %s: %s", fm->id, cause);
			record_free(r);
		}
		/* Each editable field in turn, header fields first. */
		for (j = 0; j < fm->nfields; j++) {
			ff = &fm->fields[j];
			if (ff->automatic != NULL ||
			    (v = valid_value(f, ff, 1)) == NULL)
				continue;
			assert_int_equal(casefile_open(&f->cinv1, id, 0, &cf,
			    &cause), 0);
			before = cf->header;
			cf->header = NULL;
			casefile_free(cf);
			cf = edit_one(f, id, rid, fm, ff, v, before, ref);
			if (rid == 0 && ff->class == FORM_HEADER)
				assert_string_equal(record_get_str(cf->header,
				    ff->id), v);
			else
				assert_string_equal(record_get_str(
				    casefile_rec(cf, rid)->fields, ff->id), v);
			record_free(before);
			before = cf->header;
			cf->header = NULL;
			casefile_free(cf);
			edits++;
			if (ff->required) {
				record_free(before);
				continue;
			}
			/* Blanked: gone from the record and the header,
			 * nothing else with it. */
			cf = edit_one(f, id, rid, fm, ff, "", before, ref);
			if (rid == 0 && ff->class == FORM_HEADER &&
			    record_get(cf->header, ff->id, NULL) != NULL)
				fail_msg("blanking %s.%s left it in the header",
				    fm->id, ff->id);
			if (record_get(casefile_rec(cf, rid)->fields, ff->id,
			    NULL) != NULL)
				fail_msg("blanking %s.%s left it in the record",
				    fm->id, ff->id);
			casefile_free(cf);
			record_free(before);
			blanks++;
		}
	}
	assert_true(edits > 20);
	assert_true(blanks > 10);
	/* Found by its reference, listed with it. */
	assert_int_equal(casefile_find(&f->csup, ref, &found, &cause), 0);
	assert_int_equal(found, id);
	assert_int_equal(casefile_list(&f->csup, NULL, &list, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_string_equal(record_get_str(list[0].header, "reference"), ref);
	casefile_list_free(list, n);
	free(ref);
}

/* A file writer strips the reference from a header: check names it. */
struct strip {
	uint64_t	 id;
	const char	*field;
};

static int
strip_header_field(struct store_txn *t, void *arg, char **cause)
{
	struct strip	*st = arg;
	struct record	*h;
	uint8_t		 k[8], *v;
	size_t		 len;
	int		 rc;

	put_be64(k, st->id);
	if ((rc = store_get(t, STORE_CASES, k, 8, &v, &len, cause)) != 0)
		return (rc);
	h = record_decode(v, len, cause);
	free(v);
	assert_non_null(h);
	record_unset(h, st->field);
	record_encode(h, &v, &len);
	record_free(h);
	rc = store_put(t, STORE_CASES, k, 8, v, len, 0, cause);
	free(v);
	return (rc);
}

static void
count_problem(const char *sentence, void *arg)
{
	char	**all = arg, *s;

	xasprintf(&s, "%s%s\n", *all != NULL ? *all : "", sentence);
	free(*all);
	*all = s;
}

static void
casefile__check__finds_a_header_without_its_reference(void **state)
{
	struct fixture	*f = *state;
	struct strip	 st;
	char		*cause = NULL, *last = NULL;
	size_t		 cases, problems;
	uint64_t	 a, b;

	a = new_case(f);
	b = new_case(f);
	assert_int_equal(casefile_check(f->s, f->forms, f->flows,
	    count_problem, &last, &cases, &problems, &cause), 0);
	assert_int_equal(cases, 2);
	assert_int_equal(problems, 0);
	assert_null(last);
	st.id = b;
	st.field = "reference";
	assert_int_equal(store_run(f->s, strip_header_field, &st, &cause), 0);
	assert_int_equal(casefile_check(f->s, f->forms, f->flows,
	    count_problem, &last, &cases, &problems, &cause), 0);
	/*
	 * No reference; a header that no longer matches its manifest; the
	 * reference index and the audit log's creation entry that point at
	 * a case no longer saying it is theirs.
	 */
	assert_int_equal(problems, 4);
	assert_non_null(strstr(last, "no reference"));
	assert_non_null(strstr(last, "header does not match"));
	assert_non_null(strstr(last, "reference index sends"));
	assert_non_null(strstr(last, "audit log records its creation"));
	free(last);
	last = NULL;
	st.id = a;
	st.field = "region";
	assert_int_equal(store_run(f->s, strip_header_field, &st, &cause), 0);
	assert_int_equal(casefile_check(f->s, f->forms, f->flows,
	    count_problem, &last, &cases, &problems, &cause), 0);
	/*
	 * The header index still files the case under its region, and
	 * counts it there, alone and with its state, its assignee and its
	 * deadline (the counters of two conditions).
	 */
	assert_int_equal(problems, 11);
	assert_non_null(strstr(last, "'region'"));
	assert_non_null(strstr(last, "header index holds"));
	assert_non_null(strstr(last, "counter \"region"));
	assert_non_null(strstr(last, "counter \"rflow"));
	assert_non_null(strstr(last, "counter \"rdue"));
	assert_non_null(strstr(last, "no reference"));
	free(last);
}

/* A batch case assigned to nine investigators seals the key to all nine. */
struct nine {
	struct casefile_ctx	*ctx;
	struct record		*intake;
	char			*ref;
};

static int
nine_txn(struct store_txn *t, void *arg, char **cause)
{
	struct nine		*n = arg;
	struct casefile_batch	*b;
	int			 rc;

	free(n->ref);
	n->ref = NULL;
	b = casefile_batch_create(n->ctx);
	casefile_batch_assignees(b, "inv1,inv2,i3,i4,i5,i6,i7,i8,i9");
	rc = casefile_batch_case(b, t, "inspection", "en_instruction",
	    n->intake, NULL, NULL, 0, &n->ref, cause);
	casefile_batch_free(b);
	return (rc);
}

static void
casefile__batch__seals_the_key_to_every_assignee(void **state)
{
	struct fixture		*f = *state;
	struct session		*admin, *sess;
	struct casefile_ctx	 c;
	struct casefile		*cf;
	struct nine		 n;
	char			*cause = NULL, name[8];
	uint64_t		 id;
	int			 i;

	admin = helper_signin(f->s, "chef", HELPER_ADMIN_PASS);
	for (i = 3; i <= 9; i++) {
		snprintf(name, sizeof name, "i%d", i);
		helper_add_user(admin, name, "investigator", PASS);
	}
	session_free(admin);
	memset(&n, 0, sizeof n);
	n.ctx = &f->csup;
	n.intake = helper_intake("Neuf enquêteurs");
	if (store_run(f->s, nine_txn, &n, &cause) != 0)
		fail_msg("batch: %s", cause);
	record_free(n.intake);
	assert_int_equal(casefile_find(&f->csup, n.ref, &id, &cause), 0);
	sess = helper_signin(f->s, "i9", PASS);
	memset(&c, 0, sizeof c);
	c.sess = sess;
	c.forms = f->forms;
	c.flows = f->flows;
	assert_int_equal(casefile_open(&c, id, 0, &cf, &cause), 0);
	assert_true(cf->readable);
	assert_string_equal(record_get_str(casefile_rec(cf, 0)->fields,
	    "summary"), "Neuf enquêteurs");
	casefile_free(cf);
	session_free(sess);
	free(n.ref);
}

/* The domain refuses, whatever front end calls it. */
static int
refused_batch_txn(struct store_txn *t, void *arg, char **cause)
{
	struct nine		*n = arg;
	struct casefile_batch	*b;
	int			 rc;

	b = casefile_batch_create(n->ctx);
	rc = casefile_batch_case(b, t, "inspection", NULL, n->intake, NULL,
	    NULL, 0, &n->ref, cause);
	casefile_batch_free(b);
	return (rc);
}

static int
no_entry(const struct audit_entry *e, void *arg)
{
	(void)e;
	(void)arg;
	fail_msg("an entry was listed to a role that may not read the log");
	return (0);
}

static void
casefile__domain__refuses_what_a_role_may_not_do(void **state)
{
	struct fixture		*f = *state;
	struct casefile_summary	*list;
	struct nine		 n;
	char			*cause = NULL;
	uint64_t		 count, bad;
	size_t			 nl;

	/* An auditor imports a case: refused, nothing written. */
	memset(&n, 0, sizeof n);
	n.ctx = &f->caud;
	n.intake = helper_intake("Importé par un auditeur");
	assert_int_equal(store_run(f->s, refused_batch_txn, &n, &cause), -1);
	assert_non_null(strstr(cause, "does not allow"));
	free(cause);
	cause = NULL;
	record_free(n.intake);
	assert_null(n.ref);
	assert_int_equal(casefile_list(&f->csup, NULL, &list, &nl, &cause), 0);
	assert_int_equal(nl, 0);
	casefile_list_free(list, nl);
	/* An investigator reads the audit log: refused. */
	assert_int_equal(audit_list(f->s, f->inv1->user->role, no_entry, NULL, &cause), -1);
	assert_non_null(strstr(cause, "does not allow"));
	free(cause);
	cause = NULL;
	assert_int_equal(account_verify_audit(f->s, f->inv1, &count, &bad,
	    &cause), -1);
	free(cause);
	cause = NULL;
}

/* A forms file may raise a field's class, never lower it. */
static void
casefile__forms__may_not_lower_a_class(void **state)
{
	struct fixture		*f = *state;
	struct form		*intake = NULL;
	struct form_field	*summary = NULL;
	char			*cause = NULL;
	size_t			 i, j;

	for (i = 0; i < f->forms->nforms; i++)
		if (strcmp(f->forms->forms[i]->id, "intake") == 0)
			intake = f->forms->forms[i];
	assert_non_null(intake);
	for (j = 0; j < intake->nfields; j++)
		if (strcmp(intake->fields[j].id, "summary") == 0)
			summary = &intake->fields[j];
	assert_non_null(summary);
	assert_int_equal(summary->class, FORM_CASE);
	/* The shipped forms were pinned at the first sign-in. */
	assert_int_equal(casefile_forms_pin(f->s, f->forms, &cause), 0);
	summary->class = FORM_HEADER;
	assert_int_equal(casefile_forms_pin(f->s, f->forms, &cause), -1);
	print_message("%s\n", cause);
	assert_non_null(strstr(cause, "never lower"));
	free(cause);
	cause = NULL;
	/* Every way in refuses: a new sign-in's key sharing too. */
	assert_int_equal(casefile_share_keys(&f->cinv1, &cause), -1);
	free(cause);
	cause = NULL;
	summary->class = FORM_WITNESS;		/* raising is allowed */
	assert_int_equal(casefile_forms_pin(f->s, f->forms, &cause), 0);
	summary->class = FORM_CASE;		/* ... and then kept */
	assert_int_equal(casefile_forms_pin(f->s, f->forms, &cause), -1);
	free(cause);
	cause = NULL;
	summary->class = FORM_WITNESS;
}

/*
 * Disabling an account revokes it: its sealed copies are deleted, and the
 * cases it could read get a new key at their next change, so a copy of
 * the old key (kept by the user, or put back) opens nothing that follows.
 */
static void
casefile__disabling__revokes_and_rotates_keys(void **state)
{
	struct fixture	*f = *state;
	struct session	*admin, *again;
	struct casefile_ctx c2;
	struct casefile	*cf;
	struct sealed	 k;
	char		*cause = NULL;
	uint64_t	 id, p;
	int		 rc;

	id = new_case(f);
	assert_int_equal(casefile_assign(&f->csup, id, "inv2", 1, &cause), 0);
	memset(&k, 0, sizeof k);
	k.id = id;
	k.user = "inv2";
	assert_int_equal(store_run(f->s, sealed_copy, &k, &cause), 0);
	admin = helper_signin(f->s, "chef", HELPER_ADMIN_PASS);
	assert_int_equal(account_set_disabled(admin, "inv2", 1, &cause), 0);
	/* Her copy is gone. */
	{
		struct sealed	 gone = k;

		gone.v = NULL;
		rc = store_run(f->s, sealed_copy, &gone, &cause);
		assert_int_equal(rc, STORE_NOTFOUND);
		free(cause);
		cause = NULL;
	}
	/* The next change rotates the key; the old copy opens nothing new. */
	p = helper_add(&f->cinv1, id, "person", "role", "victim", "full_name",
	    "Après la révocation", NULL);
	assert_int_equal(casefile_open(&f->cinv1, id, 0, &cf, &cause), 0);
	assert_string_equal(record_get_str(casefile_rec(cf, p)->fields,
	    "full_name"), "Après la révocation");
	casefile_free(cf);
	assert_int_equal(account_set_disabled(admin, "inv2", 0, &cause), 0);
	session_free(admin);
	k.op = 1;
	assert_int_equal(store_run(f->s, sealed_copy, &k, &cause), 0);
	free(k.v);
	again = helper_signin(f->s, "inv2", PASS);
	memset(&c2, 0, sizeof c2);
	c2.sess = again;
	c2.forms = f->forms;
	c2.flows = f->flows;
	assert_int_equal(casefile_open(&c2, id, 0, &cf, &cause), -1);
	assert_null(cf);
	free(cause);
	session_free(again);
}

/* The received date is filled by dossier on every path that creates a case. */
static void
casefile__new_case__gets_its_received_date(void **state)
{
	struct fixture	*f = *state;
	struct casefile	*cf;
	struct record	*in;
	struct nine	 n;
	char		*ref, *cause = NULL, when[17];
	uint64_t	 id;

	format_time(now(), when);
	in = helper_intake("Sans date de réception");
	record_unset(in, "received");
	if (casefile_create(&f->creg, "inspection", in, &ref, &cause) != 0)
		fail_msg("create: %s", cause);
	record_free(in);
	assert_int_equal(casefile_find(&f->creg, ref, &id, &cause), 0);
	free(ref);
	assert_int_equal(casefile_open(&f->csup, id, 0, &cf, &cause), 0);
	assert_non_null(record_get_str(cf->header, "received"));
	/* Today, to the minute (the test clock does not move here). */
	assert_int_equal(strncmp(record_get_str(cf->header, "received"), when,
	    10), 0);
	assert_int_equal(strlen(record_get_str(cf->header, "received")), 16);
	casefile_free(cf);

	/* Import and demo go through the batch. */
	memset(&n, 0, sizeof n);
	n.ctx = &f->csup;
	n.intake = helper_intake("Importée sans date");
	record_unset(n.intake, "received");
	if (store_run(f->s, refused_batch_txn, &n, &cause) != 0)
		fail_msg("batch: %s", cause);
	record_free(n.intake);
	assert_int_equal(casefile_find(&f->csup, n.ref, &id, &cause), 0);
	free(n.ref);
	assert_int_equal(casefile_open(&f->csup, id, 0, &cf, &cause), 0);
	assert_int_equal(strncmp(record_get_str(cf->header, "received"), when,
	    10), 0);
	casefile_free(cf);
	/* A date given is kept. */
	in = helper_intake("Reçue hier");
	assert_int_equal(casefile_create(&f->creg, "inspection", in, &ref,
	    &cause), 0);
	assert_string_equal(record_get_str(in, "received"), "2026-11-20 09:30");
	record_free(in);
	free(ref);
}

/* The case as its reader sees it after a change: version, journal, audit. */
struct trace {
	int64_t		 version;
	size_t		 njournal;
	char		*what;		/* the last journal entry's */
	uint64_t	 audit;		/* entries */
	char		*action;	/* the last audit entry's */
};

static int
last_action_cb(const struct audit_entry *e, void *arg)
{
	struct trace	*tr = arg;

	tr->audit++;
	free(tr->action);
	tr->action = xstrdup(e->action);
	return (0);
}

/* Opened by the supervisor: every item checked against the manifest. */
static void
trace(struct fixture *f, uint64_t id, struct trace *tr)
{
	struct casefile	*cf;
	char		*cause = NULL;

	free(tr->what);
	free(tr->action);
	memset(tr, 0, sizeof *tr);
	if (casefile_open(&f->csup, id, CASEFILE_JOURNAL, &cf, &cause) != 0)
		fail_msg("open after a change: %s", cause);
	tr->version = record_get_int(cf->header, "version", 0);
	tr->njournal = cf->njournal;
	if (cf->njournal > 0)
		tr->what = xstrdup(cf->journal[cf->njournal - 1].what);
	casefile_free(cf);
	assert_int_equal(audit_list(f->s, f->sup->user->role, last_action_cb,
	    tr, &cause), 0);
}

/* Change rc went through the pipeline as what, audited as action. */
static void
expect_change(struct fixture *f, uint64_t id, struct trace *tr, int rc,
    const char *cause, const char *what, const char *action)
{
	struct trace	 before = *tr;

	if (rc != 0)
		fail_msg("%s: %s", action, cause != NULL ? cause : "?");
	trace(f, id, tr);	/* frees the strings before points to */
	assert_int_equal(tr->version, before.version + 1);
	assert_int_equal(tr->njournal, before.njournal + 1);
	assert_string_equal(tr->what, what);
	assert_int_equal(tr->audit, before.audit + 1);
	assert_string_equal(tr->action, action);
}

/* Change rc was refused, and left no trace at all. */
static void
expect_nothing(struct fixture *f, uint64_t id, struct trace *tr, int rc,
    char **cause, const char *want)
{
	struct trace	 before = *tr;

	assert_int_not_equal(rc, 0);
	if (*cause == NULL || strstr(*cause, want) == NULL)
		fail_msg("refusal '%s' does not say '%s'",
		    *cause != NULL ? *cause : "", want);
	free(*cause);
	*cause = NULL;
	before.what = xstrdup(tr->what);
	before.action = xstrdup(tr->action);
	trace(f, id, tr);
	assert_int_equal(tr->version, before.version);
	assert_int_equal(tr->njournal, before.njournal);
	assert_string_equal(tr->what, before.what);
	assert_int_equal(tr->audit, before.audit);
	free(before.what);
	free(before.action);
}

/*
 * Every change of the table goes through the one transaction: the
 * header's version moves by one, one journal entry and one audit entry
 * name it, and the case still opens against its signed manifest.  A
 * refused change, and a move only checked, leave nothing.
 */
static void
casefile__every_change__is_journalled_audited_and_signed(void **state)
{
	struct fixture	*f = *state;
	struct trace	 tr;
	struct record	*r;
	char		*cause = NULL;
	uint64_t	 id, w, e, rid;
	int		 rc;

	memset(&tr, 0, sizeof tr);
	id = new_case(f);
	trace(f, id, &tr);
	assert_string_equal(tr.what, "assign");
	assert_string_equal(tr.action, "case.assign");

	r = record_create();
	record_set_str(r, "kind", "log");
	rc = casefile_add(&f->cinv1, id, "evidence", r, &e, &cause);
	record_free(r);
	expect_change(f, id, &tr, rc, cause, "add", "record.add");
	r = record_create();
	record_set_str(r, "source", "Commissariat de Sévaré");
	rc = casefile_edit(&f->cinv1, id, e, r, -1, &cause);
	record_free(r);
	expect_change(f, id, &tr, rc, cause, "edit", "record.edit");
	rc = casefile_attach(&f->cinv1, id, e, "pv.txt", "PV", 2, &cause);
	expect_change(f, id, &tr, rc, cause, "edit", "record.edit");
	rc = casefile_event(&f->cinv1, id, "note", "Appel du plaignant",
	    &cause);
	expect_change(f, id, &tr, rc, cause, "event", "case.event");
	rc = casefile_move(&f->csup, id, "enregistree", NULL, &cause);
	expect_change(f, id, &tr, rc, cause, "move", "case.move");
	w = helper_add(&f->cinv1, id, "witness", "full_name", "Aminata Diallo",
	    "role", "direct", NULL);
	trace(f, id, &tr);
	assert_string_equal(tr.action, "record.add");
	rc = casefile_assign(&f->csup, id, "inv2", 1, &cause);
	expect_change(f, id, &tr, rc, cause, "assign", "case.assign");
	rc = casefile_key_request(&f->cinv2, id, w, &cause);
	expect_change(f, id, &tr, rc, cause, "request", "witness.request");
	rc = casefile_grant(&f->cinv1, id, w, "inv2", &cause);
	expect_change(f, id, &tr, rc, cause, "grant", "witness.grant");
	rc = casefile_revoke(&f->cinv1, id, w, "inv2", &cause);
	expect_change(f, id, &tr, rc, cause, "revoke", "witness.revoke");
	rc = casefile_grant(&f->csup, id, 0, "aud", &cause);
	expect_change(f, id, &tr, rc, cause, "grant", "case.grant");
	rc = casefile_revoke(&f->csup, id, 0, "aud", &cause);
	expect_change(f, id, &tr, rc, cause, "revoke", "case.revoke");
	rc = casefile_assign(&f->csup, id, "inv2", 0, &cause);
	expect_change(f, id, &tr, rc, cause, "unassign", "case.unassign");

	/* Refused: by the table's access, by a prepare, by an apply. */
	r = record_create();
	record_set_str(r, "kind", "log");
	rc = casefile_add(&f->creg, id, "evidence", r, &rid, &cause);
	expect_nothing(f, id, &tr, rc, &cause, "registrar");
	rc = casefile_add(&f->cinv1, id, "nonesuch", r, &rid, &cause);
	expect_nothing(f, id, &tr, rc, &cause, "nonesuch");
	record_free(r);
	rc = casefile_event(&f->cinv1, id, "party", NULL, &cause);
	expect_nothing(f, id, &tr, rc, &cause, "party");
	rc = casefile_assign(&f->csup, id, "inv1", 1, &cause);
	expect_nothing(f, id, &tr, rc, &cause, "already");
	rc = casefile_revoke(&f->cinv1, id, w, "inv1", &cause);
	expect_nothing(f, id, &tr, rc, &cause, "own");
	/* Checked, allowed, not made. */
	assert_int_equal(casefile_move_check(&f->cinv1, id, "examen_prealable",
	    NULL, &cause), 0);
	cause = xstrdup("checked");
	expect_nothing(f, id, &tr, -1, &cause, "checked");
	free(tr.what);
	free(tr.action);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(casefile__reads__by_role_and_key,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    casefile__refuses__saving_over_a_newer_version, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    casefile__unassignment__rekeys_the_case, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    casefile__links__an_agent_across_cases, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    casefile__agent_index__follows_the_number, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    casefile__moves__through_the_workflow_and_closes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    casefile__overdue__cases_are_listed, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    casefile__edit__keeps_every_header_field_of_every_form,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    casefile__check__finds_a_header_without_its_reference,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    casefile__batch__seals_the_key_to_every_assignee,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    casefile__domain__refuses_what_a_role_may_not_do,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    casefile__forms__may_not_lower_a_class, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    casefile__disabling__revokes_and_rotates_keys, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    casefile__new_case__gets_its_received_date, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    casefile__every_change__is_journalled_audited_and_signed,
		    setup, teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
