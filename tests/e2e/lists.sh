#!/bin/sh
# lists.sh: the case list and the pickers, in tmux, in French at 80x24
# and in English at 132x43: '/' searches names, service numbers and
# localities in the cases the user can read (echoing what is typed, the
# list moving once typing pauses); a search that finds nothing says so
# and leaves the selection where it was; filters combine and show in the
# header; the saved view of my overdue cases; pickers find as you type,
# go to their ends with Home/End/g/G and never select a heading; the
# hint bar and help offer only what the role may do; q on the accounts
# screen does not quit.  See lib.sh for the rules every step follows.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

command -v tmux >/dev/null 2>&1 || { echo "tmux is required (bootstrap installs it)"; exit 1; }

D="$T/data"
"$DOSSIER" --data "$D" demo --seed "$DEMO_SEED" --cases 30 >/dev/null
for u in admin awa ibrahim oumar; do
	awk -v u=$u '$1 == u { print $3 }' "$D/demo-users.txt" >"$T/$u.pw"
done
pw() { cat "$T/$1.pw"; }
as() {
	u=$1
	shift
	"$DOSSIER" --data "$D" --user "$u" --passphrase-file "$T/$u.pw" "$@"
}
# A case of ibrahim's naming an agent (a name the demo never makes: it has
# "Keïta", which a search without accents would find too), his service number and a locality,
# all encrypted: only a search through the case key can find them.
REF=$(as awa case new --set "received=2026-11-20 09:30" --set channel=letter \
    --set filed_by=victim --set facts_date=2026-11-18 --set region=kidal \
    --set force=garde --set "summary=Contrôle routier" \
    --set categories=integrity.threats --set "locality=Kalaban Coro")
as oumar case assign "$REF" ibrahim
as ibrahim case add "$REF" person --set role=agent \
    --set "full_name=Seydou Kéitala" --set service_number=MLX-7731 >/dev/null
# The same agent in two more open cases, mariam's, in Mopti (named in three, an
# early warning): none of ibrahim's but $REF names him, so his search
# can only find $REF, wherever the random demo put his cases.
for i in 1 2; do
	r=$(as awa case new --set "received=2026-11-21 10:00" --set channel=letter \
	    --set filed_by=victim --set facts_date=2026-11-19 --set region=mopti \
	    --set force=police --set "summary=Contrôle" \
	    --set categories=integrity.threats)
	as oumar case assign "$r" mariam
	as oumar case add "$r" person --set role=agent \
	    --set "full_name=Seydou Kéitala" --set service_number=MLX-7731 >/dev/null
done
# Every case: the demo's, $REF and mariam's two.
ncases=33
# Open cases (not in a closed state) per investigator, as the CLI lists them.
open_of() {
	as oumar case list --format tsv | awk -F '\t' -v u="$1" '
	    $2 !~ /^(cloturee|irrecevable|reorientee|clos)$/ && ("," $5 ",") ~ ("," u ",") { n++ }
	    END { print n + 0 }'
}
check "the searched words are not in clear on disk" \
    sh -c "! grep -r -q -a -e 'MLX-7731' -e 'Kalaban' '$D'"

sign_in() {
	tui_wait "$2" || return 1
	tui_text "$(pw "$1")"
	tui_keys Enter
}
# A line is selected, and it does not contain $1.
selected_lacks() {
	tui_selected >"$T/selected"
	[ -s "$T/selected" ] && ! grep -q -F -- "$1" "$T/selected"
}
# Every case row of the list on screen is marked overdue, and there is one.
all_rows_overdue() {
	awk '/^[A-Z]+-[0-9]+-[0-9]+ / { rows++; if ($0 !~ /![0-9]+ *$/) bad++ }
	    END { exit !(rows > 0 && bad == 0) }' "$T/screen"
}
# Every case row is in region $1 (and there is one).
all_rows_in() {
	awk -v r="$1" '/^[A-Z]+-[0-9]+-[0-9]+ / { rows++; if (index($0, r) == 0) bad++ }
	    END { exit !(rows > 0 && bad == 0) }' "$T/screen"
}
hint_bar() { sed -n "${1}p" "$T/screen"; }
# The heading (the screen's first line) ends with $1.
heading_ends() {
	h=$(head -1 "$T/screen" | sed 's/ *$//')
	case $h in *"$1") return 0 ;; esac
	return 1
}

