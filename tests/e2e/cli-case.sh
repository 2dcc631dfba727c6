#!/bin/sh
# cli-case.sh: a whole investigation from the command line, as the issue's
# "done when" describes it, and the witness canary: the identity is shown
# to the investigator who holds the key and is nowhere in the data
# directory in clear.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

D="$T/data"
touch "$T/start"
run "$DOSSIER" --data "$D" demo --cases 0
check "a demo directory without cases" rc_is 0
for u in awa ibrahim mariam oumar fatou; do
	awk -v u=$u '$1 == u { print $3 }' "$D/demo-users.txt" >"$T/$u.pw"
done
as() {
	u=$1
	shift
	run "$DOSSIER" --data "$D" --user "$u" --passphrase-file "$T/$u.pw" "$@"
}

NAME="Kadidia Canari-Samake"
PHONE="+223 66 42 17 99"
PLACE="Quartier Canari de Sevare"

as awa case new --set "received=2026-11-20 09:30" --set channel=letter \
    --set filed_by=victim --set facts_date=2026-11-18 --set region=mopti \
    --set force=police --set "summary=Arrestation sans motif au poste" \
    --set categories=liberty.arbitrary,integrity.assault
check "the registrar registers a complaint" rc_is 0
REF=$(cat "$T/out")
check "it gets a reference ISSPC-YYYY-NNNN" \
    grep -q '^ISSPC-[0-9]\{4\}-[0-9]\{4\}$' "$T/out"
as awa case new --set channel=letter
check "a complaint missing required fields is refused" err_has "required"
as awa case new --set "received=2026-11-20 09:30" --set channel=letter \
    --set filed_by=victim --set facts_date=2027-11-18 --set region=mopti \
    --set force=police --set "summary=Faits datés après la plainte" \
    --set categories=liberty.arbitrary
check "facts dated after the complaint are refused, both dates named" \
    err_has "'Date of the facts' (2027-11-18) cannot be after 'Received' (2026-11-20 09:30)"
as awa case new --set channel=letter --set filed_by=victim \
    --set facts_date=2026-11-18 --set region=mopti --set force=police \
    --set "summary=Sans date de reception" --set categories=liberty.arbitrary
check "a complaint given no received date is registered" rc_is 0
as oumar case show "$(cat "$T/out")"
check "... received today, as the intake form says" \
    out_has "Received: $(date -u +%Y-%m-%d) [0-2][0-9]:[0-5][0-9]"
as awa case move "$REF" enregistree
check "the registrar registers it" rc_is 0
as awa case move "$REF" examen_prealable
check "the registrar may not start the examination" err_has "may not"
as oumar case move "$REF" examen_prealable
as oumar case assign "$REF" ibrahim
check "the supervisor assigns ibrahim" rc_is 0
as oumar case move "$REF" ouverte
check "the supervisor opens the investigation" rc_is 0

# Editing the complaint record (record 0) keeps the case's reference.
as ibrahim case edit "$REF" 0 --set channel=phone
check "the intake is edited" rc_is 0
as oumar case list --format tsv
check "... and the case is still listed by its reference" \
    out_has "^$REF	"
as oumar case show "$REF"
check "... shows it" out_has "$REF"
check "... with the new channel" out_has "phone\|Phone\|Téléphone"
run "$DOSSIER" --data "$D" check
check "... and dossier check finds every header whole" rc_is 0

as ibrahim case add "$REF" person --set role=complainant \
    --set "full_name=Moussa Kone"
check "the complainant is added" rc_is 0
PC=$(cat "$T/out")
as ibrahim case add "$REF" person --set role=agent --set "full_name=Sgt Traore" \
    --set service_number=PN-4471
AGENT=$(cat "$T/out")
check "the agent is added" rc_is 0
as ibrahim case add "$REF" allegation --set agent="$AGENT" \
    --set category=liberty.arbitrary --set involvement=carried_out
check "a first allegation" rc_is 0
A2=$(cat "$T/out")
as ibrahim case add "$REF" allegation --set agent="$AGENT" \
    --set category=integrity.assault
