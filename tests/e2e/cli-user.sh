#!/bin/sh
# cli-user.sh: accounts from the command line, with roles enforced.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

D="$T/data"
make_store "$D"
A="--data $D --user chef --passphrase-file $T/chef.pw"
pass "$T/ibr.pw" "premiers mots du matin"
pass "$T/ibr2.pw" "le fleuve coule vers Gao"
pass "$T/bad.pw" "not the right passphrase"

run "$DOSSIER" $A user add ibrahim --role investigator --new-passphrase-file "$T/ibr.pw"
check "the admin adds an investigator" rc_is 0
run "$DOSSIER" $A user add ibrahim --role auditor --new-passphrase-file "$T/ibr.pw"
check "a duplicate name is refused" err_has "already exists"
run setsid -w "$DOSSIER" $A user add ibrahim --role auditor
check "... before a passphrase is asked for" err_has "already exists"
run "$DOSSIER" $A user add awa --role chief --new-passphrase-file "$T/ibr.pw"
check "an unknown role is a usage error (2)" rc_is 2
run "$DOSSIER" $A user add Awa --role registrar --new-passphrase-file "$T/ibr.pw"
check "a bad user name is refused" err_has "not valid"

run "$DOSSIER" $A user list --format tsv
check "user list shows the new account as must-change" \
    grep -q "^ibrahim	investigator	[0-9-]*	must-change$" "$T/out"

I="--data $D --user ibrahim"
run "$DOSSIER" $I --passphrase-file "$T/ibr.pw" user list
check "before choosing a passphrase, only passwd is allowed" \
    err_has "user passwd"
run "$DOSSIER" $I --passphrase-file "$T/ibr.pw" user passwd \
    --new-passphrase-file "$T/bad.pw.missing"
check "a missing passphrase file is a clear error" err_has "Cannot read"
run "$DOSSIER" $I --passphrase-file "$T/ibr.pw" user passwd \
    --new-passphrase-file "$T/ibr2.pw"
check "the investigator chooses a passphrase" rc_is 0
run "$DOSSIER" $I --passphrase-file "$T/ibr.pw" user list
check "the initial passphrase no longer opens the account" \
    err_has "Wrong passphrase"
run "$DOSSIER" $I --passphrase-file "$T/ibr2.pw" user list
check "the new one does" out_has "ibrahim"

run "$DOSSIER" $I --passphrase-file "$T/ibr2.pw" user add intrus --role admin \
    --new-passphrase-file "$T/ibr.pw"
check "an investigator cannot add users" err_has "does not allow"
run "$DOSSIER" $I --passphrase-file "$T/ibr2.pw" user disable chef
check "an investigator cannot disable users" rc_is 1

run "$DOSSIER" $A user disable ibrahim
check "the admin disables an account" rc_is 0
run "$DOSSIER" $I --passphrase-file "$T/ibr2.pw" user list
check "a disabled account cannot sign in" err_has "disabled"
run "$DOSSIER" $A user enable ibrahim
run "$DOSSIER" $I --passphrase-file "$T/ibr2.pw" user list
check "enabled again, it can" rc_is 0
run "$DOSSIER" $A user disable chef
check "the admin cannot disable their own account" err_has "your own"

# Authority rooted in keys: the admin makes a supervisor, chooses and
# then changes its passphrase themselves; the account reads nothing until
# an approved supervisor approves it with the fingerprint its owner reads.
pass "$T/sup.pw" "la reunion du mardi a Kayes"
pass "$T/sup2i.pw" "premier mot de passe choisi"
pass "$T/sup2.pw" "le chef le choisit encore"
run "$DOSSIER" $A user add oumar --role supervisor --new-passphrase-file "$T/sup.pw"
run "$DOSSIER" --data "$D" --user oumar --passphrase-file "$T/sup.pw" user passwd \
    --new-passphrase-file "$T/sup.pw"
check "a supervisor chooses their passphrase" rc_is 0
O="--data $D --user oumar --passphrase-file $T/sup.pw"
run "$DOSSIER" $O user list --format tsv
check "an account nobody approved is listed as awaiting approval" \
    grep -q "^oumar	supervisor	[0-9-]*	awaiting-approval$" "$T/out"
