#include "bench_util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static FILE *tee;

void bench_tee(FILE *f) { tee = f; }

void bench_say(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  fflush(stdout);
  if (tee) {
    va_start(ap, fmt);
    vfprintf(tee, fmt, ap);
    va_end(ap);
  }
}

double bench_now_s(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double bench_callgrind_ir(const char *args) {
  char cmd[768];
  snprintf(cmd, sizeof cmd, "valgrind --tool=callgrind --callgrind-out-file=/dev/null /proc/%ld/exe %s 2>&1",
           (long)getpid(), args);
  FILE *p = popen(cmd, "r");
  if (!p) return -1;
  char line[512];
  double ir = -1;
  while (fgets(line, sizeof line, p)) {
    const char *at = strstr(line, "Collected :");
    if (at) ir = strtod(at + strlen("Collected :"), NULL);
  }
  return pclose(p) == 0 ? ir : -1;
}
