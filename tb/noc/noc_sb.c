/* Flit scoreboard: one FIFO of expected flits per (input port, VC). */
#include "noc/noc_sb.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sb_entry {
  uint64_t cycle;
  unsigned out_port;
  int head, tail;
  uint32_t *data; /* points into the queue's payload store */
};

struct sb_queue {
  struct sb_entry *e; /* ring of cap entries */
  uint32_t *store;    /* cap * words payload words, slot k for entry k */
  size_t cap, first, n;
};

/* Recently delivered flits, to name a duplicate as such. */
#define SB_HIST 256

struct noc_sb {
  unsigned ports, vcs, words;
  uint32_t *hist;   /* SB_HIST payloads */
  uint64_t hist_cycle[SB_HIST];
  unsigned hist_port[SB_HIST];
  uint64_t hist_n;
  /* Per (output port, VC): input port + 1 of the packet in progress, or 0
   * (a packet's flits leave on one VC, never interleaved with another). */
  unsigned *open;
  struct sb_queue *q; /* ports * vcs */
  uint64_t errors, delivered, lat_min, lat_max, lat_sum;
  char first_err[512];
  char last_err[512];
};

noc_sb *noc_sb_new(unsigned ports, unsigned vcs, unsigned words) {
  if (!ports || !vcs || !words) return NULL;
  noc_sb *sb = calloc(1, sizeof *sb);
  if (!sb) return NULL;
  sb->q = calloc((size_t)ports * vcs, sizeof *sb->q);
  sb->hist = calloc((size_t)SB_HIST * words, sizeof *sb->hist);
  sb->open = calloc((size_t)ports * vcs, sizeof *sb->open);
  if (!sb->q || !sb->hist || !sb->open) {
    free(sb->open);
    free(sb->q);
    free(sb->hist);
    free(sb);
    return NULL;
  }
  sb->ports = ports;
  sb->vcs = vcs;
  sb->words = words;
  sb->lat_min = UINT64_MAX;
  return sb;
}

void noc_sb_free(noc_sb *sb) {
  if (!sb) return;
  for (size_t i = 0; i < (size_t)sb->ports * sb->vcs; i++) {
    free(sb->q[i].e);
    free(sb->q[i].store);
  }
  free(sb->q);
  free(sb->hist);
  free(sb->open);
  free(sb);
}

static struct sb_entry *q_at(struct sb_queue *q, size_t k) { return &q->e[(q->first + k) % q->cap]; }

static int q_grow(struct sb_queue *q, unsigned words) {
  size_t cap = q->cap ? 2 * q->cap : 16;
  struct sb_entry *e = malloc(cap * sizeof *e);
  uint32_t *store = malloc(cap * words * sizeof *store);
  if (!e || !store) {
    free(e);
    free(store);
    return -1;
  }
  for (size_t k = 0; k < q->n; k++) {
    e[k] = *q_at(q, k);
    memcpy(&store[k * words], e[k].data, words * sizeof *store);
    e[k].data = &store[k * words];
  }
  for (size_t k = q->n; k < cap; k++) e[k].data = &store[k * words];
  free(q->e);
  free(q->store);
  q->e = e;
  q->store = store;
  q->cap = cap;
  q->first = 0;
  return 0;
}

int noc_sb_expect(noc_sb *sb, unsigned in_port, unsigned vc, const uint32_t *data, int head,
                  int tail, unsigned out_port, uint64_t cycle) {
  if (in_port >= sb->ports || vc >= sb->vcs) return -1;
  struct sb_queue *q = &sb->q[in_port * sb->vcs + vc];
  if (q->n == q->cap && q_grow(q, sb->words)) return -1;
  struct sb_entry *e = q_at(q, q->n);
  e->cycle = cycle;
  e->out_port = out_port;
  e->head = head != 0;
  e->tail = tail != 0;
  memcpy(e->data, data, sb->words * sizeof *data);
  q->n++;
  return 0;
}

/* A short name of a payload for messages: its first (up to) 3 words, most
 * significant first. */
