/* RTL network interface against the golden model, cycle by cycle
 * (tb/ni/ni_cosim.h, docs/spec.md section 6): one RTL NI and one golden NI
 * under the same register writes, host memory and router-side inputs, every
 * output compared every cycle (flits, credits, memory requests, ring
 * indices, interrupt, counters) and the memories compared at the end.
 *
 * Scenarios: transmit-only messages of the boundary sizes (1, B-8, B-7,
 * 8B-8, 8B-7, 64 KiB); receive with reassembly through loopback (the NI's
 * flits come back to its own receive side); ring wrap with TRUNC buffers; a
 * full TX ring; a full CQ (backpressure); no receive buffer; doorbell and
 * register errors, BADLEN, a bad VC; interrupt coalescing (count, timer,
 * both, off); crafted receive errors (stray, bad header, orphan, sequence
 * error, duplicate SOM, early and late tails, NOCTX, FIFO overflow); random
 * mixes with two seeds and random backpressure (credits withheld, deliveries
 * withheld), one at MemLat 1; flows spread over both VCs; a receive-side
 * fuzzer of crafted packets; 1 MiB in one message (the speed figure).
 * Negative tests: one read-data byte changed for the RTL only, one credit
 * withheld from the RTL only, and a golden model with a wrong read arbiter
 * (ni.h's test-only variant) are each caught at the cycle and signal derived
 * from a clean run; every checker (each compared signal and counter) catches
 * a change of what it observes at the cycle of the change; the memory
 * comparison catches one changed byte.
 *
 * OPTILE_NI_COSIM_FST=<path> dumps the RTL's waves of the loopback test;
 * OPTILE_NI_COSIM_SEED=<n> perturbs the seeds of the random tests (sweeps).
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

#include "ni/ni_cosim.h"

#define FB 32u               /* bytes per flit */
#define PMAX (8u * FB - 8u)  /* payload bytes per packet */

#define TX_RING 0x0000000100010000ull
#define RX_RING 0x0000000100020000ull
#define CQ_RING 0x0000000200030000ull
#define TX_BUF  0x0000000300000000ull
#define RX_BUF  0x0000000400000000ull

enum { MY_CHIP = 3, MY_X = 5, MY_Y = 6 };

static uint64_t total_cycles;
static double total_secs;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* ---- the host ------------------------------------------------------------------------ */

struct cpl {
  uint64_t addr;
  uint32_t len;
  unsigned kind, status, phase, flow, b14, b15;
};

struct msg {
  uint64_t src;
  uint32_t len, rxlen;
  unsigned vc, flow;
  int txd, rxd;
  struct cpl txc, rxc;
  uint64_t rxbuf;
};

struct host {
  ni_cosim *c;
  unsigned tx_k, rx_k, cq_k;
  uint32_t tx_tail, rx_tail, cq_head;
  uint32_t w_tx_tail, w_rx_tail, w_cq_head;   /* last values written */
  unsigned phase;
  int hold_cq;               /* do not consume completions */
  int clear_intr;            /* clear the interrupt bit when seen */
  uint64_t intr_seen;
  struct msg *m;
  size_t n, ntx, nrx, ntxc, nrxc, nrx_want;
  int post_rx;               /* post one RX buffer per message */
  uint64_t rxbuf_at;
  size_t rx_mi;              /* message whose size the next buffer takes */
  uint64_t bufa[8192];       /* buffers posted: address, length */
  uint32_t bufl[8192];
  size_t nbuf;
  struct cpl log[64];        /* completions taken with no messages (m NULL) */
  size_t nlog;
  uint64_t t0;
  double secs;
};

static uint64_t rng_s;
static uint64_t rng(void) {
  uint64_t x = rng_s;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return rng_s = x;
}

static ni_cosim *mk(int loopback, unsigned memlat, unsigned bp_cred, unsigned bp_del, uint64_t seed,
                    unsigned variant) {
  ni_cosim_cfg k;
  memset(&k, 0, sizeof k);
  k.memlat = memlat;
  k.chip = MY_CHIP;
  k.x = MY_X;
  k.y = MY_Y;
  k.loopback = loopback;
  k.bp_credit_pct = bp_cred;
  k.bp_deliver_pct = bp_del;
  k.seed = seed;
  k.variant = variant;
  k.name = "ni0";
  char err[200];
  ni_cosim *c = ni_cosim_new(&k, err, sizeof err);
  if (!c) fail_msg("%s", err);
  return c;
}

static void host_init(struct host *h, ni_cosim *c, unsigned tx_k, unsigned rx_k, unsigned cq_k) {
  memset(h, 0, sizeof *h);
  h->c = c;
  h->tx_k = tx_k;
  h->rx_k = rx_k;
  h->cq_k = cq_k;
  h->phase = 1;
  h->clear_intr = 1;
  h->post_rx = 1;
  h->rxbuf_at = RX_BUF;
  ni_cosim_reg(c, NI_REG_TX_BASE_LO, (uint32_t)TX_RING);
  ni_cosim_reg(c, NI_REG_TX_BASE_HI, (uint32_t)(TX_RING >> 32));
  ni_cosim_reg(c, NI_REG_TX_SIZE, tx_k);
  ni_cosim_reg(c, NI_REG_RX_BASE_LO, (uint32_t)RX_RING);
  ni_cosim_reg(c, NI_REG_RX_BASE_HI, (uint32_t)(RX_RING >> 32));
  ni_cosim_reg(c, NI_REG_RX_SIZE, rx_k);
  ni_cosim_reg(c, NI_REG_CQ_BASE_LO, (uint32_t)CQ_RING);
  ni_cosim_reg(c, NI_REG_CQ_BASE_HI, (uint32_t)(CQ_RING >> 32));
  ni_cosim_reg(c, NI_REG_CQ_SIZE, cq_k);
  ni_cosim_reg(c, NI_REG_CTRL, 7);
}

static unsigned ring_used(uint32_t prod, uint32_t cons, unsigned k) {
  return (prod - cons) & ((1u << k) - 1u);
}

