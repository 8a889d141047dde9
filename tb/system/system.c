/* Two-chip optile co-simulation (see system.h for the cycle order). */
#include "system/system.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bfm/apb_bfm.h"
#include "hal_sim/hal_sim.h"
#include "iss/iss.h"
#include "ni/ni_mem.h"
#include "optile_csr.h"

enum { MAX_OBS = 8, EV_LOG = 4096 };

/* DMA arena of each chip's host memory (bus addresses). */
#define HOSTMEM_BASE 0x0000000100000000ull
#define HOSTMEM_SIZE (256ull << 20)

/* A management-port transfer asked for by the ISS (spec 3.6). */
struct mgmt_req {
  int active;   /* a transfer for the current ISS access is on the bus or done */
  int ready;    /* it completed in this cycle's sample; result below */
  int started;  /* started by the ISS step of this cycle (setup phase now) */
  int write;
  uint32_t off, wdata, rdata;
  int slverr;
};

struct chip {
  sys_t *sys;
  unsigned idx;
  tile_dut *t;
  ni_mem *mem;
  iss *cpu;
  int cpu_stopped;
  struct apb_bfm host, mgmt;
  struct mgmt_req req;
  struct hal_sim *hal;
  struct optile_dev dev;
  int dev_open;
  struct sys_fw_mbox mbox;
  struct sys_chip_stats st;
  /* link-event detection */
  unsigned phy_state, link_up;
  uint32_t link_downs;
};

struct observer {
  sys_observer_fn fn;
  void *ctx;
};

struct sys {
  struct sys_cfg cfg;
  struct chip chip[SYS_CHIPS];
  ch_t *ch[SYS_CHIPS]; /* ch[d]: from chip d to chip 1-d */
  uint64_t cycle;
  struct observer obs[MAX_OBS];
  sys_drive_fn drive;
  void *drive_ctx;
  void (*ev_cb)(void *ctx, const struct sys_event *ev);
  void *ev_ctx;
  struct sys_event ev[EV_LOG];
  uint64_t nev;
  int stopped;
  char stop_why[160];
  double wall;
  int depth; /* inside sys_step: observers and hooks must not step (or call drivers) */
  char err[1024];
};

/* ---- configuration ----------------------------------------------------------------- */

void sys_cfg_default(struct sys_cfg *cfg) {
  memset(cfg, 0, sizeof(*cfg));
  ch_cfg_t c;
  ch_cfg_default(&c);
  cfg->seed = 1;
  cfg->lanes = 8;
  cfg->latency_cycles = c.latency_cycles;
  cfg->ber = 0.0;
  cfg->ring_enable = 1;
  cfg->drift_k_per_s = c.ring.temp_drift_k_per_s;
  cfg->sine_k = c.ring.temp_sine_k;
  cfg->sine_period_s = c.ring.temp_sine_period_s;
  cfg->noise_k = c.ring.temp_noise_k;
  cfg->noise_tau_s = c.ring.temp_tau_s;
  cfg->fab_mean_pm = c.ring.fab_mean_pm;
  cfg->fab_sigma_pm = c.ring.fab_sigma_pm;
  cfg->heater_range_pm = 4095.0 * c.ring.heater_pm_per_code;
  cfg->buf_bytes = 1u << 20;
  cfg->fw_elf = "build/fw/optile-fw.elf";
  cfg->waves = SYS_WAVES_OFF;
  cfg->wave_path = "build/waves/system";
}

const struct sys_cfg *sys_config(const sys_t *s) { return &s->cfg; }

static void seterr(sys_t *s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(s->err, sizeof s->err, fmt, ap);
  va_end(ap);
}

const char *sys_errmsg(const sys_t *s) { return s->err; }

/* ---- events ------------------------------------------------------------------------- */

static void event(sys_t *s, unsigned chip, int kind, uint32_t value) {
  struct sys_event *e = &s->ev[s->nev % EV_LOG];
  e->cycle = s->cycle;
  e->chip = chip;
  e->kind = kind;
  e->value = value;
  s->nev++;
  if (s->ev_cb) s->ev_cb(s->ev_ctx, e);
}

uint64_t sys_event_count(const sys_t *s) { return s->nev; }

