/*
 * noc_router.c - cycle-accurate router model, written from docs/spec.md
 * section 5. The step function follows the normative order of section 5.7;
 * comments name the subsection each piece implements.
 */
#include "noc/noc_router.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SINK = NOC_NUM_PORTS }; /* target of a dropped flit (spec 5.5) */

typedef struct ivc {
    noc_flit *buf;  /* BufDepth slots, a ring */
    uint8_t rd;     /* index of the front flit */
    uint8_t count;  /* flits held */
    uint8_t op;     /* output port while ACTIVE */
} ivc;

struct noc_router {
    noc_router_config cfg; /* effective configuration */
    unsigned nv, depth, nwords, vc_lim; /* vc_lim = 2^VcW */
    uint8_t en;                          /* PortEn */
    uint64_t cycle;
    unsigned buffered;                   /* flits in all input buffers */

    ivc in[NOC_NUM_PORTS][NOC_NUM_VC_MAX];
    /* per input port, bit v = VC v: the VC state of spec 5.5 as masks
     * (IDLE = neither act nor drp), and the non-empty buffers */
    uint8_t act[NOC_NUM_PORTS], drp[NOC_NUM_PORTS], ne[NOC_NUM_PORTS];
    uint8_t pocc[NOC_NUM_PORTS]; /* flits held per input port */
    noc_flit *store;
    uint8_t alloc[NOC_NUM_PORTS][NOC_NUM_VC_MAX];
    uint8_t cred[NOC_NUM_PORTS][NOC_NUM_VC_MAX];
    uint8_t va_ptr[NOC_NUM_PORTS][NOC_NUM_VC_MAX];
    uint8_t sa_in_ptr[NOC_NUM_PORTS];
    uint8_t sa_out_ptr[NOC_NUM_PORTS];

    /* inputs of the current cycle */
    uint8_t in_mask;
    uint8_t cin_mask;
    uint8_t cin_vc[NOC_NUM_PORTS];
    noc_flit in_flit[NOC_NUM_PORTS];

    /* registered outputs, valid during the current cycle */
    uint8_t out_mask;
    uint8_t cout_mask;
    uint8_t cout_vc[NOC_NUM_PORTS];
    noc_flit out[NOC_NUM_PORTS];

    noc_router_counters cnt;
    char err[192];
};

static const char *const port_names[NOC_NUM_PORTS] = {"N", "E", "S", "W", "L", "X"};

const char *noc_port_name(unsigned port) {
    return port < NOC_NUM_PORTS ? port_names[port] : "?";
}

