/* Two Verilated optile_phy instances joined lane to lane in C (docs/spec.md
 * section 4): lane_tx_o of one end reaches lane_rx_i of the other after a
 * per-lane delay of 1 + skew cycles. Firmware's part (enable, wait for
 * RING_TUNE, rings_locked) is played here. Checks bring-up to ACTIVE,
 * random traffic both ways with valid/ready backpressure (every flit exactly
 * once, in order, uncorrupted, with its sideband), replays under bit errors
 * on one lane, retraining onto 7 lanes when a lane dies, the BER-0 payload
 * efficiency against the 4.13 bound, and that the scoreboard itself catches
 * corrupted, duplicated and lost flits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "channel/channel.h"
#include "phy/phy_dut.h"

enum { L = PHY_DUT_LANES, FW = PHY_DUT_FLIT_WORDS, RING = 64 };

/* ---- deterministic flit contents ------------------------------------------------- */

/* Flit number idx of direction dir: word 0 = idx, word 1 = dir, the rest
 * pseudo-random; a pseudo-random 4-bit sideband. */
static void flit_of(unsigned dir, uint32_t idx, uint32_t w[FW], uint32_t *side) {
  uint64_t s = ((uint64_t)dir << 32) ^ idx ^ 0x0971e5eedull;
  w[0] = idx;
  w[1] = dir;
  for (unsigned j = 2; j < FW; j += 2) {
    uint64_t r = ch_splitmix64(&s);
    w[j] = (uint32_t)r;
    w[j + 1] = (uint32_t)(r >> 32);
  }
  *side = (uint32_t)ch_splitmix64(&s) & ((1u << PHY_DUT_SIDE_W) - 1);
}

/* ---- scoreboard: one per direction, checks what the receiving end delivers ---- */

struct sb {
  unsigned dir;
  uint32_t expect;   /* index of the next flit that must arrive */
  uint32_t errors;
  uint32_t first_bad; /* expected index at the first error */
  char msg[256];
};

static void sb_init(struct sb *s, unsigned dir) {
  memset(s, 0, sizeof *s);
  s->dir = dir;
}

/* Returns 0 if the delivered flit is the next one expected, else -1 with a
 * message naming the expected and the received flit. */
static int sb_check(struct sb *s, uint64_t cycle, const uint32_t w[FW], uint32_t side) {
  uint32_t ew[FW], eside;
  flit_of(s->dir, s->expect, ew, &eside);
  int ok = memcmp(ew, w, sizeof ew) == 0 && eside == side;
  if (!ok) {
    unsigned word = 0;
    while (word < FW && ew[word] == w[word]) word++;
    if (s->errors == 0) {
      s->first_bad = s->expect;
      snprintf(s->msg, sizeof s->msg,
               "dir %u cycle %llu: expected flit %u (side %x), got flit field %u (side %x)%s%u",
               s->dir, (unsigned long long)cycle, s->expect, eside, w[0], side,
               word < FW ? ", first differing word " : ", words equal", word < FW ? word : 0);
    }
    s->errors++;
  }
  s->expect++;
  return ok ? 0 : -1;
}

/* ---- the link ------------------------------------------------------------------- */

struct src {
  uint32_t next;     /* next flit index to offer */
  uint32_t limit;    /* flits to send in total */
  unsigned p_valid;  /* percent */
  int holding;       /* tx_valid is up with flit `next` */
};

struct link {
  phy_dut *end[2];            /* 0 = A, 1 = B; direction d goes from end d to end 1-d */
  unsigned delay[2][L];       /* cycles, >= 1 */
  uint32_t ring[2][L][RING];
  uint64_t t;
  uint64_t rng;
  struct src src[2];
  unsigned p_ready[2];        /* percent, receiving end */
  struct sb sb[2];
  /* faults, applied to what the receiving end of direction d sees */
  uint32_t kill_mask[2];       /* lanes whose received words are forced to 0 */
  uint64_t kill_from[2];
  int flip_lane[2];
  uint64_t flip_from[2], flip_to[2];
  unsigned flip_every[2];
  uint64_t flips[2];
  /* negative-test hooks: tamper with delivered flit number n of direction 0 */
  int64_t corrupt_n, dup_n, drop_n;
  uint64_t delivered[2];
};

static unsigned rnd(struct link *k, unsigned n) { return (unsigned)(ch_splitmix64(&k->rng) % n); }

