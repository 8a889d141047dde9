/* Co-simulation of the network interface RTL (rtl/ni/, docs/spec.md section
 * 6): two NIs wired back to back through their router-side links (A's flits
 * into B's RX FIFOs, B's credits back to A, and the other way round), each
 * with its own host memory (tb/ni/ni_mem.c). The host side of each NI is
 * played here: rings in memory, register writes, completion polling.
 *
 * Checks: the worked example of section 6.9 to the cycle (MemLat 100 and 1),
 * buffers of many sizes (1 byte to 1 MiB) moved and compared byte for byte,
 * both directions at once, ring wrap-around and full rings (backpressure, no
 * loss), a too-small RX buffer (TRUNC), completion phase bits, interrupts
 * (with and without coalescing), BADLEN and register errors, the receive
 * error paths with crafted flits (stray, bad length, orphan, sequence error,
 * duplicate SOM, early tail, NOCTX), and a negative test proving the
 * scoreboard catches a corrupted byte.
 *
 * Set OPTILE_NI_FST=<path> to dump A's waves (FST) for the worked example
 * (MemLat 100), OPTILE_NI_TEST=<pattern> to run only the matching tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "ni/ni_dut.h"
#include "ni/ni_mem.h"

#define FB NI_DUT_B                 /* bytes per flit */
#define PMAX (8 * FB - 8)           /* payload bytes per packet */

enum { SA = 0, SB = 1 };

/* host memory map (the same on both sides); the rings sit above 4 GiB on
 * purpose, so that base_hi and 64-bit addresses are exercised */
#define TX_RING 0x0000000100010000ull
#define RX_RING 0x0000000100020000ull
#define CQ_RING 0x0000000200030000ull
#define TX_BUF  0x0000000300000000ull
#define RX_BUF  0x0000000400000000ull

static const unsigned chip_of[2] = {1, 5}, x_of[2] = {2, 6}, y_of[2] = {3, 7};

/* ---- the system ------------------------------------------------------------------- */

struct cpl {
  uint64_t addr;
  uint32_t len;
  unsigned kind, status, phase, flow, b14, b15;
};

enum { REGQ = 64 };

struct side {
  ni_dut *d;
  ni_mem *m;
  unsigned tx_k, rx_k, cq_k;
  uint32_t tx_tail, rx_tail, cq_head;
  unsigned cq_phase;                /* phase expected at cq_head */
  int intr, intr_clear;             /* model of intr_state.dma_cpl */
  uint64_t intr_pulses;
  unsigned nreg;                    /* pending host register writes, one per cycle */
  enum ni_reg reg[REGQ];
  uint32_t val[REGQ];
};

struct evt {
  uint64_t cyc;
  int side;
  char kind;                        /* r read, w write, f flit sent, i intr set, c credit */
  uint64_t addr;
  unsigned len;
};

struct sys {
  struct side s[2];
  unsigned memlat;
  uint64_t cycle;
  struct evt *ev;
  size_t nev, cap;
  int logging;
  uint64_t ab_flits, ab_first, ab_last;   /* A -> B link monitor */
  long corrupt_flit;                      /* A -> B flit to corrupt (-1: none) */
  unsigned corrupt_byte;
  uint8_t ab_flit0[FB];                   /* first flit seen with logging on */
  int ab_head0, ab_tail0, ab_vc0;
  /* crafted flits into B's RX link instead of A's (A must be idle); B's
   * credits then return to the injector */
  int inject;
  struct inj_flit {
    uint8_t head, tail, vc;
    uint8_t flit[FB];
  } *inj;
  size_t ninj, inj_pos, inj_cap;
  unsigned inj_cred[NI_DUT_NUM_VC];
};

static void host_reg(struct sys *y, int i, enum ni_reg r, uint32_t v) {
  struct side *s = &y->s[i];
  /* a doorbell or head already queued just takes the newest value */
  if (r == NI_REG_TX_TAIL || r == NI_REG_RX_TAIL || r == NI_REG_CQ_HEAD) {
    for (unsigned k = 0; k < s->nreg; k++) {
      if (s->reg[k] == r) {
        s->val[k] = v;
        return;
      }
    }
  }
  assert_true(s->nreg < REGQ);
  s->reg[s->nreg] = r;
  s->val[s->nreg] = v;
  s->nreg++;
}

static void log_evt(struct sys *y, int side, char kind, uint64_t addr, unsigned len) {
  if (!y->logging) return;
  if (y->nev == y->cap) {
    size_t cap = y->cap ? 2 * y->cap : 256;
    struct evt *ev = realloc(y->ev, cap * sizeof *ev);
    assert_non_null(ev);
    y->ev = ev;
    y->cap = cap;
  }
  y->ev[y->nev++] = (struct evt){y->cycle, side, kind, addr, len};
}

/* One cycle of both NIs, both memories and the links. */
static void sys_step(struct sys *y) {
  const struct ni_dut_out *o[2];
  struct ni_dut_in *in[2];

  for (int i = 0; i < 2; i++) {
    struct side *s = &y->s[i];
    if (s->nreg) {
      ni_dut_reg_write(s->d, s->reg[0], s->val[0]);
      memmove(&s->reg[0], &s->reg[1], (s->nreg - 1) * sizeof s->reg[0]);
      memmove(&s->val[0], &s->val[1], (s->nreg - 1) * sizeof s->val[0]);
      s->nreg--;
    }
    ni_dut_eval(s->d);
    o[i] = ni_dut_out(s->d);
    in[i] = ni_dut_in(s->d);
  }
  for (int i = 0; i < 2; i++) {
    struct ni_mem_rd rd = {o[i]->mem_rd_valid, o[i]->mem_rd_addr, o[i]->mem_rd_len};
    struct ni_mem_wr wr;
    wr.valid = o[i]->mem_wr_valid;
    wr.addr = o[i]->mem_wr_addr;
    wr.len = o[i]->mem_wr_len;
    wr.be = o[i]->mem_wr_be;
    memcpy(wr.data, o[i]->mem_wr_data, FB);
    in[i]->mem_rdata_valid = (uint8_t)ni_mem_cycle(y->s[i].m, &rd, &wr, in[i]->mem_rdata);
    if (rd.valid) log_evt(y, i, 'r', rd.addr, rd.len);
    if (wr.valid) log_evt(y, i, 'w', wr.addr, wr.len);
  }
  for (int i = 0; i < 2; i++) {
    int j = 1 - i;
    in[j]->rx_valid = o[i]->tx_valid;
    in[j]->rx_head = o[i]->tx_head;
    in[j]->rx_tail = o[i]->tx_tail;
    in[j]->rx_vc = o[i]->tx_vc;
    memcpy(in[j]->rx_flit, o[i]->tx_flit, FB);
    in[i]->tx_credit_valid = o[j]->rx_credit_valid;
    in[i]->tx_credit_vc = o[j]->rx_credit_vc;
    if (o[i]->tx_valid) log_evt(y, i, 'f', 0, 0);
    if (o[i]->rx_credit_valid) log_evt(y, i, 'c', 0, o[i]->rx_credit_vc);
  }
  if (y->inject) {
    assert_false(o[SA]->tx_valid);
    in[SA]->tx_credit_valid = 0;
    if (o[SB]->rx_credit_valid) y->inj_cred[o[SB]->rx_credit_vc]++;
    in[SB]->rx_valid = 0;
    if (y->inj_pos < y->ninj && y->inj_cred[y->inj[y->inj_pos].vc] > 0) {
      const struct inj_flit *f = &y->inj[y->inj_pos++];
      y->inj_cred[f->vc]--;
      in[SB]->rx_valid = 1;
      in[SB]->rx_head = f->head;
      in[SB]->rx_tail = f->tail;
      in[SB]->rx_vc = f->vc;
      memcpy(in[SB]->rx_flit, f->flit, FB);
    }
  }
  if (o[SA]->tx_valid) {
    if (y->ab_flits == 0 && y->logging) {
      memcpy(y->ab_flit0, o[SA]->tx_flit, FB);
      y->ab_head0 = o[SA]->tx_head;
      y->ab_tail0 = o[SA]->tx_tail;
      y->ab_vc0 = o[SA]->tx_vc;
    }
    if ((long)y->ab_flits == y->corrupt_flit) in[SB]->rx_flit[y->corrupt_byte] ^= 0x5a;
    if (y->ab_flits == 0) y->ab_first = y->cycle;
    y->ab_last = y->cycle;
    y->ab_flits++;
  }
  for (int i = 0; i < 2; i++) {
    struct side *s = &y->s[i];
    if (o[i]->intr_set) {
      s->intr_pulses++;
      log_evt(y, i, 'i', 0, 0);
    }
    /* intr_state: set by the pulse at the end of the cycle; set wins over a clear */
    s->intr = o[i]->intr_set ? 1 : (s->intr_clear ? 0 : s->intr);
    s->intr_clear = 0;
  }
  for (int i = 0; i < 2; i++) ni_dut_clock(y->s[i].d);
  y->cycle++;
}

