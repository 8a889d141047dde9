/*
 * noc_router.h - cycle-accurate golden model of the optile router
 * (docs/spec.md section 5).
 *
 * One handle is one router: ports N, E, S, W, L, X; NumVc virtual channels
 * per input with BufDepth-flit buffers; credit flow control; XY routing
 * inside a chip and a 16-entry route table between chips; the two-stage
 * pipeline (BW, then RC + VA + SA in one allocation cycle) with registered
 * outputs, exactly as section 5.7 orders it.
 *
 * Cycle convention (the same as the RTL's, sampled just after a clock edge):
 *   - noc_router_cycle() is the current cycle c;
 *   - noc_router_out() / noc_router_credit_out() give the router's outputs
 *     during cycle c (they are registers, so they are known at its start);
 *   - noc_router_inject() / noc_router_credit() set the inputs of cycle c
 *     (what the upstream link / downstream credit wire carry during c);
 *   - noc_router_step() evaluates cycle c and the clock edge ending it;
 *     afterwards the current cycle is c + 1 and the inputs are cleared.
 *
 * Plain C11, no global state; a handle is not thread-safe.
 */
#ifndef OPTILE_NOC_ROUTER_H
#define OPTILE_NOC_ROUTER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Port indices (spec 5.1). */
enum {
    NOC_PORT_N = 0,
    NOC_PORT_E = 1,
    NOC_PORT_S = 2,
    NOC_PORT_W = 3,
    NOC_PORT_L = 4,
    NOC_PORT_X = 5,
    NOC_NUM_PORTS = 6
};

#define NOC_PORT_ALL      0x3Fu /* every port enabled (the RTL default PortEn) */
#define NOC_ROUTE_INVALID 0xFFu /* noc_route_compute(): no valid output */
#define NOC_ROUTE_VALID   0x8u  /* route-table entry: bit 3 valid, bits 2:0 port */

#define NOC_FLIT_W_DEFAULT  256u
#define NOC_FLIT_WORDS_MAX  8u   /* FlitW up to 512 bits */
#define NOC_NUM_VC_DEFAULT  2u
#define NOC_NUM_VC_MAX      4u
#define NOC_BUF_DEPTH_DEFAULT 4u
#define NOC_BUF_DEPTH_MAX   16u

/* Head-flit header fields (spec 5.2): bit positions in payload word 0. */
#define NOC_HDR_DST_X_LSB    0
#define NOC_HDR_DST_Y_LSB    4
#define NOC_HDR_DST_CHIP_LSB 8
#define NOC_HDR_SRC_X_LSB    12
#define NOC_HDR_SRC_Y_LSB    16
#define NOC_HDR_SRC_CHIP_LSB 20
#define NOC_HDR_FLOW_LSB     24 /* 8 bits */
#define NOC_HDR_SEQ_LSB      32 /* 16 bits */
#define NOC_HDR_LEN_LSB      48 /* 4 bits, 1..8 */
#define NOC_HDR_NI_LSB       52 /* 12 bits owned by the NI (spec 6.4) */

/* A flit with its sideband. data[] holds FlitW bits, little-endian words;
 * words at and above FlitW/64 are ignored (and zero in every output). */
typedef struct noc_flit {
    uint64_t data[NOC_FLIT_WORDS_MAX];
    uint8_t head; /* 1 on a head flit */
    uint8_t tail; /* 1 on a tail flit (a one-flit packet has head = tail = 1) */
    uint8_t vc;   /* virtual channel */
} noc_flit;

/* Decoded head-flit header (spec 5.2). */
typedef struct noc_header {
    unsigned dst_x, dst_y, dst_chip;
    unsigned src_x, src_y, src_chip;
    unsigned flow;  /* 0..255 */
    unsigned seq;   /* 0..65535 */
    unsigned len;   /* flits, 1..8 (the router does not check it) */
    unsigned ni;    /* 12-bit NI field (spec 6.4) */
} noc_header;

/* Writes the header into payload word 0 (bits 63:0) of f; other words and
 * the sideband are untouched. Fields are masked to their widths. */
