/*
 * cli-demo.c: 'dossier demo': a demonstration data directory with one
 * account per role.  Demo passphrases are random words written to
 * DIR/demo-users.txt, and the recovery key to DIR/demo-recovery.key:
 * acceptable for a demonstration only, and said so.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "account.h"
#include "casefile.h"
#include "form.h"
#include "paths.h"
#include "record.h"
#include "session.h"
#include "text.h"
#include "trust.h"
#include "workflow.h"
#include "cli.h"
#include "i18n.h"
#include "store.h"
#include "util.h"
#include "vault.h"

static const struct {
	const char	*name;
	enum role	 role;
} demo_users[] = {
	{ "admin", ROLE_ADMIN },
	{ "awa", ROLE_REGISTRAR },
	{ "ibrahim", ROLE_INVESTIGATOR },
	{ "mariam", ROLE_INVESTIGATOR },
	{ "oumar", ROLE_SUPERVISOR },
	{ "fatou", ROLE_AUDITOR },
};
#define DEMO_NUSERS (sizeof demo_users / sizeof demo_users[0])

static const char *demo_words[] = {
	"baobab", "fleuve", "sahel", "karite", "tamarin", "harmattan",
	"pirogue", "mangue", "savane", "colline", "caravane", "tambour",
	"djembe", "mil", "sorgho", "dune", "hippo", "marche", "puits", "etoile",
	"acacia", "gazelle", "boubou", "calebasse", "griot", "niebe",
	"falaise", "delta", "lagune", "orage", "argile", "cauris"
};

/* Four random words and two digits: easy to type, hard to guess. */
static char *
demo_passphrase(void)
{
	uint32_t	 r[5];
	size_t		 nw = sizeof demo_words / sizeof demo_words[0];
	char		*p;

	vault_random(r, sizeof r);
	xasprintf(&p, "%s-%s-%s-%s-%02u", demo_words[r[0] % nw],
	    demo_words[r[1] % nw], demo_words[r[2] % nw],
	    demo_words[r[3] % nw], (unsigned)(r[4] % 100));
	return (p);
}

static const char *demo_first[] = {
	"Aminata", "Moussa", "Fatoumata", "Oumar", "Mariam", "Seydou",
	"Kadiatou", "Boubacar", "Awa", "Ibrahim", "Hawa", "Souleymane",
	"Rokia", "Modibo", "Assétou", "Bakary", "Djénéba", "Adama"
};
static const char *demo_last[] = {
	"Diallo", "Traoré", "Coulibaly", "Keïta", "Konaté", "Diarra",
	"Sangaré", "Touré", "Cissé", "Maïga", "Dembélé", "Sidibé", "Ballo",
	"Doumbia", "Kané", "Guindo", "Dicko", "Ag Mohamed"
};
static const char *demo_regions[] = {
	"bamako", "mopti", "segou", "sikasso", "kayes", "koulikoro",
	"tombouctou", "gao", "bandiagara", "san", "douentza", "menaka"
};
static const char *demo_forces[] = {
	"police", "gendarmerie", "garde", "protection_civile"
};
static const char *demo_categories[] = {
	"liberty.arbitrary", "integrity.force", "probity.extortion",
	"liberty.custody", "integrity.assault", "procedure.refusal",
	"property.destruction", "integrity.threats", "conduct.behaviour",
	"authority.dispersal", "integrity.torture", "probity.corruption"
};
static const char *demo_facts[] = {
	"Le plaignant déclare avoir été arrêté au poste de contrôle sans "
	"motif et retenu toute la nuit.",
	"Des agents auraient exigé de l'argent aux passagers d'un car "
	"à la sortie de la ville.",
	"Lors de la dispersion d'un rassemblement, un manifestant a été "
	"frappé à coups de matraque.",
	"La victime dit avoir été gardée à vue cinq jours sans être "
	"présentée au procureur.",
	"La plainte pour vol de bétail n'a pas été enregistrée au "
	"commissariat malgré trois visites.",
	"Un commerçant affirme que sa boutique a été fouillée et des "
	"marchandises saisies sans procès-verbal."
};
static const char *demo_findings[] = {
	"pending", "sustained", "not_sustained", "unfounded", "exonerated"
};

#define DEMO_PICK(a, r) ((a)[(r) % (sizeof (a) / sizeof (a)[0])])
#define DEMO_NRECS	10	/* records of a demo case at most */