int sys_event(const sys_t *s, uint64_t i, struct sys_event *ev) {
  if (i >= s->nev || s->nev - i > EV_LOG) return -ENOENT;
  *ev = s->ev[i % EV_LOG];
  return 0;
}

const char *sys_event_name(int kind) {
  switch (kind) {
    case SYS_EV_PHY_STATE: return "phy_state";
    case SYS_EV_LINK_UP: return "link_up";
    case SYS_EV_LINK_DOWN: return "link_down";
    case SYS_EV_LINK_DOWNS: return "link_downs";
    case SYS_EV_FW_STATE: return "fw_state";
    case SYS_EV_FW_RSP: return "fw_rsp";
    case SYS_EV_FW_HALT: return "fw_halt";
    default: return "?";
  }
}

void sys_set_event_cb(sys_t *s, void (*fn)(void *ctx, const struct sys_event *ev), void *ctx) {
  s->ev_cb = fn;
  s->ev_ctx = ctx;
}

/* ---- ISS bus: the management port (spec 3.6) --------------------------------------- */

/* A management transfer finished: keep what the firmware told the host. */
static void mgmt_done(struct chip *c) {
  c->st.mgmt_xfers++;
  if (c->req.slverr) c->st.mgmt_errors++;
  if (!c->req.write || c->req.slverr) return;
  uint32_t v = c->req.wdata;
  switch (c->req.off) {
    case OPTILE_CSR_MBOX_RES0_OFFSET: c->mbox.res0 = v; break;
    case OPTILE_CSR_MBOX_RES1_OFFSET: c->mbox.res1 = v; break;
    case OPTILE_CSR_MBOX_RSP_OFFSET: {
      uint8_t state = (uint8_t)OPTILE_CSR_FIELD_GET(OPTILE_CSR_MBOX_RSP_STATE_MASK, v);
      int changed = c->mbox.rsp_writes == 0 || state != c->mbox.state;
      c->mbox.rsp = v;
      c->mbox.status = (uint8_t)OPTILE_CSR_FIELD_GET(OPTILE_CSR_MBOX_RSP_STATUS_MASK, v);
      c->mbox.seq = (uint8_t)OPTILE_CSR_FIELD_GET(OPTILE_CSR_MBOX_RSP_SEQ_MASK, v);
      c->mbox.state = state;
      c->mbox.rsp_writes++;
      event(c->sys, c->idx, SYS_EV_FW_RSP, v);
      if (changed) {
        c->mbox.state_changes++;
        event(c->sys, c->idx, SYS_EV_FW_STATE, state);
      }
      break;
    }
    default: break;
  }
}

/* The same access repeats until OK or ERROR; a new one starts a transfer
 * whose setup phase is the current cycle (so an uncontended access answers
 * WAIT once, then OK: 2 cycles). */
static int mgmt_access(struct chip *c, int write, uint32_t off, uint32_t wdata, uint32_t *rdata) {
  struct mgmt_req *r = &c->req;
  if (r->active) {
    if (r->write != write || r->off != off || (write && r->wdata != wdata)) return ISS_BUS_ERROR;
    if (!r->ready) return ISS_BUS_WAIT;
    r->active = 0;
    r->ready = 0;
    if (rdata) *rdata = r->rdata;
    mgmt_done(c);
    return r->slverr ? ISS_BUS_ERROR : ISS_BUS_OK;
  }
  if (off >= ISS_WIN_SIZE) return ISS_BUS_ERROR;
  if (apb_bfm_start(&c->mgmt, write != 0, off, wdata, write ? 0xF : 0)) return ISS_BUS_ERROR;
  r->active = 1;
  r->ready = 0;
  r->started = 1;
  r->write = write;
  r->off = off;
  r->wdata = wdata;
  return ISS_BUS_WAIT;
}

static int bus_read(void *ctx, uint32_t offset, uint32_t *data) {
  return mgmt_access(ctx, 0, offset, 0, data);
}

static int bus_write(void *ctx, uint32_t offset, uint32_t data, uint32_t strb) {
  (void)strb;
  return mgmt_access(ctx, 1, offset, data, NULL);
}

/* ---- one cycle ----------------------------------------------------------------------- */

