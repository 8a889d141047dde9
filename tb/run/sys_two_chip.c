/* System "two-chip" (BRIEF section 5): the two-chip system of tb/system with
 * its firmwares, host drivers and optical channels; chip A's driver moves
 * traffic.dma_bytes to chip B by DMA while traffic agents load the mesh
 * ports of both tiles. docs/spec.md section 9.4.
 *
 * Monitors (a system observer, once per cycle) and scoreboards:
 *  - each tile's router is shadowed by a golden router (csim/noc) fed the
 *    RTL router's inputs of every cycle (flits into all six ports, credits
 *    into all six outputs); its outputs (flits, credits) are compared;
 *  - each direction of the optical link: every flit the PHY takes from the X
 *    adapter (tx valid & ready) must leave the far PHY (rx valid & ready)
 *    once, in order, bit-exact with its sideband;
 *  - the DMA: the bytes in chip B's receive buffer equal chip A's source;
 *  - agents' packets: end-to-end order and payload, latency per packet;
 *  - each tile's PHY is shadowed by a golden link end (csim/phy/phy_link,
 *    tb/xcheck/xc_phy.h) fed the RTL PHY's inputs of every cycle (datapath
 *    reset, flit interface, lane_rx, rx power, CSR-side inputs); lane words
 *    (bit-exact), laser bits, training state and the flits it delivers are
 *    compared every cycle;
 *  - each tile's NI is shadowed by a golden NI (csim/ni, tb/xcheck/xc_ni.h)
 *    fed the RTL NI's register inputs with their delayed strobes, the
 *    router-side flits and credits, over a golden host memory that mirrors
 *    the host's writes; flits, credits, memory requests, ring indices,
 *    interrupt and counters are compared every cycle;
 *  - each tile's datapath reset: dp_rst_n against ctrl.tile_en and
 *    ctrl.soft_rst of the previous cycle (spec 2.4);
 *  - energy: RTL activity counters of both tiles against the golden
 *    activity (router: the shadow routers' counters; link: the shadow link
 *    ends' own counters, spec 8.3).
 * After run.cycles the hosts take the links down and close their drivers
 * with every monitor still attached: the checks cover the close.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "channel/channel.h"
#include "noc/noc_router.h"
#include "optile_drv.h"
#include "run/runner.h"
#include "system/system.h"
#include "xcheck/xc_ni.h"
#include "xcheck/xc_phy.h"
#include "run/waves.h"

#define FW 256
#define NW (FW / 64)
#define LQ 1024 /* link scoreboard depth (flits in flight over one direction) */

enum { INJ_W = 0, INJ_N = 1, NINJ = 2 };

struct tc_pkt {
  unsigned dst_chip, dst_x, dst_y, flow, seq, len, vc;
};

struct injector {
  unsigned port;            /* mesh port driven (W or N) */
  struct tc_pkt cur;
  unsigned sent;            /* flits of cur sent; cur.len = 0: none */
  int credits[TILE_NUM_VC];
  uint16_t seq[4];
  uint64_t born;
  uint64_t pkts;
};

struct rxs {
  int active;
  unsigned src_chip, flow, seq, len, idx;
  uint64_t inj;
};

struct chipmon {
  noc_router *gold;
  int place_out[TILE_PORTS], place_cred[TILE_PORTS], place_sink, place_link;
  struct injector inj[NINJ];
  int sink_credit[TILE_MESH_PORTS];     /* credit to return on mesh output p this cycle, -1 none */
  struct rxs rx[2][TILE_MESH_PORTS][TILE_NUM_VC]; /* [side][port][vc] */
  uint16_t exp_seq[2][4];                /* [src chip][flow] */
  uint64_t sink_flits[2], sink_pkts;
  /* link scoreboard: flits this chip's PHY took, waiting at the far end */
  uint64_t lq[LQ][NW + 1];
  unsigned lq_h, lq_n;
  uint64_t link_flits;
  xc_phy_t *phy;                        /* the PHY's golden shadow */
  xc_ni_t *ni;                          /* the NI's golden shadow */
  int place_dprst;                      /* datapath reset timing (spec 2.4) */
  int prev_valid;                       /* prev_* hold the previous cycle's registers */
  uint8_t prev_tile_en, prev_soft_rst;
  uint64_t x_bits[2];                   /* X port output bits, per side */
};

struct tc {
  struct runner *r;
  sys_t *s;
  struct chipmon c[SYS_CHIPS];
  ch_rng_t rng;
  double p_new;
  int agents_on;
  int closing;                /* the run is over; the drivers are closing (still checked) */
  uint64_t e2e_errors, link_errors;
  uint64_t cycle;
  uint64_t snap_cycle;        /* cycle whose observer takes the energy snapshot */
  int snapped, stop_asked;
  uint64_t snap_t;            /* cycles covered by the snapshot (0..snap_t-1) */
  struct tile_counters snap_rtl[SYS_CHIPS];
  noc_router_counters snap_gold[SYS_CHIPS];
  phy_link_counters_t snap_phy[SYS_CHIPS];
};

static uint64_t mix(uint64_t z) { return ch_splitmix64(&z); }

/* Agent packet payload: flit i of (src chip, flow, seq); head word 0 is the
 * header, word 1 the injection cycle. */