# French, 80x24, an investigator.
TUI_TERM=tmux-256color tui_start env DOSSIER_SEARCH_PAUSE_MS=2500 "$DOSSIER" --lang fr --data "$D" --user ibrahim
sign_in ibrahim "Phrase secrète :"
tui_expect "an investigator starts with his cases, the header says so" \
    "ibrahim (enquêteur)  |  Les miens"
tcheck "the hint bar offers no dashboard to an investigator" \
    sh -c "! sed -n 24p '$T/screen' | grep -q 'Tableau de bord'"
tui_keys '?'
tui_expect "help lists the keys of the list" "[search]"
tcheck "... but not the dashboard, which he may not open" \
    sh -c "! grep -q '\[dashboard\]' '$T/screen'"
tcheck "... nor the accounts" sh -c "! grep -q '\[users\]' '$T/screen'"
tcheck "... nor the audit log" sh -c "! grep -q '\[audit\]' '$T/screen'"
tui_keys End
tui_expect "... and says what the short columns mean" "Colonnes de la liste"
tui_holds "... the marks of the last one too" joined_has \
    "Ret. : !N, le dossier a dépassé son échéance de N jours ; ||, son délai est suspendu."
tui_keys q
tui_wait "Dossiers :"
tui_keys End
tui_until "End selects the last case, not the one to find" selected_lacks "$REF"
tui_keys /
tui_wait "Recherche :"
# The echo of one key is a few bytes, not a repaint of the list.
tui_tmux pipe-pane -t dt -o "cat >>'$T/bytes'"
tui_text "m"
tui_wait "Recherche : m"
tui_tmux pipe-pane -t dt
check "a key typed into the search echoes a few bytes ($(wc -c <"$T/bytes"))" \
    [ "$(wc -c <"$T/bytes")" -lt 40 ]
tui_text "lx-7731"
tui_wait "Recherche : mlx-7731"
tcheck "the list does not move while typing goes on" \
    sh -c "! grep -q 'Aucun dossier' '$T/screen'"
# The first search opens every case the user can read (slow under the
# sanitizers on a loaded machine): it gets longer than a keystroke.
t0=$TUI_TIMEOUT
TUI_TIMEOUT=40
tui_until "once typing pauses, the case naming the service number is selected" \
    selected_has "$REF"
TUI_TIMEOUT=$t0
tui_keys Enter
tui_keys Enter
tui_expect "Enter opens the case found" "$REF  "
tui_keys q
tui_wait "Dossiers :"
tui_keys End
tui_until "End selects the last case again" selected_lacks "$REF"
tui_keys /
tui_wait "Recherche :"
tui_text "keitala"
tui_keys Enter
tui_until "a name is found without its accent, at once on Enter" selected_has "$REF"
tui_keys /
tui_wait "Recherche :"
tui_text "zzz-introuvable"
tui_keys Enter
tui_expect "a search that finds nothing in his cases says so, as of this list" \
    "Aucun dossier de cette liste ne contient « zzz-introuvable »"
tui_holds "... and how to search every case" joined_has \
    "un filtre est actif : f, puis Aucun filtre, cherche dans tous les dossiers."