static void cycle_one(sys_t *s) {
  /* 1. mesh inputs */
  if (s->drive) s->drive(s->drive_ctx, s, s->cycle);
  /* 2. APB pins, evaluation */
  for (unsigned i = 0; i < SYS_CHIPS; i++) {
    struct chip *c = &s->chip[i];
    apb_bfm_drive(&c->host);
    apb_bfm_drive(&c->mgmt);
    tile_dut_eval(c->t);
  }
  /* 3. channels and host memories: late inputs */
  for (unsigned d = 0; d < SYS_CHIPS; d++) {
    struct chip *tx = &s->chip[d], *rx = &s->chip[1 - d];
    const struct tile_dut_out *to = tile_dut_out(tx->t);
    const struct tile_dut_out *ro = tile_dut_out(rx->t);
    struct tile_dut_in *ri = tile_dut_in(rx->t);
    uint64_t w[TILE_LANES], r[TILE_LANES];
    for (unsigned l = 0; l < TILE_LANES; l++) w[l] = to->lane_tx[l];
    ch_step(s->ch[d], w, to->lane_laser_on, ro->lane_heater, r, ri->lane_rx_power);
    for (unsigned l = 0; l < TILE_LANES; l++) ri->lane_rx[l] = (uint32_t)r[l];
  }
  for (unsigned i = 0; i < SYS_CHIPS; i++) {
    struct chip *c = &s->chip[i];
    const struct tile_dut_out *o = tile_dut_out(c->t);
    struct tile_dut_in *in = tile_dut_in(c->t);
    struct ni_mem_rd rd = {o->mem_rd_valid, o->mem_rd_addr, o->mem_rd_len};
    struct ni_mem_wr wr;
    wr.valid = o->mem_wr_valid;
    if (wr.valid) {
      wr.addr = o->mem_wr_addr;
      wr.len = o->mem_wr_len;
      wr.be = o->mem_wr_be;
      memcpy(wr.data, o->mem_wr_data, TILE_FLIT_BYTES);
    }
    in->mem_rdata_valid = (uint8_t)ni_mem_cycle(c->mem, o->mem_rd_valid ? &rd : NULL,
                                                o->mem_wr_valid ? &wr : NULL, in->mem_rdata);
  }
  /* 4. APB completer pins sampled; 5. the harts */
  for (unsigned i = 0; i < SYS_CHIPS; i++) {
    struct chip *c = &s->chip[i];
    if (apb_bfm_sample(&c->host)) c->st.host_xfers++;
    if (apb_bfm_sample(&c->mgmt)) {
      c->req.ready = 1;
      c->req.rdata = c->mgmt.cur.rdata;
      c->req.slverr = c->mgmt.cur.slverr;
    }
    if (!c->cpu_stopped) {
      iss_status st = iss_step(c->cpu);
      if (st == ISS_STALLED) c->st.iss_stall_cycles++;
      if (st == ISS_HALTED || st == ISS_EXCEPTION) {
        /* The firmware never ends and never traps: either is a failure. */
        uint32_t v = 0;
        if (st == ISS_HALTED) (void)iss_tohost(c->cpu, &v);
        else v = iss_last_step(c->cpu)->cause;
        c->cpu_stopped = 1;
        event(s, i, SYS_EV_FW_HALT, v);
      }
      if (c->req.started) {
        /* setup phase in this cycle: the pins go to the model at the edge */
        c->req.started = 0;
        apb_bfm_drive(&c->mgmt);
        (void)apb_bfm_sample(&c->mgmt);
      }
    }
  }
  /* 6. observers */
  for (unsigned k = 0; k < MAX_OBS; k++)
    if (s->obs[k].fn) s->obs[k].fn(s->obs[k].ctx, s, s->cycle);
  /* 7. link events, clock edge */
  for (unsigned i = 0; i < SYS_CHIPS; i++) {
    struct chip *c = &s->chip[i];
    unsigned state, up;
    uint32_t downs;
    tile_dut_phy_status(c->t, &state, &up, &downs);
    if (state != c->phy_state) event(s, i, SYS_EV_PHY_STATE, state);
    if (up && !c->link_up) {
      c->st.link_up_events++;
      event(s, i, SYS_EV_LINK_UP, 1);
    }
    if (!up && c->link_up) {
      c->st.link_down_events++;
      event(s, i, SYS_EV_LINK_DOWN, 0);
    }
    if (downs != c->link_downs) event(s, i, SYS_EV_LINK_DOWNS, downs);
    c->phy_state = state;
    c->link_up = up;
    c->link_downs = downs;
    tile_dut_clock(c->t);
  }
  s->cycle++;
}