static void link_init(struct link *k, uint64_t seed, unsigned max_skew, unsigned am_period) {
  memset(k, 0, sizeof *k);
  k->rng = seed;
  for (int e = 0; e < 2; e++) {
    k->end[e] = phy_dut_new();
    assert_non_null(k->end[e]);
    phy_dut_reset(k->end[e], 4);
    phy_dut_in(k->end[e])->am_period = am_period;
    k->flip_lane[e] = -1;
    sb_init(&k->sb[e], (unsigned)e);
    k->p_ready[e] = 100;
    for (unsigned i = 0; i < L; i++) k->delay[e][i] = 1 + (max_skew ? rnd(k, max_skew + 1) : 0);
  }
  k->corrupt_n = k->dup_n = k->drop_n = -1;
}

static void link_free(struct link *k) {
  for (int e = 0; e < 2; e++) phy_dut_free(k->end[e]);
}

static void deliver(struct link *k, unsigned dir, const struct phy_dut_out *o) {
  uint32_t w[FW];
  memcpy(w, o->rx_flit, sizeof w);
  int64_t n = (int64_t)k->delivered[dir]++;
  if (dir == 0 && n == k->drop_n) return;
  if (dir == 0 && n == k->corrupt_n) w[5] ^= 0x00010000u;
  sb_check(&k->sb[dir], k->t, w, o->rx_side);
  if (dir == 0 && n == k->dup_n) sb_check(&k->sb[dir], k->t, w, o->rx_side);
}

static void link_step(struct link *k) {
  const struct phy_dut_out *o[2] = {phy_dut_out(k->end[0]), phy_dut_out(k->end[1])};
  int accept[2];
  for (unsigned d = 0; d < 2; d++)
    for (unsigned i = 0; i < L; i++) k->ring[d][i][k->t % RING] = o[d]->lane_tx[i];
  for (unsigned d = 0; d < 2; d++) {
    struct phy_dut_in *in = phy_dut_in(k->end[1 - d]);
    for (unsigned i = 0; i < L; i++) {
      unsigned dl = k->delay[d][i];
      uint32_t w = k->t >= dl ? k->ring[d][i][(k->t - dl) % RING] : 0;
      if (((k->kill_mask[d] >> i) & 1u) && k->t >= k->kill_from[d]) w = 0;
      if ((int)i == k->flip_lane[d] && k->t >= k->flip_from[d] && k->t < k->flip_to[d] &&
          rnd(k, k->flip_every[d]) == 0) {
        w ^= 1u << rnd(k, 32);
        k->flips[d]++;
      }
      in->lane_rx[i] = w;
    }
  }
  for (unsigned e = 0; e < 2; e++) {
    struct phy_dut_in *in = phy_dut_in(k->end[e]);
    struct src *s = &k->src[e];
    /* firmware: rings are tuned as soon as the PHY asks */
    if (o[e]->state == PHY_ST_RING_TUNE) in->rings_locked = 1;
    /* router source of direction e */
    if (!s->holding && s->next < s->limit && rnd(k, 100) < s->p_valid) {
      s->holding = 1;
      flit_of(e, s->next, in->tx_flit, &in->tx_side);
    }
    in->tx_valid = s->holding;
    accept[e] = s->holding && o[e]->tx_ready;
    /* router sink of direction 1-e */
    in->rx_ready = rnd(k, 100) < k->p_ready[e];
    if (o[e]->rx_valid && in->rx_ready) deliver(k, 1 - e, o[e]);
  }
  for (unsigned e = 0; e < 2; e++) phy_dut_eval(k->end[e]);
  for (unsigned e = 0; e < 2; e++) phy_dut_clock(k->end[e]);
  for (unsigned e = 0; e < 2; e++)
    if (accept[e]) {
      k->src[e].next++;
      k->src[e].holding = 0;
    }
  k->t++;
}

static int both_active(const struct link *k) {
  return phy_dut_out(k->end[0])->state == PHY_ST_ACTIVE && phy_dut_out(k->end[1])->state == PHY_ST_ACTIVE;
}

/* Run until both ends are ACTIVE; returns the cycles it took or fails. */
static uint64_t run_until_active(struct link *k, uint64_t max_cycles) {
  uint64_t t0 = k->t;
  while (!both_active(k)) {
    if (k->t - t0 > max_cycles)
      fail_msg("link not ACTIVE after %llu cycles: states %u/%u, lock %02x/%02x, deskew %02x/%02x",
               (unsigned long long)max_cycles, phy_dut_out(k->end[0])->state,
               phy_dut_out(k->end[1])->state, phy_dut_out(k->end[0])->lane_lock,
               phy_dut_out(k->end[1])->lane_lock, phy_dut_out(k->end[0])->lane_deskew,
               phy_dut_out(k->end[1])->lane_deskew);
    link_step(k);
  }
  return k->t - t0;
}

