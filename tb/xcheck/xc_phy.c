/* PHY shadow: a golden link end fed the RTL PHY's inputs (see xc_phy.h). */
#include "xcheck/xc_phy.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct xc_phy {
  xc_t *x;
  unsigned chip;
  phy_link_t *g;
  phy_link_csr_t csr;        /* CSR inputs last given to the model */
  int place_lane[TILE_LANES], place_phy;
  uint64_t cycles;
  const struct xc_hooks *hooks;
};

xc_phy_t *xc_phy_new(xc_t *x, unsigned chip, const char *name, char *err, size_t errlen) {
  xc_phy_t *p = calloc(1, sizeof(*p));
  if (!p) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  phy_link_cfg_t cfg;
  phy_link_cfg_default(&cfg); /* the tile's PHY has the spec 4.1 defaults */
  cfg.lanes = TILE_LANES;
  cfg.lane_w = TILE_LANE_W;
  cfg.flit_w = TILE_FLIT_BYTES * 8;
  cfg.side_w = 4;
  p->g = phy_link_new(&cfg, err, errlen);
  if (!p->g) {
    free(p);
    return NULL;
  }
  phy_link_get_csr(p->g, &p->csr);
  p->x = x;
  p->chip = chip;
  p->hooks = xc_get_hooks(x);
  char place[64];
  for (unsigned i = 0; i < TILE_LANES; i++) {
    snprintf(place, sizeof(place), "%.40s.lane.%u", name, i);
    p->place_lane[i] = xc_port_add(x, place, false);
  }
  snprintf(place, sizeof(place), "%.40s.phy", name);
  p->place_phy = xc_port_add(x, place, false);
  return p;
}

void xc_phy_free(xc_phy_t *p) {
  if (!p) return;
  phy_link_free(p->g);
  free(p);
}

const phy_link_counters_t *xc_phy_counters(const xc_phy_t *p) { return phy_link_counters(p->g); }
uint64_t xc_phy_cycles(const xc_phy_t *p) { return p->cycles; }

/* One scalar output of the PHY place: records a mismatch if it differs. */
static int scalar(xc_phy_t *p, uint64_t t, const char *what, uint64_t exp, uint64_t act) {
  if (exp == act) return 0;
  char e[48], a[48];
  snprintf(e, sizeof(e), "0x%" PRIx64, exp);
  snprintf(a, sizeof(a), "0x%" PRIx64, act);
  xc_mismatch(p->x, t, p->place_phy, what, e, a);
  return 1;
}

/* Lowest differing 12-bit lane field of two arrays, or -1. */
static int diff12(const uint16_t *g, const uint16_t *r) {
  for (unsigned i = 0; i < TILE_LANES; i++)
    if ((g[i] & 0xfffu) != (r[i] & 0xfffu)) return (int)i;
  return -1;
}

