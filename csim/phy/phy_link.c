/*
 * phy_link.c - cycle-level golden model of the optile PHY shim (spec 4).
 *
 * One call of phy_link_step() is one clock cycle, computed in the order of
 * spec 4.9.1: (1) the transmitter composes its row, (2) the receive front end
 * evaluates its R1 candidates, (3) the deskew stage pops a row and the
 * deframer / training logic processes it, (4) next values and state.
 * Everything is computed from the start-of-cycle state; events are collected
 * in `struct ev` and applied at the end.
 */
#include "phy/phy_link.h"
#include "phy/phy_codec.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define M8(x) ((unsigned)(x) & 0xFFu)

/* ---- bit queue: 256-bit ring, for the gearboxes ---------------------------- */

typedef struct {
    uint64_t w[4];
    unsigned head;  /* bit index of the oldest bit */
    unsigned count; /* bits held (at most ~140 in use) */
} bitq_t;

static inline uint64_t lowmask(unsigned n) { return n >= 64 ? ~0ull : ((1ull << n) - 1u); }

static inline void bq_push(bitq_t *q, uint64_t v, unsigned n)
{
    v &= lowmask(n);
    unsigned pos = (q->head + q->count) & 255u, wi = pos >> 6, bi = pos & 63u;
    q->w[wi] = (q->w[wi] & lowmask(bi)) | (v << bi);
    if (bi + n > 64) {
        unsigned r = bi + n - 64, wj = (wi + 1) & 3u;
        q->w[wj] = (q->w[wj] & ~lowmask(r)) | (v >> (64 - bi));
    }
    q->count += n;
}

static inline uint64_t bq_pop(bitq_t *q, unsigned n)
{
    unsigned wi = q->head >> 6, bi = q->head & 63u;
    uint64_t v = q->w[wi] >> bi;
    if (bi && bi + n > 64)
        v |= q->w[(wi + 1) & 3u] << (64 - bi);
    q->head = (q->head + n) & 255u;
    q->count -= n;
    return v & lowmask(n);
}

/* ---- storage types --------------------------------------------------------- */

typedef struct {
    uint64_t w[PHY_MAX_FLIT_WORDS];
    uint8_t side;
    uint8_t last; /* RX FIFO: last flit of its packet */
} flit_t;

typedef struct {
    uint64_t hdr;
    uint32_t crc;
    unsigned n;
    flit_t f[PHY_MAX_PKT_FLITS];
} rslot_t;

typedef struct {
    uint64_t p;
    uint8_t sh;
    uint8_t am;
} dblk_t;

typedef struct {
    /* front end */
    bitq_t q;
    unsigned skip;
    unsigned sh_cnt, bad_cnt, locked;
    phy_scr_t dscr;
    /* deskew FIFO */
    dblk_t fifo[PHY_DESKEW_DEPTH];
    unsigned f_head, f_count;
    unsigned found_am;
    unsigned bad_markers;
    /* transmit */
    bitq_t tq;
    phy_scr_t scr;
} lane_t;

/* events of one cycle */
struct ev {
    unsigned lock_lost;    /* lanes that lost block lock */
    unsigned passed;       /* lanes with a block passed at R1 */
    dblk_t blk[PHY_MAX_LANES];
    int wake_ts;           /* IDLE: valid TS passed */
    int down;              /* go DOWN */
    int deskew_fail;       /* deskew failure (restart or retrain) */
    int uncommit;          /* committed end read a contradicting TS */
    int retrain_ts;        /* ACTIVE: TS on lowest active lane */
    int commit;            /* commit happened this cycle */
    int sleep_row;         /* read a SLEEP row */
    int hdr_sent, hdr_recv;
    int release;           /* an ACK released packets */
    int replay_trig;
    int ack_sent;          /* an ACK/NAK block was composed */
    int fourth_sleep_row;  /* composed the 4th SLEEP(ACK) row */
};

struct phy_link {
    phy_link_cfg_t cfg;
    phy_link_csr_t csr;
    unsigned B;     /* words per flit */
    unsigned lmask; /* (1<<L)-1 */
    phy_link_counters_t cnt;
    phy_block_obs_fn obs;
    void *obs_ctx;
    int retrain_pulse;       /* retrain_i in the next step */

    /* state machine */
    unsigned state;
    uint64_t state_cnt;      /* cycles spent in the state before this one */
    int rt_run;              /* retrain timer running */
    uint64_t rt_timer;
    uint64_t cycle;

    /* output registers */
    uint64_t lane_tx[PHY_MAX_LANES];
    unsigned laser_reg;
    uint16_t heater_reg[PHY_MAX_LANES];
    uint16_t power_reg[PHY_MAX_LANES];

    /* transmitter: gearbox and rows */
    unsigned gb_resid;       /* composed bits not yet sent (same on every lane) */
    uint64_t rows;           /* rows composed since LASER_ON entry */
    unsigned m_tx;
    unsigned row_laser;

    /* framer / link layer TX */
    flit_t *txq;
    unsigned txq_head, txq_count;
    rslot_t *rbuf;
    unsigned U, N, R, F;
    unsigned replay_req, replay_count;
    unsigned rt;             /* replay timer */
    int tx_in_pkt;
    unsigned tx_slot, tx_pos;

    /* training */
    unsigned phase;          /* own TS phase */
    unsigned rx_mask, active; /* own rx_mask and committed active mask */
    unsigned committed, peer_p, ts_cnt, ts_val, peer_ok, ts2_rows;
    unsigned uc_cnt; /* consecutive contradicting TS rows since committing (4.9) */

    /* deskew */
    unsigned group;
    unsigned deskewed;
    unsigned marker2;        /* a second marker row checked good */
    unsigned m_rx;
    uint64_t x;

    /* deframer */
    int rx_in_pkt, rx_bad;
    uint64_t rx_hdr;
    unsigned rx_cnt;
    uint32_t rx_crc;
    flit_t stage[PHY_MAX_PKT_FLITS];
    unsigned E, freed;
    unsigned nak_sent, nak_pending, ack_dirty, ack_events, ack_age, ack_urgent;
    flit_t *rxq;
    unsigned rxq_head, rxq_count, rxq_size;

