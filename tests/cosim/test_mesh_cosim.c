/* Mesh co-simulation (tb/mesh/mesh_sim.h, docs/spec.md section 5): the
 * Verilated router as one router with agents on all six ports (1x1), and as
 * 2x2 and 4x4 meshes with an agent on every local port, against the golden
 * model, every port of every router compared every cycle; each traffic
 * pattern at a moderate rate and near saturation. Negative tests prove that
 * each checker fires: a model with another arbitration order (caught at the
 * first diverging flit), a dropped, an invented credit, a corrupted flit, and
 * the delivery scoreboard's duplicate, reorder, interleave and loss cases.
 *
 * OPTILE_SEED=<n> changes the seed of every positive run; OPTILE_WINDOWS=1
 * prints every run's throughput per 1024-cycle window, RTL and model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "mesh/mesh_sb.h"
#include "mesh/mesh_sim.h"
#include "noc/noc_router.h"

static uint64_t seed(void) {
  const char *s = getenv("OPTILE_SEED");
  return s && *s ? strtoull(s, NULL, 0) : 1;
}

static struct mesh_cfg cfg(unsigned k, enum mesh_pattern p, double rate, uint64_t cycles) {
  struct mesh_cfg c;
  mesh_cfg_default(&c);
  c.k = k;
  c.pattern = p;
  c.rate = rate;
  c.cycles = cycles;
  c.seed = seed();
  c.drain_max = 20000;
  return c;
}

/* Runs c; fails the test with the reason unless it passes. */
static void run_ok(const struct mesh_cfg *c, struct mesh_result *r) {
  char err[256];
  assert_int_equal(mesh_run(c, r, err, sizeof err), 0);
  mesh_result_print(stdout, c, r);
  const char *w = getenv("OPTILE_WINDOWS");
  if (w && *w && *w != '0') mesh_result_print_windows(stdout, r);
  if (!mesh_result_ok(r)) fail_msg("%s", mesh_result_why(r));
  /* both sides delivered every packet they created, and created the same */
  assert_true(r->side[0].created > 0);
  assert_int_equal(r->side[0].created, r->side[0].delivered);
  if (c->dut != MESH_NONE) {
    assert_int_equal(r->side[1].created, r->side[0].created);
    assert_int_equal(r->side[1].delivered, r->side[0].delivered);
    assert_int_equal(r->win_dev_max, 0);
    assert_true(r->side[0].lat.mean == r->side[1].lat.mean);
    assert_int_equal(r->side[0].lat.p99, r->side[1].lat.p99);
  }
}

/* Every endpoint received flits (so every output of the 1x1 router, or every
 * local port of the mesh, was exercised). */
static void assert_every_endpoint_used(const struct mesh_result *r) {
  for (unsigned e = 0; e < r->nep; e++) {
    uint64_t f = 0;
    for (unsigned w = 0; w < r->windows; w++) f += r->win[0][(size_t)w * r->nep + e];
    if (!f) fail_msg("endpoint %u received nothing", e);
  }
}

/* Below saturation the network accepts what is offered (within the noise of
 * a finite run: the packets still in flight at the end of the interval). */
static void assert_accepts_offered(const struct mesh_result *r) {
  double off = r->side[0].offered, acc = r->side[0].accepted;
  if (acc < 0.9 * off || acc > 1.1 * off)
    fail_msg("accepted %.3f flits/ep/cycle against %.3f offered", acc, off);
}

/* ---- positive runs ---------------------------------------------------------- */

static void patterns(unsigned k, const double rate[MESH_NPATTERN], uint64_t cycles) {
  for (unsigned p = 0; p < MESH_NPATTERN; p++) {
    struct mesh_cfg c = cfg(k, (enum mesh_pattern)p, rate[p], cycles);
    struct mesh_result r;
    run_ok(&c, &r);
    assert_accepts_offered(&r);
    if (p == MESH_UNIFORM || p == MESH_HOTSPOT) assert_every_endpoint_used(&r);
    mesh_result_free(&r);
  }
}

