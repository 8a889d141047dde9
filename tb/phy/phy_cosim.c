/* Two-PHY co-simulation with golden models and channel models; see
 * phy_cosim.h. */
#include "phy/phy_cosim.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- flit contents: word 0 = index, word 1 = direction, the rest hashed ---------- */

static void flit_of(unsigned dir, uint64_t idx, uint32_t w[PC_FW], uint32_t *side) {
  uint64_t s = ((uint64_t)dir << 40) ^ idx ^ 0x5eed0c05ull;
  w[0] = (uint32_t)idx;
  w[1] = dir | (uint32_t)(idx >> 32) << 8;
  for (unsigned j = 2; j < PC_FW; j += 2) {
    uint64_t r = ch_splitmix64(&s);
    w[j] = (uint32_t)r;
    w[j + 1] = (uint32_t)(r >> 32);
  }
  *side = (uint32_t)ch_splitmix64(&s) & ((1u << PHY_DUT_SIDE_W) - 1);
}

static unsigned rnd(struct pc *p, unsigned n) { return (unsigned)(ch_splitmix64(&p->rng) % n); }

/* ---- scoreboard ------------------------------------------------------------------- */

static void sb_check(struct pc_sb *s, unsigned dir, uint64_t cycle, const uint32_t w[PC_FW],
                     uint32_t side) {
  uint32_t ew[PC_FW], eside;
  const uint64_t exp0 = s->expect;
  flit_of(dir, exp0, ew, &eside);
  if (memcmp(ew, w, sizeof ew) == 0 && eside == side) {
    s->ok++;
    s->expect++;
    return;
  }
  /* not the expected flit: a whole flit of this direction with another index
   * is a duplicate (older) or the sign of lost flits (newer); anything else
   * is corrupted */
  uint64_t claimed = (uint64_t)w[0] | (uint64_t)(w[1] >> 8) << 32;
  uint32_t cw[PC_FW], cside;
  flit_of(dir, claimed, cw, &cside);
  char what[96];
  if ((w[1] & 0xffu) == dir && memcmp(cw, w, sizeof cw) == 0 && cside == side) {
    if (claimed < s->expect) {
      s->dups++;
      snprintf(what, sizeof what, "flit %" PRIu64 " again (duplicate)", claimed);
    } else {
      s->lost += claimed - s->expect;
      snprintf(what, sizeof what, "flit %" PRIu64 " (%" PRIu64 " flits lost)", claimed,
               claimed - s->expect);
      s->expect = claimed + 1;
    }
  } else {
    unsigned word = 0;
    while (word < PC_FW && ew[word] == w[word]) word++;
    s->corrupt++;
    snprintf(what, sizeof what, "a corrupted flit (word %u = %08x, side %x)", word < PC_FW ? word : 0,
             w[word < PC_FW ? word : 0], side);
    s->expect++;
  }
  if (s->errors++ == 0)
    snprintf(s->msg, sizeof s->msg,
             "scoreboard dir %c->%c cycle %" PRIu64 ": expected flit %" PRIu64
             " (word 0 %08x, side %x), actual %s [waves: PHY_WAVES_FROM=%" PRIu64 "]",
             'A' + dir, 'B' - dir, cycle, exp0, ew[0], eside, what, cycle > 2000 ? cycle - 2000 : 0);
}

/* ---- configuration ---------------------------------------------------------------- */

void pc_cfg_default(struct pc_cfg *c) {
  memset(c, 0, sizeof *c);
  c->seed = 1;
  for (int d = 0; d < 2; d++) {
    ch_cfg_default(&c->ch[d]);
    c->ch[d].seed = 0x0c4a11e1ull + (uint64_t)d * 0x1000193ull;
  }
  c->am_period = 4096;
  c->laser_settle = 100;
  c->replay_timeout = 2048;
  c->replay_limit = 16;
  c->train_timeout = 1048576;
  c->idle_timeout = 0;
  c->golden = 1;
  c->fw = PC_FW_NO_RING;
  c->window = 1024;
  for (int e = 0; e < 2; e++) {
    c->p_valid[e] = 100;
    c->p_ready[e] = 100;
  }
}

