/* PHY shadow (docs/spec.md sections 4 and 9.2): one golden link end
 * (csim/phy/phy_link) per RTL PHY, fed in every cycle exactly the inputs the
 * RTL PHY sampled in that cycle (datapath reset, flit interface, lane_rx,
 * lane_rx_power and the CSR-side inputs of spec 4.2 as the tile wires them,
 * spec 2.4), with its outputs of the cycle compared before it is stepped:
 *
 *   place `<chip>.lane.<i>`: lane_tx_o word i (bit-exact) and laser bit i;
 *   place `<chip>.phy`:      state_o, link_up_o, lane_lock_o, lane_deskew_o,
 *                            active_mask_o, train_phase_o, lane_heater_o,
 *                            lane_power_o, tx_ready_o, rx_valid_o and, when
 *                            rx_valid_o is 1, rx_flit_o / rx_side_o (the
 *                            delivered flit when rx_ready_i is 1).
 *
 * A cycle is two calls so that a harness can sample activity in between:
 *   xc_phy_check(p, t, o)  - applies the datapath reset of cycle t (the RTL
 *                            PHY's reset is asynchronous: its outputs of t
 *                            are reset values) and compares the outputs of t;
 *                            the counters then cover cycles 0..t-1, as the
 *                            RTL's counters read in cycle t do;
 *   xc_phy_step(p, t, o)   - feeds cycle t's inputs and clocks the model
 *                            (nothing while the datapath reset is active).
 *
 * Test-only hook (struct xc_hooks lane_*; `--test-hook=lane-word:CHIP:LANE:
 * CYCLE`): the monitor flips bit 0 of the RTL's lane_tx word of that chip
 * and lane in that cycle before comparing, so a negative test can prove a
 * wrong lane word is caught and named.
 */
#ifndef OPTILE_TB_XC_PHY_H
#define OPTILE_TB_XC_PHY_H

#include <stddef.h>
#include <stdint.h>

#include "phy/phy_link.h"
#include "tile/tile_dut.h"
#include "xcheck/xc.h"

typedef struct xc_phy xc_phy_t;

/* A shadow for chip index `chip` (0 = A); places are named after `name`
 * ("chipA"). NULL with err on failure. */
xc_phy_t *xc_phy_new(xc_t *x, unsigned chip, const char *name, char *err, size_t errlen);
void xc_phy_free(xc_phy_t *p);
void xc_phy_check(xc_phy_t *p, uint64_t cycle, const struct tile_obs *o);
void xc_phy_step(xc_phy_t *p, uint64_t cycle, const struct tile_obs *o);
/* The golden link end's own activity counters (spec 4.12). */
const phy_link_counters_t *xc_phy_counters(const xc_phy_t *p);
/* Cycles compared and mismatching cycles so far. */
uint64_t xc_phy_cycles(const xc_phy_t *p);

#endif
