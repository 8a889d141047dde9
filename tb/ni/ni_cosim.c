/* NI co-simulation: RTL against the golden model, cycle by cycle. See
 * ni_cosim.h. */
#include "ni/ni_cosim.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ni/ni_cmp.h"
#include "ni/ni_cosim_rtl.h"

#define NV 2u     /* NumVc of the Verilated models */
#define DEPTH 4u  /* BufDepth */
#define FB NCR_B
#define EXTRA_CREDIT 0x100u /* in the credit queue: a credit the router does not owe */

struct rflit {
  noc_flit f;
  uint8_t from_ni;  /* a loopback flit: its pop returns a credit to the NI */
  uint8_t force;    /* delivered without a credit */
};

struct fifo {       /* growing ring of router flits */
  struct rflit *e;
  size_t cap, rd, n;
};

struct ni_cosim {
  ni_cosim_cfg cfg;
  char name[40];
  hostmem *gm;
  ni *g;
  ncr *r;
  uint64_t cycle;
  /* register writes, one per cycle */
  unsigned *rq_reg;
  uint32_t *rq_val;
  size_t rq_n, rq_cap, rq_rd;
  int clear_next;
  int rtl_intr;                /* intr_state DMA bit from the RTL's set pulses */
  /* router model */
  struct fifo q[NV];
  unsigned rx_cred[NV];        /* router's credits for the NI's RX FIFOs */
  unsigned tx_cred[NV];        /* router's view of the NI's TX credits */
  unsigned *cq;                /* credits due to the NI's TX side (VCs), FIFO */
  size_t cq_cap, cq_rd, cq_n;
  unsigned dptr;               /* round robin over VCs for deliveries */
  uint64_t rng;
  /* faults */
  int64_t flip_read;
  unsigned flip_byte;
  uint64_t reads_done;
  int64_t drop_at, dropped_cycle;
  unsigned dropped_vc;
  char fo_sig[48];             /* observed-output fault: signal, first cycle, applied at */
  uint64_t fo_from;
  int64_t fo_at;
  /* result */
  int failed;
  ni_cosim_mismatch mm;
  char err[320];
};

static uint64_t rnd(ni_cosim *c) {
  uint64_t x = c->rng;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return c->rng = x;
}

static int chance(ni_cosim *c, unsigned pct) { return pct && (rnd(c) % 100u) < pct; }

static void fifo_push(struct fifo *q, const struct rflit *f) {
  if (q->n == q->cap) {
    size_t ncap = q->cap ? 2 * q->cap : 64;
    struct rflit *e = malloc(ncap * sizeof *e);
    if (!e) abort();
    for (size_t i = 0; i < q->n; i++) e[i] = q->e[(q->rd + i) % q->cap];
    free(q->e);
    q->e = e;
    q->cap = ncap;
    q->rd = 0;
  }
  q->e[(q->rd + q->n) % q->cap] = *f;
  q->n++;
}

static void credit_push(ni_cosim *c, unsigned vc) {
  if (c->cq_n == c->cq_cap) {
    size_t ncap = c->cq_cap ? 2 * c->cq_cap : 64;
    unsigned *e = malloc(ncap * sizeof *e);
    if (!e) abort();
    for (size_t i = 0; i < c->cq_n; i++) e[i] = c->cq[(c->cq_rd + i) % c->cq_cap];
    free(c->cq);
    c->cq = e;
    c->cq_cap = ncap;
    c->cq_rd = 0;
  }
  c->cq[(c->cq_rd + c->cq_n) % c->cq_cap] = vc;
  c->cq_n++;
}

static void flit_to_bytes(const noc_flit *f, uint8_t *b) {
  for (unsigned i = 0; i < FB; i++) b[i] = (uint8_t)(f->data[i / 8] >> (8 * (i % 8)));
}