# The owner reads their fingerprint signed in, as they would to the approver.
fp() { "$DOSSIER" --data "$D" --user "$1" --passphrase-file "$2" \
    user fingerprint | sed -n "s/^$1 ([^)]*): //p"; }
FP=$(fp oumar "$T/sup.pw")
check "user fingerprint prints the account's fingerprint" \
    sh -c "[ -n '$FP' ]"
run "$DOSSIER" $A user approve oumar --fingerprint "$FP"
check "the admin alone cannot approve" err_has "Only a supervisor or auditor"
run "$DOSSIER" $A user approve oumar --fingerprint "$FP" --recovery-key "$D.recovery"
check "the holder of the recovery key approves the first supervisor" rc_is 0
run "$DOSSIER" $O case new --set "received=2026-11-20 09:30" --set channel=letter \
    --set filed_by=victim --set facts_date=2026-11-18 --set region=mopti \
    --set force=police --set "summary=Arrestation sans motif au poste" \
    --set categories=liberty.arbitrary
check "the approved supervisor registers a complaint" rc_is 0
REF=$(cat "$T/out")

run "$DOSSIER" $A user add sup2 --role supervisor --new-passphrase-file "$T/sup2i.pw"
run "$DOSSIER" --data "$D" --user sup2 --passphrase-file "$T/sup2i.pw" user passwd \
    --new-passphrase-file "$T/sup2.pw"
S2="--data $D --user sup2 --passphrase-file $T/sup2.pw"
run "$DOSSIER" $O case list
run "$DOSSIER" $S2 case show "$REF"
check "the admin-made supervisor sees only the header" \
    out_has "only its header"
check "and not the complaint" sh -c "! grep -q 'Arrestation sans motif' '$T/out'"
run "$DOSSIER" $S2 user approve sup2 --fingerprint "$(fp sup2 "$T/sup2.pw")"
check "an account cannot approve itself" err_has "approved can approve"
run "$DOSSIER" $O user approve sup2 --fingerprint "0000 1111 2222 3333"
check "a wrong fingerprint approves nothing" err_has "does not match"
run "$DOSSIER" $O user approve sup2
check "approve needs --fingerprint (usage, 2)" rc_is 2
run "$DOSSIER" $O user approve sup2 --fingerprint "$(fp sup2 "$T/sup2.pw")"
check "an approved supervisor approves it" rc_is 0
run "$DOSSIER" $S2 case show "$REF"
check "now it reads the complaint" out_has "Arrestation sans motif"
run "$DOSSIER" $A audit list
run "$DOSSIER" $O audit list --format tsv
check "the approval is in the audit log" out_has "user.approve"
run "$DOSSIER" $A user disable sup2
run "$DOSSIER" $A user enable sup2
run "$DOSSIER" $O user list --format tsv
check "enabled again, it awaits a new approval" \
    grep -q "^sup2	supervisor	[0-9-]*	awaiting-approval$" "$T/out"

run "$DOSSIER" --data "$D" --user ghost --passphrase-file "$T/bad.pw" user list
check "an unknown user is named in the error" err_has "no user named 'ghost'"
run "$DOSSIER" --data "$D" --user chef --passphrase-file "$T/bad.pw" user list
check "a wrong passphrase fails (1)" rc_is 1
check "... with one clear sentence" err_has "Wrong passphrase for 'chef'"
# The next sign-in says how many failed before it; the audit list says it
# in words, in the user's language (the log keeps what it signed).
run "$DOSSIER" $A user list
check "the admin signs in after the failure" rc_is 0
run "$DOSSIER" $O audit list
check "the audit list says the failure before a sign-in in words" \
    out_has "signed in  *after 1 failed attempt$"
LANGUAGE=fr run "$DOSSIER" $O audit list
check "... in French too" out_has "connexion  *après 1 tentative échouée$"
check "... with the account's role in words" \
    out_has "compte approuvé  *sup2, rôle superviseur, clé "
