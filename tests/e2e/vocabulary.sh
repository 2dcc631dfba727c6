#!/bin/sh
# vocabulary.sh: the words live in forms/, not in the code.  No state or
# transition id of a shipped workflow is written in src/ (renaming one in
# forms/workflow-*.ini must not silently break a screen that matched it),
# and a state's label changed in the files is what the case shows.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

top=${top_srcdir:-.}
ids=$(sed -n 's/^\[\(state\|transition\)\.\([a-z_]*\)\]$/\2/p' \
    "$top"/forms/workflow-*.ini | sort -u)
: >"$T/found"
for id in $ids; do
	grep -n -- "\"$id\"" "$top"/src/*.c "$top"/src/*.h >>"$T/found"
done
check "the shipped workflows have states to look for" \
    sh -c "[ $(echo "$ids" | wc -w) -gt 20 ]"
check "no state or transition id is written in src/" \
    sh -c "[ ! -s '$T/found' ] || { sed 's/^/# /' '$T/found'; false; }"

# A state's label changed in a copy of the files: the case says the new
# one, in French and in English.
D="$T/data"
"$DOSSIER" --data "$D" demo --cases 3 >/dev/null
awk '$1 == "oumar" { print $3 }' "$D/demo-users.txt" >"$T/oumar.pw"
# as_oumar FORMS ARGS...: oumar's command with these forms.
as_oumar() {
	f=$1
	shift
	run env DOSSIER_FORMS="$f" "$DOSSIER" --data "$D" --user oumar \
	    --passphrase-file "$T/oumar.pw" "$@"
}
as_oumar "$top/forms" case list --format tsv
REF=$(head -1 "$T/out" | cut -f1)
STATE=$(head -1 "$T/out" | cut -f2)
cp -R "$top/forms" "$T/forms"
# Whichever workflow the case follows: the state is renamed in both.
for w in inspection monitoring; do
	awk -v s="[state.$STATE]" '
	    $0 == s { in_s = 1; print; next }
	    /^\[/ { in_s = 0 }
	    in_s && /^label.fr = / { print "label.fr = Nommé dans le fichier"; next }
	    in_s && /^label.en = / { print "label.en = Named in the file"; next }
	    { print }' "$top/forms/workflow-$w.ini" >"$T/forms/workflow-$w.ini"
done
check "the case's state ($STATE) is relabelled in the copy" \
    grep -q "^label.fr = Nommé dans le fichier$" "$T/forms"/workflow-*.ini
as_oumar "$T/forms" --lang fr case show "$REF"
check "case show says the state's French label from the files" \
    out_has "(Nommé dans le fichier)"
as_oumar "$T/forms" --lang en case show "$REF"
check "... and its English one" out_has "(Named in the file)"

finish
