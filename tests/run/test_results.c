/* Results: checks counted, JUnit XML well-formed and escaped, JSON summary
 * with the verdict. */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "run/results.h"

static char *slurp(const char *path) {
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  static char buf[1 << 16];
  size_t n = fread(buf, 1, sizeof(buf) - 1, f);
  buf[n] = 0;
  fclose(f);
  return buf;
}

static void test_checks_and_files(void **state) {
  (void)state;
  struct results r;
  char err[256];
  assert_int_equal(results_init(&r), 0);
  assert_int_equal(results_check(&r, "data", "flits exactly once", true, "%d flits", 12), 0);
  assert_int_equal(results_check(&r, "throughput", "port <E> & \"X\"", false,
                                 "cycle %d: expected %d, got %d", 1024, 31, 30), -1);
  assert_int_equal(results_failed(&r), 1);
  json_object_set_new(r.summary, "gbps", json_real(233.5));
  char xml[] = "/tmp/optile-junit-XXXXXX";
  char js[] = "/tmp/optile-json-XXXXXX";
  int fx = mkstemp(xml), fj = mkstemp(js);
  assert_true(fx >= 0 && fj >= 0);
  assert_int_equal(results_write_junit(&r, "default-1", 1.5, xml, err, sizeof(err)), 0);
  const char *x = slurp(xml);
  assert_non_null(strstr(x, "tests=\"2\" failures=\"1\""));
  assert_non_null(strstr(x, "name=\"port &lt;E&gt; &amp; &quot;X&quot;\""));
  assert_non_null(strstr(x, "<failure message=\"cycle 1024: expected 31, got 30\""));
  assert_int_equal(results_write_summary(&r, js, err, sizeof(err)), 0);
  json_error_t je;
  json_t *j = json_load_file(js, 0, &je);
  assert_non_null(j);
  assert_string_equal(json_string_value(json_object_get(j, "verdict")), "FAIL");
  assert_int_equal(json_array_size(json_object_get(j, "checks")), 2);
  assert_true(json_real_value(json_object_get(j, "gbps")) == 233.5);
  json_decref(j);
  remove(xml);
  remove(js);
  results_free(&r);
}

static void test_unwritable(void **state) {
  (void)state;
  struct results r;
  char err[256] = "";
  assert_int_equal(results_init(&r), 0);
  assert_int_equal(results_write_junit(&r, "x", 0, "/nonexistent/dir/junit.xml", err, sizeof(err)), -1);
  assert_non_null(strstr(err, "/nonexistent/dir/junit.xml: cannot write"));
  results_free(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_checks_and_files),
      cmocka_unit_test(test_unwritable),
  };
  return cmocka_run_group_tests_name("results", tests, NULL, NULL);
}