check "a second allegation" rc_is 0
A3=$(cat "$T/out")
as ibrahim case edit "$REF" 0 --set interpreter=yes
as oumar --lang fr case show "$REF"
check "case show names the agent of an allegation, not only his number" \
    out_has "Agent : $AGENT (Sgt Traore)"
check "... and says a yes-or-no field in words, in French" \
    out_has "Interprète nécessaire : oui"
as ibrahim case add "$REF" witness --set "full_name=$NAME" \
    --set "phone=$PHONE" --set "location=$PLACE" --set role=direct
check "a witness" rc_is 0
W=$(cat "$T/out")
as ibrahim case add "$REF" hearing --set "heard=$AGENT" --set date=2026-11-21 \
    --set start=09:30 --set end=08:00 --set "statement=Audition à l'envers"
check "a hearing that ends before it starts is refused" \
    err_has "'End' (08:00) cannot be before 'Start' (09:30)"
as ibrahim case add "$REF" hearing --set "heard=Témoin A" \
    --set date=2026-11-25 --set "statement=Le témoin a vu l'arrestation."
check "a hearing naming its witness in words is refused" \
    err_has "“Person heard” names a record of the case by its number: a record “Person” or “Witness”; 'Témoin A' is not one."
as ibrahim case add "$REF" hearing --set "heard=$W" \
    --set date=2026-11-25 --set "statement=Le témoin a vu l'arrestation."
check "a hearing" rc_is 0
as ibrahim case add "$REF" allegation --set agent="$PC" \
    --set category=integrity.assault
check "an allegation's agent must be a person whose role is agent" \
    err_has "“Agent” names a record of the case by its number: a record “Person” whose “Role” is “Agent concerned”; '$PC' is not one."
as ibrahim case add "$REF" allegation --set agent="$W" \
    --set category=integrity.assault
check "... not a witness" err_has "'$W' is not one"
as ibrahim case add "$REF" allegation --set agent=999 \
    --set category=integrity.assault
check "... nor a record the case does not have" err_has "'999' is not one"
as ibrahim case edit "$REF" "$A2" --set agent="$PC"
check "case edit refuses it too" err_has "“Agent” names a record"
as ibrahim --lang fr case edit "$REF" "$A2" --set agent="$PC"
check "... in French" err_has "« Agent » désigne une fiche du dossier par son numéro : une fiche « Personne » dont « Rôle » est « Agent mis en cause »"
as ibrahim case add "$REF" allegation --set agent="$AGENT" \
    --set category=not.a.category
check "a bad choice is refused, naming the list" err_has "misconduct"

as ibrahim case show "$REF"
check "the assigned investigator sees the witness's name" out_has "$NAME"
check "... and the pseudonym" out_has "Témoin A"
as oumar case show "$REF"
check "the supervisor sees the case" out_has "Arrestation sans motif"
check "... but not the witness's name" sh -c "! grep -q '$NAME' '$T/out'"
check "... who appears by pseudonym" out_has "Témoin A"
as mariam case show "$REF"
check "an unassigned investigator sees only the header" \
    out_has "only its header"
check "... and no narrative" sh -c "! grep -q 'Arrestation sans' '$T/out'"

# Optimistic versions: two edits from version 1; the second is refused.
as ibrahim case edit "$REF" "$A2" --set finding=sustained --if-version 1
check "an edit from the current version is saved" rc_is 0
as oumar case edit "$REF" "$A2" --set finding=unfounded --if-version 1
check "an edit from an older version is refused" err_has "was changed by ibrahim"

for step in en_instruction contradictoire; do
	as ibrahim case move "$REF" $step
	check "ibrahim moves the case to $step" rc_is 0
done
# The rights of the defence hold the report back until they are met.
as ibrahim case move "$REF" rapport_depose
check "no report is filed before the agent is told of the facts" \
    err_has "To move to “Report filed”, the case first needs: “Written notice of the facts” in every record “Rights of the defence”"
check "... nor before a report exists" err_has "a record “Investigation report”"
check "... and the sentence names no id" sh -c "! grep -q 'notice_date\|rapport_depose' '$T/err'"
as ibrahim case show "$REF"
check "... and the case stays where it was" out_has "Agent's observations"
# Told two days ago: the agent's 15 days still run.
NOTICE=$(date -u -d '2 days ago' +%Y-%m-%d)
as ibrahim case add "$REF" agent --set person="$AGENT" \
    --set notice_date="$NOTICE"
