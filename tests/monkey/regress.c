/*
 * regress.c: what the monkey found, replayed as fixed keys.
 *
 * Each regression signs in as one role, sends keys one at a time, and
 * waits (5 s at most) for the screen to show what the fixed program shows;
 * then the run ends as every monkey run does, 'dossier check' included.
 * They run before the random keys, so 'make check' keeps each bug fixed
 * even when the seed changes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monkey.h"

struct step {
	const char	*keys;	/* NULL ends the steps */
	int		 cols;	/* with keys "": resize to cols x rows */
	int		 rows;
	const char	*has;	/* a row holds this afterwards */
	const char	*ends;	/* a row ends with this afterwards */
	int		 last;	/* only the bottom row counts */
};

static int
screen_shows(const struct screen *s, const struct step *st)
{
	char	 row[4096];
	size_t	 n, len;
	int	 y;

	for (y = st->last ? s->rows - 1 : 0; y < s->rows; y++) {
		screen_row(s, y, row, sizeof row);
		if (st->has != NULL && strstr(row, st->has) != NULL)
			return (1);
		n = strlen(row);
		if (st->ends != NULL && n >= (len = strlen(st->ends)) &&
		    strcmp(row + n - len, st->ends) == 0)
			return (1);
	}
	return (0);
}

static void
regress_steps(struct run *run, const struct step *steps)
{
	struct monkey_key	 key;
	double			 start;

	for (; steps->keys != NULL; steps++) {
		memset(&key, 0, sizeof key);
		key.len = strlen(steps->keys);
		if (key.len == 0) {
			key.kind = MK_RESIZE;
			key.cols = steps->cols;
			key.rows = steps->rows;
			snprintf(key.label, sizeof key.label, "resize %dx%d",
			    key.cols, key.rows);
		} else {
			key.kind = MK_KEY;
			memcpy(key.bytes, steps->keys, key.len);
			monkey_escape(key.bytes, key.len, key.label,
			    sizeof key.label);
		}
		if (run_key(run, &key))
			fail(&run->t, "the program left");
		if (steps->has == NULL && steps->ends == NULL)
			continue;
		for (start = now_ms(); !screen_shows(&run->t.screen, steps);) {
			if (now_ms() - start > 5000)
				fail(&run->t, "the screen does not show '%s' "
				    "after the keys", steps->has != NULL ?
				    steps->has : steps->ends);
			term_pump(&run->t, 50);
		}
	}
}

/*
 * Seed 20261129, run 1 (ibrahim, en): after a paste holding a byte that
 * starts no UTF-8 character, Esc and y forty times barely left the
 * program: ncurses' wget_wch() kept every key that followed the byte
 * until a second passed with no key, then dropped them all.
 */
static void
regress_bad_byte(void)
{
	static const struct role	 r = { "oumar", "en" };
	static const struct step	 steps[] = {
		{ .keys = "\xff" },
		{ .keys = "\r", .ends = "Journal" },	/* the case opens */
		{ .keys = "\xe9" },		/* "é" from a Latin-1 terminal */
		{ .keys = "\033", .ends = "oumar (supervisor)" },	/* the list */
		{ .keys = "/" },
		{ .keys = "S\xc3\xa9g", .ends = "Search: S\xc3\xa9g" },
		{ .keys = NULL }
	};
	struct run			 run;

	run_begin(&run, "regress-bad-byte", &r, 0, 0);
	regress_steps(&run, steps);
	run_finish(&run, END_KEYS);
}

/*
 * Found while checking that fix by hand: a character beyond U+FFFF (an
 * emoji) was typed as three bytes that are not UTF-8 (keymap_key_name()
 * has no four-byte form), so the search showed three U+FFFD, a field
 * refused the text, and a passphrase holding one never matched.
 */
