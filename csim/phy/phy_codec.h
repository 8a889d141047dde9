/*
 * phy_codec.h - bit-exact primitives of the optile optical PHY shim
 * (docs/spec.md section 4): CRC-32, the x^58 + x^39 + 1 self-synchronous
 * scrambler, 64b/66b blocks and the control-block formats of spec 4.3.
 *
 * These are small value types and pure functions, usable on their own (unit
 * tests, monitors) and by the cycle-level link model in phy_link.h.
 *
 * Bit conventions (spec 4.3): a block is 66 bits b[0..65], b[0] sent first.
 * phy_block_t keeps the sync header as a 2-bit value `sh` whose bit 0 is b[0]
 * (so data = PHY_SH_DATA = 2, control = PHY_SH_CTRL = 1) and the payload as
 * a uint64_t `p` whose bit m is b[2+m] (p bit 0 sent first). Byte j of a
 * payload is bits 8j+7..8j.
 */
#ifndef OPTILE_PHY_CODEC_H
#define OPTILE_PHY_CODEC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- CRC-32 (IEEE 802.3, reflected, init and final xor 0xFFFFFFFF) ------- */

/** Initial running value for phy_crc32_update(). */
#define PHY_CRC32_INIT 0xFFFFFFFFu

/**
 * Feed `len` bytes into a running CRC-32 value (start with PHY_CRC32_INIT).
 * Returns the new running value; the CRC is the running value XOR
 * 0xFFFFFFFF (see phy_crc32_final). `buf` may be NULL only if len is 0.
 */
uint32_t phy_crc32_update(uint32_t running, const void *buf, size_t len);

/** Feed the 8 bytes of a 64-bit word, least significant byte first. */
uint32_t phy_crc32_update64(uint32_t running, uint64_t word);

/** Turn a running value into the CRC (final XOR with 0xFFFFFFFF). */
static inline uint32_t phy_crc32_final(uint32_t running) { return running ^ 0xFFFFFFFFu; }

/** CRC-32 of a whole buffer; phy_crc32("123456789", 9) == 0xCBF43926. */
uint32_t phy_crc32(const void *buf, size_t len);

/* ---- scrambler x^58 + x^39 + 1 (spec 4.5.1) -------------------------------- */

/**
 * Scrambler or descrambler state: the last 58 scrambled bits of the lane.
 * `h` bit k (k = 0..57) is the scrambled bit sent 58-k bits ago, i.e. the
 * oldest bit is bit 0 (stream order). In the spec's notation sc[j] = h bit
 * (57-j). Both reset to all ones.
 */
typedef struct {
    uint64_t h;
} phy_scr_t;

/** Mask of the 58 valid state bits. */
#define PHY_SCR_MASK 0x03FFFFFFFFFFFFFFull

/** Reset a scrambler or descrambler to the all-ones state of spec 4.5.1. */
void phy_scr_reset(phy_scr_t *s);

/** Scramble one 64-bit payload (bit 0 first) and advance the state. */
uint64_t phy_scramble64(phy_scr_t *s, uint64_t p);

/**
 * TEST ONLY: scramble with the x^39 tap (spec sc[38]) replaced by sc[tap-1],
 * tap 1..57 (tap 39 gives phy_scramble64). A deliberately wrong scrambler for
 * the negative tests of the lane-word checkers; bit-serial, slow.
 */
uint64_t phy_scramble64_tap(phy_scr_t *s, uint64_t p, unsigned tap);

/** Descramble one received 64-bit payload and advance the state. */
uint64_t phy_descramble64(phy_scr_t *s, uint64_t r);

/* ---- 64b/66b blocks (spec 4.3) ------------------------------------------------ */

#define PHY_SH_DATA 2u /* b[0]=0, b[1]=1: "01" in transmission order */
#define PHY_SH_CTRL 1u /* b[0]=1, b[1]=0: "10" in transmission order */

/** One 66-bit block: sync header (bit 0 = b[0]) and payload. */
typedef struct {
    uint64_t p;
    uint8_t sh;
} phy_block_t;

/** Block type codes, payload bits 7..0 of a control block (spec 4.3). */
enum {
    PHY_BT_IDLE = 0x1E,
    PHY_BT_HDR = 0x78,
    PHY_BT_TRL = 0xE1,
    PHY_BT_ACK = 0x4B,
    PHY_BT_TS = 0x2D,
    PHY_BT_SLEEP = 0x33,
    PHY_BT_AM = 0xD2
};

