/* Register-block checkers: each exercises one field of the generated field
 * table (build/gen/optile_csr_fields.h) through the bus and the reg2hw/hw2reg
 * vectors, and reports the first mismatch with field, address, expected and
 * actual value. */
#ifndef OPTILE_TB_CSR_CHECK_H
#define OPTILE_TB_CSR_CHECK_H

#include <stdint.h>

#include "bfm/apb_bfm.h"
#include "csr/csr_dut.h"
#include "optile_csr_fields.h"

struct csr_env {
  csr_dut *dut;
  struct apb_bfm bfm[2];
  struct apb_clocking clk;
  int port;            /* which bus port the checks use */
  char msg[512];       /* the last mismatch, for the test's failure message */
};

/** Create the design, reset it, attach one BFM per port. NULL on failure. */
struct csr_env *csr_env_new(void);
void csr_env_free(struct csr_env *e);

/** Bus access through e->port; 0 or a negative errno (msg filled). */
int csr_read(struct csr_env *e, uint32_t addr, uint32_t *val);
int csr_write(struct csr_env *e, uint32_t addr, uint32_t val, uint8_t strb);
/** Idle cycles (no transfer). */
void csr_idle(struct csr_env *e, unsigned cycles);

/** Field reads its reset value (pulse fields read 0; hardware-driven fields
 *  are not checked here). 0 when it does, -1 with e->msg otherwise. */
int csr_check_reset(struct csr_env *e, const struct optile_csr_field_desc *f);
/** Read-write field: patterns written read back, reach reg2hw, and leave the
 *  register's other fields alone. */
int csr_check_rw(struct csr_env *e, const struct optile_csr_field_desc *f);
/** Read-only field (constant or hardware-driven): bus writes change nothing. */
int csr_check_ro(struct csr_env *e, const struct optile_csr_field_desc *f);
/** Hardware-driven field: values driven on hw2reg read back through the bus. */
int csr_check_hwro(struct csr_env *e, const struct optile_csr_field_desc *f, uint32_t value);
/** Interrupt-style field: hardware sets, writing 0 keeps, writing 1 clears. */
int csr_check_w1c(struct csr_env *e, const struct optile_csr_field_desc *f);
/** Pulse field: a write of 1 gives exactly one cycle of reg2hw .q; reads 0. */
int csr_check_pulse(struct csr_env *e, const struct optile_csr_field_desc *f);
/** Dispatch on f->access: the behaviour checks that apply to the field
 *  (reset values are checked separately, on a freshly reset design). */
int csr_check_field(struct csr_env *e, const struct optile_csr_field_desc *f);

#endif
