/* Tile bench (make bench-tile): simulation speed of
 *
 *   (a) one Verilated tile (tb/tile/tile_dut.h), datapath enabled
 *       (ctrl.tile_en through the host APB port), PHY left disabled:
 *       - link idle, mesh ports idle;
 *       - flits offered on its four mesh ports at a chosen rate (flits per
 *         port per cycle, token bucket, credit flow control), packets of
 *         PKT_LEN flits whose head header (spec 5.2) sends them straight
 *         across the tile: W -> E, E -> W, N -> S, S -> N. The bench is the
 *         sink on every mesh output (a credit back the cycle after each
 *         flit) and checks every flit left on the port its header names,
 *         and that all flits came out after a drain;
 *   (b) the two-chip system (tb/system/system.h: two tiles, channels,
 *       ISS-run firmware, host drivers) after link bring-up, mesh idle, the
 *       firmware tracking the rings.
 *
 * Each figure is simulated cycles per second of process CPU time (the
 * machine is shared) and of wall time, over N cycles (default 200000),
 * set-up and bring-up excluded (bring-up is reported on its own line).
 * Optionally the instructions per simulated cycle of (a) under callgrind,
 * (Ir(2M) - Ir(M)) / M so that start-up cancels.
 *
 * Usage: tile_bench [options] [N]
 *   -r RATE   a mesh load, flits/port/cycle in (0, 1]; repeatable (at most
 *             4; default 0.25 and 1)
 *   -f ELF    firmware for (b) (default build/fw/optile-fw.elf)
 *   -o DIR    also write the table to DIR/tile_bench.txt (default build/bench)
 *   -c M      callgrind with M and 2M cycles per tile set-up (default 2000,
 *             about 6 s in all; 0 skips; skipped without valgrind). Not for
 *             (b): its bring-up alone would take minutes under callgrind
 *   -s        skip (b)
 *   --one idle|RATE N   one tile run, quiet (what callgrind executes)
 * Exit status 1 if a check fails (lost or misrouted flits, router errors,
 * link not up or lost). */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "bfm/apb_bfm.h"
#include "noc/noc_router.h"
#include "optile_csr.h"
#include "system/system.h"
#include "tile/tile_dut.h"

enum { PKT_LEN = 4, MAX_RATES = 4, DRAIN_MAX = 1000 };

/* The tile under test sits at (1, 1) of chip 0, so every mesh port leads on. */
enum { MY_CHIP = 0, MY_X = 1, MY_Y = 1 };

static int failed;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  bench_say("FAIL: %s\n", msg);
  failed = 1;
}

struct speed {
  uint64_t cycles;
  double cpu_s, wall_s;
};

static void speed_start(struct speed *sp) {
  sp->cpu_s = bench_now_s(CLOCK_PROCESS_CPUTIME_ID);
  sp->wall_s = bench_now_s(CLOCK_MONOTONIC);
}

static void speed_stop(struct speed *sp, uint64_t cycles) {
  sp->cycles = cycles;
  sp->cpu_s = bench_now_s(CLOCK_PROCESS_CPUTIME_ID) - sp->cpu_s;
  sp->wall_s = bench_now_s(CLOCK_MONOTONIC) - sp->wall_s;
}

static double khz(uint64_t cycles, double s) { return s > 0 ? (double)cycles / s / 1e3 : 0; }

static uint64_t rng_next(uint64_t *x) {
  *x ^= *x << 13;
  *x ^= *x >> 7;
  *x ^= *x << 17;
  return *x;
}

/* ---- (a) one tile ------------------------------------------------------------------ */

/* Where a flit entering on mesh port p leaves: straight across. */
static unsigned across(unsigned p) {
  switch (p) {
  case TILE_PORT_N: return TILE_PORT_S;
  case TILE_PORT_S: return TILE_PORT_N;
  case TILE_PORT_E: return TILE_PORT_W;
  default: return TILE_PORT_E;
  }
}

/* A destination that the router sends out of port `out` (spec 5.3). */
static void dst_for(unsigned out, noc_header *h) {
  h->dst_chip = MY_CHIP;
  h->dst_x = MY_X;
  h->dst_y = MY_Y;
  switch (out) {
  case TILE_PORT_E: h->dst_x = MY_X + 1; break;
  case TILE_PORT_W: h->dst_x = MY_X - 1; break;
  case TILE_PORT_S: h->dst_y = MY_Y + 1; break;
  default: h->dst_y = MY_Y - 1; break;
  }
}

