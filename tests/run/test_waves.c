/* --waves=vcd through fst2vcd (tb/run/waves.h): a converter that is not
 * there is reported naming the program and the package that provides it;
 * $OPTILE_FST2VCD chooses the program; a failing conversion is an error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "run/waves.h"

static void test_missing_converter(void **state) {
  (void)state;
  char err[512] = "";
  assert_int_equal(waves_fst2vcd_check("/nonexistent/fst2vcd", err, sizeof(err)), -1);
  assert_non_null(strstr(err, "/nonexistent/fst2vcd"));
  assert_non_null(strstr(err, "gtkwave"));
  err[0] = 0;
  assert_int_equal(waves_fst2vcd_check("optile-no-such-fst2vcd", err, sizeof(err)), -1);
  assert_non_null(strstr(err, "not installed or not on PATH"));
  err[0] = 0;
  assert_int_equal(waves_fst_to_vcd("/nonexistent/fst2vcd", "a.fst", "a.vcd", err, sizeof(err)), -1);
  assert_non_null(strstr(err, "/nonexistent/fst2vcd"));
}

static void test_program_choice(void **state) {
  (void)state;
  unsetenv("OPTILE_FST2VCD");
  assert_string_equal(waves_fst2vcd_prog(), "fst2vcd");
  setenv("OPTILE_FST2VCD", "/opt/x/fst2vcd", 1);
  assert_string_equal(waves_fst2vcd_prog(), "/opt/x/fst2vcd");
  unsetenv("OPTILE_FST2VCD");
}

static void test_failing_conversion(void **state) {
  (void)state;
  /* `false` exists everywhere and always fails: the error says so */
  char err[512] = "";
  assert_int_equal(waves_fst2vcd_check("false", err, sizeof(err)), 0);
  assert_int_equal(waves_fst_to_vcd("false", "/nonexistent/in.fst", "/nonexistent/out.vcd", err, sizeof(err)), -1);
  assert_non_null(strstr(err, "failed"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_missing_converter),
      cmocka_unit_test(test_program_choice),
      cmocka_unit_test(test_failing_conversion),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
