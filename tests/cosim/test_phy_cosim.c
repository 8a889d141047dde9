/* Two Verilated optile_phy ends joined through the optical channel model
 * (csim/channel: latency, skew, BER, bursts, lane loss, microring drift), each
 * end shadowed by a golden phy_link model fed the same inputs and compared
 * every cycle (lane words bit-exact, laser bits, state, router side), an
 * end-to-end scoreboard per direction, throughput per 1024-cycle window RTL
 * against golden, and the 4.13 efficiency bound (tb/phy/phy_cosim.c).
 *
 * Fault scenarios each check that nothing is lost, duplicated or corrupted:
 * everything is delivered, or the link reports itself DOWN and the test
 * asserts that. Each prints its replays and payload efficiency.
 * Negative tests: a golden model with one scrambler tap moved is caught by
 * the lane-word compare; an RTL whose replay drops a packet (test-only
 * parameter TestDropReplay, model Vphydrop) is caught by the scoreboard; the
 * scoreboard catches a corrupted, a duplicated and a dropped flit. */
#include <inttypes.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "phy/phy_cosim.h"

static struct pc *start(const struct pc_cfg *c) {
  char err[256] = "";
  struct pc *p = pc_new(c, err, sizeof err);
  if (!p) fail_msg("pc_new: %s", err);
  return p;
}

static void bring_up(struct pc *p, uint64_t max) {
  uint64_t took = pc_run_until_active(p, max);
  if (took == UINT64_MAX)
    fail_msg("link not ACTIVE after %" PRIu64 " cycles: states %s/%s, lock %02x/%02x, deskew %02x/%02x",
             max, phy_state_name(phy_dut_out(p->dut[0])->state),
             phy_state_name(phy_dut_out(p->dut[1])->state), phy_dut_out(p->dut[0])->lane_lock,
             phy_dut_out(p->dut[1])->lane_lock, phy_dut_out(p->dut[0])->lane_deskew,
             phy_dut_out(p->dut[1])->lane_deskew);
}

static void assert_golden_clean(const struct pc *p) {
  for (int e = 0; e < 2; e++)
    if (p->cmp[e].mismatches)
      fail_msg("RTL against golden: %" PRIu64 " mismatching cycles, first: %s", p->cmp[e].mismatches,
               p->cmp[e].msg);
  if (p->win_max_dev)
    fail_msg("throughput RTL against golden: a %u-cycle window deviates by %" PRIu64 " flits",
             p->cfg.window, p->win_max_dev);
}

static void assert_sb_clean(const struct pc *p) {
  for (int d = 0; d < 2; d++)
    if (p->sb[d].errors)
      fail_msg("%" PRIu64 " scoreboard errors (corrupt %" PRIu64 ", duplicate %" PRIu64 ", lost %" PRIu64
               "), first: %s",
               p->sb[d].errors, p->sb[d].corrupt, p->sb[d].dups, p->sb[d].lost, p->sb[d].msg);
}

/* Everything delivered, or (if down_ok) the link is DOWN: then what arrived
 * is still an exact prefix and the rest is reported, never silently lost. */
static void assert_nothing_lost(const struct pc *p, int done, int down_ok) {
  assert_sb_clean(p);
  if (done == 1) {
    if (!down_ok) fail_msg("link went DOWN at cycle %" PRIu64, p->t);
    struct phy_dut_counters a, b;
    phy_dut_counters(p->dut[0], &a);
    phy_dut_counters(p->dut[1], &b);
    assert_true(a.link_downs + b.link_downs > 0);
    for (int d = 0; d < 2; d++) assert_true(p->delivered[d] <= p->accepted[d]);
    return;
  }
  if (done != 0)
    fail_msg("not delivered in time: A->B %" PRIu64 "/%" PRIu64 ", B->A %" PRIu64 "/%" PRIu64
             ", states %s/%s",
             p->delivered[0], p->cfg.limit[0], p->delivered[1], p->cfg.limit[1],
             phy_state_name(phy_dut_out(p->dut[0])->state), phy_state_name(phy_dut_out(p->dut[1])->state));
  for (int d = 0; d < 2; d++) {
    assert_int_equal(p->delivered[d], p->cfg.limit[d]);
    assert_int_equal(p->accepted[d], p->cfg.limit[d]);
    assert_int_equal(p->sb[d].ok, p->cfg.limit[d]);
  }
}

