/*
 * test-form.c: the shipped forms and lists load and check values; bad
 * form files are refused with file, line and reason.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "form.h"
#include "helpers.h"
#include "record.h"
#include "util.h"

static char *
forms_dir(void)
{
	const char	*top = getenv("top_srcdir");
	char		*dir;

	xasprintf(&dir, "%s/forms", top != NULL ? top : ".");
	return (dir);
}

static struct formset *
shipped(void)
{
	struct formset	*set;
	char		*dir = forms_dir(), *cause = NULL;

	if (formset_load(dir, &set, &cause) != 0)
		fail_msg("%s", cause);
	free(dir);
	return (set);
}

static void
form__ships__every_form_with_its_stable_field_ids(void **state)
{
	struct formset	*set = shipped();
	const struct form *fm;
	const struct form_field *f;
	static const char *ids[][2] = {
		{ "intake", "reference" }, { "intake", "received" },
		{ "intake", "channel" }, { "intake", "facts_date" },
		{ "intake", "region" }, { "intake", "force" },
		{ "intake", "summary" }, { "intake", "categories" },
		{ "person", "full_name" }, { "person", "service_number" },
		{ "allegation", "category" }, { "allegation", "finding" },
		{ "witness", "pseudonym" }, { "witness", "full_name" },
		{ "witness", "phone" }, { "witness", "location" },
		{ "hearing", "statement" }, { "evidence", "custody" },
		{ "report", "conclusions" }, { "decision", "outcome" },
		{ "agent", "notice_date" },
	};
	size_t		 i;

	for (i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		fm = formset_form(set, ids[i][0]);
		if (fm == NULL)
			fail_msg("no form %s", ids[i][0]);
		if ((f = form_field(fm, ids[i][1])) == NULL)
			fail_msg("no field %s.%s", ids[i][0], ids[i][1]);
		assert_non_null(f->label[FORM_FR]);
		assert_non_null(f->label[FORM_EN]);
	}
	/* Data classes as design.md section 3 says. */
	fm = formset_form(set, "witness");
	assert_int_equal(form_field(fm, "full_name")->class, FORM_WITNESS);
	assert_int_equal(form_field(fm, "phone")->class, FORM_WITNESS);
	assert_int_equal(form_field(fm, "pseudonym")->class, FORM_CASE);
	fm = formset_form(set, "intake");
	assert_int_equal(form_field(fm, "region")->class, FORM_HEADER);
	assert_int_equal(form_field(fm, "summary")->class, FORM_CASE);
	/* The lists: 20 regions, findings, two-level typology. */
	assert_int_equal(formset_list(set, "regions")->nitems, 20);
	assert_non_null(form_list_item(formset_list(set, "regions"), "mopti"));
	assert_non_null(form_list_item(formset_list(set, "misconduct"),
	    "liberty.disappearance"));
	assert_string_equal(form_list_item(formset_list(set, "findings"),
	    "exonerated")->label[FORM_FR], "Établi mais justifié");
	formset_free(set);
}

