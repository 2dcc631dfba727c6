#!/bin/sh
# drafts.sh: the SSH link drops while text is being typed (SIGHUP to the
# dossier process, as sshd sends it): the field being typed is kept in
# the encrypted draft, before any field was accepted too; a second drop
# while the question that offers the draft back is on screen keeps the
# draft; the question names the form, the case and the time.  In French
# at 80x24 and in English at 132x43.  See lib.sh for the rules every
# step follows.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

command -v tmux >/dev/null 2>&1 || { echo "tmux is required (bootstrap installs it)"; exit 1; }

D="$T/data"
"$DOSSIER" --data "$D" demo --seed "$DEMO_SEED" --cases 5 >/dev/null
for u in awa ibrahim; do
	awk -v u=$u '$1 == u { print $3 }' "$D/demo-users.txt" >"$T/$u.pw"
done
pw() { cat "$T/$1.pw"; }
sign_in() {
	tui_wait "$2" || return 1
	tui_text "$(pw "$1")"
	tui_keys Enter
}
# The dossier process in the tmux pane (the child of the pane's shell).
dossier_pid() {
	pgrep -P "$(tui_tmux list-panes -t dt -F '#{pane_pid}')" | head -1
}
# The link drops: SIGHUP to that process, which ends cleanly.
hangup() {
	tui_snap
	pid=$(dossier_pid)
	if [ -z "$pid" ]; then
		tui_fail "the dossier process is found to send it SIGHUP"
		return 1
	fi
	kill -HUP "$pid"
	tui_gone "$pid"
}
not_on_disk() { ! grep -r -q -a -- "$1" "$D"; }
TODAY_FR=$(date +%d/%m/%Y)
TODAY_EN=$(date +%Y-%m-%d)

# French, 80x24: a new complaint, its first text field being typed, no
# field accepted yet.
tui_start "$DOSSIER" --lang fr --data "$D" --user awa
sign_in awa "Phrase secrète :"
tui_wait "Dossiers : 5"
tui_keys i
tui_wait "Circuit"
tui_select "Enquête pré-disciplinaire"
tui_keys Enter
tui_wait "Saisine (nouvelle fiche)"
tui_select "Plaignant"
tui_keys Enter
tui_wait "Plaignant :"
tui_text "Aminata Traoré-Brouillon"
tui_wait "Aminata Traoré-Brouillon"
hangup
tui_expect "SIGHUP mid-field ends the application cleanly" "EXITED=0"
tcheck "the text typed is not in clear on disk" not_on_disk "Traoré-Brouillon"

tui_start "$DOSSIER" --lang fr --data "$D" --user awa
sign_in awa "Phrase secrète :"
tui_expect "the next sign-in offers the draft back, naming the form" \
    "Reprendre la nouvelle plainte (formulaire « Saisine »)"
tui_expect "... and the day it was left, the French way" "$TODAY_FR"
tui_expect "... asking oui or non" "(o/n)"
# The link drops again, while the question is on screen.
hangup
tui_expect "SIGHUP during the question ends the application cleanly" "EXITED=0"

tui_start "$DOSSIER" --lang fr --data "$D" --user awa
sign_in awa "Phrase secrète :"
tui_expect "the draft is offered again after a drop during the question" \
    "Reprendre la nouvelle plainte"
tui_keys o
tui_expect "the form comes back" "Saisine (nouvelle fiche)"
tui_holds "... with the field that was being typed" \
    grep -q -E "Plaignant +Aminata Traoré-Brouillon" "$T/screen"
tui_keys Escape
tui_wait "Abandonner vos modifications ?"
tui_keys o
tui_expect "... and once answered the draft is gone" "Dossiers : 5"
tui_keys q
tui_expect "q quits" "EXITED=0"
tui_start "$DOSSIER" --lang fr --data "$D" --user awa
sign_in awa "Phrase secrète :"
tui_expect "no draft is offered once it was taken back" "Dossiers : 5"
tcheck "... no question" sh -c "! grep -q Reprendre '$T/screen'"
tui_keys q
tui_expect "q quits" "EXITED=0"

# English, 132x43: a record of a case, a field accepted, then a second
# field being typed when the link drops.
tui_start "$DOSSIER" --data "$D" --user ibrahim
tui_resize 132 43
sign_in ibrahim "Passphrase:"
tui_wait "Cases:"
tui_keys Enter
tui_wait "Journal"
REF=$(grep -o -m1 'ISSPC-[0-9]*-[0-9]*' "$T/screen")
tui_keys a
tui_wait "Add to the case"
tui_select "Person"
tui_keys Enter
tui_wait "Person (new)"
tui_select "Full name"
tui_keys Enter
tui_wait "Full name:"
tui_text "Kept Once"
tui_keys Enter
tui_until "a first field is accepted" grep -q -E "Full name +\* Kept Once" "$T/screen"
tui_select "Service number"
tui_keys Enter
tui_wait "Service number:"
tui_text "MAT-4471"
tui_wait "MAT-4471"
hangup
tui_expect "SIGHUP mid-field ends the application" "EXITED=0"
tcheck "nothing typed is in clear on disk" not_on_disk "MAT-4471"

tui_start "$DOSSIER" --data "$D" --user ibrahim
tui_resize 132 43
sign_in ibrahim "Passphrase:"
tui_expect "the question names the form and the case" \
    "Resume the form \"Person\" (a new record) of case $REF"
tui_expect "... and the day" "$TODAY_EN"
tui_keys y
tui_expect "the form comes back" "Person (new)"
tui_holds "... with the field accepted" \
    grep -q -E "Full name +\* Kept Once" "$T/screen"
tui_holds "... and the field that was being typed" \
    grep -q -E "Service number +MAT-4471" "$T/screen"
tui_keys Escape
tui_wait "Discard your changes? (y/n)"
tui_keys y
tui_expect "... and cancelling it goes back to the list" "Cases:"
tui_keys q
tui_expect "q quits" "EXITED=0"
finish