struct result {
  uint64_t cycles;
  double eff[2];   /* payload bits delivered / raw lane bits, per direction */
  uint32_t replays, replayed, bad, naks, retrains, downs;
};

/* Offer `flits` more in each direction at full load; returns what
 * pc_run_until_done returned; fills r and prints one report line. */
static int traffic(struct pc *p, const char *name, uint64_t flits, uint64_t max, struct result *r) {
  uint64_t t0 = p->t, d0[2] = {p->delivered[0], p->delivered[1]};
  for (int e = 0; e < 2; e++) p->cfg.limit[e] = p->next[e] + flits;
  int done = pc_run_until_done(p, max, 0);
  memset(r, 0, sizeof *r);
  r->cycles = p->t - t0;
  struct phy_dut_counters c[2];
  for (int e = 0; e < 2; e++) {
    phy_dut_counters(p->dut[e], &c[e]);
    r->eff[e] = (double)(p->delivered[e] - d0[e]) * 256.0 / ((double)r->cycles * PC_L * PC_W);
    r->replays += c[e].replays;
    r->replayed += c[e].replayed_packets;
    r->bad += c[e].bad_packets;
    r->naks += c[e].naks_sent;
    r->retrains += c[e].retrains;
    r->downs += c[e].link_downs;
  }
  double bound = pc_bound(PC_L, p->cfg.am_period, 0) * 256.0 / (PC_L * PC_W);
  print_message("%s: %" PRIu64 " cycles, %s; replays %u (%u packets re-sent), bad packets %u, NAKs %u, "
                "retrains %u, link-downs %u; payload efficiency A->B %.4f B->A %.4f of the raw lane "
                "rate (%.1f / %.1f Gb/s; one-way BER-0 bound %.4f)\n",
                name, r->cycles,
                done == 0 ? "all delivered" : done == 1 ? "link DOWN" : "timed out", r->replays,
                r->replayed, r->bad, r->naks, r->retrains, r->downs, r->eff[0], r->eff[1],
                r->eff[0] * PC_L * PC_W, r->eff[1] * PC_L * PC_W, bound);
  if (p->cfg.golden)
    print_message("%s: golden models: %" PRIu64 "/%" PRIu64 " mismatching cycles, %" PRIu64
                  " windows, largest window deviation %" PRIu64 " flits\n",
                  name, p->cmp[0].mismatches, p->cmp[1].mismatches, p->win_count, p->win_max_dev);
  return done;
}

/* ---- BER 0 ------------------------------------------------------------------------- */

/* Random traffic both ways with backpressure, skew and a 10-cycle fiber:
 * golden lane words, router outputs and window throughput equal the RTL's. */
static void test_cosim_backpressure(void **state) {
  (void)state;
  struct pc_cfg c;
  pc_cfg_default(&c);
  c.am_period = 256;
  for (int d = 0; d < 2; d++)
    for (unsigned i = 0; i < PC_L; i++) c.ch[d].skew_bits[i] = (37u * i + 11u * (unsigned)d) % 200u;
  struct pc *p = start(&c);
  bring_up(p, 50000);
  for (int e = 0; e < 2; e++) {
    p->cfg.p_valid[e] = 70;
    p->cfg.p_ready[e] = 55;
  }
  struct result r;
  int done = traffic(p, "backpressure", 6000, 200000, &r);
  assert_nothing_lost(p, done, 0);
  assert_golden_clean(p);
  for (int d = 0; d < 2; d++) assert_int_equal(p->gold_delivered[d], p->delivered[d]);
  assert_true(p->win_count > 10);
  assert_int_equal(r.replays, 0);
  assert_int_equal(r.bad, 0);
  pc_free(p);
}

