/* Cross-check core (docs/spec.md section 9): scoreboards that compare what the
 * RTL did with what a golden model fed the same inputs predicted.
 *
 * Plain C, no Verilator: the system drivers (tb/run/sys_*.c) own the models
 * and call in here once per cycle with what their monitors saw.
 *
 *  - data:       xc_data() compares one transaction (a flit, a lane word)
 *                exactly; a difference is a mismatch naming cycle, place,
 *                expected (golden) and actual (RTL) value.
 *  - throughput: xc_port_add() names a port; xc_port_bits() adds delivered
 *                bits of this cycle, per side; xc_tick() closes a window
 *                every `window` cycles and compares RTL with golden within
 *                the tolerance; the largest deviation is kept.
 *  - latency:    xc_latency() records one packet's latency per side; the
 *                report gives percentiles and a histogram of both.
 *  - energy:     xc_energy() applies one card to the RTL's activity and to
 *                the golden models' activity and compares per component.
 *
 * Test-only hooks (struct xc_hooks, xc_set_hooks): make the monitor layer
 * lie on purpose so that negative tests can prove a checker fires:
 *  - energy_miss: an RTL activity counter misses `energy_miss_events`
 *    events of the count driving component `energy_miss_component`;
 *  - tput_*: RTL port `tput_port` delivers `tput_bits` extra bits in window
 *    `tput_window`;
 *  - lane_*: the RTL lane word of chip `lane_chip`, lane `lane_idx` in cycle
 *    `lane_cycle` is seen with bit 0 flipped (xc_phy.h);
 *  - dprst_*: the datapath-reset timing monitor (spec 2.4) of chip
 *    `dprst_chip` sees dp_rst_n inverted in cycle `dprst_cycle` (the
 *    shadows still follow the real signal);
 *  - ni_*: the NI shadow (xc_ni.h) of chip `ni_chip` sees bit 0 of the RTL
 *    NI's dma_tx_head flipped in cycle `ni_cycle`.
 * The runner sets them only from its `--test-hook` option.
 */
#ifndef OPTILE_TB_XC_H
#define OPTILE_TB_XC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "energy/energy.h"
#include "run/results.h"

enum xc_side { XC_GOLD = 0, XC_RTL = 1 };

struct xc_config {
  uint32_t window;           /* throughput window, cycles (>= 1) */
  double tput_tolerance;     /* relative, per window */
  double energy_tolerance;   /* relative, per component */
  bool stop_on_mismatch;
  const char *waves;         /* where the waves are ("" or NULL: none dumped) */
  uint64_t waves_from, waves_to; /* the dumped window (to = 0: to the end) */
  FILE *log;                 /* mismatch log (may be NULL) */
  unsigned log_limit;        /* mismatches written in full per place (0: 10) */
};

struct xc_hooks {
  int energy_miss_component;   /* energy_component_t, -1: off */
  uint64_t energy_miss_events;
  int tput_port;               /* port id, -1: off */
  uint64_t tput_window;        /* window index */
  uint64_t tput_bits;
  int lane_chip;               /* lane-word: chip index, -1: off */
  unsigned lane_idx;           /* lane whose RTL word the monitor corrupts */
  uint64_t lane_cycle;         /* in this cycle (bit 0 flipped) */
  int dprst_chip;              /* dp-rst: chip index, -1: off */
  uint64_t dprst_cycle;        /* cycle whose dp_rst_n the timing monitor sees inverted */
  int ni_chip;                 /* ni-obs: chip index, -1: off */
  uint64_t ni_cycle;           /* cycle whose RTL dma_tx_head the NI shadow sees with bit 0 flipped */
};

/* One mismatch, as recorded. */
struct xc_mismatch {
  uint64_t cycle;
  char place[64];
  char what[48];
  char expected[192];
  char actual[192];
};

/* Per-port throughput record (read by the report). */
struct xc_port {
  char place[64];
  bool tput;                 /* throughput is checked at this place */
  uint64_t compared, mismatched; /* data transactions */
  struct xc_mismatch first;  /* first data mismatch (valid if mismatched) */
  uint64_t total[2];         /* bits, per side */
  uint64_t *win[2];          /* bits per closed window, per side */
  size_t nwin, capwin;
  uint64_t cur[2];           /* bits in the open window */
  double max_dev;            /* largest relative deviation over windows */
  uint64_t max_dev_window;
  uint64_t mismatched_windows;
};

typedef struct xc xc_t;

