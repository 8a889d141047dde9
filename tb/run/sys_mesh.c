/* System "mesh": a k x k mesh of Verilated routers (tb/noc/router_dut) with
 * traffic agents on every L port, each router shadowed by a cycle-accurate
 * golden router (csim/noc/noc_router) fed the RTL router's inputs of every
 * cycle. docs/spec.md section 9.3. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "channel/channel.h"
#include "noc/noc_router.h"
#include "noc/router_dut.h"
#include "run/runner.h"
#include "run/waves.h"

#define FW ROUTER_DUT_FLIT_BITS
#define NW (FW / 64)
#define QMAX 64

struct pkt {
  unsigned dst, len, flow, seq, vc;
  uint64_t born;
};

struct agent {
  struct pkt q[QMAX];
  unsigned qh, qn;
  unsigned sent;              /* flits of q[qh] sent */
  int credits[ROUTER_DUT_NUM_VC];
  uint16_t *seq;              /* next seq per flow (= destination tile) */
  uint64_t dropped_offers;
  /* sink */
  int credit_vc;              /* credit to return this cycle, -1: none */
  struct {
    int active;
    unsigned src, flow, seq, len, idx;
    uint64_t inj;
  } rx[2][ROUTER_DUT_NUM_VC]; /* [side][vc] packet being received */
  uint16_t *exp_seq;          /* [src * n + flow] next expected seq (RTL stream) */
  uint64_t delivered_flits[2];
};

struct mesh {
  struct runner *r;
  unsigned k, n;
  router_dut **dut;
  noc_router **gold;
  struct agent *ag;
  ch_rng_t rng;
  int port_out[64][NOC_NUM_PORTS];   /* xc ids: output flits */
  int port_cred[64][NOC_NUM_PORTS];  /* xc ids: credit wires */
  int sink_place[64];
  uint64_t pkts_sent, pkts_rcvd, e2e_errors;
};

static uint64_t mix(uint64_t z) { return ch_splitmix64(&z); }

/* Payload of flit i of packet (src, flow, seq); word 0 of a head is the
 * header, word 1 of a head the cycle it was made (latency). */
static void make_flit(const struct mesh *m, unsigned src, const struct pkt *p, unsigned i, noc_flit *f) {
  memset(f, 0, sizeof(*f));
  for (unsigned w = 0; w < NW; w++)
    f->data[w] = mix(((uint64_t)src << 48) ^ ((uint64_t)p->flow << 40) ^ ((uint64_t)p->seq << 8) ^ i ^
                     ((uint64_t)w << 56));
  f->head = i == 0;
  f->tail = i + 1 == p->len;
  f->vc = (uint8_t)p->vc;
  if (f->head) {
    noc_header h = {0};
    h.dst_x = p->dst % m->k;
    h.dst_y = p->dst / m->k;
    h.src_x = src % m->k;
    h.src_y = src / m->k;
    h.flow = p->flow;
    h.seq = p->seq;
    h.len = p->len;
    noc_header_pack(f, &h);
    f->data[1] = p->born;
  }
}

static void to_rf(const noc_flit *f, int valid, struct router_flit *o) {
  memset(o, 0, sizeof(*o));
  o->valid = valid;
  if (!valid) return;
  o->head = f->head;
  o->tail = f->tail;
  o->vc = f->vc;
  for (unsigned w = 0; w < NW; w++) {
    o->data[2 * w] = (uint32_t)f->data[w];
    o->data[2 * w + 1] = (uint32_t)(f->data[w] >> 32);
  }
}

static void from_rf(const struct router_flit *o, noc_flit *f) {
  memset(f, 0, sizeof(*f));
  f->head = (uint8_t)o->head;
  f->tail = (uint8_t)o->tail;
  f->vc = (uint8_t)o->vc;
  for (unsigned w = 0; w < NW; w++) f->data[w] = o->data[2 * w] | (uint64_t)o->data[2 * w + 1] << 32;
}

/* Flit with its sideband as NW + 1 words for the scoreboards. */
static void words(const noc_flit *f, uint64_t *w) {
  memcpy(w, f->data, NW * sizeof(uint64_t));
  w[NW] = (uint64_t)f->head | (uint64_t)f->tail << 1 | (uint64_t)f->vc << 2;
}