/* Full load: one way (a = 0) and both ways (a measured: ACK blocks sent per
 * packet), RTL within 0.5% of the 4.13 bound and equal to the golden. */
static void test_cosim_efficiency(void **state) {
  (void)state;
  for (int both = 0; both < 2; both++) {
    struct pc_cfg c;
    pc_cfg_default(&c);
    struct pc *p = start(&c);
    bring_up(p, 50000);
    p->cfg.limit[0] = UINT64_MAX;
    p->cfg.limit[1] = both ? UINT64_MAX : 0;
    for (int i = 0; i < 10000; i++) pc_step(p);
    struct phy_dut_counters c0[2], c1[2];
    for (int e = 0; e < 2; e++) phy_dut_counters(p->dut[e], &c0[e]);
    uint64_t d0 = p->delivered[0], g0 = p->gold_delivered[0];
    const uint64_t window = 60000;
    for (uint64_t i = 0; i < window; i++) pc_step(p);
    for (int e = 0; e < 2; e++) phy_dut_counters(p->dut[e], &c1[e]);
    double rtl = (double)(p->delivered[0] - d0) / (double)window;
    double gold = (double)(p->gold_delivered[0] - g0) / (double)window;
    double a = (double)(c1[0].acks_sent - c0[0].acks_sent) / (double)(c1[0].tx_packets - c0[0].tx_packets);
    if (!both) a = 0;
    double bound = pc_bound(PC_L, c.am_period, a);
    print_message("efficiency %s: RTL %.5f flits/cycle (%.2f Gb/s), golden %.5f, 4.13 bound %.5f "
                  "(%.2f Gb/s, a = %.3f ACK blocks per packet); RTL/bound = %.4f\n",
                  both ? "both ways" : "one way", rtl, rtl * 256, gold, bound, bound * 256, a, rtl / bound);
    assert_golden_clean(p);
    assert_sb_clean(p);
    assert_true(rtl == gold);
    assert_true(fabs(rtl / bound - 1.0) <= 0.005);
    pc_free(p);
  }
}

/* ---- fault scenarios ------------------------------------------------------------------ */

static void ber_case(double ber, uint64_t flits, uint64_t seed) {
  struct pc_cfg c;
  pc_cfg_default(&c);
  c.replay_timeout = 512;
  /* the link is brought up at that BER too (at 1e-4 this needs the 4.9
   * rule that only 4 contradicting TS rows in a row uncommit) */
  for (int d = 0; d < 2; d++) {
    c.ch[d].ber = ber;
    c.ch[d].seed ^= seed;
  }
  struct pc *p = start(&c);
  uint64_t took = pc_run_until_active(p, 60000);
  if (took == UINT64_MAX) fail_msg("BER %.0e: link not ACTIVE after 60000 cycles", ber);
  print_message("BER %.0e: link ACTIVE after %" PRIu64 " cycles of training\n", ber, took);
  char name[64];
  snprintf(name, sizeof name, "BER %.0e", ber);
  struct result r;
  int done = traffic(p, name, flits, 2000000, &r);
  uint64_t flipped = 0;
  for (int d = 0; d < 2; d++)
    for (unsigned i = 0; i < PC_L; i++) {
      ch_lane_stats_t st;
      ch_lane_stats(p->ch[d], i, &st);
      flipped += st.errors;
    }
  print_message("%s: %" PRIu64 " bits flipped by the channels\n", name, flipped);
  assert_nothing_lost(p, done, 0);
  assert_golden_clean(p);
  if (ber >= 1e-6) {
    assert_true(flipped > 0);
    assert_true(r.bad > 0 && r.replays > 0);
  }
  assert_int_equal(r.downs, 0);
  pc_free(p);
}

