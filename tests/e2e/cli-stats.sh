#!/bin/sh
# cli-stats.sh: 'dossier stats' as text, CSV (opens as-is in a
# spreadsheet: UTF-8 with its mark, one header row, the same number of
# fields on every line) and JSON; --publish; the signed file checked by
# the stock minisign; one audit entry per run; who may run it.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

command -v minisign >/dev/null 2>&1 || { echo "minisign is required (bootstrap installs it)"; exit 1; }
command -v jq >/dev/null 2>&1 || { echo "jq is required"; exit 1; }

D="$T/data"
"$DOSSIER" --data "$D" demo --seed "$DEMO_SEED" --cases 40 >/dev/null
for u in admin awa ibrahim oumar fatou; do
	awk -v u=$u '$1 == u { print $3 }' "$D/demo-users.txt" >"$T/$u.pw"
done
as() {
	u=$1
	shift
	run "$DOSSIER" --data "$D" --user "$u" --passphrase-file "$T/$u.pw" "$@"
}
audits() {
	"$DOSSIER" --data "$D" --user oumar --passphrase-file "$T/oumar.pw" \
	    audit list --by "$1" --format tsv | awk -F '\t' '$4 == "stats.run"' | wc -l
}
# csv_fields SEP FILE: the number of fields of each line, quotes honoured.
csv_fields() {
	awk -v sep="$1" '{
		n = 1; q = 0
		for (i = 1; i <= length($0); i++) {
			c = substr($0, i, 1)
			if (c == "\"") q = !q
			else if (c == sep && !q) n++
		}
		print n
	}' "$2" | sort -u
}

as oumar stats
check "the supervisor runs the statistics" rc_is 0
check "... which say how many cases they count" out_has "Cases counted: 40"
check "... that no witness data is used" out_has "No witness data"
check "... and count by region" out_has "^Region"
check "... with the durations of stages" out_has "Durations of stages"
as ibrahim stats --format json
cp "$T/out" "$T/ibrahim.json"
check "an investigator runs them too" rc_is 0
check "... with the cases he cannot read counted from their header only" \
    jq -e '.headers_only > 0 and .cases == 40' "$T/ibrahim.json"
check "... under \"(key not held)\" in the findings" jq -e \
    '[.tables[] | select(.dimension == "finding") | .rows[] |
    select(.code == "(nokey)")] | length == 1' "$T/ibrahim.json"
check "... and no witness data" jq -e '.witness_data == false' \
    "$T/ibrahim.json"
check "every one-way table adds up to the cases, or more for multi-valued" \
    jq -e '[.tables[] | select(.by == null) | (([.rows[].count] | add)
    == .total and .total >= 40)] | all' "$T/ibrahim.json"

as oumar --lang en stats --format csv
cp "$T/out" "$T/en.csv"
check "CSV starts with the UTF-8 byte order mark" \
    sh -c "head -c 3 '$T/en.csv' | od -An -tx1 | grep -q 'ef bb bf'"
check "... then one header row" \
    sh -c "head -1 '$T/en.csv' | grep -q 'section,dimension,code,label,dimension2,code2,label2,measure,value,suppressed'"
check "... and ten fields on every line" [ "$(csv_fields , "$T/en.csv")" = 10 ]
check "... with CRLF line ends" sh -c "head -1 '$T/en.csv' | od -c | grep -q '\\\\r  \\\\n'"
check "... whose regions add up to the cases" [ "$(awk -F , \
    '$1 == "table" && $2 == "region" && $3 != "(total)" { s += $9 }
    END { print s }' "$T/en.csv")" = 40 ]
as oumar --lang fr stats --format csv
cp "$T/out" "$T/fr.csv"
check "in French the separator is a semicolon" \
    sh -c "head -1 '$T/fr.csv' | grep -q 'section;dimension;code;label'"
check "... ten fields on every line" [ "$(csv_fields ';' "$T/fr.csv")" = 10 ]
check "... and labels in French" grep -q 'Gendarmerie nationale' "$T/fr.csv"
check "... periods too: a quarter 'T4 2026', a month by its name" sh -c "
    grep -q ';received_quarter;20[0-9][0-9]-Q[1-4];T[1-4] 20[0-9][0-9];' '$T/fr.csv' &&
    grep -E -q ';received_month;20[0-9][0-9]-[01][0-9];(janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) 20[0-9][0-9];' '$T/fr.csv'"
as oumar --lang fr stats
check "... and its text says when, as the screens write it" \
    out_has "^Chiffres du [0-3][0-9]/[01][0-9]/20[0-9][0-9] [0-9]* h [0-5][0-9] UTC"

as oumar --lang fr audit list --by oumar
check "the audit list says a statistics run in words" \
    out_has "statistiques calculées"
as oumar stats region force
check "two dimensions crossed" out_has "Region by force or service"
as oumar --lang fr stats region sex
check "... in French" out_has "Région par sexe de la victime"

as oumar stats --publish --format json
cp "$T/out" "$T/puball.json"
as oumar stats region force --publish --format json
cp "$T/out" "$T/pub.json"
check "--publish shows no count from 1 to 4" jq -e '[.tables[] |
    (.rows[].cells[], .rows[].total, .columns[].total, .total) |
    select(. != null and . > 0 and . < 5)] | length == 0' "$T/pub.json"
check "... and says what it suppressed" \
    jq -e '.publish.threshold == 5 and .publish.primary > 0' "$T/pub.json"
