/* Cross-check scoreboards (see xc.h). */
#include "xcheck/xc.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct lat {
  uint32_t *v;
  size_t n, cap;
  bool sorted;
  uint64_t bins[XC_LAT_BINS];
  double sum;
};

struct xc {
  struct xc_config cfg;
  struct results *res;
  struct xc_hooks hooks;
  struct xc_port *ports;
  size_t nports, capports;
  uint64_t mismatches, compared;
  struct xc_mismatch first;
  uint64_t windows_closed;
  uint64_t window_start;
  struct lat lat[2];
  char waves[512];
};

static void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n);
  if (!q) {
    fprintf(stderr, "optile: xcheck: out of memory\n");
    abort();
  }
  return q;
}

void xc_hooks_none(struct xc_hooks *h) {
  memset(h, 0, sizeof(*h));
  h->energy_miss_component = -1;
  h->tput_port = -1;
  h->lane_chip = -1;
  h->dprst_chip = -1;
  h->ni_chip = -1;
}

const struct xc_hooks *xc_get_hooks(const xc_t *x) { return &x->hooks; }

xc_t *xc_new(const struct xc_config *cfg, struct results *res) {
  xc_t *x = calloc(1, sizeof(*x));
  if (!x) return NULL;
  x->cfg = *cfg;
  if (!x->cfg.window) x->cfg.window = 1024;
  if (!x->cfg.log_limit) x->cfg.log_limit = 10;
  snprintf(x->waves, sizeof(x->waves), "%s", cfg->waves ? cfg->waves : "");
  x->cfg.waves = x->waves;
  x->res = res;
  xc_hooks_none(&x->hooks);
  return x;
}

void xc_free(xc_t *x) {
  if (!x) return;
  for (size_t i = 0; i < x->nports; i++) {
    free(x->ports[i].win[0]);
    free(x->ports[i].win[1]);
  }
  free(x->ports);
  free(x->lat[0].v);
  free(x->lat[1].v);
  free(x);
}

void xc_set_hooks(xc_t *x, const struct xc_hooks *h) { x->hooks = *h; }

int xc_hooks_parse(struct xc_hooks *h, char *port_name, size_t port_name_len, const char *spec,
                   char *err, size_t errlen) {
  char buf[160], *save = NULL;
  snprintf(buf, sizeof(buf), "%s", spec);
  char *kind = strtok_r(buf, ":", &save);
  char *a = strtok_r(NULL, ":", &save);
  char *b = strtok_r(NULL, ":", &save);
  char *c = strtok_r(NULL, ":", &save);
  char *end;
  if (kind && !strcmp(kind, "energy-miss") && a) {
    int found = -1;
    for (int i = 0; i < ENERGY_NUM_COMPONENTS; i++)
      if (!strcmp(a, energy_component_name((energy_component_t)i))) found = i;
    if (found < 0) {
      snprintf(err, errlen, "--test-hook %s: '%s' is not an energy component", spec, a);
      return -1;
    }
    h->energy_miss_component = found;
    h->energy_miss_events = 1;
    if (b) {
      h->energy_miss_events = strtoull(b, &end, 0);
      if (*end || !h->energy_miss_events) {
        snprintf(err, errlen, "--test-hook %s: '%s' is not a positive count", spec, b);
        return -1;
      }
    }
    return 0;
  }
  if (kind && !strcmp(kind, "tput") && a && b) {
    snprintf(port_name, port_name_len, "%s", a);
    h->tput_window = strtoull(b, &end, 0);
    if (*end) {
      snprintf(err, errlen, "--test-hook %s: '%s' is not a window number", spec, b);
      return -1;
    }
    h->tput_bits = 256;
    if (c) {
      h->tput_bits = strtoull(c, &end, 0);
      if (*end || !h->tput_bits) {
        snprintf(err, errlen, "--test-hook %s: '%s' is not a positive bit count", spec, c);
        return -1;
      }
    }
    return 0;
  }
  if (kind && !strcmp(kind, "lane-word") && a && b && c) {
    if ((strcmp(a, "A") && strcmp(a, "B"))) {
      snprintf(err, errlen, "--test-hook %s: '%s' is not a chip (A or B)", spec, a);
      return -1;
    }
    unsigned long lane = strtoul(b, &end, 0);
    if (*end || !*b || lane > 7) {
      snprintf(err, errlen, "--test-hook %s: '%s' is not a lane (0..7)", spec, b);
      return -1;
    }
    h->lane_cycle = strtoull(c, &end, 0);
    if (*end || !*c) {
      snprintf(err, errlen, "--test-hook %s: '%s' is not a cycle", spec, c);
      return -1;
    }
    h->lane_chip = a[0] - 'A';
    h->lane_idx = (unsigned)lane;
    return 0;
  }
  if (kind && !strcmp(kind, "dp-rst") && a && b) {
    if ((strcmp(a, "A") && strcmp(a, "B"))) {
      snprintf(err, errlen, "--test-hook %s: '%s' is not a chip (A or B)", spec, a);
      return -1;
    }
    h->dprst_cycle = strtoull(b, &end, 0);
    if (*end || !*b) {
      snprintf(err, errlen, "--test-hook %s: '%s' is not a cycle", spec, b);
      return -1;
    }
    h->dprst_chip = a[0] - 'A';
    return 0;
  }
  if (kind && !strcmp(kind, "ni-obs") && a && b) {
    if ((strcmp(a, "A") && strcmp(a, "B"))) {
      snprintf(err, errlen, "--test-hook %s: '%s' is not a chip (A or B)", spec, a);
      return -1;
    }
    h->ni_cycle = strtoull(b, &end, 0);
    if (*end || !*b) {
      snprintf(err, errlen, "--test-hook %s: '%s' is not a cycle", spec, b);
      return -1;
    }
    h->ni_chip = a[0] - 'A';
    return 0;
  }
  snprintf(err, errlen,
           "--test-hook %s: expected energy-miss:COMPONENT[:N], tput:PLACE:WINDOW[:BITS], "
           "lane-word:CHIP:LANE:CYCLE, dp-rst:CHIP:CYCLE or ni-obs:CHIP:CYCLE",
           spec);
  return -1;
}

