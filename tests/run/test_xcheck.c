/* The cross-check scoreboards (tb/xcheck/xc.h): each checker fires on the
 * difference it exists for, names where and when, and stays quiet
 * otherwise; the test-only hooks of the monitor layer make the RTL side lie
 * and the checks report it at the right component or window. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "xcheck/xc.h"
#include "xcheck/xc_vcd.h"

static energy_card_t *card;

static int setup(void **state) {
  (void)state;
  char err[256];
  return energy_card_load("csim/energy/cards/dsent-22nm.ini", &card, err, sizeof(err));
}

static int teardown(void **state) {
  (void)state;
  energy_card_free(card);
  return 0;
}

static xc_t *mk(struct results *res, uint32_t window, double tol) {
  struct xc_config c;
  memset(&c, 0, sizeof(c));
  c.window = window;
  c.tput_tolerance = tol;
  c.energy_tolerance = 0;
  assert_int_equal(results_init(res), 0);
  xc_t *x = xc_new(&c, res);
  assert_non_null(x);
  return x;
}

static const struct check *find(const struct results *r, const char *group, const char *name) {
  for (size_t i = 0; i < r->n; i++)
    if (!strcmp(r->checks[i].group, group) && !strcmp(r->checks[i].name, name)) return &r->checks[i];
  return NULL;
}

/* A typical activity of a small run. */
static void activity(energy_activity_t *a) {
  energy_activity_init(a);
  a->cycles = 100000;
  for (unsigned i = 0; i < 8; i++) {
    a->bits_sent[i] = 3200000 + 66 * i;
    a->bits_received[i] = 3200000 + 66 * i;
    a->laser_cycles[i] = 99000;
    a->heater_integral[i] = 1600ull * 100000;
  }
  a->buf_writes = 5000;
  a->buf_reads = 5000;
  a->xbar = 5000;
  a->va_grants = 900;
  a->sa_arbs = 5000;
  a->router_flits = 5000;
  a->payload_bits = 5000ull * 256;
}

static void test_data_mismatch_names_cycle_place_values(void **state) {
  (void)state;
  struct results res;
  xc_t *x = mk(&res, 1024, 0);
  int p = xc_port_add(x, "chipA.out.X", true);
  uint64_t g[3] = {1, 2, 3}, a[3] = {1, 2, 3};
  assert_true(xc_data(x, 10, p, "flit", true, g, true, a, 3));
  a[2] = 7;
  assert_false(xc_data(x, 11, p, "flit", true, g, true, a, 3));
  assert_false(xc_data(x, 12, p, "flit", false, g, true, a, 3)); /* RTL sends, golden does not */
  assert_true(xc_data(x, 13, p, "flit", false, g, false, a, 3));  /* both idle: nothing compared */
  assert_int_equal(xc_mismatches(x), 2);
  assert_int_equal(xc_compared(x), 3);
  const struct xc_mismatch *m = xc_first_mismatch(x);
  assert_non_null(m);
  assert_int_equal(m->cycle, 11);
  assert_string_equal(m->place, "chipA.out.X");
  assert_non_null(strstr(m->expected, "word2=0x0000000000000003"));
  assert_non_null(strstr(m->actual, "word2=0x0000000000000007"));
  assert_true(xc_should_stop(x) == false); /* stop_on_mismatch is off */
  xc_report_checks(x);
  const struct check *c = find(&res, "data", "chipA.out.X data");
  assert_non_null(c);
  assert_false(c->pass);
  assert_non_null(strstr(c->msg, "first at cycle 11"));
  assert_non_null(strstr(c->msg, "no waves dumped; rerun with --waves"));
  xc_free(x);
  results_free(&res);
}

