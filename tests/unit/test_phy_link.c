/*
 * test_phy_link.c - system tests of the PHY link golden model (csim/phy/
 * phy_link.h) over the channel model (csim/channel/), against docs/spec.md
 * section 4.
 *
 * Two link ends A and B are joined by two channels. Traffic sources offer
 * numbered flits whose content is a hash of (source, number); a scoreboard at
 * each receiver checks that flits arrive exactly once, in order, with their
 * sideband. On top of that:
 *  - an independent, bit-serial decoder written from the spec text (row
 *    timing, gearbox bit order, scrambler, AM rows, striping, packet format,
 *    CRC) parses A's lane words and checks every packet against the source;
 *  - a table of a few hundred randomised round trips with fixed seeds
 *    (lanes, lane width, flit width, skew, latency, BER, bursts, backpressure);
 *  - deskew at the skew limit, lane loss and retraining, link down, replay
 *    limit, backpressure without loss, low-power IDLE and wake-up;
 *  - the payload efficiency bound of spec 4.13 against a measured long run;
 *  - negative tests: the decoder with a wrong scrambler tap, the scoreboard
 *    with a wrong expectation, a corrupted block caught by the CRC, skew
 *    beyond the limit, mismatched marker periods.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "channel/channel.h"
#include "phy/phy_codec.h"
#include "phy/phy_link.h"

/* ---- flit content ----------------------------------------------------------------- */

static uint64_t mix(uint64_t a, uint64_t b, uint64_t c)
{
    uint64_t z = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull) * 0xBF58476D1CE4E5B9ull ^ c * 0x94D049BB133111EBull;
    z = (z ^ (z >> 31)) * 0xD6E8FEB86659FD93ull;
    return z ^ (z >> 29);
}

static void make_flit(unsigned src, uint64_t k, unsigned words, unsigned side_w, uint64_t *w, unsigned *side)
{
    for (unsigned j = 0; j < words; j++)
        w[j] = mix(src + 1, k, j);
    *side = (unsigned)mix(src + 7, k, 99) & ((1u << side_w) - 1u);
}

/* ---- the pair harness ------------------------------------------------------------- */

typedef struct {
    phy_link_cfg_t lc;
    phy_link_csr_t csr;
    ch_cfg_t ch[2]; /* ch[0]: A->B, ch[1]: B->A */
    int offer_pct[2];   /* chance that end d offers a flit in a cycle (if it has one) */
    int ready_pct[2];   /* chance that end d's consumer is ready */
    uint64_t limit[2];  /* flits end d sends in total */
    uint64_t seed;
    int expect_offset;  /* negative test: scoreboard expects flit k+offset */
} pair_cfg_t;

typedef struct {
    pair_cfg_t c;
    phy_link_t *end[2];
    ch_t *ch[2];
    phy_link_in_t in[2];
    phy_link_out_t out[2];
    uint64_t sent[2], recv[2]; /* per direction d: end d sends, end 1-d receives */
    uint64_t cycle;
    uint64_t first_active[2];
    uint64_t rng;
    int sb_errors;
    char sb_msg[256];
    uint64_t offer_buf[2][PHY_MAX_FLIT_WORDS];
    /* optional per-cycle hook (the spec decoder) */
    void (*hook)(void *ctx, const phy_link_out_t *a, uint64_t cycle);
    void *hook_ctx;
} pair_t;

static uint64_t prng(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void pair_cfg_default(pair_cfg_t *p)
{
    memset(p, 0, sizeof *p);
    phy_link_cfg_default(&p->lc);
    phy_link_csr_default(&p->csr);
    p->csr.enable = 1;
    p->csr.rings_locked = 1;
    p->csr.am_period = 128;
    p->csr.laser_settle = 20;
    p->csr.train_timeout = 200000;
    for (int d = 0; d < 2; d++) {
        ch_cfg_default(&p->ch[d]);
        p->ch[d].latency_cycles = 12;
        p->ch[d].seed = 100 + (uint64_t)d;
        p->offer_pct[d] = 100;
        p->ready_pct[d] = 100;
        p->limit[d] = UINT64_MAX;
    }
    p->seed = 1;
}

static pair_t *pair_new(const pair_cfg_t *c)
{
    char err[256];
    pair_t *p = calloc(1, sizeof *p);
    assert_non_null(p);
    p->c = *c;
    p->rng = c->seed;
    for (int d = 0; d < 2; d++) {
        p->end[d] = phy_link_new(&c->lc, err, sizeof err);
        if (!p->end[d])
            fail_msg("phy_link_new: %s", err);
        if (phy_link_set_csr(p->end[d], &c->csr, err, sizeof err))
            fail_msg("phy_link_set_csr: %s", err);
        p->ch[d] = ch_new(&c->ch[d], err, sizeof err);
        if (!p->ch[d])
            fail_msg("ch_new: %s", err);
        p->first_active[d] = UINT64_MAX;
    }
    return p;
}

static void pair_free(pair_t *p)
{
    for (int d = 0; d < 2; d++) {
        phy_link_free(p->end[d]);
        ch_free(p->ch[d]);
    }
    free(p);
}

static void sb_fail(pair_t *p, const char *fmt, ...)
{
    if (p->sb_errors++)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->sb_msg, sizeof p->sb_msg, fmt, ap);
    va_end(ap);
}

/* One cycle of the whole system. */
static void pair_step(pair_t *p)
{
    unsigned B = p->c.lc.flit_w / 64, sw = p->c.lc.side_w;
    for (int d = 0; d < 2; d++) {
        phy_link_outputs(p->end[d], &p->out[d]);
        if (p->out[d].state == PHY_ST_ACTIVE && p->first_active[d] == UINT64_MAX)
            p->first_active[d] = p->cycle;
    }
    if (p->hook)
        p->hook(p->hook_ctx, &p->out[0], p->cycle);
    /* channels: A's words reach B, B's reach A, in the same cycle */
    ch_step(p->ch[0], p->out[0].lane_tx, p->out[0].laser_on, p->out[1].lane_heater, p->in[1].lane_rx,
            p->in[1].lane_rx_power);
    ch_step(p->ch[1], p->out[1].lane_tx, p->out[1].laser_on, p->out[0].lane_heater, p->in[0].lane_rx,
            p->in[0].lane_rx_power);
    for (int d = 0; d < 2; d++) {
        phy_link_in_t *in = &p->in[d];
        /* source of direction d */
        int offer = p->sent[d] < p->c.limit[d] && (int)(prng(&p->rng) % 100) < p->c.offer_pct[d];
        in->tx_valid = offer;
        if (offer) {
            make_flit((unsigned)d, p->sent[d], B, sw, p->offer_buf[d], &in->tx_side);
            in->tx_flit = p->offer_buf[d];
            if (p->out[d].tx_ready)
                p->sent[d]++;
        } else {
            in->tx_flit = NULL;
            in->tx_side = 0;
        }
        /* consumer at end d receives direction 1-d */
        in->rx_ready = (int)(prng(&p->rng) % 100) < p->c.ready_pct[d];
        if (p->out[d].rx_valid && in->rx_ready) {
            int src = 1 - d;
            uint64_t w[PHY_MAX_FLIT_WORDS];
            unsigned side;
            make_flit((unsigned)src, p->recv[src] + (uint64_t)p->c.expect_offset, B, sw, w, &side);
            if (p->recv[src] >= p->sent[src])
                sb_fail(p, "cycle %llu: end %d delivered flit %llu that was never sent", (unsigned long long)p->cycle,
                        d, (unsigned long long)p->recv[src]);
            else if (memcmp(w, p->out[d].rx_flit, B * 8) || side != p->out[d].rx_side)
                sb_fail(p, "cycle %llu: end %d flit %llu: got word0 %016llx side %u, expected %016llx side %u",
                        (unsigned long long)p->cycle, d, (unsigned long long)p->recv[src],
                        (unsigned long long)p->out[d].rx_flit[0], p->out[d].rx_side, (unsigned long long)w[0], side);
            p->recv[src]++;
        }
    }
    phy_link_step(p->end[0], &p->in[0]);
    phy_link_step(p->end[1], &p->in[1]);
    p->cycle++;
}

