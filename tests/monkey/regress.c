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
	const char	*keys;
	const char	*has;	/* a row holds this afterwards, or NULL */
	const char	*ends;	/* a row ends with this afterwards, or NULL */
};

static int
screen_shows(const struct screen *s, const struct step *st)
{
	char	 row[4096];
	size_t	 n, len;
	int	 y;

	for (y = 0; y < s->rows; y++) {
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
		key.kind = MK_KEY;
		key.len = strlen(steps->keys);
		memcpy(key.bytes, steps->keys, key.len);
		monkey_escape(key.bytes, key.len, key.label, sizeof key.label);
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
		{ "\xff", NULL, NULL },
		{ "\r", NULL, "Journal" },	/* the case opens */
		{ "\xe9", NULL, NULL },		/* "é" from a Latin-1 terminal */
		{ "\033", NULL, "oumar (supervisor)" },	/* back to the list */
		{ "/", NULL, NULL },
		{ "S\xc3\xa9g", NULL, "Search: S\xc3\xa9g" },
		{ NULL, NULL, NULL }
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
		{ "/", NULL, NULL },
		{ "S\xc3\xa9", NULL, NULL },
		{ "\xf0\x9f\x98\x80", NULL, "Search: S\xc3\xa9\xf0\x9f\x98\x80" },
		{ "\177", NULL, "Search: S\xc3\xa9" },	/* the emoji, whole */
		{ "\177", NULL, "Search: S" },		/* the é, whole */
		{ NULL, NULL, NULL }
	};
	/* Accepted: the account must first choose its own passphrase. */
	static const struct step	 signin[] = {
		{ "baobab \xf0\x9f\x98\x80 fleuve niger\r", "must first choose",
		    NULL },
		{ NULL, NULL, NULL }
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

void
regress_all(void)
{
	regress_bad_byte();
	regress_four_bytes();
}