/* One synthetic case: intake and records; kinds[] and recs[] filled. */
static size_t
demo_case(uint32_t *r, struct record *in, const char **kinds,
    struct record **recs, long day)
{
	char	 buf[64], date[11];
	size_t	 n = 0;

	format_day(day - 1 - (long)(r[0] % 20), date);
	snprintf(buf, sizeof buf, "%s %02u:%02u", date, r[1] % 24, r[2] % 60);
	record_set_str(in, "received", buf);
	record_set_str(in, "channel", r[3] % 3 == 0 ? "letter" : r[3] % 3 == 1 ?
	    "in_person" : "phone");
	record_set_str(in, "filed_by", r[4] % 4 == 0 ? "ngo" : "victim");
	/* The facts come before the complaint: 2 to 29 days before. */
	format_day(day - 1 - (long)(r[0] % 20) - 2 - (long)(r[0] / 20 % 28),
	    date);
	record_set_str(in, "facts_date", date);
	record_set_str(in, "region", DEMO_PICK(demo_regions, r[5]));
	record_set_str(in, "force", DEMO_PICK(demo_forces, r[6]));
	record_set_str(in, "summary", DEMO_PICK(demo_facts, r[7]));
	record_set_str(in, "categories", DEMO_PICK(demo_categories, r[8]));
	record_set_str(in, "victim_sex", r[9] % 3 == 0 ? "f" : "m");
	record_set_str(in, "victim_age", r[10] % 5 == 0 ? "child" : "adult");

	kinds[n] = "person";
	recs[n] = record_create();
	record_set_str(recs[n], "role", "complainant");
	snprintf(buf, sizeof buf, "%s %s", DEMO_PICK(demo_first, r[11]),
	    DEMO_PICK(demo_last, r[12]));
	record_set_str(recs[n++], "full_name", buf);

	kinds[n] = "person";
	recs[n] = record_create();
	record_set_str(recs[n], "role", "agent");
	snprintf(buf, sizeof buf, "%s %s", DEMO_PICK(demo_first, r[13]),
	    DEMO_PICK(demo_last, r[14]));
	record_set_str(recs[n], "full_name", buf);
	/* A few hundred agents, so that some recur across cases. */
	snprintf(buf, sizeof buf, "MA-%04u", r[15] % 700);
	record_set_str(recs[n++], "service_number", buf);

	kinds[n] = "allegation";
	recs[n] = record_create();
	record_set_str(recs[n], "agent", "2");
	record_set_str(recs[n], "category", DEMO_PICK(demo_categories, r[8]));
	record_set_str(recs[n++], "finding", DEMO_PICK(demo_findings, r[16]));

	kinds[n] = "witness";
	recs[n] = record_create();
	snprintf(buf, sizeof buf, "%s %s", DEMO_PICK(demo_first, r[17]),
	    DEMO_PICK(demo_last, r[18]));
	record_set_str(recs[n], "full_name", buf);
	snprintf(buf, sizeof buf, "+223 7%u %02u %02u %02u", r[19] % 10,
	    r[20] % 100, r[21] % 100, r[22] % 100);
	record_set_str(recs[n], "phone", buf);
	record_set_str(recs[n], "location", DEMO_PICK(demo_regions, r[5]));
	record_set_str(recs[n++], "role", r[23] % 2 ? "direct" : "victim");

	/* What a case has by its end; demo_trim() drops what its state
	 * does not need yet. */
	kinds[n] = "agent";
	recs[n] = record_create();
	record_set_str(recs[n], "person", "2");
	format_day(day - 12, date);
	record_set_str(recs[n], "notice_date", date);
	format_day(day - 4, date);
	record_set_str(recs[n++], "observations_date", date);

	kinds[n] = "evidence";
	recs[n] = record_create();
	record_set_str(recs[n], "kind", "medical");
	record_set_str(recs[n++], "source", "Centre de santé de référence");
	record_set_str(in, "violation_status", r[16] % 2 ? "likely" :
	    "confirmed");

	kinds[n] = "report";
	recs[n] = record_create();
	record_set_str(recs[n], "facts", "Les faits sont établis par les "
	    "auditions et les pièces du dossier.");
	record_set_str(recs[n++], "conclusions", "Manquement caractérisé ; "
	    "poursuites disciplinaires recommandées.");

	kinds[n] = "decision";
	recs[n] = record_create();
	record_set_str(recs[n], "level", "authority");
	record_set_str(recs[n], "verdict", "decided");
	record_set_str(recs[n], "decided_by", "Directeur général");
	format_day(day - 1, date);
	record_set_str(recs[n++], "date", date);

