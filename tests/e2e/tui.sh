#!/bin/sh
# tui.sh: the terminal application driven in tmux at 80x24, for each role:
# sign in, list, search, filter, open a case, fill and save a witness
# form, move a case, the dashboard, the admin screen, help, a terminal too
# small (an open form survives it, q included), the hint bar in French,
# the SSH link dropping mid-edit (the draft is kept), and escape
# sequences in data shown as placeholders.  See lib.sh for the rules every step follows.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

command -v tmux >/dev/null 2>&1 || { echo "tmux is required (bootstrap installs it)"; exit 1; }

D="$T/data"
"$DOSSIER" --data "$D" demo --seed "$DEMO_SEED" --cases 30 >/dev/null
for u in admin awa ibrahim mariam oumar fatou; do
	awk -v u=$u '$1 == u { print $3 }' "$D/demo-users.txt" >"$T/$u.pw"
done
pw() { cat "$T/$1.pw"; }
# A case with an escape sequence in its summary, assigned to ibrahim.
REF=$("$DOSSIER" --data "$D" --user awa --passphrase-file "$T/awa.pw" case new \
    --set "received=2026-11-20 09:30" --set channel=letter --set filed_by=victim \
    --set facts_date=2026-11-18 --set region=kidal --set force=garde \
    --set "summary=${ESC}[2J${ESC}[31mrouge" --set categories=integrity.threats)
"$DOSSIER" --data "$D" --user oumar --passphrase-file "$T/oumar.pw" case assign "$REF" ibrahim
"$DOSSIER" --data "$D" --user oumar --passphrase-file "$T/oumar.pw" case move "$REF" enregistree >/dev/null 2>&1
"$DOSSIER" --data "$D" --user oumar --passphrase-file "$T/oumar.pw" case move "$REF" examen_prealable
"$DOSSIER" --data "$D" --user oumar --passphrase-file "$T/oumar.pw" case move "$REF" ouverte

# Every case as the supervisor sees it: reference, state id, ..., days late.
cases_tsv() {
	"$DOSSIER" --data "$D" --user oumar --passphrase-file "$T/oumar.pw" \
	    case list --format tsv
}
# The case list on screen has title "$1: $2", and its rows are the first
# $2 (20 at most) cases, each marked overdue ("!days" in the last column).
list_overdue_only() {
	grep -q -F -- "$1: $2  |" "$T/screen" || return 1
	awk -v want="$2" '
	    /^[A-Z]+-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9] / {
		rows++
		if ($0 !~ /![0-9]+ *$/)
			bad++
	    }
	    END { exit !(rows == (want < 20 ? want : 20) && bad == 0) }' \
	    "$T/screen"
}
# The selected line is not the one for case $1 (and there is one).
selected_not() {
	tui_selected >"$T/selected"
	[ -s "$T/selected" ] && ! grep -q -F -- "$1" "$T/selected"
}
# Line 24 of the screen, the hint bar, ends with the help hint $1.
hint_ends_with() {
	sed -n 24p "$T/screen" | grep -q -- "$1 *\$"
}
sign_in() {
	tui_wait "$2" || return 1
	tui_text "$(pw "$1")"
	tui_keys Enter
}
# Fill a text field of the open form: select it by its label, type.
form_text() {
	tui_select "$1" || return 1
	tui_keys Enter
	tui_wait "$1$2:" || return 1
	tui_text "$3"
	tui_keys Enter
	tui_until "the form field '$1' takes '$3'" selected_has "$3"
}
# Choose $2 in the choice field labelled $1.
form_choice() {
	tui_select "$1" || return 1
	tui_keys Enter
	tui_wait "Enter: choose" || return 1
	tui_select "$2" || return 1
	tui_keys Enter
	tui_until "the form field '$1' takes '$2'" selected_has "$2"
}

# Sign-in: a wrong passphrase gives a message, the right one the list.
tui_start "$DOSSIER" --data "$D" --user ibrahim
tui_expect "the sign-in screen asks for the passphrase" "Passphrase:"
tui_text "not the passphrase at all"
tui_keys Enter
tui_expect "a wrong passphrase is refused with a message" \
    "Wrong passphrase for 'ibrahim'"
