/* End-to-end packet scoreboard for the mesh co-simulation (docs/spec.md 5.1,
 * 5.2, 5.5): every packet a traffic agent creates must leave the network
 * exactly once, at its destination endpoint, in order within its flow,
 * every flit uncorrupted, with the head/tail marks and the VC it was sent
 * with, and never interleaved with another packet on its (endpoint, VC).
 *
 * Endpoints are numbered 0..n-1; each has a header address (chip, x, y) that
 * the routers route to. A flow is (source endpoint, flow id) with flow id =
 * destination endpoint * NumVc + VC, so a flow keeps one path and one VC and
 * must arrive in order (spec 5.5: VCs are kept on every hop).
 *
 * Payloads are a function of (source, flow, seq, flit index, word), so the
 * scoreboard recomputes what every flit must carry instead of storing it.
 * One scoreboard watches one side (the RTL or the model) of a co-simulation. */
#ifndef OPTILE_TB_MESH_SB_H
#define OPTILE_TB_MESH_SB_H

#include <stddef.h>
#include <stdint.h>

#include "noc/noc_router.h"

#define MESH_EP_MAX 64u
#define MESH_FLIT_WORDS 4u /* FlitW 256 = 4 x 64-bit words */

typedef struct mesh_sb mesh_sb;

/* Address of an endpoint in a head flit's header (spec 5.2). */
struct mesh_addr {
  unsigned chip, x, y;
};

/* Payload word `w` (0..3) of flit `idx` of packet (src, flow, seq). Word 0 of
 * a head flit is the header instead (mesh_sb_make_flit). */
uint64_t mesh_payload(unsigned src, unsigned flow, unsigned seq, unsigned idx, unsigned w);

/* Builds flit `idx` of a packet of `len` flits from endpoint `src` to `dst`
 * on `vc` with sequence number `seq` (flow = dst * nvc + vc). */
void mesh_sb_make_flit(const mesh_sb *sb, unsigned src, unsigned dst, unsigned vc, unsigned seq,
                       unsigned len, unsigned idx, noc_flit *f);

/* A scoreboard for `nep` endpoints with the given addresses (distinct) and
 * `nvc` VCs. NULL on bad arguments or out of memory. */
mesh_sb *mesh_sb_new(unsigned nep, const struct mesh_addr *addr, unsigned nvc);
void mesh_sb_free(mesh_sb *sb);

/* Latencies are kept for packets created in [from, to). */
void mesh_sb_set_measure(mesh_sb *sb, uint64_t from, uint64_t to);

/* Packet created in `cycle` at endpoint `src` for `dst` on `vc`, `len` flits.
 * Returns its sequence number within its flow (0, 1, ...; the header holds the
 * low 16 bits), or -1 if out of memory. */
long mesh_sb_create(mesh_sb *sb, unsigned src, unsigned dst, unsigned vc, unsigned len,
                    uint64_t cycle);

/* A flit left the network at endpoint `ep` in `cycle`. Returns 0 if it is the
 * expected next flit; -1 otherwise (counted; see mesh_sb_first_error). */
int mesh_sb_deliver(mesh_sb *sb, unsigned ep, const noc_flit *f, uint64_t cycle);

/* End of a run: every created packet not delivered counts as an error.
 * Returns the number of packets still outstanding. */
size_t mesh_sb_finish(mesh_sb *sb);

uint64_t mesh_sb_errors(const mesh_sb *sb);
const char *mesh_sb_first_error(const mesh_sb *sb);
uint64_t mesh_sb_created(const mesh_sb *sb);
uint64_t mesh_sb_delivered(const mesh_sb *sb);   /* packets */
uint64_t mesh_sb_outstanding(const mesh_sb *sb); /* packets created, not delivered */

/* Latency of a packet: the cycle its tail leaves the destination router minus
 * the cycle it was created (source queueing included). Statistics over the
 * packets of the measurement interval delivered so far. */
struct mesh_lat {
  uint64_t n, min, p50, p99, max;
  double mean;
};
void mesh_sb_latency(mesh_sb *sb, struct mesh_lat *out);

#endif