ni_cosim *ni_cosim_new(const ni_cosim_cfg *cfg, char *err, size_t errlen) {
  ni_cosim_cfg k = *cfg;
  if (!k.memlat) k.memlat = 100;
  if (k.memlat != 1 && k.memlat != 100) {
    snprintf(err, errlen, "ni_cosim: memlat = %u: the RTL is built for 1 and 100", k.memlat);
    return NULL;
  }
  if (k.bp_credit_pct > 99 || k.bp_deliver_pct > 99) {
    snprintf(err, errlen, "ni_cosim: backpressure percentages must be 0..99");
    return NULL;
  }
  ni_cosim *c = calloc(1, sizeof *c);
  if (!c) {
    snprintf(err, errlen, "ni_cosim: out of memory");
    return NULL;
  }
  c->cfg = k;
  snprintf(c->name, sizeof c->name, "%s", k.name ? k.name : "ni");
  c->cfg.name = c->name;
  c->rng = k.seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
  if (!c->rng) c->rng = 1;
  c->flip_read = -1;
  c->drop_at = -1;
  c->dropped_cycle = -1;
  c->fo_at = -1;
  for (unsigned v = 0; v < NV; v++) c->rx_cred[v] = c->tx_cred[v] = DEPTH;
  c->gm = hostmem_new(err, errlen);
  if (!c->gm) goto fail;
  ni_config gc;
  memset(&gc, 0, sizeof gc);
  gc.flit_w = 8 * FB;
  gc.num_vc = NV;
  gc.buf_depth = DEPTH;
  gc.mem_lat = k.memlat;
  gc.my_chip = k.chip;
  gc.my_x = k.x;
  gc.my_y = k.y;
  gc.variant = k.variant;
  c->g = ni_new(&gc, c->gm, err, errlen);
  if (!c->g) goto fail;
  c->r = ncr_new(k.memlat, k.chip, k.x, k.y);
  if (!c->r) {
    snprintf(err, errlen, "ni_cosim: cannot create the RTL model");
    goto fail;
  }
  return c;
fail:
  ni_cosim_free(c);
  return NULL;
}

void ni_cosim_free(ni_cosim *c) {
  if (!c) return;
  ncr_free(c->r);
  ni_free(c->g);
  hostmem_free(c->gm);
  for (unsigned v = 0; v < NV; v++) free(c->q[v].e);
  free(c->cq);
  free(c->rq_reg);
  free(c->rq_val);
  free(c);
}

/* ---- host side -------------------------------------------------------------------------- */

void ni_cosim_mem_write(ni_cosim *c, uint64_t addr, const void *src, size_t n) {
  if (hostmem_write(c->gm, addr, src, n) != 0) abort();
  ncr_mem_write(c->r, addr, src, n);
}

void ni_cosim_mem_read(const ni_cosim *c, uint64_t addr, void *dst, size_t n) {
  if (hostmem_read(c->gm, addr, dst, n) != 0) memset(dst, 0, n);
}

int ni_cosim_mem_compare(ni_cosim *c, uint64_t addr, size_t n) {
  uint8_t a[4096], b[4096];
  for (size_t off = 0; off < n; off += sizeof a) {
    size_t k = n - off < sizeof a ? n - off : sizeof a;
    ni_cosim_mem_read(c, addr + off, a, k);
    ncr_mem_read(c->r, addr + off, b, k);
    for (size_t i = 0; i < k; i++) {
      if (a[i] != b[i]) {
        snprintf(c->err, sizeof c->err,
                 "%s: host memory at 0x%" PRIx64 ": expected (golden) 0x%02x, actual (RTL) 0x%02x",
                 c->name, addr + off + i, a[i], b[i]);
        return -1;
      }
    }
  }
  return 0;
}