int sys_step(sys_t *s, uint64_t n) {
  if (s->stopped) return -ECANCELED;
  if (s->depth) return -EDEADLK; /* a driver called from an observer or hook */
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  s->depth++;
  for (uint64_t i = 0; i < n && !s->stopped; i++) cycle_one(s);
  s->depth--;
  clock_gettime(CLOCK_MONOTONIC, &b);
  s->wall += (double)(b.tv_sec - a.tv_sec) + 1e-9 * (double)(b.tv_nsec - a.tv_nsec);
  return s->stopped ? -ECANCELED : 0;
}

int sys_run_until(sys_t *s, int (*pred)(void *ctx, sys_t *s), void *ctx, uint64_t max_cycles) {
  for (uint64_t i = 0;; i++) {
    if (pred(ctx, s)) return 1;
    if (i >= max_cycles) return 0;
    int rc = sys_step(s, 1);
    if (rc) return rc;
  }
}

uint64_t sys_cycle(const sys_t *s) { return s->cycle; }
double sys_wall_seconds(const sys_t *s) { return s->wall; }

void sys_stop(sys_t *s, const char *why) {
  s->stopped = 1;
  snprintf(s->stop_why, sizeof s->stop_why, "%s", why ? why : "stopped");
}

const char *sys_stop_reason(const sys_t *s) { return s->stopped ? s->stop_why : NULL; }

int sys_add_observer(sys_t *s, sys_observer_fn fn, void *ctx) {
  for (int k = 0; k < MAX_OBS; k++) {
    if (!s->obs[k].fn) {
      s->obs[k].fn = fn;
      s->obs[k].ctx = ctx;
      return k;
    }
  }
  return -ENOSPC;
}

void sys_remove_observer(sys_t *s, int id) {
  if (id >= 0 && id < MAX_OBS) s->obs[id].fn = NULL;
}

void sys_set_drive(sys_t *s, sys_drive_fn fn, void *ctx) {
  s->drive = fn;
  s->drive_ctx = ctx;
}

/* ---- accessors ---------------------------------------------------------------------- */

static unsigned ci(unsigned chip) { return chip ? 1 : 0; }

tile_dut *sys_tile(sys_t *s, unsigned chip) { return s->chip[ci(chip)].t; }
void sys_tile_obs(const sys_t *s, unsigned chip, struct tile_obs *o) {
  tile_dut_observe(s->chip[ci(chip)].t, o);
}
void sys_tile_counters(const sys_t *s, unsigned chip, struct tile_counters *c) {
  tile_dut_counters(s->chip[ci(chip)].t, c);
}
struct optile_dev *sys_dev(sys_t *s, unsigned chip) { return &s->chip[ci(chip)].dev; }
struct ni_mem *sys_hostmem(sys_t *s, unsigned chip) { return s->chip[ci(chip)].mem; }
ch_t *sys_channel_to(sys_t *s, unsigned chip) { return s->ch[1 - ci(chip)]; }
struct iss *sys_iss(sys_t *s, unsigned chip) { return s->chip[ci(chip)].cpu; }

void sys_fw_mbox(const sys_t *s, unsigned chip, struct sys_fw_mbox *m) { *m = s->chip[ci(chip)].mbox; }

void sys_chip_stats(const sys_t *s, unsigned chip, struct sys_chip_stats *st) {
  const struct chip *c = &s->chip[ci(chip)];
  *st = c->st;
  st->iss_instret = iss_instret(c->cpu);
  st->iss_cycles = iss_cycles(c->cpu);
}

/* ---- creation ------------------------------------------------------------------------- */

static int hal_step(void *ctx, uint64_t n) { return sys_step(ctx, n); }

static int hal_intr0(void *ctx) { return tile_dut_out(((sys_t *)ctx)->chip[0].t)->intr; }
static int hal_intr1(void *ctx) { return tile_dut_out(((sys_t *)ctx)->chip[1].t)->intr; }