static void run(struct sys *y, uint64_t n) {
  for (uint64_t k = 0; k < n; k++) sys_step(y);
}

/* run until both register queues are empty */
static void drain_regs(struct sys *y) {
  while (y->s[0].nreg || y->s[1].nreg) sys_step(y);
}

static void sys_init(struct sys *y, unsigned memlat) {
  memset(y, 0, sizeof *y);
  y->memlat = memlat;
  y->corrupt_flit = -1;
  for (int v = 0; v < NI_DUT_NUM_VC; v++) y->inj_cred[v] = NI_DUT_BUF_DEPTH;
  for (int i = 0; i < 2; i++) {
    struct side *s = &y->s[i];
    s->d = ni_dut_new(memlat, chip_of[i], x_of[i], y_of[i]);
    assert_non_null(s->d);
    s->m = ni_mem_new(memlat, FB);
    assert_non_null(s->m);
    ni_dut_reset(s->d, 3);
  }
}

static void sys_free(struct sys *y) {
  for (int i = 0; i < 2; i++) {
    assert_int_equal(ni_mem_stats(y->s[i].m)->proto_errors, 0);
    ni_dut_free(y->s[i].d);
    ni_mem_free(y->s[i].m);
  }
  free(y->ev);
  free(y->inj);
}

static void side_config(struct sys *y, int i, unsigned tx_k, unsigned rx_k, unsigned cq_k) {
  struct side *s = &y->s[i];
  s->tx_k = tx_k;
  s->rx_k = rx_k;
  s->cq_k = cq_k;
  s->cq_phase = 1;
  host_reg(y, i, NI_REG_TX_BASE_LO, (uint32_t)TX_RING);
  host_reg(y, i, NI_REG_TX_BASE_HI, (uint32_t)(TX_RING >> 32));
  host_reg(y, i, NI_REG_TX_SIZE, tx_k);
  host_reg(y, i, NI_REG_RX_BASE_LO, (uint32_t)RX_RING);
  host_reg(y, i, NI_REG_RX_BASE_HI, (uint32_t)(RX_RING >> 32));
  host_reg(y, i, NI_REG_RX_SIZE, rx_k);
  host_reg(y, i, NI_REG_CQ_BASE_LO, (uint32_t)CQ_RING);
  host_reg(y, i, NI_REG_CQ_BASE_HI, (uint32_t)(CQ_RING >> 32));
  host_reg(y, i, NI_REG_CQ_SIZE, cq_k);
  host_reg(y, i, NI_REG_CTRL, 7);
}

static void sys_config(struct sys *y, unsigned tx_k, unsigned rx_k, unsigned cq_k) {
  side_config(y, SA, tx_k, rx_k, cq_k);
  side_config(y, SB, tx_k, rx_k, cq_k);
  drain_regs(y);
}

/* ---- host helpers ---------------------------------------------------------------------- */

static unsigned tx_space(const struct side *s) {
  uint32_t size = 1u << s->tx_k;
  uint32_t used = (s->tx_tail - ni_dut_out(s->d)->dma_tx_head) & (size - 1);
  return size - 1 - used;
}

static unsigned rx_space(const struct side *s) {
  uint32_t size = 1u << s->rx_k;
  uint32_t used = (s->rx_tail - ni_dut_out(s->d)->dma_rx_head) & (size - 1);
  return size - 1 - used;
}

/* write a TX descriptor at the tail and ring the doorbell (next cycle) */
static void post_tx(struct sys *y, int i, uint64_t addr, uint32_t len, unsigned dst_side,
                    unsigned vc, unsigned flow) {
  struct side *s = &y->s[i];
  uint8_t d[16] = {0};
  for (int k = 0; k < 8; k++) d[k] = (uint8_t)(addr >> (8 * k));
  for (int k = 0; k < 4; k++) d[8 + k] = (uint8_t)(len >> (8 * k));
  d[12] = (uint8_t)((chip_of[dst_side] & 15u) | ((vc & 3u) << 4));
  d[13] = (uint8_t)((x_of[dst_side] & 15u) | ((y_of[dst_side] & 15u) << 4));
  d[14] = (uint8_t)flow;
  ni_mem_write(s->m, TX_RING + 16ull * s->tx_tail, d, 16);
  s->tx_tail = (s->tx_tail + 1) & ((1u << s->tx_k) - 1);
  host_reg(y, i, NI_REG_TX_TAIL, s->tx_tail);
}

static void post_rx(struct sys *y, int i, uint64_t addr, uint32_t len) {
  struct side *s = &y->s[i];
  uint8_t d[16] = {0};
  for (int k = 0; k < 8; k++) d[k] = (uint8_t)(addr >> (8 * k));
  for (int k = 0; k < 4; k++) d[8 + k] = (uint8_t)(len >> (8 * k));
  ni_mem_write(s->m, RX_RING + 16ull * s->rx_tail, d, 16);
  s->rx_tail = (s->rx_tail + 1) & ((1u << s->rx_k) - 1);
  host_reg(y, i, NI_REG_RX_TAIL, s->rx_tail);
}

static void parse_cpl(const uint8_t e[16], struct cpl *c) {
  c->addr = 0;
  for (int k = 7; k >= 0; k--) c->addr = (c->addr << 8) | e[k];
  c->len = (uint32_t)e[8] | ((uint32_t)e[9] << 8) | ((uint32_t)e[10] << 16) | ((uint32_t)e[11] << 24);
  c->kind = e[12] & 3u;
  c->status = (e[12] >> 2) & 7u;
  c->phase = e[12] >> 7;
  c->flow = e[13];
  c->b14 = e[14];
  c->b15 = e[15];
  assert_int_equal((e[12] >> 5) & 3u, 0);   /* reserved bits */
}

/* consume one completion if the entry at the host's head has the expected phase */
static int poll_cq(struct sys *y, int i, struct cpl *c) {
  struct side *s = &y->s[i];
  uint8_t e[16];
  ni_mem_read(s->m, CQ_RING + 16ull * s->cq_head, e, 16);
  if ((unsigned)(e[12] >> 7) != s->cq_phase) return 0;
  parse_cpl(e, c);
  s->cq_head = (s->cq_head + 1) & ((1u << s->cq_k) - 1);
  if (s->cq_head == 0) s->cq_phase ^= 1u;
  host_reg(y, i, NI_REG_CQ_HEAD, s->cq_head);
  return 1;
}

/* ---- messages and the scoreboard -------------------------------------------------------- */

struct msg {
  int from;                /* sending side (SA or SB); the other one receives */
  uint64_t src;            /* in the sender's memory */
  uint32_t len;
  unsigned vc, flow;        /* vc as in the descriptor (>= NumVc: sent on VC 0) */
  int tx_done, rx_done;
  struct cpl txc, rxc;
};

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void) {
  uint64_t x = rng_state;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return rng_state = x;
}

