/*
 * ni.h - cycle-level golden model of the optile network interface and its
 * DMA engine (docs/spec.md section 6).
 *
 * The NI sits on the router's L port: its transmit side is the upstream of
 * the router's L input (it holds credits for it), its receive side the
 * downstream of the router's L output (it returns credits). It moves
 * messages between host memory (hostmem.h, two fixed-latency channels) and
 * the network using descriptor rings, cuts them into packets of at most 8
 * flits and reassembles them by (source, flow, sequence).
 *
 * Cycle convention as noc_router.h: the outputs of the current cycle
 * (ni_tx_flit, ni_rx_credit_out, ni_irq) are functions of the state at its
 * start; the inputs of the current cycle (ni_rx_flit, ni_tx_credit,
 * ni_reg_write) are given before ni_step, which evaluates the cycle in the
 * order of spec 6.9 and the clock edge. The host's memory accesses
 * (hostmem_read/write) have no latency and may happen at any time.
 */
#ifndef OPTILE_NI_H
#define OPTILE_NI_H

#include <stddef.h>
#include <stdint.h>

#include "ni/hostmem.h"
#include "noc/noc_router.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Registers (spec 6.3), the NI's own numbering; the CSR block maps them. */
enum {
    NI_REG_CTRL = 0,     /* rw: bit 0 TX enable, bit 1 RX enable, bit 2 CQ enable */
    NI_REG_TX_BASE_LO,   /* rw */
    NI_REG_TX_BASE_HI,   /* rw */
    NI_REG_TX_SIZE,      /* rw: k, the ring has 2^k entries (1..16; 0 = unusable, reset) */
    NI_REG_TX_TAIL,      /* rw: doorbell, host's producer index */
    NI_REG_TX_HEAD,      /* ro: descriptors fetched */
    NI_REG_RX_BASE_LO,
    NI_REG_RX_BASE_HI,
    NI_REG_RX_SIZE,
    NI_REG_RX_TAIL,      /* rw: doorbell */
    NI_REG_RX_HEAD,      /* ro */
    NI_REG_CQ_BASE_LO,
    NI_REG_CQ_BASE_HI,
    NI_REG_CQ_SIZE,
    NI_REG_CQ_HEAD,      /* rw: host's consumer index */
    NI_REG_CQ_TAIL,      /* ro: completions performed */
    NI_REG_IRQ_COAL,     /* rw: bits 15:0 count N, 31:16 timer T; 0 = off */
    NI_REG_INTR,         /* rw1c: bit 0 the DMA interrupt (intr_state's DMA bit) */
    NI_NUM_REGS
};

#define NI_CTRL_TX 1u
#define NI_CTRL_RX 2u
#define NI_CTRL_CQ 4u

/* Ring entry formats (spec 6.4), 16 bytes each. */
#define NI_DESC_BYTES 16u
enum { NI_KIND_TX = 1, NI_KIND_RX = 2 };
enum { NI_ST_OK = 0, NI_ST_TRUNC = 1, NI_ST_ERR = 2, NI_ST_NOCTX = 3, NI_ST_BADLEN = 4 };

/* Header `ni` field (spec 6.4), bits of the 12-bit field. */
#define NI_HDR_NBYTES_MASK 0xFFu /* payload bytes in the packet - 1 */
#define NI_HDR_SOM (1u << 8)
#define NI_HDR_EOM (1u << 9)

/* A TX descriptor (host-side view; ni_desc_tx_pack writes the 16 bytes). */
typedef struct ni_tx_desc {
    uint64_t addr;
    uint32_t len;
    unsigned dst_chip, dst_x, dst_y, vc, flow;
} ni_tx_desc;

/* A completion entry, decoded. */
typedef struct ni_cpl {
    uint64_t addr;
    uint32_t len;
    unsigned kind, status, phase, flow;
    unsigned x, y, chip; /* TX: destination; RX: source */
    unsigned vc;         /* RX only */
} ni_cpl;

/* Encoders/decoders of the 16-byte ring entries (little-endian). */
void ni_desc_tx_pack(uint8_t out[16], const ni_tx_desc *d);
void ni_desc_rx_pack(uint8_t out[16], uint64_t addr, uint32_t len);
void ni_cpl_unpack(const uint8_t in[16], ni_cpl *c);

/* Packetisation arithmetic of spec 6.5 for B = flit_w/8 bytes per flit. */
unsigned ni_max_packet_bytes(unsigned flit_w);                 /* Pmax = 8B - 8 */
unsigned ni_packet_flits(unsigned flit_w, unsigned nbytes);    /* 1 + ceil(max(0, n-(B-8))/B) */

