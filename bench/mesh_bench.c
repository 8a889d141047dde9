/* Mesh bench (issue 4 figures): `make bench-mesh`.
 *
 * 1. Latency against offered load, uniform random traffic on the 4x4 mesh,
 *    RTL and model in one cross-checked run per load point; written to
 *    <dir>/mesh_latency.dat (gnuplot draws bench/mesh_latency.gp from it).
 * 2. Saturation throughput: the accepted load of the sweep's points at and
 *    beyond the 4/k flits/node/cycle bound, as a percentage of the bound.
 * 3. Simulated cycles per second: one router (six ports loaded) and the 4x4
 *    mesh, RTL with the model (cross-checked) and RTL alone (model alone for
 *    reference).
 * 4. The same four set-ups (router and mesh, RTL with and without the model)
 *    under valgrind --tool=callgrind, if it is installed: instructions per
 *    simulated cycle, the stable speed figure on a shared machine (docs/spec.md
 *    section 6), from two runs of N and 2N cycles so that start-up cancels.
 * Everything is also written to <dir>/mesh_bench.txt. Exit status 1 if any
 * run fails its checks.
 *
 * Usage: mesh_bench [dir] (default build/bench); mesh_bench --one K REF DUT
 * CYCLES runs one set-up quietly (REF, DUT: 0 none, 1 model, 2 RTL; what the
 * callgrind runs execute). Environment: MESH_BENCH_QUICK=1 shortens every run
 * (for a smoke test) and skips callgrind; OPTILE_SEED=<n> changes the seed. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench_util.h"
#include "mesh/mesh_sim.h"

static int failed;


static int run(const struct mesh_cfg *c, struct mesh_result *r) {
  char err[256];
  if (mesh_run(c, r, err, sizeof err)) {
    fprintf(stderr, "mesh_bench: %s\n", err);
    exit(2);
  }
  if (!mesh_result_ok(r)) {
    bench_say("FAIL: %s\n", mesh_result_why(r));
    failed = 1;
    return -1;
  }
  return 0;
}

static double khz(const struct mesh_result *r) {
  return r->seconds > 0 ? (double)r->cycles / r->seconds / 1e3 : 0;
}

/* One set-up, quietly: k, expected and actual side, cycles. */
static int one(unsigned k, enum mesh_kind ref, enum mesh_kind dut, uint64_t cycles,
               uint64_t seed) {
  struct mesh_cfg c;
  mesh_cfg_default(&c);
  c.k = k;
  c.rate = k == 1 ? 0.5 : 0.3;
  c.seed = seed;
  c.ref = ref;
  c.dut = dut;
  c.cycles = cycles;
  c.drain_max = 0; /* the figure is per cycle; no drain needed */
  struct mesh_result r;
  char err[256];
  if (mesh_run(&c, &r, err, sizeof err)) {
    fprintf(stderr, "mesh_bench: %s\n", err);
    return 2;
  }
  mesh_result_free(&r);
  return 0;
}

/* Instructions callgrind counts for `OPTILE_SEED=seed mesh_bench --one k ref
 * dut cycles`, or -1 if it cannot be run. */
static double callgrind_ir(unsigned k, enum mesh_kind ref, enum mesh_kind dut, uint64_t cycles,
                           uint64_t seed) {
  char args[128], sv[32];
  snprintf(sv, sizeof sv, "%llu", (unsigned long long)seed);
  setenv("OPTILE_SEED", sv, 1);
  snprintf(args, sizeof args, "--one %u %d %d %llu", k, (int)ref, (int)dut, (unsigned long long)cycles);
  return bench_callgrind_ir(args);
}

