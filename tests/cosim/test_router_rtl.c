/* The Verilated router (rtl/noc/noc_router.sv) checked cycle by cycle against
 * docs/spec.md section 5: the worked examples of 5.10, XY and route-table
 * routing, dropped packets, credit flow, throughput, and random traffic with
 * a scoreboard (plus negative tests proving the scoreboard catches a
 * corrupted, a dropped and a duplicated flit); then the X-port adapter
 * (rtl/noc/noc_x_adapter.sv, 5.9) alone and joining two routers of two chips
 * through a stand-in for the PHY link.
 *
 * Waves: OPTILE_WAVES=<dir> dumps every test's router(s) to <dir>/<test>.fst.
 * OPTILE_SEED=<n> changes the random seed; OPTILE_RANDOM_CYCLES=<n> the
 * length of the long random run (default 200000). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "noc/noc_sb.h"
#include "noc/router_dut.h"
#include "noc/xadapt_dut.h"

#define NP ROUTER_DUT_PORTS
#define NVC ROUTER_DUT_NUM_VC
#define NW ROUTER_DUT_FLIT_WORDS
#define DEPTH ROUTER_DUT_BUF_DEPTH

static const char *const port_name[NP] = {"N", "E", "S", "W", "L", "X"};

/* ------------------------------------------------------------------------ */
/* Small helpers                                                             */
/* ------------------------------------------------------------------------ */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rng(void) { /* splitmix64 */
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
static unsigned rnd(unsigned n) { return (unsigned)(rng() % n); }
static int chance(double p) { return (double)(rng() >> 11) * (1.0 / 9007199254740992.0) < p; }

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Header word 0 (spec 5.2): dst x, y, chip; src x, y, chip; flow. */
static uint32_t hdr0(unsigned chip, unsigned x, unsigned y) {
  return (x & 15u) | (y & 15u) << 4 | (chip & 15u) << 8 | 0xabu << 24;
}

/* A flit: header in words 0-1 (also on body flits, where the router must
 * ignore it), a unique tag in word 2, pseudo-random data in words 3-7. */
static void mkflit(struct router_flit *f, unsigned vc, int head, int tail, uint32_t w0,
                   uint32_t tag) {
  memset(f, 0, sizeof *f);
  f->valid = 1;
  f->vc = vc;
  f->head = head;
  f->tail = tail;
  f->data[0] = w0;
  f->data[1] = tag & 0xffffu;
  f->data[2] = tag;
  uint64_t s = tag * 0x2545f4914f6cdd1dull + 1;
  for (unsigned w = 3; w < NW; w++) {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    f->data[w] = (uint32_t)s;
  }
}

/* The routing function of spec 5.3, written again for the tests (an oracle,
 * not the golden model). Returns the port, or -1 for INVALID. */
static int oracle_route(unsigned my_chip, unsigned mx, unsigned my, uint64_t route, uint32_t w0) {
  unsigned dx = w0 & 15u, dy = (w0 >> 4) & 15u, dc = (w0 >> 8) & 15u;
  int out;
  if (dc != my_chip) {
    unsigned e = (unsigned)(route >> (4 * dc)) & 15u;
    out = (e & 8u) ? (int)(e & 7u) : -1;
  } else if (dx > mx) out = RP_E;
  else if (dx < mx) out = RP_W;
  else if (dy > my) out = RP_S;
  else if (dy < my) out = RP_N;
  else out = RP_L;
  return out > 5 ? -1 : out;
}

static void maybe_trace(router_dut *d, const char *name) {
  const char *dir = getenv("OPTILE_WAVES");
  if (!dir || !*dir) return;
  char path[512];
  snprintf(path, sizeof path, "%s/%s.fst", dir, name);
  if (router_dut_trace_open(d, path)) print_message("cannot open waves %s\n", path);
  else print_message("waves: %s\n", path);
}

/* ------------------------------------------------------------------------ */
/* A one-router harness: scripted or random sources on every input, credit-  */
/* returning sinks on every output, a per-cycle log, an optional scoreboard. */
/* ------------------------------------------------------------------------ */

#define MAXLOG 4096
#define MAXSCRIPT 2048
#define MAXOWED 512

struct pend {
  struct router_flit f;
  uint64_t at;      /* earliest cycle */
  uint64_t sent_at; /* cycle it was on the input link */
};

struct rgen { /* random packet generator of one input VC */
  unsigned left;  /* flits left in the current packet; 0 = none */
  unsigned len;
  uint32_t w0;
};

struct src {
  struct pend *q;
  size_t n, next;
  int cred[NVC];
  int ignore_credits;
  /* random mode */
  int random;
  double rate;
  struct rgen g[NVC];
  uint64_t sent;
};

enum sink_mode { SINK_AUTO, SINK_HOLD, SINK_RANDOM };

struct sink {
  enum sink_mode mode;
  double p;
  struct {
    unsigned vc;
    uint64_t ready;
  } owed[MAXOWED];
  size_t oh, on;
  unsigned budget; /* SINK_HOLD: credits it may still return */
  uint64_t recv;
};

struct cyc {
  struct router_flit out[NP];
  int cr[NP];
  unsigned crvc[NP];
  uint32_t stall[NP]; /* cnt_stall at the start of the cycle */
};

enum fault { FAULT_NONE, FAULT_CORRUPT, FAULT_DROP, FAULT_DUP };

struct h {
  router_dut *d;
  uint64_t t;
  unsigned chip, x, y;
  uint64_t route;
  struct src src[NP];
  struct sink snk[NP];
  struct cyc *log; /* MAXLOG cycles, or NULL */
  noc_sb *sb;
  uint32_t tag;
  double clock_s;
  enum fault fault;
  uint64_t fault_at; /* index of the observed flit to damage */
  uint64_t observed;
};

static struct h *h_new(const char *name, unsigned chip, unsigned x, unsigned y, uint64_t route,
                       int with_log) {
  struct h *h = calloc(1, sizeof *h);
  assert_non_null(h);
  h->d = router_dut_new();
  assert_non_null(h->d);
  maybe_trace(h->d, name);
  h->chip = chip;
  h->x = x;
  h->y = y;
  h->route = route;
  router_dut_set_id(h->d, chip, x, y);
  router_dut_set_route(h->d, route);
  router_dut_reset(h->d, 3);
  for (unsigned p = 0; p < NP; p++) {
    h->src[p].q = calloc(MAXSCRIPT, sizeof *h->src[p].q);
    assert_non_null(h->src[p].q);
    for (unsigned v = 0; v < NVC; v++) h->src[p].cred[v] = DEPTH;
  }
  if (with_log) {
    h->log = calloc(MAXLOG, sizeof *h->log);
    assert_non_null(h->log);
  }
  h->sb = noc_sb_new(NP, NVC, NW);
  assert_non_null(h->sb);
  h->tag = 1;
  return h;
}

static void h_free(struct h *h) {
  router_dut_free(h->d);
  for (unsigned p = 0; p < NP; p++) free(h->src[p].q);
  free(h->log);
  noc_sb_free(h->sb);
  free(h);
}

/* Script a packet of `len` flits on input `port`, VC `vc`, to the header
 * `w0`; flit k is sent no earlier than cycle at + k*gap. Returns the tag of
 * its first flit (the others follow consecutively). */
static uint32_t h_packet(struct h *h, unsigned port, unsigned vc, unsigned len, uint32_t w0,
                         uint64_t at, unsigned gap) {
  struct src *s = &h->src[port];
  uint32_t first = h->tag;
  for (unsigned k = 0; k < len; k++) {
    assert_true(s->n < MAXSCRIPT);
    struct pend *p = &s->q[s->n++];
    mkflit(&p->f, vc, k == 0, k == len - 1, w0, h->tag++);
    p->at = at + (uint64_t)k * gap;
  }
  return first;
}

/* A holding sink on output `port` may return `n` more credits, in the order
 * it received the flits, one per cycle from this cycle on. */
static void h_release(struct h *h, unsigned port, unsigned n) { h->snk[port].budget += n; }

static int src_next(struct h *h, unsigned p, struct router_flit *f) {
  struct src *s = &h->src[p];
  if (!s->random) {
    if (s->next >= s->n) return 0;
    struct pend *q = &s->q[s->next];
    if (q->at > h->t || (!s->ignore_credits && s->cred[q->f.vc] <= 0)) return 0;
    q->sent_at = h->t;
    s->next++;
    *f = q->f;
    return 1;
  }
  /* Random: pick one VC that has a flit to send and a credit. */
  unsigned cand[NVC], nc = 0;
  for (unsigned v = 0; v < NVC; v++) {
    struct rgen *g = &s->g[v];
    if (!g->left && chance(s->rate)) {
      static const unsigned chips[] = {0, 1, 1, 1, 2, 3, 5};
      unsigned c = chips[rnd(sizeof chips / sizeof chips[0])];
      g->len = 1 + rnd(8);
      g->left = g->len;
      g->w0 = hdr0(c, rnd(5), rnd(5));
    }
    if (g->left && s->cred[v] > 0) cand[nc++] = v;
  }
  if (!nc) return 0;
  unsigned v = cand[rnd(nc)];
  struct rgen *g = &s->g[v];
  mkflit(f, v, g->left == g->len, g->left == 1, g->w0, (p << 28) ^ h->tag++);
  g->left--;
  return 1;
}

static void observe(struct h *h, unsigned o, const struct router_flit *f) {
  uint64_t i = h->observed++;
  struct router_flit g = *f;
  if (h->fault != FAULT_NONE && i == h->fault_at) {
    if (h->fault == FAULT_CORRUPT) g.data[5] ^= 1u << 13;
    if (h->fault == FAULT_DROP) return;
    if (h->fault == FAULT_DUP) noc_sb_observe(h->sb, o, g.data, g.head, g.tail, g.vc, h->t);
  }
  noc_sb_observe(h->sb, o, g.data, g.head, g.tail, g.vc, h->t);
}

/* One cycle: observe outputs, drive inputs, clock. */
static void h_step(struct h *h) {
  router_dut *d = h->d;
  struct cyc *c = (h->log && h->t < MAXLOG) ? &h->log[h->t] : NULL;
  for (unsigned o = 0; o < NP; o++) {
    struct router_flit f;
    router_dut_get_out(d, o, &f);
    if (c) {
      c->out[o] = f;
      c->cr[o] = router_dut_in_credit(d, o, &c->crvc[o]);
      c->stall[o] = router_dut_cnt(d, RCNT_STALL, o);
    }
    if (f.valid) {
      struct sink *k = &h->snk[o];
      assert_true(k->on < MAXOWED);
      size_t j = (k->oh + k->on++) % MAXOWED;
      k->owed[j].vc = f.vc;
      k->owed[j].ready = h->t + 2; /* popped downstream in t+1 at the earliest */
      k->recv++;
      observe(h, o, &f);
    }
  }
  for (unsigned p = 0; p < NP; p++) {
    struct router_flit f;
    if (src_next(h, p, &f)) {
      int out = oracle_route(h->chip, h->x, h->y, h->route, f.data[0]);
      if (out >= 0)
        assert_int_equal(noc_sb_expect(h->sb, p, f.vc, f.data, f.head, f.tail, (unsigned)out, h->t),
                         0);
      h->src[p].cred[f.vc]--;
      h->src[p].sent++;
      router_dut_set_in(d, p, &f);
    } else {
      router_dut_set_in(d, p, NULL);
    }
  }
  for (unsigned o = 0; o < NP; o++) {
    struct sink *k = &h->snk[o];
    int give = 0;
    if (k->on && k->owed[k->oh].ready <= h->t) {
      if (k->mode == SINK_AUTO) give = 1;
      else if (k->mode == SINK_HOLD) give = k->budget > 0;
      else give = chance(k->p);
    }
    if (give) {
      if (k->mode == SINK_HOLD) k->budget--;
      router_dut_set_out_credit(d, o, 1, k->owed[k->oh].vc);
      k->oh = (k->oh + 1) % MAXOWED;
      k->on--;
    } else {
      router_dut_set_out_credit(d, o, 0, 0);
    }
  }
  /* Credits returned to the sources in this cycle are usable next cycle. */
  for (unsigned p = 0; p < NP; p++) {
    unsigned vc;
    if (router_dut_in_credit(d, p, &vc)) h->src[p].cred[vc]++;
  }
  double t0 = now_s();
  router_dut_clock(d);
  h->clock_s += now_s() - t0;
  h->t++;
}

static void h_run(struct h *h, uint64_t until) {
  while (h->t < until) h_step(h);
}

static void assert_no_errors(router_dut *d) {
  assert_int_equal(router_dut_err(d, RERR_ROUTE), 0);
  assert_int_equal(router_dut_err(d, RERR_PROTO), 0);
  assert_int_equal(router_dut_err(d, RERR_OVF), 0);
  assert_int_equal(router_dut_err(d, RERR_CREDIT), 0);
}

/* The logged output of port o in cycle t must be exactly flit f (valid). */
static void expect_out(const struct h *h, uint64_t t, unsigned o, const struct router_flit *f) {
  const struct router_flit *g = &h->log[t].out[o];
  if (!g->valid || g->head != f->head || g->tail != f->tail || g->vc != f->vc ||
      memcmp(g->data, f->data, sizeof g->data) != 0)
    fail_msg("cycle %llu port %s: expected tag %u (head %d tail %d vc %u), got valid %d tag %u "
             "(head %d tail %d vc %u)",
             (unsigned long long)t, port_name[o], f->data[2], f->head, f->tail, f->vc, g->valid,
             g->data[2], g->head, g->tail, g->vc);
}

/* The scripted flit with tag `tag` on input p. */
static const struct router_flit *flit_of(const struct h *h, unsigned p, uint32_t tag) {
  for (size_t i = 0; i < h->src[p].n; i++)
    if (h->src[p].q[i].f.data[2] == tag) return &h->src[p].q[i].f;
  fail_msg("no flit with tag %u on input %s", tag, port_name[p]);
  return NULL;
}

/* Count valid outputs in the log over [t0, t1) on every port but `except`
 * (NP for none). */
static unsigned outs_between(const struct h *h, uint64_t t0, uint64_t t1, unsigned except) {
  unsigned n = 0;
  for (uint64_t t = t0; t < t1; t++)
    for (unsigned o = 0; o < NP; o++)
      if (o != except && h->log[t].out[o].valid) n++;
  return n;
}

/* ------------------------------------------------------------------------ */
/* 5.10 example 1: two routers, zero load, one hop                           */
/* ------------------------------------------------------------------------ */

static void test_example1_one_hop(void **state) {
  (void)state;
  router_dut *a = router_dut_new(), *b = router_dut_new();
  assert_non_null(a);
  assert_non_null(b);
  maybe_trace(a, "example1_r11");
  maybe_trace(b, "example1_r21");
  router_dut_set_id(a, 0, 1, 1);
  router_dut_set_id(b, 0, 2, 1);
  router_dut_set_route(a, 0);
  router_dut_set_route(b, 0);
  router_dut_reset(a, 2);
  router_dut_reset(b, 2);

  struct router_flit pkt;
  mkflit(&pkt, 0, 1, 1, hdr0(0, 2, 1), 0x1234);
  unsigned seen = 0;
  for (uint64_t t = 0; t < 120; t++) {
    struct router_flit ao[NP], bo[NP];
    unsigned acr[NP], bcr[NP];
    int acv[NP], bcv[NP];
    for (unsigned p = 0; p < NP; p++) {
      router_dut_get_out(a, p, &ao[p]);
      router_dut_get_out(b, p, &bo[p]);
      acv[p] = router_dut_in_credit(a, p, &acr[p]);
      bcv[p] = router_dut_in_credit(b, p, &bcr[p]);
    }
    /* expectations of 5.10 example 1 */
    for (unsigned p = 0; p < NP; p++) {
      int a_exp = t == 102 && p == RP_E, b_exp = t == 104 && p == RP_L;
      if (ao[p].valid != a_exp) fail_msg("cycle %llu: R(1,1) out %s valid %d", (unsigned long long)t, port_name[p], ao[p].valid);
      if (bo[p].valid != b_exp) fail_msg("cycle %llu: R(2,1) out %s valid %d", (unsigned long long)t, port_name[p], bo[p].valid);
      int acr_exp = t == 102 && p == RP_L, bcr_exp = t == 104 && p == RP_W;
      if (acv[p] != acr_exp) fail_msg("cycle %llu: R(1,1) credit %s %d", (unsigned long long)t, port_name[p], acv[p]);
      if (bcv[p] != bcr_exp) fail_msg("cycle %llu: R(2,1) credit %s %d", (unsigned long long)t, port_name[p], bcv[p]);
    }
    if (t == 102) {
      assert_int_equal(ao[RP_E].vc, 0);
      assert_int_equal(acr[RP_L], 0);
      assert_memory_equal(ao[RP_E].data, pkt.data, sizeof pkt.data);
      assert_true(ao[RP_E].head && ao[RP_E].tail);
      seen++;
    }
    if (t == 104) {
      assert_int_equal(bo[RP_L].vc, 0);
      assert_memory_equal(bo[RP_L].data, pkt.data, sizeof pkt.data);
      assert_true(bo[RP_L].head && bo[RP_L].tail);
      seen++;
    }
    /* inputs: the packet on A's L input in cycle 100; the link A.E <-> B.W */
    router_dut_set_in(a, RP_L, t == 100 ? &pkt : NULL);
    router_dut_set_in(b, RP_W, &ao[RP_E]);
    router_dut_set_in(a, RP_E, &bo[RP_W]);
    router_dut_set_out_credit(a, RP_E, bcv[RP_W], bcr[RP_W]);
    router_dut_set_out_credit(b, RP_W, acv[RP_E], acr[RP_E]);
    router_dut_clock(a);
    router_dut_clock(b);
  }
  assert_int_equal(seen, 2);
  /* 5.4: t + 2(H + 1) with H = 1 */
  assert_int_equal(router_dut_cnt(a, RCNT_XBAR, RP_E), 1);
  assert_int_equal(router_dut_cnt(a, RCNT_VA, RP_E), 1);
  assert_int_equal(router_dut_cnt(b, RCNT_XBAR, RP_L), 1);
  assert_int_equal(router_dut_cnt(b, RCNT_FLITS_IN, RP_W), 1);
  assert_int_equal(router_dut_cnt(a, RCNT_FLITS_OUT, RP_E), 1);
  assert_int_equal(router_dut_cnt(a, RCNT_STALL, RP_L), 0);
  assert_int_equal(router_dut_cnt(b, RCNT_STALL, RP_W), 0);
  assert_no_errors(a);
  assert_no_errors(b);
  router_dut_free(a);
  router_dut_free(b);
}

/* ------------------------------------------------------------------------ */
/* 5.10 example 2: output contention                                         */
/* ------------------------------------------------------------------------ */

static void test_example2_contention(void **state) {
  (void)state;
  struct h *h = h_new("example2", 0, 1, 1, 0, 1);
  uint32_t w = h_packet(h, RP_W, 0, 2, hdr0(0, 3, 1), 0, 1);
  uint32_t l = h_packet(h, RP_L, 0, 2, hdr0(0, 3, 1), 0, 1);
  h_run(h, 20);
  expect_out(h, 2, RP_E, flit_of(h, RP_W, w));
  expect_out(h, 3, RP_E, flit_of(h, RP_W, w + 1));
  expect_out(h, 4, RP_E, flit_of(h, RP_L, l));
  expect_out(h, 5, RP_E, flit_of(h, RP_L, l + 1));
  assert_int_equal(outs_between(h, 0, 20, NP), 4);
  /* input L stalls in cycles 1 and 2, W never */
  for (uint64_t t = 0; t < 19; t++) {
    unsigned sl = h->log[t + 1].stall[RP_L] - h->log[t].stall[RP_L];
    unsigned sw = h->log[t + 1].stall[RP_W] - h->log[t].stall[RP_W];
    if (sl != (t == 1 || t == 2)) fail_msg("cycle %llu: L stall %u", (unsigned long long)t, sl);
    if (sw) fail_msg("cycle %llu: W stall %u", (unsigned long long)t, sw);
  }
  /* credits back to W in 2, 3 and to L in 4, 5 */
  for (uint64_t t = 0; t < 20; t++) {
    assert_int_equal(h->log[t].cr[RP_W], t == 2 || t == 3);
    assert_int_equal(h->log[t].cr[RP_L], t == 4 || t == 5);
  }
  assert_int_equal(router_dut_cnt(h->d, RCNT_VA, RP_E), 2);
  assert_int_equal(router_dut_cnt(h->d, RCNT_SA, RP_E), 4);
  assert_int_equal(router_dut_cnt(h->d, RCNT_XBAR, RP_E), 4);
  assert_int_equal(router_dut_cnt(h->d, RCNT_STALL, RP_L), 2);
  assert_int_equal(noc_sb_finish(h->sb, h->t), 0);
  assert_int_equal(noc_sb_errors(h->sb), 0);
  assert_no_errors(h->d);
  h_free(h);
}

/* ------------------------------------------------------------------------ */
/* 5.10 example 3: input-stage round robin                                   */
/* ------------------------------------------------------------------------ */

/* Input L: packets A1 (VC 0 to E) and B1 (VC 1 to S) use up the credits of
 * output VCs (E, 0) and (S, 1), whose downstreams hold them; A2 and B2 then
 * wait in L's buffers, both ACTIVE. Credits come back from cycle 20 on. With
 * `competitor`, input N sends a one-flit packet on VC 1 to E in cycle 20. */
static void example3(int competitor) {
  struct h *h = h_new(competitor ? "example3_competitor" : "example3", 0, 1, 1, 0, 1);
  h->snk[RP_E].mode = SINK_HOLD;
  h->snk[RP_S].mode = SINK_HOLD;
  uint32_t a1 = h->tag;
  for (unsigned k = 0; k < 4; k++) { /* A1, B1 interleaved in cycles 0..7 */
    struct pend *p = &h->src[RP_L].q[h->src[RP_L].n++];
    mkflit(&p->f, 0, k == 0, k == 3, hdr0(0, 3, 1), a1 + k);
    p->at = 2 * k;
    p = &h->src[RP_L].q[h->src[RP_L].n++];
    mkflit(&p->f, 1, k == 0, k == 3, hdr0(0, 1, 3), a1 + 4 + k);
    p->at = 2 * k + 1;
  }
  uint32_t a2 = a1 + 8;
  for (unsigned k = 0; k < 4; k++) { /* A2, B2 interleaved from cycle 8 */
    struct pend *p = &h->src[RP_L].q[h->src[RP_L].n++];
    mkflit(&p->f, 0, k == 0, k == 3, hdr0(0, 3, 1), a2 + k);
    p->at = 8 + 2 * k;
    p = &h->src[RP_L].q[h->src[RP_L].n++];
    mkflit(&p->f, 1, k == 0, k == 3, hdr0(0, 1, 3), a2 + 4 + k);
    p->at = 8 + 2 * k + 1;
  }
  h->tag = a2 + 8;
  uint32_t n = 0;
  if (competitor) n = h_packet(h, RP_N, 1, 1, hdr0(0, 3, 1), 20, 1);
  h_run(h, 20);
  /* A1/B1 alternate: grants 1..8, outputs 2..9 */
  for (unsigned k = 0; k < 4; k++) {
    expect_out(h, 2 + 2 * k, RP_E, flit_of(h, RP_L, a1 + k));
    expect_out(h, 3 + 2 * k, RP_S, flit_of(h, RP_L, a1 + 4 + k));
  }
  assert_int_equal(outs_between(h, 10, 20, NP), 0);
  for (unsigned k = 0; k < 8; k++) assert_int_equal(h->src[RP_L].q[8 + k].sent_at, 8 + k);
  h_release(h, RP_E, 4);
  h_release(h, RP_S, 4);
  h_run(h, 40);
  /* 20..23: credits on the wire; usable from 21 */
  uint64_t e0 = 22;
  if (competitor) {
    expect_out(h, 22, RP_E, flit_of(h, RP_N, n)); /* sa_out_ptr[E] = 5: N beats L */
    assert_int_equal(h->log[22].out[RP_E].vc, 1);
    assert_int_equal(h->log[22].cr[RP_L], 0); /* L sent nothing in 21 */
    e0 = 23;
  }
  for (unsigned k = 0; k < 4; k++) {
    expect_out(h, e0 + 2 * k, RP_E, flit_of(h, RP_L, a2 + k));
    expect_out(h, e0 + 1 + 2 * k, RP_S, flit_of(h, RP_L, a2 + 4 + k));
    assert_true(h->log[e0 + 2 * k].cr[RP_L] && h->log[e0 + 2 * k].crvc[RP_L] == 0);
    assert_true(h->log[e0 + 1 + 2 * k].cr[RP_L] && h->log[e0 + 1 + 2 * k].crvc[RP_L] == 1);
  }
  assert_int_equal(outs_between(h, 20, 40, NP), competitor ? 9 : 8);
  /* L stalls while A2/B2 wait for credits (9..20) and, with the competitor,
   * in 21 where its input-stage winner loses output E */
  assert_int_equal(router_dut_cnt(h->d, RCNT_STALL, RP_L), competitor ? 13 : 12);
  if (competitor) assert_int_equal(h->log[22].stall[RP_L] - h->log[21].stall[RP_L], 1);
  assert_int_equal(noc_sb_finish(h->sb, h->t), 0);
  assert_int_equal(noc_sb_errors(h->sb), 0);
  assert_no_errors(h->d);
  h_free(h);
}

static void test_example3_input_rr(void **state) {
  (void)state;
  example3(0);
}

static void test_example3_output_loss_keeps_ptr(void **state) {
  (void)state;
  example3(1);
}

/* VA round robin: inputs N and W send one-flit packets to (E, 0) every cycle;
 * each packet frees (E, 0) in the cycle it is granted, so both request it
 * every cycle and the VA pointer alternates the winner: N (ptr 0), W (ptr 1),
 * N (ptr 4), ... SA round robin: N on VC 0 and W on VC 1 both hold output VCs
 * of E; output E's switch arbiter alternates the same way. */
static void rr_fairness(int vc_w) {
  struct h *h = h_new(vc_w ? "sa_round_robin" : "va_round_robin", 0, 1, 1, 0, 1);
  uint32_t n = h->tag, w;
  if (!vc_w) {
    for (unsigned k = 0; k < 4; k++) h_packet(h, RP_N, 0, 1, hdr0(0, 3, 1), k, 1);
    w = h->tag;
    for (unsigned k = 0; k < 4; k++) h_packet(h, RP_W, 0, 1, hdr0(0, 3, 1), k, 1);
  } else {
    h_packet(h, RP_N, 0, 4, hdr0(0, 3, 1), 0, 1);
    w = h_packet(h, RP_W, 1, 4, hdr0(0, 3, 1), 0, 1);
  }
  h_run(h, 20);
  for (unsigned k = 0; k < 4; k++) {
    expect_out(h, 2 + 2 * k, RP_E, flit_of(h, RP_N, n + k));
    expect_out(h, 3 + 2 * k, RP_E, flit_of(h, RP_W, w + k));
  }
  assert_int_equal(outs_between(h, 0, 20, NP), 8);
  assert_int_equal(router_dut_cnt(h->d, RCNT_VA, RP_E), vc_w ? 2 : 8);
  assert_int_equal(noc_sb_finish(h->sb, h->t), 0);
  assert_int_equal(noc_sb_errors(h->sb), 0);
  assert_no_errors(h->d);
  h_free(h);
}

static void test_va_round_robin(void **state) {
  (void)state;
  rr_fairness(0);
}

static void test_sa_round_robin(void **state) {
  (void)state;
  rr_fairness(1);
}

/* ------------------------------------------------------------------------ */
/* Routing                                                                   */
/* ------------------------------------------------------------------------ */

/* Route table of the routing tests: chip 5 -> X, chip 6 -> N (a tile with no
 * uplink names a mesh port), chip 7 invalid entry, chip 8 port 6, chip 9
 * port 7 (both INVALID), chip 10 -> X, chip 11 -> L. */
static uint64_t routing_table(void) {
  uint64_t r = 0;
  r |= (uint64_t)(8 | RP_X) << (4 * 5);
  r |= (uint64_t)(8 | RP_N) << (4 * 6);
  r |= (uint64_t)(0 | RP_X) << (4 * 7);
  r |= (uint64_t)(8 | 6) << (4 * 8);
  r |= (uint64_t)(8 | 7) << (4 * 9);
  r |= (uint64_t)(8 | RP_X) << (4 * 10);
  r |= (uint64_t)(8 | RP_L) << (4 * 11);
  return r;
}

static void test_xy_and_table_routing(void **state) {
  (void)state;
  /* router (x 2, y 2) of chip 3 */
  static const struct {
    unsigned chip, x, y;
    int port;
  } dst[] = {
      {3, 3, 2, RP_E},  {3, 7, 0, RP_E},   {3, 15, 15, RP_E}, {3, 1, 2, RP_W},  {3, 0, 9, RP_W},
      {3, 0, 0, RP_W},  {3, 2, 3, RP_S},   {3, 2, 15, RP_S},  {3, 2, 1, RP_N},  {3, 2, 0, RP_N},
      {3, 2, 2, RP_L},  {5, 2, 2, RP_X},   {5, 0, 7, RP_X},   {10, 9, 1, RP_X}, {6, 2, 2, RP_N},
      {6, 3, 3, RP_N},  {11, 0, 0, RP_L},
  };
  const size_t nd = sizeof dst / sizeof dst[0];
  struct h *h = h_new("routing", 3, 2, 2, routing_table(), 1);
  uint32_t tag[64];
  /* one packet every 4 cycles, from every input in turn, VC alternating;
   * every other packet has 3 flits */
  for (size_t i = 0; i < nd; i++) {
    unsigned len = (i & 1) ? 3 : 1;
    assert_int_equal(oracle_route(3, 2, 2, h->route, hdr0(dst[i].chip, dst[i].x, dst[i].y)),
                     dst[i].port);
    tag[i] = h_packet(h, (unsigned)(i % NP), (unsigned)(i / 2) % NVC, len,
                      hdr0(dst[i].chip, dst[i].x, dst[i].y), 4 * i, 1);
  }
  h_run(h, 4 * nd + 16);
  for (size_t i = 0; i < nd; i++) {
    unsigned len = (i & 1) ? 3 : 1, in = (unsigned)(i % NP);
    for (unsigned k = 0; k < len; k++) {
      const struct router_flit *f = flit_of(h, in, tag[i] + k);
      uint64_t t = 4 * i + k + 2;
      expect_out(h, t, (unsigned)dst[i].port, f);
      /* nothing on any other port in that cycle */
      for (unsigned o = 0; o < NP; o++)
        if (o != (unsigned)dst[i].port && h->log[t].out[o].valid)
          fail_msg("cycle %llu: unexpected flit on %s", (unsigned long long)t, port_name[o]);
    }
  }
  unsigned total = 0;
  for (size_t i = 0; i < nd; i++) total += (i & 1) ? 3 : 1;
  assert_int_equal(outs_between(h, 0, h->t, NP), total);
  assert_int_equal(noc_sb_finish(h->sb, h->t), 0);
  assert_int_equal(noc_sb_errors(h->sb), 0);
  assert_no_errors(h->d);
  h_free(h);
}

/* Every route-table entry to every port, in turn (other chips). */
static void test_route_table_all_entries(void **state) {
  (void)state;
  for (unsigned rep = 0; rep < 4; rep++) {
    uint64_t route = 0;
    for (unsigned e = 0; e < 16; e++) route |= (uint64_t)(8 | ((e + rep) % NP)) << (4 * e);
    struct h *h = h_new("route_table", 4, 1, 1, route, 1);
    unsigned n = 0;
    uint32_t tag[16];
    for (unsigned c = 0; c < 16; c++) {
      if (c == 4) continue;
      tag[c] = h_packet(h, (c + 1) % NP, c % NVC, 1, hdr0(c, 1, 1), 3 * n, 1);
      n++;
    }
    h_run(h, 3 * n + 10);
    n = 0;
    for (unsigned c = 0; c < 16; c++) {
      if (c == 4) continue;
      expect_out(h, 3 * n + 2, (c + rep) % NP, flit_of(h, (c + 1) % NP, tag[c]));
      n++;
    }
    assert_int_equal(outs_between(h, 0, h->t, NP), 15);
    assert_no_errors(h->d);
    h_free(h);
  }
}

/* INVALID routes: the packet is dropped one flit per cycle, credits are
 * returned, err_route counts once per packet; the VC then works again. */
static void test_invalid_route_dropped(void **state) {
  (void)state;
  struct h *h = h_new("invalid_route", 3, 2, 2, routing_table(), 1);
  /* chip 7: entry not valid; 3 flits on W VC 1 in cycles 0, 1, 2 */
  h_packet(h, RP_W, 1, 3, hdr0(7, 0, 0), 0, 1);
  /* a good packet on the same VC right behind it, cycles 3, 4 */
  uint32_t good = h_packet(h, RP_W, 1, 2, hdr0(3, 2, 2), 3, 1);
  /* chips 8 and 9: entries naming ports 6 and 7 */
  h_packet(h, RP_S, 0, 2, hdr0(8, 1, 1), 10, 1);
  h_packet(h, RP_N, 0, 1, hdr0(9, 1, 1), 10, 1);
  h_run(h, 5);
  assert_int_equal(router_dut_err(h->d, RERR_ROUTE), 1);
  h_run(h, 30);
  /* drop path: popped in 1, 2, 3, so credits in 2, 3, 4 */
  for (uint64_t t = 0; t < 10; t++)
    assert_int_equal(h->log[t].cr[RP_W], t >= 2 && t <= 6);
  /* good packet: on W in 3, 4 -> on L in 5, 6 */
  expect_out(h, 5, RP_L, flit_of(h, RP_W, good));
  expect_out(h, 6, RP_L, flit_of(h, RP_W, good + 1));
  assert_int_equal(outs_between(h, 0, h->t, NP), 2);
  assert_int_equal(router_dut_err(h->d, RERR_ROUTE), 3);
  assert_int_equal(router_dut_err(h->d, RERR_PROTO), 0);
  assert_int_equal(router_dut_err(h->d, RERR_OVF), 0);
  assert_int_equal(router_dut_err(h->d, RERR_CREDIT), 0);
  assert_int_equal(router_dut_cnt(h->d, RCNT_BUF_RD, RP_W), 5);
  assert_int_equal(router_dut_cnt(h->d, RCNT_BUF_RD, RP_S), 2);
  assert_int_equal(router_dut_cnt(h->d, RCNT_BUF_RD, RP_N), 1);
  assert_int_equal(router_dut_cnt(h->d, RCNT_XBAR, RP_L), 2);
  /* every credit came back to the sources */
  for (unsigned p = 0; p < NP; p++)
    for (unsigned v = 0; v < NVC; v++) assert_int_equal(h->src[p].cred[v], DEPTH);
  h_free(h);
}

/* A body flit on an IDLE VC is dropped up to its tail and counts err_proto. */
static void test_headless_packet_dropped(void **state) {
  (void)state;
  struct h *h = h_new("headless", 0, 1, 1, 0, 1);
  struct src *s = &h->src[RP_E];
  struct pend *p = &s->q[s->n++];
  mkflit(&p->f, 0, 0, 0, hdr0(0, 0, 1), h->tag++);
  p->at = 0;
  p = &s->q[s->n++];
  mkflit(&p->f, 0, 0, 1, hdr0(0, 0, 1), h->tag++);
  p->at = 1;
  uint32_t good = h_packet(h, RP_E, 0, 1, hdr0(0, 0, 1), 2, 1);
  h_run(h, 12);
  expect_out(h, 4, RP_W, flit_of(h, RP_E, good));
  assert_int_equal(outs_between(h, 0, h->t, NP), 1);
  assert_int_equal(router_dut_err(h->d, RERR_PROTO), 1);
  assert_int_equal(router_dut_err(h->d, RERR_ROUTE), 0);
  assert_int_equal(router_dut_cnt(h->d, RCNT_BUF_RD, RP_E), 3);
  h_free(h);
}

/* ------------------------------------------------------------------------ */
/* Credits                                                                   */
/* ------------------------------------------------------------------------ */

static void test_credit_flow(void **state) {
  (void)state;
  struct h *h = h_new("credit_flow", 0, 1, 1, 0, 1);
  h->snk[RP_E].mode = SINK_HOLD;
  uint32_t t0 = h->tag;
  for (unsigned k = 0; k < 3; k++) h_packet(h, RP_L, 0, 4, hdr0(0, 4, 1), 0, 1);
  h_run(h, 20);
  /* exactly BufDepth flits leave, in 2..5, then the output stalls */
  for (unsigned k = 0; k < DEPTH; k++) expect_out(h, 2 + k, RP_E, flit_of(h, RP_L, t0 + k));
  assert_int_equal(outs_between(h, 6, 20, NP), 0);
  assert_int_equal(router_dut_cnt(h->d, RCNT_XBAR, RP_E), DEPTH);
  /* the input buffer is full: occupancy 4 per cycle from cycle 8 on */
  uint32_t occ0 = router_dut_cnt(h->d, RCNT_OCC, RP_L);
  h_step(h);
  assert_int_equal(router_dut_cnt(h->d, RCNT_OCC, RP_L) - occ0, DEPTH);
  /* return 8 credits, one per cycle from cycle 21; first usable in 22 */
  h_run(h, 21);
  h_release(h, RP_E, 8);
  h_run(h, 45);
  for (unsigned k = 0; k < 8; k++) expect_out(h, 23 + k, RP_E, flit_of(h, RP_L, t0 + 4 + k));
  assert_int_equal(outs_between(h, 0, h->t, NP), 12);
  /* L stalled from 5 (flit 4 waits) to 21 (credit usable in 22) */
  assert_int_equal(router_dut_cnt(h->d, RCNT_STALL, RP_L), 22 - 5);
  assert_int_equal(noc_sb_finish(h->sb, h->t), 0);
  assert_int_equal(noc_sb_errors(h->sb), 0);
  assert_no_errors(h->d);
  h_free(h);
}

/* A credit never owed counts err_credit and is ignored; a flit sent without
 * a credit to a full buffer is discarded, counts err_ovf, returns no credit. */
static void test_credit_and_overflow_errors(void **state) {
  (void)state;
  struct h *h = h_new("credit_errors", 0, 1, 1, 0, 1);
  router_dut_set_out_credit(h->d, RP_N, 1, 1);
  router_dut_clock(h->d);
  router_dut_set_out_credit(h->d, RP_N, 0, 0);
  assert_int_equal(router_dut_err(h->d, RERR_CREDIT), 1);
  h->t = 0;
  router_dut_reset(h->d, 2);
  assert_int_equal(router_dut_err(h->d, RERR_CREDIT), 0);

  h->snk[RP_E].mode = SINK_HOLD;
  h->src[RP_L].ignore_credits = 1;
  /* 4 flits leave, 4 fill the buffer, the 9th overflows */
  for (unsigned k = 0; k < 3; k++) h_packet(h, RP_L, 0, 3, hdr0(0, 4, 1), 0, 1);
  h_run(h, 20);
  assert_int_equal(router_dut_err(h->d, RERR_OVF), 1);
  assert_int_equal(router_dut_cnt(h->d, RCNT_FLITS_IN, RP_L), 9);
  assert_int_equal(router_dut_cnt(h->d, RCNT_BUF_WR, RP_L), 8);
  unsigned credits = 0;
  for (uint64_t t = 0; t < 20; t++) credits += h->log[t].cr[RP_L];
  assert_int_equal(credits, 4);
  /* an extra credit on a VC at BufDepth */
  router_dut_set_out_credit(h->d, RP_W, 1, 0);
  router_dut_clock(h->d);
  router_dut_set_out_credit(h->d, RP_W, 0, 0);
  assert_int_equal(router_dut_err(h->d, RERR_CREDIT), 1);
  h_free(h);
}

/* ------------------------------------------------------------------------ */
/* Throughput                                                                */
/* ------------------------------------------------------------------------ */

static void test_throughput_one_per_cycle(void **state) {
  (void)state;
  struct h *h = h_new("throughput", 0, 1, 1, 0, 1);
  const unsigned npkt = 16, len = 8, n = npkt * len;
  uint32_t t0 = h->tag, t1;
  for (unsigned k = 0; k < npkt; k++) h_packet(h, RP_L, 0, len, hdr0(0, 4, 1), 0, 1);
  /* a second uncontended path at the same time: W -> S on VC 1 */
  t1 = h->tag;
  for (unsigned k = 0; k < npkt; k++) h_packet(h, RP_W, 1, len, hdr0(0, 1, 7), 0, 1);
  h_run(h, n + 10);
  for (unsigned k = 0; k < n; k++) {
    assert_int_equal(h->src[RP_L].q[k].sent_at, k); /* the source never waits */
    expect_out(h, 2 + k, RP_E, flit_of(h, RP_L, t0 + k));
    expect_out(h, 2 + k, RP_S, flit_of(h, RP_W, t1 + k));
  }
  assert_int_equal(router_dut_cnt(h->d, RCNT_STALL, RP_L), 0);
  assert_int_equal(router_dut_cnt(h->d, RCNT_STALL, RP_W), 0);
  assert_int_equal(noc_sb_lat_min(h->sb), 2);
  assert_int_equal(noc_sb_lat_max(h->sb), 2);
  assert_int_equal(noc_sb_finish(h->sb, h->t), 0);
  assert_no_errors(h->d);
  h_free(h);
}

/* ------------------------------------------------------------------------ */
/* Random traffic with the scoreboard                                        */
/* ------------------------------------------------------------------------ */

/* Route table of the random tests (router (2, 2) of chip 1): chips 0 and 2
 * through X, chip 3 through N, chip 5 through E. */
static uint64_t random_table(void) {
  return (uint64_t)(8 | RP_X) << 0 | (uint64_t)(8 | RP_X) << 8 | (uint64_t)(8 | RP_N) << 12 |
         (uint64_t)(8 | RP_E) << 20;
}

static struct h *random_h(const char *name, double rate) {
  struct h *h = h_new(name, 1, 2, 2, random_table(), 0);
  for (unsigned p = 0; p < NP; p++) {
    h->src[p].random = 1;
    h->src[p].rate = rate;
    h->snk[p].mode = SINK_RANDOM;
    h->snk[p].p = 0.5 + 0.1 * p;
  }
  return h;
}

/* Run `cycles` of random traffic, then stop the sources and drain. */
static void random_run(struct h *h, uint64_t cycles) {
  while (h->t < cycles) h_step(h);
  for (unsigned p = 0; p < NP; p++) h->src[p].rate = 0; /* finish open packets */
  for (unsigned p = 0; p < NP; p++) h->snk[p].p = 1.0;
  uint64_t end = h->t + 2000;
  while (h->t < end && noc_sb_outstanding(h->sb)) h_step(h);
  h_run(h, h->t + 8);
}

static void seed_from_env(void) {
  const char *s = getenv("OPTILE_SEED");
  rng_state = s ? strtoull(s, NULL, 0) : 0x5eedull;
}

static void check_random(struct h *h) {
  if (noc_sb_finish(h->sb, h->t) || noc_sb_errors(h->sb))
    fail_msg("scoreboard: %llu error(s); first: %s", (unsigned long long)noc_sb_errors(h->sb),
             noc_sb_first_error(h->sb));
  assert_no_errors(h->d);
  uint64_t in = 0, out = 0;
  for (unsigned p = 0; p < NP; p++) {
    assert_int_equal(router_dut_cnt(h->d, RCNT_FLITS_IN, p), (uint32_t)h->src[p].sent);
    assert_int_equal(router_dut_cnt(h->d, RCNT_BUF_WR, p), (uint32_t)h->src[p].sent);
    assert_int_equal(router_dut_cnt(h->d, RCNT_BUF_RD, p), (uint32_t)h->src[p].sent);
    assert_int_equal(router_dut_cnt(h->d, RCNT_FLITS_OUT, p), (uint32_t)h->snk[p].recv);
    assert_int_equal(router_dut_cnt(h->d, RCNT_XBAR, p), (uint32_t)h->snk[p].recv);
    in += h->src[p].sent;
    out += h->snk[p].recv;
  }
  assert_true(in == out);
  assert_true(noc_sb_lat_min(h->sb) == 2);
}

static void test_random_traffic(void **state) {
  (void)state;
  seed_from_env();
  static const double rates[] = {0.01, 0.05, 1.0};
  for (unsigned r = 0; r < 3; r++) {
    struct h *h = random_h("random", rates[r]);
    random_run(h, 20000);
    check_random(h);
    print_message("rate %.2f: %llu flits, latency min %llu mean %.2f max %llu\n", rates[r],
                  (unsigned long long)noc_sb_delivered(h->sb),
                  (unsigned long long)noc_sb_lat_min(h->sb), noc_sb_lat_mean(h->sb),
                  (unsigned long long)noc_sb_lat_max(h->sb));
    assert_true(noc_sb_delivered(h->sb) > 1000);
    h_free(h);
  }
}

/* The scoreboard must catch a damaged delivery. */
static void scoreboard_negative(enum fault fault, const char *expect) {
  seed_from_env();
  struct h *h = random_h("negative", 0.3);
  h->fault = fault;
  h->fault_at = 500;
  random_run(h, 3000);
  noc_sb_finish(h->sb, h->t);
  assert_true(noc_sb_errors(h->sb) >= 1);
  print_message("caught: %s\n", noc_sb_first_error(h->sb));
  if (!strstr(noc_sb_first_error(h->sb), expect))
    fail_msg("expected \"%s\" in: %s", expect, noc_sb_first_error(h->sb));
  /* the router itself saw nothing wrong */
  assert_no_errors(h->d);
  h_free(h);
}

static void test_scoreboard_catches_corruption(void **state) {
  (void)state;
  scoreboard_negative(FAULT_CORRUPT, "corrupted flit");
}

static void test_scoreboard_catches_drop(void **state) {
  (void)state;
  scoreboard_negative(FAULT_DROP, "missing");
}

static void test_scoreboard_catches_duplicate(void **state) {
  (void)state;
  scoreboard_negative(FAULT_DUP, "duplicate");
}

/* Two packets from different inputs interleaved on one output VC (what a
 * router that frees an output VC before the tail would do). */
static void test_scoreboard_catches_interleave(void **state) {
  (void)state;
  noc_sb *sb = noc_sb_new(NP, NVC, NW);
  assert_non_null(sb);
  struct router_flit a[2], b[2];
  for (unsigned k = 0; k < 2; k++) {
    mkflit(&a[k], 0, k == 0, k == 1, hdr0(0, 3, 1), 100 + k);
    mkflit(&b[k], 0, k == 0, k == 1, hdr0(0, 3, 1), 200 + k);
    assert_int_equal(noc_sb_expect(sb, RP_W, 0, a[k].data, a[k].head, a[k].tail, RP_E, k), 0);
    assert_int_equal(noc_sb_expect(sb, RP_L, 0, b[k].data, b[k].head, b[k].tail, RP_E, k), 0);
  }
  assert_int_equal(noc_sb_observe(sb, RP_E, a[0].data, 1, 0, 0, 2), 0);
  assert_int_equal(noc_sb_observe(sb, RP_E, b[0].data, 1, 0, 0, 3), -1);
  print_message("caught: %s\n", noc_sb_first_error(sb));
  assert_non_null(strstr(noc_sb_first_error(sb), "still open"));
  /* the link now carries b's packet: a's tail interleaves with it */
  assert_int_equal(noc_sb_observe(sb, RP_E, a[1].data, 0, 1, 0, 4), -1);
  assert_non_null(strstr(noc_sb_last_error(sb), "interleaved"));
  assert_int_equal(noc_sb_observe(sb, RP_E, b[1].data, 0, 1, 0, 5), -1);
  assert_non_null(strstr(noc_sb_last_error(sb), "no open packet"));
  assert_int_equal(noc_sb_finish(sb, 6), 0);
  assert_int_equal(noc_sb_errors(sb), 3);
  noc_sb_free(sb);
}

/* Long run at full offered load: speed of one router with its C harness. */
static void test_random_speed(void **state) {
  (void)state;
  seed_from_env();
  const char *s = getenv("OPTILE_RANDOM_CYCLES");
  uint64_t cycles = s ? strtoull(s, NULL, 0) : 200000;
  struct h *h = random_h("random_speed", 1.0);
  double t0 = now_s();
  random_run(h, cycles);
  double el = now_s() - t0;
  check_random(h);
  uint64_t flits = noc_sb_delivered(h->sb);
  print_message("%llu cycles, %llu flits (%.2f flits/cycle), %.3f s: %.0f cycles/s with harness "
                "and scoreboard, %.0f cycles/s in the model alone\n",
                (unsigned long long)h->t, (unsigned long long)flits, (double)flits / (double)h->t,
                el, (double)h->t / el, (double)h->t / h->clock_s);
  h_free(h);
}

/* ------------------------------------------------------------------------ */
/* X-port adapter (5.9)                                                      */
/* ------------------------------------------------------------------------ */

static xadapt_dut *xadapt_new(const char *name) {
  xadapt_dut *x = xadapt_dut_new();
  assert_non_null(x);
  const char *dir = getenv("OPTILE_WAVES");
  if (dir && *dir) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s.fst", dir, name);
    if (xadapt_dut_trace_open(x, path)) print_message("cannot open waves %s\n", path);
  }
  xadapt_dut_reset(x, 2);
  return x;
}

