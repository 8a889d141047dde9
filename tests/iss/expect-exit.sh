#!/usr/bin/env bash
# expect-exit.sh STATUS REGEX COMMAND [ARGS...]
#
# Runs COMMAND and succeeds only when it exits with STATUS and its combined
# stdout and stderr has a line matching the extended regular expression REGEX
# (use '.' for a space: TESTS words cannot hold spaces). On a mismatch it
# prints what was expected, what happened and the output, and exits 1.
set -u
if [ $# -lt 3 ]; then
  echo "usage: $0 STATUS REGEX COMMAND [ARGS...]" >&2
  exit 2
fi
want=$1 re=$2
shift 2
case $want in
  ''|*[!0-9]*) echo "$0: STATUS '$want' is not a number" >&2; exit 2 ;;
esac
out=$("$@" 2>&1)
got=$?
ok=1
if [ "$got" -ne "$want" ]; then
  echo "expect-exit: '$*' exited with status $got, expected $want" >&2
  ok=0
fi
if ! grep -Eq -- "$re" <<<"$out"; then
  echo "expect-exit: '$*' printed no line matching /$re/" >&2
  ok=0
fi
if [ $ok -eq 0 ]; then
  echo "--- output ---" >&2
  printf '%s\n' "$out" | tail -n 20 >&2
  exit 1
fi
exit 0