static void test_throughput_equal_windows_pass(void **state) {
  (void)state;
  struct results res;
  xc_t *x = mk(&res, 16, 0);
  int p = xc_port_add(x, "tile(0,0).out.E", true);
  for (uint64_t t = 0; t < 100; t++) {
    if (t % 3 == 0) {
      xc_port_bits(x, p, XC_GOLD, 256);
      xc_port_bits(x, p, XC_RTL, 256);
    }
    xc_tick(x, t);
  }
  xc_finish(x, 100);
  const struct xc_port *pp = xc_port(x, (size_t)p);
  assert_int_equal(pp->nwin, 7); /* 6 full windows of 16 and one of 4 */
  assert_int_equal(pp->total[XC_GOLD], 34 * 256);
  assert_int_equal(pp->total[XC_RTL], 34 * 256);
  assert_true(pp->max_dev == 0);
  xc_report_checks(x);
  const struct check *c = find(&res, "throughput", "tile(0,0).out.E throughput");
  assert_non_null(c);
  assert_true(c->pass);
  xc_free(x);
  results_free(&res);
}

/* An RTL port that delivers one flit less in one window. */
static void test_throughput_difference_reported_at_its_window(void **state) {
  (void)state;
  struct results res;
  xc_t *x = mk(&res, 32, 0);
  int p = xc_port_add(x, "chipB.out.E", true);
  for (uint64_t t = 0; t < 128; t++) {
    xc_port_bits(x, p, XC_GOLD, 256);
    if (t != 70) xc_port_bits(x, p, XC_RTL, 256);
    xc_tick(x, t);
  }
  xc_finish(x, 128);
  const struct xc_port *pp = xc_port(x, (size_t)p);
  assert_int_equal(pp->mismatched_windows, 1);
  assert_int_equal(pp->max_dev_window, 2); /* cycle 70 is in window 2 (64..95) */
  assert_true(fabs(pp->max_dev - 1.0 / 32) < 1e-12);
  const struct xc_mismatch *m = xc_first_mismatch(x);
  assert_non_null(m);
  assert_int_equal(m->cycle, 95);
  assert_non_null(strstr(m->what, "throughput window 2"));
  assert_non_null(strstr(m->expected, "8192 bits in cycles 64..95"));
  assert_non_null(strstr(m->actual, "7936 bits"));
  xc_report_checks(x);
  const struct check *c = find(&res, "throughput", "chipB.out.E throughput");
  assert_false(c->pass);
  assert_non_null(strstr(c->msg, "at window 2 (cycles 64..95)"));
  xc_free(x);
  results_free(&res);
}

static void test_throughput_tolerance_and_largest_deviation(void **state) {
  (void)state;
  struct results res;
  xc_t *x = mk(&res, 10, 0.05);
  int p = xc_port_add(x, "p", true);
  for (uint64_t t = 0; t < 40; t++) {
    xc_port_bits(x, p, XC_GOLD, 100);
    xc_port_bits(x, p, XC_RTL, t == 25 ? 60 : 100); /* window 2: 960 vs 1000, 4 % */
    xc_tick(x, t);
  }
  const struct xc_port *pp = xc_port(x, (size_t)p);
  assert_int_equal(pp->mismatched_windows, 0);
  assert_int_equal(pp->max_dev_window, 2);
  assert_true(fabs(pp->max_dev - 0.04) < 1e-12);
  assert_int_equal(xc_mismatches(x), 0);
  xc_free(x);
  results_free(&res);
}

/* The documented hook: RTL port PLACE delivers BITS more in window W. */
static void test_hook_tput_fires_at_its_window(void **state) {
  (void)state;
  struct results res;
  xc_t *x = mk(&res, 64, 0);
  struct xc_hooks h;
  char name[64], err[256];
  xc_hooks_none(&h);
  assert_int_equal(xc_hooks_parse(&h, name, sizeof(name), "tput:chipA.out.X:3:512", err, sizeof(err)), 0);
  xc_set_hooks(x, &h);
  xc_port_add(x, "chipA.out.L", true);
  int p = xc_port_add(x, "chipA.out.X", true);
  assert_int_equal(xc_hooks_resolve_port(x, name), p);
  assert_int_equal(xc_hooks_resolve_port(x, "nowhere"), -1);
  for (uint64_t t = 0; t < 320; t++) {
    xc_port_bits(x, 0, XC_GOLD, 256);
    xc_port_bits(x, 0, XC_RTL, 256);
    xc_port_bits(x, p, XC_GOLD, 256);
    xc_port_bits(x, p, XC_RTL, 256);
    xc_tick(x, t);
  }
  assert_int_equal(xc_port(x, 0)->mismatched_windows, 0);
  assert_int_equal(xc_port(x, (size_t)p)->mismatched_windows, 1);
  assert_int_equal(xc_port(x, (size_t)p)->max_dev_window, 3);
  assert_int_equal(xc_first_mismatch(x)->cycle, 255);
  xc_free(x);
  results_free(&res);
}