/* Transmit: append, offer from the next cycle, hold without tx_ready, credit
 * in the cycle after the transfer, overflow counted. */
static void test_xadapt_tx(void **state) {
  (void)state;
  xadapt_dut *x = xadapt_new("xadapt_tx");
  struct router_flit f[12];
  for (unsigned k = 0; k < 12; k++) mkflit(&f[k], k % 2, k % 3 == 0, k % 3 == 2, hdr0(1, 0, 0), 500 + k);
  uint32_t data[NW];
  unsigned side, vc;
  /* cycle 0: F0 from the router; nothing offered yet */
  assert_false(xadapt_dut_tx(x, NULL, NULL));
  xadapt_dut_set_rt_out(x, &f[0]);
  xadapt_dut_clock(x);
  /* cycles 1..4: F0 offered, tx_ready 0; F1 appended in cycle 1 */
  for (unsigned t = 1; t < 5; t++) {
    assert_true(xadapt_dut_tx(x, data, &side));
    assert_memory_equal(data, f[0].data, sizeof data);
    assert_int_equal(side, xadapt_side(f[0].head, f[0].tail, f[0].vc));
    assert_false(xadapt_dut_rt_out_credit(x, NULL));
    xadapt_dut_set_rt_out(x, t == 1 ? &f[1] : NULL);
    xadapt_dut_clock(x);
  }
  /* cycle 5: F0 taken; 6: F1 taken and F0's credit; 7: F1's credit */
  xadapt_dut_set_tx_ready(x, 1);
  xadapt_dut_clock(x);
  assert_true(xadapt_dut_rt_out_credit(x, &vc));
  assert_int_equal(vc, f[0].vc);
  assert_true(xadapt_dut_tx(x, data, &side));
  assert_memory_equal(data, f[1].data, sizeof data);
  assert_int_equal(side, xadapt_side(f[1].head, f[1].tail, f[1].vc));
  xadapt_dut_clock(x);
  assert_true(xadapt_dut_rt_out_credit(x, &vc));
  assert_int_equal(vc, f[1].vc);
  assert_false(xadapt_dut_tx(x, NULL, NULL));
  xadapt_dut_set_tx_ready(x, 0);
  xadapt_dut_clock(x);
  assert_false(xadapt_dut_rt_out_credit(x, NULL));
  /* fill txq (NumVc * BufDepth = 8), a ninth flit overflows */
  for (unsigned k = 2; k < 11; k++) {
    xadapt_dut_set_rt_out(x, &f[k]);
    xadapt_dut_clock(x);
  }
  xadapt_dut_set_rt_out(x, NULL);
  assert_int_equal(xadapt_dut_cnt(x, XCNT_ERR), 1);
  xadapt_dut_set_tx_ready(x, 1);
  for (unsigned k = 2; k < 10; k++) {
    assert_true(xadapt_dut_tx(x, data, NULL));
    assert_memory_equal(data, f[k].data, sizeof data);
    xadapt_dut_clock(x);
  }
  assert_false(xadapt_dut_tx(x, NULL, NULL));
  assert_int_equal(xadapt_dut_cnt(x, XCNT_TX_FLITS), 10);
  xadapt_dut_free(x);
}

