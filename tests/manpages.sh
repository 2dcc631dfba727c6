#!/bin/sh
# manpages.sh: the manual pages and the program agree, in both languages.
# - every command and sub-command of 'dossier --help' has its entry
#   (Cm) in dossier(1), English and French;
# - each French page (docs/fr/) names the same options, commands,
#   environment variables and keys (Fl, Cm, Ev, Ic) as its English one,
#   so that a change to one without the other fails here.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
D="${top_srcdir:-.}/docs"

run "$DOSSIER" --help
check "dossier --help prints its commands" rc_is 0
sed -n '/^Commands:/,/^$/p' "$T/out" | grep -E '^  [a-z]' |
    awk '$1 ~ /^[a-z][a-z-]*$/ { w = $1;
	    if ($2 ~ /^[a-z][a-z-]*$/) w = w " " $2; print w }' |
    sort -u >"$T/cmds"
check "the help lists commands" test "$(wc -l <"$T/cmds")" -gt 20

for lang in "" fr/; do
	missing=""
	while read -r c; do
		grep -q "Cm $c\\b" "$D/${lang}dossier.1" ||
		    missing="$missing [$c]"
	done <"$T/cmds"
	check "every command has its entry in ${lang}dossier.1" \
	    sh -c "[ -z '$missing' ]"
	[ -n "$missing" ] && echo "#   missing:$missing"
done

tokens() {
	grep -o '\b\(Fl\|Cm\|Ev\|Ic\) [^ ]*' "$1" | sort -u
}
for p in dossier.1 dossier-forms.5 dossier-keys.5; do
	tokens "$D/$p" >"$T/en"
	tokens "$D/fr/$p" >"$T/fr"
	check "fr/$p names what $p names" cmp -s "$T/en" "$T/fr"
	diff "$T/en" "$T/fr" | grep '^[<>]' | head -5 | sed 's/^/#   /'
done
finish