void noc_header_pack(noc_flit *f, const noc_header *h);

/* Reads the header from payload word 0 of f. */
void noc_header_unpack(const noc_flit *f, noc_header *h);

/*
 * Test-only deliberately wrong arbitration (to prove that tests detect a
 * divergence from spec 5.5). NOC_VARIANT_SPEC is the specified router.
 */
enum {
    NOC_VARIANT_SPEC = 0,
    NOC_VARIANT_SA_OUT_FIXED = 1,  /* output stage: fixed priority, lowest input index wins */
    NOC_VARIANT_SA_IN_EAGER = 2,   /* input pointer moves even when the output stage refuses */
    NOC_VARIANT_VA_FIXED = 3       /* VC allocation: fixed priority, lowest input index wins */
};

/* Creation parameters. A zero-initialised config gives the spec defaults:
 * FlitW 256, 2 VCs, depth 4, all ports, chip 0, tile (0,0), empty route
 * table (every entry invalid). */
typedef struct noc_router_config {
    unsigned flit_w;    /* FlitW: 0 = 256; else a multiple of 64 in [64, 512] */
    unsigned num_vc;    /* NumVc: 0 = 2; else 1..4 */
    unsigned buf_depth; /* BufDepth: 0 = 4; else 1..16 */
    unsigned port_en;   /* PortEn bit mask: 0 = NOC_PORT_ALL; else 1..0x3F */
    unsigned my_chip, my_x, my_y; /* 0..15 each */
    uint8_t route[16];  /* route_i: entry e = bit 3 valid, bits 2:0 port */
    unsigned variant;   /* NOC_VARIANT_*; 0 = the specified router */
} noc_router_config;

/* Counters of spec 5.8 (32-bit, wrapping). Per-port arrays are indexed by
 * NOC_PORT_*. */
typedef struct noc_router_counters {
    uint32_t flits_in[NOC_NUM_PORTS];
    uint32_t flits_out[NOC_NUM_PORTS];
    uint32_t stall[NOC_NUM_PORTS];
    uint32_t occ[NOC_NUM_PORTS];
    uint32_t buf_wr[NOC_NUM_PORTS];
    uint32_t buf_rd[NOC_NUM_PORTS];
    uint32_t xbar[NOC_NUM_PORTS];
    uint32_t va[NOC_NUM_PORTS];
    uint32_t sa[NOC_NUM_PORTS];
    uint32_t err_route, err_proto, err_ovf, err_credit;
} noc_router_counters;

typedef struct noc_router noc_router;

/*
 * Creates a router in the reset state (spec 5.7) at cycle 0. cfg may be NULL
 * for the defaults. On a bad configuration or out of memory returns NULL and,
 * when err is non-NULL, writes a message naming the offending field.
 */
noc_router *noc_router_new(const noc_router_config *cfg, char *err, size_t errlen);

/* Frees the router. NULL is allowed. */
void noc_router_free(noc_router *r);

/* Returns to the reset state (buffers, pointers, credits, counters, outputs,
 * cycle 0). The configuration (including route-table writes) is kept. */
void noc_router_reset(noc_router *r);

/* The effective configuration (defaults filled in). */
const noc_router_config *noc_router_get_config(const noc_router *r);

/* Message of the last failed call on this handle ("" if none). */
const char *noc_router_error(const noc_router *r);

/* Writes route-table entry `chip` (0..15) = `entry` (bit 3 valid, bits 2:0
 * port), as a CSR write would; it is read by RC from the next step on.
 * Returns 0, or -1 (message in noc_router_error) on a bad argument. */
int noc_router_set_route(noc_router *r, unsigned chip, unsigned entry);

/* Current cycle (number of steps since reset). */
uint64_t noc_router_cycle(const noc_router *r);

/*
 * Input flit of the current cycle on input `port` (in_valid/flit/head/tail/vc).
 * f->vc must fit in VcW bits; a vc >= NumVc that fits is accepted and
 * treated as the hardware would (discarded, err_proto). Returns 0, or -1 if
 * the port is out of range or disabled, a flit was already injected on it
 * this cycle, or vc does not fit in VcW bits.
 */
