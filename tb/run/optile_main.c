/* optile: run one co-simulation scenario and cross-check it (docs/spec.md
 * section 9). Exit status: 0 PASS, 1 FAIL (a check failed), 2 usage or set-up
 * error. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "run/report.h"
#include "run/runner.h"
#include "run/waves.h"

static const char *const phys_limits_note =
    "64b/66b: 96.97% of the raw lane rate; 8 x 32 Gb/s carries at most 248.24 Gb/s of payload; "
    "mesh k x k uniform random with XY routing: at most 4/k flits/node/cycle (cycle-accurate simulators "
    "saturate near 82% of it with 4 VCs); go-back-N efficiency about 1/(1 + P_flit_error x R), R the flits "
    "in flight over the replay round trip";

void runner_row_lim(struct runner *r, const char *name, const char *unit, double gold, double rtl,
                    double limit) {
  if (r->nrows >= RUNNER_MAX_ROWS) return;
  struct runner_row *w = &r->rows[r->nrows++];
  snprintf(w->name, sizeof(w->name), "%s", name);
  snprintf(w->unit, sizeof(w->unit), "%s", unit);
  w->gold = gold;
  w->rtl = rtl;
  w->limit = limit;
}

void runner_row(struct runner *r, const char *name, const char *unit, double gold, double rtl) {
  runner_row_lim(r, name, unit, gold, rtl, NAN);
}

int runner_resolve_hook(struct runner *r, char *err, size_t errlen) {
  if (!r->xc || !r->hook_port[0]) return 0;
  if (xc_hooks_resolve_port(r->xc, r->hook_port) >= 0) return 0;
  snprintf(err, errlen, "--test-hook tput:%s: no such place (places are named as in summary.json \"ports\")",
           r->hook_port);
  return -1;
}

void runner_log(struct runner *r, bool echo, const char *fmt, ...) {
  va_list ap;
  if (r->log) {
    va_start(ap, fmt);
    vfprintf(r->log, fmt, ap);
    va_end(ap);
    fputc('\n', r->log);
    fflush(r->log);
  }
  if (echo) {
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
  }
}

static void usage(FILE *f) {
  fprintf(f,
          "usage: optile [options] SCENARIO.ini\n"
          "  Runs a co-simulation scenario (tests/scenarios/*.ini), cross-checks the RTL\n"
          "  against the golden models and writes results to build/runs/<scenario>-<seed>/.\n"
          "options:\n"
          "  --seed=N            override run.seed\n"
          "  --cycles=N          override run.cycles\n"
          "  --card=NAME         energy card csim/energy/cards/NAME.ini (override energy.card)\n"
          "  --firmware=ELF      management firmware of every chip (override system.firmware)\n"
          "  --waves[=fst|vcd]   dump waves (default fst) into the run folder\n"
          "  --waves-from=C      first dumped cycle      --waves-to=C  last dumped cycle\n"
          "  --out=DIR           results folder (default build/runs/<scenario>-<seed>)\n"
          "  --set=SECTION.KEY=VALUE  override any scenario key\n"
          "  --no-check          bare RTL: no golden models, no scoreboards (benchmarks)\n"
          "  --quiet             no terminal table\n"
          "  --test-hook=SPEC    test only: energy-miss:COMPONENT[:N] (an RTL activity counter\n"
          "                      misses N events) or tput:PLACE:WINDOW[:BITS] (RTL port PLACE\n"
          "                      delivers BITS more in window WINDOW) or lane-word:CHIP:LANE:CYCLE\n"
          "                      (the monitor sees bit 0 of that RTL lane word flipped; two-chip) or\n"
          "                      dp-rst:CHIP:CYCLE (the datapath-reset monitor sees dp_rst_n inverted) or\n"
          "                      ni-obs:CHIP:CYCLE (the NI shadow sees bit 0 of dma_tx_head flipped)\n"
          "exit status: 0 PASS, 1 FAIL, 2 bad options, scenario or set-up\n");
}

/* CPU seconds of this process (less disturbed than wall time on a shared machine). */
static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* a + b into buf; -1 if it does not fit. */
static int cat2(char *buf, size_t n, const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la + lb + 1 > n) {
    if (n) buf[0] = 0;
    return -1;
  }
  memcpy(buf, a, la);
  memcpy(buf + la, b, lb + 1);
  return 0;
}

