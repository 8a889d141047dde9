/* The RTL side of the NI co-simulation (tb/ni/ni_cosim.c): one Verilated NI
 * (ni_dut) with its testbench host memory (ni_mem), behind names that do not
 * clash with the golden model's (csim/ni/ni.h and tb/ni/ni_dut.h both name
 * their registers NI_REG_*, so no file can include both).
 *
 * One cycle: ncr_reg() (writes of the cycle), ncr_eval() (outputs), then
 * ncr_clock() with the router-side inputs: it runs the memory for the cycle
 * (the requests of ncr_eval's outputs) and the clock edge.
 */
#ifndef OPTILE_TB_NI_COSIM_RTL_H
#define OPTILE_TB_NI_COSIM_RTL_H

#include <stddef.h>
#include <stdint.h>

enum { NCR_B = 32 }; /* bytes per flit (FlitW 256, the Verilated models) */

/* Registers with an NI port, in ni_dut's order. */
enum ncr_reg {
  NCR_CTRL, NCR_IRQ_COAL,
  NCR_TX_BASE_LO, NCR_TX_BASE_HI, NCR_TX_SIZE, NCR_TX_TAIL,
  NCR_RX_BASE_LO, NCR_RX_BASE_HI, NCR_RX_SIZE, NCR_RX_TAIL,
  NCR_CQ_BASE_LO, NCR_CQ_BASE_HI, NCR_CQ_SIZE, NCR_CQ_HEAD,
  NCR_NUM_REGS
};

enum { NCR_NUM_CNT = 19 }; /* the counters of spec 6.8, in ni.h's ni_counters order */

typedef struct ncr_out {
  uint8_t tx_valid, tx_head, tx_tail, tx_vc;
  uint8_t tx_flit[NCR_B];
  uint8_t rx_credit_valid, rx_credit_vc;
  uint8_t rd_valid;
  uint32_t rd_len;
  uint64_t rd_addr;
  uint8_t wr_valid;
  uint32_t wr_len;
  uint64_t wr_addr;
  uint32_t wr_be;
  uint8_t wr_data[NCR_B];
  uint8_t intr_set;
  uint16_t tx_head_idx, rx_head_idx, cq_tail_idx;
} ncr_out;

typedef struct ncr_in {
  uint8_t rx_valid, rx_head, rx_tail, rx_vc;
  uint8_t rx_flit[NCR_B];
  uint8_t credit_valid, credit_vc;
} ncr_in;

typedef struct ncr ncr;

/* memlat 1 or 100 (the Verilated models); NULL otherwise. Reset applied. */
ncr *ncr_new(unsigned memlat, unsigned chip, unsigned x, unsigned y);
void ncr_free(ncr *r);
void ncr_reg(ncr *r, enum ncr_reg reg, uint32_t value);
const ncr_out *ncr_eval(ncr *r);
/* Returns 1 if a read was performed at this edge. flip: if >= 0, byte `flip`
 * of that read's data is inverted before the NI takes it (fault injection). */
int ncr_clock(ncr *r, const ncr_in *in, int flip);
/* host access to the testbench memory */
void ncr_mem_write(ncr *r, uint64_t addr, const void *src, size_t n);
void ncr_mem_read(const ncr *r, uint64_t addr, void *dst, size_t n);
uint32_t ncr_counter(const ncr *r, unsigned i);
uint64_t ncr_proto_errors(const ncr *r);
int ncr_trace_open(ncr *r, const char *path);

#endif