struct injector {
  double tokens;            /* offered flits not yet sent */
  int credits[TILE_NUM_VC]; /* free slots in the router's input VC buffers */
  unsigned sent;            /* flits of the current packet sent (0: none open) */
  uint8_t vc;
  uint16_t seq;
  uint64_t flits, pkts;
};

struct tile_run {
  tile_dut *d;
  double rate;
  uint64_t rng;
  struct injector inj[TILE_MESH_PORTS];
  int credit_back[TILE_MESH_PORTS]; /* VC to return to the router's output, -1 none */
  uint64_t out_flits[TILE_MESH_PORTS], misrouted;
  uint64_t extra_credits; /* credits beyond the buffer depth returned by the router */
};

static void tile_apb_eval(void *ctx) { tile_dut_eval(ctx); }
static void tile_apb_clock(void *ctx) { tile_dut_clock(ctx); }

/* A tile out of reset with its datapath running; NULL on failure. */
static tile_dut *tile_up(void) {
  tile_dut *d = tile_dut_new(MY_CHIP, MY_X, MY_Y);
  if (!d) {
    fail("tile_dut_new failed");
    return NULL;
  }
  tile_dut_reset(d, 8);
  struct apb_bfm b;
  apb_bfm_init(&b, tile_dut_apb(d, TILE_APB_HOST));
  const struct apb_clocking clk = {d, tile_apb_eval, tile_apb_clock, 100};
  uint32_t id = 0;
  int rc = apb_bfm_read(&b, &clk, OPTILE_CSR_ID_OFFSET, &id, NULL);
  if (!rc && id != OPTILE_CSR_ID_RESET) rc = -ENODEV;
  if (!rc)
    rc = apb_bfm_write(&b, &clk, OPTILE_CSR_CTRL_OFFSET,
                       OPTILE_CSR_FIELD_PREP(OPTILE_CSR_CTRL_TILE_EN_MASK, 1), 0xF, NULL);
  for (unsigned i = 0; !rc && i < 4; i++) {
    tile_dut_eval(d);
    tile_dut_clock(d);
  }
  struct tile_obs o;
  tile_dut_eval(d);
  tile_dut_observe(d, &o);
  if (rc || !o.dp_rst_n) {
    fail("tile: host port access failed (%d, id 0x%08x) or datapath still in reset (%u)", rc,
         (unsigned)id, o.dp_rst_n);
    tile_dut_free(d);
    return NULL;
  }
  return d;
}

/* One flit of the current packet of injector `p` into *l. */
static void make_flit(struct tile_run *r, unsigned p, struct tile_link *l) {
  struct injector *a = &r->inj[p];
  noc_flit f;
  memset(&f, 0, sizeof f);
  for (unsigned j = 0; j < TILE_FLIT_WORDS / 2; j++) f.data[j] = rng_next(&r->rng);
  if (a->sent == 0) {
    noc_header h;
    memset(&h, 0, sizeof h);
    dst_for(across(p), &h);
    h.src_chip = MY_CHIP;
    h.src_x = MY_X;
    h.src_y = MY_Y;
    h.flow = p;
    h.seq = a->seq;
    h.len = PKT_LEN;
    noc_header_pack(&f, &h);
  }
  memset(l, 0, sizeof *l);
  l->valid = 1;
  l->head = a->sent == 0;
  l->tail = a->sent + 1 == PKT_LEN;
  l->vc = a->vc;
  for (unsigned j = 0; j < TILE_FLIT_WORDS / 2; j++) {
    l->flit[2 * j] = (uint32_t)f.data[j];
    l->flit[2 * j + 1] = (uint32_t)(f.data[j] >> 32);
  }
}

/* Checks a flit the router put on mesh output `p`: a head must name a
 * destination that port leads to. */
static void check_out(struct tile_run *r, unsigned p, const struct tile_link *l) {
  if (!l->head) return;
  noc_flit f;
  memset(&f, 0, sizeof f);
  f.data[0] = l->flit[0] | (uint64_t)l->flit[1] << 32;
  noc_header h, want;
  noc_header_unpack(&f, &h);
  dst_for(p, &want);
  if (h.dst_x != want.dst_x || h.dst_y != want.dst_y || h.dst_chip != want.dst_chip ||
      h.flow != (unsigned)across(p))
    r->misrouted++;
}