/** ACK block kinds (payload bits 9..8) and SLEEP kinds (bits 15..8). */
enum { PHY_ACK_KIND_ACK = 1, PHY_ACK_KIND_NAK = 2 };
enum { PHY_SLEEP_REQ = 1, PHY_SLEEP_ACK = 2 };

/** What a received block is, after the validity checks of spec 4.3. */
typedef enum {
    PHY_BK_INVALID = 0, /* bad sync header, unknown type or failed field check */
    PHY_BK_DATA,
    PHY_BK_IDLE,
    PHY_BK_HDR,
    PHY_BK_TRL,
    PHY_BK_ACK,
    PHY_BK_TS,
    PHY_BK_SLEEP,
    PHY_BK_AM
} phy_bkind_t;

/** True iff the sync header is 01 or 10 (00 and 11 are invalid). */
static inline int phy_sh_valid(uint8_t sh) { return sh == PHY_SH_DATA || sh == PHY_SH_CTRL; }

/**
 * Classify an unscrambled block received on lane `lane` (the TS lane field
 * must equal it) for a link whose flits carry `side_w` sideband bits. Applies
 * every receive check of spec 4.3, including the ACK block's CRC.
 */
phy_bkind_t phy_block_classify(phy_block_t b, unsigned lane, unsigned side_w);

/** Alignment marker payload of lane `lane` (unscrambled, control header). */
uint64_t phy_am_payload(unsigned lane);

/** IDLE block payload. */
uint64_t phy_idle_payload(void);

/**
 * HDR payload: sequence number, n flits (1..8), sideband of each flit
 * (`side[k]`, k < n, `side_w` bits each, side_w 1..4). Returns 0 if n or
 * side_w is out of range (0 is never a valid HDR payload).
 */
uint64_t phy_hdr_payload(unsigned seq, unsigned n, const uint8_t *side, unsigned side_w);

/** Fields of a HDR payload. */
static inline unsigned phy_hdr_seq(uint64_t p) { return (unsigned)(p >> 8) & 0xFFu; }
static inline unsigned phy_hdr_n(uint64_t p) { return ((unsigned)(p >> 16) & 7u) + 1u; }
static inline unsigned phy_hdr_side(uint64_t p, unsigned k, unsigned side_w)
{
    return (unsigned)(p >> (32u + side_w * k)) & ((1u << side_w) - 1u);
}

/** TRL payload carrying a packet CRC. */
static inline uint64_t phy_trl_payload(uint32_t crc) { return PHY_BT_TRL | ((uint64_t)crc << 8); }
static inline uint32_t phy_trl_crc(uint64_t p) { return (uint32_t)(p >> 8); }

/** ACK/NAK payload: kind (PHY_ACK_KIND_*), last in-order seq A, freed count F. */
uint64_t phy_ack_payload(unsigned kind, unsigned a, unsigned f);
static inline unsigned phy_ack_kind(uint64_t p) { return (unsigned)(p >> 8) & 3u; }
static inline unsigned phy_ack_a(uint64_t p) { return (unsigned)(p >> 16) & 0xFFu; }
static inline unsigned phy_ack_f(uint64_t p) { return (unsigned)(p >> 24) & 0xFFu; }

/** TS payload: TX lane index, phase 0..2, rx_mask, active_mask. */
uint64_t phy_ts_payload(unsigned lane, unsigned phase, unsigned rx_mask, unsigned active_mask);
static inline unsigned phy_ts_phase(uint64_t p) { return (unsigned)(p >> 16) & 3u; }
static inline unsigned phy_ts_rx_mask(uint64_t p) { return (unsigned)(p >> 24) & 0xFFu; }
static inline unsigned phy_ts_active(uint64_t p) { return (unsigned)(p >> 32) & 0xFFu; }

/** SLEEP payload of kind PHY_SLEEP_REQ or PHY_SLEEP_ACK. */
uint64_t phy_sleep_payload(unsigned kind);
static inline unsigned phy_sleep_kind(uint64_t p) { return (unsigned)(p >> 8) & 0xFFu; }

/**
 * Packet CRC of spec 4.4: HDR payload bytes, then n flits of `words_per_flit`
 * 64-bit words each (`flits` holds n*words_per_flit words, flit k word j at
 * index k*words_per_flit+j, each word least significant byte first).
 */
uint32_t phy_packet_crc(uint64_t hdr, const uint64_t *flits, unsigned n, unsigned words_per_flit);

/** Name of a block kind, for messages. */
const char *phy_bkind_name(phy_bkind_t k);

#ifdef __cplusplus
}
#endif

#endif /* OPTILE_PHY_CODEC_H */
