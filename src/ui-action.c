/*
 * ui-action.c: screens' action tables.  A key becomes an action name
 * through the key map (keymap.c); the screen's table gives the function
 * that does it and whether the user is offered it, so the hint bar, the
 * help screen and the key handler read one table.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "ui.h"

const struct ui_action *
ui_action_find(const struct ui_action *table, const char *name)
{
	if (table == NULL || name == NULL)
		return (NULL);
	for (; table->name != NULL; table++)
		if (strcmp(table->name, name) == 0)
			return (table);
	return (NULL);
}

/* Run the action named from the table: 1, or 0 when it has none. */
int
ui_action_run(struct ui *ui, const struct ui_action *table, const char *name,
    void *data)
{
	const struct ui_action	*a;

	if ((a = ui_action_find(table, name)) == NULL)
		return (0);
	a->run(ui, data);
	return (1);
}

/* Is the action offered to the signed-in user on this screen? */
int
ui_screen_offers(struct ui *ui, const struct screen *sc, void *data,
    const char *name)
{
	const struct ui_action	*a;

	if (sc->offers != NULL)
		return (sc->offers(ui, data, name));
	if ((a = ui_action_find(sc->actions, name)) != NULL &&
	    a->offered != NULL)
		return (a->offered(ui, data));
	return (1);
}
