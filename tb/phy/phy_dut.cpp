// Thin Verilator glue for optile_phy: the C API of phy_dut.h over the
// default model Vphy (the template is in phy_dut_impl.h).
#include "phy/phy_dut_impl.h"

#include "Vphy.h"

extern "C" {

phy_dut *phy_dut_new(void) { return phy_glue::make<Vphy>("optile_phy"); }

void phy_dut_free(phy_dut *d) { delete d; }

struct phy_dut_in *phy_dut_in(phy_dut *d) { return &d->in; }
const struct phy_dut_out *phy_dut_out(const phy_dut *d) { return &d->out; }
uint64_t phy_dut_cycles(const phy_dut *d) { return d->cycles; }
void phy_dut_eval(phy_dut *d) { d->eval(); }
void phy_dut_clock(phy_dut *d) { d->clock(); }

void phy_dut_reset(phy_dut *d, unsigned cycles) {
  d->set_rst_n(0);
  for (unsigned i = 0; i < cycles; i++) {
    d->eval();
    d->clock();
  }
  d->set_rst_n(1);
  d->eval();
}

void phy_dut_counters(const phy_dut *d, struct phy_dut_counters *c) { d->counters(c); }
int phy_dut_trace_open(phy_dut *d, const char *path) { return d->trace_open(path); }
void phy_dut_trace_close(phy_dut *d) { d->trace_close(); }

}  // extern "C"
