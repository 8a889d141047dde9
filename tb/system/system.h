/* system.h - a two-chip optile co-simulation (BRIEF sections 1 and 5).
 *
 * Chips A (index 0, chip id 0) and B (index 1, chip id 1) each have one
 * Verilated tile (tb/tile), a host memory serving the NI's DMA port
 * (tb/ni/ni_mem, latency TILE_MEMLAT), an RV32IM ISS (csim/iss) running the
 * firmware ELF whose CSR-window bus drives the tile's management APB port
 * (spec 3.6: WAIT until the transfer completes), and a host driver
 * (host/optile_drv) on the simulator HAL (tb/hal_sim) through the tile's
 * host APB port. The PHY lanes are joined by two optical channel models
 * (csim/channel): A->B (A's lane_tx and lasers, B's heaters, into B's
 * lane_rx and lane_rx_power) and B->A. Mesh ports N/E/S/W are idle unless a
 * drive hook (sys_set_drive) feeds them.
 *
 * One simulated cycle t (sys_step), in this order:
 *   1. drive hook (if any): set mesh inputs of cycle t (tile_dut_in);
 *   2. each tile: APB pins of both ports driven, model evaluated;
 *   3. each channel: ch_step with cycle t's lane words, lasers and heaters;
 *      each host memory: ni_mem_cycle with the NI's requests; results go
 *      to the tiles' late inputs (sampled at the edge ending cycle t);
 *   4. APB completer pins sampled (host and management ports);
 *   5. each ISS: one iss_step (its bus callback may start or finish a
 *      management-port transfer);
 *   6. observers (sys_add_observer), in registration order, see cycle t:
 *      sys_tile_obs() gives the settled signals of the cycle;
 *   7. link-event detection, then the clock edge of every tile.
 * sys_cycle() is t + 1 after the step of cycle t.
 *
 * Host drivers: code that calls the driver (sys_dev) runs on the caller's
 * thread; every CSR access and every HAL wait advances the whole system
 * (both chips, both ISSes, channels, observers), so the driver never knows
 * it is simulated. Do not call a driver from inside an observer or hook.
 *
 * Every function returning int returns 0 (or a count) or a negative errno.
 */
#ifndef OPTILE_TB_SYSTEM_H
#define OPTILE_TB_SYSTEM_H

#include <stddef.h>
#include <stdint.h>

#include "channel/channel.h"
#include "optile_drv.h"
#include "tile/tile_dut.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { SYS_CHIPS = 2, SYS_CHIP_A = 0, SYS_CHIP_B = 1 };

/* Waves: off, or one file per chip for a cycle window. */
enum sys_waves { SYS_WAVES_OFF = 0, SYS_WAVES_FST = TILE_WAVES_FST, SYS_WAVES_VCD = TILE_WAVES_VCD };

typedef struct sys sys_t;

/* Configuration. sys_cfg_default() fills every field; change what you need. */
struct sys_cfg {
  uint64_t seed;              /* channel seeds derive from it (A->B: seed, B->A: seed ^ 0x9E37...) */
  unsigned lanes;             /* lanes the firmware brings up (lane mask = low `lanes` bits); 1..8, default 8 */
  /* optical channel, both directions (spec 7) */
  unsigned latency_cycles;    /* fiber latency, default 10 */
  double ber;                 /* static random bit error rate, default 0 */
  int ring_enable;            /* microring model on (default 1): firmware must tune */
  double drift_k_per_s;       /* temperature ramp, default 200 K/s (spec 7.3) */
  double sine_k;              /* sinusoidal temperature swing amplitude, K (default 0) */
  double sine_period_s;       /* its period, s (default 1e-3) */
  double noise_k;             /* OU temperature noise std. dev., K (default 0.01) */
  double noise_tau_s;         /* its correlation time, s (default 10e-6) */
  double fab_mean_pm;         /* mean ring detuning at heater 0 (default -400) */
  double fab_sigma_pm;        /* its lane-to-lane spread (default 100) */
  double heater_range_pm;     /* red shift of heater code 4095 (default 4095 * 0.25 pm) */
  /* optional: adjust each direction's full channel configuration after the
   * fields above are applied (dir 0 = A->B, 1 = B->A); may be NULL */
  void (*ch_tweak)(void *ctx, unsigned dir, ch_cfg_t *c);
  void *ch_tweak_ctx;
  /* payload buffer for sys_transfer (default 1 MiB) */
  size_t buf_bytes;
  /* firmware */
  const char *fw_elf;         /* default "build/fw/optile-fw.elf" */
  uint32_t iss_ram;           /* ISS RAM bytes, 0 = ISS default (256 KiB) */
  /* waves: files "<wave_path>.A.fst" and "<wave_path>.B.fst" */
  int waves;                  /* enum sys_waves, default SYS_WAVES_OFF */
  uint64_t wave_from;         /* first cycle dumped */
  uint64_t wave_to;           /* first cycle not dumped (0: to the end) */
  const char *wave_path;      /* default "build/waves/system" */
};

