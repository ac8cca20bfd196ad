#!/usr/bin/env bash
# The README's table of the calibrated parameters ("How well it fits"):
# from a calibration's posterior.csv, for each parameter of the final
# generation, the weighted median and 90% interval (the 5th and 95th
# weighted percentiles: the smallest value whose cumulative weight
# reaches the level), and the value of the particle of smallest distance
# (the candidate for the scenario files: README "How well it fits").
#
# Usage: analysis/figures/posterior_table.sh DIR/posterior.csv
# Needs: bash, awk, sort.
set -euo pipefail
file=${1:?usage: posterior_table.sh DIR/posterior.csv}
header=$(head -n 1 "$file" | tr -d '\r')
IFS=, read -r -a cols <<<"$header"
n=${#cols[@]}
last=$(awk -F, 'NR > 1 && $1 + 0 > g { g = $1 + 0 } END { print g + 0 }' "$file")
best=$(awk -F, -v g="$last" 'NR > 1 && $1 == g && (b == "" || $NF + 0 < b) {
	b = $NF + 0; row = $0 } END { print row }' "$file")
IFS=, read -r -a bestv <<<"$best"
awk -v g="$last" -v p="${bestv[1]}" -v d="${bestv[n - 1]}" 'BEGIN { printf "Final generation %s; best: particle %s (distance %.3g, the smallest).\n", g, p, d }'
echo
echo "| parameter | posterior median | 90% interval | best particle |"
echo "|---|---|---|---|"
for ((c = 2; c < n - 2; c++)); do
	awk -F, -v g="$last" -v c=$((c + 1)) -v w=$((n - 1)) \
		'NR > 1 && $1 == g { print $c "," $w }' "$file" |
		sort -t, -k1,1g |
		awk -F, -v name="${cols[c]}" -v shipped="${bestv[c]}" '
		{ x[NR] = $1; cum += $2; cw[NR] = cum }
		function q(p,   i) { for (i = 1; i <= NR; i++) if (cw[i] >= p * cum) return x[i]; return x[NR] }
		END { printf "| `%s` | %.3g | %.3g to %.3g | %.3g |\n", name, q(0.5), q(0.05), q(0.95), shipped }'
done