static void agent_flit(unsigned src_chip, const struct tc_pkt *p, unsigned i, uint64_t born, noc_flit *f) {
  memset(f, 0, sizeof(*f));
  for (unsigned w = 0; w < NW; w++)
    f->data[w] = mix(0xa5a5000000000000ull ^ ((uint64_t)src_chip << 44) ^ ((uint64_t)p->flow << 40) ^
                     ((uint64_t)p->seq << 8) ^ i ^ ((uint64_t)w << 56));
  f->head = i == 0;
  f->tail = i + 1 == p->len;
  f->vc = (uint8_t)p->vc;
  if (f->head) {
    noc_header h = {0};
    h.dst_chip = p->dst_chip;
    h.dst_x = p->dst_x;
    h.dst_y = p->dst_y;
    h.src_chip = src_chip;
    h.src_x = 15; /* agents sit outside the tile */
    h.src_y = 15;
    h.flow = p->flow;
    h.seq = p->seq;
    h.len = p->len;
    noc_header_pack(f, &h);
    f->data[1] = born;
  }
}

static void link_words(const struct tile_link *l, uint64_t *w) {
  for (unsigned j = 0; j < NW; j++) w[j] = l->flit[2 * j] | (uint64_t)l->flit[2 * j + 1] << 32;
  w[NW] = (uint64_t)l->head | (uint64_t)l->tail << 1 | (uint64_t)l->vc << 2;
}

static void link_to_flit(const struct tile_link *l, noc_flit *f) {
  memset(f, 0, sizeof(*f));
  for (unsigned j = 0; j < NW; j++) f->data[j] = l->flit[2 * j] | (uint64_t)l->flit[2 * j + 1] << 32;
  f->head = l->head;
  f->tail = l->tail;
  f->vc = l->vc;
}

static void flit_words(const noc_flit *f, uint64_t *w) {
  memcpy(w, f->data, NW * sizeof(uint64_t));
  w[NW] = (uint64_t)f->head | (uint64_t)f->tail << 1 | (uint64_t)f->vc << 2;
}

static void flit_to_link(const noc_flit *f, struct tile_link *l) {
  memset(l, 0, sizeof(*l));
  l->valid = 1;
  l->head = f->head;
  l->tail = f->tail;
  l->vc = f->vc;
  for (unsigned j = 0; j < NW; j++) {
    l->flit[2 * j] = (uint32_t)f->data[j];
    l->flit[2 * j + 1] = (uint32_t)(f->data[j] >> 32);
  }
}

/* A flit seen at a sink (mesh output E or S) on one side. */
static void sink(struct tc *T, unsigned chip, unsigned port, enum xc_side side, const noc_flit *f, uint64_t cyc) {
  struct chipmon *c = &T->c[chip];
  xc_t *xc = T->r->xc;
  struct rxs *rx = &c->rx[side][port][f->vc % TILE_NUM_VC];
  if (side == XC_RTL) c->sink_flits[XC_RTL]++;
  else c->sink_flits[XC_GOLD]++;
  if (f->head) {
    noc_header h;
    noc_header_unpack(f, &h);
    rx->active = 1;
    rx->src_chip = h.src_chip % SYS_CHIPS;
    rx->flow = h.flow % 4;
    rx->seq = h.seq;
    rx->len = h.len;
    rx->idx = 0;
    rx->inj = f->data[1];
    if (side == XC_RTL && xc) {
      uint16_t *e = &c->exp_seq[rx->src_chip][rx->flow];
      if (h.seq != *e || h.src_x != 15 || h.dst_chip != chip) {
        char ex[192], ac[192];
        snprintf(ex, sizeof(ex), "agent packet for chip %u, flow %u seq %u", chip, rx->flow, *e);
        snprintf(ac, sizeof(ac), "dst chip %u src chip %u flow %u seq %u", h.dst_chip, h.src_chip, h.flow, h.seq);
        xc_mismatch(xc, cyc, c->place_sink, "end-to-end order", ex, ac);
        T->e2e_errors++;
      }
      *e = (uint16_t)(h.seq + 1);
    }
  }
  if (!rx->active) {
    if (side == XC_RTL && xc) {
      xc_mismatch(xc, cyc, c->place_sink, "end-to-end framing", "a head flit first", "a body flit");
      T->e2e_errors++;
    }
    return;
  }
  if (side == XC_RTL && xc) {
    struct tc_pkt p = {chip, 0, 0, rx->flow, rx->seq, rx->len, f->vc};
    noc_flit want;
    uint64_t we[NW + 1], ac[NW + 1];
    agent_flit(rx->src_chip, &p, rx->idx, rx->inj, &want);
    if (f->head) {
      noc_header h;
      noc_header_unpack(f, &h);
      p.dst_x = h.dst_x;
      p.dst_y = h.dst_y;
      agent_flit(rx->src_chip, &p, rx->idx, rx->inj, &want);
    }
    flit_words(&want, we);
    flit_words(f, ac);
    if (!xc_data(xc, cyc, c->place_sink, "end-to-end payload", true, we, true, ac, NW + 1)) T->e2e_errors++;
  }
  rx->idx++;
  if (f->tail) {
    rx->active = 0;
    if (xc) xc_latency(xc, side, cyc - rx->inj);
    if (side == XC_RTL) c->sink_pkts++;
  }
}