static void test_ber_1e9(void **state) {
  (void)state;
  ber_case(1e-9, 30000, 9);
}
static void test_ber_1e6(void **state) {
  (void)state;
  ber_case(1e-6, 30000, 6);
}
static void test_ber_1e4(void **state) {
  (void)state;
  ber_case(1e-4, 15000, 4);
}

static void test_burst_errors(void **state) {
  (void)state;
  struct pc_cfg c;
  pc_cfg_default(&c);
  c.replay_timeout = 512;
  for (int d = 0; d < 2; d++) {
    c.ch[d].burst_rate = 1e-6;
    c.ch[d].burst_len_mean = 40;
    c.ch[d].burst_flip = 0.5;
  }
  struct pc *p = start(&c);
  bring_up(p, 100000);
  struct result r;
  int done = traffic(p, "bursts", 30000, 1000000, &r);
  uint64_t bursts = 0, bits = 0;
  for (int d = 0; d < 2; d++)
    for (unsigned i = 0; i < PC_L; i++) {
      ch_lane_stats_t st;
      ch_lane_stats(p->ch[d], i, &st);
      bursts += st.bursts;
      bits += st.errors;
    }
  print_message("bursts: %" PRIu64 " bursts flipped %" PRIu64 " bits\n", bursts, bits);
  assert_nothing_lost(p, done, 0);
  assert_golden_clean(p);
  assert_true(bursts > 0);
  assert_true(r.bad > 0 && r.replays > 0);
  pc_free(p);
}

/* Lane 5 of A->B goes dark mid-traffic: both ends retrain onto the 7
 * surviving lanes (the same mask at both ends, 4.9), nothing is lost. */
static void test_lane_lost(void **state) {
  (void)state;
  struct pc_cfg c;
  pc_cfg_default(&c);
  c.am_period = 512;
  struct pc *p = start(&c);
  bring_up(p, 100000);
  ch_set_loss(p->ch[0], 5, p->t + 5000, CH_NEVER);
  struct result r;
  int done = traffic(p, "lane 5 lost", 30000, 1000000, &r);
  assert_nothing_lost(p, done, 0);
  assert_golden_clean(p);
  assert_true(r.retrains >= 1);
  for (int e = 0; e < 2; e++) {
    const struct phy_dut_out *o = phy_dut_out(p->dut[e]);
    assert_int_equal(o->state, PHY_ST_ACTIVE);
    assert_int_equal(o->active_mask, 0xdf);
    assert_int_equal(o->lane_laser_on, 0xdf);
  }
  print_message("lane 5 lost: both ends ACTIVE on lanes %02x\n", phy_dut_out(p->dut[0])->active_mask);
  /* 7 of 8 lanes: the efficiency falls to about 7/8 */
  assert_true(r.eff[0] < 0.9 * pc_bound(PC_L, c.am_period, 0) * 256 / (PC_L * PC_W));
  pc_free(p);
}

/* 16 cycles of skew (512 bits at W = 32) between lanes, both directions. */
static void test_max_skew(void **state) {
  (void)state;
  static const unsigned skew[PC_L] = {0, 512, 100, 37, 511, 256, 3, 480};
  struct pc_cfg c;
  pc_cfg_default(&c);
  c.am_period = 256;
  for (int d = 0; d < 2; d++)
    for (unsigned i = 0; i < PC_L; i++) c.ch[d].skew_bits[i] = skew[(i + 3u * (unsigned)d) % PC_L];
  struct pc *p = start(&c);
  bring_up(p, 100000);
  struct result r;
  int done = traffic(p, "skew 16 cycles", 20000, 1000000, &r);
  assert_nothing_lost(p, done, 0);
  assert_golden_clean(p);
  assert_int_equal(r.retrains, 0);
  pc_free(p);
}

