/* Mesh co-simulation (see mesh_sim.h).
 *
 * Why the RTL mesh is k*k copies of the one Verilated noc_router wired here
 * in C, and not a parameterised SystemVerilog mesh top: the cross-check
 * compares every port of every router every cycle, and the fault tests drop,
 * invent or corrupt one credit or flit on one chosen link. Wired in C, every
 * link passes through this file, so the monitor and the fault injection need
 * no extra RTL ports and no hierarchical peeking; the model (csim/noc) is
 * wired the same way, so both sides have the same topology code path; and the
 * one router model that tests/cosim/test_router_rtl already builds is reused
 * (no 16-router Verilation, whose build spec 6 puts at 52 s). The cost is a
 * copy of each flit per link per cycle, small beside the router's eval().
 */
#include "mesh/mesh_sim.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "channel/channel.h"
#include "noc/noc_mesh.h"
#include "noc/router_dut.h"
#include "run/progress.h"

#define R_MAX (MESH_K_MAX * MESH_K_MAX)
#define NVC ROUTER_DUT_NUM_VC
#define DEPTH ROUTER_DUT_BUF_DEPTH
#define NPORT NOC_NUM_PORTS

/* ---- topology ---------------------------------------------------------------- */

struct topo {
  unsigned k, nr, nep;
  struct mesh_addr addr[MESH_EP_MAX];
  uint8_t ep_r[MESH_EP_MAX], ep_p[MESH_EP_MAX];
  int8_t ep_at[R_MAX][NPORT];             /* endpoint at (router, port) or -1 */
  int8_t up_r[R_MAX][NPORT], up_p[R_MAX][NPORT]; /* upstream of input (r, p) or -1 */
  uint64_t route;                         /* route_i of every router */
};

static unsigned opposite(unsigned p) {
  static const unsigned o[4] = {NOC_PORT_S, NOC_PORT_W, NOC_PORT_N, NOC_PORT_E};
  return o[p];
}

static void topo_build(struct topo *t, unsigned k) {
  memset(t, 0, sizeof *t);
  memset(t->ep_at, -1, sizeof t->ep_at);
  memset(t->up_r, -1, sizeof t->up_r);
  memset(t->up_p, -1, sizeof t->up_p);
  t->k = k;
  t->nr = k * k;
  if (k == 1) {
    /* spec 5.3 at (0, 0) of chip 0: E, S, L by XY; W, N, X by the table */
    static const struct mesh_addr a[NPORT] = {
        [NOC_PORT_N] = {2, 0, 0}, [NOC_PORT_E] = {0, 1, 0}, [NOC_PORT_S] = {0, 0, 1},
        [NOC_PORT_W] = {1, 0, 0}, [NOC_PORT_L] = {0, 0, 0}, [NOC_PORT_X] = {3, 0, 0},
    };
    t->nep = NPORT;
    for (unsigned p = 0; p < NPORT; p++) {
      t->addr[p] = a[p];
      t->ep_r[p] = 0;
      t->ep_p[p] = (uint8_t)p;
      t->ep_at[0][p] = (int8_t)p;
    }
    t->route = ((uint64_t)(NOC_ROUTE_VALID | NOC_PORT_W) << 4) |
               ((uint64_t)(NOC_ROUTE_VALID | NOC_PORT_N) << 8) |
               ((uint64_t)(NOC_ROUTE_VALID | NOC_PORT_X) << 12);
    return;
  }
  t->nep = t->nr;
  for (unsigned r = 0; r < t->nr; r++) {
    unsigned x = r % k, y = r / k;
    t->addr[r] = (struct mesh_addr){0, x, y};
    t->ep_r[r] = (uint8_t)r;
    t->ep_p[r] = NOC_PORT_L;
    t->ep_at[r][NOC_PORT_L] = (int8_t)r;
    for (unsigned p = 0; p < 4; p++) {
      int nb = -1;
      if (p == NOC_PORT_N && y > 0) nb = (int)(r - k);
      if (p == NOC_PORT_S && y + 1 < k) nb = (int)(r + k);
      if (p == NOC_PORT_E && x + 1 < k) nb = (int)(r + 1);
      if (p == NOC_PORT_W && x > 0) nb = (int)(r - 1);
      if (nb < 0) continue;
      t->up_r[r][p] = (int8_t)nb;
      t->up_p[r][p] = (int8_t)opposite(p);
    }
  }
}

/* ---- random numbers (a splitmix64 stream per agent) -------------------------------- */

static uint64_t rng_next(uint64_t *s) { return ch_splitmix64(s); }
static double rng_unit(uint64_t *s) { return (double)(rng_next(s) >> 11) * 0x1.0p-53; }
static unsigned rng_below(uint64_t *s, unsigned n) { return (unsigned)(rng_next(s) % n); }

/* ---- one side ------------------------------------------------------------------- */

struct apkt {
  uint64_t created;
  uint32_t seq;
  uint8_t dst, vc, len;
};

/* A traffic agent keeps one source queue per VC (a packet's VC is drawn when
 * it is created), so that a VC without credits does not hold up the other:
 * each cycle it sends one flit, round robin over the VCs whose front packet
 * has a credit (flits of different VCs may interleave, spec 5.1). */
struct srcq {
  struct apkt *q;
  size_t cap, first, n;
  unsigned idx; /* next flit of the front packet */
};

struct agent {
  uint64_t rng;
  struct srcq sq[NVC];
  unsigned ptr;  /* VC that goes first next time */
  int cred[NVC]; /* credits held for the router's input */
};

struct side {
  enum mesh_kind kind;
  unsigned variant;
  noc_mesh *m;
  router_dut *d[R_MAX];
  /* registered outputs of the current cycle */
  uint8_t ovalid[R_MAX];         /* bit p: out_valid[p] */
  noc_flit out[R_MAX][NPORT];
  int8_t cred[R_MAX][NPORT];     /* credit returned on input p: VC or -1 */
  uint8_t cgiven[R_MAX];         /* bit p: output p received a credit this cycle */
  /* credit audit: credits each output holds as its downstream returned them */
  int held[R_MAX][NPORT][NVC];
  struct agent ag[MESH_EP_MAX];
  int8_t sink_cred[MESH_EP_MAX]; /* credit the sink returns this cycle: VC or -1 */
  mesh_sb *sb;
  uint32_t *win;
  uint64_t flits_created, flits_delivered;
  uint64_t audit_errors;
  char audit_first[512];
  int trace_r;                   /* RTL router to dump waves of, or -1 */
  int fault_on;                  /* the fault is to be applied to this side */
  int fault_done;
  uint64_t fault_cycle;
  uint64_t max_queue;
};

