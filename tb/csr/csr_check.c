/* Register-block checkers (see csr_check.h). */
#include "csr/csr_check.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int fail(struct csr_env *e, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
  va_end(ap);
  return -1;
}

static unsigned shift_of(uint32_t mask) { return (unsigned)__builtin_ctz(mask); }
static unsigned width_of(uint32_t mask) { return (unsigned)__builtin_popcount(mask); }
static uint32_t get(uint32_t reg, uint32_t mask) { return (reg & mask) >> shift_of(mask); }

struct csr_env *csr_env_new(void) {
  struct csr_env *e = calloc(1, sizeof(*e));
  if (!e) return NULL;
  e->dut = csr_dut_new();
  if (!e->dut) {
    free(e);
    return NULL;
  }
  for (int p = 0; p < 2; p++) apb_bfm_init(&e->bfm[p], csr_dut_pins(e->dut, p));
  e->clk = csr_dut_clocking(e->dut);
  e->port = CSR_PORT_HOST;
  csr_dut_reset(e->dut, 4);
  return e;
}

void csr_env_free(struct csr_env *e) {
  if (!e) return;
  csr_dut_free(e->dut);
  free(e);
}

int csr_read(struct csr_env *e, uint32_t addr, uint32_t *val) {
  int rc = apb_bfm_read(&e->bfm[e->port], &e->clk, addr, val, NULL);
  if (rc) fail(e, "read 0x%03x: %s", addr, rc == -EIO ? "pslverr" : "no pready");
  return rc;
}

int csr_write(struct csr_env *e, uint32_t addr, uint32_t val, uint8_t strb) {
  int rc = apb_bfm_write(&e->bfm[e->port], &e->clk, addr, val, strb, NULL);
  if (rc) fail(e, "write 0x%03x: %s", addr, rc == -EIO ? "pslverr" : "no pready");
  return rc;
}

void csr_idle(struct csr_env *e, unsigned cycles) {
  for (unsigned i = 0; i < cycles; i++) {
    apb_bfm_drive(&e->bfm[0]);
    apb_bfm_drive(&e->bfm[1]);
    csr_dut_eval(e->dut);
    csr_dut_clock(e->dut);
  }
}

int csr_check_reset(struct csr_env *e, const struct optile_csr_field_desc *f) {
  uint32_t v;
  if (f->access == OPTILE_CSR_ACC_HWRO) return 0;
  if (csr_read(e, f->offset, &v)) return -1;
  uint32_t want = f->access == OPTILE_CSR_ACC_PULSE ? 0 : f->reset;
  if (get(v, f->mask) != want)
    return fail(e, "%s @0x%03x: reset value expected 0x%x, read 0x%x", f->name, f->offset, want,
                get(v, f->mask));
  return 0;
}

int csr_check_rw(struct csr_env *e, const struct optile_csr_field_desc *f) {
  uint32_t before, v;
  unsigned w = width_of(f->mask);
  uint32_t ones = w == 32 ? 0xffffffffu : ((1u << w) - 1);
  const uint32_t pats[] = {ones, 0x55555555u & ones, 0xaaaaaaaau & ones, 0, 1};
  if (csr_read(e, f->offset, &before)) return -1;
  for (unsigned i = 0; i < sizeof(pats) / sizeof(pats[0]); i++) {
    uint32_t wr = (before & ~f->mask) | ((pats[i] << shift_of(f->mask)) & f->mask);
    if (csr_write(e, f->offset, wr, 0xf) || csr_read(e, f->offset, &v)) return -1;
    if (get(v, f->mask) != pats[i])
      return fail(e, "%s @0x%03x: wrote 0x%x, read 0x%x", f->name, f->offset, pats[i],
                  get(v, f->mask));
    if ((v & ~f->mask) != (before & ~f->mask))
      return fail(e, "%s @0x%03x: writing the field changed other bits: 0x%08x -> 0x%08x", f->name,
                  f->offset, before & ~f->mask, v & ~f->mask);
    if (f->hw_read) {
      uint32_t q = csr_dut_reg2hw_get(e->dut, (unsigned)f->r2h_q, w);
      if (q != pats[i])
        return fail(e, "%s: reg2hw bit %d: expected 0x%x, design sees 0x%x", f->name, f->r2h_q,
                    pats[i], q);
    }
  }
  return csr_write(e, f->offset, before, 0xf);
}

int csr_check_ro(struct csr_env *e, const struct optile_csr_field_desc *f) {
  uint32_t before, after;
  if (csr_read(e, f->offset, &before)) return -1;
  if (csr_write(e, f->offset, before ^ f->mask, 0xf)) return -1;
  if (csr_read(e, f->offset, &after)) return -1;
  if (get(after, f->mask) != get(before, f->mask))
    return fail(e, "%s @0x%03x: read-only field changed by a write: 0x%x -> 0x%x", f->name,
                f->offset, get(before, f->mask), get(after, f->mask));
  return 0;
}