/* lay out messages of the given sizes in the sender's memory (A unless
 * make_msgs_from), odd offsets included */
static struct msg *make_msgs_from(struct sys *y, int from, const uint32_t *len, size_t n,
                                  unsigned nvc, int flow_per_msg) {
  struct msg *m = calloc(n, sizeof *m);
  assert_non_null(m);
  uint64_t at = TX_BUF;
  uint8_t *buf = NULL;
  size_t cap = 0;
  for (size_t i = 0; i < n; i++) {
    at += (uint64_t)(rng() % 61);             /* unaligned starts */
    m[i].from = from;
    m[i].src = at;
    m[i].len = len[i];
    m[i].vc = (unsigned)(i % nvc);
    m[i].flow = flow_per_msg ? (unsigned)(i % 256) : 7u;
    if (len[i] > cap) {
      uint8_t *nb = realloc(buf, len[i]);
      assert_non_null(nb);
      buf = nb;
      cap = len[i];
    }
    for (uint32_t k = 0; k < len[i]; k++) buf[k] = (uint8_t)(rng() >> 24);
    ni_mem_write(y->s[from].m, at, buf, len[i]);
    at += len[i] + 64;
  }
  free(buf);
  return m;
}

static struct msg *make_msgs(struct sys *y, const uint32_t *len, size_t n, unsigned nvc,
                             int flow_per_msg) {
  return make_msgs_from(y, SA, len, n, nvc, flow_per_msg);
}

/* RX buffers: one per message, `rxlen` bytes each, apart enough to catch overruns */
static uint64_t rx_stride(uint32_t rxlen) { return (((uint64_t)rxlen + 8191) / 4096) * 4096; }

/* Moves messages from one side to the other as the hosts would: posts TX
 * descriptors and RX buffers as the rings allow and consumes completions
 * (unless `hold`). Two runners in opposite directions may run at once. */
struct runner {
  int from, to;
  struct msg *m;
  size_t n, ntx, nrx, ntxc, nrxc, nrx_want;
  uint32_t rxlen;
  int hold;                 /* 1: the host does not consume completions */
};

static void runner_init(struct runner *r, struct msg *m, size_t n, uint32_t rxlen) {
  memset(r, 0, sizeof *r);
  r->from = n ? m[0].from : SA;
  r->to = 1 - r->from;
  r->m = m;
  r->n = n;
  r->rxlen = rxlen;
  for (size_t i = 0; i < n; i++) r->nrx_want += (m[i].len != 0);   /* len 0: BADLEN, not sent */
}

static int runner_done(const struct runner *r) { return r->ntxc == r->n && r->nrxc == r->nrx_want; }

static void take_cpl(struct runner *r, const struct cpl *c) {
  struct msg *m = r->m;
  if (c->kind == 1) {
    assert_true(r->ntxc < r->n);       /* TX completions come in order */
    m[r->ntxc].txc = *c;
    m[r->ntxc].tx_done++;
    r->ntxc++;
  } else {
    assert_int_equal(c->kind, 2);
    /* the oldest message of this flow not yet received */
    size_t k = 0;
    while (k < r->n && (m[k].flow != c->flow || m[k].rx_done || m[k].len == 0)) k++;
    assert_true(k < r->n);
    m[k].rxc = *c;
    m[k].rx_done++;
    r->nrxc++;
  }
}

static void runners_step(struct sys *y, struct runner *const *rs, int nr) {
  for (int j = 0; j < nr; j++) {
    struct runner *r = rs[j];
    struct msg *m = r->m;
    while (r->ntx < r->n && tx_space(&y->s[r->from]) > 0) {
      post_tx(y, r->from, m[r->ntx].src, m[r->ntx].len, (unsigned)r->to, m[r->ntx].vc,
              m[r->ntx].flow);
      r->ntx++;
    }
    while (r->nrx < r->nrx_want && rx_space(&y->s[r->to]) > 0) {
      post_rx(y, r->to, RX_BUF + r->nrx * rx_stride(r->rxlen), r->rxlen);
      r->nrx++;
    }
  }
  for (int i = 0; i < 2; i++) {
    int hold = 0;
    for (int j = 0; j < nr; j++) hold |= rs[j]->hold && (rs[j]->from == i || rs[j]->to == i);
    struct cpl c;
    while (!hold && poll_cq(y, i, &c)) {
      /* on side i: TX completions belong to the runner sending from i */
      struct runner *owner = NULL;
      for (int j = 0; j < nr; j++) {
        if ((c.kind == 1 && rs[j]->from == i) || (c.kind == 2 && rs[j]->to == i)) owner = rs[j];
      }
      assert_non_null(owner);
      take_cpl(owner, &c);
    }
  }
  sys_step(y);
}

static void runner_step(struct sys *y, struct runner *r) { runners_step(y, &r, 1); }

/* Runs until every completion is in (or max_cycles); returns the cycles taken. */
static uint64_t run_msgs(struct sys *y, struct msg *m, size_t n, uint32_t rxlen,
                         uint64_t max_cycles) {
  struct runner r;
  runner_init(&r, m, n, rxlen);
  uint64_t t0 = y->cycle;
  while (!runner_done(&r) && y->cycle - t0 < max_cycles) runner_step(y, &r);
  assert_true(runner_done(&r));
  return y->cycle - t0;
}

struct sb_result {
  uint64_t bad_bytes;
  size_t first_msg;
  uint64_t first_off;
};

/* Byte-for-byte comparison of every delivered message with its source. */
static struct sb_result scoreboard(const struct sys *y, const struct msg *m, size_t n, uint32_t rxlen) {
  struct sb_result r = {0, (size_t)-1, 0};
  enum { CH = 4096 };
  uint8_t a[CH], b[CH];
  for (size_t i = 0; i < n; i++) {
    uint32_t want = m[i].len < rxlen ? m[i].len : rxlen;
    if (!m[i].len) continue;
    for (uint32_t off = 0; off < want; off += CH) {
      uint32_t k = want - off < CH ? want - off : CH;
      ni_mem_read(y->s[m[i].from].m, m[i].src + off, a, k);
      ni_mem_read(y->s[1 - m[i].from].m, m[i].rxc.addr + off, b, k);
      for (uint32_t j = 0; j < k; j++) {
        if (a[j] != b[j]) {
          if (!r.bad_bytes) {
            r.first_msg = i;
            r.first_off = off + j;
          }
          r.bad_bytes++;
        }
      }
    }
  }
  return r;
}

/* completions: fields as section 6.4 says */
static void check_cpls(const struct msg *m, size_t n, uint32_t rxlen) {
  for (size_t i = 0; i < n; i++) {
    const struct msg *g = &m[i];
    const int src = g->from, dst = 1 - g->from;
    assert_int_equal(g->tx_done, 1);
    assert_int_equal(g->txc.addr, g->src);
    assert_int_equal(g->txc.len, g->len);
    assert_int_equal(g->txc.status, g->len ? 0 : 4);
    assert_int_equal(g->txc.flow, g->flow);
    assert_int_equal(g->txc.b14, x_of[dst] | (y_of[dst] << 4));
    assert_int_equal(g->txc.b15, chip_of[dst]);
    if (!g->len) {
      assert_int_equal(g->rx_done, 0);
      continue;
    }
    assert_int_equal(g->rx_done, 1);
    assert_int_equal(g->rxc.len, g->len);
    assert_int_equal(g->rxc.status, g->len > rxlen ? 1 : 0);
    assert_int_equal(g->rxc.flow, g->flow);
    assert_int_equal(g->rxc.b14, x_of[src] | (y_of[src] << 4));
    assert_int_equal(g->rxc.b15, chip_of[src] | ((g->vc < NI_DUT_NUM_VC ? g->vc : 0) << 4));
    assert_true(g->rxc.addr >= RX_BUF);
    assert_int_equal((g->rxc.addr - RX_BUF) % rx_stride(rxlen), 0);
  }
}