static void audit_error(struct side *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void audit_error(struct side *s, const char *fmt, ...) {
  if (s->audit_errors++ == 0) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->audit_first, sizeof s->audit_first, fmt, ap);
    va_end(ap);
  }
}

static void rflit_to_noc(const struct router_flit *rf, noc_flit *f) {
  memset(f, 0, sizeof *f);
  for (unsigned w = 0; w < ROUTER_DUT_FLIT_WORDS / 2; w++)
    f->data[w] = (uint64_t)rf->data[2 * w] | ((uint64_t)rf->data[2 * w + 1] << 32);
  f->head = (uint8_t)rf->head;
  f->tail = (uint8_t)rf->tail;
  f->vc = (uint8_t)rf->vc;
}

static void noc_to_rflit(const noc_flit *f, struct router_flit *rf) {
  rf->valid = 1;
  rf->head = f->head;
  rf->tail = f->tail;
  rf->vc = f->vc;
  for (unsigned w = 0; w < ROUTER_DUT_FLIT_WORDS / 2; w++) {
    rf->data[2 * w] = (uint32_t)f->data[w];
    rf->data[2 * w + 1] = (uint32_t)(f->data[w] >> 32);
  }
}

static int side_open(struct side *s, const struct topo *t, enum mesh_kind kind, unsigned variant,
                     char *err, size_t errlen) {
  s->kind = kind;
  s->variant = variant;
  if (kind == MESH_MODEL) {
    noc_mesh_config mc;
    memset(&mc, 0, sizeof mc);
    mc.kx = mc.ky = t->k;
    mc.router.variant = variant;
    for (unsigned e = 0; e < 16; e++) mc.router.route[e] = (uint8_t)((t->route >> (4 * e)) & 15u);
    mc.edge_ports = t->k == 1;
    mc.x_port = t->k == 1;
    s->m = noc_mesh_new(&mc, err, errlen);
    if (!s->m) return -1;
  } else {
    for (unsigned r = 0; r < t->nr; r++) {
      s->d[r] = router_dut_new();
      if (!s->d[r]) {
        snprintf(err, errlen, "mesh: out of memory for RTL router %u", r);
        return -1;
      }
      router_dut_set_id(s->d[r], 0, r % t->k, r / t->k);
      router_dut_set_route(s->d[r], t->route);
      router_dut_reset(s->d[r], 2);
    }
  }
  for (unsigned r = 0; r < t->nr; r++)
    for (unsigned p = 0; p < NPORT; p++)
      for (unsigned v = 0; v < NVC; v++) s->held[r][p][v] = DEPTH;
  memset(s->sink_cred, -1, sizeof s->sink_cred);
  s->sb = mesh_sb_new(t->nep, t->addr, NVC);
  if (!s->sb) {
    snprintf(err, errlen, "mesh: out of memory (scoreboard)");
    return -1;
  }
  return 0;
}

static void side_close(struct side *s) {
  noc_mesh_free(s->m);
  for (unsigned r = 0; r < R_MAX; r++) router_dut_free(s->d[r]);
  for (unsigned e = 0; e < MESH_EP_MAX; e++)
    for (unsigned v = 0; v < NVC; v++) free(s->ag[e].sq[v].q);
  mesh_sb_free(s->sb);
}

/* Reads every router's registered outputs of the current cycle. */
static void side_snapshot(struct side *s, const struct topo *t) {
  for (unsigned r = 0; r < t->nr; r++) {
    uint8_t mask = 0;
    if (s->kind == MESH_MODEL) {
      unsigned x = r % t->k, y = r / t->k;
      for (unsigned p = 0; p < NPORT; p++) {
        const noc_flit *f = noc_mesh_out(s->m, x, y, p);
        if (f) {
          s->out[r][p] = *f;
          mask |= (uint8_t)(1u << p);
        }
        s->cred[r][p] = (int8_t)noc_mesh_credit_out(s->m, x, y, p);
      }
    } else {
      for (unsigned p = 0; p < NPORT; p++) {
        struct router_flit rf;
        router_dut_get_out(s->d[r], p, &rf);
        if (rf.valid) {
          rflit_to_noc(&rf, &s->out[r][p]);
          mask |= (uint8_t)(1u << p);
        }
        unsigned vc;
        s->cred[r][p] = router_dut_in_credit(s->d[r], p, &vc) ? (int8_t)vc : (int8_t)-1;
      }
    }
    s->ovalid[r] = mask;
  }
}

static unsigned pick_dst(const struct mesh_cfg *c, const struct topo *t, unsigned hot,
                         struct agent *a, unsigned e) {
  switch (c->pattern) {
  case MESH_TRANSPOSE:
    if (t->k == 1) {
      static const unsigned tr[NPORT] = {NOC_PORT_W, NOC_PORT_S, NOC_PORT_E,
                                         NOC_PORT_N, NOC_PORT_L, NOC_PORT_X};
      return tr[e];
    }
    return (e % t->k) * t->k + e / t->k;
  case MESH_BITCOMP:
    return t->nep - 1 - e;
  case MESH_HOTSPOT:
    if (rng_unit(&a->rng) < c->hot_frac) return hot;
    return rng_below(&a->rng, t->nep);
  default:
    return rng_below(&a->rng, t->nep);
  }
}

/* Agent e in cycle `cyc`: maybe create a packet, then the flit to inject (if
 * any) into *f. Returns 1 if a flit is sent. */