static void bring_up(struct link *k) {
  for (int e = 0; e < 2; e++) phy_dut_in(k->end[e])->enable = 1;
  run_until_active(k, 200000);
}

/* Run until every flit of both directions has been delivered. */
static void run_until_delivered(struct link *k, uint64_t max_cycles) {
  uint64_t t0 = k->t;
  while (k->sb[0].expect < k->src[0].limit || k->sb[1].expect < k->src[1].limit) {
    if (k->t - t0 > max_cycles)
      fail_msg("not delivered after %llu cycles: dir0 %u/%u dir1 %u/%u, states %u/%u",
               (unsigned long long)max_cycles, k->sb[0].expect, k->src[0].limit, k->sb[1].expect,
               k->src[1].limit, phy_dut_out(k->end[0])->state, phy_dut_out(k->end[1])->state);
    link_step(k);
  }
  /* a little more: nothing extra may arrive */
  for (int i = 0; i < 2000; i++) link_step(k);
}

static void assert_scoreboards_clean(const struct link *k) {
  for (int d = 0; d < 2; d++) {
    if (k->sb[d].errors) fail_msg("%u scoreboard errors, first: %s", k->sb[d].errors, k->sb[d].msg);
    assert_int_equal(k->sb[d].expect, k->src[d].limit);
    assert_int_equal(k->delivered[d], k->src[d].limit);
  }
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}


/* ---- an independent, bit-serial reading of one end's lane words ------------------- */

/* CRC-32 register update, bit by bit (4.4): reflected 0xEDB88320. */
static uint32_t crc32_bits(uint32_t crc, const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    crc ^= p[i];
    for (int b = 0; b < 8; b++) crc = (crc & 1u) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
  }
  return crc;
}

static uint32_t crc32_of(const uint8_t *p, size_t n) { return ~crc32_bits(0xffffffffu, p, n); }

static void le64(uint64_t v, uint8_t b[8]) {
  for (int i = 0; i < 8; i++) b[i] = (uint8_t)(v >> (8 * i));
}

struct lane_rec {
  uint32_t *w[L];
  size_t n, cap;
};

static void rec_push(struct lane_rec *r, const struct phy_dut_out *o) {
  if (r->n == r->cap) {
    r->cap = r->cap ? 2 * r->cap : 4096;
    for (unsigned i = 0; i < L; i++) {
      r->w[i] = realloc(r->w[i], r->cap * sizeof(uint32_t));
      assert_non_null(r->w[i]);
    }
  }
  for (unsigned i = 0; i < L; i++) r->w[i][r->n] = o->lane_tx[i];
  r->n++;
}

struct decode {
  unsigned ts_rows[3];     /* TS rows seen per phase */
  unsigned slot_rows, am_rows, packets, flits, acks, idles;
  int in_pkt;
  unsigned n, left, seq, next_flit;
  uint32_t crc;
};

