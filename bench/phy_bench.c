/* PHY benchmark (make bench-phy): payload efficiency of the two-PHY link
 * (RTL, through the channel model) against the bit error rate, with replay
 * counts and the golden models' prediction, and the co-simulation speed in
 * simulated cycles per second with and without the golden models.
 *
 * Usage: phy_bench [cycles per measurement, default 100000] [speed [0|1]]
 *   "speed" runs only the speed part (for callgrind: the difference of two
 *   runs with different cycle counts gives instructions per cycle); 0 or 1
 *   selects the run without or with the golden models. The speed is process
 *   CPU time (the machine is shared) and wall clock. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "phy/phy_cosim.h"

/* Replay timeout of the BER table (cycles); the second table varies it. */
enum { REPLAY_TIMEOUT = 512 };

static struct pc *up(const struct pc_cfg *c) {
  char err[256] = "";
  struct pc *p = pc_new(c, err, sizeof err);
  if (!p) {
    fprintf(stderr, "phy_bench: %s\n", err);
    exit(1);
  }
  if (pc_run_until_active(p, 200000) == UINT64_MAX) {
    fprintf(stderr, "phy_bench: link did not come up\n");
    exit(1);
  }
  return p;
}

/* One efficiency point: A->B at full load for `cycles` after warm-up; one
 * table row, which names the replay timeout when show_timeout is set. */
static void measure(double ber, unsigned timeout, int show_timeout, uint64_t cycles, double bound) {
  struct pc_cfg c;
  pc_cfg_default(&c);
  c.replay_timeout = timeout;
  for (int d = 0; d < 2; d++) c.ch[d].ber = ber;
  struct pc *p = up(&c);
  p->cfg.limit[0] = UINT64_MAX;
  for (int i = 0; i < 5000; i++) pc_step(p);
  struct phy_dut_counters a0, b0, a1, b1;
  phy_dut_counters(p->dut[0], &a0);
  phy_dut_counters(p->dut[1], &b0);
  uint64_t d0 = p->delivered[0], g0 = p->gold_delivered[0];
  for (uint64_t i = 0; i < cycles; i++) pc_step(p);
  phy_dut_counters(p->dut[0], &a1);
  phy_dut_counters(p->dut[1], &b1);
  double f = (double)(p->delivered[0] - d0) / (double)cycles;
  double g = (double)(p->gold_delivered[0] - g0) / (double)cycles;
  printf("%-7.0e ", ber);
  if (show_timeout) printf("%7u ", timeout);
  printf("%11.5f %8.2f %8.2f %9.2f %8u %9u %8u %8u %11.5f %9" PRIu64 "%s\n", f, f * 256,
         100.0 * f * 256 / (PC_L * PC_W), 100.0 * f / bound, a1.replays - a0.replays,
         a1.replayed_packets - a0.replayed_packets, b1.bad_packets - b0.bad_packets,
         b1.naks_sent - b0.naks_sent, g, p->cmp[0].mismatches + p->cmp[1].mismatches,
         (p->sb[0].errors || pc_any_down(p)) ? "  SCOREBOARD/LINK ERROR" : "");
  pc_free(p);
}

int main(int argc, char **argv) {
  uint64_t cycles = argc > 1 ? strtoull(argv[1], NULL, 0) : 100000;
  if (cycles < 1000) cycles = 1000;
  int speed_only = argc > 2 && strcmp(argv[2], "speed") == 0;
  int only = argc > 3 ? atoi(argv[3]) : -1;
  const double bers[] = {0, 1e-9, 1e-6, 1e-5, 1e-4};
  struct pc_cfg c;
  pc_cfg_default(&c);
  double bound = pc_bound(PC_L, c.am_period, 0);
  if (!speed_only) printf("PHY payload efficiency, A->B at full load (B->A carries ACKs), BER on both directions,\n"
         "%" PRIu64 " cycles per point after 5000 cycles of warm-up; L = %d, W = %d, M = %u, channel "
         "latency %u cycles, replay timeout %u.\n4.13 bound at BER 0: %.5f flits/cycle = %.2f Gb/s = "
         "%.2f%% of the raw %d Gb/s\n\n",
         cycles, PC_L, PC_W, c.am_period, c.ch[0].latency_cycles, (unsigned)REPLAY_TIMEOUT, bound, bound * 256,
         100.0 * bound * 256 / (PC_L * PC_W), PC_L * PC_W);
  if (!speed_only) printf("%-7s %11s %8s %8s %9s %8s %9s %8s %8s %11s %9s\n", "BER", "flits/cyc", "Gb/s", "%raw",
         "%bound", "replays", "re-sent", "bad pkt", "NAKs", "golden f/c", "mismatch");
  for (unsigned k = 0; !speed_only && k < sizeof bers / sizeof bers[0]; k++) measure(bers[k], REPLAY_TIMEOUT, 0, cycles, bound);

  /* Go-back-N recovers a lost NAK, or a replayed packet hit again, only by
   * the replay timeout (spec 4.8.2), so at high BER the timeout sets the
   * efficiency: the same measurement against it. */
  const unsigned timeouts[] = {64, 128, 256, REPLAY_TIMEOUT, 2048};
  const double hi_bers[] = {1e-5, 1e-4};
  if (!speed_only) printf("\nThe same against the replay timeout (cycles):\n%-7s %7s %11s %8s %8s %9s %8s %9s %8s %8s %11s %9s\n",
                          "BER", "timeout", "flits/cyc", "Gb/s", "%raw", "%bound", "replays", "re-sent", "bad pkt",
                          "NAKs", "golden f/c", "mismatch");
  for (unsigned k = 0; !speed_only && k < sizeof hi_bers / sizeof hi_bers[0]; k++)
    for (unsigned t = 0; t < sizeof timeouts / sizeof timeouts[0]; t++)
      measure(hi_bers[k], timeouts[t], 1, cycles, bound);

  printf("\nTwo-PHY co-simulation speed (both directions at full load, %" PRIu64 " cycles):\n", cycles);
  for (int golden = 1; golden >= 0; golden--) {
    if (only >= 0 && golden != only) continue;
    pc_cfg_default(&c);
    c.golden = golden;
    struct pc *p = up(&c);
    p->cfg.limit[0] = p->cfg.limit[1] = UINT64_MAX;
    for (int i = 0; i < 2000; i++) pc_step(p);
    double c0 = bench_now_s(CLOCK_PROCESS_CPUTIME_ID), w0 = bench_now_s(CLOCK_MONOTONIC);
    for (uint64_t i = 0; i < cycles; i++) pc_step(p);
    double cs = bench_now_s(CLOCK_PROCESS_CPUTIME_ID) - c0, ws = bench_now_s(CLOCK_MONOTONIC) - w0;
    printf("  %-42s %9.0f cycles/s of CPU time (%9.0f wall clock)\n",
           golden ? "2 RTL ends + 2 channels + 2 golden models" : "2 RTL ends + 2 channels",
           (double)cycles / cs, (double)cycles / ws);
    pc_free(p);
  }
  return 0;
}
