/* NI shadow: a golden NI fed the RTL NI's inputs (see xc_ni.h). */
#include "xcheck/xc_ni.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ni/ni_cmp.h"
#include "ni/ni_mem.h"

struct xc_ni {
  xc_t *x;
  unsigned chip;
  hostmem *gm;
  ni *g;
  struct ni_mem *mem;
  int place;
  uint8_t prev_set;          /* RTL's intr_dma_cpl_set_o of the previous cycle */
  struct {                   /* the RTL's reads in flight, by issue cycle mod MemLat */
    uint8_t valid;
    uint32_t len;
    uint64_t addr;
  } rd[TILE_MEMLAT];
  const struct xc_hooks *hooks;
};

static void mirror(void *ctx, uint64_t addr, const void *src, size_t n) {
  xc_ni_t *s = ctx;
  if (hostmem_write(s->gm, addr, src, n) != 0)
    xc_mismatch(s->x, ni_cycle(s->g), s->place, "host memory mirror", "written", hostmem_error(s->gm));
}

xc_ni_t *xc_ni_new(xc_t *x, unsigned chip, const char *name, struct ni_mem *mem, char *err,
                   size_t errlen) {
  if (ni_mem_pages(mem)) {
    snprintf(err, errlen, "NI shadow of %s: host memory already written, cannot mirror it", name);
    return NULL;
  }
  xc_ni_t *s = calloc(1, sizeof(*s));
  if (!s) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  s->gm = hostmem_new(err, errlen);
  if (!s->gm) {
    free(s);
    return NULL;
  }
  ni_config cfg;
  memset(&cfg, 0, sizeof(cfg)); /* spec 6.1 defaults, as optile_tile's u_ni */
  cfg.flit_w = TILE_FLIT_BYTES * 8;
  cfg.num_vc = TILE_NUM_VC;
  cfg.buf_depth = TILE_BUF_DEPTH;
  cfg.mem_lat = TILE_MEMLAT;
  cfg.my_chip = chip;
  s->g = ni_new(&cfg, s->gm, err, errlen);
  if (!s->g) {
    hostmem_free(s->gm);
    free(s);
    return NULL;
  }
  s->x = x;
  s->chip = chip;
  s->mem = mem;
  s->hooks = xc_get_hooks(x);
  char place[64];
  snprintf(place, sizeof(place), "%.40s.ni", name);
  s->place = xc_port_add(x, place, false);
  ni_mem_set_host_hook(mem, mirror, s);
  return s;
}

void xc_ni_free(xc_ni_t *n) {
  if (!n) return;
  ni_mem_set_host_hook(n->mem, NULL, NULL);
  ni_free(n->g);
  hostmem_free(n->gm);
  free(n);
}

const ni *xc_ni_golden(const xc_ni_t *n) { return n->g; }

static void report(xc_ni_t *n, uint64_t t, const ni_cmp_diff *d) {
  char e[48], a[48];
  snprintf(e, sizeof(e), "0x%" PRIx64, d->expected);
  snprintf(a, sizeof(a), "0x%" PRIx64, d->actual);
  xc_mismatch(n->x, t, n->place, d->signal, e, a);
}

/* one register of the NI (golden numbering) from its fields' strobes */
static void reg_in(ni *g, const struct tile_ni_obs *no, unsigned reg, unsigned f) {
  if (no->qe >> f & 1u) (void)ni_reg_write(g, reg, no->val[f]);
}

/* The read data the RTL NI samples at the edge ending cycle t against the
 * golden memory after its edge (writes performed, then reads): 0 or -1. */
static int cmp_rdata(xc_ni_t *n, uint64_t t, const struct tile_dut_in *in, ni_cmp_diff *d) {
  unsigned due = (unsigned)((t + 1) % TILE_MEMLAT); /* issued in cycle t - MemLat + 1 */
  if (n->rd[due].valid != in->mem_rdata_valid) {
    snprintf(d->signal, sizeof(d->signal), "mem_rdata valid");
    d->expected = n->rd[due].valid;
    d->actual = in->mem_rdata_valid;
    return -1;
  }
  if (!n->rd[due].valid) return 0;
  uint8_t g[TILE_FLIT_BYTES];
  uint32_t len = n->rd[due].len < TILE_FLIT_BYTES ? n->rd[due].len : TILE_FLIT_BYTES;
  if (hostmem_read(n->gm, n->rd[due].addr, g, len) != 0) memset(g, 0, len);
  for (unsigned i = 0; i < len; i++) {
    if (g[i] != in->mem_rdata[i]) {
      snprintf(d->signal, sizeof(d->signal), "mem_rdata byte %u", i);
      d->expected = g[i];
      d->actual = in->mem_rdata[i];
      return -1;
    }
  }
  return 0;
}

