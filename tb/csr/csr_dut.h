/* C interface to the Verilated register block (tb_csr_top), for tests.
 * The C++ glue behind it holds the model as an opaque handle. */
#ifndef OPTILE_TB_CSR_DUT_H
#define OPTILE_TB_CSR_DUT_H

#include <stdint.h>

#include "bfm/apb_bfm.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct csr_dut csr_dut;

enum { CSR_PORT_HOST = 0, CSR_PORT_MGMT = 1 };

csr_dut *csr_dut_new(void);
void csr_dut_free(csr_dut *d);
/** Hold reset for `cycles` clock cycles, then release it. */
void csr_dut_reset(csr_dut *d, unsigned cycles);
/** Pins of a bus port (CSR_PORT_HOST or CSR_PORT_MGMT). */
struct apb_pins *csr_dut_pins(csr_dut *d, int port);
/** Copy the pins into the design and evaluate it (no clock edge). */
void csr_dut_eval(csr_dut *d);
/** One rising clock edge (ends the current cycle). */
void csr_dut_clock(csr_dut *d);
/** Clocking for the blocking BFM helpers. */
struct apb_clocking csr_dut_clocking(csr_dut *d);
/** Drive `width` bits (<= 32) of the flat hw2reg vector from bit `lsb`. */
void csr_dut_hw2reg_set(csr_dut *d, unsigned lsb, unsigned width, uint32_t value);
/** Read `width` bits (<= 32) of the flat reg2hw vector from bit `lsb`. */
uint32_t csr_dut_reg2hw_get(csr_dut *d, unsigned lsb, unsigned width);
int csr_dut_intr(csr_dut *d);
uint64_t csr_dut_cycles(const csr_dut *d);

#ifdef __cplusplus
}
#endif
#endif