static void fmt_err(char *err, size_t n, const char *m) {
  if (err && n) snprintf(err, n, "%s", m);
}

void pc_free(struct pc *p) {
  if (!p) return;
  for (int e = 0; e < 2; e++) {
    if (p->dut[e]) phy_dut_free(p->dut[e]);
    phy_link_free(p->gold[e]);
    ch_free(p->ch[e]);
  }
  free(p);
}

struct pc *pc_new(const struct pc_cfg *c, char *err, size_t errlen) {
  struct pc *p = calloc(1, sizeof *p);
  if (!p) {
    fmt_err(err, errlen, "pc_new: out of memory");
    return NULL;
  }
  p->cfg = *c;
  p->rng = c->seed;
  p->tamper_n = -1;
  const char *wf = getenv("PHY_WAVES_FROM");
  p->waves_from = wf ? strtoull(wf, NULL, 0) : UINT64_MAX;
  for (int e = 0; e < 2; e++) {
    p->ch[e] = ch_new(&c->ch[e], err, errlen);
    if (!p->ch[e]) goto fail;
    p->dut[e] = (e == 0 && c->drop_replay_end0) ? phy_dut_new_drop_replay() : phy_dut_new();
    if (!p->dut[e]) {
      fmt_err(err, errlen, "pc_new: cannot create the Verilated PHY");
      goto fail;
    }
    phy_dut_reset(p->dut[e], 4);
    phy_link_csr_t *r = &p->csr[e];
    phy_link_csr_default(r);
    r->enable = 1;
    r->am_period = c->am_period;
    r->laser_settle = c->laser_settle;
    r->replay_timeout = c->replay_timeout;
    r->replay_limit = c->replay_limit;
    r->train_timeout = c->train_timeout;
    r->idle_timeout = c->idle_timeout;
    p->csr_dirty[e] = 1;
    if (c->golden) {
      phy_link_cfg_t lc;
      phy_link_cfg_default(&lc);
      lc.test_scr_tap = c->golden_scr_tap;
      p->gold[e] = phy_link_new(&lc, err, errlen);
      if (!p->gold[e]) goto fail;
      if (phy_link_set_csr(p->gold[e], r, err, errlen)) goto fail;
    }
  }
  return p;
fail:
  pc_free(p);
  return NULL;
}

void pc_retrain(struct pc *p, unsigned e) { p->retrain[e & 1] = 1; }

int pc_both_active(const struct pc *p) {
  return phy_dut_out(p->dut[0])->state == PHY_ST_ACTIVE && phy_dut_out(p->dut[1])->state == PHY_ST_ACTIVE;
}

int pc_any_down(const struct pc *p) {
  return phy_dut_out(p->dut[0])->state == PHY_ST_DOWN || phy_dut_out(p->dut[1])->state == PHY_ST_DOWN;
}

double pc_bound(unsigned lanes, unsigned M, double a) {
  return (16.0 / 33.0) * lanes * (1.0 - 1.0 / M) / (4.0 + 2.0 / 8.0 + a / 8.0);
}

uint64_t pc_outstanding(const struct pc *p, unsigned d) { return p->accepted[d] - p->delivered[d]; }

/* ---- RTL against golden, one end, one cycle ---------------------------------------- */