int csr_check_hwro(struct csr_env *e, const struct optile_csr_field_desc *f, uint32_t value) {
  unsigned w = width_of(f->mask);
  uint32_t ones = w == 32 ? 0xffffffffu : ((1u << w) - 1);
  uint32_t v;
  value &= ones;
  if (f->h2r_d < 0) return fail(e, "%s: no hw2reg input", f->name);
  csr_dut_hw2reg_set(e->dut, (unsigned)f->h2r_d, w, value);
  if (csr_read(e, f->offset, &v)) return -1;
  csr_dut_hw2reg_set(e->dut, (unsigned)f->h2r_d, w, 0);
  if (get(v, f->mask) != value)
    return fail(e, "%s @0x%03x: hardware drove 0x%x, read 0x%x", f->name, f->offset, value,
                get(v, f->mask));
  return 0;
}

int csr_check_w1c(struct csr_env *e, const struct optile_csr_field_desc *f) {
  uint32_t v;
  if (f->h2r_de < 0) return fail(e, "%s: no hw2reg set input", f->name);
  csr_dut_hw2reg_set(e->dut, (unsigned)f->h2r_de, 1, 1);
  csr_idle(e, 1);
  csr_dut_hw2reg_set(e->dut, (unsigned)f->h2r_de, 1, 0);
  if (csr_read(e, f->offset, &v)) return -1;
  if (get(v, f->mask) != get(f->mask, f->mask))
    return fail(e, "%s @0x%03x: not set by hardware (read 0x%x)", f->name, f->offset, get(v, f->mask));
  if (csr_write(e, f->offset, 0, 0xf) || csr_read(e, f->offset, &v)) return -1;
  if (get(v, f->mask) != get(f->mask, f->mask))
    return fail(e, "%s @0x%03x: cleared by writing 0", f->name, f->offset);
  if (f->hw_read && csr_dut_reg2hw_get(e->dut, (unsigned)f->r2h_q, 1) != 1)
    return fail(e, "%s: reg2hw bit %d does not show the state", f->name, f->r2h_q);
  if (csr_write(e, f->offset, f->mask, 0xf) || csr_read(e, f->offset, &v)) return -1;
  if (get(v, f->mask) != 0)
    return fail(e, "%s @0x%03x: not cleared by writing 1 (read 0x%x)", f->name, f->offset,
                get(v, f->mask));
  return 0;
}

int csr_check_pulse(struct csr_env *e, const struct optile_csr_field_desc *f) {
  uint32_t v;
  unsigned w = width_of(f->mask);
  if (f->r2h_q < 0) return fail(e, "%s: no reg2hw output", f->name);
  /* Drive the write by hand to watch reg2hw cycle by cycle. */
  struct apb_bfm *b = &e->bfm[e->port];
  if (apb_bfm_start(b, true, f->offset, f->mask, 0xf)) return fail(e, "%s: bus busy", f->name);
  unsigned seen = 0, cycles = 0;
  bool written = false;
  while (cycles < 8) {
    apb_bfm_drive(b);
    csr_dut_eval(e->dut);
    if (csr_dut_reg2hw_get(e->dut, (unsigned)f->r2h_q, w) != 0) seen++;
    if (apb_bfm_sample(b)) written = true;
    csr_dut_clock(e->dut);
    cycles++;
    if (written && cycles > 4) break;
  }
  apb_bfm_drive(b);
  if (!written) return fail(e, "%s: write did not complete", f->name);
  if (seen != 1)
    return fail(e, "%s @0x%03x: pulse lasted %u cycles, expected 1", f->name, f->offset, seen);
  if (csr_read(e, f->offset, &v)) return -1;
  if (get(v, f->mask) != 0)
    return fail(e, "%s @0x%03x: pulse field reads 0x%x, expected 0", f->name, f->offset,
                get(v, f->mask));
  return 0;
}

int csr_check_field(struct csr_env *e, const struct optile_csr_field_desc *f) {
  switch (f->access) {
    case OPTILE_CSR_ACC_CONST:
      return csr_check_ro(e, f);
    case OPTILE_CSR_ACC_HWRO:
      return csr_check_hwro(e, f, 0xa5c3f00fu ^ f->offset) || csr_check_hwro(e, f, ~f->offset) ||
                     csr_check_ro(e, f)
                 ? -1
                 : 0;
    case OPTILE_CSR_ACC_RW:
      return csr_check_rw(e, f);
    case OPTILE_CSR_ACC_W1C:
      return csr_check_w1c(e, f);
    case OPTILE_CSR_ACC_PULSE:
      return csr_check_pulse(e, f);
  }
  return fail(e, "%s: unknown access kind %d", f->name, (int)f->access);
}