static void check_no_errors(const struct sys *y) {
  static const enum ni_cnt errs[] = {NI_CNT_ERR_RX, NI_CNT_ERR_RX_NOCTX, NI_CNT_ERR_OVF,
                                     NI_CNT_ERR_CREDIT, NI_CNT_ERR_DESC, NI_CNT_ERR_DOORBELL,
                                     NI_CNT_ERR_CSR};
  for (int i = 0; i < 2; i++) {
    for (size_t k = 0; k < sizeof errs / sizeof errs[0]; k++) {
      uint32_t v = ni_dut_counter(y->s[i].d, errs[k]);
      if (v) fprintf(stderr, "side %c: %s = %u\n", "AB"[i], ni_dut_counter_name(errs[k]), v);
      assert_int_equal(v, 0);
    }
  }
}

/* expected flits of a message (section 6.5) */
static uint64_t flits_of(uint32_t len) {
  uint64_t f = 0;
  if (len == 0) return 0;
  for (uint32_t off = 0; off < len; off += PMAX) {
    uint32_t n = len - off < PMAX ? len - off : PMAX;
    f += 1 + (n > FB - 8 ? (n - (FB - 8) + FB - 1) / FB : 0);
  }
  return f;
}

/* ---- section 6.9 worked example -------------------------------------------------------- */

static size_t count_evts(const struct sys *y, int side, char kind) {
  size_t c = 0;
  for (size_t k = 0; k < y->nev; k++) c += (y->ev[k].side == side && y->ev[k].kind == kind);
  return c;
}

/* the k-th event (0-based) of this side and kind */
static const struct evt *nth_evt(const struct sys *y, int side, char kind, size_t nth) {
  for (size_t k = 0; k < y->nev; k++) {
    if (y->ev[k].side == side && y->ev[k].kind == kind && nth-- == 0) return &y->ev[k];
  }
  fail_msg("no event %zu of kind %c on side %c", nth, kind, "AB"[side]);
  return NULL;
}

static void worked_example(unsigned L) {
  struct sys y;
  sys_init(&y, L);
  sys_config(&y, 4, 4, 4);
  /* the receiver holds a free buffer */
  const uint64_t rxbuf = RX_BUF + 0x40;
  post_rx(&y, SB, rxbuf, 64);
  run(&y, 2 * L + 8);
  assert_int_equal(ni_dut_out(y.s[SB].d)->dma_rx_head, 1);
  /* an 8-byte message in A's memory and its descriptor in the TX ring */
  const uint8_t msg[8] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
  const uint64_t src = TX_BUF + 0x123;
  ni_mem_write(y.s[SA].m, src, msg, sizeof msg);
  const unsigned vc = 1, flow = 0x5c;
  const char *fst = getenv("OPTILE_NI_FST");
  if (fst && L == 100) assert_int_equal(ni_dut_trace_open(y.s[SA].d, fst), 0);

  y.logging = 1;
  const uint64_t t0 = y.cycle;              /* cycle 0: the doorbell write */
  post_tx(&y, SA, src, sizeof msg, SB, vc, flow);
  for (unsigned k = 0; k < 3 * L + 10; k++) {
    const uint64_t c = y.cycle - t0;
    /* intr_state is 0 before 3L+2 (A) and 3L+3 (B), 1 from then on */
    assert_int_equal(y.s[SA].intr, c >= 3 * L + 2);
    assert_int_equal(y.s[SB].intr, c >= 3 * L + 3);
    /* dma_tx_head follows the performed descriptor read (end of cycle L) */
    sys_step(&y);
    const uint64_t cn = y.cycle - t0;       /* now the state at the start of cycle cn */
    ni_dut_eval(y.s[SA].d);
    ni_dut_eval(y.s[SB].d);
    assert_int_equal(ni_dut_out(y.s[SA].d)->dma_tx_head, cn >= L + 1);
    assert_int_equal(ni_dut_out(y.s[SA].d)->dma_cq_tail, cn >= 3 * L + 2);
    assert_int_equal(ni_dut_out(y.s[SB].d)->dma_cq_tail, cn >= 3 * L + 3);
  }
  if (fst && L == 100) ni_dut_trace_close(y.s[SA].d);

  /* sender: descriptor read in cycle 1, payload read in L+1, nothing else read */
  assert_int_equal(count_evts(&y, SA, 'r'), 2);
  const struct evt *e = nth_evt(&y, SA, 'r', 0);
  assert_int_equal(e->cyc - t0, 1);
  assert_int_equal(e->addr, TX_RING);
  assert_int_equal(e->len, 16);
  e = nth_evt(&y, SA, 'r', 1);
  assert_int_equal(e->cyc - t0, L + 1);
  assert_int_equal(e->addr, src);
  assert_int_equal(e->len, 8);
  /* the one-flit packet on the link in 2L+1 */
  assert_int_equal(count_evts(&y, SA, 'f'), 1);
  assert_int_equal(nth_evt(&y, SA, 'f', 0)->cyc - t0, 2 * L + 1);
  assert_int_equal(y.ab_head0, 1);
  assert_int_equal(y.ab_tail0, 1);
  assert_int_equal(y.ab_vc0, vc);
  uint64_t hdr = 0;
  for (int k = 7; k >= 0; k--) hdr = (hdr << 8) | y.ab_flit0[k];
  assert_int_equal(hdr & 15u, x_of[SB]);
  assert_int_equal((hdr >> 4) & 15u, y_of[SB]);
  assert_int_equal((hdr >> 8) & 15u, chip_of[SB]);
  assert_int_equal((hdr >> 12) & 15u, x_of[SA]);
  assert_int_equal((hdr >> 16) & 15u, y_of[SA]);
  assert_int_equal((hdr >> 20) & 15u, chip_of[SA]);
  assert_int_equal((hdr >> 24) & 255u, flow);
  assert_int_equal((hdr >> 32) & 0xffffu, 0);     /* seq */
  assert_int_equal((hdr >> 48) & 15u, 1);         /* len in flits */
  assert_int_equal((hdr >> 52) & 255u, 7);        /* bytes - 1 */
  assert_int_equal((hdr >> 60) & 15u, 3);         /* SOM, EOM */
  assert_memory_equal(&y.ab_flit0[8], msg, 8);
  for (int k = 16; k < FB; k++) assert_int_equal(y.ab_flit0[k], 0);
  /* sender's completion write in 2L+2; receiver's payload write in 2L+2, its
   * completion write in 2L+3 */
  assert_int_equal(count_evts(&y, SA, 'w'), 1);
  e = nth_evt(&y, SA, 'w', 0);
  assert_int_equal(e->cyc - t0, 2 * L + 2);
  assert_int_equal(e->addr, CQ_RING);
  assert_int_equal(e->len, 16);
  assert_int_equal(count_evts(&y, SB, 'w'), 2);
  e = nth_evt(&y, SB, 'w', 0);
  assert_int_equal(e->cyc - t0, 2 * L + 2);
  assert_int_equal(e->addr, rxbuf);
  assert_int_equal(e->len, 8);
  e = nth_evt(&y, SB, 'w', 1);
  assert_int_equal(e->cyc - t0, 2 * L + 3);
  assert_int_equal(e->addr, CQ_RING);
  assert_int_equal(e->len, 16);
  assert_int_equal(count_evts(&y, SB, 'r'), 0);
  /* the receiver's credit for the consumed flit is on the link in 2L+3 */
  assert_int_equal(count_evts(&y, SB, 'c'), 1);
  assert_int_equal(nth_evt(&y, SB, 'c', 0)->cyc - t0, 2 * L + 3);
  assert_int_equal(nth_evt(&y, SB, 'c', 0)->len, vc);
  /* interrupts set from 3L+2 and 3L+3: the set pulses are in the cycles before */
  assert_int_equal(count_evts(&y, SA, 'i'), 1);
  assert_int_equal(nth_evt(&y, SA, 'i', 0)->cyc - t0, 3 * L + 1);
  assert_int_equal(count_evts(&y, SB, 'i'), 1);
  assert_int_equal(nth_evt(&y, SB, 'i', 0)->cyc - t0, 3 * L + 2);

  /* the data and both completions */
  uint8_t got[8];
  ni_mem_read(y.s[SB].m, rxbuf, got, 8);
  assert_memory_equal(got, msg, 8);
  struct cpl c;
  assert_true(poll_cq(&y, SA, &c));
  assert_int_equal(c.addr, src);
  assert_int_equal(c.len, 8);
  assert_int_equal(c.kind, 1);
  assert_int_equal(c.status, 0);
  assert_int_equal(c.phase, 1);
  assert_int_equal(c.flow, flow);
  assert_int_equal(c.b14, x_of[SB] | (y_of[SB] << 4));
  assert_int_equal(c.b15, chip_of[SB]);
  assert_true(poll_cq(&y, SB, &c));
  assert_int_equal(c.addr, rxbuf);
  assert_int_equal(c.len, 8);
  assert_int_equal(c.kind, 2);
  assert_int_equal(c.status, 0);
  assert_int_equal(c.phase, 1);
  assert_int_equal(c.flow, flow);
  assert_int_equal(c.b14, x_of[SA] | (y_of[SA] << 4));
  assert_int_equal(c.b15, chip_of[SA] | (vc << 4));
  assert_false(poll_cq(&y, SA, &c));
  assert_false(poll_cq(&y, SB, &c));

  /* counters */
  const ni_dut *a = y.s[SA].d, *b = y.s[SB].d;
  assert_int_equal(ni_dut_counter(a, NI_CNT_TX_MSGS), 1);
  assert_int_equal(ni_dut_counter(a, NI_CNT_TX_PKTS), 1);
  assert_int_equal(ni_dut_counter(a, NI_CNT_TX_FLITS), 1);
  assert_int_equal(ni_dut_counter(a, NI_CNT_RD_REQS), 2);
  assert_int_equal(ni_dut_counter(a, NI_CNT_RD_BYTES), 24);
  assert_int_equal(ni_dut_counter(a, NI_CNT_WR_REQS), 1);
  assert_int_equal(ni_dut_counter(a, NI_CNT_WR_BYTES), 16);
  assert_int_equal(ni_dut_counter(b, NI_CNT_RX_MSGS), 1);
  assert_int_equal(ni_dut_counter(b, NI_CNT_RX_PKTS), 1);
  assert_int_equal(ni_dut_counter(b, NI_CNT_RX_FLITS), 1);
  assert_int_equal(ni_dut_counter(b, NI_CNT_RD_REQS), 1);
  assert_int_equal(ni_dut_counter(b, NI_CNT_WR_REQS), 2);
  assert_int_equal(ni_dut_counter(b, NI_CNT_WR_BYTES), 24);
  check_no_errors(&y);
  sys_free(&y);
}