/* Receive: latency 1, credits per VC, head-of-line blocking, rx_ready when
 * rxq holds fewer than RxQDepth flits, a bad sideband VC discarded. */
static void test_xadapt_rx(void **state) {
  (void)state;
  xadapt_dut *x = xadapt_new("xadapt_rx");
  enum { NF = 10 };
  struct router_flit f[NF];
  for (unsigned k = 0; k < NF; k++)
    mkflit(&f[k], k < 5 ? 0 : 1, 1, 1, hdr0(1, 0, 0), 600 + k);
  f[9].vc = 2; /* bad: the router has 2 VCs */
  int64_t acc[NF], del[NF];
  for (unsigned k = 0; k < NF; k++) acc[k] = del[k] = -1;
  unsigned next = 0, ndel = 0, stall = 0, ready0 = 0;
  for (int64_t t = 0; t < 30; t++) {
    struct router_flit g;
    xadapt_dut_get_rt_in(x, &g);
    if (g.valid) {
      assert_true(ndel < NF);
      assert_memory_equal(g.data, f[ndel].data, sizeof g.data);
      assert_int_equal(g.vc, f[ndel].vc);
      assert_true(g.head && g.tail);
      del[ndel++] = t;
    }
    int rdy = xadapt_dut_rx_ready(x);
    if (!rdy) ready0++;
    if (next < NF) {
      const struct router_flit *o = &f[next];
      xadapt_dut_set_rx(x, 1, o->data, xadapt_side(o->head, o->tail, o->vc));
      if (rdy) acc[next++] = t;
    } else {
      xadapt_dut_set_rx(x, 0, NULL, 0);
    }
    xadapt_dut_set_rt_in_credit(x, t == 10, 0); /* one VC-0 credit from the router */
    uint32_t s0 = xadapt_dut_cnt(x, XCNT_RX_STALL);
    xadapt_dut_clock(x);
    stall += xadapt_dut_cnt(x, XCNT_RX_STALL) - s0;
  }
  static const int64_t exp_acc[NF] = {0, 1, 2, 3, 4, 5, 6, 7, 12, 13};
  static const int64_t exp_del[NF] = {1, 2, 3, 4, 11, 12, 13, 14, 15, -1};
  for (unsigned k = 0; k < NF; k++) {
    if (acc[k] != exp_acc[k]) fail_msg("flit %u accepted in %lld, expected %lld", k, (long long)acc[k], (long long)exp_acc[k]);
    if (del[k] != exp_del[k]) fail_msg("flit %u delivered in %lld, expected %lld", k, (long long)del[k], (long long)exp_del[k]);
  }
  assert_int_equal(stall, 6);   /* F4 waits for a VC-0 credit in 5..10 */
  assert_int_equal(ready0, 4);  /* rxq full at the start of 8..11 */
  assert_int_equal(xadapt_dut_cnt(x, XCNT_RX_FLITS), 10);
  assert_int_equal(xadapt_dut_cnt(x, XCNT_ERR), 1);
  xadapt_dut_free(x);
}