/* One cycle: inputs, eval, outputs, edge. `inject` 0 drains. */
static void tile_cycle(struct tile_run *r, int inject) {
  struct tile_dut_in *in = tile_dut_in(r->d);
  for (unsigned p = 0; p < TILE_MESH_PORTS; p++) {
    in->mesh_out_credit[p].valid = r->credit_back[p] >= 0;
    in->mesh_out_credit[p].vc = (uint8_t)(r->credit_back[p] >= 0 ? r->credit_back[p] : 0);
    struct tile_link *l = &in->mesh_in[p];
    struct injector *a = &r->inj[p];
    l->valid = 0;
    if (!inject && a->sent == 0) continue; /* draining: finish open packets only */
    if (inject && a->tokens < 1.0) a->tokens += r->rate;
    if ((a->tokens >= 1.0 || !inject) && a->credits[a->vc] > 0) {
      make_flit(r, p, l);
      a->credits[a->vc]--;
      if (inject) a->tokens -= 1.0;
      a->flits++;
      if (++a->sent == PKT_LEN) {
        a->sent = 0;
        a->pkts++;
        a->seq++;
        a->vc = (uint8_t)((a->vc + 1u) % TILE_NUM_VC);
      }
    }
  }
  tile_dut_eval(r->d);
  const struct tile_dut_out *o = tile_dut_out(r->d);
  for (unsigned p = 0; p < TILE_MESH_PORTS; p++) {
    if (o->mesh_in_credit[p].valid && ++r->inj[p].credits[o->mesh_in_credit[p].vc % TILE_NUM_VC] >
                                          TILE_BUF_DEPTH)
      r->extra_credits++;
    r->credit_back[p] = -1;
    if (o->mesh_out[p].valid) {
      check_out(r, p, &o->mesh_out[p]);
      r->out_flits[p]++;
      r->credit_back[p] = o->mesh_out[p].vc;
    }
  }
  tile_dut_clock(r->d);
}

/* Runs one tile for `cycles` at `rate` (0: idle) and checks it. Returns 0
 * or -1 (the message is said). */
static int tile_bench(double rate, uint64_t cycles, struct speed *sp, double *accepted) {
  struct tile_run r;
  memset(&r, 0, sizeof r);
  r.d = tile_up();
  if (!r.d) return -1;
  r.rate = rate;
  r.rng = 0x9E3779B97F4A7C15ull;
  for (unsigned p = 0; p < TILE_MESH_PORTS; p++) {
    r.credit_back[p] = -1;
    for (unsigned v = 0; v < TILE_NUM_VC; v++) r.inj[p].credits[v] = TILE_BUF_DEPTH;
  }
  const int inject = rate > 0;
  speed_start(sp);
  for (uint64_t t = 0; t < cycles; t++) tile_cycle(&r, inject);
  speed_stop(sp, cycles);
  uint64_t out_in_run = 0;
  for (unsigned p = 0; p < TILE_MESH_PORTS; p++) out_in_run += r.out_flits[p];
  if (accepted) *accepted = (double)out_in_run / (double)cycles / TILE_MESH_PORTS;

  /* drain (not timed), then every flit must have come out where it should */
  uint64_t in_total = 0, out_total = 0;
  for (unsigned k = 0; k < DRAIN_MAX; k++) {
    tile_cycle(&r, 0);
    in_total = out_total = 0;
    for (unsigned p = 0; p < TILE_MESH_PORTS; p++) {
      in_total += r.inj[p].flits;
      out_total += r.out_flits[p];
    }
    if (in_total == out_total && k >= 8) break;
  }
  struct tile_counters c;
  tile_dut_counters(r.d, &c);
  int rc = 0;
  if (in_total != out_total) {
    fail("tile at rate %.2f: %" PRIu64 " flits in, %" PRIu64 " out after the drain", rate, in_total,
         out_total);
    rc = -1;
  }
  for (unsigned p = 0; p < TILE_MESH_PORTS; p++)
    if (r.out_flits[p] != r.inj[across(p)].flits) {
      fail("tile at rate %.2f: %" PRIu64 " flits in on port %u, %" PRIu64 " out of port %u", rate,
           r.inj[across(p)].flits, across(p), r.out_flits[p], p);
      rc = -1;
    }
  if (r.misrouted) {
    fail("tile at rate %.2f: %" PRIu64 " packets on the wrong port", rate, r.misrouted);
    rc = -1;
  }
  if (r.extra_credits) {
    fail("tile at rate %.2f: the router returned %" PRIu64 " credits beyond its %d-flit buffers", rate,
         r.extra_credits, TILE_BUF_DEPTH);
    rc = -1;
  }
  if (c.rtr_err_route || c.rtr_err_proto || c.rtr_err_ovf || c.rtr_err_credit) {
    fail("tile at rate %.2f: router errors route %u proto %u ovf %u credit %u", rate, c.rtr_err_route,
         c.rtr_err_proto, c.rtr_err_ovf, c.rtr_err_credit);
    rc = -1;
  }
  if (inject && out_total == 0) {
    fail("tile at rate %.2f: no flit came out", rate);
    rc = -1;
  }
  if (!inject && out_total != 0) {
    fail("idle tile put %" PRIu64 " flits on its mesh ports", out_total);
    rc = -1;
  }
  tile_dut_free(r.d);
  return rc;
}