/* Drive hook, step 1 of cycle t: agents on the mesh ports. */
static void drive(void *ctx, sys_t *s, uint64_t t) {
  struct tc *T = ctx;
  for (unsigned chip = 0; chip < SYS_CHIPS; chip++) {
    struct chipmon *c = &T->c[chip];
    tile_dut *d = sys_tile(s, chip);
    const struct tile_dut_out *o = tile_dut_out(d);
    struct tile_dut_in *in = tile_dut_in(d);
    /* what the tile did in cycle t-1: credits for the agents, flits for the sinks */
    for (unsigned k = 0; k < NINJ; k++) {
      struct injector *a = &c->inj[k];
      if (t > 0 && o->mesh_in_credit[a->port].valid) a->credits[o->mesh_in_credit[a->port].vc % TILE_NUM_VC]++;
    }
    for (unsigned p = 0; p < TILE_MESH_PORTS; p++) {
      c->sink_credit[p] = -1;
      if (t > 0 && o->mesh_out[p].valid) {
        noc_flit f;
        link_to_flit(&o->mesh_out[p], &f);
        /* with checks on, the observer sinks the RTL's flits in the cycle
         * they leave, beside the golden side's */
        if (!T->r->checks) sink(T, chip, p, XC_RTL, &f, t - 1);
        c->sink_credit[p] = f.vc;
      }
      in->mesh_out_credit[p].valid = c->sink_credit[p] >= 0;
      in->mesh_out_credit[p].vc = (uint8_t)(c->sink_credit[p] >= 0 ? c->sink_credit[p] : 0);
    }
    /* new flits of cycle t */
    for (unsigned k = 0; k < NINJ; k++) {
      struct injector *a = &c->inj[k];
      struct tile_link *l = &in->mesh_in[a->port];
      memset(l, 0, sizeof(*l));
      if (!a->cur.len && T->agents_on && ch_rng_uniform(&T->rng) <= T->p_new) {
        struct tc_pkt *p = &a->cur;
        if (k == INJ_W) {
          /* half local (out of E), half to the other chip (its E, over the link) */
          int remote = ch_rng_uniform(&T->rng) < 0.5;
          p->dst_chip = remote ? 1 - chip : chip;
          p->dst_x = 1;
          p->dst_y = 0;
          p->flow = remote ? 1 : 0;
        } else {
          p->dst_chip = chip;
          p->dst_x = 0;
          p->dst_y = 1;
          p->flow = 2;
        }
        p->vc = p->flow == 1 ? 1 : (unsigned)(p->flow % TILE_NUM_VC);
        p->len = 1 + (unsigned)(ch_rng_next(&T->rng) % 8);
        p->seq = a->seq[p->flow]++;
        a->sent = 0;
        a->born = t;
      }
      if (a->cur.len && a->credits[a->cur.vc] > 0) {
        noc_flit f;
        if (a->sent == 0) a->born = t;
        agent_flit(chip, &a->cur, a->sent, a->born, &f);
        flit_to_link(&f, l);
        a->credits[a->cur.vc]--;
        if (++a->sent == a->cur.len) {
          a->cur.len = 0;
          a->pkts++;
        }
      }
    }
  }
}

