/* hal_sim.h - the simulator's back end of host/optile_hal.h (docs/spec.md
 * 10.10): CSR accesses through a tile's host APB port, DMA-visible host
 * memory in tb/ni/ni_mem (the memory the NI's DMA port reads and writes),
 * wait = advance the whole co-simulation. The driver above it never learns
 * it is simulated.
 *
 * The back end does not step anything itself: the owner of the simulation
 * gives it a `step` function that advances every model by n cycles and, in
 * each of them, drives and samples the APB requester `host_bfm` on the
 * tile's host port (apb_bfm_drive before the tile is evaluated,
 * apb_bfm_sample after). A read32/write32 starts a transfer on that BFM and
 * steps until it has completed.
 */
#ifndef OPTILE_TB_HAL_SIM_H
#define OPTILE_TB_HAL_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "bfm/apb_bfm.h"
#include "ni/ni_mem.h"
#include "optile_hal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the back end needs from the simulation. */
struct hal_sim_target {
  void *ctx;
  struct apb_bfm *host_bfm;                   /* requester on the tile's host port */
  ni_mem *mem;                                /* the NI's host memory */
  int (*step)(void *ctx, uint64_t cycles);    /* advance everything; < 0: simulation over */
  int (*intr)(void *ctx);                     /* level of the tile's intr_o now */
  uint64_t mem_base;                          /* DMA arena: bus addresses [base, base + size) */
  uint64_t mem_size;
  unsigned timeout;                           /* cycles without pready before a CSR access gives up (0: 10000) */
};

/* Statistics of one back end. */
struct hal_sim_stats {
  uint64_t reads, writes, bus_cycles, slverrs, timeouts;
  uint64_t waits, wait_cycles;
  uint64_t alloc_bytes; /* bytes currently allocated */
};

struct hal_sim;

/** A back end on `t` (copied). NULL on a bad target or no memory. */
struct hal_sim *hal_sim_new(const struct hal_sim_target *t);
void hal_sim_free(struct hal_sim *h);
/** Fill *hal with this back end's ops and context (name "sim"). */
void hal_sim_bind(struct hal_sim *h, struct optile_hal *hal);
const struct hal_sim_stats *hal_sim_stats(const struct hal_sim *h);

#ifdef __cplusplus
}
#endif
#endif