check "the notice to the agent is recorded" rc_is 0
RIGHTS=$(cat "$T/out")
as ibrahim case move "$REF" rapport_depose
check "the agent's observations are still awaited" \
    err_has "“Observations received” in every record “Rights of the defence” or 15 days since “Written notice of the facts”"
check "... and the notice is no longer asked for" \
    sh -c "! grep -q 'needs: “Written notice' '$T/err'"
as ibrahim case edit "$REF" "$RIGHTS" --set observations_date="$(date -u +%Y-%m-%d)"
as ibrahim case add "$REF" report --set "facts=Arrestation sans base legale" \
    --set "conclusions=Manquement etabli"
check "the report is written" rc_is 0
as ibrahim case move "$REF" rapport_depose
check "with notice, observations and report the report is filed" rc_is 0
for step in en_revue transmise; do
	as oumar case move "$REF" $step
	check "oumar moves the case to $step" rc_is 0
done
as oumar case add "$REF" decision --set level=authority \
    --set verdict=decided --set "decided_by=Directeur general" \
    --set date=2026-11-28 --set outcome=sanction
check "the decision is recorded" rc_is 0
as oumar case move "$REF" decidee
check "the case is decided once the decision is recorded" rc_is 0
as oumar case event "$REF" referral_prosecutor --reason "Parquet de Mopti"
check "a referral to the prosecutor is an event" rc_is 0
as oumar case move "$REF" cloturee
check "a case with an allegation without finding stays open" \
    err_has "“Finding” other than “Pending” in every record “Allegation”"
as oumar case edit "$REF" "$A3" --set finding=not_sustained
check "the finding is recorded" rc_is 0
as oumar case move "$REF" cloturee
check "the case is closed" rc_is 0
as ibrahim case add "$REF" person --set role=victim --set full_name=X
check "a closed case is read-only" err_has "read-only"
as oumar case move "$REF" rouverte
check "reopening needs a reason" err_has "reason"
as oumar case history "$REF" --format tsv
check "the history has every move" out_has "	move	.*	from=transmise	to=decidee"
check "... and the edits with old and new values" out_has "	new.finding=sustained"
# As text, in the words of the screens' journal, in the user's language.
as oumar --lang fr case history "$REF"
check "the history as text says a move by the states' French labels" \
    out_has "^[0-3][0-9]/[01][0-9]/20[0-9][0-9] .*  oumar  Transmise pour décision → Décidée"
check "... a change by the form's title and the record's number" \
    out_has "  oumar  Modification : Allégation $A3\$"
check "... each field changed under it by its label, its value's label" \
    out_has "^    Conclusion : .* → Non établi\$"
check "... no code of the journal" sh -c "! grep -q -e 'new\.' -e 'to=' '$T/out'"
check "... no line wider than 80 columns" \
    [ "$(LC_ALL=C.UTF-8 wc -L <"$T/out")" -le 80 ]
as oumar case history "$REF" --format csv
check "case history refuses a format it has not" rc_is 2

as oumar case list --state cloturee --format tsv
check "case list filters by state" out_has "^$REF	cloturee	mopti"
# A region by its label (as the screens show it) is its code; an unknown
# region or state is refused with what there is, not an empty list.
as oumar case list --state cloturee --region Mopti --format tsv
check "a region by its label" out_has "^$REF	cloturee	mopti"
# As text: a heading and the screens' words, 80 columns at most.
as oumar --lang fr case list --state cloturee
check "case list as text has a heading in French" \
    out_has "^Référence  *État  *Région  *Affecté  *Échéance"
check "... and the state and region as the screens name them" \
    out_has "^$REF  *Clôturée  *Mopti  *ibrahim"
check "... no line wider than 80 columns" \
    [ "$(LC_ALL=C.UTF-8 wc -L <"$T/out")" -le 80 ]
as oumar case list --region Nowhere
check "an unknown region is refused" rc_is 1
check "... saying the regions there are" \
    err_has 'no region "Nowhere"; the regions are: .*mopti'