	if (r[24] % 2 == 0) {
		kinds[n] = "hearing";
		recs[n] = record_create();
		/* The witness, record 4 (records are numbered from 1
		 * in this order, and no witness is left out). */
		record_set_str(recs[n], "heard", "4");
		format_day(day - 1, date);
		record_set_str(recs[n], "date", date);
		record_set_str(recs[n++], "statement", "Le témoin confirme "
		    "avoir vu l'agent retenir le plaignant au poste.");
	}
	return (n);
}

static const char *demo_units[] = {
	"Commissariat du 3e arrondissement", "Brigade territoriale",
	"Poste de contrôle routier", "Escadron de la garde",
	"Compagnie d'intervention", "Centre de secours"
};
static const char *demo_measures[] = {
	"Tenir un registre de garde à vue coté et paraphé, visé chaque "
	"semaine par le chef d'unité.",
	"Afficher au poste les droits de la personne gardée à vue.",
	"Former les agents à l'usage proportionné de la force.",
	"Délivrer un reçu pour toute somme perçue au poste de contrôle.",
	"Enregistrer chaque plainte reçue et en remettre le récépissé."
};
static const char *demo_statuses[] = {
	"accepted", "in_progress", "implemented", "accepted",
	"not_implemented"
};

/*
 * One mission of control or audit, its report filed, and its
 * recommendations followed up: the mission record (record 1) and one to
 * three recommendations from it, some due, some late, some settled.
 * The intake is demo_case()'s; its records are replaced.
 */
static size_t
demo_mission(uint32_t *r, const char **kinds, struct record **recs,
    size_t n, long day)
{
	char	 date[11];
	size_t	 i, m;

	for (i = 0; i < n; i++)
		record_free(recs[i]);
	n = 0;
	kinds[n] = "mission";
	recs[n] = record_create();
	record_set_str(recs[n], "type", r[2] % 2 ? "control" : "audit");
	record_set_str(recs[n], "unit", DEMO_PICK(demo_units, r[3]));
	record_set_str(recs[n], "scope", "Registres de garde à vue, "
	    "conditions de détention, perceptions au poste.");
	format_day(day - 3, date);
	record_set_str(recs[n], "start_date", date);
	format_day(day - 2, date);
	record_set_str(recs[n], "end_date", date);
	format_day(day - 1, date);
	record_set_str(recs[n], "report_date", date);
	record_set_str(recs[n++], "findings", "Registres incomplets ; "
	    "droits non affichés.");
	m = 1 + r[4] % 3;
	for (i = 0; i < m; i++) {
		kinds[n] = "recommendation";
		recs[n] = record_create();
		record_set_str(recs[n], "source", "mission");
		record_set_str(recs[n], "source_record", "1");
		record_set_str(recs[n], "addressee_unit",
		    DEMO_PICK(demo_units, r[3]));
		record_set_str(recs[n], "addressee_force",
		    DEMO_PICK(demo_forces, r[6]));
		record_set_str(recs[n], "measure",
		    DEMO_PICK(demo_measures, r[7] + i));
		/* From 60 days past to 120 ahead of today. */
		format_day(casefile_today() - 60 + (long)((r[8] + 37 * i) %
		    180), date);
		record_set_str(recs[n], "deadline", date);
		record_set_str(recs[n++], "status",
		    DEMO_PICK(demo_statuses, r[9] + i));
	}
	return (n);
}

/* Does the state accept the case with record skip (or field in it) left out? */
static int
demo_allows(struct casefile_ctx *ctx, const struct workflow *wf,
    const char *state, long day, const struct record *in, const char **kinds,
    struct record **recs, size_t n, size_t skip, const char *field)
{
	struct workflow_item	 items[DEMO_NRECS + 1];
	struct record		*less = NULL;
	char			*cause = NULL;
	size_t			 i, m = 0;
	int			 rc;

	items[m].form = "intake";
	items[m++].fields = in;
	for (i = 0; i < n; i++) {
		if (i == skip && field == NULL)
			continue;
		items[m].form = kinds[i];
		items[m].fields = recs[i];
		if (i == skip) {
			less = record_create();
			record_merge(less, recs[i]);
			record_unset(less, field);
			items[m].fields = less;
		}
		m++;
	}
	rc = workflow_state_allow(wf, state, ctx->forms, items, m, day, &cause);
	record_free(less);
	free(cause);
	return (rc == 0);
}

