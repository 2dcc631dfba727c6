/*
 * stats.h: figures for the annual report (issue 16).
 *
 * stats.c gathers one struct stats_case per case from what the signed-in
 * user may read: the clear header of every case, and the content of the
 * records (unit, findings, decisions, sanctions) of the cases whose key
 * the user holds.  Witness records are never read.  stats-table.c counts
 * them into one-way tables and cross-tabulations, computes the durations
 * of the stages, and suppresses small cells for publication.
 * stats-render.c writes the figures as text, CSV or JSON.
 *
 * A struct stats owns its cases and tables; stats_free() frees them.
 */
#ifndef STATS_H
#define STATS_H

#include <stddef.h>
#include <stdint.h>

struct casefile_ctx;
struct formset;
struct workflow_set;

enum stats_dim {
	STATS_RECEIVED,		/* year received */
	STATS_RECEIVED_QUARTER,
	STATS_RECEIVED_MONTH,
	STATS_CLOSED,		/* year the case reached a terminal state */
	STATS_CLOSED_QUARTER,
	STATS_CLOSED_MONTH,
	STATS_WORKFLOW,
	STATS_STATE,
	STATS_REGION,
	STATS_FORCE,
	STATS_UNIT,		/* content: intake's unit */
	STATS_CATEGORY_GROUP,	/* header: the part of a category before '.' */
	STATS_CATEGORY,
	STATS_CHANNEL,
	STATS_SEX,
	STATS_AGE,
	STATS_FINDING,		/* content: allegations' findings */
	STATS_DECISION,		/* content: decisions' outcomes */
	STATS_SANCTION,		/* content: decisions' sanctions (text) */
	/* Of recommendations (content), counted one per recommendation. */
	STATS_REC_UNIT,
	STATS_REC_FORCE,
	STATS_REC_STATUS,
	STATS_NDIM
};
#define STATS_IS_REC(d)	((d) >= STATS_REC_UNIT && (d) <= STATS_REC_STATUS)

/* Codes that are no list's code: a value not given, a key not held. */
#define STATS_NONE	"(none)"
#define STATS_NOKEY	"(nokey)"
#define STATS_UNSTATED	"(unstated)"	/* a record without the field */

struct stats_dim_info {
	const char	*name;		/* on the command line, in JSON/CSV */
	const char	*label;		/* N_() */
	const char	*list;		/* lists.ini list of its codes, or NULL */
	int		 content;	/* only from cases whose key is held */
};
const struct stats_dim_info *stats_dim_info(enum stats_dim);
int	 stats_dim_parse(const char *, enum stats_dim *);
/* A code of a dimension in the user's language (malloc'd). */
char	*stats_code_label(const struct formset *, const struct workflow_set *,
	    enum stats_dim, const char *);

/* One stay of a case in a state (names kept in the pool of codes). */
struct stats_visit {
	char		*workflow;
	char		*state;
	long		 days;		/* how long it lasted (so far) */
	int		 limit;		/* the state's deadline in days, 0: none */
	int		 open;		/* the case is still there */
	int		 late;		/* past its deadline */
};

/* The values a case has in one dimension (several: categories, ...). */
struct stats_values {
	char		**v;		/* inl, or allocated past two */
	size_t		  n;
	size_t		  cap;
	char		 *inl[2];
};

struct stats;
struct stats_case {
	struct stats		*owner;		/* its codes' pool */
	uint64_t		 id;
	int			 readable;	/* key held: content counted */
	struct stats_values	 values[STATS_NDIM];
	struct stats_visit	*visits;
	size_t			 nvisits;
};

/* A table: nr rows by nc columns (nc 1 for a one-way table). */
struct stats_table {
	enum stats_dim	 row;
	enum stats_dim	 col;		/* STATS_NDIM: one-way */
	char		**rcodes;
	size_t		  nr;
	char		**ccodes;
	size_t		  nc;
	/*
	 * The grid with its margins, (nr + 1) x (nc + 1) numbers: cell
	 * (i, j) at i * (nc + 1) + j, row totals in column nc, column
	 * totals in row nr.  A one-way table uses column 0 and row nr
	 * (the total) only.
	 */
	long		 *grid;
	unsigned char	 *sup;		/* STATS_SUP_* per grid number */
	size_t		  primary;	/* numbers suppressed as small */
	size_t		  secondary;	/* suppressed so others stay hidden */
};
#define STATS_SUP_PRIMARY	1
#define STATS_SUP_SECONDARY	2

#define STATS_AT(t, i, j)	((i) * ((t)->nc + 1) + (j))