int xc_hooks_resolve_port(xc_t *x, const char *name) {
  for (size_t i = 0; i < x->nports; i++)
    if (!strcmp(x->ports[i].place, name)) {
      x->hooks.tput_port = (int)i;
      return (int)i;
    }
  return -1;
}

/* ---- data ---------------------------------------------------------------- */

void xc_set_waves(xc_t *x, const char *where) {
  snprintf(x->waves, sizeof(x->waves), "%s", where ? where : "");
}

/* Where the waves for cycles [from, to] are, or how to get them. */
static void hint_range(const xc_t *x, uint64_t from, uint64_t to, char *buf, size_t n) {
  bool covered = x->waves[0] && from >= x->cfg.waves_from && (!x->cfg.waves_to || to <= x->cfg.waves_to);
  if (covered)
    snprintf(buf, n, "waves: %s", x->waves);
  else if (x->waves[0])
    snprintf(buf, n, "waves: %s does not cover it; rerun with --waves-from=%" PRIu64 " --waves-to=%" PRIu64,
             x->waves, from, to);
  else
    snprintf(buf, n, "no waves dumped; rerun with --waves --waves-from=%" PRIu64 " --waves-to=%" PRIu64, from, to);
}

void xc_waves_hint(const xc_t *x, uint64_t cycle, char *buf, size_t n) {
  hint_range(x, cycle > 200 ? cycle - 200 : 0, cycle + 50, buf, n);
}

/* Record a mismatch at `cycle`; the waves that show it start at `from`. */
static void mismatch_range(xc_t *x, uint64_t cycle, uint64_t from, int port, const char *what,
                           const char *expected, const char *actual) {
  struct xc_port *p = &x->ports[port];
  struct xc_mismatch m;
  m.cycle = cycle;
  snprintf(m.place, sizeof(m.place), "%s", p->place);
  snprintf(m.what, sizeof(m.what), "%s", what);
  snprintf(m.expected, sizeof(m.expected), "%s", expected);
  snprintf(m.actual, sizeof(m.actual), "%s", actual);
  if (!x->mismatches) x->first = m;
  if (!p->mismatched) p->first = m;
  x->mismatches++;
  p->mismatched++;
  if (x->cfg.log && p->mismatched <= x->cfg.log_limit) {
    char hint[600];
    hint_range(x, from, cycle + 50, hint, sizeof(hint));
    fprintf(x->cfg.log, "MISMATCH cycle %" PRIu64 " at %s: %s: expected (golden) %s, actual (RTL) %s; %s\n",
            cycle, m.place, what, expected, actual, hint);
    if (p->mismatched == x->cfg.log_limit)
      fprintf(x->cfg.log, "  (further mismatches at %s are counted, not listed)\n", m.place);
  }
}