static void test_hook_parse_errors(void **state) {
  (void)state;
  struct xc_hooks h;
  char name[64], err[256];
  xc_hooks_none(&h);
  assert_int_equal(xc_hooks_parse(&h, name, sizeof(name), "energy-miss:lasers", err, sizeof(err)), -1);
  assert_non_null(strstr(err, "'lasers' is not an energy component"));
  assert_int_equal(xc_hooks_parse(&h, name, sizeof(name), "tput:x:y", err, sizeof(err)), -1);
  assert_non_null(strstr(err, "'y' is not a window number"));
  assert_int_equal(xc_hooks_parse(&h, name, sizeof(name), "nonsense", err, sizeof(err)), -1);
  assert_int_equal(xc_hooks_parse(&h, name, sizeof(name), "energy-miss:crossbar:5", err, sizeof(err)), 0);
  assert_int_equal(h.energy_miss_component, ENERGY_CROSSBAR);
  assert_int_equal(h.energy_miss_events, 5);
}

static void test_energy_equal_activity_passes(void **state) {
  (void)state;
  struct results res;
  xc_t *x = mk(&res, 1024, 0);
  energy_activity_t g, a;
  energy_report_t rg, ra;
  char err[256];
  activity(&g);
  a = g;
  assert_int_equal(xc_energy(x, card, &g, &a, &rg, &ra, err, sizeof(err)), 0);
  assert_int_equal(results_failed(&res), 0);
  assert_int_equal(res.n, ENERGY_NUM_COMPONENTS + 1);
  xc_free(x);
  results_free(&res);
}

/* An RTL activity counter that misses one event is reported for its
 * component, and only there. */
static void miss_one(energy_component_t comp, const char *counts) {
  struct results res;
  xc_t *x = mk(&res, 1024, 0);
  struct xc_hooks h;
  char name[64], err[256], spec[64];
  xc_hooks_none(&h);
  snprintf(spec, sizeof(spec), "energy-miss:%s", energy_component_name(comp));
  assert_int_equal(xc_hooks_parse(&h, name, sizeof(name), spec, err, sizeof(err)), 0);
  xc_set_hooks(x, &h);
  energy_activity_t g, a;
  energy_report_t rg, ra;
  activity(&g);
  a = g;
  int bad = xc_energy(x, card, &g, &a, &rg, &ra, err, sizeof(err));
  assert_true(bad >= 1);
  const struct check *c = find(&res, "energy", energy_component_name(comp));
  assert_non_null(c);
  assert_false(c->pass);
  assert_non_null(strstr(c->msg, energy_component_name(comp)));
  assert_non_null(strstr(c->msg, counts));
  for (int k = 0; k < ENERGY_NUM_COMPONENTS; k++) {
    const struct check *o = find(&res, "energy", energy_component_name((energy_component_t)k));
    assert_non_null(o);
    /* the serializer shares bits_sent with the modulator; clock and leakage share cycles */
    int shared = (comp == ENERGY_MODULATOR_DRIVER && k == ENERGY_SERIALIZER) ||
                 (comp == ENERGY_CLOCK && k == ENERGY_LEAKAGE);
    if (k != (int)comp && !shared) assert_true(o->pass);
  }
  xc_free(x);
  results_free(&res);
}

static void test_energy_missed_event_router_buffers(void **state) {
  (void)state;
  miss_one(ENERGY_ROUTER_BUFFERS, "buf_writes=4999");
}

static void test_energy_missed_event_crossbar(void **state) {
  (void)state;
  miss_one(ENERGY_CROSSBAR, "xbar=4999");
}

static void test_energy_missed_event_laser(void **state) {
  (void)state;
  miss_one(ENERGY_LASER, "laser_cycles=791999");
}

static void test_energy_missed_event_modulator(void **state) {
  (void)state;
  miss_one(ENERGY_MODULATOR_DRIVER, "bits_sent=");
}