static int agent_cycle(struct side *s, const struct mesh_cfg *c, const struct topo *t,
                       unsigned hot, unsigned e, uint64_t cyc, noc_flit *f) {
  struct agent *a = &s->ag[e];
  if (cyc < c->cycles) {
    double mean = 0.5 * (double)(c->len_min + c->len_max);
    if (rng_unit(&a->rng) < c->rate / mean) {
      unsigned dst = pick_dst(c, t, hot, a, e);
      unsigned len = c->len_min + rng_below(&a->rng, c->len_max - c->len_min + 1);
      unsigned vc = rng_below(&a->rng, NVC);
      long seq = mesh_sb_create(s->sb, e, dst, vc, len, cyc);
      struct srcq *sq = &a->sq[vc];
      if (sq->n == sq->cap) {
        size_t cap = sq->cap ? 2 * sq->cap : 16;
        struct apkt *q = malloc(cap * sizeof *q);
        if (!q || seq < 0) {
          free(q);
          audit_error(s, "cycle %llu: out of memory in agent %u", (unsigned long long)cyc, e);
          return 0;
        }
        for (size_t k = 0; k < sq->n; k++) q[k] = sq->q[(sq->first + k) % sq->cap];
        free(sq->q);
        sq->q = q;
        sq->cap = cap;
        sq->first = 0;
      }
      sq->q[(sq->first + sq->n) % sq->cap] =
          (struct apkt){.created = cyc, .seq = (uint32_t)seq, .dst = (uint8_t)dst,
                        .vc = (uint8_t)vc, .len = (uint8_t)len};
      sq->n++;
      if (sq->n > s->max_queue) s->max_queue = sq->n;
      if (cyc >= c->warmup) s->flits_created += len;
    }
  }
  for (unsigned i = 0; i < NVC; i++) {
    unsigned v = (a->ptr + i) % NVC;
    struct srcq *sq = &a->sq[v];
    if (!sq->n || a->cred[v] <= 0) continue;
    struct apkt *p = &sq->q[sq->first];
    mesh_sb_make_flit(s->sb, e, p->dst, v, p->seq, p->len, sq->idx, f);
    a->cred[v]--;
    a->ptr = (v + 1) % NVC;
    if (++sq->idx == p->len) {
      sq->idx = 0;
      sq->first = (sq->first + 1) % sq->cap;
      sq->n--;
    }
    return 1;
  }
  return 0;
}

static int fault_hit(struct side *s, const struct mesh_cfg *c, enum mesh_fault_kind kind,
                     unsigned r, unsigned p, uint64_t cyc, unsigned k) {
  if (!s->fault_on || s->fault_done || c->fault.kind != kind || cyc < c->fault.after ||
      r != c->fault.y * k + c->fault.x || p != c->fault.port)
    return 0;
  s->fault_done = 1;
  s->fault_cycle = cyc;
  return 1;
}

/* A credit for output (r, p) VC v reaches it: audit, then deliver. */
static void give_credit(struct side *s, unsigned r, unsigned p, unsigned v, uint64_t cyc,
                        unsigned k) {
  if (v >= NVC || ++s->held[r][p][v] > DEPTH)
    audit_error(s, "cycle %llu router (%u,%u) output %s vc %u: credit returned that was never "
                "owed (%d held, BufDepth %u)", (unsigned long long)cyc, r % k, r / k,
                noc_port_name(p), v, v < NVC ? s->held[r][p][v] : -1, DEPTH);
  s->cgiven[r] |= (uint8_t)(1u << p);
  if (s->kind == MESH_RTL) router_dut_set_out_credit(s->d[r], p, 1, v);
  else if (noc_mesh_credit(s->m, r % k, r / k, p, v))
    audit_error(s, "cycle %llu: model refused a credit: %s", (unsigned long long)cyc,
                noc_mesh_error(s->m));
}