as oumar case list --state cloturee,bogus
check "an unknown state is refused" rc_is 1
check "... saying the states there are" \
    err_has 'no state "bogus"; the states are: .*cloturee'
as oumar case list --workflow Inspection
check "an unknown workflow is refused (it listed nothing, exit 0)" rc_is 1
check "... saying the workflows there are" \
    err_has 'no workflow "Inspection"; the workflows are: .*inspection'
as oumar case list --assignee ibrahimm
check "an unknown assignee is refused (it listed nothing, exit 0)" rc_is 1
check "... naming it" err_has "no user named 'ibrahimm'"
as oumar case list --assignee ibrahim --format tsv
check "a known one lists his cases" out_has "ibrahim"
as awa case new --set "received=2026-11-20 09:30" --set channel=phone \
    --set filed_by=ngo --set facts_date=2026-11-01 --set region=gao \
    --set force=gendarmerie --set "summary=Racket au poste" \
    --set categories=probity.extortion
REF2=$(cat "$T/out")
# The test build's clock moves; the installed program's does not.
DOSSIER_NOW=$(($(date +%s) + 10 * 86400)) run "$DOSSIER" --data "$D" \
    --user oumar --passphrase-file "$T/oumar.pw" case list --overdue --format tsv
check "the program ignores DOSSIER_NOW" sh -c "! grep -q '^$REF2	' '$T/out'"
DOSSIER_NOW=$(($(date +%s) + 10 * 86400)) run "${DOSSIER_TEST:?}" --data "$D" \
    --user oumar --passphrase-file "$T/oumar.pw" case list --overdue --format tsv
check "ten days later the new complaint is overdue" out_has "^$REF2	recue"
check "... and the closed case is not" sh -c "! grep -q '^$REF	' '$T/out'"
as oumar case agent PN4471
check "the agent's cases are found by service number" out_has "^$REF	"

# Control characters in data never reach the terminal raw.
ESC=$(printf '\033')
as awa case new --set "received=2026-11-20 09:30" --set channel=letter \
    --set filed_by=victim --set facts_date=2026-11-18 --set region=kayes \
    --set force=police --set "summary=${ESC}[2J${ESC}]0;owned${ESC}\\ texte" \
    --set categories=conduct.behaviour
check "text with escape sequences is stored" rc_is 0
REF3=$(cat "$T/out")
as awa case show "$REF3"
check "it is shown with visible placeholders" out_has '\^\[\[2J'
check "... and no ESC byte" sh -c "! grep -q '$ESC' '$T/out'"

# JSON: export, import, and an import with one bad record changes nothing.
as ibrahim case export-json "$REF" --out "$T/case.json"
check "export-json writes the case" grep -q "Arrestation sans motif" "$T/case.json"
as awa case import "$T/case.json"
check "the export imports as a new case" rc_is 0
REF4=$(cat "$T/out")
as awa case show "$REF4"
check "the imported case keeps the witness for its importer" out_has "$NAME"
check "... and its state" out_has "cloturee"
as oumar case list --format tsv
before=$(wc -l <"$T/out")
sed 's/"integrity.assault"/"integrity.nothing"/' "$T/case.json" >"$T/bad.json"
as awa case import "$T/bad.json"
check "an import with a bad record is refused" rc_is 1
check "... naming the record" err_has "record [0-9]* (allegation)"
as oumar case list --format tsv
check "... and nothing was imported" [ "$(wc -l <"$T/out")" -eq "$before" ]
sed "s/\"agent\": \"$AGENT\"/\"agent\": \"$PC\"/" "$T/case.json" >"$T/badlink.json"
as awa case import "$T/badlink.json"
check "an import whose allegation names the complainant as its agent is refused" \
    err_has "names a record of the case"
as oumar case list --format tsv
check "... and nothing was imported" [ "$(wc -l <"$T/out")" -eq "$before" ]
printf '{"format": "dossier-cases", "version": 1, "cases": [' >"$T/trunc.json"
as awa case import "$T/trunc.json"
check "a truncated JSON file is refused with its line" err_has "trunc.json:1:"