static void test_latency_percentiles(void **state) {
  (void)state;
  struct results res;
  xc_t *x = mk(&res, 1024, 0);
  for (unsigned v = 1; v <= 100; v++) {
    xc_latency(x, XC_GOLD, v);
    xc_latency(x, XC_RTL, v);
  }
  assert_true(xc_latency_pct(x, XC_GOLD, 50) == 50);
  assert_true(xc_latency_pct(x, XC_GOLD, 99) == 99);
  assert_true(xc_latency_pct(x, XC_GOLD, 100) == 100);
  assert_true(fabs(xc_latency_mean(x, XC_RTL) - 50.5) < 1e-12);
  xc_report_checks(x);
  const struct check *c = find(&res, "latency", "packet latency distribution");
  assert_true(c && c->pass);
  xc_free(x);
  results_free(&res);
  /* one packet one cycle later on the RTL side: the distribution differs */
  x = mk(&res, 1024, 0);
  for (unsigned v = 1; v <= 100; v++) {
    xc_latency(x, XC_GOLD, v);
    xc_latency(x, XC_RTL, v == 40 ? 41 : v);
  }
  xc_report_checks(x);
  c = find(&res, "latency", "packet latency distribution");
  assert_true(c && !c->pass);
  xc_free(x);
  results_free(&res);
}

/* The monitor-level VCD: nested scopes, the window, values only on change. */
static void test_vcd_window_and_changes(void **state) {
  (void)state;
  char path[] = "/tmp/optile-vcd-XXXXXX", err[256];
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  xc_vcd_t *v = xc_vcd_open(path, 10, 12, err, sizeof(err));
  assert_non_null(v);
  int a = xc_vcd_var(v, "top", "clk_en", 1);
  int b = xc_vcd_var(v, "top.core", "word", 70);
  int c = xc_vcd_var(v, "other", "x", 3);
  assert_int_equal(xc_vcd_var(v, "top", "bad", 0), -1);
  xc_vcd_begin(v);
  for (uint64_t t = 0; t < 20; t++) {
    if (!xc_vcd_at(v, t)) continue;
    uint64_t w[2] = {t == 11 ? 5u : 4u, 1}; /* bit 64 set */
    xc_vcd_set64(v, a, 1);
    xc_vcd_set(v, b, w);
    xc_vcd_set64(v, c, 0xff); /* masked to 3 bits */
  }
  assert_int_equal(xc_vcd_close(v), 0);
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  static char text[4096];
  size_t n = fread(text, 1, sizeof(text) - 1, f);
  text[n] = 0;
  fclose(f);
  unlink(path);
  assert_non_null(strstr(text, "$scope module top $end\n$var wire 1 ! clk_en $end\n$scope module core $end\n"
                               "$var wire 70 \" word [69:0] $end\n$upscope $end\n$upscope $end\n"
                               "$scope module other $end\n"));
  assert_null(strstr(text, "#9\n"));
  assert_non_null(strstr(text, "#10\n1!\nb10000000000000000000000000000000000000000000000000000000000000100 \"\nb111 #\n"));
  assert_non_null(strstr(text, "#11\nb10000000000000000000000000000000000000000000000000000000000000101 \"\n#12\nb1"));
  assert_null(strstr(text, "#13\n"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_data_mismatch_names_cycle_place_values),
      cmocka_unit_test(test_throughput_equal_windows_pass),
      cmocka_unit_test(test_throughput_difference_reported_at_its_window),
      cmocka_unit_test(test_throughput_tolerance_and_largest_deviation),
      cmocka_unit_test(test_hook_tput_fires_at_its_window),
      cmocka_unit_test(test_hook_parse_errors),
      cmocka_unit_test(test_energy_equal_activity_passes),
      cmocka_unit_test(test_energy_missed_event_router_buffers),
      cmocka_unit_test(test_energy_missed_event_crossbar),
      cmocka_unit_test(test_energy_missed_event_laser),
      cmocka_unit_test(test_energy_missed_event_modulator),
      cmocka_unit_test(test_latency_percentiles),
      cmocka_unit_test(test_vcd_window_and_changes),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