/* Everything the side does in cycle `cyc` after its snapshot, then the edge. */
static void side_cycle(struct side *s, const struct mesh_cfg *c, const struct topo *t,
                       unsigned hot, uint64_t cyc, unsigned window) {
  const unsigned k = t->k;
  for (unsigned r = 0; r < t->nr; r++) {
    /* output monitor: the flit spends one credit of its downstream VC */
    for (unsigned m = s->ovalid[r]; m; m &= m - 1) {
      unsigned p = (unsigned)__builtin_ctz(m);
      unsigned v = s->out[r][p].vc;
      if (v >= NVC || --s->held[r][p][v] < 0)
        audit_error(s, "cycle %llu router (%u,%u) output %s vc %u: flit sent without a credit",
                    (unsigned long long)cyc, r % k, r / k, noc_port_name(p), v);
    }
    for (unsigned p = 0; p < NPORT; p++) {
      int ur = t->up_r[r][p];
      if (ur >= 0) { /* internal link (ur, up) -> (r, p) */
        unsigned up = (unsigned)t->up_p[r][p];
        int cv = s->cred[r][p];
        if (cv >= 0 && fault_hit(s, c, MESH_FAULT_DROP_CREDIT, r, p, cyc, k)) cv = -1;
        if (s->kind == MESH_RTL) {
          int fv = (s->ovalid[ur] >> up) & 1;
          if (fv) {
            struct router_flit rf;
            noc_to_rflit(&s->out[ur][up], &rf);
            if (fault_hit(s, c, MESH_FAULT_CORRUPT, (unsigned)ur, up, cyc, k))
              rf.data[4] ^= 1u << 2;
            router_dut_set_in(s->d[r], p, &rf);
          } else {
            router_dut_set_in(s->d[r], p, NULL);
          }
          if (cv >= 0) give_credit(s, (unsigned)ur, up, (unsigned)cv, cyc, k);
          else router_dut_set_out_credit(s->d[ur], up, 0, 0);
        } else if (cv >= 0) {
          /* noc_mesh_step carries the credit itself; only audit it */
          if (++s->held[ur][up][cv] > DEPTH)
            audit_error(s, "cycle %llu router (%u,%u) output %s vc %d: credit returned that was "
                        "never owed", (unsigned long long)cyc, (unsigned)ur % k,
                        (unsigned)ur / k, noc_port_name(up), cv);
        }
      }
      int e = t->ep_at[r][p];
      if (e < 0) continue;
      /* sink: consume what leaves, return its credit next cycle */
      if (s->sink_cred[e] >= 0) give_credit(s, r, p, (unsigned)s->sink_cred[e], cyc, k);
      else if (s->kind == MESH_RTL) router_dut_set_out_credit(s->d[r], p, 0, 0);
      s->sink_cred[e] = -1;
      if ((s->ovalid[r] >> p) & 1) {
        noc_flit f = s->out[r][p];
        if (fault_hit(s, c, MESH_FAULT_CORRUPT, r, p, cyc, k)) f.data[2] ^= 1u << 2;
        mesh_sb_deliver(s->sb, (unsigned)e, &f, cyc);
        s->sink_cred[e] = (int8_t)f.vc;
        if (s->win) s->win[(cyc / window) * t->nep + (unsigned)e]++;
        if (cyc >= c->warmup && cyc < c->cycles) s->flits_delivered++;
      }
      /* agent: send with the credits held at the start of the cycle, then
       * take this cycle's returned credit (usable next cycle, like a router) */
      noc_flit f;
      int send = agent_cycle(s, c, t, hot, (unsigned)e, cyc, &f);
      if (s->kind == MESH_RTL) {
        if (send) {
          struct router_flit rf;
          noc_to_rflit(&f, &rf);
          router_dut_set_in(s->d[r], p, &rf);
        } else {
          router_dut_set_in(s->d[r], p, NULL);
        }
      } else if (send && noc_mesh_inject(s->m, r % k, r / k, p, &f)) {
        audit_error(s, "cycle %llu: model refused a flit: %s", (unsigned long long)cyc,
                    noc_mesh_error(s->m));
      }
      int cv = s->cred[r][p];
      if (cv >= 0 && !fault_hit(s, c, MESH_FAULT_DROP_CREDIT, r, p, cyc, k)) {
        if (++s->ag[e].cred[cv] > DEPTH)
          audit_error(s, "cycle %llu router (%u,%u) input %s vc %d: credit returned to the agent "
                      "that was never owed", (unsigned long long)cyc, r % k, r / k,
                      noc_port_name(p), cv);
      }
    }
  }
  /* an invented credit, in the first cycle from `after` on in which the
   * target's credit wire is free (so that no real credit is displaced) */
  if (s->fault_on && !s->fault_done && c->fault.kind == MESH_FAULT_EXTRA_CREDIT) {
    unsigned r = c->fault.y * k + c->fault.x, p = c->fault.port;
    if (!((s->cgiven[r] >> p) & 1u) && fault_hit(s, c, MESH_FAULT_EXTRA_CREDIT, r, p, cyc, k))
      give_credit(s, r, p, 0, cyc, k);
  }
  memset(s->cgiven, 0, sizeof s->cgiven);
  if (s->kind == MESH_RTL)
    for (unsigned r = 0; r < t->nr; r++) router_dut_clock(s->d[r]);
  else
    noc_mesh_step(s->m);
}

static int side_idle(const struct side *s, const struct topo *t) {
  for (unsigned e = 0; e < t->nep; e++)
    for (unsigned v = 0; v < NVC; v++)
      if (s->ag[e].sq[v].n) return 0;
  return mesh_sb_outstanding(s->sb) == 0;
}

static void side_counters(struct side *s, const struct topo *t, unsigned r,
                          noc_router_counters *out) {
  if (s->kind == MESH_MODEL) {
    *out = *noc_router_get_counters(noc_mesh_router(s->m, r % t->k, r / t->k));
    return;
  }
  const router_dut *d = s->d[r];
  for (unsigned p = 0; p < NPORT; p++) {
    out->flits_in[p] = router_dut_cnt(d, RCNT_FLITS_IN, p);
    out->flits_out[p] = router_dut_cnt(d, RCNT_FLITS_OUT, p);
    out->stall[p] = router_dut_cnt(d, RCNT_STALL, p);
    out->occ[p] = router_dut_cnt(d, RCNT_OCC, p);
    out->buf_wr[p] = router_dut_cnt(d, RCNT_BUF_WR, p);
    out->buf_rd[p] = router_dut_cnt(d, RCNT_BUF_RD, p);
    out->xbar[p] = router_dut_cnt(d, RCNT_XBAR, p);
    out->va[p] = router_dut_cnt(d, RCNT_VA, p);
    out->sa[p] = router_dut_cnt(d, RCNT_SA, p);
  }
  out->err_route = router_dut_err(d, RERR_ROUTE);
  out->err_proto = router_dut_err(d, RERR_PROTO);
  out->err_ovf = router_dut_err(d, RERR_OVF);
  out->err_credit = router_dut_err(d, RERR_CREDIT);
}

/* End of run: every credit home, every error counter 0. */
static void side_final_audit(struct side *s, const struct topo *t, uint64_t cyc) {
  const unsigned k = t->k;
  for (unsigned r = 0; r < t->nr; r++) {
    for (unsigned p = 0; p < NPORT; p++) {
      int used = t->ep_at[r][p] >= 0;
      for (unsigned q = 0; q < t->nr && !used; q++)
        for (unsigned pp = 0; pp < NPORT; pp++)
          if (t->up_r[q][pp] == (int)r && t->up_p[q][pp] == (int)p) used = 1;
      if (!used) continue;
      for (unsigned v = 0; v < NVC; v++)
        if (s->held[r][p][v] != DEPTH)
          audit_error(s, "cycle %llu (after drain) router (%u,%u) output %s vc %u holds %d "
                      "credit(s), expected %u (a credit was %s)", (unsigned long long)cyc, r % k,
                      r / k, noc_port_name(p), v, s->held[r][p][v], DEPTH,
                      s->held[r][p][v] < DEPTH ? "lost" : "invented");
    }
  }
  for (unsigned e = 0; e < t->nep; e++)
    for (unsigned v = 0; v < NVC; v++)
      if (s->ag[e].cred[v] != DEPTH)
        audit_error(s, "cycle %llu (after drain) agent at router (%u,%u) input %s vc %u holds %d "
                    "credit(s), expected %u (a credit was %s)", (unsigned long long)cyc,
                    t->ep_r[e] % k, t->ep_r[e] / k, noc_port_name(t->ep_p[e]), v,
                    s->ag[e].cred[v], DEPTH, s->ag[e].cred[v] < DEPTH ? "lost" : "invented");
  for (unsigned r = 0; r < t->nr; r++) {
    noc_router_counters n;
    side_counters(s, t, r, &n);
    const uint32_t ev[4] = {n.err_route, n.err_proto, n.err_ovf, n.err_credit};
    static const char *const en[4] = {"err_route", "err_proto", "err_ovf", "err_credit"};
    for (unsigned i = 0; i < 4; i++)
      if (ev[i])
        audit_error(s, "cycle %llu router (%u,%u): %s = %u, expected 0", (unsigned long long)cyc,
                    r % k, r / k, en[i], ev[i]);
  }
  if (s->kind == MESH_MODEL) {
    char msg[256];
    if (noc_mesh_check_quiescent(s->m, msg, sizeof msg)) audit_error(s, "model: %s", msg);
  }
}