static void
form__validates__types_choices_and_required_fields(void **state)
{
	struct formset	*set = shipped();
	const struct form *in = formset_form(set, "intake");
	struct record	*r;
	char		*cause = NULL;

	r = record_create();
	record_set_str(r, "channel", "letter");
	record_set_str(r, "filed_by", "victim");
	record_set_str(r, "facts_date", "2026-02-29");
	record_set_str(r, "region", "mopti");
	record_set_str(r, "force", "gendarmerie");
	record_set_str(r, "summary", "Arrestation à un poste de contrôle.");
	record_set_str(r, "categories", "liberty.arbitrary,probity.extortion");
	assert_int_equal(form_validate(set, in, r, &cause), -1);
	/* 2026 is not leap; the field is named as the form shows it. */
	assert_non_null(strstr(cause, "'Date of the facts'"));
	record_set_str(r, "facts_date", "2026-02-28");
	if (form_validate(set, in, r, &cause) != 0)
		fail_msg("%s", cause);

	record_set_str(r, "region", "paris");
	assert_int_equal(form_validate(set, in, r, &cause), -1);
	assert_non_null(strstr(cause, "no choice 'paris'"));
	record_set_str(r, "region", "mopti,gao");
	assert_int_equal(form_validate(set, in, r, &cause), -1);
	record_set_str(r, "region", "mopti");
	record_set(r, "summary", "a\0b", 3);
	assert_int_equal(form_validate(set, in, r, &cause), -1);
	assert_non_null(strstr(cause, "NUL"));
	record_set(r, "summary", "\xff\xfe", 2);
	assert_int_equal(form_validate(set, in, r, &cause), -1);
	assert_non_null(strstr(cause, "UTF-8"));
	record_unset(r, "summary");
	assert_int_equal(form_validate(set, in, r, &cause), -1);
	assert_non_null(strstr(cause, "required"));
	record_set_str(r, "summary", "ok");
	record_set_str(r, "received", "2026-03-01 25:00");
	assert_int_equal(form_validate(set, in, r, &cause), -1);
	record_set_str(r, "received", "2026-03-01 08:30");
	record_set_str(r, "x.unknown", "kept, not checked");
	assert_int_equal(form_validate(set, in, r, &cause), 0);
	record_free(r);
	free(cause);
	formset_free(set);
}

/* Write text as a form file in tmp and load it; return the cause. */
static char *
load_bad(const char *tmp, const char *lists, const char *text)
{
	struct formset	*set;
	char		*path, *cause = NULL;
	FILE		*f;

	xasprintf(&path, "%s/lists.ini", tmp);
	assert_non_null(f = fopen(path, "w"));
	fputs(lists, f);
	fclose(f);
	free(path);
	xasprintf(&path, "%s/bad.form", tmp);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
	free(path);
	assert_int_equal(formset_load(tmp, &set, &cause), -1);
	assert_null(set);
	assert_non_null(cause);
	return (cause);
}

/* Loading this form (with these lists) fails, saying needle. */
static void
expect_bad(const char *tmp, const char *lists, const char *body,
    const char *needle)
{
	const char	*head = "[form]\nid = t\ntitle.fr = T\ntitle.en = T\n";
	char		*text, *c;

	xasprintf(&text, "%s%s", head, body);
	c = load_bad(tmp, lists, text);
	if (strstr(c, needle) == NULL)
		fail_msg("expected '%s' in: %s", needle, c);
	free(c);
	free(text);
}

static void
form__rejects__malformed_files_naming_file_and_line(void **state)
{
	char		*tmp = helper_tmpdir(), *body, big[400];
	const char	*lists = "[list.yn]\ny = oui | yes\n";

	expect_bad(tmp, lists, "[field.a]\ntype = colour\n",
	    "bad.form:6: unknown field type 'colour'");
	expect_bad(tmp, lists, "[field.a]\ntype = choice\nchoices = nope\n"
	    "label.fr = A\nlabel.en = A\n", "list 'nope'");
	expect_bad(tmp, lists, "[field.a]\nclass = secret\n",
	    "bad.form:6: class must be");
	expect_bad(tmp, lists, "not an ini line\n", "bad.form:5:");
	expect_bad(tmp, lists, "[field.a]\ntype = text\nlabel.fr = A\n",
	    "label.en");
	expect_bad(tmp, lists, "[field.a]\ntype = text\ntype = date\n",
	    "given twice");
	expect_bad(tmp, "[list.yn]\ny = oui sans anglais\n", "",
	    "lists.ini:2:");

	/* A witness's name declared 'header' would be written in clear. */
	{
		char	*c = load_bad(tmp, lists, "[form]\nid = witness\n"
		    "title.fr = T\ntitle.en = T\n[field.full_name]\n"
		    "type = text\nclass = header\nlabel.fr = N\n"
		    "label.en = N\n");

		assert_non_null(strstr(c, "witness's identity"));
		free(c);
	}

	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	xasprintf(&body, "[field.a]\nlabel.fr = %s\n", big);
	expect_bad(tmp, lists, body, "bad.form:6: line longer");
	free(body);
	helper_rmrf(tmp);
	free(tmp);
}