static void make_channel_cfg(const struct sys_cfg *cfg, unsigned dir, ch_cfg_t *c) {
  ch_cfg_default(c);
  c->latency_cycles = cfg->latency_cycles;
  c->ber = cfg->ber;
  c->seed = dir ? (cfg->seed ^ 0x9E3779B97F4A7C15ull) : cfg->seed;
  c->ring.enable = cfg->ring_enable;
  c->ring.temp_drift_k_per_s = cfg->drift_k_per_s;
  c->ring.temp_sine_k = cfg->sine_k;
  c->ring.temp_sine_period_s = cfg->sine_period_s;
  c->ring.temp_noise_k = cfg->noise_k;
  c->ring.temp_tau_s = cfg->noise_tau_s;
  c->ring.fab_mean_pm = cfg->fab_mean_pm;
  c->ring.fab_sigma_pm = cfg->fab_sigma_pm;
  c->ring.heater_pm_per_code = cfg->heater_range_pm / 4095.0;
  if (cfg->ch_tweak) cfg->ch_tweak(cfg->ch_tweak_ctx, dir, c);
}

sys_t *sys_create(const struct sys_cfg *cfg_in, char *err, size_t errlen) {
  struct sys_cfg def;
  if (!cfg_in) {
    sys_cfg_default(&def);
    cfg_in = &def;
  }
  sys_t *s = calloc(1, sizeof(*s));
  if (!s) {
    if (err && errlen) snprintf(err, errlen, "system: out of memory");
    return NULL;
  }
  s->cfg = *cfg_in;
  const struct sys_cfg *cfg = &s->cfg;
  char msg[1024] = "";
  if (cfg->lanes < 1 || cfg->lanes > TILE_LANES) {
    snprintf(msg, sizeof msg, "system: lanes %u not in 1..%u", cfg->lanes, (unsigned)TILE_LANES);
    goto fail;
  }
  for (unsigned d = 0; d < SYS_CHIPS; d++) {
    ch_cfg_t c;
    make_channel_cfg(cfg, d, &c);
    char e[200];
    s->ch[d] = ch_new(&c, e, sizeof e);
    if (!s->ch[d]) {
      snprintf(msg, sizeof msg, "system: channel %s: %s", d ? "B->A" : "A->B", e);
      goto fail;
    }
  }
  for (unsigned i = 0; i < SYS_CHIPS; i++) {
    struct chip *c = &s->chip[i];
    c->sys = s;
    c->idx = i;
    c->t = tile_dut_new(i, 0, 0);
    c->mem = ni_mem_new(TILE_MEMLAT, TILE_FLIT_BYTES);
    if (!c->t || !c->mem) {
      snprintf(msg, sizeof msg, "system: out of memory (chip %c)", 'A' + i);
      goto fail;
    }
    apb_bfm_init(&c->host, tile_dut_apb(c->t, TILE_APB_HOST));
    apb_bfm_init(&c->mgmt, tile_dut_apb(c->t, TILE_APB_MGMT));
    tile_dut_reset(c->t, 4);
    iss_config ic;
    memset(&ic, 0, sizeof ic);
    ic.ram_size = cfg->iss_ram;
    ic.hartid = 0;
    ic.bus.ctx = c;
    ic.bus.read32 = bus_read;
    ic.bus.write32 = bus_write;
    char e[256];
    c->cpu = iss_new(&ic, e, sizeof e);
    if (!c->cpu) {
      snprintf(msg, sizeof msg, "system: ISS of chip %c: %s", 'A' + i, e);
      goto fail;
    }
    if (iss_load_elf(c->cpu, cfg->fw_elf, e, sizeof e)) {
      snprintf(msg, sizeof msg, "system: firmware of chip %c: %s", 'A' + i, e);
      goto fail;
    }
    iss_reset(c->cpu);
    struct hal_sim_target ht = {
        .ctx = s,
        .host_bfm = &c->host,
        .mem = c->mem,
        .step = hal_step,
        .intr = i ? hal_intr1 : hal_intr0,
        .mem_base = HOSTMEM_BASE,
        .mem_size = HOSTMEM_SIZE,
        .timeout = 10000,
    };
    c->hal = hal_sim_new(&ht);
    if (!c->hal) {
      snprintf(msg, sizeof msg, "system: HAL of chip %c", 'A' + i);
      goto fail;
    }
    if (cfg->waves != SYS_WAVES_OFF) {
      char path[400];
      snprintf(path, sizeof path, "%s.%c.%s", cfg->wave_path, 'A' + i,
               cfg->waves == SYS_WAVES_VCD ? "vcd" : "fst");
      int rc = tile_dut_trace_open(c->t, path, cfg->waves, cfg->wave_from, cfg->wave_to);
      if (rc) {
        snprintf(msg, sizeof msg, "system: waves %s: %s", path, strerror(-rc));
        goto fail;
      }
    }
    tile_dut_phy_status(c->t, &c->phy_state, &c->link_up, &c->link_downs);
  }
  return s;
fail:
  if (err && errlen) snprintf(err, errlen, "%s", msg);
  sys_free(s);
  return NULL;
}

