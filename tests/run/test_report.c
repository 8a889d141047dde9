/* report.html: a plot is rendered to PNG by gnuplot, text is escaped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "run/report.h"

static void test_report_with_plot(void **state) {
  (void)state;
  char dir[] = "/tmp/optile-report-XXXXXX";
  char err[256], path[300];
  assert_non_null(mkdtemp(dir));
  struct report *r = report_new(dir, "a <test> run", err, sizeof(err));
  assert_non_null(r);
  assert_int_equal(report_plot(r, "tput", "throughput", "0 1\n1 2\n2 4\n",
                               "plot 'tput.dat' using 1:2 with lines title 'rtl'"), 0);
  assert_int_equal(report_text(r, "p", "5 < 6 & 7"), 0);
  assert_int_equal(report_finish(r, err, sizeof(err)), 0);
  struct stat st;
  snprintf(path, sizeof(path), "%s/tput.png", dir);
  assert_int_equal(stat(path, &st), 0);
  assert_true(st.st_size > 1000);
  /* PNG signature */
  FILE *f = fopen(path, "rb");
  unsigned char sig[8];
  assert_int_equal(fread(sig, 1, 8, f), 8);
  fclose(f);
  assert_memory_equal(sig, "\x89PNG\r\n\x1a\n", 8);
  snprintf(path, sizeof(path), "%s/report.html", dir);
  f = fopen(path, "r");
  assert_non_null(f);
  static char buf[8192];
  size_t n = fread(buf, 1, sizeof(buf) - 1, f);
  buf[n] = 0;
  fclose(f);
  assert_non_null(strstr(buf, "<title>a &lt;test&gt; run</title>"));
  assert_non_null(strstr(buf, "<p>5 &lt; 6 &amp; 7</p>"));
  assert_non_null(strstr(buf, "<img src=\"tput.png\""));
  assert_null(strstr(buf, "gnuplot failed"));
  char cmd[400];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
}

static void test_bad_plot_is_reported(void **state) {
  (void)state;
  char dir[] = "/tmp/optile-report-XXXXXX";
  char err[256];
  assert_non_null(mkdtemp(dir));
  struct report *r = report_new(dir, "broken", err, sizeof(err));
  assert_non_null(r);
  assert_int_equal(report_plot(r, "x", "x", "1 1\n", "plot 'x.dat' using 1:2 with nonsense"), 0);
  assert_int_equal(report_finish(r, err, sizeof(err)), 0);
  char path[300];
  snprintf(path, sizeof(path), "%s/report.html", dir);
  FILE *f = fopen(path, "r");
  static char buf[8192];
  size_t n = fread(buf, 1, sizeof(buf) - 1, f);
  buf[n] = 0;
  fclose(f);
  assert_non_null(strstr(buf, "gnuplot failed"));
  char cmd[400];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_report_with_plot),
      cmocka_unit_test(test_bad_plot_is_reported),
  };
  return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
