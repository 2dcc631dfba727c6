/*
 * cli-site.c: 'dossier site init|join|status|remove|promote' and
 * 'dossier serve', the process that keeps a site in its replication
 * group (docs/REPLICATION.md).
 *
 * These are the server operator's commands: like 'dossier check' they
 * work on the data directory and sign no one in.  Whoever may write the
 * directory could change site.conf by hand anyway; what replication can
 * and cannot expose is in docs/SECURITY.md.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "i18n.h"
#include "replica.h"
#include "store.h"
#include "text.h"
#include "util.h"

#define SITE_JOIN_WAIT		3600	/* seconds */
#define SITE_PROMOTE_WAIT	60

static volatile sig_atomic_t cli_serve_stop;

static void	cli_site_label(const char *, const char *);

static void
cli_site_progress(const char *what)
{
	text_fprintf(stderr, 0, "%s\n", what);
}

static int
cli_site_init(struct cli_run *r)
{
	char	*dir, *cause = NULL;
	int	 rc;

	if (r->c->listen == NULL)
		return (cli_usage(_("Usage: dossier site init --listen HOST:PORT "
		    "[--acks quorum|all|one|none]")));
	if ((dir = cli_data_dir(r->c)) == NULL)
		return (cli_usage(_("No data directory: use --data DIR or set "
		    "DOSSIER_DATA.")));
	rc = store_site_init(dir, r->c->listen, r->c->acks, &cause);
	if (rc == 0)
		text_printf(_("%s is now the first site of a replication group, "
		    "listening on %s. Its group key is %s/site.key: copy it to "
		    "each new site over SSH and give it to 'dossier site join "
		    "--group-key'; no one else may read it. Start 'dossier "
		    "serve' here, then add sites.\n"), dir, r->c->listen, dir);
	free(dir);
	return (rc == 0 ? CLI_OK : cli_fail(cause));
}

static int
cli_site_join(struct cli_run *r)
{
	char	*dir, *cause = NULL;
	int	 rc;

	if (r->c->listen == NULL || r->c->peer == NULL ||
	    r->c->group_key == NULL)
		return (cli_usage(_("Usage: dossier site join --listen HOST:PORT "
		    "--peer HOST:PORT --group-key FILE "
		    "[--acks quorum|all|one|none]")));
	if ((dir = cli_data_dir(r->c)) == NULL)
		return (cli_usage(_("No data directory: use --data DIR or set "
		    "DOSSIER_DATA.")));
	rc = store_site_join(dir, r->c->listen, r->c->peer, r->c->group_key,
	    r->c->acks, SITE_JOIN_WAIT, cli_site_progress, &cause);
	if (rc == 0)
		text_printf(_("%s is now a replica of the group of %s. Start "
		    "'dossier serve' there to keep it up to date.\n"), dir,
		    r->c->peer);
	free(dir);
	return (rc == 0 ? CLI_OK : cli_fail(cause));
}

/* "Label:  value", the labels padded to one display width. */
static void
cli_site_label(const char *label, const char *value)
{
	char	 pad[32];
	int	 n = 28 - text_width(label);

	n = n < 1 ? 1 : n;
	memset(pad, ' ', (size_t)n);
	pad[n] = '\0';
	text_printf("%s%s%s\n", label, pad, value);
}

static int
cli_site_status(struct cli_run *r)
{
	struct store_site_status st;
	char			*cause = NULL, *line;
	char			 when[64];
	struct tm		 tm;
	time_t			 beat;
	int			 i;

	if (store_site_status(r->store, &st, &cause) != 0)
		return (cli_fail(cause));
	if (!st.replicated) {
		text_printf("%s\n", _("This data directory is a single site: it "
		    "is not part of a replication group."));
		return (CLI_OK);
	}
	xasprintf(&line, "%s (%s)", st.self, st.master ? _("master") :
	    st.caught_up ? _("replica, up to date") :
	    _("replica, catching up"));
	cli_site_label(_("This site:"), line);
	free(line);
	cli_site_label(_("Replication here:"), st.running ?
	    _("running (dossier serve)") :
	    _("NOT running: start 'dossier serve'"));
	cli_site_label(_("Master:"), *st.master_addr != '\0' ?
	    st.master_addr : _("none known"));
	cli_site_label(_("Acknowledgements:"), st.acks);
	if (!st.master) {
		if (st.beat == 0)
			snprintf(when, sizeof when, "%s", _("none received yet"));
		else {
			beat = (time_t)st.beat;
			localtime_r(&beat, &tm);
			strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
		}
		if (st.beat != 0) {
			xasprintf(&line, _("%s (%lld s ago; the master beats "
			    "every %u s)"), when,
			    (long long)(time(NULL) - st.beat), st.heartbeat);
			cli_site_label(_("Master's last beat:"), line);
			free(line);
		} else
			cli_site_label(_("Master's last beat:"), when);
		xasprintf(&line, "%llu", (unsigned long long)st.queued);
		cli_site_label(_("Log records waiting:"), line);
		free(line);
	}
	xasprintf(&line, "%llu/%llu", (unsigned long long)st.lsn_file,
	    (unsigned long long)st.lsn_offset);
	cli_site_label(_("Log position:"), line);
	free(line);
	if (st.running && st.state_time != 0 &&
	    time(NULL) - st.state_time > 10)
		cli_site_label(_("Other sites:"), _("unknown: 'dossier serve' "
		    "has not reported for a while"));
	else if (st.nsites == 0)
		cli_site_label(_("Other sites:"), st.running ? _("none") :
		    _("unknown while 'dossier serve' is not running"));
	for (i = 0; i < st.nsites; i++) {
		if (st.sites[i].connected)
			xasprintf(&line, "%s %s", st.sites[i].addr,
			    _("connected"));
		else if (st.sites[i].seen == 0)
			xasprintf(&line, "%s %s", st.sites[i].addr,
			    _("NOT connected since serve started"));
		else
			xasprintf(&line, _("%s NOT connected, last seen %lld s "
			    "ago"), st.sites[i].addr,
			    (long long)(time(NULL) - st.sites[i].seen));
		cli_site_label(i == 0 ? _("Other sites:") : "", line);
		free(line);
	}
	return (CLI_OK);
}