void xc_mismatch(xc_t *x, uint64_t cycle, int port, const char *what, const char *expected,
                 const char *actual) {
  mismatch_range(x, cycle, cycle > 200 ? cycle - 200 : 0, port, what, expected, actual);
}

static void fmt_words(char *buf, size_t n, bool valid, const uint64_t *w, unsigned nw, unsigned at) {
  if (!valid) {
    snprintf(buf, n, "nothing (valid=0)");
    return;
  }
  snprintf(buf, n, "word%u=0x%016" PRIx64 " (of %u)", at, w[at], nw);
}

bool xc_data(xc_t *x, uint64_t cycle, int port, const char *what, bool exp_valid,
             const uint64_t *expected, bool act_valid, const uint64_t *actual, unsigned n) {
  if (!exp_valid && !act_valid) return true;
  unsigned at = 0;
  bool eq = exp_valid == act_valid;
  if (eq)
    for (at = 0; at < n; at++)
      if (expected[at] != actual[at]) {
        eq = false;
        break;
      }
  x->compared++;
  x->ports[port].compared++;
  if (eq) return true;
  if (at >= n) at = 0;
  char e[192], a[192];
  fmt_words(e, sizeof(e), exp_valid, expected, n, at);
  fmt_words(a, sizeof(a), act_valid, actual, n, at);
  xc_mismatch(x, cycle, port, what, e, a);
  return false;
}

void xc_matched(xc_t *x, int port, uint64_t n) {
  x->compared += n;
  x->ports[port].compared += n;
}

uint64_t xc_mismatches(const xc_t *x) { return x->mismatches; }
uint64_t xc_compared(const xc_t *x) { return x->compared; }
const struct xc_mismatch *xc_first_mismatch(const xc_t *x) { return x->mismatches ? &x->first : NULL; }
bool xc_should_stop(const xc_t *x) { return x->cfg.stop_on_mismatch && x->mismatches; }

/* ---- throughput ------------------------------------------------------------ */

int xc_port_add(xc_t *x, const char *place, bool tput) {
  if (x->nports == x->capports) {
    x->capports = x->capports ? 2 * x->capports : 32;
    x->ports = xrealloc(x->ports, x->capports * sizeof(*x->ports));
  }
  struct xc_port *p = &x->ports[x->nports];
  memset(p, 0, sizeof(*p));
  snprintf(p->place, sizeof(p->place), "%s", place);
  p->tput = tput;
  return (int)x->nports++;
}

struct xc_port *xc__port_mut(xc_t *x, int port) { return &x->ports[port]; }
size_t xc_nports(const xc_t *x) { return x->nports; }
const struct xc_port *xc_port(const xc_t *x, size_t i) { return i < x->nports ? &x->ports[i] : NULL; }
uint32_t xc_window(const xc_t *x) { return x->cfg.window; }

static double rel_dev(uint64_t g, uint64_t r) {
  if (g == r) return 0;
  double m = (double)(g > r ? g : r);
  return fabs((double)g - (double)r) / m;
}

static void close_window(xc_t *x, uint64_t end_cycle) {
  uint64_t w = x->windows_closed;
  for (size_t i = 0; i < x->nports; i++) {
    struct xc_port *p = &x->ports[i];
    if (!p->tput) continue;
    if ((int)i == x->hooks.tput_port && w == x->hooks.tput_window) p->cur[XC_RTL] += x->hooks.tput_bits;
    if (p->nwin == p->capwin) {
      p->capwin = p->capwin ? 2 * p->capwin : 64;
      p->win[0] = xrealloc(p->win[0], p->capwin * sizeof(uint64_t));
      p->win[1] = xrealloc(p->win[1], p->capwin * sizeof(uint64_t));
    }
    p->win[0][p->nwin] = p->cur[0];
    p->win[1][p->nwin] = p->cur[1];
    p->nwin++;
    p->total[0] += p->cur[0];
    p->total[1] += p->cur[1];
    double d = rel_dev(p->cur[XC_GOLD], p->cur[XC_RTL]);
    if (p->nwin == 1 || d > p->max_dev) {
      p->max_dev = d;
      p->max_dev_window = w;
    }
    if (d > x->cfg.tput_tolerance) {
      char e[192], a[192], what[48];
      p->mismatched_windows++;
      snprintf(what, sizeof(what), "throughput window %" PRIu64, w);
      snprintf(e, sizeof(e), "%" PRIu64 " bits in cycles %" PRIu64 "..%" PRIu64, p->cur[XC_GOLD],
               x->window_start, end_cycle);
      snprintf(a, sizeof(a), "%" PRIu64 " bits (deviation %.4g > tolerance %.4g)", p->cur[XC_RTL], d,
               x->cfg.tput_tolerance);
      /* A throughput mismatch is not a data mismatch: keep data counts apart. */
      uint64_t keep = p->mismatched;
      struct xc_mismatch keepm = p->first;
      mismatch_range(x, end_cycle, x->window_start, (int)i, what, e, a);
      p->mismatched = keep;
      if (keep) p->first = keepm;
    }
    p->cur[0] = p->cur[1] = 0;
  }
  x->windows_closed++;
  x->window_start = end_cycle + 1;
}