static int reg_map(unsigned reg, enum ncr_reg *out, uint32_t *mask) {
  switch (reg) {
  case NI_REG_CTRL: *out = NCR_CTRL; *mask = 7u; return 0;
  case NI_REG_IRQ_COAL: *out = NCR_IRQ_COAL; *mask = 0xFFFFFFFFu; return 0;
  case NI_REG_TX_BASE_LO: *out = NCR_TX_BASE_LO; *mask = 0xFFFFFFFFu; return 0;
  case NI_REG_TX_BASE_HI: *out = NCR_TX_BASE_HI; *mask = 0xFFFFFFFFu; return 0;
  case NI_REG_TX_SIZE: *out = NCR_TX_SIZE; *mask = 31u; return 0;
  case NI_REG_TX_TAIL: *out = NCR_TX_TAIL; *mask = 0xFFFFu; return 0;
  case NI_REG_RX_BASE_LO: *out = NCR_RX_BASE_LO; *mask = 0xFFFFFFFFu; return 0;
  case NI_REG_RX_BASE_HI: *out = NCR_RX_BASE_HI; *mask = 0xFFFFFFFFu; return 0;
  case NI_REG_RX_SIZE: *out = NCR_RX_SIZE; *mask = 31u; return 0;
  case NI_REG_RX_TAIL: *out = NCR_RX_TAIL; *mask = 0xFFFFu; return 0;
  case NI_REG_CQ_BASE_LO: *out = NCR_CQ_BASE_LO; *mask = 0xFFFFFFFFu; return 0;
  case NI_REG_CQ_BASE_HI: *out = NCR_CQ_BASE_HI; *mask = 0xFFFFFFFFu; return 0;
  case NI_REG_CQ_SIZE: *out = NCR_CQ_SIZE; *mask = 31u; return 0;
  case NI_REG_CQ_HEAD: *out = NCR_CQ_HEAD; *mask = 0xFFFFu; return 0;
  default: return -1;
  }
}

int ni_cosim_reg(ni_cosim *c, unsigned reg, uint32_t value) {
  enum ncr_reg r;
  uint32_t mask;
  if (reg_map(reg, &r, &mask) != 0) return -1;
  if (c->rq_rd + c->rq_n == c->rq_cap) {
    if (c->rq_rd) {
      memmove(c->rq_reg, c->rq_reg + c->rq_rd, c->rq_n * sizeof *c->rq_reg);
      memmove(c->rq_val, c->rq_val + c->rq_rd, c->rq_n * sizeof *c->rq_val);
      c->rq_rd = 0;
    }
    if (c->rq_n == c->rq_cap) {
      size_t ncap = c->rq_cap ? 2 * c->rq_cap : 64;
      unsigned *nr = realloc(c->rq_reg, ncap * sizeof *nr);
      if (!nr) abort();
      c->rq_reg = nr;
      uint32_t *nv = realloc(c->rq_val, ncap * sizeof *nv);
      if (!nv) abort();
      c->rq_val = nv;
      c->rq_cap = ncap;
    }
  }
  c->rq_reg[c->rq_rd + c->rq_n] = reg;
  c->rq_val[c->rq_rd + c->rq_n] = value & mask;
  c->rq_n++;
  return 0;
}

unsigned ni_cosim_regs_pending(const ni_cosim *c) { return (unsigned)c->rq_n; }
uint32_t ni_cosim_reg_read(const ni_cosim *c, unsigned reg) { return ni_reg_read(c->g, reg); }
void ni_cosim_intr_clear(ni_cosim *c) { c->clear_next = 1; }
int ni_cosim_irq(const ni_cosim *c) { return ni_irq(c->g); }

/* ---- router side ---------------------------------------------------------------------- */

void ni_cosim_inject(ni_cosim *c, const noc_flit *f, int force) {
  struct rflit r;
  memset(&r, 0, sizeof r);
  r.f = *f;
  r.f.vc = (uint8_t)(f->vc % NV);
  r.force = (uint8_t)(force != 0);
  fifo_push(&c->q[r.f.vc], &r);
}

unsigned ni_cosim_tx_credits(const ni_cosim *c, unsigned vc) { return vc < NV ? c->tx_cred[vc] : 0; }

unsigned ni_cosim_router_backlog(const ni_cosim *c) {
  unsigned n = 0;
  for (unsigned v = 0; v < NV; v++) n += (unsigned)c->q[v].n;
  return n;
}

void ni_cosim_fault_flip_read(ni_cosim *c, uint64_t nth_read, unsigned byte) {
  c->flip_read = (int64_t)nth_read;
  c->flip_byte = byte;
}

void ni_cosim_extra_credit(ni_cosim *c, unsigned vc) { credit_push(c, (vc & 0xFFu) | EXTRA_CREDIT); }