/* Line of `section.key` in an INI file (0 if absent): for messages about a
 * value whose problem is found after parsing. */
static int key_line(const char *path, const char *section, const char *key) {
  FILE *f = path[0] ? fopen(path, "r") : NULL;
  if (!f) return 0;
  char line[512], sec[64] = "";
  int n = 0, found = 0;
  while (!found && fgets(line, sizeof(line), f)) {
    n++;
    char *p = line + strspn(line, " \t");
    if (*p == '[') {
      snprintf(sec, sizeof(sec), "%.*s", (int)strcspn(p + 1, "]"), p + 1);
    } else if (!strcmp(sec, section) && !strncmp(p, key, strlen(key)) &&
               strchr(" \t=:", p[strlen(key)])) {
      found = n;
    }
  }
  fclose(f);
  return found;
}

static int mkdirs(const char *path) {
  char buf[600];
  snprintf(buf, sizeof(buf), "%s", path);
  for (char *p = buf + 1; *p; p++)
    if (*p == '/') {
      *p = 0;
      if (mkdir(buf, 0777) && errno != EEXIST) return -1;
      *p = '/';
    }
  return (mkdir(buf, 0777) && errno != EEXIST) ? -1 : 0;
}

static void fmtv(char *b, size_t n, double v) {
  if (isnan(v)) snprintf(b, n, "%12s", "n/a");
  else snprintf(b, n, "%12.4g", v);
}

static void print_table(struct runner *r, FILE *f) {
  char g[32], a[32], l[32];
  fprintf(f, "\n%-34s %12s %12s %12s  %s\n", "figure", "golden", "RTL", "limit", "unit");
  for (int i = 0; i < r->nrows; i++) {
    fmtv(g, sizeof(g), r->rows[i].gold);
    fmtv(a, sizeof(a), r->rows[i].rtl);
    if (isnan(r->rows[i].limit)) snprintf(l, sizeof(l), "%12s", "");
    else fmtv(l, sizeof(l), r->rows[i].limit);
    fprintf(f, "%-34s %s %s %s  %s\n", r->rows[i].name, g, a, l, r->rows[i].unit);
  }
  if (r->have_energy) {
    fprintf(f, "%-34s %12s %12s  %s\n", "energy per payload bit", "", "", "pJ/bit");
    for (int c = 0; c < ENERGY_NUM_COMPONENTS; c++) {
      double pb_g = r->rep_gold.payload_bits ? energy_report_component_pj(&r->rep_gold, c) / (double)r->rep_gold.payload_bits : NAN;
      double pb_r = r->rep_rtl.payload_bits ? energy_report_component_pj(&r->rep_rtl, c) / (double)r->rep_rtl.payload_bits : NAN;
      fmtv(g, sizeof(g), pb_g);
      fmtv(a, sizeof(a), pb_r);
      fprintf(f, "  %-32s %s %s  %s\n", energy_component_name(c), g, a,
              energy_component_is_static(c) ? "static" : "dynamic");
    }
    fmtv(g, sizeof(g), r->rep_gold.pj_per_payload_bit);
    fmtv(a, sizeof(a), r->rep_rtl.pj_per_payload_bit);
    fprintf(f, "  %-32s %s %s  (card %s)\n", "total", g, a, energy_card_name(r->card));
    fmtv(g, sizeof(g), r->rep_gold.utilisation);
    fmtv(a, sizeof(a), r->rep_rtl.utilisation);
    fprintf(f, "%-34s %s %s  %s\n", "link line utilisation", g, a, "bits sent / capacity");
    fmtv(g, sizeof(g), r->rep_gold.link_pj_per_line_bit);
    fmtv(a, sizeof(a), r->rep_rtl.link_pj_per_line_bit);
    fprintf(f, "%-34s %s %s  %s\n", "link energy per line bit", g, a, "pJ/bit at that utilisation");
  }
}