void xc_phy_check(xc_phy_t *p, uint64_t t, const struct tile_obs *o) {
  /* the RTL PHY's reset (the tile's datapath reset) is asynchronous: in a
   * cycle where it is active the outputs are already the reset values */
  if (!o->dp_rst_n) phy_link_reset(p->g);
  phy_link_out_t g;
  phy_link_outputs(p->g, &g);
  p->cycles++;
  /* lanes: the word (bit-exact) and the laser bit */
  for (unsigned i = 0; i < TILE_LANES; i++) {
    uint32_t act = o->lane_tx[i];
    if (p->hooks->lane_chip == (int)p->chip && p->hooks->lane_idx == i && p->hooks->lane_cycle == t) act ^= 1u;
    uint32_t exp = (uint32_t)g.lane_tx[i];
    unsigned gl = g.laser_on >> i & 1u, rl = (unsigned)o->lane_laser_on >> i & 1u;
    if (exp == act && gl == rl) {
      xc_matched(p->x, p->place_lane[i], 1);
      continue;
    }
    char e[48], a[48];
    if (exp != act) {
      snprintf(e, sizeof(e), "0x%08" PRIx32, exp);
      snprintf(a, sizeof(a), "0x%08" PRIx32, act);
      xc_mismatch(p->x, t, p->place_lane[i], "lane_tx_o word", e, a);
    } else {
      snprintf(e, sizeof(e), "%u", gl);
      snprintf(a, sizeof(a), "%u", rl);
      xc_mismatch(p->x, t, p->place_lane[i], "lane_laser_on_o", e, a);
    }
  }
  /* training state and the rest of the registered outputs: the first
   * difference of the cycle is recorded */
  int bad = scalar(p, t, "state_o (training state)", g.state, o->phy_state) ||
            scalar(p, t, "link_up_o", (uint64_t)g.link_up, o->link_up) ||
            scalar(p, t, "lane_lock_o", g.lane_lock, o->lane_lock) ||
            scalar(p, t, "lane_deskew_o", g.lane_deskew, o->lane_deskew) ||
            scalar(p, t, "active_mask_o", g.active_mask, o->active_mask) ||
            scalar(p, t, "train_phase_o", g.train_phase, o->train_phase) ||
            scalar(p, t, "tx_ready_o", (uint64_t)g.tx_ready, o->phy_tx_ready) ||
            scalar(p, t, "rx_valid_o", (uint64_t)g.rx_valid, o->phy_rx_valid);
  if (!bad) {
    int i = diff12(g.lane_heater, o->lane_heater);
    const char *what = "lane_heater_o";
    const uint16_t *ge = g.lane_heater, *ra = o->lane_heater;
    if (i < 0) {
      i = diff12(g.lane_power, o->lane_power);
      what = "lane_power_o";
      ge = g.lane_power;
      ra = o->lane_power;
    }
    if (i >= 0) {
      char w[48];
      snprintf(w, sizeof(w), "%s lane %d", what, i);
      bad = scalar(p, t, w, ge[i], ra[i]);
    }
  }
  if (!bad && g.rx_valid) {
    /* the flit at the head of the receive FIFO: delivered when rx_ready_i */
    uint64_t ge[PHY_MAX_FLIT_WORDS + 1], ra[PHY_MAX_FLIT_WORDS + 1];
    const unsigned nw = TILE_FLIT_WORDS / 2;
    for (unsigned j = 0; j < nw; j++) {
      ge[j] = g.rx_flit[j];
      ra[j] = o->phy_rx_flit[2 * j] | (uint64_t)o->phy_rx_flit[2 * j + 1] << 32;
    }
    ge[nw] = g.rx_side;
    ra[nw] = o->phy_rx_side;
    if (!xc_data(p->x, t, p->place_phy, o->phy_rx_ready ? "rx_flit_o+side (delivered)" : "rx_flit_o+side",
                 true, ge, true, ra, nw + 1))
      bad = 1;
  } else if (!bad) {
    xc_matched(p->x, p->place_phy, 1);
  }
}

void xc_phy_step(xc_phy_t *p, uint64_t cycle, const struct tile_obs *o) {
  if (!o->dp_rst_n) return; /* held in reset: the edge ending the cycle changes nothing */
  phy_link_csr_t c = p->csr;
  c.enable = o->phy_enable;
  c.rings_locked = o->phy_rings_locked;
  c.lane_mask = o->phy_lane_mask;
  c.am_period = o->phy_am_period;
  c.idle_timeout = o->phy_idle_timeout;
  c.laser_settle = o->phy_laser_settle;
  c.replay_timeout = o->phy_replay_timeout;
  c.replay_limit = o->phy_replay_limit;
  c.train_timeout = o->phy_train_timeout;
  for (unsigned i = 0; i < TILE_LANES; i++) c.heater_code[i] = o->phy_heater_code[i];
  if (memcmp(&c, &p->csr, sizeof(c))) {
    char err[160];
    if (phy_link_set_csr(p->g, &c, err, sizeof(err))) {
      /* the model refuses a value the RTL took: say so once per change */
      xc_mismatch(p->x, cycle, p->place_phy, "CSR inputs", "values the model accepts", err);
    }
    p->csr = c;
  }
  if (o->phy_retrain) phy_link_pulse_retrain(p->g);
  phy_link_in_t in;
  uint64_t flit[PHY_MAX_FLIT_WORDS];
  memset(&in, 0, sizeof(in));
  for (unsigned j = 0; j < TILE_FLIT_WORDS / 2; j++)
    flit[j] = o->phy_tx_flit[2 * j] | (uint64_t)o->phy_tx_flit[2 * j + 1] << 32;
  in.tx_valid = o->phy_tx_valid;
  in.tx_flit = flit;
  in.tx_side = o->phy_tx_side;
  in.rx_ready = o->phy_rx_ready;
  for (unsigned i = 0; i < TILE_LANES; i++) {
    in.lane_rx[i] = o->lane_rx[i];
    in.lane_rx_power[i] = o->lane_rx_power[i];
  }
  phy_link_step(p->g, &in);
}