static void
form__parses__dates_exactly(void **state)
{
	long	 d;

	assert_int_equal(form_parse_date("1970-01-01", &d), 0);
	assert_int_equal(d, 0);
	assert_int_equal(form_parse_date("2024-02-29", &d), 0);
	assert_int_equal(d, 19782);
	assert_int_equal(form_parse_date("2100-02-29", &d), -1);
	assert_int_equal(form_parse_date("2026-13-01", &d), -1);
	assert_int_equal(form_parse_date("2026-1-01", &d), -1);
	assert_int_equal(form_parse_date("2026-01-01x", &d), -1);
}

static void
form__takes__dates_and_times_as_people_write_them(void **state)
{
	struct formset		*set = shipped();
	const struct form	*in = formset_form(set, "intake");
	const struct form	*hr = formset_form(set, "hearing");
	const struct form_field	*date, *when, *time = NULL;
	char			*out, *cause = NULL;
	size_t			 i;

	date = form_field(in, "facts_date");
	when = form_field(in, "received");
	for (i = 0; i < hr->nfields; i++)
		if (hr->fields[i].type == FORM_TIME)
			time = &hr->fields[i];
	assert_non_null(time);
	assert_int_equal(form_value_input(set, date, "28/11/2026", &out,
	    &cause), 0);
	assert_string_equal(out, "2026-11-28");
	free(out);
	assert_int_equal(form_value_input(set, date, " 1.2.2026 ", &out,
	    &cause), 0);
	assert_string_equal(out, "2026-02-01");
	free(out);
	assert_int_equal(form_value_input(set, date, "2026-11-28", &out,
	    &cause), 0);
	assert_string_equal(out, "2026-11-28");
	free(out);
	/* Refused: the sentence keeps what was typed, names the label. */
	assert_int_equal(form_value_input(set, date, "30/02/2026", &out,
	    &cause), -1);
	assert_null(out);
	assert_non_null(strstr(cause, "'30/02/2026'"));
	assert_non_null(strstr(cause, "'Date of the facts'"));
	assert_null(strstr(cause, "facts_date"));
	assert_int_equal(form_value_input(set, time, "9h30", &out, &cause), 0);
	assert_string_equal(out, "09:30");
	free(out);
	assert_int_equal(form_value_input(set, time, "14 h", &out, &cause), 0);
	assert_string_equal(out, "14:00");
	free(out);
	assert_int_equal(form_value_input(set, time, "9 h 5", &out, &cause),
	    -1);
	assert_int_equal(form_value_input(set, time, "25h00", &out, &cause),
	    -1);
	assert_int_equal(form_value_input(set, when, "28/11/2026 à 9h30", &out,
	    &cause), 0);
	assert_string_equal(out, "2026-11-28 09:30");
	free(out);
	/* Shown back as stored in English. */
	out = form_value_show(FORM_DATETIME, "2026-11-28 09:30");
	assert_string_equal(out, "2026-11-28 09:30");
	free(out);
	out = form_value_show(FORM_TEXT, "28/11");
	assert_string_equal(out, "28/11");
	free(out);
	free(cause);
	formset_free(set);
}

/*
 * Labels come from the files, in the user's language; an id the files
 * do not have is shown as it is, never as another's word.
 */
