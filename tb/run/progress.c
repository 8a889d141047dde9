/* Terminal progress line (see progress.h). */
#include "run/progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

double progress_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void progress_start(struct progress *p, uint64_t total, bool allow) {
  const char *ci = getenv("CI");
  p->on = allow && isatty(STDERR_FILENO) && !(ci && *ci && ci[0] != '0' && ci[0] != 'f');
  p->total = total;
  p->t0 = p->last = progress_now();
  p->next_check = 1024;
}

static void hms(char *buf, size_t n, double s) {
  if (s < 0 || s > 359999) s = 359999;
  unsigned t = (unsigned)s;
  snprintf(buf, n, "%u:%02u:%02u", t / 3600, (t / 60) % 60, t % 60);
}

void progress_draw(struct progress *p, uint64_t cycle) {
  double now = progress_now();
  p->next_check = cycle + 4096;
  if (now - p->last < 0.25) return;
  p->last = now;
  double el = now - p->t0;
  double rate = el > 0 ? (double)cycle / el : 0;
  char eta[16];
  hms(eta, sizeof(eta), rate > 0 ? (double)(p->total - cycle) / rate : 0);
  fprintf(stderr, "\r  cycle %llu/%llu (%3.0f%%)  %8.1f kHz  ETA %s ", (unsigned long long)cycle,
          (unsigned long long)p->total, p->total ? 100.0 * (double)cycle / (double)p->total : 0,
          rate / 1e3, eta);
  fflush(stderr);
}

void progress_end(struct progress *p, uint64_t cycle) {
  if (!p->on) return;
  double el = progress_now() - p->t0;
  fprintf(stderr, "\r  cycle %llu done in %.1f s (%.1f kHz)%30s\n", (unsigned long long)cycle, el,
          el > 0 ? (double)cycle / el / 1e3 : 0, "");
}
