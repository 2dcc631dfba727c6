#!/bin/sh
# long-list.sh: a list longer than its first read (the case list reads
# the ids of an unfiltered list as far as the screen goes, 512 at first,
# then twice as far each time: casefile_ids_open(), _more()).  In the
# real terminal, 1,500 cases: the header counts them all before they are
# read; G reaches the oldest (every part read); g the newest; a search
# finds a case beyond the first part; in deadline order the last line is
# the oldest case without a deadline, as the command line's list says.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

command -v tmux >/dev/null 2>&1 || { echo "tmux is required (bootstrap installs it)"; exit 1; }

D="$T/data"
"$DOSSIER" --data "$D" demo --seed "$DEMO_SEED" --cases 1500 >/dev/null
awk '$1 == "oumar" { print $3 }' "$D/demo-users.txt" >"$T/oumar.pw"
"$DOSSIER" --data "$D" --user oumar --passphrase-file "$T/oumar.pw" \
    case list --format tsv >"$T/list"
check "the command line lists the 1,500 cases" \
    sh -c "[ \$(wc -l <'$T/list') -eq 1500 ]"
newest=$(tail -1 "$T/list" | cut -f1)
oldest=$(head -1 "$T/list" | cut -f1)
# The sixth column is the deadline, '-' for none; none sorts last, then
# newest first: the last line is the oldest case without one.
last_by_deadline=$(awk -F '\t' '$6 == "-" { print $1; exit }' "$T/list")
# Far from both ends: row 1,000 of 1,500, newest first.
middle=$(sed -n 501p "$T/list" | cut -f1)

tui_start "$DOSSIER" --lang en --data "$D" --user oumar
tui_wait "Passphrase:"
tui_text "$(cat "$T/oumar.pw")"
tui_keys Enter
tui_expect "the header counts every case before they are all read" \
    "Cases: 1500  |  oumar (supervisor)"
tui_until "the newest case is first" selected_has "$newest"
tui_keys G
tui_until "G reaches the oldest case, past the first parts" \
    selected_has "$oldest"
tcheck "... and the count has not changed" screen_has "Cases: 1500  |"
# Read from the end (the list's last rows, not its 1,500): ten pages
# up (a page is the 20 rows shown less one) is row 1,309 newest first,
# line 191 oldest first.
tui_keys PPage PPage PPage PPage PPage PPage PPage PPage PPage PPage
tui_until "ten pages up from the end, the 190th case before the oldest" \
    selected_has "$(sed -n 191p "$T/list" | cut -f1)"
tui_keys g
tui_until "g goes back to the newest" selected_has "$newest"
tui_keys /
tui_wait "Search:"
tui_text "$middle"
tui_keys Enter
tui_until "a search finds row 1,000, beyond the first part" \
    selected_has "$middle"
tui_keys o
tui_keys G
tui_until "by deadline, the last line is the oldest case without one" \
    selected_has "$last_by_deadline"
tui_keys Enter
tui_until "Enter opens that case" screen_has "$last_by_deadline"
tui_keys q
tui_until "q goes back to the list" screen_has "Cases: 1500  |"
tui_keys q
tui_expect "q quits" "EXITED=0"
finish
