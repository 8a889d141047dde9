/* One cycle's comparison of an RTL NI with the golden NI (csim/ni/ni.h):
 * the checks shared by the standalone co-simulation (tb/ni/ni_cosim.c) and
 * the system cross-check's NI shadow (tb/xcheck/xc_ni.c). The RTL side is
 * given as an ncr_out (tb/ni/ni_cosim_rtl.h), whichever harness observed it.
 *
 * Each function compares in a fixed order and stops at the first
 * difference, which it describes in *m (signal names as ni_cosim_error
 * gives them: "tx_flit byte 13", "mem_wr addr", "counter err_rx", ...).
 * Expected = golden, actual = RTL. 0 if equal, -1 on a difference.
 */
#ifndef OPTILE_TB_NI_CMP_H
#define OPTILE_TB_NI_CMP_H

#include <stdint.h>

#include "ni/ni.h"
#include "ni/ni_cosim_rtl.h"

typedef struct ni_cmp_diff {
  char signal[48];
  uint64_t expected, actual;
} ni_cmp_diff;

/* Outputs of the current cycle, known at its start (before ni_step): the
 * flit toward the router (valid, head, tail, vc, every byte), the credit to
 * the router (valid, vc), dma_tx_head, dma_rx_head, dma_cq_tail and the
 * interrupt (golden ni_irq against rtl_intr). */
int ni_cmp_outputs(const ni *g, const ncr_out *o, int rtl_intr, ni_cmp_diff *m);
/* The memory requests of the cycle (after the golden ni_step of it): read
 * (valid, addr, len) and write (valid, addr, len, byte enables, data). */
int ni_cmp_requests(const ni *g, const ncr_out *o, ni_cmp_diff *m);
/* The spec 6.8 counters, rtl[i] in ni_counters order (ni_cmp_counter_name). */
int ni_cmp_counters(const ni *g, const uint32_t rtl[NCR_NUM_CNT], ni_cmp_diff *m);
/* i < NCR_NUM_CNT: "tx_msgs" .. "err_csr"; NULL beyond. */
const char *ni_cmp_counter_name(unsigned i);

#endif
