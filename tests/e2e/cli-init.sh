#!/bin/sh
# cli-init.sh: 'dossier init', the data directory checks, exit statuses.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

D="$T/data"
pass "$T/weak.pw" "short"
pass "$T/good.pw" "deux tambours sous la pluie"

run "$DOSSIER" --help
check "--help succeeds" rc_is 0
check "--help lists the commands" out_has "init --admin NAME"
run "$DOSSIER" --version
check "--version prints the version" out_has "dossier "

run "$DOSSIER" --data "$D" frobnicate
check "an unknown command is a usage error (2)" rc_is 2
run "$DOSSIER" --data "$D" init --recovery-out "$T/r"
check "init without --admin is a usage error (2)" rc_is 2
run "$DOSSIER" --data "$D" init --admin chef --recovery-out "$T/r" --passphrase "x-secret-x"
check "a passphrase on the command line is refused (2)" rc_is 2
check "... and never echoed back" sh -c "! grep -q x-secret-x '$T/err'"

run "$DOSSIER" --data "$D" init --admin chef --recovery-out "$T/r" \
    --passphrase-file "$T/weak.pw"
check "a weak passphrase fails (1)" rc_is 1
check "... saying why, in one line" err_has "too short"
check "... in one line" err_lines 1
check "... and creates nothing" test ! -e "$D" -a ! -e "$T/r"

run setsid -w "$DOSSIER" --data "$D" init --admin chef --recovery-out "$T/r"
check "no terminal and no passphrase file: a clear error" err_has "no terminal"

run "$DOSSIER" --data "$D" init --admin chef --recovery-out "$T/r" \
    --kdf interactive --passphrase-file "$T/good.pw"
check "init succeeds" rc_is 0
check "the data directory is group-shared and private (2770)" \
    test "$(stat -c %a "$D")" = 2770
check "the recovery key file is 0600" test "$(stat -c %a "$T/r")" = 600
check "the recovery key file is a dossier key" \
    grep -q "untrusted comment: dossier organisation recovery" "$T/r"

cp "$T/r" "$T/r.saved"
run "$DOSSIER" --data "$D" init --admin chef --recovery-out "$T/r2" \
    --kdf interactive --passphrase-file "$T/good.pw"
check "a second init refuses (1)" rc_is 1
check "... saying the store exists" err_has "already holds a dossier store"
run "$DOSSIER" --data "$T/other" init --admin chef --recovery-out "$T/r" \
    --kdf interactive --passphrase-file "$T/good.pw"
check "init never overwrites a recovery file" err_has "already exists"
check "... which is unchanged" cmp -s "$T/r" "$T/r.saved"

mkdir -m 700 "$T/foreign"
echo notes >"$T/foreign/notes.txt"
run "$DOSSIER" --data "$T/foreign" init --admin chef --recovery-out "$T/r3" \
    --kdf interactive --passphrase-file "$T/good.pw"
check "init refuses a non-empty foreign directory" err_has "not empty"
run "$DOSSIER" --data "$T/foreign" --user chef --passphrase-file "$T/good.pw" user list
check "a foreign directory is not taken for a store" \
    err_has "not a dossier data directory"

chmod o+rx "$D"
run "$DOSSIER" --data "$D" --user chef --passphrase-file "$T/good.pw" user list
check "a world-accessible data directory is refused" \
    err_has "accessible to other users"
chmod o-rwx "$D"

HOME="$T/home" XDG_DATA_HOME= run "$DOSSIER" init --admin chef \
    --recovery-out "$T/rhome" --kdf interactive --passphrase-file "$T/good.pw"
check "without --data, init creates ~/.local/share/dossier and its parents" \
    test -f "$T/home/.local/share/dossier/meta.db"

DOSSIER_DATA="$D" run "$DOSSIER" --user chef --passphrase-file "$T/good.pw" user list
check "DOSSIER_DATA names the data directory" out_has "chef"

cp "$D/users.db" "$T/users.db.saved"
head -c 5000 "$T/users.db.saved" >"$D/users.db"
run "$DOSSIER" --data "$D" --user chef --passphrase-file "$T/good.pw" user list
check "a truncated table is a clear error (1)" rc_is 1
check "... naming the file" err_has "users.db"
cp "$T/users.db.saved" "$D/users.db"
run "$DOSSIER" --data "$D" --user chef --passphrase-file "$T/good.pw" user list
check "restoring the file restores the store" out_has "chef"