/* ---- cross-check ------------------------------------------------------------------- */

static const char *side_name(const struct side *s, char *buf, size_t n) {
  if (s->kind == MESH_MODEL && s->variant)
    snprintf(buf, n, "model variant %u", s->variant);
  else
    snprintf(buf, n, "%s", mesh_kind_name(s->kind));
  return buf;
}

static void describe_flit(char *buf, size_t n, const noc_flit *f) {
  if (!f) {
    snprintf(buf, n, "no flit");
    return;
  }
  if (f->head) {
    noc_header h;
    noc_header_unpack(f, &h);
    snprintf(buf, n, "vc %u head%s flit of packet (%u,%u,%u)->(%u,%u,%u) flow %u seq %u len %u, "
             "data[1] 0x%016llx", f->vc, f->tail ? "+tail" : "", h.src_chip, h.src_x, h.src_y,
             h.dst_chip, h.dst_x, h.dst_y, h.flow, h.seq, h.len, (unsigned long long)f->data[1]);
  } else {
    snprintf(buf, n, "vc %u %s flit, data[0] 0x%016llx data[1] 0x%016llx", f->vc,
             f->tail ? "tail" : "body", (unsigned long long)f->data[0],
             (unsigned long long)f->data[1]);
  }
}

static int flit_eq(const noc_flit *a, const noc_flit *b) {
  return a->head == b->head && a->tail == b->tail && a->vc == b->vc &&
         !memcmp(a->data, b->data, sizeof a->data);
}

/* Records the first mismatch (flit on output p, or credit return on input p,
 * of router r) in words. */
static void mismatch(struct mesh_result *res, const struct side *a, const struct side *b,
                     const struct topo *t, uint64_t cyc, unsigned r, unsigned p, int credit) {
  if (res->mismatches++) return;
  char na[32], nb[32], da[256], db[256];
  side_name(a, na, sizeof na);
  side_name(b, nb, sizeof nb);
  res->mm_cycle = cyc;
  res->mm_x = r % t->k;
  res->mm_y = r / t->k;
  res->mm_port = p;
  res->mm_credit = credit;
  if (credit) {
    int ca = a->cred[r][p], cb = b->cred[r][p];
    res->mm_vc = (unsigned)(ca >= 0 ? ca : cb);
    snprintf(da, sizeof da, ca >= 0 ? "credit vc %d" : "no credit", ca);
    snprintf(db, sizeof db, cb >= 0 ? "credit vc %d" : "no credit", cb);
    snprintf(res->first_mismatch, sizeof res->first_mismatch,
             "cycle %llu router (%u,%u) input %s credit return vc %u: expected (%s) %s; "
             "actual (%s) %s", (unsigned long long)cyc, res->mm_x, res->mm_y, noc_port_name(p),
             res->mm_vc, na, da, nb, db);
    return;
  }
  const noc_flit *xa = (a->ovalid[r] >> p) & 1u ? &a->out[r][p] : NULL;
  const noc_flit *xb = (b->ovalid[r] >> p) & 1u ? &b->out[r][p] : NULL;
  res->mm_vc = xa ? xa->vc : xb ? xb->vc : 0u;
  describe_flit(da, sizeof da, xa);
  describe_flit(db, sizeof db, xb);
  char dw[96] = "";
  if (xa && xb) {
    unsigned w = 0;
    while (w + 1 < NOC_FLIT_WORDS_MAX && xa->data[w] == xb->data[w]) w++;
    if (xa->data[w] != xb->data[w])
      snprintf(dw, sizeof dw, "; payload word %u: expected 0x%016llx, actual 0x%016llx", w,
               (unsigned long long)xa->data[w], (unsigned long long)xb->data[w]);
  }
  snprintf(res->first_mismatch, sizeof res->first_mismatch,
           "cycle %llu router (%u,%u) output %s vc %u: expected (%s) %s; actual (%s) %s%s",
           (unsigned long long)cyc, res->mm_x, res->mm_y, noc_port_name(p), res->mm_vc, na, da,
           nb, db, dw);
}

/* Flits of every router first, then credit returns: an arbitration
 * difference shows in both in the same cycle, and the flit is named. */
static void compare(struct mesh_result *res, const struct side *a, const struct side *b,
                    const struct topo *t, uint64_t cyc) {
  for (unsigned r = 0; r < t->nr; r++) {
    uint8_t va = a->ovalid[r], vb = b->ovalid[r];
    for (unsigned p = 0; p < NPORT; p++) {
      int fa = (va >> p) & 1;
      if (fa != ((vb >> p) & 1) || (fa && !flit_eq(&a->out[r][p], &b->out[r][p])))
        mismatch(res, a, b, t, cyc, r, p, 0);
    }
  }
  for (unsigned r = 0; r < t->nr; r++)
    for (unsigned p = 0; p < NPORT; p++)
      if (a->cred[r][p] != b->cred[r][p]) mismatch(res, a, b, t, cyc, r, p, 1);
}

