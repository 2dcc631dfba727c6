/*
 * audit-words.c: an audit entry's detail in the user's words where it
 * names what forms/ name: a move's states by their labels, a record by
 * its form's title.  The log keeps the codes it was signed with; every
 * other detail goes to audit_detail_words(), and anything the files no
 * longer know stays as written.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "form.h"
#include "i18n.h"
#include "util.h"
#include "workflow.h"

/* The workflow that has both states (a move stays in its workflow). */
static const struct workflow *
audit_words_flow(const struct workflow_set *flows, const char *from,
    const char *to)
{
	size_t	 i;

	for (i = 0; flows != NULL && i < flows->n; i++)
		if (workflow_state(flows->list[i], from) != NULL &&
		    workflow_state(flows->list[i], to) != NULL)
			return (flows->list[i]);
	return (NULL);
}

char *
audit_detail_labels(const struct formset *forms,
    const struct workflow_set *flows, const char *action, const char *caseref,
    const char *detail)
{
	const struct workflow	*wf;
	char			 a[64], b[64], *out = NULL;
	unsigned long long	 rid, v;
	int			 end = -1;

	/* A case's registration says its reference: the case column. */
	if (caseref != NULL && *caseref != '\0' && strcmp(caseref, detail) == 0)
		out = xstrdup("");
	else if (strcmp(action, "case.move") == 0 && sscanf(detail,
	    "%63s -> %63s%n", a, b, &end) == 2 && detail[end] == '\0' &&
	    (wf = audit_words_flow(flows, a, b)) != NULL)
		xasprintf(&out, _("%s to %s"), workflow_state_label(wf, a),
		    workflow_state_label(wf, b));
	else if (strcmp(action, "record.add") == 0 && forms != NULL &&
	    sscanf(detail, "%63s %llu%n", a, &rid, &end) == 2 &&
	    detail[end] == '\0' && formset_form(forms, a) != NULL)
		xasprintf(&out, _("%s, record %llu"), form_title(forms, a),
		    rid);
	else if (strcmp(action, "record.edit") == 0 && forms != NULL &&
	    sscanf(detail, "%63s %llu v%llu%n", a, &rid, &v, &end) == 3 &&
	    detail[end] == '\0' && formset_form(forms, a) != NULL)
		xasprintf(&out, _("%s, record %llu, version %llu"),
		    form_title(forms, a), rid, v);
	return (out != NULL ? out : audit_detail_words(action, detail));
}