static void
regress_four_bytes(void)
{
	static const struct role	 r = { "oumar", "en" };
	static const struct role	 zed = { "zed", "en" };
	static const struct step	 search[] = {
		{ .keys = "/" },
		{ .keys = "S\xc3\xa9" },
		{ .keys = "\xf0\x9f\x98\x80",
		    .ends = "Search: S\xc3\xa9\xf0\x9f\x98\x80" },
		{ .keys = "\177", .ends = "Search: S\xc3\xa9" },	/* the emoji */
		{ .keys = "\177", .ends = "Search: S" },	/* the é, whole */
		{ .keys = NULL }
	};
	/* Accepted: the account must first choose its own passphrase. */
	static const struct step	 signin[] = {
		{ .keys = "baobab \xf0\x9f\x98\x80 fleuve niger\r",
		    .has = "must first choose" },
		{ .keys = NULL }
	};
	struct run			 run;
	char				*admin, *zpass, *adminpw;

	run_begin(&run, "regress-four-bytes", &r, 0, 0);
	regress_steps(&run, search);
	run_finish(&run, END_KEYS);

	/* An account whose passphrase holds an emoji, then sign in as it. */
	run_prepare(&run, "regress-emoji-passphrase", &zed, 0, 0);
	admin = run_demo_pass("admin");
	adminpw = run_file(&run, "admin.pw", admin);
	zpass = run_file(&run, "zed.pw", "baobab \xf0\x9f\x98\x80 fleuve niger");
	{
		char	*argv[] = { (char *)dossier_bin, (char *)"--data",
		    cur_dir, (char *)"--user", (char *)"admin",
		    (char *)"--passphrase-file", adminpw, (char *)"user",
		    (char *)"add", (char *)"zed", (char *)"--role",
		    (char *)"registrar", (char *)"--new-passphrase-file", zpass,
		    NULL };

		run_tool_ok(&run, "dossier user add zed", argv);
	}
	run_start(&run, 0);
	regress_steps(&run, signin);
	free(admin);
	free(adminpw);
	free(zpass);
	run_finish(&run, END_KEYS);
}

/*
 * A resize while a prompt, a picker or an editor waited for a key was
 * taken by it and never reached curses: back on a screen, the program
 * went on at the old size (a list of 80x24 in a 100x30 terminal) and,
 * shrunk, did not see it was too small, so keys acted on a screen nobody
 * could read.  Knowing the size in a prompt then showed two loops that a
 * terminal narrower than one character never left: the line editor's
 * scrolling and the text editor's word wrap.
 */
static void
regress_resize_in_prompt(void)
{
	static const struct role	 r = { "oumar", "en" };
	static const struct role	 awa = { "awa", "en" };
	static const struct step	 picker[] = {
		{ .keys = "f", .has = "Enter: choose" },
		{ .keys = "", .cols = 100, .rows = 30 },
		{ .keys = "\033", .ends = "?:Help", .last = 1 },
		{ .keys = "f", .has = "Enter: choose" },
		{ .keys = "", .cols = 20, .rows = 5 },
		{ .keys = "\033", .has = "too small" },
		{ .keys = "", .cols = 80, .rows = 24 },
		{ .keys = "j", .ends = "?:Help", .last = 1 },
		{ .keys = NULL }
	};
	static const struct step	 editors[] = {
		{ .keys = "i", .has = "Enter: choose" },
		{ .keys = "\r", .has = "Complaint intake (new)" },
		{ .keys = "jjjjjjjjjjj", .has = "->Locality" },
		{ .keys = "\r", .has = "Locality:" },
		{ .keys = "Niono" },
		{ .keys = "", .cols = 5, .rows = 5 },
		{ .keys = "x" },
		{ .keys = "", .cols = 80, .rows = 24 },
		{ .keys = "\033", .has = "->Locality" },
		{ .keys = "jjjjj", .has = "->Summary of the facts" },
		{ .keys = "\r", .has = "Enter: new line" },
		{ .keys = "Des agents" },
		{ .keys = "", .cols = 1, .rows = 5 },
		{ .keys = "x" },
		{ .keys = "", .cols = 80, .rows = 24 },
		/* Text typed is dropped only once Esc is answered yes. */
		{ .keys = "\033", .has = "Drop what you typed" },
		{ .keys = "y", .has = "->Summary of the facts" },
		{ .keys = NULL }
	};
	struct run			 run;

	run_begin(&run, "regress-resize-picker", &r, 0, 0);
	regress_steps(&run, picker);
	run_finish(&run, END_KEYS);
	run_begin(&run, "regress-resize-editors", &awa, 0, 1);
	regress_steps(&run, editors);
	run_finish(&run, END_KEYS);
}

void
regress_all(void)
{
	regress_bad_byte();
	regress_four_bytes();
	regress_resize_in_prompt();
}
