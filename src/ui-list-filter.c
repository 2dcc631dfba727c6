/*
 * ui-list-filter.c: the case list's filters.  They combine: mine and
 * overdue are switched on and off, a state and a region replace the ones
 * before, a dashboard line brings its own; the header names what is on,
 * in the words of forms/ (form_label(), workflow_state_label()).  'O' is
 * the saved view of my overdue cases.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "form.h"
#include "i18n.h"
#include "session.h"
#include "ui-list-int.h"
#include "ui.h"
#include "util.h"
#include "workflow.h"

/* What the filters on show, for the header: "mine, overdue, ...". */
char *
list_filters_text(struct ui *ui, struct list *l)
{
	const struct casefile_filter	*f = &l->filter;
	const struct workflow		*wf;
	char				*out = xstrdup(""), *n, *part;
	const char			*name = ui->ctx.sess->user->name;

#define LIST_PART(...) do {						\
	xasprintf(&part, __VA_ARGS__);					\
	xasprintf(&n, "%s%s%s", out, *out ? ", " : "", part);		\
	free(part);							\
	free(out);							\
	out = n;							\
} while (0)
	/* Each part a heading of its own: "Mine, Overdue, State: ...". */
	if (f->assignee != NULL && strcmp(f->assignee, name) == 0)
		LIST_PART("%s", i18n_context(NC_("filter", "Mine")));
	else if (f->assignee != NULL)
		LIST_PART("%s %s", i18n_context(NC_("filter", "Assigned to")),
		    f->assignee);
	if (f->overdue)
		LIST_PART("%s", i18n_context(NC_("filter", "Overdue")));
	if (f->open)
		LIST_PART("%s", i18n_context(NC_("filter", "Open")));
	/* A list of ids (an agent's cases) is named by its title alone. */
	if (f->state != NULL) {
		wf = workflow_find(ui->ctx.flows, f->workflow != NULL ?
		    f->workflow : "inspection");
		if (wf != NULL && strchr(f->state, ',') == NULL &&
		    workflow_state(wf, f->state) != NULL)
			LIST_PART(_("State: %s"), workflow_state_label(wf,
			    f->state));
		else
			LIST_PART("%s", l->title);
	}
	/* A header field, named and valued as the intake form says. */
	if (f->field != NULL && f->value != NULL)
		LIST_PART(_("%s: %s"), form_label(ui->ctx.forms, "intake",
		    f->field, NULL), form_label(ui->ctx.forms, "intake",
		    f->field, f->value));
#undef LIST_PART
	return (out);
}

/* Drop the state and region or dashboard filters. */
static void
list_filter_clear_codes(struct list *l)
{
	free(l->state);
	free(l->field);
	free(l->value);
	free(l->workflow);
	l->state = l->field = l->value = l->workflow = NULL;
	l->filter.state = l->filter.field = l->filter.value = NULL;
	l->filter.workflow = NULL;
}

/* The states of every workflow, each under its workflow's heading. */
static void
list_filter_state(struct ui *ui, struct list *l)
{
	const struct workflow	*wf;
	const char		**codes, **labels;
	char			**owned;
	size_t			 n = 0, i, j, total = 0;
	int			 k;

	for (j = 0; j < ui->ctx.flows->n; j++)
		total += 1 + ui->ctx.flows->list[j]->nstates;
	codes = xcalloc(total + 2, sizeof *codes);
	labels = xcalloc(total + 2, sizeof *labels);
	owned = xcalloc(total + 2, sizeof *owned);
	/* First, the way back: every state (the other filters stay). */
	codes[n] = "all";
	labels[n++] = _("All states");
	for (j = 0; j < ui->ctx.flows->n; j++) {
		wf = ui->ctx.flows->list[j];
		codes[n] = wf->id;
		labels[n++] = form_lang(wf->title);
		for (i = 0; i < wf->nstates; i++) {
			xasprintf(&owned[n], "%s.%s", wf->id, wf->states[i].id);
			codes[n] = owned[n];
			labels[n++] = workflow_state_label(wf,
			    wf->states[i].id);
		}
	}
	k = ui_pick(ui, _("State"), codes, labels, n, 0, NULL);
	if (k == 0) {
		free(l->state);
		free(l->workflow);
		l->state = l->workflow = NULL;
		l->filter.state = l->filter.workflow = NULL;
	} else if (k > 0 && owned[k] != NULL) {
		free(l->state);
		free(l->workflow);
		l->workflow = xstrndup(owned[k], strcspn(owned[k], "."));
		l->state = xstrdup(strchr(owned[k], '.') + 1);
		l->filter.state = l->state;
		l->filter.workflow = l->workflow;
	}
	for (i = 0; i < n; i++)
		free(owned[i]);
	free(owned);
	free(codes);
	free(labels);
}

