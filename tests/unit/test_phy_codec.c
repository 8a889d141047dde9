/*
 * test_phy_codec.c - unit tests of the PHY codec primitives (csim/phy/
 * phy_codec.h) against docs/spec.md sections 4.3-4.5.1.
 *
 * Reference values come from published vectors (the CRC-32 check value and
 * the "quick brown fox" vector) or are computed by a different method: a
 * bit-serial CRC written from the polynomial, zlib's crc32 (values noted
 * where used), and a bit-serial scrambler written literally from the spec's
 * `sc` shift-register equations. Negative tests show that each checker
 * catches a deliberately wrong implementation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "phy/phy_codec.h"

/* ---- small deterministic PRNG for test data (splitmix64) -------------------- */

static uint64_t rs;
static uint64_t rnd(void)
{
    uint64_t z = (rs += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* ---- reference CRC: bit-serial, MSB-first polynomial 0x04C11DB7 with explicit
 * bit reversal (a different method from the model's reflected tables) ------ */

static uint32_t rev32(uint32_t v)
{
    uint32_t r = 0;
    for (int i = 0; i < 32; i++)
        r |= ((v >> i) & 1u) << (31 - i);
    return r;
}

static uint32_t crc_ref_poly(const uint8_t *b, size_t n, uint32_t poly, uint32_t init, uint32_t xorout)
{
    uint32_t c = init;
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 8; k++) { /* bits of a byte, LSB first (reflected input) */
            uint32_t bit = (b[i] >> k) & 1u;
            uint32_t top = (c >> 31) ^ bit;
            c <<= 1;
            if (top)
                c ^= poly;
        }
    return rev32(c) ^ xorout; /* reflected output */
}

static uint32_t crc_ref(const uint8_t *b, size_t n) { return crc_ref_poly(b, n, 0x04C11DB7u, 0xFFFFFFFFu, 0xFFFFFFFFu); }

static void test_crc_published(void **state)
{
    (void)state;
    /* the check value of the brief / every CRC catalogue */
    assert_int_equal(phy_crc32("123456789", 9), 0xCBF43926u);
    /* published vector for the IEEE CRC-32 */
    const char *fox = "The quick brown fox jumps over the lazy dog";
    assert_int_equal(phy_crc32(fox, strlen(fox)), 0x414FA339u);
    /* empty message: init ^ final xor */
    assert_int_equal(phy_crc32(NULL, 0), 0x00000000u);
    /* computed by zlib.crc32 (independent implementation) */
    uint8_t z[32], f[32], seq[256];
    memset(z, 0, sizeof z);
    memset(f, 0xFF, sizeof f);
    for (int i = 0; i < 256; i++)
        seq[i] = (uint8_t)i;
    assert_int_equal(phy_crc32(z, 32), 0x190A55ADu);
    assert_int_equal(phy_crc32(f, 32), 0xFF6CAB0Bu);
    assert_int_equal(phy_crc32(seq, 256), 0x29058C73u);
    /* the serial reference agrees with the published values too */
    assert_int_equal(crc_ref((const uint8_t *)"123456789", 9), 0xCBF43926u);
}

static void test_crc_vs_reference(void **state)
{
    (void)state;
    rs = 11;
    uint8_t buf[300];
    for (int trial = 0; trial < 400; trial++) {
        size_t n = (size_t)(rnd() % sizeof buf);
        for (size_t i = 0; i < n; i++)
            buf[i] = (uint8_t)rnd();
        uint32_t want = crc_ref(buf, n);
        assert_int_equal(phy_crc32(buf, n), want);
        /* incremental feeding, with a random split, and in 64-bit words */
        size_t cut = n ? (size_t)(rnd() % (n + 1)) : 0;
        uint32_t c = phy_crc32_update(PHY_CRC32_INIT, buf, cut);
        c = phy_crc32_update(c, buf + cut, n - cut);
        assert_int_equal(phy_crc32_final(c), want);
        if (n % 8 == 0) {
            c = PHY_CRC32_INIT;
            for (size_t i = 0; i < n; i += 8) {
                uint64_t w = 0;
                for (int k = 7; k >= 0; k--)
                    w = (w << 8) | buf[i + (size_t)k];
                c = phy_crc32_update64(c, w);
            }
            assert_int_equal(phy_crc32_final(c), want);
        }
    }
}

/* Negative: CRC variants (wrong polynomial, wrong init, no final xor) all miss
 * the check value, so the published-vector test would catch them. */
static void test_crc_variants_caught(void **state)
{
    (void)state;
    const uint8_t *m = (const uint8_t *)"123456789";
    assert_int_not_equal(crc_ref_poly(m, 9, 0x04C11DB6u, 0xFFFFFFFFu, 0xFFFFFFFFu), 0xCBF43926u);
    assert_int_not_equal(crc_ref_poly(m, 9, 0x04C11DB7u, 0x00000000u, 0xFFFFFFFFu), 0xCBF43926u);
    assert_int_not_equal(crc_ref_poly(m, 9, 0x04C11DB7u, 0xFFFFFFFFu, 0x00000000u), 0xCBF43926u);
    assert_int_not_equal(crc_ref_poly(m, 9, 0x1EDC6F41u, 0xFFFFFFFFu, 0xFFFFFFFFu), 0xCBF43926u); /* CRC-32C */
}

/* Corrupted packets are detected: every single-bit error and random 2- and
 * 3-bit errors in a 8 + 256 byte packet string (spec 4.4) change the CRC. */
static void test_crc_detects_corruption(void **state)
{
    (void)state;
    rs = 5;
    uint64_t words[1 + 32];
    for (int i = 0; i < 33; i++)
        words[i] = rnd();
    uint32_t good = phy_packet_crc(words[0], words + 1, 8, 4);
    int undetected = 0;
    for (int bit = 0; bit < 33 * 64; bit++) {
        words[bit / 64] ^= 1ull << (bit % 64);
        undetected += phy_packet_crc(words[0], words + 1, 8, 4) == good;
        words[bit / 64] ^= 1ull << (bit % 64);
    }
    for (int trial = 0; trial < 20000; trial++) {
        int nb = 2 + trial % 2, b[3];
        for (int k = 0; k < nb; k++) {
            b[k] = (int)(rnd() % (33 * 64));
            for (int j = 0; j < k; j++)
                if (b[j] == b[k])
                    b[k] = (b[k] + 1) % (33 * 64);
        }
        for (int k = 0; k < nb; k++)
            words[b[k] / 64] ^= 1ull << (b[k] % 64);
        undetected += phy_packet_crc(words[0], words + 1, 8, 4) == good;
        for (int k = 0; k < nb; k++)
            words[b[k] / 64] ^= 1ull << (b[k] % 64);
    }
    assert_int_equal(undetected, 0);
    /* the packet CRC is the CRC of the byte string of spec 4.4 */
    uint8_t bytes[33 * 8];
    for (int i = 0; i < 33; i++)
        for (int k = 0; k < 8; k++)
            bytes[i * 8 + k] = (uint8_t)(words[i] >> (8 * k));
    assert_int_equal(good, crc_ref(bytes, sizeof bytes));
}

/* ---- scrambler reference: literally the spec's sc[57:0] equations ----------- */

typedef struct {
    uint8_t sc[58]; /* sc[j] = scrambled bit sent j+1 bits ago */
    int tap_a, tap_b;
} sref_t;

static void sref_init(sref_t *s, int tap_a, int tap_b)
{
    memset(s->sc, 1, sizeof s->sc);
    s->tap_a = tap_a;
    s->tap_b = tap_b;
}

static uint64_t sref_scramble(sref_t *s, uint64_t p)
{
    uint64_t out = 0;
    for (int i = 0; i < 64; i++) {
        unsigned b = (unsigned)(p >> i) & 1u;
        unsigned o = b ^ s->sc[s->tap_a] ^ s->sc[s->tap_b];
        memmove(s->sc + 1, s->sc, 57);
        s->sc[0] = (uint8_t)o;
        out |= (uint64_t)o << i;
    }
    return out;
}

static uint64_t sref_descramble(sref_t *s, uint64_t r)
{
    uint64_t out = 0;
    for (int i = 0; i < 64; i++) {
        unsigned b = (unsigned)(r >> i) & 1u;
        unsigned o = b ^ s->sc[s->tap_a] ^ s->sc[s->tap_b];
        memmove(s->sc + 1, s->sc, 57);
        s->sc[0] = (uint8_t)b;
        out |= (uint64_t)o << i;
    }
    return out;
}

static void test_scrambler_vs_reference(void **state)
{
    (void)state;
    rs = 21;
    phy_scr_t m, d;
    phy_scr_reset(&m);
    phy_scr_reset(&d);
    assert_true(m.h == PHY_SCR_MASK);
    sref_t r, rd;
    sref_init(&r, 38, 57);
    sref_init(&rd, 38, 57);
    for (int i = 0; i < 5000; i++) {
        uint64_t p = (i % 7 == 0) ? 0 : (i % 11 == 0) ? ~0ull : rnd();
        uint64_t s = phy_scramble64(&m, p);
        assert_true(s == sref_scramble(&r, p));
        assert_true(phy_descramble64(&d, s) == p);
        assert_true(sref_descramble(&rd, s) == p);
    }
}

/* Self-synchronisation: a descrambler started in any state decodes every bit
 * from bit 58 on correctly. */
static void test_scrambler_self_sync(void **state)
{
    (void)state;
    rs = 31;
    for (int trial = 0; trial < 300; trial++) {
        phy_scr_t tx, rx;
        tx.h = rnd() & PHY_SCR_MASK;
        rx.h = rnd() & PHY_SCR_MASK;
        uint64_t p0 = rnd(), p1 = rnd(), p2 = rnd();
        uint64_t d0 = phy_descramble64(&rx, phy_scramble64(&tx, p0));
        uint64_t d1 = phy_descramble64(&rx, phy_scramble64(&tx, p1));
        uint64_t d2 = phy_descramble64(&rx, phy_scramble64(&tx, p2));
        assert_true((d0 >> 58) == (p0 >> 58)); /* bits 58..63 of the first block */
        assert_true(d1 == p1);
        assert_true(d2 == p2);
    }
    /* and 58 is tight: some wrong state corrupts bit 57 */
    phy_scr_t tx, rx;
    phy_scr_reset(&tx);
    rx.h = PHY_SCR_MASK ^ 1u; /* the oldest bit wrong: affects output bit 0 */
    uint64_t d = phy_descramble64(&rx, phy_scramble64(&tx, 0));
    assert_true(d == 1u);
}

/* One line error becomes exactly 3 errors, 39 and 58 bits apart. */
static void test_scrambler_error_multiplication(void **state)
{
    (void)state;
    rs = 41;
    for (int pos = 0; pos < 64; pos++) {
        phy_scr_t tx, rx;
        phy_scr_reset(&tx);
        phy_scr_reset(&rx);
        uint64_t p[3] = {rnd(), rnd(), rnd()}, d[3];
        for (int k = 0; k < 3; k++) {
            uint64_t s = phy_scramble64(&tx, p[k]);
            if (k == 0)
                s ^= 1ull << pos;
            d[k] = phy_descramble64(&rx, s);
        }
        int errs = 0;
        for (int k = 0; k < 3; k++)
            errs += __builtin_popcountll(d[k] ^ p[k]);
        assert_int_equal(errs, 3);
        int at[3] = {pos, pos + 39, pos + 58};
        for (int e = 0; e < 3; e++)
            assert_true(((d[at[e] / 64] ^ p[at[e] / 64]) >> (at[e] % 64)) & 1u);
    }
}

/* Negative: a scrambler with one tap moved (x^58 + x^38 + 1) differs from the
 * model at once, and the spec's descrambler does not recover its data. */
static void test_scrambler_wrong_tap_caught(void **state)
{
    (void)state;
    rs = 51;
    sref_t bad;
    sref_init(&bad, 37, 57);
    phy_scr_t m, d;
    phy_scr_reset(&m);
    phy_scr_reset(&d);
    int differ = 0, wrong_data = 0;
    for (int i = 0; i < 100; i++) {
        uint64_t p = rnd();
        uint64_t sb = sref_scramble(&bad, p);
        differ += sb != phy_scramble64(&m, p);
        wrong_data += phy_descramble64(&d, sb) != p;
    }
    assert_true(differ >= 99);
    assert_true(wrong_data >= 99);
}

/* The test-only tap override equals the spec scrambler at tap 39 and the
 * literal reference with sc[tap-1] otherwise. */
static void test_scrambler_tap_override(void **state)
{
    (void)state;
    rs = 61;
    const unsigned taps[] = {39, 38, 40, 1, 57};
    for (unsigned t = 0; t < sizeof taps / sizeof taps[0]; t++) {
        phy_scr_t m, o;
        phy_scr_reset(&m);
        phy_scr_reset(&o);
        sref_t r;
        sref_init(&r, (int)taps[t] - 1, 57);
        int same = 0;
        for (int i = 0; i < 200; i++) {
            uint64_t p = rnd();
            uint64_t so = phy_scramble64_tap(&o, p, taps[t]);
            assert_true(so == sref_scramble(&r, p));
            same += so == phy_scramble64(&m, p);
        }
        if (taps[t] == 39)
            assert_int_equal(same, 200);
        else
            assert_true(same < 5);
    }
}

/* ---- blocks ------------------------------------------------------------------ */

static void test_sync_header_rules(void **state)
{
    (void)state;
    rs = 61;
    assert_false(phy_sh_valid(0));
    assert_false(phy_sh_valid(3));
    assert_true(phy_sh_valid(PHY_SH_DATA));
    assert_true(phy_sh_valid(PHY_SH_CTRL));
    /* "01" in transmission order is data: b[0] = 0, b[1] = 1 */
    assert_int_equal(PHY_SH_DATA & 1u, 0);
    assert_int_equal(PHY_SH_DATA >> 1, 1);
    for (int i = 0; i < 200; i++) {
        uint64_t p = rnd();
        phy_block_t b00 = {p, 0}, b11 = {p, 3}, bd = {p, PHY_SH_DATA};
        assert_int_equal(phy_block_classify(b00, 0, 4), PHY_BK_INVALID);
        assert_int_equal(phy_block_classify(b11, 0, 4), PHY_BK_INVALID);
        assert_int_equal(phy_block_classify(bd, 0, 4), PHY_BK_DATA);
    }
    /* the same control payloads with a bad header are invalid */
    phy_block_t am = {phy_am_payload(0), 3};
    assert_int_equal(phy_block_classify(am, 0, 4), PHY_BK_INVALID);
}

static void test_block_formats(void **state)
{
    (void)state;
    /* AM of spec 4.3 written out by hand: {40'hC68F21E4A7, ~i, i, 8'hD2} */
    assert_true(phy_am_payload(0) == 0xC68F21E4A7FF00D2ull);
    assert_true(phy_am_payload(5) == 0xC68F21E4A7FA05D2ull);
    for (unsigned i = 0; i < 8; i++) {
        phy_block_t b = {phy_am_payload(i), PHY_SH_CTRL};
        for (unsigned j = 0; j < 8; j++)
            assert_int_equal(phy_block_classify(b, j, 4), i == j ? PHY_BK_AM : PHY_BK_INVALID);
        /* balanced: 32 ones of 64 */
        assert_int_equal(__builtin_popcountll(b.p), 32);
    }
    phy_block_t idle = {phy_idle_payload(), PHY_SH_CTRL};
    assert_true(idle.p == 0x1Eu);
    assert_int_equal(phy_block_classify(idle, 0, 4), PHY_BK_IDLE);
    idle.p |= 1ull << 40;
    assert_int_equal(phy_block_classify(idle, 0, 4), PHY_BK_INVALID);

    uint8_t side[8] = {1, 2, 3, 4, 5, 6, 7, 15};
    uint64_t h = phy_hdr_payload(0xA5, 8, side, 4);
    /* type 0x78, seq A5, n-1 = 7 at bits 18:16, sideband nibbles from bit 32 */
    assert_true(h == (0x78ull | 0xA5ull << 8 | 7ull << 16 | 0xF765432100000000ull));
    assert_int_equal(phy_hdr_seq(h), 0xA5);
    assert_int_equal(phy_hdr_n(h), 8);
    for (unsigned k = 0; k < 8; k++)
        assert_int_equal(phy_hdr_side(h, k, 4), side[k]);
    phy_block_t hb = {h, PHY_SH_CTRL};
    assert_int_equal(phy_block_classify(hb, 3, 4), PHY_BK_HDR);
    hb.p |= 1ull << 20;
    assert_int_equal(phy_block_classify(hb, 3, 4), PHY_BK_INVALID);
    assert_true(phy_hdr_payload(0, 0, side, 4) == 0); /* n out of range */
    assert_true(phy_hdr_payload(0, 9, side, 4) == 0);
    assert_true(phy_hdr_payload(0, 1, side, 5) == 0); /* side_w out of range */

    phy_block_t trl = {phy_trl_payload(0xCBF43926u), PHY_SH_CTRL};
    assert_true(trl.p == 0xCBF43926E1ull);
    assert_int_equal(phy_block_classify(trl, 0, 4), PHY_BK_TRL);

    uint64_t ack = phy_ack_payload(PHY_ACK_KIND_NAK, 0x12, 0x34);
    uint8_t ab[4] = {0x4B, 0x02, 0x12, 0x34};
    assert_true(ack == (0x3412024Bull | (uint64_t)crc_ref(ab, 4) << 32));
    phy_block_t akb = {ack, PHY_SH_CTRL};
    assert_int_equal(phy_block_classify(akb, 0, 4), PHY_BK_ACK);
    for (int bit = 8; bit < 64; bit++) { /* every single-bit corruption is rejected */
        phy_block_t c = {ack ^ (1ull << bit), PHY_SH_CTRL};
        assert_int_equal(phy_block_classify(c, 0, 4), PHY_BK_INVALID);
    }

    uint64_t ts = phy_ts_payload(6, 2, 0xF7, 0x77);
    assert_true(ts == (0x2Dull | 6ull << 8 | 2ull << 16 | 0xF7ull << 24 | 0x77ull << 32));
    phy_block_t tsb = {ts, PHY_SH_CTRL};
    assert_int_equal(phy_block_classify(tsb, 6, 4), PHY_BK_TS);
    assert_int_equal(phy_block_classify(tsb, 5, 4), PHY_BK_INVALID); /* wrong lane */
    tsb.p = phy_ts_payload(6, 3, 0, 0);
    assert_int_equal(phy_block_classify(tsb, 6, 4), PHY_BK_INVALID); /* phase 3 */

    phy_block_t sl = {phy_sleep_payload(PHY_SLEEP_REQ), PHY_SH_CTRL};
    assert_true(sl.p == 0xFE0133ull);
    assert_int_equal(phy_block_classify(sl, 0, 4), PHY_BK_SLEEP);
    sl.p ^= 1ull << 17;
    assert_int_equal(phy_block_classify(sl, 0, 4), PHY_BK_INVALID);

    phy_block_t unk = {0x99, PHY_SH_CTRL};
    assert_int_equal(phy_block_classify(unk, 0, 4), PHY_BK_INVALID);
    assert_string_equal(phy_bkind_name(PHY_BK_TRL), "TRL");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc_published),
        cmocka_unit_test(test_crc_vs_reference),
        cmocka_unit_test(test_crc_variants_caught),
        cmocka_unit_test(test_crc_detects_corruption),
        cmocka_unit_test(test_scrambler_vs_reference),
        cmocka_unit_test(test_scrambler_self_sync),
        cmocka_unit_test(test_scrambler_error_multiplication),
        cmocka_unit_test(test_scrambler_wrong_tap_caught),
        cmocka_unit_test(test_scrambler_tap_override),
        cmocka_unit_test(test_sync_header_rules),
        cmocka_unit_test(test_block_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
