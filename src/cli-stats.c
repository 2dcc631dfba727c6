/*
 * cli-stats.c: 'dossier stats', the figures for the annual report
 * (stats.h), on standard output or, with --out, in a signed file.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "casefile.h"
#include "cli.h"
#include "i18n.h"
#include "session.h"
#include "stats.h"
#include "text.h"
#include "util.h"

#define CLI_STATS_THRESHOLD	5

static int
cli_stats_threshold(const struct cli *c, int *n)
{
	char	*end;
	long	 v;

	*n = CLI_STATS_THRESHOLD;
	if (c->threshold == NULL)
		return (0);
	errno = 0;
	v = strtol(c->threshold, &end, 10);
	if (errno != 0 || *end != '\0' || end == c->threshold || v < 2 ||
	    v > 1000)
		return (-1);
	*n = (int)v;
	return (0);
}

static int
cli_stats_check(struct cli_run *r)
{
	enum stats_format	 f;
	enum stats_dim		 d;
	int			 i, n;

	if (stats_format_parse(r->c->format, &f) != 0)
		return (cli_usage(_("--format takes text, csv or json.")));
	if (r->c->threshold != NULL && !r->c->publish)
		return (cli_usage(_("--threshold goes with --publish.")));
	if (cli_stats_threshold(r->c, &n) != 0)
		return (cli_usage(_("--threshold takes a whole number from 2 "
		    "to 1000.")));
	for (i = 0; i < r->argc; i++) {
		if (stats_dim_parse(r->argv[i], &d) == 0 &&
		    d == STATS_SANCTION && r->c->publish)
			return (cli_usage(_("Sanctions are free text that may "
			    "name the agent: they are never published.")));
		if (stats_dim_parse(r->argv[i], &d) != 0)
			return (cli_usage(_("Count by received, "
			    "received_quarter, received_month, closed, "
			    "closed_quarter, closed_month, workflow, state, "
			    "region, force, unit, category_group, category, "
			    "channel, sex, age, finding, decision, sanction, "
			    "recommendation_unit, recommendation_force or "
			    "recommendation_status.")));
	}
	return (CLI_OK);
}

static int
cli_stats(struct cli_run *r)
{
	struct cli		*c = r->c;
	struct stats		*st;
	enum stats_format	 f;
	enum stats_dim		 d1, d2 = STATS_NDIM;
	char			*cause = NULL, *text, *detail;
	int			 threshold, rc;

	stats_format_parse(c->format, &f);	/* cli_stats_check */
	cli_stats_threshold(c, &threshold);
	if (stats_collect(r->ctx, c->workflow, &st, &cause) != 0)
		return (cli_fail(cause));
	if (r->argc > 0) {
		stats_dim_parse(r->argv[0], &d1);
		if (r->argc > 1)
			stats_dim_parse(r->argv[1], &d2);
		stats_view(st, r->ctx->forms, r->ctx->flows, d1, d2, c->publish ? threshold :
		    0);
	} else if (c->publish)
		stats_publish(st, threshold);
	text = stats_render(st, r->ctx->forms, r->ctx->flows, f);
	xasprintf(&detail, "%s%s%s workflow=%s format=%s publish=%d out=%s "
	    "cases=%zu headers_only=%zu", r->argc > 0 ? r->argv[0] : "all",
	    r->argc > 1 ? "," : "", r->argc > 1 ? r->argv[1] : "",
	    c->workflow != NULL ? c->workflow : "all", f == STATS_CSV ? "csv" :
	    f == STATS_JSON ? "json" : "text",
	    c->publish ? threshold : 0, c->out != NULL ? c->out :
	    "(standard output)", st->ncases, st->ncases - st->readable);
	if (c->out != NULL) {
		rc = stats_write_signed(r->ctx, c->out, f, text, detail,
		    &cause);
		if (rc == 0 && strcmp(c->out, "-") != 0)
			text_printf(_("Wrote %s and %s.minisig, signed by %s.\n"),
			    c->out, c->out, r->sess->user->name);
	} else if ((rc = stats_audit(r->ctx, detail, &cause)) == 0)
		fputs(text, stdout);
	free(detail);
	free(text);
	stats_free(st);
	return (rc == 0 ? CLI_OK : cli_fail(cause));
}

/*
 * The recommendations still to implement, overdue first (by days late),
 * then due by deadline; --overdue: only those past their deadline.
 * From the cases and missions whose key the user holds.
 */
static int
cli_recommendations(struct cli_run *r)
{
	struct stats		 *st;
	struct stats_rec	**due;
	char			 *cause = NULL, day[16], *unit, *status, *detail;
	size_t			  i, n = 0;
	int			  rc;

	if (stats_collect_how(r->ctx, r->c->workflow, STATS_RECS, &st,
	    &cause) != 0)
		return (cli_fail(cause));
	due = xcalloc(st->nlist + 1, sizeof *due);
	for (i = 0; i < st->nlist; i++)
		if (STATS_REC_OPEN(st->list[i].status) &&
		    (!r->c->overdue || st->list[i].late > 0))
			due[n++] = &st->list[i];
	qsort(due, n, sizeof *due, stats_rec_cmp);
	xasprintf(&detail, "recommendations %s: %zu", r->c->overdue ?
	    "overdue" : "due", n);
	rc = stats_audit(r->ctx, detail, &cause);
	free(detail);
	if (rc != 0) {
		free(due);
		stats_free(st);
		return (cli_fail(cause));
	}
	for (i = 0; i < n; i++) {
		if (due[i]->deadline > 0)
			format_day(due[i]->deadline, day);
		else
			snprintf(day, sizeof day, "-");
		unit = text_fit(due[i]->unit, 28, TEXT_PAD);
		status = stats_code_label(r->ctx->forms, r->ctx->flows,
		    STATS_REC_STATUS, due[i]->status);
		if (due[i]->late > 0)
			text_printf(_("%-16s %4" PRIu64 "  %s  %s  %s, %ld days "
			    "late\n"), due[i]->reference, due[i]->rid, day,
			    unit, status, due[i]->late);
		else
			text_printf("%-16s %4" PRIu64 "  %s  %s  %s\n",
			    due[i]->reference, due[i]->rid, day, unit, status);
		free(unit);
		free(status);
	}
	if (n == 0)
		text_printf("%s\n", r->c->overdue ? _("No recommendation is "
		    "overdue.") : _("No recommendation is waiting to be "
		    "implemented."));
	free(due);
	stats_free(st);
	return (CLI_OK);
}

const struct cli_command cli_stats_commands[] = {
	{ "stats", N_("[DIMENSION [DIMENSION]] [--workflow W] "
	    "[--format text|csv|json] [--publish [--threshold N]] "
	    "[--out FILE|-]"), N_("figures for the annual report from what you "
	    "may read: every count, or one dimension, or two crossed; "
	    "--publish hides small counts; --out signs the file (-: a tar "
	    "archive of it and its signature on standard output)"),
	    CLI_OPT_FORMAT | CLI_OPT_OUT | CLI_OPT_PUBLISH | CLI_OPT_THRESHOLD |
	    CLI_OPT_WORKFLOW, 0, 2, CLI_CASES, cli_stats, cli_stats_check },
	{ "recommendations", N_("[--overdue] [--workflow W]"),
	    N_("recommendations still to implement, overdue first, from the "
	    "cases and missions whose key you hold"), CLI_OPT_OVERDUE |
	    CLI_OPT_WORKFLOW, 0, 0, CLI_CASES, cli_recommendations, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL }
};
