#!/usr/bin/env bash
# Prints each tool of tools.versions: the tested version and the installed one.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
printf '%-30s %-22s %s\n' tool tested installed
grep -v '^\s*#' tools.versions | while read -r name tested cmd; do
  [ -z "$name" ] && continue
  case "$cmd" in
    *"pip show"*) got=$($cmd 2>/dev/null | sed -n 's/^Version: //p') ;;
    dpkg-query*) got=$(dpkg-query -W -f='${Version}' "${cmd##* }" 2>/dev/null) ;;
    *"--version") got=$($cmd 2>/dev/null | head -n1 | grep -oE '[0-9]+\.[0-9]+(\.[0-9]+)?' | head -n1) ;;
    *) got=$($cmd 2>/dev/null | head -n1) ;;
  esac
  [ -z "$got" ] && got="(not installed)"
  mark=""; [ "$got" != "$tested" ] && mark="  <- differs"
  printf '%-30s %-22s %s%s\n' "$name" "$tested" "$got" "$mark"
done
