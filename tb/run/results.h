/* Results of a run: named checks (pass/fail with a message) written as
 * JUnit XML, and a JSON summary of every figure (jansson). */
#ifndef OPTILE_TB_RESULTS_H
#define OPTILE_TB_RESULTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct check {
  char group[48];    /* JUnit classname, e.g. "data", "throughput", "energy" */
  char name[96];
  bool pass;
  char msg[512];     /* failure: cycle, place, expected, actual; pass: a summary */
};

struct results {
  struct check *checks;
  size_t n, cap;
  json_t *summary;   /* owned; the runner adds figures to it */
};

int results_init(struct results *r);
void results_free(struct results *r);
/** Record a check. Returns pass ? 0 : -1 (so callers can count failures). */
int results_check(struct results *r, const char *group, const char *name, bool pass,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
size_t results_failed(const struct results *r);
/** JUnit XML, one testcase per check. 0 or -1 with err. */
int results_write_junit(const struct results *r, const char *suite, double seconds,
                        const char *path, char *err, size_t errlen);
/** summary JSON with a "checks" array and "verdict". 0 or -1 with err. */
int results_write_summary(const struct results *r, const char *path, char *err, size_t errlen);

#endif