/* Durations of one state of one workflow. */
struct stats_stage {
	char		*workflow;
	char		*state;
	int		 limit;		/* deadline in days, 0: none */
	size_t		 done;		/* completed stays */
	double		 median;	/* of the completed stays, days */
	long		 p90;
	size_t		 met;		/* completed within the deadline */
	size_t		 missed;	/* completed late, or open and late */
	size_t		 running;	/* open, within the deadline */
	int		 suppressed;	/* fewer stays than the threshold */
};

/* A recommendation, for the follow-up list. */
struct stats_rec {
	uint64_t	 id;		/* the case */
	char		*reference;
	char		*workflow;
	uint64_t	 rid;
	char		*unit;
	char		*force;
	char		*status;
	long		 deadline;	/* day, 0: none */
	long		 late;		/* days past it while not done */
	uint64_t	 source;	/* the record it comes from, 0: none */
	char		*source_kind;	/* that record's form, or "" */
};

struct stats {
	struct stats_case	*cases;
	size_t			 ncases;
	size_t			 ncap;		/* cases allocated */
	/*
	 * One pseudo-case per recommendation (of the cases whose key the
	 * user holds), with its unit, force and status and its case's
	 * header values, for the tables of recommendation dimensions.
	 */
	struct stats		*recs;
	struct stats_rec	*list;
	size_t			 nlist;
	size_t			 listcap;
	/* The follow-up's list alone (STATS_RECS): no case kept, no
	 * pseudo-case, no table. */
	int			 list_only;
	size_t			 readable;
	struct stats_table	**tables;
	size_t			  ntables;
	struct stats_stage	*stages;
	size_t			 nstages;
	int			 publish;
	int			 threshold;
	int64_t			 at;		/* when it was run */
	size_t			 digests;	/* cases read from digests */
	struct stats_pool	*pool;		/* every code once (stats.c) */
	size_t			 opened;	/* cases read whole */
	char			*user;
};

/* Gather the cases this user may count (stats.c), of one workflow or
 * all (NULL), then every one-way table, the stages, and the
 * implementation of recommendations by unit and by force. */
int	 stats_collect(struct casefile_ctx *, const char *, struct stats **,
	    char **);
/*
 * Make the tables of a view again: every count and the stages (first
 * dimension STATS_NDIM), one dimension (second STATS_NDIM) or two
 * crossed; published with this threshold (> 0) or not.
 */
void	 stats_view(struct stats *, const struct formset *,
	    const struct workflow_set *, enum stats_dim, enum stats_dim, int);
/*
 * The same; STATS_SLOW: every case through casefile_open() (tests);
 * STATS_RECS: only the cases holding a recommendation, for their list
 * alone (the follow-up): no case counted, no table made.
 */
#define STATS_SLOW	0x1
#define STATS_RECS	0x2
int	 stats_collect_how(struct casefile_ctx *, const char *, int,
	    struct stats **, char **);
/*
 * What the figures read of a case, and nothing else: its clear header
 * fields, deadline clock and moves, and the content fields of its
 * records (none of a witness).  stats-digest.c makes one from a case
 * opened whole, or from the case's digest; the strings are not owned.
 */
enum stats_hfield {
	STATS_H_WORKFLOW,
	STATS_H_STATE,
	STATS_H_RECEIVED,
	STATS_H_REGION,
	STATS_H_FORCE,
	STATS_H_CATEGORIES,
	STATS_H_CHANNEL,
	STATS_H_SEX,
	STATS_H_AGE,
	STATS_H_REFERENCE,
	STATS_H_PREVIOUS,	/* clock.previous */
	STATS_NH
};
/* The clock's numbers, in the order of struct workflow_clock. */
enum stats_hnum {
	STATS_N_CREATED,	/* seconds */
	STATS_N_ENTERED,
	STATS_N_DEADLINE,
	STATS_N_PAUSED_SINCE,
	STATS_N_PAUSED_DAYS,
	STATS_N_RESUME_LEFT,
	STATS_N_RESUME,
	STATS_NN
};
#define STATS_RF	6	/* content fields of a record, at most */
/* A recommendation's source_record, and that record's kind. */
#define STATS_RF_SOURCE	4
#define STATS_RF_SOURCE_KIND 5
struct stats_irec {
	const char	*kind;
	uint64_t	 rid;
	const char	*f[STATS_RF];	/* stats_rec_fields(kind) */
};
struct stats_move {
	int64_t		 at;		/* seconds */
	const char	*from;
};
struct stats_input {
	uint64_t		 id;
	int			 readable;
	const char		*h[STATS_NH];
	int64_t			 num[STATS_NN];
	struct stats_move	*moves;
	size_t			 nmoves;
	struct stats_irec	*recs;
	size_t			 nrecs;
};
extern const char *stats_hfield_keys[STATS_NH];
/*
 * The content fields of a kind of record, NULL-terminated, or NULL if
 * the figures count nothing of it (rid 0 is the intake); *text: the
 * index of the free-text field, kept folded, or -1.
 */