static void pair_run(pair_t *p, uint64_t cycles)
{
    for (uint64_t i = 0; i < cycles; i++)
        pair_step(p);
}

/* Run until both directions delivered `n` flits (or everything sent when the
 * limit is lower), or `max` cycles. Returns 1 if reached. */
static int pair_run_until_delivered(pair_t *p, uint64_t n, uint64_t max)
{
    for (uint64_t i = 0; i < max; i++) {
        int done = 1;
        for (int d = 0; d < 2; d++) {
            uint64_t want = n < p->c.limit[d] ? n : p->c.limit[d];
            if (p->recv[d] < want)
                done = 0;
        }
        if (done)
            return 1;
        pair_step(p);
    }
    return 0;
}

static unsigned st(pair_t *p, int d)
{
    phy_link_out_t o;
    phy_link_outputs(p->end[d], &o);
    return o.state;
}

/* ---- independent spec decoder of one end's lane words ---------------------------- */
/*
 * Bit-serial, written from spec 4.3-4.5 only: collects each lane's stream from
 * the cycle after LASER_ON is entered, cuts 66-bit blocks at 66r, takes AM rows
 * at r mod M == 0 unscrambled, descrambles everything else with the sc[]
 * shift register (taps configurable for the negative test), stripes lit lanes
 * (non-zero-fill) in ascending order, parses HDR/data/TRL, checks the CRC with
 * a bit-serial CRC and compares every packet with the source's flits.
 */
typedef struct {
    unsigned L, W, B, side_w, M;
    int tap_a, tap_b;
    int started;
    uint64_t t0;
    uint8_t bits[PHY_MAX_LANES][140];
    unsigned nbits[PHY_MAX_LANES];
    uint8_t sc[PHY_MAX_LANES][58];
    uint64_t row;
    unsigned prev_state;
    /* stream of the current row */
    uint8_t rsh[PHY_MAX_LANES];
    uint64_t rp[PHY_MAX_LANES];
    unsigned rdone; /* lanes that completed the current row */
    /* packet parser */
    int in_pkt;
    uint64_t hdr;
    uint64_t data[64];
    unsigned ndata;
    /* results */
    uint64_t next_new_seq_flit; /* flits of new packets checked so far */
    unsigned next_seq;
    uint64_t pkts_ok, replays_ok, ts_rows, am_rows, data_rows;
    uint64_t errors;
    char msg[256];
    uint64_t first_flit_of_seq[256];
    unsigned n_of_seq[256];
} dec_t;

static void dec_fail(dec_t *d, const char *fmt, ...)
{
    if (d->errors++)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
}

static void dec_init(dec_t *d, const phy_link_cfg_t *lc, unsigned M, int tap_a, int tap_b)
{
    memset(d, 0, sizeof *d);
    d->L = lc->lanes;
    d->W = lc->lane_w;
    d->B = lc->flit_w / 64;
    d->side_w = lc->side_w;
    d->M = M;
    d->tap_a = tap_a;
    d->tap_b = tap_b;
}

static uint32_t crc_serial(const uint8_t *b, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= b[i];
        for (int k = 0; k < 8; k++)
            c = (c & 1u) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    }
    return ~c;
}

static void dec_packet(dec_t *d, unsigned crc_field)
{
    unsigned n = ((unsigned)(d->hdr >> 16) & 7u) + 1u, seq = (unsigned)(d->hdr >> 8) & 0xFFu;
    if (d->ndata != n * d->B) {
        dec_fail(d, "packet seq %u: %u data blocks for n=%u", seq, d->ndata, n);
        return;
    }
    uint8_t bytes[8 + 64 * 8];
    size_t nb = 0;
    for (int k = 0; k < 8; k++)
        bytes[nb++] = (uint8_t)(d->hdr >> (8 * k));
    for (unsigned i = 0; i < d->ndata; i++)
        for (int k = 0; k < 8; k++)
            bytes[nb++] = (uint8_t)(d->data[i] >> (8 * k));
    if (crc_serial(bytes, nb) != crc_field) {
        dec_fail(d, "packet seq %u: CRC field %08x, computed %08x", seq, crc_field, crc_serial(bytes, nb));
        return;
    }
    uint64_t first;
    if (seq == d->next_seq) { /* a new packet: the next flits of source 0 */
        first = d->next_new_seq_flit;
        d->first_flit_of_seq[seq] = first;
        d->n_of_seq[seq] = n;
        d->next_new_seq_flit += n;
        d->next_seq = (seq + 1) & 0xFFu;
        d->pkts_ok++;
    } else { /* a replay: must repeat an earlier packet exactly */
        if (d->n_of_seq[seq] != n) {
            dec_fail(d, "replayed packet seq %u has n=%u, first copy n=%u", seq, n, d->n_of_seq[seq]);
            return;
        }
        first = d->first_flit_of_seq[seq];
        d->replays_ok++;
    }
    for (unsigned k = 0; k < n; k++) {
        uint64_t w[PHY_MAX_FLIT_WORDS];
        unsigned side;
        make_flit(0, first + k, d->B, d->side_w, w, &side);
        if (memcmp(w, d->data + k * d->B, d->B * 8)) {
            dec_fail(d, "packet seq %u flit %u differs from source flit %llu", seq, k, (unsigned long long)(first + k));
            return;
        }
        unsigned hs = (unsigned)(d->hdr >> (32 + d->side_w * k)) & ((1u << d->side_w) - 1u);
        if (hs != side) {
            dec_fail(d, "packet seq %u flit %u sideband %u, source %u", seq, k, hs, side);
            return;
        }
    }
}

static void dec_block(dec_t *d, uint8_t sh, uint64_t p)
{
    if (sh == PHY_SH_DATA) {
        if (d->in_pkt) {
            if (d->ndata < 64)
                d->data[d->ndata++] = p;
        } else {
            dec_fail(d, "data block outside a packet");
        }
        return;
    }
    unsigned type = (unsigned)p & 0xFFu;
    if (type == PHY_BT_HDR) {
        if (d->in_pkt)
            dec_fail(d, "HDR inside a packet");
        d->in_pkt = 1;
        d->hdr = p;
        d->ndata = 0;
    } else if (type == PHY_BT_TRL) {
        if (!d->in_pkt)
            dec_fail(d, "TRL outside a packet");
        else
            dec_packet(d, (unsigned)(p >> 8));
        d->in_pkt = 0;
    } else if (type == PHY_BT_IDLE || type == PHY_BT_ACK || type == PHY_BT_SLEEP) {
        if (d->in_pkt)
            dec_fail(d, "control block 0x%02x inside a packet", type);
    } else {
        dec_fail(d, "unexpected block type 0x%02x in an active row", type);
    }
}

