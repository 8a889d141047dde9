/* NI shadow (docs/spec.md sections 6 and 9.4): one golden NI (csim/ni/ni.h)
 * per RTL NI (u_ni in optile_tile), fed in every cycle exactly what u_ni
 * sampled in that cycle, with its outputs compared with the RTL's:
 *
 *  - inputs: the datapath reset; every dma_* field whose write strobe is 1
 *    in the cycle (spec 2.4: the register block's qe delayed by one cycle,
 *    with the register's value), as one ni_reg_write per register (the three
 *    dma_ctrl bits, the two dma_irq_coal halves are one register each); the
 *    flit from the router's L output and the credit from the router's L
 *    input;
 *  - memory: the golden NI has its own hostmem. It starts empty, as the
 *    testbench memory (tb/ni/ni_mem) does, and every host-side write to the
 *    testbench memory (the host driver through tb/hal_sim) is mirrored into
 *    it (ni_mem_set_host_hook). The NI's own writes are not copied: both
 *    sides perform their own, and those are compared request by request, so
 *    the two memories stay equal as long as no mismatch is reported; the
 *    read data the RTL NI samples (mem_rdata) are checked against the golden
 *    memory at every edge that performs a read.
 *
 * Compared at place `<chip>.ni` (the comparison of tb/ni/ni_cmp.h, shared
 * with the standalone co-simulation tb/ni/ni_cosim.c; the first difference
 * of the cycle is recorded, with the signal, expected (golden) and actual
 * (RTL)):
 *  - at the start of cycle t: the flit to the router (valid, head, tail,
 *    vc, every byte), the credit to the router (valid, vc), dma_tx_head,
 *    dma_rx_head, dma_cq_tail, the interrupt and the spec 6.8 counters
 *    (the RTL's as read in cycle t, the golden model's before its step: both
 *    cover cycles 0..t-1);
 *  - after the golden step of cycle t: the read and write requests of the
 *    cycle (valid, address, length, byte enables, data), then mem_rdata of
 *    the edge (valid; the requested bytes against the golden memory).
 * The interrupt is compared as its set events: the RTL's
 * intr_dma_cpl_set_o of cycle t-1 against the golden DMA bit at the start
 * of t, the golden bit being cleared (NI_REG_INTR) in every cycle it is
 * found set, so it holds exactly "signalled at the previous edge"; the
 * host's own clears of intr_state do not reach the golden model.
 *
 * Test-only hook (struct xc_hooks ni_*; `--test-hook=ni-obs:CHIP:CYCLE`):
 * the monitor sees bit 0 of the RTL's dma_tx_head flipped in that cycle.
 */
#ifndef OPTILE_TB_XC_NI_H
#define OPTILE_TB_XC_NI_H

#include <stddef.h>
#include <stdint.h>

#include "ni/ni.h"
#include "tile/tile_dut.h"
#include "xcheck/xc.h"

struct ni_mem;
typedef struct xc_ni xc_ni_t;

/* A shadow for chip index `chip` (0 = A; the NI's my_chip, tile (0, 0))
 * mirroring host memory `mem` (which must still be empty); places are named
 * after `name` ("chipA"). NULL with err on failure. */
xc_ni_t *xc_ni_new(xc_t *x, unsigned chip, const char *name, struct ni_mem *mem, char *err,
                   size_t errlen);
/* Stops mirroring and frees the shadow. */
void xc_ni_free(xc_ni_t *n);
/* Cycle t: o the tile's observed signals, no the NI's (tile_dut_ni_observe),
 * out the tile's outputs (the memory requests), in its inputs (mem_rdata of
 * the edge ending t). Compares, feeds, steps. */
void xc_ni_cycle(xc_ni_t *n, uint64_t t, const struct tile_obs *o, const struct tile_ni_obs *no,
                 const struct tile_dut_out *out, const struct tile_dut_in *in);
/* The golden NI (its counters are its own activity). */
const ni *xc_ni_golden(const xc_ni_t *n);

#endif