static void compare(struct pc *p, unsigned e, const struct phy_dut_out *o, const phy_link_out_t *g) {
  char m[256];
  m[0] = 0;
  int lane_word = 0;
  for (unsigned i = 0; i < PC_L && !m[0]; i++)
    if (o->lane_tx[i] != (uint32_t)g->lane_tx[i]) {
      snprintf(m, sizeof m,
               "cycle %" PRIu64 " end %c lane %u: lane_tx_o expected (golden) %08" PRIx32
               ", actual (RTL) %08" PRIx32,
               p->t, 'A' + e, i, (uint32_t)g->lane_tx[i], o->lane_tx[i]);
      lane_word = 1;
    }
  if (!m[0] && o->lane_laser_on != g->laser_on)
    snprintf(m, sizeof m, "cycle %" PRIu64 " end %c: lane_laser_on_o expected %02x, actual %02" PRIx32,
             p->t, 'A' + e, g->laser_on, o->lane_laser_on);
  if (!m[0] && o->state != g->state)
    snprintf(m, sizeof m, "cycle %" PRIu64 " end %c: state_o expected %s, actual %s", p->t, 'A' + e,
             phy_state_name(g->state), phy_state_name(o->state));
  if (!m[0] && (o->tx_ready != g->tx_ready || o->rx_valid != g->rx_valid))
    snprintf(m, sizeof m,
             "cycle %" PRIu64 " end %c: tx_ready/rx_valid expected %d/%d, actual %d/%d", p->t,
             'A' + e, g->tx_ready, g->rx_valid, o->tx_ready, o->rx_valid);
  if (!m[0] && o->rx_valid) {
    for (unsigned j = 0; j < PC_FW && !m[0]; j++) {
      uint32_t gw = (uint32_t)(g->rx_flit[j / 2] >> (32 * (j % 2)));
      if (gw != o->rx_flit[j])
        snprintf(m, sizeof m,
                 "cycle %" PRIu64 " end %c: rx_flit_o word %u expected %08" PRIx32 ", actual %08" PRIx32,
                 p->t, 'A' + e, j, gw, o->rx_flit[j]);
    }
    if (!m[0] && o->rx_side != g->rx_side)
      snprintf(m, sizeof m, "cycle %" PRIu64 " end %c: rx_side_o expected %x, actual %" PRIx32, p->t,
               'A' + e, g->rx_side, o->rx_side);
  }
  if (!m[0]) return;
  struct pc_cmp *c = &p->cmp[e];
  if (c->mismatches++ == 0) {
    snprintf(c->msg, sizeof c->msg, "%s [waves: PHY_WAVES_FROM=%" PRIu64 "]", m,
             p->t > 200 ? p->t - 200 : 0);
    c->first_cycle = p->t;
  }
  c->lane_word_mismatches += (uint64_t)lane_word;
}

/* ---- firmware stand-in ------------------------------------------------------------- */

enum {
  FW_PERIOD = 32,       /* one decision per 32 cycles, two monitor updates */
  FW_FOUND = 1500,      /* monitor code that ends the sweep (~ -3.4 dB) */
  FW_FINE = 2800,       /* above this, 1-code steps */
  FW_TARGET = 2900,     /* every lane above this for 8 decisions: rings_locked */
  FW_NOISE = 3,         /* codes of monitor noise tolerated before turning */
};

static void fw_step(struct pc *p, unsigned e, const struct phy_dut_out *o) {
  struct pc_fw *f = &p->fw[e];
  phy_link_csr_t *r = &p->csr[e];
  if (p->cfg.fw == PC_FW_NO_RING) {
    if (o->state == PHY_ST_RING_TUNE && !r->rings_locked && p->t >= p->cfg.rings_locked_at[e]) {
      r->rings_locked = 1;
      p->csr_dirty[e] = 1;
      f->locked = 1;
      f->locked_at = p->t;
    }
    return;
  }
  if (p->t % FW_PERIOD != 8) return;
  if (p->cfg.fw == PC_FW_TUNE_ONCE && f->locked) return;
  f->decisions++;
  int all_good = 1;
  for (unsigned i = 0; i < PC_L; i++) {
    unsigned code = o->lane_power[i];
    int h = f->heater[i];
    if (!f->climbing[i]) {
      if (code >= FW_FOUND) {
        f->climbing[i] = 1;
        f->dir[i] = 1;
        f->prev[i] = (uint16_t)code;
      } else {
        h += 8;
      }
    } else {
      if (code + FW_NOISE < f->prev[i]) f->dir[i] = -f->dir[i];
      h += f->dir[i] * (code < FW_FINE ? 4 : 1);
      f->prev[i] = (uint16_t)code;
    }
    if (h < 0) h = 0;
    if (h > 4095) h = 4095;
    f->heater[i] = (uint16_t)h;
    r->heater_code[i] = (uint16_t)h;
    if (!f->climbing[i] || code < FW_TARGET) all_good = 0;
  }
  p->csr_dirty[e] = 1;
  if (!f->locked) {
    f->settled = all_good ? f->settled + 1 : 0;
    if (f->settled >= 8) {
      f->locked = 1;
      f->locked_at = p->t;
      r->rings_locked = 1;
    }
  }
}