int noc_router_inject(noc_router *r, unsigned port, const noc_flit *f);

/*
 * Credit of the current cycle from the downstream of output `port`
 * (out_credit_valid/vc). Returns 0, or -1 on a bad port, a second credit on
 * the same port in one cycle, or a vc that does not fit in VcW bits.
 */
int noc_router_credit(noc_router *r, unsigned port, unsigned vc);

/* Evaluates the current cycle and the clock edge ending it (spec 5.7). */
void noc_router_step(noc_router *r);

/* Output flit on `port` in the current cycle, or NULL if out_valid is 0
 * (or the port is out of range). The pointer is valid until the next step. */
const noc_flit *noc_router_out(const noc_router *r, unsigned port);

/* Credit returned on input `port`'s credit wire in the current cycle: the VC,
 * or -1 if in_credit_valid is 0. */
int noc_router_credit_out(const noc_router *r, unsigned port);

/* One output event of the current cycle. */
typedef struct noc_event {
    uint64_t cycle;
    uint8_t kind;  /* NOC_EV_FLIT: a flit on output `port`; NOC_EV_CREDIT: a credit on input `port`'s credit wire */
    uint8_t port;
    uint8_t vc;
    const noc_flit *flit; /* NOC_EV_FLIT only; valid until the next step */
} noc_event;
enum { NOC_EV_FLIT = 1, NOC_EV_CREDIT = 2 };

/* Lists the current cycle's output flits (ports in index order) then credit
 * returns (ports in index order) into ev[0..max-1]; returns how many there
 * are (at most 12; entries beyond max are not written). */
unsigned noc_router_events(const noc_router *r, noc_event *ev, unsigned max);

/* Counters (spec 5.8). */
const noc_router_counters *noc_router_get_counters(const noc_router *r);

/* Output credit counter cred[port][vc], or -1 on a bad argument. */
int noc_router_credits(const noc_router *r, unsigned port, unsigned vc);

/* Flits in input buffer (port, vc), or -1 on a bad argument. */
int noc_router_occupancy(const noc_router *r, unsigned port, unsigned vc);

/* Total flits in all input buffers. */
unsigned noc_router_flits_buffered(const noc_router *r);

/*
 * Quiescence check, for the end of a test or run: every input buffer empty,
 * every input VC idle, no output VC allocated, every output credit counter
 * back at BufDepth (on enabled ports), no output or credit register valid.
 * Returns 0 if so; else -1 and a message naming the first offence (port,
 * VC, expected and actual value) into msg. A lost credit shows up here.
 */
int noc_router_check_quiescent(const noc_router *r, char *msg, size_t msglen);

/*
 * A wire between two routers for the current cycle (what a mesh does for
 * every internal link): down's input `dport` gets up's output `uport` flit,
 * and up's output `uport` gets the credit down returns on input `dport`.
 * Same effect as noc_router_out + noc_router_inject + noc_router_credit_out
 * + noc_router_credit, without argument checks (ports must be valid and
 * enabled, routers of equal FlitW/NumVc). With lose_credit non-zero a
 * credit on the wire is not delivered (fault injection) and 1 is returned;
 * otherwise returns 0.
 */
int noc_router_link(noc_router *up, unsigned uport, noc_router *down, unsigned dport,
                    int lose_credit);

/* Routing function of spec 5.3 (pure): the output port for a head flit with
 * the given destination at a router with this configuration (coordinates,
 * PortEn, route table; zero fields are NOT replaced by defaults here, so
 * port_en must be given), or NOC_ROUTE_INVALID. */
unsigned noc_route_compute(const noc_router_config *cfg,
                           unsigned dst_chip, unsigned dst_x, unsigned dst_y);

/* Port name "N", "E", "S", "W", "L", "X" (or "?"). */
const char *noc_port_name(unsigned port);

#ifdef __cplusplus
}
#endif

#endif
