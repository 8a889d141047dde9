/*
 * test_noc_router.c - unit tests of the router golden model (csim/noc/)
 * against docs/spec.md section 5: the worked examples of 5.10, two crafted
 * contention patterns whose grant sequences are derived by hand from the
 * rules of 5.5 (one comment per step), route-table routing and drops,
 * protocol/overflow/credit errors, configuration errors, the X-port adapter
 * (5.9), and negative tests: deliberately wrong arbitration variants must be
 * caught by the same checker.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "noc/noc_mesh.h"
#include "noc/noc_router.h"
#include "noc/noc_xadapt.h"

/* ---- helpers ------------------------------------------------------------------ */

/* A flit whose payload word 1 carries a test id; head flits get a header
 * with destination (chip, x, y). */
static noc_flit mkflit(int head, int tail, unsigned vc, unsigned chip, unsigned x, unsigned y,
                       uint64_t id) {
    noc_flit f;
    memset(&f, 0, sizeof f);
    if (head) {
        noc_header h = {.dst_x = x, .dst_y = y, .dst_chip = chip, .len = 1};
        noc_header_pack(&f, &h);
    }
    f.data[1] = id;
    f.data[2] = ~id;
    f.head = (uint8_t)head;
    f.tail = (uint8_t)tail;
    f.vc = (uint8_t)vc;
    return f;
}

/* One expected or observed output: flit `id` on output `port`, VC `vc`, in
 * cycle `cycle`. */
typedef struct ev {
    unsigned cycle, port, vc;
    uint64_t id;
} ev;

/* One scheduled input: flit on input `port` in cycle `cycle`. */
typedef struct stim {
    unsigned cycle, port;
    noc_flit f;
} stim;

#define MAXEV 64

/*
 * Runs one router for `cycles` cycles with the given stimulus; every output
 * flit is credited back in the cycle it appears (an ideal downstream), and
 * every output flit is recorded. Returns the number of events.
 */
static unsigned run_router(noc_router *r, const stim *s, unsigned ns, unsigned cycles, ev *out) {
    unsigned n = 0;
    for (unsigned c = 0; c < cycles; c++) {
        assert_int_equal(noc_router_cycle(r), c);
        for (unsigned p = 0; p < NOC_NUM_PORTS; p++) {
            const noc_flit *f = noc_router_out(r, p);
            if (!f) continue;
            assert_true(n < MAXEV);
            out[n].cycle = c;
            out[n].port = p;
            out[n].vc = f->vc;
            out[n].id = f->data[1];
            n++;
            assert_int_equal(noc_router_credit(r, p, f->vc), 0);
        }
        for (unsigned k = 0; k < ns; k++)
            if (s[k].cycle == c) assert_int_equal(noc_router_inject(r, s[k].port, &s[k].f), 0);
        noc_router_step(r);
    }
    return n;
}

/* The checker: every expected event observed and nothing else. Returns 0
 * or -1 with a message naming the first difference (cycle, port, expected,
 * actual). */
static int compare_events(const ev *exp, unsigned ne, const ev *got, unsigned ng, char *msg,
                          size_t len) {
    unsigned i = 0;
    for (; i < ne && i < ng; i++) {
        if (exp[i].cycle != got[i].cycle || exp[i].port != got[i].port || exp[i].vc != got[i].vc ||
            exp[i].id != got[i].id) {
            snprintf(msg, len, "event %u: expected flit %llu on %s vc %u in cycle %u, got flit %llu "
                     "on %s vc %u in cycle %u", i, (unsigned long long)exp[i].id,
                     noc_port_name(exp[i].port), exp[i].vc, exp[i].cycle,
                     (unsigned long long)got[i].id, noc_port_name(got[i].port), got[i].vc,
                     got[i].cycle);
            return -1;
        }
    }
    if (ne != ng) {
        snprintf(msg, len, "expected %u events, got %u (first extra/missing at index %u)", ne, ng, i);
        return -1;
    }
    return 0;
}

static noc_router *mkrouter(unsigned variant) {
    noc_router_config c;
    memset(&c, 0, sizeof c);
    c.my_chip = 0;
    c.my_x = 1;
    c.my_y = 1;
    c.variant = variant;
    char err[200];
    noc_router *r = noc_router_new(&c, err, sizeof err);
    if (!r) fail_msg("noc_router_new: %s", err);
    return r;
}

/* destinations seen from router (1,1) of chip 0 */
#define TO_E 0, 2, 1
#define TO_S 0, 1, 2

/* ---- spec 5.10 example 1: zero load, one hop ------------------------------------------ */