void xc_tick(xc_t *x, uint64_t cycle) {
  if ((cycle + 1) % x->cfg.window == 0) close_window(x, cycle);
}

void xc_finish(xc_t *x, uint64_t cycles) {
  if (cycles > x->window_start) close_window(x, cycles - 1);
}

/* ---- latency ------------------------------------------------------------------ */

void xc_latency(xc_t *x, enum xc_side side, uint64_t cycles) {
  struct lat *l = &x->lat[side];
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 1024;
    l->v = xrealloc(l->v, l->cap * sizeof(uint32_t));
  }
  l->v[l->n++] = cycles > UINT32_MAX ? UINT32_MAX : (uint32_t)cycles;
  l->sorted = false;
  l->bins[cycles < XC_LAT_BINS ? cycles : XC_LAT_BINS - 1]++;
  l->sum += (double)cycles;
}

uint64_t xc_latency_count(const xc_t *x, enum xc_side side) { return x->lat[side].n; }

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

double xc_latency_pct(const xc_t *x, enum xc_side side, double p) {
  struct lat *l = (struct lat *)&x->lat[side];
  if (!l->n) return NAN;
  if (!l->sorted) {
    qsort(l->v, l->n, sizeof(uint32_t), cmp_u32);
    l->sorted = true;
  }
  /* nearest rank */
  size_t rank = (size_t)ceil(p / 100.0 * (double)l->n);
  if (rank < 1) rank = 1;
  if (rank > l->n) rank = l->n;
  return (double)l->v[rank - 1];
}

double xc_latency_mean(const xc_t *x, enum xc_side side) {
  return x->lat[side].n ? x->lat[side].sum / (double)x->lat[side].n : NAN;
}

uint64_t xc_latency_bin(const xc_t *x, enum xc_side side, unsigned v) {
  return v < XC_LAT_BINS ? x->lat[side].bins[v] : 0;
}

/* ---- energy ---------------------------------------------------------------------- */

static uint64_t sub_sat(uint64_t a, uint64_t b) { return a > b ? a - b : 0; }

/* The RTL counter driving component c misses n events. */
static void miss_events(energy_activity_t *a, int c, uint64_t n) {
  switch (c) {
    case ENERGY_LASER: a->laser_cycles[0] = sub_sat(a->laser_cycles[0], n); break;
    case ENERGY_MODULATOR_DRIVER:
    case ENERGY_SERIALIZER: a->bits_sent[0] = sub_sat(a->bits_sent[0], n); break;
    case ENERGY_RECEIVER: a->bits_received[0] = sub_sat(a->bits_received[0], n); break;
    case ENERGY_HEATERS: a->heater_integral[0] = sub_sat(a->heater_integral[0], n); break;
    case ENERGY_ROUTER_BUFFERS: a->buf_writes = sub_sat(a->buf_writes, n); break;
    case ENERGY_CROSSBAR: a->xbar = sub_sat(a->xbar, n); break;
    case ENERGY_ALLOCATION: a->sa_arbs = sub_sat(a->sa_arbs, n); break;
    case ENERGY_CLOCK:
    case ENERGY_LEAKAGE: a->cycles = sub_sat(a->cycles, n); break;
    default: break;
  }
}

