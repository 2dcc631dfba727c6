#!/bin/sh
# bad-input.sh: the catalogue of hostile input, each with its clear error
# and nothing lost: damaged database files, huge, NUL and invalid UTF-8
# field values, a bad key map file, and a one-column terminal.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

D="$T/data"
"$DOSSIER" --data "$D" demo --seed "$DEMO_SEED" --cases 5 >/dev/null
awk '$1 == "oumar" { print $3 }' "$D/demo-users.txt" >"$T/oumar.pw"
as() {
	run "$DOSSIER" --data "$1" --user oumar --passphrase-file "$T/oumar.pw" \
	    case "$2" ${3:+"$3"}
}
fresh_copy() {
	rm -rf "$T/copy"
	cp -a "$D" "$T/copy"
}
not_a_crash() { [ "$rc" -eq 1 ]; }

# Field values.
json_case() {
	printf '{"format": "dossier-cases", "version": 1, "cases": [{"intake": {"received": "2026-11-20 09:30", "channel": "letter", "filed_by": "victim", "facts_date": "2026-11-18", "region": "mopti", "force": "police", "categories": "liberty.arbitrary", "summary": "%s"}}]}' "$1"
}
head -c 10485760 /dev/zero | tr '\0' 'a' >"$T/big"
json_case "$(cat "$T/big")" >"$T/big.json"
run "$DOSSIER" --data "$D" --user oumar --passphrase-file "$T/oumar.pw" case import "$T/big.json"
check "a 10 MB field is refused" err_has "too long"
check "... as a failure, not a crash" not_a_crash
json_case 'avant\u0000apres' >"$T/nul.json"
run "$DOSSIER" --data "$D" --user oumar --passphrase-file "$T/oumar.pw" case import "$T/nul.json"
check "a NUL byte in a field is refused" err_has "NUL"
run "$DOSSIER" --data "$D" --user oumar --passphrase-file "$T/oumar.pw" \
    case new --set "received=2026-11-20 09:30" --set channel=letter \
    --set filed_by=victim --set facts_date=2026-11-18 --set region=mopti \
    --set force=police --set categories=liberty.arbitrary \
    --set "summary=$(printf 'caf\351 latin-1')"
check "invalid UTF-8 in a field is refused" err_has "not valid UTF-8"
run "$DOSSIER" --data "$D" --user oumar --passphrase-file "$T/oumar.pw" case list --format tsv
check "nothing of them was stored" [ "$(wc -l <"$T/out")" -eq 5 ]

# Damaged files: a clear sentence, exit 1, never a crash.
fresh_copy
size=$(stat -c %s "$T/copy/cases.db")
truncate -s $((size / 2)) "$T/copy/cases.db"
run "$DOSSIER" --data "$T/copy" check
check "a truncated table fails dossier check" not_a_crash
check "... naming the file" err_has "cases.db"
fresh_copy
size=$(stat -c %s "$T/copy/records.db")
printf '\377\377\377\377\377\377\377\377' | dd of="$T/copy/records.db" bs=1 \
    seek=$((size / 2)) conv=notrunc 2>/dev/null
printf '\377\377\377\377\377\377\377\377' | dd of="$T/copy/records.db" bs=1 \
    seek=8200 conv=notrunc 2>/dev/null
run "$DOSSIER" --data "$T/copy" --user oumar --passphrase-file "$T/oumar.pw" case list --format tsv
check "bit-flipped records: the list still works or fails cleanly" \
    [ "$rc" -le 1 ]
for ref in $(cut -f1 "$T/out"); do
	run "$DOSSIER" --data "$T/copy" --user oumar --passphrase-file "$T/oumar.pw" case show "$ref"
	[ "$rc" -le 1 ] || break
done
check "... and every case shows or says it is damaged, no crash" [ "$rc" -le 1 ]
fresh_copy
printf 'not a database' >"$T/copy/users.db"
run "$DOSSIER" --data "$T/copy" --user oumar --passphrase-file "$T/oumar.pw" case list
check "a foreign file in place of a table is refused" err_has "users.db"
run "$DOSSIER" --data "$D" check
check "the original is untouched" rc_is 0

# A bad key map file: a message with file and line, the defaults kept.
mkdir -p "$T/config/dossier"
printf '[list]\nj = down\nz = fly\n' >"$T/config/dossier/keys"
# The n-th case row of the list on the screen (rows begin on line 3).
list_row() { sed -n "$(($1 + 2))p" "$T/screen" | sed 's/ *$//'; }
selected_is_row() {
	[ -n "$(list_row "$1")" ] && [ "$(tui_selected)" = "$(list_row "$1")" ]
}
tui_start env XDG_CONFIG_HOME="$T/config" "$DOSSIER" --data "$D" --user oumar
tui_wait "Passphrase:"
tui_text "$(cat "$T/oumar.pw")"
tui_keys Enter
tui_expect "a bad key file is reported with file and line" \
    "dossier/keys:3: the list screen has no action"
tui_until "the first case is selected" selected_is_row 1
tui_keys Down Down
tui_until "... and the default keys still work: Down Down selects the third" \
    selected_is_row 3
tui_keys j
tui_until "... and j, bound in both files, selects the fourth" \
    selected_is_row 4

# A one-column terminal: a message, no crash; back to 80x24, all there.
first_column_is_message() {
	[ "$(sed -n 1p "$T/screen")" = T ] && [ "$(sed -n 3p "$T/screen")" != I ]
}
tui_resize 1 24
tui_until "a 1-column terminal gets the message, cut to fit" \
    first_column_is_message
tui_resize 80 24
tui_expect "a 1-column terminal is survived" "Cases: 5"
tui_keys q
tui_expect "... and the program ends normally" "EXITED=0"
finish