void ni_cosim_fault_rtl_mem_write(ni_cosim *c, uint64_t addr, const void *src, size_t n) {
  ncr_mem_write(c->r, addr, src, n);
}

void ni_cosim_fault_drop_credit(ni_cosim *c, uint64_t cycle) { c->drop_at = (int64_t)cycle; }

int64_t ni_cosim_fault_credit_cycle(const ni_cosim *c, unsigned *vc) {
  if (vc) *vc = c->dropped_vc;
  return c->dropped_cycle;
}

/* ---- observed-output faults (negative tests of the checkers) ---------------------------------- */

static const char *const out_sigs[] = {
    "tx_valid", "tx_head", "tx_tail", "tx_vc", "tx_flit byte 17", "rx_credit_valid", "rx_credit_vc",
    "dma_tx_head", "dma_rx_head", "dma_cq_tail", "intr_state.dma_cpl", "mem_rd valid", "mem_rd addr",
    "mem_rd len", "mem_wr valid", "mem_wr addr", "mem_wr len", "mem_wr be", "mem_wr data byte 3"};

size_t ni_cosim_fault_signals(const char *const **names) {
  if (names) *names = out_sigs;
  return sizeof out_sigs / sizeof out_sigs[0];
}

int ni_cosim_fault_output(ni_cosim *c, const char *signal, uint64_t from_cycle) {
  int ok = 0;
  for (size_t i = 0; i < sizeof out_sigs / sizeof out_sigs[0]; i++) ok |= !strcmp(signal, out_sigs[i]);
  for (unsigned i = 0; i < NCR_NUM_CNT; i++)
    ok |= !strncmp(signal, "counter ", 8) && !strcmp(signal + 8, ni_cmp_counter_name(i));
  if (!ok) return -1;
  snprintf(c->fo_sig, sizeof c->fo_sig, "%s", signal);
  c->fo_from = from_cycle;
  c->fo_at = -1;
  return 0;
}

int64_t ni_cosim_fault_output_cycle(const ni_cosim *c) { return c->fo_at; }

/* 1 if the fault on `sig` applies in this cycle (once; `active`: the signal
 * carries a value this cycle) */
static int fo_hit(ni_cosim *c, const char *sig, int active) {
  if (!c->fo_sig[0] || c->fo_at >= 0 || c->cycle < c->fo_from || !active) return 0;
  if (strcmp(c->fo_sig, sig) != 0) return 0;
  c->fo_at = (int64_t)c->cycle;
  return 1;
}

/* the RTL outputs as observed: faults applied to a copy */
static void fo_outputs(ni_cosim *c, ncr_out *o, int *intr) {
  if (fo_hit(c, "tx_valid", 1)) o->tx_valid ^= 1u;
  if (fo_hit(c, "tx_head", o->tx_valid)) o->tx_head ^= 1u;
  if (fo_hit(c, "tx_tail", o->tx_valid)) o->tx_tail ^= 1u;
  if (fo_hit(c, "tx_vc", o->tx_valid)) o->tx_vc ^= 1u;
  if (fo_hit(c, "tx_flit byte 17", o->tx_valid)) o->tx_flit[17] ^= 0x10u;
  if (fo_hit(c, "rx_credit_valid", 1)) o->rx_credit_valid ^= 1u;
  if (fo_hit(c, "rx_credit_vc", o->rx_credit_valid)) o->rx_credit_vc ^= 1u;
  if (fo_hit(c, "dma_tx_head", 1)) o->tx_head_idx ^= 1u;
  if (fo_hit(c, "dma_rx_head", 1)) o->rx_head_idx ^= 1u;
  if (fo_hit(c, "dma_cq_tail", 1)) o->cq_tail_idx ^= 1u;
  if (fo_hit(c, "intr_state.dma_cpl", 1)) *intr ^= 1;
}

