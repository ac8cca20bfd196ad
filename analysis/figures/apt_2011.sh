#!/usr/bin/env bash
# The README's numbers on apt_2011 ("Scenarios", "The 2011 wave"): the
# year 2011 with the July-November espionage wave, against the same year
# without it (apt_2011.cfg without its timeline) and against the wave
# under WoG as of 2017 (wog.maturity = 0.5), on seeds 1 to N. Prints,
# per arm, the means over seeds of: state intrusions into government,
# into MOFA and into other_ministries (the Diet's stand-in), records
# stolen from defense contractors by state attackers, and the share of
# state footholds in government detected by hunting with indicators
# shared at home (`shared`) among those detected; then the paired effects
# of `cyberdef compare` (BASE = the wave under 2011 institutions).
#
# Usage: analysis/figures/apt_2011.sh [CYBERDEF] [N]
#   CYBERDEF  the program (default ./build/release/cyberdef)
#   N         seeds per arm (default 100)
# Needs: bash, awk, sed, mktemp, xargs. About 3 minutes with the release
# build on 2 cores.
set -euo pipefail
bin=${1:-./build/release/cyberdef}
n=${2:-100}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The year without the wave: the scenario without its timeline, its
# includes made absolute so that it loads from $work.
sed -e '/^timeline = (/,$d' \
	-e "s|@include \"common/|@include \"$root/scenarios/common/|" \
	"$root/scenarios/apt_2011.cfg" >"$work/apt_2011_nosurge.cfg"

jobs=$(nproc 2>/dev/null || echo 2)
arm() { # name, scenario, --set arguments...
	local name=$1 sc=$2
	shift 2
	seq 1 "$n" | xargs -P "$jobs" -I{} "$bin" run "$sc" --quiet \
		--seed {} --outputs incidents --out "$work/$name/{}" "$@"
	for s in $(seq 1 "$n"); do
		tail -n +2 "$work/$name/$s/incidents.csv"
	done >"$work/$name.csv"
	head -1 "$work/$name/1/incidents.csv" >"$work/header.csv"
	rm -rf "${work:?}/$name"
}
arm wave2011 "$root/scenarios/apt_2011.cfg"
arm nowave "$work/apt_2011_nosurge.cfg"
arm wave_wog2017 "$root/scenarios/apt_2011.cfg" --set wog.maturity=0.5

printf '| arm | state intrusions, government | MOFA | other_ministries (Diet) | records from defense contractors | shared among detected (gov, state) |\n'
printf '|---|---|---|---|---|---|\n'
for a in wave2011 nowave wave_wog2017; do
	cat "$work/header.csv" "$work/$a.csv" | awk -F, -v n="$n" -v a="$a" '
	{ sub(/\r$/, "") }
	NR == 1 { for (i = 1; i <= NF; i++) at[$i] = i; next }
	$at["attacker_type"] != "state" { next }
	{
		new = $at["day_compromised"] >= 0
		if ($at["kind"] == "government" && new) {
			gov++
			if ($at["segment"] == "mofa") mofa++
			if ($at["segment"] == "other_ministries") diet++
		}
		if ($at["kind"] == "government" && $at["detection_source"] != "") {
			det++
			if ($at["detection_source"] == "shared") shared++
		}
		if ($at["segment"] == "defense_contractors")
			rec += $at["damage"]
	}
	END {
		printf "| %s | %.1f | %.1f | %.1f | %.3g | %.2f |\n", a,
		       gov / n, mofa / n, diet / n, rec / n,
		       det ? shared / det : 0
	}'
done

"$bin" compare "$root/scenarios/apt_2011.cfg" "$work/apt_2011_nosurge.cfg" \
	@wog.maturity=0.5 --reps "$n" --quiet --out "$work/compare" \
	--metric intrusions_state \
	--metric breaches_state --metric records_exfiltrated \
	--metric median_dwell_days_state --metric crisis_days >/dev/null
printf '\n| arm | metric | base mean | arm mean | difference (95%% CI) |\n'
printf '|---|---|---|---|---|\n'
awk -F, -v nosurge="$work/apt_2011_nosurge.cfg" '
	{ sub(/\r$/, "") }
	NR == 1 { for (i = 1; i <= NF; i++) at[$i] = i; next }
	{
		alt = $at["alternative"] == nosurge ? "no wave" : $at["alternative"]
		metric = $at["metric"]
		if ($at["kind"] != "all") metric = metric " (" $at["kind"] ")"
		printf "| %s | %s | %.4g | %.4g | %.3g (%.3g, %.3g) |\n", alt,
		       metric, $at["base_mean"], $at["alt_mean"],
		       $at["diff_mean"], $at["diff_ci_lo"], $at["diff_ci_hi"]
	}' "$work/compare/effects.csv"
