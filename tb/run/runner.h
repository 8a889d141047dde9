/* The co-simulation runner (build/bin/optile): what a system driver
 * (tb/run/sys_*.c) gets from the front end and fills in for the results.
 * docs/spec.md section 9. */
#ifndef OPTILE_TB_RUNNER_H
#define OPTILE_TB_RUNNER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "energy/energy.h"
#include "run/progress.h"
#include "run/results.h"
#include "run/scenario.h"
#include "xcheck/xc.h"

#define RUNNER_MAX_ROWS 32

/* One row of the terminal table: a figure, golden against RTL. */
struct runner_row {
  char name[64];
  char unit[16];
  double gold, rtl;
  double limit;            /* physical limit beside it (NaN: none) */
};

struct runner {
  struct scenario s;
  char outdir[512];
  FILE *log;               /* the run's log file */
  struct results res;
  xc_t *xc;                /* NULL when checks are off (bench) */
  energy_card_t *card;
  struct progress prog;
  bool checks;             /* golden models and scoreboards on */
  char waves_path[600];    /* file the system dumps to ("" if none) */
  /* filled by the system driver */
  uint64_t cycles_run;
  bool have_energy;
  energy_activity_t act_gold, act_rtl;
  energy_report_t rep_gold, rep_rtl;
  struct runner_row rows[RUNNER_MAX_ROWS];
  int nrows;
  json_t *links;           /* link events (object), may stay NULL */
  char hook_port[64];      /* --test-hook tput:PLACE: resolved once places exist */
  char stopped[256];       /* why the run stopped early ("" if it did not) */
};

void runner_row(struct runner *r, const char *name, const char *unit, double gold, double rtl);
/* A row with the physical limit that bounds it. */
void runner_row_lim(struct runner *r, const char *name, const char *unit, double gold, double rtl,
                    double limit);
/* Log a line to the run's log (and to stderr when `echo`). */
void runner_log(struct runner *r, bool echo, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Resolve the tput test hook's place (call after creating the places). */
int runner_resolve_hook(struct runner *r, char *err, size_t errlen);

/* System drivers: run r->s.cycles cycles; 0, or -1 with err (a set-up
 * problem, not a mismatch: mismatches go to r->xc / r->res). */
int sys_mesh_run(struct runner *r, char *err, size_t errlen);
int sys_two_chip_run(struct runner *r, char *err, size_t errlen);

#endif
