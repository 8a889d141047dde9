/*
 * test_noc_mesh.c - mesh-level tests of the router golden model
 * (docs/spec.md section 5): XY routing for every source/destination pair of
 * a 4x4 mesh (paths walked independently by the test), full throughput on an
 * uncontended path, credit flow against a slow consumer (no buffer ever
 * overflows), lost credits (detected at quiescence, and as a stall when all
 * are lost), and uniform random traffic delivering every flit exactly once,
 * in order per flow, intact. It prints the model's speed on a 4x4 mesh at
 * 0.3 flits/node/cycle.
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

#include "noc/noc_mesh.h"

/* ---- helpers -------------------------------------------------------------------- */

static noc_mesh *mkmesh(unsigned kx, unsigned ky, unsigned depth) {
    noc_mesh_config mc;
    memset(&mc, 0, sizeof mc);
    mc.kx = kx;
    mc.ky = ky;
    mc.router.buf_depth = depth;
    char err[200];
    noc_mesh *m = noc_mesh_new(&mc, err, sizeof err);
    if (!m) fail_msg("noc_mesh_new: %s", err);
    return m;
}

static uint64_t mix64(uint64_t x) { /* splitmix64 finaliser: payload check word */
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

typedef struct rng { uint64_t s; } rng;
static uint64_t rnd(rng *r) { /* xorshift64* */
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 2685821657736338717ull;
}
static unsigned rnd_below(rng *r, unsigned n) { return (unsigned)((rnd(r) >> 11) % n); }

static noc_flit pkt_flit(unsigned idx, unsigned len, unsigned vc, const noc_header *h, uint64_t id) {
    noc_flit f;
    memset(&f, 0, sizeof f);
    if (idx == 0) noc_header_pack(&f, h);
    else f.data[0] = mix64(id ^ 0x5555);
    f.data[1] = id;
    f.data[2] = mix64(id);
    f.head = idx == 0;
    f.tail = idx + 1 == len;
    f.vc = (uint8_t)vc;
    return f;
}

/* ---- XY routing for every pair of a 4x4 mesh -------------------------------------------- */

static void test_xy_all_pairs(void **state) {
    (void)state;
    const unsigned k = 4;
    noc_mesh *m = mkmesh(k, k, 0);
    unsigned pairs = 0;
    for (unsigned s = 0; s < k * k; s++) {
        for (unsigned d = 0; d < k * k; d++) {
            noc_mesh_reset(m);
            unsigned sx = s % k, sy = s / k, dx = d % k, dy = d / k;
            /* expected path, walked here: X first, then Y (y grows south) */
            unsigned exp_port[16];
            for (unsigned i = 0; i < 16; i++) exp_port[i] = NOC_NUM_PORTS; /* not on path */
            unsigned x = sx, y = sy, hops = 0;
            while (x != dx) {
                exp_port[y * k + x] = x < dx ? NOC_PORT_E : NOC_PORT_W;
                x = x < dx ? x + 1 : x - 1;
                hops++;
            }
            while (y != dy) {
                exp_port[y * k + x] = y < dy ? NOC_PORT_S : NOC_PORT_N;
                y = y < dy ? y + 1 : y - 1;
                hops++;
            }
            exp_port[dy * k + dx] = NOC_PORT_L;

            noc_header h = {.dst_x = dx, .dst_y = dy, .src_x = sx, .src_y = sy, .len = 2};
            uint64_t id = (uint64_t)s << 8 | d;
            unsigned arrivals = 0;
            for (unsigned c = 0; c < 40; c++) {
                for (unsigned n = 0; n < k * k; n++) {
                    const noc_flit *o = noc_mesh_out(m, n % k, n / k, NOC_PORT_L);
                    if (!o) continue;
                    if (n != d) fail_msg("(%u,%u)->(%u,%u): flit left at (%u,%u)", sx, sy, dx, dy,
                                         n % k, n / k);
                    /* head 2(H+1) cycles after injection, tail one later */
                    assert_int_equal(c, 2 * (hops + 1) + arrivals);
                    assert_int_equal(o->data[1], id + arrivals);
                    assert_int_equal(o->head, arrivals == 0);
                    assert_int_equal(o->tail, arrivals == 1);
                    assert_int_equal(noc_mesh_credit(m, n % k, n / k, NOC_PORT_L, o->vc), 0);
                    arrivals++;
                }
                if (c < 2) {
                    noc_flit f = pkt_flit(c, 2, (s + d) & 1, &h, id + c);
                    assert_int_equal(noc_mesh_inject(m, sx, sy, NOC_PORT_L, &f), 0);
                }
                noc_mesh_step(m);
            }
            assert_int_equal(arrivals, 2);
            /* the routers and output ports the model used: exactly the walk */
            for (unsigned n = 0; n < k * k; n++) {
                const noc_router_counters *c = noc_router_get_counters(noc_mesh_router(m, n % k, n / k));
                for (unsigned p = 0; p < NOC_NUM_PORTS; p++) {
                    unsigned want = exp_port[n] == p ? 2 : 0;
                    if (c->xbar[p] != want)
                        fail_msg("(%u,%u)->(%u,%u): router (%u,%u) output %s carried %u flits, "
                                 "expected %u", sx, sy, dx, dy, n % k, n / k, noc_port_name(p),
                                 c->xbar[p], want);
                }
            }
            char msg[300];
            if (noc_mesh_check_quiescent(m, msg, sizeof msg)) fail_msg("%s", msg);
            pairs++;
        }
    }
    assert_int_equal(pairs, 256);
    noc_mesh_free(m);
}

/* ---- throughput on an uncontended path ------------------------------------------------- */

/*
 * A straight path (0,0) -> (3,0) on a 4x1 mesh. The source at (0,0).L sends
 * `npkt` packets of `len` flits back to back whenever it holds a credit,
 * putting packet j on VC (alternate ? j % 2 : 0). The sink at (3,0).L
 * behaves like a router input: a flit on the output in cycle t is credited
 * back in cycle t + 2. Returns the cycle of the first and last arrival.
 */
static void run_path(unsigned depth, unsigned npkt, unsigned len, int alternate, unsigned *first,
                     unsigned *last, unsigned *count) {
    noc_mesh *m = mkmesh(4, 1, depth);
    int cred[2] = {(int)depth, (int)depth};
    unsigned sent = 0, total = npkt * len, got = 0;
    int pend_vc[2] = {-1, -1}; /* sink credit pipeline: [0] due next cycle, [1] due in 2 */
    noc_header h = {.dst_x = 3, .dst_y = 0, .len = len};
    for (unsigned c = 0; got < total && c < 100000; c++) {
        if (pend_vc[0] >= 0) assert_int_equal(noc_mesh_credit(m, 3, 0, NOC_PORT_L, (unsigned)pend_vc[0]), 0);
        pend_vc[0] = pend_vc[1];
        pend_vc[1] = -1;
        const noc_flit *o = noc_mesh_out(m, 3, 0, NOC_PORT_L);
        if (o) {
            assert_int_equal(o->data[1], got); /* in order */
            if (got == 0) *first = c;
            *last = c;
            got++;
            pend_vc[1] = o->vc;
        }
        if (sent < total) {
            unsigned j = sent / len, vc = alternate ? j % 2 : 0;
            if (cred[vc] > 0) {
                noc_flit f = pkt_flit(sent % len, len, vc, &h, sent);
                assert_int_equal(noc_mesh_inject(m, 0, 0, NOC_PORT_L, &f), 0);
                cred[vc]--;
                sent++;
            }
        }
        int back = noc_mesh_credit_out(m, 0, 0, NOC_PORT_L);
        if (back >= 0) cred[back]++;
        noc_mesh_step(m);
    }
    *count = got;
    char msg[300];
    for (int k = 0; k < 4; k++) { /* let the last credits return */
        if (pend_vc[0] >= 0) assert_int_equal(noc_mesh_credit(m, 3, 0, NOC_PORT_L, (unsigned)pend_vc[0]), 0);
        pend_vc[0] = pend_vc[1];
        pend_vc[1] = -1;
        noc_mesh_step(m);
    }
    if (noc_mesh_check_quiescent(m, msg, sizeof msg)) fail_msg("%s", msg);
    noc_router_counters sum;
    noc_mesh_sum_counters(m, &sum);
    assert_int_equal(sum.err_ovf + sum.err_credit + sum.err_proto + sum.err_route, 0);
    noc_mesh_free(m);
}

static void test_full_throughput(void **state) {
    (void)state;
    unsigned first, last, n;
    /* 8-flit packets on one VC: 1 flit/cycle, no bubble between packets */
    run_path(4, 50, 8, 0, &first, &last, &n);
    assert_int_equal(n, 400);
    assert_int_equal(first, 8); /* 2 (H + 1), H = 3 */
    assert_int_equal(last - first + 1, 400);
    /* one-flit packets: a VC allocation every cycle, still 1 flit/cycle */
    run_path(4, 300, 1, 0, &first, &last, &n);
    assert_int_equal(last - first + 1, 300);
    /* alternating VCs */
    run_path(4, 60, 5, 1, &first, &last, &n);
    assert_int_equal(last - first + 1, 300);
    /* BufDepth 3 cannot cover the 4-cycle credit round trip (spec 5.6): 3 flits
     * per 4 cycles */
    run_path(3, 100, 3, 0, &first, &last, &n);
    assert_int_equal(n, 300);
    unsigned span = last - first + 1;
    assert_true(span >= 397 && span <= 401);
}

/* ---- credit flow against a slow consumer; lost credits --------------------------------- */

/* Sink at (2,0).L holding a real 4-flit FIFO per VC, draining one flit every
 * `period` cycles and returning the credit the cycle after; the source at
 * (0,0).L sends 2 VCs at full rate. Returns the sink's largest occupancy. */
static unsigned run_slow_sink(noc_mesh *m, unsigned flits, unsigned period, unsigned max_cycles,
                              unsigned *delivered, unsigned *cycles) {
    unsigned occ[2] = {0, 0}, maxocc = 0, got = 0, sent = 0;
    int cred[2] = {4, 4};
    int credit_next = -1;
    uint32_t next_id[2] = {0, 1};
    noc_header h = {.dst_x = 2, .dst_y = 0, .len = 1};
    unsigned c = 0;
    for (; c < max_cycles && got < flits; c++) {
        if (credit_next >= 0) assert_int_equal(noc_mesh_credit(m, 2, 0, NOC_PORT_L, (unsigned)credit_next), 0);
        credit_next = -1;
        const noc_flit *o = noc_mesh_out(m, 2, 0, NOC_PORT_L);
        /* drain first (the FIFO pops the flit that was there at the start) */
        if (c % period == 0) {
            unsigned v = occ[0] >= occ[1] ? 0 : 1;
            if (occ[v]) {
                occ[v]--;
                got++;
                credit_next = (int)v;
            }
        }
        if (o) {
            assert_int_equal(o->data[1], next_id[o->vc]); /* in order per VC */
            next_id[o->vc] += 2;
            occ[o->vc]++;
            if (occ[o->vc] > 4) fail_msg("cycle %u: sink VC %u holds %u flits > 4", c, o->vc, occ[o->vc]);
            if (occ[o->vc] > maxocc) maxocc = occ[o->vc];
        }
        if (sent < flits && cred[sent % 2] > 0) {
            noc_flit f = pkt_flit(0, 1, sent % 2, &h, sent);
            assert_int_equal(noc_mesh_inject(m, 0, 0, NOC_PORT_L, &f), 0);
            cred[sent % 2]--;
            sent++;
        }
        int back = noc_mesh_credit_out(m, 0, 0, NOC_PORT_L);
        if (back >= 0) cred[back]++;
        noc_mesh_step(m);
    }
    if (credit_next >= 0) assert_int_equal(noc_mesh_credit(m, 2, 0, NOC_PORT_L, (unsigned)credit_next), 0);
    for (int k = 0; k < 4; k++) noc_mesh_step(m);
    *delivered = got;
    *cycles = c;
    return maxocc;
}

static void test_credit_flow(void **state) {
    (void)state;
    noc_mesh *m = mkmesh(3, 1, 4);
    unsigned got, cycles;
    unsigned maxocc = run_slow_sink(m, 600, 3, 10000, &got, &cycles);
    assert_int_equal(got, 600);
    assert_int_equal(maxocc, 4);            /* credits filled the sink exactly */
    assert_true(cycles >= 1790 && cycles <= 1830); /* the sink's rate, 1 per 3 cycles */
    noc_router_counters sum;
    noc_mesh_sum_counters(m, &sum);
    assert_int_equal(sum.err_ovf, 0);
    assert_true(sum.stall[NOC_PORT_L] > 0); /* back pressure reached the source */
    char msg[300];
    if (noc_mesh_check_quiescent(m, msg, sizeof msg)) fail_msg("%s", msg);
    noc_mesh_free(m);
}

/* Negative: one credit lost on the link (1,0).W -> (0,0).E. Traffic still
 * gets through (3 credits left), but the quiescence check names the loss. */
static void test_lost_credit_detected(void **state) {
    (void)state;
    noc_mesh *m = mkmesh(3, 1, 4);
    assert_int_equal(noc_mesh_lose_credit(m, 1, 0, NOC_PORT_W), 0);
    unsigned got, cycles;
    run_slow_sink(m, 100, 1, 10000, &got, &cycles);
    assert_int_equal(got, 100);
    char msg[300];
    assert_int_not_equal(noc_mesh_check_quiescent(m, msg, sizeof msg), 0);
    assert_non_null(strstr(msg, "router (0,0)"));
    assert_non_null(strstr(msg, "output E"));
    assert_non_null(strstr(msg, "holds 3 credit(s), expected 4"));
    assert_non_null(strstr(msg, "lost"));
    noc_mesh_free(m);
}

/* Negative: every credit of VC 0 and VC 1 lost on that link: the upstream
 * router stalls for good. The test's progress watchdog (no flit delivered for
 * 500 cycles while flits are buffered) detects it, and the stall counter of
 * the blocked input grows every cycle. */
static void test_lost_credits_stall(void **state) {
    (void)state;
    noc_mesh *m = mkmesh(3, 1, 4);
    for (int k = 0; k < 8; k++) assert_int_equal(noc_mesh_lose_credit(m, 1, 0, NOC_PORT_W), 0);
    unsigned got, cycles;
    run_slow_sink(m, 100, 1, 3000, &got, &cycles);
    assert_true(got < 100);
    /* watchdog */
    noc_router *r00 = noc_mesh_router(m, 0, 0);
    uint32_t xbar0 = noc_router_get_counters(r00)->xbar[NOC_PORT_E];
    uint32_t st0 = noc_router_get_counters(r00)->stall[NOC_PORT_L];
    for (int k = 0; k < 500; k++) noc_mesh_step(m);
    assert_true(noc_router_flits_buffered(r00) > 0);
    assert_int_equal(noc_router_get_counters(r00)->xbar[NOC_PORT_E], xbar0); /* no progress */
    assert_int_equal(noc_router_get_counters(r00)->stall[NOC_PORT_L], st0 + 500);
    assert_int_equal(noc_router_credits(r00, NOC_PORT_E, 0), 0);
    assert_int_equal(noc_router_credits(r00, NOC_PORT_E, 1), 0);
    char msg[300];
    assert_int_not_equal(noc_mesh_check_quiescent(m, msg, sizeof msg), 0);
    noc_mesh_free(m);
}

/* ---- uniform random traffic ---------------------------------------------------------------- */

#define NFLOW 16 /* flow id = destination node: per-flow order is only defined on one path */
#define QCAP 4096

typedef struct pkt { uint8_t dst, flow, len; uint16_t seq; uint32_t born; } pkt;

typedef struct node {
    pkt q[QCAP];
    unsigned qh, qn;     /* generated packets waiting */
    unsigned idx;        /* next flit of q[qh] */
    int cred[2];
    uint16_t seq[NFLOW]; /* next seq per flow */
    int credit_next;     /* sink: credit to return next cycle */
    uint64_t gen_flits;
} node;

typedef struct sb_flow { uint16_t seq; uint8_t idx, len; } sb_flow; /* next expected; length of the open packet */

typedef struct traffic {
    unsigned k, n;
    node *nodes;
    sb_flow *sb;        /* [src * NFLOW + flow] */
    rng r;
    uint64_t delivered, lat_sum, pkts_done;
    char err[300];
} traffic;

static uint64_t flit_id(unsigned src, unsigned flow, unsigned seq, unsigned idx) {
    return (uint64_t)src << 40 | (uint64_t)flow << 32 | (uint64_t)seq << 8 | idx;
}

/*
 * One cycle of the agents around the mesh: sinks check and credit, sources
 * generate (if gen) and send. Returns 0, or -1 with t->err set on a
 * scoreboard failure.
 */
static int traffic_cycle(traffic *t, noc_mesh *m, double pkt_prob, int gen, uint32_t now) {
    const unsigned k = t->k;
    for (unsigned d = 0; d < t->n; d++) {
        node *nd = &t->nodes[d];
        unsigned x = d % k, y = d / k;
        if (nd->credit_next >= 0) (void)noc_mesh_credit(m, x, y, NOC_PORT_L, (unsigned)nd->credit_next);
        nd->credit_next = -1;
        const noc_flit *o = noc_mesh_out(m, x, y, NOC_PORT_L);
        if (o) {
            uint64_t id = o->data[1];
            unsigned src = (unsigned)(id >> 40), flow = (unsigned)(id >> 32) & 0xFF;
            unsigned seq = (unsigned)(id >> 8) & 0xFFFF, idx = (unsigned)id & 0xFF;
            if (src >= t->n || flow >= NFLOW) {
                snprintf(t->err, sizeof t->err, "cycle %u: node %u: corrupt id %llx", now, d,
                         (unsigned long long)id);
                return -1;
            }
            sb_flow *f = &t->sb[src * NFLOW + flow];
            if (seq != f->seq || idx != f->idx) {
                snprintf(t->err, sizeof t->err, "cycle %u: node %u: flow (%u,%u): got seq %u flit %u, "
                         "expected seq %u flit %u (lost, duplicated or reordered)", now, d, src, flow,
                         seq, idx, f->seq, f->idx);
                return -1;
            }
            if (o->data[2] != mix64(id) || o->vc != flow % 2) {
                snprintf(t->err, sizeof t->err, "cycle %u: node %u: flit %llx corrupted or on vc %u",
                         now, d, (unsigned long long)id, o->vc);
                return -1;
            }
            if (o->head) {
                noc_header h;
                noc_header_unpack(o, &h);
                if (h.dst_x != x || h.dst_y != y || h.src_x != src % k || h.src_y != src / k ||
                    h.seq != seq || h.flow != flow) {
                    snprintf(t->err, sizeof t->err, "cycle %u: node %u: head of (%u,%u,%u) misdelivered",
                             now, d, src, flow, seq);
                    return -1;
                }
                f->len = (uint8_t)h.len; /* remembered until the tail */
                f->idx = 1;
            } else {
                f->idx++;
            }
            if (o->tail) {
                if (f->idx != f->len) {
                    snprintf(t->err, sizeof t->err, "cycle %u: node %u: flow (%u,%u) seq %u ended "
                             "after %u flits, header said %u", now, d, src, flow, seq, f->idx, f->len);
                    return -1;
                }
                f->seq++;
                f->idx = 0;
                t->lat_sum += now - (uint32_t)o->data[3];
                t->pkts_done++;
            }
            t->delivered++;
            nd->credit_next = o->vc;
        }
    }
    for (unsigned s = 0; s < t->n; s++) {
        node *nd = &t->nodes[s];
        if (gen && (double)(rnd(&t->r) >> 11) * (1.0 / 9007199254740992.0) < pkt_prob) {
            if (nd->qn == QCAP) {
                snprintf(t->err, sizeof t->err, "node %u: source queue full (offered load too high)", s);
                return -1;
            }
            pkt *p = &nd->q[(nd->qh + nd->qn) % QCAP];
            unsigned dst;
            do dst = rnd_below(&t->r, t->n);
            while (dst == s);
            p->dst = (uint8_t)dst;
            p->flow = (uint8_t)dst;
            p->len = (uint8_t)(1 + rnd_below(&t->r, 8));
            p->seq = nd->seq[p->flow]++;
            p->born = now;
            nd->qn++;
            nd->gen_flits += p->len;
        }
        if (nd->qn) {
            pkt *p = &nd->q[nd->qh];
            unsigned vc = p->flow % 2;
            if (nd->cred[vc] > 0) {
                noc_header h = {.dst_x = p->dst % k, .dst_y = p->dst / k, .src_x = s % k,
                                .src_y = s / k, .flow = p->flow, .seq = p->seq, .len = p->len};
                noc_flit f = pkt_flit(nd->idx, p->len, vc, &h, flit_id(s, p->flow, p->seq, nd->idx));
                f.data[3] = p->born;
                if (noc_mesh_inject(m, s % k, s / k, NOC_PORT_L, &f)) {
                    snprintf(t->err, sizeof t->err, "%s", noc_mesh_error(m));
                    return -1;
                }
                nd->cred[vc]--;
                if (++nd->idx == p->len) {
                    nd->idx = 0;
                    nd->qh = (nd->qh + 1) % QCAP;
                    nd->qn--;
                }
            }
        }
        int back = noc_mesh_credit_out(m, s % k, s / k, NOC_PORT_L);
        if (back >= 0) nd->cred[back]++;
    }
    return 0;
}

static traffic *traffic_new(unsigned k, uint64_t seed) {
    traffic *t = calloc(1, sizeof *t);
    assert_non_null(t);
    t->k = k;
    t->n = k * k;
    t->nodes = calloc(t->n, sizeof *t->nodes);
    t->sb = calloc((size_t)t->n * NFLOW, sizeof *t->sb);
    assert_non_null(t->nodes);
    assert_non_null(t->sb);
    for (unsigned i = 0; i < t->n; i++) {
        t->nodes[i].cred[0] = t->nodes[i].cred[1] = 4;
        t->nodes[i].credit_next = -1;
    }
    t->r.s = seed;
    return t;
}

static void traffic_free(traffic *t) {
    free(t->nodes);
    free(t->sb);
    free(t);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Uniform random traffic at `load` flits/node/cycle for `cycles` cycles, then
 * drain; checks everything and reports. */
static void run_uniform(unsigned k, double load, unsigned cycles, uint64_t seed, int report) {
    noc_mesh *m = mkmesh(k, k, 4);
    traffic *t = traffic_new(k, seed);
    const double pkt_prob = load / 4.5; /* mean packet length (1..8) is 4.5 flits */
    double t0 = now_s(), model = 0;
    uint32_t c = 0;
    for (; c < cycles; c++) {
        if (traffic_cycle(t, m, pkt_prob, 1, c)) fail_msg("%s", t->err);
        double a = now_s();
        noc_mesh_step(m);
        model += now_s() - a;
    }
    double t1 = now_s();
    uint64_t gen = 0;
    for (unsigned i = 0; i < t->n; i++) gen += t->nodes[i].gen_flits;
    uint64_t delivered_in_window = t->delivered;
    for (uint32_t d = 0; d < 20000 && t->delivered < gen; d++, c++) {
        if (traffic_cycle(t, m, 0, 0, c)) fail_msg("%s", t->err);
        noc_mesh_step(m);
    }
    for (int i = 0; i < 4; i++, c++) { /* last credits */
        if (traffic_cycle(t, m, 0, 0, c)) fail_msg("%s", t->err);
        noc_mesh_step(m);
    }
    assert_int_equal(t->delivered, gen); /* every flit, exactly once (in order: checked per flit) */
    for (unsigned s = 0; s < t->n; s++)
        for (unsigned f = 0; f < NFLOW; f++)
            assert_int_equal(t->sb[s * NFLOW + f].seq, t->nodes[s].seq[f]);
    char msg[300];
    if (noc_mesh_check_quiescent(m, msg, sizeof msg)) fail_msg("%s", msg);
    noc_router_counters sum;
    noc_mesh_sum_counters(m, &sum);
    assert_int_equal(sum.err_ovf + sum.err_credit + sum.err_proto + sum.err_route, 0);
    if (report) {
        printf("    %ux%u mesh, offered %.2f flits/node/cycle: accepted %.3f, mean packet latency "
               "%.1f cycles, %llu flits\n", k, k, load,
               (double)delivered_in_window / cycles / t->n,
               (double)t->lat_sum / (double)t->pkts_done, (unsigned long long)t->delivered);
        printf("    speed: mesh model alone (noc_mesh_step) %.0f cycles/s; with traffic agents "
               "and scoreboard %.0f cycles/s\n", cycles / model, cycles / (t1 - t0));
    }
    traffic_free(t);
    noc_mesh_free(m);
}

static void test_uniform_random(void **state) {
    (void)state;
    run_uniform(4, 0.3, 20000, 0x1234567ull, 1);
    run_uniform(4, 0.3, 5000, 0xfeedfaceull, 0);
    run_uniform(3, 0.5, 5000, 42, 0);
    run_uniform(4, 0.6, 5000, 7, 1); /* near saturation: back pressure everywhere */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xy_all_pairs),
        cmocka_unit_test(test_full_throughput),
        cmocka_unit_test(test_credit_flow),
        cmocka_unit_test(test_lost_credit_detected),
        cmocka_unit_test(test_lost_credits_stall),
        cmocka_unit_test(test_uniform_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
