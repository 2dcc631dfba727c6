/*
 * keys.c: what the monkey types.
 *
 * Most steps are keys the key map binds on some screen (read from the
 * shipped keys/default.keys, so a new binding is exercised the day it is
 * added), then Enter, Esc, arrows, F2, Tab, digits and dates, French text
 * with accents, other characters (wide, combining, right-to-left), control
 * keys, and now and then a long paste full of control characters, escape
 * sequences and invalid UTF-8, a resize (to sizes far too small and far
 * too big), or the terminal going away.  The bytes are those of xterm with
 * the keypad in application mode, as curses sets it.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monkey.h"

struct named {
	const char	*name;
	const char	*bytes;
};

static const struct named named_keys[] = {
	{ "Up", "\033OA" }, { "Down", "\033OB" }, { "Right", "\033OC" },
	{ "Left", "\033OD" }, { "Home", "\033OH" }, { "End", "\033OF" },
	{ "PgUp", "\033[5~" }, { "PgDn", "\033[6~" }, { "Delete", "\033[3~" },
	{ "Backspace", "\177" }, { "Enter", "\r" }, { "Esc", "\033" },
	{ "Tab", "\t" }, { "BTab", "\033[Z" }, { "Space", " " },
	{ "F1", "\033OP" }, { "F2", "\033OQ" }, { "F3", "\033OR" },
	{ "F4", "\033OS" }, { "F5", "\033[15~" }, { "F6", "\033[17~" },
	{ "F7", "\033[18~" }, { "F8", "\033[19~" }, { "F9", "\033[20~" },
	{ "F10", "\033[21~" }, { "F11", "\033[23~" }, { "F12", "\033[24~" },
	/* Not in the key map, but on keyboards. */
	{ "Insert", "\033[2~" }, { "Up(CSI)", "\033[A" },
	{ "Down(CSI)", "\033[B" }, { "Home(CSI)", "\033[1~" },
	{ "M-x", "\033x" }, { "M-Enter", "\033\r" }, { "C-Up", "\033[1;5A" },
	{ "S-F2", "\033[1;2Q" },
};
#define NNAMED	(sizeof named_keys / sizeof named_keys[0])

static const char *words[] = {
	"plainte", "témoin", "gendarmerie", "Ségou", "Tombouctou", "Kidal",
	"garde à vue", "procès-verbal", "enquête", "déposée", "Mopti", "Kayes",
	"Bamako", "délai", "agent", "réquisition", "abus d'autorité",
	"l'inspecteur général", "Fatoumata Traoré", "Moussa Keïta", "Aïssata",
	"œuvre", "ça", "coût", "à", "où", "Noël", "naïve", "façade", "élève",
	"côté", "pâte", "Ibrahim", "Ménaka", "Gao", "Koulikoro", "Sikasso",
	"brigade", "commissariat", "violences", "extorsion", "« citation »",
	"n° 12", "l'été", "ÉTAT", "Œdipe", "garçon", "Niéna", "forêt",
	"complaint", "witness", "hearing", "evidence", "yes", "no", "oui",
	"non", "ISSPC-2026-0001", "ISSPC-2026", "isspc", "en_instruction",
	"2026-11-20", "2026-02-30", "1999-12-31", "10:30", "25:61",
	"2026-11-20 09:30", "0", "-1", "42", "99999999999999999999", "x",
};
#define NWORDS	(sizeof words / sizeof words[0])

/* Characters beyond Latin-1: wide, combining, joiners, bidi, emoji. */
static const char *odd_chars[] = {
	"漢", "字", "한", "ｗ", "😀", "👨‍👩‍👧", "e\xcc\x81", "\xcc\x81",
	"\xe2\x80\x8b", "\xe2\x80\xae", "\xe2\x80\x8f", "ا", "ש", "ß", "ı",
	"\xef\xbb\xbf", "\xc2\xa0", "\xe2\x80\xa8", "\xf4\x8f\xbf\xbf", "€",
};
#define NODD	(sizeof odd_chars / sizeof odd_chars[0])

/* Pieces of a paste: what a terminal should never be sent raw. */
static const char *paste_bits[] = {
	"\033[2J", "\033[31m", "\033]0;titre\007", "\033[?1049l", "\033P1q\033\\",
	"\033c", "\033[6n", "\033]52;c;cGF5bG9hZA==\007", "\xc2\x9b" "2J",
	"\xc2\x85", "\xff", "\xfe", "\xc3", "\xe2\x82", "\xc0\xaf",
	"\xed\xa0\x80", "\xf8\x88\x80\x80\x80", "\r", "\n", "\r\n", "\t",
	"\b", "\a", "\x01", "\x7f", "\x1b", "\x00", "\x0e", "\x1f",
};
#define NBITS	(sizeof paste_bits / sizeof paste_bits[0])

static char	**map_keys;	/* byte sequences of the bound keys */
static char	**map_names;
static size_t	  map_n;

