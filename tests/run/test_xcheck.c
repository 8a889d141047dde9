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
#include "xcheck/xc_phy.h"

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

/* The PHY shadow (xc_phy.h) against a second golden link end standing in
 * for the RTL: equal every cycle while the stand-in is reported faithfully;
 * a lane word changed by the monitor is named at its cycle, chip and lane
 * with both words, a training state at the PHY place; then the test hook
 * lane-word does the same from xc_hooks. */
static void obs_of(const phy_link_out_t *g, const phy_link_csr_t *c, struct tile_obs *o) {
  memset(o, 0, sizeof(*o));
  o->dp_rst_n = 1;
  for (unsigned i = 0; i < TILE_LANES; i++) {
    o->lane_tx[i] = (uint32_t)g->lane_tx[i];
    o->lane_heater[i] = g->lane_heater[i];
    o->lane_power[i] = g->lane_power[i];
    o->phy_heater_code[i] = c->heater_code[i];
  }
  o->lane_laser_on = (uint8_t)g->laser_on;
  o->phy_state = (uint8_t)g->state;
  o->link_up = (uint8_t)g->link_up;
  o->lane_lock = (uint8_t)g->lane_lock;
  o->lane_deskew = (uint8_t)g->lane_deskew;
  o->active_mask = (uint8_t)g->active_mask;
  o->train_phase = (uint8_t)g->train_phase;
  o->phy_tx_ready = (uint8_t)g->tx_ready;
  o->phy_rx_valid = (uint8_t)g->rx_valid;
  o->phy_enable = (uint8_t)c->enable;
  o->phy_rings_locked = (uint8_t)c->rings_locked;
  o->phy_lane_mask = (uint8_t)c->lane_mask;
  o->phy_am_period = (uint16_t)c->am_period;
  o->phy_idle_timeout = c->idle_timeout;
  o->phy_laser_settle = (uint16_t)c->laser_settle;
  o->phy_replay_timeout = (uint16_t)c->replay_timeout;
  o->phy_replay_limit = (uint8_t)c->replay_limit;
  o->phy_train_timeout = c->train_timeout;
}

static void run_shadow(xc_t *x, uint64_t bad_lane_at, uint64_t bad_state_at) {
  char err[256];
  phy_link_cfg_t cfg;
  phy_link_cfg_default(&cfg);
  phy_link_t *rtl = phy_link_new(&cfg, err, sizeof(err));
  assert_non_null(rtl);
  xc_phy_t *ph = xc_phy_new(x, 1, "chipB", err, sizeof(err));
  assert_non_null(ph);
  phy_link_csr_t c;
  phy_link_csr_default(&c);
  c.enable = 1;
  c.laser_settle = 20;
  c.heater_code[3] = 1234;
  assert_int_equal(phy_link_set_csr(rtl, &c, err, sizeof(err)), 0);
  for (uint64_t t = 0; t < 300; t++) {
    phy_link_out_t g;
    phy_link_outputs(rtl, &g);
    struct tile_obs o;
    obs_of(&g, &c, &o);
    if (t == bad_lane_at) o.lane_tx[5] ^= 0x80u;
    if (t == bad_state_at) o.phy_state ^= 1u;
    xc_phy_check(ph, t, &o);
    xc_phy_step(ph, t, &o);
    phy_link_step(rtl, NULL);
  }
  assert_int_equal(xc_phy_cycles(ph), 300);
  /* the shadow's own activity: lasers on from LASER_ON, heater integrated */
  assert_true(xc_phy_counters(ph)->laser_cycles[0] > 0);
  assert_int_equal(xc_phy_counters(ph)->laser_cycles[0], phy_link_counters(rtl)->laser_cycles[0]);
  assert_int_equal(xc_phy_counters(ph)->heater_integral[3], phy_link_counters(rtl)->heater_integral[3]);
  xc_phy_free(ph);
  phy_link_free(rtl);
}

static void test_phy_shadow_names_cycle_chip_lane(void **state) {
  (void)state;
  struct results res;
  xc_t *x = mk(&res, 1024, 0);
  run_shadow(x, UINT64_MAX, UINT64_MAX);
  assert_int_equal(xc_mismatches(x), 0);
  assert_true(xc_compared(x) >= 300 * 9);
  xc_free(x);
  results_free(&res);

  x = mk(&res, 1024, 0);
  run_shadow(x, 150, 170);
  assert_int_equal(xc_mismatches(x), 2);
  const struct xc_mismatch *m = xc_first_mismatch(x);
  assert_int_equal(m->cycle, 150);
  assert_string_equal(m->place, "chipB.lane.5");
  assert_string_equal(m->what, "lane_tx_o word");
  unsigned long e = strtoul(m->expected, NULL, 0), a = strtoul(m->actual, NULL, 0);
  assert_int_equal(e ^ a, 0x80);
  const struct xc_port *pp = NULL;
  for (size_t i = 0; i < xc_nports(x); i++)
    if (!strcmp(xc_port(x, i)->place, "chipB.phy")) pp = xc_port(x, i);
  assert_non_null(pp);
  assert_int_equal(pp->mismatched, 1);
  assert_int_equal(pp->first.cycle, 170);
  assert_non_null(strstr(pp->first.what, "state_o"));
  xc_free(x);
  results_free(&res);

  /* the documented hook: chip B, lane 2, cycle 200 */
  x = mk(&res, 1024, 0);
  struct xc_hooks h;
  xc_hooks_none(&h);
  char port[64], err[256];
  assert_int_equal(xc_hooks_parse(&h, port, sizeof(port), "lane-word:B:2:200", err, sizeof(err)), 0);
  xc_set_hooks(x, &h);
  run_shadow(x, UINT64_MAX, UINT64_MAX);
  assert_int_equal(xc_mismatches(x), 1);
  assert_int_equal(xc_first_mismatch(x)->cycle, 200);
  assert_string_equal(xc_first_mismatch(x)->place, "chipB.lane.2");
  assert_int_equal(xc_hooks_parse(&h, port, sizeof(port), "lane-word:C:2:200", err, sizeof(err)), -1);
  assert_int_equal(xc_hooks_parse(&h, port, sizeof(port), "lane-word:A:9:200", err, sizeof(err)), -1);
  xc_free(x);
  results_free(&res);
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
      cmocka_unit_test(test_phy_shadow_names_cycle_chip_lane),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
