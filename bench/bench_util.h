/* What every benchmark program needs: a table printed to the terminal and
 * kept in a file, CPU and wall clocks, and callgrind instruction counts of a
 * run of the program itself. */
#ifndef OPTILE_BENCH_UTIL_H
#define OPTILE_BENCH_UTIL_H

#include <stdio.h>
#include <time.h>

/* Lines printed with bench_say also go to this file when it is set. */
void bench_tee(FILE *f);
void bench_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Seconds on clock id (CLOCK_PROCESS_CPUTIME_ID or CLOCK_MONOTONIC). */
double bench_now_s(clockid_t id);

/* Instructions valgrind --tool=callgrind counts for this program run again
 * with the arguments args (a shell word list), or -1 if that cannot run. */
double bench_callgrind_ir(const char *args);

#endif