/* Parameters (spec 6.1). Zero fields give the defaults. */
typedef struct ni_config {
    unsigned flit_w;      /* 128 or 256 (default 256) */
    unsigned num_vc;      /* 1..4 (2) */
    unsigned buf_depth;   /* 1..16 (4): RX FIFO depth per VC and TX credits */
    unsigned mem_lat;     /* 1..1000000 (100) */
    unsigned max_out_rd;  /* 1..4096 (128) */
    unsigned max_out_wr;  /* 1..4096 (128) */
    unsigned tx_flits;    /* 1..4096 (128) */
    unsigned tx_desc_q;   /* 1..64 (4) */
    unsigned rx_desc_q;   /* 1..64 (4) */
    unsigned cpl_q;       /* 1..64 (4) */
    unsigned num_rx_ctx;  /* 1..256 (16) */
    unsigned my_chip, my_x, my_y; /* 0..15: the packet source */
    unsigned variant;     /* NI_VARIANT_*; 0 = the specified NI (test-only knob) */
} ni_config;

/* Test-only deliberately wrong behaviour, to prove that a comparison with
 * the RTL detects a divergence from spec 6.9. NI_VARIANT_SPEC is the
 * specified NI. */
enum {
    NI_VARIANT_SPEC = 0,
    NI_VARIANT_RD_FIXED = 1  /* read channel: fixed priority (lowest requester wins), not round robin */
};

/* Counters of spec 6.8 (32-bit, wrapping). */
typedef struct ni_counters {
    uint32_t tx_msgs, tx_pkts, tx_flits, rx_msgs, rx_pkts, rx_flits;
    uint32_t rd_reqs, wr_reqs, rd_bytes, wr_bytes;
    uint32_t rx_nobuf, cq_full;
    uint32_t err_rx, err_rx_noctx, err_ovf, err_credit, err_desc, err_doorbell, err_csr;
} ni_counters;

typedef struct ni ni;

/* Creates an NI on host memory `mem` (not owned) in the reset state, cycle
 * 0. cfg may be NULL. NULL with a message naming the field on error. */
ni *ni_new(const ni_config *cfg, hostmem *mem, char *err, size_t errlen);

/* Frees the NI (not the memory). NULL allowed. */
void ni_free(ni *n);

/* Reset: registers, queues, contexts, counters, outstanding requests. */
void ni_reset(ni *n);

/* Effective configuration. */
const ni_config *ni_get_config(const ni *n);

/* Message of the last failed call ("" if none). */
const char *ni_error(const ni *n);

/* Register write in the current cycle (takes effect at its end, spec 6.3;
 * several writes to one register in a cycle: the last counts, as a bus that
 * delivers them one after the other within the cycle would leave it).
 * Returns 0, or -1 for an unknown or read-only register (message in
 * ni_error). Values the hardware ignores (a doorbell >= ring size, a base
 * or size write while the ring is enabled, a size > 16) return 0 and count
 * err_doorbell / err_csr as the hardware does. */
int ni_reg_write(ni *n, unsigned reg, uint32_t value);

/* Register value at the start of the current cycle (0 for unknown). */
uint32_t ni_reg_read(const ni *n, unsigned reg);

/* Network side, current cycle. */
const noc_flit *ni_tx_flit(const ni *n);     /* on the router's in_*[L], or NULL */
int ni_tx_credit(ni *n, unsigned vc);        /* router's in_credit_*[L]; -1 if twice a cycle */
int ni_rx_flit(ni *n, const noc_flit *f);    /* router's out_*[L]; -1 if twice a cycle */
int ni_rx_credit_out(const ni *n);           /* to router's out_credit_*[L]: vc or -1 */

/* Evaluates the current cycle and the clock edge (spec 6.9). */
void ni_step(ni *n);

/* Current cycle. */
uint64_t ni_cycle(const ni *n);

/* The DMA interrupt (intr_state DMA bit), level. */
int ni_irq(const ni *n);

/* Counters. */
const ni_counters *ni_get_counters(const ni *n);

/* Observation (for co-simulation): the read / write request issued by the
 * last ni_step (its cycle is ni_cycle() - 1), or NULL if none was issued.
 * data[0..len) of a write holds the bytes written. Valid until the next
 * ni_step or ni_reset. */
const hostmem_req *ni_issued_read(const ni *n);
const hostmem_req *ni_issued_write(const ni *n);

/* 1 if nothing is in flight: no outstanding request, all queues and FIFOs
 * empty, no packet being received, no pending register write. */
int ni_idle(const ni *n);

#ifdef __cplusplus
}
#endif

#endif
