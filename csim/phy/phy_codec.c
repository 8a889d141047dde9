/*
 * phy_codec.c - CRC-32, scrambler and block formats of spec section 4.
 */
#include "phy/phy_codec.h"

/* ---- CRC-32: slicing-by-8 tables built on first use ---------------------- */

static uint32_t crc_tab[8][256];
static int crc_tab_ready;

static void crc_build(void)
{
    for (unsigned i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1u) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
        crc_tab[0][i] = c;
    }
    for (unsigned i = 0; i < 256; i++)
        for (unsigned t = 1; t < 8; t++)
            crc_tab[t][i] = (crc_tab[t - 1][i] >> 8) ^ crc_tab[0][crc_tab[t - 1][i] & 0xFFu];
    crc_tab_ready = 1;
}

uint32_t phy_crc32_update64(uint32_t c, uint64_t w)
{
    if (!crc_tab_ready)
        crc_build();
    uint32_t lo = (uint32_t)w ^ c;
    uint32_t hi = (uint32_t)(w >> 32);
    return crc_tab[7][lo & 0xFFu] ^ crc_tab[6][(lo >> 8) & 0xFFu] ^ crc_tab[5][(lo >> 16) & 0xFFu] ^
           crc_tab[4][lo >> 24] ^ crc_tab[3][hi & 0xFFu] ^ crc_tab[2][(hi >> 8) & 0xFFu] ^
           crc_tab[1][(hi >> 16) & 0xFFu] ^ crc_tab[0][hi >> 24];
}

uint32_t phy_crc32_update(uint32_t c, const void *buf, size_t len)
{
    if (!crc_tab_ready)
        crc_build();
    const uint8_t *b = buf;
    while (len >= 8) {
        uint64_t w = 0;
        for (int i = 7; i >= 0; i--)
            w = (w << 8) | b[i];
        c = phy_crc32_update64(c, w);
        b += 8;
        len -= 8;
    }
    while (len--)
        c = (c >> 8) ^ crc_tab[0][(c ^ *b++) & 0xFFu];
    return c;
}

uint32_t phy_crc32(const void *buf, size_t len)
{
    return phy_crc32_final(phy_crc32_update(PHY_CRC32_INIT, buf, len));
}

uint32_t phy_packet_crc(uint64_t hdr, const uint64_t *flits, unsigned n, unsigned wpf)
{
    uint32_t c = phy_crc32_update64(PHY_CRC32_INIT, hdr);
    for (unsigned i = 0; i < n * wpf; i++)
        c = phy_crc32_update64(c, flits[i]);
    return phy_crc32_final(c);
}

/* ---- scrambler ------------------------------------------------------------ */
/*
 * Stream view: X = h (58 bits, oldest first) followed by the 64 new scrambled
 * bits s. s_i = p_i ^ X[i+19] ^ X[i] (X[i+19] is the bit 39 earlier, X[i]
 * the bit 58 earlier). Bits 0..38 only use the old state; bits 39..63 also
 * use s_0..s_24, and bits 58..63 s_0..s_5, all computed in the first pass.
 */
void phy_scr_reset(phy_scr_t *s) { s->h = PHY_SCR_MASK; }

uint64_t phy_scramble64(phy_scr_t *st, uint64_t p)
{
    uint64_t h = st->h;
    uint64_t s = p ^ (h >> 19) ^ h; /* bits 0..38 final; 39..57 have their h term */
    s ^= s << 39;                   /* s_i ^= s_{i-39}, i = 39..63 (sources final) */
    s ^= (s & 0x3Full) << 58;       /* s_i ^= s_{i-58}, i = 58..63 */
    st->h = s >> 6;
    return s;
}

uint64_t phy_scramble64_tap(phy_scr_t *st, uint64_t p, unsigned tap)
{
    /* h bit k = sc[57-k]; sc[j] = the scrambled bit sent j+1 bits ago */
    uint64_t h = st->h, out = 0;
    if (tap < 1 || tap > 57)
        tap = 39;
    for (unsigned m = 0; m < 64; m++) {
        uint64_t s = ((p >> m) ^ (h >> (57 - (tap - 1))) ^ h) & 1u; /* sc[tap-1], sc[57] */
        out |= s << m;
        h = ((h >> 1) | (s << 57)) & PHY_SCR_MASK;
    }
    st->h = h;
    return out;
}

uint64_t phy_descramble64(phy_scr_t *st, uint64_t r)
{
    uint64_t h = st->h;
    uint64_t p = r ^ (h >> 19) ^ (r << 39) ^ h ^ (r << 58);
    st->h = r >> 6;
    return p;
}