static void test_worked_example_lat100(void **state) {
  (void)state;
  worked_example(100);
}

static void test_worked_example_lat1(void **state) {
  (void)state;
  worked_example(1);
}

/* ---- buffers of many sizes ----------------------------------------------------------------- */

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void sizes(unsigned L) {
  static const uint32_t len[] = {1, FB - 8, FB - 7, PMAX, PMAX + 1, 2, FB, FB + 1, 2 * FB,
                                 PMAX - 1, 2 * PMAX, 2 * PMAX + 1, 1000, 4096, 65536};
  const size_t n = sizeof len / sizeof len[0];
  struct sys y;
  sys_init(&y, L);
  sys_config(&y, 3, 3, 4);
  struct msg *m = make_msgs(&y, len, n, 2, 1);
  const uint32_t rxlen = 65536;
  uint64_t cyc = run_msgs(&y, m, n, rxlen, 200000);
  check_cpls(m, n, rxlen);
  struct sb_result r = scoreboard(&y, m, n, rxlen);
  assert_int_equal(r.bad_bytes, 0);
  uint64_t bytes = 0, flits = 0;
  for (size_t i = 0; i < n; i++) {
    bytes += len[i];
    flits += flits_of(len[i]);
  }
  assert_int_equal(ni_dut_counter(y.s[SA].d, NI_CNT_TX_FLITS), flits);
  assert_int_equal(ni_dut_counter(y.s[SB].d, NI_CNT_RX_FLITS), flits);
  assert_int_equal(ni_dut_counter(y.s[SA].d, NI_CNT_TX_MSGS), n);
  assert_int_equal(ni_dut_counter(y.s[SB].d, NI_CNT_RX_MSGS), n);
  assert_int_equal(ni_dut_counter(y.s[SB].d, NI_CNT_WR_BYTES), bytes + 16 * n);
  assert_int_equal(ni_dut_counter(y.s[SA].d, NI_CNT_RD_BYTES), bytes + 16 * n);
  check_no_errors(&y);
  printf("# MemLat %u: %zu messages, %llu bytes, %llu cycles\n", L, n,
         (unsigned long long)bytes, (unsigned long long)cyc);
  free(m);
  sys_free(&y);
}

static void test_sizes_lat100(void **state) {
  (void)state;
  sizes(100);
}

static void test_sizes_lat1(void **state) {
  (void)state;
  sizes(1);
}

/* 1 MiB in one message; reports throughput and simulation speed */
static void test_one_mib(void **state) {
  (void)state;
  const uint32_t len[] = {1u << 20};
  struct sys y;
  sys_init(&y, 100);
  sys_config(&y, 2, 2, 2);
  struct msg *m = make_msgs(&y, len, 1, 1, 1);
  const double w0 = now_s();
  const uint64_t cyc = run_msgs(&y, m, 1, len[0], 200000);
  const double secs = now_s() - w0;
  check_cpls(m, 1, len[0]);
  struct sb_result r = scoreboard(&y, m, 1, len[0]);
  assert_int_equal(r.bad_bytes, 0);
  assert_int_equal(y.ab_flits, flits_of(len[0]));
  check_no_errors(&y);
  const uint64_t stream = y.ab_last - y.ab_first + 1;
  printf("# 1 MiB: %llu cycles doorbell to completion consumed, %llu flits sent in %llu cycles\n",
         (unsigned long long)cyc, (unsigned long long)y.ab_flits, (unsigned long long)stream);
  printf("# 1 MiB: %.2f payload bytes/cycle while streaming (bound %.2f = %d/8 flits), "
         "%.2f end to end\n",
         (double)len[0] / (double)stream, (double)PMAX / 8.0, PMAX, (double)len[0] / (double)cyc);
  printf("# simulation: 2 NIs + 2 memories, %.0f cycles/s (%.3f s)\n", (double)cyc / secs, secs);
  free(m);
  sys_free(&y);
}

/* Both directions at once: each NI sends and receives, so its CQ writer
 * alternates RX and TX completions and its write channel is shared by
 * completion writes and RX payload writes. */
static void duplex(unsigned L) {
  enum { N = 40 };
  uint32_t la[N], lb[N];
  for (int i = 0; i < N; i++) {
    la[i] = 1 + (uint32_t)(rng() % 3000);
    lb[i] = 1 + (uint32_t)(rng() % 3000);
  }
  struct sys y;
  sys_init(&y, L);
  sys_config(&y, 3, 3, 3);
  struct msg *ma = make_msgs_from(&y, SA, la, N, 2, 1);
  struct msg *mb = make_msgs_from(&y, SB, lb, N, 2, 1);
  struct runner ra, rb;
  runner_init(&ra, ma, N, 4096);
  runner_init(&rb, mb, N, 4096);
  struct runner *const rs[2] = {&ra, &rb};
  for (int k = 0; k < 200000 && !(runner_done(&ra) && runner_done(&rb)); k++) runners_step(&y, rs, 2);
  assert_true(runner_done(&ra) && runner_done(&rb));
  check_cpls(ma, N, 4096);
  check_cpls(mb, N, 4096);
  assert_int_equal(scoreboard(&y, ma, N, 4096).bad_bytes, 0);
  assert_int_equal(scoreboard(&y, mb, N, 4096).bad_bytes, 0);
  for (int i = 0; i < 2; i++) {
    assert_int_equal(ni_dut_counter(y.s[i].d, NI_CNT_TX_MSGS), N);
    assert_int_equal(ni_dut_counter(y.s[i].d, NI_CNT_RX_MSGS), N);
  }
  check_no_errors(&y);
  free(ma);
  free(mb);
  sys_free(&y);
}

