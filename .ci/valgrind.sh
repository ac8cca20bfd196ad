#!/usr/bin/env bash
# Valgrind memcheck: builds the `valgrind` preset (Debug, -O1 -g, no
# sanitizers) and runs under valgrind
#   1. the fast tests, every tests/test_<name> executable that the
#      `valgrind` test preset lists: the labels unit and e2e, not golden,
#      statistical or slow (tests/CMakeLists.txt), all on small synthetic
#      scenarios;
#   2. the program on the default scenario: cyberdef run --days 30;
#   3. a tiny sweep (3 points x 2 replicates, 2 threads).
# Any memory error, any definitely or indirectly lost block, and any
# failing test fails the script. About 3 minutes on 2 idle cores, build
# included (4 to 5 when the machine is busy).
#
# Time: every bound the tests put on the children they start (the runner's
# timeouts, how soon a run stops after SIGINT) grows by CD_TEST_TIME_SCALE,
# 40 here; each test executable is itself killed after 30 x that many
# seconds (20 minutes), so that nothing hangs the script.
#
# Children: the e2e tests run the program as a child process;
# --trace-children=yes checks those runs as well (each process writes its
# own log). Not traced: gnuplot (run by `cyberdef plot`), sh and rm (the
# tests' clean-up), and the MPI launcher (mpirun and its daemons: Open MPI
# itself reports leaks and uninitialised bytes).
#
# Usage: .ci/valgrind.sh
# Needs: valgrind (sh .ci/deps valgrind), and what the build needs.
# Logs: build/valgrind/valgrind-logs/<test>.<pid>.log, <test>.out
set -euo pipefail
cd "$(dirname "$0")/.."

start=$SECONDS
if ! command -v valgrind >/dev/null; then
	echo "valgrind.sh: needs valgrind: sh .ci/deps valgrind" >&2
	exit 2
fi
jobs=$(nproc 2>/dev/null || echo 2)

echo "== build (valgrind preset) =="
cmake --preset valgrind >/dev/null
cmake --build --preset valgrind

build=$(pwd)/build/valgrind
logs=$build/valgrind-logs
rm -rf "$logs"
mkdir -p "$logs"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --vgdb=no: no gdbserver, so no FIFOs of valgrind's own in TMPDIR,
# where the tests look for what the program makes there (test_plot waits
# for gnuplot's files, test_corpus wants TMPDIR left empty).
# shellcheck disable=SC2054 # the commas are inside valgrind's options
vg=(valgrind --vgdb=no --leak-check=full --error-exitcode=1
	--errors-for-leak-kinds=definite,indirect
	--show-leak-kinds=definite,indirect --num-callers=30)
children=(--trace-children=yes
	"--trace-children-skip=*/gnuplot*,*/sh,*/bash,*/rm,*/mpirun,*/mpiexec,*/orterun,*/orted,*/prte*")

# Runs "$@" under valgrind with logs named after $1 (a label); records
# its exit status in $logs/<label>.rc.
run_vg() {
	local label=$1
	shift
	local t0=$SECONDS rc=0
	timeout -k 30 "$limit" "${vg[@]}" --log-file="$logs/$label.%p.log" \
		"$@" >"$logs/$label.out" 2>&1 || rc=$?
	echo "$rc" >"$logs/$label.rc"
	echo "  $label: exit $rc, $((SECONDS - t0)) s"
}

# The fast tests (the `valgrind` test preset), slowest first so that two
# at a time finish together; each is the executable tests/test_<name>
# (tests/CMakeLists.txt).
mapfile -t listed < <(ctest --preset valgrind -N |
	sed -n 's/^ *Test *#[0-9]*: *\([A-Za-z0-9_]*\)$/\1/p')
if [ "${#listed[@]}" -eq 0 ]; then
	echo "valgrind.sh: ctest lists no tests in $build" >&2
	exit 2
fi
tests=()
for t in alloc corpus integrity e2e_stop sweep plot; do
	[[ " ${listed[*]} " == *" $t "* ]] && tests+=("$t")
done
for t in "${listed[@]}"; do
	[[ " ${tests[*]} " == *" $t "* ]] || tests+=("$t")
done

# Timing bounds in the tests grow by this factor under valgrind; a test
# executable runs for at most limit seconds.
export CD_TEST_TIME_SCALE=40
limit=$((30 * CD_TEST_TIME_SCALE))

echo "== tests under valgrind (${#tests[@]}, $jobs at a time) =="
for t in "${tests[@]}"; do
	exe=$build/tests/test_$t
	if [ ! -x "$exe" ]; then
		continue # not a program of ours (e.g. the layers check)
	fi
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n || true
	done
	(cd "$build/tests" && run_vg "$t" "${children[@]}" "$exe") &
done
wait

echo "== the program under valgrind =="
run_vg run "${children[@]}" "$build/cyberdef" run --days 30 \
	--out "$tmp/run"
run_vg sweep-tiny "${children[@]}" "$build/cyberdef" sweep \
	--vary won.share_rate=0:1:0.5 --reps 2 --set days=30 --jobs 2 \
	--quiet --out "$tmp/sweep"

status=0
for rcfile in "$logs"/*.rc; do
	label=$(basename "$rcfile" .rc)
	rc=$(cat "$rcfile")
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		echo "== FAILED: $label did not finish in $limit s ==" >&2
		status=1
	elif [ "$rc" -ne 0 ]; then
		echo "== FAILED: $label (exit $rc); its output: ==" >&2
		tail -n 40 "$logs/$label.out" >&2
		status=1
	fi
done
# Every process's own verdict, children included (a child's non-zero
# exit may be what its test expected, so the exit status is not enough).
mapfile -t bad < <(grep -l -E 'ERROR SUMMARY: [1-9]' "$logs"/*.log || true)
for log in "${bad[@]}"; do
	echo "== valgrind errors: $log ==" >&2
	grep -v -E '^==[0-9]+== *$' "$log" >&2
	status=1
done
n_logs=$(find "$logs" -name '*.log' | wc -l)

if [ "$status" -ne 0 ]; then
	echo "== valgrind: FAILED in $((SECONDS - start)) s ($n_logs processes checked) ==" >&2
else
	echo "== valgrind: clean in $((SECONDS - start)) s ($n_logs processes checked) =="
fi
exit "$status"
