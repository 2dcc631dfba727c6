#!/bin/sh
# cli-export.sh: signed case summaries checked by the stock minisign tool,
# redaction of witnesses, the audit trail of exports, 'dossier check'.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

command -v minisign >/dev/null 2>&1 || { echo "minisign is required (bootstrap installs it)"; exit 1; }

D="$T/data"
"$DOSSIER" --data "$D" demo --cases 0 >/dev/null
for u in awa ibrahim oumar fatou; do
	awk -v u=$u '$1 == u { print $3 }' "$D/demo-users.txt" >"$T/$u.pw"
done
as() {
	u=$1
	shift
	run "$DOSSIER" --data "$D" --user "$u" --passphrase-file "$T/$u.pw" "$@"
}
NAME="Assitan Canari-Export"

as awa case new --set "received=2026-11-20 09:30" --set channel=letter \
    --set filed_by=victim --set facts_date=2026-11-18 --set region=segou \
    --set force=gendarmerie --set "summary=Coups au poste de Markala" \
    --set categories=integrity.assault
REF=$(cat "$T/out")
as oumar case assign "$REF" ibrahim
as ibrahim case add "$REF" witness --set "full_name=$NAME" --set role=victim
W=$(cat "$T/out")
as ibrahim case add "$REF" person --set role=agent \
    --set "full_name=Sgt Diarra" --set service_number=GN-0101
AG=$(cat "$T/out")
as ibrahim case add "$REF" allegation --set agent="$AG" \
    --set category=integrity.assault --set finding=sustained \
    --set "finding_reasons=Certificat médical et deux témoins concordants"

printf 'certificat\n' >"$T/certificat_medical_Diarra.txt"
as ibrahim case add "$REF" evidence --set kind=medical \
    --attach "$T/certificat_medical_Diarra.txt"
check "evidence with a file named after a person" rc_is 0
as fatou export "$REF" --redact --out "$T/redacted.txt"
check "a redacted summary leaves out the name of an attached file" \
    sh -c "grep -q 'Medical certificate' '$T/redacted.txt' &&
    ! grep -q 'certificat_medical' '$T/redacted.txt'"
check "... and says that free texts are shown as written" \
    grep -q "read them before this" "$T/redacted.txt"
as ibrahim case add "$REF" hearing --set heard="$AG" --set date=2026-11-25 \
    --set defender_present=yes --set "statement=Il conteste les faits."
check "a hearing of the agent, his defender present" rc_is 0
as fatou --lang fr export "$REF" --out "$T/summary-fr.txt"
check "a French summary says a yes-or-no field in words" \
    grep -q "Défenseur présent : oui" "$T/summary-fr.txt"

as fatou export "$REF" --out "$T/summary.txt"
check "the auditor exports a signed summary" rc_is 0
check "... beside it FILE.minisig" [ -f "$T/summary.txt.minisig" ]
check "the summary has the finding and its reasons" \
    grep -q "Certificat médical" "$T/summary.txt"
check "the witness appears by pseudonym" grep -q "Témoin A" "$T/summary.txt"
check "... and never by name" sh -c "! grep -q 'Canari-Export' '$T/summary.txt'"
run "$DOSSIER" --data "$D" key export fatou
cp "$T/out" "$T/fatou.pub"
check "key export prints a minisign public key" \
    grep -q "^untrusted comment: minisign public key " "$T/fatou.pub"
run minisign -Vm "$T/summary.txt" -p "$T/fatou.pub"
check "the stock minisign verifies the summary" out_has "Signature and comment signature verified"
as fatou export "$REF" --out -
mkdir "$T/tar" && (cd "$T/tar" && tar -xf "$T/out")
check "--out - writes a tar archive of the summary and its signature" \
    test -s "$T/tar/$REF.txt" -a -s "$T/tar/$REF.txt.minisig"
run minisign -Vm "$T/tar/$REF.txt" -p "$T/fatou.pub"
check "... which the stock minisign verifies" out_has "Signature and comment signature verified"
check "... and shows the trusted comment" out_has "Trusted comment: dossier case $REF exported by fatou"
as fatou verify "$T/summary.txt"
check "dossier verify names the signer" out_has "Signed by fatou"
run "$DOSSIER" verify "$T/summary.txt" --pub "$T/fatou.pub"
check "dossier verify --pub works without the store" rc_is 0

cp "$T/summary.txt" "$T/t.txt"
cp "$T/summary.txt.minisig" "$T/t.txt.minisig"
printf 'x' >>"$T/t.txt"
run minisign -Vm "$T/t.txt" -p "$T/fatou.pub"
check "a changed byte fails minisign" rc_is 1
run "$DOSSIER" verify "$T/t.txt" --pub "$T/fatou.pub"
check "... and dossier verify, clearly" err_has "file was changed"
cp "$T/summary.txt" "$T/t.txt"
sed 's/exported by fatou/exported by oumar/' "$T/summary.txt.minisig" >"$T/t.txt.minisig"
run "$DOSSIER" verify "$T/t.txt" --pub "$T/fatou.pub"
check "a changed trusted comment fails" err_has "trusted comment was changed"

