#!/bin/sh
# case-screens.sh: the whole job on a case done from the screens, in
# French and English, at 80x24 and 132x43: the read-only record viewer
# (Enter; a long statement wrapped at words and scrolled; e edits), an
# allegation naming its agent picked among the case's persons, a file
# attached to evidence with its SHA-256 shown, the journal with old and
# new values, an event, a move that shows its target state and deadline
# and asks first, investigators assigned, a witness's key asked for and
# the request seen by its holder at sign-in, then given; what a role may
# not do is not offered.  See lib.sh for the rules each step follows.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

command -v tmux >/dev/null 2>&1 || { echo "tmux is required (bootstrap installs it)"; exit 1; }
# Home and End as the terminal tmux emulates sends them.
TUI_TERM=${TUI_TERM:-screen}

D="$T/data"
"$DOSSIER" --data "$D" demo --seed "$DEMO_SEED" --cases 5 >/dev/null
for u in awa ibrahim oumar fatou; do
	awk -v u=$u '$1 == u { print $3 }' "$D/demo-users.txt" >"$T/$u.pw"
done
pw() { cat "$T/$1.pw"; }
as() {
	u=$1
	shift
	"$DOSSIER" --data "$D" --user "$u" --passphrase-file "$T/$u.pw" "$@"
}
printf 'Certificat du Dr Diallo, CSRef de Kati.\n' >"$T/proof.txt"
SHA=$(sha256sum "$T/proof.txt" | cut -d' ' -f1)
SIZE=$(wc -c <"$T/proof.txt" | tr -d ' ')
# A statement of 1000 words "ÉchoNé" (more than a screen at 132x43): a
# word cut at a row's end would show as "ÉchoN" or "é" alone.
i=2 STATEMENT="Écho1é"
while [ $i -le 1000 ]; do
	if [ $((i % 60)) -eq 1 ]; then
		STATEMENT="$STATEMENT
Écho${i}é"
	else
		STATEMENT="$STATEMENT Écho${i}é"
	fi
	i=$((i + 1))
done

# A complaint assigned to ibrahim, under preliminary examination, its
# summary $1.  Sets REF.
examined_case() {
	REF=$(as awa case new --set "received=2026-11-20 09:30" \
	    --set channel=letter --set filed_by=victim \
	    --set facts_date=2026-11-18 --set region=kayes --set force=police \
	    --set "summary=$1" --set categories=probity.extortion)
	as oumar case assign "$REF" ibrahim
	as oumar case move "$REF" enregistree >/dev/null 2>&1
	as oumar case move "$REF" examen_prealable
}
# A case under way: two agents, a witness recorded by ibrahim, a hearing
# of that witness with a long statement, an evidence record, an
# allegation whose finding was changed.  Sets REF, W, H, EV.
make_case() {
	examined_case "Racket au poste de Kati"
	as oumar case move "$REF" ouverte
	as ibrahim case add "$REF" person --set role=complainant \
	    --set "full_name=Awa Sangaré" >/dev/null
	A1=$(as ibrahim case add "$REF" person --set role=agent \
	    --set "full_name=Sidi Touré" --set service_number=MA-0001)
	as ibrahim case add "$REF" person --set role=agent \
	    --set "full_name=Adama Keïta" --set service_number=MA-0002 >/dev/null
	W=$(as ibrahim case add "$REF" witness --set "full_name=Hawa Coulibaly" \
	    --set role=direct)
	H=$(as ibrahim case add "$REF" hearing --set heard="$W" \
	    --set date=2026-11-21 --set "statement=$STATEMENT")
	EV=$(as ibrahim case add "$REF" evidence --set kind=medical)
	AL=$(as ibrahim case add "$REF" allegation --set agent="$A1" \
	    --set category=probity.extortion --set finding=pending)
	as ibrahim case edit "$REF" "$AL" --set finding=sustained
}

