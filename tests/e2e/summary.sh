#!/bin/sh
# summary.sh: the signed summary a disciplinary council reads (issue 13,
# item 12).  A case with known content is built from the command line on
# a pinned clock (the test build, DOSSIER_NOW), exported in every format
# and language and compared with the golden files in tests/golden/; only
# the export line is normalised (the signature is in FILE.minisig).  The
# redacted variant holds none of the names; the stock minisign verifies
# every variant; a case closed with no report or decision says so.
#
# GOLDEN_UPDATE=1 rewrites the golden files instead of comparing (then
# read the diff before committing it).
. "${top_srcdir:-.}/tests/e2e/lib.sh"

command -v minisign >/dev/null 2>&1 || { echo "minisign is required (bootstrap installs it)"; exit 1; }
DT="${DOSSIER_TEST:?DOSSIER_TEST must name the test build}"
G="${top_srcdir:-.}/tests/golden"

# The clock: day N of the case at 08:00 UTC, plus minutes.
T0=$(date -u -d '2026-11-02 08:00' +%s)
at() { DOSSIER_NOW=$((T0 + $1 * 86400 + ${2:-0} * 60)); export DOSSIER_NOW; }
day() { date -u -d "@$((T0 + $1 * 86400))" +%Y-%m-%d; }

D="$T/data"
at -1
"$DT" --data "$D" demo --cases 0 >/dev/null
for u in awa ibrahim oumar fatou; do
	awk -v u=$u '$1 == u { print $3 }' "$D/demo-users.txt" >"$T/$u.pw"
done
as() {
	u=$1
	shift
	run "$DT" --data "$D" --user "$u" --passphrase-file "$T/$u.pw" "$@"
}
step() {
	as "$@"
	if [ "$rc" -ne 0 ]; then
		echo "# step failed: $*"
		sed 's/^/#   /' "$T/err"
	fi
}

COMPLAINANT="Aminata Coulibaly-Golden"
AGENT1="Moussa Keita-Golden"
AGENT2="Issa Dembele-Golden"
DEFENDER="Maitre Oumou Diarra-Golden"
WITNESS="Fanta Sidibe-Golden"
SN1="PN-48213"
SN2="PN-51007"

at 0
step awa case new --set channel=in_person --set filed_by=victim \
    --set facts_date=2026-10-30 --set region=segou --set force=police \
    --set "summary=Racket et coups au poste de controle de Markala" \
    --set "agents_reported=$AGENT1 et un brigadier" \
    --set categories=probity.extortion,integrity.assault
REF=$(cat "$T/out")
at 0 30
step oumar case assign "$REF" ibrahim
at 1
step ibrahim case add "$REF" person --set role=complainant \
    --set "full_name=$COMPLAINANT" --set sex=f --set age_group=adult \
    --set "contact=+223 70 00 00 01"
PC=$(cat "$T/out")
step ibrahim case edit "$REF" 0 --set complainant="$PC"
step ibrahim case add "$REF" person --set role=agent --set "full_name=$AGENT1" \
    --set "service_number=$SN1" --set rank=Sergent-chef --set corps=police \
    --set "unit_then=Commissariat de Markala"
PA1=$(cat "$T/out")
step ibrahim case add "$REF" person --set role=agent --set "full_name=$AGENT2" \
    --set "service_number=$SN2" --set rank=Brigadier --set corps=police \
    --set "unit_then=Commissariat de Markala" --set "unit_now=Commissariat de Segou"
PA2=$(cat "$T/out")
step ibrahim case add "$REF" witness --set "full_name=$WITNESS" --set role=direct
PW=$(cat "$T/out")
step ibrahim case add "$REF" allegation --set agent="$PA1" \
    --set category=probity.extortion --set norm=code_conduct \
    --set involvement=carried_out --set finding=sustained \
    --set "finding_reasons=Trois commercants concordants"
A1=$(cat "$T/out")
step ibrahim case add "$REF" allegation --set agent="$PA1" \
    --set category=integrity.assault --set involvement=carried_out
A2=$(cat "$T/out")
step ibrahim case add "$REF" allegation --set agent="$PA2" \
    --set category=probity.extortion --set involvement=present
A3=$(cat "$T/out")
for s in enregistree examen_prealable ouverte; do
	step oumar case move "$REF" $s
done
at 2
step ibrahim case move "$REF" en_instruction
at 3
step ibrahim case add "$REF" hearing --set heard="$PW" --set date="$(day 3)" \
    --set "place=Brigade de Markala" --set "statement=Le temoin a vu le racket."
at 5
step ibrahim case move "$REF" contradictoire
step ibrahim case add "$REF" agent --set person="$PA1" \
    --set notice_date="$(day 5)" --set file_access_date="$(day 6)" \
    --set "defender=$DEFENDER" --set defender_date="$(day 6)"