static void dec_row(dec_t *d)
{
    uint64_t r = d->row++;
    unsigned lit = 0;
    for (unsigned i = 0; i < d->L; i++)
        if (d->rsh[i] != 0 || d->rp[i] != 0)
            lit |= 1u << i;
    if (r % d->M == 0) {
        d->am_rows++;
        for (unsigned i = 0; i < d->L; i++)
            if ((lit >> i & 1u) && (d->rsh[i] != PHY_SH_CTRL || d->rp[i] != phy_am_payload(i)))
                dec_fail(d, "row %llu lane %u: expected AM", (unsigned long long)r, i);
        return;
    }
    /* descramble lit lanes (spec 4.5.1, serially) */
    uint64_t pl[PHY_MAX_LANES];
    for (unsigned i = 0; i < d->L; i++) {
        if (!(lit >> i & 1u))
            continue;
        uint64_t out = 0;
        for (int b = 0; b < 64; b++) {
            unsigned s = (unsigned)(d->rp[i] >> b) & 1u;
            unsigned o = s ^ d->sc[i][d->tap_a] ^ d->sc[i][d->tap_b];
            memmove(d->sc[i] + 1, d->sc[i], 57);
            d->sc[i][0] = (uint8_t)s;
            out |= (uint64_t)o << b;
        }
        pl[i] = out;
    }
    /* training row: TS on every lit lane */
    unsigned lo = 0;
    while (lo < d->L && !(lit >> lo & 1u))
        lo++;
    if (lo == d->L)
        return;
    if (d->rsh[lo] == PHY_SH_CTRL && (pl[lo] & 0xFFu) == PHY_BT_TS) {
        d->ts_rows++;
        d->in_pkt = 0; /* a packet cut by a retrain is abandoned */
        for (unsigned i = 0; i < d->L; i++)
            if ((lit >> i & 1u) && (d->rsh[i] != PHY_SH_CTRL || (pl[i] & 0xFFu) != PHY_BT_TS ||
                                    ((pl[i] >> 8) & 0xFFu) != i))
                dec_fail(d, "row %llu lane %u: expected TS for lane %u", (unsigned long long)r, i, i);
        return;
    }
    d->data_rows++;
    for (unsigned i = 0; i < d->L; i++)
        if (lit >> i & 1u)
            dec_block(d, d->rsh[i], pl[i]);
}

static void dec_hook(void *ctx, const phy_link_out_t *a, uint64_t cycle)
{
    dec_t *d = ctx;
    if (!d->started) {
        if (a->state == PHY_ST_LASER_ON && d->prev_state == PHY_ST_RESET) {
            d->started = 1;
            d->t0 = cycle;
            for (unsigned i = 0; i < PHY_MAX_LANES; i++)
                memset(d->sc[i], 1, 58);
        }
        d->prev_state = a->state;
        return;
    }
    if (cycle == d->t0)
        return; /* word 0 appears in cycle t0+1 */
    if (a->state == PHY_ST_RESET || a->state == PHY_ST_IDLE || a->state == PHY_ST_DOWN) {
        dec_fail(d, "cycle %llu: transmitter off (the decoder covers one bring-up)", (unsigned long long)cycle);
        return;
    }
    for (unsigned i = 0; i < d->L; i++) {
        for (unsigned b = 0; b < d->W; b++)
            d->bits[i][d->nbits[i]++] = (uint8_t)((a->lane_tx[i] >> b) & 1u);
    }
    for (;;) {
        if (d->nbits[0] < 66)
            break;
        for (unsigned i = 0; i < d->L; i++) {
            uint8_t *bb = d->bits[i];
            d->rsh[i] = (uint8_t)(bb[0] | bb[1] << 1);
            uint64_t p = 0;
            for (int m = 0; m < 64; m++)
                p |= (uint64_t)bb[2 + m] << m;
            d->rp[i] = p;
            d->nbits[i] -= 66;
            memmove(bb, bb + 66, d->nbits[i]);
        }
        dec_row(d);
    }
}

/* ---- tests ---------------------------------------------------------------------- */

static void check_clean(pair_t *p)
{
    if (p->sb_errors)
        fail_msg("scoreboard: %s", p->sb_msg);
}

/* Bring-up: timing of the training states of spec 4.9 with default widths. */
static void test_bringup(void **state)
{
    (void)state;
    pair_cfg_t c;
    pair_cfg_default(&c);
    c.limit[0] = c.limit[1] = 0;
    pair_t *p = pair_new(&c);
    pair_step(p); /* cycle 0: RESET -> LASER_ON at its end */
    assert_int_equal(st(p, 0), PHY_ST_LASER_ON);
    pair_run(p, c.csr.laser_settle - 1);
    assert_int_equal(st(p, 0), PHY_ST_LASER_ON);
    pair_step(p); /* LASER_ON lasts exactly laser_settle cycles */
    assert_int_equal(st(p, 0), PHY_ST_RING_TUNE);
    pair_step(p);
    assert_int_equal(st(p, 0), PHY_ST_BLOCK_LOCK);
    pair_run(p, 5000);
    assert_int_equal(st(p, 0), PHY_ST_ACTIVE);
    assert_int_equal(st(p, 1), PHY_ST_ACTIVE);
    phy_link_out_t o;
    phy_link_outputs(p->end[0], &o);
    assert_int_equal(o.active_mask, 0xFF);
    assert_int_equal(o.laser_on, 0xFF);
    assert_int_equal(o.lane_lock, 0xFF);
    assert_int_equal(o.lane_deskew, 0xFF);
    assert_int_equal(o.train_phase, 2);
    assert_true(o.link_up);
    print_message("bring-up: ACTIVE at cycles %llu / %llu\n", (unsigned long long)p->first_active[0],
                  (unsigned long long)p->first_active[1]);
    /* rings_locked held low: the link waits in RING_TUNE */
    pair_cfg_t c2 = c;
    c2.csr.rings_locked = 0;
    pair_t *q = pair_new(&c2);
    pair_run(q, 3000);
    assert_int_equal(st(q, 0), PHY_ST_RING_TUNE);
    phy_link_outputs(q->end[0], &o);
    assert_int_equal(o.laser_on, 0xFF); /* lasers are on for ring tuning */
    pair_free(q);
    pair_free(p);
}

/* Gearbox row cycles (spec 4.5.2): row r in cycle t0 + floor(66 r / W); for
 * W = 32, exactly the even g <= 30 of g = k mod 33. */
static void test_row_cycles(void **state)
{
    (void)state;
    static const unsigned widths[] = {32, 16, 24, 40, 64};
    for (unsigned wi = 0; wi < sizeof widths / sizeof widths[0]; wi++) {
        pair_cfg_t c;
        pair_cfg_default(&c);
        c.lc.lane_w = widths[wi];
        c.ch[0].lane_w = c.ch[1].lane_w = widths[wi];
        pair_t *p = pair_new(&c);
        pair_step(p); /* now in LASER_ON, cycle t0 */
        uint64_t rows_expected = 0;
        for (uint64_t k = 0; k < 2000; k++) {
            phy_link_debug_t d0, d1;
            phy_link_debug(p->end[0], &d0);
            pair_step(p);
            phy_link_debug(p->end[0], &d1);
            int composed = d1.rows != d0.rows;
            /* a row is composed iff 66*rows < W*(k+1) */
            int want = 66 * rows_expected < (uint64_t)widths[wi] * (k + 1);
            assert_int_equal(composed, want);
            if (widths[wi] == 32) {
                unsigned g = (unsigned)(k % 33);
                assert_int_equal(composed, g % 2 == 0 && g <= 30);
            }
            rows_expected += (uint64_t)want;
        }
        pair_free(p);
    }
}

/* The independent decoder confirms A's lane words bit for bit against the
 * spec, with errors (so replays and retransmissions occur). */
static void run_decoder(int tap_a, int tap_b, double ber, dec_t *d, pair_t **pp)
{
    pair_cfg_t c;
    pair_cfg_default(&c);
    c.offer_pct[0] = 80;
    c.offer_pct[1] = 30;
    c.ch[0].ber = ber;
    c.ch[0].skew_bits[3] = 200;
    c.ch[0].skew_bits[6] = 371;
    pair_t *p = pair_new(&c);
    dec_init(d, &c.lc, c.csr.am_period, tap_a, tap_b);
    p->hook = dec_hook;
    p->hook_ctx = d;
    pair_run(p, 40000);
    *pp = p;
}