# The words of the statement on the screen are whole.
words_whole() {
	tr ' ' '\n' <"$T/screen" | grep 'cho' | grep -v -x -E 'Écho[0-9]+é' \
	    >"$T/cut"
	[ ! -s "$T/cut" ]
}
# The hint bar (the last row) offers none of the keys given ("e:", ...).
bar_lacks() {
	for h in "$@"; do
		tail -1 "$T/screen" | sed 's/^/ /' | grep -q -F -- " $h" &&
		    return 1
	done
	return 0
}
# The screen has the text, wherever its rows wrap it.
flat_has() {
	tr '\n' ' ' <"$T/screen" | sed 's/  */ /g' | grep -q -F -- "$1"
}
# The statement's rows under its first start in one column.
aligned() {
	awk '/^ +Écho/ { match($0, /^ +/); n[RLENGTH]++; rows++ }
	    END { k = 0; for (w in n) k++; exit !(rows > 3 && k == 1) }' \
	    "$T/screen"
}

# In the hearing's form: the picker of the person heard shows the witness
# as the pattern $2 says (and never the text $3), beside the case's
# persons; then back to the case.
heard_picker() {
	tui_select "$L_heard"
	tui_keys Enter
	tui_wait "$L_choose"
	tui_holds "$1" grep -q -E "$2" "$T/screen"
	[ -z "${3:-}" ] ||
	    tcheck "... never by name $at" sh -c "! grep -q -F '$3' '$T/screen'"
	tcheck "... beside the case's persons $at" screen_has "Awa Sangaré"
	tui_keys Escape
	tui_wait "$L_hearing $H (version"
	tui_keys Escape
	tui_wait "$REF$L_sep$L_hearing $H"
	tui_keys q
	tui_wait "$REF  "
}

sign_in() {
	tui_start "$DOSSIER" --data "$D" --user "$1" --lang "$lang"
	[ "$cols" -eq 80 ] || tui_resize "$cols" "$rows"
	tui_wait "$L_pass" || return 1
	tui_text "$(pw "$1")"
	tui_keys Enter
}
open_case() {
	tui_wait "$L_cases" || return 1
	tui_keys /
	tui_text "$REF"
	tui_keys Enter Enter
	tui_wait "$REF  " || return 1
}

