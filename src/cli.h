/*
 * cli.h: the command line.  cli_main() parses every option (global ones
 * may come before or after the subcommand), then runs the subcommand.
 * Exit status: 0 success, 1 failure (one sentence on stderr), 2 usage.
 */
#ifndef CLI_H
#define CLI_H

#include <stddef.h>

#define CLI_OK		0
#define CLI_FAIL	1
#define CLI_USAGE	2

struct store;
struct session;

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
	int		 overdue;
	int		 with_witnesses;
	unsigned int	 given;		/* CLI_OPT_* bits seen */
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

int	 cli_main(int, char **);

/* Helpers for cli-*.c. */
int	 cli_usage(const char *);
int	 cli_only(const struct cli *, unsigned int, const char *);
char	*cli_data_dir(const struct cli *);
int	 cli_open(const struct cli *, struct store **);
int	 cli_signin(const struct cli *, struct store **, struct session **);
int	 cli_signin_for_passwd(const struct cli *, struct store **,
	    struct session **);
void	 cli_signout(struct store *, struct session *);

struct casefile_ctx;
int	 cli_case_begin(const struct cli *, struct store **,
	    struct casefile_ctx *);
void	 cli_case_end(struct store *, struct casefile_ctx *);

int	 cli_user(struct cli *);
int	 cli_case(struct cli *);
int	 cli_audit(struct cli *);
int	 cli_export(struct cli *);
int	 cli_key(struct cli *);
int	 cli_verify(struct cli *);
int	 cli_check(struct cli *);
int	 cli_backup(struct cli *);
int	 cli_demo(struct cli *);

#endif