/* The last state (as the file lists them) that is open and takes the case. */
static const char *
demo_furthest(struct casefile_ctx *ctx, const struct workflow *wf, long day,
    const struct record *in, const char **kinds, struct record **recs,
    size_t n)
{
	size_t	 j;

	for (j = wf->nstates; j-- > 0;)
		if (!wf->states[j].terminal && demo_allows(ctx, wf,
		    wf->states[j].id, day, in, kinds, recs, n, SIZE_MAX, NULL))
			return (wf->states[j].id);
	return (wf->initial);
}

/*
 * Leave out what the case's state does not need yet, so that a case under
 * investigation has no report and a closed one has everything its guards
 * asked for on the way (decision, report, the agent's notice and
 * observations, a finding on each allegation).
 */
static void
demo_trim(struct casefile_ctx *ctx, const struct workflow *wf,
    const char *state, long day, struct record *in, const char **kinds,
    struct record **recs, size_t *n)
{
	struct record	*less;
	static const struct {
		const char	*kind, *field;
	} drop[] = {
		{ "decision", NULL }, { "report", NULL },
		{ "agent", "observations_date" }, { "agent", NULL },
		{ "evidence", NULL },
	};
	size_t	 d, i, j;

	for (i = 0; i < *n; i++) {
		if (strcmp(kinds[i], "allegation") == 0 &&
		    !demo_allows(ctx, wf, state, day, in, kinds, recs, *n,
		    SIZE_MAX, NULL))
			record_set_str(recs[i], "finding", "sustained");
	}
	for (d = 0; d < sizeof drop / sizeof drop[0]; d++) {
		for (i = 0; i < *n; i++) {
			if (strcmp(kinds[i], drop[d].kind) != 0 ||
			    !demo_allows(ctx, wf, state, day, in, kinds, recs,
			    *n, i, drop[d].field))
				continue;
			if (drop[d].field != NULL) {
				record_unset(recs[i], drop[d].field);
				continue;
			}
			record_free(recs[i]);
			for (j = i; j + 1 < *n; j++) {
				kinds[j] = kinds[j + 1];
				recs[j] = recs[j + 1];
			}
			(*n)--;
			i--;
		}
	}
	less = record_create();
	record_merge(less, in);
	record_unset(less, "violation_status");
	if (demo_allows(ctx, wf, state, day, less, kinds, recs, *n, SIZE_MAX,
	    NULL))
		record_unset(in, "violation_status");
	record_free(less);
}

struct demo_run {
	struct casefile_ctx	*ctx;
	const struct workflow	*insp, *mon, *mission;
	unsigned long		 first, count;
	int			 seeded;	/* the same cases each time */
	uint64_t		 seed;
};

static int
demo_cases_txn(struct store_txn *t, void *arg, char **cause)
{
	struct demo_run		*d = arg;
	const struct workflow	*wf;
	struct casefile_batch	*b;
	struct record		*in, *recs[DEMO_NRECS];
	const char		*kinds[DEMO_NRECS], *state;
	uint32_t		 r[26];
	unsigned long		 i;
	size_t			 n, k;
	long			 today = casefile_today();
	int			 rc = 0, mission;

	b = casefile_batch_create(d->ctx);
	casefile_batch_quiet(b);
	casefile_batch_defer(b);
	casefile_batch_witness_assignees(b);
	for (i = 0; rc == 0 && i < d->count; i++) {
		if (d->seeded)
			vault_deterministic(d->seed, d->first + i, r, sizeof r);
		else
			vault_random(r, sizeof r);
		wf = r[25] % 7 == 0 ? d->mon : d->insp;
		state = wf->states[(r[25] / 7) % wf->nstates].id;
		/* Every hundredth case a mission, its recommendations due. */
		mission = d->mission != NULL && (d->first + i) % 100 == 99;
		if (mission)
			wf = d->mission;
		casefile_batch_day(b, today - (long)(r[0] % 120));
		casefile_batch_assignees(b, workflow_state(wf, state) ==
		    workflow_state(wf, wf->initial) ? "" : r[1] % 3 == 0 ?
		    "ibrahim,mariam" : r[1] % 3 == 1 ? "ibrahim" : "mariam");
		in = record_create();
		n = demo_case(r, in, kinds, recs, today - (long)(r[0] % 120));
		if (mission) {
			n = demo_mission(r, kinds, recs, n, today -
			    (long)(r[0] % 120));
			record_unset(in, "violation_status");
			state = demo_furthest(d->ctx, wf, today -
			    (long)(r[0] % 120), in, kinds, recs, n);
		} else
			demo_trim(d->ctx, wf, state, today - (long)(r[0] % 120),
			    in, kinds, recs, &n);
		/* The generator must make what the forms accept. */
		if (d->first + i < 20 || mission) {
			rc = form_validate(d->ctx->forms, formset_form(
			    d->ctx->forms, "intake"), in, cause);
			for (k = 0; rc == 0 && k < n; k++)
				rc = form_validate(d->ctx->forms, formset_form(
				    d->ctx->forms, kinds[k]), recs[k], cause);
		}
		if (rc == 0)
			rc = casefile_batch_case(b, t, wf->id, state, in, kinds,
			    recs, n, NULL, cause);
		record_free(in);
		for (k = 0; k < n; k++)
			record_free(recs[k]);
	}
	if (rc == 0)
		rc = casefile_batch_finish(b, t, cause);
	casefile_batch_free(b);
	return (rc);
}