static void compare_counters(struct mesh_result *res, struct side *a, struct side *b,
                             const struct topo *t, uint64_t cyc) {
  static const char *const names[9] = {"flits_in", "flits_out", "stall", "occ", "buf_wr",
                                       "buf_rd", "xbar", "va", "sa"};
  for (unsigned r = 0; r < t->nr; r++) {
    noc_router_counters ca, cb;
    side_counters(a, t, r, &ca);
    side_counters(b, t, r, &cb);
    const uint32_t *pa[9] = {ca.flits_in, ca.flits_out, ca.stall, ca.occ, ca.buf_wr,
                             ca.buf_rd, ca.xbar, ca.va, ca.sa};
    const uint32_t *pb[9] = {cb.flits_in, cb.flits_out, cb.stall, cb.occ, cb.buf_wr,
                             cb.buf_rd, cb.xbar, cb.va, cb.sa};
    for (unsigned i = 0; i < 9; i++)
      for (unsigned p = 0; p < NPORT; p++) {
        if (pa[i][p] == pb[i][p]) continue;
        if (res->counter_mismatches++ == 0)
          snprintf(res->first_counter, sizeof res->first_counter,
                   "cycle %llu router (%u,%u) counter cnt_%s port %s: expected %u, actual %u",
                   (unsigned long long)cyc, r % t->k, r / t->k, names[i], noc_port_name(p),
                   pa[i][p], pb[i][p]);
      }
    const uint32_t ea[4] = {ca.err_route, ca.err_proto, ca.err_ovf, ca.err_credit};
    const uint32_t eb[4] = {cb.err_route, cb.err_proto, cb.err_ovf, cb.err_credit};
    for (unsigned i = 0; i < 4; i++)
      if (ea[i] != eb[i] && res->counter_mismatches++ == 0)
        snprintf(res->first_counter, sizeof res->first_counter,
                 "cycle %llu router (%u,%u) error counter %u: expected %u, actual %u",
                 (unsigned long long)cyc, r % t->k, r / t->k, i, ea[i], eb[i]);
  }
}

/* ---- the run ------------------------------------------------------------------------ */

static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void mesh_cfg_default(struct mesh_cfg *c) {
  memset(c, 0, sizeof *c);
  c->k = 4;
  c->pattern = MESH_UNIFORM;
  c->rate = 0.2;
  c->seed = 1;
  c->len_min = 1;
  c->len_max = 8;
  c->hot_ep = MESH_HOT_DEFAULT;
  c->hot_frac = 0.25;
  c->cycles = 4096;
  c->drain_max = 200000;
  c->window = 1024;
  c->ref = MESH_MODEL;
  c->dut = MESH_RTL;
}

const char *mesh_pattern_name(enum mesh_pattern p) {
  static const char *const n[MESH_NPATTERN] = {"uniform", "transpose", "bitcomp", "hotspot"};
  return (unsigned)p < MESH_NPATTERN ? n[p] : "?";
}

const char *mesh_kind_name(enum mesh_kind k) {
  return k == MESH_MODEL ? "model" : k == MESH_RTL ? "RTL" : "none";
}

static int check_cfg(const struct mesh_cfg *c, char *err, size_t errlen) {
  if (c->k < 1 || c->k > MESH_K_MAX) {
    snprintf(err, errlen, "mesh: k = %u: must be 1..%u", c->k, MESH_K_MAX);
    return -1;
  }
  if ((unsigned)c->pattern >= MESH_NPATTERN) {
    snprintf(err, errlen, "mesh: pattern %d unknown", (int)c->pattern);
    return -1;
  }
  if (c->len_min < 1 || c->len_max > 8 || c->len_min > c->len_max) {
    snprintf(err, errlen, "mesh: packet length %u..%u: must be within 1..8", c->len_min,
             c->len_max);
    return -1;
  }
  double mean = 0.5 * (c->len_min + c->len_max);
  if (!(c->rate >= 0) || c->rate > mean) {
    snprintf(err, errlen, "mesh: rate %g: must be 0..%g (one packet per cycle)", c->rate, mean);
    return -1;
  }
  if (c->ref != MESH_MODEL && c->ref != MESH_RTL) {
    snprintf(err, errlen, "mesh: the expected side must be the model or the RTL");
    return -1;
  }
  if (c->warmup > c->cycles) {
    snprintf(err, errlen, "mesh: warmup %llu > cycles %llu", (unsigned long long)c->warmup,
             (unsigned long long)c->cycles);
    return -1;
  }
  if (c->fault.kind != MESH_FAULT_NONE &&
      (c->ref != MESH_RTL && c->dut != MESH_RTL)) {
    snprintf(err, errlen, "mesh: a fault needs an RTL side (it is injected in the RTL harness)");
    return -1;
  }
  if (c->fault.kind != MESH_FAULT_NONE &&
      (c->fault.x >= c->k || c->fault.y >= c->k || c->fault.port >= NPORT)) {
    snprintf(err, errlen, "mesh: fault at router (%u,%u) port %u is outside the mesh",
             c->fault.x, c->fault.y, c->fault.port);
    return -1;
  }
  return 0;
}

/* An FST window: router `r` of the RTL side from cycle `from`, into `path`. */
struct trace_req {
  int r;
  uint64_t from;
  const char *path;
};

