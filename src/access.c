/*
 * access.c: the role table.
 */
#include "config.h"

#include <string.h>

#include "access.h"
#include "i18n.h"
#include "util.h"

static const struct {
	const char	*name;
	const char	*label;
	unsigned int	 allowed;	/* bit (1 << enum access_action) */
} access_roles[ROLE_COUNT] = {
	[ROLE_REGISTRAR] = { "registrar", N_("registrar"),
	    1U << ACCESS_CREATE_CASE | 1U << ACCESS_READ_CASE },
	[ROLE_INVESTIGATOR] = { "investigator", N_("investigator"),
	    1U << ACCESS_CREATE_CASE | 1U << ACCESS_EDIT_CASE |
	    1U << ACCESS_READ_CASE | 1U << ACCESS_AGENT_LOOKUP },
	[ROLE_SUPERVISOR] = { "supervisor", N_("supervisor"),
	    1U << ACCESS_CREATE_CASE | 1U << ACCESS_EDIT_CASE |
	    1U << ACCESS_ASSIGN_CASE | 1U << ACCESS_READ_CASE |
	    1U << ACCESS_EXPORT_CASE | 1U << ACCESS_READ_AUDIT |
	    1U << ACCESS_DASHBOARD |
	    1U << ACCESS_AGENT_LOOKUP },
	[ROLE_AUDITOR] = { "auditor", N_("auditor"),
	    1U << ACCESS_READ_CASE | 1U << ACCESS_EXPORT_CASE |
	    1U << ACCESS_READ_AUDIT | 1U << ACCESS_DASHBOARD |
	    1U << ACCESS_AGENT_LOOKUP },
	[ROLE_ADMIN] = { "admin", N_("admin"), 1U << ACCESS_MANAGE_USERS },
};

int
access_role_parse(const char *s, enum role *role)
{
	int	 i;

	for (i = 0; i < ROLE_COUNT; i++) {
		if (strcmp(s, access_roles[i].name) == 0) {
			*role = i;
			return (0);
		}
	}
	return (-1);
}

const char *
access_role_name(enum role role)
{
	if ((int)role < 0 || role >= ROLE_COUNT)
		return ("?");
	return (access_roles[role].name);
}

const char *
access_role_label(enum role role)
{
	if ((int)role < 0 || role >= ROLE_COUNT)
		return ("?");
	return (_(access_roles[role].label));
}

int
access_allows(enum role role, enum access_action action)
{
	if ((int)role < 0 || role >= ROLE_COUNT)
		return (0);
	return ((access_roles[role].allowed & (1U << action)) != 0);
}

int
access_require(enum role role, enum access_action action, char **cause)
{
	if (access_allows(role, action))
		return (0);
	return (err_set(cause, _("Your role (%s) does not allow this."),
	    access_role_label(role)));
}