static unsigned pick_dst(struct mesh *m, unsigned src) {
  unsigned k = m->k, x = src % k, y = src / k;
  switch (m->r->s.pattern) {
    case SCN_TR_TRANSPOSE: return x * k + y;
    case SCN_TR_BITCOMP: return (k - 1 - y) * k + (k - 1 - x);
    case SCN_TR_HOTSPOT:
      if (ch_rng_uniform(&m->rng) < 0.5) return m->r->s.hotspot_y * k + m->r->s.hotspot_x;
      /* fall through */
    default: {
      if (m->n == 1) return 0;
      unsigned d = (unsigned)(ch_rng_next(&m->rng) % (m->n - 1));
      return d >= src ? d + 1 : d;
    }
  }
}

static int nbr(const struct mesh *m, unsigned i, unsigned p, unsigned *j, unsigned *q) {
  unsigned k = m->k, x = i % k, y = i / k;
  switch (p) {
    case NOC_PORT_N: if (y == 0) return 0; *j = i - k; *q = NOC_PORT_S; return 1;
    case NOC_PORT_S: if (y + 1 == k) return 0; *j = i + k; *q = NOC_PORT_N; return 1;
    case NOC_PORT_W: if (x == 0) return 0; *j = i - 1; *q = NOC_PORT_E; return 1;
    case NOC_PORT_E: if (x + 1 == k) return 0; *j = i + 1; *q = NOC_PORT_W; return 1;
    default: return 0;
  }
}

static void sink(struct mesh *m, unsigned i, enum xc_side side, const noc_flit *f, uint64_t cyc) {
  struct agent *a = &m->ag[i];
  xc_t *xc = m->r->xc;
  unsigned vc = f->vc % ROUTER_DUT_NUM_VC;
  a->delivered_flits[side]++;
  if (f->head) {
    noc_header h;
    noc_header_unpack(f, &h);
    unsigned src = h.src_y * m->k + h.src_x;
    a->rx[side][vc].active = 1;
    a->rx[side][vc].src = src < m->n ? src : 0;
    a->rx[side][vc].flow = h.flow;
    a->rx[side][vc].seq = h.seq;
    a->rx[side][vc].len = h.len;
    a->rx[side][vc].idx = 0;
    a->rx[side][vc].inj = f->data[1];
    if (side == XC_RTL) {
      unsigned key = a->rx[side][vc].src * m->n + (h.flow % m->n);
      if (h.dst_x + h.dst_y * m->k != i || src >= m->n || h.seq != a->exp_seq[key]) {
        char e[192], g[192];
        snprintf(e, sizeof(e), "packet for tile %u, from a tile < %u, seq %u", i, m->n, a->exp_seq[key]);
        snprintf(g, sizeof(g), "dst (%u,%u) src (%u,%u) flow %u seq %u", h.dst_x, h.dst_y, h.src_x, h.src_y,
                 h.flow, h.seq);
        xc_mismatch(xc, cyc, m->sink_place[i], "end-to-end order", e, g);
        m->e2e_errors++;
      }
      a->exp_seq[key] = (uint16_t)(h.seq + 1);
    }
  }
  if (!a->rx[side][vc].active) {
    if (side == XC_RTL) {
      xc_mismatch(xc, cyc, m->sink_place[i], "end-to-end framing", "a head flit first", "a body flit");
      m->e2e_errors++;
    }
    return;
  }
  if (side == XC_RTL) {
    struct pkt p = {0};
    p.dst = i;
    p.len = a->rx[side][vc].len;
    p.flow = a->rx[side][vc].flow;
    p.seq = a->rx[side][vc].seq;
    p.vc = vc;
    p.born = a->rx[side][vc].inj;
    noc_flit want;
    uint64_t we[NW + 1], ac[NW + 1];
    make_flit(m, a->rx[side][vc].src, &p, a->rx[side][vc].idx, &want);
    words(&want, we);
    words(f, ac);
    if (!xc_data(xc, cyc, m->sink_place[i], "end-to-end payload", true, we, true, ac, NW + 1)) m->e2e_errors++;
  }
  a->rx[side][vc].idx++;
  if (f->tail) {
    a->rx[side][vc].active = 0;
    xc_latency(xc, side, cyc - a->rx[side][vc].inj);
    if (side == XC_RTL) m->pkts_rcvd++;
  }
}

