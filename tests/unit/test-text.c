/*
 * test-text.c: terminal-safe text and layout by display width.
 */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text.h"
#include "util.h"

/* fit(s, w): text_fit's result, checked to be w columns or fewer. */
static char *
fit(const char *s, int w, int flags)
{
	char	*out = text_fit(s, w, flags);

	assert_true(text_width(out) <= w);
	if (flags & TEXT_PAD)
		assert_int_equal(text_width(out), w);
	return (out);
}

static void
width__counts__columns_not_bytes(void **state)
{
	(void)state;
	assert_int_equal(text_width("Allégation"), 10);
	assert_int_equal(text_width("Procès-verbal d’audition"), 24);
	/* e and a combining acute accent: one column. */
	assert_int_equal(text_width("e\xcc\x81"), 1);
	/* Two CJK characters: four columns. */
	assert_int_equal(text_width("\xe8\xad\xa6\xe5\xaf\x9f"), 4);
	/* A control character as text_clean() shows it: "^[". */
	assert_int_equal(text_width("\033"), 2);
	/* A byte that is not UTF-8: one U+FFFD. */
	assert_int_equal(text_width("a\xffz"), 3);
	/* Three bytes: "R" and "é". */
	assert_int_equal(text_nwidth("Région", 3), 2);
}

static void
fit__keeps__text_that_fits_and_pads_by_width(void **state)
{
	char	*s;

	(void)state;
	s = fit("Région", 6, 0);
	assert_string_equal(s, "Région");
	free(s);
	s = fit("Région", 9, TEXT_PAD);
	assert_string_equal(s, "Région   ");
	free(s);
	s = fit("e\xcc\x81t\xc3\xa9", 4, TEXT_PAD);
	assert_string_equal(s, "e\xcc\x81t\xc3\xa9 ");
	free(s);
}

static void
fit__cuts__at_a_word_with_an_ellipsis(void **state)
{
	char	*s;

	(void)state;
	s = fit("District de Bamako", 10, 0);
	assert_string_equal(s, "District…");
	free(s);
	s = fit("Transmise pour décision", 18, TEXT_PAD);
	assert_string_equal(s, "Transmise pour…   ");
	free(s);
	/* A comma is a boundary too. */
	s = fit("ibrahim,mariam", 10, 0);
	assert_string_equal(s, "ibrahim,…");
	free(s);
	/* A word that ends exactly at the cut. */
	s = fit("Racket aux postes", 11, 0);
	assert_string_equal(s, "Racket aux…");
	free(s);
}

static void
fit__cuts__a_long_word_inside_when_no_boundary_is_near(void **state)
{
	char	*s;

	(void)state;
	s = fit("Comportement indigne", 8, 0);
	assert_string_equal(s, "Comport…");
	free(s);
	/* A combining accent stays on its letter; never half a character. */
	s = fit("ee\xcc\x81""eeeee", 3, 0);
	assert_string_equal(s, "ee\xcc\x81…");
	free(s);
	/* A wide character that does not fit is left out whole. */
	s = fit("\xe8\xad\xa6\xe5\xaf\x9f\xe5\xb1\x80", 4, TEXT_PAD);
	assert_string_equal(s, "\xe8\xad\xa6… ");
	free(s);
	s = fit("abc", 0, 0);
	assert_string_equal(s, "");
	free(s);
}

static void
wrap__breaks__at_words_and_keeps_french_spacing(void **state)
{
	char	**l;
	size_t	  n, i;

	(void)state;
	n = text_wrap("Consent to be named to the agent concerned", 20, &l);
	assert_int_equal(n, 3);
	assert_string_equal(l[0], "Consent to be named");
	assert_string_equal(l[1], "to the agent");
	assert_string_equal(l[2], "concerned");
	text_lines_free(l, n);
	/* "refusé :" never leaves its colon alone on the next line. */
	n = text_wrap("Le déplacement est refusé : il manque le rapport.", 26,
	    &l);
	for (i = 0; i < n; i++) {
		assert_true(text_width(l[i]) <= 26);
		assert_true(l[i][0] != ':');
	}
	assert_string_equal(l[0], "Le déplacement est");
	assert_string_equal(l[1], "refusé : il manque le");
	text_lines_free(l, n);
	n = text_wrap("voir « Rapport »", 10, &l);
	assert_string_equal(l[0], "voir");
	assert_string_equal(l[1], "« Rapport");
	assert_string_equal(l[2], "»");
	text_lines_free(l, n);
}