/* Link events (sys_events). */
enum sys_event_kind {
  SYS_EV_PHY_STATE = 1,  /* PHY training state changed: value = new state (spec 4.9) */
  SYS_EV_LINK_UP,        /* PHY link_up_o rose */
  SYS_EV_LINK_DOWN,      /* PHY link_up_o fell */
  SYS_EV_LINK_DOWNS,     /* PHY link_downs counter changed: value = new count */
  SYS_EV_FW_STATE,       /* firmware state (mbox_rsp.state) changed: value = new state (spec 10.4) */
  SYS_EV_FW_RSP,         /* firmware wrote mbox_rsp: value = the register */
  SYS_EV_FW_HALT,        /* the firmware trapped (value = mcause) or wrote tohost (value);
                            the hart is not stepped again */
};

struct sys_event {
  uint64_t cycle;
  unsigned chip;       /* SYS_CHIP_A or SYS_CHIP_B */
  int kind;            /* enum sys_event_kind */
  uint32_t value;
};

/* Firmware mailbox as the firmware last wrote it (from the management
 * port's writes; no bus access). */
struct sys_fw_mbox {
  uint32_t rsp;        /* last mbox_rsp written (0 before the boot write) */
  uint8_t status, seq, state;
  uint32_t res0, res1; /* last mbox_res0/1 written */
  uint64_t rsp_writes; /* mbox_rsp writes so far */
  uint64_t state_changes;
};

/* Per-chip summary counters of the harness. */
struct sys_chip_stats {
  uint64_t iss_instret, iss_cycles, iss_stall_cycles; /* ISS */
  uint64_t mgmt_xfers, mgmt_errors;                   /* management-port transfers, pslverr */
  uint64_t host_xfers;                                /* host-port transfers (driver) */
  uint64_t link_up_events, link_down_events;
};

/* ---- life cycle ------------------------------------------------------------------ */

/** Defaults described beside each field. */
void sys_cfg_default(struct sys_cfg *cfg);

/** Builds the system: tiles reset, channels created, firmware ELF loaded
 *  into both ISSes (reset; they start at cycle 0), host memories empty,
 *  waves opened if asked. Drivers are not opened yet (sys_open). On error
 *  returns NULL and writes a message into err (errlen bytes). */
sys_t *sys_create(const struct sys_cfg *cfg, char *err, size_t errlen);

/** Closes the drivers (which steps the system: observers and the drive
 *  hook still run; remove them first if they must not), the waves, and
 *  frees everything. NULL-safe. */
void sys_free(sys_t *s);

/** The configuration in use (copy made at creation). */
const struct sys_cfg *sys_config(const sys_t *s);

/* ---- time ------------------------------------------------------------------------- */

/** Advances n cycles. Returns 0, or -ECANCELED once an observer has asked
 *  to stop (sys_stop) — the system stays usable for inspection — or
 *  -EDEADLK when called from inside an observer or hook (directly or
 *  through a driver call), which does nothing. */
int sys_step(sys_t *s, uint64_t n);

/** Steps until pred(ctx, s) returns non-zero (checked before each cycle)
 *  or max_cycles have passed. Returns 1 when pred held, 0 on timeout,
 *  negative on error (as sys_step). */
int sys_run_until(sys_t *s, int (*pred)(void *ctx, sys_t *s), void *ctx, uint64_t max_cycles);

/** Cycles simulated since creation. */
uint64_t sys_cycle(const sys_t *s);

/** Wall-clock seconds spent inside sys_step since creation. */
double sys_wall_seconds(const sys_t *s);

/** Asks the stepping to stop (from an observer): the current sys_step
 *  returns -ECANCELED after this cycle and so does every later one.
 *  `why` is kept for sys_stop_reason. */
void sys_stop(sys_t *s, const char *why);
const char *sys_stop_reason(const sys_t *s); /* NULL if not stopped */

/* ---- hooks -------------------------------------------------------------------------- */

/** Observer: called once per cycle at step 6 with the cycle number t. */
typedef void (*sys_observer_fn)(void *ctx, sys_t *s, uint64_t cycle);

/** Registers an observer (at most 8). Returns an id >= 0 or -ENOSPC. */
int sys_add_observer(sys_t *s, sys_observer_fn fn, void *ctx);
/** Removes an observer by id. */
void sys_remove_observer(sys_t *s, int id);

/** Drive hook: called at step 1 of each cycle to set mesh inputs (via
 *  tile_dut_in(sys_tile(s, chip))); it may read tile_dut_out() of the
 *  previous cycle. One hook; NULL removes it. */
