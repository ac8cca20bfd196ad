#!/usr/bin/env bash
# The README's scenario table ("What they show"): every shipped scenario,
# at seeds 1 to N (default 100), as a Markdown table of
# means with 95% confidence half-widths (Student's t, N - 1 degrees of
# freedom). Counts are scaled to one year by the scenario's days.
#
# Usage: analysis/figures/scenario_table.sh [CYBERDEF] [N]
#   CYBERDEF  the program (default ./build/release/cyberdef)
#   N         seeds per scenario, at least 30 (default 100)
# Needs: bash, awk, mktemp. About a minute with the release build on 2
# cores (national runs, two at a time).
set -euo pipefail
bin=${1:-./build/release/cyberdef}
n=${2:-100}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

scenarios="japan_2013 japan_2017 eu_us_sharing singapore_model
	umbrella_withdrawn workforce_gap_closed olympics_2020 cdu_expanded
	hygiene_global asean_capacity apt_2011 pension_2015"
# The columns of the table: summary column, heading, whether it is scaled
# to a year, and its printf format.
columns="intrusions:intrusions:1:%.1f
intrusions_corporate:corporate:1:%.1f
intrusions_state_government:state on government:1:%.1f
median_dwell_days:median dwell (days):0:%.1f
detections_shared:shared detections:1:%.1f
detections_partner:partner detections:1:%.1f
loss_yen:losses (yen/yr):1:%.3g
records_exfiltrated:records stolen/yr:1:%.3g
crisis_days:crisis days/yr:1:%.1f"

jobs=$(nproc 2>/dev/null || echo 2)
for sc in $scenarios; do
	# The runs, $jobs at a time, summaries only.
	seq 1 "$n" | xargs -P "$jobs" -I{} "$bin" run "$sc" --quiet \
		--seed {} --outputs summary --out "$work/$sc/{}"
	head -1 "$work/$sc/1/summary.csv" >"$work/$sc.csv"
	for s in $(seq 1 "$n"); do
		tail -n +2 "$work/$sc/$s/summary.csv" >>"$work/$sc.csv"
	done
	rm -rf "${work:?}/$sc"
done

# The 0.975 quantile of Student's t with N - 1 degrees of freedom:
# 1.96 + 2.4 / (N - 1) is within 0.13% of it from N = 30 on (checked
# against gsl_cdf_tdist_Pinv: 2.0428 for 2.0452 at N = 30, 1.98424 for
# 1.98422 at N = 100).
if [ "$n" -lt 30 ]; then
	echo "scenario_table: N must be at least 30, got $n" >&2
	exit 2
fi
t=$(awk -v n="$n" 'BEGIN { printf "%.6f", 1.96 + 2.4 / (n - 1) }')

printf '| scenario |'
while IFS=: read -r _ head _ _; do printf ' %s |' "$head"; done <<<"$columns"
printf '\n|---|'
while IFS=: read -r _ _ _ _; do printf -- '---|'; done <<<"$columns"
printf '\n'
for sc in $scenarios; do
	awk -F, -v t="$t" -v cols="$columns" -v name="$sc" '
	NR == 1 { for (i = 1; i <= NF; i++) at[$i] = i; next }
	{
		scale = 365 / $at["days"]
		nc = split(cols, lines, "\n")
		for (c = 1; c <= nc; c++) {
			split(lines[c], f, ":")
			v = $at[f[1]]
			if (v == "") continue
			v *= f[3] ? scale : 1
			n[c]++; sum[c] += v; ss[c] += v * v
		}
	}
	END {
		printf "| `%s` |", name
		for (c = 1; c <= nc; c++) {
			split(lines[c], f, ":")
			m = sum[c] / n[c]
			var = (ss[c] - n[c] * m * m) / (n[c] - 1)
			h = t * sqrt(var > 0 ? var : 0) / sqrt(n[c])
			printf " " f[4] " ± " f[4] " |", m, h
		}
		printf "\n"
	}' "$work/$sc.csv"
done