void xc_ni_cycle(xc_ni_t *n, uint64_t t, const struct tile_obs *o, const struct tile_ni_obs *no,
                 const struct tile_dut_out *out, const struct tile_dut_in *in) {
  /* the NI's reset is the tile's datapath reset (asynchronous): in a cycle
   * with it active the outputs are reset values and the edge changes nothing */
  if (!o->dp_rst_n) {
    ni_reset(n->g);
    n->prev_set = 0;
  }
  ncr_out r;
  memset(&r, 0, sizeof(r));
  const struct tile_link *tx = &o->rin[TILE_PORT_L], *rx = &o->rout[TILE_PORT_L];
  r.tx_valid = tx->valid;
  if (tx->valid) {
    r.tx_head = tx->head;
    r.tx_tail = tx->tail;
    r.tx_vc = tx->vc;
    for (unsigned i = 0; i < NCR_B; i++) r.tx_flit[i] = (uint8_t)(tx->flit[i / 4] >> (8 * (i % 4)));
  }
  r.rx_credit_valid = rx->credit_valid;
  r.rx_credit_vc = rx->credit_vc;
  r.tx_head_idx = no->tx_head;
  r.rx_head_idx = no->rx_head;
  r.cq_tail_idx = no->cq_tail;
  if (n->hooks->ni_chip == (int)n->chip && n->hooks->ni_cycle == t) r.tx_head_idx ^= 1u; /* test hook */
  r.rd_valid = out->mem_rd_valid;
  r.rd_addr = out->mem_rd_addr;
  r.rd_len = out->mem_rd_len;
  r.wr_valid = out->mem_wr_valid;
  r.wr_addr = out->mem_wr_addr;
  r.wr_len = out->mem_wr_len;
  r.wr_be = out->mem_wr_be;
  memcpy(r.wr_data, out->mem_wr_data, NCR_B);

  ni_cmp_diff d;
  memset(&d, 0, sizeof d);
  int bad = ni_cmp_outputs(n->g, &r, n->prev_set, &d) || ni_cmp_counters(n->g, no->cnt, &d);
  if (bad) report(n, t, &d);
  n->prev_set = o->dp_rst_n ? no->intr_set : 0;
  if (!o->dp_rst_n) {
    if (!bad) xc_matched(n->x, n->place, 1);
    return;
  }
  /* inputs of the cycle */
  if (ni_irq(n->g)) (void)ni_reg_write(n->g, NI_REG_INTR, 1);
  if (no->qe & (1u << TILE_NI_TX_EN | 1u << TILE_NI_RX_EN | 1u << TILE_NI_CQ_EN))
    (void)ni_reg_write(n->g, NI_REG_CTRL,
                       (no->val[TILE_NI_TX_EN] & 1u) | (no->val[TILE_NI_RX_EN] & 1u) << 1 |
                           (no->val[TILE_NI_CQ_EN] & 1u) << 2);
  if (no->qe & (1u << TILE_NI_COAL_COUNT | 1u << TILE_NI_COAL_TIMER))
    (void)ni_reg_write(n->g, NI_REG_IRQ_COAL,
                       (no->val[TILE_NI_COAL_COUNT] & 0xFFFFu) | (no->val[TILE_NI_COAL_TIMER] & 0xFFFFu) << 16);
  reg_in(n->g, no, NI_REG_TX_BASE_LO, TILE_NI_TX_BASE_LO);
  reg_in(n->g, no, NI_REG_TX_BASE_HI, TILE_NI_TX_BASE_HI);
  reg_in(n->g, no, NI_REG_TX_SIZE, TILE_NI_TX_SIZE);
  reg_in(n->g, no, NI_REG_TX_TAIL, TILE_NI_TX_PROD);
  reg_in(n->g, no, NI_REG_RX_BASE_LO, TILE_NI_RX_BASE_LO);
  reg_in(n->g, no, NI_REG_RX_BASE_HI, TILE_NI_RX_BASE_HI);
  reg_in(n->g, no, NI_REG_RX_SIZE, TILE_NI_RX_SIZE);
  reg_in(n->g, no, NI_REG_RX_TAIL, TILE_NI_RX_PROD);
  reg_in(n->g, no, NI_REG_CQ_BASE_LO, TILE_NI_CQ_BASE_LO);
  reg_in(n->g, no, NI_REG_CQ_BASE_HI, TILE_NI_CQ_BASE_HI);
  reg_in(n->g, no, NI_REG_CQ_SIZE, TILE_NI_CQ_SIZE);
  reg_in(n->g, no, NI_REG_CQ_HEAD, TILE_NI_CQ_CONS);
  if (rx->valid) {
    noc_flit f;
    memset(&f, 0, sizeof(f));
    for (unsigned j = 0; j < TILE_FLIT_WORDS / 2; j++)
      f.data[j] = rx->flit[2 * j] | (uint64_t)rx->flit[2 * j + 1] << 32;
    f.head = rx->head;
    f.tail = rx->tail;
    f.vc = rx->vc;
    (void)ni_rx_flit(n->g, &f);
  }
  if (tx->credit_valid) (void)ni_tx_credit(n->g, tx->credit_vc);
  ni_step(n->g);
  /* the requests of the cycle */
  if (!bad && ni_cmp_requests(n->g, &r, &d)) {
    report(n, t, &d);
    bad = 1;
  }
  /* the read data of the edge: the two memories agree */
  n->rd[t % TILE_MEMLAT].valid = out->mem_rd_valid;
  n->rd[t % TILE_MEMLAT].addr = out->mem_rd_addr;
  n->rd[t % TILE_MEMLAT].len = out->mem_rd_len;
  if (!bad && cmp_rdata(n, t, in, &d)) {
    report(n, t, &d);
    bad = 1;
  }
  if (!bad) xc_matched(n->x, n->place, 1);
}