tcheck "the passphrase typed is never shown" \
    sh -c "! grep -q 'not the passphrase' '$T/screen'"
tui_text "$(pw ibrahim)"
tui_keys Enter
tui_expect "the investigator sees the case list" "ibrahim (investigator)  |  Mine"
tui_expect "... with their own cases" "$REF"
tui_expect "the hint bar comes from the key map" "Enter:Open"
tui_holds "the list's columns fit in 80, the last one whole" \
    grep -q -E "Age +Late$" "$T/screen"

# Incremental search from the last line finds the case; open it.
tui_keys G
tui_until "G selects the last line" selected_not "$REF"
tui_keys /
tui_text "$REF"
tui_until "the search selects the line of the case" selected_has "$REF"
tui_keys Enter Enter
tui_expect "the case opens" \
    "$REF  Investigation opened  [Pre-disciplinary investigation]"
tui_expect "escape sequences in data are shown as placeholders" \
    "^[[2J^[[31mrouge"
tui_tmux capture-pane -t dt -p -e >"$T/screen.esc"
tcheck "... and not sent to the terminal (no red, no clear)" \
    sh -c "! grep -q '$ESC\[31mrouge' '$T/screen.esc'"

# Add a witness through the form editor and save it.
tui_keys a
tui_wait "Add to the case"
tui_select "Witness"
tui_keys Enter
tui_expect "the witness form opens" "Witness (new)"
tui_until "... with its required fields marked" \
    grep -q -E "Full name +\*( |$)" "$T/screen"
form_text "Full name" "" "Hawa Témoin-Tmux"
form_text "Phone" "" "+223 65 43 21 00"
form_choice "Role" "Direct witness"
tui_until "accented text keeps its width" \
    grep -q -E "Full name +\* Hawa Témoin-Tmux" "$T/screen"
tui_keys F2
tui_expect "the witness is saved" "Saved as record"
tui_expect "... and listed in the case by pseudonym and name" \
    "Témoin A - Hawa Témoin-Tmux"
# A file to attach that cannot be read is refused when it is typed, not
# after the record is saved without it.
tui_keys a
tui_wait "Add to the case"
tui_select "Evidence"
tui_keys Enter
tui_expect "the evidence form opens" "Evidence (new)"
tui_select "File"
tui_keys Enter
tui_wait "Path of the file to attach"
tui_text "$T/no-such-file.pdf"
tui_keys Enter
tui_expect "a file that cannot be read is refused at once" \
    "Cannot read $T/no-such-file.pdf"
tui_holds "... and not kept for the record" tcheck_not_has "(attached on saving)"
tui_keys q
tui_until "the empty evidence form closes" screen_has "Témoin A - Hawa"

# Move the case (investigator: start investigating).
tui_keys m
tui_wait "Move the case"
tui_select "Start investigating"
tui_keys Enter
tui_wait "Reason (optional)"
tui_keys Enter
tui_expect "a move says its target state and asks first" \
    "The case will be “Under investigation”, with a new deadline:"
tui_wait "Make this move? (y/n)"
tui_keys y
tui_expect "the case is moved" "Moved: Start investigating."
tui_expect "... and shows its new state" "$REF  Under investigation"
tui_keys m
tui_wait "Move the case"
tui_select "Ask the agent's observations"
tui_keys Enter
tui_wait "Reason (optional)"
tui_keys Enter
tui_wait "Make this move? (y/n)"
tui_keys y
tui_expect "the agent's observations are asked" "$REF  Agent's observations"
# Filing the report is refused, the whole sentence shown, wrapped at words.
tui_keys m
tui_wait "Move the case"
tui_select "File the report"
tui_keys Enter
tui_wait "Reason (optional)"
tui_keys Enter
tui_expect "a refused move says what is missing" \
    "To move to “Report filed”, the case first needs: “Written notice of the"
