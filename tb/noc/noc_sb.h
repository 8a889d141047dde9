/* Flit scoreboard for a router (or a network of routers seen from its edge):
 * every flit that enters is expected to leave exactly once, on a given output
 * port, with the same payload, head/tail marks and VC, in order per
 * (input port, VC) (docs/spec.md 5.5: an input VC is a FIFO and VCs are kept
 * on every hop), and the packets leaving on one (output port, VC) are never
 * interleaved (5.1, link protocol). Output ports are numbered like inputs.
 *
 * Flits are matched by their payload, so the payloads that are in flight at
 * the same time must differ (tests put a unique tag in every flit). */
#ifndef OPTILE_TB_NOC_SB_H
#define OPTILE_TB_NOC_SB_H

#include <stddef.h>
#include <stdint.h>

typedef struct noc_sb noc_sb;

/* A scoreboard for `ports` input ports with `vcs` VCs each and flits of
 * `words` 32-bit payload words. NULL if out of memory. */
noc_sb *noc_sb_new(unsigned ports, unsigned vcs, unsigned words);
void noc_sb_free(noc_sb *sb);

/* A flit entered input `in_port` on `vc` in `cycle` and must leave on
 * `out_port`. 0 on success, -1 if out of memory or arguments out of range. */
int noc_sb_expect(noc_sb *sb, unsigned in_port, unsigned vc, const uint32_t *data, int head,
                  int tail, unsigned out_port, uint64_t cycle);

/* A flit left on `out_port` in `cycle`. 0 if it is the next flit of some
 * (input, VC) and everything matches; -1 otherwise (the error is counted and
 * described by noc_sb_last_error()). */
int noc_sb_observe(noc_sb *sb, unsigned out_port, const uint32_t *data, int head, int tail,
                   unsigned vc, uint64_t cycle);

/* End of test: every expected flit still outstanding counts as an error
 * (a dropped flit). Returns the number of outstanding flits. */
size_t noc_sb_finish(noc_sb *sb, uint64_t cycle);

uint64_t noc_sb_errors(const noc_sb *sb);
uint64_t noc_sb_delivered(const noc_sb *sb);
size_t noc_sb_outstanding(const noc_sb *sb);
/* Latency (observe cycle - expect cycle) over delivered flits. */
uint64_t noc_sb_lat_min(const noc_sb *sb);
uint64_t noc_sb_lat_max(const noc_sb *sb);
double noc_sb_lat_mean(const noc_sb *sb);
/* Description of the first error ("" if none): cycle, port, expected, actual. */
const char *noc_sb_first_error(const noc_sb *sb);
/* Description of the most recent error ("" if none). */
const char *noc_sb_last_error(const noc_sb *sb);

#endif
