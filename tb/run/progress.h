/* Progress of a long run on a terminal: cycles, simulated kHz, ETA.
 * Quiet when stderr is not a terminal or CI is set. */
#ifndef OPTILE_TB_PROGRESS_H
#define OPTILE_TB_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

struct progress {
  bool on;
  uint64_t total;
  double t0, last;
  uint64_t next_check;   /* cycle at which the clock is looked at again */
};

void progress_start(struct progress *p, uint64_t total_cycles, bool allow);
/** Cheap to call every cycle: reads the clock only now and then. */
static inline void progress_tick(struct progress *p, uint64_t cycle);
void progress_draw(struct progress *p, uint64_t cycle);
void progress_end(struct progress *p, uint64_t cycle);
/** Wall-clock seconds since an arbitrary origin. */
double progress_now(void);

static inline void progress_tick(struct progress *p, uint64_t cycle) {
  if (p->on && cycle >= p->next_check) progress_draw(p, cycle);
}

#endif