check "... in every table of the overview" jq -e '[.tables[] |
    (.rows[] | (.count, .cells[]?, .total)), .total, (.columns[]?.total) |
    select(. != null and . > 0 and . < 5)] | length == 0' "$T/puball.json"
check "... and publishes no sanction, free text" \
    jq -e '[.tables[] | select(.dimension == "sanction")] | length == 0' "$T/puball.json"
check "... nor tables that add up to another shown (months, states, units)" \
    jq -e '([.tables[] | select(.dimension == "received_month" or
    .dimension == "received_quarter" or .dimension == "state" or
    .dimension == "unit" or .dimension == "category_group")] | length == 0)
    and ([.tables[] | select(.dimension == "received")] | length == 1)' \
    "$T/puball.json"
as oumar stats sanction --publish
check "--publish refuses the sanctions" rc_is 2
as oumar stats category --publish --threshold 9
check "--threshold sets the threshold" out_has "from 1 to 8 is"
as oumar stats --threshold 9
check "--threshold alone is a usage error" rc_is 2
as oumar stats nonesuch
check "an unknown dimension is a usage error" rc_is 2
as oumar stats region --format xml
check "an unknown format is a usage error" rc_is 2

before=$(audits fatou)
as fatou stats --publish --out "$T/report.txt"
check "the auditor writes signed statistics" rc_is 0
check "... FILE and FILE.minisig" [ -s "$T/report.txt" -a -s "$T/report.txt.minisig" ]
run "$DOSSIER" --data "$D" key export fatou
cp "$T/out" "$T/fatou.pub"
run minisign -Vm "$T/report.txt" -p "$T/fatou.pub"
check "the stock minisign verifies them" out_has "Signature and comment signature verified"
check "... signed by the auditor" out_has "dossier statistics by fatou"
as fatou stats --out "$T/report.txt"
check "an existing file is never overwritten" rc_is 1
as fatou stats region --format csv
check "one audit entry per run or export, and none for a refused one" \
    [ "$(audits fatou)" -eq $((before + 2)) ]

as admin stats
check "the administrator holds no case and is refused" rc_is 1

# A control mission, its recommendations followed up.
as oumar case new --workflow mission --set "received=2026-11-20 09:30" \
    --set channel=own_initiative --set filed_by=hierarchy \
    --set facts_date=2026-11-18 --set region=mopti --set force=police \
    --set "summary=Contrôle du commissariat de Sévaré" \
    --set categories=command.supervision
M=$(cat "$T/out")
as oumar case move "$M" en_cours
check "a mission starts only with its mission record" rc_is 1
as oumar case add "$M" mission --set type=control \
    --set "unit=Commissariat de Sévaré" --set "scope=Registres"
R=$(cat "$T/out")
as oumar case move "$M" en_cours
check "... then it does" rc_is 0
as oumar case add "$M" recommendation --set source=mission \
    --set source_record="$R" --set "addressee_unit=Commissariat de Sévaré" --set addressee_force=police \
    --set "measure=Tenir le registre de garde à vue" \
    --set deadline=2020-01-31 --set status=accepted
as oumar case add "$M" recommendation --set source=mission \
    --set source_record="$R" --set "addressee_unit=Commissariat de Sévaré" --set addressee_force=police \
    --set "measure=Former les OPJ" --set deadline=2099-01-31 \
    --set status=in_progress
as oumar case add "$M" recommendation --set source=mission \
    --set source_record="$R" --set "addressee_unit=Brigade de Mopti" --set addressee_force=gendarmerie \
    --set "measure=Afficher les droits" --set deadline=2020-01-31 \
    --set status=implemented
as oumar case add "$M" recommendation --set source=mission \
    --set "addressee_unit=Brigade de Mopti" --set addressee_force=gendarmerie \
    --set "measure=Afficher les droits" --set deadline=2020-01-31 \
    --set status=accepted
check "a recommendation names the record it comes from" err_has "is required"
as oumar case add "$M" recommendation --set source=mission \
    --set source_record=999 \
    --set "addressee_unit=Brigade de Mopti" --set addressee_force=gendarmerie \
    --set "measure=Afficher les droits" --set deadline=2020-01-31 \
    --set status=accepted
check "... a record of the case, a report, decision or mission" \
    err_has "'999' is not one"
as oumar recommendations --workflow mission
check "the follow-up lists what is still to implement" \
    [ "$(grep -c "$M" "$T/out")" -eq 2 ]
check "... overdue first" sh -c "head -1 '$T/out' | grep -q 'days late'"
as oumar recommendations --overdue --workflow mission
check "--overdue lists only what is past its deadline" \
    [ "$(grep -c "$M" "$T/out")" -eq 1 ]
as oumar stats recommendation_force recommendation_status --workflow mission
# Statuses in the order of their list: accepted, in progress, implemented.
check "implementation rates by force" out_has "^National police  *1  *1  *0  *2  *0"
check "... and by force, the gendarmerie's all done" \
    out_has "^National gendarmerie  *0  *0  *1  *1  *100"
check "... the statuses in their list's order" \
    sh -c "grep -n -e 'Accepted' -e 'In progress' -e 'Implemented' '$T/out' |
    cut -d: -f2- | tr -d ' ' | tr '\n' ' ' |
    grep -q '^\[1\]Accepted \[2\]Inprogress \[3\]Implemented'"
as oumar stats --workflow mission --format json
check "--workflow counts only that workflow's cases" jq -e '.cases == 1' "$T/out"

finish
