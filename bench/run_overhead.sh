#!/usr/bin/env bash
# Cost of the cross-check: simulated cycles per second of one scenario (the
# default run unless given) with every check on, and of the bare RTL with
# checks off (--no-check: no golden models, no monitors, no scoreboards; the
# same stimulus, firmware and drivers, the same cycles).
#
# Three figures per mode, because the machine is shared and noisy:
#   - wall:   cycles / wall-clock second, the fastest of REPEAT runs;
#   - cpu:    cycles / CPU second of the process, the fastest of REPEAT runs;
#   - instr:  instructions per simulated cycle, the stable one: from
#             `perf stat -e instructions:u` where the machine counts them, or
#             from valgrind's callgrind with CALLGRIND=1 (about 50x slower,
#             one run per mode).
# usage: run_overhead.sh OPTILE [SCENARIO] ; env REPEAT (default 2), OUT, CALLGRIND
set -euo pipefail
optile=${1:?usage: run_overhead.sh OPTILE [SCENARIO]}
scn=${2:-tests/scenarios/default.ini}
repeat=${REPEAT:-2}
out=${OUT:-build/bench/run_overhead}
mkdir -p "$out"
have_perf=0
if [ "${CALLGRIND:-0}" = 1 ]; then
  have_perf=2; repeat=1
elif command -v perf > /dev/null &&
     perf stat -x, -e instructions:u true 2>&1 >/dev/null | grep -Eq '^[0-9]+,'; then
  have_perf=1
fi

# run MODE ARGS... -> "wall_khz cpu_khz instr_per_cycle" (best of $repeat)
run() {
  local mode=$1; shift
  local bw=0 bc=0 bi=0
  for _ in $(seq "$repeat"); do
    local pre=()
    [ $have_perf = 1 ] && pre=(perf stat -x, -e instructions:u -o "$out/$mode.perf")
    [ $have_perf = 2 ] && pre=(valgrind --tool=callgrind --callgrind-out-file="$out/$mode.callgrind" --log-file="$out/$mode.vg")
    "${pre[@]}" "$optile" --quiet --out="$out/$mode" "$@" "$scn" > "$out/$mode.out" 2>&1 || {
      echo "run_overhead: $mode run failed (see $out/$mode/optile.log)" >&2; exit 1; }
    local w c cyc i=0
    w=$(jq -r .simulated_khz "$out/$mode/summary.json")
    c=$(jq -r .simulated_khz_cpu "$out/$mode/summary.json")
    cyc=$(jq -r .cycles "$out/$mode/summary.json")
    if [ $have_perf = 1 ]; then
      i=$(awk -F, -v n="$cyc" '/instructions/ { printf "%.1f", $1 / n }' "$out/$mode.perf")
    elif [ $have_perf = 2 ]; then
      i=$(awk -v n="$cyc" '/Collected :/ { gsub(",", "", $NF); printf "%.1f", $NF / n }' "$out/$mode.vg")
    fi
    bw=$(awk -v a="$bw" -v b="$w" 'BEGIN { print (b > a) ? b : a }')
    bc=$(awk -v a="$bc" -v b="$c" 'BEGIN { print (b > a) ? b : a }')
    bi=$(awk -v a="$bi" -v b="$i" 'BEGIN { print (a == 0 || b < a) ? b : a }')
  done
  echo "$bw $bc $bi"
}
read -r on_w on_c on_i <<< "$(run checks-on)"
read -r off_w off_c off_i <<< "$(run checks-off --no-check)"
cycles=$(jq -r .cycles "$out/checks-on/summary.json")
verdict=$(jq -r .verdict "$out/checks-on/summary.json")
awk -v ow="$on_w" -v oc="$on_c" -v oi="$on_i" -v fw="$off_w" -v fc="$off_c" -v fi="$off_i" \
    -v cyc="$cycles" -v scn="$scn" -v n="$repeat" -v v="$verdict" 'BEGIN {
  printf "scenario %s: %d cycles (checks-on verdict %s), best of %d runs each\n", scn, cyc, v, n
  printf "  %-16s %14s %14s %16s\n", "", "cycles/s wall", "cycles/s CPU", "instr/cycle"
  printf "  %-16s %14.0f %14.0f %16s\n", "all checks on", ow * 1e3, oc * 1e3, (oi > 0 ? sprintf("%.0f", oi) : "n/a")
  printf "  %-16s %14.0f %14.0f %16s\n", "checks off", fw * 1e3, fc * 1e3, (fi > 0 ? sprintf("%.0f", fi) : "n/a")
  printf "  overhead of the checks: %s (instructions), %.1f %% (CPU time), %.1f %% (wall time); target at most 15 %%\n",
         (fi > 0 ? sprintf("%.1f %%", 100 * (oi / fi - 1)) : "n/a"), 100 * (fc / oc - 1), 100 * (fw / ow - 1)
}'