/* Two chips: router A (chip 0) and router B (chip 1), each at (0, 0), joined
 * X to X through two adapters and a stand-in for the PHY link: a FIFO per
 * direction that delivers a transfer `lat` cycles later, with tx_ready 1 or
 * random. A's L input sends to B's L, E and S; B's L input to A's. */
#define C2C_LAT 5

struct c2c_link {
  struct {
    uint32_t data[NW];
    unsigned side;
    uint64_t at;
  } q[4096];
  size_t h, n;
};

struct c2c_side {
  router_dut *r;
  xadapt_dut *x;
  struct c2c_link tx; /* from this side's adapter to the other's */
  noc_sb *sb;         /* flits entering this side's L, leaving the other router */
  int cred[NVC];
  struct rgen g[NVC];
  uint32_t tag;
  uint64_t sent, recv[NP];
  struct {
    unsigned vc;
    uint64_t at;
  } owed[NP][64];
  size_t oh[NP], on[NP];
};

static void c2c_init(struct c2c_side *s, const char *name, unsigned chip, unsigned other) {
  memset(s, 0, sizeof *s);
  s->r = router_dut_new();
  assert_non_null(s->r);
  maybe_trace(s->r, name);
  router_dut_set_id(s->r, chip, 0, 0);
  router_dut_set_route(s->r, (uint64_t)(8 | RP_X) << (4 * other));
  router_dut_reset(s->r, 2);
  char xn[64];
  snprintf(xn, sizeof xn, "%s_xadapt", name);
  s->x = xadapt_new(xn);
  s->sb = noc_sb_new(NP, NVC, NW);
  assert_non_null(s->sb);
  for (unsigned v = 0; v < NVC; v++) s->cred[v] = DEPTH;
  s->tag = chip << 24;
}

