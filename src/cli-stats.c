/*
 * cli-stats.c: 'dossier stats', the figures for the annual report
 * (stats.h), on standard output or, with --out, in a signed file.
 */
#include "config.h"

#include <errno.h>
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
		if (stats_dim_parse(r->argv[i], &d) != 0)
			return (cli_usage(_("Count by received, "
			    "received_quarter, received_month, closed, "
			    "closed_quarter, closed_month, workflow, state, "
			    "region, force, unit, category_group, category, "
			    "channel, sex, age, finding, decision or "
			    "sanction.")));
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
	size_t			 i;
	int			 threshold, rc;

	stats_format_parse(c->format, &f);	/* cli_stats_check */
	cli_stats_threshold(c, &threshold);
	if (stats_collect(r->ctx, &st, &cause) != 0)
		return (cli_fail(cause));
	if (r->argc > 0) {
		stats_dim_parse(r->argv[0], &d1);
		if (r->argc > 1)
			stats_dim_parse(r->argv[1], &d2);
		for (i = 0; i < st->ntables; i++)
			stats_table_free(st->tables[i]);
		st->ntables = 0;
		st->nstages = 0;	/* freed by stats_free() */
		stats_add_table(st, stats_table(st, d1, d2));
	}
	if (c->publish)
		stats_publish(st, threshold);
	text = stats_render(st, r->ctx->forms, r->ctx->flows, f);
	xasprintf(&detail, "%s%s%s format=%s publish=%d out=%s cases=%zu "
	    "headers_only=%zu", r->argc > 0 ? r->argv[0] : "all",
	    r->argc > 1 ? "," : "", r->argc > 1 ? r->argv[1] : "",
	    f == STATS_CSV ? "csv" : f == STATS_JSON ? "json" : "text",
	    c->publish ? threshold : 0, c->out != NULL ? c->out :
	    "(standard output)", st->ncases, st->ncases - st->readable);
	if (c->out != NULL) {
		rc = stats_write_signed(r->ctx, c->out, text, detail, &cause);
		if (rc == 0)
			text_printf(_("Wrote %s and %s.minisig, signed by %s.\n"),
			    c->out, c->out, r->sess->user->name);
	} else if ((rc = stats_audit(r->ctx, detail, &cause)) == 0)
		fputs(text, stdout);
	free(detail);
	free(text);
	stats_free(st);
	return (rc == 0 ? CLI_OK : cli_fail(cause));
}

const struct cli_command cli_stats_commands[] = {
	{ "stats", N_("[DIMENSION [DIMENSION]] [--format text|csv|json] "
	    "[--publish [--threshold N]] [--out FILE]"), N_("figures for the "
	    "annual report from what you may read: every count, or one "
	    "dimension, or two crossed; --publish hides small counts; --out "
	    "signs the file"), CLI_OPT_FORMAT | CLI_OPT_OUT | CLI_OPT_PUBLISH |
	    CLI_OPT_THRESHOLD, 0, 2, CLI_CASES, cli_stats, cli_stats_check },
	{ NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL }
};