void sys_free(sys_t *s) {
  if (!s) return;
  /* closing a driver steps the whole system: close both before freeing */
  for (unsigned i = 0; i < SYS_CHIPS; i++) {
    struct chip *c = &s->chip[i];
    if (c->dev_open && !s->stopped) optile_close(&c->dev);
    c->dev_open = 0;
  }
  for (unsigned i = 0; i < SYS_CHIPS; i++) {
    struct chip *c = &s->chip[i];
    hal_sim_free(c->hal);
    iss_free(c->cpu);
    ni_mem_free(c->mem);
    tile_dut_free(c->t);
  }
  for (unsigned d = 0; d < SYS_CHIPS; d++) ch_free(s->ch[d]);
  free(s);
}

/* ---- scenario helpers ---------------------------------------------------------------- */

static int drv_fail(sys_t *s, unsigned i, const char *what, int rc) {
  seterr(s, "chip %c: %s: %s (%d: %s)", 'A' + i, what, optile_last_error(&s->chip[i].dev), rc,
         strerror(-rc));
  return rc;
}

int sys_open(sys_t *s, uint32_t timeout_cycles) {
  for (unsigned i = 0; i < SYS_CHIPS; i++) {
    struct chip *c = &s->chip[i];
    struct optile_hal hal;
    hal_sim_bind(c->hal, &hal);
    memset(&c->dev, 0, sizeof c->dev);
    int rc = optile_open(&c->dev, &hal);
    if (rc) return drv_fail(s, i, "open", rc);
    c->dev_open = 1;
  }
  for (unsigned i = 0; i < SYS_CHIPS; i++) {
    int rc = optile_fw_wait_ready(&s->chip[i].dev, timeout_cycles);
    if (rc) return drv_fail(s, i, "firmware ready", rc);
    rc = optile_route_set(&s->chip[i].dev, 1 - i, TILE_PORT_X);
    if (rc) return drv_fail(s, i, "route", rc);
  }
  return 0;
}

int sys_link_up(sys_t *s, uint32_t timeout_cycles) {
  uint32_t mask = (1u << s->cfg.lanes) - 1u;
  for (unsigned i = 0; i < SYS_CHIPS; i++) {
    int rc = optile_link_start(&s->chip[i].dev, mask);
    if (rc) return drv_fail(s, i, "link start", rc);
  }
  uint64_t t0 = s->cycle;
  for (unsigned i = 0; i < SYS_CHIPS; i++) {
    uint64_t used = s->cycle - t0;
    uint32_t left = used >= timeout_cycles ? 1 : (uint32_t)(timeout_cycles - used);
    int rc = optile_link_wait(&s->chip[i].dev, left);
    if (rc) return drv_fail(s, i, "link up", rc);
  }
  /* both firmwares report the link; wait for both PHYs to be ACTIVE too */
  for (;;) {
    unsigned st0, st1, up;
    uint32_t d;
    tile_dut_phy_status(s->chip[0].t, &st0, &up, &d);
    tile_dut_phy_status(s->chip[1].t, &st1, &up, &d);
    if (st0 == 5 && st1 == 5) return 0;
    if (s->cycle - t0 >= timeout_cycles) {
      seterr(s, "link up: PHY states %u and %u after %llu cycles", st0, st1,
             (unsigned long long)(s->cycle - t0));
      return -ETIMEDOUT;
    }
    int rc = sys_step(s, 64);
    if (rc) return rc;
  }
}

int sys_dma_setup(sys_t *s) {
  struct optile_dma_cfg dc = {.tx_log2 = 4, .rx_log2 = 4, .cq_log2 = 6, .max_msg = 65536};
  for (unsigned i = 0; i < SYS_CHIPS; i++) {
    int rc = optile_dma_setup(&s->chip[i].dev, &dc);
    if (rc) return drv_fail(s, i, "dma setup", rc);
  }
  return 0;
}