/* One block of the ACTIVE block stream (4.5.5) of direction 0. */
static void decode_block(struct decode *d, unsigned sh, uint64_t p) {
  uint8_t b[8];
  le64(p, b);
  if (d->in_pkt && d->left) {
    assert_int_equal(sh, 0x2); /* data: b0 = 0, b1 = 1 */
    unsigned k = d->n * 4 - d->left;
    uint32_t w[FW], side;
    flit_of(0, d->next_flit + k / 4, w, &side);
    uint64_t want = w[2 * (k % 4)] | ((uint64_t)w[2 * (k % 4) + 1] << 32);
    if (p != want) fail_msg("flit %u word %u: %016llx != %016llx", d->next_flit + k / 4, k % 4,
                            (unsigned long long)p, (unsigned long long)want);
    d->crc = crc32_bits(d->crc, b, 8);
    d->left--;
    return;
  }
  assert_int_equal(sh, 0x1); /* control: b0 = 1, b1 = 0 */
  if (d->in_pkt) {
    assert_int_equal(b[0], 0xE1);
    assert_true((p >> 40) == 0);
    assert_int_equal((uint32_t)(p >> 8), ~d->crc);
    d->in_pkt = 0;
    d->packets++;
    d->flits += d->n;
    d->next_flit += d->n;
    return;
  }
  switch (b[0]) {
  case 0x1E:
    assert_true((p >> 8) == 0);
    d->idles++;
    break;
  case 0x4B:
    assert_true(((p >> 8) & 3) == 1 || ((p >> 8) & 3) == 2);
    assert_true(((p >> 10) & 0x3f) == 0);
    assert_int_equal((uint32_t)(p >> 32), crc32_of(b, 4));
    d->acks++;
    break;
  case 0x78: {
    assert_true(((p >> 19) & 0x1fff) == 0);
    assert_int_equal((p >> 8) & 0xff, d->seq & 0xff);
    d->n = (unsigned)((p >> 16) & 7) + 1;
    for (unsigned k = 0; k < 8; k++) {
      uint32_t w[FW], side = 0;
      if (k < d->n) flit_of(0, d->next_flit + k, w, &side);
      assert_int_equal((p >> (32 + 4 * k)) & 0xf, side);
    }
    d->crc = crc32_bits(0xffffffffu, b, 8);
    d->left = d->n * 4;
    d->in_pkt = 1;
    d->seq++;
    break;
  }
  default:
    fail_msg("unexpected control block type %02x", b[0]);
  }
}

/* Decode recorded lane words (word 0 = first gearbox word after entry to
 * LASER_ON) with the spec's bit-serial descrambler. */
static void decode_lanes(const struct lane_rec *r, unsigned M, struct decode *d) {
  uint8_t sc[L][58];
  memset(sc, 1, sizeof sc);
  memset(d, 0, sizeof *d);
  size_t rows = r->n * 32 / 66;
  for (size_t row = 0; row < rows; row++) {
    unsigned sh[L];
    uint64_t pay[L];
    int am = (row % M) == 0, ts = 1;
    for (unsigned i = 0; i < L; i++) {
      uint8_t bit[66];
      for (unsigned j = 0; j < 66; j++) {
        size_t s = 66 * row + j;
        bit[j] = (uint8_t)((r->w[i][s / 32] >> (s % 32)) & 1u);
      }
      sh[i] = bit[0] | (unsigned)bit[1] << 1;
      uint64_t p = 0;
      for (unsigned m = 0; m < 64; m++) {
        uint8_t s = bit[2 + m];
        if (!am) {
          uint8_t pm = s ^ sc[i][38] ^ sc[i][57];
          memmove(&sc[i][1], &sc[i][0], 57);
          sc[i][0] = s;
          s = pm;
        }
        p |= (uint64_t)s << m;
      }
      pay[i] = p;
      if (am) {
        uint64_t want = (0xC68F21E4A7ull << 24) | ((uint64_t)(uint8_t)~i << 16) | ((uint64_t)i << 8) | 0xD2;
        assert_int_equal(sh[i], 0x1);
        if (p != want) fail_msg("row %zu lane %u: AM %016llx", row, i, (unsigned long long)p);
      }
      if (sh[i] != 0x1 || (p & 0xff) != 0x2D) ts = 0;
    }
    if (am) {
      d->am_rows++;
      continue;
    }
    if (ts && d->slot_rows == 0) {
      unsigned ph = (unsigned)((pay[0] >> 16) & 3);
      assert_true(ph <= 2);
      for (unsigned i = 0; i < L; i++) {
        uint64_t p = pay[i];
        assert_int_equal((p >> 8) & 0xff, i);
        assert_int_equal((p >> 16) & 3, ph);
        assert_true(((p >> 18) & 0x3f) == 0 && (p >> 40) == 0);
        assert_int_equal((p >> 24) & 0xff, ph >= 1 ? 0xff : 0);
        assert_int_equal((p >> 32) & 0xff, ph == 2 ? 0xff : 0);
      }
      /* the phase never goes back during a clean bring-up */
      for (unsigned q = ph + 1; q < 3; q++) assert_int_equal(d->ts_rows[q], 0);
      d->ts_rows[ph]++;
      continue;
    }
    d->slot_rows++;
    for (unsigned i = 0; i < L; i++) decode_block(d, sh[i], pay[i]);
  }
}

/* ---- tests -------------------------------------------------------------------------- */