static void c2c_free(struct c2c_side *s) {
  router_dut_free(s->r);
  xadapt_dut_free(s->x);
  noc_sb_free(s->sb);
}

/* One cycle of both sides. rate: probability a VC starts a packet; vcmask:
 * which VCs the sources use; ready_p: probability tx_ready is 1. */
static void c2c_step(struct c2c_side *s[2], uint64_t t, unsigned other_chip[2], double rate,
                     unsigned vcmask, double ready_p) {
  struct router_flit out[2][NP], rtin[2];
  int cr[2][NP], xcr[2], txv[2], rxr[2];
  unsigned crvc[2][NP], xcrvc[2], side[2];
  uint32_t txd[2][NW];
  for (unsigned i = 0; i < 2; i++) {
    for (unsigned p = 0; p < NP; p++) {
      router_dut_get_out(s[i]->r, p, &out[i][p]);
      cr[i][p] = router_dut_in_credit(s[i]->r, p, &crvc[i][p]);
    }
    xcr[i] = xadapt_dut_rt_out_credit(s[i]->x, &xcrvc[i]);
    xadapt_dut_get_rt_in(s[i]->x, &rtin[i]);
    txv[i] = xadapt_dut_tx(s[i]->x, txd[i], &side[i]);
    rxr[i] = xadapt_dut_rx_ready(s[i]->x);
  }
  for (unsigned i = 0; i < 2; i++) {
    struct c2c_side *me = s[i], *peer = s[1 - i];
    /* PHY stand-in, this side's transmit direction */
    int ready = chance(ready_p);
    xadapt_dut_set_tx_ready(me->x, ready);
    if (txv[i] && ready) {
      assert_true(me->tx.n < 4096);
      size_t j = (me->tx.h + me->tx.n++) % 4096;
      memcpy(me->tx.q[j].data, txd[i], sizeof txd[i]);
      me->tx.q[j].side = side[i];
      me->tx.q[j].at = t + C2C_LAT;
    }
    /* ...and its receive direction (the peer's transmit FIFO) */
    struct c2c_link *in = &peer->tx;
    if (in->n && in->q[in->h].at <= t) {
      xadapt_dut_set_rx(me->x, 1, in->q[in->h].data, in->q[in->h].side);
      if (rxr[i]) {
        in->h = (in->h + 1) % 4096;
        in->n--;
      }
    } else {
      xadapt_dut_set_rx(me->x, 0, NULL, 0);
    }
    /* router X <-> adapter */
    router_dut_set_in(me->r, RP_X, &rtin[i]);
    xadapt_dut_set_rt_in_credit(me->x, cr[i][RP_X], crvc[i][RP_X]);
    xadapt_dut_set_rt_out(me->x, &out[i][RP_X]);
    router_dut_set_out_credit(me->r, RP_X, xcr[i], xcrvc[i]);
    /* mesh and L outputs: sinks returning credits 2 cycles later; the flits
     * came from the peer's L input */
    for (unsigned p = 0; p < NP; p++) {
      if (p == RP_X) continue;
      if (out[i][p].valid) {
        const struct router_flit *f = &out[i][p];
        noc_sb_observe(peer->sb, p, f->data, f->head, f->tail, f->vc, t);
        size_t j = (me->oh[p] + me->on[p]++) % 64;
        me->owed[p][j].vc = f->vc;
        me->owed[p][j].at = t + 2;
        me->recv[p]++;
      }
      if (me->on[p] && me->owed[p][me->oh[p]].at <= t) {
        router_dut_set_out_credit(me->r, p, 1, me->owed[p][me->oh[p]].vc);
        me->oh[p] = (me->oh[p] + 1) % 64;
        me->on[p]--;
      } else {
        router_dut_set_out_credit(me->r, p, 0, 0);
      }
    }
    /* the source on L: packets to the other chip's (0,0) L, (1,0) E, (0,1) S */
    unsigned cand[NVC], nc = 0;
    for (unsigned v = 0; v < NVC; v++) {
      struct rgen *g = &me->g[v];
      if (!((vcmask >> v) & 1u)) continue;
      if (!g->left && chance(rate)) {
        static const unsigned xy[3][2] = {{0, 0}, {1, 0}, {0, 1}};
        unsigned d = rnd(3);
        g->len = 1 + rnd(8);
        g->left = g->len;
        g->w0 = hdr0(other_chip[i], xy[d][0], xy[d][1]);
      }
      if (g->left && me->cred[v] > 0) cand[nc++] = v;
    }
    if (nc) {
      unsigned v = cand[rnd(nc)];
      struct rgen *g = &me->g[v];
      struct router_flit f;
      mkflit(&f, v, g->left == g->len, g->left == 1, g->w0, me->tag++);
      g->left--;
      /* at the far router: (0,0) -> L, (1,0) -> E, (0,1) -> S */
      unsigned dx = f.data[0] & 15u, dy = (f.data[0] >> 4) & 15u;
      unsigned op = dx ? RP_E : dy ? RP_S : RP_L;
      assert_int_equal(noc_sb_expect(me->sb, RP_L, v, f.data, f.head, f.tail, op, t), 0);
      me->cred[v]--;
      me->sent++;
      router_dut_set_in(me->r, RP_L, &f);
    } else {
      router_dut_set_in(me->r, RP_L, NULL);
    }
    if (cr[i][RP_L]) me->cred[crvc[i][RP_L]]++;
  }
  for (unsigned i = 0; i < 2; i++) {
    router_dut_clock(s[i]->r);
    xadapt_dut_clock(s[i]->x);
  }
}

