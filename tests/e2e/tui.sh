#!/bin/sh
# tui.sh: the terminal application driven in tmux at 80x24, for each role:
# sign in, list, filter, open a case, fill and save a witness form, move a
# case, the dashboard, the admin screen, help, a terminal too small, the
# SSH link dropping mid-edit (the draft is kept), and escape sequences in
# data shown as placeholders.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

command -v tmux >/dev/null 2>&1 || { echo "tmux is required (bootstrap installs it)"; exit 1; }

# tcheck DESCRIPTION CMD...: like check, showing the screen on failure.
tcheck() {
	desc=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		sed 's/^/#   | /' "$T/screen" 2>/dev/null
		fails=$((fails + 1))
	fi
}

D="$T/data"
"$DOSSIER" --data "$D" demo --cases 30 >/dev/null
for u in admin awa ibrahim mariam oumar fatou; do
	awk -v u=$u '$1 == u { print $3 }' "$D/demo-users.txt" >"$T/$u.pw"
done
pw() { cat "$T/$1.pw"; }
# A case with an escape sequence in its summary, assigned to ibrahim.
ESC=$(printf '\033')
REF=$("$DOSSIER" --data "$D" --user awa --passphrase-file "$T/awa.pw" case new \
    --set "received=2026-11-20 09:30" --set channel=letter --set filed_by=victim \
    --set facts_date=2026-11-18 --set region=kidal --set force=garde \
    --set "summary=${ESC}[2J${ESC}[31mrouge" --set categories=integrity.threats)
"$DOSSIER" --data "$D" --user oumar --passphrase-file "$T/oumar.pw" case assign "$REF" ibrahim
"$DOSSIER" --data "$D" --user oumar --passphrase-file "$T/oumar.pw" case move "$REF" enregistree >/dev/null 2>&1
"$DOSSIER" --data "$D" --user oumar --passphrase-file "$T/oumar.pw" case move "$REF" examen_prealable
"$DOSSIER" --data "$D" --user oumar --passphrase-file "$T/oumar.pw" case move "$REF" ouverte

# Sign-in: a wrong passphrase gives a message, the right one the list.
tui_start "$DOSSIER" --data "$D" --user ibrahim
tui_wait "Passphrase:"
tcheck "the sign-in screen asks for the passphrase" screen_has "Passphrase:"
tui_text "not the passphrase at all"
tui_keys Enter
tui_wait "Wrong passphrase"
tcheck "a wrong passphrase is refused with a message" screen_has "Wrong passphrase for 'ibrahim'"
tcheck "the passphrase typed is never shown" sh -c "! grep -q 'not the passphrase' '$T/screen'"
tui_text "$(pw ibrahim)"
tui_keys Enter
tui_wait "Cases:"
tcheck "the investigator sees the case list" screen_has "ibrahim (investigator)  |  mine"
tcheck "... with their own cases" screen_has "$REF"
tcheck "the hint bar comes from the key map" screen_has "Enter:Open"

# Incremental search, then open the case.
tui_keys /
tui_text "$REF"
tui_keys Enter
tui_keys Enter
tui_wait "Complaint in"
tcheck "the case opens" screen_has "$REF"
tcheck "escape sequences in data are shown as placeholders" screen_has "^[[2J^[[31mrouge"
tmux -L "$TMUX_SOCK" capture-pane -t dt -p -e >"$T/screen.esc"
tcheck "... and not sent to the terminal (no red, no clear)" \
    sh -c "! grep -q '$ESC\[31mrouge' '$T/screen.esc'"

# Add a witness through the form editor and save it.
tui_keys a
tui_wait "Add to the case"
tui_keys j j j Enter
tui_wait "Witness (new)"
tcheck "the witness form opens" screen_has "Full name                   *"
tui_keys j Enter
tui_text "Hawa Témoin-Tmux"
tui_keys Enter
tui_keys j Enter
tui_text "+223 65 43 21 00"
tui_keys Enter
tui_keys j j j j j Enter
tui_wait "Direct witness"
tui_keys j Enter
tui_wait "Role                        * Direct witness"
tcheck "a choice is made in the picker" screen_has "Direct witness"
tcheck "accented text keeps its width" screen_has "Full name                   * Hawa Témoin-Tmux"
tui_keys F2
tui_wait "Saved as record"
tcheck "the witness is saved" screen_has "Témoin A - Hawa Témoin-Tmux"

