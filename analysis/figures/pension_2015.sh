#!/usr/bin/env bash
# The README's numbers on the 2015 Pension Service breach ("The 2015
# Pension Service breach"): pension_2015 at seeds 1 to N under 2015
# institutions (the scenario as shipped: the Pension Service outside NISC
# and its monitoring, WoG 0.45) and under WoG as of 2017 (--set
# wog.maturity=0.5, the Pension Service under national monitoring and a
# NISC member). Per run, from timeseries.csv and incidents.csv of the
# segment pension_service (only apt_pension targets it): whether the
# campaign started (attempts on it), made a foothold, reached impact (a
# breach); the records lost there; and the days from its first foothold
# to the first detection of any of them (none: not detected in the
# year). Prints a Markdown table: shares of runs, and the quartiles and
# 90th percentile (linear interpolation between order statistics) of
# records over the runs with a breach and of days to detection over the
# runs with a foothold ("n.d.": that quantile is not detected by 31
# December). A comparison with the 1.25 million records and the days of
# 2015, not a fit.
#
# Usage: analysis/figures/pension_2015.sh [CYBERDEF] [N]
#   CYBERDEF  the program (default ./build/release/cyberdef)
#   N         seeds per arm (default 250)
# Needs: bash, awk, sort, mktemp, xargs. About 3 minutes with the release
# build on 2 cores.
set -euo pipefail
bin=${1:-./build/release/cyberdef}
n=${2:-250}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jobs=$(nproc 2>/dev/null || echo 2)
wog2017="--set wog.maturity=0.5
--set segments.pension_service.national_monitoring=true
--set bodies.nisc.members.pension_service=1.0"

# One line per run: started,foothold,breach,records,days_to_detection.
per_run() { # run directory
	awk -F, '
	{ sub(/\r$/, "") }
	FNR == 1 { for (i = 1; i <= NF; i++) at[FILENAME, $i] = i; next }
	FILENAME ~ /timeseries/ {
		if ($at[FILENAME, "segment"] == "pension_service")
			att += $at[FILENAME, "attempts"]
		next
	}
	$at[FILENAME, "segment"] == "pension_service" {
		c = $at[FILENAME, "day_compromised"]
		d = $at[FILENAME, "day_detected"]
		fh++
		if ($at[FILENAME, "day_impact"] != "") br++
		rec += $at[FILENAME, "damage"]
		if (first == "" || c < first) first = c
		if (d != "" && (det == "" || d < det)) det = d
	}
	END {
		printf "%d,%d,%d,%.0f,%s\n", (att > 0), (fh > 0), (br > 0), rec,
		       det == "" ? "" : det - first
	}' "$1/timeseries.csv" "$1/incidents.csv"
}

# Quartiles and 90th percentile of the numbers on stdin, linear between
# order statistics; "n.d." (not detected) counts as above every number,
# and a quantile that reaches one is "n.d.".
quantiles() {
	local all
	all=$(cat)
	{
		grep -v '^n\.d\.$' <<<"$all" | sort -g || true
		grep '^n\.d\.$' <<<"$all" || true
	} | awk '
	$1 != "" { v[++m] = $1 }
	function q(p,   h, lo) {
		h = (m - 1) * p + 1; lo = int(h)
		if (v[lo] == "n.d." || (h > lo && v[lo + 1] == "n.d."))
			return "n.d."
		if (h == lo) return sprintf("%.3g", v[lo])
		return sprintf("%.3g", v[lo] + (h - lo) * (v[lo + 1] - v[lo]))
	}
	END {
		if (m == 0) { printf " | |"; exit }
		printf " %s, %s, %s | %s |", q(0.25), q(0.5), q(0.75), q(0.9)
	}'
}

printf '| institutions | runs | campaign started | foothold | breach | records lost, breach runs: Q1, median, Q3 | P90 | days to detection, foothold runs: Q1, median, Q3 | P90 | detected in 2015 |\n'
printf '|---|---|---|---|---|---|---|---|---|---|\n'
for arm in 2015 2017; do
	sets=""
	[ "$arm" = 2017 ] && sets=$wog2017
	# shellcheck disable=SC2086 # $sets is a list of words
	seq 1 "$n" | xargs -P "$jobs" -I{} "$bin" run pension_2015 --quiet \
		--seed {} --outputs timeseries,incidents --out "$work/$arm/{}" \
		$sets
	for s in $(seq 1 "$n"); do
		per_run "$work/$arm/$s"
		rm -rf "${work:?}/$arm/$s"
	done >"$work/$arm.csv"
	awk -F, -v arm="$arm" -v n="$n" '
	{ st += $1; fh += $2; br += $3; if ($2 && $5 != "") det++ }
	END {
		printf "| %s | %d | %.2f | %.2f | %.2f | ", \
		       arm == 2015 ? "2015 (outside NISC)" : "WoG as of 2017",
		       n, st / n, fh / n, br / n
	}' "$work/$arm.csv"
	awk -F, '$3 { print $4 }' "$work/$arm.csv" | quantiles
	awk -F, '$2 { print ($5 == "" ? "n.d." : $5) }' "$work/$arm.csv" |
		quantiles
	awk -F, '$2 { fh++; if ($5 != "") det++ }
		END { printf " %.2f |\n", fh ? det / fh : 0 }' "$work/$arm.csv"
done
