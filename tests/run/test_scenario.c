/* Scenario files: good files load with every key, and each kind of bad
 * input is refused with a message naming file, line and key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "run/scenario.h"

static char dir[] = "/tmp/optile-scn-XXXXXX";

static const char *write_file(const char *name, const char *text) {
  static char path[256];
  snprintf(path, sizeof(path), "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  return path;
}

static void test_good_file(void **state) {
  (void)state;
  struct scenario s;
  char err[512] = "";
  scenario_defaults(&s);
  const char *p = write_file("lossy-link.ini",
                             "; a lossy link\n"
                             "[run]\ncycles = 50000\nseed = 0x2a\nstop_on_mismatch = false\n"
                             "[system]\ntype = phy-link\nlanes = 8\n"
                             "[channel]\nber = 1e-6   ; per bit\nlost_lane = 3\nlost_cycle = 20000\n"
                             "[energy]\ncard = dsent-22nm\n");
  assert_int_equal(scenario_load(&s, p, err, sizeof(err)), 0);
  assert_string_equal(s.name, "lossy-link");
  assert_int_equal(s.cycles, 50000);
  assert_int_equal(s.seed, 42);
  assert_false(s.stop_on_mismatch);
  assert_int_equal(s.system, SCN_SYS_PHY_LINK);
  assert_true(s.ber > 0.99e-6 && s.ber < 1.01e-6);
  assert_int_equal(s.lost_lane, 3);
  assert_string_equal(s.card, "dsent-22nm");
  /* untouched keys keep their defaults */
  struct scenario d;
  scenario_defaults(&d);
  assert_int_equal(s.window, d.window);
}

static void expect_error(const char *text, const char *want) {
  struct scenario s;
  char err[512] = "";
  scenario_defaults(&s);
  const char *p = write_file("bad.ini", text);
  assert_int_equal(scenario_load(&s, p, err, sizeof(err)), -1);
  if (!strstr(err, want)) fail_msg("error '%s' does not contain '%s'", err, want);
}

static void test_errors_name_file_line_key(void **state) {
  (void)state;
  expect_error("[run]\ncycles = 10\n[sytem]\nlanes = 4\n", "bad.ini:4: unknown section [sytem]");
  expect_error("[run]\ncycles = 10\nseeed = 3\n", "bad.ini:3: run.seeed: unknown key");
  expect_error("[run]\n\ncycles = ten\n", "bad.ini:3: run.cycles: 'ten' is not an integer");
  expect_error("[system]\nlanes = 9\n", "bad.ini:2: system.lanes: 9 is out of range 1..8");
  expect_error("[system]\ntype = ring\n", "bad.ini:2: system.type: 'ring' is not one of phy-link mesh two-chip");
  expect_error("[channel]\nber = 0.5\n", "bad.ini:2: channel.ber: 0.5 is out of range");
  expect_error("[channel]\nber = 1e-6x\n", "bad.ini:2: channel.ber: '1e-6x' is not a number");
  expect_error("[run]\ncycles = 10\ncycles = 20\n", "bad.ini:3: run.cycles: given twice");
  expect_error("[run]\nstop_on_mismatch = maybe\n", "bad.ini:2: run.stop_on_mismatch: 'maybe' is not true or false");
  expect_error("[energy]\ncard = ../../etc/passwd\n", "bad.ini:2: energy.card:");
  expect_error("[run]\ncycles 10\n", "bad.ini:2: syntax error");
  expect_error("[run]\ncycles =\n", "bad.ini:2: run.cycles: empty value");
  expect_error("[system]\nlanes = 4\n[channel]\nlost_lane = 6\n", "channel.lost_lane 6: the link has only 4 lanes");
}

static void test_missing_file(void **state) {
  (void)state;
  struct scenario s;
  char err[512] = "";
  scenario_defaults(&s);
  assert_int_equal(scenario_load(&s, "/nonexistent/x.ini", err, sizeof(err)), -1);
  assert_non_null(strstr(err, "/nonexistent/x.ini: cannot open"));
}

static void test_overrides(void **state) {
  (void)state;
  struct scenario s;
  char err[256] = "";
  scenario_defaults(&s);
  assert_int_equal(scenario_set(&s, "run.seed", "7", err, sizeof(err)), 0);
  assert_int_equal(s.seed, 7);
  assert_int_equal(scenario_set(&s, "run.waves", "vcd", err, sizeof(err)), 0);
  assert_int_equal(s.waves, SCN_WAVES_VCD);
  assert_int_equal(scenario_set(&s, "run.nope", "1", err, sizeof(err)), -1);
  assert_non_null(strstr(err, "run.nope: unknown key"));
  assert_int_equal(scenario_set(&s, "cycles", "1", err, sizeof(err)), -1);
  assert_non_null(strstr(err, "expected section.key"));
  assert_int_equal(scenario_set(&s, "run.cycles", "0", err, sizeof(err)), -1);
  assert_non_null(strstr(err, "run.cycles: 0 is out of range"));
}

static int setup(void **state) {
  (void)state;
  return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  char cmd[300];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_good_file),
      cmocka_unit_test(test_errors_name_file_line_key),
      cmocka_unit_test(test_missing_file),
      cmocka_unit_test(test_overrides),
  };
  return cmocka_run_group_tests_name("scenario", tests, setup, teardown);
}