static void c2c_run(double ready_p, unsigned vcmask, double rate, uint64_t cycles,
                    double *tput, double *lat_min, double *lat_max) {
  static struct c2c_side a, b;
  struct c2c_side *s[2] = {&a, &b};
  unsigned other[2] = {1, 0};
  c2c_init(&a, ready_p < 1 ? "c2c_a_random" : "c2c_a", 0, 1);
  c2c_init(&b, ready_p < 1 ? "c2c_b_random" : "c2c_b", 1, 0);
  uint64_t t = 0;
  for (; t < cycles; t++) c2c_step(s, t, other, rate, vcmask, ready_p);
  for (uint64_t end = t + 3000; t < end; t++) {
    c2c_step(s, t, other, 0, vcmask, ready_p);
    int open = 0;
    for (unsigned i = 0; i < 2; i++)
      for (unsigned v = 0; v < NVC; v++) open |= s[i]->g[v].left != 0;
    if (!open && !noc_sb_outstanding(a.sb) && !noc_sb_outstanding(b.sb)) break;
  }
  for (unsigned i = 0; i < 2; i++) {
    if (noc_sb_finish(s[i]->sb, t) || noc_sb_errors(s[i]->sb))
      fail_msg("chip %u -> %u: %s", i, 1 - i, noc_sb_first_error(s[i]->sb));
    assert_no_errors(s[i]->r);
    assert_int_equal(xadapt_dut_cnt(s[i]->x, XCNT_ERR), 0);
    assert_int_equal(xadapt_dut_cnt(s[i]->x, XCNT_TX_FLITS), (uint32_t)s[i]->sent);
    assert_int_equal(xadapt_dut_cnt(s[1 - i]->x, XCNT_RX_FLITS), (uint32_t)s[i]->sent);
  }
  *tput = (double)noc_sb_delivered(a.sb) / (double)cycles;
  *lat_min = (double)noc_sb_lat_min(a.sb);
  *lat_max = (double)noc_sb_lat_max(a.sb);
  c2c_free(&a);
  c2c_free(&b);
}