run "$DOSSIER" --lang fr --data "$T/nowhere" --user chef \
    --passphrase-file "$T/good.pw" user list
check "--lang fr gives French messages" err_has "dossier init"
check "... in French" err_has "Il n'y a pas"

# The passphrase typed on a real terminal is not echoed.  The prompt
# flushes what was typed before it (TCSAFLUSH), so each passphrase is
# typed once its prompt is on the screen.
if command -v tmux >/dev/null 2>&1; then
	tui_start "$DOSSIER" --data "$T/tty" init --admin chef \
	    --recovery-out "$T/rtty" --kdf interactive
	tui_wait "New passphrase for chef:"
	tui_text "le griot chante au marche"
	tui_keys Enter
	tui_wait "Type it again:"
	tui_text "le griot chante au marche"
	tui_keys Enter
	tui_expect "on a terminal, init asks twice and succeeds" "EXITED=0"
	tcheck "... without echoing the passphrase" \
	    sh -c "! grep -q griot '$T/screen'"
	check "... and the store opens with that passphrase" sh -c "
	    printf '%s\\n' 'le griot chante au marche' >'$T/griot.pw' &&
	    '$DOSSIER' --data '$T/tty' --user chef --passphrase-file '$T/griot.pw' \
	    user list | grep -q chef"
else
	echo "# tmux missing: terminal prompt not tested"
	check "tmux is installed (bootstrap installs it)" false
fi

# The prefix of case references is the organisation's.
run "$DOSSIER" --data "$T/px" init --admin chef --recovery-out "$T/px.rec" \
    --kdf interactive --passphrase-file "$T/good.pw" --ref-prefix "cndh x"
check "a bad reference prefix is a usage error" rc_is 2
run "$DOSSIER" --data "$T/px" init --admin chef --recovery-out "$T/px.rec" \
    --kdf interactive --passphrase-file "$T/good.pw" --ref-prefix CNDH
check "init takes a reference prefix" rc_is 0
pass "$T/reg.pw" "plaintes du lundi matin 2026"
pass "$T/reg2.pw" "le greffe ouvre a huit heures"
"$DOSSIER" --data "$T/px" --user chef --passphrase-file "$T/good.pw" user add reg \
    --role registrar --new-passphrase-file "$T/reg.pw" >/dev/null
"$DOSSIER" --data "$T/px" --user reg --passphrase-file "$T/reg.pw" user passwd \
    --new-passphrase-file "$T/reg2.pw" >/dev/null
# An account signs no case until it is approved (here with the recovery key).
FP=$("$DOSSIER" --data "$T/px" --user reg --passphrase-file "$T/reg2.pw" \
    user fingerprint | sed -n "s/^reg ([^)]*): //p")
"$DOSSIER" --data "$T/px" --user chef --passphrase-file "$T/good.pw" user approve \
    reg --fingerprint "$FP" --recovery-key "$T/px.rec" >/dev/null
run "$DOSSIER" --data "$T/px" --user reg --passphrase-file "$T/reg2.pw" case new \
    --set "received=2026-11-20 09:30" --set channel=letter --set filed_by=victim \
    --set facts_date=2026-11-18 --set region=mopti --set force=police \
    --set summary=Prefixe --set categories=liberty.arbitrary
check "references begin with it" grep -q '^CNDH-[0-9]\{4\}-0001$' "$T/out"

# The recovery key's fingerprint, printed once at init, is the one
# 'key fingerprint' shows later: an admin compares them on paper.
pass "$T/fp.pw" "sahel baobab fleuve 2026"
run "$DOSSIER" --data "$T/fp" init --admin chef --recovery-out "$T/fp.key" \
    --kdf interactive --passphrase-file "$T/fp.pw"
sed -n 's/.*fingerprint.*: \([0-9a-f ]*\)$/\1/p' "$T/out" >"$T/fp.init"
check "init prints the recovery key's fingerprint" [ -s "$T/fp.init" ]
run "$DOSSIER" --data "$T/fp" key fingerprint
check "... which 'key fingerprint' shows again" \
    grep -q "recovery key	$(cat "$T/fp.init")" "$T/out"

finish