uint64_t
monkey_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return (x ^ (x >> 31));
}

uint64_t
monkey_rand(struct monkey_rng *r)
{
	r->s += 0x9e3779b97f4a7c15ULL;
	return (monkey_mix(r->s));
}

uint32_t
monkey_below(struct monkey_rng *r, uint32_t n)
{
	return (n == 0 ? 0 : (uint32_t)(monkey_rand(r) % n));
}

/* A key name of default.keys as bytes; 0 when unknown. */
static int
key_bytes(const char *name, char *buf, size_t len)
{
	size_t	 i;

	for (i = 0; i < NNAMED; i++)
		if (strcmp(name, named_keys[i].name) == 0) {
			snprintf(buf, len, "%s", named_keys[i].bytes);
			return (1);
		}
	if (name[0] == 'C' && name[1] == '-' && name[2] != '\0' &&
	    name[3] == '\0') {
		snprintf(buf, len, "%c", tolower((unsigned char)name[2]) & 0x1f);
		return (1);
	}
	if (strlen(name) <= 4 && ((unsigned char)name[0] >= 0x80 ||
	    name[1] == '\0')) {
		snprintf(buf, len, "%s", name);
		return (1);
	}
	return (0);
}

int
monkey_keys_load(const char *path)
{
	FILE	*f;
	char	 line[512], *eq, *k, *e, bytes[16];
	size_t	 i;

	if ((f = fopen(path, "r")) == NULL)
		return (-1);
	while (fgets(line, sizeof line, f) != NULL) {
		for (k = line; *k == ' ' || *k == '\t'; k++)
			;
		if (*k == '#' || *k == '[' || (eq = strchr(k, '=')) == NULL)
			continue;
		/* "= = x" would bind '='; the key map has none. */
		for (e = eq; e > k && (e[-1] == ' ' || e[-1] == '\t'); e--)
			;
		*e = '\0';
		if (!key_bytes(k, bytes, sizeof bytes))
			continue;
		for (i = 0; i < map_n; i++)
			if (strcmp(map_keys[i], bytes) == 0)
				break;
		if (i < map_n)
			continue;
		map_keys = realloc(map_keys, (map_n + 1) * sizeof *map_keys);
		map_names = realloc(map_names, (map_n + 1) * sizeof *map_names);
		if (map_keys == NULL || map_names == NULL)
			abort();
		map_keys[map_n] = strdup(bytes);
		map_names[map_n] = strdup(k);
		map_n++;
	}
	fclose(f);
	return (map_n > 0 ? 0 : -1);
}

void
monkey_keys_free(void)
{
	size_t	 i;

	for (i = 0; i < map_n; i++) {
		free(map_keys[i]);
		free(map_names[i]);
	}
	free(map_keys);
	free(map_names);
	map_keys = map_names = NULL;
	map_n = 0;
}

size_t
monkey_keys_count(void)
{
	return (map_n);
}

void
monkey_escape(const char *s, size_t len, char *buf, size_t size)
{
	size_t	 i, used = 0;
	int	 n;

	if (size == 0)
		return;
	buf[0] = '\0';
	for (i = 0; i < len && used + 5 < size; i++) {
		unsigned char	 c = (unsigned char)s[i];

		if (c == 033)
			n = snprintf(buf + used, size - used, "\\e");
		else if (c == '\r')
			n = snprintf(buf + used, size - used, "\\r");
		else if (c < 0x20 || c == 0x7f || c == '\\')
			n = snprintf(buf + used, size - used, "\\x%02x", c);
		else {
			buf[used] = (char)c;
			buf[used + 1] = '\0';
			n = 1;
		}
		used += (size_t)n;
	}
	if (i < len && used + 4 < size)
		snprintf(buf + used, size - used, "...");
}

static void
key_set(struct monkey_key *k, enum monkey_kind kind, const char *bytes,
    size_t len, const char *label)
{
	k->kind = kind;
	memcpy(k->bytes, bytes, len);
	k->bytes[len] = '\0';
	k->len = len;
	if (label != NULL)
		snprintf(k->label, sizeof k->label, "%s", label);
	else {
		snprintf(k->label, sizeof k->label, "'");
		monkey_escape(bytes, len, k->label + 1, sizeof k->label - 2);
		strncat(k->label, "'", sizeof k->label - strlen(k->label) - 1);
	}
}

static void
key_named(struct monkey_key *k, const char *name)
{
	size_t	 i;

	for (i = 0; i < NNAMED; i++)
		if (strcmp(name, named_keys[i].name) == 0)
			key_set(k, MK_KEY, named_keys[i].bytes,
			    strlen(named_keys[i].bytes), name);
}

static void
paste_add(struct monkey_key *k, const char *s, size_t n)
{
	if (k->len + n >= sizeof k->bytes)
		n = sizeof k->bytes - k->len - 1;
	memcpy(k->bytes + k->len, s, n);
	k->len += n;
	k->bytes[k->len] = '\0';
}