tui_expect "... on as many rows as it takes, to its end" \
    "“Investigation report”."
tui_expect "... and the case stays" "$REF  Agent's observations"

# The terminal becomes too small while a form is open: keys, q included,
# wait until it is large enough again, and the form is still there.
tui_keys a
tui_wait "Add to the case"
tui_select "Person"
tui_keys Enter
tui_wait "Person (new)"
form_text "Full name" "" "Petit Écran"
tui_resize 60 20
tui_expect "below 80x24 with a form open, a clear message" \
    "Terminal too small (60x20)"
tui_expect "... saying nothing is lost" "Nothing is lost; enlarge it."
tui_keys q y
tui_expect "q (and y) while too small are ignored, and it says so" "ignored"
tui_resize 80 24
tui_until "back at 80x24 the form returns with its text" \
    grep -q -E "Full name +\* Petit Écran" "$T/screen"
tui_keys Escape
tui_expect "... still open and changed: cancelling asks first" \
    "Discard your changes? (y/n)"
tui_keys y
tui_expect "... and then goes back to the case" "Journal"

# The SSH link drops while a form is open: the draft is kept.
tui_keys a
tui_wait "Add to the case"
tui_select "Person"
tui_keys Enter
tui_wait "Person (new)"
form_text "Full name" "" "Brouillon Gardé"
tui_snap
pkill -HUP -f -- "^$DOSSIER --data $D --user ibrahim"
tui_expect "SIGHUP ends the application cleanly" "EXITED=0"
tcheck "the draft is not in clear on disk" \
    sh -c "! grep -r -q -a 'Brouillon Gard' '$D'"
tui_start "$DOSSIER" --data "$D" --user ibrahim
sign_in ibrahim "Passphrase:"
tui_expect "the next sign-in offers the draft, naming the form and case" "Resume the form \"Person\" (a new record) of case"
tui_keys y
tui_until "the draft comes back" \
    grep -q -E "Full name +\* Brouillon Gardé" "$T/screen"
tui_keys Escape
tui_expect "cancelling a changed form asks first" "Discard your changes? (y/n)"
tui_keys y
tui_expect "... and goes back to the list" "Cases:"
tui_keys q
tui_expect "q quits the list" "EXITED=0"

# A terminal too small, then large enough again.
TOTAL=$(cases_tsv | wc -l)
OVERDUE=$(cases_tsv | awk -F '\t' '$8 > 0' | wc -l)
check "the demo has overdue cases and cases on time" \
    [ "$OVERDUE" -gt 0 -a "$OVERDUE" -lt "$TOTAL" ]
tui_start "$DOSSIER" --data "$D" --user oumar
sign_in oumar "Passphrase:"
tui_expect "the supervisor sees every case" "Cases: $TOTAL  |  oumar (supervisor)"
tui_resize 60 20
tui_expect "below 80x24 a clear message" "Terminal too small (60x20)"
tui_resize 80 24
tui_expect "back at 80x24 the list returns" "oumar (supervisor)"

# Home and End as tmux sends them under TERM=xterm-256color, whose own
# sequences differ: never read as Esc, which would leave the list.
FIRST=$(tui_selected)
moved_off() { s=$(tui_selected); [ -n "$s" ] && [ "$s" != "$FIRST" ]; }
back_on() { [ "$(tui_selected)" = "$FIRST" ]; }
tui_keys End
tui_until "End moves to the last case" moved_off
tui_holds "... and the list is still there" screen_has "Cases: $TOTAL  |"
tui_keys Home
tui_until "Home goes back to the first" back_on

# Dashboard, and its overdue line opens the list of the overdue cases.
tui_keys d
tui_expect "the dashboard counts the cases" "Dashboard: $TOTAL cases"
tui_until "... and the overdue ones" \
    grep -q -E "^ +$OVERDUE  Overdue\$" "$T/screen"
tui_select "Overdue"
tui_keys Enter
tui_until "a dashboard line opens its list: the overdue cases, all marked" \
    list_overdue_only Overdue "$OVERDUE"
