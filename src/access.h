/*
 * access.h: roles and what each may do.  The admin runs accounts and never
 * holds a case key; auditors read and export but never change a case.
 */
#ifndef ACCESS_H
#define ACCESS_H

enum role {
	ROLE_REGISTRAR,
	ROLE_INVESTIGATOR,
	ROLE_SUPERVISOR,
	ROLE_AUDITOR,
	ROLE_ADMIN,
	ROLE_COUNT
};

enum access_action {
	ACCESS_MANAGE_USERS,	/* add, disable, list accounts */
	ACCESS_CREATE_CASE,	/* register a complaint */
	ACCESS_EDIT_CASE,	/* add and change records of a case */
	ACCESS_ASSIGN_CASE,	/* assign investigators */
	ACCESS_READ_CASE,	/* hold case keys */
	ACCESS_EXPORT_CASE,	/* signed summaries */
	ACCESS_READ_AUDIT,	/* list and verify the audit log */
	ACCESS_DASHBOARD,	/* everyone's caseload at a glance */
	ACCESS_AGENT_LOOKUP	/* an agent's cases by service number */
};

int		 access_role_parse(const char *, enum role *);
const char	*access_role_name(enum role);
const char	*access_role_label(enum role);
int		 access_allows(enum role, enum access_action);
/* 0, or -1 with the one sentence that says the role may not. */
int		 access_require(enum role, enum access_action, char **);

#endif