static void
form_label__reads__the_vocabulary_from_the_files_in_the_users_language(
    void **state)
{
	struct formset	*set = shipped();

	(void)state;
	setenv("LANGUAGE", "en", 1);
	assert_string_equal(form_label(set, "allegation", "finding", NULL),
	    "Finding");
	assert_string_equal(form_label(set, "allegation", "finding",
	    "sustained"), "Sustained");
	assert_string_equal(form_label(set, "person", "role", "agent"),
	    "Agent concerned");
	assert_string_equal(form_list_label(set, "findings", "pending"),
	    "Pending");
	assert_string_equal(form_title(set, "allegation"), "Allegation");
	setenv("LANGUAGE", "fr", 1);
	assert_string_equal(form_label(set, "allegation", "finding", NULL),
	    "Conclusion");
	assert_string_equal(form_label(set, "allegation", "finding",
	    "sustained"), "Établi");
	assert_string_equal(form_label(set, "person", "role", "agent"),
	    "Agent mis en cause");
	assert_string_equal(form_title(set, "allegation"), "Allégation");
	/* Unknown ids and codes are shown as they are. */
	assert_string_equal(form_label(set, "allegation", "finding",
	    "renamed_code"), "renamed_code");
	assert_string_equal(form_label(set, "allegation", "no_such_field",
	    NULL), "no_such_field");
	assert_string_equal(form_label(set, "no_such_form", "finding",
	    "sustained"), "sustained");
	assert_string_equal(form_list_label(set, "no_such_list", "x"), "x");
	assert_string_equal(form_title(set, "no_such_form"), "no_such_form");
	/* A field without a list: its value is no code to look up. */
	assert_string_equal(form_label(set, "person", "full_name", "agent"),
	    "agent");
	unsetenv("LANGUAGE");
	formset_free(set);
}

/* One language missing: the other is shown, never nothing. */
static void
form_lang__falls_back__to_the_other_language(void **state)
{
	char	 fr[] = "Établi", en[] = "Sustained";
	char	*both[FORM_NLANG] = { fr, en };
	char	*fr_only[FORM_NLANG] = { fr, NULL };
	char	*none[FORM_NLANG] = { NULL, NULL };

	(void)state;
	setenv("LANGUAGE", "en", 1);
	assert_string_equal(form_lang(both), "Sustained");
	assert_string_equal(form_lang(fr_only), "Établi");
	assert_string_equal(form_lang(none), "");
	setenv("LANGUAGE", "fr", 1);
	assert_string_equal(form_lang(both), "Établi");
	unsetenv("LANGUAGE");
}

/* A case's records for form_check_links(): number i+1 is recs[i]. */
struct links_case {
	const char	*kinds[4];
	struct record	*recs[4];
};

static int
links_lookup(void *arg, uint64_t rid, const char **kind,
    const struct record **fields)
{
	struct links_case	*c = arg;

	if (rid < 1 || rid > 4)
		return (-1);
	*kind = c->kinds[rid - 1];
	*fields = c->recs[rid - 1];
	return (0);
}

/*
 * The forms say what a link may name: an allegation's or a notice's agent
 * is a person whose role is agent; a hearing hears a person or a witness.
 */