tui_keys q
tui_wait "Dashboard:"
tui_keys q
tui_expect "q goes back from the dashboard to the list" "Cases: $TOTAL  |"

# Export a signed summary from the case view, then the audit screen.
tui_keys Enter
tui_wait "Journal"
tui_keys x
tui_wait "Export format"
tui_select "Text"
tui_keys Enter
tui_wait "Include witness identities"
tui_keys n
tui_wait "For third parties"
tui_keys y
tui_wait "Write the summary to"
tui_text "$T/tui-summary.txt"
tui_keys Enter
tui_expect "the case view exports a signed summary" "Wrote $T/tui-summary.txt"
"$DOSSIER" --data "$D" key export oumar >"$T/oumar.pub"
run minisign -Vm "$T/tui-summary.txt" -p "$T/oumar.pub"
check "... that the stock minisign verifies" rc_is 0
check "... redacted for third parties, as asked" \
    grep -q "Parties: redacted for third parties" "$T/tui-summary.txt"
check "... which the trusted comment says" out_has "parties=redacted"
tui_keys q
tui_wait "Cases: $TOTAL  |"
tui_keys A
tui_expect "the audit screen verifies the chain" "Audit log intact"
tui_expect "... and lists the export" "summary exported"
tui_keys q

# Filter: overdue only.
tui_wait "Cases: $TOTAL  |"
tui_keys f
tui_wait "Enter: choose"
tui_select "Overdue"
tui_keys Enter
tui_until "the overdue filter keeps only the overdue cases" \
    list_overdue_only Cases "$OVERDUE"
tui_keys '?'
tui_expect "help opens on '?'" "Keys of this screen (case list)"
tui_expect "help is generated from the key map" "page-down"
tui_keys q
tui_wait "Cases: $OVERDUE  |"
tui_keys q
tui_expect "q quits" "EXITED=0"

# The admin sees accounts, never cases.
tui_start "$DOSSIER" --data "$D" --user admin
sign_in admin "Passphrase:"
tui_expect "the admin gets the accounts screen" "Accounts:"
tcheck "... offered adding accounts, not approving them" \
    sh -c "tail -1 '$T/screen' | grep -q 'a:Add' &&
    ! tail -1 '$T/screen' | grep -q 'p:Approve'"
tcheck "... its q named for what it does there: quit" \
    sh -c "tail -1 '$T/screen' | grep -q 'q:Quit' &&
    ! tail -1 '$T/screen' | grep -q 'q:Back'"
tui_expect "... listing the accounts" "ibrahim"
tcheck "... and no case" sh -c "! grep -q ISSPC '$T/screen'"
"$DOSSIER" --data "$D" key fingerprint >"$T/fp"
tcheck "... with the recovery key's fingerprint, as 'key fingerprint' prints it" \
    grep -q "recovery key: $(sed -n 's/^recovery key\t//p' "$T/fp")" "$T/screen"
"$DOSSIER" --data "$D" --user admin --passphrase-file "$T/admin.pw" \
    user fingerprint >"$T/ufp"
tcheck "... the selected account's minisign key" \
    grep -q "admin: minisign key [0-9A-F]\{16\}" "$T/screen"
tcheck "... never the fingerprint its owner reads out (it would be copied)" \
    sh -c "! grep -q -F -- \"$(sed -n 's/^admin ([^)]*): //p' "$T/ufp")\" '$T/screen'"
tui_keys a
tui_wait "New account name"
tui_text "Aminata Touré"
tui_keys Enter
tui_expect "a name that is not valid is refused at once" \
    "The user name 'Aminata Touré' is not valid"
tcheck "... before the role and passphrases are asked" \
    tcheck_not_has "Enter: choose"
tui_keys a
tui_wait "New account name"
tui_text "ibrahim"
tui_keys Enter
tui_expect "a name already taken is refused at once" \
    "A user named 'ibrahim' already exists"
tcheck "... before the role and passphrases are asked" \
    tcheck_not_has "Enter: choose"
