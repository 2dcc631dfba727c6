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

run "$DOSSIER" --data "$D" --user ghost --passphrase-file "$T/bad.pw" user list
check "an unknown user is named in the error" err_has "no user named 'ghost'"
run "$DOSSIER" --data "$D" --user chef --passphrase-file "$T/bad.pw" user list
check "a wrong passphrase fails (1)" rc_is 1
check "... with one clear sentence" err_has "Wrong passphrase for 'chef'"

finish
