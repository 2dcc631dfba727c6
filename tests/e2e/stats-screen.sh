#!/bin/sh
# stats-screen.sh: the statistics and the follow-up of recommendations
# from the dashboard, in French and in English at 80x24 (the follow-up at
# 132x43 too, where its unit column widens), for a
# supervisor and an auditor; Enter on a recommendation opens its case or
# mission; each opening is audited.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

D="$T/data"
"$DOSSIER" --data "$D" demo --seed "$DEMO_SEED" --cases 30 >/dev/null
for u in oumar fatou; do
	awk -v u=$u '$1 == u { print $3 }' "$D/demo-users.txt" >"$T/$u.pw"
done
pw() { cat "$T/$1.pw"; }
as() {
	u=$1
	shift
	run "$DOSSIER" --data "$D" --user "$u" --passphrase-file "$T/$u.pw" "$@"
}
audits() {
	"$DOSSIER" --data "$D" --user oumar --passphrase-file "$T/oumar.pw" \
	    audit list --by "$1" --format tsv | awk -F '\t' '$4 == "stats.run"' | wc -l
}
# A mission with a recommendation overdue, for the follow-up screen.
as oumar case new --workflow mission --set "received=2026-11-20 09:30" \
    --set channel=own_initiative --set filed_by=hierarchy \
    --set facts_date=2026-11-18 --set region=mopti --set force=police \
    --set "summary=Contrôle" --set categories=command.supervision
M=$(cat "$T/out")
as oumar case add "$M" mission --set type=control \
    --set "unit=Commissariat de Sévaré" --set "scope=Registres"
R=$(cat "$T/out")
as oumar case add "$M" recommendation --set source=mission \
    --set source_record="$R" \
    --set "addressee_unit=Commissariat de Sévaré" --set addressee_force=police \
    --set "measure=Tenir le registre" --set deadline=2020-01-31 \
    --set status=accepted

session() {
	user=$1 lang=$2
	if [ "$lang" = fr ]; then
		L_pass="Phrase secrète :" L_dash="Tableau de bord : 31" \
		L_title="Statistiques : 31 dossiers" \
		L_counted="Dossiers comptés : 31" L_median="Médiane" \
		L_follow="Recommandations à mettre en œuvre : 1, dont 1 en retard" \
		L_late="j de retard" L_mission="Contrôle" \
		L_every="Tous les comptes" L_region="Région" \
		L_nothing="Rien" L_force="Force ou service" \
		L_cross="Région par force ou service" \
		L_gendarmerie="Gendarmerie nationale" \
		L_publish=", à publier" L_hidden="(*)" \
		L_masked="nombres sont masqués pour cela" \
		L_received="Reçus (année)" \
		L_allpub="Statistiques : 31 dossiers, à publier"
	else
		L_pass="Passphrase:" L_dash="Dashboard: 31" \
		L_title="Statistics: 31 cases" L_counted="Cases counted: 31" \
		L_median="Median" \
		L_follow="Recommendations to implement: 1, 1 overdue" \
		L_late="days late" L_mission="Contrôle" \
		L_every="Every count" L_region="Region" L_nothing="Nothing" \
		L_force="Force or service" \
		L_cross="Region by force or service" \
		L_gendarmerie="National gendarmerie" \
		L_publish=", to publish" L_hidden="(*)" \
		L_masked="numbers are suppressed so" \
		L_received="Received (year)" \
		L_allpub="Statistics: 31 cases, to publish"
	fi
	at="($user, $lang, 80x24)"
	before=$(audits "$user")
	tui_start "$DOSSIER" --data "$D" --user "$user" --lang "$lang"
	tui_wait "$L_pass" || return
	tui_text "$(pw "$user")"
	tui_keys Enter
	tui_wait "$user (" || return
	tui_keys d
	tui_wait "$L_dash" || return
	tui_keys s
	tui_expect "s on the dashboard opens the statistics $at" "$L_title"
	tui_holds "... which say how many cases they count $at" \
	    screen_has "$L_counted"
	tui_keys PgDn PgDn PgDn PgDn PgDn PgDn PgDn PgDn PgDn PgDn PgDn PgDn
	tui_expect "PgDn pages down to the durations of stages $at" "$L_median"
	tui_keys PgUp PgUp PgUp PgUp PgUp PgUp PgUp PgUp PgUp PgUp PgUp PgUp
	tui_expect "PgUp pages back to the top $at" "$L_counted"
	# A crossing of two dimensions, then the view to publish.
	tui_keys c
	tui_expect "c asks what to count by $at" "$L_every"
	tui_text "$L_region"
	tui_keys Enter
	tui_expect "... then what to cross it with $at" "$L_nothing"
	tui_text "$L_force"
	tui_keys Enter
	tui_expect "the figures are the region crossed with the force $at" \
	    "$L_cross"
	tui_holds "... one column per force, with totals $at" \
	    screen_has "$L_gendarmerie"
	tui_keys p
	tui_expect "p shows the view to publish $at" "$L_publish"
	tui_holds "... which says what it hides and why $at" \
	    screen_has "$L_hidden"
	tui_holds "... and how many numbers it hides $at" joined_has "$L_masked"
	tui_keys c
	tui_expect "c again $at" "$L_every"
	tui_keys Enter
	tui_expect "... and every count comes back, to publish $at" \
	    "$L_allpub"
	tui_holds "... every table $at" screen_has "$L_received"
	tui_keys p
	tui_until "p shows the small counts again $at" \
	    sh -c "! grep -q -F -- '$L_publish' '$T/screen'"
	tui_keys q
	tui_expect "q goes back to the dashboard $at" "$L_dash"
	tui_keys r
	tui_expect "r opens the recommendations to implement $at" "$L_follow"
	tui_holds "... with the overdue one and its delay $at" \
	    screen_has "$L_late"
	tui_holds "... and the record it comes from $at" \
	    screen_has "Mission $R"
	tui_holds "... selected, with its case $at" selected_has "$M"
	tui_holds "... its unit cut to what 80 columns leave $at" \
	    screen_has "Commissariat…"
	tui_resize 132 43
	tui_until "at 132x43 the unit has room and shows whole ($user, $lang)" \
	    screen_has "Commissariat de Sévaré"
	tui_resize 80 24
	tui_until "... and is cut again back at 80x24 $at" \
	    screen_has "Commissariat…"
	tui_keys Enter
	tui_expect "Enter opens the mission it belongs to $at" "$L_mission"
	tui_holds "... whose view lists the recommendation with its source $at" \
	    screen_has "(Mission $R)"
	tui_keys q
	tui_expect "q goes back to the recommendations $at" "$L_follow"
	tui_keys q
	tui_expect "q goes back again $at" "$L_dash"
	n=$((n + 1))
	# Five views of the statistics, one follow-up.
	if [ "$(audits "$user")" -eq $((before + 6)) ]; then
		echo "ok $n - each view is one audit entry $at"
	else
		not_ok "each view is one audit entry $at"
		fails=$((fails + 1))
	fi
}

session oumar fr
session fatou en

# The audit log says what was looked at in the reader's words.
as oumar --lang fr audit list
check "the audit log names the follow-up in French" \
    out_has "statistiques calculées  *les recommandations à mettre en œuvre, à l’écran\$"
check "... and the statistics screen with its number of cases" \
    out_has "écran des statistiques, tous les comptes, 31 dossiers\$"
check "... and a view to publish with its threshold" \
    out_has "écran des statistiques, tous les comptes, 31 dossiers, à publier (nombres sous 5 masqués)\$"
check "... no detail in English" sh -c "! grep -q -e 'recommendations screen' -e 'screen all' '$T/out'"

finish