as ibrahim export "$REF" --out "$T/x.txt"
check "an investigator may not export" err_has "does not allow"
as oumar export "$REF" --out "$T/sup.txt" --with-witnesses
check "without the witness key, --with-witnesses shows pseudonyms" \
    sh -c "! grep -q 'Canari-Export' '$T/sup.txt'"
as ibrahim case grant "$REF" oumar --witness "$W"
check "the investigator grants the witness key to the supervisor" rc_is 0
as oumar export "$REF" --out "$T/sup2.md" --format md --with-witnesses
check "with the key, --with-witnesses includes the identity" \
    grep -q "$NAME" "$T/sup2.md"
check "Markdown has headings" grep -q "^## " "$T/sup2.md"
as oumar export "$REF" --out "$T/sum.json" --format json
check "JSON is language-neutral" grep -q '"finding": "sustained"' "$T/sum.json"
run minisign -Vm "$T/sum.json" -p "$T/fatou.pub"
check "a summary signed by oumar does not verify with fatou's key" rc_is 1
as fatou audit list --case "$REF" --format tsv
grep -c 'case.export' "$T/out" >"$T/exports.before"
as oumar export "$REF" --out "$T/sum.json"
check "an export never overwrites a file" err_has "already exists"
as oumar export "$REF" --out "$T/no-such-dir/sum.txt"
check "an export into a missing directory fails" rc_is 1
as fatou audit list --case "$REF" --format tsv
grep -c 'case.export' "$T/out" >"$T/exports.after"
check "... and failed exports are not audited as exports" \
    cmp -s "$T/exports.before" "$T/exports.after"
check "... nor leave a half-written file" \
    sh -c "[ ! -e '$T/no-such-dir' ] && [ ! -e '$T/sum.json.minisig.minisig' ]"
ls -l "$T/sum.json" >"$T/out"
check "summaries are readable by their owner only (0600)" \
    grep -q '^-rw-------' "$T/out"

as fatou audit list --case "$REF" --format tsv
check "exports are audited" out_has "case.export"
check "... with witness identities said so" out_has "witnesses=identities"
check "the grant is audited" out_has "witness.grant"
run "$DOSSIER" --data "$D" --user fatou --passphrase-file "$T/awa.pw" case list
as fatou audit list --by fatou --format tsv
check "a failed sign-in is audited" out_has "	signin.fail	"
check "... --format tsv gives the action's code, tab-separated" \
    grep -q "^[0-9]*	[0-9-]* [0-9:]*	fatou	signin.fail	" "$T/out"
as fatou audit list --by fatou
check "audit list says the action in words for people" \
    out_has "failed sign-in"
check "... not its code" sh -c "! grep -q 'signin.fail' '$T/out'"
as fatou --lang fr audit list --case "$REF"
check "... in French too" out_has "synthèse exportée"
check "... with the time the French way" \
    grep -q "^ *[0-9]* [0-9][0-9]/[0-9][0-9]/20[0-9][0-9] [0-9]* h [0-9]*" \
    "$T/out"
as fatou audit list --format csv
check "audit list --format takes text or tsv" rc_is 2
as fatou audit verify
check "the audit log verifies" out_has "intact"
run "$DOSSIER" --data "$D" check
check "dossier check passes" out_has "Every table verifies"

# Audit checkpoints, kept off the server.
as fatou audit checkpoint --out "$T/cp1"
check "an auditor writes a signed checkpoint" rc_is 0
"$DOSSIER" --data "$D" key export fatou >"$T/fatou.pub"
run minisign -Vm "$T/cp1" -p "$T/fatou.pub"
check "... that the stock minisign verifies" rc_is 0
as ibrahim audit checkpoint --out "$T/cp-inv"
check "an investigator may not write one" err_has "does not allow"
as awa case new --set "received=2026-11-21 09:30" --set channel=letter \
    --set filed_by=victim --set facts_date=2026-11-18 --set region=segou \
    --set force=police --set "summary=Après le point de contrôle" \
    --set categories=integrity.assault