static void test_1x1_six_ports(void **state) {
  (void)state;
  static const double rate[MESH_NPATTERN] = {0.5, 0.5, 0.5, 0.3};
  patterns(1, rate, 8192);
}

static void test_2x2(void **state) {
  (void)state;
  static const double rate[MESH_NPATTERN] = {0.4, 0.3, 0.3, 0.2};
  patterns(2, rate, 8192);
}

static void test_4x4(void **state) {
  (void)state;
  static const double rate[MESH_NPATTERN] = {0.3, 0.2, 0.2, 0.12};
  patterns(4, rate, 8192);
}

/* Other sizes: an odd k (no centre link pair) and the largest, 8x8. */
static void test_3x3_and_8x8(void **state) {
  (void)state;
  struct mesh_cfg c = cfg(3, MESH_TRANSPOSE, 0.3, 4096);
  struct mesh_result r;
  run_ok(&c, &r);
  assert_accepts_offered(&r);
  mesh_result_free(&r);
  c = cfg(8, MESH_UNIFORM, 0.15, 2048);
  run_ok(&c, &r);
  assert_every_endpoint_used(&r);
  mesh_result_free(&r);
}

/* Near (and past) saturation: source queues grow, every buffer fills, every
 * arbiter is contended. */
static void test_near_saturation(void **state) {
  (void)state;
  static const struct {
    unsigned k;
    enum mesh_pattern p;
    double rate;
  } runs[] = {
      {1, MESH_UNIFORM, 0.95}, {2, MESH_UNIFORM, 0.9}, {4, MESH_UNIFORM, 0.6},
      {4, MESH_TRANSPOSE, 0.45}, {4, MESH_HOTSPOT, 0.3},
  };
  for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
    struct mesh_cfg c = cfg(runs[i].k, runs[i].p, runs[i].rate, 12288);
    c.warmup = 2048;
    struct mesh_result r;
    run_ok(&c, &r);
    /* contended: queues built up at the sources */
    assert_true(r.side[0].max_queue >= 4);
    mesh_result_free(&r);
  }
}

/* More seeds near saturation (OPTILE_SEED moves them all). */
static void test_seeds(void **state) {
  (void)state;
  for (uint64_t s = 1; s <= 4; s++) {
    static const enum mesh_pattern pat[2] = {MESH_UNIFORM, MESH_BITCOMP};
    static const double rate[2] = {0.55, 0.4};
    for (unsigned i = 0; i < 2; i++) {
      struct mesh_cfg c = cfg(4, pat[i], rate[i], 6144);
      c.seed = seed() * 1000 + s;
      struct mesh_result r;
      run_ok(&c, &r);
      mesh_result_free(&r);
    }
  }
}

/* Zero load, spec 5.4: a one-flit packet over H hops takes 2(H + 1) cycles.
 * Bit complement on 2x2 sends every packet over H = 2 hops. */
static void test_zero_load_latency(void **state) {
  (void)state;
  struct mesh_cfg c = cfg(2, MESH_BITCOMP, 0.004, 8192);
  c.len_min = c.len_max = 1;
  struct mesh_result r;
  run_ok(&c, &r);
  assert_true(r.side[0].lat.n >= 50);
  assert_int_equal(r.side[0].lat.min, 6);
  assert_int_equal(r.side[0].lat.p50, 6);
  assert_int_equal(r.side[1].lat.min, 6);
  mesh_result_free(&r);
}

/* ---- negative: a model with another arbitration order -------------------- */