static void driver_counts(const energy_activity_t *a, int c, char *buf, size_t n) {
  uint64_t s = 0;
  switch (c) {
    case ENERGY_LASER:
      for (unsigned i = 0; i < ENERGY_MAX_LANES; i++) s += a->laser_cycles[i];
      snprintf(buf, n, "laser_cycles=%" PRIu64, s);
      break;
    case ENERGY_MODULATOR_DRIVER:
    case ENERGY_SERIALIZER:
      for (unsigned i = 0; i < ENERGY_MAX_LANES; i++) s += a->bits_sent[i];
      snprintf(buf, n, "bits_sent=%" PRIu64, s);
      break;
    case ENERGY_RECEIVER:
      for (unsigned i = 0; i < ENERGY_MAX_LANES; i++) s += a->bits_received[i];
      snprintf(buf, n, "bits_received=%" PRIu64, s);
      break;
    case ENERGY_HEATERS:
      for (unsigned i = 0; i < ENERGY_MAX_LANES; i++) s += a->heater_integral[i];
      snprintf(buf, n, "heater_integral=%" PRIu64, s);
      break;
    case ENERGY_ROUTER_BUFFERS:
      snprintf(buf, n, "buf_writes=%" PRIu64 " buf_reads=%" PRIu64, a->buf_writes, a->buf_reads);
      break;
    case ENERGY_CROSSBAR: snprintf(buf, n, "xbar=%" PRIu64, a->xbar); break;
    case ENERGY_ALLOCATION:
      snprintf(buf, n, "va_grants=%" PRIu64 " sa_arbs=%" PRIu64, a->va_grants, a->sa_arbs);
      break;
    default: snprintf(buf, n, "cycles=%" PRIu64, a->cycles); break;
  }
}

static double rel(double a, double b) {
  if (isnan(a) && isnan(b)) return 0;
  if (isnan(a) || isnan(b)) return INFINITY;
  if (a == b) return 0;
  double m = fmax(fabs(a), fabs(b));
  return fabs(a - b) / m;
}

int xc_energy(xc_t *x, const energy_card_t *card, const energy_activity_t *gold,
              const energy_activity_t *rtl, energy_report_t *rg, energy_report_t *rr, char *err,
              size_t errlen) {
  energy_activity_t a = *rtl;
  if (x->hooks.energy_miss_component >= 0)
    miss_events(&a, x->hooks.energy_miss_component, x->hooks.energy_miss_events);
  if (energy_compute(card, gold, rg, err, errlen)) return -1;
  if (energy_compute(card, &a, rr, err, errlen)) return -1;
  int bad = 0;
  for (int c = 0; c < ENERGY_NUM_COMPONENTS; c++) {
    energy_component_t ec = (energy_component_t)c;
    double g = energy_report_component_pj(rg, ec), r = energy_report_component_pj(rr, ec);
    double d = rel(g, r);
    bool ok = d <= x->cfg.energy_tolerance;
    char cg[96], cr[96], name[96];
    driver_counts(gold, c, cg, sizeof(cg));
    driver_counts(&a, c, cr, sizeof(cr));
    snprintf(name, sizeof(name), "%s", energy_component_name(ec));
    if (ok) {
      results_check(x->res, "energy", name, true, "%s: golden %.6g pJ, RTL %.6g pJ (%s), rel. diff %.3g",
                    energy_component_is_static(ec) ? "static" : "dynamic", g, r, cr, d);
    } else {
      bad++;
      results_check(x->res, "energy", name, false,
                    "component %s (%s, driven by %s): expected (golden) %.9g pJ from %s, actual (RTL) "
                    "%.9g pJ from %s, rel. diff %.3g > tolerance %.3g",
                    name, energy_component_is_static(ec) ? "static" : "dynamic",
                    energy_component_driver(ec), g, cg, r, cr, d, x->cfg.energy_tolerance);
      if (x->cfg.log)
        fprintf(x->cfg.log,
                "MISMATCH energy component %s: expected (golden) %.9g pJ (%s), actual (RTL) %.9g pJ "
                "(%s), rel. diff %.3g\n",
                name, g, cg, r, cr, d);
    }
  }
  double d = rel(rg->pj_per_payload_bit, rr->pj_per_payload_bit);
  bool ok = d <= x->cfg.energy_tolerance;
  if (!ok) bad++;
  results_check(x->res, "energy", "pj_per_payload_bit", ok,
                "golden %.6g, RTL %.6g pJ/bit, rel. diff %.3g (tolerance %.3g)", rg->pj_per_payload_bit,
                rr->pj_per_payload_bit, d, x->cfg.energy_tolerance);
  return bad;
}

/* ---- results -------------------------------------------------------------------------- */