static void test_tx_words_vs_spec_decoder(void **state)
{
    (void)state;
    dec_t *d = calloc(1, sizeof *d);
    assert_non_null(d);
    pair_t *p;
    run_decoder(38, 57, 2e-6, d, &p);
    check_clean(p);
    const phy_link_counters_t *ca = phy_link_counters(p->end[0]);
    print_message("decoder: %llu new packets, %llu replays, %llu TS rows, %llu AM rows, %llu data rows; "
                  "A sent %u packets, %u replayed\n",
                  (unsigned long long)d->pkts_ok, (unsigned long long)d->replays_ok, (unsigned long long)d->ts_rows,
                  (unsigned long long)d->am_rows, (unsigned long long)d->data_rows, ca->tx_packets,
                  ca->replayed_packets);
    if (d->errors)
        fail_msg("spec decoder: %llu errors, first: %s", (unsigned long long)d->errors, d->msg);
    assert_true(d->pkts_ok + 1 >= ca->tx_packets); /* the last one may still be in the gearbox */
    assert_true(d->pkts_ok <= ca->tx_packets);
    assert_true(ca->replayed_packets > 0);
    assert_true(d->replays_ok + 1 >= ca->replayed_packets);
    assert_true(d->ts_rows > 0 && d->am_rows > 0);
    pair_free(p);
    free(d);
}

/* Negative: the same decoder with one scrambler tap moved finds the stream
 * wrong at once. */
static void test_decoder_wrong_tap_caught(void **state)
{
    (void)state;
    dec_t *d = calloc(1, sizeof *d);
    assert_non_null(d);
    pair_t *p;
    run_decoder(37, 57, 0, d, &p);
    assert_true(d->errors > 0);
    assert_int_equal(d->pkts_ok, 0);
    pair_free(p);
    free(d);
}

/* Negative: the scoreboard catches a wrong result (it expects flit k+1 where
 * the link delivers flit k). */
static void test_scoreboard_catches_wrong_data(void **state)
{
    (void)state;
    pair_cfg_t c;
    pair_cfg_default(&c);
    c.expect_offset = 1;
    pair_t *p = pair_new(&c);
    pair_run(p, 3000);
    assert_true(p->sb_errors > 0);
    pair_free(p);
}

/* A table of randomised round trips with fixed seeds. */
static void test_round_trip_table(void **state)
{
    (void)state;
    static const unsigned widths[] = {32, 32, 32, 16, 24, 40, 64};
    static const unsigned flitws[] = {256, 256, 64, 128, 512};
    static const double bers[] = {0, 0, 1e-7, 1e-6, 1e-5, 3e-5};
    static const unsigned periods[] = {32, 64, 128, 1024};
    uint64_t rs = 2024;
    int n_runs = (int)(getenv("PHY_ROUNDTRIPS") ? strtol(getenv("PHY_ROUNDTRIPS"), NULL, 10) : 400);
    uint64_t tot_flits = 0, tot_cycles = 0, tot_bad = 0, tot_replays = 0;
    for (int run = 0; run < n_runs; run++) {
        pair_cfg_t c;
        pair_cfg_default(&c);
        c.seed = (uint64_t)run * 7919 + 1;
        c.lc.lanes = 1 + (unsigned)(prng(&rs) % 8);
        c.lc.lane_w = widths[prng(&rs) % 7];
        c.lc.flit_w = flitws[prng(&rs) % 5];
        c.lc.side_w = 1 + (unsigned)(prng(&rs) % 4);
        c.lc.tx_fifo_depth = 8 + (unsigned)(prng(&rs) % 17);
        c.lc.replay_pkts = 1u << (2 + prng(&rs) % 5);
        c.lc.rx_credits = 2 + (unsigned)(prng(&rs) % 40);
        c.csr.am_period = periods[prng(&rs) % 4];
        c.csr.replay_timeout = 600 + (unsigned)(prng(&rs) % 2000);
        c.csr.replay_limit = 20;
        double ber = bers[prng(&rs) % 6];
        for (int d = 0; d < 2; d++) {
            c.ch[d].lanes = c.lc.lanes;
            c.ch[d].lane_w = c.lc.lane_w;
            c.ch[d].latency_cycles = (unsigned)(prng(&rs) % 40);
            c.ch[d].ber = ber;
            c.ch[d].seed = prng(&rs);
            if (prng(&rs) % 5 == 0) {
                c.ch[d].burst_rate = 2e-6;
                c.ch[d].burst_len_mean = 20;
            }
            for (unsigned i = 0; i < c.lc.lanes; i++)
                /* up to 16 cycles, within the 15-block (990-bit) limit of spec 4.7 */
                c.ch[d].skew_bits[i] = (unsigned)(prng(&rs) % (16 * c.lc.lane_w < 960 ? 16 * c.lc.lane_w + 1 : 961));
            c.offer_pct[d] = 5 + (int)(prng(&rs) % 96);
            c.ready_pct[d] = 20 + (int)(prng(&rs) % 81);
        }
        uint64_t want = 300 + prng(&rs) % 700;
        c.limit[0] = c.limit[1] = want;
        pair_t *p = pair_new(&c);
        int ok = pair_run_until_delivered(p, want, 400000);
        char what[256];
        snprintf(what, sizeof what,
                 "run %d: L=%u W=%u FlitW=%u SideW=%u M=%u ber=%g offer=%d/%d ready=%d/%d: A %s B %s, delivered "
                 "%llu/%llu of %llu",
                 run, c.lc.lanes, c.lc.lane_w, c.lc.flit_w, c.lc.side_w, c.csr.am_period, ber, c.offer_pct[0],
                 c.offer_pct[1], c.ready_pct[0], c.ready_pct[1], phy_state_name(st(p, 0)), phy_state_name(st(p, 1)),
                 (unsigned long long)p->recv[0], (unsigned long long)p->recv[1], (unsigned long long)want);
        if (p->sb_errors)
            fail_msg("%s: scoreboard: %s", what, p->sb_msg);
        if (!ok)
            fail_msg("%s: not all delivered", what);
        for (int d = 0; d < 2; d++) {
            const phy_link_counters_t *cn = phy_link_counters(p->end[d]);
            if (cn->link_downs)
                fail_msg("%s: link went down", what);
            tot_bad += cn->bad_packets;
            tot_replays += cn->replays;
            /* counters agree with the scoreboard */
            assert_int_equal(cn->tx_flits, p->sent[d]);
        }
        tot_flits += p->recv[0] + p->recv[1];
        tot_cycles += p->cycle;
        pair_free(p);
    }
    print_message("round trips: %d runs, %llu flits delivered exactly once in order, %llu cycles, %llu bad packets "
                  "recovered, %llu replays\n",
                  n_runs, (unsigned long long)tot_flits, (unsigned long long)tot_cycles, (unsigned long long)tot_bad,
                  (unsigned long long)tot_replays);
}

/* A second table: traffic in bursts with long gaps (the link sleeps and wakes
 * many times), random lane losses and restores, errors; still exactly once. */