run "$DOSSIER" $O audit list --format tsv
check "... while tsv keeps the words the log signed" \
    grep -q "	signin		after 1 failed attempt(s)$" "$T/out"

# An account approved by an auditor who was disabled since: approving it
# again names her (the sentence once read freed memory).
DD="$T/demo"
"$DOSSIER" --data "$DD" demo --cases 0 >/dev/null
for u in admin oumar fatou; do
	awk -v u=$u '$1 == u { print $3 }' "$DD/demo-users.txt" >"$T/d-$u.pw"
done
das() { u=$1; shift; run "$DOSSIER" --data "$DD" --user "$u" \
    --passphrase-file "$T/d-$u.pw" "$@"; }
pass "$T/zara0.pw" "le premier choisi par admin"
pass "$T/zara.pw" "elle choisit le sien ce matin"
das admin user add zara --role investigator --new-passphrase-file "$T/zara0.pw"
run "$DOSSIER" --data "$DD" --user zara --passphrase-file "$T/zara0.pw" \
    user passwd --new-passphrase-file "$T/zara.pw"
ZFP=$("$DOSSIER" --data "$DD" --user zara --passphrase-file "$T/zara.pw" \
    user fingerprint | sed -n "s/^zara ([^)]*): //p")
das fatou user approve zara --fingerprint "$ZFP"
check "the auditor approves zara" rc_is 0
das admin user disable fatou
das oumar user approve zara --fingerprint "$ZFP"
check "approved by an auditor disabled since: the refusal names her" \
    err_has "replaced by fatou, whose account was disabled"

# The accounts table in French: "enquêteur" and "RÔLE" take more bytes
# than columns; every row's date starts in the header's column.
run env LANG=C.UTF-8 "$DOSSIER" --lang fr $A user list
date_col() {
	# The characters before the first date (or "CRÉÉ LE") of each line.
	while IFS= read -r line; do
		case "$line" in
		*CRÉÉ\ LE*) pre=${line%%CRÉÉ LE*} ;;
		*20[0-9][0-9]-*) pre=$(printf '%s' "$line" |
		    sed 's/20[0-9][0-9]-.*//') ;;
		*) continue ;;
		esac
		printf '%s' "$pre" | LC_ALL=C.UTF-8 wc -m
	done <"$T/out" | sort -u | wc -l
}
cols_aligned() { grep -q 'enquêteur' "$T/out" && [ "$(date_col)" -eq 1 ]; }
check "in French, user list lines its columns up by characters, not bytes" \
    cols_aligned

# The supervisor every other approver was approved by leaves: oumar
# approved sup2, then is disabled. The admin is told no approver remains;
# sup2 can register nothing, since the organisation keys oumar held cannot
# be replaced by anyone oumar vouched for; the recovery key is the way out.
S2FP=$(fp sup2 "$T/sup2.pw")
run "$DOSSIER" $O user approve sup2 --fingerprint "$S2FP"
check "oumar approves sup2 again" rc_is 0
run "$DOSSIER" $A user disable oumar
check "the admin disables oumar" rc_is 0
check "... and is told no approved supervisor or auditor remains" \
    out_has "No approved supervisor or auditor remains"
new_case() {
	run "$DOSSIER" $S2 case new --set "received=2026-11-21 10:00" \
	    --set channel=letter --set filed_by=victim \
	    --set facts_date=2026-11-19 --set region=mopti --set force=police \
	    --set "summary=$1" --set categories=liberty.arbitrary
}
new_case "Racket au poste de Gao"
check "sup2 can register nothing" err_has "oumar, whose account was disabled"
run "$DOSSIER" $A user approve sup2 --fingerprint "$S2FP" \
    --recovery-key "$D.recovery"
check "the recovery key approves sup2 again" rc_is 0
new_case "Racket au poste de Gao"
check "... which replaced the organisation keys: sup2 registers" rc_is 0
run "$DOSSIER" $S2 case show "$REF"
check "... and still reads the case registered before" \
    out_has "Arrestation sans motif"
run "$DOSSIER" $S2 audit list --format tsv
check "... and the replacement is in the audit log" \
    out_has "org.rotate"

finish
