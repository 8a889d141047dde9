/* C interface to one Verilated network interface (rtl/ni/ni_top.sv, default
 * parameters except MemLat), for tests. The C++ glue behind it holds the
 * model as an opaque handle.
 *
 * One cycle t, in this order:
 *   1. ni_dut_reg_write() for the register writes of cycle t (optional);
 *   2. ni_dut_eval(): the outputs of cycle t (functions of the state, plus the
 *      register writes of t for intr_set) appear in ni_dut_out();
 *   3. fill ni_dut_in() with the inputs of cycle t (router link, credits, read
 *      data; these may depend on the outputs of step 2, e.g. MemLat = 1);
 *   4. ni_dut_clock(): the edge ending cycle t.
 */
#ifndef OPTILE_TB_NI_DUT_H
#define OPTILE_TB_NI_DUT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { NI_DUT_B = 32 };          /* bytes per flit (FlitW = 256) */
enum { NI_DUT_NUM_VC = 2, NI_DUT_BUF_DEPTH = 4 };

typedef struct ni_dut ni_dut;

/* Inputs of one cycle. */
struct ni_dut_in {
  /* router out_*[L] -> NI */
  uint8_t rx_valid, rx_head, rx_tail, rx_vc;
  uint8_t rx_flit[NI_DUT_B];
  /* router in_credit_*[L] -> NI */
  uint8_t tx_credit_valid, tx_credit_vc;
  /* host memory: data of the read performed at the end of this cycle */
  uint8_t mem_rdata_valid;
  uint8_t mem_rdata[NI_DUT_B];
};

/* Outputs of one cycle. */
struct ni_dut_out {
  /* NI -> router in_*[L] */
  uint8_t tx_valid, tx_head, tx_tail, tx_vc;
  uint8_t tx_flit[NI_DUT_B];
  /* NI -> router out_credit_*[L] */
  uint8_t rx_credit_valid, rx_credit_vc;
  /* host memory requests issued this cycle */
  uint8_t mem_rd_valid;
  uint32_t mem_rd_len;
  uint64_t mem_rd_addr;
  uint8_t mem_wr_valid;
  uint32_t mem_wr_len;
  uint64_t mem_wr_addr;
  uint32_t mem_wr_be;
  uint8_t mem_wr_data[NI_DUT_B];
  /* sets intr_state.dma_cpl at the end of this cycle */
  uint8_t intr_set;
  /* hardware indices: dma_tx_head, dma_rx_head, dma_cq_tail */
  uint16_t dma_tx_head, dma_rx_head, dma_cq_tail;
};

/* Registers with NI ports (section 6.3 names). */
enum ni_reg {
  NI_REG_CTRL,        /* bit 0 TX enable, bit 1 RX enable, bit 2 CQ enable */
  NI_REG_IRQ_COAL,    /* bits 15:0 count N, bits 31:16 timer T */
  NI_REG_TX_BASE_LO, NI_REG_TX_BASE_HI, NI_REG_TX_SIZE, NI_REG_TX_TAIL,
  NI_REG_RX_BASE_LO, NI_REG_RX_BASE_HI, NI_REG_RX_SIZE, NI_REG_RX_TAIL,
  NI_REG_CQ_BASE_LO, NI_REG_CQ_BASE_HI, NI_REG_CQ_SIZE, NI_REG_CQ_HEAD,
  NI_REG_COUNT
};

/* Counters (section 6.8). */
enum ni_cnt {
  NI_CNT_TX_MSGS, NI_CNT_TX_PKTS, NI_CNT_TX_FLITS,
  NI_CNT_RX_MSGS, NI_CNT_RX_PKTS, NI_CNT_RX_FLITS,
  NI_CNT_RD_REQS, NI_CNT_WR_REQS, NI_CNT_RD_BYTES, NI_CNT_WR_BYTES,
  NI_CNT_RX_NOBUF, NI_CNT_CQ_FULL,
  NI_CNT_ERR_RX, NI_CNT_ERR_RX_NOCTX, NI_CNT_ERR_OVF, NI_CNT_ERR_CREDIT,
  NI_CNT_ERR_DESC, NI_CNT_ERR_DOORBELL, NI_CNT_ERR_CSR,
  NI_CNT_COUNT
};

/** A new NI with host-memory latency `memlat`: 100 (the default model) or 1.
 *  Returns NULL for a latency no model was built for. chip/x/y: my_*_i. */
ni_dut *ni_dut_new(unsigned memlat, unsigned chip, unsigned x, unsigned y);
void ni_dut_free(ni_dut *d);
unsigned ni_dut_memlat(const ni_dut *d);
/** Hold reset for `cycles` cycles, then release it (cycle count restarts at 0). */
void ni_dut_reset(ni_dut *d, unsigned cycles);
/** A register write in the next cycle (strobe for one cycle). */
void ni_dut_reg_write(ni_dut *d, enum ni_reg reg, uint32_t value);
void ni_dut_eval(ni_dut *d);
struct ni_dut_in *ni_dut_in(ni_dut *d);
const struct ni_dut_out *ni_dut_out(const ni_dut *d);
void ni_dut_clock(ni_dut *d);
uint32_t ni_dut_counter(const ni_dut *d, enum ni_cnt c);
const char *ni_dut_counter_name(enum ni_cnt c);
uint64_t ni_dut_cycles(const ni_dut *d);
/** Dump an FST wave file from now on (0 on success); close with _trace_close. */
int ni_dut_trace_open(ni_dut *d, const char *path);
void ni_dut_trace_close(ni_dut *d);

#ifdef __cplusplus
}
#endif
#endif
