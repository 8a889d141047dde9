/*
 * ni.c - network interface and DMA model, written from docs/spec.md
 * section 6. ni_step follows the order of section 6.9: every decision is
 * taken from the state at the start of the cycle, then the edge applies them.
 */
#include "ni/ni.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small FIFOs ----------------------------------------------------------------- */

#define FIFO(T)           \
    struct {              \
        T *e;             \
        unsigned cap, rd, n; \
    }

#define F_FRONT(q)   (&(q).e[(q).rd])
#define F_AT(q, i)   (&(q).e[((q).rd + (i)) % (q).cap])
#define F_FULL(q)    ((q).n >= (q).cap)
#define F_POP(q)     do { (q).rd = (q).rd + 1 == (q).cap ? 0 : (q).rd + 1; (q).n--; } while (0)
#define F_PUSHSLOT(q) (&(q).e[((q).rd + (q).n++) % (q).cap])

typedef struct txent {
    noc_flit f;
    uint8_t placeholder; /* a len-0 descriptor: no flit, a BADLEN completion */
    uint8_t last;        /* last flit of its message: push the TX completion */
    uint8_t doff;        /* payload byte offset in the flit (reads only) */
    uint8_t dlen;        /* payload bytes (reads only) */
    uint8_t cpl[16];     /* completion, if last or placeholder (phase bit 0) */
} txent;

enum { RD_RXDESC = 1, RD_TXDESC = 2, RD_PAYLOAD = 3 };
enum { WR_PAYLOAD = 1, WR_CPL = 2 };

typedef struct rdmeta {
    uint8_t kind;
    txent t; /* RD_PAYLOAD: the flit being built */
} rdmeta;

typedef struct rxbuf { uint64_t addr; uint32_t len; } rxbuf;

typedef struct ctx {
    uint8_t valid, err, vc;
    uint32_t key;      /* chip << 16 | x << 12 | y << 8 | flow */
    uint64_t addr;
    uint32_t buflen, received;
    uint16_t exp_seq;
} ctx;

typedef struct rxps {  /* per RX VC: the packet being received */
    uint8_t in_pkt, discard, complete, len, seen;
    int16_t ctx;
    uint16_t left;     /* payload bytes still to come */
} rxps;

typedef struct regwr { unsigned reg; uint32_t val; } regwr;
typedef struct cplent { uint8_t b[16]; } cplent; /* a completion, phase bit 0 */

#define MAX_REGWR NI_NUM_REGS /* one pending write per register */

struct ni {
    ni_config cfg;
    hostmem *mem;
    hostmem_port *rdp, *wrp;
    unsigned B, pmax, nv, depth;
    uint64_t cycle;

    /* registers */
    uint32_t ctrl, irq_coal, intr;
    uint64_t base[3];
    unsigned size[3];      /* k; ring has 2^k entries, 0 = unusable */
    uint32_t tx_tail, tx_head, tx_fetch;
    uint32_t rx_tail, rx_head, rx_fetch;
    uint32_t cq_head, cq_tail, cq_wr;
    unsigned phase;
    regwr pend[MAX_REGWR];
    unsigned npend;

    /* transmit */
    FIFO(ni_tx_desc) txdq;
    unsigned tx_desc_inflight;
    unsigned tx_rd_inflight;
    uint32_t tx_off;       /* bytes of the front message read (issued) */
    unsigned tx_k, tx_flits; /* flit index in the current packet, its flits */
    uint32_t tx_left;      /* bytes of the current packet not yet read */
    uint16_t seq[256];
    FIFO(txent) txfq;
    uint8_t tx_cred[NOC_NUM_VC_MAX];
    FIFO(rdmeta) rdq;      /* metadata of outstanding reads, issue order */

    /* receive */
    FIFO(noc_flit) rxf[NOC_NUM_VC_MAX];
    rxps ps[NOC_NUM_VC_MAX];
    FIFO(rxbuf) rxc;       /* free buffers held */
    unsigned rx_desc_inflight;
    ctx *ctxs;
    int credit_out;        /* VC of the credit returned this cycle, -1 */

    /* completions */
    FIFO(cplent) rxcq, txcq;

    /* arbiters (spec 6.9) */
    unsigned rx_ptr, cq_ptr, wr_ptr, rd_ptr;

    /* interrupt */
    unsigned unsig;        /* performed completions not signalled */
    unsigned age;          /* cycles since the oldest unsignalled one */

    /* inputs of the current cycle */
    int in_valid, cin_valid;
    noc_flit in_flit;
    unsigned cin_vc;

    ni_counters cnt;
    hostmem_req issued_rd, issued_wr; /* requests of the last step (observation) */
    int has_rd, has_wr;
    hostmem_req done[8];
    char err[192];
};