# a, a name, the investigator role: up to the first passphrase.
add_salif() {
	tui_keys a
	tui_wait "New account name"
	tui_text "salif"
	tui_keys Enter
	tui_wait "Enter: choose"
	tui_select "investigator"
	tui_keys Enter
	tui_wait "Initial passphrase"
}
add_salif
tcheck "the passphrase rule is shown before it is typed" \
    grep -q "A passphrase has at least 12 characters" "$T/screen"
tui_text "court"
tui_keys Enter
tui_expect "a passphrase that breaks it is refused at once" "too short"
tcheck "... without asking for it again" tcheck_not_has "The same again"
add_salif
tui_text "la pluie tombe sur Sikasso"
tui_keys Enter
tui_wait "The same again"
tui_text "la pluie tombe sur Sikasso"
tui_keys Enter
tui_expect "the admin adds an account from the terminal" "Added salif"
tui_until "... listed on the screen" grep -q "^salif  *investigator" "$T/screen"
tcheck "... whose passphrase was never shown" \
    sh -c "! grep -q 'tombe sur' '$T/screen'"
tui_keys q
tui_expect "q on the administrator's accounts screen asks first" "Quit dossier? (y/n)"
# The question replaces the message rows last drawn, all of them;
# resized while it is asked, the screen is drawn again at its new size.
message_gone() { ! joined_has "Added salif" && ! joined_has "before anything else"; }
tcheck "... in place of the whole message ('Added salif...', two rows)" \
    message_gone
question_row() { awk '/Quit dossier\? \(y\/n\)/ { print NR }' "$T/screen"; }
resized_question() {
	[ "$(wc -l <"$T/screen")" -ge 43 ] && [ "$(question_row)" -ge 40 ] &&
	    [ "$(grep -c 'Quit dossier' "$T/screen")" -eq 1 ] &&
	    grep -q "^salif  *investigator" "$T/screen"
}
tui_resize 132 43
tui_until "resized during the question: the screen again, the question at its new bottom, once" \
    resized_question
tui_keys n
tui_until "... n answers it: the question goes" tcheck_not_has "Quit dossier"
tui_resize 80 24
tui_keys q
tui_wait "Quit dossier? (y/n)"
tui_keys y
tui_expect "... y quits" "EXITED=0"
run "$DOSSIER" --data "$D" --user admin --passphrase-file "$T/admin.pw" user list --format tsv
check "... as an investigator who must choose a passphrase" \
    grep -q "^salif	investigator	.*must-change" "$T/out"

# salif chooses a passphrase and reads his fingerprint to the supervisor,
# who approves him on the accounts screen (u, then p).
printf '%s\n' "la pluie tombe sur Sikasso" >"$T/salif0.pw"
printf '%s\n' "le fleuve Niger en crue" >"$T/salif.pw"
"$DOSSIER" --data "$D" --user salif --passphrase-file "$T/salif0.pw" \
    user passwd --new-passphrase-file "$T/salif.pw" >/dev/null
SFP=$("$DOSSIER" --data "$D" --user salif --passphrase-file "$T/salif.pw" \
    user fingerprint | sed -n 's/^salif ([^)]*): //p')
tui_start "$DOSSIER" --data "$D" --user oumar
sign_in oumar "Passphrase:"
tui_wait "oumar (supervisor)"
tui_keys u
tui_expect "a supervisor opens the accounts screen with u" "Accounts:"
tcheck "... offered approval, not what only an administrator may do" \
    sh -c "tail -1 '$T/screen' | grep -q 'p:Approve' &&
    ! tail -1 '$T/screen' | grep -q 'a:Add'"
tcheck "... whose q goes back to the list" \
    sh -c "tail -1 '$T/screen' | grep -q 'q:Back'"
tui_until "... where salif awaits approval" \
    grep -q "^salif  *investigator.*awaiting approval" "$T/screen"