static void
wrap__splits__a_word_longer_than_the_line_and_keeps_newlines(void **state)
{
	char	**l;
	size_t	  n;

	(void)state;
	n = text_wrap("abcdefghij\n\nk", 4, &l);
	assert_int_equal(n, 5);
	assert_string_equal(l[0], "abcd");
	assert_string_equal(l[1], "efgh");
	assert_string_equal(l[2], "ij");
	assert_string_equal(l[3], "");
	assert_string_equal(l[4], "k");
	text_lines_free(l, n);
	n = text_wrap("", 10, &l);
	assert_int_equal(n, 1);
	text_lines_free(l, n);
}

static void
columns__share__the_room_by_weight_up_to_each_want(void **state)
{
	struct text_column	 c[3] = {
		{ .min = 15, .want = 15, .weight = 0 },
		{ .min = 6, .want = 30, .weight = 1 },
		{ .min = 6, .want = 12, .weight = 1 },
	};

	(void)state;
	/* Wide enough: every column as wide as its content. */
	assert_int_equal(text_columns(c, 3, 132, 1), 15 + 30 + 12 + 2);
	assert_int_equal(c[1].width, 30);
	/* At 40 columns: 23 left over the minimums, shared. */
	assert_int_equal(text_columns(c, 3, 40, 1), 40);
	assert_int_equal(c[0].width, 15);
	assert_int_equal(c[1].width, 12);
	assert_int_equal(c[2].width, 11);
	/* Too narrow: the minimums still hold. */
	assert_int_equal(text_columns(c, 3, 20, 1), 15 + 6 + 6 + 2);
}

static int
cmp_qsort(const void *a, const void *b)
{
	return (text_cmp(*(const char * const *)a, *(const char * const *)b));
}

static void
cmp__orders__labels_as_a_french_reader_does(void **state)
{
	/* The French labels of a workflow, as the list's state sort had
	 * them in byte order ("Documenté" before "Décidée"). */
	const char	*l[] = { "Transmise pour décision", "Documenté",
	    "Reçue", "Décidée", "En revue", "Clôturée", "en attente",
	    "Classée", "Écartée" };
	const char	*want[] = { "Classée", "Clôturée", "Décidée",
	    "Documenté", "Écartée", "en attente", "En revue", "Reçue",
	    "Transmise pour décision" };
	size_t		 i;

	(void)state;
	qsort(l, sizeof l / sizeof l[0], sizeof l[0], cmp_qsort);
	for (i = 0; i < sizeof l / sizeof l[0]; i++)
		assert_string_equal(l[i], want[i]);
	/* Letters first; case and accents only part what is otherwise
	 * equal, so that two texts are equal only if they are the same. */
	assert_true(text_cmp("Ecartee", "Écartée") < 0);
	assert_true(text_cmp("écartée", "Ecartee") > 0);
	assert_int_equal(text_cmp("Écartée", "Écartée"), 0);
	assert_true(text_cmp("Clos", "Clôturée") < 0);
	assert_true(text_cmp("", "a") < 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(width__counts__columns_not_bytes),
		cmocka_unit_test(fit__keeps__text_that_fits_and_pads_by_width),
		cmocka_unit_test(fit__cuts__at_a_word_with_an_ellipsis),
		cmocka_unit_test(
		    fit__cuts__a_long_word_inside_when_no_boundary_is_near),
		cmocka_unit_test(wrap__breaks__at_words_and_keeps_french_spacing),
		cmocka_unit_test(
		    wrap__splits__a_word_longer_than_the_line_and_keeps_newlines),
		cmocka_unit_test(
		    columns__share__the_room_by_weight_up_to_each_want),
		cmocka_unit_test(cmp__orders__labels_as_a_french_reader_does),
	};

	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		return (77);	/* skipped: no UTF-8 locale */
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