/* retrain_i (phy_ctrl.retrain, 4.2/4.9): a pulse in ACTIVE retrains both
 * ends mid-traffic without losing anything, RTL and golden alike; a pulse
 * outside ACTIVE is ignored. */
static void test_retrain_pulse(void **state) {
  (void)state;
  struct pc_cfg c;
  pc_cfg_default(&c);
  c.am_period = 256;
  struct pc *p = start(&c);
  while (phy_dut_out(p->dut[0])->state != PHY_ST_DESKEW) pc_step(p);
  pc_retrain(p, 0); /* in DESKEW: ignored */
  bring_up(p, 100000);
  struct phy_dut_counters a0, a1, b1;
  phy_dut_counters(p->dut[0], &a0);
  assert_int_equal(a0.retrains, 0);
  for (int e = 0; e < 2; e++) p->cfg.limit[e] = 20000;
  for (int i = 0; i < 3000; i++) pc_step(p);
  assert_true(pc_both_active(p));
  pc_retrain(p, 0);
  pc_step(p); /* the pulse cycle */
  assert_int_equal(phy_dut_out(p->dut[0])->state, PHY_ST_BLOCK_LOCK);
  uint64_t took = pc_run_until_active(p, 100000);
  assert_true(took != UINT64_MAX);
  int done = pc_run_until_done(p, 400000, 200);
  phy_dut_counters(p->dut[0], &a1);
  phy_dut_counters(p->dut[1], &b1);
  print_message("retrain_i pulse at A in ACTIVE: back to ACTIVE in %" PRIu64 " cycles; retrains A/B %u/%u, "
                "replayed packets A/B %u/%u; %" PRIu64 "/%" PRIu64 " flits delivered\n",
                took, a1.retrains, b1.retrains, a1.replayed_packets, b1.replayed_packets, p->delivered[0],
                p->delivered[1]);
  assert_nothing_lost(p, done, 0);
  assert_golden_clean(p);
  assert_int_equal(a1.retrains, 1);
  assert_true(b1.retrains >= 1); /* B retrains on A's TS blocks */
  assert_int_equal(a1.link_downs + b1.link_downs, 0);
  pc_free(p);
}

/* 4.9 uncommit rule: one corrupted but valid TS does not undo a commit.
 * A is held in RING_TUNE so that B commits about a marker period before A;
 * while B is committed and A still sends phase-1 TS, one received bit of A's
 * lane 0 is flipped so that B descrambles one phase-0 TS (a contradicting
 * row). B must stay committed and the link come up; RTL and golden agree. */
struct ts_watch {
  uint64_t after;
  unsigned phase0_rows;
};

static void watch_ts(void *ctx, int dir, uint64_t cycle, unsigned lane, uint8_t sh, uint64_t pl) {
  struct ts_watch *w = ctx;
  if (dir == 1 && lane == 0 && cycle >= w->after && sh == 1 && (pl & 0xff) == 0x2D && ((pl >> 16) & 3) == 0)
    w->phase0_rows++;
}