/* ---- (b) the two-chip system --------------------------------------------------------- */

static int system_bench(const char *fw, uint64_t cycles, struct speed *bring, struct speed *sp) {
  struct sys_cfg cfg;
  sys_cfg_default(&cfg);
  cfg.fw_elf = fw;
  cfg.seed = 1;
  char err[256] = "";
  sys_t *s = sys_create(&cfg, err, sizeof err);
  if (!s) {
    fail("system: %s", err);
    return -1;
  }
  int rc = sys_open(s, 200000);
  uint64_t t0 = sys_cycle(s);
  speed_start(bring);
  if (!rc) rc = sys_link_up(s, 3000000);
  speed_stop(bring, sys_cycle(s) - t0);
  if (rc) {
    fail("system: link bring-up: %d (%s)", rc, sys_errmsg(s));
    sys_free(s);
    return -1;
  }
  struct sys_chip_stats st0[SYS_CHIPS], st1[SYS_CHIPS];
  for (unsigned i = 0; i < SYS_CHIPS; i++) sys_chip_stats(s, i, &st0[i]);
  t0 = sys_cycle(s);
  speed_start(sp);
  rc = sys_step(s, cycles);
  speed_stop(sp, sys_cycle(s) - t0);
  if (rc || sp->cycles != cycles) {
    fail("system: sys_step: %d after %" PRIu64 " of %" PRIu64 " cycles", rc, sp->cycles, cycles);
    sys_free(s);
    return -1;
  }
  /* the link stayed up through the measured cycles */
  for (unsigned i = 0; i < SYS_CHIPS; i++) {
    sys_chip_stats(s, i, &st1[i]);
    unsigned state, up;
    uint32_t downs;
    tile_dut_phy_status(sys_tile(s, i), &state, &up, &downs);
    if (st1[i].link_down_events != st0[i].link_down_events || !up) {
      fail("system: chip %c lost the link during the run (PHY state %u)", 'A' + i, state);
      rc = -1;
    }
    int ls = optile_link_status(sys_dev(s, i));
    if (ls != 1) {
      fail("system: chip %c firmware reports the link %s (%d: %s)", 'A' + i, ls == 0 ? "not up" : "failed",
           ls, optile_last_error(sys_dev(s, i)));
      rc = -1;
    }
  }
  sys_free(s);
  return rc;
}

/* ---- callgrind ------------------------------------------------------------------------------ */

/* Instructions callgrind counts for `tile_bench --one what cycles`, or -1. */
static double callgrind_ir(const char *what, uint64_t cycles) {
  char args[128];
  snprintf(args, sizeof args, "--one %s %" PRIu64, what, cycles);
  return bench_callgrind_ir(args);
}

/* ---- main ------------------------------------------------------------------------------------- */

static int usage(void) {
  fprintf(stderr, "usage: tile_bench [-r RATE]... [-f ELF] [-o DIR] [-c M] [-s] [N]\n"
                  "       tile_bench --one idle|RATE N\n");
  return 2;
}

static int parse_rate(const char *s, double *r) {
  char *end;
  *r = strtod(s, &end);
  return *end == '\0' && *r > 0 && *r <= 1.0 ? 0 : -1;
}

static void row(const char *what, const struct speed *sp, const char *extra) {
  bench_say("%-38s %9" PRIu64 " %8.2f %8.2f %10.1f %10.1f  %s\n", what, sp->cycles, sp->cpu_s, sp->wall_s,
      khz(sp->cycles, sp->cpu_s), khz(sp->cycles, sp->wall_s), extra);
}