static int run(const struct mesh_cfg *c, struct mesh_result *res, char *err, size_t errlen,
               const struct trace_req *tr) {
  memset(res, 0, sizeof *res);
  if (check_cfg(c, err, errlen)) return -1;
  struct topo *t = malloc(sizeof *t);
  struct side *sd[2] = {calloc(1, sizeof(struct side)), calloc(1, sizeof(struct side))};
  int rc = -1;
  if (!t || !sd[0] || !sd[1]) {
    snprintf(err, errlen, "mesh: out of memory");
    goto out;
  }
  topo_build(t, c->k);
  const unsigned nsides = c->dut == MESH_NONE ? 1u : 2u;
  const unsigned window = c->window ? c->window : 1024u;
  const unsigned hot = c->hot_ep != MESH_HOT_DEFAULT
                           ? c->hot_ep % t->nep
                           : (c->k == 1 ? (unsigned)NOC_PORT_E : (c->k / 2) * c->k + c->k / 2);
  const uint64_t limit = c->cycles + c->drain_max;
  const size_t nwin = (size_t)(limit / window + 2);
  res->nep = t->nep;
  res->window = window;
  for (unsigned i = 0; i < nsides; i++) {
    enum mesh_kind kind = i ? c->dut : c->ref;
    if (side_open(sd[i], t, kind, i ? c->dut_variant : c->ref_variant, err, errlen)) goto out;
    mesh_sb_set_measure(sd[i]->sb, c->warmup, c->cycles);
    sd[i]->win = calloc(nwin * t->nep, sizeof *sd[i]->win);
    if (!sd[i]->win) {
      snprintf(err, errlen, "mesh: out of memory");
      goto out;
    }
    for (unsigned e = 0; e < t->nep; e++) {
      /* a splitmix64 stream is one sequence read from a start point: start
       * points drawn at random are 2^64-periodic offsets far apart, whereas
       * seed + e would make agent e+1 replay agent e one draw later */
      uint64_t st = c->seed ^ ((uint64_t)e << 32);
      sd[i]->ag[e].rng = rng_next(&st);
      for (unsigned v = 0; v < NVC; v++) sd[i]->ag[e].cred[v] = DEPTH;
    }
  }
  /* the fault and the waves go to the RTL side (the one under test if both are) */
  const unsigned rtl_side = nsides == 2 && c->dut == MESH_RTL ? 1u : 0u;
  if (c->fault.kind != MESH_FAULT_NONE) sd[rtl_side]->fault_on = 1;
  sd[0]->trace_r = sd[1]->trace_r = -1;
  if (tr && sd[rtl_side]->kind == MESH_RTL) sd[rtl_side]->trace_r = tr->r;

  struct progress pr;
  progress_start(&pr, c->cycles, c->progress != 0);
  double t0 = progress_now(), c0 = cpu_now();
  uint64_t cyc = 0;
  unsigned quiet = 0;
  int stopped = 0; /* at the first mismatch */
  for (;; cyc++) {
    if (cyc >= c->cycles) {
      int idle = 1;
      for (unsigned i = 0; i < nsides; i++) idle &= side_idle(sd[i], t);
      /* after the last delivery, let the last credits travel home */
      if (idle && ++quiet > 4) {
        res->drained = 1;
        break;
      }
      if (cyc >= limit) break;
    }
    for (unsigned i = 0; i < nsides; i++) side_snapshot(sd[i], t);
    if (nsides == 2) {
      compare(res, sd[0], sd[1], t, cyc);
      if (cyc % window == 0 && cyc) compare_counters(res, sd[0], sd[1], t, cyc);
      if (res->mismatches && !c->keep_going) {
        stopped = 1;
        break;
      }
    }
    for (unsigned i = 0; i < nsides; i++) {
      if (sd[i]->trace_r >= 0 && cyc == tr->from &&
          router_dut_trace_open(sd[i]->d[sd[i]->trace_r], tr->path) == 0)
        snprintf(res->waves, sizeof res->waves, "%s", tr->path);
      side_cycle(sd[i], c, t, hot, cyc, window);
    }
    if (cyc < c->cycles) progress_tick(&pr, cyc); /* the drain has no known length */
  }
  res->seconds = progress_now() - t0;
  res->cpu_seconds = cpu_now() - c0;
  progress_end(&pr, cyc);
  res->cycles = cyc;
  for (unsigned i = 0; i < nsides; i++) side_snapshot(sd[i], t);
  if (nsides == 2) compare_counters(res, sd[0], sd[1], t, cyc);
  res->windows = (unsigned)((cyc + window - 1) / window);
  const uint64_t span = c->cycles - c->warmup;
  for (unsigned i = 0; i < nsides; i++) {
    struct side *s = sd[i];
    struct mesh_side_result *o = &res->side[i];
    /* a run stopped at a mismatch has not drained: no end-of-run checks */
    if (res->drained) side_final_audit(s, t, cyc);
    if (!stopped) mesh_sb_finish(s->sb);
    o->kind = s->kind;
    o->variant = s->variant;
    o->created = mesh_sb_created(s->sb);
    o->delivered = mesh_sb_delivered(s->sb);
    o->flits_created = s->flits_created;
    o->flits_delivered = s->flits_delivered;
    o->offered = span ? (double)s->flits_created / ((double)t->nep * (double)span) : 0;
    o->accepted = span ? (double)s->flits_delivered / ((double)t->nep * (double)span) : 0;
    mesh_sb_latency(s->sb, &o->lat);
    o->sb_errors = mesh_sb_errors(s->sb);
    snprintf(o->sb_first, sizeof o->sb_first, "%s", mesh_sb_first_error(s->sb));
    o->audit_errors = s->audit_errors;
    snprintf(o->audit_first, sizeof o->audit_first, "%s", s->audit_first);
    o->fault_cycle = s->fault_cycle;
    o->max_queue = s->max_queue;
    /* full windows inside [warmup, cycles) */
    unsigned w0 = (unsigned)((c->warmup + window - 1) / window), w1 = (unsigned)(c->cycles / window);
    o->win_min = INFINITY;
    double sum = 0;
    unsigned nw = 0;
    for (unsigned w = w0; w < w1; w++) {
      uint64_t f = 0;
      for (unsigned e = 0; e < t->nep; e++) f += s->win[(size_t)w * t->nep + e];
      double thr = (double)f / ((double)t->nep * window);
      sum += thr;
      nw++;
      if (thr < o->win_min) o->win_min = thr;
      if (thr > o->win_max) o->win_max = thr;
    }
    o->win_mean = nw ? sum / nw : 0;
    if (!nw) o->win_min = 0;
    res->win[i] = s->win;
    s->win = NULL;
  }
  if (nsides == 2) {
    for (size_t k = 0; k < (size_t)res->windows * t->nep; k++) {
      uint32_t x = res->win[0][k], y = res->win[1][k];
      uint64_t d = x > y ? x - y : y - x;
      if (d > res->win_dev_max) res->win_dev_max = d;
    }
  }
  rc = 0;
out:
  for (unsigned i = 0; i < 2; i++)
    if (sd[i]) {
      free(sd[i]->win);
      side_close(sd[i]);
      free(sd[i]);
    }
  free(t);
  return rc;
}