tui_holds "... and the selection stays, visible, where it was" selected_has "$REF"
tui_keys End
tui_until "End" selected_lacks "$REF"
tui_keys /
tui_wait "Recherche :"
tui_text "kalaban"
tui_keys Enter
tui_until "a locality is found" selected_has "$REF"
tui_keys End
tui_until "End" selected_lacks "$REF"
tui_keys n
tui_until "n finds the next match, going round the end" selected_has "$REF"
# Filters combine, the header says which.
tui_keys f
tui_wait "Filtrer (les filtres se combinent)"
tui_select "En retard"
tui_keys Enter
tui_expect "filters combine: mine and overdue, in the header" "Les miens, En retard"
tui_holds "... and every row is overdue" all_rows_overdue
tui_keys a
tui_expect "a drops 'mine', overdue stays" "(enquêteur)  |  En retard"
tui_keys O
tui_expect "O is the saved view of my overdue cases" "Les miens, En retard"
tui_keys q
tui_expect "q quits" "EXITED=0"

# English, 132x43, the supervisor.
TUI_TERM=tmux-256color tui_start "$DOSSIER" --data "$D" --user oumar
tui_resize 132 43
sign_in oumar "Passphrase:"
tui_wait "oumar (supervisor)"
tui_screen
tcheck "the supervisor is offered the dashboard" \
    sh -c "sed -n 43p '$T/screen' | grep -q 'd:Dashboard'"
# Each sort keeps the case selected where it goes in the new order (it
# kept the row number: another case was selected); at least one of them
# moves it, so that the check can tell.
ref_row() { tui_screen; grep -n -F -- "$REF " "$T/screen" | cut -d: -f1; }
tui_keys /
tui_wait "Search:"
tui_text "$REF"
tui_keys Enter
tui_until "the case is found by its reference" selected_has "$REF"
row0=$(ref_row) moved=0
for s in "Sorted by deadline" "Sorted by state" "Sorted by region" \
    "Sorted by reference, newest first"; do
	tui_keys o
	tui_expect "o: $s" "$s"
	tui_until "... and the case selected stays so" selected_has "$REF"
	[ "$(ref_row)" = "$row0" ] || moved=1
done
check "... though some sort moved it" [ "$moved" -eq 1 ]
tui_keys f
tui_wait "Filter (they combine)"
tui_select "By region"
tui_keys Enter
tui_wait "Koulikoro"
# A space typed is part of the text (it toggles only in a multiple
# choice), and Enter chooses nothing while the text matches nothing.
tui_text "bamako d"
tui_until "a space is part of the text typed in a picker" \
    selected_has "Bamako District"
tui_keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
# Enter, then Backspace, sent with the text (no pause to end it): still
# in the picker, Backspace takes a letter off it.
tui_keys z z z Enter BSpace
tui_expect "Enter chooses nothing while the text matches nothing" \
    "Find: zz (no choice contains it)"
tui_keys BSpace BSpace
tui_text "mop"
tui_until "typing finds a region in the picker" selected_has "Mopti"
tui_keys Enter
tui_expect "the region filter is in the header" "Region: Mopti"
tui_holds "... and every row is in Mopti" all_rows_in Mopti
tui_keys f
tui_wait "Filter (they combine)"
tcheck "the filter menu names the region on" screen_has "By region... (now: Mopti)"
tui_select "Overdue"
tui_keys Enter
tui_expect "a second filter adds to the first" "Overdue, Region: Mopti"
tui_keys f
tui_wait "Filter (they combine)"
tui_select "By state"
tui_keys Enter
tui_wait "Pre-disciplinary investigation"
# Workflows are headings: the first state is the first workflow's first.
tui_keys End
# The last workflow is the missions' (forms/workflow-mission.ini).
tui_until "End goes to the last state" selected_has "Mission closed"
tui_keys Home
tui_until "Home goes to the first line: every state" selected_has "All states"
tui_keys Down
tui_until "Down goes to the first state, not the workflow's heading" \
    selected_has "Report received"