/* ---- block formats ---------------------------------------------------------- */

static const uint64_t am_const = 0xC68F21E4A7ull; /* p[63:24] of every AM */

uint64_t phy_am_payload(unsigned lane)
{
    lane &= 0xFFu;
    return (am_const << 24) | ((uint64_t)(~lane & 0xFFu) << 16) | ((uint64_t)lane << 8) | PHY_BT_AM;
}

uint64_t phy_idle_payload(void) { return PHY_BT_IDLE; }

uint64_t phy_hdr_payload(unsigned seq, unsigned n, const uint8_t *side, unsigned side_w)
{
    if (n < 1 || n > 8 || side_w < 1 || side_w > 4)
        return 0;
    uint64_t p = PHY_BT_HDR | ((uint64_t)(seq & 0xFFu) << 8) | ((uint64_t)(n - 1) << 16);
    for (unsigned k = 0; k < n; k++)
        p |= (uint64_t)(side[k] & ((1u << side_w) - 1u)) << (32u + side_w * k);
    return p;
}

uint64_t phy_ack_payload(unsigned kind, unsigned a, unsigned f)
{
    uint64_t p = PHY_BT_ACK | ((uint64_t)(kind & 3u) << 8) | ((uint64_t)(a & 0xFFu) << 16) |
                 ((uint64_t)(f & 0xFFu) << 24);
    uint8_t bytes[4] = {(uint8_t)p, (uint8_t)(p >> 8), (uint8_t)(p >> 16), (uint8_t)(p >> 24)};
    return p | ((uint64_t)phy_crc32(bytes, 4) << 32);
}

uint64_t phy_ts_payload(unsigned lane, unsigned phase, unsigned rx_mask, unsigned active_mask)
{
    return PHY_BT_TS | ((uint64_t)(lane & 0xFFu) << 8) | ((uint64_t)(phase & 3u) << 16) |
           ((uint64_t)(rx_mask & 0xFFu) << 24) | ((uint64_t)(active_mask & 0xFFu) << 32);
}

uint64_t phy_sleep_payload(unsigned kind)
{
    kind &= 0xFFu;
    return PHY_BT_SLEEP | ((uint64_t)kind << 8) | ((uint64_t)(~kind & 0xFFu) << 16);
}

phy_bkind_t phy_block_classify(phy_block_t b, unsigned lane, unsigned side_w)
{
    (void)side_w; /* the HDR check of spec 4.3 does not depend on it */
    if (b.sh == PHY_SH_DATA)
        return PHY_BK_DATA;
    if (b.sh != PHY_SH_CTRL)
        return PHY_BK_INVALID;
    uint64_t p = b.p;
    switch ((unsigned)(p & 0xFFu)) {
    case PHY_BT_IDLE:
        return (p >> 8) == 0 ? PHY_BK_IDLE : PHY_BK_INVALID;
    case PHY_BT_HDR:
        return ((p >> 19) & 0x1FFFu) == 0 ? PHY_BK_HDR : PHY_BK_INVALID;
    case PHY_BT_TRL:
        return (p >> 40) == 0 ? PHY_BK_TRL : PHY_BK_INVALID;
    case PHY_BT_ACK: {
        unsigned kind = phy_ack_kind(p);
        if ((kind != PHY_ACK_KIND_ACK && kind != PHY_ACK_KIND_NAK) || ((p >> 10) & 0x3Fu) != 0)
            return PHY_BK_INVALID;
        return phy_ack_payload(kind, phy_ack_a(p), phy_ack_f(p)) == p ? PHY_BK_ACK : PHY_BK_INVALID;
    }
    case PHY_BT_TS:
        if (((p >> 8) & 0xFFu) != lane || phy_ts_phase(p) > 2 || ((p >> 18) & 0x3Fu) != 0 || (p >> 40) != 0)
            return PHY_BK_INVALID;
        return PHY_BK_TS;
    case PHY_BT_SLEEP: {
        unsigned k = phy_sleep_kind(p);
        return (k == PHY_SLEEP_REQ || k == PHY_SLEEP_ACK) && p == phy_sleep_payload(k) ? PHY_BK_SLEEP
                                                                                         : PHY_BK_INVALID;
    }
    case PHY_BT_AM:
        return p == phy_am_payload(lane) ? PHY_BK_AM : PHY_BK_INVALID;
    default:
        return PHY_BK_INVALID;
    }
}

const char *phy_bkind_name(phy_bkind_t k)
{
    static const char *const names[] = {"INVALID", "DATA", "IDLE", "HDR", "TRL", "ACK", "TS", "SLEEP", "AM"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}