/* ---- one cycle ------------------------------------------------------------------------ */

static void waves_open(struct pc *p) {
  mkdir("waves", 0777);
  mkdir("waves/out", 0777);
  for (unsigned e = 0; e < 2; e++) {
    char path[64];
    snprintf(path, sizeof path, "waves/out/phy_cosim_%c.fst", 'A' + e);
    if (phy_dut_trace_open(p->dut[e], path))
      fprintf(stderr, "phy_cosim: cannot write %s\n", path);
    else
      fprintf(stderr, "phy_cosim: cycle %" PRIu64 ": waves of end %c to %s\n", p->t, 'A' + e, path);
  }
}

void pc_step(struct pc *p) {
  if (p->t == p->waves_from) waves_open(p);
  if (p->waves_from != UINT64_MAX && p->t == p->waves_from + PC_WAVES_WINDOW)
    for (unsigned e = 0; e < 2; e++) phy_dut_trace_close(p->dut[e]);
  const struct phy_dut_out *o[2] = {phy_dut_out(p->dut[0]), phy_dut_out(p->dut[1])};
  phy_link_out_t g[2];
  int gold = p->cfg.golden;
  if (gold)
    for (unsigned e = 0; e < 2; e++) {
      phy_link_outputs(p->gold[e], &g[e]);
      compare(p, e, o[e], &g[e]);
    }

  /* channels: direction d from end d to end 1-d; the receiver's heaters */
  uint64_t rx[2][PC_L];
  uint16_t mon[2][PC_L];
  for (unsigned d = 0; d < 2; d++) {
    uint64_t tx[PC_L];
    for (unsigned i = 0; i < PC_L; i++) tx[i] = o[d]->lane_tx[i];
    ch_step(p->ch[d], tx, o[d]->lane_laser_on, o[1 - d]->lane_heater, rx[d], mon[d]);
  }

  int accept[2];
  phy_link_in_t gin[2];
  uint64_t gflit[2][PC_FW / 2];
  for (unsigned e = 0; e < 2; e++) {
    struct phy_dut_in *in = phy_dut_in(p->dut[e]);
    fw_step(p, e, o[e]);
    /* CSRs */
    const phy_link_csr_t *r = &p->csr[e];
    if (p->csr_dirty[e]) {
      in->enable = (int)r->enable;
      in->rings_locked = (int)r->rings_locked;
      in->lane_mask = r->lane_mask;
      in->am_period = r->am_period;
      in->idle_timeout = r->idle_timeout;
      in->laser_settle = r->laser_settle;
      in->replay_timeout = r->replay_timeout;
      in->replay_limit = r->replay_limit;
      in->train_timeout = r->train_timeout;
      for (unsigned i = 0; i < PC_L; i++) in->heater_code[i] = r->heater_code[i];
      if (gold) phy_link_set_csr(p->gold[e], r, NULL, 0);
      p->csr_dirty[e] = 0;
    }
    if (p->retrain[e]) {
      in->retrain = 1;
      if (gold) phy_link_pulse_retrain(p->gold[e]);
      p->retrain[e] = 0;
    }
    /* lanes from the channel of direction 1-e */
    for (unsigned i = 0; i < PC_L; i++) {
      in->lane_rx[i] = (uint32_t)rx[1 - e][i];
      in->lane_rx_power[i] = mon[1 - e][i];
    }
    /* router source of end e */
    if (!p->holding[e] && p->next[e] < p->cfg.limit[e] && rnd(p, 100) < p->cfg.p_valid[e]) {
      p->holding[e] = 1;
      flit_of(e, p->next[e], p->hold_flit[e], &p->hold_side[e]);
    }
    in->tx_valid = p->holding[e];
    memcpy(in->tx_flit, p->hold_flit[e], sizeof in->tx_flit);
    in->tx_side = p->hold_side[e];
    accept[e] = p->holding[e] && o[e]->tx_ready;
    /* router sink of end e (direction 1-e) */
    in->rx_ready = rnd(p, 100) < p->cfg.p_ready[e];
    if (o[e]->rx_valid && in->rx_ready) {
      unsigned d = 1 - e;
      uint32_t w[PC_FW];
      uint32_t side = o[e]->rx_side;
      memcpy(w, o[e]->rx_flit, sizeof w);
      int64_t n = (int64_t)p->delivered[d]++;
      p->win_rtl[d]++;
      int drop = 0, dup = 0;
      if (d == 0 && n == p->tamper_n) {
        if (p->tamper_kind == 0) w[5] ^= 0x00100000u;
        dup = p->tamper_kind == 1;
        drop = p->tamper_kind == 2;
      }
      if (!drop) sb_check(&p->sb[d], d, p->t, w, side);
      if (dup) sb_check(&p->sb[d], d, p->t, w, side);
    }
    if (gold) {
      phy_link_in_t *gi = &gin[e];
      memset(gi, 0, sizeof *gi);
      gi->tx_valid = in->tx_valid;
      for (unsigned j = 0; j < PC_FW / 2; j++)
        gflit[e][j] = (uint64_t)in->tx_flit[2 * j] | (uint64_t)in->tx_flit[2 * j + 1] << 32;
      gi->tx_flit = gflit[e];
      gi->tx_side = in->tx_side;
      gi->rx_ready = in->rx_ready;
      if (p->cfg.test_gold_stall && p->t % p->cfg.test_gold_stall == 0) gi->rx_ready = 0;
      for (unsigned i = 0; i < PC_L; i++) {
        gi->lane_rx[i] = rx[1 - e][i];
        gi->lane_rx_power[i] = mon[1 - e][i];
      }
      if (g[e].rx_valid && gi->rx_ready) {
        p->gold_delivered[1 - e]++;
        p->win_gold[1 - e]++;
      }
    }
  }
  for (unsigned e = 0; e < 2; e++) phy_dut_eval(p->dut[e]);
  for (unsigned e = 0; e < 2; e++) phy_dut_clock(p->dut[e]);
  if (gold)
    for (unsigned e = 0; e < 2; e++) phy_link_step(p->gold[e], &gin[e]);
  for (unsigned e = 0; e < 2; e++)
    if (accept[e]) {
      p->next[e]++;
      p->accepted[e]++;
      p->holding[e] = 0;
    }
  p->t++;
  if (p->cfg.window && p->t % p->cfg.window == 0) {
    if (gold)
      for (unsigned d = 0; d < 2; d++) {
        uint64_t dev = p->win_rtl[d] > p->win_gold[d] ? p->win_rtl[d] - p->win_gold[d]
                                                      : p->win_gold[d] - p->win_rtl[d];
        if (dev > p->win_max_dev) p->win_max_dev = dev;
      }
    p->win_count++;
    for (unsigned d = 0; d < 2; d++) p->win_rtl[d] = p->win_gold[d] = 0;
  }
}

uint64_t pc_run_until_active(struct pc *p, uint64_t max) {
  uint64_t t0 = p->t;
  while (!pc_both_active(p)) {
    if (p->t - t0 >= max) return UINT64_MAX;
    pc_step(p);
  }
  return p->t - t0;
}

int pc_run_until_done(struct pc *p, uint64_t max, uint64_t tail) {
  uint64_t t0 = p->t;
  int r = 0;
  for (;;) {
    if (p->sb[0].expect >= p->cfg.limit[0] && p->sb[1].expect >= p->cfg.limit[1]) break;
    if (pc_any_down(p)) {
      r = 1;
      break;
    }
    if (p->t - t0 >= max) {
      r = -1;
      break;
    }
    pc_step(p);
  }
  for (uint64_t i = 0; i < tail; i++) pc_step(p);
  return r;
}