tui_keys Up
tui_until "Up skips the heading back" selected_has "All states"
tui_keys G
tui_until "G goes to the last" selected_has "Mission closed"
tui_keys g
tui_until "g goes to the first" selected_has "All states"
tui_keys Down
tui_text "clo"
tui_until "typing finds the first state starting so" selected_has "Closed"
tui_keys Escape
tui_wait "Cases:"
# A state chosen, then taken off alone: the other filters stay on.
tui_keys f
tui_wait "Filter (they combine)"
tui_select "By state"
tui_keys Enter
tui_wait "Pre-disciplinary investigation"
tui_text "under inv"
tui_until "typing finds a state" selected_has "Under investigation"
tui_keys Enter
tui_expect "the state is in the header" "State: Under investigation"
# Three filters do not fit beside the user at 80 columns: the user goes,
# the last filter stays in sight.
tui_resize 80 24
tui_until "at 80 columns, with three filters on, the last one in sight" \
    heading_ends "Overdue, State: Under investigation, Region: Mopti"
tcheck "... the user's name left out for them" sh -c \
    "! head -1 '$T/screen' | grep -q 'oumar (supervisor)'"
tui_resize 132 43
tui_until "at 132 columns the user's name is back" heading_ends \
    "oumar (supervisor)  |  Overdue, State: Under investigation, Region: Mopti"
tui_keys f
tui_wait "Filter (they combine)"
tui_select "By state"
tui_keys Enter
tui_wait "All states"
tui_keys Home Enter
tui_expect "All states takes the state off, the others stay on" \
    "Overdue, Region: Mopti"
tui_holds "... and names no state" tcheck_not_has "State: "
tui_keys f
tui_wait "Filter (they combine)"
tui_select "By region"
tui_keys Enter
tui_wait "All regions"
tui_keys Home Enter
tui_expect "All regions takes the region off, overdue stays on" \
    "(supervisor)  |  Overdue"
tui_holds "... and names no region" tcheck_not_has "Region: "
tui_keys f
tui_wait "Filter (they combine)"
tui_select "No filter"
tui_keys Enter
tui_expect "no filter: every case" "Cases: $ncases  |  oumar (supervisor)"
# The dashboard: groups from the workflow files, workload of open cases,
# and an early warning line opens the list of the agent's cases.
tui_keys d
tui_wait "Dashboard: $ncases cases"
tui_holds "the workflow's group of states has its line" \
    grep -q -E "^ +[0-9]+  Waiting for review or a decision" "$T/screen"
tui_holds "the workload counts open cases only ($(open_of ibrahim) for ibrahim)" \
    grep -q -E "^ +$(open_of ibrahim)  ibrahim$" "$T/screen"
# The audit log opens from the dashboard too (a supervisor's screen).
tui_keys A
tui_expect "A on the dashboard opens the audit log" "Audit log intact"
tui_keys q
tui_wait "Dashboard: $ncases cases"
# The dashboard is a list like the others: headings are never selected.
tui_keys End
tui_until "End on the dashboard selects its last line" selected_lacks "Overdue"
tui_holds "... in its last section" grep -q "By victim sex" "$T/screen"
tui_keys g
tui_until "g selects its first line that opens a list, not the title" \
    selected_has "Overdue"
tui_keys PgDn
tui_until "PgDn moves a page down" selected_lacks "Overdue"
tui_keys Home
tui_until "Home comes back to the first" selected_has "Overdue"
tui_keys Up
tui_holds "Up from the first does not select the title" selected_has "Overdue"
tui_select "(blind index)"
tui_keys Enter
tui_expect "an early warning line opens the list of the agent's cases" "(blind index): 3  |"
tui_holds "... which holds the case naming him" grep -q "$REF" "$T/screen"
tui_holds "... its heading naming the agent once" sh -c \
    "[ \$(head -1 '$T/screen' | grep -o 'blind index' | wc -l) -eq 1 ]"
tui_keys q
tui_wait "Enter:Open list"
tui_select "Waiting for review"
tui_keys Enter
tui_expect "the group's line opens its cases" "Waiting for review or a decision: "
tui_keys f
tui_wait "Filter (they combine)"
tui_select "No filter"
tui_keys Enter
tui_expect "No filter there: every case, under the list's own title" \
    "Cases: $ncases  |"