static int
cli_site_remove(struct cli_run *r)
{
	char	*cause = NULL;

	if (store_site_remove(r->store, r->argv[0], &cause) != 0)
		return (cli_fail(cause));
	text_printf(_("%s is no longer a site of the group.\n"), r->argv[0]);
	return (CLI_OK);
}

static int
cli_site_promote(struct cli_run *r)
{
	char	*cause = NULL;

	if (store_site_promote(r->store, SITE_PROMOTE_WAIT, &cause) != 0)
		return (cli_fail(cause));
	text_printf("%s\n", _("This site is now the master. When the old "
	    "master comes back, it rejoins as a replica; changes it made "
	    "that no other site confirmed are discarded there."));
	return (CLI_OK);
}

static void
cli_serve_signal(int sig)
{
	cli_serve_stop = sig;
}

/*
 * The replication process: open the store first (so that this process
 * listens), print what happens, beat while master, until a signal.
 */
static int
cli_serve(struct cli_run *r)
{
	struct sigaction	 sa;
	struct store		*s;
	char			*dir, *cause = NULL, *line;
	time_t			 last = 0;
	unsigned int		 every, tick;
	int			 rc = 0;

	if ((dir = cli_data_dir(r->c)) == NULL)
		return (cli_usage(_("No data directory: use --data DIR or set "
		    "DOSSIER_DATA.")));
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = cli_serve_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (store_open(&s, dir, STORE_SERVE, &cause) != 0) {
		free(dir);
		return (cli_fail(cause));
	}
	if ((every = store_site_heartbeat(s)) == 0) {
		store_close(s);
		text_error(_("%s is not a site of a replication group: run "
		    "'dossier site init' or 'dossier site join' first."), dir);
		free(dir);
		return (CLI_FAIL);
	}
	store_forward_handler(s, replica_entry_accept);
	text_printf(_("dossier serve: replication for %s, pid %ld.\n"), dir,
	    (long)getpid());
	fflush(stdout);
	for (tick = 0; !cli_serve_stop; tick++) {
		/* Replica users' audit entries wait for this: every 0.1 s. */
		store_forward_poll(s);
		if (tick % 10 != 0) {
			usleep(100000);
			continue;
		}
		while ((line = store_site_next_event(s)) != NULL) {
			text_printf("%s\n", line);
			free(line);
		}
		if ((rc = store_site_poll(s, &cause)) != 0) {
			text_printf("%s\n", cause);
			free(cause);
			cause = NULL;
			if (rc == STORE_STOP)
				break;
		}
		if (time(NULL) - last >= (time_t)every &&
		    !store_site_auth_pending(s)) {
			last = time(NULL);
			if (store_site_beat(s, &cause) != 0) {
				text_printf("%s\n", cause);
				free(cause);
				cause = NULL;
			}
		}
		fflush(stdout);
		usleep(100000);
	}
	/* What happened since the last turn, said before it stops. */
	while ((line = store_site_next_event(s)) != NULL) {
		text_printf("%s\n", line);
		free(line);
	}
	text_printf("%s\n", _("dossier serve: stopping."));
	store_close(s);
	free(dir);
	return (rc == STORE_STOP ? CLI_FAIL : CLI_OK);
}

const struct cli_command cli_site_commands[] = {
	{ "site init", N_("--listen HOST:PORT [--acks quorum|all|one|none]"),
	    N_("make this data directory the first site of a replication "
	    "group (run it while no one uses it)"), CLI_OPT_LISTEN |
	    CLI_OPT_ACKS, 0, 0, 0, cli_site_init, NULL },
	{ "site join", N_("--listen HOST:PORT --peer HOST:PORT "
	    "--group-key FILE [--acks quorum|all|one|none]"), N_("make a new, "
	    "empty data directory a replica: it copies everything from the "
	    "group"), CLI_OPT_LISTEN | CLI_OPT_PEER | CLI_OPT_GROUP_KEY |
	    CLI_OPT_ACKS, 0, 0, 0,
	    cli_site_join, NULL },
	{ "site status", "", N_("this site's role, the master, the other "
	    "sites and how far behind this one is"), 0, 0, 0, CLI_STORE,
	    cli_site_status, NULL },
	{ "site remove", N_("HOST:PORT"), N_("take a site out of the group "
	    "(at the master)"), 0, 1, 1, CLI_STORE, cli_site_remove, NULL },
	{ "site promote", "", N_("with two sites, make this replica the "
	    "master when the master is gone for good"), 0, 0, 0, CLI_STORE,
	    cli_site_promote, NULL },
	{ "serve", "", N_("keep this site in its replication group; run it "
	    "as a service (docs/dossier-serve@.service)"), 0, 0, 0, 0,
	    cli_serve, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL }
};