awk '$1 == "admin" { print $3 }' "$D/demo-users.txt" >"$T/admin.pw"
run "$DOSSIER" --data "$D" --user admin --passphrase-file "$T/admin.pw" backup "$T/backup"
check "a hot backup is made" rc_is 0
run "$DOSSIER" --data "$T/backup" check
check "... and verifies on its own" out_has "Every table verifies"
as ibrahim --data "$T/backup" case show "$REF"
check "... and opens with the same keys" out_has "$NAME"

# The canary: nothing of the witness in clear anywhere in the data dir.
for needle in "$NAME" "$PHONE" "$PLACE" "Canari"; do
	check "'$needle' is nowhere in the data directory" \
	    sh -c "! grep -r -q -a -F '$needle' '$D'"
	check "'$needle' is nowhere in the backup" \
	    sh -c "! grep -r -q -a -F '$needle' '$T/backup'"
done
# Nor in any file written under TMPDIR since the test began (dossier
# makes no temporary files; this proves it), outside the test's own
# files, those of other end-to-end tests running at the same time (the
# same canary is their test data) and the build tree (whose logs hold
# this test's output).
find "${TMPDIR:-/tmp}" -xdev -type f -newer "$T/start" ! -path "$T/*" \
    ! -path "${TMPDIR:-/tmp}/dossier-e2e-*" ! -path "$(pwd)/*" \
    2>/dev/null >"$T/newfiles"
for needle in "$NAME" "$PHONE"; do
	check "'$needle' is in no temporary file" \
	    sh -c "! xargs -r grep -l -a -F '$needle' <'$T/newfiles' 2>/dev/null | grep -q ."
done
as fatou audit verify
check "the audit log verifies" out_has "intact"

# Forms files may not declassify: a witness's name declared 'header', or
# a narrative lowered from 'case' to 'header' after the store kept it.
mkdir -p "$T/forms1" "$T/forms2"
cp "${top_srcdir:-.}"/forms/* "$T/forms1/"
cp "${top_srcdir:-.}"/forms/* "$T/forms2/"
awk '/^\[field.full_name\]/ { f = 1 } f && /^class = / { $0 = "class = header"; f = 0 } { print }' \
    "${top_srcdir:-.}/forms/witness.form" >"$T/forms1/witness.form"
DOSSIER_FORMS="$T/forms1" run "$DOSSIER" --data "$D" --user ibrahim \
    --passphrase-file "$T/ibrahim.pw" case list
check "a forms file declaring a witness's name 'header' is refused" \
    err_has "witness's identity"
awk '/^\[field.summary\]/ { f = 1 } f && /^class = / { $0 = "class = header"; f = 0 } { print }' \
    "${top_srcdir:-.}/forms/intake.form" >"$T/forms2/intake.form"
DOSSIER_FORMS="$T/forms2" run "$DOSSIER" --data "$D" --user ibrahim \
    --passphrase-file "$T/ibrahim.pw" case list
check "a forms file lowering a class the store kept is refused" \
    err_has "never lower"
check "... and the command fails" rc_is 1

# The demo made twice from one seed holds the same cases; another seed
# others.  (The tests make their demo data from one seed: lib.sh.)
for d in s1 s2 s3; do
	seed=7
	[ "$d" = s3 ] && seed=8
	"$DOSSIER" --data "$T/$d" demo --seed $seed --cases 12 >/dev/null
	u=$(awk '$1 == "oumar" { print $3 }' "$T/$d/demo-users.txt")
	printf '%s\n' "$u" >"$T/$d.pw"
	"$DOSSIER" --data "$T/$d" --user oumar --passphrase-file "$T/$d.pw" \
	    case list --format tsv | cut -f 1-4 >"$T/$d.tsv"
done
check "one seed, the same twelve cases" \
    sh -c "[ \$(wc -l <'$T/s1.tsv') -eq 12 ] && cmp -s '$T/s1.tsv' '$T/s2.tsv'"
check "another seed, other cases" sh -c "! cmp -s '$T/s1.tsv' '$T/s3.tsv'"
run "$DOSSIER" --data "$T/s4" demo --seed x1 --cases 1
check "a seed that is not a number is refused" err_has "--seed"

finish