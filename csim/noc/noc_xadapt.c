/*
 * noc_xadapt.c - X-port adapter model, written from docs/spec.md 5.9.
 */
#include "noc/noc_xadapt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fifo {
    noc_flit *slot;
    unsigned cap, rd, count;
} fifo;

struct noc_xadapt {
    noc_xadapt_config cfg;
    unsigned nwords;
    fifo txq, rxq;
    uint8_t rcred[NOC_NUM_VC_MAX];
    /* inputs of the current cycle */
    int from_router_valid;
    noc_flit from_router;
    int rcredit_valid;
    unsigned rcredit_vc;
    int tx_ready;
    int rx_valid;
    noc_flit rx_flit;
    unsigned rx_sb;
    /* registered credit to the router */
    int credit_out_valid;
    unsigned credit_out_vc;
    noc_flit to_router; /* scratch for noc_xadapt_to_router */
    noc_xadapt_counters cnt;
};

static void seterr(char *buf, size_t len, const char *fmt, ...) {
    if (!buf || len == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

static noc_flit *front(const fifo *q) { return &q->slot[q->rd]; }
static void pop(fifo *q) {
    q->rd = q->rd + 1 == q->cap ? 0 : q->rd + 1;
    q->count--;
}
static void push(fifo *q, const noc_flit *f) {
    unsigned s = q->rd + q->count;
    if (s >= q->cap) s -= q->cap;
    q->slot[s] = *f;
    q->count++;
}

noc_xadapt *noc_xadapt_new(const noc_xadapt_config *cfg_in, char *err, size_t errlen) {
    noc_xadapt_config c;
    if (cfg_in) c = *cfg_in;
    else memset(&c, 0, sizeof c);
    if (!c.flit_w) c.flit_w = NOC_FLIT_W_DEFAULT;
    if (!c.num_vc) c.num_vc = NOC_NUM_VC_DEFAULT;
    if (!c.buf_depth) c.buf_depth = NOC_BUF_DEPTH_DEFAULT;
    if (!c.rxq_depth) c.rxq_depth = NOC_XADAPT_RXQ_DEFAULT;
    if (c.flit_w % 64 || c.flit_w > 64 * NOC_FLIT_WORDS_MAX) {
        seterr(err, errlen, "noc_xadapt: flit_w = %u: must be a multiple of 64 in [64, %u]",
               c.flit_w, 64 * NOC_FLIT_WORDS_MAX);
        return NULL;
    }
    if (c.num_vc > NOC_NUM_VC_MAX) {
        seterr(err, errlen, "noc_xadapt: num_vc = %u: must be 1..%u", c.num_vc, NOC_NUM_VC_MAX);
        return NULL;
    }
    if (c.buf_depth > NOC_BUF_DEPTH_MAX) {
        seterr(err, errlen, "noc_xadapt: buf_depth = %u: must be 1..%u", c.buf_depth,
               NOC_BUF_DEPTH_MAX);
        return NULL;
    }
    if (c.rxq_depth > NOC_XADAPT_RXQ_MAX) {
        seterr(err, errlen, "noc_xadapt: rxq_depth = %u: must be 1..%u", c.rxq_depth,
               NOC_XADAPT_RXQ_MAX);
        return NULL;
    }
    noc_xadapt *a = calloc(1, sizeof *a);
    if (!a) goto oom;
    a->cfg = c;
    a->nwords = c.flit_w / 64;
    a->txq.cap = c.num_vc * c.buf_depth;
    a->rxq.cap = c.rxq_depth;
    a->txq.slot = calloc(a->txq.cap, sizeof(noc_flit));
    a->rxq.slot = calloc(a->rxq.cap, sizeof(noc_flit));
    if (!a->txq.slot || !a->rxq.slot) {
        noc_xadapt_free(a);
        goto oom;
    }
    noc_xadapt_reset(a);
    return a;
oom:
    seterr(err, errlen, "noc_xadapt: out of memory");
    return NULL;
}

void noc_xadapt_free(noc_xadapt *a) {
    if (!a) return;
    free(a->txq.slot);
    free(a->rxq.slot);
    free(a);
}

void noc_xadapt_reset(noc_xadapt *a) {
    a->txq.rd = a->txq.count = 0;
    a->rxq.rd = a->rxq.count = 0;
    for (unsigned v = 0; v < NOC_NUM_VC_MAX; v++) a->rcred[v] = (uint8_t)a->cfg.buf_depth;
    a->from_router_valid = a->rcredit_valid = a->tx_ready = a->rx_valid = 0;
    a->credit_out_valid = 0;
    a->credit_out_vc = 0;
    memset(&a->cnt, 0, sizeof a->cnt);
}

int noc_xadapt_from_router(noc_xadapt *a, const noc_flit *f) {
    if (a->from_router_valid) return -1;
    a->from_router = *f;
    for (unsigned w = a->nwords; w < NOC_FLIT_WORDS_MAX; w++) a->from_router.data[w] = 0;
    a->from_router_valid = 1;
    return 0;
}

int noc_xadapt_router_credit(noc_xadapt *a, unsigned vc) {
    if (a->rcredit_valid) return -1;
    a->rcredit_valid = 1;
    a->rcredit_vc = vc;
    return 0;
}

void noc_xadapt_set_tx_ready(noc_xadapt *a, int ready) { a->tx_ready = ready ? 1 : 0; }

int noc_xadapt_rx_ready(const noc_xadapt *a) { return a->rxq.count < a->rxq.cap; }

int noc_xadapt_rx(noc_xadapt *a, const noc_flit *f, unsigned sb) {
    if (a->rx_valid) return -1;
    if (!noc_xadapt_rx_ready(a)) return 0;
    a->rx_valid = 1;
    a->rx_flit = *f;
    for (unsigned w = a->nwords; w < NOC_FLIT_WORDS_MAX; w++) a->rx_flit.data[w] = 0;
    a->rx_sb = sb & 0xF;
    return 1;
}

const noc_flit *noc_xadapt_tx(const noc_xadapt *a, unsigned *sb) {
    if (!a->txq.count) return NULL;
    const noc_flit *f = front(&a->txq);
    if (sb) *sb = noc_xadapt_sb(f);
    return f;
}

/* The rxq front goes to the router this cycle iff its VC has a credit. */
static int rx_to_router(const noc_xadapt *a) {
    if (!a->rxq.count) return 0;
    const noc_flit *f = front(&a->rxq);
    return a->rcred[f->vc] > 0;
}

const noc_flit *noc_xadapt_to_router(const noc_xadapt *a) {
    return rx_to_router(a) ? front(&a->rxq) : NULL;
}

int noc_xadapt_credit_to_router(const noc_xadapt *a) {
    return a->credit_out_valid ? (int)a->credit_out_vc : -1;
}

void noc_xadapt_step(noc_xadapt *a) {
    /* transmit: pop on tx_valid && tx_ready, credit next cycle */
    int tx_pop = a->txq.count && a->tx_ready;
    unsigned tx_vc = tx_pop ? front(&a->txq)->vc : 0;
    /* receive: the front to the router if credited */
    int rx_pop = rx_to_router(a);
    unsigned rx_vc = rx_pop ? front(&a->rxq)->vc : 0;
    if (a->rxq.count && !rx_pop) a->cnt.rx_stall++;
    int rx_take = a->rx_valid && a->rxq.count < a->rxq.cap; /* rx_ready from the start state */

    /* edge */
    if (tx_pop) {
        pop(&a->txq);
        a->cnt.tx_flits++;
    }
    a->credit_out_valid = tx_pop;
    a->credit_out_vc = tx_vc;
    if (a->from_router_valid) {
        if (a->txq.count >= a->txq.cap) a->cnt.err++;
        else push(&a->txq, &a->from_router);
    }
    if (rx_pop) {
        pop(&a->rxq);
        a->rcred[rx_vc]--;
    }
    if (rx_take) {
        unsigned vc = (a->rx_sb >> 2) & 3u;
        a->cnt.rx_flits++;
        if (vc >= a->cfg.num_vc) {
            a->cnt.err++;
        } else {
            noc_flit f = a->rx_flit;
            f.head = a->rx_sb & 1u;
            f.tail = (a->rx_sb >> 1) & 1u;
            f.vc = (uint8_t)vc;
            push(&a->rxq, &f);
        }
    }
    if (a->rcredit_valid) {
        if (a->rcredit_vc >= a->cfg.num_vc || a->rcred[a->rcredit_vc] >= a->cfg.buf_depth)
            a->cnt.err++;
        else
            a->rcred[a->rcredit_vc]++;
    }
    a->from_router_valid = a->rcredit_valid = a->tx_ready = a->rx_valid = 0;
}

const noc_xadapt_counters *noc_xadapt_get_counters(const noc_xadapt *a) { return &a->cnt; }