as oumar audit verify --since "$T/cp1"
check "later, the log still extends the checkpoint" out_has "extends the checkpoint"
as oumar audit verify --since "$T/cp1" --pub "$T/fatou.pub"
check "... checked with the key kept off the server" rc_is 0
sed 's/^entry: \([0-9]*\)/entry: 1\1/' "$T/cp1" >"$T/cp-bad"
cp "$T/cp1.minisig" "$T/cp-bad.minisig"
as oumar audit verify --since "$T/cp-bad"
check "a checkpoint changed after signing is refused" rc_is 1
# A checkpoint of a longer log (another store, its key given): the entry
# it names is not here, as after a trim.
D2="$T/data2"
"$DOSSIER" --data "$D2" demo --cases 0 >/dev/null
awk '$1 == "fatou" { print $3 }' "$D2/demo-users.txt" >"$T/fatou2.pw"
"$DOSSIER" --data "$D2" --user fatou --passphrase-file "$T/fatou2.pw" \
    audit checkpoint --out "$T/cp2" >/dev/null
"$DOSSIER" --data "$D2" key export fatou >"$T/fatou2.pub"
as oumar audit verify --since "$T/cp2" --pub "$T/fatou2.pub"
check "a log whose entry differs from the checkpoint's is refused" \
    err_has "not the one the checkpoint names"
i=0
while [ $i -lt 60 ]; do
	"$DOSSIER" --data "$D2" --user fatou --passphrase-file "$T/fatou2.pw" \
	    audit list >/dev/null 2>&1
	i=$((i + 1))
done
"$DOSSIER" --data "$D2" --user fatou --passphrase-file "$T/fatou2.pw" \
    audit checkpoint --out "$T/cp3" >/dev/null
as oumar audit verify --since "$T/cp3" --pub "$T/fatou2.pub"
check "a log that no longer holds the checkpoint's entry is refused" \
    err_has "no longer holds entry"

# The rights of the defence in the summary: each step with its date, and
# a gap where the case went on without one (here the observations date
# was later cleared).
as awa case new --set channel=letter --set filed_by=victim \
    --set facts_date=2026-11-18 --set region=kayes --set force=police \
    --set "summary=Garde a vue prolongee" --set categories=liberty.custody
R3=$(cat "$T/out")
as oumar case assign "$R3" ibrahim
for step in enregistree examen_prealable ouverte en_instruction \
    contradictoire; do
	as oumar case move "$R3" $step
done
check "the case reaches the agent's observations" rc_is 0
as ibrahim case add "$R3" person --set role=agent --set "full_name=Adj Sangare"
P3=$(cat "$T/out")
TOLD=$(date -u -d '3 days ago' +%Y-%m-%d)
as ibrahim case add "$R3" agent --set person="$P3" --set notice_date="$TOLD" \
    --set observations_date="$(date -u +%Y-%m-%d)"
RD=$(cat "$T/out")
as ibrahim case add "$R3" report --set "facts=Garde a vue de cinq jours" \
    --set "conclusions=Manquement"
as ibrahim case move "$R3" rapport_depose
check "with its steps done the report is filed" rc_is 0
as fatou export "$R3" --out "$T/steps-ok.txt"
check "the summary lists the steps" grep -q "^Required steps" "$T/steps-ok.txt"
check "... the notice with its date and the agent's name" \
    grep -q "Rights of the defence $RD, Adj Sangare (Person $P3): “Written notice of the facts”: $TOLD" "$T/steps-ok.txt"
check "... and no gap" sh -c "! grep -q GAP '$T/steps-ok.txt'"
as ibrahim case edit "$R3" "$RD" --set observations_date=
check "the observations date is cleared" rc_is 0
as fatou export "$R3" --out "$T/steps-gap.txt"
check "the summary flags the gap" \
    grep -q "GAP: the case moved on without “Observations received”" "$T/steps-gap.txt"
check "... shows the step as none" \
    grep -q "“Observations received”: none" "$T/steps-gap.txt"
check "... and never calls the agent's observations' deadline met" \
    sh -c "! grep -q \"Agent's observations.*deadline met\" '$T/steps-gap.txt'"
check "... but says it was left without its steps" \
    grep -q "Agent's observations.*left without its required steps" "$T/steps-gap.txt"
run minisign -Vm "$T/steps-gap.txt" -p "$T/fatou.pub"
check "the stock minisign verifies it" out_has "Signature and comment signature verified"
as fatou export "$R3" --out "$T/steps.json" --format json
check "JSON lists the requirement, not met" \
    sh -c "tr -d ' \n' <'$T/steps.json' | grep -q '\"requires\":\"every:agent.observations_dateorlapsed:agent.notice_date+15\",\"met\":false'"
export LANGUAGE=fr
as fatou export "$R3" --out "$T/steps-fr.txt"
unset LANGUAGE
check "the French summary names the steps in French" \
    grep -q "LACUNE" "$T/steps-fr.txt"

# While someone uses the store, check refuses rather than verify unsafely.
tui_start "$DOSSIER" --data "$D" --user fatou
tui_wait "Passphrase:"
run "$DOSSIER" --data "$D" check
check "check refuses while another process uses the store" err_has "Other dossier processes"
tui_keys Escape
finish