static void write_report(struct runner *r, const char *title, double secs, bool pass) {
  char err[512];
  struct report *rp = report_new(r->outdir, title, err, sizeof(err));
  if (!rp) {
    runner_log(r, true, "optile: report: %s", err);
    return;
  }
  char *buf = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&buf, &len);
  fprintf(m, "<p>Verdict: <span class=\"%s\">%s</span>. Scenario <code>%s</code>, seed %" PRIu64
             ", %" PRIu64 " cycles in %.1f s; energy card %s. %s</p>\n",
          pass ? "pass" : "fail", pass ? "PASS" : "FAIL", r->s.path, r->s.seed, r->cycles_run, secs,
          r->card ? energy_card_name(r->card) : "-", r->stopped);
  fprintf(m, "<p>Physical limits: %s.</p>\n<table><tr><th>figure</th><th>golden</th><th>RTL</th><th>limit</th><th>unit</th></tr>\n",
          phys_limits_note);
  for (int i = 0; i < r->nrows; i++)
    fprintf(m, "<tr><td style=\"text-align:left\">%s</td><td>%.6g</td><td>%.6g</td><td>%.6g</td><td>%s</td></tr>\n",
            r->rows[i].name, r->rows[i].gold, r->rows[i].rtl, r->rows[i].limit, r->rows[i].unit);
  fprintf(m, "</table>\n<h2>Checks</h2><table><tr><th>group</th><th>check</th><th>result</th><th style=\"text-align:left\">detail</th></tr>\n");
  fclose(m);
  report_html(rp, buf);
  free(buf);
  for (size_t i = 0; i < r->res.n; i++) {
    const struct check *c = &r->res.checks[i];
    report_html(rp, "<tr><td>");
    report_text(rp, "span", c->group);
    report_html(rp, "</td><td style=\"text-align:left\">");
    report_text(rp, "span", c->name);
    report_html(rp, c->pass ? "</td><td class=\"pass\">pass</td><td style=\"text-align:left\">"
                            : "</td><td class=\"fail\">FAIL</td><td style=\"text-align:left\">");
    report_text(rp, "span", c->msg);
    report_html(rp, "</td></tr>\n");
  }
  report_html(rp, "</table>\n");
  if (r->xc) {
    /* throughput per port over time: the busiest ports (up to 6) */
    size_t np = xc_nports(r->xc), pick[6], npick = 0;
    for (size_t i = 0; i < np; i++) {
      const struct xc_port *p = xc_port(r->xc, i);
      if (!p->tput || !p->nwin || !p->total[XC_RTL]) continue;
      if (npick < 6) pick[npick++] = i;
      else {
        size_t lo = 0;
        for (size_t k = 1; k < 6; k++)
          if (xc_port(r->xc, pick[k])->total[XC_RTL] < xc_port(r->xc, pick[lo])->total[XC_RTL]) lo = k;
        if (p->total[XC_RTL] > xc_port(r->xc, pick[lo])->total[XC_RTL]) pick[lo] = i;
      }
    }
    if (npick) {
      m = open_memstream(&buf, &len);
      size_t nw = xc_port(r->xc, pick[0])->nwin;
      double win = xc_window(r->xc);
      for (size_t w = 0; w < nw; w++) {
        fprintf(m, "%zu", w * xc_window(r->xc));
        for (size_t k = 0; k < npick; k++) {
          const struct xc_port *p = xc_port(r->xc, pick[k]);
          fprintf(m, " %.6g %.6g", w < p->nwin ? p->win[XC_GOLD][w] / win : 0,
                  w < p->nwin ? p->win[XC_RTL][w] / win : 0);
        }
        fprintf(m, "\n");
      }
      fclose(m);
      char plot[4096];
      size_t o = (size_t)snprintf(plot, sizeof(plot),
                                  "set xlabel 'cycle'\nset ylabel 'Gb/s (bits per cycle at 1 GHz)'\nplot ");
      for (size_t k = 0; k < npick && o < sizeof(plot); k++)
        o += (size_t)snprintf(plot + o, sizeof(plot) - o,
                              "%s'tput.dat' using 1:%zu with lines title '%s RTL', 'tput.dat' using 1:%zu "
                              "with points pt 6 ps 0.5 title '%s golden'",
                              k ? ", " : "", 3 + 2 * k, xc_port(r->xc, pick[k])->place, 2 + 2 * k,
                              xc_port(r->xc, pick[k])->place);
      report_plot(rp, "tput", "Throughput per port and window (RTL lines, golden points)", buf, plot);
      free(buf);
    }
    if (xc_latency_count(r->xc, XC_RTL) || xc_latency_count(r->xc, XC_GOLD)) {
      m = open_memstream(&buf, &len);
      for (unsigned v = 0; v < XC_LAT_BINS; v++) {
        uint64_t g = xc_latency_bin(r->xc, XC_GOLD, v), a = xc_latency_bin(r->xc, XC_RTL, v);
        if (g || a) fprintf(m, "%u %" PRIu64 " %" PRIu64 "\n", v, g, a);
      }
      fclose(m);
      report_plot(rp, "latency", "Packet latency distribution (cycles; last bin: 511 or more)", buf,
                  "set xlabel 'latency, cycles'\nset ylabel 'packets'\nset style fill solid 0.5\n"
                  "plot 'latency.dat' using 1:3 with boxes title 'RTL', 'latency.dat' using 1:2 with "
                  "points pt 7 ps 0.6 title 'golden'");
      free(buf);
    }
  }
  if (r->have_energy) {
    m = open_memstream(&buf, &len);
    for (int c = 0; c < ENERGY_NUM_COMPONENTS; c++)
      fprintf(m, "%d %s %.9g %.9g\n", c, energy_component_name(c), energy_report_component_pj(&r->rep_gold, c),
              energy_report_component_pj(&r->rep_rtl, c));
    fclose(m);
    report_plot(rp, "energy", "Energy per component, pJ (golden and RTL through the same card)", buf,
                "set style data histograms\nset style histogram clustered\nset style fill solid 0.6\n"
                "set xtics rotate by -30\nset ylabel 'pJ'\n"
                "plot 'energy.dat' using 3:xtic(2) title 'golden', '' using 4 title 'RTL'");
    free(buf);
  }
  if (report_finish(rp, err, sizeof(err))) runner_log(r, true, "optile: report: %s", err);
}