static void test_sleep_and_loss_table(void **state)
{
    (void)state;
    uint64_t rs = 99;
    int n_runs = (int)(getenv("PHY_SOAK") ? strtol(getenv("PHY_SOAK"), NULL, 10) : 60);
    uint64_t tot_flits = 0, tot_idle = 0, tot_retrain = 0, tot_cycles = 0;
    for (int run = 0; run < n_runs; run++) {
        pair_cfg_t c;
        pair_cfg_default(&c);
        c.seed = (uint64_t)run * 31 + 5;
        c.csr.am_period = 32 + (unsigned)(prng(&rs) % 64);
        c.csr.idle_timeout = 100 + (uint32_t)(prng(&rs) % 400);
        c.csr.laser_settle = (unsigned)(prng(&rs) % 50);
        c.csr.replay_timeout = 800;
        c.csr.replay_limit = 30;
        c.csr.train_timeout = 100000;
        c.lc.lanes = 2 + (unsigned)(prng(&rs) % 7);
        double ber = prng(&rs) % 2 ? 1e-6 : 0;
        /* at most one lane number is ever lost (in one or both directions), so
         * a common lane always survives; without one the link rightly goes
         * DOWN (test_lane_loss_retrain covers the intersection rule) */
        unsigned ln = (unsigned)(prng(&rs) % c.lc.lanes);
        for (int d = 0; d < 2; d++) {
            c.ch[d].lanes = c.lc.lanes;
            c.ch[d].latency_cycles = (unsigned)(prng(&rs) % 30);
            c.ch[d].ber = ber;
            c.ch[d].seed = prng(&rs);
            for (unsigned i = 0; i < c.lc.lanes; i++)
                c.ch[d].skew_bits[i] = (unsigned)(prng(&rs) % 400);
            if (prng(&rs) % 3 == 0) { /* the lane lost for a while (maybe for good) */
                c.ch[d].loss_cycle[ln] = 2000 + prng(&rs) % 30000;
                c.ch[d].restore_cycle[ln] = prng(&rs) % 2 ? CH_NEVER : c.ch[d].loss_cycle[ln] + prng(&rs) % 5000;
            }
        }
        pair_t *p = pair_new(&c);
        /* bursts: on for a while, then silent long enough to sleep */
        for (int burst = 0; burst < 6; burst++) {
            int on = (int)(prng(&rs) % 3000), off = 1000 + (int)(prng(&rs) % 4000);
            p->c.offer_pct[0] = 10 + (int)(prng(&rs) % 90);
            p->c.offer_pct[1] = (int)(prng(&rs) % 60);
            pair_run(p, (uint64_t)on);
            p->c.offer_pct[0] = p->c.offer_pct[1] = 0;
            pair_run(p, (uint64_t)off);
        }
        p->c.limit[0] = p->sent[0];
        p->c.limit[1] = p->sent[1];
        int ok = pair_run_until_delivered(p, UINT64_MAX, 200000);
        if (p->sb_errors)
            fail_msg("sleep/loss run %d: scoreboard: %s", run, p->sb_msg);
        if (!ok)
            fail_msg("sleep/loss run %d (L=%u): not all delivered: %llu/%llu %llu/%llu, states %s %s", run, c.lc.lanes,
                     (unsigned long long)p->recv[0], (unsigned long long)p->sent[0], (unsigned long long)p->recv[1],
                     (unsigned long long)p->sent[1], phy_state_name(st(p, 0)), phy_state_name(st(p, 1)));
        for (int d = 0; d < 2; d++) {
            const phy_link_counters_t *cn = phy_link_counters(p->end[d]);
            if (cn->link_downs)
                fail_msg("sleep/loss run %d: end %d went down", run, d);
            tot_idle += cn->idle_entries;
            tot_retrain += cn->retrains;
        }
        tot_flits += p->recv[0] + p->recv[1];
        tot_cycles += p->cycle;
        pair_free(p);
    }
    print_message("sleep/loss table: %d runs, %llu flits exactly once, %llu idle entries, %llu retrains, %llu cycles\n",
                  n_runs, (unsigned long long)tot_flits, (unsigned long long)tot_idle, (unsigned long long)tot_retrain,
                  (unsigned long long)tot_cycles);
    assert_true(tot_idle > (uint64_t)n_runs);
    assert_true(tot_retrain > 0);
}

/* Deskew at the skew the brief requires (16 cycles) and near the limit of
 * spec 4.7 (15 blocks = 30.9 cycles at W = 32); beyond it, no link. */
static void run_skew(unsigned skew_cycles_max, int expect_up)
{
    pair_cfg_t c;
    pair_cfg_default(&c);
    c.limit[0] = c.limit[1] = 2000;
    for (int d = 0; d < 2; d++)
        for (unsigned i = 0; i < 8; i++) /* lane 0 fastest, lane 7 slowest, bit offsets in between */
            c.ch[d].skew_bits[i] = i == 7 ? skew_cycles_max * 32 : (unsigned)(i * skew_cycles_max * 32 / 7 + i * 3);
    pair_t *p = pair_new(&c);
    int ok = pair_run_until_delivered(p, 2000, 60000);
    check_clean(p);
    if (expect_up) {
        assert_true(ok);
        assert_int_equal(phy_link_counters(p->end[0])->retrains, 0);
    } else {
        assert_false(ok);
        assert_int_equal(p->recv[0], 0);
        assert_int_equal(st(p, 1), PHY_ST_DESKEW);
    }
    pair_free(p);
}

static void test_deskew_max_skew(void **state)
{
    (void)state;
    run_skew(16, 1);
    run_skew(28, 1);
}

static void test_deskew_beyond_limit(void **state)
{
    (void)state;
    run_skew(34, 0);
}

/* Negative: ends with different marker periods never deskew. */
static void test_marker_period_mismatch(void **state)
{
    (void)state;
    pair_cfg_t c;
    pair_cfg_default(&c);
    pair_t *p = pair_new(&c);
    phy_link_csr_t csr = c.csr;
    csr.am_period = 96;
    assert_int_equal(phy_link_set_csr(p->end[1], &csr, NULL, 0), 0);
    pair_run(p, 30000);
    assert_int_not_equal(st(p, 0), PHY_ST_ACTIVE);
    assert_int_not_equal(st(p, 1), PHY_ST_ACTIVE);
    assert_int_equal(p->recv[0] + p->recv[1], 0);
    pair_free(p);
}

/* Payload efficiency bound of spec 4.13 against a long measured run. */
static double bound_flits_per_cycle(unsigned L, unsigned W, unsigned M, unsigned B, double a)
{
    /* payload bits per cycle L*W*(64/66)*(1-1/M)*(8B/(8B+2+a)), over 64B bits per flit */
    double bits = L * W * (64.0 / 66.0) * (1.0 - 1.0 / M) * (8.0 * B / (8.0 * B + 2.0 + a));
    return bits / (64.0 * B);
}

static void test_efficiency_bound(void **state)
{
    (void)state;
    static const unsigned Ms[] = {4096, 64};
    static const unsigned Bs[] = {4, 8};
    for (int k = 0; k < 2; k++) {
        pair_cfg_t c;
        pair_cfg_default(&c);
        c.csr.am_period = Ms[k];
        c.lc.flit_w = 64 * Bs[k];
        c.offer_pct[1] = 0; /* one direction: its ACKs ride the idle reverse direction */
        pair_t *p = pair_new(&c);
        pair_run(p, 25000); /* bring-up needs two marker periods (M = 4096 rows ~ 8448 cycles) */
        assert_int_equal(st(p, 0), PHY_ST_ACTIVE);
        uint64_t r0 = p->recv[0], c0 = p->cycle;
        pair_run(p, 300000);
        double meas = (double)(p->recv[0] - r0) / (double)(p->cycle - c0);
        double bound = bound_flits_per_cycle(8, 32, Ms[k], Bs[k], 0);
        /* closed forms of spec 4.13 */
        double alt = (16.0 / 33.0) * 8 * (1.0 - 1.0 / Ms[k]) / (Bs[k] + 2.0 / 8.0);
        assert_true(bound - alt < 1e-12 && alt - bound < 1e-12);
        print_message("efficiency M=%u FlitW=%u: measured %.5f flits/cycle = %.2f Gb/s, bound %.5f = %.2f Gb/s "
                      "(%.3f%%)\n",
                      Ms[k], 64 * Bs[k], meas, meas * 64 * Bs[k], bound, bound * 64 * Bs[k], 100.0 * meas / bound);
        assert_true(meas <= bound * 1.0005);
        assert_true(meas >= bound * 0.998);
        check_clean(p);
        assert_int_equal(phy_link_counters(p->end[0])->replays, 0);
        pair_free(p);
    }
    /* the headline number of spec 4.13 */
    double gbps = bound_flits_per_cycle(8, 32, 4096, 4, 0) * 256;
    assert_true(gbps > 233.57 && gbps < 233.59);
    double raw = 8 * 32 * 64.0 / 66.0;
    assert_true(raw > 248.23 && raw < 248.25);

    /* both directions loaded: between a = 0 and a = 1/2 ACK blocks per packet */
    pair_cfg_t c;
    pair_cfg_default(&c);
    c.csr.am_period = 4096;
    pair_t *p = pair_new(&c);
    pair_run(p, 25000);
    assert_int_equal(st(p, 0), PHY_ST_ACTIVE);
    uint64_t r0 = p->recv[0], r1 = p->recv[1], c0 = p->cycle;
    pair_run(p, 200000);
    double m0 = (double)(p->recv[0] - r0) / (double)(p->cycle - c0);
    double m1 = (double)(p->recv[1] - r1) / (double)(p->cycle - c0);
    double b0 = bound_flits_per_cycle(8, 32, 4096, 4, 0), bq = bound_flits_per_cycle(8, 32, 4096, 4, 0.25),
           bh = bound_flits_per_cycle(8, 32, 4096, 4, 0.5);
    print_message("bidirectional: %.5f and %.5f flits/cycle; bounds a=0 %.5f, a=1/4 %.5f, a=1/2 %.5f\n", m0, m1, b0, bq,
                  bh);
    assert_true(m0 <= b0 && m1 <= b0);
    assert_true(m0 >= bh * 0.998 && m1 >= bh * 0.998);
    check_clean(p);
    pair_free(p);
}