/* A paste of 20 to 3,000 bytes: text with everything a paste can hold. */
static void
key_paste(struct monkey_rng *r, struct monkey_key *k)
{
	size_t		 want = 20 + monkey_below(r, monkey_below(r, 2) ?
			     300 : 2980);
	const char	*s;
	char		 c;

	k->kind = MK_PASTE;
	k->len = 0;
	while (k->len < want) {
		switch (monkey_below(r, 10)) {
		case 0:
		case 1:
			s = paste_bits[monkey_below(r, NBITS)];
			/* "\x00" is one NUL byte, not an empty string. */
			paste_add(k, s, *s == '\0' ? 1 : strlen(s));
			break;
		case 2:
			s = odd_chars[monkey_below(r, NODD)];
			paste_add(k, s, strlen(s));
			break;
		case 3:
			c = (char)(0x20 + monkey_below(r, 0x5f));
			paste_add(k, &c, 1);
			break;
		default:
			s = words[monkey_below(r, NWORDS)];
			paste_add(k, s, strlen(s));
			paste_add(k, " ", 1);
			break;
		}
	}
	snprintf(k->label, sizeof k->label, "paste of %zu bytes", k->len);
}

static void
key_resize(struct monkey_rng *r, struct monkey_key *k)
{
	static const int sizes[][2] = { { 20, 5 }, { 1, 1 }, { 79, 24 },
	    { 80, 23 }, { 80, 24 }, { 81, 25 }, { 100, 30 }, { 132, 43 },
	    { 200, 60 }, { 300, 100 }, { 40, 12 } };
	uint32_t	 i = monkey_below(r, 14);

	k->kind = MK_RESIZE;
	k->len = 0;
	if (i < sizeof sizes / sizeof sizes[0]) {
		k->cols = sizes[i][0];
		k->rows = sizes[i][1];
	} else {
		k->cols = 1 + (int)monkey_below(r, 250);
		k->rows = 1 + (int)monkey_below(r, 80);
	}
	snprintf(k->label, sizeof k->label, "resize %dx%d", k->cols, k->rows);
}

/*
 * The weights, out of 1000.  q and Esc leave the list (and the program),
 * so they are not given more than their share of the key map.
 */
void
monkey_next(struct monkey_rng *r, int resizes, struct monkey_key *k)
{
	static const char *arrows[] = { "Up", "Down", "Left", "Right" };
	char		 buf[64];
	const char	*s;
	uint32_t	 w = monkey_below(r, 1000), i;

	memset(k->label, 0, sizeof k->label);
	if (w < 400) {				/* a key of the key map */
		i = monkey_below(r, (uint32_t)map_n);
		key_set(k, MK_KEY, map_keys[i], strlen(map_keys[i]),
		    map_names[i]);
	} else if (w < 480)
		key_named(k, "Enter");
	else if (w < 560)
		key_named(k, arrows[monkey_below(r, 4)]);
	else if (w < 580)
		key_named(k, monkey_below(r, 2) ? "Tab" : "BTab");
	else if (w < 600)
		key_named(k, "F2");
	else if (w < 615)
		key_named(k, "Esc");
	else if (w < 655) {			/* digits */
		snprintf(buf, sizeof buf, "%u", monkey_below(r, 10));
		key_set(k, MK_KEY, buf, 1, NULL);
	} else if (w < 775) {			/* words, mostly French */
		s = words[monkey_below(r, NWORDS)];
		key_set(k, MK_TEXT, s, strlen(s), NULL);
	} else if (w < 835) {			/* one printable character */
		buf[0] = (char)(0x20 + monkey_below(r, 0x5f));
		key_set(k, MK_KEY, buf, 1, NULL);
	} else if (w < 860) {
		s = odd_chars[monkey_below(r, NODD)];
		key_set(k, MK_TEXT, s, strlen(s), NULL);
	} else if (w < 900) {			/* control keys, raw */
		i = monkey_below(r, 34);
		buf[0] = i < 32 ? (char)i : i == 32 ? 0x7f : '\b';
		key_set(k, MK_KEY, buf, 1, NULL);
	} else if (w < 930)			/* any named key */
		key_named(k, named_keys[monkey_below(r, NNAMED)].name);
	else if (w < 936)
		key_paste(r, k);
	else if (w < 956 && resizes)
		key_resize(r, k);
	else if (w == 999 && monkey_below(r, 3) == 0) {
		k->kind = MK_HANGUP;
		k->len = 0;
		snprintf(k->label, sizeof k->label, "hang up");
	} else {				/* the key map again */
		i = monkey_below(r, (uint32_t)map_n);
		key_set(k, MK_KEY, map_keys[i], strlen(map_keys[i]),
		    map_names[i]);
	}
}
