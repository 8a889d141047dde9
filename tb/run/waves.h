/* Waves in VCD (docs/spec.md section 9.6): the Verilated models dump FST
 * only; `--waves=vcd` converts each dumped FST window with GTKWave's
 * `fst2vcd` (Debian package gtkwave, scripts/deps-debian.txt) into a .vcd
 * beside it, so the VCD has the models' full RTL hierarchy. */
#ifndef OPTILE_TB_RUN_WAVES_H
#define OPTILE_TB_RUN_WAVES_H

#include <stddef.h>

/* The converter program: $OPTILE_FST2VCD if set, else "fst2vcd". */
const char *waves_fst2vcd_prog(void);

/* 0 if `prog` (a name looked up on PATH, or a path) can be run; else -1
 * with a message naming the program and the package that provides it. */
int waves_fst2vcd_check(const char *prog, char *err, size_t errlen);

/* Convert `fst` into `vcd` with `prog`; 0, or -1 with a message. */
int waves_fst_to_vcd(const char *prog, const char *fst, const char *vcd, char *err, size_t errlen);

#endif