    /* low power */
    uint32_t idle_cnt;
    unsigned sleep_ack, sleep_rows;
    int idle_pending;
    uint64_t idle_at;

    lane_t lane[PHY_MAX_LANES];
};

/* ---- configuration ------------------------------------------------------------ */

static void set_err(char *err, size_t len, const char *fmt, ...)
{
    if (!err || !len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
}

void phy_link_cfg_default(phy_link_cfg_t *c)
{
    c->lanes = 8;
    c->lane_w = 32;
    c->flit_w = 256;
    c->side_w = 4;
    c->tx_fifo_depth = 16;
    c->replay_pkts = 32;
    c->rx_credits = 32;
    c->test_scr_tap = 0;
}

int phy_link_cfg_check(const phy_link_cfg_t *c, char *err, size_t n)
{
    if (!c) {
        set_err(err, n, "phy_link_cfg: NULL configuration");
        return -1;
    }
    if (c->lanes < 1 || c->lanes > PHY_MAX_LANES) {
        set_err(err, n, "phy_link_cfg.lanes = %u: must be 1..%d", c->lanes, PHY_MAX_LANES);
        return -1;
    }
    if (c->lane_w < 8 || c->lane_w > 64) {
        set_err(err, n, "phy_link_cfg.lane_w = %u: must be 8..64", c->lane_w);
        return -1;
    }
    if (c->flit_w < 64 || c->flit_w > 64 * PHY_MAX_FLIT_WORDS || c->flit_w % 64) {
        set_err(err, n, "phy_link_cfg.flit_w = %u: must be a multiple of 64 in 64..%d", c->flit_w,
                64 * PHY_MAX_FLIT_WORDS);
        return -1;
    }
    if (c->side_w < 1 || c->side_w > 4) {
        set_err(err, n, "phy_link_cfg.side_w = %u: must be 1..4", c->side_w);
        return -1;
    }
    if (c->tx_fifo_depth < 8 || c->tx_fifo_depth > 1024) {
        set_err(err, n, "phy_link_cfg.tx_fifo_depth = %u: must be 8..1024", c->tx_fifo_depth);
        return -1;
    }
    if (c->replay_pkts < 2 || c->replay_pkts > 64 || (c->replay_pkts & (c->replay_pkts - 1))) {
        set_err(err, n, "phy_link_cfg.replay_pkts = %u: must be a power of two in 2..64", c->replay_pkts);
        return -1;
    }
    if (c->rx_credits < 1 || c->rx_credits > 64) {
        set_err(err, n, "phy_link_cfg.rx_credits = %u: must be 1..64", c->rx_credits);
        return -1;
    }
    if (c->test_scr_tap > 57) {
        set_err(err, n, "phy_link_cfg.test_scr_tap = %u: must be 0..57 (test only)", c->test_scr_tap);
        return -1;
    }
    return 0;
}

void phy_link_csr_default(phy_link_csr_t *c)
{
    memset(c, 0, sizeof *c);
    c->lane_mask = 0xFFu;
    c->am_period = 4096;
    c->idle_timeout = 0;
    c->laser_settle = 100;
    c->replay_timeout = 2048;
    c->replay_limit = 16;
    c->train_timeout = 1048576;
}

const char *phy_state_name(unsigned st)
{
    static const char *const n[] = {"RESET", "LASER_ON", "RING_TUNE", "BLOCK_LOCK",
                                    "DESKEW", "ACTIVE", "IDLE", "DOWN"};
    return st < 8 ? n[st] : "?";
}

/* ---- life cycle -------------------------------------------------------------- */

phy_link_t *phy_link_new(const phy_link_cfg_t *cfg, char *err, size_t errlen)
{
    if (phy_link_cfg_check(cfg, err, errlen))
        return NULL;
    phy_link_t *h = calloc(1, sizeof *h);
    if (!h) {
        set_err(err, errlen, "phy_link_new: out of memory");
        return NULL;
    }
    h->cfg = *cfg;
    h->B = cfg->flit_w / 64;
    h->lmask = (1u << cfg->lanes) - 1u;
    h->rxq_size = 8 * cfg->rx_credits;
    h->txq = calloc(cfg->tx_fifo_depth, sizeof *h->txq);
    h->rbuf = calloc(cfg->replay_pkts, sizeof *h->rbuf);
    h->rxq = calloc(h->rxq_size, sizeof *h->rxq);
    if (!h->txq || !h->rbuf || !h->rxq) {
        phy_link_free(h);
        set_err(err, errlen, "phy_link_new: out of memory");
        return NULL;
    }
    phy_link_csr_default(&h->csr);
    phy_link_reset(h);
    return h;
}

void phy_link_free(phy_link_t *h)
{
    if (!h)
        return;
    free(h->txq);
    free(h->rbuf);
    free(h->rxq);
    free(h);
}

/* RESET state: clear everything of spec 4 except counters and CSRs. */
static void clear_link_state(phy_link_t *h)
{
    h->state = PHY_ST_RESET;
    h->state_cnt = 0;
    h->rt_run = 0;
    h->rt_timer = 0;
    memset(h->lane_tx, 0, sizeof h->lane_tx);
    h->laser_reg = 0;
    h->gb_resid = 0;
    h->rows = 0;
    h->m_tx = h->csr.am_period;
    h->row_laser = 0;
    h->txq_head = h->txq_count = 0;
    h->U = h->N = h->R = h->F = 0;
    h->replay_req = h->replay_count = 0;
    h->rt = 0;
    h->tx_in_pkt = 0;
    h->tx_slot = h->tx_pos = 0;
    h->phase = h->rx_mask = h->active = 0;
    h->committed = h->peer_p = h->ts_cnt = h->ts_val = h->peer_ok = h->ts2_rows = 0;
    h->uc_cnt = 0;
    h->group = 0;
    h->deskewed = 0;
    h->m_rx = h->csr.am_period;
    h->x = 0;
    h->rx_in_pkt = h->rx_bad = 0;
    h->rx_hdr = 0;
    h->rx_cnt = 0;
    h->rx_crc = 0;
    h->E = h->freed = 0;
    h->nak_sent = h->nak_pending = h->ack_dirty = h->ack_events = h->ack_age = h->ack_urgent = 0;
    h->rxq_head = h->rxq_count = 0;
    h->idle_cnt = 0;
    h->sleep_ack = h->sleep_rows = 0;
    h->idle_pending = 0;
    h->idle_at = 0;
    memset(h->lane, 0, sizeof h->lane);
    for (unsigned i = 0; i < PHY_MAX_LANES; i++) {
        phy_scr_reset(&h->lane[i].scr);
        phy_scr_reset(&h->lane[i].dscr);
    }
}

void phy_link_reset(phy_link_t *h)
{
    clear_link_state(h);
    memset(&h->cnt, 0, sizeof h->cnt);
    memset(h->heater_reg, 0, sizeof h->heater_reg);
    memset(h->power_reg, 0, sizeof h->power_reg);
    h->cycle = 0;
}

int phy_link_set_csr(phy_link_t *h, const phy_link_csr_t *c, char *err, size_t n)
{
    if (!c) {
        set_err(err, n, "phy_link_set_csr: NULL csr");
        return -1;
    }
    if (c->am_period < 32 || c->am_period > 65535) {
        set_err(err, n, "phy csr am_period = %u: must be 32..65535", c->am_period);
        return -1;
    }
    if (c->laser_settle > 65535) {
        set_err(err, n, "phy csr laser_settle = %u: must be 0..65535", c->laser_settle);
        return -1;
    }
    if (c->replay_timeout > 65535) {
        set_err(err, n, "phy csr replay_timeout = %u: must be 0..65535", c->replay_timeout);
        return -1;
    }
    if (c->replay_limit > 255) {
        set_err(err, n, "phy csr replay_limit = %u: must be 0..255", c->replay_limit);
        return -1;
    }
    for (unsigned i = 0; i < PHY_MAX_LANES; i++)
        if (c->heater_code[i] > 4095) {
            set_err(err, n, "phy csr heater_code[%u] = %u: must be 0..4095", i, c->heater_code[i]);
            return -1;
        }
    h->csr = *c;
    return 0;
}

void phy_link_get_csr(const phy_link_t *h, phy_link_csr_t *c) { *c = h->csr; }
void phy_link_pulse_retrain(phy_link_t *h) { h->retrain_pulse = 1; }
const phy_link_counters_t *phy_link_counters(const phy_link_t *h) { return &h->cnt; }
const phy_link_cfg_t *phy_link_cfg(const phy_link_t *h) { return &h->cfg; }

void phy_link_set_block_observer(phy_link_t *h, phy_block_obs_fn fn, void *ctx)
{
    h->obs = fn;
    h->obs_ctx = ctx;
}

void phy_link_debug(const phy_link_t *h, phy_link_debug_t *d)
{
    d->tx_u = h->U;
    d->tx_n = h->N;
    d->tx_r = h->R;
    d->tx_peer_freed = h->F;
    d->rx_e = h->E;
    d->rx_freed = h->freed;
    d->replay_req = h->replay_req;
    d->replay_count = h->replay_count;
    d->tx_fifo_count = h->txq_count;
    d->rx_fifo_count = h->rxq_count;
    d->committed = h->committed;
    d->sleep_req = h->csr.idle_timeout && h->idle_cnt >= h->csr.idle_timeout;
    d->sleep_ack = h->sleep_ack;
    d->cycle = h->cycle;
    d->rows = h->rows;
}

static int tx_on(unsigned st) { return st >= PHY_ST_LASER_ON && st <= PHY_ST_ACTIVE; }

static int tx_ready(const phy_link_t *h)
{
    return h->state == PHY_ST_ACTIVE && !h->sleep_ack && h->txq_count < h->cfg.tx_fifo_depth;
}

void phy_link_outputs(const phy_link_t *h, phy_link_out_t *o)
{
    memset(o, 0, sizeof *o);
    o->tx_ready = tx_ready(h);
    o->rx_valid = h->rxq_count > 0;
    if (o->rx_valid) {
        const flit_t *f = &h->rxq[h->rxq_head];
        memcpy(o->rx_flit, f->w, h->B * sizeof(uint64_t));
        o->rx_side = f->side;
    }
    memcpy(o->lane_tx, h->lane_tx, sizeof o->lane_tx);
    o->laser_on = h->laser_reg;
    memcpy(o->lane_heater, h->heater_reg, sizeof o->lane_heater);
    memcpy(o->lane_power, h->power_reg, sizeof o->lane_power);
    o->state = h->state;
    o->link_up = h->state == PHY_ST_ACTIVE;
    unsigned lock = 0;
    for (unsigned i = 0; i < h->cfg.lanes; i++)
        lock |= h->lane[i].locked << i;
    o->lane_lock = lock;
    o->lane_deskew = h->deskewed ? h->group : 0;
    o->active_mask = h->committed || h->state == PHY_ST_ACTIVE ? h->active : 0;
    o->train_phase = h->phase;
}

/* ---- transmitter: the scheduler of spec 4.5.5 / 4.5.6 ------------------------ */

/* R' of spec 4.5.6 */
static unsigned replay_start_point(const phy_link_t *h)
{
    if (h->replay_req || M8(h->R - h->U) > M8(h->N - h->U))
        return h->U;
    return h->R;
}

static int can_start(const phy_link_t *h)
{
    unsigned rp = replay_start_point(h);
    if (rp != h->N)
        return 1;
    return h->txq_count > 0 && M8(h->N - h->U) < h->cfg.replay_pkts && M8(h->N - h->F) < h->cfg.rx_credits;
}

static int ack_due(const phy_link_t *h)
{
    if (h->nak_pending || h->ack_urgent)
        return 1;
    return h->ack_dirty && (!can_start(h) || h->ack_events >= 8 || h->ack_age >= 128);
}

static int sleep_req(const phy_link_t *h)
{
    return h->csr.idle_timeout != 0 && h->idle_cnt >= h->csr.idle_timeout;
}

/* Start a packet (step 4 of 4.5.5); returns the HDR payload. */
static uint64_t start_packet(phy_link_t *h, struct ev *ev)
{
    unsigned rp = replay_start_point(h);
    unsigned RP = h->cfg.replay_pkts;
    h->replay_req = 0;
    ev->hdr_sent = 1;
    if (rp != h->N) {
        h->tx_slot = rp & (RP - 1);
        h->R = M8(rp + 1);
        h->cnt.replayed_packets++;
    } else {
        unsigned n = h->txq_count < 8 ? h->txq_count : 8;
        rslot_t *s = &h->rbuf[h->N & (RP - 1)];
        uint8_t side[PHY_MAX_PKT_FLITS];
        for (unsigned k = 0; k < n; k++) {
            s->f[k] = h->txq[h->txq_head];
            side[k] = s->f[k].side;
            h->txq_head = (h->txq_head + 1) % h->cfg.tx_fifo_depth;
        }
        h->txq_count -= n;
        s->n = n;
        s->hdr = phy_hdr_payload(h->N, n, side, h->cfg.side_w);
        uint32_t c = phy_crc32_update64(PHY_CRC32_INIT, s->hdr);
        for (unsigned k = 0; k < n; k++)
            for (unsigned j = 0; j < h->B; j++)
                c = phy_crc32_update64(c, s->f[k].w[j]);
        s->crc = phy_crc32_final(c);
        h->tx_slot = h->N & (RP - 1);
        h->N = M8(h->N + 1);
        h->R = h->N;
        h->cnt.tx_packets++;
        h->cnt.tx_flits += n;
    }
    h->tx_in_pkt = 1;
    h->tx_pos = 0;
    return h->rbuf[h->tx_slot].hdr;
}

/* Next block of the ACTIVE block stream (one slot). */
static phy_block_t next_block(phy_link_t *h, struct ev *ev)
{
    phy_block_t b = {0, PHY_SH_CTRL};
    if (h->tx_in_pkt) {
        rslot_t *s = &h->rbuf[h->tx_slot];
        if (h->tx_pos < s->n * h->B) {
            b.sh = PHY_SH_DATA;
            b.p = s->f[h->tx_pos / h->B].w[h->tx_pos % h->B];
            h->tx_pos++;
        } else {
            b.p = phy_trl_payload(s->crc);
            h->tx_in_pkt = 0;
        }
        return b;
    }
    if (h->sleep_ack) {
        b.p = phy_sleep_payload(PHY_SLEEP_ACK);
        return b;
    }
    if (ack_due(h)) {
        unsigned kind = h->nak_pending ? PHY_ACK_KIND_NAK : PHY_ACK_KIND_ACK;
        b.p = phy_ack_payload(kind, M8(h->E - 1), h->freed);
        if (kind == PHY_ACK_KIND_NAK) {
            h->nak_sent = 1;
            h->cnt.naks_sent++;
        }
        h->cnt.acks_sent++;
        ev->ack_sent = 1;
        h->nak_pending = h->ack_dirty = h->ack_events = h->ack_age = h->ack_urgent = 0;
        return b;
    }
    if (can_start(h)) {
        b.p = start_packet(h, ev);
        return b;
    }
    b.p = sleep_req(h) ? phy_sleep_payload(PHY_SLEEP_REQ) : phy_idle_payload();
    return b;
}

static void compose_row(phy_link_t *h, struct ev *ev)
{
    unsigned L = h->cfg.lanes;
    uint64_t r = h->rows++;
    int am_row = (r % h->m_tx) == 0;
    int active = h->state == PHY_ST_ACTIVE;
    unsigned lit = (active ? h->active : h->csr.lane_mask) & h->lmask;
    int sleep_row = active && !am_row && h->sleep_ack;
    h->row_laser = lit;
    for (unsigned i = 0; i < L; i++) {
        lane_t *ln = &h->lane[i];
        if (!(lit >> i & 1u)) { /* zero fill */
            bq_push(&ln->tq, 0, 2);
            bq_push(&ln->tq, 0, 64);
            continue;
        }
        phy_block_t b;
        if (am_row) {
            b.sh = PHY_SH_CTRL;
            b.p = phy_am_payload(i);
        } else if (!active) {
            b.sh = PHY_SH_CTRL;
            b.p = phy_ts_payload(i, h->phase, h->phase >= 1 ? h->rx_mask : 0, h->phase == 2 ? h->active : 0);
        } else {
            b = next_block(h, ev);
        }
        if (h->obs)
            h->obs(h->obs_ctx, 0, h->cycle, i, b.sh, b.p);
        uint64_t wire = am_row                ? b.p
                        : h->cfg.test_scr_tap ? phy_scramble64_tap(&ln->scr, b.p, h->cfg.test_scr_tap)
                                              : phy_scramble64(&ln->scr, b.p);
        bq_push(&ln->tq, b.sh, 2);
        bq_push(&ln->tq, wire, 64);
        h->cnt.bits_sent[i] += 66;
    }
    if (!am_row && !active && h->phase == 2)
        h->ts2_rows++;
    if (sleep_row && ++h->sleep_rows == 4)
        ev->fourth_sleep_row = 1;
}

/* ---- receive: deframer and link-layer RX (spec 4.8.1) ------------------------ */

static void nak_request(phy_link_t *h)
{
    if (!h->nak_pending && !h->nak_sent)
        h->nak_pending = 1;
}

static void ack_event(phy_link_t *h)
{
    h->ack_dirty = 1;
    if (h->ack_events < 255)
        h->ack_events++;
}

static void close_packet(phy_link_t *h, int good)
{
    h->rx_in_pkt = 0;
    if (!good) {
        h->cnt.bad_packets++;
        nak_request(h);
        return;
    }
    unsigned seq = phy_hdr_seq(h->rx_hdr), n = phy_hdr_n(h->rx_hdr);
    if (seq == h->E) {
        /* fits by construction (spec 4.8.1); guard against a broken peer */
        if (h->rxq_count + n > h->rxq_size) {
            h->cnt.bad_packets++;
            nak_request(h);
            return;
        }
        for (unsigned k = 0; k < n; k++) {
            flit_t *d = &h->rxq[(h->rxq_head + h->rxq_count) % h->rxq_size];
            *d = h->stage[k];
            d->side = (uint8_t)phy_hdr_side(h->rx_hdr, k, h->cfg.side_w);
            d->last = k == n - 1;
            h->rxq_count++;
        }
        h->E = M8(h->E + 1);
        h->nak_sent = 0;
        ack_event(h);
        h->cnt.rx_packets++;
        h->cnt.rx_flits += n;
    } else if (M8(h->E - seq) >= 1 && M8(h->E - seq) <= 128) {
        h->ack_urgent = 1; /* duplicate */
    } else {
        nak_request(h); /* sequence gap */
    }
}

static void replay_trigger(phy_link_t *h, struct ev *ev)
{
    h->replay_req = 1;
    h->cnt.replays++;
    h->replay_count++;
    ev->replay_trig = 1;
    if (h->replay_count > h->csr.replay_limit)
        ev->down = 1;
}

static void tx_take_ack(phy_link_t *h, uint64_t p, struct ev *ev)
{
    unsigned a = phy_ack_a(p), f = phy_ack_f(p);
    unsigned d = M8(a + 1 - h->U), out = M8(h->N - h->U);
    if (d >= 1 && d <= out) {
        h->U = M8(a + 1);
        h->replay_count = 0;
        ev->release = 1;
    }
    if (M8(f - h->F) <= M8(h->N - h->F))
        h->F = f;
    if (phy_ack_kind(p) == PHY_ACK_KIND_NAK && h->U != h->N)
        replay_trigger(h, ev);
}

static void deframe(phy_link_t *h, phy_bkind_t k, phy_block_t b, struct ev *ev)
{
    unsigned B = h->B;
    switch (k) {
    case PHY_BK_HDR:
        if (h->rx_in_pkt)
            close_packet(h, 0);
        h->rx_in_pkt = 1;
        h->rx_bad = 0;
        h->rx_hdr = b.p;
        h->rx_cnt = 0;
        h->rx_crc = phy_crc32_update64(PHY_CRC32_INIT, b.p);
        ev->hdr_recv = 1;
        break;
    case PHY_BK_DATA:
        if (!h->rx_in_pkt) {
            h->cnt.rx_errors++;
        } else if (h->rx_cnt < phy_hdr_n(h->rx_hdr) * B) {
            h->stage[h->rx_cnt / B].w[h->rx_cnt % B] = b.p;
            h->rx_crc = phy_crc32_update64(h->rx_crc, b.p);
            h->rx_cnt++;
        } else {
            h->rx_bad = 1;
        }
        break;
    case PHY_BK_TRL:
        if (!h->rx_in_pkt)
            h->cnt.rx_errors++;
        else
            close_packet(h, !h->rx_bad && h->rx_cnt == phy_hdr_n(h->rx_hdr) * B &&
                                phy_crc32_final(h->rx_crc) == phy_trl_crc(b.p));
        break;
    case PHY_BK_INVALID:
    case PHY_BK_AM:
        if (h->rx_in_pkt)
            h->rx_bad = 1;
        else
            h->cnt.rx_errors++;
        break;
    case PHY_BK_ACK:
    case PHY_BK_IDLE:
    case PHY_BK_SLEEP:
    case PHY_BK_TS:
        if (h->rx_in_pkt)
            close_packet(h, 0);
        if (k == PHY_BK_ACK)
            tx_take_ack(h, b.p, ev);
        break;
    }
}

static unsigned lowest(unsigned m)
{
    unsigned i = 0;
    while (!(m >> i & 1u))
        i++;
    return i;
}

static void empty_fifo(lane_t *ln)
{
    ln->f_head = ln->f_count = 0;
    ln->found_am = 0;
    ln->bad_markers = 0;
}

/* Commit (spec 4.9). */
static void do_commit(phy_link_t *h, struct ev *ev)
{
    unsigned act = h->csr.lane_mask & h->lmask & h->rx_mask & h->ts_val;
    if (!act) {
        ev->down = 1;
        return;
    }
    h->active = act;
    h->committed = 1;
    h->phase = 2;
    h->peer_p = h->ts_val;
    h->peer_ok = 0;
    h->ts2_rows = 0;
    h->uc_cnt = 0;
    for (unsigned i = 0; i < h->cfg.lanes; i++)
        if ((h->group >> i & 1u) && !(act >> i & 1u))
            empty_fifo(&h->lane[i]);
    h->group = act;
    h->rx_in_pkt = 0;
    ev->commit = 1;
}

/* Process one popped non-marker row. */
static void process_row(phy_link_t *h, const dblk_t *row, struct ev *ev)
{
    unsigned L = h->cfg.lanes;
    phy_bkind_t kind[PHY_MAX_LANES] = {PHY_BK_INVALID};
    for (unsigned i = 0; i < L; i++) {
        if (!(h->group >> i & 1u))
            continue;
        phy_block_t b = {row[i].p, row[i].sh};
        kind[i] = row[i].am ? PHY_BK_INVALID : phy_block_classify(b, i, h->cfg.side_w);
        if (h->obs)
            h->obs(h->obs_ctx, 1, h->cycle, i, row[i].sh, row[i].p);
    }
    unsigned lo = lowest(h->group);
    phy_bkind_t lk = kind[lo];
    uint64_t lp = row[lo].p;
    int in_deskew = h->state == PHY_ST_DESKEW;

    if (in_deskew && !h->committed) {
        if (lk == PHY_BK_TS && phy_ts_phase(lp) >= 1) {
            if (h->ts_cnt > 0 && phy_ts_rx_mask(lp) == h->ts_val) {
                if (h->ts_cnt < 255)
                    h->ts_cnt++;
            } else {
                h->ts_cnt = 1;
                h->ts_val = phy_ts_rx_mask(lp);
            }
        } else {
            h->ts_cnt = 0;
        }
        if (h->ts_cnt >= 4 && h->marker2)
            do_commit(h, ev);
        return; /* the deframer starts after the commit */
    }
    if (in_deskew) { /* committed */
        unsigned ph = phy_ts_phase(lp);
        if (lk == PHY_BK_TS &&
            (ph == 0 || phy_ts_rx_mask(lp) != h->peer_p || (ph == 2 && phy_ts_active(lp) != h->active))) {
            /* a contradicting TS: the 4th in a row uncommits; fewer are
             * handled like any other TS row (one corrupted TS must not undo
             * the training) */
            if (++h->uc_cnt >= 4) {
                ev->uncommit = 1;
                return;
            }
        } else {
            h->uc_cnt = 0;
            if (lk == PHY_BK_TS ? ph == 2 : lk != PHY_BK_INVALID)
                h->peer_ok = 1;
        }
    } else { /* ACTIVE */
        if (lk == PHY_BK_TS && !(phy_ts_phase(lp) == 2 && phy_ts_active(lp) == h->active))
            ev->retrain_ts = 1;
        int all_sleep = 1;
        unsigned skind = 0;
        for (unsigned i = 0; i < L; i++) {
            if (!(h->group >> i & 1u))
                continue;
            unsigned k2 = kind[i] == PHY_BK_SLEEP ? phy_sleep_kind(row[i].p) : 0;
            if (!k2 || (skind && k2 != skind))
                all_sleep = 0;
            skind = k2;
        }
        if (all_sleep)
            ev->sleep_row = 1;
    }
    for (unsigned i = 0; i < L; i++) {
        if (!(h->group >> i & 1u))
            continue;
        phy_block_t b = {row[i].p, row[i].sh};
        deframe(h, kind[i], b, ev);
    }
}

/* Deskew stage of one cycle: pop (start-of-cycle FIFOs), then write R1 blocks. */
static void deskew_cycle(phy_link_t *h, struct ev *ev)
{
    unsigned L = h->cfg.lanes;
    unsigned g = h->group;
    int pop = g != 0;
    for (unsigned i = 0; i < L && pop; i++)
        if ((g >> i & 1u) && h->lane[i].f_count == 0)
            pop = 0;
    if (pop) {
        dblk_t row[PHY_MAX_LANES];
        for (unsigned i = 0; i < L; i++) {
            if (!(g >> i & 1u))
                continue;
            lane_t *ln = &h->lane[i];
            row[i] = ln->fifo[ln->f_head];
            ln->f_head = (ln->f_head + 1) % PHY_DESKEW_DEPTH;
            ln->f_count--;
        }
        if (!h->deskewed) {
            h->deskewed = 1;
            h->x = 0;
            h->rx_mask = g;
            h->phase = 1;
        }
        if (h->x % h->m_rx == 0) {
            int all_good = 1;
            for (unsigned i = 0; i < L; i++) {
                if (!(g >> i & 1u))
                    continue;
                lane_t *ln = &h->lane[i];
                if (row[i].am) {
                    ln->bad_markers = 0;
                } else {
                    all_good = 0;
                    if (++ln->bad_markers >= 4)
                        ev->deskew_fail = 1;
                }
            }
            if (h->x > 0 && all_good && !h->marker2) {
                h->marker2 = 1;
                if (h->state == PHY_ST_DESKEW && !h->committed && h->ts_cnt >= 4)
                    do_commit(h, ev);
            }
        } else {
            for (unsigned i = 0; i < L; i++)
                if ((g >> i & 1u) && row[i].am)
                    ev->deskew_fail = 1; /* rows misaligned (spec 4.7) */
            process_row(h, row, ev);
        }
        h->x++;
    }
    /* writes of this cycle's R1 blocks (group may have shrunk at a commit) */
    g = h->group;
    for (unsigned i = 0; i < L; i++) {
        if (!(g >> i & 1u) || !(ev->passed >> i & 1u))
            continue;
        lane_t *ln = &h->lane[i];
        if (!ln->found_am) {
            if (!ev->blk[i].am)
                continue;
            ln->found_am = 1;
        }
        unsigned occ = ln->f_count;
        if (occ + 1 > PHY_DESKEW_DEPTH) {
            ev->deskew_fail = 1;
            continue;
        }
        ln->fifo[(ln->f_head + occ) % PHY_DESKEW_DEPTH] = ev->blk[i];
        ln->f_count++;
    }
    if (ev->lock_lost & g)
        ev->deskew_fail = 1;
}

/* R1 of every lane (spec 4.6), then shift in this cycle's word. */
static void front_end(phy_link_t *h, const phy_link_in_t *in, struct ev *ev)
{
    unsigned L = h->cfg.lanes, W = h->cfg.lane_w;
    int run = h->state != PHY_ST_RESET && h->state != PHY_ST_DOWN;
    if (!run)
        return;
    for (unsigned i = 0; i < L; i++) {
        lane_t *ln = &h->lane[i];
        if (ln->q.count >= 66 + ln->skip) {
            if (ln->skip) {
                bq_pop(&ln->q, ln->skip);
                ln->skip = 0;
            }
            uint8_t sh = (uint8_t)bq_pop(&ln->q, 2);
            uint64_t p = bq_pop(&ln->q, 64);
            int valid = phy_sh_valid(sh);
            if (!ln->locked) {
                if (valid) {
                    if (++ln->sh_cnt == 64) {
                        ln->locked = 1;
                        ln->sh_cnt = ln->bad_cnt = 0;
                    }
                } else {
                    ln->sh_cnt = 0;
                    ln->skip = 1;
                }
            } else {
                ln->sh_cnt++;
                if (!valid) {
                    ln->bad_cnt++;
                    h->cnt.sh_errors[i]++;
                }
                if (ln->bad_cnt == 16) {
                    ln->locked = 0;
                    ln->sh_cnt = ln->bad_cnt = 0;
                    ln->skip = 1;
                    h->cnt.lock_losses[i]++;
                    ev->lock_lost |= 1u << i;
                } else if (ln->sh_cnt == 64) {
                    ln->sh_cnt = ln->bad_cnt = 0;
                }
            }
            if (ln->locked) {
                dblk_t *d = &ev->blk[i];
                d->sh = sh;
                d->am = sh == PHY_SH_CTRL && p == phy_am_payload(i);
                d->p = d->am ? p : phy_descramble64(&ln->dscr, p);
                ev->passed |= 1u << i;
                if (h->state == PHY_ST_IDLE && (h->csr.lane_mask >> i & 1u) && !d->am) {
                    phy_block_t b = {d->p, d->sh};
                    if (phy_block_classify(b, i, h->cfg.side_w) == PHY_BK_TS)
                        ev->wake_ts = 1;
                }
            }
        }
        bq_push(&ln->q, in->lane_rx[i], W);
    }
}

/* ---- state changes ------------------------------------------------------------ */

static void deskew_start(phy_link_t *h)
{
    unsigned lock = 0;
    for (unsigned i = 0; i < h->cfg.lanes; i++) {
        lock |= h->lane[i].locked << i;
        empty_fifo(&h->lane[i]);
    }
    h->group = h->csr.lane_mask & h->lmask & lock;
    h->deskewed = 0;
    h->marker2 = 0;
    h->x = 0;
    h->m_rx = h->csr.am_period;
    h->phase = 0;
    h->rx_mask = 0;
    h->active = 0;
    h->committed = 0;
    h->ts_cnt = h->ts_val = h->peer_ok = h->peer_p = h->ts2_rows = 0;
    h->uc_cnt = 0;
    h->rx_in_pkt = 0;
}

static void clear_ack_state(phy_link_t *h)
{
    h->nak_sent = h->nak_pending = h->ack_dirty = h->ack_events = h->ack_age = h->ack_urgent = 0;
}

static void enter(phy_link_t *h, unsigned st)
{
    unsigned from = h->state;
    h->state = st;
    h->state_cnt = 0;
    switch (st) {
    case PHY_ST_RESET: {
        /* entered at the end of a cycle (enable_i == 0): the output
         * registers loaded in that cycle keep the on state's gearbox word
         * and laser flags for the first RESET cycle (spec 4.5.2, 4.5.4);
         * only the state behind them is cleared */
        uint64_t tx[PHY_MAX_LANES];
        unsigned laser = h->laser_reg;
        memcpy(tx, h->lane_tx, sizeof tx);
        clear_link_state(h);
        memcpy(h->lane_tx, tx, sizeof tx);
        h->laser_reg = laser;
        break;
    }
    case PHY_ST_LASER_ON:
        h->gb_resid = 0;
        h->rows = 0;
        h->m_tx = h->csr.am_period;
        for (unsigned i = 0; i < PHY_MAX_LANES; i++) {
            phy_scr_reset(&h->lane[i].scr);
            memset(&h->lane[i].tq, 0, sizeof h->lane[i].tq);
        }
        h->phase = 0;
        h->group = 0;
        h->deskewed = 0;
        h->committed = 0;
        h->active = 0;
        if (from == PHY_ST_IDLE) {
            clear_ack_state(h);
            h->rt_run = 1;
            h->rt_timer = 0;
        }
        break;
    case PHY_ST_BLOCK_LOCK:
        h->phase = 0;
        h->group = 0;
        h->deskewed = 0;
        h->committed = 0;
        h->active = 0;
        if (from == PHY_ST_ACTIVE) { /* retrain */
            h->cnt.retrains++;
            h->tx_in_pkt = 0;
            h->rx_in_pkt = 0;
            clear_ack_state(h);
            h->rt_run = 1;
            h->rt_timer = 0;
        }
        break;
    case PHY_ST_DESKEW:
        deskew_start(h);
        break;
    case PHY_ST_ACTIVE:
        if (h->U != h->N)
            h->replay_req = 1;
        h->ack_urgent = 1;
        h->rt_run = 0;
        h->idle_cnt = 0;
        h->sleep_ack = 0;
        h->sleep_rows = 0;
        h->idle_pending = 0;
        break;
    case PHY_ST_IDLE:
        h->cnt.idle_entries++;
        h->group = 0;
        h->deskewed = 0;
        h->committed = 0;
        h->active = 0;
        h->phase = 0;
        h->sleep_ack = 0;
        h->sleep_rows = 0;
        h->idle_pending = 0;
        h->idle_cnt = 0;
        break;
    case PHY_ST_DOWN:
        h->cnt.link_downs++;
        h->rt_run = 0;
        h->group = 0;
        h->committed = 0;
        h->active = 0;
        h->tx_in_pkt = 0;
        h->rx_in_pkt = 0;
        break;
    default:
        break;
    }
}

void phy_link_step(phy_link_t *h, const phy_link_in_t *in)
{
    static const phy_link_in_t no_inputs;
    if (!in)
        in = &no_inputs; /* all inputs 0 */
    struct ev ev;
    memset(&ev, 0, sizeof ev);
    unsigned L = h->cfg.lanes, W = h->cfg.lane_w;
    unsigned st = h->state;

    /* start-of-cycle values used below */
    int ready = tx_ready(h);
    int rx_valid = h->rxq_count > 0;
    int eligible = h->txq_count == 0 && h->U == h->N && h->rxq_count == 0 && !h->rx_in_pkt &&
                   !h->ack_dirty && !h->ack_urgent && !h->nak_pending;
    int ack_dirty0 = h->ack_dirty;
    int rt_fire = st == PHY_ST_ACTIVE && h->csr.replay_timeout != 0 && h->rt == h->csr.replay_timeout;

    /* counters of this cycle's output registers */
    for (unsigned i = 0; i < L; i++) {
        if (h->laser_reg >> i & 1u)
            h->cnt.laser_cycles[i]++;
        h->cnt.heater_integral[i] += h->heater_reg[i];
    }

    /* (1) transmitter */
    if (tx_on(st)) {
        if (h->gb_resid < W) {
            compose_row(h, &ev);
            h->gb_resid += 66;
        }
        for (unsigned i = 0; i < L; i++)
            h->lane_tx[i] = bq_pop(&h->lane[i].tq, W);
        h->gb_resid -= W;
        h->laser_reg = h->row_laser;
    } else {
        memset(h->lane_tx, 0, sizeof h->lane_tx);
        h->laser_reg = 0;
    }

    /* (2) receive front end */
    front_end(h, in, &ev);

    /* (3) deskew, rows, deframer */
    if (st == PHY_ST_DESKEW || st == PHY_ST_ACTIVE)
        deskew_cycle(h, &ev);

    /* replay timer trigger, after this cycle's ACK/NAK blocks */
    if (rt_fire && !ev.release && h->U != h->N)
        replay_trigger(h, &ev);

    /* (4) next values */
    /* RX FIFO pop */
    if (rx_valid && in->rx_ready) {
        flit_t *f = &h->rxq[h->rxq_head];
        if (f->last) {
            h->freed = M8(h->freed + 1);
            ack_event(h);
        }
        h->rxq_head = (h->rxq_head + 1) % h->rxq_size;
        h->rxq_count--;
    }
    /* TX FIFO push */
    if (ready && in->tx_valid) {
        flit_t *f = &h->txq[(h->txq_head + h->txq_count) % h->cfg.tx_fifo_depth];
        memset(f, 0, sizeof *f);
        if (in->tx_flit)
            memcpy(f->w, in->tx_flit, h->B * sizeof(uint64_t));
        f->side = (uint8_t)(in->tx_side & ((1u << h->cfg.side_w) - 1u));
        h->txq_count++;
    }
    /* ack age */
    if (ack_dirty0 && !ev.ack_sent && h->ack_age < 65535)
        h->ack_age++;
    /* replay timer */
    if (h->U == h->N || ev.release || ev.replay_trig || st != PHY_ST_ACTIVE)
        h->rt = 0;
    else if (h->rt < 65535)
        h->rt++;
    /* idle counter and sleep handshake */
    if (st == PHY_ST_ACTIVE) {
        if (eligible && !ev.hdr_sent && !ev.hdr_recv)
            h->idle_cnt = h->idle_cnt == UINT32_MAX ? UINT32_MAX : h->idle_cnt + 1;
        else
            h->idle_cnt = 0;
        if (ev.sleep_row && eligible && !h->sleep_ack)
            h->sleep_ack = 1;
        if (ev.fourth_sleep_row) {
            h->idle_pending = 1;
            h->idle_at = h->cycle + 2;
        }
    }
    /* heater and power registers */
    for (unsigned i = 0; i < L; i++) {
        h->heater_reg[i] = h->csr.heater_code[i];
        h->power_reg[i] = in->lane_rx_power[i] & 0xFFFu;
    }

    /* state transition (priority of spec 4.9.1) */
    unsigned nx = st;
    int restart = 0;
    if (!h->csr.enable) {
        nx = PHY_ST_RESET;
    } else if (ev.down || (h->rt_run && h->csr.train_timeout && h->rt_timer == h->csr.train_timeout &&
                           st != PHY_ST_DOWN && st != PHY_ST_RESET)) {
        nx = PHY_ST_DOWN;
    } else {
        unsigned lock = 0;
        for (unsigned i = 0; i < L; i++)
            lock |= h->lane[i].locked << i;
        unsigned want = h->csr.lane_mask & h->lmask;
        switch (st) {
        case PHY_ST_RESET:
            nx = PHY_ST_LASER_ON;
            break;
        case PHY_ST_LASER_ON: {
            uint64_t need = h->csr.laser_settle ? h->csr.laser_settle : 1;
            if (h->state_cnt + 1 >= need)
                nx = PHY_ST_RING_TUNE;
            break;
        }
        case PHY_ST_RING_TUNE:
            if (h->csr.rings_locked)
                nx = PHY_ST_BLOCK_LOCK;
            break;
        case PHY_ST_BLOCK_LOCK:
            if ((want & lock) == want || ((want & lock) && h->state_cnt >= PHY_LOCK_WAIT))
                nx = PHY_ST_DESKEW;
            break;
        case PHY_ST_DESKEW:
            if (ev.deskew_fail || ev.uncommit)
                restart = 1;
            else if (h->committed && h->ts2_rows >= 4 && h->peer_ok)
                nx = PHY_ST_ACTIVE;
            break;
        case PHY_ST_ACTIVE:
            if (!h->sleep_ack && (ev.deskew_fail || ev.retrain_ts || h->retrain_pulse))
                nx = PHY_ST_BLOCK_LOCK;
            else if (h->idle_pending && h->cycle == h->idle_at)
                nx = PHY_ST_IDLE;
            break;
        case PHY_ST_IDLE:
            if (in->tx_valid || h->txq_count > 0 || ev.wake_ts)
                nx = PHY_ST_LASER_ON;
            break;
        default:
            break;
        }
    }
    h->retrain_pulse = 0;
    if (h->rt_run) /* before enter(): a timer (re)started now reads 0 next cycle */
        h->rt_timer++;
    if (restart) {
        deskew_start(h);
        if (!h->group)
            enter(h, PHY_ST_BLOCK_LOCK);
        else
            h->state_cnt++;
    } else if (nx != st) {
        enter(h, nx);
        if (nx == PHY_ST_DESKEW && !h->group)
            enter(h, PHY_ST_BLOCK_LOCK);
    } else {
        h->state_cnt++;
    }
    h->cycle++;
}