static void variant_caught(unsigned variant, enum mesh_pattern p, double rate) {
  char err[256];
  /* where the variant model and the spec model first part (model vs model) */
  struct mesh_cfg c = cfg(4, p, rate, 4096);
  c.ref = MESH_MODEL;
  c.ref_variant = variant;
  c.dut = MESH_MODEL;
  struct mesh_result mm;
  assert_int_equal(mesh_run(&c, &mm, err, sizeof err), 0);
  assert_true(mm.mismatches > 0);
  /* the variant as the expected side against the RTL: caught at the same
   * cycle, router, port and VC */
  c.dut = MESH_RTL;
  struct mesh_result r;
  assert_int_equal(mesh_run(&c, &r, err, sizeof err), 0);
  printf("variant %u: %s\n", variant, r.first_mismatch);
  assert_false(mesh_result_ok(&r));
  assert_int_equal(r.mm_cycle, mm.mm_cycle);
  assert_int_equal(r.mm_x, mm.mm_x);
  assert_int_equal(r.mm_y, mm.mm_y);
  assert_int_equal(r.mm_port, mm.mm_port);
  assert_int_equal(r.mm_vc, mm.mm_vc);
  assert_int_equal(r.mm_credit, mm.mm_credit);
  assert_int_equal(r.mm_credit, 0); /* a flit, not only a credit return */
  /* the run stopped there: nothing after the first divergence */
  assert_int_equal(r.cycles, r.mm_cycle);
  char want[96];
  snprintf(want, sizeof want, "cycle %llu router (%u,%u) %s %s", (unsigned long long)r.mm_cycle,
           r.mm_x, r.mm_y, r.mm_credit ? "input" : "output", noc_port_name(r.mm_port));
  assert_non_null(strstr(r.first_mismatch, want));
  snprintf(want, sizeof want, "vc %u", r.mm_vc);
  assert_non_null(strstr(r.first_mismatch, want));
  snprintf(want, sizeof want, "expected (model variant %u)", variant);
  assert_non_null(strstr(r.first_mismatch, want));
  assert_non_null(strstr(r.first_mismatch, "actual (RTL)"));
  mesh_result_free(&mm);
  mesh_result_free(&r);
}

static void test_variant_sa_out_fixed_caught(void **state) {
  (void)state;
  variant_caught(NOC_VARIANT_SA_OUT_FIXED, MESH_UNIFORM, 0.4);
}

static void test_variant_va_fixed_caught(void **state) {
  (void)state;
  variant_caught(NOC_VARIANT_VA_FIXED, MESH_HOTSPOT, 0.3);
}

static void test_variant_sa_in_eager_caught(void **state) {
  (void)state;
  variant_caught(NOC_VARIANT_SA_IN_EAGER, MESH_UNIFORM, 0.5);
}

/* Run to the end past the divergence: the counter and throughput-window
 * checkers fire too. */
static void test_variant_counters_and_windows(void **state) {
  (void)state;
  char err[256];
  struct mesh_cfg c = cfg(4, MESH_UNIFORM, 0.5, 4096);
  c.ref_variant = NOC_VARIANT_SA_OUT_FIXED;
  c.keep_going = 1;
  struct mesh_result r;
  assert_int_equal(mesh_run(&c, &r, err, sizeof err), 0);
  printf("negative run (the variant must make it fail):\n");
  mesh_result_print(stdout, &c, &r);
  assert_true(r.mismatches > 1);
  assert_true(r.counter_mismatches > 0);
  assert_non_null(strstr(r.first_counter, "counter cnt_"));
  assert_true(r.win_dev_max > 0);
  /* each side on its own is still a correct network */
  assert_int_equal(r.side[0].sb_errors, 0);
  assert_int_equal(r.side[1].sb_errors, 0);
  mesh_result_free(&r);
}

/* A mismatch leaves a window of waves of the router where it happened. */
static void test_mismatch_waves(void **state) {
  (void)state;
  char dir[] = "/tmp/optile-mesh-waves-XXXXXX", err[256];
  assert_non_null(mkdtemp(dir));
  struct mesh_cfg c = cfg(2, MESH_UNIFORM, 0.6, 2048);
  c.ref_variant = NOC_VARIANT_SA_OUT_FIXED;
  c.waves_dir = dir;
  struct mesh_result r;
  assert_int_equal(mesh_run(&c, &r, err, sizeof err), 0);
  printf("waves: %s\n", r.first_mismatch);
  assert_true(r.mismatches > 0);
  assert_int_equal(strncmp(r.waves, dir, strlen(dir)), 0);
  assert_non_null(strstr(r.first_mismatch, r.waves));
  struct stat st;
  assert_int_equal(stat(r.waves, &st), 0);
  assert_true(st.st_size > 100);
  unlink(r.waves);
  rmdir(dir);
  mesh_result_free(&r);
}