int sys_transfer(sys_t *s, unsigned src, uint64_t src_bus, uint64_t dst_bus, uint64_t len,
                 uint32_t timeout_cycles, struct sys_xfer *out) {
  src = ci(src);
  unsigned dst = 1 - src;
  struct optile_dev *tx = &s->chip[src].dev, *rx = &s->chip[dst].dev;
  struct sys_xfer x;
  memset(&x, 0, sizeof x);
  x.bytes = len;
  x.start_cycle = s->cycle;
  uint32_t msg = tx->max_msg ? tx->max_msg : OPTILE_MAX_MSG_DEFAULT;
  uint64_t nmsg = (len + msg - 1) / msg;
  uint64_t posted_rx = 0, sent = 0;
  struct optile_dst d = {.chip = (uint8_t)dst, .x = 0, .y = 0, .vc = 0, .flow = 1};
  int rc = 0;
  uint64_t last_check = s->cycle;
  int check_now = 1;
  while (x.msgs_received < nmsg) {
    /* the link, as the firmwares report it: at the start, then every 16k cycles */
    if (check_now || s->cycle - last_check >= 16384) {
      check_now = 0;
      last_check = s->cycle;
      for (unsigned k = 0; k < SYS_CHIPS; k++) {
        int ls = optile_link_status(&s->chip[k].dev);
        if (ls < 0) {
          x.link_lost = 1;
          rc = drv_fail(s, k, "link", ls);
          goto out;
        }
        if (ls == 0) x.link_lost = 1;
      }
    }
    /* receive buffers, one per message, in order */
    while (posted_rx < nmsg) {
      int space = optile_rx_space(rx);
      if (space < 0) {
        rc = drv_fail(s, dst, "rx space", space);
        goto out;
      }
      if (space == 0) break;
      uint64_t off = posted_rx * msg;
      struct optile_rx_buf b = {dst_bus + off, (uint32_t)(len - off < msg ? len - off : msg)};
      rc = optile_post_rx(rx, &b, 1);
      if (rc < 0) {
        rc = drv_fail(s, dst, "post rx", rc);
        goto out;
      }
      posted_rx++;
    }
    /* send what the TX ring takes */
    while (sent < nmsg && sent < posted_rx) {
      int space = optile_tx_space(tx);
      if (space < 0) {
        rc = drv_fail(s, src, "tx space", space);
        goto out;
      }
      if (space == 0) break;
      uint64_t off = sent * msg;
      uint64_t n = len - off < msg ? len - off : msg;
      rc = optile_send(tx, src_bus + off, n, &d);
      if (rc < 0) {
        rc = drv_fail(s, src, "send", rc);
        goto out;
      }
      sent++;
      x.msgs_sent++;
    }
    /* completions */
    struct optile_cpl cpl[16];
    for (unsigned k = 0; k < 2; k++) {
      struct optile_dev *dev = k ? rx : tx;
      int n = optile_reap(dev, cpl, 16);
      if (n < 0) {
        rc = drv_fail(s, k ? dst : src, "reap", n);
        goto out;
      }
      for (int j = 0; j < n; j++) {
        if (cpl[j].status != OPTILE_CPL_OK) {
          x.cpl_errors++;
          continue;
        }
        if (cpl[j].kind == OPTILE_CPL_RX && k) {
          x.msgs_received++;
          x.delivered += cpl[j].len;
          x.end_cycle = s->cycle;
        }
      }
    }
    if (x.cpl_errors) {
      seterr(s, "transfer: %u completions with an error status", x.cpl_errors);
      rc = -EIO;
      goto out;
    }
    if (x.msgs_received >= nmsg) break;
    if (s->cycle - x.start_cycle > timeout_cycles) {
      seterr(s, "transfer: %u of %llu messages after %llu cycles", x.msgs_received,
             (unsigned long long)nmsg, (unsigned long long)(s->cycle - x.start_cycle));
      rc = -ETIMEDOUT;
      goto out;
    }
    rc = sys_step(s, 256);
    if (rc) goto out;
  }
  rc = 0;
out:
  if (out) *out = x;
  return rc;
}