static void test_one_bad_ts_no_uncommit(void **state) {
  (void)state;
  struct pc_cfg c;
  pc_cfg_default(&c);
  c.am_period = 256;
  c.rings_locked_at[0] = 600; /* A deskews one marker period after B */
  struct pc *p = start(&c);
  uint64_t t0 = UINT64_MAX;
  while (!(phy_dut_out(p->dut[1])->train_phase == 2 && phy_dut_out(p->dut[0])->train_phase == 1)) {
    if (t0 == UINT64_MAX && phy_dut_out(p->dut[0])->state == PHY_ST_LASER_ON) t0 = p->t;
    assert_true(p->t < 20000);
    pc_step(p);
  }
  /* row r of A: composed in t0 + floor(66r/32); its payload bit 41 on lane 0
   * is stream bit 66r + 43, on lane_tx_o from t0 + 1, at B 10 cycles later.
   * The descrambler turns a received flip at bit 41 into flips of bit 41 (an
   * invalid TS) and of bits 16 and 35 of the next block: a valid phase-0 TS */
  uint64_t r = (p->t - t0) * 32 / 66 + 4;
  while (r % 256 == 0 || (r + 1) % 256 == 0) r++;
  uint64_t s = 66 * r + 2 + 41, ti = t0 + 1 + c.ch[0].latency_cycles + s / 32;
  struct ts_watch w = {p->t, 0};
  phy_link_set_block_observer(p->gold[1], watch_ts, &w);
  while (p->t < ti) pc_step(p);
  ch_inject_next(p->ch[0], 0, 1ull << (s % 32));
  unsigned min_phase = 2;
  while (!pc_both_active(p)) {
    unsigned ph = phy_dut_out(p->dut[1])->train_phase;
    if (ph < min_phase) min_phase = ph;
    assert_true(p->t < ti + 20000);
    pc_step(p);
  }
  phy_link_set_block_observer(p->gold[1], NULL, NULL);
  print_message("one contradicting TS at B (row %" PRIu64 " of A, cycle %" PRIu64 "): phase-0 TS rows read %u, "
                "B's lowest phase afterwards %u, link ACTIVE at cycle %" PRIu64 "\n",
                r + 1, ti, w.phase0_rows, min_phase, p->t);
  assert_int_equal(w.phase0_rows, 1);
  assert_int_equal(min_phase, 2);
  assert_golden_clean(p);
  pc_free(p);
}

/* ---- microring drift ---------------------------------------------------------------- */

static void ring_cfg(struct pc_cfg *c, double drift_k_per_s) {
  for (int d = 0; d < 2; d++) {
    c->ch[d].ring.enable = 1;
    c->ch[d].ring.temp_drift_k_per_s = drift_k_per_s;
  }
}

static double worst_detuning(const struct pc *p) {
  double w = 0;
  for (int d = 0; d < 2; d++)
    for (unsigned i = 0; i < PC_L; i++) {
      ch_lane_stats_t st;
      ch_lane_stats(p->ch[d], i, &st);
      if (fabs(st.detuning_pm) > w) w = fabs(st.detuning_pm);
    }
  return w;
}

/* The test plays firmware: sweep each heater to the resonance, set
 * rings_locked, then hill-climb on the power monitors while the temperature
 * falls at 10^4 K/s (0.8 pm per 1000 cycles). */
static void test_ring_drift_tracked(void **state) {
  (void)state;
  struct pc_cfg c;
  pc_cfg_default(&c);
  ring_cfg(&c, -1e4);
  c.fw = PC_FW_TRACK;
  struct pc *p = start(&c);
  bring_up(p, 100000);
  uint16_t h0[2][PC_L];
  for (int e = 0; e < 2; e++) memcpy(h0[e], p->fw[e].heater, sizeof h0[e]);
  print_message("ring drift tracked: rings locked at cycles %" PRIu64 "/%" PRIu64
                ", link ACTIVE at %" PRIu64 ", worst detuning %.1f pm\n",
                p->fw[0].locked_at, p->fw[1].locked_at, p->t, worst_detuning(p));
  struct result r;
  int done = traffic(p, "ring drift, tracked", 50000, 1000000, &r);
  int moved = 0;
  for (int e = 0; e < 2; e++)
    for (unsigned i = 0; i < PC_L; i++) moved += abs((int)p->fw[e].heater[i] - (int)h0[e][i]) >= 100;
  print_message("ring drift tracked: after %" PRIu64 " cycles worst detuning %.1f pm; %d of 16 heaters "
                "moved by >= 100 codes\n", p->t, worst_detuning(p), moved);
  assert_nothing_lost(p, done, 0);
  assert_golden_clean(p);
  assert_int_equal(r.downs, 0);
  assert_int_equal(moved, 16);
  assert_true(worst_detuning(p) < 25.0);
  pc_free(p);
}