/* ---- negative: faults in the RTL harness ----------------------------------- */

static void test_dropped_credit_caught_by_crosscheck(void **state) {
  (void)state;
  char err[256];
  struct mesh_cfg c = cfg(4, MESH_UNIFORM, 0.6, 4096);
  c.fault = (struct mesh_fault){MESH_FAULT_DROP_CREDIT, 1, 1, NOC_PORT_W, 500};
  struct mesh_result r;
  assert_int_equal(mesh_run(&c, &r, err, sizeof err), 0);
  printf("dropped credit (cross-check): fault in cycle %llu; %s\n",
         (unsigned long long)r.side[1].fault_cycle, mesh_result_why(&r));
  assert_true(r.side[1].fault_cycle >= 500);
  assert_true(r.mismatches > 0);
  assert_true(r.mm_cycle > r.side[1].fault_cycle);
  mesh_result_free(&r);
}

static void test_dropped_credit_caught_by_audit(void **state) {
  (void)state;
  char err[256];
  /* the RTL alone: the credit audit finds the credit missing after drain */
  struct mesh_cfg c = cfg(4, MESH_UNIFORM, 0.3, 2048);
  c.ref = MESH_RTL;
  c.dut = MESH_NONE;
  c.fault = (struct mesh_fault){MESH_FAULT_DROP_CREDIT, 1, 1, NOC_PORT_W, 500};
  struct mesh_result r;
  assert_int_equal(mesh_run(&c, &r, err, sizeof err), 0);
  printf("dropped credit (audit): %s\n", mesh_result_why(&r));
  assert_true(r.drained);
  assert_true(r.side[0].fault_cycle >= 500);
  assert_int_equal(r.side[0].sb_errors, 0);
  assert_int_equal(r.side[0].audit_errors, 1);
  assert_non_null(strstr(r.side[0].audit_first, "router (0,1) output E vc"));
  assert_non_null(strstr(r.side[0].audit_first, "a credit was lost"));
  mesh_result_free(&r);

  /* a credit the router returns to a traffic agent */
  c.k = 1;
  c.fault = (struct mesh_fault){MESH_FAULT_DROP_CREDIT, 0, 0, NOC_PORT_X, 300};
  assert_int_equal(mesh_run(&c, &r, err, sizeof err), 0);
  printf("dropped credit (agent): %s\n", mesh_result_why(&r));
  assert_non_null(strstr(r.side[0].audit_first, "agent at router (0,0) input X"));
  assert_non_null(strstr(r.side[0].audit_first, "lost"));
  mesh_result_free(&r);
}

static void test_invented_credit_caught(void **state) {
  (void)state;
  char err[256];
  struct mesh_cfg c = cfg(2, MESH_UNIFORM, 0.3, 2048);
  c.ref = MESH_RTL;
  c.dut = MESH_NONE;
  c.fault = (struct mesh_fault){MESH_FAULT_EXTRA_CREDIT, 0, 0, NOC_PORT_E, 700};
  struct mesh_result r;
  assert_int_equal(mesh_run(&c, &r, err, sizeof err), 0);
  printf("invented credit: %s\n", mesh_result_why(&r));
  assert_true(r.side[0].audit_errors > 0);
  assert_non_null(strstr(r.side[0].audit_first, "router (0,0) output E vc 0"));
  assert_non_null(strstr(r.side[0].audit_first, "never owed"));
  mesh_result_free(&r);
}