static void test_duplex_lat100(void **state) {
  (void)state;
  duplex(100);
}

static void test_duplex_lat1(void **state) {
  (void)state;
  duplex(1);
}

/* ---- rings: wrap-around, full rings, phase bits ------------------------------------------------ */

static void test_ring_wrap(void **state) {
  (void)state;
  /* 4-entry rings (3 usable) and 50 messages: every ring wraps many times, the
   * CQ phase flips each pass (poll_cq only accepts the expected phase) */
  enum { N = 50 };
  uint32_t len[N];
  for (int i = 0; i < N; i++) len[i] = 1 + (uint32_t)(rng() % 700);
  struct sys y;
  sys_init(&y, 100);
  sys_config(&y, 2, 2, 2);
  struct msg *m = make_msgs(&y, len, N, 1, 0);     /* one flow, one VC: in order */
  run_msgs(&y, m, N, 1024, 400000);
  check_cpls(m, N, 1024);
  for (int i = 1; i < N; i++) {
    assert_true(m[i].rxc.addr > m[i - 1].rxc.addr);   /* buffers used in order */
  }
  /* completion k of a side sits in pass k / 4 of its CQ: phase 1, 0, 1, ... */
  for (int i = 0; i < N; i++) {
    assert_int_equal(m[i].txc.phase, ((i / 4) % 2) ? 0 : 1);
    assert_int_equal(m[i].rxc.phase, ((i / 4) % 2) ? 0 : 1);
  }
  assert_int_equal(scoreboard(&y, m, N, 1024).bad_bytes, 0);
  /* after 50 completions in a 4-entry CQ the host's head is 50 mod 4 and the
   * phase it expects next is that of pass 50 / 4 + 1 */
  assert_int_equal(y.s[SA].cq_head, N % 4);
  assert_int_equal(y.s[SA].cq_phase, ((N / 4) % 2) ? 0 : 1);
  check_no_errors(&y);
  free(m);
  sys_free(&y);
}

static void test_full_rings(void **state) {
  (void)state;
  enum { N = 12 };
  uint32_t len[N];
  for (int i = 0; i < N; i++) len[i] = 40 + 13 * (uint32_t)i;   /* 2..5 flits */
  struct sys y;
  sys_init(&y, 100);
  sys_config(&y, 2, 2, 2);
  struct msg *m = make_msgs(&y, len, N, 1, 0);
  const ni_dut *a = y.s[SA].d, *b = y.s[SB].d;

  /* 1. TX ring full (3 of 4 entries), the receiver has no buffers: it must
   * wait (cnt_rx_nobuf), the sender stops when B's VC 0 FIFO is full */
  for (int i = 0; i < 3; i++) post_tx(&y, SA, m[i].src, m[i].len, SB, m[i].vc, m[i].flow);
  assert_int_equal(tx_space(&y.s[SA]), 0);
  run(&y, 1500);
  assert_int_equal(ni_dut_out(a)->dma_tx_head, 3);
  assert_int_equal(ni_dut_counter(a, NI_CNT_RD_REQS), 3 + flits_of(len[0]) + flits_of(len[1]) +
                                                        flits_of(len[2]));
  assert_int_equal(ni_dut_counter(a, NI_CNT_TX_FLITS), NI_DUT_BUF_DEPTH);
  assert_int_equal(ni_dut_counter(b, NI_CNT_RX_FLITS), 0);
  assert_true(ni_dut_counter(b, NI_CNT_RX_NOBUF) >= 1200);   /* the first flit arrives after 2L */
  assert_int_equal(ni_dut_counter(b, NI_CNT_ERR_OVF), 0);

  /* 2. buffers come, but the host consumes no completion: each CQ takes 3
   * entries (full), each completion queue 4 more, then TX (last flit of the
   * 8th message) and RX (its EOM tail) stall */
  struct runner r;
  runner_init(&r, m, N, 256);
  r.ntx = 3;
  r.hold = 1;
  for (int k = 0; k < 4000; k++) runner_step(&y, &r);
  assert_int_equal(ni_dut_out(a)->dma_cq_tail, 3);
  assert_int_equal(ni_dut_out(b)->dma_cq_tail, 3);
  assert_int_equal(ni_dut_counter(a, NI_CNT_TX_MSGS), 3 + 4);
  assert_int_equal(ni_dut_counter(b, NI_CNT_RX_MSGS), 3 + 4);
  assert_true(ni_dut_counter(a, NI_CNT_CQ_FULL) > 3000);
  assert_true(ni_dut_counter(b, NI_CNT_CQ_FULL) > 3000);

  /* 3. the host consumes: everything completes, nothing is lost */
  r.hold = 0;
  for (int k = 0; k < 20000 && !runner_done(&r); k++) runner_step(&y, &r);
  assert_true(runner_done(&r));
  check_cpls(m, N, 256);
  assert_int_equal(scoreboard(&y, m, N, 256).bad_bytes, 0);
  check_no_errors(&y);
  free(m);
  sys_free(&y);
}

/* An RX buffer too small: status TRUNC, len = the message's length, only the
 * buffer's bytes written, nothing beyond it touched. */
static void test_trunc(void **state) {
  (void)state;
  static const uint32_t len[] = {300, 100, 1000, 99, 101, 248, 249, 24, 25};
  const size_t n = sizeof len / sizeof len[0];
  const uint32_t rxlen = 100;
  struct sys y;
  sys_init(&y, 100);
  sys_config(&y, 3, 3, 3);
  struct msg *m = make_msgs(&y, len, n, 2, 1);
  uint8_t fill[2048];
  memset(fill, 0xee, sizeof fill);
  for (size_t i = 0; i < n; i++) ni_mem_write(y.s[SB].m, RX_BUF + i * rx_stride(rxlen) + rxlen, fill, sizeof fill);
  run_msgs(&y, m, n, rxlen, 50000);
  check_cpls(m, n, rxlen);
  assert_int_equal(scoreboard(&y, m, n, rxlen).bad_bytes, 0);
  uint64_t written = 0;
  size_t ntrunc = 0;
  for (size_t i = 0; i < n; i++) {
    uint8_t got[sizeof fill];
    ni_mem_read(y.s[SB].m, m[i].rxc.addr + rxlen, got, sizeof got);
    assert_memory_equal(got, fill, sizeof fill);
    written += len[i] < rxlen ? len[i] : rxlen;
    ntrunc += m[i].rxc.status == 1;
  }
  assert_int_equal(ntrunc, 5);
  assert_int_equal(ni_dut_counter(y.s[SB].d, NI_CNT_WR_BYTES), written + 16 * n);
  assert_int_equal(ni_dut_counter(y.s[SB].d, NI_CNT_RX_MSGS), n);
  check_no_errors(&y);
  free(m);
  sys_free(&y);
}

/* Interrupt: every performed completion signals by default; coalescing by
 * count N; by timer T (measured from the edge performing the oldest
 * unsignalled completion); a coalescing write sees completions pending. */