static void
list_filter_region(struct ui *ui, struct list *l)
{
	const struct form_list	*fl;
	const char		**codes, **labels;
	size_t			 i;
	int			 k;

	if ((fl = formset_list(ui->ctx.forms, "regions")) == NULL)
		return;
	codes = xcalloc(fl->nitems + 2, sizeof *codes);
	labels = xcalloc(fl->nitems + 2, sizeof *labels);
	/* First, the way back: every region (the other filters stay). */
	codes[0] = "all";
	labels[0] = _("All regions");
	for (i = 0; i < fl->nitems; i++) {
		codes[i + 1] = fl->items[i].code;
		labels[i + 1] = form_lang(fl->items[i].label);
	}
	if ((k = ui_pick(ui, _("Region"), codes, labels, fl->nitems + 1, 0,
	    NULL)) >= 0) {
		free(l->field);
		free(l->value);
		l->field = k == 0 ? NULL : xstrdup("region");
		l->value = k == 0 ? NULL : xstrdup(codes[k]);
		l->filter.field = l->field;
		l->filter.value = l->value;
	}
	free(codes);
	free(labels);
}

/* The saved view: the cases assigned to me that are overdue. */
void
list_my_overdue(struct ui *ui, void *data)
{
	struct list	*l = data;

	list_filter_clear_codes(l);
	l->filter.assignee = ui->ctx.sess->user->name;
	l->filter.overdue = 1;
	list_reload(l);
}

/*
 * Filters combine: mine and overdue are switched on and off, a state and
 * a region replace the ones before; the header lists what is on.
 */
void
list_filter(struct ui *ui, void *data)
{
	struct list	*l = data;
	const char	*codes[] = { "mine", "overdue", "state", "region",
	    "my-overdue", "none" };
	const char	*labels[6];
	const struct workflow *wf;
	char		*mine, *late, *state = NULL, *region = NULL;
	int		 k;

	xasprintf(&mine, "[%s] %s", l->filter.assignee != NULL ? "x" : " ",
	    _("Assigned to me"));
	xasprintf(&late, "[%s] %s", l->filter.overdue ? "x" : " ",
	    _("Overdue"));
	labels[0] = mine;
	labels[1] = late;
	/* The state and the region on now, which a choice replaces. */
	wf = workflow_find(ui->ctx.flows, l->filter.workflow != NULL ?
	    l->filter.workflow : "inspection");
	if (l->filter.state != NULL && wf != NULL &&
	    strchr(l->filter.state, ',') == NULL &&
	    workflow_state(wf, l->filter.state) != NULL)
		xasprintf(&state, _("By state... (now: %s)"),
		    workflow_state_label(wf, l->filter.state));
	if (l->filter.field != NULL && l->filter.value != NULL &&
	    strcmp(l->filter.field, "region") == 0)
		xasprintf(&region, _("By region... (now: %s)"),
		    form_label(ui->ctx.forms, "intake", "region",
		    l->filter.value));
	labels[2] = state != NULL ? state : _("By state...");
	labels[3] = region != NULL ? region : _("By region...");
	labels[4] = _("My overdue cases (saved view)");
	labels[5] = _("No filter: all cases");
	k = ui_pick(ui, _("Filter (they combine)"), codes, labels, 6, 0, NULL);
	free(mine);
	free(late);
	free(state);
	free(region);
	if (k < 0)
		return;
	switch (k) {
	case 0:
		l->filter.assignee = l->filter.assignee == NULL ?
		    ui->ctx.sess->user->name : NULL;
		break;
	case 1:
		l->filter.overdue = !l->filter.overdue;
		break;
	case 2:
		list_filter_state(ui, l);
		break;
	case 3:
		list_filter_region(ui, l);
		break;
	case 4:
		list_my_overdue(ui, l);
		break;
	default:
		list_filter_clear_codes(l);
		l->filter.assignee = NULL;
		l->filter.overdue = 0;
		l->filter.open = 0;
		l->filter.ids = NULL;
		l->filter.nids = 0;
		/* Every case: the title a dashboard line gave goes too. */
		free(l->title);
		l->title = xstrdup(_("Cases"));
		break;
	}
	list_reload(l);
}