/* The same drift, but firmware stops after the first lock: the rings walk
 * off resonance, the BER climbs, and the link must either go DOWN (reported,
 * nothing delivered wrongly) or degrade; the test says which happened. */
static void test_ring_drift_untracked(void **state) {
  (void)state;
  struct pc_cfg c;
  pc_cfg_default(&c);
  ring_cfg(&c, -2e4);
  c.fw = PC_FW_TUNE_ONCE;
  c.train_timeout = 30000;
  c.replay_timeout = 512;
  struct pc *p = start(&c);
  bring_up(p, 100000);
  struct result r;
  int done = traffic(p, "ring drift, not tracked", 200000, 400000, &r);
  double det = worst_detuning(p);
  assert_golden_clean(p);
  if (done == -1) { /* still struggling: what arrived is exact, the rest is in flight */
    assert_sb_clean(p);
    for (int d = 0; d < 2; d++) assert_true(p->delivered[d] <= p->accepted[d]);
  } else {
    assert_nothing_lost(p, done, 1);
  }
  if (done == 1) {
    print_message("ring drift not tracked: link went DOWN at cycle %" PRIu64 " (worst detuning %.1f pm); "
                  "%" PRIu64 "/%" PRIu64 " flits delivered before, every one exact, the rest reported\n",
                  p->t, det, p->delivered[0], p->accepted[0]);
    assert_true(pc_any_down(p));
    assert_true(r.downs >= 1);
  } else {
    print_message("ring drift not tracked: link degraded, not down: %u replays, %u retrains, worst "
                  "detuning %.1f pm\n", r.replays, r.retrains, det);
    assert_true(r.replays + r.retrains > 0);
  }
  assert_true(det > 50.0);
  pc_free(p);
}

/* ---- negative tests ------------------------------------------------------------------- */

/* A golden model with the x^39 tap moved to x^40 is caught by the lane-word
 * compare in the first scrambled block (the first TS row after LASER_ON). */
static void test_neg_scrambler_tap(void **state) {
  (void)state;
  struct pc_cfg c;
  pc_cfg_default(&c);
  c.golden_scr_tap = 40;
  struct pc *p = start(&c);
  for (int i = 0; i < 400; i++) pc_step(p);
  print_message("wrong golden scrambler tap: %s\n", p->cmp[0].msg);
  for (int e = 0; e < 2; e++) {
    assert_true(p->cmp[e].lane_word_mismatches > 0);
    assert_non_null(strstr(p->cmp[e].msg, "lane_tx_o expected (golden)"));
    assert_true(p->cmp[e].first_cycle < 20);
  }
  pc_free(p);
}

/* The RTL built with TestDropReplay = 1 loses a packet in every replay; the
 * scoreboard reports it (and the same run on the normal RTL is clean). */
static void test_neg_replay_drop(void **state) {
  (void)state;
  for (int bad = 0; bad < 2; bad++) {
    struct pc_cfg c;
    pc_cfg_default(&c);
    c.drop_replay_end0 = bad;
    c.golden = 0;
    struct pc *p = start(&c);
    bring_up(p, 100000);
    p->cfg.limit[0] = 3000;
    for (int i = 0; i < 1000; i++) pc_step(p);
    for (unsigned k = 0; k < 3; k++) { /* three corrupted words on lane 2 of A->B */
      ch_inject_next(p->ch[0], 2, 0x00f00000u);
      for (int i = 0; i < 400; i++) pc_step(p);
    }
    int done = pc_run_until_done(p, 100000, 500);
    struct phy_dut_counters a;
    phy_dut_counters(p->dut[0], &a);
    print_message("%s RTL: %u replays; scoreboard A->B: %" PRIu64 " errors (lost %" PRIu64
                  ", duplicate %" PRIu64 ", corrupt %" PRIu64 ")%s%s\n",
                  bad ? "TestDropReplay" : "normal", a.replays, p->sb[0].errors, p->sb[0].lost,
                  p->sb[0].dups, p->sb[0].corrupt, p->sb[0].errors ? "; first: " : "", p->sb[0].msg);
    assert_true(a.replays > 0);
    if (bad) {
      assert_true(p->sb[0].errors > 0);
      assert_true(p->sb[0].lost > 0);
      assert_non_null(strstr(p->sb[0].msg, "expected flit"));
    } else {
      assert_int_equal(done, 0);
      assert_sb_clean(p);
    }
    pc_free(p);
  }
}