static void
form_link__names__only_what_the_form_allows(void **state)
{
	struct formset		*set = shipped();
	const struct form	*al = formset_form(set, "allegation");
	const struct form	*he = formset_form(set, "hearing");
	const struct form_field	*agent = form_field(al, "agent");
	const struct form_field	*heard = form_field(he, "heard");
	struct links_case	 c;
	struct record		*r;
	char			*cause = NULL;
	size_t			 i;

	(void)state;
	setenv("LANGUAGE", "en", 1);
	c.kinds[0] = "person";
	c.recs[0] = record_create();
	record_set_str(c.recs[0], "role", "complainant");
	c.kinds[1] = "person";
	c.recs[1] = record_create();
	record_set_str(c.recs[1], "role", "agent");
	c.kinds[2] = "witness";
	c.recs[2] = record_create();
	c.kinds[3] = "evidence";
	c.recs[3] = record_create();

	assert_true(form_link_allows(agent, "person", c.recs[1]));
	assert_false(form_link_allows(agent, "person", c.recs[0]));
	assert_false(form_link_allows(agent, "witness", c.recs[2]));
	assert_true(form_link_allows(heard, "person", c.recs[0]));
	assert_true(form_link_allows(heard, "witness", c.recs[2]));
	assert_false(form_link_allows(heard, "evidence", c.recs[3]));
	assert_true(form_link_allows(form_field(formset_form(set, "agent"),
	    "person"), "person", c.recs[1]));
	assert_false(form_link_allows(form_field(formset_form(set, "agent"),
	    "person"), "person", c.recs[0]));
	/* No field is a link but a person field. */
	assert_false(form_link_allows(form_field(al, "category"), "person",
	    c.recs[1]));

	r = record_create();
	record_set_str(r, "agent", "2");
	assert_int_equal(form_check_links(set, al, r, links_lookup, &c,
	    &cause), 0);
	record_set_str(r, "agent", "1");
	assert_int_equal(form_check_links(set, al, r, links_lookup, &c,
	    &cause), -1);
	assert_string_equal(cause, "“Agent” names a record of the case by its "
	    "number: a record “Person” whose “Role” is “Agent concerned”; '1' "
	    "is not one.");
	free(cause);
	cause = NULL;
	record_set_str(r, "agent", "9");
	assert_int_equal(form_check_links(set, al, r, links_lookup, &c,
	    &cause), -1);
	free(cause);
	cause = NULL;
	record_set_str(r, "agent", "Sgt Traoré");
	assert_int_equal(form_check_links(set, al, r, links_lookup, &c,
	    &cause), -1);
	assert_non_null(strstr(cause, "'Sgt Traoré' is not one"));
	free(cause);
	cause = NULL;
	/* An edit that leaves the link alone checks nothing. */
	record_free(r);
	r = record_create();
	record_set_str(r, "finding", "sustained");
	assert_int_equal(form_check_links(set, al, r, links_lookup, &c,
	    &cause), 0);
	record_free(r);
	r = record_create();
	record_set_str(r, "heard", "3");
	assert_int_equal(form_check_links(set, he, r, links_lookup, &c,
	    &cause), 0);
	record_set_str(r, "heard", "4");
	assert_int_equal(form_check_links(set, he, r, links_lookup, &c,
	    &cause), -1);
	assert_non_null(strstr(cause, "a record “Person” or “Witness”"));
	free(cause);
	cause = NULL;
	/* The forms' words in French (the sentence is gettext's). */
	setenv("LANGUAGE", "fr", 1);
	record_set_str(r, "heard", "4");
	assert_int_equal(form_check_links(set, he, r, links_lookup, &c,
	    &cause), -1);
	assert_non_null(strstr(cause, "Personne entendue"));
	assert_non_null(strstr(cause, "Personne"));
	assert_non_null(strstr(cause, "Témoin"));
	free(cause);
	unsetenv("LANGUAGE");
	record_free(r);
	for (i = 0; i < 4; i++)
		record_free(c.recs[i]);
	formset_free(set);
}

/* A link's condition must make sense in the files it names. */
static void
form_link__refuses__conditions_the_files_cannot_meet(void **state)
{
	char		*tmp = helper_tmpdir();
	const char	*lists = "[list.roles]\nagent = Agent | Agent\n";
	const char	*person = "[field.p]\ntype = person\nlabel.fr = P\n"
	    "label.en = P\n";
	char		*body;

	(void)state;
	xasprintf(&body, "%slink = nowhere\n", person);
	expect_bad(tmp, lists, body, "links to the form 'nowhere'");
	free(body);
	xasprintf(&body, "%slink = t\nlink.role = agent\n", person);
	expect_bad(tmp, lists, body, "'link.role' must name a choice field");
	free(body);
	xasprintf(&body, "%slink = t\nlink.r = chief\n[field.r]\n"
	    "type = choice\nchoices = roles\nlabel.fr = R\nlabel.en = R\n",
	    person);
	expect_bad(tmp, lists, body, "'chief' is not in the list 'roles'");
	free(body);
	expect_bad(tmp, lists, "[field.a]\ntype = text\nlabel.fr = A\n"
	    "label.en = A\nlink = t\n", "is no link");
	helper_rmrf(tmp);
	free(tmp);
}

/*
 * A date never after (or before) another: the shipped intake's facts
 * come before the complaint, a hearing ends after it starts; a form
 * naming no such field is refused when the files are read.
 */