/* Lane loss in ACTIVE: both ends retrain onto the 7 surviving lanes; data in
 * flight is replayed, nothing lost or duplicated. */
static void test_lane_loss_retrain(void **state)
{
    (void)state;
    pair_cfg_t c;
    pair_cfg_default(&c);
    c.ch[0].loss_cycle[3] = 8000; /* A->B lane 3 goes dark for good */
    pair_t *p = pair_new(&c);
    pair_run(p, 7990);
    assert_int_equal(st(p, 0), PHY_ST_ACTIVE);
    uint64_t before = p->recv[0];
    pair_run(p, 12000);
    check_clean(p);
    for (int d = 0; d < 2; d++) {
        phy_link_out_t o;
        phy_link_outputs(p->end[d], &o);
        assert_int_equal(o.state, PHY_ST_ACTIVE);
        assert_int_equal(o.active_mask, 0xF7); /* both agreed: all but lane 3 */
        assert_int_equal(o.laser_on, 0xF7);    /* lane 3 dark in both directions */
        assert_int_equal(phy_link_counters(p->end[d])->retrains, 1);
        assert_int_equal(phy_link_counters(p->end[d])->link_downs, 0);
    }
    assert_true(p->recv[0] > before + 5000);
    /* drain: stop sources, everything sent arrives */
    p->c.limit[0] = p->sent[0];
    p->c.limit[1] = p->sent[1];
    assert_true(pair_run_until_delivered(p, UINT64_MAX, 20000));
    check_clean(p);
    pair_free(p);

    /* losing lanes in both directions at once, different ones: the mask is
     * the intersection */
    pair_cfg_default(&c);
    c.ch[0].loss_cycle[0] = 6000;
    c.ch[1].loss_cycle[5] = 6000;
    c.ch[1].loss_cycle[6] = 6000;
    p = pair_new(&c);
    pair_run(p, 20000);
    check_clean(p);
    phy_link_out_t o;
    phy_link_outputs(p->end[1], &o);
    assert_int_equal(o.state, PHY_ST_ACTIVE);
    assert_int_equal(o.active_mask, 0x9E);
    phy_link_outputs(p->end[0], &o);
    assert_int_equal(o.active_mask, 0x9E);
    p->c.limit[0] = p->sent[0];
    p->c.limit[1] = p->sent[1];
    assert_true(pair_run_until_delivered(p, UINT64_MAX, 20000));
    check_clean(p);
    pair_free(p);
}

/* retrain_i: a forced retrain from ACTIVE brings back a lane that was lost
 * and has recovered (the lane mask is chosen again); data stays exact. */
static void test_forced_retrain(void **state)
{
    (void)state;
    pair_cfg_t c;
    pair_cfg_default(&c);
    c.ch[0].loss_cycle[6] = 5000;
    c.ch[0].restore_cycle[6] = 9000;
    pair_t *p = pair_new(&c);
    pair_run(p, 12000);
    phy_link_out_t o;
    phy_link_outputs(p->end[1], &o);
    assert_int_equal(o.state, PHY_ST_ACTIVE);
    assert_int_equal(o.active_mask, 0xBF); /* lane 6 dropped, stays dark */
    phy_link_pulse_retrain(p->end[0]);
    pair_run(p, 6000);
    for (int d = 0; d < 2; d++) {
        phy_link_outputs(p->end[d], &o);
        assert_int_equal(o.state, PHY_ST_ACTIVE);
        assert_int_equal(o.active_mask, 0xFF);
        assert_int_equal(phy_link_counters(p->end[d])->retrains, 2);
    }
    p->c.limit[0] = p->sent[0];
    p->c.limit[1] = p->sent[1];
    assert_true(pair_run_until_delivered(p, UINT64_MAX, 20000));
    check_clean(p);
    pair_free(p);
}

/* Loss of every lane: both ends report the link down; what was delivered
 * before is correct and in order. */
static void test_all_lanes_lost_down(void **state)
{
    (void)state;
    pair_cfg_t c;
    pair_cfg_default(&c);
    c.csr.train_timeout = 20000;
    for (int i = 0; i < 8; i++)
        c.ch[0].loss_cycle[i] = 6000;
    pair_t *p = pair_new(&c);
    pair_run(p, 60000);
    check_clean(p);
    for (int d = 0; d < 2; d++) {
        assert_int_equal(st(p, d), PHY_ST_DOWN);
        assert_int_equal(phy_link_counters(p->end[d])->link_downs, 1);
        phy_link_out_t o;
        phy_link_outputs(p->end[d], &o);
        assert_int_equal(o.laser_on, 0);
        assert_false(o.tx_ready);
        assert_false(o.link_up);
    }
    /* firmware recovery: enable 0 then 1 on both ends after the fiber is back */
    for (int i = 0; i < 8; i++)
        ch_set_loss(p->ch[0], (unsigned)i, 6000, 60000);
    phy_link_csr_t csr = c.csr;
    csr.enable = 0;
    for (int d = 0; d < 2; d++)
        phy_link_set_csr(p->end[d], &csr, NULL, 0);
    pair_step(p);
    assert_int_equal(st(p, 0), PHY_ST_RESET);
    for (int d = 0; d < 2; d++)
        phy_link_set_csr(p->end[d], &c.csr, NULL, 0);
    pair_run(p, 5000);
    assert_int_equal(st(p, 0), PHY_ST_ACTIVE);
    assert_int_equal(st(p, 1), PHY_ST_ACTIVE);
    pair_free(p);
}

/* Disable in ACTIVE (spec 4.5.2, 4.5.4): the cycle that sees enable_i = 0
 * still loads the on state's lane words and laser flags into the output
 * registers, so they show in the first RESET cycle; the cycle after, the
 * lanes are dark and zero. */
static void test_disable_keeps_last_word(void **state)
{
    (void)state;
    pair_cfg_t c;
    pair_cfg_default(&c);
    pair_t *p = pair_new(&c);
    pair_run(p, 5000);
    assert_int_equal(st(p, 0), PHY_ST_ACTIVE);
    phy_link_csr_t csr = c.csr;
    csr.enable = 0;
    phy_link_set_csr(p->end[0], &csr, NULL, 0);
    pair_step(p);
    assert_int_equal(st(p, 0), PHY_ST_RESET);
    phy_link_out_t o;
    phy_link_outputs(p->end[0], &o);
    assert_int_equal(o.laser_on, 0xFF);
    uint64_t any = 0;
    for (unsigned i = 0; i < 8; i++)
        any |= o.lane_tx[i];
    assert_true(any != 0);
    pair_step(p);
    phy_link_outputs(p->end[0], &o);
    assert_int_equal(o.laser_on, 0);
    for (unsigned i = 0; i < 8; i++)
        assert_true(o.lane_tx[i] == 0);
    pair_free(p);
}

/* A very noisy channel: replays exceed the limit, the link goes DOWN; no
 * corrupted flit is ever delivered (nothing lost silently). */