static void test_bring_up(void **state) {
  (void)state;
  struct link k;
  link_init(&k, 1, 16, 256);
  /* off while disabled: no light, no words */
  for (int i = 0; i < 50; i++) link_step(&k);
  for (int e = 0; e < 2; e++) {
    const struct phy_dut_out *o = phy_dut_out(k.end[e]);
    assert_int_equal(o->state, PHY_ST_RESET);
    assert_int_equal(o->lane_laser_on, 0);
    for (unsigned i = 0; i < L; i++) assert_int_equal(o->lane_tx[i], 0);
    assert_int_equal(o->tx_ready, 0);
    assert_int_equal(o->rx_valid, 0);
  }
  for (int e = 0; e < 2; e++) phy_dut_in(k.end[e])->enable = 1;
  unsigned seen = 0;
  uint64_t t0 = k.t;
  while (!both_active(&k)) {
    seen |= 1u << phy_dut_out(k.end[0])->state;
    assert_true(k.t - t0 < 200000);
    link_step(&k);
  }
  /* A passed through every bring-up state */
  assert_int_equal(seen & 0x1f, 0x1f);
  print_message("bring-up (M = 256, skew up to 16 cycles): %llu cycles\n",
                (unsigned long long)(k.t - t0));
  for (int e = 0; e < 2; e++) {
    const struct phy_dut_out *o = phy_dut_out(k.end[e]);
    struct phy_dut_counters c;
    phy_dut_counters(k.end[e], &c);
    assert_int_equal(o->active_mask, 0xff);
    assert_int_equal(o->lane_lock, 0xff);
    assert_int_equal(o->lane_deskew, 0xff);
    assert_int_equal(o->train_phase, 2);
    assert_true(o->link_up);
    assert_int_equal(o->lane_laser_on, 0xff);
    assert_int_equal(c.retrains, 0);
    assert_int_equal(c.link_downs, 0);
    assert_int_equal(c.rx_errors, 0);
    for (unsigned i = 0; i < L; i++) {
      assert_true(c.laser_cycles[i] > 0);
      assert_int_equal(c.bits_sent[i] % 66, 0);
      assert_int_equal(c.sh_errors[i], 0);
    }
  }
  /* idle link stays up */
  for (int i = 0; i < 5000; i++) link_step(&k);
  assert_true(both_active(&k));
  link_free(&k);
}

static void test_traffic(void **state) {
  (void)state;
  struct link k;
  link_init(&k, 2, 16, 256);
  bring_up(&k);
  for (int e = 0; e < 2; e++) {
    k.src[e].limit = 4000;
    k.src[e].p_valid = 70;
    k.p_ready[e] = 60;
  }
  run_until_delivered(&k, 200000);
  assert_scoreboards_clean(&k);
  for (int e = 0; e < 2; e++) {
    struct phy_dut_counters c, p;
    phy_dut_counters(k.end[e], &c);
    phy_dut_counters(k.end[1 - e], &p);
    assert_int_equal(c.tx_flits, 4000);
    assert_int_equal(p.rx_flits, 4000);
    assert_int_equal(c.tx_packets, p.rx_packets);
    assert_int_equal(c.replays, 0);
    assert_int_equal(c.bad_packets, 0);
    assert_int_equal(c.rx_errors, 0);
    assert_int_equal(c.retrains, 0);
    print_message("end %c: %u packets for 4000 flits, %u ACK blocks sent\n", 'A' + e,
                  c.tx_packets, c.acks_sent);
  }
  assert_true(both_active(&k));
  link_free(&k);
}

static void test_bit_errors(void **state) {
  (void)state;
  struct link k;
  link_init(&k, 3, 8, 256);
  bring_up(&k);
  for (int e = 0; e < 2; e++) {
    k.src[e].limit = 20000;
    k.src[e].p_valid = 90;
    k.p_ready[e] = 90;
  }
  /* A->B lane 3: one flipped bit in about one word of 60, for 20000 cycles */
  k.flip_lane[0] = 3;
  k.flip_from[0] = k.t + 1000;
  k.flip_to[0] = k.t + 21000;
  k.flip_every[0] = 60;
  run_until_delivered(&k, 400000);
  assert_scoreboards_clean(&k);
  struct phy_dut_counters a, b;
  phy_dut_counters(k.end[0], &a);
  phy_dut_counters(k.end[1], &b);
  print_message("%llu bits flipped: B bad packets %u, NAKs %u; A replays %u, replayed packets %u; "
                "B sh_errors[3] %u, lock losses %u, retrains %u/%u\n",
                (unsigned long long)k.flips[0], b.bad_packets, b.naks_sent, a.replays,
                a.replayed_packets, b.sh_errors[3], b.lock_losses[3], a.retrains, b.retrains);
  assert_true(k.flips[0] > 200);
  assert_true(b.bad_packets > 0);
  assert_true(b.naks_sent > 0);
  assert_true(a.replays > 0);
  assert_true(a.replayed_packets > 0);
  assert_int_equal(a.link_downs + b.link_downs, 0);
  assert_true(both_active(&k));
  link_free(&k);
}

