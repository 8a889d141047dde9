#!/usr/bin/env bash
# Runs build/bin/optile and checks how it ends: the exit status and a text
# that must appear in its output (stdout + stderr) or in a results file.
# usage: expect_run.sh STATUS PATTERN [FILE] -- OPTILE-ARGS...
#   STATUS   expected exit status (0 PASS, 1 FAIL, 2 bad input)
#   PATTERN  extended regular expression that must match
#   FILE     where to look instead of the output, relative to --out (e.g. junit.xml)
set -u
want=$1 pat=$2; shift 2
file=""
if [ "$1" != "--" ]; then file=$1; shift; fi
[ "$1" = "--" ] || { echo "expect_run: usage: STATUS PATTERN [FILE] -- ARGS..." >&2; exit 2; }
shift
bin=${OPTILE:-build/bin/optile}   # make test sets OPTILE to the build under test (build/ or build/asan/)
out=$("$bin" "$@" 2>&1); rc=$?
echo "$out"
if [ "$rc" != "$want" ]; then echo "expect_run: exit status $rc, expected $want" >&2; exit 1; fi
text=$out
if [ -n "$file" ]; then
  dir=""
  for a in "$@"; do case $a in --out=*) dir=${a#--out=};; esac; done
  [ -n "$dir" ] || { echo "expect_run: FILE needs --out=DIR among the arguments" >&2; exit 2; }
  text=$(cat "$dir/$file") || exit 1
fi
if ! grep -Eq -- "$pat" <<< "$text"; then echo "expect_run: /$pat/ not found${file:+ in $file}" >&2; exit 1; fi
echo "expect_run: exit $rc and /$pat/ as expected"