static void test_example1_zero_load(void **state) {
    (void)state;
    noc_mesh_config mc;
    memset(&mc, 0, sizeof mc);
    mc.kx = 3;
    mc.ky = 2;
    char err[200];
    noc_mesh *m = noc_mesh_new(&mc, err, sizeof err);
    assert_non_null(m);
    noc_flit f = mkflit(1, 1, 0, 0, 2, 1, 77);
    int seen_e = 0, seen_l = 0, seen_cr = 0;
    for (unsigned c = 0; c < 120; c++) {
        assert_int_equal(noc_mesh_cycle(m), c);
        const noc_flit *oe = noc_mesh_out(m, 1, 1, NOC_PORT_E);
        const noc_flit *ol = noc_mesh_out(m, 2, 1, NOC_PORT_L);
        int cr = noc_mesh_credit_out(m, 1, 1, NOC_PORT_L);
        if (oe) {
            assert_int_equal(c, 102); /* on R(1,1).E in cycle 102 */
            assert_int_equal(oe->vc, 0);
            assert_int_equal(oe->data[1], 77);
            seen_e++;
        }
        if (cr >= 0) {
            assert_int_equal(c, 102); /* credit for R(1,1).L vc 0 in cycle 102 */
            assert_int_equal(cr, 0);
            seen_cr++;
        }
        if (ol) {
            assert_int_equal(c, 104); /* on R(2,1).L in cycle 104 = 100 + 2(1+1) */
            assert_int_equal(ol->data[1], 77);
            assert_int_equal(ol->data[2], ~(uint64_t)77);
            assert_int_equal(noc_mesh_credit(m, 2, 1, NOC_PORT_L, ol->vc), 0);
            seen_l++;
        }
        if (c == 100) assert_int_equal(noc_mesh_inject(m, 1, 1, NOC_PORT_L, &f), 0);
        noc_mesh_step(m);
    }
    assert_int_equal(seen_e, 1);
    assert_int_equal(seen_l, 1);
    assert_int_equal(seen_cr, 1);
    assert_int_equal(noc_mesh_check_quiescent(m, err, sizeof err), 0);
    noc_mesh_free(m);
}

/* ---- spec 5.10 example 2: output contention -------------------------------------------- */

static void test_example2_contention(void **state) {
    (void)state;
    noc_router *r = mkrouter(NOC_VARIANT_SPEC);
    /* W (3) and L (4): a two-flit packet each on VC 0 to E, flits in cycles 0, 1 */
    const stim s[] = {
        {0, NOC_PORT_W, mkflit(1, 0, 0, TO_E, 30)}, {1, NOC_PORT_W, mkflit(0, 1, 0, TO_E, 31)},
        {0, NOC_PORT_L, mkflit(1, 0, 0, TO_E, 40)}, {1, NOC_PORT_L, mkflit(0, 1, 0, TO_E, 41)},
    };
    /* As the spec's example says: W-head, W-tail, L-head, L-tail in 2..5. */
    const ev exp[] = {
        {2, NOC_PORT_E, 0, 30}, {3, NOC_PORT_E, 0, 31}, {4, NOC_PORT_E, 0, 40}, {5, NOC_PORT_E, 0, 41},
    };
    ev got[MAXEV];
    unsigned n = run_router(r, s, 4, 10, got);
    char msg[300];
    if (compare_events(exp, 4, got, n, msg, sizeof msg)) fail_msg("%s", msg);
    const noc_router_counters *c = noc_router_get_counters(r);
    assert_int_equal(c->stall[NOC_PORT_L], 2); /* cycles 1 and 2 */
    assert_int_equal(c->stall[NOC_PORT_W], 0);
    assert_int_equal(c->va[NOC_PORT_E], 2);
    assert_int_equal(c->sa[NOC_PORT_E], 4);
    assert_int_equal(c->xbar[NOC_PORT_E], 4);
    assert_int_equal(c->flits_out[NOC_PORT_E], 4);
    assert_int_equal(c->buf_wr[NOC_PORT_W] + c->buf_wr[NOC_PORT_L], 4);
    /* occupancy: W holds 1,1,0 (cycles 1,2,3); L holds 1,2,2,1 (1..4) */
    assert_int_equal(c->occ[NOC_PORT_W], 2);
    assert_int_equal(c->occ[NOC_PORT_L], 6);
    assert_int_equal(noc_router_check_quiescent(r, msg, sizeof msg), 0);
    noc_router_free(r);
}

/* ---- crafted pattern A: VC allocation (hand-derived from spec 5.5) ------------------------ */


/*
 * Router (1,1), chip 0, ideal downstream, all pointers 0 after reset.
 * Inputs N (0), W (3), L (4); every packet is one flit (head = tail = 1).
 * Arrivals:
 *   cycle 0: N vc0 -> E (id 100), W vc0 -> E (id 300), L vc1 -> E (id 401)
 *   cycle 1: N vc1 -> S (id 101), W vc0 -> E (id 301), L vc0 -> E (id 400)
 */
static unsigned pattern_a(stim *s) {
    unsigned n = 0;
    s[n++] = (stim){0, NOC_PORT_N, mkflit(1, 1, 0, TO_E, 100)};
    s[n++] = (stim){0, NOC_PORT_W, mkflit(1, 1, 0, TO_E, 300)};
    s[n++] = (stim){0, NOC_PORT_L, mkflit(1, 1, 1, TO_E, 401)};
    s[n++] = (stim){1, NOC_PORT_N, mkflit(1, 1, 1, TO_S, 101)};
    s[n++] = (stim){1, NOC_PORT_W, mkflit(1, 1, 0, TO_E, 301)};
    s[n++] = (stim){1, NOC_PORT_L, mkflit(1, 1, 0, TO_E, 400)};
    return n;
}