static void
form_order__refuses__dates_and_times_out_of_order(void **state)
{
	struct formset		*set = shipped();
	const struct form	*in = formset_form(set, "intake");
	const struct form	*he = formset_form(set, "hearing");
	struct record		*r = record_create();
	char			*cause = NULL, *tmp = helper_tmpdir();
	const char		*d = "[field.d]\ntype = date\nlabel.fr = D\n"
	    "label.en = D\n";
	char			*body;

	(void)state;
	setenv("LANGUAGE", "en", 1);
	record_set_str(r, "received", "2026-11-20 09:30");
	record_set_str(r, "facts_date", "2026-11-21");
	assert_int_equal(form_check_dates(in, r, &cause), -1);
	assert_string_equal(cause, "'Date of the facts' (2026-11-21) cannot "
	    "be after 'Received' (2026-11-20 09:30).");
	free(cause);
	cause = NULL;
	/* The same day is not after it. */
	record_set_str(r, "facts_date", "2026-11-20");
	assert_int_equal(form_check_dates(in, r, &cause), 0);
	record_free(r);
	r = record_create();
	record_set_str(r, "start", "09:30");
	record_set_str(r, "end", "08:00");
	assert_int_equal(form_check_dates(he, r, &cause), -1);
	assert_string_equal(cause, "'End' (08:00) cannot be before 'Start' "
	    "(09:30).");
	free(cause);
	cause = NULL;
	record_set_str(r, "end", "11:00");
	assert_int_equal(form_check_dates(he, r, &cause), 0);
	/* One of the two unset: nothing to compare. */
	record_free(r);
	r = record_create();
	record_set_str(r, "end", "08:00");
	assert_int_equal(form_check_dates(he, r, &cause), 0);
	record_free(r);
	unsetenv("LANGUAGE");
	formset_free(set);
	/* In the files: another date field of the form, never a text. */
	xasprintf(&body, "%snot_after = nowhere\n", d);
	expect_bad(tmp, "", body, "'not_before' and 'not_after' name another "
	    "date field");
	free(body);
	xasprintf(&body, "%snot_after = t\n[field.t]\ntype = text\n"
	    "label.fr = T\nlabel.en = T\n", d);
	expect_bad(tmp, "", body, "not 't'");
	free(body);
	helper_rmrf(tmp);
	free(tmp);
}

/* A value as the case view would show it: a choice by its label. */
static char *
summary_show(void *arg, const struct form_field *f, const char *v)
{
	const struct formset	*set = arg;

	return (xstrdup(f->list != NULL ? form_list_label(set, f->list, v) :
	    v));
}

static char *
summary_of(const struct formset *set, const char *form, int hidden, ...)
{
	struct record	*r = record_create();
	const char	*k, *v;
	char		*s;
	va_list		 ap;

	va_start(ap, hidden);
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		record_set_str(r, k, v);
	}
	va_end(ap);
	s = form_summary(formset_form(set, form), r, hidden, summary_show,
	    (void *)set);
	record_free(r);
	return (s);
}

/* The shipped forms say what a record is in their own words. */
static void
form_summary__writes__a_records_line_as_its_form_says(void **state)
{
	struct formset	*set = shipped();
	char		*s;

	(void)state;
	setenv("LANGUAGE", "en", 1);
	s = summary_of(set, "person", 0, "role", "agent", "full_name",
	    "Sidi Touré", "service_number", "MA-0001", NULL);
	assert_string_equal(s, "Agent concerned - Sidi Touré MA-0001");
	free(s);
	/* An optional part without its value is left out, spaces too. */
	s = summary_of(set, "person", 0, "role", "complainant", "full_name",
	    "Awa Sangaré", NULL);
	assert_string_equal(s, "Complainant - Awa Sangaré");
	free(s);
	/* An empty finding reads as pending, as the line says. */
	s = summary_of(set, "allegation", 0, "agent", "2", "category",
	    "probity.extortion", NULL);
	assert_string_equal(s, "2 - Pending - Extortion at checkpoints");
	free(s);
	setenv("LANGUAGE", "fr", 1);
	s = summary_of(set, "allegation", 0, "agent", "2", "category",
	    "probity.extortion", "finding", "sustained", NULL);
	assert_string_equal(s, "2 - Établi - Racket aux postes de contrôle");
	free(s);
	unsetenv("LANGUAGE");
	formset_free(set);
}

