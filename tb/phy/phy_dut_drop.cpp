// Thin Verilator glue: optile_phy built with the test-only parameter
// TestDropReplay = 1 (model Vphydrop), for the scoreboard's negative test.
#include "phy/phy_dut_impl.h"

#include "Vphydrop.h"

extern "C" phy_dut *phy_dut_new_drop_replay(void) {
  return phy_glue::make<Vphydrop>("optile_phy");
}