# Move the case (investigator: start investigating).
tui_keys m
tui_wait "Move the case"
tui_keys Enter
tui_wait "Reason (optional)"
tui_keys Enter
tui_wait "Moved:"
tcheck "the case is moved" screen_has "Under investigation"

# The SSH link drops while a form is open: the draft is kept.
tui_keys a
tui_wait "Add to the case"
tui_keys Enter
tui_wait "Person (new)"
tui_keys j Enter
tui_text "Brouillon Gardé"
tui_keys Enter
tui_wait "Brouillon Gardé"
pkill -HUP -f -- "^$DOSSIER --data $D --user ibrahim"
tui_wait "EXITED=0"
tcheck "SIGHUP ends the application cleanly" screen_has "EXITED=0"
tcheck "the draft is not in clear on disk" sh -c "! grep -r -q -a 'Brouillon Gard' '$D'"
tui_start "$DOSSIER" --data "$D" --user ibrahim
tui_wait "Passphrase:"
tui_text "$(pw ibrahim)"
tui_keys Enter
tui_wait "Resume the form"
tcheck "the next sign-in offers the draft" screen_has "Resume the form left open (person"
tui_keys y
tui_wait "Brouillon Gardé"
tcheck "the draft comes back" screen_has "Full name                   * Brouillon Gardé"
tui_keys Escape
tui_wait "Discard your changes"
tcheck "cancelling a changed form asks first" screen_has "Discard your changes? (y/n)"
tui_keys y
tui_keys q
tui_wait "EXITED"

# A terminal too small, then large enough again.
tui_start "$DOSSIER" --data "$D" --user oumar
tui_wait "Passphrase:"
tui_text "$(pw oumar)"
tui_keys Enter
tui_wait "Cases:"
tcheck "the supervisor sees every case" screen_has "oumar (supervisor)"
tmux -L "$TMUX_SOCK" resize-window -t dt -x 60 -y 20
tui_wait "Terminal too small"
tcheck "below 80x24 a clear message" screen_has "Terminal too small (60x20)"
tmux -L "$TMUX_SOCK" resize-window -t dt -x 80 -y 24
tui_wait "Cases:"
tcheck "back at 80x24 the list returns" screen_has "oumar (supervisor)"

# Dashboard, and a line of it opens the matching list.
tui_keys d
tui_wait "Dashboard:"
tcheck "the dashboard counts the cases" screen_has "Dashboard: 31 cases"
tcheck "... and the overdue ones" screen_has "overdue"
tui_keys Enter
tui_wait "Cases"
tcheck "a dashboard line opens its list" screen_has "overdue:"
tui_keys q
tui_keys q

# Export a signed summary from the case view, then the audit screen.
tui_keys Enter
tui_wait "Journal"
tui_keys x
tui_wait "Export format"
tui_keys Enter
tui_wait "(y/n)"
tui_keys n
tui_wait "Write the summary to"
tui_text "$T/tui-summary.txt"
tui_keys Enter
tui_wait "minisig"
tcheck "the case view exports a signed summary" screen_has "Wrote $T/tui-summary.txt"
"$DOSSIER" --data "$D" key export oumar >"$T/oumar.pub"
run minisign -Vm "$T/tui-summary.txt" -p "$T/oumar.pub"
check "... that the stock minisign verifies" rc_is 0
tui_keys q
tui_keys A
tui_wait "Audit log"
tcheck "the audit screen verifies the chain" screen_has "Audit log intact"
tcheck "... and lists the export" screen_has "case.export"
tui_keys q

# Filter: overdue only.
tui_keys f
tui_wait "Filter"
tui_keys j j Enter
tui_wait "Cases:"
tcheck "the filter applies" screen_has "!"
tui_keys '?'
tui_wait "Keys of this screen"
tcheck "help is generated from the key map" screen_has "page-down"
tui_keys q
tui_keys q
tui_wait "EXITED=0"
tcheck "q quits" screen_has "EXITED=0"

# The admin sees accounts, never cases.
tui_start "$DOSSIER" --data "$D" --user admin
tui_wait "Passphrase:"
tui_text "$(pw admin)"
tui_keys Enter
tui_wait "Accounts:"
tcheck "the admin gets the accounts screen" screen_has "ibrahim"
tcheck "... and no case" sh -c "! grep -q ISSPC '$T/screen'"
tui_keys a
tui_wait "New account name"
tui_text "salif"
tui_keys Enter
tui_wait "Role"
tui_keys j Enter
tui_wait "Initial passphrase"
tui_text "la pluie tombe sur Sikasso"
tui_keys Enter
tui_wait "The same again"
tui_text "la pluie tombe sur Sikasso"
tui_keys Enter
tui_wait "Added salif"
tcheck "the admin adds an account from the terminal" screen_has "Added salif"
tcheck "... whose passphrase was never shown" sh -c "! grep -q 'tombe sur' '$T/screen'"
tui_keys q
run "$DOSSIER" --data "$D" --user admin --passphrase-file "$T/admin.pw" user list --format tsv
check "... as an investigator who must choose a passphrase" \
    grep -q "^salif	investigator	.*must-change" "$T/out"
