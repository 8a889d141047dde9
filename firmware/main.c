/* Management firmware entry point.
 * Today: identify the tile and report "ready" through the mailbox; the link
 * bring-up and ring-tuning loop are built on this (docs/spec.md section 3). */
#include <stdint.h>

#include "mmio.h"

/* Mailbox response states (mbox_rsp.state). */
enum fw_state { FW_STATE_BOOT = 0, FW_STATE_READY = 1, FW_STATE_BAD_TILE = 0xEE };

int main(void) {
  uint32_t id = read32(OPTILE_CSR_ID_OFFSET);
  uint32_t state = OPTILE_CSR_FIELD_GET(OPTILE_CSR_ID_VALUE_MASK, id) == OPTILE_CSR_ID_VALUE_RESET
                       ? FW_STATE_READY
                       : FW_STATE_BAD_TILE;
  write32(OPTILE_CSR_MBOX_RSP_OFFSET, OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_RSP_STATE_MASK, state));
  for (;;) {
    __asm__ volatile("wfi");
  }
}