/*
 * Expected, step by step (spec 5.5; "ptr" values are before the cycle):
 * cycle 1: buffers N.0=[100] W.0=[300] L.1=[401], all IDLE.
 *   VA (E,0): requesters N(0), W(3); va_ptr=0 -> N; va_ptr[E][0]=1.
 *   VA (E,1): requester L(4) -> L; va_ptr[E][1]=5.
 *   SA in: N picks vc0 (VA-granted now); W none (lost VA); L picks vc1.
 *   SA out E: N(0), L(4); sa_out_ptr[E]=0 -> N; ptr=1. L refused, its
 *   sa_in_ptr stays 0. 100 leaves; its tail frees (E,0).
 * cycle 2: out E = 100. Buffers N.1=[101] W.0=[300,301] L.0=[400] L.1=[401] (ACTIVE).
 *   VA (S,1): N -> granted. VA (E,0): W(3), L(4); va_ptr=1 -> W; va_ptr=4.
 *   SA in: N vc1 (S); W vc0 (E); L: only vc1 is a candidate (vc0 lost VA).
 *   SA out E: W(3), L(4); ptr=1 -> W; ptr=4. SA out S: N. L refused again.
 *   300 frees (E,0).
 * cycle 3: out E = 300 (vc0), out S = 101 (vc1).
 *   VA (E,0): W(3), L(4); va_ptr=4 -> L; va_ptr=5.
 *   SA in: W none (lost VA); L: vc0 (granted now) and vc1; sa_in_ptr[L]=0 -> vc0.
 *   SA out E: L only -> granted; ptr=5; sa_in_ptr[L]=1. 400 frees (E,0).
 * cycle 4: out E = 400.
 *   VA (E,0): W(3); va_ptr=5 wraps -> W; va_ptr=4.
 *   SA in: W vc0; L vc1 (ptr 1).
 *   SA out E: W(3), L(4); ptr=5: nothing at 5, wrap -> W; ptr=4. L refused.
 * cycle 5: out E = 301.  SA out E: L only -> 401; ptr=5.
 * cycle 6: out E = 401 on vc1.
 */
static const ev pattern_a_expected[] = {
    {2, NOC_PORT_E, 0, 100}, {3, NOC_PORT_E, 0, 300}, {3, NOC_PORT_S, 1, 101},
    {4, NOC_PORT_E, 0, 400}, {5, NOC_PORT_E, 0, 301}, {6, NOC_PORT_E, 1, 401},
};

/*
 * Pattern B: switch allocation with long packets (same router, ideal
 * downstream). Arrivals:
 *   W: packet P on vc1 to E, flits P0..P3 (ids 10..13) in cycles 0..3
 *   L: packet A on vc0 to E, flits A0..A2 (ids 20..22) in cycles 0, 2, 4
 *      packet C on vc1 to S, flits C0..C2 (ids 30..32) in cycles 1, 3, 5
 */
static unsigned pattern_b(stim *s) {
    unsigned n = 0;
    for (unsigned k = 0; k < 4; k++)
        s[n++] = (stim){k, NOC_PORT_W, mkflit(k == 0, k == 3, 1, TO_E, 10 + k)};
    for (unsigned k = 0; k < 3; k++) {
        s[n++] = (stim){2 * k, NOC_PORT_L, mkflit(k == 0, k == 2, 0, TO_E, 20 + k)};
        s[n++] = (stim){2 * k + 1, NOC_PORT_L, mkflit(k == 0, k == 2, 1, TO_S, 30 + k)};
    }
    return n;
}

/*
 * Expected, step by step (spec 5.5):
 * cycle 1: W.1=[P0] L.0=[A0]. VA (E,0) -> L, (E,1) -> W (one requester each).
 *   SA in: W vc1; L vc0. SA out E: W(3), L(4), ptr 0 -> W; ptr=4.
 *   L refused: sa_in_ptr[L] stays 0.
 * cycle 2: out E = P0 (vc1). W.1=[P1] L.0=[A0] L.1=[C0] (IDLE).
 *   VA (S,1) -> L. SA in: W vc1; L candidates vc0 (E), vc1 (S), ptr 0 -> vc0.
 *   SA out E: W, L, ptr 4 -> L; ptr=5; sa_in_ptr[L]=1. W refused.
 * cycle 3: out E = A0 (vc0). SA in: W vc1; L vc0, vc1, ptr 1 -> vc1 (S).
 *   SA out E: W only; ptr 5 wraps -> W; ptr=4. SA out S: L; sa_in_ptr[L]=0.
 * cycle 4: out E = P1, out S = C0. SA in: L ptr 0 -> vc0 (E).
 *   SA out E: W, L, ptr 4 -> L; ptr=5; sa_in_ptr[L]=1.
 * cycle 5: out E = A1. SA in: L ptr 1 -> vc1 (S). SA out E: W (wrap); S: L.
 * cycle 6: out E = P2, out S = C1. SA in: L ptr 0 -> vc0 (A2).
 *   SA out E: W, L, ptr 4 -> L (A2, tail, frees (E,0)); ptr=5.
 * cycle 7: out E = A2. SA out E: W (P3, tail); SA out S: L (C2, tail).
 * cycle 8: out E = P3 (vc1), out S = C2 (vc1).
 */