static void mesh_free(struct mesh *m) {
  for (unsigned i = 0; i < m->n; i++) {
    if (m->dut && m->dut[i]) router_dut_free(m->dut[i]);
    if (m->gold) noc_router_free(m->gold[i]);
    if (m->ag) {
      free(m->ag[i].seq);
      free(m->ag[i].exp_seq);
    }
  }
  free(m->dut);
  free(m->gold);
  free(m->ag);
}

int sys_mesh_run(struct runner *r, char *err, size_t errlen) {
  struct mesh M, *m = &M;
  memset(m, 0, sizeof(*m));
  m->r = r;
  m->k = r->s.mesh_k;
  m->n = m->k * m->k;
  if (m->n > 64) {
    snprintf(err, errlen, "%s: system.mesh %u: the mesh system runs at most 8x8 tiles", r->s.path, m->k);
    return -1;
  }
  ch_rng_seed(&m->rng, r->s.seed);
  m->dut = calloc(m->n, sizeof(*m->dut));
  m->gold = calloc(m->n, sizeof(*m->gold));
  m->ag = calloc(m->n, sizeof(*m->ag));
  if (!m->dut || !m->gold || !m->ag) {
    snprintf(err, errlen, "out of memory");
    mesh_free(m);
    return -1;
  }
  for (unsigned i = 0; i < m->n; i++) {
    m->dut[i] = router_dut_new();
    if (!m->dut[i]) {
      snprintf(err, errlen, "cannot create router model %u", i);
      mesh_free(m);
      return -1;
    }
    router_dut_set_id(m->dut[i], 0, i % m->k, i / m->k);
    router_dut_set_route(m->dut[i], 0);
    router_dut_reset(m->dut[i], 4);
    if (r->checks) {
      noc_router_config c;
      memset(&c, 0, sizeof(c));
      c.my_x = i % m->k;
      c.my_y = i / m->k;
      for (unsigned e = 0; e < 16; e++) c.route[e] = 0;
      m->gold[i] = noc_router_new(&c, err, errlen);
      if (!m->gold[i]) {
        mesh_free(m);
        return -1;
      }
    }
    struct agent *a = &m->ag[i];
    a->seq = calloc(m->n, sizeof(uint16_t));
    a->exp_seq = calloc((size_t)m->n * m->n, sizeof(uint16_t));
    if (!a->seq || !a->exp_seq) {
      snprintf(err, errlen, "out of memory");
      mesh_free(m);
      return -1;
    }
    for (unsigned v = 0; v < ROUTER_DUT_NUM_VC; v++) a->credits[v] = ROUTER_DUT_BUF_DEPTH;
    a->credit_vc = -1;
    if (r->checks) {
      for (unsigned p = 0; p < NOC_NUM_PORTS; p++) {
        unsigned j, q;
        char place[64];
        bool used = p == NOC_PORT_L || nbr(m, i, p, &j, &q);
        snprintf(place, sizeof(place), "tile%u_%u.out.%s", i % m->k, i / m->k, noc_port_name(p));
        m->port_out[i][p] = xc_port_add(r->xc, place, used);
        snprintf(place, sizeof(place), "tile%u_%u.credit.%s", i % m->k, i / m->k, noc_port_name(p));
        m->port_cred[i][p] = xc_port_add(r->xc, place, false);
      }
      char place[64];
      snprintf(place, sizeof(place), "tile%u_%u.sink", i % m->k, i / m->k);
      m->sink_place[i] = xc_port_add(r->xc, place, false);
    }
  }
  /* --waves=vcd: the routers dump FST; each file is converted after it is
   * closed (run/waves.h) */
  if (r->s.waves != SCN_WAVES_NONE)
    snprintf(r->waves_path, sizeof(r->waves_path), "%.500s/waves/router_X_Y.%s", r->outdir,
             r->s.waves == SCN_WAVES_VCD ? "vcd" : "fst");
  if (r->xc && r->s.waves != SCN_WAVES_NONE) xc_set_waves(r->xc, r->waves_path);
  if (runner_resolve_hook(r, err, errlen)) {
    mesh_free(m);
    return -1;
  }
  runner_log(r, false, "mesh: %ux%u routers (RTL%s), traffic %s at %.3g flits/node/cycle", m->k, m->k,
             r->checks ? " + shadow golden routers" : " only", scenario_traffic_name(r->s.pattern), r->s.rate);

  /* waves: one FST per router, for the window asked */
  bool waves_on = false;
  const uint64_t cycles = r->s.cycles;
  const double p_new = r->s.pattern == SCN_TR_NONE ? 0 : r->s.rate / 4.5; /* mean length 4.5 flits */
  struct router_flit *rout = calloc((size_t)m->n * NOC_NUM_PORTS, sizeof(*rout));
  int *rcred = calloc((size_t)m->n * NOC_NUM_PORTS, sizeof(int));
  struct router_flit *rin = calloc((size_t)m->n * NOC_NUM_PORTS, sizeof(*rin));
  int *ocred = calloc((size_t)m->n * NOC_NUM_PORTS, sizeof(int));
  if (!rout || !rcred || !rin || !ocred) {
    snprintf(err, errlen, "out of memory");
    free(rout), free(rcred), free(rin), free(ocred);
    mesh_free(m);
    return -1;
  }
  uint64_t t;
  bool waves_dumped = false;
  for (t = 0; t < cycles; t++) {
    if (r->s.waves != SCN_WAVES_NONE && !waves_on && t == r->s.waves_from) {
      for (unsigned i = 0; i < m->n; i++) {
        char path[700];
        snprintf(path, sizeof(path), "%s/waves/router_%u_%u.fst", r->outdir, i % m->k, i / m->k);
        router_dut_trace_open(m->dut[i], path);
      }
      waves_on = true;
      waves_dumped = true;
    }
    if (waves_on && r->s.waves_to && t == r->s.waves_to + 1) {
      for (unsigned i = 0; i < m->n; i++) router_dut_trace_close(m->dut[i]);
      waves_on = false;
    }
    /* 1. RTL outputs of cycle t (registers) */
    for (unsigned i = 0; i < m->n; i++)
      for (unsigned p = 0; p < NOC_NUM_PORTS; p++) {
        unsigned vc;
        router_dut_get_out(m->dut[i], p, &rout[i * NOC_NUM_PORTS + p]);
        rcred[i * NOC_NUM_PORTS + p] = router_dut_in_credit(m->dut[i], p, &vc) ? (int)vc : -1;
      }
    /* 2. shadow: golden outputs of cycle t against the RTL's */
    if (r->checks) {
      for (unsigned i = 0; i < m->n; i++)
        for (unsigned p = 0; p < NOC_NUM_PORTS; p++) {
          const noc_flit *g = noc_router_out(m->gold[i], p);
          const struct router_flit *o = &rout[i * NOC_NUM_PORTS + p];
          uint64_t gw[NW + 1] = {0}, aw[NW + 1] = {0};
          noc_flit af;
          if (g) words(g, gw);
          if (o->valid) {
            from_rf(o, &af);
            words(&af, aw);
          }
          if (g || o->valid) xc_data(r->xc, t, m->port_out[i][p], "flit", g != NULL, gw, o->valid, aw, NW + 1);
          if (g) xc_port_bits(r->xc, m->port_out[i][p], XC_GOLD, FW);
          if (o->valid) xc_port_bits(r->xc, m->port_out[i][p], XC_RTL, FW);
          int gc = noc_router_credit_out(m->gold[i], p), ac = rcred[i * NOC_NUM_PORTS + p];
          if (gc >= 0 || ac >= 0) {
            uint64_t ge = (uint64_t)(gc >= 0 ? gc : 0), ae = (uint64_t)(ac >= 0 ? ac : 0);
            xc_data(r->xc, t, m->port_cred[i][p], "credit vc", gc >= 0, &ge, ac >= 0, &ae, 1);
          }
          if (p == NOC_PORT_L && g) sink(m, i, XC_GOLD, g, t);
        }
    }
    /* 3. inputs of cycle t */
    for (unsigned i = 0; i < m->n; i++) {
      struct agent *a = &m->ag[i];
      for (unsigned p = 0; p < NOC_NUM_PORTS; p++) {
        unsigned j, q;
        struct router_flit *in = &rin[i * NOC_NUM_PORTS + p];
        int *oc = &ocred[i * NOC_NUM_PORTS + p];
        if (nbr(m, i, p, &j, &q)) {
          *in = rout[j * NOC_NUM_PORTS + q];
          *oc = rcred[j * NOC_NUM_PORTS + q];
        } else if (p == NOC_PORT_L) {
          /* offered load: a new packet now and then */
          if (p_new > 0 && ch_rng_uniform(&m->rng) <= p_new) {
            if (a->qn == QMAX) {
              a->dropped_offers++;
            } else {
              struct pkt *k = &a->q[(a->qh + a->qn) % QMAX];
              k->dst = pick_dst(m, i);
              k->len = 1 + (unsigned)(ch_rng_next(&m->rng) % 8);
              k->flow = k->dst;
              k->seq = a->seq[k->dst]++;
              k->vc = k->flow % ROUTER_DUT_NUM_VC;
              k->born = t;
              a->qn++;
            }
          }
          memset(in, 0, sizeof(*in));
          if (a->qn && a->credits[a->q[a->qh].vc] > 0) {
            struct pkt *k = &a->q[a->qh];
            noc_flit f;
            if (a->sent == 0) k->born = t; /* latency counts from the head's injection */
            make_flit(m, i, k, a->sent, &f);
            to_rf(&f, 1, in);
            a->credits[k->vc]--;
            if (++a->sent == k->len) {
              a->sent = 0;
              a->qh = (a->qh + 1) % QMAX;
              a->qn--;
              m->pkts_sent++;
            }
          }
          *oc = a->credit_vc;
        } else {
          memset(in, 0, sizeof(*in));
          *oc = -1;
        }
      }
    }
    /* 4. drive both models; the agents see their credits and flits */
    for (unsigned i = 0; i < m->n; i++) {
      for (unsigned p = 0; p < NOC_NUM_PORTS; p++) {
        struct router_flit *in = &rin[i * NOC_NUM_PORTS + p];
        int oc = ocred[i * NOC_NUM_PORTS + p];
        router_dut_set_in(m->dut[i], p, in);
        router_dut_set_out_credit(m->dut[i], p, oc >= 0, oc >= 0 ? (unsigned)oc : 0);
        if (r->checks) {
          if (in->valid) {
            noc_flit f;
            from_rf(in, &f);
            noc_router_inject(m->gold[i], p, &f);
          }
          if (oc >= 0) noc_router_credit(m->gold[i], p, (unsigned)oc);
        }
      }
      struct agent *a = &m->ag[i];
      int c = rcred[i * NOC_NUM_PORTS + NOC_PORT_L];
      if (c >= 0) a->credits[c]++;
      const struct router_flit *o = &rout[i * NOC_NUM_PORTS + NOC_PORT_L];
      a->credit_vc = -1;
      if (o->valid) {
        noc_flit f;
        from_rf(o, &f);
        if (r->checks) sink(m, i, XC_RTL, &f, t);
        else a->delivered_flits[XC_RTL]++;
        a->credit_vc = (int)o->vc; /* the sink pops at once: credit next cycle */
      }
    }
    for (unsigned i = 0; i < m->n; i++) {
      router_dut_clock(m->dut[i]);
      if (r->checks) noc_router_step(m->gold[i]);
    }
    if (r->checks) {
      xc_tick(r->xc, t);
      if (xc_should_stop(r->xc)) {
        const struct xc_mismatch *mm = xc_first_mismatch(r->xc);
        snprintf(r->stopped, sizeof(r->stopped), "stopped at cycle %" PRIu64 " after a mismatch at %s", mm->cycle,
                 mm->place);
        t++;
        break;
      }
    }
    progress_tick(&r->prog, t);
  }
  if (waves_on)
    for (unsigned i = 0; i < m->n; i++) router_dut_trace_close(m->dut[i]);
  if (waves_dumped && r->s.waves == SCN_WAVES_VCD)
    for (unsigned i = 0; i < m->n; i++) {
      char fst[700], vcd[700], e[600];
      snprintf(fst, sizeof(fst), "%.600s/waves/router_%u_%u.fst", r->outdir, i % m->k, i / m->k);
      snprintf(vcd, sizeof(vcd), "%.600s/waves/router_%u_%u.vcd", r->outdir, i % m->k, i / m->k);
      if (waves_fst_to_vcd(waves_fst2vcd_prog(), fst, vcd, e, sizeof(e))) runner_log(r, true, "mesh: waves: %s", e);
    }
  r->cycles_run = t;
  if (r->checks) xc_finish(r->xc, t);

  /* figures */
  uint64_t fl[2] = {0, 0}, dropped = 0;
  for (unsigned i = 0; i < m->n; i++) {
    fl[0] += m->ag[i].delivered_flits[0];
    fl[1] += m->ag[i].delivered_flits[1];
    dropped += m->ag[i].dropped_offers;
  }
  double secs = (double)t * 1e-9;
  runner_row(r, "delivered, all L ports", "Gb/s", r->checks ? (double)fl[0] * FW / secs / 1e9 : NAN,
             (double)fl[1] * FW / secs / 1e9);
  runner_row_lim(r, "accepted flits/node/cycle", "", r->checks ? (double)fl[0] / (double)t / m->n : NAN,
                 (double)fl[1] / (double)t / m->n, 4.0 / m->k);
  json_t *mj = json_pack("{s:I, s:I, s:I, s:I, s:f, s:f, s:f}", "packets_sent", (json_int_t)m->pkts_sent,
                         "packets_received", (json_int_t)m->pkts_rcvd, "end_to_end_errors",
                         (json_int_t)m->e2e_errors, "offers_dropped_queue_full", (json_int_t)dropped,
                         "offered_flits_per_node_cycle", r->s.rate, "accepted_flits_per_node_cycle",
                         (double)fl[1] / (double)t / m->n, "bound_uniform_flits_per_node_cycle",
                         4.0 / m->k);
  json_object_set_new(r->res.summary, "mesh", mj);

  /* energy: router counters of the RTL against the golden routers' */
  energy_activity_init(&r->act_rtl);
  energy_activity_init(&r->act_gold);
  r->act_rtl.lanes = r->act_gold.lanes = r->s.lanes;
  for (unsigned i = 0; i < m->n; i++)
    for (unsigned p = 0; p < NOC_NUM_PORTS; p++) {
      r->act_rtl.buf_writes += router_dut_cnt(m->dut[i], RCNT_BUF_WR, p);
      r->act_rtl.buf_reads += router_dut_cnt(m->dut[i], RCNT_BUF_RD, p);
      r->act_rtl.xbar += router_dut_cnt(m->dut[i], RCNT_XBAR, p);
      r->act_rtl.va_grants += router_dut_cnt(m->dut[i], RCNT_VA, p);
      r->act_rtl.sa_arbs += router_dut_cnt(m->dut[i], RCNT_SA, p);
      r->act_rtl.router_flits += router_dut_cnt(m->dut[i], RCNT_FLITS_OUT, p);
      if (r->checks) {
        const noc_router_counters *c = noc_router_get_counters(m->gold[i]);
        r->act_gold.buf_writes += c->buf_wr[p];
        r->act_gold.buf_reads += c->buf_rd[p];
        r->act_gold.xbar += c->xbar[p];
        r->act_gold.va_grants += c->va[p];
        r->act_gold.sa_arbs += c->sa[p];
        r->act_gold.router_flits += c->flits_out[p];
      }
    }
  r->act_rtl.cycles = r->act_gold.cycles = t * m->n;
  r->act_rtl.payload_bits = fl[1] * FW;
  r->act_gold.payload_bits = r->checks ? fl[1] * FW : 0; /* the scenario's definition: delivered bits */
  r->have_energy = r->checks;
  if (r->checks) {
    uint32_t errs = 0;
    for (unsigned i = 0; i < m->n; i++)
      for (unsigned e = 0; e < RERR_NUM; e++) errs += router_dut_err(m->dut[i], (enum router_err)e);
    results_check(&r->res, "data", "router error counters", errs == 0,
                  "RTL err_route+err_proto+err_ovf+err_credit over all routers: %u", errs);
    results_check(&r->res, "data", "end-to-end delivery", m->e2e_errors == 0 && (m->pkts_rcvd > 0 || p_new == 0),
                  "%" PRIu64 " packets sent, %" PRIu64 " received in order with exact payload, %" PRIu64
                  " errors",
                  m->pkts_sent, m->pkts_rcvd, m->e2e_errors);
  }
  free(rout), free(rcred), free(rin), free(ocred);
  mesh_free(m);
  return 0;
}