/* Observer, step 6 of cycle t: monitors and scoreboards. */
static void observe(void *ctx, sys_t *s, uint64_t t) {
  struct tc *T = ctx;
  struct runner *r = T->r;
  xc_t *xc = r->xc;
  struct tile_obs o[SYS_CHIPS];
  T->cycle = t;
  for (unsigned chip = 0; chip < SYS_CHIPS; chip++) sys_tile_obs(s, chip, &o[chip]);
  /* Energy snapshot at step 6 of the last cycle t: the RTL's counters then
   * hold cycles 0..t-1; so do the shadow link ends' between the check and
   * the step of cycle t. */
  int snap = !T->snapped && (t == T->snap_cycle || (xc && xc_should_stop(xc)));
  for (unsigned chip = 0; chip < SYS_CHIPS; chip++) {
    struct chipmon *c = &T->c[chip];
    const struct tile_obs *b = &o[chip];
    /* PHY shadow: reset and compare cycle t, snapshot, then step it */
    if (c->phy) xc_phy_check(c->phy, t, b);
    if (snap) {
      sys_tile_counters(s, chip, &T->snap_rtl[chip]);
      if (c->gold) T->snap_gold[chip] = *noc_router_get_counters(c->gold);
      if (c->phy) T->snap_phy[chip] = *xc_phy_counters(c->phy);
    }
    if (c->phy) xc_phy_step(c->phy, t, b);
    if (c->ni) {
      struct tile_ni_obs nb;
      tile_dut *d = sys_tile(s, chip);
      tile_dut_ni_observe(d, &nb);
      xc_ni_cycle(c->ni, t, b, &nb, tile_dut_out(d), tile_dut_in(d));
    }
    if (!xc) continue;
    /* the datapath reset itself (spec 2.4): registered from ctrl.tile_en
     * and ctrl.soft_rst of the previous cycle */
    if (c->prev_valid) {
      const struct xc_hooks *hk = xc_get_hooks(xc);
      uint64_t want = c->prev_tile_en && !c->prev_soft_rst, got = b->dp_rst_n;
      if (hk->dprst_chip == (int)chip && hk->dprst_cycle == t) got ^= 1; /* test hook */
      xc_data(xc, t, c->place_dprst, "dp_rst_n", true, &want, true, &got, 1);
    }
    c->prev_valid = 1;
    c->prev_tile_en = b->reg_tile_en;
    c->prev_soft_rst = b->reg_soft_rst;
    /* router shadow: the RTL router's reset is asynchronous, so in a cycle
     * with the datapath reset active its outputs are already reset values;
     * the shadow is reset in the same cycle, compared, and not stepped */
    if (!b->dp_rst_n) noc_router_reset(c->gold);
    for (unsigned p = 0; p < TILE_PORTS; p++) {
      const noc_flit *g = noc_router_out(c->gold, p);
      const struct tile_link *ro = &b->rout[p];
      uint64_t gw[NW + 1] = {0}, aw[NW + 1] = {0};
      if (g) flit_words(g, gw);
      if (ro->valid) link_words(ro, aw);
      if (g || ro->valid) xc_data(xc, t, c->place_out[p], "flit", g != NULL, gw, ro->valid, aw, NW + 1);
      if (g) {
        xc_port_bits(xc, c->place_out[p], XC_GOLD, FW);
        if (p == TILE_PORT_X && !T->closing) c->x_bits[XC_GOLD] += FW;
        if (p == TILE_PORT_E || p == TILE_PORT_S) sink(T, chip, p, XC_GOLD, g, t);
      }
      if (ro->valid) {
        xc_port_bits(xc, c->place_out[p], XC_RTL, FW);
        if (p == TILE_PORT_X && !T->closing) c->x_bits[XC_RTL] += FW;
        if (p == TILE_PORT_E || p == TILE_PORT_S) {
          noc_flit f;
          link_to_flit(ro, &f);
          sink(T, chip, p, XC_RTL, &f, t);
        }
      }
      int gc = noc_router_credit_out(c->gold, p);
      int ac = b->rin[p].credit_valid ? (int)b->rin[p].credit_vc : -1;
      if (gc >= 0 || ac >= 0) {
        uint64_t ge = (uint64_t)(gc >= 0 ? gc : 0), ae = (uint64_t)(ac >= 0 ? ac : 0);
        xc_data(xc, t, c->place_cred[p], "credit vc", gc >= 0, &ge, ac >= 0, &ae, 1);
      }
    }
    if (b->dp_rst_n) {
      for (unsigned p = 0; p < TILE_PORTS; p++) {
        if (b->rin[p].valid) {
          noc_flit f;
          link_to_flit(&b->rin[p], &f);
          noc_router_inject(c->gold, p, &f);
        }
        if (b->rout[p].credit_valid) noc_router_credit(c->gold, p, b->rout[p].credit_vc);
      }
      noc_router_step(c->gold);
    }
    /* link scoreboard: into this chip's PHY ... */
    if (b->phy_tx_valid && b->phy_tx_ready) {
      if (c->lq_n == LQ) {
        xc_mismatch(xc, t, c->place_link, "link scoreboard", "at most 1024 flits in flight", "more");
        T->link_errors++;
      } else {
        uint64_t *w = c->lq[(c->lq_h + c->lq_n) % LQ];
        for (unsigned j = 0; j < NW; j++) w[j] = b->phy_tx_flit[2 * j] | (uint64_t)b->phy_tx_flit[2 * j + 1] << 32;
        w[NW] = b->phy_tx_side;
        c->lq_n++;
      }
    }
  }
  if (snap) {
    T->snapped = 1;
    T->snap_t = t;
  }
  if (!xc) return;
  /* ... and out of the far one, once, in order, exact */
  for (unsigned chip = 0; chip < SYS_CHIPS; chip++) {
    const struct tile_obs *b = &o[chip];
    struct chipmon *src = &T->c[1 - chip];
    if (!(b->phy_rx_valid && b->phy_rx_ready)) continue;
    uint64_t aw[NW + 1];
    for (unsigned j = 0; j < NW; j++) aw[j] = b->phy_rx_flit[2 * j] | (uint64_t)b->phy_rx_flit[2 * j + 1] << 32;
    aw[NW] = b->phy_rx_side;
    if (!src->lq_n) {
      uint64_t none[NW + 1] = {0};
      xc_data(xc, t, src->place_link, "flit delivered", false, none, true, aw, NW + 1);
      T->link_errors++;
      continue;
    }
    if (!xc_data(xc, t, src->place_link, "flit delivered", true, src->lq[src->lq_h], true, aw, NW + 1))
      T->link_errors++;
    src->lq_h = (src->lq_h + 1) % LQ;
    src->lq_n--;
    src->link_flits++;
  }
  xc_tick(xc, t);
  if (xc_should_stop(xc) && !T->stop_asked) {
    T->stop_asked = 1;
    T->snap_cycle = t + 1; /* the observer of the next cycle (if any) */
    const struct xc_mismatch *m = xc_first_mismatch(xc);
    snprintf(r->stopped, sizeof(r->stopped), "stopped at cycle %" PRIu64 " after a mismatch at %s (%s)", t,
             m->place, m->what);
    sys_stop(s, r->stopped);
  }
}


