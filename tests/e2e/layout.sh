#!/bin/sh
# layout.sh: every screen laid out by display width, in French and in
# English, at 80x24 and at 132x43: no label cut inside a word (a cell too
# narrow ends with an ellipsis), the days late whole, wider terminals
# used, the journal in words (state labels, never state ids), dates typed
# and shown the French way, a refused value kept with a sentence that
# names the field by its label.  See lib.sh for the rules each step
# follows.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

command -v tmux >/dev/null 2>&1 || { echo "tmux is required (bootstrap installs it)"; exit 1; }
FORMS="${top_srcdir:-.}/forms"

D="$T/data"
"$DOSSIER" --data "$D" demo --seed "$DEMO_SEED" --cases 40 >/dev/null
for u in awa oumar; do
	awk -v u=$u '$1 == u { print $3 }' "$D/demo-users.txt" >"$T/$u.pw"
done
pw() { cat "$T/$1.pw"; }
as_oumar() {
	"$DOSSIER" --data "$D" --user oumar --passphrase-file "$T/oumar.pw" "$@"
}
# A case moved twice, with the longest region and category labels.
REF=$("$DOSSIER" --data "$D" --user awa --passphrase-file "$T/awa.pw" case new \
    --set "received=2026-11-20 09:30" --set channel=letter --set filed_by=victim \
    --set facts_date=2026-11-18 --set region=bamako --set force=police \
    --set "summary=Contrôle routier" --set categories=probity.extortion)
as_oumar case move "$REF" enregistree >/dev/null 2>&1
as_oumar case move "$REF" examen_prealable >/dev/null
as_oumar case move "$REF" ouverte >/dev/null
as_oumar case list --format tsv >"$T/cases.tsv"

# Every label the screens show in language $1 (fr or en), one a line:
# the reference lists, the states and moves, the forms' titles.
labels() {
	col=$([ "$1" = fr ] && echo 1 || echo 2)
	awk -F ' = ' -v col=$col '
	    /^\[list\./ { inlist = 1; next }
	    /^\[/ { inlist = 0 }
	    inlist && NF >= 2 && $1 !~ /^#/ {
		split($2, p, / \| /)
		print p[col]
	    }' "$FORMS/lists.ini"
	grep -h "^label\.$1 = \|^title\.$1 = " "$FORMS"/*.ini "$FORMS"/*.form |
	    sed 's/^[a-z]*\.[a-z]* = //'
}
labels fr | sort -u >"$T/labels.fr"
labels en | sort -u >"$T/labels.en"
# Whole words of each language (labels and messages): a label's beginning
# that ends with one of them is no cut ("Enquête" of "Enquêteurs").
words() {
	{ cat "$T/labels.$1"; grep "^$2 " "${top_srcdir:-.}/po/fr.po"; } |
	    tr -s ' \t"' '\n\n\n' | sed 's/^[(«“]*//; s/[.,:;!?)»”]*$//' |
	    sort -u
}
words fr msgstr >"$T/words.fr"
words en msgid >"$T/words.en"

# No label of language $1 on the screen is cut inside a word: a label's
# beginning that ends between two letters is never followed on the screen
# by a space or the end of the line (a cut cell ends with "…").
no_cut_words() {
	awk -v labels="$T/labels.$1" -v words="$T/words.$1" '
	    BEGIN {
		while ((getline w < words) > 0)
			word[w] = 1
		while ((getline l < labels) > 0) {
			if (length(l) < 5)
				continue
			full[l] = 1
			for (k = 4; k < length(l); k++) {
				a = substr(l, k, 1)
				b = substr(l, k + 1, 1)
				# Both letters (ASCII or the bytes of an accent).
				if (a ~ /[A-Za-z\200-\377]/ &&
				    b ~ /[A-Za-z\200-\377]/)
					cut[substr(l, 1, k)] = l
			}
		}
	    }
	    { screen = screen $0 "\n" }
	    END {
		for (p in cut) {
			w = p
			sub(/.* /, "", w)
			if ((p in full) || (w in word))
				continue
			s = screen
			while ((i = index(s, p)) > 0) {
				c = substr(s, i + length(p), 1)
				if (c == " " || c == "\n") {
					print "cut: \"" p "\" (of \"" cut[p] "\")"
					bad = 1
				}
				s = substr(s, i + length(p))
			}
		}
		exit bad
	    }' "$T/screen" >"$T/cuts"
}
# rows_with FIELD BODY: BODY (awk) for each case row of the screen, with
# ref its reference and v[ref] field FIELD of its line in cases.tsv; it
# counts rows and sets bad; false if bad or no row was counted.
rows_with() {
	awk -v tsv="$T/cases.tsv" -v field="$1" '
	    BEGIN {
		FS = "\t"
		while ((getline l < tsv) > 0) {
			split(l, f, "\t")
			v[f[1]] = f[field]
		}
		FS = " "
	    }
	    /^(-> )?[A-Z]+-[0-9]+-[0-9]+ / {
		ref = $1 == "->" ? $2 : $1
		'"$2"'
	    }
	    END { exit bad || rows == 0 }' "$T/screen"
}
# Each row of the case list shows the days late of its case whole, as
# 'case list' counts them ("!N" in the last column).
late_whole() {
	rows_with 8 '
		rows++
		want = v[ref] > 0 ? "!" v[ref] : ""
		got = $NF ~ /^![0-9]+$/ ? $NF : ""
		if (got != want) {
			print ref ": \"" got "\", not \"" want "\""
			bad = 1
		}' >"$T/late"
}
# Every row of a case of several investigators shows "+N", the number of
# the others, however narrow its column; the first name is cut only when
# it does not fit whole beside it ("ibrahim+1" before "ibra… +1"); and
# there is such a row on the screen.  A cut cell fills its column, so the
# name did not fit when the cut cell is narrower than "name+N" (the
# ellipsis is one column, however many bytes this awk counts in it).
others_kept() {
	rows_with 5 '
		n = gsub(/,/, ",", v[ref])
		if (n == 0)
			next
		rows++
		split(v[ref], who, ",")
		if (match($0, "[^ ]*[ ]?[+]" n " ") == 0) {
			print ref ": no \"+" n "\" in: " $0
			bad = 1
			next
		}
		cell = substr($0, RSTART, RLENGTH - 1)
		shown = length(cell) - (index(cell, "…") ? length("…") - 1 : 0)
		if (index(cell, "…") && length(who[1] "+" n) <= shown) {
			print ref ": " who[1] " cut, though \"" who[1] "+" n \
			    "\" fits: " $0
			bad = 1
		}' >"$T/others"
}
# The widest line of the screen, in characters.
widest() {
	LC_ALL=C.UTF-8 awk '{ print }' "$T/screen" | while IFS= read -r l; do
		printf '%s' "$l" | wc -m
	done | sort -n | tail -1
}
wider_than() { [ "$(widest)" -gt "$1" ]; }

