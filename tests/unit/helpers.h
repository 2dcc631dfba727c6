/*
 * helpers.h: shared set-up for the unit tests: temporary data
 * directories and a store initialised with the fast Argon2id cost.
 */
#ifndef HELPERS_H
#define HELPERS_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct session;
struct formset;
struct record;
struct workflow_set;

#define HELPER_ADMIN_PASS	"sahel baobab fleuve 2026"

char	*helper_tmpdir(void);
char	*helper_demo_pass(const char *, const char *);
void	 helper_demo(const char *, char **, char **);
/* The shipped forms and workflows ($top_srcdir/forms). */
void	 helper_load_forms(struct formset **, struct workflow_set **);
void	 helper_rmrf(const char *);
struct store *helper_init_store(const char *, char **);
struct session *helper_signin(struct store *, const char *, const char *);
void	 helper_add_user(struct session *, const char *, const char *,
	    const char *);
void	 helper_add_user_unapproved(struct session *, const char *,
	    const char *, const char *);
void	 helper_approve_root(struct session *, const char *);
void	 helper_fingerprint(struct store *, const char *, char *);
/* A valid intake record with this summary (the caller frees it). */
struct record *helper_intake(const char *);
/* A signed-in user's case context, organisation keys passed on. */
struct casefile_ctx;
void	 helper_ctx(struct casefile_ctx *, struct session *,
	    const struct formset *, const struct workflow_set *);
/* A new inspection case with this summary, by c's user: its id. */
uint64_t helper_new_case(struct casefile_ctx *, const char *);
/* A record of kind: field, value pairs, then NULL.  Its id. */
uint64_t helper_add(struct casefile_ctx *, uint64_t, const char *, ...);
int	 helper_file_contains(const char *, const void *, size_t);
/*
 * A team: a store in a new temporary directory (*tmp) with the admin
 * "chef" and these users, added and approved in order with
 * HELPER_USER_PASS, then signed in in order, each with its case context
 * (list a supervisor first: the first oversight holder to sign in shares
 * the organisation's keys, as in a new store).
 */
#define HELPER_USER_PASS	"une phrase assez longue pour nous"
struct helper_user {
	const char		*name;
	const char		*role;
	struct session		**sess;
	struct casefile_ctx	*ctx;
};
struct store *helper_team(char **, struct formset **, struct workflow_set **,
	    const struct helper_user *, size_t);
void	 helper_team_free(char *, struct store *, struct formset *,
	    struct workflow_set *, const struct helper_user *, size_t);
/*
 * The figures st (read from digests or not) are, in every format and in
 * the follow-up list, those of every case opened whole (STATS_SLOW).
 */
struct stats;
void	 helper_stats_same(struct casefile_ctx *, const char *,
	    const struct stats *);
int	 helper_tree_contains(const char *, const void *, size_t, char **);

#endif