int main(int argc, char **argv) {
  if (argc == 4 && !strcmp(argv[1], "--one")) {
    double rate = 0;
    if (strcmp(argv[2], "idle") && parse_rate(argv[2], &rate)) return usage();
    struct speed sp;
    return tile_bench(rate, strtoull(argv[3], NULL, 0), &sp, NULL) ? 1 : 0;
  }
  double rates[MAX_RATES];
  unsigned nrates = 0;
  const char *fw = "build/fw/optile-fw.elf", *dir = "build/bench";
  uint64_t cycles = 200000, cg = 2000;
  int skip_sys = 0, opt;
  while ((opt = getopt(argc, argv, "r:f:o:c:s")) != -1) {
    switch (opt) {
    case 'r':
      if (nrates == MAX_RATES || parse_rate(optarg, &rates[nrates])) return usage();
      nrates++;
      break;
    case 'f': fw = optarg; break;
    case 'o': dir = optarg; break;
    case 'c': cg = strtoull(optarg, NULL, 0); break;
    case 's': skip_sys = 1; break;
    default: return usage();
    }
  }
  if (optind + 1 < argc) return usage();
  if (optind < argc) {
    char *end;
    cycles = strtoull(argv[optind], &end, 0);
    if (*end || cycles == 0) return usage();
  }
  if (nrates == 0) {
    rates[nrates++] = 0.25;
    rates[nrates++] = 1.0;
  }
  mkdir(dir, 0777);
  char path[512];
  snprintf(path, sizeof path, "%s/tile_bench.txt", dir);
  FILE *txt = fopen(path, "w");
  if (!txt) fprintf(stderr, "tile_bench: cannot write %s (table on stdout only)\n", path);
  bench_tee(txt);

  bench_say("tile bench: %" PRIu64 " simulated cycles per set-up; speed in kHz = 1000 simulated cycles per\n"
      "second of process CPU time and of wall time (set-up and bring-up excluded)\n\n",
      cycles);
  bench_say("%-38s %9s %8s %8s %10s %10s  %s\n", "set-up", "cycles", "CPU s", "wall s", "kHz (CPU)",
      "kHz (wall)", "notes");
  struct speed sp;
  if (tile_bench(0, cycles, &sp, NULL) == 0) row("tile, link idle, mesh idle", &sp, "datapath enabled, PHY off");
  for (unsigned k = 0; k < nrates; k++) {
    double acc = 0;
    char what[64], extra[96];
    if (tile_bench(rates[k], cycles, &sp, &acc)) continue;
    snprintf(what, sizeof what, "tile, mesh load %.2f flits/port/cycle", rates[k]);
    snprintf(extra, sizeof extra, "4 ports, %d-flit packets; accepted %.3f flits/port/cycle", PKT_LEN,
             acc);
    row(what, &sp, extra);
  }
  if (!skip_sys) {
    struct speed bring;
    if (system_bench(fw, cycles, &bring, &sp) == 0) {
      row("two-chip system, link bring-up", &bring, "sys_link_up: open done, tune, train (not N)");
      row("two-chip system, link up, mesh idle", &sp, "both chips: tile, ISS firmware, channels, driver");
    }
  }
  if (cg && system("valgrind --version >/dev/null 2>&1") == 0) {
    bench_say("\ninstructions per simulated cycle (valgrind --tool=callgrind; (Ir(2M) - Ir(M)) / M, M = %" PRIu64
        "):\n",
        cg);
    for (unsigned k = 0; k <= nrates; k++) {
      char what[32], label[64];
      if (k == 0) {
        snprintf(what, sizeof what, "idle");
        snprintf(label, sizeof label, "tile, link idle, mesh idle");
      } else {
        snprintf(what, sizeof what, "%g", rates[k - 1]);
        snprintf(label, sizeof label, "tile, mesh load %.2f flits/port/cycle", rates[k - 1]);
      }
      double a = callgrind_ir(what, cg);
      double b = a < 0 ? -1 : callgrind_ir(what, 2 * cg);
      if (a < 0 || b < 0)
        bench_say("  %-38s (callgrind failed)\n", label);
      else
        bench_say("  %-38s %10.0f\n", label, (b - a) / (double)cg);
    }
  } else if (cg) {
    bench_say("\ninstructions per simulated cycle: valgrind not installed, skipped\n");
  }
  if (txt) {
    bench_tee(NULL);
    fclose(txt);
    printf("table: %s\n", path);
  }
  return failed ? 1 : 0;
}