static void test_lane_loss(void **state) {
  (void)state;
  struct link k;
  link_init(&k, 4, 16, 256);
  bring_up(&k);
  for (int e = 0; e < 2; e++) {
    k.src[e].limit = 8000;
    k.src[e].p_valid = 80;
    k.p_ready[e] = 80;
  }
  for (int i = 0; i < 3000; i++) link_step(&k);
  assert_true(k.sb[0].expect > 500 && k.sb[0].expect < k.src[0].limit);
  /* B no longer receives lane 5 */
  k.kill_mask[0] = 1u << 5;
  k.kill_from[0] = k.t;
  uint64_t t0 = k.t;
  while (both_active(&k)) {
    assert_true(k.t - t0 < 1000);
    link_step(&k);
  }
  uint64_t took = run_until_active(&k, 200000);
  print_message("lane 5 lost: retrained in %llu cycles\n", (unsigned long long)took);
  run_until_delivered(&k, 400000);
  assert_scoreboards_clean(&k);
  for (int e = 0; e < 2; e++) {
    const struct phy_dut_out *o = phy_dut_out(k.end[e]);
    struct phy_dut_counters c;
    phy_dut_counters(k.end[e], &c);
    assert_int_equal(o->state, PHY_ST_ACTIVE);
    assert_int_equal(o->active_mask, 0xdf);
    assert_int_equal(o->lane_deskew, 0xdf);
    assert_int_equal(o->lane_laser_on, 0xdf);
    assert_true(c.retrains >= 1);
    assert_int_equal(c.link_downs, 0);
  }
  assert_int_equal(phy_dut_out(k.end[1])->lane_lock, 0xdf);
  link_free(&k);
}

static void test_efficiency(void **state) {
  (void)state;
  struct link k;
  link_init(&k, 5, 0, 4096);
  bring_up(&k);
  k.src[0].limit = UINT32_MAX;
  k.src[0].p_valid = 100;
  k.p_ready[1] = 100;
  for (int i = 0; i < 20000; i++) link_step(&k);
  const uint64_t window = 150000;
  uint64_t d0 = k.delivered[0];
  double s0 = now_s();
  for (uint64_t i = 0; i < window; i++) link_step(&k);
  double secs = now_s() - s0;
  double eff = (double)(k.delivered[0] - d0) / (double)window;
  const double M = 4096, B = 4;
  double bound = (16.0 / 33.0) * L * (1 - 1 / M) / (B + 2.0 / 8.0);
  print_message("payload efficiency at BER 0, full load one way: %.5f flits/cycle (%.2f Gb/s); "
                "4.13 bound %.5f (%.2f Gb/s)\n",
                eff, eff * 256, bound, bound * 256);
  print_message("two-PHY link simulation: %.0f cycles/s\n", (double)window / secs);
  if (k.sb[0].errors) fail_msg("%s", k.sb[0].msg);
  assert_true(eff <= bound + 1e-4);
  assert_true(eff >= bound * 0.995);
  link_free(&k);
}


/* Lane words of end A, read bit by bit from the first word after entry to
 * LASER_ON: AMs, the x^58+x^39+1 scrambler, TS blocks of each phase, then
 * the ACTIVE block stream (HDR, data, TRL with CRC-32, ACK with its CRC). */