/* Full rate on one VC with tx_ready always 1: 1 flit/cycle each way and a
 * fixed latency of 2 (router A) + 1 (txq) + link + 1 (rxq) + 2 (router B). */
static void test_xadapt_chip_to_chip(void **state) {
  (void)state;
  seed_from_env();
  double tput, lmin, lmax;
  c2c_run(1.0, 1u, 1.0, 4000, &tput, &lmin, &lmax);
  print_message("one VC, tx_ready 1: %.3f flits/cycle, latency %.0f..%.0f\n", tput, lmin, lmax);
  assert_true(tput > 0.99);
  assert_true(lmin == 6 + C2C_LAT && lmax == 6 + C2C_LAT);
  c2c_run(0.6, 3u, 0.3, 20000, &tput, &lmin, &lmax);
  print_message("two VCs, tx_ready p=0.6: %.3f flits/cycle, latency %.0f..%.0f\n", tput, lmin, lmax);
  assert_true(lmin == 6 + C2C_LAT);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_example1_one_hop),
      cmocka_unit_test(test_example2_contention),
      cmocka_unit_test(test_example3_input_rr),
      cmocka_unit_test(test_example3_output_loss_keeps_ptr),
      cmocka_unit_test(test_va_round_robin),
      cmocka_unit_test(test_sa_round_robin),
      cmocka_unit_test(test_xy_and_table_routing),
      cmocka_unit_test(test_route_table_all_entries),
      cmocka_unit_test(test_invalid_route_dropped),
      cmocka_unit_test(test_headless_packet_dropped),
      cmocka_unit_test(test_credit_flow),
      cmocka_unit_test(test_credit_and_overflow_errors),
      cmocka_unit_test(test_throughput_one_per_cycle),
      cmocka_unit_test(test_random_traffic),
      cmocka_unit_test(test_scoreboard_catches_corruption),
      cmocka_unit_test(test_scoreboard_catches_drop),
      cmocka_unit_test(test_scoreboard_catches_duplicate),
      cmocka_unit_test(test_scoreboard_catches_interleave),
      cmocka_unit_test(test_random_speed),
      cmocka_unit_test(test_xadapt_tx),
      cmocka_unit_test(test_xadapt_rx),
      cmocka_unit_test(test_xadapt_chip_to_chip),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