struct pname {
  char s[32];
};
static struct pname pname(const noc_sb *sb, const uint32_t *d) {
  struct pname n;
  unsigned k = sb->words < 3 ? sb->words : 3, at = 0;
  n.s[0] = 0;
  for (unsigned w = k; w-- > 0;)
    at += (unsigned)snprintf(n.s + at, sizeof n.s - at, w + 1 < k ? "_%08" PRIx32 : "%08" PRIx32, d[w]);
  return n;
}

static unsigned diff_bits(const uint32_t *a, const uint32_t *b, unsigned words) {
  unsigned n = 0;
  for (unsigned w = 0; w < words; w++) n += (unsigned)__builtin_popcount(a[w] ^ b[w]);
  return n;
}

static void error(noc_sb *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void error(noc_sb *sb, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(sb->last_err, sizeof sb->last_err, fmt, ap);
  va_end(ap);
  if (!sb->errors) memcpy(sb->first_err, sb->last_err, sizeof sb->first_err);
  sb->errors++;
}

int noc_sb_observe(noc_sb *sb, unsigned out_port, const uint32_t *data, int head, int tail,
                   unsigned vc, uint64_t cycle) {
  head = head != 0;
  tail = tail != 0;
  /* The next flit of some (input, VC) with this payload on this VC. */
  for (unsigned i = 0; i < sb->ports; i++) {
    if (vc >= sb->vcs) break;
    struct sb_queue *q = &sb->q[i * sb->vcs + vc];
    if (!q->n) continue;
    struct sb_entry *e = q_at(q, 0);
    if (memcmp(e->data, data, sb->words * sizeof *data) != 0) continue;
    int ok = 1;
    if (e->out_port != out_port || e->head != head || e->tail != tail) {
      error(sb,
            "cycle %" PRIu64 " port %u: flit from input %u vc %u (entered cycle %" PRIu64
            ", payload %s) expected on port %u head %d tail %d, got port %u head %d tail %d",
            cycle, out_port, i, vc, e->cycle, pname(sb, data).s, e->out_port, e->head, e->tail, out_port, head,
            tail);
      ok = 0;
    }
    if (ok && out_port < sb->ports) {
      unsigned *open = &sb->open[out_port * sb->vcs + vc];
      if (head && *open) {
        error(sb, "cycle %" PRIu64 " port %u vc %u: head flit from input %u while the packet from "
                  "input %u is still open (payload %s)",
              cycle, out_port, vc, i, *open - 1, pname(sb, data).s);
        ok = 0;
      } else if (!head && *open != i + 1) {
        if (*open)
          error(sb, "cycle %" PRIu64 " port %u vc %u: flit from input %u interleaved with the open "
                    "packet from input %u (payload %s)",
                cycle, out_port, vc, i, *open - 1, pname(sb, data).s);
        else
          error(sb, "cycle %" PRIu64 " port %u vc %u: body flit from input %u with no open packet "
                    "(payload %s)",
                cycle, out_port, vc, i, pname(sb, data).s);
        ok = 0;
      }
      *open = tail ? 0 : i + 1;
    }
    uint64_t lat = cycle - e->cycle;
    if (lat < sb->lat_min) sb->lat_min = lat;
    if (lat > sb->lat_max) sb->lat_max = lat;
    sb->lat_sum += lat;
    sb->delivered++;
    size_t hslot = sb->hist_n++ % SB_HIST;
    memcpy(&sb->hist[hslot * sb->words], data, sb->words * sizeof *data);
    sb->hist_cycle[hslot] = cycle;
    sb->hist_port[hslot] = out_port;
    q->first = (q->first + 1) % q->cap;
    q->n--;
    return ok ? 0 : -1;
  }
  /* No match: say whether it is out of order (a flit before it is missing),
   * on the wrong VC, or matches nothing (corrupted or spurious). */
  for (unsigned i = 0; i < sb->ports; i++) {
    for (unsigned v = 0; v < sb->vcs; v++) {
      struct sb_queue *q = &sb->q[i * sb->vcs + v];
      for (size_t k = 0; k < q->n; k++) {
        struct sb_entry *e = q_at(q, k);
        if (memcmp(e->data, data, sb->words * sizeof *data) != 0) continue;
        if (v != vc)
          error(sb, "cycle %" PRIu64 " port %u: flit from input %u vc %u (payload %s"
                    ") left on vc %u", cycle, out_port, i, v, pname(sb, data).s, vc);
        else
          error(sb, "cycle %" PRIu64 " port %u: flit from input %u vc %u (payload %s"
                    ") out of order: %zu earlier flit(s) of that input VC missing, first expected "
                    "payload %s entered cycle %" PRIu64,
                cycle, out_port, i, v, pname(sb, data).s, k, pname(sb, q_at(q, 0)->data).s, q_at(q, 0)->cycle);
        return -1;
      }
    }
  }
  /* A flit delivered before? */
  for (uint64_t k = 0; k < SB_HIST && k < sb->hist_n; k++) {
    if (memcmp(&sb->hist[k * sb->words], data, sb->words * sizeof *data) != 0) continue;
    error(sb, "cycle %" PRIu64 " port %u vc %u: duplicate flit (payload %s"
              "), already delivered on port %u in cycle %" PRIu64,
          cycle, out_port, vc, pname(sb, data).s, sb->hist_port[k], sb->hist_cycle[k]);
    return -1;
  }
  /* Closest next-expected flit for this port and VC. */
  const struct sb_entry *best = NULL;
  unsigned best_d = ~0u, best_i = 0;
  for (unsigned i = 0; i < sb->ports && vc < sb->vcs; i++) {
    struct sb_queue *q = &sb->q[i * sb->vcs + vc];
    if (!q->n) continue;
    const struct sb_entry *e = q_at(q, 0);
    if (e->out_port != out_port) continue;
    unsigned d = diff_bits(e->data, data, sb->words);
    if (d < best_d) {
      best_d = d;
      best = e;
      best_i = i;
    }
  }
  if (best) {
    unsigned w = 0;
    while (w < sb->words && best->data[w] == data[w]) w++;
    error(sb, "cycle %" PRIu64 " port %u vc %u: corrupted flit: closest expected is input %u's "
              "next (entered cycle %" PRIu64 "), %u bit(s) differ, first in word %u: expected %08"
              PRIx32 " got %08" PRIx32,
          cycle, out_port, vc, best_i, best->cycle, best_d, w, best->data[w], data[w]);
  } else {
    error(sb, "cycle %" PRIu64 " port %u vc %u: unexpected flit (payload %s"
              "), nothing is expected there", cycle, out_port, vc, pname(sb, data).s);
  }
  return -1;
}

size_t noc_sb_finish(noc_sb *sb, uint64_t cycle) {
  size_t left = noc_sb_outstanding(sb);
  for (unsigned i = 0; i < sb->ports; i++) {
    for (unsigned v = 0; v < sb->vcs; v++) {
      struct sb_queue *q = &sb->q[i * sb->vcs + v];
      if (!q->n) continue;
      const struct sb_entry *e = q_at(q, 0);
      error(sb, "cycle %" PRIu64 ": %zu flit(s) from input %u vc %u never left; first entered "
                "cycle %" PRIu64 " for port %u, payload %s",
            cycle, q->n, i, v, e->cycle, e->out_port, pname(sb, e->data).s);
    }
  }
  return left;
}

uint64_t noc_sb_errors(const noc_sb *sb) { return sb->errors; }
uint64_t noc_sb_delivered(const noc_sb *sb) { return sb->delivered; }

size_t noc_sb_outstanding(const noc_sb *sb) {
  size_t n = 0;
  for (size_t i = 0; i < (size_t)sb->ports * sb->vcs; i++) n += sb->q[i].n;
  return n;
}

uint64_t noc_sb_lat_min(const noc_sb *sb) { return sb->delivered ? sb->lat_min : 0; }
uint64_t noc_sb_lat_max(const noc_sb *sb) { return sb->lat_max; }
double noc_sb_lat_mean(const noc_sb *sb) {
  return sb->delivered ? (double)sb->lat_sum / (double)sb->delivered : 0.0;
}
const char *noc_sb_first_error(const noc_sb *sb) { return sb->first_err; }
const char *noc_sb_last_error(const noc_sb *sb) { return sb->last_err; }