static void test_lane_words(void **state) {
  (void)state;
  static const uint8_t check[] = "123456789";
  assert_int_equal(crc32_of(check, 9), 0xCBF43926u);
  struct link k;
  struct lane_rec r;
  memset(&r, 0, sizeof r);
  link_init(&k, 7, 16, 64);
  for (int e = 0; e < 2; e++) phy_dut_in(k.end[e])->enable = 1;
  int rec = 0;
  unsigned prev = PHY_ST_RESET;
  while (!both_active(&k) || k.sb[0].expect < 600 || k.sb[1].expect < 600) {
    const struct phy_dut_out *o = phy_dut_out(k.end[0]);
    if (!rec && prev == PHY_ST_LASER_ON) rec = 1;
    prev = o->state;
    if (rec) {
      rec_push(&r, o);
      assert_int_equal(o->lane_laser_on, 0xff);
    }
    if (both_active(&k))
      for (int e = 0; e < 2; e++) {
        k.src[e].limit = 600;
        k.src[e].p_valid = 60;
      }
    assert_true(k.t < 100000);
    link_step(&k);
  }
  assert_scoreboards_clean(&k);
  struct decode d;
  decode_lanes(&r, 64, &d);
  print_message("A's lanes, %zu words each: %u AM rows, TS rows %u/%u/%u (phase 0/1/2), %u slot rows: "
                "%u packets (%u flits), %u ACK, %u IDLE blocks\n",
                r.n, d.am_rows, d.ts_rows[0], d.ts_rows[1], d.ts_rows[2], d.slot_rows, d.packets,
                d.flits, d.acks, d.idles);
  assert_true(d.ts_rows[0] > 0 && d.ts_rows[1] > 0 && d.ts_rows[2] >= 4);
  assert_true(d.am_rows > 0 && d.acks > 0 && d.idles > 0);
  assert_true(d.flits >= 590);
  struct phy_dut_counters c;
  phy_dut_counters(k.end[0], &c);
  for (unsigned i = 0; i < L; i++) {
    /* rows composed = rows whose bits were recorded, give or take the last one or two */
    uint64_t rows = c.bits_sent[i] / 66;
    assert_true(rows >= r.n * 32 / 66 && rows <= r.n * 32 / 66 + 2);
  }
  for (unsigned i = 0; i < L; i++) free(r.w[i]);
  link_free(&k);
}

/* 4.11: on an idle link without skew, a flit accepted in cycle c appears on
 * rx_valid_o at c + 7 + channel latency (1 here) + row-cycle wait (0..2):
 * its HDR goes into the first non-AM row composed from c+1 on, and row r is
 * composed in cycle t0 + floor(66r/32) (t0 = A's first LASER_ON cycle).
 * The offer is swept over all 33 gearbox phases. */
static void test_latency(void **state) {
  (void)state;
  struct link k;
  const unsigned M = 4096;
  link_init(&k, 8, 0, M);
  for (int e = 0; e < 2; e++) phy_dut_in(k.end[e])->enable = 1;
  uint64_t t0 = 0;
  while (!both_active(&k)) {
    if (!t0 && phy_dut_out(k.end[0])->state == PHY_ST_LASER_ON) t0 = k.t;
    assert_true(k.t < 100000);
    link_step(&k);
  }
  for (int i = 0; i < 500; i++) link_step(&k);
  unsigned hist[16] = {0};
  for (unsigned n = 0; n < 66; n++) {
    while ((k.t + 1 - t0) % 33 != n % 33) link_step(&k);
    k.src[0].limit = n + 1;
    k.src[0].p_valid = 100;
    uint64_t c = k.t;
    link_step(&k);
    assert_int_equal(k.src[0].next, n + 1); /* accepted in cycle c */
    /* first non-AM row composed from c+1 on */
    uint64_t r = ((c + 1 - t0) * 32 + 65) / 66;
    while (r % M == 0 || t0 + 66 * r / 32 < c + 1) r++;
    uint64_t want = t0 + 66 * r / 32 + 6 + 1 - c; /* row cycle R: rx_valid at R + 6 + channel */
    while (!phy_dut_out(k.end[1])->rx_valid) {
      assert_true(k.t - c < 20);
      link_step(&k);
    }
    uint64_t lat = k.t - c;
    if (lat != want) fail_msg("flit %u accepted in cycle %llu: latency %llu, 4.11 says %llu", n,
                              (unsigned long long)c, (unsigned long long)lat, (unsigned long long)want);
    hist[lat]++;
    link_step(&k);
  }
  print_message("accept -> rx_valid latency (channel 1 cycle), 66 flits over all gearbox phases: "
                "8: %u, 9: %u, 10: %u cycles\n", hist[8], hist[9], hist[10]);
  assert_int_equal(hist[8], 32);
  assert_int_equal(hist[9], 32);
  assert_int_equal(hist[10], 2);
  assert_scoreboards_clean(&k);
  link_free(&k);
}

/* 4.10: after idle_timeout quiet cycles A asks to sleep, both ends go IDLE
 * with their lasers off; traffic offered at B wakes both, nothing is lost. */