xc_t *xc_new(const struct xc_config *cfg, struct results *res);
void xc_free(xc_t *x);
void xc_set_hooks(xc_t *x, const struct xc_hooks *h);
/* Off state for hooks. */
void xc_hooks_none(struct xc_hooks *h);
/* Parse "energy-miss:COMPONENT[:N]", "tput:PORTNAME:WINDOW[:BITS]" or
 * "lane-word:CHIP:LANE:CYCLE" (CHIP A or B, LANE 0..7), "dp-rst:CHIP:CYCLE" or
 * "ni-obs:CHIP:CYCLE" (port
 * names are resolved later, at xc_port_add). 0 or -1 with err. */
int xc_hooks_parse(struct xc_hooks *h, char *port_name, size_t port_name_len, const char *spec,
                   char *err, size_t errlen);
/* The hooks in force (the PHY shadow reads the lane-word hook). */
const struct xc_hooks *xc_get_hooks(const xc_t *x);
/* Resolve a hook port by name once ports exist; -1 if the name is unknown. */
int xc_hooks_resolve_port(xc_t *x, const char *name);

/* ---- data ---- */

/* Compare two word arrays (n words of 64 bits) with their valid bits at
 * place `port` (an id of xc_port_add); a mismatch is recorded (the first
 * differing word named). Both invalid: nothing compared. True if equal. */
bool xc_data(xc_t *x, uint64_t cycle, int port, const char *what, bool exp_valid,
             const uint64_t *expected, bool act_valid, const uint64_t *actual, unsigned n);
/* Record a mismatch at place `port` with formatted expected / actual text. */
void xc_mismatch(xc_t *x, uint64_t cycle, int port, const char *what, const char *expected,
                 const char *actual);
/* Count n transactions compared equal at `port`. */
void xc_matched(xc_t *x, int port, uint64_t n);
uint64_t xc_mismatches(const xc_t *x);
uint64_t xc_compared(const xc_t *x);
const struct xc_mismatch *xc_first_mismatch(const xc_t *x);
/* True once a mismatch happened and the scenario says stop. */
bool xc_should_stop(const xc_t *x);
/* Name the dumped waves (once the system knows its file names). */
void xc_set_waves(xc_t *x, const char *where);
/* "see waves FILE (cycles a..b)" or "no waves dumped; rerun with ..." */
void xc_waves_hint(const xc_t *x, uint64_t cycle, char *buf, size_t n);

/* ---- throughput ---- */

/* A place (port, lane, component); `tput`: windows are compared there.
 * Returns its id (>= 0). */
int xc_port_add(xc_t *x, const char *place, bool tput);
static inline void xc_port_bits(xc_t *x, int port, enum xc_side side, uint64_t bits);
/* End of cycle `cycle` (0-based): closes a window after every `window` cycles. */
void xc_tick(xc_t *x, uint64_t cycle);
/* Close the last (partial) window. */
void xc_finish(xc_t *x, uint64_t cycles);
size_t xc_nports(const xc_t *x);
const struct xc_port *xc_port(const xc_t *x, size_t i);
uint32_t xc_window(const xc_t *x);

/* ---- latency ---- */

void xc_latency(xc_t *x, enum xc_side side, uint64_t cycles);
uint64_t xc_latency_count(const xc_t *x, enum xc_side side);
/* p in [0, 100]; NaN with no samples. */
double xc_latency_pct(const xc_t *x, enum xc_side side, double p);
double xc_latency_mean(const xc_t *x, enum xc_side side);
/* Histogram: samples with latency == v, for v < XC_LAT_BINS (last bin: >=). */
#define XC_LAT_BINS 512
uint64_t xc_latency_bin(const xc_t *x, enum xc_side side, unsigned v);

/* ---- energy ---- */

/* Applies card to both activities (the RTL one after the energy_miss hook),
 * records one check per component and one for pJ per payload bit. Fills
 * the reports. Returns the number of mismatching components, or -1 with err
 * when an activity is invalid. */
int xc_energy(xc_t *x, const energy_card_t *card, const energy_activity_t *gold,
              const energy_activity_t *rtl, energy_report_t *rep_gold, energy_report_t *rep_rtl,
              char *err, size_t errlen);

/* ---- results ---- */

/* Records the data, throughput and latency checks (one per port for data
 * and throughput) into the results and adds their figures to summary. */
void xc_report_checks(xc_t *x);

struct xc_port *xc__port_mut(xc_t *x, int port);
static inline void xc_port_bits(xc_t *x, int port, enum xc_side side, uint64_t bits) {
  xc__port_mut(x, port)->cur[side] += bits;
}

#endif
