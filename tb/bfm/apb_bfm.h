/* APB4 requester bus-functional model, simulator independent.
 *
 * The model drives and samples a struct apb_pins that the Verilator glue of a
 * design copies to and from the design's ports. Each simulated cycle:
 *   apb_bfm_drive()   before the design is evaluated,
 *   (design evaluates combinational logic)
 *   apb_bfm_sample()  before the rising clock edge ends the cycle.
 * Timing follows the APB4 protocol: one setup cycle, then access cycles until
 * pready. Blocking helpers (apb_bfm_read/write) step a design through
 * struct apb_clocking.
 */
#ifndef OPTILE_TB_APB_BFM_H
#define OPTILE_TB_APB_BFM_H

#include <stdbool.h>
#include <stdint.h>

/** Pins of one APB4 requester port (requester outputs, then completer outputs). */
struct apb_pins {
  uint8_t psel, penable, pwrite, pstrb;
  uint32_t paddr, pwdata;
  uint8_t pready, pslverr;
  uint32_t prdata;
};

enum apb_bfm_state { APB_IDLE, APB_SETUP, APB_ACCESS };

/** One transfer and its outcome. */
struct apb_xfer {
  bool write;
  uint32_t addr, wdata, rdata;
  uint8_t strb;
  bool slverr;
  unsigned cycles;   /* from the setup cycle to the cycle pready was seen, inclusive */
};

struct apb_bfm {
  struct apb_pins *pins;
  enum apb_bfm_state state;
  struct apb_xfer cur;
  bool done;         /* cur completed in the last sampled cycle */
};

/** How blocking helpers advance the design by one cycle. */
struct apb_clocking {
  void *ctx;
  void (*eval)(void *ctx);    /* evaluate combinational logic from the pins */
  void (*clock)(void *ctx);   /* rising edge: the cycle ends */
  unsigned timeout;           /* cycles without pready before giving up */
};

void apb_bfm_init(struct apb_bfm *b, struct apb_pins *pins);
/** Queue a transfer; returns 0, or -EBUSY while one is in flight. */
int apb_bfm_start(struct apb_bfm *b, bool write, uint32_t addr, uint32_t wdata, uint8_t strb);
bool apb_bfm_busy(const struct apb_bfm *b);
/** Set the requester pins for this cycle. */
void apb_bfm_drive(struct apb_bfm *b);
/** Look at the completer pins; true when the transfer finished this cycle
 *  (its result is then in b->cur). */
bool apb_bfm_sample(struct apb_bfm *b);

/** Blocking transfers. Return 0, -EIO on pslverr, -ETIMEDOUT without pready,
 *  -EBUSY if a transfer is already in flight. *cycles (may be NULL) gets the
 *  transfer's length. */
int apb_bfm_write(struct apb_bfm *b, const struct apb_clocking *c, uint32_t addr,
                  uint32_t data, uint8_t strb, unsigned *cycles);
int apb_bfm_read(struct apb_bfm *b, const struct apb_clocking *c, uint32_t addr,
                 uint32_t *data, unsigned *cycles);

#endif