R1=$(cat "$T/out")
step ibrahim case add "$REF" agent --set person="$PA2" --set notice_date="$(day 5)"
R2=$(cat "$T/out")
at 8
step ibrahim case edit "$REF" "$R1" --set observations_date="$(day 8)"
at 12
step ibrahim case add "$REF" report --set "facts=Prelevements reguliers au poste" \
    --set "conclusions=Manquement etabli pour le sergent-chef; non etabli pour le brigadier" \
    --set "recommendations=Sanction disciplinaire et rotation des equipes"
at 21
step ibrahim case move "$REF" rapport_depose
step oumar case move "$REF" en_revue
at 22
step oumar case move "$REF" transmise
at 23
step oumar case edit "$REF" "$A1" --set finding=pending
at 25
step oumar case edit "$REF" "$A1" --set finding=sustained --set finding_date="$(day 25)"
step oumar case edit "$REF" "$A2" --set finding=sustained --set finding_date="$(day 25)"
step oumar case edit "$REF" "$A3" --set finding=not_sustained --set finding_date="$(day 25)"
at 26
step oumar case add "$REF" decision --set level=authority --set verdict=decided \
    --set "decided_by=Directeur general de la Police nationale" \
    --set date="$(day 26)" --set "sanction=Mise a pied de 30 jours" \
    --set outcome=sanction,board --set notified_agent="$(day 26)"
step oumar case move "$REF" decidee
at 27
step oumar case move "$REF" cloturee
check "the case is built and closed" rc_is 0

at 28
"$DT" --data "$D" key export fatou >"$T/fatou.pub"
export_as() {
	lang=$1
	out=$2
	shift 2
	LANGUAGE=$lang run "$DT" --data "$D" --user fatou \
	    --passphrase-file "$T/fatou.pw" export "$REF" --out "$T/$out" "$@"
}
export_as en summary.en.txt
export_as fr summary.fr.txt
export_as en summary.en.md --format md
export_as fr summary.fr.md --format md
export_as en summary.en.json --format json
export_as en summary-redacted.en.txt --redact
export_as fr summary-redacted.fr.txt --redact
export_as en summary-redacted.en.json --format json --redact
check "the last export worked" rc_is 0

# The export line (time and user) is the one thing normalised.
normal() {
	sed -e 's/^\(  Exported: \|- \*\*Exported\*\*: \|  Exporté : \|- \*\*Exporté\*\* : \).*/\1(normalised)/' \
	    -e 's/^\(  Exporté: \|- \*\*Exporté\*\*: \).*/\1(normalised)/' \
	    -e 's/^\( "exported_at": \).*/\1"(normalised)",/' "$1"
}
for f in summary.en.txt summary.fr.txt summary.en.md summary.fr.md \
    summary.en.json summary-redacted.en.txt summary-redacted.fr.txt \
    summary-redacted.en.json; do
	normal "$T/$f" >"$T/$f.norm"
	if [ -n "${GOLDEN_UPDATE:-}" ]; then
		cp "$T/$f.norm" "$G/$f"
	fi
	check "$f matches tests/golden/$f" cmp -s "$T/$f.norm" "$G/$f"
	[ -n "${GOLDEN_UPDATE:-}" ] || cmp -s "$T/$f.norm" "$G/$f" ||
	    diff -u "$G/$f" "$T/$f.norm" | head -40 | sed 's/^/#   /'
	run minisign -Vm "$T/$f" -p "$T/fatou.pub"
	check "... and the stock minisign verifies it" \
	    out_has "Signature and comment signature verified"
done

# What the golden files must show (they could be rewritten wrongly).
E="$T/summary.en.txt"
check "parties: the complainant by name" grep -q "^ Complainant: $COMPLAINANT (Person $PC)" "$E"
check "... each agent with rank, unit and service number" \
    sh -c "grep -A6 '^ Agent concerned: $AGENT1' '$E' | grep -q 'Rank: Sergent-chef' &&
    grep -A6 '^ Agent concerned: $AGENT1' '$E' | grep -q 'Service number: $SN1' &&
    grep -A6 '^ Agent concerned: $AGENT1' '$E' | grep -q 'Unit at the time: Commissariat de Markala'"
check "investigators with the date of assignment" \
    grep -q "ibrahim: assigned on $(day 0) 08:30 UTC by oumar" "$E"
check "the rights steps per agent with their dates" \
    sh -c "grep -A4 '^ $AGENT1' '$E' | grep -q 'Written notice of the facts: $(day 5)'"
check "... a step not taken reads not recorded" \
    sh -c "grep -A4 '^ $AGENT2' '$E' | grep -q 'Observations received: not recorded'"
check "categories by their labels, never codes" \
    grep -q "Categories: Extortion at checkpoints, Assault" "$E"
check "... nowhere a misconduct code" sh -c "! grep -q 'probity\.' '$E'"
check "allegations per agent, with the finding" \
    sh -c "grep -A6 'Allegation $A1: Extortion at checkpoints' '$E' | grep -q 'Finding: Sustained'"
check "the history of a finding keeps Sustained → Pending" \
    grep -q "$(day 23) 08:00 UTC, oumar: Sustained → Pending" "$E"
