#!/usr/bin/env bash
# Static checks: clang-tidy (configuration: .clang-tidy) and cppcheck over
# the library and program sources (sim/, models/, analysis/). Any finding
# fails: a justified exception is suppressed where it occurs, with a
# comment saying why (NOLINT / NOLINTNEXTLINE for clang-tidy,
# `// cppcheck-suppress <id>` for cppcheck).
#
# Usage: .ci/static.sh   (about 20 s on 2 idle cores, under a minute loaded)
# Needs: cppcheck (2.10), clang-tidy (14), cmake: sh .ci/deps cppcheck clang-tidy
#
# tests/ is not checked: its cmocka and fork/exec helpers are test code, and
# the sanitizer and valgrind runs (.ci/valgrind.sh) cover it dynamically.
set -euo pipefail
cd "$(dirname "$0")/.."

start=$SECONDS
jobs=$(nproc 2>/dev/null || echo 2)
tidy=$(command -v clang-tidy-14 || command -v clang-tidy || true)
if [ -z "$tidy" ] || ! command -v cppcheck >/dev/null; then
	echo "static: needs clang-tidy and cppcheck: sh .ci/deps cppcheck clang-tidy" >&2
	exit 2
fi

# clang-tidy reads the flags of each file from the warnings build; this
# configures it (a few seconds) without building anything.
db=build/warnings
cmake --preset warnings >/dev/null

# The checked sources: those the build compiles from sim/, models/ and
# analysis/ (not the generated embedded_*.c, not tests/).
root=$(pwd)
mapfile -t files < <(sed -n 's/^ *"file": "\(.*\)",\{0,1\}$/\1/p' \
	"$db/compile_commands.json" |
	grep -E "^$root/(sim/[^/]*|models|analysis)/[^/]*\.c$" | sort -u)
if [ "${#files[@]}" -eq 0 ]; then
	echo "static: no sources found in $db/compile_commands.json" >&2
	exit 2
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0

echo "== clang-tidy ($("$tidy" --version | sed -n 's/.*LLVM version \([0-9.]*\).*/\1/p'), ${#files[@]} files) =="
# One process per file, $jobs at a time; each writes its own log so the
# output is not interleaved. --warnings-as-errors makes a finding fail.
# shellcheck disable=SC2016 # the sh -c script expands its own arguments
printf '%s\n' "${files[@]}" |
	xargs -P "$jobs" -I{} sh -c \
		'"$1" -p "$2" --quiet --warnings-as-errors="*" "$3" \
			>"$4/tidy.$(echo "$3" | tr / _).log" 2>&1' \
		sh "$tidy" "$db" {} "$out" || status=1
# Findings in headers repeat once per file that includes them: print each
# diagnostic once, with its notes (the path that leads to it).
cat "$out"/tidy.*.log |
	grep -v -E '^[0-9]+ (warnings?|errors?) generated\.$|^Error while processing|^error: .* warnings? treated as errors' |
	awk '/^[^ ].*: (warning|error): /{keep = !seen[$0]++} keep' || true
n_tidy=$(cat "$out"/tidy.*.log | { grep -E '^[^ ].*: (warning|error): ' || true; } |
	sort -u | wc -l)
echo "clang-tidy: $n_tidy finding(s)"
[ "$n_tidy" -eq 0 ] || status=1

echo "== cppcheck ($(cppcheck --version | sed 's/Cppcheck //')) =="
# Every preprocessor configuration is checked (e.g. with and without
# CD_MPI). GSL, libconfig and MPI headers are not read: cppcheck needs only
# the project's headers, and posix.cfg describes the POSIX calls.
if ! cppcheck --language=c --std=c11 --library=posix \
	-I sim -I . \
	--enable=warning,performance,portability --inline-suppr \
	--error-exitcode=1 -q -j "$jobs" \
	--template='{file}:{line}:{column}: {severity}: {message} [{id}]' \
	"${files[@]#"$root"/}"; then
	status=1
fi

if [ "$status" -ne 0 ]; then
	echo "== static: FAILED in $((SECONDS - start)) s ==" >&2
else
	echo "== static: clean in $((SECONDS - start)) s =="
fi
exit "$status"