/* Without the witness's key, no identity field, whatever the line says. */
static void
form_summary__never_shows__a_witness_identity_without_the_key(void **state)
{
	struct formset	*set = shipped();
	char		*s;

	(void)state;
	setenv("LANGUAGE", "en", 1);
	s = summary_of(set, "witness", 0, "pseudonym", "Témoin A",
	    "full_name", "Hawa Coulibaly", "role", "direct", NULL);
	assert_non_null(strstr(s, "Témoin A - Hawa Coulibaly"));
	free(s);
	s = summary_of(set, "witness", 1, "pseudonym", "Témoin A",
	    "full_name", "Hawa Coulibaly", "phone", "76 00 00 00", "role",
	    "direct", NULL);
	assert_null(strstr(s, "Hawa"));
	assert_non_null(strstr(s, "Témoin A  ("));
	free(s);
	unsetenv("LANGUAGE");
	formset_free(set);
}

/* A form of one's own, with a summary line, without, and bad ones. */
static void
form_summary__checks__the_line_and_falls_back_without_one(void **state)
{
	char		*tmp = helper_tmpdir(), *path, *cause = NULL, *s;
	const char	*lists = "[list.yn]\ny = oui | yes\n";
	const char	*fields = "[field.a]\ntype = text\nlabel.fr = A\n"
	    "label.en = A\n[field.b]\ntype = text\nlabel.fr = B\n"
	    "label.en = B\n";
	static const struct {
		const char	*line, *says;
	} bad[] = {
		{ "{a} ({nope})", "'nope', which is not a field" },
		{ "[{a} [{b}]]", "do not nest" },
		{ "{a} ]", "']' with no '['" },
		{ "[{a}", "'[' with no ']'" },
		{ "{a", "'{' with no '}'" },
		{ "a}", "'}' with no '{'" },
		{ "{a|}", "gives no value" },
	};
	struct formset	*set;
	FILE		*f;
	char		*body;
	size_t		 i;

	(void)state;
	xasprintf(&path, "%s/lists.ini", tmp);
	assert_non_null(f = fopen(path, "w"));
	fputs(lists, f);
	fclose(f);
	free(path);
	xasprintf(&path, "%s/t.form", tmp);
	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "[form]\nid = t\ntitle.fr = T\ntitle.en = T\n%s", fields);
	fclose(f);
	if (formset_load(tmp, &set, &cause) != 0)
		fail_msg("%s", cause);
	/* No summary line: the first field with a value. */
	s = summary_of(set, "t", 0, "b", "second", NULL);
	assert_string_equal(s, "second");
	free(s);
	s = summary_of(set, "t", 0, NULL);
	assert_null(s);
	formset_free(set);
	unlink(path);
	free(path);

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		xasprintf(&body, "summary = %s\n%s", bad[i].line, fields);
		expect_bad(tmp, lists, body, bad[i].says);
		free(body);
	}
	helper_rmrf(tmp);
	free(tmp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    form__ships__every_form_with_its_stable_field_ids),
		cmocka_unit_test(
		    form__validates__types_choices_and_required_fields),
		cmocka_unit_test(
		    form__rejects__malformed_files_naming_file_and_line),
		cmocka_unit_test(form__parses__dates_exactly),
		cmocka_unit_test(
		    form__takes__dates_and_times_as_people_write_them),
		cmocka_unit_test(
		    form_label__reads__the_vocabulary_from_the_files_in_the_users_language),
		cmocka_unit_test(form_lang__falls_back__to_the_other_language),
		cmocka_unit_test(form_link__names__only_what_the_form_allows),
		cmocka_unit_test(
		    form_link__refuses__conditions_the_files_cannot_meet),
		cmocka_unit_test(
		    form_order__refuses__dates_and_times_out_of_order),
		cmocka_unit_test(
		    form_summary__writes__a_records_line_as_its_form_says),
		cmocka_unit_test(
		    form_summary__never_shows__a_witness_identity_without_the_key),
		cmocka_unit_test(
		    form_summary__checks__the_line_and_falls_back_without_one),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
