#!/usr/bin/env bash
# The README's Sobol analysis ("Which assumptions matter"): the main
# unsourced parameters of japan_2017, each over a range around its
# assumed value, on corporate intrusions, state intrusions into
# government, median dwell and losses; then the total indices as a
# Markdown table (ST with its 95% bootstrap interval).
#
# Usage: analysis/figures/sensitivity.sh [CYBERDEF] [N] [OUT]
#   CYBERDEF  the program (default ./build/release/cyberdef)
#   N         Sobol base samples (default 256: N x 15 runs)
#   OUT       output directory (default build/figures/sensitivity)
# Needs: bash, awk. About 6 minutes at N = 256 with the release build on
# 2 cores.
set -euo pipefail
bin=${1:-./build/release/cyberdef}
n=${2:-256}
out=${3:-build/figures/sensitivity}
rm -rf "$out"
"$bin" sensitivity japan_2017 --method sobol --n "$n" --reps 1 \
	--param detection.indicator_yield=0.05:0.4 \
	--param won.untrained_judgement=0.1:0.9 \
	--param attackers.fraud.retire_blocked=0.03:0.3:log \
	--param attackers.ransomware.retire_blocked=0.03:0.3:log \
	--param attackers.apt_espionage.retire_blocked=0.01:0.2:log \
	--param won.relay_slope=0.3:0.8 \
	--param won.isac_coverage_slope=0.3:0.8 \
	--param wos.partner_inflow_slope=0.4:0.9 \
	--param wos.deterrence_slope=0.2:0.9 \
	--param wog.national_monitoring_slope=0.009:0.036:log \
	--param attackers.fraud.damage_per_day=50000:200000:log \
	--param attackers.apt_espionage.damage_per_day=250:1000:log \
	--param attackers.fraud.impact_days_mean=3:14:log \
	--metric intrusions_corporate --metric intrusions_state_government \
	--metric median_dwell_days --metric loss_yen --quiet --out "$out"
awk -F, '
{ sub(/\r$/, "") }
NR == 1 { for (i = 1; i <= NF; i++) at[$i] = i; next }
$at["index"] == "ST" {
	p = $at["parameter"]; m = $at["metric"]
	if (!(p in seen_p)) { seen_p[p] = 1; ps[++np] = p }
	if (!(m in seen_m)) { seen_m[m] = 1; ms[++nm] = m }
	v = $at["value"]
	cell[p, m] = v == "" ? "" : sprintf("%.2f (%.2f, %.2f)", v, \
		$at["ci_lo"], $at["ci_hi"])
}
END {
	printf "| parameter (total index ST) |"
	for (k = 1; k <= nm; k++) printf " `%s` |", ms[k]
	printf "\n|---|"
	for (k = 1; k <= nm; k++) printf "---|"
	printf "\n"
	for (i = 1; i <= np; i++) {
		printf "| `%s` |", ps[i]
		for (k = 1; k <= nm; k++) printf " %s |", cell[ps[i], ms[k]]
		printf "\n"
	}
}' "$out/indices.csv"