static void test_corrupted_flit_caught(void **state) {
  (void)state;
  char err[256];
  /* RTL alone: the delivery scoreboard names the packet and the word */
  struct mesh_cfg c = cfg(4, MESH_UNIFORM, 0.3, 2048);
  c.ref = MESH_RTL;
  c.dut = MESH_NONE;
  c.fault = (struct mesh_fault){MESH_FAULT_CORRUPT, 2, 1, NOC_PORT_N, 400};
  struct mesh_result r;
  assert_int_equal(mesh_run(&c, &r, err, sizeof err), 0);
  printf("corrupted flit (scoreboard): %s\n", mesh_result_why(&r));
  assert_int_equal(r.side[0].sb_errors, 1);
  assert_non_null(strstr(r.side[0].sb_first, "corrupted: word 2"));
  mesh_result_free(&r);
  /* with the model: the flit differs on the next router's output */
  c.dut = MESH_RTL;
  c.ref = MESH_MODEL;
  assert_int_equal(mesh_run(&c, &r, err, sizeof err), 0);
  printf("corrupted flit (cross-check): %s\n", mesh_result_why(&r));
  assert_true(r.mismatches > 0);
  assert_int_equal(r.mm_cycle, r.side[1].fault_cycle + 2);
  assert_int_equal(r.mm_credit, 0);
  assert_non_null(strstr(r.first_mismatch, "payload word 2"));
  mesh_result_free(&r);
}

/* ---- negative: the delivery scoreboard on its own -------------------------- */

static mesh_sb *sb2(void) {
  static const struct mesh_addr a[2] = {{0, 0, 0}, {0, 1, 0}};
  mesh_sb *sb = mesh_sb_new(2, a, 2);
  assert_non_null(sb);
  return sb;
}

static void deliver_packet(mesh_sb *sb, unsigned src, unsigned dst, unsigned vc, unsigned seq,
                           unsigned len, uint64_t cycle) {
  for (unsigned i = 0; i < len; i++) {
    noc_flit f;
    mesh_sb_make_flit(sb, src, dst, vc, seq, len, i, &f);
    mesh_sb_deliver(sb, dst, &f, cycle + i);
  }
}

static void test_sb_good(void **state) {
  (void)state;
  mesh_sb *sb = sb2();
  assert_int_equal(mesh_sb_create(sb, 0, 1, 1, 3, 10), 0);
  assert_int_equal(mesh_sb_create(sb, 0, 1, 1, 2, 11), 1);
  deliver_packet(sb, 0, 1, 1, 0, 3, 20);
  deliver_packet(sb, 0, 1, 1, 1, 2, 30);
  assert_int_equal(mesh_sb_finish(sb), 0);
  assert_int_equal(mesh_sb_errors(sb), 0);
  struct mesh_lat l;
  mesh_sb_latency(sb, &l);
  assert_int_equal(l.n, 2);
  assert_int_equal(l.min, 12); /* tail at 22, created 10 */
  assert_int_equal(l.max, 20); /* tail at 31, created 11 */
  mesh_sb_free(sb);
}

static void test_sb_duplicate(void **state) {
  (void)state;
  mesh_sb *sb = sb2();
  mesh_sb_create(sb, 0, 1, 0, 1, 0);
  deliver_packet(sb, 0, 1, 0, 0, 1, 5);
  deliver_packet(sb, 0, 1, 0, 0, 1, 6);
  assert_int_equal(mesh_sb_errors(sb), 1);
  assert_non_null(strstr(mesh_sb_first_error(sb), "duplicate"));
  mesh_sb_free(sb);
}

static void test_sb_reorder_and_loss(void **state) {
  (void)state;
  mesh_sb *sb = sb2();
  mesh_sb_create(sb, 1, 0, 0, 2, 0);
  mesh_sb_create(sb, 1, 0, 0, 2, 1);
  deliver_packet(sb, 1, 0, 0, 1, 2, 5); /* seq 1 before seq 0 */
  assert_true(mesh_sb_errors(sb) >= 1);
  assert_non_null(strstr(mesh_sb_first_error(sb), "expected seq 0, got seq 1"));
  mesh_sb_free(sb);

  sb = sb2();
  mesh_sb_create(sb, 1, 0, 0, 2, 0);
  assert_int_equal(mesh_sb_finish(sb), 1);
  assert_non_null(strstr(mesh_sb_first_error(sb), "never delivered"));
  mesh_sb_free(sb);
}