/*
 * N synthetic cases, 500 to a transaction, created by the supervisor;
 * with a seed, the same cases (as of the same day) every time.
 */
static int
demo_cases(struct store *s, const char *name, const char *pass,
    unsigned long n, const uint64_t *seed, char **cause)
{
	struct casefile_ctx	 ctx;
	struct demo_run		 d;
	struct formset		*forms = NULL;
	struct workflow_set	*flows = NULL;
	struct session		*sess = NULL;
	unsigned long		 done;
	int			 rc = -1;

	memset(&ctx, 0, sizeof ctx);
	if (formset_load(paths_forms_dir(), &forms, cause) != 0 ||
	    workflow_load(paths_forms_dir(), &flows, cause) != 0 ||
	    workflow_guards_check_forms(flows, forms, cause) != 0 ||
	    session_signin(s, name, pass, strlen(pass), &sess, cause) != 0)
		goto out;
	ctx.sess = sess;
	ctx.forms = forms;
	ctx.flows = flows;
	if (casefile_share_keys(&ctx, cause) != 0)
		goto out;
	memset(&d, 0, sizeof d);
	d.ctx = &ctx;
	if (seed != NULL) {
		d.seeded = 1;
		d.seed = *seed;
	}
	d.insp = workflow_find(flows, "inspection");
	d.mon = workflow_find(flows, "monitoring");
	d.mission = workflow_find(flows, "mission");
	if (d.insp == NULL || d.mon == NULL) {
		err_set(cause, _("The demo needs the inspection and monitoring "
		    "workflows."));
		goto out;
	}
	for (done = 0; done < n; done += d.count) {
		d.count = n - done < 500 ? n - done : 500;
		d.first = done;
		if (store_run(s, demo_cases_txn, &d, cause) != 0)
			goto out;
	}
	rc = 0;
out:
	session_free(sess);
	formset_free(forms);
	workflow_set_free(flows);
	return (rc);
}

static int
demo_write(const char *path, const char *text, char **cause)
{
	FILE	*f;

	if ((f = file_create_private(path, cause)) == NULL)
		return (-1);
	fputs(text, f);
	if (fclose(f) != 0)
		return (err_set(cause, _("Cannot write %s: %s."), path,
		    strerror(errno)));
	return (0);
}

/*
 * Every demo account is approved with the recovery key, as the holder of
 * that key approves an organisation's first supervisors.
 */
static int
demo_approve(struct session *admin, const char *recovery, char **cause)
{
	struct vault_identity	*root;
	struct account		*a;
	char			 fp[VAULT_FINGERPRINT_LEN];
	size_t			 i;
	int			 rc = 0;

	if ((root = vault_recovery_decode(recovery, cause)) == NULL)
		return (-1);
	for (i = 1; rc == 0 && i < DEMO_NUSERS; i++) {
		if (demo_users[i].role == ROLE_ADMIN)
			continue;
		if ((rc = account_get(admin->store, demo_users[i].name, &a,
		    cause)) != 0)
			break;
		trust_fingerprint(a, fp);
		account_free(a);
		rc = trust_approve(admin, demo_users[i].name, fp, root, cause);
	}
	vault_identity_free(root);
	return (rc);
}