typedef void (*sys_drive_fn)(void *ctx, sys_t *s, uint64_t cycle);
void sys_set_drive(sys_t *s, sys_drive_fn fn, void *ctx);

/* ---- per-chip access ------------------------------------------------------------- */

/** The chip's tile model (for tile_dut_in / tile_dut_out / counters). */
tile_dut *sys_tile(sys_t *s, unsigned chip);

/** Signals of the current cycle, valid inside an observer. Outside one
 *  the internal signals are those after the last clock edge, the pins
 *  those of the last evaluated cycle. */
void sys_tile_obs(const sys_t *s, unsigned chip, struct tile_obs *o);

/** Block counters of the chip's tile, read now. */
void sys_tile_counters(const sys_t *s, unsigned chip, struct tile_counters *c);

/** The chip's host driver device. Valid after sys_open. */
struct optile_dev *sys_dev(sys_t *s, unsigned chip);

/** The chip's host memory (backdoor access for tests and checkers). */
struct ni_mem *sys_hostmem(sys_t *s, unsigned chip);

/** The channel that delivers to `chip` (dir = 1 - chip's transmitter). */
ch_t *sys_channel_to(sys_t *s, unsigned chip);

/** The chip's ISS (csim/iss; backdoor reads of firmware memory). */
struct iss *sys_iss(sys_t *s, unsigned chip);

/** Firmware mailbox as last written by the chip's firmware. */
void sys_fw_mbox(const sys_t *s, unsigned chip, struct sys_fw_mbox *m);

/** Harness statistics of the chip. */
void sys_chip_stats(const sys_t *s, unsigned chip, struct sys_chip_stats *st);

/* ---- link events ---------------------------------------------------------------- */

/** Number of events recorded since creation (the log keeps the last 4096). */
uint64_t sys_event_count(const sys_t *s);
/** Copies event number i (0 = first ever) into *ev; -ENOENT if no longer
 *  (or not yet) in the log. */
int sys_event(const sys_t *s, uint64_t i, struct sys_event *ev);
/** Short name of an event kind. */
const char *sys_event_name(int kind);
/** Optional callback for every event as it happens (NULL removes it). */
void sys_set_event_cb(sys_t *s, void (*fn)(void *ctx, const struct sys_event *ev), void *ctx);

/* ---- scenario helpers (all through the host drivers) ------------------------------- */

/** Opens both drivers (identify, reset) and waits up to timeout_cycles for
 *  both firmwares to leave BOOT. Routes: A's route[1] and B's route[0] :=
 *  port X. 0 or a negative errno (the driver's message in sys_errmsg). */
int sys_open(sys_t *s, uint32_t timeout_cycles);

/** Link bring-up on both chips at once: link_en and LINK_UP(lane mask of
 *  cfg.lanes) to both firmwares, then waits until both report LINK_UP or
 *  TRACKING and both PHYs are ACTIVE (0), a firmware reports FAILED (its
 *  mapped error, spec 10.3), or timeout_cycles (-ETIMEDOUT). */
int sys_link_up(sys_t *s, uint32_t timeout_cycles);

/** Sets up the DMA rings of both drivers (TX and RX 16 entries, CQ 64,
 *  64 KiB messages). */
int sys_dma_setup(sys_t *s);

/* One host-to-host transfer and its outcome. */
struct sys_xfer {
  uint64_t bytes;             /* requested */
  uint64_t delivered;         /* bytes in RX completions with status OK */
  uint32_t msgs_sent, msgs_received, cpl_errors;
  uint64_t start_cycle, end_cycle; /* first doorbell .. last RX completion reaped */
  int link_lost;              /* the firmware or PHY reported the link down during it */
};

/** Moves `len` bytes from chip `src`'s host memory at `src_bus` to chip
 *  1-src's host memory at `dst_bus` by DMA: the receiver posts buffers
 *  (one per max_msg chunk, in order), the sender sends as ring space
 *  allows, both reap completions, until every byte is delivered (0), a
 *  firmware reports a FAILED state (checked through optile_link_status at
 *  the start and every 16384 cycles: its error, e.g. -ERANGE), a
 *  completion has an error status (-EIO), or timeout_cycles pass
 *  (-ETIMEDOUT). *out (may be NULL) is filled in every case; `delivered`
 *  counts only bytes of messages completed OK. */
int sys_transfer(sys_t *s, unsigned src, uint64_t src_bus, uint64_t dst_bus, uint64_t len,
                 uint32_t timeout_cycles, struct sys_xfer *out);

/** Last error message of the helpers ("" if none). */
const char *sys_errmsg(const sys_t *s);

#ifdef __cplusplus
}
#endif
#endif
