#!/usr/bin/env bash
# Runs test programs and prints one closing line: "N passed, N failed".
# usage: run-tests.sh LOGDIR TEST...
#   TEST is a program path, optionally followed by @-separated arguments;
#   a leading ! means the program must exit non-zero.
# cmocka programs count each of their tests; other programs count as one.
set -u
logdir=$1; shift
mkdir -p "$logdir"
passed=0; failed=0; failures=()
timeout_s=${OPTILE_TEST_TIMEOUT:-1200}
for t in "$@"; do
  expect_fail=0
  if [[ $t == !* ]]; then expect_fail=1; t=${t#!}; fi
  IFS=@ read -r -a argv <<< "$t"
  name=$(basename "${argv[0]}")
  for a in "${argv[@]:1}"; do name="$name-$(basename -- "$a")"; done
  name=${name//[^A-Za-z0-9._=+-]/_}
  log="$logdir/$name.log"
  start=$(date +%s%N)
  timeout "$timeout_s" "${argv[@]}" > "$log" 2>&1
  rc=$?
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  secs=$(printf '%d.%d' $((ms / 1000)) $(((ms % 1000) / 100)))
  cm_pass=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
  cm_fail=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
  if [ $expect_fail -eq 1 ]; then
    if [ $rc -ne 0 ] && [ $rc -ne 124 ]; then ok=1; else ok=0; fi
    cm_pass=0; cm_fail=0
  else
    if [ $rc -eq 0 ]; then ok=1; else ok=0; fi
  fi
  if [ $((cm_pass + cm_fail)) -gt 0 ]; then
    # a crash after some passing tests still counts as a failure
    [ $ok -eq 0 ] && [ $cm_fail -eq 0 ] && cm_fail=1
    passed=$((passed + cm_pass)); failed=$((failed + cm_fail))
    summary="$cm_pass passed, $cm_fail failed"
  elif [ $ok -eq 1 ]; then
    passed=$((passed + 1)); summary="passed"
  else
    failed=$((failed + 1)); summary="failed (exit $rc)"
  fi
  if [ $ok -eq 1 ] && [ $cm_fail -eq 0 ]; then
    printf '  PASS  %-40s %s (%ss)\n' "$name" "$summary" "$secs"
  else
    printf '  FAIL  %-40s %s (%ss), log: %s\n' "$name" "$summary" "$secs" "$log"
    failures+=("$log")
  fi
done
for f in "${failures[@]+"${failures[@]}"}"; do
  echo; echo "---- last lines of $f"; tail -n 25 "$f"
done
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