tui_keys Down Down Down Down Down Down
tui_until "... selected" selected_has "salif"
tui_keys p
tui_wait "the fingerprint they read to you"
tui_text "0000 0000"
tui_keys Enter
tui_expect "a wrong fingerprint approves nothing" "does not match"
tui_keys p
tui_wait "the fingerprint they read to you"
tui_text "$SFP"
tui_keys Enter
tui_expect "the right one approves salif" "Approved salif"
tui_until "... now active" grep -q "^salif  *investigator.*active" "$T/screen"
tui_keys q q
tui_expect "... and q leaves" "EXITED=0"

# Each terminal type draws the list.
for term in screen tmux-256color linux; do
	TUI_TERM=$term tui_start "$DOSSIER" --data "$D" --user fatou
	sign_in fatou "Passphrase:"
	tui_expect "TERM=$term shows the case list" "fatou (auditor)"
	tui_keys q
	tui_expect "... and q quits" "EXITED=0"
done

# Back under investigation: its French label fits the list's column.
"$DOSSIER" --data "$D" --user ibrahim --passphrase-file "$T/ibrahim.pw" \
    case move "$REF" en_instruction --reason "Audition complementaire" \
    >/dev/null 2>&1

# French, on a vt100 with no colour: the state labels of the workflow.
state=$(cases_tsv | awk -F '\t' -v r="$REF" '$1 == r { print $2 }')
label_fr=$(awk -v s="[state.$state]" '
    $0 == s { f = 1; next }
    /^\[/ { f = 0 }
    f && $1 == "label.fr" { sub(/^[^=]*= */, ""); print; exit }' \
    "${top_srcdir:-.}/forms/workflow-inspection.ini")
check "the case's state has a French label of its own ($state: $label_fr)" \
    [ -n "$label_fr" -a "$label_fr" != "$state" ]
row_has() { grep -q -- "^$1 .*$2" "$T/screen"; }
TUI_TERM=vt100 tui_start env NO_COLOR=1 "$DOSSIER" --lang fr --data "$D" --user fatou
tui_expect "the sign-in screen speaks French" "Phrase secrète :"
tui_text "$(pw fatou)"
tui_keys Enter
tui_expect "French with --lang fr, on vt100 without colour" "fatou (auditeur)"
tui_until "... state labels from the workflow in French" \
    row_has "$REF" "$label_fr"
tui_keys q
tui_expect "... and q quits" "EXITED=0"

# In French at 80 columns the hint bar keeps room for the help key, on
# every screen that has one.
tui_start "$DOSSIER" --lang fr --data "$D" --user oumar
sign_in oumar "Phrase secrète :"
tui_wait "Dossiers : "
tui_holds "French hint bar of the list ends with ?:Aide" hint_ends_with "?:Aide"
tui_keys d
tui_wait "Tableau de bord :"
tui_holds "... of the dashboard" hint_ends_with "?:Aide"
tui_keys q
tui_wait "Dossiers : "
tui_keys /
tui_text "$REF"
tui_keys Enter Enter
tui_wait "Journal"
tui_holds "... of the case" hint_ends_with "?:Aide"
tui_holds "French record kinds line up by display width" \
    grep -q -E "^  Témoin +1 Témoin A" "$T/screen"
tui_keys a
tui_wait "Ajouter au dossier"
tui_select "Personne"
tui_keys Enter
tui_wait "Personne (nouvelle fiche)"
tui_holds "... of the form" hint_ends_with "?:Aide"
tui_holds "French form labels line up by display width" \
    grep -q -E "^Rôle +\*( |$)" "$T/screen"
tui_keys '?'
tui_wait "Touches de cet écran"
tui_holds "... of help" hint_ends_with "?:Aide"
tui_keys q
tui_wait "Personne (nouvelle fiche)"
tui_keys Escape
tui_wait "Journal"
tui_keys q
tui_wait "Dossiers : "
tui_keys A
tui_wait "Journal d'audit"
tui_holds "... of the audit log" hint_ends_with "?:Aide"
tui_keys q
tui_wait "Dossiers : "
tui_keys q
tui_expect "... and q quits" "EXITED=0"
tui_start "$DOSSIER" --lang fr --data "$D" --user admin
sign_in admin "Phrase secrète :"
tui_wait "Comptes :"
tui_holds "... of the accounts screen" hint_ends_with "?:Aide"
tcheck "... q:Quitter, not Retour, on the administrator's first screen" \
    sh -c "tail -1 '$T/screen' | grep -q 'q:Quitter'"
tui_holds "French account roles line up by display width, dates the French way" \
    grep -q -E "enquêteur +[0-3][0-9]/[01][0-9]/20[0-9][0-9] " "$T/screen"
tui_keys q
tui_wait "Quitter dossier ? (o/n)"
tui_keys o
tui_expect "... and q, o quits" "EXITED=0"

# The registrar registers a complaint through the intake form.
tui_start "$DOSSIER" --data "$D" --user awa
sign_in awa "Passphrase:"
tui_wait "Cases:"
tui_keys i
tui_wait "Workflow"
tui_select "Pre-disciplinary investigation"
tui_keys Enter
tui_expect "the intake form opens for the registrar" "Complaint intake (new)"
form_choice "Channel" "Phone / hotline"
form_choice "Filed by" "Relative"
form_text "Date of the facts" " (dd/mm/yyyy)" "2026-11-19"
form_choice "Region" "Sikasso"
form_choice "Force or service" "National gendarmerie"
tui_select "Summary of the facts"
tui_keys Enter
tui_wait "F2: keep"
tui_text "Plainte déposée au guichet : contrôle routier abusif."
# Esc asks before it drops what was typed; an escape character pasted
# within a text asks the same, and the text goes on after it.
tui_keys Escape
tui_expect "Esc asks before dropping the text typed" \
    "Drop what you typed in this text? (y/n)"
tui_keys n
tui_until "... no: the text is still there" \
    screen_has "Plainte déposée au guichet : contrôle routier abusif."
tui_text "$(printf ' Vu \033[31m au poste.')"
tui_until "a pasted escape character loses nothing" \
    screen_has "routier abusif. Vu 31m au poste."
tui_keys F2
tui_until "the summary is kept" selected_has "Plainte déposée au guichet"
tui_select "Categories"
tui_keys Enter
tui_wait "Space: toggle"
tui_select "Torture"
tui_keys Space
tui_until "a category is ticked" selected_has "[x] Torture"
tui_keys Enter
tui_until "the form field 'Categories' takes it" selected_has "Torture"
tui_keys F2
tui_until "the complaint is registered (or a duplicate is asked about)" \
    sh -c "grep -q -e 'Register anyway' -e 'Registered ISSPC-' '$T/screen'"
screen_has "Register anyway" && tui_keys y
tui_expect "the complaint is registered from the terminal" "Registered ISSPC-"
new=$(sed -n 's/.*Registered \(ISSPC-[0-9-]*\)\..*/\1/p' "$T/screen")
tui_expect "... and its case opens" "$new  Received"
tui_keys q
tui_wait "Cases:"
tui_keys q
tui_expect "... and q quits" "EXITED=0"
run "$DOSSIER" --data "$D" --user oumar --passphrase-file "$T/oumar.pw" case show "$new" --format json
check "the complaint holds what the form was given" sh -c "
    grep -q '\"channel\": \"phone\"' '$T/out' &&
    grep -q '\"filed_by\": \"relative\"' '$T/out' &&
    grep -q '\"region\": \"sikasso\"' '$T/out' &&
    grep -q '\"force\": \"gendarmerie\"' '$T/out' &&
    grep -q '\"categories\": \"integrity.torture\"' '$T/out' &&
    grep -q '\"facts_date\": \"2026-11-19\"' '$T/out'"

# After idle seconds the screen locks, clearing case text, and asks again.
tui_start env DOSSIER_IDLE_SECONDS=3 "$DOSSIER" --data "$D" --user ibrahim
sign_in ibrahim "Passphrase:"
tui_wait "Cases:"
tui_expect "the idle lock asks for the passphrase again" "Locked after idle minutes"
tcheck "... with no case text left on the screen" sh -c "! grep -q ISSPC '$T/screen'"
tui_text "$(pw ibrahim)"
tui_keys Enter
tui_expect "unlocking brings the list back" "ibrahim (investigator)"
tui_keys q
tui_expect "... and q quits" "EXITED=0"

# A forced core dump is refused: no core file, even with the limit raised.
mkdir -p "$T/core"
cat >"$T/corerun.sh" <<EOC
#!/bin/sh
cd "$T/core" || exit 1
ulimit -c unlimited 2>/dev/null
ulimit -c >"$T/core.limit"
exec "$DOSSIER" --data "$D" --user oumar
EOC
chmod +x "$T/corerun.sh"
tui_start "$T/corerun.sh"
sign_in oumar "Passphrase:"
tui_wait "Cases:"
check "the core size limit was raised before dossier started" \
    grep -q unlimited "$T/core.limit"
pid=$(pgrep -f -- "^$DOSSIER --data $D --user oumar" | head -1)
grep "Max core file size" /proc/"$pid"/limits >"$T/out"
check "core dumps are disabled in the running process" \
    grep -q "Max core file size *0 *0" "$T/out"
tui_snap
kill -SEGV "$pid"
# 139 (128 + SIGSEGV); a sanitizer build's handler reports and exits 1.
tui_expect "a forced crash ends the process (SIGSEGV)" "EXITED="
rc=0
check "... not as a normal exit" sh -c "! grep -q 'EXITED=0' '$T/screen'"
check "... which is gone" tui_gone "$pid"
ls -A "$T/core" >"$T/out"
check "... and leaves no core file with case text" sh -c "[ ! -s '$T/out' ]"

# A new account must choose its own passphrase first: the sign-in screen
# says how, wrapped at 80 columns, in French, never cut.
printf '%s\n' "une phrase secrète provisoire" >"$T/aminata.pw"
"$DOSSIER" --data "$D" --user admin --passphrase-file "$T/admin.pw" \
    user add aminata --role investigator \
    --new-passphrase-file "$T/aminata.pw" >/dev/null 2>&1
tui_start "$DOSSIER" --lang fr --data "$D" --user aminata
tui_wait "Phrase secrète :"
tui_text "une phrase secrète provisoire"
tui_keys Enter
tui_until "a new account is told what to run, whole" \
    joined_has "« dossier user passwd »."
tui_keys Escape
tui_expect "... and Esc leaves" "EXITED="

# Once it chose its own passphrase, the account signs in but nobody has
# approved it yet: it is told at once that it reads and saves nothing.
printf '%s\n' "ma propre phrase secrète" >"$T/aminata2.pw"
"$DOSSIER" --data "$D" --user aminata --passphrase-file "$T/aminata.pw" \
    user passwd --new-passphrase-file "$T/aminata2.pw" >/dev/null 2>&1
# With a bad settings file, its notice and the sign-in's are both shown.
mkdir -p "$T/cfg-bad/dossier"
printf 'idle_minutes = beaucoup\n' >"$T/cfg-bad/dossier/settings"
tui_start env XDG_CONFIG_HOME="$T/cfg-bad" "$DOSSIER" --lang fr --data "$D" \
    --user aminata
tui_wait "Phrase secrète :"
tui_text "ma propre phrase secrète"
tui_keys Enter
tui_until "an account not approved yet is told so at sign-in, whole" \
    joined_has "vous ne lisez aucun dossier et n'enregistrez rien."
tcheck "... beside the bad settings file's notice, each on its own rows" \
    joined_has "dossier/settings:1 : réglage inconnu ou invalide"
tui_keys q
tui_expect "... and q leaves" "EXITED="
# The supervisor who signs in next is told that it waits.
tui_start "$DOSSIER" --lang fr --data "$D" --user oumar
sign_in oumar "Phrase secrète :"
tui_until "a supervisor is told at sign-in that an account awaits approval" \
    joined_has "1 compte attend son approbation : approuvez-le sur l'écran des comptes (u, puis"
tui_keys q
tui_keys o
tui_expect "... and q leaves" "EXITED="

finish
