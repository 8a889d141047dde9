/* Co-simulation of the network interface: one RTL NI (rtl/ni, through
 * tb/ni/ni_dut) and one golden NI (csim/ni/ni.h) driven by identical
 * stimulus every cycle and compared every cycle (docs/spec.md section 6).
 *
 * Stimulus, the same for both sides:
 *  - register writes (the golden model's NI_REG_* numbering), delivered one
 *    per cycle in the order given: the RTL gets the field value with its qe
 *    strobe (ni_top's ports are the NI's, so the strobe cycle is the cycle of
 *    the write of spec 6.3; the tile's extra register of spec 2.4 sits
 *    outside ni_top) and the golden ni_reg_write() in that same cycle.
 *    Values are cut to the register field widths first, as the register
 *    block would;
 *  - host memory: every host write goes to the golden hostmem and to the
 *    testbench ni_mem; both answer the NI's requests after MemLat (6.2);
 *  - the router side: a router model with the L input buffer (the NI's
 *    transmitted flits; in loopback they are delivered back to the NI's
 *    receive side) and crafted flits (ni_cosim_inject), credits for the NI's
 *    RX FIFOs (from its returned credits) and credits returned to the NI's
 *    transmit side one cycle after the buffer slot frees, optionally
 *    withheld at random (backpressure);
 *  - the host's clear of the DMA interrupt bit.
 *
 * Compared every cycle (expected = golden, actual = RTL): the flit toward
 * the router (valid, head, tail, vc, all FlitW bits), the credit returned to
 * the router (valid, vc), the read request (valid, addr, len), the write
 * request (valid, addr, len, byte enables, the enabled data bytes), the
 * hardware indices dma_tx_head, dma_rx_head, dma_cq_tail, the interrupt
 * (intr_state's DMA bit: RTL's set pulse into a bit, the host's clear) and
 * the counters of spec 6.8. The first mismatch stops the comparison; it is
 * kept (ni_cosim_mismatch) and named in ni_cosim_error(). The comparison
 * itself is tb/ni/ni_cmp.h, shared with the system cross-check's NI shadow
 * (tb/xcheck/xc_ni.h).
 */
#ifndef OPTILE_TB_NI_COSIM_H
#define OPTILE_TB_NI_COSIM_H

#include <stddef.h>
#include <stdint.h>

#include "ni/ni.h"

typedef struct ni_cosim_cfg {
  unsigned memlat;          /* 1 or 100 (the Verilated models); 0 = 100 */
  unsigned chip, x, y;      /* the NI's my_* (packet source) */
  unsigned variant;         /* golden NI_VARIANT_* (test-only wrong behaviour) */
  int loopback;             /* 1: the NI's flits come back on its receive side */
  unsigned bp_credit_pct;   /* % of cycles a due credit to the NI's TX side is held back */
  unsigned bp_deliver_pct;  /* % of cycles the router delivers no flit to the NI */
  uint64_t seed;            /* backpressure random numbers */
  const char *name;         /* for messages; NULL = "ni" */
} ni_cosim_cfg;

typedef struct ni_cosim_mismatch {
  uint64_t cycle;
  char signal[48];          /* e.g. "tx_flit byte 13", "mem_rd addr", "cnt err_rx" */
  uint64_t expected, actual;
} ni_cosim_mismatch;

typedef struct ni_cosim ni_cosim;

/* NULL with a message in err on a bad configuration. */
ni_cosim *ni_cosim_new(const ni_cosim_cfg *cfg, char *err, size_t errlen);
void ni_cosim_free(ni_cosim *c);

/* Host side. */
void ni_cosim_mem_write(ni_cosim *c, uint64_t addr, const void *src, size_t n); /* both memories */
void ni_cosim_mem_read(const ni_cosim *c, uint64_t addr, void *dst, size_t n);  /* golden memory */
/* 0 if [addr, addr+n) is the same in both memories; else -1 and a message */
int ni_cosim_mem_compare(ni_cosim *c, uint64_t addr, size_t n);
/* queues a register write (ni.h NI_REG_*, not a read-only one and not
 * NI_REG_INTR); -1 if the register has no NI port. */
