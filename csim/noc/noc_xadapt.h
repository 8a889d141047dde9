/*
 * noc_xadapt.h - golden model of the X-port adapter (docs/spec.md section
 * 5.9) between the router's credit-based X port and the PHY shim's
 * valid/ready router-side interface with its 4-bit opaque sideband.
 *
 * Cycle convention as noc_router.h: outputs of the current cycle are
 * functions of the state at its start (query them any time before
 * noc_xadapt_step); inputs of the current cycle are set before the step.
 */
#ifndef OPTILE_NOC_XADAPT_H
#define OPTILE_NOC_XADAPT_H

#include <stddef.h>
#include <stdint.h>

#include "noc/noc_router.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NOC_XADAPT_RXQ_DEFAULT 4u
#define NOC_XADAPT_RXQ_MAX     64u

/* Sideband (spec 5.9): bit 0 head, bit 1 tail, bits 3:2 vc. */
static inline unsigned noc_xadapt_sb(const noc_flit *f) {
    return (unsigned)(f->head & 1u) | (unsigned)(f->tail & 1u) << 1 | (unsigned)(f->vc & 3u) << 2;
}

/* Parameters; zero fields give the defaults (256, 2, 4, 4). */
typedef struct noc_xadapt_config {
    unsigned flit_w, num_vc, buf_depth; /* as the router's */
    unsigned rxq_depth;                 /* RxQDepth: 1..64 */
} noc_xadapt_config;

typedef struct noc_xadapt_counters {
    uint32_t tx_flits, rx_flits, rx_stall, err;
} noc_xadapt_counters;

typedef struct noc_xadapt noc_xadapt;

/* Creates an adapter in the reset state; NULL with a message naming the
 * field on a bad configuration. cfg may be NULL. */
noc_xadapt *noc_xadapt_new(const noc_xadapt_config *cfg, char *err, size_t errlen);

/* Frees it; NULL allowed. */
void noc_xadapt_free(noc_xadapt *a);

/* Back to the reset state (queues empty, credits BufDepth, counters 0). */
void noc_xadapt_reset(noc_xadapt *a);

/* ---- inputs of the current cycle ---- */

/* The router's out_*[X] flit in this cycle (appended to txq at the edge).
 * Returns -1 if called twice in a cycle. */
int noc_xadapt_from_router(noc_xadapt *a, const noc_flit *f);

/* The router's in_credit_*[X] in this cycle. Returns -1 if called twice. */
int noc_xadapt_router_credit(noc_xadapt *a, unsigned vc);

/* PHY tx_ready of this cycle (default 0 each cycle). */
void noc_xadapt_set_tx_ready(noc_xadapt *a, int ready);

/* PHY rx_valid with its flit and sideband in this cycle. The flit is taken
 * only if noc_xadapt_rx_ready() is 1 this cycle; returns 1 if taken, 0 if
 * not, -1 if called twice in a cycle. f's head/tail/vc are ignored: the
 * sideband carries them. */
int noc_xadapt_rx(noc_xadapt *a, const noc_flit *f, unsigned sb);

/* ---- outputs of the current cycle ---- */

/* tx_valid: the flit offered to the PHY (NULL if none); *sb gets tx_sb. */
const noc_flit *noc_xadapt_tx(const noc_xadapt *a, unsigned *sb);

/* rx_ready. */
int noc_xadapt_rx_ready(const noc_xadapt *a);

/* The flit on the router's in_*[X] this cycle (NULL if none); its head,
 * tail and vc come from the sideband. */
const noc_flit *noc_xadapt_to_router(const noc_xadapt *a);

/* The credit on the router's out_credit_*[X] this cycle: vc, or -1. */
int noc_xadapt_credit_to_router(const noc_xadapt *a);

/* Evaluates the current cycle and the edge. */
void noc_xadapt_step(noc_xadapt *a);

const noc_xadapt_counters *noc_xadapt_get_counters(const noc_xadapt *a);

#ifdef __cplusplus
}
#endif

#endif