/* The window throughput check: golden models whose consumer stalls every
 * 3rd cycle (test-only knob) deliver fewer flits than the RTL; the window
 * deviation and the router-side compare report it. */
static void test_neg_window_throughput(void **state) {
  (void)state;
  struct pc_cfg c;
  pc_cfg_default(&c);
  c.test_gold_stall = 3;
  struct pc *p = start(&c);
  bring_up(p, 100000);
  p->cfg.limit[0] = UINT64_MAX;
  for (int i = 0; i < 5000; i++) pc_step(p);
  print_message("golden consumer stalled: largest window deviation %" PRIu64 " flits, RTL %" PRIu64
                " / golden %" PRIu64 " flits delivered; first compare mismatch: %s\n",
                p->win_max_dev, p->delivered[0], p->gold_delivered[0], p->cmp[1].msg);
  assert_true(p->win_max_dev > 0);
  assert_true(p->gold_delivered[0] < p->delivered[0]);
  assert_true(p->cmp[1].mismatches > 0);
  assert_non_null(strstr(p->cmp[1].msg, "end B"));
  pc_free(p);
}

/* The harness scoreboard itself: a corrupted, a duplicated and a dropped
 * delivery are each reported at that flit. */
static void test_neg_scoreboard(void **state) {
  (void)state;
  for (int kind = 0; kind < 3; kind++) {
    struct pc_cfg c;
    pc_cfg_default(&c);
    c.golden = 0;
    c.am_period = 256;
    struct pc *p = start(&c);
    p->tamper_n = 200;
    p->tamper_kind = kind;
    bring_up(p, 100000);
    p->cfg.limit[0] = 400;
    pc_run_until_done(p, 20000, 100);
    print_message("tamper %d: %s\n", kind, p->sb[0].msg);
    assert_int_equal(p->sb[0].errors, 1);
    assert_int_equal(kind == 0 ? p->sb[0].corrupt : kind == 1 ? p->sb[0].dups : p->sb[0].lost, 1);
    assert_non_null(strstr(p->sb[0].msg, kind == 1 ? "expected flit 201" : "expected flit 200"));
    assert_int_equal(p->sb[1].errors, 0);
    pc_free(p);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cosim_backpressure),
      cmocka_unit_test(test_cosim_efficiency),
      cmocka_unit_test(test_ber_1e9),
      cmocka_unit_test(test_ber_1e6),
      cmocka_unit_test(test_ber_1e4),
      cmocka_unit_test(test_burst_errors),
      cmocka_unit_test(test_lane_lost),
      cmocka_unit_test(test_max_skew),
      cmocka_unit_test(test_retrain_pulse),
      cmocka_unit_test(test_one_bad_ts_no_uncommit),
      cmocka_unit_test(test_ring_drift_tracked),
      cmocka_unit_test(test_ring_drift_untracked),
      cmocka_unit_test(test_neg_scrambler_tap),
      cmocka_unit_test(test_neg_replay_drop),
      cmocka_unit_test(test_neg_window_throughput),
      cmocka_unit_test(test_neg_scoreboard),
  };
  /* PHY_TEST=<name pattern> runs only the matching tests (for debugging) */
  if (getenv("PHY_TEST")) cmocka_set_test_filter(getenv("PHY_TEST"));
  return cmocka_run_group_tests(tests, NULL, NULL);
}