static void seterr(char *buf, size_t len, const char *fmt, ...) {
    if (!buf || len == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

/* ---- formats (spec 6.4) ------------------------------------------------------------ */

static void put32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static void put64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static uint32_t get32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t get64(const uint8_t *p) { return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32; }

void ni_desc_tx_pack(uint8_t out[16], const ni_tx_desc *d) {
    put64(out, d->addr);
    put32(out + 8, d->len);
    out[12] = (uint8_t)((d->dst_chip & 0xF) | (d->vc & 3u) << 4);
    out[13] = (uint8_t)((d->dst_x & 0xF) | (d->dst_y & 0xF) << 4);
    out[14] = (uint8_t)d->flow;
    out[15] = 0;
}

void ni_desc_rx_pack(uint8_t out[16], uint64_t addr, uint32_t len) {
    put64(out, addr);
    put32(out + 8, len);
    put32(out + 12, 0);
}

void ni_cpl_unpack(const uint8_t in[16], ni_cpl *c) {
    c->addr = get64(in);
    c->len = get32(in + 8);
    c->kind = in[12] & 3u;
    c->status = (in[12] >> 2) & 7u;
    c->phase = in[12] >> 7;
    c->flow = in[13];
    c->x = in[14] & 0xF;
    c->y = in[14] >> 4;
    c->chip = in[15] & 0xF;
    c->vc = (in[15] >> 4) & 3u;
}

static void mk_cpl(uint8_t out[16], uint64_t addr, uint32_t len, unsigned kind, unsigned status,
                   unsigned flow, unsigned x, unsigned y, unsigned chip, unsigned vc) {
    put64(out, addr);
    put32(out + 8, len);
    out[12] = (uint8_t)(kind | status << 2);
    out[13] = (uint8_t)flow;
    out[14] = (uint8_t)((x & 0xF) | (y & 0xF) << 4);
    out[15] = (uint8_t)((chip & 0xF) | (vc & 3u) << 4);
}

unsigned ni_max_packet_bytes(unsigned flit_w) { return flit_w - 8; } /* 8B - 8, B = flit_w/8 */

unsigned ni_packet_flits(unsigned flit_w, unsigned nbytes) {
    unsigned B = flit_w / 8;
    if (nbytes <= B - 8) return 1;
    return 1 + (nbytes - (B - 8) + B - 1) / B;
}

/* byte i of a flit's payload (little-endian words) */
static void flit_put(noc_flit *f, unsigned off, const uint8_t *src, unsigned n) {
    for (unsigned i = 0; i < n; i++) {
        unsigned b = off + i;
        f->data[b / 8] |= (uint64_t)src[i] << (8 * (b % 8));
    }
}
static void flit_get(const noc_flit *f, unsigned off, uint8_t *dst, unsigned n) {
    for (unsigned i = 0; i < n; i++) {
        unsigned b = off + i;
        dst[i] = (uint8_t)(f->data[b / 8] >> (8 * (b % 8)));
    }
}

/* ---- life cycle ---------------------------------------------------------------------- */

#define CHECK(field, lo, hi)                                                                    \
    do {                                                                                        \
        if (c.field < (lo) || c.field > (hi)) {                                                 \
            seterr(err, errlen, "ni: " #field " = %u: must be %u..%u", c.field, (unsigned)(lo), \
                   (unsigned)(hi));                                                             \
            return NULL;                                                                        \
        }                                                                                       \
    } while (0)

#define ALLOC_FIFO(q, cnt)                                   \
    do {                                                     \
        (q).cap = (cnt);                                     \
        (q).e = calloc((cnt), sizeof *(q).e);                \
        if (!(q).e) goto oom;                                \
    } while (0)

ni *ni_new(const ni_config *cfg, hostmem *mem, char *err, size_t errlen) {
    ni_config c;
    if (cfg) c = *cfg;
    else memset(&c, 0, sizeof c);
    if (!c.flit_w) c.flit_w = 256;
    if (!c.num_vc) c.num_vc = 2;
    if (!c.buf_depth) c.buf_depth = 4;
    if (!c.mem_lat) c.mem_lat = 100;
    if (!c.max_out_rd) c.max_out_rd = 128;
    if (!c.max_out_wr) c.max_out_wr = 128;
    if (!c.tx_flits) c.tx_flits = 128;
    if (!c.tx_desc_q) c.tx_desc_q = 4;
    if (!c.rx_desc_q) c.rx_desc_q = 4;
    if (!c.cpl_q) c.cpl_q = 4;
    if (!c.num_rx_ctx) c.num_rx_ctx = 16;
    if (!mem) {
        seterr(err, errlen, "ni: host memory is NULL");
        return NULL;
    }
    if (c.flit_w != 128 && c.flit_w != 256) {
        seterr(err, errlen, "ni: flit_w = %u: the NI supports 128 or 256", c.flit_w);
        return NULL;
    }
    CHECK(num_vc, 1, NOC_NUM_VC_MAX);
    CHECK(buf_depth, 1, NOC_BUF_DEPTH_MAX);
    CHECK(mem_lat, 1, HOSTMEM_LAT_MAX);
    CHECK(max_out_rd, 1, 4096);
    CHECK(max_out_wr, 1, 4096);
    CHECK(tx_flits, 1, 4096);
    CHECK(tx_desc_q, 1, 64);
    CHECK(rx_desc_q, 1, 64);
    CHECK(cpl_q, 1, 64);
    CHECK(num_rx_ctx, 1, 256);
    if (c.variant > NI_VARIANT_RD_FIXED) {
        seterr(err, errlen, "ni: variant = %u: must be 0..%u", c.variant, (unsigned)NI_VARIANT_RD_FIXED);
        return NULL;
    }
    if (c.my_chip > 15 || c.my_x > 15 || c.my_y > 15) {
        seterr(err, errlen, "ni: my_chip/my_x/my_y = %u/%u/%u: each must be 0..15", c.my_chip,
               c.my_x, c.my_y);
        return NULL;
    }

    ni *n = calloc(1, sizeof *n);
    if (!n) goto oom0;
    n->cfg = c;
    n->mem = mem;
    n->B = c.flit_w / 8;
    n->pmax = ni_max_packet_bytes(c.flit_w);
    n->nv = c.num_vc;
    n->depth = c.buf_depth;
    char e2[160];
    n->rdp = hostmem_port_new(mem, c.mem_lat, c.max_out_rd, e2, sizeof e2);
    n->wrp = hostmem_port_new(mem, c.mem_lat, c.max_out_wr, e2, sizeof e2);
    if (!n->rdp || !n->wrp) goto oom;
    ALLOC_FIFO(n->txdq, c.tx_desc_q);
    ALLOC_FIFO(n->txfq, c.tx_flits);
    ALLOC_FIFO(n->rdq, c.max_out_rd);
    for (unsigned v = 0; v < c.num_vc; v++) ALLOC_FIFO(n->rxf[v], c.buf_depth);
    ALLOC_FIFO(n->rxc, c.rx_desc_q);
    ALLOC_FIFO(n->rxcq, c.cpl_q);
    ALLOC_FIFO(n->txcq, c.cpl_q);
    n->ctxs = calloc(c.num_rx_ctx, sizeof *n->ctxs);
    if (!n->ctxs) goto oom;
    ni_reset(n);
    return n;
oom:
    ni_free(n);
oom0:
    seterr(err, errlen, "ni: out of memory");
    return NULL;
}

void ni_free(ni *n) {
    if (!n) return;
    hostmem_port_free(n->rdp);
    hostmem_port_free(n->wrp);
    free(n->txdq.e);
    free(n->txfq.e);
    free(n->rdq.e);
    for (unsigned v = 0; v < NOC_NUM_VC_MAX; v++) free(n->rxf[v].e);
    free(n->rxc.e);
    free(n->rxcq.e);
    free(n->txcq.e);
    free(n->ctxs);
    free(n);
}

void ni_reset(ni *n) {
    hostmem_port_reset(n->rdp);
    hostmem_port_reset(n->wrp);
    n->cycle = 0;
    n->ctrl = n->irq_coal = n->intr = 0;
    for (int r = 0; r < 3; r++) {
        n->base[r] = 0;
        n->size[r] = 0;
    }
    n->tx_tail = n->tx_head = n->tx_fetch = 0;
    n->rx_tail = n->rx_head = n->rx_fetch = 0;
    n->cq_head = n->cq_tail = n->cq_wr = 0;
    n->phase = 1;
    n->npend = 0;
    n->txdq.rd = n->txdq.n = 0;
    n->tx_desc_inflight = n->tx_rd_inflight = 0;
    n->tx_off = n->tx_k = n->tx_flits = n->tx_left = 0;
    memset(n->seq, 0, sizeof n->seq);
    n->txfq.rd = n->txfq.n = 0;
    n->rdq.rd = n->rdq.n = 0;
    for (unsigned v = 0; v < NOC_NUM_VC_MAX; v++) {
        n->tx_cred[v] = (uint8_t)n->depth;
        n->rxf[v].rd = n->rxf[v].n = 0;
        memset(&n->ps[v], 0, sizeof n->ps[v]);
        n->ps[v].ctx = -1;
    }
    n->rxc.rd = n->rxc.n = 0;
    n->rx_desc_inflight = 0;
    memset(n->ctxs, 0, n->cfg.num_rx_ctx * sizeof *n->ctxs);
    n->credit_out = -1;
    n->rxcq.rd = n->rxcq.n = 0;
    n->txcq.rd = n->txcq.n = 0;
    n->rx_ptr = n->cq_ptr = n->wr_ptr = n->rd_ptr = 0;
    n->unsig = n->age = 0;
    n->in_valid = n->cin_valid = 0;
    n->has_rd = n->has_wr = 0;
    memset(&n->cnt, 0, sizeof n->cnt);
    n->err[0] = 0;
}

const ni_config *ni_get_config(const ni *n) { return &n->cfg; }
const char *ni_error(const ni *n) { return n->err; }
uint64_t ni_cycle(const ni *n) { return n->cycle; }
int ni_irq(const ni *n) { return (int)(n->intr & 1u); }
const ni_counters *ni_get_counters(const ni *n) { return &n->cnt; }
const hostmem_req *ni_issued_read(const ni *n) { return n->has_rd ? &n->issued_rd : NULL; }
const hostmem_req *ni_issued_write(const ni *n) { return n->has_wr ? &n->issued_wr : NULL; }

int ni_idle(const ni *n) {
    if (hostmem_port_outstanding(n->rdp) || hostmem_port_outstanding(n->wrp)) return 0;
    if (n->txdq.n || n->txfq.n || n->rxcq.n || n->txcq.n || n->npend) return 0;
    for (unsigned v = 0; v < n->nv; v++)
        if (n->rxf[v].n || n->ps[v].in_pkt) return 0;
    return 1;
}

/* ---- registers (spec 6.3) --------------------------------------------------------- */

int ni_reg_write(ni *n, unsigned reg, uint32_t value) {
    if (reg >= NI_NUM_REGS || reg == NI_REG_TX_HEAD || reg == NI_REG_RX_HEAD ||
        reg == NI_REG_CQ_TAIL) {
        seterr(n->err, sizeof n->err, "ni_reg_write: cycle %llu: register %u is %s",
               (unsigned long long)n->cycle, reg, reg >= NI_NUM_REGS ? "unknown" : "read-only");
        return -1;
    }
    for (unsigned i = 0; i < n->npend; i++) {
        if (n->pend[i].reg != reg || reg == NI_REG_INTR) continue;
        n->pend[i].val = value; /* the last write of a cycle to a register counts */
        return 0;
    }
    if (n->npend >= MAX_REGWR) { /* only INTR can repeat; more than that is nonsense */
        seterr(n->err, sizeof n->err, "ni_reg_write: cycle %llu: too many writes in one cycle",
               (unsigned long long)n->cycle);
        return -1;
    }
    n->pend[n->npend].reg = reg;
    n->pend[n->npend].val = value;
    n->npend++;
    return 0;
}

uint32_t ni_reg_read(const ni *n, unsigned reg) {
    switch (reg) {
    case NI_REG_CTRL: return n->ctrl;
    case NI_REG_TX_BASE_LO: return (uint32_t)n->base[0];
    case NI_REG_TX_BASE_HI: return (uint32_t)(n->base[0] >> 32);
    case NI_REG_TX_SIZE: return n->size[0];
    case NI_REG_TX_TAIL: return n->tx_tail;
    case NI_REG_TX_HEAD: return n->tx_head;
    case NI_REG_RX_BASE_LO: return (uint32_t)n->base[1];
    case NI_REG_RX_BASE_HI: return (uint32_t)(n->base[1] >> 32);
    case NI_REG_RX_SIZE: return n->size[1];
    case NI_REG_RX_TAIL: return n->rx_tail;
    case NI_REG_RX_HEAD: return n->rx_head;
    case NI_REG_CQ_BASE_LO: return (uint32_t)n->base[2];
    case NI_REG_CQ_BASE_HI: return (uint32_t)(n->base[2] >> 32);
    case NI_REG_CQ_SIZE: return n->size[2];
    case NI_REG_CQ_HEAD: return n->cq_head;
    case NI_REG_CQ_TAIL: return n->cq_tail;
    case NI_REG_IRQ_COAL: return n->irq_coal;
    case NI_REG_INTR: return n->intr;
    default: return 0;
    }
}

static void ring_reset(ni *n, unsigned ring) {
    if (ring == 0) n->tx_head = n->tx_tail = n->tx_fetch = 0;
    else if (ring == 1) n->rx_head = n->rx_tail = n->rx_fetch = 0;
    else {
        n->cq_head = n->cq_tail = n->cq_wr = 0;
        n->phase = 1;
    }
}

static void apply_reg(ni *n, unsigned reg, uint32_t v) {
    static const uint32_t en_bit[3] = {NI_CTRL_TX, NI_CTRL_RX, NI_CTRL_CQ};
    switch (reg) {
    case NI_REG_CTRL: n->ctrl = v & 7u; return;
    case NI_REG_IRQ_COAL: n->irq_coal = v; return;
    case NI_REG_INTR:
        if (v & 1u) n->intr &= ~1u;
        return;
    case NI_REG_TX_TAIL:
    case NI_REG_RX_TAIL:
    case NI_REG_CQ_HEAD: {
        unsigned ring = reg == NI_REG_TX_TAIL ? 0 : reg == NI_REG_RX_TAIL ? 1 : 2;
        if (n->size[ring] == 0 || v >= (1u << n->size[ring])) {
            n->cnt.err_doorbell++;
            return;
        }
        if (ring == 0) n->tx_tail = v;
        else if (ring == 1) n->rx_tail = v;
        else n->cq_head = v;
        return;
    }
    default: break;
    }
    /* base and size registers */
    unsigned ring = reg <= NI_REG_TX_SIZE ? 0 : reg <= NI_REG_RX_SIZE ? 1 : 2;
    unsigned first = ring == 0 ? NI_REG_TX_BASE_LO : ring == 1 ? NI_REG_RX_BASE_LO : NI_REG_CQ_BASE_LO;
    if (n->ctrl & en_bit[ring]) {
        n->cnt.err_csr++;
        return;
    }
    if (reg == first) {
        n->base[ring] = (n->base[ring] & ~0xFFFFFFFFull) | v;
    } else if (reg == first + 1) {
        n->base[ring] = (n->base[ring] & 0xFFFFFFFFull) | (uint64_t)v << 32;
    } else {
        if (v > 16) {
            n->cnt.err_csr++;
            return;
        }
        n->size[ring] = v;
    }
    ring_reset(n, ring);
}

/* ---- network side ----------------------------------------------------------------- */

/* The TX flit queue's front goes out this cycle (spec 6.5 "Sending"). */
static int tx_can_send(const ni *n) {
    if (!n->txfq.n) return 0;
    const txent *e = F_FRONT(n->txfq);
    if (e->placeholder) return 0;
    if (!n->tx_cred[e->f.vc]) return 0;
    if (e->last && F_FULL(n->txcq)) return 0;
    return 1;
}

const noc_flit *ni_tx_flit(const ni *n) { return tx_can_send(n) ? &F_FRONT(n->txfq)->f : NULL; }

int ni_tx_credit(ni *n, unsigned vc) {
    if (n->cin_valid) {
        seterr(n->err, sizeof n->err, "ni_tx_credit: cycle %llu: second credit in one cycle",
               (unsigned long long)n->cycle);
        return -1;
    }
    n->cin_valid = 1;
    n->cin_vc = vc;
    return 0;
}

int ni_rx_flit(ni *n, const noc_flit *f) {
    if (n->in_valid) {
        seterr(n->err, sizeof n->err, "ni_rx_flit: cycle %llu: second flit in one cycle",
               (unsigned long long)n->cycle);
        return -1;
    }
    n->in_valid = 1;
    n->in_flit = *f;
    return 0;
}

int ni_rx_credit_out(const ni *n) { return n->credit_out; }

/* ---- receive planning (spec 6.6) ------------------------------------------------------ */

enum { RXA_NONE = 0, RXA_ACCEPT_NEW, RXA_ACCEPT, RXA_DISCARD, RXA_NOCTX, RXA_STRAY };

typedef struct rxplan {
    int ready, nobuf;
    int head_action;     /* RXA_* for a head flit, RXA_NONE for a body flit */
    int ctx;             /* context of the packet (-1 none) */
    int new_ctx;         /* RXA_ACCEPT_NEW: the context to allocate */
    int set_err;         /* set the context's error flag */
    int count_err;       /* err_rx += 1 */
    int resync;          /* a seq mismatch: expected seq becomes seq + 1 */
    int complete;        /* EOM packet with a context: completion at its tail */
    noc_header h;
    unsigned nbytes;
    /* write */
    int need_write;
    uint64_t waddr;
    unsigned wlen, woff;
    unsigned bytes;      /* payload bytes this flit carries (unclipped) */
    /* tail */
    int tail_err;
    int push_cpl;
    uint8_t cpl[16];
} rxplan;

static int ctx_lookup(const ni *n, uint32_t key) {
    for (unsigned i = 0; i < n->cfg.num_rx_ctx; i++)
        if (n->ctxs[i].valid && n->ctxs[i].key == key) return (int)i;
    return -1;
}

static int ctx_free_slot(const ni *n) {
    for (unsigned i = 0; i < n->cfg.num_rx_ctx; i++)
        if (!n->ctxs[i].valid) return (int)i;
    return -1;
}

static void rx_plan(const ni *n, unsigned v, rxplan *p) {
    memset(p, 0, sizeof *p);
    p->ctx = -1;
    p->new_ctx = -1;
    const noc_flit *f = F_FRONT(n->rxf[v]);
    const rxps *ps = &n->ps[v];
    /* context state as it would be after this flit's head processing */
    uint64_t caddr = 0;
    uint32_t cbuflen = 0, crecv = 0;
    int discard;
    unsigned seen, len;

    if (!ps->in_pkt) {
        if (!f->head) { /* a stray flit outside any packet */
            p->head_action = RXA_STRAY;
            p->count_err = 1;
            p->ready = 1;
            return;
        }
        noc_header_unpack(f, &p->h);
        p->nbytes = (p->h.ni & NI_HDR_NBYTES_MASK) + 1;
        int som = (p->h.ni & NI_HDR_SOM) != 0, eom = (p->h.ni & NI_HDR_EOM) != 0;
        uint32_t key = (uint32_t)p->h.src_chip << 16 | p->h.src_x << 12 | p->h.src_y << 8 | p->h.flow;
        int c = ctx_lookup(n, key);
        int bad_hdr = p->h.len != ni_packet_flits(n->cfg.flit_w, p->nbytes) || p->nbytes > n->pmax;
        if (bad_hdr) {
            p->head_action = RXA_DISCARD;
            p->count_err = 1;
            if (c >= 0) {
                p->ctx = c;
                p->set_err = 1;
                p->complete = eom;
            }
        } else if (som) {
            if (c >= 0) { /* a duplicate SOM: the existing context gets its flag and, with
                           * EOM, is completed at this packet's tail (spec 6.6) */
                p->head_action = RXA_DISCARD;
                p->count_err = 1;
                p->ctx = c;
                p->set_err = 1;
                p->complete = eom;
            } else if (ctx_free_slot(n) < 0) {
                p->head_action = RXA_NOCTX;
                mk_cpl(p->cpl, 0, 0, NI_KIND_RX, NI_ST_NOCTX, p->h.flow, p->h.src_x, p->h.src_y,
                       p->h.src_chip, v);
                p->push_cpl = 1;
            } else if (!n->rxc.n) {
                p->nobuf = 1; /* waits for a free buffer */
                return;
            } else {
                p->head_action = RXA_ACCEPT_NEW;
                p->new_ctx = ctx_free_slot(n);
                p->ctx = p->new_ctx;
                p->complete = eom;
                caddr = F_FRONT(n->rxc)->addr;
                cbuflen = F_FRONT(n->rxc)->len;
                crecv = 0;
            }
        } else {
            if (c < 0) {
                p->head_action = RXA_DISCARD;
                p->count_err = 1;
            } else if (p->h.seq != n->ctxs[c].exp_seq) {
                /* spec 6.6: the error flag, not err_rx (the ERR completion reports it) */
                p->head_action = RXA_DISCARD;
                p->ctx = c;
                p->set_err = 1;
                p->resync = 1;
                p->complete = eom;
            } else {
                p->head_action = RXA_ACCEPT;
                p->ctx = c;
                p->complete = eom;
                caddr = n->ctxs[c].addr;
                cbuflen = n->ctxs[c].buflen;
                crecv = n->ctxs[c].received;
            }
        }
        discard = p->head_action != RXA_ACCEPT_NEW && p->head_action != RXA_ACCEPT;
        seen = 0;
        len = p->h.len;
        p->bytes = discard ? 0 : (p->nbytes < n->B - 8 ? p->nbytes : n->B - 8);
        p->woff = 8;
    } else {
        p->ctx = ps->ctx;
        p->complete = ps->complete;
        discard = ps->discard;
        seen = ps->seen;
        len = ps->len;
        if (!discard) {
            caddr = n->ctxs[ps->ctx].addr;
            cbuflen = n->ctxs[ps->ctx].buflen;
            crecv = n->ctxs[ps->ctx].received;
        }
        p->bytes = discard ? 0 : (ps->left < n->B ? ps->left : n->B);
        p->woff = 0;
    }
    if (p->bytes && crecv < cbuflen) {
        p->wlen = cbuflen - crecv < p->bytes ? cbuflen - crecv : p->bytes;
        p->waddr = caddr + crecv;
        p->need_write = 1;
    }
    if (f->tail) {
        if (seen + 1 != len) {
            p->tail_err = 1;
            p->count_err = 1;
        }
        if (p->complete && p->ctx >= 0) {
            const ctx *cx = &n->ctxs[p->ctx];
            uint64_t a = p->head_action == RXA_ACCEPT_NEW ? caddr : cx->addr;
            uint32_t bl = p->head_action == RXA_ACCEPT_NEW ? cbuflen : cx->buflen;
            uint32_t rec = (p->head_action == RXA_ACCEPT_NEW ? 0 : cx->received) + p->bytes;
            int e = (p->head_action == RXA_ACCEPT_NEW ? 0 : cx->err) || p->set_err || p->tail_err;
            unsigned st = e ? NI_ST_ERR : rec > bl ? NI_ST_TRUNC : NI_ST_OK;
            unsigned key = p->head_action == RXA_ACCEPT_NEW ? 0 : cx->key;
            unsigned flow, sx, sy, sc, cvc;
            if (p->head_action == RXA_ACCEPT_NEW) {
                flow = p->h.flow;
                sx = p->h.src_x;
                sy = p->h.src_y;
                sc = p->h.src_chip;
                cvc = v;
            } else {
                flow = key & 0xFF;
                sy = (key >> 8) & 0xF;
                sx = (key >> 12) & 0xF;
                sc = (key >> 16) & 0xF;
                cvc = v; /* the VC of the flit that completes it (spec 6.4) */
            }
            mk_cpl(p->cpl, a, rec, NI_KIND_RX, st, flow, sx, sy, sc, cvc);
            p->push_cpl = 1;
        }
    }
    p->ready = !p->push_cpl || !F_FULL(n->rxcq);
}

static void rx_apply(ni *n, unsigned v, const rxplan *p) {
    const noc_flit *f = F_FRONT(n->rxf[v]);
    rxps *ps = &n->ps[v];
    int tail = f->tail;
    if (p->count_err) n->cnt.err_rx++;
    n->cnt.rx_flits++;
    if (p->head_action == RXA_STRAY) {
        F_POP(n->rxf[v]);
        return;
    }
    if (p->head_action != RXA_NONE) {
        ps->in_pkt = 1;
        ps->seen = 0;
        ps->len = (uint8_t)p->h.len;
        ps->complete = (uint8_t)p->complete;
        ps->ctx = (int16_t)p->ctx;
        ps->discard = p->head_action != RXA_ACCEPT_NEW && p->head_action != RXA_ACCEPT;
        ps->left = (uint16_t)(ps->discard ? 0 : p->nbytes);
        if (p->head_action == RXA_ACCEPT_NEW) {
            ctx *c = &n->ctxs[p->new_ctx];
            const rxbuf *b = F_FRONT(n->rxc);
            c->valid = 1;
            c->err = 0;
            c->vc = (uint8_t)v;
            c->key = (uint32_t)p->h.src_chip << 16 | p->h.src_x << 12 | p->h.src_y << 8 | p->h.flow;
            c->addr = b->addr;
            c->buflen = b->len;
            c->received = 0;
            c->exp_seq = (uint16_t)(p->h.seq + 1);
            F_POP(n->rxc);
        } else if (p->head_action == RXA_ACCEPT) {
            n->ctxs[p->ctx].exp_seq = (uint16_t)(p->h.seq + 1);
        } else if (p->head_action == RXA_DISCARD && p->set_err) {
            n->ctxs[p->ctx].err = 1;
            if (p->resync) n->ctxs[p->ctx].exp_seq = (uint16_t)(p->h.seq + 1);
        } else if (p->head_action == RXA_NOCTX) {
            n->cnt.err_rx_noctx++;
        }
    }
    if (!ps->discard) {
        n->ctxs[ps->ctx].received += p->bytes;
        ps->left = (uint16_t)(ps->left - p->bytes);
    }
    ps->seen++;
    if (p->push_cpl) {
        memcpy(F_PUSHSLOT(n->rxcq)->b, p->cpl, 16);
        if (p->head_action != RXA_NOCTX) n->cnt.rx_msgs++;
    }
    if (tail) {
        n->cnt.rx_pkts++; /* a packet counts at its tail (spec 6.8) */
        if (p->tail_err && ps->ctx >= 0 && !ps->discard) n->ctxs[ps->ctx].err = 1;
        if (ps->complete && ps->ctx >= 0) {
            n->ctxs[ps->ctx].valid = 0; /* freed; a packet of it still in progress on
                                         * another VC is discarded from now on (spec 6.6) */
            for (unsigned u = 0; u < n->nv; u++) {
                rxps *o = &n->ps[u];
                if (u == v || !o->in_pkt || o->ctx != ps->ctx) continue;
                o->discard = 1;
                o->complete = 0;
                o->left = 0;
            }
        }
        ps->in_pkt = 0;
        ps->ctx = -1;
    }
    F_POP(n->rxf[v]);
}

/* ---- one cycle (spec 6.9) ------------------------------------------------------------ */

static unsigned rr_pick(unsigned mask, unsigned ptr) {
    unsigned hi = mask & (~0u << ptr);
    return (unsigned)__builtin_ctz(hi ? hi : mask);
}

static uint32_t ring_mask(const ni *n, unsigned ring) { return (1u << n->size[ring]) - 1u; }

static void tx_issue_payload(ni *n, hostmem_req *rq, rdmeta *md) {
    const ni_tx_desc *d = F_FRONT(n->txdq);
    memset(md, 0, sizeof *md);
    md->kind = RD_PAYLOAD;
    txent *e = &md->t;
    rq->write = 0;
    if (d->len == 0) {
        e->placeholder = 1;
        e->last = 1;
        mk_cpl(e->cpl, d->addr, 0, NI_KIND_TX, NI_ST_BADLEN, d->flow, d->dst_x, d->dst_y,
               d->dst_chip, 0);
        rq->addr = d->addr;
        rq->len = 0;
        return;
    }
    unsigned b;
    e->f.vc = (uint8_t)d->vc;
    if (n->tx_k == 0) { /* a new packet: header */
        uint32_t rest = d->len - n->tx_off;
        uint32_t nb = rest < n->pmax ? rest : n->pmax;
        n->tx_flits = ni_packet_flits(n->cfg.flit_w, nb);
        n->tx_left = nb;
        noc_header h = {.dst_x = d->dst_x, .dst_y = d->dst_y, .dst_chip = d->dst_chip,
                        .src_x = n->cfg.my_x, .src_y = n->cfg.my_y, .src_chip = n->cfg.my_chip,
                        .flow = d->flow, .seq = n->seq[d->flow], .len = n->tx_flits};
        h.ni = (nb - 1) | (n->tx_off == 0 ? NI_HDR_SOM : 0) | (n->tx_off + nb == d->len ? NI_HDR_EOM : 0);
        n->seq[d->flow]++;
        noc_header_pack(&e->f, &h);
        e->f.head = 1;
        b = nb < n->B - 8 ? nb : n->B - 8;
        e->doff = 8;
    } else {
        b = n->tx_left < n->B ? n->tx_left : n->B;
        e->doff = 0;
    }
    e->dlen = (uint8_t)b;
    e->f.tail = n->tx_k + 1 == n->tx_flits;
    rq->addr = d->addr + n->tx_off;
    rq->len = b;
    n->tx_off += b;
    n->tx_left -= b;
    n->tx_k = e->f.tail ? 0 : n->tx_k + 1;
    if (n->tx_off == d->len) { /* the message's last read: the next starts afresh */
        n->tx_off = 0;
        n->tx_k = 0;
        e->last = 1;
        mk_cpl(e->cpl, d->addr, d->len, NI_KIND_TX, NI_ST_OK, d->flow, d->dst_x, d->dst_y,
               d->dst_chip, 0);
    }
}

void ni_step(ni *n) {
    ni_counters *cnt = &n->cnt;
    const unsigned rd_out = hostmem_port_outstanding(n->rdp);
    const unsigned wr_out = hostmem_port_outstanding(n->wrp);

    /* 1: send */
    int send = tx_can_send(n);
    int placeholder = n->txfq.n && F_FRONT(n->txfq)->placeholder && !F_FULL(n->txcq);

    /* 2: RX choice */
    rxplan plan[NOC_NUM_VC_MAX] = {{0}};
    unsigned ready = 0, nobuf = 0;
    for (unsigned v = 0; v < n->nv; v++) {
        if (!n->rxf[v].n) continue;
        rx_plan(n, v, &plan[v]);
        if (plan[v].ready) ready |= 1u << v;
        nobuf |= (unsigned)plan[v].nobuf;
    }
    if (nobuf) cnt->rx_nobuf++;
    int rx_v = ready ? (int)rr_pick(ready, n->rx_ptr) : -1;

    /* 3: CQ writer choice */
    int cq_room = (n->ctrl & NI_CTRL_CQ) && n->size[2] &&
                  ((n->cq_wr + 1) & ring_mask(n, 2)) != n->cq_head;
    unsigned cq_req = (n->rxcq.n ? 1u : 0u) | (n->txcq.n ? 2u : 0u);
    /* spec 6.8: waiting for ring space, i.e. an enabled, usable ring that is full */
    if (cq_req && !cq_room && (n->ctrl & NI_CTRL_CQ) && n->size[2]) cnt->cq_full++;
    int cq_q = cq_req && cq_room ? (int)rr_pick(cq_req, n->cq_ptr) : -1;

    /* 4: write channel */
    unsigned wr_req = 0;
    if (cq_q >= 0) wr_req |= 1u;
    if (rx_v >= 0 && plan[rx_v].need_write) wr_req |= 2u;
    int wr_g = wr_req && wr_out < n->cfg.max_out_wr ? (int)rr_pick(wr_req, n->wr_ptr) : -1;
    int rx_go = rx_v >= 0 && (!plan[rx_v].need_write || wr_g == 1);
    int cq_go = wr_g == 0;

    /* 5: read channel */
    unsigned rd_req = 0;
    if (rd_out < n->cfg.max_out_rd) {
        if ((n->ctrl & NI_CTRL_RX) && n->size[1] && n->rx_fetch != n->rx_tail &&
            n->rxc.n + n->rx_desc_inflight < n->cfg.rx_desc_q)
            rd_req |= 1u;
        if ((n->ctrl & NI_CTRL_TX) && n->size[0] && n->tx_fetch != n->tx_tail &&
            n->txdq.n + n->tx_desc_inflight < n->cfg.tx_desc_q)
            rd_req |= 2u;
        if (n->txdq.n && n->tx_rd_inflight + n->txfq.n < n->cfg.tx_flits) rd_req |= 4u;
    }
    int rd_g = rd_req ? (int)rr_pick(rd_req, n->cfg.variant == NI_VARIANT_RD_FIXED ? 0 : n->rd_ptr) : -1;

    /* 6: arrival checks (start-of-cycle occupancy) */
    int accept = 0;
    if (n->in_valid) {
        unsigned v = n->in_flit.vc;
        if (v >= n->nv || F_FULL(n->rxf[v])) cnt->err_ovf++;
        else accept = 1;
    }

    /* 7: the edge */
    n->has_rd = n->has_wr = 0;
    if (send) {
        txent *e = F_FRONT(n->txfq);
        n->tx_cred[e->f.vc]--;
        cnt->tx_flits++;
        if (e->f.tail) cnt->tx_pkts++; /* a packet counts at its tail (spec 6.8) */
        if (e->last) {
            memcpy(F_PUSHSLOT(n->txcq)->b, e->cpl, 16);
            cnt->tx_msgs++;
        }
        F_POP(n->txfq);
    } else if (placeholder) {
        memcpy(F_PUSHSLOT(n->txcq)->b, F_FRONT(n->txfq)->cpl, 16);
        F_POP(n->txfq);
    }

    n->credit_out = -1;
    if (rx_go) {
        const rxplan *p = &plan[rx_v];
        if (p->need_write) {
            hostmem_req rq;
            memset(&rq, 0, sizeof rq);
            rq.addr = p->waddr;
            rq.len = p->wlen;
            rq.write = 1;
            rq.tag = WR_PAYLOAD;
            flit_get(F_FRONT(n->rxf[rx_v]), p->woff, rq.data, p->wlen);
            if (rq.addr + rq.len < rq.addr) { /* a buffer wrapping past 2^64 */
                cnt->err_desc++;
                rq.len = 0;
            }
            (void)hostmem_port_issue(n->wrp, &rq);
            n->issued_wr = rq;
            n->has_wr = 1;
            cnt->wr_reqs++;
            cnt->wr_bytes += p->wlen;
        }
        rx_apply(n, (unsigned)rx_v, p);
        n->credit_out = rx_v;
        n->rx_ptr = (unsigned)rx_v + 1 == n->nv ? 0 : (unsigned)rx_v + 1;
    }
    if (cq_go) {
        hostmem_req rq;
        memset(&rq, 0, sizeof rq);
        const cplent *src = cq_q == 0 ? F_FRONT(n->rxcq) : F_FRONT(n->txcq);
        memcpy(rq.data, src->b, 16);
        rq.data[12] = (uint8_t)((rq.data[12] & 0x7F) | n->phase << 7);
        rq.addr = n->base[2] + 16ull * n->cq_wr;
        rq.len = 16;
        rq.write = 1;
        rq.tag = WR_CPL;
        (void)hostmem_port_issue(n->wrp, &rq);
        n->issued_wr = rq;
        n->has_wr = 1;
        cnt->wr_reqs++;
        cnt->wr_bytes += 16;
        if (cq_q == 0) F_POP(n->rxcq);
        else F_POP(n->txcq);
        n->cq_wr = (n->cq_wr + 1) & ring_mask(n, 2);
        if (n->cq_wr == 0) n->phase ^= 1u;
        n->cq_ptr = cq_q == 0 ? 1 : 0;
    }
    if (wr_g >= 0) n->wr_ptr = wr_g == 0 ? 1 : 0;

    if (rd_g >= 0) {
        hostmem_req rq;
        memset(&rq, 0, sizeof rq);
        rq.write = 0;
        rdmeta *md = F_PUSHSLOT(n->rdq);
        if (rd_g == 0) {
            md->kind = RD_RXDESC;
            rq.addr = n->base[1] + 16ull * n->rx_fetch;
            rq.len = 16;
            n->rx_fetch = (n->rx_fetch + 1) & ring_mask(n, 1);
            n->rx_desc_inflight++;
        } else if (rd_g == 1) {
            md->kind = RD_TXDESC;
            rq.addr = n->base[0] + 16ull * n->tx_fetch;
            rq.len = 16;
            n->tx_fetch = (n->tx_fetch + 1) & ring_mask(n, 0);
            n->tx_desc_inflight++;
        } else {
            tx_issue_payload(n, &rq, md);
            n->tx_rd_inflight++;
            if (md->t.last) F_POP(n->txdq);
        }
        rq.tag = md->kind;
        if (rq.addr + rq.len < rq.addr) { /* a range wrapping past 2^64: read nothing */
            cnt->err_desc++;
            rq.len = 0;
        }
        (void)hostmem_port_issue(n->rdp, &rq);
        n->issued_rd = rq;
        n->has_rd = 1;
        cnt->rd_reqs++;
        cnt->rd_bytes += rq.len;
        n->rd_ptr = (unsigned)rd_g + 1 == 3 ? 0 : (unsigned)rd_g + 1;
    }

    if (accept) *F_PUSHSLOT(n->rxf[n->in_flit.vc]) = n->in_flit;
    if (n->cin_valid) {
        if (n->cin_vc >= n->nv || n->tx_cred[n->cin_vc] >= n->depth) cnt->err_credit++;
        else n->tx_cred[n->cin_vc]++;
    }

    /* register writes of this cycle */
    for (unsigned i = 0; i < n->npend; i++) apply_reg(n, n->pend[i].reg, n->pend[i].val);
    n->npend = 0;

    /* requests due at this edge: writes, then reads */
    int signal = 0;
    unsigned k = hostmem_port_tick(n->wrp, n->done, 8);
    for (unsigned i = 0; i < k && i < 8; i++) {
        if (n->done[i].tag != WR_CPL) continue;
        n->cq_tail = (n->cq_tail + 1) & ring_mask(n, 2);
        if (n->unsig == 0) n->age = 0;
        n->unsig++;
        unsigned N = n->irq_coal & 0xFFFFu;
        if (n->irq_coal == 0 || n->unsig >= (N ? N : 1u)) signal = 1;
    }
    if (n->unsig && !signal) {
        unsigned T = n->irq_coal >> 16;
        if (T && n->age >= T) signal = 1;
    }
    k = hostmem_port_tick(n->rdp, n->done, 8);
    for (unsigned i = 0; i < k && i < 8; i++) {
        rdmeta *md = F_FRONT(n->rdq);
        const hostmem_req *r = &n->done[i];
        if (md->kind == RD_RXDESC) {
            rxbuf *b = F_PUSHSLOT(n->rxc);
            b->addr = get64(r->data);
            b->len = get32(r->data + 8);
            n->rx_desc_inflight--;
            n->rx_head = (n->rx_head + 1) & ring_mask(n, 1);
        } else if (md->kind == RD_TXDESC) {
            ni_tx_desc *d = F_PUSHSLOT(n->txdq);
            d->addr = get64(r->data);
            d->len = get32(r->data + 8);
            d->dst_chip = r->data[12] & 0xF;
            d->vc = (r->data[12] >> 4) & 3u;
            d->dst_x = r->data[13] & 0xF;
            d->dst_y = r->data[13] >> 4;
            d->flow = r->data[14];
            if (d->vc >= n->nv) {
                cnt->err_desc++;
                d->vc = 0;
            }
            n->tx_desc_inflight--;
            n->tx_head = (n->tx_head + 1) & ring_mask(n, 0);
        } else {
            txent *e = F_PUSHSLOT(n->txfq);
            *e = md->t;
            if (!e->placeholder) flit_put(&e->f, e->doff, r->data, e->dlen);
            n->tx_rd_inflight--;
        }
        F_POP(n->rdq);
    }
    if (signal) {
        n->intr |= 1u;
        n->unsig = 0;
        n->age = 0;
    } else if (n->unsig) {
        n->age++;
    }

    n->in_valid = n->cin_valid = 0;
    n->cycle++;
}