session() {
	lang=$1 cols=$2 rows=$3
	at="($lang, ${cols}x$rows)"
	make_case
	if [ "$lang" = fr ]; then
		L_pass="Phrase secrète :" L_cases="Dossiers : "
		L_add="Ajouter au dossier" L_alleg="Allégation" L_new="(nouvelle fiche)"
		L_choose="Entrée : choisir" L_cat="Manquement"
		L_extortion="Racket aux postes de contrôle"
		L_saved="Enregistré comme fiche" L_pending="En attente"
		L_sustained="Établi" L_agent_role="Agent mis en cause"
		L_hearing="Procès-verbal d’audition" L_evidence="Pièce"
		L_sep=" : " L_rows="(lignes " L_path="Chemin du fichier à joindre"
		L_attached="proof.txt joint ($SIZE octets, chiffré). SHA-256 :"
		L_finding="Conclusion" L_file="Fichier" L_journal="journal"
		L_event="Consigner un événement"
		L_referral="Saisine du procureur de la République"
		L_details="Précisions (facultatif)" L_recorded="Consigné :"
		L_move="Faire avancer le dossier"
		L_start="Commencer l'instruction" L_reason="Motif (facultatif)"
		L_will="Le dossier passera à « En instruction », avec une nouvelle échéance : $(date -u -d '+90 days' +%d/%m/%Y)."
		L_yn="Confirmer cette transition ? (o/n)" L_yes=o
		L_not="Le dossier n'a pas changé d'état."
		L_opened="Enquête ouverte" L_under="En instruction"
		L_inv="Enquêteurs affectés à" L_assigned="Affecté : ibrahim, mariam"
		L_asked="Clé de Témoin A demandée"
		L_asked_of="Clés de témoins qu'on vous demande : oumar pour le témoin $W du dossier $REF"
		L_give="Remettre la clé du témoin à" L_holds="oumar détient désormais cette clé" \
		L_giveq="Remettre la clé de Témoin A à oumar, qui lira l’identité du témoin ? (o/n)" \
		L_jgiven="Clé de Témoin A remise à oumar"
		L_heard="Personne entendue"
		L_take="Retirer la clé du témoin à" L_gone="oumar ne détient plus cette clé."
		L_paused="Suspendu"
		L_pseudo="Témoins affichés sous pseudonyme seulement."
		L_shown="Identités des témoins affichées là où vous détenez la clé"
	else
		L_pass="Passphrase:" L_cases="Cases: "
		L_add="Add to the case" L_alleg="Allegation" L_new="(new)"
		L_choose="Enter: choose" L_cat="Misconduct"
		L_extortion="Extortion at checkpoints"
		L_saved="Saved as record" L_pending="Pending"
		L_sustained="Sustained" L_agent_role="Agent concerned"
		L_hearing="Hearing record" L_evidence="Evidence"
		L_sep=": " L_rows="(rows " L_path="Path of the file to attach"
		L_attached="Attached proof.txt ($SIZE bytes, encrypted). SHA-256:"
		L_finding="Finding" L_file="File" L_journal="journal"
		L_event="Record an event"
		L_referral="Referred to the public prosecutor"
		L_details="Details (optional)" L_recorded="Recorded:"
		L_move="Move the case"
		L_start="Start investigating" L_reason="Reason (optional)"
		L_will="The case will be “Under investigation”, with a new deadline: $(date -u -d '+90 days' +%Y-%m-%d)."
		L_yn="Make this move? (y/n)" L_yes=y
		L_not="The case was not moved."
		L_opened="Investigation opened" L_under="Under investigation"
		L_inv="Investigators assigned to" L_assigned="Assigned: ibrahim, mariam"
		L_asked="Asked for the key of Témoin A"
		L_asked_of="Witness keys asked of you: oumar for witness $W of $REF"
		L_give="Give the witness's key to" L_holds="oumar now holds this key" \
		L_giveq="Give the key of Témoin A to oumar, who will read the witness's identity? (y/n)" \
		L_jgiven="Key of Témoin A given to oumar"
		L_heard="Person heard"
		L_take="Take the witness's key back from" L_gone="oumar no longer holds this key."
		L_paused="Paused"
		L_pseudo="Witnesses shown by pseudonym only."
		L_shown="Witness identities shown where you hold the key"
	fi

	sign_in ibrahim
	open_case
	# An allegation names its agent, picked among the case's persons.
	tui_keys a
	tui_wait "$L_add"
	tui_select "$L_alleg"
	tui_keys Enter
	tui_wait "$L_alleg $L_new"
	tui_keys Enter
	tui_expect "the agent is picked among the case's persons $at" \
	    "Adama Keïta MA-0002, $L_agent_role"
	# allegation.form: link = person, link.role = agent.
	tcheck "... those whose role is agent: not the complainant $at" \
	    sh -c "! grep -q 'Awa Sangaré' '$T/screen'"
	tcheck "... nor a witness $at" sh -c "! grep -q 'Témoin A' '$T/screen'"
	tui_select "Adama Keïta"
	tui_keys Enter
	tui_until "the allegation names its agent by name $at" \
	    selected_has "Adama Keïta MA-0002, $L_agent_role"
	tui_select "$L_cat"
	tui_keys Enter
	tui_wait "$L_choose"
	tui_select "$L_extortion"
	tui_keys Enter
	tui_until "... and its misconduct $at" selected_has "$L_extortion"
	tui_keys F2
	tui_expect "the allegation is saved $at" "$L_saved"
	tui_expect "... and listed with its agent and finding $at" \
	    "Adama Keïta - $L_pending - "
	tcheck "each allegation names its own agent $at" \
	    screen_has "Sidi Touré - $L_sustained - "

	# Enter reads a record; the person heard by pseudonym and name.
	tui_select "$L_hearing"
	tui_keys Enter
	tui_expect "Enter opens the record viewer $at" "$REF$L_sep$L_hearing $H"
	tui_holds "... the person heard named, not numbered $at" \
	    grep -q -E "^$L_heard +Témoin A \(Hawa Coulibaly\)" "$T/screen"
	tui_holds "... the statement wrapped at words $at" words_whole
	[ -s "$T/cut" ] && sed 's/^/#   cut: /' "$T/cut"
	tcheck "... its rows aligned under the first $at" aligned
	tcheck "... and it says it scrolls $at" screen_has "$L_rows"
	tui_keys End
	tui_expect "End shows the statement's end $at" "Écho1000é"
	tui_holds "... its words whole $at" words_whole
	tui_keys Home
	tui_expect "Home comes back to the top $at" "$L_heard"
	tui_keys PgDn
	tui_until "PgDn scrolls by a page $at" sh -c \
	    "! grep -q -F '$L_heard' '$T/screen' && grep -q 'Écho' '$T/screen'"
	tui_keys G
	tui_expect "G goes to the end too $at" "Écho1000é"
	tui_keys e
	tui_expect "e edits the record $at" "$L_hearing $H (version"
	# The person heard: a person or a witness, by name for the holder
	# of the witness's key.
	heard_picker "the picker names the witness, for the key holder $at" \
	    "^ *Témoin A \(Hawa Coulibaly\)"
	# Witnesses by pseudonym only (w): the form's picker follows, and
	# opens no identity (it did, audited as a view the user had not
	# asked for).
	as oumar audit list --case "$REF" --by ibrahim --format tsv |
	    grep -c 'witness.view' >"$T/views0"
	tui_keys w
	tui_expect "w shows witnesses by pseudonym only $at" "$L_pseudo"
	tui_select "$L_hearing"
	tui_keys Enter
	tui_wait "$REF$L_sep$L_hearing $H"
	tui_keys e
	tui_wait "$L_hearing $H (version"
	heard_picker "... and the form's picker follows it $at" \
	    "^ *Témoin A *\$" "Coulibaly"
	as oumar audit list --case "$REF" --by ibrahim --format tsv |
	    grep -c 'witness.view' >"$T/views1"
	check "... opening no identity: no view audited $at" \
	    cmp -s "$T/views0" "$T/views1"
	tui_keys w
	tui_expect "w shows them again $at" "$L_shown"

	# A file attached to evidence: its SHA-256 said and shown.
	tui_select "$L_evidence "
	tui_keys Enter
	tui_wait "$REF$L_sep$L_evidence $EV"
	tui_keys f
	tui_wait "$L_path"
	tui_text "$T/proof.txt"
	tui_keys Enter
	tui_expect "the viewer shows the SHA-256 whole, as sha256sum prints it $at" \
	    "$SHA"
	tui_holds "... and attaching says it $at" flat_has "$L_attached $SHA"
	tui_keys q

	# The journal: old and new values, by label.
	tui_keys J
	tui_expect "the journal opens $at" "$REF$L_sep$L_journal"
	tui_holds "... with a finding's old and new value $at" \
	    screen_has "$L_finding$L_sep$L_pending → $L_sustained"
	tui_holds "... and the file attached $at" \
	    screen_has "$L_file$L_sep- → proof.txt"
	tui_keys q

	# An event.
	tui_keys v
	tui_wait "$L_event"
	tui_select "$L_referral"
	tui_keys Enter
	tui_wait "$L_details"
	tui_text "Parquet de Kayes"
	tui_keys Enter
	tui_expect "an event is recorded $at" "$L_recorded $L_referral."
	tui_holds "... and in the journal $at" \
	    flat_has "$L_referral (Parquet de Kayes)"

	# A move says where it leads and asks first.
	tui_keys m
	tui_wait "$L_move"
	tui_select "$L_start"
	tui_keys Enter
	tui_wait "$L_reason"
	tui_keys Enter
	tui_expect "a move asks before it is made $at" "$L_yn"
	tui_holds "... showing its target state and new deadline $at" \
	    flat_has "$L_will"
	tui_keys n
	tui_expect "no: the case is not moved $at" "$L_not"
	tcheck "... and stays where it was $at" screen_has "$REF  $L_opened"
	tcheck "a case never suspended says nothing of a suspension $at" \
	    sh -c "! grep -q -E '$L_paused [0-9]' '$T/screen'"
	tui_keys m
	tui_wait "$L_move"
	tui_select "$L_start"
	tui_keys Enter
	tui_wait "$L_reason"
	tui_keys Enter
	tui_wait "$L_yn"
	tui_keys "$L_yes"
	tui_expect "yes: the case is moved $at" "$REF  $L_under"
	tui_keys q q

	# The supervisor assigns another investigator and asks for the
	# witness's key, which only ibrahim holds.
	sign_in oumar
	open_case
	# Without the witness's key: the pseudonym, never the name, in the
	# viewer and in the picker of the person heard.
	tui_select "$L_hearing"
	tui_keys Enter
	tui_wait "$REF$L_sep$L_hearing $H"
	tui_holds "the viewer names the witness by pseudonym only, without the key $at" \
	    grep -q -E "^$L_heard +Témoin A *\$" "$T/screen"
	tui_keys e
	tui_wait "$L_hearing $H (version"
	heard_picker "the picker names the witness by pseudonym only, without the key $at" \
	    "^ *Témoin A *\$" "Coulibaly"
	tui_keys i
	tui_wait "$L_inv $REF"
	tui_select "mariam"
	tui_keys Space Enter
	tui_expect "an investigator is assigned from the screen $at" "$L_assigned"
	tui_keys K
	tui_expect "the witness's key is asked for $at" "$L_asked"
	tui_keys q q

	# Its holder is told at sign-in, and gives it.
	sign_in ibrahim
	tui_wait "$L_cases"
	tui_holds "the holder sees the request at sign-in $at" \
	    flat_has "$L_asked_of"
	open_case
	tui_select "Témoin A"
	tui_keys g
	tui_wait "$L_give"
	tui_select "oumar"
	tui_keys Enter
	tui_until "giving the key asks first, naming the witness $at" \
	    joined_has "$L_giveq"
	tui_keys n
	tui_holds "... no: nothing is given $at" tcheck_not_has "$L_holds"
	tui_keys g
	tui_wait "$L_give"
	tui_select "oumar"
	tui_keys Enter
	tui_until "... asked again $at" joined_has "$L_giveq"
	tui_keys y
	tui_expect "the key is given from the screen $at" "$L_holds"
	tui_holds "... and the case's journal says which witness's key $at" \
	    screen_has "$L_jgiven"
	tui_keys q q
	sign_in ibrahim
	tui_wait "$L_cases"
	tcheck "... and the request is answered $at" sh -c \
	    "! grep -q -F 'oumar' '$T/screen'"
	# ... and taken back.
	open_case
	tui_select "Témoin A"
	tui_keys r
	tui_wait "$L_take"
	tui_select "oumar"
	tui_keys Enter
	tui_expect "the key is taken back from the screen $at" "$L_gone"
	tui_keys q q
}