static void test_replay_limit_down(void **state)
{
    (void)state;
    pair_cfg_t c;
    pair_cfg_default(&c);
    c.csr.replay_limit = 3;
    c.csr.replay_timeout = 500;
    c.csr.train_timeout = 30000;
    pair_t *p = pair_new(&c);
    pair_run(p, 5000);
    assert_int_equal(st(p, 0), PHY_ST_ACTIVE);
    ch_set_ber(p->ch[0], 2e-3);
    pair_run(p, 60000);
    check_clean(p);
    const phy_link_counters_t *ca = phy_link_counters(p->end[0]), *cb = phy_link_counters(p->end[1]);
    print_message("replay limit: A %u replays, %u link-downs; B %u bad packets\n", ca->replays, ca->link_downs,
                  cb->bad_packets);
    assert_int_equal(st(p, 0), PHY_ST_DOWN);
    assert_true(ca->link_downs >= 1);
    assert_true(cb->bad_packets > 0);
    pair_free(p);
}

/* Single corrupted bits: 300 directed one-bit flips at random cycles, lanes and
 * bit positions of the A->B stream under full load. Every flip that hits a
 * packet makes it bad (CRC, sync header or block check), it is NAKed and
 * replayed, and delivery stays exact. */
static void test_single_bit_errors_caught(void **state)
{
    (void)state;
    pair_cfg_t c;
    pair_cfg_default(&c);
    c.offer_pct[1] = 0;
    pair_t *p = pair_new(&c);
    pair_run(p, 5000);
    assert_int_equal(st(p, 0), PHY_ST_ACTIVE);
    const phy_link_counters_t *cb = phy_link_counters(p->end[1]), *ca = phy_link_counters(p->end[0]);
    uint64_t rs = 77;
    unsigned caught = 0;
    for (int trial = 0; trial < 300; trial++) {
        unsigned bad0 = cb->bad_packets;
        unsigned lane = (unsigned)(prng(&rs) % 8), bit = (unsigned)(prng(&rs) % 32);
        ch_inject_next(p->ch[0], lane, 1ull << bit);
        pair_run(p, 200 + prng(&rs) % 200);
        caught += cb->bad_packets > bad0;
        check_clean(p);
    }
    p->c.limit[0] = p->sent[0];
    p->c.limit[1] = p->sent[1];
    assert_true(pair_run_until_delivered(p, UINT64_MAX, 20000));
    check_clean(p);
    print_message("single-bit errors: %u of 300 flips made a packet bad (the rest hit markers or idle/ACK "
                  "blocks), %u replays, %u NAKs, %u retrains\n",
                  caught, ca->replays, cb->naks_sent, cb->retrains);
    /* at full load almost every block belongs to a packet */
    assert_true(caught >= 270);
    assert_int_equal(cb->link_downs, 0);
    assert_int_equal(ca->link_downs, 0);
    pair_free(p);
}

/* ACKs lost on the way back (errors only on B->A, no data errors): the sender
 * recovers by its replay timer, duplicates are discarded and re-acknowledged. */
static void test_replay_timeout_path(void **state)
{
    (void)state;
    pair_cfg_t c;
    pair_cfg_default(&c);
    c.offer_pct[1] = 0;
    c.offer_pct[0] = 2; /* sparse packets: often a packet's own ACK blocks are its only ones */
    c.csr.replay_timeout = 300;
    c.csr.replay_limit = 50;
    c.ch[1].ber = 3e-3; /* about 1 ACK block in 8 is lost */
    pair_t *p = pair_new(&c);
    pair_run(p, 60000);
    check_clean(p);
    const phy_link_counters_t *ca = phy_link_counters(p->end[0]), *cb = phy_link_counters(p->end[1]);
    print_message("ACK loss: A %u replays (%u packets replayed), B %u bad packets, %u NAKs, %u retrains\n", ca->replays,
                  ca->replayed_packets, cb->bad_packets, cb->naks_sent, cb->retrains);
    assert_true(ca->replays > 0);
    assert_int_equal(cb->naks_sent, 0);   /* nothing arrived bad at B: the replays were timeouts */
    assert_int_equal(cb->bad_packets, 0);
    assert_int_equal(ca->link_downs, 0);
    p->c.limit[0] = p->sent[0];
    p->c.limit[1] = p->sent[1];
    assert_true(pair_run_until_delivered(p, UINT64_MAX, 50000));
    check_clean(p);
    pair_free(p);
}

/* Receive backpressure: a consumer that stalls for long stretches loses
 * nothing and causes no replay; the sender is held by credits. */
static void test_backpressure(void **state)
{
    (void)state;
    pair_cfg_t c;
    pair_cfg_default(&c);
    c.ready_pct[1] = 0; /* B's consumer stalls completely */
    pair_t *p = pair_new(&c);
    pair_run(p, 20000);
    phy_link_debug_t db;
    phy_link_debug(p->end[1], &db);
    /* B holds RxCredits packets (of up to 8 flits), A cannot open another */
    phy_link_debug_t da;
    phy_link_debug(p->end[0], &da);
    assert_int_equal((da.tx_n - da.tx_peer_freed) & 0xFF, c.lc.rx_credits);
    assert_int_equal(db.rx_fifo_count, phy_link_counters(p->end[1])->rx_flits);
    assert_true(db.rx_fifo_count <= 8 * c.lc.rx_credits);
    phy_link_out_t oa;
    phy_link_outputs(p->end[0], &oa);
    assert_false(oa.tx_ready);
    assert_int_equal(phy_link_counters(p->end[0])->replays, 0);
    /* consumer comes back, intermittently */
    p->c.ready_pct[1] = 30;
    pair_run(p, 20000);
    p->c.ready_pct[1] = 100;
    p->c.limit[0] = p->sent[0];
    p->c.limit[1] = p->sent[1];
    assert_true(pair_run_until_delivered(p, UINT64_MAX, 20000));
    check_clean(p);
    assert_int_equal(phy_link_counters(p->end[0])->replays, 0);
    assert_int_equal(phy_link_counters(p->end[1])->bad_packets, 0);
    pair_free(p);
}

/* Low-power IDLE (spec 4.10): both ends sleep after the idle timeout, lasers
 * off; new traffic wakes both and is delivered. */
static void test_idle_and_wake(void **state)
{
    (void)state;
    pair_cfg_t c;
    pair_cfg_default(&c);
    c.csr.idle_timeout = 400;
    c.limit[0] = 500;
    c.limit[1] = 100;
    pair_t *p = pair_new(&c);
    assert_true(pair_run_until_delivered(p, 500, 20000));
    pair_run(p, 3000);
    for (int d = 0; d < 2; d++) {
        phy_link_out_t o;
        phy_link_outputs(p->end[d], &o);
        assert_int_equal(o.state, PHY_ST_IDLE);
        assert_int_equal(o.laser_on, 0);
        assert_int_equal(phy_link_counters(p->end[d])->idle_entries, 1);
    }
    uint64_t laser_a = phy_link_counters(p->end[0])->laser_cycles[0];
    pair_run(p, 1000);
    assert_true(phy_link_counters(p->end[0])->laser_cycles[0] == laser_a); /* dark while idle */
    /* wake: A gets traffic again */
    p->c.limit[0] = 1500;
    uint64_t t_wake = p->cycle;
    uint64_t r0 = p->recv[0];
    while (p->recv[0] == r0 && p->cycle < t_wake + 20000)
        pair_step(p);
    assert_true(p->recv[0] > r0);
    print_message("wake-up: first flit delivered %llu cycles after it was offered\n",
                  (unsigned long long)(p->cycle - t_wake));
    /* at least laser settle + 64 blocks of lock at both ends */
    assert_true(p->cycle - t_wake > c.csr.laser_settle + 64 * 66 / 32);
    assert_true(pair_run_until_delivered(p, 1500, 30000));
    check_clean(p);
    for (int d = 0; d < 2; d++)
        assert_int_equal(phy_link_counters(p->end[d])->link_downs, 0);
    pair_free(p);
}