int ni_cosim_reg(ni_cosim *c, unsigned reg, uint32_t value);
unsigned ni_cosim_regs_pending(const ni_cosim *c);
/* golden register value at the start of the current cycle (the read-only
 * indices are compared with the RTL's every cycle) */
uint32_t ni_cosim_reg_read(const ni_cosim *c, unsigned reg);
/* the host writes 1 to the DMA interrupt bit in the next cycle */
void ni_cosim_intr_clear(ni_cosim *c);
int ni_cosim_irq(const ni_cosim *c);

/* Router side: f is delivered to the NI's receive side on VC f->vc when
 * the router holds a credit for it (after the flits queued before it on
 * that VC); force = 1 delivers it without a credit (an overflow test). */
void ni_cosim_inject(ni_cosim *c, const noc_flit *f, int force);
/* a credit the router does not owe, to both NIs, after the credits queued
 * (the NI counts err_credit if it is over BufDepth) */
void ni_cosim_extra_credit(ni_cosim *c, unsigned vc);
/* credits the router holds for the NI's transmit side (its view of the
 * NI's TX credit counter) */
unsigned ni_cosim_tx_credits(const ni_cosim *c, unsigned vc);
/* flits waiting in the router model (loopback and injected) */
unsigned ni_cosim_router_backlog(const ni_cosim *c);

/* Faults on the RTL side only (negative tests). */
void ni_cosim_fault_flip_read(ni_cosim *c, uint64_t nth_read, unsigned byte); /* nth performed read, 0-based */
void ni_cosim_fault_drop_credit(ni_cosim *c, uint64_t cycle); /* first TX credit at or after cycle */
/* a host write to the RTL's memory only (a negative test of mem_compare) */
void ni_cosim_fault_rtl_mem_write(ni_cosim *c, uint64_t addr, const void *src, size_t n);
/* the cycle and VC of the credit the fault withheld, -1 before it happened */
int64_t ni_cosim_fault_credit_cycle(const ni_cosim *c, unsigned *vc);

/* A fault in what the comparison observes of the RTL (the RTL itself is
 * untouched), to prove each checker: from cycle `from_cycle` on, at the
 * first cycle the signal carries a value (e.g. a write request for
 * "mem_wr addr"), the observed value is changed once (a bit flipped, a
 * counter + 1). Signals: ni_cosim_fault_signals() and "counter <name>" for
 * each counter of spec 6.8 (names as in ni_cosim_error). -1 if unknown. */
int ni_cosim_fault_output(ni_cosim *c, const char *signal, uint64_t from_cycle);
size_t ni_cosim_fault_signals(const char *const **names);
const char *ni_cosim_counter_name(unsigned i); /* i < 19, spec 6.8 order; NULL beyond */
/* the cycle the output fault was applied, -1 before */
int64_t ni_cosim_fault_output_cycle(const ni_cosim *c);

/* One cycle. 0, or -1 at the first mismatch (and on every later call). */
int ni_cosim_step(ni_cosim *c);
/* n cycles, or until a mismatch */
int ni_cosim_run(ni_cosim *c, uint64_t n);
/* the counters of spec 6.8, every one (they are also compared each cycle) */
int ni_cosim_check_counters(ni_cosim *c);

uint64_t ni_cosim_cycle(const ni_cosim *c);
const char *ni_cosim_error(const ni_cosim *c);
const ni_cosim_mismatch *ni_cosim_first_mismatch(const ni_cosim *c); /* NULL if none */
const ni *ni_cosim_golden(const ni_cosim *c);
/* RTL memory-protocol errors seen by ni_mem (length/byte-enable/slot) */
uint64_t ni_cosim_mem_proto_errors(const ni_cosim *c);
/* open an FST dump of the RTL from now on */
int ni_cosim_trace(ni_cosim *c, const char *path);

#endif