static int
cli_demo(struct cli_run *r)
{
	struct cli	*c = r->c;
	struct store	*s = NULL;
	struct store_compaction sc;
	struct session	*admin = NULL;
	char		*dir, *pass[DEMO_NUSERS], *recovery = NULL, *path;
	char		*users = NULL, *line, *cause = NULL, *end;
	size_t		 i;
	unsigned long	 ncases = 40;
	unsigned long long seed = 0;
	uint64_t	 seed64;
	int		 rc = CLI_FAIL;

	if (c->cases != NULL) {
		errno = 0;
		ncases = strtoul(c->cases, &end, 10);
		if (*c->cases == '\0' || *end != '\0' || errno != 0 ||
		    ncases > 10000000)
			return (cli_usage(_("--cases takes a number of cases.")));
	}
	if (c->seed != NULL) {
		errno = 0;
		seed = strtoull(c->seed, &end, 10);
		if (*c->seed == '\0' || *end != '\0' || errno != 0)
			return (cli_usage(_("--seed takes a number.")));
	}
	seed64 = (uint64_t)seed;
	if ((dir = cli_data_dir(c)) == NULL) {
		text_error("%s", _("No data directory: use --data DIR or set "
		    "DOSSIER_DATA."));
		return (CLI_FAIL);
	}
	for (i = 0; i < DEMO_NUSERS; i++)
		pass[i] = demo_passphrase();

	if (store_open(&s, dir, STORE_CREATE, &cause) != 0)
		goto out;
	/* Demo accounts use the fast Argon2id cost: sign-in is instant. */
	if (account_init(s, demo_users[0].name, pass[0], strlen(pass[0]),
	    VAULT_COST_INTERACTIVE, trust_org_init, &recovery, &cause) != 0)
		goto out;
	if (session_signin(s, demo_users[0].name, pass[0], strlen(pass[0]),
	    &admin, &cause) != 0)
		goto out;
	for (i = 1; i < DEMO_NUSERS; i++) {
		if (account_add(admin, demo_users[i].name, demo_users[i].role,
		    pass[i], strlen(pass[i]), 0, &cause) != 0)
			goto out;
	}
	if (demo_approve(admin, recovery, &cause) != 0)
		goto out;

	/* The supervisor signs in first: the oversight key is theirs. */
	if (ncases != 0 && demo_cases(s, "oumar", pass[4], ncases,
	    c->seed != NULL ? &seed64 : NULL, &cause) != 0)
		goto out;
	/*
	 * A load in bulk leaves half-full pages behind (store-compact.c).
	 * The cases are saved whatever happens here: a failure is said and
	 * the demo goes on, since its passphrases are written below.
	 */
	if (ncases != 0 && store_compact(s, &sc, &cause) != 0) {
		text_error(_("The tables were not compacted (%s); the demo's "
		    "cases are saved. Run 'dossier compact' later."), cause);
		free(cause);
		cause = NULL;
	}

	xasprintf(&path, "%s/demo-recovery.key", dir);
	rc = demo_write(path, recovery, &cause);
	free(path);
	if (rc != 0) {
		rc = CLI_FAIL;
		goto out;
	}
	users = xstrdup("");
	for (i = 0; i < DEMO_NUSERS; i++) {
		xasprintf(&line, "%s%s %s %s\n", users, demo_users[i].name,
		    access_role_name(demo_users[i].role), pass[i]);
		free(users);
		users = line;
	}
	xasprintf(&path, "%s/demo-users.txt", dir);
	rc = demo_write(path, users, &cause);
	free(path);
	if (rc != 0) {
		rc = CLI_FAIL;
		goto out;
	}
	text_printf(_("Demo data directory: %s (%lu cases)\n"), dir, ncases);
	text_printf("%s\n", _("Demo accounts (name, role, passphrase), also in "
	    "demo-users.txt:"));
	fputs(users, stdout);
	text_printf("%s\n", _("These passphrases and the recovery key stored beside "
	    "them are for a demonstration only."));
	rc = CLI_OK;
out:
	if (cause != NULL) {
		text_error("%s", cause);
		free(cause);
	}
	session_free(admin);
	store_close(s);
	for (i = 0; i < DEMO_NUSERS; i++)
		free_wiped(pass[i]);
	free_wiped(users);
	free_wiped(recovery);
	free(dir);
	return (rc);
}

const struct cli_command cli_demo_commands[] = {
	{ "demo", N_("[--cases N] [--seed N]"), N_("make a demonstration data "
	    "directory (with --data DIR)"), CLI_OPT_CASES | CLI_OPT_SEED, 0, 0,
	    0, cli_demo, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL }
};