static void test_interrupts(void **state) {
  (void)state;
  const unsigned L = 100;
  uint32_t len[13];
  struct sys y;
  sys_init(&y, L);
  sys_config(&y, 3, 3, 3);
  for (int i = 0; i < 13; i++) len[i] = 10 + 31 * (uint32_t)i;

  /* coalescing off */
  struct msg *m = make_msgs(&y, len, 6, 2, 1);
  run_msgs(&y, m, 6, 4096, 20000);
  run(&y, 2 * L);
  assert_int_equal(y.s[SA].intr_pulses, 6);
  assert_int_equal(y.s[SB].intr_pulses, 6);
  assert_int_equal(y.s[SA].intr, 1);
  y.s[SA].intr_clear = 1;
  sys_step(&y);
  assert_int_equal(y.s[SA].intr, 0);
  free(m);

  /* N = 4: 13 completions give 3 signals; the 13th waits */
  host_reg(&y, SA, NI_REG_IRQ_COAL, 4);
  host_reg(&y, SB, NI_REG_IRQ_COAL, 4);
  drain_regs(&y);
  y.s[SA].intr_pulses = y.s[SB].intr_pulses = 0;
  m = make_msgs(&y, len, 13, 2, 1);
  run_msgs(&y, m, 13, 4096, 40000);
  run(&y, 1000);
  assert_int_equal(y.s[SA].intr_pulses, 3);
  assert_int_equal(y.s[SB].intr_pulses, 3);
  free(m);

  /* a timer write while one completion is pending for long: it signals in
   * the cycle of the write (the write takes effect at that edge) */
  y.logging = 1;
  y.nev = 0;
  host_reg(&y, SA, NI_REG_IRQ_COAL, (40u << 16) | 100u);
  host_reg(&y, SB, NI_REG_IRQ_COAL, (40u << 16) | 100u);
  const uint64_t w = y.cycle;
  drain_regs(&y);
  assert_int_equal(count_evts(&y, SA, 'i'), 1);
  assert_int_equal(nth_evt(&y, SA, 'i', 0)->cyc, w);
  assert_int_equal(count_evts(&y, SB, 'i'), 1);

  /* T = 40: one completion performed at the edge ending cycle p signals at
   * the edge ending p + 40 */
  y.nev = 0;
  m = make_msgs(&y, len, 1, 1, 1);
  run_msgs(&y, m, 1, 4096, 20000);
  run(&y, 200);
  for (int i = 0; i < 2; i++) {
    const struct evt *cqw = NULL;
    for (size_t k = 0; k < y.nev; k++) {
      if (y.ev[k].side == i && y.ev[k].kind == 'w' && y.ev[k].addr >= CQ_RING &&
          y.ev[k].addr < CQ_RING + 16 * 8) {
        cqw = &y.ev[k];
      }
    }
    assert_non_null(cqw);
    assert_int_equal(count_evts(&y, i, 'i'), 1);
    assert_int_equal(nth_evt(&y, i, 'i', 0)->cyc, cqw->cyc + L - 1 + 40);
  }
  free(m);
  check_no_errors(&y);
  sys_free(&y);
}

/* len 0 (BADLEN, nothing sent), a descriptor VC >= NumVc (sent on VC 0,
 * err_desc), then register errors (err_csr, err_doorbell). */
static void test_badlen_and_errors(void **state) {
  (void)state;
  static const uint32_t len[] = {0, 50, 20, 0, 7};
  const size_t n = sizeof len / sizeof len[0];
  struct sys y;
  sys_init(&y, 100);
  sys_config(&y, 2, 2, 2);
  struct msg *m = make_msgs(&y, len, n, 2, 1);
  m[1].vc = 3;
  run_msgs(&y, m, n, 4096, 20000);
  check_cpls(m, n, 4096);
  assert_int_equal(scoreboard(&y, m, n, 4096).bad_bytes, 0);
  const ni_dut *a = y.s[SA].d, *b = y.s[SB].d;
  assert_int_equal(ni_dut_counter(a, NI_CNT_ERR_DESC), 1);
  assert_int_equal(ni_dut_counter(a, NI_CNT_TX_MSGS), 3);
  assert_int_equal(ni_dut_counter(b, NI_CNT_RX_MSGS), 3);
  /* one read per descriptor, per flit, and one 0-byte read per len-0 message */
  assert_int_equal(ni_dut_counter(a, NI_CNT_RD_REQS), n + flits_of(50) + flits_of(20) + flits_of(7) + 2);
  assert_int_equal(ni_dut_counter(a, NI_CNT_RD_BYTES), 16 * n + 77);
  assert_int_equal(ni_dut_counter(b, NI_CNT_ERR_RX), 0);

  /* register errors on B (its TX ring is idle) */
  const uint32_t rd0 = ni_dut_counter(b, NI_CNT_RD_REQS);
  host_reg(&y, SB, NI_REG_TX_TAIL, 4);          /* >= size 4 */
  host_reg(&y, SB, NI_REG_CQ_HEAD, 7);          /* >= size 4 */
  host_reg(&y, SB, NI_REG_TX_BASE_LO, 0x1000);  /* while enabled */
  host_reg(&y, SB, NI_REG_CTRL, 6);             /* TX off */
  host_reg(&y, SB, NI_REG_TX_SIZE, 17);         /* above 16 */
  host_reg(&y, SB, NI_REG_TX_SIZE, 3);          /* fine */
  host_reg(&y, SB, NI_REG_TX_TAIL, 7);          /* fine now (size 8), TX is off */
  drain_regs(&y);
  run(&y, 300);
  assert_int_equal(ni_dut_counter(b, NI_CNT_ERR_DOORBELL), 2);
  assert_int_equal(ni_dut_counter(b, NI_CNT_ERR_CSR), 2);
  assert_int_equal(ni_dut_counter(b, NI_CNT_RD_REQS), rd0);   /* nothing fetched */
  assert_int_equal(ni_dut_counter(a, NI_CNT_ERR_DOORBELL), 0);
  assert_int_equal(ni_dut_counter(a, NI_CNT_ERR_CSR), 0);
  free(m);
  sys_free(&y);
}

/* offset in its message of byte `byte` of flit `k` (section 6.5 packetising) */
static uint64_t msg_offset(uint64_t k, unsigned byte) {
  uint64_t pkt = k / 8, f = k % 8;
  return pkt * PMAX + (f == 0 ? byte - 8 : (FB - 8) + (f - 1) * FB + byte);
}

/* Negative test: a byte corrupted on the link must be caught, exactly. */
static void test_scoreboard_catches_corruption(void **state) {
  (void)state;
  const uint32_t len[] = {4096};
  struct sys y;
  sys_init(&y, 100);
  sys_config(&y, 2, 2, 2);
  struct msg *m = make_msgs(&y, len, 1, 1, 1);
  y.corrupt_flit = 10;
  y.corrupt_byte = 17;
  run_msgs(&y, m, 1, 4096, 20000);
  check_cpls(m, 1, 4096);                 /* the NI does not check payload */
  struct sb_result r = scoreboard(&y, m, 1, 4096);
  printf("# scoreboard: %llu bad byte(s), first in message %zu at offset %llu\n",
         (unsigned long long)r.bad_bytes, r.first_msg, (unsigned long long)r.first_off);
  assert_int_equal(r.bad_bytes, 1);
  assert_int_equal(r.first_msg, 0);
  assert_int_equal(r.first_off, msg_offset(10, 17));
  free(m);
  sys_free(&y);
}

/* ---- crafted flits into B: the receive error paths (section 6.6) ------------------------------ */

static void inj(struct sys *y, int head, int tail, unsigned vc, const uint8_t *flit) {
  if (y->ninj == y->inj_cap) {
    size_t cap = y->inj_cap ? 2 * y->inj_cap : 64;
    struct inj_flit *ni = realloc(y->inj, cap * sizeof *ni);
    assert_non_null(ni);
    y->inj = ni;
    y->inj_cap = cap;
  }
  struct inj_flit *f = &y->inj[y->ninj++];
  f->head = (uint8_t)head;
  f->tail = (uint8_t)tail;
  f->vc = (uint8_t)vc;
  memcpy(f->flit, flit, FB);
}