session fr 80 24
session en 80 24
session fr 132 43
session en 132 43

# An auditor reads: no key to change the case is offered.  The case,
# suspended today, says so.
as oumar case move "$REF" suspendre --reason "Attente d'une expertise"
lang=en cols=80 rows=24 at="(auditor)"
sign_in fatou
open_case
tui_holds "a case suspended says for how long" screen_has "Paused 0 d"
tui_holds "the auditor's hint bar offers no edit, add or move" \
    bar_lacks "e:" "a:" "m:"
tui_keys Enter
tui_wait "Version "
tcheck "... nor does the viewer" bar_lacks "e:" "f:"
tui_keys q q

# A closed case, in French at 80x24: nothing is offered to add, and the
# refusal says why at once; a record opens read-only, saying why, with
# no save offered (it opened as if editable and refused only at F2,
# where the question about discarding covered the refusal).
examined_case "Plainte hors compétence"
as ibrahim case add "$REF" person --set role=complainant \
    --set "full_name=Fanta Kéita" >/dev/null
as oumar case move "$REF" irrecevable --reason "Hors compétence"
lang=fr cols=80 rows=24 at="(closed case, fr, 80x24)"
L_pass="Phrase secrète :" L_cases="Dossiers : "
sign_in ibrahim
open_case
tui_holds "a closed case offers no add $at" bar_lacks "a:"
tui_keys a
tui_expect "... and refuses one, saying why $at" "est clos (Irrecevable)"
tui_select "Fanta Kéita"
tui_keys e
tui_expect "its record opens read-only $at" "[lecture seule]"
tcheck "... saying why at once $at" screen_has "le rouvre en motivant"
tcheck "... with no edit or save offered $at" bar_lacks "F2:" "Entrée:"
tui_keys F2
tui_holds "... and F2 saves nothing $at" sh -c \
    "! grep -q -F 'Enregistré' '$T/screen'"
tui_keys Escape
tui_expect "Escape leaves it without a question $at" "$REF  "
tui_keys q

finish