static void fo_requests(ni_cosim *c, ncr_out *o) {
  if (fo_hit(c, "mem_rd valid", 1)) o->rd_valid ^= 1u;
  if (fo_hit(c, "mem_rd addr", o->rd_valid)) o->rd_addr ^= 0x40u;
  if (fo_hit(c, "mem_rd len", o->rd_valid)) o->rd_len ^= 1u;
  if (fo_hit(c, "mem_wr valid", 1)) o->wr_valid ^= 1u;
  if (fo_hit(c, "mem_wr addr", o->wr_valid)) o->wr_addr ^= 0x40u;
  if (fo_hit(c, "mem_wr len", o->wr_valid)) o->wr_len ^= 1u;
  if (fo_hit(c, "mem_wr be", o->wr_valid)) o->wr_be ^= 1u;
  if (fo_hit(c, "mem_wr data byte 3", o->wr_valid && o->wr_len > 3)) o->wr_data[3] ^= 0x10u;
}

/* ---- comparison --------------------------------------------------------------------------- */

static int mismatch(ni_cosim *c, const char *sig, uint64_t exp, uint64_t act) {
  c->failed = 1;
  c->mm.cycle = c->cycle;
  snprintf(c->mm.signal, sizeof c->mm.signal, "%s", sig);
  c->mm.expected = exp;
  c->mm.actual = act;
  snprintf(c->err, sizeof c->err,
           "cycle %" PRIu64 ": NI %s: %s: expected (golden) 0x%" PRIx64 ", actual (RTL) 0x%" PRIx64,
           c->cycle, c->name, sig, exp, act);
  return -1;
}

/* the shared comparison (ni_cmp.h), its first difference made this run's mismatch */
static int cmp_result(ni_cosim *c, int rc, const ni_cmp_diff *d) {
  return rc ? mismatch(c, d->signal, d->expected, d->actual) : 0;
}

static int cmp_counters(ni_cosim *c) {
  uint32_t a[NCR_NUM_CNT];
  for (unsigned i = 0; i < NCR_NUM_CNT; i++) {
    char sig[48];
    a[i] = ncr_counter(c->r, i);
    snprintf(sig, sizeof sig, "counter %s", ni_cmp_counter_name(i));
    if (fo_hit(c, sig, 1)) a[i]++;
  }
  ni_cmp_diff d;
  memset(&d, 0, sizeof d);
  return cmp_result(c, ni_cmp_counters(c->g, a, &d), &d);
}

int ni_cosim_check_counters(ni_cosim *c) {
  if (c->failed) return -1;
  return cmp_counters(c);
}

static int cmp_outputs(ni_cosim *c, const ncr_out *o, int rtl_intr) {
  ni_cmp_diff d;
  memset(&d, 0, sizeof d);
  return cmp_result(c, ni_cmp_outputs(c->g, o, rtl_intr, &d), &d);
}

static int cmp_requests(ni_cosim *c, const ncr_out *o) {
  ni_cmp_diff d;
  memset(&d, 0, sizeof d);
  return cmp_result(c, ni_cmp_requests(c->g, o, &d), &d);
}

/* ---- one cycle -------------------------------------------------------------------------- */