int main(int argc, char **argv) {
  if (argc == 6 && !strcmp(argv[1], "--one")) {
    const char *sv = getenv("OPTILE_SEED");
    return one((unsigned)atoi(argv[2]), (enum mesh_kind)atoi(argv[3]),
               (enum mesh_kind)atoi(argv[4]), strtoull(argv[5], NULL, 0),
               sv && *sv ? strtoull(sv, NULL, 0) : 1);
  }
  const char *dir = argc > 1 ? argv[1] : "build/bench";
  const char *q = getenv("MESH_BENCH_QUICK");
  const int quick = q && *q && *q != '0';
  const char *sd = getenv("OPTILE_SEED");
  const uint64_t seed = sd && *sd ? strtoull(sd, NULL, 0) : 1;
  if (mkdir(dir, 0777) && errno != EEXIST) {
    fprintf(stderr, "mesh_bench: cannot create %s: %s\n", dir, strerror(errno));
    return 2;
  }
  char path[512];
  snprintf(path, sizeof path, "%s/mesh_bench.txt", dir);
  FILE *txt = fopen(path, "w");
  snprintf(path, sizeof path, "%s/mesh_latency.dat", dir);
  FILE *dat = fopen(path, "w");
  if (!txt || !dat) {
    fprintf(stderr, "mesh_bench: cannot write under %s\n", dir);
    return 2;
  }
  bench_tee(txt);

  /* ---- 1, 2: latency against offered load ---- */
  const unsigned k = 4;
  const double bound = 4.0 / k; /* flits/node/cycle, uniform random, DOR */
  const uint64_t warm = quick ? 500 : 2000, meas = quick ? 2000 : 10000;
  bench_say("4x4 mesh, uniform random, packets of 1..8 flits, 2 VCs, 4-flit buffers; warm-up %llu, "
      "measured %llu cycles per point, RTL and model cross-checked every cycle\n",
      (unsigned long long)warm, (unsigned long long)meas);
  fprintf(dat, "# 4x4 mesh, uniform random traffic, seed %llu; warm-up %llu cycles, packets "
          "created in the next %llu measured\n", (unsigned long long)seed,
          (unsigned long long)warm, (unsigned long long)meas);
  fprintf(dat, "# latency = cycle the tail leaves the destination router - creation cycle "
          "(source queueing included)\n");
  fprintf(dat, "# rate offered rtl_accepted rtl_mean rtl_p50 rtl_p99 rtl_max model_accepted "
          "model_mean model_p50 model_p99 model_max mismatches\n");
  static const double rates[] = {0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45,
                                 0.5, 0.55, 0.6, 0.7, 0.8, 1.0, 1.2};
  const size_t nrates = sizeof rates / sizeof rates[0];
  double sat = 0, at_bound = -1, zero_lat = 0, knee = -1;
  for (size_t i = 0; i < nrates; i++) {
    struct mesh_cfg c;
    mesh_cfg_default(&c);
    c.k = k;
    c.rate = rates[i];
    c.seed = seed;
    c.warmup = warm;
    c.cycles = warm + meas;
    c.drain_max = 400000;
    c.progress = 1;
    struct mesh_result r;
    if (run(&c, &r)) {
      mesh_result_free(&r);
      continue;
    }
    const struct mesh_side_result *m = &r.side[0], *t = &r.side[1];
    bench_say("  offered %.3f (measured %.3f): RTL accepted %.3f, latency mean %.1f p50 %llu p99 %llu "
        "max %llu | model accepted %.3f, mean %.1f p99 %llu | %llu cycles, %.1f kHz, "
        "mismatches %llu\n", rates[i], t->offered, t->accepted, t->lat.mean,
        (unsigned long long)t->lat.p50, (unsigned long long)t->lat.p99,
        (unsigned long long)t->lat.max, m->accepted, m->lat.mean, (unsigned long long)m->lat.p99,
        (unsigned long long)r.cycles, khz(&r), (unsigned long long)r.mismatches);
    fprintf(dat, "%.3f %.4f %.4f %.2f %llu %llu %llu %.4f %.2f %llu %llu %llu %llu\n", rates[i],
            t->offered, t->accepted, t->lat.mean, (unsigned long long)t->lat.p50,
            (unsigned long long)t->lat.p99, (unsigned long long)t->lat.max, m->accepted,
            m->lat.mean, (unsigned long long)m->lat.p50, (unsigned long long)m->lat.p99,
            (unsigned long long)m->lat.max, (unsigned long long)r.mismatches);
    if (i == 0) zero_lat = t->lat.mean;
    if (knee < 0 && t->lat.mean > 3 * zero_lat) knee = rates[i];
    if (rates[i] >= bound - 1e-9 && t->accepted > sat) sat = t->accepted;
    if (rates[i] > bound - 1e-9 && rates[i] < bound + 1e-9) at_bound = t->accepted;
    mesh_result_free(&r);
  }
  fclose(dat);
  /* spec 5.4 at zero load: head after 2(H + 1) cycles, the tail len - 1 later;
   * averaged over uniform destinations (itself included) and lengths 1..8 */
  double hsum = 0;
  for (unsigned a = 0; a < k * k; a++)
    for (unsigned b = 0; b < k * k; b++)
      hsum += abs((int)(a % k) - (int)(b % k)) + abs((int)(a / k) - (int)(b / k));
  const double hmean = hsum / (double)(k * k * k * k);
  bench_say("zero-load latency by spec 5.4, 2(H+1) + (len-1) averaged (H = %.2f hops, len 4.5): %.2f "
      "cycles; measured at the lowest load: %.2f\n", hmean, 2 * (hmean + 1) + 3.5, zero_lat);
  bench_say("saturation throughput (accepted at offered >= the bound): %.3f flits/node/cycle = %.1f%% "
      "of the 4/k = %.2f bound (accepted at offered = bound: %.3f)\n", sat, 100 * sat / bound,
      bound, at_bound);
  if (knee > 0)
    bench_say("latency passes 3x its lowest-load mean (%.1f cycles) at offered %.2f flits/node/cycle "
        "(%.0f%% of the bound)\n", zero_lat, knee, 100 * knee / bound);
  bench_say("data: %s/mesh_latency.dat\n", dir);

  /* ---- 3: simulated cycles per second ---- */
  bench_say("simulated cycles per second (per second of CPU time, which a busy shared machine "
      "disturbs less than wall clock; wall clock beside it):\n");
  static const struct {
    unsigned k;
    double rate;
    enum mesh_kind ref, dut;
    const char *what;
  } sp[] = {
      {1, 0.5, MESH_MODEL, MESH_RTL, "1 router, RTL + model (cross-checked)"},
      {1, 0.5, MESH_RTL, MESH_NONE, "1 router, RTL alone"},
      {1, 0.5, MESH_MODEL, MESH_NONE, "1 router, model alone"},
      {4, 0.3, MESH_MODEL, MESH_RTL, "4x4 mesh, RTL + model (cross-checked)"},
      {4, 0.3, MESH_RTL, MESH_NONE, "4x4 mesh, RTL alone"},
      {4, 0.3, MESH_MODEL, MESH_NONE, "4x4 mesh, model alone"},
  };
  for (size_t i = 0; i < sizeof sp / sizeof sp[0]; i++) {
    struct mesh_cfg c;
    mesh_cfg_default(&c);
    c.k = sp[i].k;
    c.rate = sp[i].rate;
    c.seed = seed;
    c.ref = sp[i].ref;
    c.dut = sp[i].dut;
    c.cycles = (sp[i].k == 1 ? 400000u : 60000u) / (quick ? 10u : 1u);
    c.progress = 1;
    struct mesh_result r;
    run(&c, &r);
    bench_say("  %-40s %9.0f cycles/s  (%llu cycles in %.2f s CPU, %.2f s wall = %.0f cycles/s; "
        "agents at %.2f flits/ep/cycle)\n", sp[i].what,
        r.cpu_seconds > 0 ? (double)r.cycles / r.cpu_seconds : 0, (unsigned long long)r.cycles,
        r.cpu_seconds, r.seconds, khz(&r) * 1e3, sp[i].rate);
    mesh_result_free(&r);
  }

  /* ---- 4: instructions per simulated cycle (callgrind) ---- */
  if (!quick && system("valgrind --version >/dev/null 2>&1") == 0) {
    bench_say("instructions per simulated cycle (valgrind --tool=callgrind; (Ir(2N) - Ir(N)) / N):\n");
    for (size_t i = 0; i < sizeof sp / sizeof sp[0]; i++) {
      if (sp[i].ref == MESH_MODEL && sp[i].dut == MESH_NONE) continue;
      const uint64_t n = sp[i].k == 1 ? 50000 : 5000;
      double a = callgrind_ir(sp[i].k, sp[i].ref, sp[i].dut, n, seed);
      double b = a < 0 ? -1 : callgrind_ir(sp[i].k, sp[i].ref, sp[i].dut, 2 * n, seed);
      if (a < 0 || b < 0) {
        bench_say("  %-40s (callgrind failed)\n", sp[i].what);
        continue;
      }
      bench_say("  %-40s %9.0f instructions/cycle  (N = %llu)\n", sp[i].what, (b - a) / (double)n,
          (unsigned long long)n);
    }
  } else if (!quick) {
    bench_say("instructions per simulated cycle: valgrind not installed, skipped\n");
  }
  bench_tee(NULL);
  fclose(txt);
  if (failed) {
    fprintf(stderr, "mesh_bench: a run failed its checks (see above)\n");
    return 1;
  }
  return 0;
}
