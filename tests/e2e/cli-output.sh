#!/bin/sh
# cli-output.sh: an escape-sequence payload sent through every output path
# of the command line comes out inert: case show (a narrative, a header
# field, an imported pseudonym), the echo of a bad import value, error
# sentences that repeat an argument, 'verify' printing a trusted comment,
# 'audit list' printing a detail, and 'export' naming its file.  Files
# holding case content are created 0600.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

D="$T/data"
run "$DOSSIER" --data "$D" demo --cases 0
for u in awa ibrahim oumar fatou; do
	awk -v u=$u '$1 == u { print $3 }' "$D/demo-users.txt" >"$T/$u.pw"
done
as() {
	u=$1
	shift
	run "$DOSSIER" --data "$D" --user "$u" --passphrase-file "$T/$u.pw" "$@"
}
ESC=$(printf '\033')
BEL=$(printf '\007')
P="${ESC}[2J${ESC}]0;owned${BEL}${ESC}[31m"
inert() {	# no ESC nor BEL byte in stdout and stderr
	! grep -q "[$ESC$BEL]" "$T/out" && ! grep -q "[$ESC$BEL]" "$T/err"
}

as awa case new --set "received=2026-11-20 09:30" --set channel=letter \
    --set filed_by=victim --set facts_date=2026-11-18 --set region=kayes \
    --set force=police --set "summary=A$P" --set "link_duplicate=L$P" \
    --set categories=conduct.behaviour
check "a case with escape sequences in a narrative and a header field" rc_is 0
REF=$(cat "$T/out")
as oumar case assign "$REF" ibrahim
as oumar case show "$REF"
check "case show prints them inert" inert
check "... as visible placeholders" out_has '\^\[\[2J'

# An import: a pseudonym with a payload is never taken from the file; a bad
# value with a payload is named in the error without it.
cat >"$T/in.json" <<EOJ
{"format": "dossier-cases", "version": 1, "cases": [{
 "workflow": "inspection",
 "intake": {"received": "2026-11-20 09:30", "channel": "letter",
  "filed_by": "victim", "facts_date": "2026-11-18", "region": "gao",
  "force": "police", "summary": "Import", "categories": "liberty.arbitrary"},
 "records": [{"kind": "witness", "fields": {"full_name": "W",
  "role": "direct", "pseudonym": "P\u001b[2J\u001b]0;owned\u0007"}}]}]}
EOJ
as oumar case import "$T/in.json"
check "an import with a payload in a pseudonym is accepted" rc_is 0
REF2=$(head -1 "$T/out")
as oumar case show "$REF2"
check "... the pseudonym is assigned, not imported" out_has "Témoin A"
check "... and nothing of the payload is printed" inert
sed 's/"channel": "letter"/"channel": "x\\u001b[2Jy"/' "$T/in.json" >"$T/bad.json"
as oumar case import "$T/bad.json"
check "a bad imported value is refused" rc_is 1
check "... and echoed inert" inert

as oumar case show "X${P}Y"
check "an error repeating an argument is inert" inert

# export names its file in the output and in the audit log.
as oumar export "$REF" --out "$T/s${P}.txt"
check "an export to a file name with a payload" rc_is 0
check "... says so inert" inert
ls -l "$T"/s*.txt >"$T/ls"
check "... the summary is readable by its owner only" \
    grep -q '^-rw-------' "$T/ls"
as fatou audit list --case "$REF"
check "audit list prints the export's detail inert" inert
check "... as visible placeholders" out_has '\^\['

as ibrahim case export-json "$REF" --out "$T/case.json"
ls -l "$T/case.json" >"$T/ls"
check "export-json (witness identities) writes 0600" grep -q '^-rw-------' "$T/ls"

# verify prints the trusted comment of a signature made by minisign itself.
minisign -G -W -p "$T/mk.pub" -s "$T/mk.key" >/dev/null 2>&1
printf 'hello\n' >"$T/doc.txt"
minisign -S -W -s "$T/mk.key" -m "$T/doc.txt" -t "c${P}d" >/dev/null 2>&1
run "$DOSSIER" --data "$D" verify "$T/doc.txt" --pub "$T/mk.pub"
check "verify accepts minisign's signature" rc_is 0
check "... and prints its trusted comment inert" inert
check "... as visible placeholders" out_has '\^\[\[2J'
# Every source with messages is in po/POTFILES.in: the sign-in refusal
# (session.c) speaks French.
printf 'pas la bonne phrase\n' >"$T/bad.pw"
run "$DOSSIER" --lang fr --data "$D" --user awa --passphrase-file "$T/bad.pw" \
    case list
check "a refused sign-in is said in French" err_has "Phrase secrète incorrecte"
finish