int ni_cosim_step(ni_cosim *c) {
  if (c->failed) return -1;
  /* register writes of this cycle, to both sides */
  if (c->rq_n) {
    unsigned reg = c->rq_reg[c->rq_rd];
    uint32_t val = c->rq_val[c->rq_rd];
    enum ncr_reg r;
    uint32_t mask;
    c->rq_rd++;
    c->rq_n--;
    if (!c->rq_n) c->rq_rd = 0;
    (void)reg_map(reg, &r, &mask);
    ncr_reg(c->r, r, val);
    if (ni_reg_write(c->g, reg, val) != 0) abort();
  }
  int clear = c->clear_next;
  c->clear_next = 0;
  if (clear) (void)ni_reg_write(c->g, NI_REG_INTR, 1);

  /* outputs of the cycle */
  const ncr_out *o = ncr_eval(c->r);
  ncr_out obs = *o;
  int obs_intr = c->rtl_intr;
  fo_outputs(c, &obs, &obs_intr);
  if (cmp_outputs(c, &obs, obs_intr) != 0) return -1;
  const noc_flit *gsent = ni_tx_flit(c->g);
  noc_flit sent_f;
  const noc_flit *sent = NULL;
  if (gsent) { /* a copy: the queue slot may be reused at the edge */
    sent_f = *gsent;
    sent = &sent_f;
  }
  int cred_out = ni_rx_credit_out(c->g);

  /* router: the flit delivered to the NI this cycle */
  ncr_in in;
  memset(&in, 0, sizeof in);
  struct rflit del;
  int have = 0;
  if (!chance(c, c->cfg.bp_deliver_pct)) {
    for (unsigned k = 0; k < NV && !have; k++) {
      unsigned v = (c->dptr + k) % NV;
      struct fifo *q = &c->q[v];
      if (!q->n) continue;
      const struct rflit *f = &q->e[q->rd];
      if (!f->force && !c->rx_cred[v]) continue;
      del = *f;
      q->rd = (q->rd + 1) % q->cap;
      q->n--;
      have = 1;
      if (!del.force) c->rx_cred[v]--;
      c->dptr = (v + 1) % NV;
    }
  }
  if (have) {
    in.rx_valid = 1;
    in.rx_head = del.f.head;
    in.rx_tail = del.f.tail;
    in.rx_vc = del.f.vc;
    flit_to_bytes(&del.f, in.rx_flit);
    (void)ni_rx_flit(c->g, &del.f);
  }
  /* router: a credit to the NI's transmit side (freed in an earlier cycle) */
  if (c->cq_n && !chance(c, c->cfg.bp_credit_pct)) {
    unsigned v = c->cq[c->cq_rd] & 0xFFu;
    int extra = (c->cq[c->cq_rd] & EXTRA_CREDIT) != 0;
    c->cq_rd = (c->cq_rd + 1) % c->cq_cap;
    c->cq_n--;
    (void)ni_tx_credit(c->g, v);
    if (!extra) c->tx_cred[v]++;
    if (c->drop_at >= 0 && c->dropped_cycle < 0 && c->cycle >= (uint64_t)c->drop_at) {
      c->dropped_cycle = (int64_t)c->cycle;
      c->dropped_vc = v;
    } else {
      in.credit_valid = 1;
      in.credit_vc = (uint8_t)v;
    }
  }

  /* golden cycle, then the RTL's requests against it, then the RTL's edge */
  ni_step(c->g);
  fo_requests(c, &obs);
  if (cmp_requests(c, &obs) != 0) return -1;
  /* the flip applies to the read performed at this edge if it is the nth */
  int flip = -1;
  if (c->flip_read >= 0 && (uint64_t)c->flip_read == c->reads_done) flip = (int)c->flip_byte;
  if (ncr_clock(c->r, &in, flip)) c->reads_done++;
  c->rtl_intr = o->intr_set ? 1 : (clear ? 0 : c->rtl_intr);

  /* router state at the edge */
  if (sent) {
    c->tx_cred[sent->vc]--;
    if (c->cfg.loopback) {
      struct rflit r;
      memset(&r, 0, sizeof r);
      r.f = *sent;
      r.from_ni = 1;
      fifo_push(&c->q[sent->vc], &r);
    } else {
      credit_push(c, sent->vc); /* the router forwards it elsewhere at once */
    }
  }
  if (have && del.from_ni) credit_push(c, del.f.vc);
  if (cred_out >= 0 && cred_out < (int)NV) c->rx_cred[cred_out]++;
  c->cycle++;
  return cmp_counters(c);
}

int ni_cosim_run(ni_cosim *c, uint64_t n) {
  for (uint64_t i = 0; i < n; i++)
    if (ni_cosim_step(c) != 0) return -1;
  return 0;
}

uint64_t ni_cosim_cycle(const ni_cosim *c) { return c->cycle; }
const char *ni_cosim_error(const ni_cosim *c) { return c->err; }
const ni_cosim_mismatch *ni_cosim_first_mismatch(const ni_cosim *c) { return c->failed ? &c->mm : NULL; }
const ni *ni_cosim_golden(const ni_cosim *c) { return c->g; }
uint64_t ni_cosim_mem_proto_errors(const ni_cosim *c) { return ncr_proto_errors(c->r); }
int ni_cosim_trace(ni_cosim *c, const char *path) { return ncr_trace_open(c->r, path); }
const char *ni_cosim_counter_name(unsigned i) { return ni_cmp_counter_name(i); }