check "... and its return" grep -q "$(day 25) 08:00 UTC, oumar: Pending → Sustained" "$E"
check "the decision and the sanction" grep -q "Sanction imposed: Mise a pied de 30 jours" "$E"
check "the report's conclusions" grep -q "Conclusions: Manquement etabli" "$E"
check "the witness by pseudonym only" \
    sh -c "grep -q 'Témoin A' '$E' && ! grep -q '$WITNESS' '$E'"
check "French: the labels in French" \
    sh -c "grep -q 'Racket aux postes de contrôle' '$T/summary.fr.txt' &&
    grep -q 'Établi → En attente' '$T/summary.fr.txt'"
check "JSON: the same content, codes and labels" \
    sh -c "grep -q '\"from\": \"sustained\"' '$T/summary.en.json' &&
    grep -q '\"to_label\": \"Pending\"' '$T/summary.en.json' &&
    grep -q '\"sanction\"' '$T/summary.en.json'"

for f in summary-redacted.en.txt summary-redacted.fr.txt summary-redacted.en.json; do
	for name in "$COMPLAINANT" "$AGENT1" "$AGENT2" "$DEFENDER" "$WITNESS" \
	    "$SN1" "$SN2" "+223 70"; do
		check "$f: no '$name'" sh -c "! grep -qF -- '$name' '$T/$f'"
	done
done
check "the redacted summary says it is" \
    grep -q "Parties: redacted for third parties" "$T/summary-redacted.en.txt"
check "... and names the agents by record" \
    grep -q "^ Agent concerned: Person $PA1" "$T/summary-redacted.en.txt"
check "... keeping rank and unit" \
    grep -q "Rank: Sergent-chef" "$T/summary-redacted.en.txt"
run minisign -Vm "$T/summary-redacted.en.txt" -p "$T/fatou.pub"
check "the signed trusted comment says redacted" out_has "parties=redacted"
run minisign -Vm "$T/summary.en.txt" -p "$T/fatou.pub"
check "... and a full summary says named" out_has "parties=named"
export_as en x.txt --redact --with-witnesses
check "--redact refuses --with-witnesses" rc_is 2

# A step cleared after the move: a gap, flagged under that agent alone.
at 29
step oumar case move "$REF" rouverte --reason "Notification contestee"
step oumar case edit "$REF" "$R2" --set notice_date=
run "$DT" --data "$D" --user fatou --passphrase-file "$T/fatou.pw" \
    export "$REF" --out "$T/gap.en.txt"
sed -n "/^Rights of the defence/,/^Required steps/p" "$T/gap.en.txt" >"$T/rights"
check "a cleared notice reads not recorded" \
    sh -c "grep -A2 '^ $AGENT2' '$T/rights' | grep -q 'Written notice of the facts: not recorded'"
check "... and is flagged as a gap under that agent" \
    sh -c "sed -n '/^ $AGENT2/,\$p' '$T/rights' | grep -q 'GAP: moved to “Report filed” on $(day 21) without'"
check "... not under the other" \
    sh -c "sed -n '/^ $AGENT1/,/^ $AGENT2/p' '$T/rights' | grep -vq GAP &&
    ! sed -n '/^ $AGENT1/,/^ $AGENT2/p' '$T/rights' | grep -q GAP"
check "... and the agent's observations never read deadline met" \
    sh -c "! grep -q \"Agent's observations.*deadline met\" '$T/gap.en.txt'"

# A case closed with no report and no decision says so.
at 30
step awa case new --set channel=letter --set filed_by=victim \
    --set facts_date=2026-11-20 --set region=kayes --set force=gendarmerie \
    --set "summary=Plainte hors competence" --set categories=conduct.behaviour
REF2=$(cat "$T/out")
step oumar case move "$REF2" enregistree
step oumar case move "$REF2" examen_prealable
step oumar case move "$REF2" irrecevable --reason "Hors competence"
at 31
run "$DT" --data "$D" --user fatou --passphrase-file "$T/fatou.pw" \
    export "$REF2" --out "$T/closed.en.txt"
LANGUAGE=fr run "$DT" --data "$D" --user fatou --passphrase-file "$T/fatou.pw" \
    export "$REF2" --out "$T/closed.fr.txt"
LANGUAGE=fr run "$DT" --data "$D" --user fatou --passphrase-file "$T/fatou.pw" \
    export "$REF2" --out "$T/closed.json" --format json
check "a closed case without report or decision says so" \
    grep -q "Note: This case was closed with no investigation report and no decision." "$T/closed.en.txt"
check "... under the decision too" \
    grep -q "None: the case was closed with no decision." "$T/closed.en.txt"
check "... in French" grep -q "sans rapport d'enquête ni décision" "$T/closed.fr.txt"
check "... and in JSON" \
    sh -c "tr -d ' \n' <'$T/closed.json' | grep -q '\"closed\":true' &&
    tr -d ' \n' <'$T/closed.json' | grep -q '\"decisions\":\[\]'"
run minisign -Vm "$T/closed.fr.txt" -p "$T/fatou.pub"
check "... signed" out_has "Signature and comment signature verified"
finish