static void test_idle(void **state) {
  (void)state;
  struct link k;
  link_init(&k, 9, 8, 128);
  phy_dut_in(k.end[0])->idle_timeout = 300;
  bring_up(&k);
  for (int e = 0; e < 2; e++) {
    k.src[e].limit = 1500;
    k.src[e].p_valid = 50;
  }
  uint64_t t0 = k.t;
  while (phy_dut_out(k.end[0])->state != PHY_ST_IDLE || phy_dut_out(k.end[1])->state != PHY_ST_IDLE) {
    assert_true(k.t - t0 < 50000);
    link_step(&k);
  }
  assert_int_equal(k.sb[0].expect, 1500);
  assert_int_equal(k.sb[1].expect, 1500);
  struct phy_dut_counters c0, c1;
  link_step(&k); /* lane_laser_on_o is registered: off from the second IDLE cycle */
  phy_dut_counters(k.end[0], &c0);
  for (int i = 0; i < 2000; i++) {
    link_step(&k);
    for (int e = 0; e < 2; e++) {
      const struct phy_dut_out *o = phy_dut_out(k.end[e]);
      assert_int_equal(o->state, PHY_ST_IDLE);
      assert_int_equal(o->lane_laser_on, 0);
      assert_int_equal(o->tx_ready, 0);
    }
  }
  phy_dut_counters(k.end[0], &c1);
  assert_true(c1.laser_cycles[0] == c0.laser_cycles[0]);
  assert_int_equal(c1.idle_entries, 1);
  /* B's router offers a flit: B wakes, A wakes on B's TS blocks */
  k.src[1].limit = 2500;
  uint64_t took = run_until_active(&k, 100000);
  print_message("both IDLE after the quiet period; woke and retrained in %llu cycles\n",
                (unsigned long long)took);
  run_until_delivered(&k, 100000);
  assert_scoreboards_clean(&k);
  for (int e = 0; e < 2; e++) {
    struct phy_dut_counters c;
    phy_dut_counters(k.end[e], &c);
    assert_int_equal(c.link_downs, 0);
    assert_true(c.idle_entries >= 1);
  }
  link_free(&k);
}

/* The scoreboard must report tampered deliveries: a corrupted, a duplicated
 * and a lost flit, each at the flit where it happened. */
static void test_scoreboard_negative(void **state) {
  (void)state;
  for (int kind = 0; kind < 3; kind++) {
    struct link k;
    link_init(&k, 6, 4, 256);
    if (kind == 0) k.corrupt_n = 321;
    if (kind == 1) k.dup_n = 321;
    if (kind == 2) k.drop_n = 321;
    bring_up(&k);
    k.src[0].limit = 1000;
    k.src[0].p_valid = 80;
    uint64_t t0 = k.t;
    while (k.delivered[0] < k.src[0].limit) {
      assert_true(k.t - t0 < 100000);
      link_step(&k);
    }
    assert_true(k.sb[0].errors > 0);
    assert_int_equal(k.sb[0].first_bad, kind == 1 ? 322 : 321);
    print_message("negative %d: %s\n", kind, k.sb[0].msg);
    assert_int_equal(k.sb[1].errors, 0);
    link_free(&k);
  }
  /* and the checker alone */
  struct sb s;
  uint32_t w[FW], side;
  sb_init(&s, 1);
  flit_of(1, 0, w, &side);
  assert_int_equal(sb_check(&s, 0, w, side), 0);
  flit_of(1, 1, w, &side);
  assert_int_equal(sb_check(&s, 0, w, side ^ 1), -1);
  flit_of(1, 2, w, &side);
  w[7] ^= 0x80000000u;
  assert_int_equal(sb_check(&s, 0, w, side), -1);
  assert_int_equal(s.errors, 2);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bring_up),
      cmocka_unit_test(test_traffic),
      cmocka_unit_test(test_bit_errors),
      cmocka_unit_test(test_lane_loss),
      cmocka_unit_test(test_lane_words),
      cmocka_unit_test(test_latency),
      cmocka_unit_test(test_idle),
      cmocka_unit_test(test_efficiency),
      cmocka_unit_test(test_scoreboard_negative),
  };
  /* PHY_TEST=<glob> runs only the matching tests (for debugging) */
  if (getenv("PHY_TEST")) cmocka_set_test_filter(getenv("PHY_TEST"));
  return cmocka_run_group_tests(tests, NULL, NULL);
}
