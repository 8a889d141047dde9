/* APB4 requester bus-functional model (see apb_bfm.h). */
#include "bfm/apb_bfm.h"

#include <errno.h>
#include <string.h>

void apb_bfm_init(struct apb_bfm *b, struct apb_pins *pins) {
  memset(b, 0, sizeof(*b));
  b->pins = pins;
  b->state = APB_IDLE;
}

bool apb_bfm_busy(const struct apb_bfm *b) { return b->state != APB_IDLE; }

int apb_bfm_start(struct apb_bfm *b, bool write, uint32_t addr, uint32_t wdata, uint8_t strb) {
  if (b->state != APB_IDLE) return -EBUSY;
  memset(&b->cur, 0, sizeof(b->cur));
  b->cur.write = write;
  b->cur.addr = addr;
  b->cur.wdata = wdata;
  b->cur.strb = write ? strb : 0;
  b->state = APB_SETUP;
  b->done = false;
  return 0;
}

void apb_bfm_drive(struct apb_bfm *b) {
  struct apb_pins *p = b->pins;
  if (b->state == APB_IDLE) {
    p->psel = 0;
    p->penable = 0;
    p->pwrite = 0;
    p->pstrb = 0;
    return;
  }
  p->psel = 1;
  p->penable = b->state == APB_ACCESS;
  p->pwrite = b->cur.write;
  p->paddr = b->cur.addr;
  p->pwdata = b->cur.wdata;
  p->pstrb = b->cur.strb;
}

bool apb_bfm_sample(struct apb_bfm *b) {
  b->done = false;
  if (b->state == APB_IDLE) return false;
  b->cur.cycles++;
  if (b->state == APB_SETUP) {
    b->state = APB_ACCESS;
    return false;
  }
  if (!b->pins->pready) return false;
  b->cur.slverr = b->pins->pslverr != 0;
  if (!b->cur.write) b->cur.rdata = b->pins->prdata;
  b->state = APB_IDLE;
  b->done = true;
  return true;
}

static int run(struct apb_bfm *b, const struct apb_clocking *c) {
  for (unsigned n = 0; n <= c->timeout + 1; n++) {
    apb_bfm_drive(b);
    c->eval(c->ctx);
    bool fin = apb_bfm_sample(b);
    c->clock(c->ctx);
    if (fin) {
      apb_bfm_drive(b); /* release the bus */
      return b->cur.slverr ? -EIO : 0;
    }
  }
  b->state = APB_IDLE;
  apb_bfm_drive(b);
  return -ETIMEDOUT;
}

int apb_bfm_write(struct apb_bfm *b, const struct apb_clocking *c, uint32_t addr,
                  uint32_t data, uint8_t strb, unsigned *cycles) {
  int rc = apb_bfm_start(b, true, addr, data, strb);
  if (rc) return rc;
  rc = run(b, c);
  if (cycles) *cycles = b->cur.cycles;
  return rc;
}

int apb_bfm_read(struct apb_bfm *b, const struct apb_clocking *c, uint32_t addr,
                 uint32_t *data, unsigned *cycles) {
  int rc = apb_bfm_start(b, false, addr, 0, 0);
  if (rc) return rc;
  rc = run(b, c);
  if (data) *data = b->cur.rdata;
  if (cycles) *cycles = b->cur.cycles;
  return rc;
}