static void seterr(char *buf, size_t len, const char *fmt, ...) {
    if (!buf || len == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

/* ---- header ------------------------------------------------------------------ */

void noc_header_pack(noc_flit *f, const noc_header *h) {
    uint64_t w = 0;
    w |= (uint64_t)(h->dst_x & 0xF) << NOC_HDR_DST_X_LSB;
    w |= (uint64_t)(h->dst_y & 0xF) << NOC_HDR_DST_Y_LSB;
    w |= (uint64_t)(h->dst_chip & 0xF) << NOC_HDR_DST_CHIP_LSB;
    w |= (uint64_t)(h->src_x & 0xF) << NOC_HDR_SRC_X_LSB;
    w |= (uint64_t)(h->src_y & 0xF) << NOC_HDR_SRC_Y_LSB;
    w |= (uint64_t)(h->src_chip & 0xF) << NOC_HDR_SRC_CHIP_LSB;
    w |= (uint64_t)(h->flow & 0xFF) << NOC_HDR_FLOW_LSB;
    w |= (uint64_t)(h->seq & 0xFFFF) << NOC_HDR_SEQ_LSB;
    w |= (uint64_t)(h->len & 0xF) << NOC_HDR_LEN_LSB;
    w |= (uint64_t)(h->ni & 0xFFF) << NOC_HDR_NI_LSB;
    f->data[0] = w;
}

void noc_header_unpack(const noc_flit *f, noc_header *h) {
    uint64_t w = f->data[0];
    h->dst_x = (unsigned)(w >> NOC_HDR_DST_X_LSB) & 0xF;
    h->dst_y = (unsigned)(w >> NOC_HDR_DST_Y_LSB) & 0xF;
    h->dst_chip = (unsigned)(w >> NOC_HDR_DST_CHIP_LSB) & 0xF;
    h->src_x = (unsigned)(w >> NOC_HDR_SRC_X_LSB) & 0xF;
    h->src_y = (unsigned)(w >> NOC_HDR_SRC_Y_LSB) & 0xF;
    h->src_chip = (unsigned)(w >> NOC_HDR_SRC_CHIP_LSB) & 0xF;
    h->flow = (unsigned)(w >> NOC_HDR_FLOW_LSB) & 0xFF;
    h->seq = (unsigned)(w >> NOC_HDR_SEQ_LSB) & 0xFFFF;
    h->len = (unsigned)(w >> NOC_HDR_LEN_LSB) & 0xF;
    h->ni = (unsigned)(w >> NOC_HDR_NI_LSB) & 0xFFF;
}

/* ---- routing (spec 5.3) ---------------------------------------------------------- */

static unsigned route_word(unsigned en, unsigned my_chip, unsigned my_x, unsigned my_y,
                           const uint8_t route[16], uint64_t w) {
    unsigned dx = (unsigned)(w >> NOC_HDR_DST_X_LSB) & 0xF;
    unsigned dy = (unsigned)(w >> NOC_HDR_DST_Y_LSB) & 0xF;
    unsigned dc = (unsigned)(w >> NOC_HDR_DST_CHIP_LSB) & 0xF;
    unsigned out;
    if (dc != my_chip) {
        unsigned e = route[dc];
        if (!(e & NOC_ROUTE_VALID)) return NOC_ROUTE_INVALID;
        out = e & 7u;
        if (out >= NOC_NUM_PORTS) return NOC_ROUTE_INVALID;
    } else if (dx > my_x) {
        out = NOC_PORT_E;
    } else if (dx < my_x) {
        out = NOC_PORT_W;
    } else if (dy > my_y) {
        out = NOC_PORT_S;
    } else if (dy < my_y) {
        out = NOC_PORT_N;
    } else {
        out = NOC_PORT_L;
    }
    return (en >> out) & 1u ? out : NOC_ROUTE_INVALID;
}

unsigned noc_route_compute(const noc_router_config *cfg,
                           unsigned dst_chip, unsigned dst_x, unsigned dst_y) {
    uint64_t w = ((uint64_t)(dst_x & 0xF) << NOC_HDR_DST_X_LSB) |
                 ((uint64_t)(dst_y & 0xF) << NOC_HDR_DST_Y_LSB) |
                 ((uint64_t)(dst_chip & 0xF) << NOC_HDR_DST_CHIP_LSB);
    return route_word(cfg->port_en, cfg->my_chip, cfg->my_x, cfg->my_y, cfg->route, w);
}

/* ---- life cycle ------------------------------------------------------------------ */

noc_router *noc_router_new(const noc_router_config *cfg_in, char *err, size_t errlen) {
    noc_router_config cfg;
    if (cfg_in) cfg = *cfg_in;
    else memset(&cfg, 0, sizeof cfg);
    if (cfg.flit_w == 0) cfg.flit_w = NOC_FLIT_W_DEFAULT;
    if (cfg.num_vc == 0) cfg.num_vc = NOC_NUM_VC_DEFAULT;
    if (cfg.buf_depth == 0) cfg.buf_depth = NOC_BUF_DEPTH_DEFAULT;
    if (cfg.port_en == 0) cfg.port_en = NOC_PORT_ALL;

    if (cfg.flit_w % 64 != 0 || cfg.flit_w < 64 || cfg.flit_w > 64 * NOC_FLIT_WORDS_MAX) {
        seterr(err, errlen, "noc_router: flit_w = %u: must be a multiple of 64 in [64, %u]",
               cfg.flit_w, 64 * NOC_FLIT_WORDS_MAX);
        return NULL;
    }
    if (cfg.num_vc > NOC_NUM_VC_MAX) {
        seterr(err, errlen, "noc_router: num_vc = %u: must be 1..%u", cfg.num_vc, NOC_NUM_VC_MAX);
        return NULL;
    }
    if (cfg.buf_depth > NOC_BUF_DEPTH_MAX) {
        seterr(err, errlen, "noc_router: buf_depth = %u: must be 1..%u", cfg.buf_depth,
               NOC_BUF_DEPTH_MAX);
        return NULL;
    }
    if (cfg.port_en > NOC_PORT_ALL) {
        seterr(err, errlen, "noc_router: port_en = 0x%x: only bits 5:0 (N E S W L X) exist",
               cfg.port_en);
        return NULL;
    }
    if (cfg.my_chip > 15 || cfg.my_x > 15 || cfg.my_y > 15) {
        seterr(err, errlen, "noc_router: my_chip/my_x/my_y = %u/%u/%u: each must be 0..15",
               cfg.my_chip, cfg.my_x, cfg.my_y);
        return NULL;
    }
    for (unsigned e = 0; e < 16; e++) {
        if (cfg.route[e] > 0xF) {
            seterr(err, errlen, "noc_router: route[%u] = 0x%x: an entry is 4 bits (valid, port[2:0])",
                   e, cfg.route[e]);
            return NULL;
        }
    }
    if (cfg.variant > NOC_VARIANT_VA_FIXED) {
        seterr(err, errlen, "noc_router: variant = %u: unknown", cfg.variant);
        return NULL;
    }

    noc_router *r = calloc(1, sizeof *r);
    if (!r) {
        seterr(err, errlen, "noc_router: out of memory");
        return NULL;
    }
    r->cfg = cfg;
    r->nv = cfg.num_vc;
    r->depth = cfg.buf_depth;
    r->nwords = cfg.flit_w / 64;
    r->vc_lim = cfg.num_vc <= 2 ? 2u : 4u; /* 2^VcW, VcW = max(1, clog2(NumVc)) */
    r->en = (uint8_t)cfg.port_en;
    r->store = calloc((size_t)NOC_NUM_PORTS * r->nv * r->depth, sizeof(noc_flit));
    if (!r->store) {
        free(r);
        seterr(err, errlen, "noc_router: out of memory");
        return NULL;
    }
    for (unsigned p = 0; p < NOC_NUM_PORTS; p++)
        for (unsigned v = 0; v < r->nv; v++)
            r->in[p][v].buf = r->store + ((size_t)p * r->nv + v) * r->depth;
    noc_router_reset(r);
    return r;
}

void noc_router_free(noc_router *r) {
    if (!r) return;
    free(r->store);
    free(r);
}

void noc_router_reset(noc_router *r) {
    for (unsigned p = 0; p < NOC_NUM_PORTS; p++) {
        for (unsigned v = 0; v < NOC_NUM_VC_MAX; v++) {
            ivc *q = &r->in[p][v];
            q->rd = q->count = q->op = 0;
            r->alloc[p][v] = 0;
            r->cred[p][v] = (uint8_t)r->depth;
            r->va_ptr[p][v] = 0;
        }
        r->sa_in_ptr[p] = r->sa_out_ptr[p] = 0;
        r->act[p] = r->drp[p] = r->ne[p] = r->pocc[p] = 0;
        r->cin_vc[p] = r->cout_vc[p] = 0;
    }
    r->in_mask = r->cin_mask = r->out_mask = r->cout_mask = 0;
    memset(r->out, 0, sizeof r->out);
    memset(&r->cnt, 0, sizeof r->cnt);
    r->buffered = 0;
    r->cycle = 0;
    r->err[0] = 0;
}

const noc_router_config *noc_router_get_config(const noc_router *r) { return &r->cfg; }
const char *noc_router_error(const noc_router *r) { return r->err; }
uint64_t noc_router_cycle(const noc_router *r) { return r->cycle; }
const noc_router_counters *noc_router_get_counters(const noc_router *r) { return &r->cnt; }
unsigned noc_router_flits_buffered(const noc_router *r) { return r->buffered; }

int noc_router_set_route(noc_router *r, unsigned chip, unsigned entry) {
    if (chip > 15 || entry > 0xF) {
        seterr(r->err, sizeof r->err, "noc_router_set_route: chip %u / entry 0x%x out of range "
               "(chip 0..15, entry 4 bits)", chip, entry);
        return -1;
    }
    r->cfg.route[chip] = (uint8_t)entry;
    return 0;
}

/* ---- inputs and outputs --------------------------------------------------------- */

int noc_router_inject(noc_router *r, unsigned port, const noc_flit *f) {
    if (port >= NOC_NUM_PORTS || !((r->en >> port) & 1u)) {
        seterr(r->err, sizeof r->err, "noc_router_inject: cycle %llu: port %u (%s) is %s",
               (unsigned long long)r->cycle, port, noc_port_name(port),
               port >= NOC_NUM_PORTS ? "out of range" : "disabled");
        return -1;
    }
    if ((r->in_mask >> port) & 1u) {
        seterr(r->err, sizeof r->err, "noc_router_inject: cycle %llu: port %s already has a flit "
               "this cycle", (unsigned long long)r->cycle, noc_port_name(port));
        return -1;
    }
    if (f->vc >= r->vc_lim) {
        seterr(r->err, sizeof r->err, "noc_router_inject: cycle %llu: port %s: vc %u does not fit "
               "in VcW bits", (unsigned long long)r->cycle, noc_port_name(port), f->vc);
        return -1;
    }
    noc_flit *d = &r->in_flit[port];
    /* words at and above FlitW/64 of in_flit are never written: they stay 0 */
    memcpy(d->data, f->data, r->nwords * sizeof(uint64_t));
    d->head = f->head ? 1 : 0;
    d->tail = f->tail ? 1 : 0;
    d->vc = f->vc;
    r->in_mask |= (uint8_t)(1u << port);
    return 0;
}

int noc_router_credit(noc_router *r, unsigned port, unsigned vc) {
    if (port >= NOC_NUM_PORTS || vc >= r->vc_lim) {
        seterr(r->err, sizeof r->err, "noc_router_credit: cycle %llu: port %u / vc %u out of range",
               (unsigned long long)r->cycle, port, vc);
        return -1;
    }
    if ((r->cin_mask >> port) & 1u) {
        seterr(r->err, sizeof r->err, "noc_router_credit: cycle %llu: port %s already has a credit "
               "this cycle", (unsigned long long)r->cycle, noc_port_name(port));
        return -1;
    }
    if (!((r->en >> port) & 1u)) return 0; /* a disabled port's inputs are ignored */
    r->cin_mask |= (uint8_t)(1u << port);
    r->cin_vc[port] = (uint8_t)vc;
    return 0;
}

const noc_flit *noc_router_out(const noc_router *r, unsigned port) {
    if (port >= NOC_NUM_PORTS || !((r->out_mask >> port) & 1u)) return NULL;
    return &r->out[port];
}

int noc_router_credit_out(const noc_router *r, unsigned port) {
    if (port >= NOC_NUM_PORTS || !((r->cout_mask >> port) & 1u)) return -1;
    return r->cout_vc[port];
}

unsigned noc_router_events(const noc_router *r, noc_event *ev, unsigned max) {
    unsigned n = 0;
    for (unsigned p = 0; p < NOC_NUM_PORTS; p++) {
        if (!((r->out_mask >> p) & 1u)) continue;
        if (n < max) {
            ev[n].cycle = r->cycle;
            ev[n].kind = NOC_EV_FLIT;
            ev[n].port = (uint8_t)p;
            ev[n].vc = r->out[p].vc;
            ev[n].flit = &r->out[p];
        }
        n++;
    }
    for (unsigned p = 0; p < NOC_NUM_PORTS; p++) {
        if (!((r->cout_mask >> p) & 1u)) continue;
        if (n < max) {
            ev[n].cycle = r->cycle;
            ev[n].kind = NOC_EV_CREDIT;
            ev[n].port = (uint8_t)p;
            ev[n].vc = r->cout_vc[p];
            ev[n].flit = NULL;
        }
        n++;
    }
    return n;
}

int noc_router_credits(const noc_router *r, unsigned port, unsigned vc) {
    if (port >= NOC_NUM_PORTS || vc >= r->nv) return -1;
    return r->cred[port][vc];
}

int noc_router_occupancy(const noc_router *r, unsigned port, unsigned vc) {
    if (port >= NOC_NUM_PORTS || vc >= r->nv) return -1;
    return r->in[port][vc].count;
}

int noc_router_check_quiescent(const noc_router *r, char *msg, size_t msglen) {
    static const char *const stn[] = {"IDLE", "ACTIVE", "DROP"};
    for (unsigned p = 0; p < NOC_NUM_PORTS; p++) {
        if (!((r->en >> p) & 1u)) continue;
        for (unsigned v = 0; v < r->nv; v++) {
            const ivc *q = &r->in[p][v];
            if (q->count) {
                seterr(msg, msglen, "cycle %llu: input %s vc %u holds %u flit(s), expected 0",
                       (unsigned long long)r->cycle, noc_port_name(p), v, q->count);
                return -1;
            }
            unsigned st = ((r->act[p] >> v) & 1u) ? 1u : ((r->drp[p] >> v) & 1u) ? 2u : 0u;
            if (st) {
                seterr(msg, msglen, "cycle %llu: input %s vc %u is %s, expected IDLE",
                       (unsigned long long)r->cycle, noc_port_name(p), v, stn[st]);
                return -1;
            }
            if (r->alloc[p][v]) {
                seterr(msg, msglen, "cycle %llu: output %s vc %u still allocated, expected free",
                       (unsigned long long)r->cycle, noc_port_name(p), v);
                return -1;
            }
            if (r->cred[p][v] != r->depth) {
                seterr(msg, msglen, "cycle %llu: output %s vc %u holds %u credit(s), expected %u "
                       "(a credit was %s)", (unsigned long long)r->cycle, noc_port_name(p), v,
                       r->cred[p][v], r->depth, r->cred[p][v] < r->depth ? "lost" : "invented");
                return -1;
            }
        }
        if ((r->out_mask >> p) & 1u) {
            seterr(msg, msglen, "cycle %llu: output %s still drives a flit",
                   (unsigned long long)r->cycle, noc_port_name(p));
            return -1;
        }
        if ((r->cout_mask >> p) & 1u) {
            seterr(msg, msglen, "cycle %llu: input %s still returns a credit",
                   (unsigned long long)r->cycle, noc_port_name(p));
            return -1;
        }
    }
    return 0;
}

/* ---- one cycle (spec 5.7) ---------------------------------------------------------- */

/* Round-robin pick (spec 5.5): first set bit of mask at or after ptr, wrapping.
 * mask != 0. */
static inline unsigned rr_pick(unsigned mask, unsigned ptr) {
    unsigned hi = mask & (~0u << ptr);
    return (unsigned)__builtin_ctz(hi ? hi : mask);
}

void noc_router_step(noc_router *r) {
    noc_router_counters *cnt = &r->cnt;
    const unsigned nv = r->nv;
    const uint8_t en = r->en;

    /* counters of the outputs driven during this cycle (spec 5.8) */
    for (unsigned m = r->out_mask; m; m &= m - 1) cnt->flits_out[__builtin_ctz(m)]++;

    if (r->buffered == 0 && r->in_mask == 0 && r->cin_mask == 0) {
        /* nothing buffered, arriving or returning: every decision is empty */
        r->out_mask = 0;
        r->cout_mask = 0;
        r->cycle++;
        return;
    }

    unsigned busy = 0; /* input ports holding flits at the start of the cycle */
    uint8_t drop_cand[NOC_NUM_PORTS];
    uint8_t va_req[NOC_NUM_PORTS][NOC_NUM_VC_MAX]; /* per output VC: input mask */
    unsigned va_any = 0;                           /* outputs with a VA request */

    /* 1-2: RC and drop detection for idle VCs with a flit at the front (5.3, 5.5) */
    for (unsigned i = 0; i < NOC_NUM_PORTS; i++) {
        drop_cand[i] = 0;
        if (!r->pocc[i]) continue;
        busy |= 1u << i;
        for (unsigned m = r->ne[i] & ~(r->act[i] | r->drp[i]); m; m &= m - 1) {
            unsigned v = (unsigned)__builtin_ctz(m);
            ivc *q = &r->in[i][v];
            const noc_flit *f = &q->buf[q->rd];
            if (!f->head) {
                drop_cand[i] |= (uint8_t)(1u << v);
                cnt->err_proto++;
                continue;
            }
            unsigned o = route_word(en, r->cfg.my_chip, r->cfg.my_x, r->cfg.my_y, r->cfg.route,
                                    f->data[0]);
            if (o == NOC_ROUTE_INVALID) {
                drop_cand[i] |= (uint8_t)(1u << v);
                cnt->err_route++;
                continue;
            }
            q->op = (uint8_t)o; /* meaningful only once ACTIVE */
            if (!r->alloc[o][v]) {
                if (!((va_any >> o) & 1u)) {
                    va_any |= 1u << o;
                    for (unsigned w = 0; w < nv; w++) va_req[o][w] = 0;
                }
                va_req[o][v] |= (uint8_t)(1u << i);
            }
        }
    }

    /* 3: VC allocation, one arbiter per output VC (5.5). Granting here is
     * equivalent to granting at the edge: SA treats "ACTIVE" and "granted
     * this cycle" alike, and nothing else reads alloc after this point. */
    for (unsigned mo = va_any; mo; mo &= mo - 1) {
        unsigned o = (unsigned)__builtin_ctz(mo);
        for (unsigned v = 0; v < nv; v++) {
            unsigned m = va_req[o][v];
            if (!m) continue;
            unsigned i = r->cfg.variant == NOC_VARIANT_VA_FIXED
                             ? (unsigned)__builtin_ctz(m)
                             : rr_pick(m, r->va_ptr[o][v]);
            r->va_ptr[o][v] = (uint8_t)(i + 1 == NOC_NUM_PORTS ? 0 : i + 1);
            r->alloc[o][v] = 1;
            r->act[i] |= (uint8_t)(1u << v); /* op was set by RC */
            cnt->va[o]++;
        }
    }

    /* 4: switch allocation, input stage then output stage (5.5) */
    uint8_t win_vc[NOC_NUM_PORTS], win_tgt[NOC_NUM_PORTS];
    uint8_t sa_req[NOC_NUM_PORTS + 1] = {0}; /* per output: input mask; [SINK] for drops */
    for (unsigned mi = busy; mi; mi &= mi - 1) {
        unsigned i = (unsigned)__builtin_ctz(mi);
        unsigned cand = (r->ne[i] & (r->drp[i] | drop_cand[i])); /* drops: always candidates */
        for (unsigned m = r->ne[i] & r->act[i]; m; m &= m - 1) {
            unsigned v = (unsigned)__builtin_ctz(m);
            if (r->cred[r->in[i][v].op][v]) cand |= 1u << v;
        }
        if (!cand) continue;
        unsigned v = rr_pick(cand, r->sa_in_ptr[i]);
        unsigned t = ((r->act[i] >> v) & 1u) ? r->in[i][v].op : (unsigned)SINK;
        win_vc[i] = (uint8_t)v;
        win_tgt[i] = (uint8_t)t;
        sa_req[t] |= (uint8_t)(1u << i);
        if (r->cfg.variant == NOC_VARIANT_SA_IN_EAGER)
            r->sa_in_ptr[i] = (uint8_t)(v + 1 == nv ? 0 : v + 1);
    }
    unsigned granted = sa_req[SINK]; /* drops: always granted */
    for (unsigned o = 0; o < NOC_NUM_PORTS; o++) {
        unsigned m = sa_req[o];
        if (!m) continue;
        cnt->sa[o]++;
        unsigned i = r->cfg.variant == NOC_VARIANT_SA_OUT_FIXED ? (unsigned)__builtin_ctz(m)
                                                                : rr_pick(m, r->sa_out_ptr[o]);
        r->sa_out_ptr[o] = (uint8_t)(i + 1 == NOC_NUM_PORTS ? 0 : i + 1);
        granted |= 1u << i;
    }

    /* 5: counters that need the start-of-cycle state; 6: arrival checks */
    for (unsigned mi = busy; mi; mi &= mi - 1) {
        unsigned i = (unsigned)__builtin_ctz(mi);
        cnt->occ[i] += r->pocc[i];
        if (!((granted >> i) & 1u)) cnt->stall[i]++;
    }
    unsigned accept = 0;
    for (unsigned mi = r->in_mask; mi; mi &= mi - 1) {
        unsigned i = (unsigned)__builtin_ctz(mi);
        cnt->flits_in[i]++;
        unsigned v = r->in_flit[i].vc;
        if (v >= nv) cnt->err_proto++;
        else if (r->in[i][v].count >= r->depth) cnt->err_ovf++;
        else accept |= 1u << i;
    }

    /* 7: the clock edge. Drop candidates become DROP unless their popped
     * flit is a tail (fixed below for the popped ones). */
    for (unsigned mi = busy; mi; mi &= mi - 1) {
        unsigned i = (unsigned)__builtin_ctz(mi);
        r->drp[i] |= drop_cand[i];
    }
    uint8_t out_mask = 0, cout_mask = 0;
    for (unsigned m = granted; m; m &= m - 1) {
        unsigned i = (unsigned)__builtin_ctz(m);
        unsigned v = win_vc[i], t = win_tgt[i];
        ivc *q = &r->in[i][v];
        const noc_flit *f = &q->buf[q->rd];
        q->rd = (uint8_t)(q->rd + 1u == r->depth ? 0u : q->rd + 1u);
        if (--q->count == 0) r->ne[i] &= (uint8_t)~(1u << v);
        r->pocc[i]--;
        r->buffered--;
        cnt->buf_rd[i]++;
        if (r->cfg.variant != NOC_VARIANT_SA_IN_EAGER)
            r->sa_in_ptr[i] = (uint8_t)(v + 1 == nv ? 0 : v + 1);
        cout_mask |= (uint8_t)(1u << i);
        r->cout_vc[i] = (uint8_t)v;
        if (t != SINK) {
            r->out[t] = *f;
            r->out[t].vc = (uint8_t)v;
            out_mask |= (uint8_t)(1u << t);
            r->cred[t][v]--;
            cnt->xbar[t]++;
            if (f->tail) {
                r->alloc[t][v] = 0;
                r->act[i] &= (uint8_t)~(1u << v);
            }
        } else if (f->tail) {
            r->drp[i] &= (uint8_t)~(1u << v);
        }
    }
    for (unsigned m = accept; m; m &= m - 1) {
        unsigned i = (unsigned)__builtin_ctz(m);
        const noc_flit *f = &r->in_flit[i];
        unsigned v = f->vc;
        ivc *q = &r->in[i][v];
        unsigned slot = q->rd + q->count;
        if (slot >= r->depth) slot -= r->depth;
        q->buf[slot] = *f;
        q->count++;
        r->ne[i] |= (uint8_t)(1u << v);
        r->pocc[i]++;
        r->buffered++;
        cnt->buf_wr[i]++;
    }
    /* credits from downstream (5.6) */
    for (unsigned m = r->cin_mask; m; m &= m - 1) {
        unsigned o = (unsigned)__builtin_ctz(m);
        unsigned v = r->cin_vc[o];
        if (v >= nv || r->cred[o][v] >= r->depth) {
            cnt->err_credit++;
            continue;
        }
        r->cred[o][v]++;
    }
    r->out_mask = out_mask;
    r->cout_mask = cout_mask;
    r->in_mask = 0;
    r->cin_mask = 0;
    r->cycle++;
}

int noc_router_link(noc_router *up, unsigned uport, noc_router *down, unsigned dport,
                    int lose_credit) {
    if ((up->out_mask >> uport) & 1u) {
        /* words above FlitW are 0 in every output register (they come from
         * in_flit, whose upper words are never written) */
        down->in_flit[dport] = up->out[uport];
        down->in_mask |= (uint8_t)(1u << dport);
    }
    if ((down->cout_mask >> dport) & 1u) {
        if (lose_credit) return 1;
        up->cin_mask |= (uint8_t)(1u << uport);
        up->cin_vc[uport] = down->cout_vc[dport];
    }
    return 0;
}