static void put_le(uint8_t *p, uint64_t v, int n) {
  for (int i = 0; i < n; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static void post_tx(struct host *h, const struct msg *m) {
  uint8_t d[16] = {0};
  put_le(d, m->src, 8);
  put_le(d + 8, m->len, 4);
  d[12] = (uint8_t)(MY_CHIP | (m->vc & 3u) << 4);
  d[13] = (uint8_t)(MY_X | MY_Y << 4);
  d[14] = (uint8_t)m->flow;
  ni_cosim_mem_write(h->c, TX_RING + 16ull * h->tx_tail, d, 16);
  h->tx_tail = (h->tx_tail + 1) & ((1u << h->tx_k) - 1u);
}

static void post_rxbuf(struct host *h, uint64_t addr, uint32_t len) {
  uint8_t d[16] = {0};
  put_le(d, addr, 8);
  put_le(d + 8, len, 4);
  ni_cosim_mem_write(h->c, RX_RING + 16ull * h->rx_tail, d, 16);
  h->rx_tail = (h->rx_tail + 1) & ((1u << h->rx_k) - 1u);
}

static void parse_cpl(const uint8_t e[16], struct cpl *c) {
  c->addr = 0;
  for (int k = 7; k >= 0; k--) c->addr = (c->addr << 8) | e[k];
  c->len = (uint32_t)e[8] | (uint32_t)e[9] << 8 | (uint32_t)e[10] << 16 | (uint32_t)e[11] << 24;
  c->kind = e[12] & 3u;
  c->status = (e[12] >> 2) & 7u;
  c->phase = e[12] >> 7;
  c->flow = e[13];
  c->b14 = e[14];
  c->b15 = e[15];
}

static void take_cpl(struct host *h, const struct cpl *c) {
  if (!h->m) { /* no messages of its own: the host only logs completions */
    if (h->nlog < 64) h->log[h->nlog] = *c;
    h->nlog++;
    return;
  }
  if (c->kind == 1) {
    assert_true(h->ntxc < h->n);
    h->m[h->ntxc].txc = *c;
    h->m[h->ntxc].txd++;
    h->ntxc++;
  } else {
    assert_int_equal(c->kind, 2);
    size_t k = 0;
    while (k < h->n && (h->m[k].flow != c->flow || h->m[k].rxd || !h->m[k].len)) k++;
    assert_true(k < h->n);
    h->m[k].rxc = *c;
    h->m[k].rxd++;
    h->nrxc++;
  }
}

/* the host's work of one cycle, then the cycle; -1 on a mismatch */
static int host_step_nf(struct host *h) {
  ni_cosim *c = h->c;
  uint32_t txh = ni_cosim_reg_read(c, NI_REG_TX_HEAD), rxh = ni_cosim_reg_read(c, NI_REG_RX_HEAD);
  while (h->ntx < h->n && ring_used(h->tx_tail, txh, h->tx_k) + 1u < (1u << h->tx_k)) {
    post_tx(h, &h->m[h->ntx]);
    h->ntx++;
  }
  while (h->post_rx && h->nrx < h->nrx_want && ring_used(h->rx_tail, rxh, h->rx_k) + 1u < (1u << h->rx_k)) {
    while (!h->m[h->rx_mi].len) h->rx_mi++; /* message order, len-0 ones excepted */
    struct msg *m = &h->m[h->rx_mi++];
    post_rxbuf(h, h->rxbuf_at, m->rxlen);
    if (h->nbuf < 8192) {
      h->bufa[h->nbuf] = h->rxbuf_at;
      h->bufl[h->nbuf++] = m->rxlen;
    }
    h->rxbuf_at += ((uint64_t)m->rxlen + 8191) / 4096 * 4096;
    h->nrx++;
  }
  uint8_t e[16];
  while (!h->hold_cq) {
    ni_cosim_mem_read(c, CQ_RING + 16ull * h->cq_head, e, 16);
    if ((unsigned)(e[12] >> 7) != h->phase) break;
    struct cpl cp;
    parse_cpl(e, &cp);
    take_cpl(h, &cp);
    h->cq_head = (h->cq_head + 1) & ((1u << h->cq_k) - 1u);
    if (!h->cq_head) h->phase ^= 1u;
  }
  if (h->clear_intr && ni_cosim_irq(c)) {
    h->intr_seen++;
    ni_cosim_intr_clear(c);
  }
  /* doorbells: one register write a cycle, the newest value */
  if (!ni_cosim_regs_pending(c)) {
    if (h->w_tx_tail != h->tx_tail) {
      ni_cosim_reg(c, NI_REG_TX_TAIL, h->tx_tail);
      h->w_tx_tail = h->tx_tail;
    } else if (h->w_rx_tail != h->rx_tail) {
      ni_cosim_reg(c, NI_REG_RX_TAIL, h->rx_tail);
      h->w_rx_tail = h->rx_tail;
    } else if (h->w_cq_head != h->cq_head) {
      ni_cosim_reg(c, NI_REG_CQ_HEAD, h->cq_head);
      h->w_cq_head = h->cq_head;
    }
  }
  return ni_cosim_step(c);
}

static void host_step(struct host *h) {
  if (host_step_nf(h) != 0) fail_msg("%s", ni_cosim_error(h->c));
}

/* messages laid out at unaligned addresses with random bytes */
static struct msg *mk_msgs(ni_cosim *c, const uint32_t *len, size_t n, uint32_t rxlen_fixed) {
  struct msg *m = calloc(n, sizeof *m);
  assert_non_null(m);
  uint64_t at = TX_BUF;
  uint8_t *buf = NULL;
  size_t cap = 0;
  for (size_t i = 0; i < n; i++) {
    at += rng() % 61;
    m[i].src = at;
    m[i].len = len[i];
    m[i].rxlen = rxlen_fixed ? rxlen_fixed : (len[i] ? len[i] : 1);
    m[i].flow = (unsigned)(i % 7);
    m[i].vc = m[i].flow & 1u; /* a flow stays on one VC (spec 6.5) */
    if (len[i] > cap) {
      uint8_t *nb = realloc(buf, len[i]);
      assert_non_null(nb);
      buf = nb;
      cap = len[i];
    }
    for (uint32_t k = 0; k < len[i]; k++) buf[k] = (uint8_t)(rng() >> 33);
    if (len[i]) ni_cosim_mem_write(c, at, buf, len[i]);
    at += len[i] + 64;
  }
  free(buf);
  return m;
}

static void host_msgs(struct host *h, struct msg *m, size_t n, int rx) {
  h->m = m;
  h->n = n;
  h->ntx = h->nrx = h->ntxc = h->nrxc = h->rx_mi = h->nbuf = 0;
  h->nrx_want = 0;
  if (rx)
    for (size_t i = 0; i < n; i++) h->nrx_want += m[i].len != 0;
}

static int host_done(const struct host *h) { return h->ntxc == h->n && h->nrxc == h->nrx_want; }

static void host_run(struct host *h, uint64_t max) {
  uint64_t t0 = ni_cosim_cycle(h->c);
  double s0 = now();
  while (!host_done(h) && ni_cosim_cycle(h->c) - t0 < max) host_step(h);
  /* let everything settle: the last completions' interrupts, credits */
  for (int i = 0; i < 400; i++) host_step(h);
  total_cycles += ni_cosim_cycle(h->c) - t0;
  total_secs += now() - s0;
  if (!host_done(h))
    fail_msg("not done after %llu cycles: %zu/%zu TX, %zu/%zu RX completions",
             (unsigned long long)max, h->ntxc, h->n, h->nrxc, h->nrx_want);
}

/* final checks: counters, completions, bytes (golden memory against the
 * source, RTL memory against golden) */
static void check_end(struct host *h, int rx) {
  ni_cosim *c = h->c;
  if (ni_cosim_check_counters(c) != 0) fail_msg("%s", ni_cosim_error(c));
  assert_int_equal(ni_cosim_mem_proto_errors(c), 0);
  if (ni_cosim_mem_compare(c, CQ_RING, 16u << h->cq_k) != 0) fail_msg("%s", ni_cosim_error(c));
  const ni_counters *k = ni_get_counters(ni_cosim_golden(c));
  size_t good = 0;
  for (size_t i = 0; i < h->n; i++) {
    const struct msg *m = &h->m[i];
    assert_int_equal(m->txd, 1);
    assert_int_equal(m->txc.addr, m->src);
    assert_int_equal(m->txc.len, m->len);
    assert_int_equal(m->txc.status, m->len ? 0 : 4);
    good += m->len != 0;
    if (!rx || !m->len) continue;
    assert_int_equal(m->rxd, 1);
    assert_int_equal(m->rxc.len, m->len);
    /* the buffer it got (messages on two VCs may take them out of order) */
    size_t bi = 0;
    while (bi < h->nbuf && h->bufa[bi] != m->rxc.addr) bi++;
    assert_true(bi < h->nbuf);
    uint32_t rxlen = h->bufl[bi];
    assert_int_equal(m->rxc.status, m->len > rxlen ? 1 : 0);
    assert_int_equal(m->rxc.b14, MY_X | MY_Y << 4);
    assert_int_equal(m->rxc.b15 & 15u, MY_CHIP);
    uint32_t n = m->len < rxlen ? m->len : rxlen;
    uint8_t *a = malloc(n + 1), *b = malloc(n + 1);
    assert_non_null(a);
    assert_non_null(b);
    ni_cosim_mem_read(c, m->src, a, n);
    ni_cosim_mem_read(c, m->rxc.addr, b, n);
    assert_memory_equal(a, b, n);
    free(a);
    free(b);
    if (ni_cosim_mem_compare(c, m->rxc.addr, rxlen + 64) != 0) fail_msg("%s", ni_cosim_error(c));
  }
  assert_int_equal(k->tx_msgs, good);
  if (rx) assert_int_equal(k->rx_msgs, good);
}

/* ---- transmit only ------------------------------------------------------------------------- */

static void test_tx_sizes(void **state) {
  (void)state;
  rng_s = 0x1234567ull;
  ni_cosim *c = mk(0, 100, 0, 0, 1, 0);
  struct host h;
  host_init(&h, c, 3, 3, 4);
  const uint32_t len[] = {1, FB - 8, FB - 7, PMAX, PMAX + 1, 65536, 1, FB - 7};
  size_t n = sizeof len / sizeof len[0];
  struct msg *m = mk_msgs(c, len, n, 0);
  host_msgs(&h, m, n, 0);
  host_run(&h, 200000);
  check_end(&h, 0);
  const ni_counters *k = ni_get_counters(ni_cosim_golden(c));
  uint32_t pk = 0;
  for (size_t i = 0; i < n; i++) pk += (len[i] + PMAX - 1) / PMAX;
  assert_int_equal(k->tx_pkts, pk);
  print_message("tx sizes: %u flits, %u packets, %llu cycles, %llu interrupts\n", k->tx_flits, k->tx_pkts,
                (unsigned long long)ni_cosim_cycle(c), (unsigned long long)h.intr_seen);
  free(m);
  ni_cosim_free(c);
}

/* ---- loopback: receive and reassembly ---------------------------------------------------- */

static void run_loop(unsigned memlat, const uint32_t *len, size_t n, unsigned tx_k, unsigned rx_k,
                     unsigned cq_k, uint32_t rxlen, unsigned bp_c, unsigned bp_d, uint64_t seed,
                     const char *fst) {
  ni_cosim *c = mk(1, memlat, bp_c, bp_d, seed, 0);
  if (fst) assert_int_equal(ni_cosim_trace(c, fst), 0);
  struct host h;
  host_init(&h, c, tx_k, rx_k, cq_k);
  struct msg *m = mk_msgs(c, len, n, rxlen);
  host_msgs(&h, m, n, 1);
  host_run(&h, 4000000);
  check_end(&h, 1);
  free(m);
  ni_cosim_free(c);
}

static void test_loopback_sizes(void **state) {
  (void)state;
  rng_s = 0xABCDEFull;
  const uint32_t len[] = {1, FB - 8, FB - 7, PMAX, PMAX + 1, 65536, 3, 1000};
  run_loop(100, len, sizeof len / sizeof len[0], 3, 3, 4, 0, 0, 0, 1, getenv("OPTILE_NI_COSIM_FST"));
}

/* small rings, many messages: every ring wraps several times; TRUNC buffers */
static void test_ring_wrap_trunc(void **state) {
  (void)state;
  rng_s = 0x55AA55ull;
  uint32_t len[40];
  for (int i = 0; i < 40; i++) len[i] = 1 + (uint32_t)(rng() % 700);
  run_loop(100, len, 40, 2, 2, 2, 300, 0, 0, 2, NULL);
}

/* the host fills the TX ring completely before the NI is enabled */
static void test_full_tx_ring(void **state) {
  (void)state;
  rng_s = 0x77ull;
  ni_cosim *c = mk(1, 100, 0, 0, 3, 0);
  struct host h;
  host_init(&h, c, 2, 3, 4);
  ni_cosim_reg(c, NI_REG_CTRL, 6); /* TX off after the set-up */
  uint32_t len[9];
  for (int i = 0; i < 9; i++) len[i] = 40u * (uint32_t)(i + 1);
  struct msg *m = mk_msgs(c, len, 9, 0);
  host_msgs(&h, m, 9, 1);
  while (ni_cosim_regs_pending(c)) host_step(&h);
  for (int i = 0; i < 300; i++) host_step(&h);
  assert_int_equal(h.ntx, 3);                       /* ring of 4: 3 posted, full */
  assert_int_equal(ni_cosim_reg_read(c, NI_REG_TX_HEAD), 0);
  ni_cosim_reg(c, NI_REG_CTRL, 7);
  host_run(&h, 400000);
  check_end(&h, 1);
  free(m);
  ni_cosim_free(c);
}

/* the host stops consuming completions: the CQ fills (one usable slot in a
 * ring of 2), TX and RX stall, nothing is lost */
static void test_full_cq(void **state) {
  (void)state;
  rng_s = 0x99ull;
  ni_cosim *c = mk(1, 100, 0, 0, 4, 0);
  struct host h;
  host_init(&h, c, 3, 3, 1);
  uint32_t len[12];
  for (int i = 0; i < 12; i++) len[i] = 30u + 97u * (uint32_t)i;
  struct msg *m = mk_msgs(c, len, 12, 0);
  host_msgs(&h, m, 12, 1);
  h.hold_cq = 1;
  for (int i = 0; i < 3000; i++) host_step(&h);
  const ni_counters *k = ni_get_counters(ni_cosim_golden(c));
  assert_true(k->cq_full > 0);
  assert_true(k->tx_msgs < 12);
  h.hold_cq = 0;
  host_run(&h, 400000);
  check_end(&h, 1);
  free(m);
  ni_cosim_free(c);
}

/* messages arrive before any RX buffer is posted */
static void test_no_rx_buffer(void **state) {
  (void)state;
  rng_s = 0x31ull;
  ni_cosim *c = mk(1, 100, 0, 0, 5, 0);
  struct host h;
  host_init(&h, c, 3, 3, 4);
  uint32_t len[6] = {10, 300, 1, 600, 33, 248};
  struct msg *m = mk_msgs(c, len, 6, 0);
  host_msgs(&h, m, 6, 1);
  h.post_rx = 0;
  for (int i = 0; i < 2000; i++) host_step(&h);
  const ni_counters *k = ni_get_counters(ni_cosim_golden(c));
  assert_true(k->rx_nobuf > 0);
  assert_int_equal(k->rx_msgs, 0);
  h.post_rx = 1;
  host_run(&h, 400000);
  check_end(&h, 1);
  free(m);
  ni_cosim_free(c);
}

/* register and doorbell errors, BADLEN and a bad VC in descriptors */
static void test_doorbell_errors(void **state) {
  (void)state;
  rng_s = 0x42ull;
  ni_cosim *c = mk(1, 100, 0, 0, 6, 0);
  struct host h;
  host_init(&h, c, 2, 2, 3);
  ni_cosim_reg(c, NI_REG_TX_TAIL, 4);     /* >= size: err_doorbell */
  ni_cosim_reg(c, NI_REG_RX_TAIL, 9);
  ni_cosim_reg(c, NI_REG_CQ_HEAD, 8);
  ni_cosim_reg(c, NI_REG_TX_SIZE, 3);     /* while enabled: err_csr */
  ni_cosim_reg(c, NI_REG_CQ_BASE_LO, 0);
  ni_cosim_reg(c, NI_REG_CTRL, 0);
  ni_cosim_reg(c, NI_REG_RX_SIZE, 17);    /* > 16: err_csr */
  ni_cosim_reg(c, NI_REG_RX_SIZE, 2);
  ni_cosim_reg(c, NI_REG_CTRL, 7);
  while (ni_cosim_regs_pending(c)) host_step(&h);
  uint32_t len[5] = {100, 0, 17, 0, 250};
  struct msg *m = mk_msgs(c, len, 5, 0);
  m[2].vc = 3;                             /* >= NumVc: err_desc, sent on VC 0 */
  host_msgs(&h, m, 5, 1);
  host_run(&h, 100000);
  check_end(&h, 1);
  const ni_counters *k = ni_get_counters(ni_cosim_golden(c));
  assert_int_equal(k->err_doorbell, 3);
  assert_int_equal(k->err_csr, 3);
  assert_int_equal(k->err_desc, 1);
  /* credits nobody owed: the NI holds BufDepth already */
  ni_cosim_extra_credit(c, 0);
  ni_cosim_extra_credit(c, 1);
  ni_cosim_extra_credit(c, 1);
  if (ni_cosim_run(c, 10) != 0) fail_msg("%s", ni_cosim_error(c));
  assert_int_equal(k->err_credit, 3);
  /* a doorbell on an unusable ring (size 0) */
  ni_cosim_reg(c, NI_REG_CTRL, 0);
  ni_cosim_reg(c, NI_REG_TX_SIZE, 0);
  ni_cosim_reg(c, NI_REG_TX_TAIL, 0);
  if (ni_cosim_run(c, 10) != 0) fail_msg("%s", ni_cosim_error(c));
  assert_int_equal(k->err_doorbell, 4);
  free(m);
  ni_cosim_free(c);
}

/* interrupt coalescing: a count, then a timer, then both */
static void test_irq_coalescing(void **state) {
  (void)state;
  static const uint32_t coal[] = {3u, 40u << 16, 5u | 200u << 16, 0u};
  for (unsigned t = 0; t < 4; t++) {
    rng_s = 0x1000ull + t;
    ni_cosim *c = mk(1, 100, 0, 0, 7 + t, 0);
    struct host h;
    host_init(&h, c, 3, 3, 4);
    ni_cosim_reg(c, NI_REG_IRQ_COAL, coal[t]);
    uint32_t len[10];
    for (int i = 0; i < 10; i++) len[i] = 1u + (uint32_t)(rng() % 400);
    struct msg *m = mk_msgs(c, len, 10, 0);
    host_msgs(&h, m, 10, 1);
    if (t == 1) h.clear_intr = 0; /* the bit stays set; cleared once below */
    host_run(&h, 200000);
    check_end(&h, 1);
    if (t == 1) {
      assert_true(ni_cosim_irq(c));
      ni_cosim_intr_clear(c);
      if (ni_cosim_run(c, 3) != 0) fail_msg("%s", ni_cosim_error(c));
      assert_false(ni_cosim_irq(c));
    } else {
      assert_true(h.intr_seen > 0);
    }
    free(m);
    ni_cosim_free(c);
  }
}

/* ---- crafted receive errors --------------------------------------------------------------- */

static void hdr(noc_flit *f, unsigned flow, unsigned seq, unsigned nbytes, int som, int eom,
                unsigned len_fl, unsigned vc) {
  memset(f, 0, sizeof *f);
  noc_header h = {.dst_x = MY_X, .dst_y = MY_Y, .dst_chip = MY_CHIP, .src_x = 9, .src_y = 10,
                  .src_chip = 11, .flow = flow, .seq = seq, .len = len_fl,
                  .ni = (nbytes - 1) | (som ? NI_HDR_SOM : 0) | (eom ? NI_HDR_EOM : 0)};
  noc_header_pack(f, &h);
  for (unsigned i = 1; i < 4; i++) f->data[i] = rng();
  f->head = 1;
  f->tail = len_fl == 1;
  f->vc = (uint8_t)vc;
}

static void body(noc_flit *f, int tail, unsigned vc) {
  memset(f, 0, sizeof *f);
  for (unsigned i = 0; i < 4; i++) f->data[i] = rng();
  f->tail = (uint8_t)tail;
  f->vc = (uint8_t)vc;
}

static void test_rx_errors(void **state) {
  (void)state;
  rng_s = 0xE77ull;
  ni_cosim *c = mk(0, 100, 0, 10, 11, 0);
  struct host h;
  host_init(&h, c, 3, 5, 5);
  for (int i = 0; i < 12; i++) post_rxbuf(&h, RX_BUF + 4096ull * (uint64_t)i, 200);
  noc_flit f;
  body(&f, 1, 0);
  ni_cosim_inject(c, &f, 0);               /* stray flit */
  hdr(&f, 1, 0, 40, 1, 1, 3, 0);           /* len 3 for 40 bytes (2 flits): bad header */
  ni_cosim_inject(c, &f, 0);
  body(&f, 0, 0); ni_cosim_inject(c, &f, 0);
  body(&f, 1, 0); ni_cosim_inject(c, &f, 0);
  hdr(&f, 2, 5, 10, 0, 1, 1, 1);           /* no SOM, no context: orphan */
  ni_cosim_inject(c, &f, 0);
  hdr(&f, 3, 7, PMAX, 1, 0, 8, 1);         /* a message on flow 3: first packet */
  ni_cosim_inject(c, &f, 0);
  for (int i = 0; i < 7; i++) { body(&f, i == 6, 1); ni_cosim_inject(c, &f, 0); }
  hdr(&f, 3, 9, 20, 0, 0, 1, 1);           /* seq 9, expected 8: error flag */
  ni_cosim_inject(c, &f, 0);
  hdr(&f, 3, 0, 20, 1, 0, 1, 1);           /* duplicate SOM */
  ni_cosim_inject(c, &f, 0);
  hdr(&f, 3, 10, 100, 0, 1, 4, 0);         /* EOM, early tail (2 of 4 flits) */
  ni_cosim_inject(c, &f, 0);
  body(&f, 1, 0); ni_cosim_inject(c, &f, 0);
  hdr(&f, 4, 0, 60, 1, 1, 3, 0);           /* a good one, late tail: 3 flits then 1 extra */
  f.tail = 0;
  ni_cosim_inject(c, &f, 0);
  body(&f, 0, 0); ni_cosim_inject(c, &f, 0);
  body(&f, 0, 0); ni_cosim_inject(c, &f, 0);
  body(&f, 1, 0); ni_cosim_inject(c, &f, 0);
  for (int i = 0; i < 300; i++) host_step(&h);
  /* 16 open messages (SOM, no EOM), then a 17th: NOCTX */
  for (unsigned fl = 0; fl < 17; fl++) {
    hdr(&f, 100 + fl, 0, 10, 1, 0, 1, fl & 1u);
    ni_cosim_inject(c, &f, 0);
    if (fl == 12)
      for (int i = 0; i < 10; i++) post_rxbuf(&h, RX_BUF + 4096ull * (uint64_t)(12 + i), 200);
  }
  for (int i = 0; i < 600; i++) host_step(&h);
  /* overflow: five flits into a 4-deep FIFO without credits */
  /* overflow: CQ writer off, so NOCTX completions stop, the FIFO fills and
   * flits delivered without credits overflow it */
  ni_cosim_reg(c, NI_REG_CTRL, 3);
  for (int i = 0; i < 5; i++) host_step(&h);
  for (int i = 0; i < 14; i++) {
    hdr(&f, 200, 0, 10, 1, 1, 1, 0);
    ni_cosim_inject(c, &f, 1);
  }
  for (int i = 0; i < 100; i++) host_step(&h);
  ni_cosim_reg(c, NI_REG_CTRL, 7);
  for (int i = 0; i < 400; i++) host_step(&h);
  if (ni_cosim_check_counters(c) != 0) fail_msg("%s", ni_cosim_error(c));
  const ni_counters *k = ni_get_counters(ni_cosim_golden(c));
  print_message("rx errors: err_rx %u, err_rx_noctx %u, err_ovf %u, rx_msgs %u, nobuf %u\n", k->err_rx,
                k->err_rx_noctx, k->err_ovf, k->rx_msgs, k->rx_nobuf);
  assert_true(k->err_rx >= 6);
  assert_true(k->err_rx_noctx >= 1);
  assert_true(k->err_ovf >= 1);
  size_t st[8] = {0};
  for (size_t i = 0; i < h.nlog && i < 64; i++) st[h.log[i].status & 7u]++;
  print_message("rx errors: completions OK %zu, TRUNC %zu, ERR %zu, NOCTX %zu\n", st[0], st[1], st[2], st[3]);
  assert_true(st[2] >= 1);
  assert_int_equal(st[3], k->err_rx_noctx);
  if (ni_cosim_mem_compare(c, CQ_RING, 16u << 5) != 0) fail_msg("%s", ni_cosim_error(c));
  if (ni_cosim_mem_compare(c, RX_BUF, 4096u * 22u) != 0) fail_msg("%s", ni_cosim_error(c));
  ni_cosim_free(c);
}

/* random crafted packets into the receive side: few flows, sequence numbers
 * near the expected ones, SOM/EOM at random, header lengths sometimes off
 * by one, tails early or late, stray flits; buffers of random sizes posted
 * at random; only the RTL/golden agreement and the memories are checked */
static void rx_fuzz(uint64_t seed, unsigned npkt) {
  rng_s = seed;
  ni_cosim *c = mk(0, 100, 0, 30, seed, 0);
  struct host h;
  host_init(&h, c, 3, 4, 3);
  uint16_t seq[24] = {0};
  uint8_t open[24] = {0};
  uint64_t t0 = ni_cosim_cycle(c);
  double s0 = now();
  for (unsigned p = 0; p < npkt; p++) {
    noc_flit f;
    unsigned flow = (unsigned)(rng() % (p % 400 < 200 ? 4 : 24));
    unsigned vc = rng() % 10 ? flow & 1u : (unsigned)(rng() % 2); /* mostly a flow keeps its VC */
    unsigned r = (unsigned)(rng() % 100);
    if (r < 3) { /* a stray flit */
      body(&f, (int)(rng() % 2), vc);
      ni_cosim_inject(c, &f, 0);
      continue;
    }
    unsigned nb = 1 + (unsigned)(rng() % (r < 6 ? 255 : PMAX));
    unsigned fl = nb <= FB - 8 ? 1 : 1 + (nb - (FB - 8) + FB - 1) / FB;
    unsigned hl = fl;
    if (rng() % 20 == 0) hl = fl + 1;
    else if (rng() % 20 == 0 && fl > 1) hl = fl - 1;
    unsigned sent = hl;      /* flits actually sent */
    if (rng() % 20 == 0) sent = hl > 1 ? hl - 1 : 1;
    else if (rng() % 20 == 0) sent = hl + 1;
    int som = open[flow] ? rng() % 20 == 0 : rng() % 10 != 0;
    int eom = rng() % 3 == 0;
    open[flow] = (uint8_t)(som ? !eom : open[flow] && !eom);
    unsigned sq = seq[flow];
    if (rng() % 15 == 0) sq += 1 + (unsigned)(rng() % 2);
    seq[flow] = (uint16_t)(sq + 1);
    hdr(&f, flow, sq, nb, som, eom, hl & 15u, vc);
    f.tail = sent == 1;
    ni_cosim_inject(c, &f, 0);
    for (unsigned k = 1; k < sent; k++) {
      body(&f, k + 1 == sent, vc);
      ni_cosim_inject(c, &f, 0);
    }
    /* the host: buffers now and then, a few cycles */
    uint32_t rxh = ni_cosim_reg_read(c, NI_REG_RX_HEAD);
    if (rng() % 3 == 0 && ring_used(h.rx_tail, rxh, h.rx_k) + 1u < (1u << h.rx_k)) {
      post_rxbuf(&h, h.rxbuf_at, 1 + (uint32_t)(rng() % 1500));
      h.rxbuf_at += 4096;
    }
    unsigned steps = (unsigned)(rng() % 12);
    for (unsigned k = 0; k < steps; k++) host_step(&h);
  }
  /* drain: buffers for whatever waits */
  for (int k = 0; k < 3000; k++) {
    uint32_t rxh = ni_cosim_reg_read(c, NI_REG_RX_HEAD);
    if (k % 50 == 0 && ring_used(h.rx_tail, rxh, h.rx_k) + 1u < (1u << h.rx_k)) {
      post_rxbuf(&h, h.rxbuf_at, 64);
      h.rxbuf_at += 4096;
    }
    host_step(&h);
  }
  total_cycles += ni_cosim_cycle(c) - t0;
  total_secs += now() - s0;
  if (ni_cosim_check_counters(c) != 0) fail_msg("%s", ni_cosim_error(c));
  if (ni_cosim_mem_compare(c, CQ_RING, 16u << h.cq_k) != 0) fail_msg("%s", ni_cosim_error(c));
  if (ni_cosim_mem_compare(c, RX_BUF, h.rxbuf_at - RX_BUF) != 0) fail_msg("%s", ni_cosim_error(c));
  const ni_counters *k = ni_get_counters(ni_cosim_golden(c));
  print_message("rx fuzz %llx: %u flits, %u packets, %u messages, err_rx %u, noctx %u, nobuf %u, %llu cycles\n",
                (unsigned long long)seed, k->rx_flits, k->rx_pkts, k->rx_msgs, k->err_rx, k->err_rx_noctx,
                k->rx_nobuf, (unsigned long long)(ni_cosim_cycle(c) - t0));
  assert_true(k->err_rx > 0);
  assert_true(k->rx_msgs > 0);
  ni_cosim_free(c);
}

static void test_rx_fuzz(void **state) {
  (void)state;
  uint64_t x = getenv("OPTILE_NI_COSIM_SEED") ? strtoull(getenv("OPTILE_NI_COSIM_SEED"), NULL, 0) : 0;
  rx_fuzz(0xF0220001ull ^ x, 1500);
  rx_fuzz(0xF0220002ull ^ x, 1500);
}

/* ---- random mixes with backpressure ----------------------------------------------------- */

static void random_mix(uint64_t seed, unsigned memlat, size_t n) {
  if (getenv("OPTILE_NI_COSIM_SEED")) seed ^= strtoull(getenv("OPTILE_NI_COSIM_SEED"), NULL, 0);
  rng_s = seed;
  uint32_t *len = calloc(n, sizeof *len);
  assert_non_null(len);
  for (size_t i = 0; i < n; i++) {
    unsigned r = (unsigned)(rng() % 10);
    len[i] = r < 4 ? 1 + (uint32_t)(rng() % FB) : r < 8 ? 1 + (uint32_t)(rng() % (3 * PMAX))
                                                        : 1 + (uint32_t)(rng() % 6000);
    if (rng() % 25 == 0) len[i] = 0;
  }
  ni_cosim *c = mk(1, memlat, 30, 25, seed, 0);
  struct host h;
  host_init(&h, c, 3, 2, 3);
  ni_cosim_reg(c, NI_REG_IRQ_COAL, 2u | 64u << 16);
  struct msg *m = mk_msgs(c, len, n, 0);
  for (size_t i = 0; i < n; i++) {
    m[i].flow = (unsigned)(rng() % 5);
    m[i].vc = m[i].flow & 1u;
    m[i].rxlen = rng() % 4 == 0 && len[i] > 2 ? len[i] / 2 : (len[i] ? len[i] : 1);
  }
  host_msgs(&h, m, n, 1);
  host_run(&h, 4000000);
  check_end(&h, 1);
  const ni_counters *k = ni_get_counters(ni_cosim_golden(c));
  print_message("random seed %llx MemLat %u: %zu messages, %u flits, %llu cycles\n",
                (unsigned long long)seed, memlat, n, k->tx_flits, (unsigned long long)ni_cosim_cycle(c));
  free(m);
  free(len);
  ni_cosim_free(c);
}

/* flows spread over both VCs: messages of one flow overtake each other, so
 * the receiver sees duplicate SOMs, sequence errors and orphans; only the
 * RTL/golden agreement and the memories are checked */
static void test_random_mixed_vc(void **state) {
  (void)state;
  rng_s = getenv("OPTILE_NI_COSIM_SEED") ? strtoull(getenv("OPTILE_NI_COSIM_SEED"), NULL, 0) : 0x5EED0004ull;
  enum { N = 400 };
  uint32_t len[N];
  for (int i = 0; i < N; i++) len[i] = 1 + (uint32_t)(rng() % (2 * PMAX));
  ni_cosim *c = mk(1, 100, 20, 20, 4, 0);
  struct host h;
  host_init(&h, c, 3, 3, 4);
  struct msg *m = mk_msgs(c, len, N, 0);
  for (int i = 0; i < N; i++) {
    m[i].flow = (unsigned)(rng() % 3);
    m[i].vc = (unsigned)(rng() % 2);
    m[i].rxlen = 2 * PMAX;
  }
  host_msgs(&h, m, N, 0);
  h.m = NULL; /* completions are only logged; posting is done here */
  h.n = 0;
  struct msg *keep = m;
  size_t posted = 0;
  uint64_t t0 = ni_cosim_cycle(c);
  double s0 = now();
  while (ni_cosim_cycle(c) - t0 < 60000) {
    uint32_t txh = ni_cosim_reg_read(c, NI_REG_TX_HEAD), rxh = ni_cosim_reg_read(c, NI_REG_RX_HEAD);
    while (posted < N && ring_used(h.tx_tail, txh, h.tx_k) + 1u < (1u << h.tx_k)) post_tx(&h, &keep[posted++]);
    while (ring_used(h.rx_tail, rxh, h.rx_k) + 1u < (1u << h.rx_k)) {
      post_rxbuf(&h, h.rxbuf_at, 2 * PMAX);
      h.rxbuf_at += 4096;
    }
    host_step(&h);
    if (posted == N && ni_get_counters(ni_cosim_golden(c))->tx_msgs == N && ni_cosim_router_backlog(c) == 0 &&
        ni_idle(ni_cosim_golden(c)))
      break;
  }
  for (int i = 0; i < 400; i++) host_step(&h);
  total_cycles += ni_cosim_cycle(c) - t0;
  total_secs += now() - s0;
  if (ni_cosim_check_counters(c) != 0) fail_msg("%s", ni_cosim_error(c));
  const ni_counters *k = ni_get_counters(ni_cosim_golden(c));
  size_t st[8] = {0};
  for (size_t i = 0; i < h.nlog && i < 64; i++) st[h.log[i].status & 7u]++;
  print_message("mixed VCs: %u TX messages, %u RX messages, err_rx %u, %llu cycles\n", k->tx_msgs, k->rx_msgs,
                k->err_rx, (unsigned long long)(ni_cosim_cycle(c) - t0));
  assert_int_equal(k->tx_msgs, N);
  assert_true(k->rx_msgs > 0);
  if (ni_cosim_mem_compare(c, CQ_RING, 16u << h.cq_k) != 0) fail_msg("%s", ni_cosim_error(c));
  if (ni_cosim_mem_compare(c, RX_BUF, h.rxbuf_at - RX_BUF) != 0) fail_msg("%s", ni_cosim_error(c));
  free(keep);
  ni_cosim_free(c);
}

static void test_random_seed1(void **state) { (void)state; random_mix(0x5EED0001ull, 100, 2000); }
static void test_random_seed2(void **state) { (void)state; random_mix(0x5EED0002ull, 100, 2000); }
static void test_random_memlat1(void **state) { (void)state; random_mix(0x5EED0003ull, 1, 1000); }

/* 1 MiB in one message through loopback: the cosim's speed on a streaming load */
static void test_loopback_1mib(void **state) {
  (void)state;
  rng_s = 0xB16ull;
  const uint32_t len[] = {1u << 20, 4096};
  double s0 = now();
  uint64_t c0 = total_cycles;
  run_loop(100, len, 2, 3, 3, 4, 0, 0, 0, 12, NULL);
  double dt = now() - s0;
  print_message("1 MiB loopback: %llu cycles in %.2f s = %.0f cycles/s\n",
                (unsigned long long)(total_cycles - c0), dt, (double)(total_cycles - c0) / dt);
}

/* ---- negative tests ------------------------------------------------------------------------ */

/* a clean loopback of one 5-packet message; records the golden NI's read
 * requests and sent flits per cycle */
struct trace {
  uint64_t rd_cycle[4096], rd_addr[4096];
  uint32_t rd_len[4096];
  size_t nrd;
  uint64_t fl_cycle[4096];
  uint8_t fl_head[4096], fl_vc[4096], fl_cred[4096];
  size_t nfl;
};

static ni_cosim *neg_setup(struct host *h, struct msg **m, unsigned variant, unsigned bp) {
  rng_s = 0xBADull;
  ni_cosim *c = mk(1, 100, bp, 0, 77, variant);
  host_init(h, c, 3, 3, 4);
  uint32_t len[3] = {5 * PMAX - 17, 700, 90};
  *m = mk_msgs(c, len, 3, 0);
  host_msgs(h, *m, 3, 1);
  return c;
}

static void neg_trace(struct trace *t, unsigned bp) {
  memset(t, 0, sizeof *t);
  struct host h;
  struct msg *m;
  ni_cosim *c = neg_setup(&h, &m, 0, bp);
  while (!host_done(&h)) {
    const noc_flit *f = ni_tx_flit(ni_cosim_golden(c));
    uint64_t cy = ni_cosim_cycle(c);
    if (f && t->nfl < 4096) {
      t->fl_cycle[t->nfl] = cy;
      t->fl_head[t->nfl] = f->head;
      t->fl_vc[t->nfl] = f->vc;
      t->fl_cred[t->nfl] = (uint8_t)ni_cosim_tx_credits(c, f->vc);
      t->nfl++;
    }
    host_step(&h);
    const hostmem_req *r = ni_issued_read(ni_cosim_golden(c));
    if (r && t->nrd < 4096) {
      t->rd_cycle[t->nrd] = cy;
      t->rd_addr[t->nrd] = r->addr;
      t->rd_len[t->nrd] = r->len;
      t->nrd++;
    }
  }
  free(m);
  ni_cosim_free(c);
}

/* runs the faulty system, with the host of the clean run, until the cosim
 * reports a mismatch */
static const ni_cosim_mismatch *neg_run(ni_cosim *c, struct host *h) {
  for (uint64_t i = 0; i < 200000 && !ni_cosim_first_mismatch(c); i++) (void)host_step_nf(h);
  return ni_cosim_first_mismatch(c);
}

static struct trace tr;

/* one read-data byte changed for the RTL: caught on the flit built from it */
static void test_neg_read_byte(void **state) {
  (void)state;
  neg_trace(&tr, 0);
  /* the 10th payload read of message 0 (reads inside its source range) */
  struct host h;
  struct msg *m;
  ni_cosim *c = neg_setup(&h, &m, 0, 0);
  size_t nth = 0, pay = 0, want = 9;
  unsigned byte = 5;
  for (; nth < tr.nrd; nth++) {
    if (tr.rd_addr[nth] >= m[0].src && tr.rd_addr[nth] < m[0].src + m[0].len && tr.rd_len[nth] > byte) {
      if (pay == want) break;
      pay++;
    }
  }
  assert_true(nth < tr.nrd);
  /* the flit built from payload read `want` is flit `want` of the message */
  uint64_t exp_cycle = tr.fl_cycle[want];
  unsigned exp_byte = (tr.fl_head[want] ? 8u : 0u) + byte;
  ni_cosim_fault_flip_read(c, nth, byte);
  print_message("flip read %zu (of %zu), flits %zu, exp cycle %llu\n", nth, tr.nrd, tr.nfl, (unsigned long long)exp_cycle);
  const ni_cosim_mismatch *mm = neg_run(c, &h);
  assert_non_null(mm);
  print_message("caught: %s\n", ni_cosim_error(c));
  char sig[48];
  snprintf(sig, sizeof sig, "tx_flit byte %u", exp_byte);
  assert_int_equal(mm->cycle, exp_cycle);
  assert_string_equal(mm->signal, sig);
  assert_int_equal(mm->actual, mm->expected ^ 0xFFu);
  free(m);
  ni_cosim_free(c);
}

/* one credit withheld from the RTL only: caught when the golden NI sends
 * with the last credit of that VC, which the RTL does not have */
static void test_neg_credit(void **state) {
  (void)state;
  neg_trace(&tr, 20);
  struct host h;
  struct msg *m;
  ni_cosim *c = neg_setup(&h, &m, 0, 20);
  uint64_t at = tr.fl_cycle[12];
  ni_cosim_fault_drop_credit(c, at);
  const ni_cosim_mismatch *mm = neg_run(c, &h);
  assert_non_null(mm);
  print_message("caught: %s\n", ni_cosim_error(c));
  unsigned vc;
  int64_t dc = ni_cosim_fault_credit_cycle(c, &vc);
  assert_true(dc >= (int64_t)at);
  size_t i = 0;
  while (i < tr.nfl && !(tr.fl_cycle[i] > (uint64_t)dc && tr.fl_vc[i] == vc && tr.fl_cred[i] == 1)) i++;
  assert_true(i < tr.nfl);
  assert_int_equal(mm->cycle, tr.fl_cycle[i]);
  assert_string_equal(mm->signal, "tx_valid");
  assert_int_equal(mm->expected, 1);
  assert_int_equal(mm->actual, 0);
  free(m);
  ni_cosim_free(c);
}

/* a golden model with a fixed-priority read arbiter: caught at the first
 * read the specified arbiter orders differently */
static void test_neg_golden_variant(void **state) {
  (void)state;
  neg_trace(&tr, 0);
  struct host h;
  struct msg *m;
  ni_cosim *c = neg_setup(&h, &m, NI_VARIANT_RD_FIXED, 0);
  const ni_cosim_mismatch *mm = neg_run(c, &h);
  assert_non_null(mm);
  print_message("caught: %s\n", ni_cosim_error(c));
  assert_true(strncmp(mm->signal, "mem_rd", 6) == 0);
  /* the RTL did what the specified golden did in the clean run */
  size_t i = 0;
  while (i < tr.nrd && tr.rd_cycle[i] < mm->cycle) i++;
  if (!strcmp(mm->signal, "mem_rd addr")) {
    assert_true(i < tr.nrd && tr.rd_cycle[i] == mm->cycle);
    assert_int_equal(mm->actual, tr.rd_addr[i]);
  } else {
    assert_string_equal(mm->signal, "mem_rd valid");
    assert_int_equal(mm->actual, i < tr.nrd && tr.rd_cycle[i] == mm->cycle);
  }
  free(m);
  ni_cosim_free(c);
}

/* every checker: a change in what the comparison observes of the RTL, of
 * each signal and each counter, is reported at the cycle it was made, with
 * that signal's name */
static void test_neg_each_checker(void **state) {
  (void)state;
  const char *const *sigs;
  size_t ns = ni_cosim_fault_signals(&sigs);
  char names[64][48];
  size_t n = 0;
  for (size_t i = 0; i < ns; i++) snprintf(names[n++], sizeof names[0], "%s", sigs[i]);
  for (unsigned i = 0; ni_cosim_counter_name(i); i++)
    snprintf(names[n++], sizeof names[0], "counter %s", ni_cosim_counter_name(i));
  for (size_t i = 0; i < n; i++) {
    struct host h;
    struct msg *m;
    ni_cosim *c = neg_setup(&h, &m, 0, 0);
    assert_int_equal(ni_cosim_fault_output(c, names[i], 12), 0);
    const ni_cosim_mismatch *mm = neg_run(c, &h);
    if (!mm) {
      fail_msg("fault on %s not caught", names[i]);
      return;
    }
    assert_string_equal(mm->signal, names[i]);
    assert_int_equal((int64_t)mm->cycle, ni_cosim_fault_output_cycle(c));
    assert_true(mm->cycle >= 12);
    if (i == 0 || i + 1 == n) print_message("caught: %s\n", ni_cosim_error(c));
    free(m);
    ni_cosim_free(c);
  }
  print_message("%zu checkers each caught a change at its cycle\n", n);
  /* the memory comparison */
  struct host h;
  struct msg *m;
  ni_cosim *c = neg_setup(&h, &m, 0, 0);
  assert_int_equal(ni_cosim_fault_output(c, "no such signal", 0), -1);
  host_run(&h, 100000);
  if (ni_cosim_mem_compare(c, RX_BUF, 3 * 8192) != 0) fail_msg("%s", ni_cosim_error(c));
  uint8_t b;
  ni_cosim_mem_read(c, RX_BUF + 8192 + 77, &b, 1);
  b ^= 4u;
  ni_cosim_fault_rtl_mem_write(c, RX_BUF + 8192 + 77, &b, 1);
  assert_int_equal(ni_cosim_mem_compare(c, RX_BUF, 3 * 8192), -1);
  print_message("caught: %s\n", ni_cosim_error(c));
  assert_non_null(strstr(ni_cosim_error(c), "0x40000204d"));
  free(m);
  ni_cosim_free(c);
}

/* the comparison itself: a bad configuration is refused */
static void test_config_errors(void **state) {
  (void)state;
  ni_cosim_cfg k;
  memset(&k, 0, sizeof k);
  k.memlat = 7;
  char err[200];
  assert_null(ni_cosim_new(&k, err, sizeof err));
  assert_non_null(strstr(err, "memlat"));
  k.memlat = 1;
  k.variant = 99;
  assert_null(ni_cosim_new(&k, err, sizeof err));
  assert_non_null(strstr(err, "variant"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_config_errors),
      cmocka_unit_test(test_tx_sizes),
      cmocka_unit_test(test_loopback_sizes),
      cmocka_unit_test(test_ring_wrap_trunc),
      cmocka_unit_test(test_full_tx_ring),
      cmocka_unit_test(test_full_cq),
      cmocka_unit_test(test_no_rx_buffer),
      cmocka_unit_test(test_doorbell_errors),
      cmocka_unit_test(test_irq_coalescing),
      cmocka_unit_test(test_rx_errors),
      cmocka_unit_test(test_random_seed1),
      cmocka_unit_test(test_random_seed2),
      cmocka_unit_test(test_random_memlat1),
      cmocka_unit_test(test_random_mixed_vc),
      cmocka_unit_test(test_rx_fuzz),
      cmocka_unit_test(test_loopback_1mib),
      cmocka_unit_test(test_neg_read_byte),
      cmocka_unit_test(test_neg_credit),
      cmocka_unit_test(test_neg_golden_variant),
      cmocka_unit_test(test_neg_each_checker),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  if (total_secs > 0)
    printf("# NI cosim: %llu cycles in %.2f s = %.0f cycles/s (RTL + golden + compare)\n",
           (unsigned long long)total_cycles, total_secs, (double)total_cycles / total_secs);
  return rc;
}
