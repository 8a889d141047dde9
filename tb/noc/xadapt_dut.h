/* C interface to one Verilated noc_x_adapter (docs/spec.md section 5.9) with
 * the router's default parameters (FlitW 256, NumVc 2, BufDepth 4) and
 * RxQDepth 4. Same cycle convention as noc/router_dut.h: every output is a
 * function of registers, so it may be read any time in the cycle; inputs set
 * during a cycle are that cycle's inputs; xadapt_dut_clock() ends it. */
#ifndef OPTILE_TB_XADAPT_DUT_H
#define OPTILE_TB_XADAPT_DUT_H

#include <stdint.h>

#include "noc/router_dut.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { XADAPT_RXQ_DEPTH = 4, XADAPT_TXQ_DEPTH = ROUTER_DUT_NUM_VC * ROUTER_DUT_BUF_DEPTH };

enum xadapt_cnt { XCNT_TX_FLITS, XCNT_RX_FLITS, XCNT_RX_STALL, XCNT_ERR };

/* Sideband of the PHY interface: bit 0 head, bit 1 tail, bits 3:2 VC. */
static inline unsigned xadapt_side(int head, int tail, unsigned vc) {
  return (head ? 1u : 0u) | (tail ? 2u : 0u) | (vc & 3u) << 2;
}

typedef struct xadapt_dut xadapt_dut;

xadapt_dut *xadapt_dut_new(void);
void xadapt_dut_free(xadapt_dut *d);
int xadapt_dut_trace_open(xadapt_dut *d, const char *path);
/* Hold reset for `cycles` edges with idle inputs (tx_ready 0), release it. */
void xadapt_dut_reset(xadapt_dut *d, unsigned cycles);
void xadapt_dut_clock(xadapt_dut *d);

/* Router side. The router's X output in this cycle (NULL or !valid: idle). */
void xadapt_dut_set_rt_out(xadapt_dut *d, const struct router_flit *f);
/* Credit to the router's out_credit_*[X]; returns valid, VC in *vc. */
int xadapt_dut_rt_out_credit(const xadapt_dut *d, unsigned *vc);
/* The flit on the router's X input (in_*[X]) in this cycle. */
void xadapt_dut_get_rt_in(const xadapt_dut *d, struct router_flit *f);
/* The router's in_credit_*[X] in this cycle. */
void xadapt_dut_set_rt_in_credit(xadapt_dut *d, int valid, unsigned vc);

/* PHY side. tx: returns tx_valid, payload and sideband of the front flit. */
int xadapt_dut_tx(const xadapt_dut *d, uint32_t *flit, unsigned *side);
void xadapt_dut_set_tx_ready(xadapt_dut *d, int ready);
int xadapt_dut_rx_ready(const xadapt_dut *d);
void xadapt_dut_set_rx(xadapt_dut *d, int valid, const uint32_t *flit, unsigned side);

uint32_t xadapt_dut_cnt(const xadapt_dut *d, enum xadapt_cnt c);

#ifdef __cplusplus
}
#endif
#endif