tui_keys q
tui_wait "Enter:Open list"
tui_keys q
tui_wait "Cases: $ncases"
# The accounts screen: q goes back, never out of the program.
tui_keys u
tui_wait "Accounts"
tui_keys End
tui_until "End on the accounts selects the last account" selected_has "oumar"
tui_keys Home
tui_until "Home the first" selected_has "admin"
tui_keys q
tui_expect "q on the accounts screen goes back to the list" "Cases: $ncases"
tui_keys q
tui_expect "q quits" "EXITED=0"

# The dashboard reads its counters again while it is shown: a case
# another user files meanwhile is counted with no key pressed, and the
# selected line stays selected.
tui_start "$DOSSIER" --data "$D" --user oumar
sign_in oumar "Passphrase:"
tui_wait "Cases:" && tui_keys d
tui_wait "Dashboard: $ncases cases"
tui_select "Waiting for review"
as awa case new --set "received=2026-11-22 08:00" --set channel=letter \
    --set filed_by=victim --set facts_date=2026-11-21 --set region=kidal \
    --set force=garde --set "summary=Pendant le tableau de bord" \
    --set categories=integrity.threats >/dev/null
ncases=$((ncases + 1))
tui_until "the dashboard counts a case filed meanwhile, with no key pressed" \
    screen_has "Dashboard: $ncases cases"
tui_holds "... and its selected line is where it was" \
    selected_has "Waiting for review"
tui_keys q
tui_expect "... and the list beneath counts it too" "Cases: $ncases"
tui_keys q
tui_expect "q quits" "EXITED=0"

# A search is bounded: each step looks at DOSSIER_SEARCH_STEP rows (2,000
# by default), says how far it went, and n goes on from there; once round
# the whole list, it says that nothing was found.
tui_start env DOSSIER_SEARCH_STEP=10 "$DOSSIER" --data "$D" --user oumar
sign_in oumar "Passphrase:"
tui_wait "Cases:"
tui_keys /
tui_wait "Search:"
tui_text "zzz-nowhere"
# Typing paused: the step found nothing, which is not "no case".
tui_expect "typing paused, a step that finds nothing says how far it looked" \
    '"zzz-nowhere" is not in the first 10 of'
tui_keys Enter
tui_expect "a search step stops after 10 rows and says so" \
    'cases; n searches on'
tui_keys n
tui_expect "n searches the next 10" \
    '"zzz-nowhere" is not in the first 20 of'
i=0
while [ $i -lt 10 ] && ! screen_has 'No case contains "zzz-nowhere"'; do
	tui_keys n
	sleep 0.3
	tui_screen
	i=$((i + 1))
done
check "... and, once round the list, that nothing was found" \
    screen_has 'No case contains "zzz-nowhere"'
tui_keys q
tui_expect "q quits" "EXITED=0"

# The registrar's help offers no accounts, dashboard or audit.
tui_start "$DOSSIER" --data "$D" --user awa
sign_in awa "Passphrase:"
tui_wait "awa (registrar)"
tui_keys '?'
tui_expect "help lists what the registrar may do" "[intake]"
tcheck "... not the accounts" sh -c "! grep -q '\[users\]' '$T/screen'"
tcheck "... nor the dashboard" sh -c "! grep -q '\[dashboard\]' '$T/screen'"
tui_keys q
tui_wait "Cases:"
tui_keys q
tui_expect "q quits" "EXITED=0"

# The administrator's home is the accounts screen: q asks before quitting.
tui_start "$DOSSIER" --data "$D" --user admin
sign_in admin "Passphrase:"
tui_wait "Accounts"
tui_keys q
tui_expect "q on the administrator's accounts screen asks first" "Quit dossier?"
tui_keys n
tui_until "... n stays" sh -c "grep -q 'Accounts:' '$T/screen' && ! grep -q 'Quit dossier' '$T/screen'"
tui_keys q
tui_wait "Quit dossier?"
tui_keys y
tui_expect "... y quits" "EXITED=0"
finish