/* Latency of spec 4.11: a single flit on an idle link, accepted in cycle c,
 * is on rx_valid_o at c + 7 + channel latency + the row-cycle wait (0..2),
 * when its whole packet (HDR, B data blocks, TRL) fits in one row. */
static void test_single_flit_latency(void **state)
{
    (void)state;
    pair_cfg_t c;
    pair_cfg_default(&c);
    c.limit[0] = c.limit[1] = 0;
    c.ch[0].latency_cycles = 9;
    pair_t *p = pair_new(&c);
    pair_run(p, 3000);
    assert_int_equal(st(p, 0), PHY_ST_ACTIVE);
    unsigned hist[8] = {0};
    for (int k = 0; k < 200; k++) {
        pair_run(p, 50 + (uint64_t)(k % 37)); /* idle gap, varying gearbox phase */
        p->c.limit[0] = p->sent[0] + 1;
        uint64_t r0 = p->recv[0], t_acc = UINT64_MAX;
        while (p->recv[0] == r0) {
            uint64_t s0 = p->sent[0];
            uint64_t cyc = p->cycle;
            phy_link_out_t ob;
            phy_link_outputs(p->end[1], &ob);
            if (ob.rx_valid && t_acc != UINT64_MAX) {
                uint64_t lat = cyc - t_acc;
                assert_true(lat >= 7 + 9 && lat <= 9 + 9);
                hist[lat - 16]++;
            }
            pair_step(p);
            if (p->sent[0] != s0)
                t_acc = cyc;
            assert_true(p->cycle < 1000000);
        }
    }
    check_clean(p);
    print_message("single-flit latency (accept -> rx_valid), channel 9 cycles: 16: %u, 17: %u, 18: %u\n", hist[0],
                  hist[1], hist[2]);
    assert_true(hist[0] > 0 && hist[1] > 0 && hist[2] > 0);
    assert_int_equal(hist[0] + hist[1] + hist[2], 200);
    pair_free(p);
}

/* Same seeds, same lane words: the model is deterministic. */
static uint64_t lane_hash;
static void hash_hook(void *ctx, const phy_link_out_t *a, uint64_t cycle)
{
    (void)ctx;
    for (int i = 0; i < 8; i++)
        lane_hash = mix(lane_hash, a->lane_tx[i], cycle + (uint64_t)a->laser_on);
}

static void test_deterministic(void **state)
{
    (void)state;
    uint64_t h[2];
    for (int k = 0; k < 2; k++) {
        pair_cfg_t c;
        pair_cfg_default(&c);
        c.ch[0].ber = 1e-5;
        c.offer_pct[0] = 70;
        pair_t *p = pair_new(&c);
        lane_hash = 0;
        p->hook = hash_hook;
        pair_run(p, 20000);
        h[k] = lane_hash;
        pair_free(p);
    }
    assert_true(h[0] == h[1]);
}

/* Counters of spec 4.12. */
static void test_counters(void **state)
{
    (void)state;
    pair_cfg_t c;
    pair_cfg_default(&c);
    c.csr.heater_code[2] = 1000;
    pair_t *p = pair_new(&c);
    pair_run(p, 10000);
    const phy_link_counters_t *ca = phy_link_counters(p->end[0]);
    phy_link_debug_t db;
    phy_link_debug(p->end[0], &db);
    /* every row of every lit lane is 66 bits; lanes were lit in all rows */
    for (int i = 0; i < 8; i++)
        assert_true(ca->bits_sent[i] == 66 * db.rows);
    /* lasers on from the cycle after LASER_ON entry (cycle 1) */
    assert_true(ca->laser_cycles[0] == p->cycle - 2);
    /* heater integral: code 1000 from cycle 1 on (registered once) */
    assert_true(ca->heater_integral[2] == 1000ull * (p->cycle - 1));
    assert_true(ca->heater_integral[1] == 0);
    assert_int_equal(ca->tx_flits + db.tx_fifo_count, p->sent[0]);
    phy_link_debug(p->end[1], &db);
    assert_int_equal(phy_link_counters(p->end[1])->rx_flits, p->recv[0] + db.rx_fifo_count);
    pair_free(p);
}

/* Configuration and CSR errors are reported with the field name. */
static void test_config_errors(void **state)
{
    (void)state;
    char err[200];
    phy_link_cfg_t c;
    struct {
        unsigned *f;
        unsigned v;
        const char *name;
    } bad[] = {
        {&c.lanes, 0, "lanes"},           {&c.lanes, 9, "lanes"},
        {&c.lane_w, 7, "lane_w"},         {&c.lane_w, 65, "lane_w"},
        {&c.flit_w, 100, "flit_w"},       {&c.flit_w, 576, "flit_w"},
        {&c.side_w, 0, "side_w"},         {&c.side_w, 5, "side_w"},
        {&c.tx_fifo_depth, 7, "tx_fifo_depth"}, {&c.replay_pkts, 24, "replay_pkts"},
        {&c.replay_pkts, 128, "replay_pkts"},   {&c.rx_credits, 0, "rx_credits"},
        {&c.test_scr_tap, 58, "test_scr_tap"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        phy_link_cfg_default(&c);
        *bad[k].f = bad[k].v;
        err[0] = 0;
        assert_null(phy_link_new(&c, err, sizeof err));
        assert_non_null(strstr(err, bad[k].name));
    }
    assert_int_equal(phy_link_cfg_check(NULL, err, sizeof err), -1);
    phy_link_cfg_default(&c);
    phy_link_t *h = phy_link_new(&c, err, sizeof err);
    assert_non_null(h);
    phy_link_csr_t csr;
    phy_link_csr_default(&csr);
    csr.am_period = 31;
    assert_int_equal(phy_link_set_csr(h, &csr, err, sizeof err), -1);
    assert_non_null(strstr(err, "am_period"));
    phy_link_csr_default(&csr);
    csr.heater_code[3] = 5000;
    assert_int_equal(phy_link_set_csr(h, &csr, err, sizeof err), -1);
    assert_non_null(strstr(err, "heater_code[3]"));
    phy_link_csr_default(&csr);
    csr.replay_limit = 256;
    assert_int_equal(phy_link_set_csr(h, &csr, err, sizeof err), -1);
    assert_non_null(strstr(err, "replay_limit"));
    assert_int_equal(phy_link_set_csr(h, NULL, err, sizeof err), -1);
    phy_link_csr_t back;
    phy_link_get_csr(h, &back);
    assert_int_equal(back.am_period, 4096); /* nothing changed */
    phy_link_free(h);
    phy_link_free(NULL);
    assert_string_equal(phy_state_name(PHY_ST_DESKEW), "DESKEW");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bringup),
        cmocka_unit_test(test_row_cycles),
        cmocka_unit_test(test_tx_words_vs_spec_decoder),
        cmocka_unit_test(test_decoder_wrong_tap_caught),
        cmocka_unit_test(test_scoreboard_catches_wrong_data),
        cmocka_unit_test(test_round_trip_table),
        cmocka_unit_test(test_sleep_and_loss_table),
        cmocka_unit_test(test_deskew_max_skew),
        cmocka_unit_test(test_deskew_beyond_limit),
        cmocka_unit_test(test_marker_period_mismatch),
        cmocka_unit_test(test_efficiency_bound),
        cmocka_unit_test(test_lane_loss_retrain),
        cmocka_unit_test(test_forced_retrain),
        cmocka_unit_test(test_all_lanes_lost_down),
        cmocka_unit_test(test_disable_keeps_last_word),
        cmocka_unit_test(test_replay_limit_down),
        cmocka_unit_test(test_single_bit_errors_caught),
        cmocka_unit_test(test_replay_timeout_path),
        cmocka_unit_test(test_backpressure),
        cmocka_unit_test(test_idle_and_wake),
        cmocka_unit_test(test_single_flit_latency),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_counters),
        cmocka_unit_test(test_config_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