void xc_report_checks(xc_t *x) {
  json_t *ports = json_array();
  for (size_t i = 0; i < x->nports; i++) {
    struct xc_port *p = &x->ports[i];
    char name[96];
    if (p->compared || p->mismatched) {
      snprintf(name, sizeof(name), "%s data", p->place);
      if (p->mismatched) {
        char hint[600];
        xc_waves_hint(x, p->first.cycle, hint, sizeof(hint));
        results_check(x->res, "data", name, false,
                      "%" PRIu64 " of %" PRIu64 " mismatched; first at cycle %" PRIu64
                      " (%s): expected %s, actual %s; %s",
                      p->mismatched, p->compared, p->first.cycle, p->first.what, p->first.expected,
                      p->first.actual, hint);
      } else {
        results_check(x->res, "data", name, true, "%" PRIu64 " transactions exactly equal", p->compared);
      }
    }
    if (p->tput) {
      snprintf(name, sizeof(name), "%s throughput", p->place);
      results_check(x->res, "throughput", name, p->mismatched_windows == 0,
                    "%zu windows of %u cycles: golden %" PRIu64 " bits, RTL %" PRIu64
                    " bits; %" PRIu64 " windows beyond tolerance %.3g; largest deviation %.4g at window %" PRIu64
                    " (cycles %" PRIu64 "..%" PRIu64 ")",
                    p->nwin, x->cfg.window, p->total[XC_GOLD], p->total[XC_RTL], p->mismatched_windows,
                    x->cfg.tput_tolerance, p->max_dev, p->max_dev_window,
                    p->max_dev_window * x->cfg.window, (p->max_dev_window + 1) * x->cfg.window - 1);
      json_array_append_new(
          ports, json_pack("{s:s, s:I, s:I, s:f, s:I, s:I}", "place", p->place, "golden_bits",
                           (json_int_t)p->total[XC_GOLD], "rtl_bits", (json_int_t)p->total[XC_RTL],
                           "largest_deviation", p->max_dev, "largest_deviation_window",
                           (json_int_t)p->max_dev_window, "windows_beyond_tolerance",
                           (json_int_t)p->mismatched_windows));
    }
  }
  json_object_set_new(x->res->summary, "ports", ports);
  /* latency distributions */
  uint64_t ng = x->lat[XC_GOLD].n, nr = x->lat[XC_RTL].n;
  if (ng || nr) {
    static const double pct[] = {50, 90, 99, 100};
    bool same = ng == nr;
    json_t *lat = json_object();
    for (int s = 0; s < 2; s++) {
      json_t *o = json_object();
      json_object_set_new(o, "packets", json_integer((json_int_t)x->lat[s].n));
      double m = xc_latency_mean(x, (enum xc_side)s);
      json_object_set_new(o, "mean", isnan(m) ? json_null() : json_real(m));
      for (size_t k = 0; k < sizeof(pct) / sizeof(pct[0]); k++) {
        char key[16];
        double v = xc_latency_pct(x, (enum xc_side)s, pct[k]);
        snprintf(key, sizeof(key), "p%g", pct[k]);
        json_object_set_new(o, key, isnan(v) ? json_null() : json_real(v));
      }
      json_object_set_new(lat, s == XC_GOLD ? "golden" : "rtl", o);
    }
    json_object_set_new(x->res->summary, "latency_cycles", lat);
    for (size_t k = 0; same && k < sizeof(pct) / sizeof(pct[0]); k++)
      if (xc_latency_pct(x, XC_GOLD, pct[k]) != xc_latency_pct(x, XC_RTL, pct[k])) same = false;
    for (unsigned b = 0; same && b < XC_LAT_BINS; b++)
      if (x->lat[0].bins[b] != x->lat[1].bins[b]) same = false;
    results_check(x->res, "latency", "packet latency distribution", same,
                  "golden %" PRIu64 " packets p50 %.0f p99 %.0f max %.0f; RTL %" PRIu64
                  " packets p50 %.0f p99 %.0f max %.0f cycles",
                  ng, xc_latency_pct(x, XC_GOLD, 50), xc_latency_pct(x, XC_GOLD, 99),
                  xc_latency_pct(x, XC_GOLD, 100), nr, xc_latency_pct(x, XC_RTL, 50),
                  xc_latency_pct(x, XC_RTL, 99), xc_latency_pct(x, XC_RTL, 100));
  }
  json_object_set_new(x->res->summary, "transactions_compared", json_integer((json_int_t)x->compared));
  json_object_set_new(x->res->summary, "mismatches", json_integer((json_int_t)x->mismatches));
}