int main(int argc, char **argv) {
  struct runner R, *r = &R;
  memset(r, 0, sizeof(*r));
  r->checks = true;
  scenario_defaults(&r->s);
  enum { O_SEED = 256, O_CYCLES, O_CARD, O_WAVES, O_WFROM, O_WTO, O_OUT, O_SET, O_NOCHECK, O_QUIET, O_HOOK, O_HELP, O_FW };
  static const struct option opts[] = {
      {"seed", required_argument, 0, O_SEED},         {"cycles", required_argument, 0, O_CYCLES},
      {"card", required_argument, 0, O_CARD},         {"waves", optional_argument, 0, O_WAVES},
      {"waves-from", required_argument, 0, O_WFROM},  {"waves-to", required_argument, 0, O_WTO},
      {"out", required_argument, 0, O_OUT},           {"set", required_argument, 0, O_SET},
      {"no-check", no_argument, 0, O_NOCHECK},        {"quiet", no_argument, 0, O_QUIET},
      {"test-hook", required_argument, 0, O_HOOK},    {"help", no_argument, 0, O_HELP},
      {"firmware", required_argument, 0, O_FW},
      {0, 0, 0, 0}};
  /* options are collected first and applied over the file */
  struct { const char *key; char val[256]; } ov[64];
  int nov = 0;
  const char *out = NULL;
  bool quiet = false, card_from_cli = false;
  char hook_port[64] = "";
  struct xc_hooks hooks;
  xc_hooks_none(&hooks);
  char err[1024];
  opterr = 0;
  int c;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if (nov >= 60) {
      fprintf(stderr, "optile: too many options\n");
      return 2;
    }
    switch (c) {
      case O_SEED: ov[nov].key = "run.seed"; snprintf(ov[nov++].val, 256, "%s", optarg); break;
      case O_CYCLES: ov[nov].key = "run.cycles"; snprintf(ov[nov++].val, 256, "%s", optarg); break;
      case O_FW: ov[nov].key = "system.firmware"; snprintf(ov[nov++].val, 256, "%s", optarg); break;
      case O_CARD: card_from_cli = true; ov[nov].key = "energy.card"; snprintf(ov[nov++].val, 256, "%s", optarg); break;
      case O_WAVES: ov[nov].key = "run.waves"; snprintf(ov[nov++].val, 256, "%s", optarg ? optarg : "fst"); break;
      case O_WFROM: ov[nov].key = "run.waves_from"; snprintf(ov[nov++].val, 256, "%s", optarg); break;
      case O_WTO: ov[nov].key = "run.waves_to"; snprintf(ov[nov++].val, 256, "%s", optarg); break;
      case O_OUT: out = optarg; break;
      case O_SET: {
        static char keys[64][64];
        const char *eq = strchr(optarg, '=');
        if (!eq || eq == optarg || (size_t)(eq - optarg) >= sizeof(keys[0])) {
          fprintf(stderr, "optile: --set %s: expected SECTION.KEY=VALUE\n", optarg);
          return 2;
        }
        snprintf(keys[nov], sizeof(keys[0]), "%.*s", (int)(eq - optarg), optarg);
        ov[nov].key = keys[nov];
        snprintf(ov[nov++].val, 256, "%s", eq + 1);
        break;
      }
      case O_NOCHECK: r->checks = false; break;
      case O_QUIET: quiet = true; break;
      case O_HOOK:
        if (xc_hooks_parse(&hooks, hook_port, sizeof(hook_port), optarg, err, sizeof(err))) {
          fprintf(stderr, "optile: %s\n", err);
          return 2;
        }
        break;
      case O_HELP:
      case 'h': usage(stdout); return 0;
      default:
        fprintf(stderr, "optile: %s: unknown option or missing value (optile --help)\n", argv[optind - 1]);
        return 2;
    }
  }
  if (optind != argc - 1) {
    fprintf(stderr, "optile: expected one scenario file, got %d (optile --help)\n", argc - optind);
    return 2;
  }
  if (scenario_load(&r->s, argv[optind], err, sizeof(err))) {
    fprintf(stderr, "optile: %s\n", err);
    return 2;
  }
  for (int i = 0; i < nov; i++) {
    if (scenario_set(&r->s, ov[i].key, ov[i].val, err, sizeof(err))) {
      fprintf(stderr, "optile: command line: %s\n", err);
      return 2;
    }
  }
  if (scenario_validate(&r->s, err, sizeof(err))) {
    fprintf(stderr, "optile: %s (after command-line overrides)\n", err);
    return 2;
  }
  if (r->s.waves == SCN_WAVES_VCD && waves_fst2vcd_check(waves_fst2vcd_prog(), err, sizeof(err))) {
    fprintf(stderr, "optile: %s\n", err);
    return 2;
  }
  /* a window may reach past run.cycles: the two-chip system is still checked
   * (and dumped) while its drivers close (spec 9.4) */
  /* results folder */
  char seedtxt[32];
  snprintf(seedtxt, sizeof(seedtxt), "-%" PRIu64, r->s.seed);
  char dflt[160];
  cat2(dflt, sizeof(dflt), "build/runs/", r->s.name);
  cat2(dflt + strlen(dflt), sizeof(dflt) - strlen(dflt), "", seedtxt);
  if (cat2(r->outdir, sizeof(r->outdir), out ? out : dflt, "")) {
    fprintf(stderr, "optile: --out: path too long\n");
    return 2;
  }
  char path[700];
  cat2(path, sizeof(path), r->outdir, "/waves");
  if (mkdirs(r->outdir) || (r->s.waves != SCN_WAVES_NONE && mkdirs(path))) {
    fprintf(stderr, "optile: %s: cannot create: %s\n", r->outdir, strerror(errno));
    return 2;
  }
  cat2(path, sizeof(path), r->outdir, "/optile.log");
  r->log = fopen(path, "w");
  if (!r->log) {
    fprintf(stderr, "optile: %s: cannot write: %s\n", path, strerror(errno));
    return 2;
  }
  /* energy card */
  cat2(path, sizeof(path), "csim/energy/cards/", r->s.card);
  cat2(path + strlen(path), sizeof(path) - strlen(path), "", ".ini");
  if (energy_card_load(path, &r->card, err, sizeof(err))) {
    int ln = card_from_cli ? 0 : key_line(r->s.path, "energy", "card");
    if (ln) fprintf(stderr, "optile: %s:%d: energy.card = %s: %s\n", r->s.path, ln, r->s.card, err);
    else if (card_from_cli) fprintf(stderr, "optile: --card=%s: %s\n", r->s.card, err);
    else fprintf(stderr, "optile: energy.card = %s (default): %s\n", r->s.card, err);
    fclose(r->log);
    return 2;
  }
  if (results_init(&r->res)) {
    fprintf(stderr, "optile: out of memory\n");
    return 2;
  }
  if (r->s.waves != SCN_WAVES_NONE) {
    cat2(r->waves_path, sizeof(r->waves_path), r->outdir, "/waves");
  }
  struct xc_config xcfg = {.window = r->s.window,
                           .tput_tolerance = r->s.throughput_tolerance,
                           .energy_tolerance = r->s.energy_tolerance,
                           .stop_on_mismatch = r->s.stop_on_mismatch,
                           .waves = r->waves_path,
                           .waves_from = r->s.waves_from,
                           .waves_to = r->s.waves_to,
                           .log = r->log};
  if (r->checks) {
    r->xc = xc_new(&xcfg, &r->res);
    if (!r->xc) {
      fprintf(stderr, "optile: out of memory\n");
      return 2;
    }
    xc_set_hooks(r->xc, &hooks);
  }
  runner_log(r, !quiet, "optile: scenario %s (%s), seed %" PRIu64 ", %" PRIu64 " cycles, card %s, checks %s -> %s",
             r->s.path, scenario_system_name(r->s.system), r->s.seed, r->s.cycles, energy_card_name(r->card),
             r->checks ? "on" : "off", r->outdir);
  if (hooks.energy_miss_component >= 0 || hook_port[0] || hooks.lane_chip >= 0 || hooks.dprst_chip >= 0 ||
      hooks.ni_chip >= 0)
    runner_log(r, !quiet, "optile: TEST HOOK active: the monitor layer misreports on purpose");
  progress_start(&r->prog, r->s.cycles, !quiet);
  double t0 = progress_now(), c0 = cpu_now();
  int rc;
  snprintf(r->hook_port, sizeof(r->hook_port), "%s", hook_port);
  switch (r->s.system) {
    case SCN_SYS_MESH: rc = sys_mesh_run(r, err, sizeof(err)); break;
    case SCN_SYS_TWO_CHIP: rc = sys_two_chip_run(r, err, sizeof(err)); break;
    default:
      snprintf(err, sizeof(err), "%.400s: system.type = %s: not supported by this runner (mesh, two-chip)",
               r->s.path, scenario_system_name(r->s.system));
      rc = -1;
  }
  double secs = progress_now() - t0, cpu = cpu_now() - c0;
  progress_end(&r->prog, r->cycles_run);
  if (rc) {
    fprintf(stderr, "optile: %s\n", err);
    runner_log(r, false, "optile: set-up error: %s", err);
    fclose(r->log);
    xc_free(r->xc);
    energy_card_free(r->card);
    results_free(&r->res);
    return 2;
  }
  /* checks and figures */
  if (r->xc) {
    xc_report_checks(r->xc);
    if (r->have_energy) {
      int e = xc_energy(r->xc, r->card, &r->act_gold, &r->act_rtl, &r->rep_gold, &r->rep_rtl, err, sizeof(err));
      if (e < 0) results_check(&r->res, "energy", "activity", false, "%s", err);
      json_t *ej = json_object();
      json_object_set_new(ej, "golden", energy_report_json(&r->rep_gold));
      json_object_set_new(ej, "rtl", energy_report_json(&r->rep_rtl));
      json_object_set_new(r->res.summary, "energy", ej);
    }
  }
  if (r->stopped[0]) results_check(&r->res, "run", "ran to the end", false, "%s", r->stopped);
  json_t *sm = r->res.summary;
  json_object_set_new(sm, "scenario", json_string(r->s.name));
  json_object_set_new(sm, "scenario_file", json_string(r->s.path));
  json_object_set_new(sm, "system", json_string(scenario_system_name(r->s.system)));
  json_object_set_new(sm, "seed", json_integer((json_int_t)r->s.seed));
  json_object_set_new(sm, "cycles", json_integer((json_int_t)r->cycles_run));
  json_object_set_new(sm, "wall_seconds", json_real(secs));
  json_object_set_new(sm, "simulated_khz", json_real(secs > 0 ? (double)r->cycles_run / secs / 1e3 : 0));
  json_object_set_new(sm, "cpu_seconds", json_real(cpu));
  json_object_set_new(sm, "simulated_khz_cpu", json_real(cpu > 0 ? (double)r->cycles_run / cpu / 1e3 : 0));
  json_object_set_new(sm, "checks_on", json_boolean(r->checks));
  json_object_set_new(sm, "card", json_string(energy_card_name(r->card)));
  json_t *rows = json_array();
  for (int i = 0; i < r->nrows; i++)
    json_array_append_new(rows, json_pack("{s:s, s:s, s:o, s:o, s:o}", "figure", r->rows[i].name, "unit", r->rows[i].unit,
                                          "golden", isnan(r->rows[i].gold) ? json_null() : json_real(r->rows[i].gold),
                                          "rtl", isnan(r->rows[i].rtl) ? json_null() : json_real(r->rows[i].rtl),
                                          "limit", isnan(r->rows[i].limit) ? json_null() : json_real(r->rows[i].limit)));
  json_object_set_new(sm, "figures", rows);
  if (r->links) json_object_set_new(sm, "link_events", r->links);
  json_object_set_new(sm, "physical_limits",
                      json_pack("{s:f, s:f, s:f, s:f, s:s}", "coding_64b66b_efficiency", 64.0 / 66.0,
                                "payload_max_gbps_8x32", 8 * 32 * 64.0 / 66.0, "payload_max_gbps_this_link",
                                r->s.lanes * 32 * 64.0 / 66.0, "mesh_uniform_bound_flits_per_node_cycle",
                                4.0 / r->s.mesh_k, "note", phys_limits_note));
  if (r->s.waves != SCN_WAVES_NONE) json_object_set_new(sm, "waves", json_string(r->waves_path));
  bool pass = r->checks ? results_failed(&r->res) == 0 : true;
  if (!r->checks) results_check(&r->res, "run", "bare RTL run (checks off)", true, "%" PRIu64 " cycles", r->cycles_run);
  cat2(path, sizeof(path), r->outdir, "/summary.json");
  if (results_write_summary(&r->res, path, err, sizeof(err))) runner_log(r, true, "optile: %s", err);
  cat2(path, sizeof(path), r->outdir, "/junit.xml");
  char suite[128];
  cat2(suite, sizeof(suite), r->s.name, seedtxt);
  if (results_write_junit(&r->res, suite, secs, path, err, sizeof(err))) runner_log(r, true, "optile: %s", err);
  write_report(r, suite, secs, pass);
  for (size_t i = 0; i < r->res.n; i++)
    if (!r->res.checks[i].pass) runner_log(r, !quiet, "FAIL [%s] %s: %s", r->res.checks[i].group, r->res.checks[i].name, r->res.checks[i].msg);
  if (r->log) print_table(r, r->log);
  if (!quiet) {
    print_table(r, stdout);
    printf("\n%zu checks, %zu failed; %" PRIu64 " cycles in %.1f s (%.1f kHz); results in %s/\n", r->res.n,
           results_failed(&r->res), r->cycles_run, secs, secs > 0 ? (double)r->cycles_run / secs / 1e3 : 0, r->outdir);
    printf("verdict: %s\n", pass ? "PASS" : "FAIL");
  }
  runner_log(r, false, "verdict: %s (%zu checks, %zu failed)", pass ? "PASS" : "FAIL", r->res.n, results_failed(&r->res));
  fclose(r->log);
  xc_free(r->xc);
  energy_card_free(r->card);
  results_free(&r->res);
  return pass ? 0 : 1;
}