static const ev pattern_b_expected[] = {
    {2, NOC_PORT_E, 1, 10}, {3, NOC_PORT_E, 0, 20}, {4, NOC_PORT_E, 1, 11}, {4, NOC_PORT_S, 1, 30},
    {5, NOC_PORT_E, 0, 21}, {6, NOC_PORT_E, 1, 12}, {6, NOC_PORT_S, 1, 31}, {7, NOC_PORT_E, 0, 22},
    {8, NOC_PORT_E, 1, 13}, {8, NOC_PORT_S, 1, 32},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Runs pattern A or B on a router of the given variant; returns the
 * checker's verdict (0 = matches the hand-derived sequence) and its message. */
static int check_pattern(int which, unsigned variant, char *msg, size_t len) {
    noc_router *r = mkrouter(variant);
    stim s[32];
    unsigned ns = which == 0 ? pattern_a(s) : pattern_b(s);
    ev got[MAXEV];
    unsigned ng = run_router(r, s, ns, 16, got);
    int rc = which == 0 ? compare_events(pattern_a_expected, NELEM(pattern_a_expected), got, ng, msg, len)
                        : compare_events(pattern_b_expected, NELEM(pattern_b_expected), got, ng, msg, len);
    if (rc == 0 && noc_router_check_quiescent(r, msg, len)) rc = -1;
    noc_router_free(r);
    return rc;
}

static void test_pattern_a_va(void **state) {
    (void)state;
    char msg[300];
    if (check_pattern(0, NOC_VARIANT_SPEC, msg, sizeof msg)) fail_msg("pattern A: %s", msg);
    /* counters of the same run, derived from the steps above */
    noc_router *r = mkrouter(NOC_VARIANT_SPEC);
    stim s[32];
    ev got[MAXEV];
    unsigned ns = pattern_a(s);
    run_router(r, s, ns, 16, got);
    const noc_router_counters *c = noc_router_get_counters(r);
    assert_int_equal(c->va[NOC_PORT_E], 5);   /* cycles 1 (x2), 2, 3, 4 */
    assert_int_equal(c->va[NOC_PORT_S], 1);
    assert_int_equal(c->sa[NOC_PORT_E], 5);   /* cycles 1..5 */
    assert_int_equal(c->sa[NOC_PORT_S], 1);
    assert_int_equal(c->stall[NOC_PORT_L], 3); /* cycles 1, 2, 4 */
    assert_int_equal(c->stall[NOC_PORT_W], 2); /* cycles 1, 3 */
    assert_int_equal(c->stall[NOC_PORT_N], 0);
    noc_router_free(r);
}

static void test_pattern_b_sa(void **state) {
    (void)state;
    char msg[300];
    if (check_pattern(1, NOC_VARIANT_SPEC, msg, sizeof msg)) fail_msg("pattern B: %s", msg);
}

/* Negative tests: each wrong arbitration variant diverges from the
 * hand-derived sequence of at least one pattern, and the checker says so. */
static void test_variants_detected(void **state) {
    (void)state;
    char msg[300];
    /* VC allocation with fixed priority: cycle 3 gives (E,0) to W, not L */
    assert_int_not_equal(check_pattern(0, NOC_VARIANT_VA_FIXED, msg, sizeof msg), 0);
    assert_non_null(strstr(msg, "cycle 4"));
    /* output stage with fixed priority: cycle 2 grants W (P1) instead of L (A0) */
    assert_int_not_equal(check_pattern(1, NOC_VARIANT_SA_OUT_FIXED, msg, sizeof msg), 0);
    assert_non_null(strstr(msg, "cycle 3"));
    /* input pointer moving on refusal: cycle 2 L picks vc1 (C0 leaves in 3) */
    assert_int_not_equal(check_pattern(1, NOC_VARIANT_SA_IN_EAGER, msg, sizeof msg), 0);
    assert_non_null(strstr(msg, "cycle 3"));
}

/* ---- routing: route table, drops (spec 5.3) ------------------------------------------------ */

static void test_route_table(void **state) {
    (void)state;
    noc_router_config c;
    memset(&c, 0, sizeof c);
    c.my_chip = 1;
    c.my_x = 2;
    c.my_y = 3;
    c.port_en = NOC_PORT_ALL & ~(1u << NOC_PORT_N); /* N disabled */
    c.route[3] = NOC_ROUTE_VALID | NOC_PORT_X;
    c.route[5] = NOC_ROUTE_VALID | NOC_PORT_E;
    c.route[6] = NOC_ROUTE_VALID | 7u;          /* no port 7 */
    c.route[8] = NOC_ROUTE_VALID | NOC_PORT_N;  /* disabled port */
    c.route[9] = NOC_PORT_X;                    /* valid bit clear */
    /* pure function */
    assert_int_equal(noc_route_compute(&c, 3, 0, 0), NOC_PORT_X);
    assert_int_equal(noc_route_compute(&c, 5, 2, 3), NOC_PORT_E); /* table, not XY */
    assert_int_equal(noc_route_compute(&c, 6, 0, 0), NOC_ROUTE_INVALID);
    assert_int_equal(noc_route_compute(&c, 8, 0, 0), NOC_ROUTE_INVALID);
    assert_int_equal(noc_route_compute(&c, 9, 0, 0), NOC_ROUTE_INVALID);
    assert_int_equal(noc_route_compute(&c, 7, 0, 0), NOC_ROUTE_INVALID); /* entry 0 */
    /* own chip: XY, y grows south */
    assert_int_equal(noc_route_compute(&c, 1, 2, 3), NOC_PORT_L);
    assert_int_equal(noc_route_compute(&c, 1, 3, 0), NOC_PORT_E);
    assert_int_equal(noc_route_compute(&c, 1, 0, 9), NOC_PORT_W);
    assert_int_equal(noc_route_compute(&c, 1, 2, 4), NOC_PORT_S);
    assert_int_equal(noc_route_compute(&c, 1, 2, 2), NOC_ROUTE_INVALID); /* N disabled */

    char err[200];
    noc_router *r = noc_router_new(&c, err, sizeof err);
    assert_non_null(r);
    /* in the model: 2-flit packets from L in cycles 0..9 to chips 3, 5, 6, 8, 9 */
    const unsigned chips[5] = {3, 5, 6, 8, 9};
    stim s[10];
    for (unsigned k = 0; k < 5; k++) {
        s[2 * k] = (stim){2 * k, NOC_PORT_L, mkflit(1, 0, 0, chips[k], 0, 0, 50 + 2 * k)};
        s[2 * k + 1] = (stim){2 * k + 1, NOC_PORT_L, mkflit(0, 1, 0, chips[k], 0, 0, 51 + 2 * k)};
    }
    ev got[MAXEV];
    unsigned n = 0;
    int credits = 0;
    for (unsigned cyc = 0; cyc < 20; cyc++) {
        for (unsigned p = 0; p < NOC_NUM_PORTS; p++) {
            const noc_flit *f = noc_router_out(r, p);
            if (f) {
                got[n++] = (ev){cyc, p, f->vc, f->data[1]};
                assert_int_equal(noc_router_credit(r, p, f->vc), 0);
            }
        }
        if (noc_router_credit_out(r, NOC_PORT_L) >= 0) credits++;
        for (unsigned k = 0; k < 10; k++)
            if (s[k].cycle == cyc) assert_int_equal(noc_router_inject(r, NOC_PORT_L, &s[k].f), 0);
        noc_router_step(r);
    }
    /* chip 3 -> X in cycles 2, 3; chip 5 -> E in 4, 5; the three invalid
     * routes are dropped: nothing leaves, credits still come back */
    const ev exp[] = {{2, NOC_PORT_X, 0, 50}, {3, NOC_PORT_X, 0, 51}, {4, NOC_PORT_E, 0, 52},
                      {5, NOC_PORT_E, 0, 53}};
    char msg[300];
    if (compare_events(exp, 4, got, n, msg, sizeof msg)) fail_msg("%s", msg);
    assert_int_equal(credits, 10);
    const noc_router_counters *cn = noc_router_get_counters(r);
    assert_int_equal(cn->err_route, 3);
    assert_int_equal(cn->buf_rd[NOC_PORT_L], 10);
    assert_int_equal(cn->xbar[NOC_PORT_X] + cn->xbar[NOC_PORT_E], 4);
    assert_int_equal(noc_router_check_quiescent(r, msg, sizeof msg), 0);
    /* a route-table write takes effect: chip 6 now valid to S */
    assert_int_equal(noc_router_set_route(r, 6, NOC_ROUTE_VALID | NOC_PORT_S), 0);
    assert_int_equal(noc_router_set_route(r, 16, 0), -1);
    assert_non_null(strstr(noc_router_error(r), "chip 16"));
    noc_flit f = mkflit(1, 1, 1, 6, 0, 0, 99);
    assert_int_equal(noc_router_inject(r, NOC_PORT_W, &f), 0);
    noc_router_step(r);
    noc_router_step(r);
    const noc_flit *o = noc_router_out(r, NOC_PORT_S);
    assert_non_null(o);
    assert_int_equal(o->data[1], 99);
    assert_int_equal(o->vc, 1);
    noc_router_free(r);
}

/* Multi-tile chip with one uplink: tables steer towards tile (1,1) which owns X. */
static void test_route_table_mesh(void **state) {
    (void)state;
    noc_mesh_config mc;
    memset(&mc, 0, sizeof mc);
    mc.kx = 2;
    mc.ky = 2;
    mc.x_port = 1;
    char err[200];
    noc_mesh *m = noc_mesh_new(&mc, err, sizeof err);
    assert_non_null(m);
    assert_int_equal(noc_router_set_route(noc_mesh_router(m, 0, 0), 1, NOC_ROUTE_VALID | NOC_PORT_E), 0);
    assert_int_equal(noc_router_set_route(noc_mesh_router(m, 1, 0), 1, NOC_ROUTE_VALID | NOC_PORT_S), 0);
    assert_int_equal(noc_router_set_route(noc_mesh_router(m, 0, 1), 1, NOC_ROUTE_VALID | NOC_PORT_E), 0);
    assert_int_equal(noc_router_set_route(noc_mesh_router(m, 1, 1), 1, NOC_ROUTE_VALID | NOC_PORT_X), 0);
    noc_flit f = mkflit(1, 1, 0, 1, 3, 3, 5);
    assert_int_equal(noc_mesh_inject(m, 0, 0, NOC_PORT_L, &f), 0);
    unsigned at = 0;
    for (unsigned c = 1; c < 20; c++) {
        noc_mesh_step(m);
        for (unsigned y = 0; y < 2; y++)
            for (unsigned x = 0; x < 2; x++)
                for (unsigned p = 0; p < NOC_NUM_PORTS; p++)
                    if (noc_mesh_is_external(m, x, y, p) && noc_mesh_out(m, x, y, p)) {
                        assert_int_equal(x, 1);
                        assert_int_equal(y, 1);
                        assert_int_equal(p, NOC_PORT_X);
                        assert_int_equal(noc_mesh_credit(m, x, y, p, 0), 0);
                        at = c;
                    }
    }
    assert_int_equal(at, 6); /* (0,0) -> E -> (1,0) -> S -> (1,1) -> X: 2 (2 + 1) */
    assert_int_equal(noc_mesh_check_quiescent(m, err, sizeof err), 0);
    noc_mesh_free(m);
}

/* ---- errors and their counters --------------------------------------------------------- */

static void test_protocol_errors(void **state) {
    (void)state;
    noc_router *r = mkrouter(NOC_VARIANT_SPEC);
    /* a body flit, then a tail, with no head: dropped as one broken packet */
    noc_flit b = mkflit(0, 0, 0, TO_E, 1), t = mkflit(0, 1, 0, TO_E, 2);
    assert_int_equal(noc_router_inject(r, NOC_PORT_W, &b), 0);
    noc_router_step(r);
    assert_int_equal(noc_router_inject(r, NOC_PORT_W, &t), 0);
    noc_router_step(r);
    for (int k = 0; k < 4; k++) noc_router_step(r);
    const noc_router_counters *c = noc_router_get_counters(r);
    assert_int_equal(c->err_proto, 1);
    assert_int_equal(c->buf_rd[NOC_PORT_W], 2);
    assert_int_equal(c->xbar[NOC_PORT_E], 0);
    char msg[300];
    assert_int_equal(noc_router_check_quiescent(r, msg, sizeof msg), 0);

    /* overflow: 5 flits on one VC of a port whose output has no credits */
    noc_router_reset(r);
    /* use up E's vc0 credits with 4 flits from N, never credited back */
    for (unsigned k = 0; k < 4; k++) {
        noc_flit f = mkflit(k == 0, k == 3, 0, TO_E, 10 + k);
        assert_int_equal(noc_router_inject(r, NOC_PORT_N, &f), 0);
        noc_router_step(r);
    }
    for (int k = 0; k < 3; k++) noc_router_step(r);
    assert_int_equal(noc_router_credits(r, NOC_PORT_E, 0), 0);
    for (unsigned k = 0; k < 5; k++) {
        noc_flit f = mkflit(k == 0, 0, 0, TO_E, 20 + k);
        assert_int_equal(noc_router_inject(r, NOC_PORT_W, &f), 0);
        noc_router_step(r);
    }
    assert_int_equal(noc_router_occupancy(r, NOC_PORT_W, 0), 4);
    assert_int_equal(c->err_ovf, 1);
    assert_int_equal(c->flits_in[NOC_PORT_W], 5);
    assert_int_equal(c->buf_wr[NOC_PORT_W], 4);
    /* W stalls every cycle now: (E,0) is free but has no credit */
    uint32_t st = c->stall[NOC_PORT_W];
    noc_router_step(r);
    assert_int_equal(c->stall[NOC_PORT_W], st + 1);
    assert_int_not_equal(noc_router_check_quiescent(r, msg, sizeof msg), 0);

    /* a credit never owed */
    noc_router_reset(r);
    assert_int_equal(noc_router_credit(r, NOC_PORT_S, 1), 0);
    noc_router_step(r);
    assert_int_equal(c->err_credit, 1);
    assert_int_equal(noc_router_credits(r, NOC_PORT_S, 1), 4);
    noc_router_free(r);
}

static void test_api_errors(void **state) {
    (void)state;
    char err[200];
    noc_router_config c;
    memset(&c, 0, sizeof c);
    c.flit_w = 100;
    assert_null(noc_router_new(&c, err, sizeof err));
    assert_non_null(strstr(err, "flit_w"));
    c.flit_w = 0;
    c.num_vc = 5;
    assert_null(noc_router_new(&c, err, sizeof err));
    assert_non_null(strstr(err, "num_vc"));
    c.num_vc = 0;
    c.buf_depth = 17;
    assert_null(noc_router_new(&c, err, sizeof err));
    assert_non_null(strstr(err, "buf_depth"));
    c.buf_depth = 0;
    c.port_en = 0x40;
    assert_null(noc_router_new(&c, err, sizeof err));
    assert_non_null(strstr(err, "port_en"));
    c.port_en = 0;
    c.my_x = 16;
    assert_null(noc_router_new(&c, err, sizeof err));
    assert_non_null(strstr(err, "my_x"));
    c.my_x = 0;
    c.route[4] = 0x10;
    assert_null(noc_router_new(&c, err, sizeof err));
    assert_non_null(strstr(err, "route[4]"));
    c.route[4] = 0;
    c.port_en = NOC_PORT_ALL & ~(1u << NOC_PORT_X);
    noc_router *r = noc_router_new(&c, err, sizeof err);
    assert_non_null(r);
    noc_flit f = mkflit(1, 1, 0, 0, 0, 0, 1);
    assert_int_equal(noc_router_inject(r, NOC_PORT_X, &f), -1);
    assert_non_null(strstr(noc_router_error(r), "disabled"));
    assert_int_equal(noc_router_inject(r, 6, &f), -1);
    assert_int_equal(noc_router_inject(r, NOC_PORT_L, &f), 0);
    assert_int_equal(noc_router_inject(r, NOC_PORT_L, &f), -1);
    assert_non_null(strstr(noc_router_error(r), "already"));
    f.vc = 2; /* VcW = 1 */
    assert_int_equal(noc_router_inject(r, NOC_PORT_N, &f), -1);
    assert_int_equal(noc_router_credit(r, NOC_PORT_N, 0), 0);
    assert_int_equal(noc_router_credit(r, NOC_PORT_N, 0), -1);
    assert_null(noc_router_out(r, 7));
    assert_int_equal(noc_router_credit_out(r, 7), -1);
    assert_int_equal(noc_router_credits(r, 0, 2), -1);
    noc_router_free(r);
    noc_router_free(NULL);

    noc_mesh_config mc;
    memset(&mc, 0, sizeof mc);
    mc.kx = 17;
    mc.ky = 1;
    assert_null(noc_mesh_new(&mc, err, sizeof err));
    assert_non_null(strstr(err, "kx"));
    mc.kx = 2;
    mc.router.num_vc = 9;
    assert_null(noc_mesh_new(&mc, err, sizeof err));
    assert_non_null(strstr(err, "num_vc"));
    mc.router.num_vc = 0;
    noc_mesh *m = noc_mesh_new(&mc, err, sizeof err);
    assert_non_null(m);
    f.vc = 0;
    assert_int_equal(noc_mesh_inject(m, 0, 0, NOC_PORT_E, &f), -1); /* internal */
    assert_non_null(strstr(noc_mesh_error(m), "not an external port"));
    assert_int_equal(noc_mesh_inject(m, 0, 0, NOC_PORT_W, &f), -1); /* edge disabled */
    assert_int_equal(noc_mesh_lose_credit(m, 0, 0, NOC_PORT_L), -1);
    noc_mesh_free(m);
}

/* ---- the X-port adapter (spec 5.9) ----------------------------------------------------- */

static void test_xadapt(void **state) {
    (void)state;
    char err[200];
    noc_xadapt_config xc = {0, 0, 0, 2};
    noc_xadapt *a = noc_xadapt_new(&xc, err, sizeof err);
    assert_non_null(a);
    /* transmit: a flit from the router in cycle 0 is offered from cycle 1 */
    noc_flit f = mkflit(1, 0, 1, 0, 0, 0, 7);
    unsigned sb = 0;
    assert_null(noc_xadapt_tx(a, &sb));
    assert_int_equal(noc_xadapt_from_router(a, &f), 0);
    assert_int_equal(noc_xadapt_from_router(a, &f), -1);
    noc_xadapt_step(a); /* end of cycle 0 */
    const noc_flit *t = noc_xadapt_tx(a, &sb);
    assert_non_null(t);
    assert_int_equal(t->data[1], 7);
    assert_int_equal(sb, 0x1u | (1u << 2)); /* head, vc 1 */
    noc_xadapt_step(a);                     /* cycle 1: tx_ready = 0, held */
    assert_non_null(noc_xadapt_tx(a, &sb));
    assert_int_equal(noc_xadapt_credit_to_router(a), -1);
    noc_xadapt_set_tx_ready(a, 1);
    noc_xadapt_step(a); /* cycle 2: taken */
    assert_null(noc_xadapt_tx(a, &sb));
    assert_int_equal(noc_xadapt_credit_to_router(a), 1); /* credit in cycle 3 */
    noc_xadapt_step(a);
    assert_int_equal(noc_xadapt_credit_to_router(a), -1);

    /* receive: rx_ready falls when rxq (depth 2) is full; credits gate the router side */
    noc_flit g = mkflit(1, 1, 0, 0, 0, 0, 0);
    for (unsigned k = 0; k < 6; k++) {
        /* 6 one-flit packets on vc 0 offered back to back; no router credits return */
        g.data[1] = 100 + k;
        assert_int_equal(noc_xadapt_rx_ready(a), 1);
        assert_int_equal(noc_xadapt_rx(a, &g, 0x3), 1);
        const noc_flit *tr = noc_xadapt_to_router(a);
        if (k >= 1) {
            /* flit k-1 arrived in cycle k-1 and goes to the router in cycle k */
            assert_non_null(tr);
            assert_int_equal(tr->data[1], 100 + k - 1);
            assert_int_equal(tr->head, 1);
            assert_int_equal(tr->tail, 1);
            assert_int_equal(tr->vc, 0);
        }
        noc_xadapt_step(a);
        if (k == 4) break;
    }
    /* 4 credits consumed (flits 100..103), flit 104 waits: head of line */
    assert_null(noc_xadapt_to_router(a));
    assert_int_equal(noc_xadapt_get_counters(a)->rx_stall, 0);
    g.data[1] = 105;
    assert_int_equal(noc_xadapt_rx(a, &g, 0x3), 1); /* rxq 1 of 2 */
    noc_xadapt_step(a);
    assert_int_equal(noc_xadapt_rx_ready(a), 0);
    assert_int_equal(noc_xadapt_rx(a, &g, 0x3), 0); /* refused */
    noc_xadapt_step(a);
    assert_int_equal(noc_xadapt_get_counters(a)->rx_stall, 2);
    assert_int_equal(noc_xadapt_router_credit(a, 0), 0); /* one credit back */
    noc_xadapt_step(a);
    const noc_flit *tr = noc_xadapt_to_router(a);
    assert_non_null(tr);
    assert_int_equal(tr->data[1], 104);
    /* bad sideband vc and an unowed credit count errors */
    noc_xadapt_step(a);
    assert_int_equal(noc_xadapt_rx(a, &g, 0x3 | (3u << 2)), 1);
    noc_xadapt_step(a);
    noc_xadapt_reset(a);
    assert_int_equal(noc_xadapt_router_credit(a, 0), 0);
    noc_xadapt_step(a);
    assert_int_equal(noc_xadapt_get_counters(a)->err, 1);
    noc_xadapt_free(a);
    xc.rxq_depth = 65;
    assert_null(noc_xadapt_new(&xc, err, sizeof err));
    assert_non_null(strstr(err, "rxq_depth"));
}

/* Router X port -> adapter -> (ideal PHY loop) -> adapter -> router X port:
 * flits cross with the latencies of 5.9 and credits balance. */
static void test_xadapt_loop(void **state) {
    (void)state;
    char err[200];
    noc_router_config ca, cb;
    memset(&ca, 0, sizeof ca);
    memset(&cb, 0, sizeof cb);
    ca.my_chip = 0;
    ca.route[1] = NOC_ROUTE_VALID | NOC_PORT_X;
    cb.my_chip = 1;
    noc_router *ra = noc_router_new(&ca, err, sizeof err), *rb = noc_router_new(&cb, err, sizeof err);
    noc_xadapt *xa = noc_xadapt_new(NULL, err, sizeof err), *xb = noc_xadapt_new(NULL, err, sizeof err);
    assert_non_null(ra);
    assert_non_null(rb);
    assert_non_null(xa);
    assert_non_null(xb);
    unsigned sent = 0, got = 0, first = 0, last = 0;
    int src_cred = 4;
    for (unsigned c = 0; c < 200; c++) {
        /* wires of cycle c */
        const noc_flit *o = noc_router_out(ra, NOC_PORT_X);
        if (o) assert_int_equal(noc_xadapt_from_router(xa, o), 0);
        int cr = noc_xadapt_credit_to_router(xa);
        if (cr >= 0) assert_int_equal(noc_router_credit(ra, NOC_PORT_X, (unsigned)cr), 0);
        unsigned sb;
        const noc_flit *t = noc_xadapt_tx(xa, &sb);
        noc_xadapt_set_tx_ready(xa, 1);
        if (t) assert_int_equal(noc_xadapt_rx(xb, t, sb), 1); /* an ideal PHY: same cycle */
        const noc_flit *in = noc_xadapt_to_router(xb);
        if (in) assert_int_equal(noc_router_inject(rb, NOC_PORT_X, in), 0);
        int rc = noc_router_credit_out(rb, NOC_PORT_X);
        if (rc >= 0) assert_int_equal(noc_xadapt_router_credit(xb, (unsigned)rc), 0);
        const noc_flit *d = noc_router_out(rb, NOC_PORT_L);
        if (d) {
            assert_int_equal(d->data[1], got);
            if (got == 0) first = c;
            last = c;
            got++;
            assert_int_equal(noc_router_credit(rb, NOC_PORT_L, d->vc), 0);
        }
        /* source at ra's L: 8 packets of 8 flits to chip 1 tile (0,0) on vc 0,
         * sending while it holds a credit; a credit received in cycle c is
         * usable from c+1 (spec 5.6) */
        if (sent < 64 && src_cred > 0) {
            noc_flit f = mkflit(sent % 8 == 0, sent % 8 == 7, 0, 1, 0, 0, sent);
            assert_int_equal(noc_router_inject(ra, NOC_PORT_L, &f), 0);
            src_cred--;
            sent++;
        }
        if (noc_router_credit_out(ra, NOC_PORT_L) >= 0) src_cred++;
        noc_router_step(ra);
        noc_xadapt_step(xa);
        noc_xadapt_step(xb);
        noc_router_step(rb);
    }
    assert_int_equal(got, 64);
    /* ra: L in 0, X out 2; xa: offered 3 = xb rx; xb -> rb X in 4; rb L out 6 */
    assert_int_equal(first, 6);
    assert_int_equal(last, 6 + 63); /* one flit per cycle through the whole chain */
    char msg[300];
    assert_int_equal(noc_router_check_quiescent(ra, msg, sizeof msg), 0);
    assert_int_equal(noc_router_check_quiescent(rb, msg, sizeof msg), 0);
    assert_int_equal(noc_xadapt_get_counters(xa)->err + noc_xadapt_get_counters(xb)->err, 0);
    noc_router_free(ra);
    noc_router_free(rb);
    noc_xadapt_free(xa);
    noc_xadapt_free(xb);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example1_zero_load),
        cmocka_unit_test(test_example2_contention),
        cmocka_unit_test(test_pattern_a_va),
        cmocka_unit_test(test_pattern_b_sa),
        cmocka_unit_test(test_variants_detected),
        cmocka_unit_test(test_route_table),
        cmocka_unit_test(test_route_table_mesh),
        cmocka_unit_test(test_protocol_errors),
        cmocka_unit_test(test_api_errors),
        cmocka_unit_test(test_xadapt),
        cmocka_unit_test(test_xadapt_loop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
