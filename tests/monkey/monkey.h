/*
 * monkey.h: the keystroke monkey (tests/monkey/monkey.c drives the real
 * binary in a pseudo-terminal; keys.c chooses what to type).
 */
#ifndef MONKEY_H
#define MONKEY_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

/* What one step of the monkey does. */
enum monkey_kind {
	MK_KEY,		/* one key: a byte sequence */
	MK_TEXT,	/* a word or a few characters, typed at once */
	MK_PASTE,	/* a long paste: controls, escapes, invalid UTF-8 */
	MK_RESIZE,	/* TIOCSWINSZ to cols x rows, then SIGWINCH */
	MK_HANGUP	/* the terminal goes away; then start again */
};

#define MONKEY_KEYMAX	8192
#define NOBODY		65534	/* the user programs run as, under root */

struct monkey_key {
	enum monkey_kind	 kind;
	char			 bytes[MONKEY_KEYMAX];
	size_t			 len;
	int			 cols, rows;	/* MK_RESIZE */
	char			 label[64];	/* for the replay listing */
};

struct monkey_rng {
	uint64_t	 s;
};

uint64_t monkey_rand(struct monkey_rng *);
uint32_t monkey_below(struct monkey_rng *, uint32_t);
uint64_t monkey_mix(uint64_t);

/* Read the key map (every key bound on any screen); -1 on error. */
int	 monkey_keys_load(const char *);
void	 monkey_keys_free(void);
size_t	 monkey_keys_count(void);
/* The next step; resizes only when resizes is set. */
void	 monkey_next(struct monkey_rng *, int resizes, struct monkey_key *);
/* A byte sequence as printable text ("\e[A", "\x03") into buf. */
void	 monkey_escape(const char *, size_t, char *, size_t);

/* term.c: the program in a pseudo-terminal. */
/* The output oracle: what curses never sends (term.c). */
struct scan {
	int		 state;		/* SCAN_* */
	int		 utf8_left;	/* continuation bytes expected */
	unsigned	 lead;
	int		 strict;	/* 0x07 and 0x08 count too */
	char		 why[160];
};
#define SCAN_TEXT	0
#define SCAN_ESC	1
#define SCAN_CSI	2
#define SCAN_STRING	3	/* OSC, DCS: until BEL or ST */
#define SCAN_STRESC	4
#define SCAN_CHARSET	5

/* screen.c: what the terminal shows. */
struct screen {
	char		*cells;		/* rows x cols x 4 bytes of UTF-8 */
	int		 cols, rows;
	int		 cx, cy, sx, sy;
	int		 top, bottom;	/* scrolling region */
	int		 state;
	int		 params[8];
	int		 nparams;
	int		 private;
	char		 u[4];
	size_t		 ulen, uwant;
};

void	 screen_resize(struct screen *, int, int);
void	 screen_free(struct screen *);
void	 screen_feed(struct screen *, const char *, size_t);
void	 screen_row(const struct screen *, int, char *, size_t);
void	 screen_print(const struct screen *, const char *);

struct term {
	pid_t		 pid;
	int		 fd, slave;
	int		 cols, rows;
	double		 last_out;
	double		 esc_until;	/* a lone Esc is still being read */
	long		 sent_sleeps;	/* its sleeps when keys were sent */
	size_t		 out_bytes;
	char		 tail[2048];	/* the last output, for a report */
	size_t		 taillen;
	struct scan	 scan;
	struct screen	 screen;
	int		 status;	/* once waited for */
	int		 exited;
	int		 log;		/* a copy of the output, or -1 */
};


extern double	 term_hang_ms;		/* no rest for this long: a hang */
extern int	 term_drop_privs;	/* run the programs as nobody */

double	 now_ms(void);
void	 sleep_ms(double);
void	 child_setup(const char *);
/* A command to its end (2 minutes at most): its wait status, or -1. */
int	 run_tool(char *const [], char **, const char *, const char *);
void	 term_start(struct term *, char *const [], char **, const char *,
	    const char *, int, int);
void	 term_pump(struct term *, int);
int	 term_reap(struct term *);
int	 term_settle(struct term *, double);
int	 term_raw(struct term *);
int	 term_send(struct term *, const char *, size_t);
void	 term_resize(struct term *, int, int);
void	 term_close(struct term *);
int	 term_wait(struct term *, double);

/* monkey.c: runs of the program, for random keys and regressions. */
struct role {
	const char	*user;
	const char	*lang;
};

struct run {
	const struct role	*role;
	char			*dir, *home, *pass;
	char			**envp;
	struct term		 t;
};

enum ending { END_KEYS, END_TERM, END_HANGUP };

extern const char *dossier_bin;
extern char	 cur_dir[];
extern char	 scratch[];		/* the harness's directory */
extern char	*template_dir;		/* the store runs copy */

void	 fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
char	*path_join(const char *, const char *);
void	 own(const char *);		/* chown to nobody, under root */
void	 print_file(const char *, const char *, int);

void	 run_prepare(struct run *, const char *, const struct role *, int,
	    int);
void	 run_start(struct run *, int);
void	 run_begin(struct run *, const char *, const struct role *, int, int);
char	*run_demo_pass(const char *);
void	 run_restart(struct run *);
int	 run_key(struct run *, const struct monkey_key *);
void	 run_tool_ok(struct run *, const char *, char *const []);
char	*run_file(struct run *, const char *, const char *);
void	 run_finish(struct run *, enum ending);
void	 term_end(struct term *, enum ending);
void	 history_add(const struct monkey_key *);
/* Report a failure with the seed, the last keys and the screen; exit 1. */
void	 fail(struct term *, const char *, ...)
	    __attribute__((format(printf, 2, 3), noreturn));

/* setup.c: the demonstration store, and a case of hostile text. */
void	 setup_store(char **);
void	 copy_store(const char *, const char *);
void	 copy_tree(const char *, const char *);

/* regress.c: fixed keys for bugs found, each with its screen to reach. */
void	 regress_all(void);

#endif