tui_wait "EXITED"

# Each terminal type draws the list.
for term in screen tmux-256color linux; do
	TUI_TERM=$term tui_start "$DOSSIER" --data "$D" --user fatou
	tui_wait "Passphrase:"
	tui_text "$(pw fatou)"
	tui_keys Enter
	tui_wait "Cases:"
	tcheck "TERM=$term shows the case list" screen_has "fatou (auditor)"
	tui_keys q
done

# French, on a vt100 with no colour.
TUI_TERM=vt100 tui_start env NO_COLOR=1 "$DOSSIER" --lang fr --data "$D" --user fatou
tui_wait "Phrase secr"
tcheck "the sign-in screen speaks French" screen_has "Phrase secrète :"
tui_text "$(pw fatou)"
tui_keys Enter
tui_wait "Dossiers :"
tcheck "French with --lang fr, on vt100 without colour" screen_has "fatou (auditeur)"
tcheck "... state labels from the workflow in French" screen_has "Référence"
tui_keys q
tui_wait "EXITED"

# The registrar registers a complaint through the intake form.
tui_start "$DOSSIER" --data "$D" --user awa
tui_wait "Passphrase:"
tui_text "$(pw awa)"
tui_keys Enter
tui_wait "Cases:"
tui_keys i
tui_wait "Workflow"
tui_keys Enter
tui_wait "Complaint intake (new)"
tcheck "the intake form opens for the registrar" screen_has "Complaint intake (new)"
tui_keys j Enter
tui_text "2026-11-21 10:00"
tui_keys Enter
tui_keys j Enter Enter
tui_keys j Enter Enter
tui_keys j j j j Enter
tui_text "2026-11-19"
tui_keys Enter
tui_keys j Enter Enter
tui_keys j j j j j Enter Enter
tui_keys j j j Enter
tui_text "Plainte déposée au guichet : contrôle routier abusif."
tui_keys F2
tui_keys j Enter Space Enter
tui_wait "Attacks on life"
tui_keys F2
tui_wait "Registered"
tcheck "the complaint is registered from the terminal" screen_has "Registered ISSPC-"
tui_keys q q

# After idle seconds the screen locks, clearing case text, and asks again.
tui_start env DOSSIER_IDLE_SECONDS=2 "$DOSSIER" --data "$D" --user ibrahim
tui_wait "Passphrase:"
tui_text "$(pw ibrahim)"
tui_keys Enter
tui_wait "Cases:"
sleep 3
tui_wait "Locked"
tcheck "the idle lock asks for the passphrase again" screen_has "Locked after idle minutes"
tcheck "... with no case text left on the screen" sh -c "! grep -q ISSPC '$T/screen'"
tui_text "$(pw ibrahim)"
tui_keys Enter
tui_wait "Cases:"
tcheck "unlocking brings the list back" screen_has "ibrahim (investigator)"
tui_keys q

# A forced core dump is refused: no core file, even with the limit raised.
mkdir -p "$T/core"
cat >"$T/corerun.sh" <<EOC
#!/bin/sh
cd "$T/core" || exit 1
ulimit -c unlimited 2>/dev/null
exec "$DOSSIER" --data "$D" --user oumar
EOC
chmod +x "$T/corerun.sh"
tui_start "$T/corerun.sh"
tui_wait "Passphrase:"
tui_text "$(pw oumar)"
tui_keys Enter
tui_wait "Cases:"
pid=$(pgrep -f -- "^$DOSSIER --data $D --user oumar" | head -1)
grep "Max core file size" /proc/"$pid"/limits >"$T/screen"
tcheck "core dumps are disabled in the running process" \
    grep -q "Max core file size *0 *0" "$T/screen"
kill -SEGV "$pid"
sleep 1
ls -A "$T/core" >"$T/screen"
tcheck "a forced crash leaves no core file with case text" \
    sh -c "[ ! -s '$T/screen' ]"

finish