struct prog_ctx {
  struct runner *r;
};

static void prog_obs(void *ctx, sys_t *s, uint64_t t) {
  (void)s;
  struct runner *r = ctx;
  progress_tick(&r->prog, t);
}

static void ch_tweak(void *ctx, unsigned dir, ch_cfg_t *c) {
  struct runner *r = ctx;
  c->burst_rate = r->s.burst_rate;
  c->burst_len_mean = r->s.burst_len;
  c->burst_flip = 0.5;
  for (unsigned i = 0; i < c->lanes && i < CH_MAX_LANES; i++)
    c->skew_bits[i] = (unsigned)((i * 7u + dir * 3u) % (r->s.skew_cycles + 1)) * c->lane_w;
  if (r->s.lost_lane >= 0 && dir == 0) c->loss_cycle[r->s.lost_lane] = r->s.lost_cycle;
}

int sys_two_chip_run(struct runner *r, char *err, size_t errlen) {
  struct tc *T = calloc(1, sizeof(*T));
  if (!T) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  T->r = r;
  int obs_id = -1, prog_id = -1;
  ch_rng_seed(&T->rng, r->s.seed ^ 0x5eedull);
  T->p_new = r->s.pattern == SCN_TR_NONE ? 0 : r->s.rate / 4.5;
  struct sys_cfg cfg;
  sys_cfg_default(&cfg);
  cfg.seed = r->s.seed;
  cfg.fw_elf = r->s.firmware;
  cfg.lanes = r->s.lanes;
  cfg.latency_cycles = r->s.fiber_cycles;
  cfg.ber = r->s.ber;
  cfg.drift_k_per_s = r->s.drift_k_per_ms * 1000.0;
  cfg.ring_enable = 1;
  cfg.ch_tweak = ch_tweak;
  cfg.ch_tweak_ctx = r;
  char wpath[700];
  if (r->s.waves != SCN_WAVES_NONE) {
    /* the tiles' own FST (full RTL hierarchy); for vcd it is converted
     * after the run, once sys_free has closed the files */
    snprintf(wpath, sizeof(wpath), "%.600s/waves/system", r->outdir);
    cfg.waves = SYS_WAVES_FST;
    cfg.wave_from = r->s.waves_from;
    cfg.wave_to = r->s.waves_to ? r->s.waves_to + 1 : 0;
    cfg.wave_path = wpath;
    snprintf(r->waves_path, sizeof(r->waves_path), "%.500s.A.%s and .B.%s", wpath,
             r->s.waves == SCN_WAVES_VCD ? "vcd" : "fst", r->s.waves == SCN_WAVES_VCD ? "vcd" : "fst");
  }
  sys_t *s = sys_create(&cfg, err, errlen);
  if (!s) {
    free(T);
    return -1;
  }
  T->s = s;
  T->snap_cycle = r->s.cycles - 1;
  for (unsigned chip = 0; chip < SYS_CHIPS; chip++) {
    struct chipmon *c = &T->c[chip];
    c->inj[INJ_W].port = TILE_PORT_W;
    c->inj[INJ_N].port = TILE_PORT_N;
    for (unsigned k = 0; k < NINJ; k++)
      for (unsigned v = 0; v < TILE_NUM_VC; v++) c->inj[k].credits[v] = TILE_BUF_DEPTH;
    if (r->checks) {
      noc_router_config rc;
      memset(&rc, 0, sizeof(rc));
      rc.my_chip = chip;
      /* the route table sys_open programs: the other chip through X */
      rc.route[1 - chip] = NOC_ROUTE_VALID | NOC_PORT_X;
      c->gold = noc_router_new(&rc, err, errlen);
      if (!c->gold) goto fail;
      char pname[16];
      snprintf(pname, sizeof(pname), "chip%c", 'A' + chip);
      c->phy = xc_phy_new(r->xc, chip, pname, err, errlen);
      if (!c->phy) goto fail;
      c->ni = xc_ni_new(r->xc, chip, pname, sys_hostmem(s, chip), err, errlen);
      if (!c->ni) goto fail;
      for (unsigned p = 0; p < TILE_PORTS; p++) {
        char place[64];
        int used = p != TILE_PORT_N && p != TILE_PORT_W; /* no traffic leaves through N or W */
        snprintf(place, sizeof(place), "chip%c.out.%s", 'A' + chip, noc_port_name(p));
        c->place_out[p] = xc_port_add(r->xc, place, used);
        snprintf(place, sizeof(place), "chip%c.credit.%s", 'A' + chip, noc_port_name(p));
        c->place_cred[p] = xc_port_add(r->xc, place, false);
      }
      char place[64];
      snprintf(place, sizeof(place), "chip%c.sinks", 'A' + chip);
      c->place_sink = xc_port_add(r->xc, place, false);
      snprintf(place, sizeof(place), "link %c->%c", 'A' + chip, 'B' - chip);
      c->place_link = xc_port_add(r->xc, place, false);
      snprintf(place, sizeof(place), "chip%c.dp_rst_n", 'A' + chip);
      c->place_dprst = xc_port_add(r->xc, place, false);
    }
  }
  if (r->xc && r->s.waves != SCN_WAVES_NONE) xc_set_waves(r->xc, r->waves_path);
  if (runner_resolve_hook(r, err, errlen)) goto fail;
  /* checks off (bare RTL, for the benchmark): no monitors at all */
  obs_id = r->checks ? sys_add_observer(s, observe, T) : -1;
  if (r->prog.on) prog_id = sys_add_observer(s, prog_obs, r);
  sys_set_drive(s, drive, T);

  const uint64_t budget = r->s.cycles;
  uint32_t left;
  int rc;
#define LEFT() (left = sys_cycle(s) >= budget ? 1u : (uint32_t)(budget - sys_cycle(s) < UINT32_MAX ? budget - sys_cycle(s) : UINT32_MAX))
  struct sys_xfer xf;
  memset(&xf, 0, sizeof(xf));
  int dma_ok = 0;
  uint64_t link_up_cycle = 0;
  struct optile_dma_buf sb = {0}, db = {0};
  uint8_t *src = NULL, *dst = NULL;
  LEFT();
  rc = sys_open(s, left);
  if (!rc) {
    LEFT();
    rc = sys_link_up(s, left);
    link_up_cycle = sys_cycle(s);
  }
  if (!rc) rc = sys_dma_setup(s);
  runner_log(r, false, "two-chip: open, link up and DMA set-up: %s at cycle %" PRIu64,
             rc ? sys_errmsg(s) : "ok", sys_cycle(s));
  T->agents_on = 1;
  if (!rc && r->s.dma_bytes) {
    struct optile_dev *da = sys_dev(s, SYS_CHIP_A), *dbv = sys_dev(s, SYS_CHIP_B);
    size_t n = (size_t)r->s.dma_bytes;
    src = malloc(n);
    dst = malloc(n);
    if (!src || !dst || da->hal.ops->dma_alloc(da->hal.ctx, n, 4096, &sb) ||
        dbv->hal.ops->dma_alloc(dbv->hal.ctx, n, 4096, &db)) {
      snprintf(err, errlen, "two-chip: cannot allocate %zu-byte DMA buffers", n);
      free(src), free(dst);
      goto fail;
    }
    for (size_t i = 0; i < n; i += 8) {
      uint64_t v = mix(r->s.seed * 0x100000000ull + i);
      memcpy(src + i, &v, n - i < 8 ? n - i : 8);
    }
    da->hal.ops->dma_write(da->hal.ctx, sb.bus, src, n);
    LEFT();
    rc = sys_transfer(s, SYS_CHIP_A, sb.bus, db.bus, n, left, &xf);
    runner_log(r, false, "two-chip: DMA of %zu bytes: %s; %" PRIu64 " delivered in cycles %" PRIu64 "..%" PRIu64, n,
               rc ? sys_errmsg(s) : "ok", xf.delivered, xf.start_cycle, xf.end_cycle);
    dbv->hal.ops->dma_read(dbv->hal.ctx, db.bus, dst, n);
    dma_ok = !rc && xf.delivered == n && !memcmp(src, dst, n);
  }
  int setup_rc = rc;
  char setup_msg[256];
  snprintf(setup_msg, sizeof(setup_msg), "%s", setup_rc ? sys_errmsg(s) : "");
  /* the rest of the run: agents and firmware tracking under drift */
  if (sys_cycle(s) < budget && rc != -ECANCELED) rc = sys_step(s, budget - sys_cycle(s));
  r->cycles_run = sys_cycle(s);
  uint64_t t = r->cycles_run;
  /* The run is over: the hosts take the links down and close their
   * drivers. That steps the system on, and it stays fully checked (agents
   * finish the packet in hand and offer no new one; sinks keep returning
   * credits), so a difference around a datapath or PHY reset cannot hide
   * behind the end of the run (spec 9.4). */
  T->agents_on = 0;
  T->closing = 1;
  if (prog_id >= 0) sys_remove_observer(s, prog_id); /* progress counts run.cycles */
  prog_id = -1;
  if (rc != -ECANCELED) {
    uint64_t c0 = sys_cycle(s);
    for (unsigned chip = 0; chip < SYS_CHIPS && setup_rc == 0; chip++)
      if (optile_link_down(sys_dev(s, chip)))
        runner_log(r, true, "two-chip: close: chip %c: link down: %s", 'A' + chip,
                   optile_last_error(sys_dev(s, chip)));
    for (unsigned chip = 0; chip < SYS_CHIPS; chip++) optile_close(sys_dev(s, chip));
    runner_log(r, false, "two-chip: close (links down, drivers closed), checked: cycles %" PRIu64 "..%" PRIu64, c0,
               sys_cycle(s) - 1);
  }
  if (obs_id >= 0) sys_remove_observer(s, obs_id);
  if (prog_id >= 0) sys_remove_observer(s, prog_id);
  sys_set_drive(s, NULL, NULL);
  if (r->xc) xc_finish(r->xc, sys_cycle(s));

  /* ---- checks and figures ---- */
  if (r->checks) {
    results_check(&r->res, "system", "bring-up and DMA set-up", setup_rc == 0 || (r->s.dma_bytes && xf.start_cycle),
                  "open, link up, DMA rings: %s (link up at cycle %" PRIu64 ")", setup_rc ? setup_msg : "ok",
                  link_up_cycle);
    if (r->s.dma_bytes) {
      size_t first = 0;
      if (src && dst)
        while (first < r->s.dma_bytes && src[first] == dst[first]) first++;
      results_check(&r->res, "data", "DMA A->B payload", dma_ok,
                    "%" PRIu64 " of %" PRIu64 " bytes delivered in %u messages, cycles %" PRIu64 "..%" PRIu64
                    "; first differing byte %s%zu%s",
                    xf.delivered, r->s.dma_bytes, xf.msgs_received, xf.start_cycle, xf.end_cycle,
                    first < r->s.dma_bytes ? "at offset " : "none (", first, first < r->s.dma_bytes ? "" : " equal)");
    }
    results_check(&r->res, "data", "agents end to end", T->e2e_errors == 0 && (T->p_new == 0 || T->c[0].sink_pkts + T->c[1].sink_pkts > 0),
                  "%" PRIu64 " packets received at the sinks, in order with exact payload; %" PRIu64 " errors",
                  T->c[0].sink_pkts + T->c[1].sink_pkts, T->e2e_errors);
    for (unsigned chip = 0; chip < SYS_CHIPS; chip++) {
      struct tile_counters tc;
      sys_tile_counters(s, chip, &tc);
      char name[64];
      snprintf(name, sizeof(name), "chip%c router error counters", 'A' + chip);
      uint32_t e = tc.rtr_err_route + tc.rtr_err_proto + tc.rtr_err_ovf + tc.rtr_err_credit;
      results_check(&r->res, "data", name, e == 0, "err_route+err_proto+err_ovf+err_credit = %u", e);
      snprintf(name, sizeof(name), "link %c->%c flits in flight at the end", 'A' + chip, 'B' - chip);
      results_check(&r->res, "data", name, true, "%u flits sent and not yet delivered; %" PRIu64 " delivered",
                    T->c[chip].lq_n, T->c[chip].link_flits);
    }
  }
  /* energy: RTL counters of both tiles against the golden activity */
  energy_activity_t *ar = &r->act_rtl, *ag = &r->act_gold;
  energy_activity_init(ar);
  energy_activity_init(ag);
  ar->lanes = ag->lanes = TILE_LANES;
  struct tile_counters tcs[SYS_CHIPS];
  for (unsigned chip = 0; chip < SYS_CHIPS; chip++) sys_tile_counters(s, chip, &tcs[chip]);
  if (!T->snapped) {
    /* the run ended before its last cycle was observed: use what is there now */
    T->snap_t = t;
    for (unsigned chip = 0; chip < SYS_CHIPS; chip++) {
      T->snap_rtl[chip] = tcs[chip];
      if (T->c[chip].gold) T->snap_gold[chip] = *noc_router_get_counters(T->c[chip].gold);
      if (T->c[chip].phy) T->snap_phy[chip] = *xc_phy_counters(T->c[chip].phy);
    }
    runner_log(r, false, "two-chip: energy snapshot taken after the run (cycle %" PRIu64 ")", t);
  }
  for (unsigned chip = 0; chip < SYS_CHIPS; chip++) {
    const struct tile_counters *tc = &T->snap_rtl[chip], *far = &T->snap_rtl[1 - chip];
    for (unsigned i = 0; i < TILE_LANES; i++) {
      ar->bits_sent[i] += tc->bits_sent[i];
      ar->bits_received[i] += far->bits_sent[i];
      ar->laser_cycles[i] += tc->laser_cycles[i];
      ar->heater_integral[i] += tc->heater_integral[i];
      ag->bits_sent[i] += T->snap_phy[chip].bits_sent[i];
      ag->bits_received[i] += T->snap_phy[1 - chip].bits_sent[i];
      ag->laser_cycles[i] += T->snap_phy[chip].laser_cycles[i];
      ag->heater_integral[i] += T->snap_phy[chip].heater_integral[i];
    }
    ar->replays += tc->phy_replays;
    ag->replays += T->snap_phy[chip].replays;
    for (unsigned p = 0; p < TILE_PORTS; p++) {
      ar->buf_writes += tc->rtr_buf_wr[p];
      ar->buf_reads += tc->rtr_buf_rd[p];
      ar->xbar += tc->rtr_xbar[p];
      ar->va_grants += tc->rtr_va[p];
      ar->sa_arbs += tc->rtr_sa[p];
      ar->router_flits += tc->rtr_flits_out[p];
    }
    if (r->checks) {
      const noc_router_counters *g = &T->snap_gold[chip];
      for (unsigned p = 0; p < TILE_PORTS; p++) {
        ag->buf_writes += g->buf_wr[p];
        ag->buf_reads += g->buf_rd[p];
        ag->xbar += g->xbar[p];
        ag->va_grants += g->va[p];
        ag->sa_arbs += g->sa[p];
        ag->router_flits += g->flits_out[p];
      }
    }
  }
  ar->cycles = ag->cycles = 2 * T->snap_t;
  uint64_t agent_bits = (T->c[0].sink_flits[XC_RTL] + T->c[1].sink_flits[XC_RTL]) * FW;
  ar->payload_bits = ag->payload_bits = xf.delivered * 8 + agent_bits;
  r->have_energy = r->checks;

  double secs_dma = xf.end_cycle > xf.start_cycle ? (double)(xf.end_cycle - xf.start_cycle) * 1e-9 : NAN;
  double ts = (double)t * 1e-9;
  /* 64b/66b payload bound of the link: L x W bits per cycle at 1 GHz x 64/66 */
  const double lim = (double)r->s.lanes * TILE_LANE_W * 64.0 / 66.0;
  runner_row_lim(r, "DMA A->B goodput", "Gb/s", NAN, (double)xf.delivered * 8 / secs_dma / 1e9, lim);
  runner_row_lim(r, "chip A X port, whole run", "Gb/s",
                 r->checks ? (double)T->c[0].x_bits[XC_GOLD] / ts / 1e9 : NAN, (double)T->c[0].x_bits[XC_RTL] / ts / 1e9, lim);
  runner_row_lim(r, "chip B X port, whole run", "Gb/s",
                 r->checks ? (double)T->c[1].x_bits[XC_GOLD] / ts / 1e9 : NAN, (double)T->c[1].x_bits[XC_RTL] / ts / 1e9, lim);
  if (r->xc) {
    runner_row(r, "agent packet latency p50", "cycles", xc_latency_pct(r->xc, XC_GOLD, 50), xc_latency_pct(r->xc, XC_RTL, 50));
    runner_row(r, "agent packet latency p99", "cycles", xc_latency_pct(r->xc, XC_GOLD, 99), xc_latency_pct(r->xc, XC_RTL, 99));
  }
  runner_row(r, "link up (both chips) at", "cycle", NAN, (double)link_up_cycle);
  runner_row(r, "replays A+B", "", NAN, (double)(tcs[0].phy_replays + tcs[1].phy_replays));
  runner_row(r, "link downs A+B", "", NAN, (double)(tcs[0].phy_link_downs + tcs[1].phy_link_downs));

  /* link events */
  json_t *ev = json_array();
  uint64_t nev = sys_event_count(s);
  for (uint64_t i = 0; i < nev; i++) {
    struct sys_event e;
    if (sys_event(s, i, &e)) continue;
    json_array_append_new(ev, json_pack("{s:I, s:s, s:s, s:I}", "cycle", (json_int_t)e.cycle, "chip",
                                        e.chip ? "B" : "A", "kind", sys_event_name(e.kind), "value",
                                        (json_int_t)e.value));
  }
  json_t *lk = json_object();
  json_object_set_new(lk, "events", ev);
  json_object_set_new(lk, "link_up_cycle", json_integer((json_int_t)link_up_cycle));
  for (unsigned chip = 0; chip < SYS_CHIPS; chip++) {
    const struct tile_counters *tc = &tcs[chip];
    json_object_set_new(lk, chip ? "B" : "A",
                        json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "tx_flits", (json_int_t)tc->phy_tx_flits,
                                  "rx_flits", (json_int_t)tc->phy_rx_flits, "replays", (json_int_t)tc->phy_replays,
                                  "bad_packets", (json_int_t)tc->phy_bad_packets, "retrains",
                                  (json_int_t)tc->phy_retrains, "link_downs", (json_int_t)tc->phy_link_downs,
                                  "idle_entries", (json_int_t)tc->phy_idle_entries, "rx_errors",
                                  (json_int_t)tc->phy_rx_errors));
  }
  r->links = lk;
  json_object_set_new(r->res.summary, "dma",
                      json_pack("{s:I, s:I, s:I, s:I, s:o}", "bytes", (json_int_t)r->s.dma_bytes, "delivered",
                                (json_int_t)xf.delivered, "start_cycle", (json_int_t)xf.start_cycle, "end_cycle",
                                (json_int_t)xf.end_cycle, "goodput_gbps",
                                isnan(secs_dma) ? json_null() : json_real((double)xf.delivered * 8 / secs_dma / 1e9)));
  free(src), free(dst);
  for (unsigned chip = 0; chip < SYS_CHIPS; chip++) {
    noc_router_free(T->c[chip].gold);
    xc_phy_free(T->c[chip].phy);
    xc_ni_free(T->c[chip].ni);
  }
  sys_free(s);
  free(T);
  if (r->s.waves == SCN_WAVES_VCD)
    for (unsigned chip = 0; chip < SYS_CHIPS; chip++) {
      char fst[720], vcd[720], e[600];
      snprintf(fst, sizeof(fst), "%s.%c.fst", wpath, 'A' + chip);
      snprintf(vcd, sizeof(vcd), "%s.%c.vcd", wpath, 'A' + chip);
      if (waves_fst_to_vcd(waves_fst2vcd_prog(), fst, vcd, e, sizeof(e)))
        runner_log(r, true, "two-chip: waves: %s", e);
    }
  return 0;
fail:
  /* closing the drivers steps the system: unhook the monitors first */
  if (obs_id >= 0) sys_remove_observer(s, obs_id);
  if (prog_id >= 0) sys_remove_observer(s, prog_id);
  sys_set_drive(s, NULL, NULL);
  for (unsigned chip = 0; chip < SYS_CHIPS; chip++) xc_ni_free(T->c[chip].ni); /* unhooks the memory */
  sys_free(s);
  for (unsigned chip = 0; chip < SYS_CHIPS; chip++) {
    noc_router_free(T->c[chip].gold);
    xc_phy_free(T->c[chip].phy);
  }
  free(T);
  return -1;
}
