#!/usr/bin/env bash
# Smoke fuzzing: builds the libFuzzer harnesses (the `fuzz` preset: clang,
# ASan + UBSan) and runs each for a fixed time over its corpus under
# tests/fuzz/corpus/. Fails if a harness finds anything (crash, sanitizer
# report, leak, timeout); the input that did it is kept under
# build/fuzz/artifacts/ and the end of the harness's log is printed.
# New inputs go to a temporary directory, never into tests/fuzz/corpus/.
#
# Usage: .ci/fuzz.sh [SECONDS]   (per harness; default 30, or $FUZZ_SECONDS)
# Needs (Debian): clang libclang-rt-14-dev, and llvm for symbolized stacks;
# e.g. sh .ci/deps clang libclang-rt-14-dev llvm
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-${FUZZ_SECONDS:-30}}
case $seconds in
'' | *[!0-9]* | 0*)
	echo "fuzz: SECONDS must be a positive integer, not '$seconds'" >&2
	exit 2
	;;
esac

if ! command -v clang >/dev/null; then
	echo "fuzz: clang not found; install clang and libclang-rt-14-dev" >&2
	exit 1
fi

echo "== configure and build (fuzz preset) =="
cmake --preset fuzz
cmake --build --preset fuzz

bin=build/fuzz/tests/fuzz
art=build/fuzz/artifacts
rm -rf "$art"
mkdir -p "$art"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# libconfig 1.5 leaks on some syntax errors; see tests/fuzz/lsan.supp.
export LSAN_OPTIONS="suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1"

failed=""
for h in scenario args plot design csv; do
	[ -x "$bin/fuzz_$h" ] || continue
	mkdir -p "$work/$h" "tests/fuzz/corpus/$h"
	dict=()
	[ -f "tests/fuzz/$h.dict" ] && dict=(-dict="tests/fuzz/$h.dict")
	cmd=("$bin/fuzz_$h" -max_total_time="$seconds" -timeout=10
		-print_final_stats=1 "${dict[@]}"
		-artifact_prefix="$art/$h-" "$work/$h" "tests/fuzz/corpus/$h")
	echo "== fuzz_$h for $seconds s =="
	echo "LSAN_OPTIONS=$LSAN_OPTIONS ${cmd[*]}"
	if "${cmd[@]}" >"$work/$h.log" 2>&1; then
		grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::(number_of_executed_units|peak_rss_mb)' \
			"$work/$h.log" || true
		echo "fuzz_$h: ok"
	else
		rc=$?
		tail -n 80 "$work/$h.log"
		echo "fuzz_$h: FAILED (status $rc); input kept in $art/:"
		ls -l "$art"
		failed="$failed fuzz_$h"
	fi
done

if [ -n "$failed" ]; then
	echo "== fuzz: findings in:$failed =="
	exit 1
fi
echo "== fuzz: no findings =="
