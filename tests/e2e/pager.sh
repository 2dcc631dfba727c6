#!/bin/sh
# pager.sh: the help screen and the audit log are read in one pager, in
# French and English at 80x24: a row, a page, the last (End, G) and the
# first (Home, g), the same keys on both; the help wrapped again when the
# terminal is resized to 132x43 and back; the audit log's long details
# wrapped, not cut; the case's help says what the
# export asks (tui.sh answers those questions), the redaction included.  See lib.sh for the
# rules each step follows.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

command -v tmux >/dev/null 2>&1 || { echo "tmux is required (bootstrap installs it)"; exit 1; }
# Home and End as the terminal tmux emulates sends them.
TUI_TERM=${TUI_TERM:-screen}

D="$T/data"
"$DOSSIER" --data "$D" demo --cases 3 >/dev/null
for u in oumar fatou; do
	awk -v u=$u '$1 == u { print $3 }' "$D/demo-users.txt" >"$T/$u.pw"
done
pw() { cat "$T/$1.pw"; }
as() {
	u=$1
	shift
	"$DOSSIER" --data "$D" --user "$u" --passphrase-file "$T/$u.pw" "$@"
}
sign_in() {
	tui_wait "$2" || return 1
	tui_text "$(pw "$1")"
	tui_keys Enter
}
# More audit entries than a screen holds: each sign-in is one.
i=0
while [ $i -lt 25 ]; do
	as fatou case list >/dev/null
	i=$((i + 1))
done
# The entry numbered $1 is on the screen, as the audit screen shows it.
entry_shown() { grep -q -E "^ +$1 [0-9]" "$T/screen"; }
entry_gone() { ! entry_shown "$1"; }
LAST=$(as fatou audit list --format tsv | tail -1 | cut -f1)

# In French: the help of the case list, then the audit log.
tui_start "$DOSSIER" --lang fr --data "$D" --user oumar
sign_in oumar "Phrase secrète :"
tui_wait "Dossiers : "
tui_keys '?'
tui_wait "Touches de cet écran (liste des dossiers)"
tcheck "the help starts at its top, the global keys below the screen" \
    sh -c "! grep -q '\[redraw\]' '$T/screen'"
tcheck "its title says it scrolls, from its first row" \
    grep -q "^Touches de cet écran (liste des dossiers)  (lignes 1-[0-9]* sur [0-9]*)" \
    "$T/screen"
tui_keys G
tui_expect "G shows the help's last row" "[redraw]"
tui_holds "... and the top has gone by" sh -c \
    "! grep -q \"D'après le plan de touches\" '$T/screen'"
help_end() {
	grep -q "^Touches de cet écran (liste des dossiers)  (lignes \([0-9]*\)-\([0-9]*\) sur \2)" \
	    "$T/screen"
}
tcheck "... the title down to its last row" help_end
tui_keys g
tui_expect "g goes back to its first row" "D'après le plan de touches"
tui_keys End
tui_expect "End is the last row too" "[redraw]"
tui_keys Home
tui_expect "... Home the first" "D'après le plan de touches"
# Widened, the help is wrapped again for its width; narrowed, again.
tui_resize 132 43
tui_until "at 132x43 the help's sentences are wrapped to the new width" \
    grep -q "touches de cet écran sont dans la section \[list\]" "$T/screen"
tui_resize 80 24
tui_until "... and back at 80x24, to 80 columns" \
    grep -q "^  écran sont dans la section \[list\]" "$T/screen"
tui_keys q
tui_wait "Dossiers : "
tui_keys A
tui_wait "Journal d'audit intact"
tui_holds "the audit log shows the newest entry first" entry_shown "$LAST"
tcheck "... not the first" entry_gone 1
tui_keys G
tui_until "G shows the first entry, at the bottom" entry_shown 1
tui_holds "... the title stays" screen_has "Journal d'audit intact"
tcheck "... actions in words" screen_has "connexion"
# An account's approval names the account, its role, its key and who
# approved it: longer than 80 columns, it goes on over the next rows.
tcheck "... a long detail read whole over two rows, not cut" sh -c \
    "grep -q 'compte approuvé' '$T/screen' && ! grep -q '…' '$T/screen'"
tcheck "... its end in sight" joined_has "approuvé par @root"
tui_keys g
tui_until "g shows the newest again" entry_shown "$LAST"
tui_keys Space
tui_until "a page down moves a page, keeping one row" entry_gone "$LAST"
tui_keys C-b
tui_until "... and a page up comes back" entry_shown "$LAST"
tui_keys '?'
tui_expect "the audit log's help names it, not the help screen" \
    "Touches de cet écran (journal d'audit)"
tui_keys q
tui_wait "Journal d'audit intact"
tui_keys q
tui_wait "Dossiers : "
# The case's help says what the export asks, the redaction included.
tui_keys Enter
tui_wait "Échéance"
tui_keys '?'
tui_wait "Touches de cet écran (dossier)"
tui_keys G
tui_until "the case's help says the export asks about witness identities" \
    joined_has "s'il faut inclure l'identité des témoins dont vous détenez la clé (audité)"
tcheck "... and whether to leave out names for third parties" \
    joined_has "s'il faut retirer les noms et les données personnelles pour des tiers"
tui_keys q
tui_wait "Échéance"
tui_keys q
tui_wait "Dossiers : "
tui_keys q
tui_expect "q quits" "EXITED=0"

# In English: the same pager, the same keys.
tui_start "$DOSSIER" --lang en --data "$D" --user oumar
sign_in oumar "Passphrase:"
tui_wait "Cases: "
tui_keys A
tui_wait "Audit log intact"
tui_holds "the English audit log shows the newest entry first" \
    entry_shown "$LAST"
tui_keys End
tui_until "End shows the first entry" entry_shown 1
tcheck "... actions in words" screen_has "signed in"
tui_keys Home
tui_until "Home the newest" entry_shown "$LAST"
tui_keys q
tui_wait "Cases: "
tui_keys '?'
tui_wait "Keys of this screen (case list)"
tui_keys G
tui_expect "G shows the English help's last row" "[redraw]"
tui_keys q
tui_wait "Cases: "
tui_keys Enter
tui_wait "Deadline"
tui_keys '?'
tui_wait "Keys of this screen (case)"
tui_keys G
tui_until "the case's help says what the export asks, in English" \
    joined_has "whether to leave out names and personal details for third parties"
tui_keys q
tui_wait "Deadline"
tui_keys q
tui_wait "Cases: "
tui_keys q
tui_expect "q quits" "EXITED=0"

finish