/* a head flit from A to B */
static void mk_head(uint8_t *f, unsigned flow, unsigned seq, unsigned nbytes, unsigned lenf,
                    int som, int eom) {
  uint64_t h = (uint64_t)(x_of[SB] | (y_of[SB] << 4) | (chip_of[SB] << 8) | (x_of[SA] << 12) |
                          (y_of[SA] << 16) | (chip_of[SA] << 20));
  h |= (uint64_t)(flow & 255u) << 24;
  h |= (uint64_t)(seq & 0xffffu) << 32;
  h |= (uint64_t)(lenf & 15u) << 48;
  h |= (uint64_t)((nbytes - 1) & 255u) << 52;
  h |= (uint64_t)(som ? 1 : 0) << 60;
  h |= (uint64_t)(eom ? 1 : 0) << 61;
  for (int k = 0; k < FB; k++) f[k] = (uint8_t)(0xa0 + k);
  for (int k = 0; k < 8; k++) f[k] = (uint8_t)(h >> (8 * k));
}

/* run until the injected flits are in and things settle; collect B's completions */
static size_t settle(struct sys *y, struct cpl *c, size_t max) {
  size_t n = 0;
  for (int k = 0; k < 400 || y->inj_pos < y->ninj; k++) {
    struct cpl t;
    while (poll_cq(y, SB, &t)) {
      assert_true(n < max);
      c[n++] = t;
    }
    sys_step(y);
  }
  return n;
}

static void test_rx_errors(void **state) {
  (void)state;
  struct sys y;
  uint8_t f[FB];
  struct cpl c[4];
  sys_init(&y, 100);
  sys_config(&y, 2, 5, 3);
  y.inject = 1;
  const ni_dut *b = y.s[SB].d;
  for (int i = 0; i < 31; i++) post_rx(&y, SB, RX_BUF + 0x10000ull * (uint64_t)i, 4096);
  run(&y, 400);

  /* a body flit with no packet in progress: discarded alone */
  memset(f, 0x33, FB);
  inj(&y, 0, 1, 0, f);
  assert_int_equal(settle(&y, c, 4), 0);
  assert_int_equal(ni_dut_counter(b, NI_CNT_ERR_RX), 1);
  assert_int_equal(ni_dut_counter(b, NI_CNT_RX_FLITS), 1);

  /* a head whose len does not match its byte count (30 bytes need 2 flits) */
  mk_head(f, 1, 0, 30, 1, 1, 1);
  inj(&y, 1, 1, 0, f);
  assert_int_equal(settle(&y, c, 4), 0);
  assert_int_equal(ni_dut_counter(b, NI_CNT_ERR_RX), 2);

  /* a non-SOM head without a context */
  mk_head(f, 9, 3, 10, 1, 0, 1);
  inj(&y, 1, 1, 1, f);
  assert_int_equal(settle(&y, c, 4), 0);
  assert_int_equal(ni_dut_counter(b, NI_CNT_ERR_RX), 3);

  /* flow 1: SOM seq 5 (10 bytes), then seq 7 with EOM: a sequence error; the
   * discarded EOM packet still completes the message, status ERR */
  mk_head(f, 1, 5, 10, 1, 1, 0);
  inj(&y, 1, 1, 0, f);
  mk_head(f, 1, 7, 10, 1, 0, 1);
  inj(&y, 1, 1, 0, f);
  assert_int_equal(settle(&y, c, 4), 1);
  assert_int_equal(c[0].status, 2);
  assert_int_equal(c[0].len, 10);
  assert_int_equal(c[0].flow, 1);
  assert_int_equal(c[0].addr, RX_BUF);
  assert_int_equal(ni_dut_counter(b, NI_CNT_ERR_RX), 3);   /* a seq mismatch sets the flag only */
  uint8_t got[10];
  ni_mem_read(y.s[SB].m, RX_BUF, got, 10);
  mk_head(f, 1, 5, 10, 1, 1, 0);
  assert_memory_equal(got, &f[8], 10);

  /* flow 2: SOM, then a second SOM with EOM: err_rx, the first context
   * completes with ERR */
  mk_head(f, 2, 0, 20, 1, 1, 0);
  inj(&y, 1, 1, 1, f);
  mk_head(f, 2, 1, 20, 1, 1, 1);
  inj(&y, 1, 1, 1, f);
  assert_int_equal(settle(&y, c, 4), 1);
  assert_int_equal(c[0].status, 2);
  assert_int_equal(c[0].len, 20);
  assert_int_equal(c[0].b15, chip_of[SA] | (1u << 4));
  assert_int_equal(ni_dut_counter(b, NI_CNT_ERR_RX), 4);

  /* an early tail: len says 3 flits (70 bytes), the tail comes second */
  mk_head(f, 3, 0, 70, 3, 1, 1);
  inj(&y, 1, 0, 0, f);
  memset(f, 0x44, FB);
  inj(&y, 0, 1, 0, f);
  assert_int_equal(settle(&y, c, 4), 1);
  assert_int_equal(c[0].status, 2);
  assert_int_equal(c[0].len, FB - 8 + FB);
  assert_int_equal(ni_dut_counter(b, NI_CNT_ERR_RX), 5);

  /* a good 3-packet message on flow 4 after all that */
  mk_head(f, 4, 100, PMAX, 8, 1, 0);
  inj(&y, 1, 0, 1, f);
  for (int k = 1; k < 8; k++) {
    memset(f, k, FB);
    inj(&y, 0, k == 7, 1, f);
  }
  mk_head(f, 4, 101, 5, 1, 0, 1);
  inj(&y, 1, 1, 1, f);
  assert_int_equal(settle(&y, c, 4), 1);
  assert_int_equal(c[0].status, 0);
  assert_int_equal(c[0].len, PMAX + 5);
  assert_int_equal(ni_dut_counter(b, NI_CNT_ERR_RX), 5);

  /* 16 messages open at once fill every context; a 17th SOM gets NOCTX */
  for (unsigned k = 0; k < 16; k++) {
    mk_head(f, 10 + k, 0, 8, 1, 1, 0);
    inj(&y, 1, 1, k & 1u, f);
  }
  assert_int_equal(settle(&y, c, 4), 0);
  mk_head(f, 40, 0, 8, 1, 1, 1);
  inj(&y, 1, 1, 0, f);
  assert_int_equal(settle(&y, c, 4), 1);
  assert_int_equal(c[0].status, 3);
  assert_int_equal(c[0].addr, 0);
  assert_int_equal(c[0].len, 0);
  assert_int_equal(c[0].flow, 40);
  assert_int_equal(ni_dut_counter(b, NI_CNT_ERR_RX_NOCTX), 1);
  assert_int_equal(ni_dut_counter(b, NI_CNT_ERR_RX), 5);
  assert_int_equal(ni_dut_counter(b, NI_CNT_ERR_OVF), 0);
  assert_int_equal(ni_dut_counter(b, NI_CNT_ERR_CREDIT), 0);
  sys_free(&y);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_worked_example_lat100),
    cmocka_unit_test(test_worked_example_lat1),
    cmocka_unit_test(test_sizes_lat100),
    cmocka_unit_test(test_sizes_lat1),
    cmocka_unit_test(test_one_mib),
    cmocka_unit_test(test_duplex_lat100),
    cmocka_unit_test(test_duplex_lat1),
    cmocka_unit_test(test_ring_wrap),
    cmocka_unit_test(test_full_rings),
    cmocka_unit_test(test_trunc),
    cmocka_unit_test(test_interrupts),
    cmocka_unit_test(test_badlen_and_errors),
    cmocka_unit_test(test_scoreboard_catches_corruption),
    cmocka_unit_test(test_rx_errors),
};

int main(void) {
  /* OPTILE_NI_TEST=<pattern> runs only the matching tests (e.g. test_one_mib) */
  const char *only = getenv("OPTILE_NI_TEST");
  if (only && *only) cmocka_set_test_filter(only);
  return cmocka_run_group_tests(tests, NULL, NULL);
}