static void test_sb_interleave_and_corrupt(void **state) {
  (void)state;
  mesh_sb *sb = sb2();
  mesh_sb_create(sb, 0, 1, 0, 2, 0);
  mesh_sb_create(sb, 1, 1, 0, 2, 0);
  noc_flit f;
  mesh_sb_make_flit(sb, 0, 1, 0, 0, 2, 0, &f);
  assert_int_equal(mesh_sb_deliver(sb, 1, &f, 3), 0);
  mesh_sb_make_flit(sb, 1, 1, 0, 0, 2, 0, &f); /* another head on the same VC */
  assert_int_equal(mesh_sb_deliver(sb, 1, &f, 4), 0);
  assert_int_equal(mesh_sb_errors(sb), 1);
  assert_non_null(strstr(mesh_sb_first_error(sb), "interleaved"));
  mesh_sb_free(sb);

  sb = sb2();
  mesh_sb_create(sb, 0, 1, 1, 1, 0);
  mesh_sb_make_flit(sb, 0, 1, 1, 0, 1, 0, &f);
  f.data[3] ^= 1ull << 63;
  assert_int_equal(mesh_sb_deliver(sb, 1, &f, 3), -1);
  assert_non_null(strstr(mesh_sb_first_error(sb), "corrupted: word 3"));
  mesh_sb_free(sb);

  sb = sb2(); /* delivered at the wrong endpoint */
  mesh_sb_create(sb, 0, 1, 1, 1, 0);
  mesh_sb_make_flit(sb, 0, 1, 1, 0, 1, 0, &f);
  assert_int_equal(mesh_sb_deliver(sb, 0, &f, 3), -1);
  assert_non_null(strstr(mesh_sb_first_error(sb), "misrouted"));
  mesh_sb_free(sb);
}

static void test_bad_config(void **state) {
  (void)state;
  char err[256];
  struct mesh_result r;
  struct mesh_cfg c = cfg(9, MESH_UNIFORM, 0.1, 100);
  assert_int_equal(mesh_run(&c, &r, err, sizeof err), -1);
  assert_non_null(strstr(err, "k = 9"));
  c = cfg(2, MESH_UNIFORM, 0.1, 100);
  c.ref = MESH_MODEL;
  c.dut = MESH_MODEL;
  c.fault.kind = MESH_FAULT_DROP_CREDIT;
  assert_int_equal(mesh_run(&c, &r, err, sizeof err), -1);
  assert_non_null(strstr(err, "RTL side"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sb_good),
      cmocka_unit_test(test_sb_duplicate),
      cmocka_unit_test(test_sb_reorder_and_loss),
      cmocka_unit_test(test_sb_interleave_and_corrupt),
      cmocka_unit_test(test_bad_config),
      cmocka_unit_test(test_1x1_six_ports),
      cmocka_unit_test(test_2x2),
      cmocka_unit_test(test_4x4),
      cmocka_unit_test(test_3x3_and_8x8),
      cmocka_unit_test(test_zero_load_latency),
      cmocka_unit_test(test_near_saturation),
      cmocka_unit_test(test_seeds),
      cmocka_unit_test(test_variant_sa_out_fixed_caught),
      cmocka_unit_test(test_variant_va_fixed_caught),
      cmocka_unit_test(test_variant_sa_in_eager_caught),
      cmocka_unit_test(test_variant_counters_and_windows),
      cmocka_unit_test(test_mismatch_waves),
      cmocka_unit_test(test_dropped_credit_caught_by_crosscheck),
      cmocka_unit_test(test_dropped_credit_caught_by_audit),
      cmocka_unit_test(test_invented_credit_caught),
      cmocka_unit_test(test_corrupted_flit_caught),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