const char *const *stats_rec_fields(const char *, uint64_t, int *);
void	 stats_add_input(struct stats *, const struct stats_input *,
	    const struct workflow_set *);
struct casefile;
/* stats-digest.c: a case opened whole, as figures. */
void	 stats_input_casefile(struct stats_input *, const struct casefile *);
void	 stats_input_free(struct stats_input *);
void	 stats_add_casefile(struct stats *, const struct casefile *,
	    const struct workflow_set *);
char	*stats_fold(const char *);

/*
 * stats-digest.c: the figures of a case kept beside it, so that a run
 * reads one short entry per case instead of the whole case (FORMAT.md
 * "Statistics digests", SECURITY.md).  0: done, 1: this user holds no
 * oversight key (read every case instead), -1: an error.
 */
struct casefile_filter;
int	 stats_digest_collect(struct casefile_ctx *,
	    const struct casefile_filter *, struct stats *, char **);
/* Recommendations still to implement: due (deadline ahead) or overdue. */
/* The follow-up's order (qsort of struct stats_rec pointers): most days
 * late first, then by deadline, then by case and record. */
int	 stats_rec_cmp(const void *, const void *);
#define STATS_REC_OPEN(s) (strcmp((s), "accepted") == 0 || \
	strcmp((s), "in_progress") == 0)
/* The same from cases made by hand (tests). */
struct stats *stats_create(void);
struct stats_case *stats_add_case(struct stats *, uint64_t, int);
void	 stats_set(struct stats_case *, enum stats_dim, const char *);
void	 stats_add_visit(struct stats_case *, const char *, const char *,
	    long, int, int, int);
void	 stats_free(struct stats *);
/*
 * Values are kept once per struct stats: a code's number (from 0 to
 * stats_ncodes() - 1) says which, so tables count without comparing.
 */
char	*stats_intern(struct stats *, const char *);
void	 stats_pool_free(struct stats *);
void	 stats_code_set_shown(struct stats *, const char *, const char *,
	    uint64_t);
const char *stats_code_shown(const struct stats *, const char *);
size_t	 stats_code_id(const char *);
size_t	 stats_ncodes(const struct stats *);
const char *stats_code_at(const struct stats *, size_t);
/* The number of a code kept in st, or SIZE_MAX. */
size_t	 stats_code_find(const struct stats *, const char *);

/* One audit entry for a run or an export (stats.c). */
int	 stats_audit(struct casefile_ctx *, const char *, char **);

/* stats-table.c */
struct stats_table *stats_table(const struct stats *, enum stats_dim,
	    enum stats_dim);
/* The same, from the recommendations when either dimension is theirs. */
struct stats_table *stats_table_any(const struct stats *, enum stats_dim,
	    enum stats_dim);
void	 stats_table_free(struct stats_table *);
/* Rows and columns put in the order of these ranks (NULL: as they are;
 * -1: after the ranked, as they were). */
void	 stats_table_order(struct stats_table *, const long *,
	    const long *);
void	 stats_add_table(struct stats *, struct stats_table *);
/* Every one-way table but the recommendations', in one pass. */
void	 stats_add_one_way(struct stats *);
void	 stats_stages(struct stats *, const struct workflow_set *);
/*
 * Suppression for publication: every number (cell or total) from 1 to
 * threshold - 1 is hidden, then further numbers until none hidden can
 * be worked out from the ones shown (exact linear algebra on the row and
 * column sums).
 */
void	 stats_suppress(struct stats_table *, int);
/* Can the hidden number k be worked out from those shown?  1 or 0. */
int	 stats_derivable(const struct stats_table *, size_t);
void	 stats_publish(struct stats *, int);

/* stats-render.c */
enum stats_format {
	STATS_TEXT,
	STATS_CSV,
	STATS_JSON
};
int	 stats_format_parse(const char *, enum stats_format *);
char	*stats_render(const struct stats *, const struct formset *,
	    const struct workflow_set *, enum stats_format);
/*
 * Write text to path and path.minisig, signed by the session's user; or,
 * path "-", a tar archive of statistics.EXT and its signature on
 * standard output (over SSH: nothing is written on the server).
 */
int	 stats_write_signed(struct casefile_ctx *, const char *,
	    enum stats_format, const char *, const char *, char **);

#endif
