/*
 * cli.h: the command line.  cli_main() parses every option (global ones
 * may come before or after the subcommand), then runs the subcommand.
 * Exit status: 0 success, 1 failure (one sentence on stderr), 2 usage.
 */
#ifndef CLI_H
#define CLI_H

#include <stddef.h>
#include <stdint.h>

#define CLI_OK		0
#define CLI_FAIL	1
#define CLI_USAGE	2

struct store;
struct session;
struct casefile_ctx;

struct cli {
	/* Global options. */
	const char	*data;
	const char	*user;
	const char	*passfile;
	const char	*lang;
	/* Subcommand options. */
	const char	*admin;
	const char	*recovery_out;
	const char	*role;
	const char	*newpassfile;
	const char	*kdf;
	const char	*cases;
	const char	*seed;
	const char	*format;
	const char	*form;
	const char	*workflow;
	const char	**sets;		/* --set FIELD=VALUE, in order */
	int		  nsets;
	const char	*state;
	const char	*assignee;
	const char	*region;
	const char	*reason;
	const char	*ifversion;
	const char	*attach;
	const char	*witness;
	const char	*out;
	const char	*pub;
	const char	*caseref;
	const char	*by;
	const char	*prefix;
	const char	*since;
	const char	*fingerprint;
	const char	*recovery_key;
	const char	*ssh_user;	/* a forced command's account */
	const char	*authorized_keys;
	int		 overdue;
	int		 with_witnesses;
	int		 redact;
	int		 publish;	/* stats --publish */
	const char	*threshold;
	const char	*listen;	/* site init/join --listen HOST:PORT */
	const char	*peer;		/* site join --peer HOST:PORT */
	const char	*acks;		/* site init --acks POLICY */
	const char	*keep;		/* backup --keep N */
	const char	*group_key;	/* site join --group-key FILE */
	int		 repair;	/* check --repair */
	uint64_t	 given;		/* CLI_OPT_* bits seen */
	/* Positional arguments, the subcommand first. */
	char		**args;
	int		  nargs;
};

#define CLI_OPT_ADMIN		0x0001
#define CLI_OPT_RECOVERY	0x0002
#define CLI_OPT_ROLE		0x0004
#define CLI_OPT_NEWPASS		0x0008
#define CLI_OPT_KDF		0x0010
#define CLI_OPT_CASES		0x0020
#define CLI_OPT_FORMAT		0x0040
#define CLI_OPT_FORM		0x0080
#define CLI_OPT_WORKFLOW	0x0100
#define CLI_OPT_SET		0x0200
#define CLI_OPT_STATE		0x0400
#define CLI_OPT_ASSIGNEE	0x0800
#define CLI_OPT_REGION		0x1000
#define CLI_OPT_OVERDUE		0x2000
#define CLI_OPT_REASON		0x4000
#define CLI_OPT_IFVERSION	0x8000
#define CLI_OPT_ATTACH		0x10000
#define CLI_OPT_WITNESS		0x20000
#define CLI_OPT_WITH_WITNESSES	0x40000
#define CLI_OPT_OUT		0x80000
#define CLI_OPT_PUB		0x100000
#define CLI_OPT_CASE		0x200000
#define CLI_OPT_BY		0x400000
#define CLI_OPT_PREFIX		0x800000
#define CLI_OPT_SINCE		0x1000000
#define CLI_OPT_FINGERPRINT	0x2000000
#define CLI_OPT_RECOVERY_KEY	0x4000000
#define CLI_OPT_AUTHKEYS	0x8000000
#define CLI_OPT_REDACT		0x10000000
#define CLI_OPT_PUBLISH		0x20000000
#define CLI_OPT_THRESHOLD	0x40000000
#define CLI_OPT_SEED		0x80000000ULL
#define CLI_OPT_LISTEN		(1ULL << 32)
#define CLI_OPT_PEER		(1ULL << 33)
#define CLI_OPT_ACKS		(1ULL << 34)
#define CLI_OPT_KEEP		(1ULL << 35)
#define CLI_OPT_GROUP_KEY	(1ULL << 36)
#define CLI_OPT_REPAIR		(1ULL << 37)

/*
 * A command is a row of a table (tmux's cmd_entry): its words, the
 * arguments it takes (for its usage line and the help), the options it
 * accepts, how many positional arguments follow its words, what it needs
 * opened first, and the function that runs it.  The dispatcher checks
 * options and argument counts, opens the store, signs in, loads the
 * forms, and closes everything after; exec only does the work.
 */
#define CLI_STORE	0x1	/* open the store (no sign-in) */
#define CLI_SIGNIN	0x2	/* sign in (opens the store) */
#define CLI_CASES	0x4	/* sign in, load forms and share keys */
#define CLI_PASSWD	0x8	/* an account that must change may run it */

struct cli_run {
	struct cli		*c;
	char			**argv;		/* after the command's words */
	int			  argc;
	struct store		*store;
	struct session		*sess;
	struct casefile_ctx	*ctx;		/* with CLI_CASES */
};

struct cli_command {
	const char	*name;		/* "case add" */
	const char	*args;		/* "REF KIND --set FIELD=VALUE ...", N_() */
	const char	*help;		/* one line, N_(), or NULL */
	uint64_t	 options;	/* CLI_OPT_* accepted */
	int		 min, max;	/* positional arguments; max -1: any */
	int		 flags;
	int		(*exec)(struct cli_run *);
	/* Usage checks before anything is opened or asked (may be NULL). */
	int		(*validate)(struct cli_run *);
};

/* Each family's table, ended by a row whose name is NULL. */
extern const struct cli_command cli_init_commands[];
extern const struct cli_command cli_user_commands[];
extern const struct cli_command cli_case_commands[];
extern const struct cli_command cli_export_commands[];
extern const struct cli_command cli_audit_commands[];
extern const struct cli_command cli_backup_commands[];
extern const struct cli_command cli_ssh_commands[];

int	 cli_main(int, char **);
/* cli-ssh.c: run as an SSH key's forced command. */
int	 cli_ssh_forced(struct cli *, const char *);
extern const struct cli_command cli_demo_commands[];
extern const struct cli_command cli_stats_commands[];
extern const struct cli_command cli_site_commands[];

int	 cli_main(int, char **);

/* cli-case-json.c, for the case family's table and 'case show'. */
struct casefile;
int	 cli_case_json_export(struct cli_run *);
int	 cli_case_json_import(struct cli_run *);
int	 cli_case_json_show(struct casefile_ctx *, const struct casefile *);

/* Helpers for cli-*.c. */
int	 cli_usage(const char *);
int	 cli_fail(char *);
char	*cli_data_dir(const struct cli *);
/* A minisign public key file (--pub): key id and Ed25519 key. */
int	 cli_read_pub(const char *, uint8_t *, uint8_t *, char **);
/* For a command that opens the store only when it needs it. */
int	 cli_open(const struct cli *, struct store **);

#endif