int mesh_run(const struct mesh_cfg *c, struct mesh_result *res, char *err, size_t errlen) {
  if (run(c, res, err, errlen, NULL)) return -1;
  if (!c->waves_dir || !res->mismatches || (c->ref != MESH_RTL && c->dut != MESH_RTL)) return 0;
  /* the run is deterministic: run it again with a window of waves */
  char path[320];
  snprintf(path, sizeof path, "%s/mesh%ux%u_%s_seed%llu_router%u_%u_cycle%llu.fst", c->waves_dir,
           c->k, c->k, mesh_pattern_name(c->pattern), (unsigned long long)c->seed, res->mm_x,
           res->mm_y, (unsigned long long)res->mm_cycle);
  struct trace_req tr = {(int)(res->mm_y * c->k + res->mm_x),
                         res->mm_cycle > 256 ? res->mm_cycle - 256 : 0, path};
  struct mesh_cfg c2 = *c;
  c2.keep_going = 0;
  struct mesh_result again;
  if (run(&c2, &again, err, errlen, &tr)) return -1;
  if (again.waves[0] && again.mm_cycle == res->mm_cycle) {
    snprintf(res->waves, sizeof res->waves, "%s", again.waves);
    size_t n = strlen(res->first_mismatch);
    /* wave time: 2 ticks per cycle, 2 reset cycles first */
    snprintf(res->first_mismatch + n, sizeof res->first_mismatch - n,
             " [waves: %s, cycle %llu at time %llu]", again.waves,
             (unsigned long long)res->mm_cycle, (unsigned long long)(2 * res->mm_cycle + 4));
  }
  mesh_result_free(&again);
  return 0;
}

void mesh_result_free(struct mesh_result *r) {
  free(r->win[0]);
  free(r->win[1]);
  r->win[0] = r->win[1] = NULL;
}

const char *mesh_result_why(const struct mesh_result *r) {
  if (r->mismatches) return r->first_mismatch;
  if (r->counter_mismatches) return r->first_counter;
  for (unsigned i = 0; i < 2; i++) {
    if (r->side[i].sb_errors) return r->side[i].sb_first;
    if (r->side[i].audit_errors) return r->side[i].audit_first;
  }
  if (!r->drained) return "not drained: packets still in flight when drain_max ran out";
  return "";
}

int mesh_result_ok(const struct mesh_result *r) { return mesh_result_why(r)[0] == 0; }

void mesh_result_print(FILE *f, const struct mesh_cfg *c, const struct mesh_result *r) {
  fprintf(f, "mesh %ux%u %s rate %.3f len %u..%u seed %llu: %llu cycles, %.2f s (%.1f kHz)\n",
          c->k, c->k, mesh_pattern_name(c->pattern), c->rate, c->len_min, c->len_max,
          (unsigned long long)c->seed, (unsigned long long)r->cycles, r->seconds,
          r->seconds > 0 ? (double)r->cycles / r->seconds / 1e3 : 0);
  for (unsigned i = 0; i < 2; i++) {
    const struct mesh_side_result *s = &r->side[i];
    if (s->kind == MESH_NONE) continue;
    char name[32];
    if (s->kind == MESH_MODEL && s->variant) snprintf(name, sizeof name, "model/v%u", s->variant);
    else snprintf(name, sizeof name, "%s", mesh_kind_name(s->kind));
    fprintf(f, "  %-9s packets %llu/%llu  offered %.3f accepted %.3f flits/ep/cycle "
            "(windows of %u: mean %.3f min %.3f max %.3f)  latency mean %.1f p50 %llu p99 %llu "
            "max %llu (n %llu)\n", name, (unsigned long long)s->delivered,
            (unsigned long long)s->created, s->offered, s->accepted, r->window, s->win_mean,
            s->win_min, s->win_max, s->lat.mean, (unsigned long long)s->lat.p50,
            (unsigned long long)s->lat.p99, (unsigned long long)s->lat.max,
            (unsigned long long)s->lat.n);
  }
  if (r->side[1].kind != MESH_NONE)
    fprintf(f, "  cross-check: %llu output/credit mismatches, %llu counter mismatches, largest "
            "window deviation %llu flits (tolerance 0)\n", (unsigned long long)r->mismatches,
            (unsigned long long)r->counter_mismatches, (unsigned long long)r->win_dev_max);
  const char *why = mesh_result_why(r);
  fprintf(f, "  verdict: %s%s\n", why[0] ? "FAIL: " : "pass", why);
}

void mesh_result_print_windows(FILE *f, const struct mesh_result *r) {
  const int two = r->side[1].kind != MESH_NONE;
  fprintf(f, "  %-15s %10s %7s%s\n", "window (cycles)", mesh_kind_name(r->side[0].kind),
          two ? mesh_kind_name(r->side[1].kind) : "", two ? "  max |diff| (flits, one endpoint)" : "");
  for (unsigned w = 0; w < r->windows; w++) {
    uint64_t fa = 0, fb = 0, dmax = 0;
    for (unsigned e = 0; e < r->nep; e++) {
      uint32_t x = r->win[0][(size_t)w * r->nep + e];
      fa += x;
      if (!two) continue;
      uint32_t y = r->win[1][(size_t)w * r->nep + e];
      fb += y;
      if ((x > y ? x - y : y - x) > dmax) dmax = x > y ? x - y : y - x;
    }
    char span[32];
    snprintf(span, sizeof span, "%u-%u", w * r->window, (w + 1) * r->window - 1);
    double den = (double)r->nep * r->window;
    if (two)
      fprintf(f, "  %-15s %10.3f %7.3f  %llu\n", span, (double)fa / den, (double)fb / den,
              (unsigned long long)dmax);
    else
      fprintf(f, "  %-15s %10.3f\n", span, (double)fa / den);
  }
}