# The case list, the case and a form in language $1 at $2 columns, $3 rows.
screens() {
	lang=$1 cols=$2 rows=$3
	if [ "$lang" = fr ]; then
		passphrase="Phrase secrète :" title="Dossiers : " late="Ret."
		moved="Examen préalable → Enquête ouverte"
		state="Enquête ouverte" flow="Enquête pré-disciplinaire"
		facts="Date des faits" bad="« Date des faits » : « 30/02/2026 »"
		region="District de Bamako" workflow="Circuit"
	else
		passphrase="Passphrase:" title="Cases: " late="Late"
		moved="Preliminary examination → Investigation opened"
		state="Investigation opened" flow="Pre-disciplinary investigation"
		facts="Date of the facts" bad="'Date of the facts': '30/02/2026'"
		region="Bamako District" workflow="Workflow"
	fi
	at="($lang, ${cols}x$rows)"
	tui_start "$DOSSIER" --data "$D" --user oumar --lang "$lang"
	[ "$cols" -eq 80 ] || tui_resize "$cols" "$rows"
	tui_wait "$passphrase"
	tui_text "$(pw oumar)"
	tui_keys Enter
	tui_wait "$title"
	tui_holds "the list's headers end with the days late, whole $at" \
	    grep -q -E " $late\$" "$T/screen"
	tui_holds "no label is cut inside a word in the list $at" no_cut_words "$lang"
	[ -s "$T/cuts" ] && sed 's/^/#   /' "$T/cuts"
	tui_holds "every row shows its days late whole $at" late_whole
	[ -s "$T/late" ] && sed 's/^/#   /' "$T/late"
	tui_holds "a case of several investigators shows the number of the others $at" \
	    others_kept
	[ -s "$T/others" ] && sed 's/^/#   /' "$T/others"
	if [ "$cols" -gt 80 ]; then
		tui_holds "a wider terminal is used $at" wider_than 100
		tui_holds "... and the long labels are whole $at" screen_has "$region"
	fi
	# The case moved twice: its journal in words.
	tui_keys /
	tui_text "$REF"
	tui_keys Enter Enter
	tui_expect "the case's first line is whole $at" "$REF  $state  [$flow]"
	tui_holds "the journal says the move with the states' labels $at" \
	    screen_has "$moved"
	tcheck "... never their ids, nor the program's words $at" \
	    sh -c "! grep -q -E 'examen_prealable|enregistree| move |-> ' '$T/screen'"
	tui_holds "no label is cut inside a word in the case $at" no_cut_words "$lang"
	[ -s "$T/cuts" ] && sed 's/^/#   /' "$T/cuts"
	tui_keys q
	tui_wait "$title"
	# A new complaint: a date refused, kept to correct, then accepted.
	tui_keys i
	tui_wait "$workflow"
	tui_keys Enter
	tui_wait "$facts"
	tui_select "$facts"
	tui_keys Enter
	tui_text "30/02/2026"
	tui_keys Enter
	tui_expect "a refused date names the field by its label $at" "$bad"
	tui_holds "... and stays in the field to correct $at" \
	    grep -q -F "30/02/2026" "$T/screen"
	tui_keys C-u
	tui_text "28/11/2026"
	tui_keys Enter
	if [ "$lang" = fr ]; then
		tui_until "a French date is accepted and shown so $at" \
		    selected_has "28/11/2026"
	else
		tui_until "a French date is accepted, shown as stored $at" \
		    selected_has "2026-11-28"
	fi
	tui_holds "no label is cut inside a word in the form $at" no_cut_words "$lang"
	[ -s "$T/cuts" ] && sed 's/^/#   /' "$T/cuts"
	tui_keys Escape
	tui_keys y
	tui_wait "$title"
	tui_holds "... and the list is back, laid out as before $at" \
	    grep -q -E " $late\$" "$T/screen"
	tui_keys q
	tui_expect "q quits $at" "EXITED=0"
}

screens fr 80 24
screens en 80 24
screens fr 132 43
screens en 132 43

finish
