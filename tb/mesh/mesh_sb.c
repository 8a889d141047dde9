/* End-to-end packet scoreboard (see mesh_sb.h). */
#include "mesh/mesh_sb.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pkt {
  uint64_t created;
  uint32_t seq;
  uint8_t len;
};

/* Packets of one flow created and not yet delivered, oldest first. */
struct flow {
  struct pkt *q;
  size_t cap, first, n;
  uint32_t next_seq;
};

/* The packet being delivered on (endpoint, VC). */
struct open_pkt {
  int open;
  unsigned src, flow, seq, len, idx;
  struct pkt p;
};

struct mesh_sb {
  unsigned nep, nvc, nflow; /* nflow = flows per source = nep * nvc */
  struct mesh_addr addr[MESH_EP_MAX];
  uint8_t ep_of[4096]; /* address key -> endpoint + 1, or 0 */
  struct flow *flows;  /* nep * nflow */
  struct open_pkt *open; /* nep * nvc */
  uint64_t errors, created, delivered;
  uint64_t meas_from, meas_to;
  uint64_t *lat;
  size_t nlat, caplat;
  int lat_sorted;
  char first[512];
};

static unsigned addr_key(unsigned chip, unsigned x, unsigned y) {
  return ((chip & 15u) << 8) | ((y & 15u) << 4) | (x & 15u);
}

static uint64_t mix64(uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

uint64_t mesh_payload(unsigned src, unsigned flow, unsigned seq, unsigned idx, unsigned w) {
  uint64_t key = ((uint64_t)src << 48) ^ ((uint64_t)flow << 32) ^ ((uint64_t)(seq & 0xFFFFu) << 8) ^
                 ((uint64_t)idx << 4) ^ w;
  return mix64(key);
}

void mesh_sb_make_flit(const mesh_sb *sb, unsigned src, unsigned dst, unsigned vc, unsigned seq,
                       unsigned len, unsigned idx, noc_flit *f) {
  unsigned flow = dst * sb->nvc + vc;
  memset(f, 0, sizeof *f);
  for (unsigned w = 0; w < MESH_FLIT_WORDS; w++) f->data[w] = mesh_payload(src, flow, seq, idx, w);
  if (idx == 0) {
    noc_header h = {
        .dst_x = sb->addr[dst].x,
        .dst_y = sb->addr[dst].y,
        .dst_chip = sb->addr[dst].chip,
        .src_x = sb->addr[src].x,
        .src_y = sb->addr[src].y,
        .src_chip = sb->addr[src].chip,
        .flow = flow,
        .seq = seq & 0xFFFFu,
        .len = len,
        .ni = 0,
    };
    noc_header_pack(f, &h);
  }
  f->head = idx == 0;
  f->tail = idx + 1 == len;
  f->vc = (uint8_t)vc;
}

mesh_sb *mesh_sb_new(unsigned nep, const struct mesh_addr *addr, unsigned nvc) {
  if (nep == 0 || nep > MESH_EP_MAX || nvc == 0 || nvc > NOC_NUM_VC_MAX || !addr) return NULL;
  mesh_sb *sb = calloc(1, sizeof *sb);
  if (!sb) return NULL;
  sb->nep = nep;
  sb->nvc = nvc;
  sb->nflow = nep * nvc;
  for (unsigned e = 0; e < nep; e++) {
    unsigned k = addr_key(addr[e].chip, addr[e].x, addr[e].y);
    if (sb->ep_of[k] || addr[e].chip > 15 || addr[e].x > 15 || addr[e].y > 15) {
      free(sb);
      return NULL; /* addresses must be distinct and fit the header */
    }
    sb->addr[e] = addr[e];
    sb->ep_of[k] = (uint8_t)(e + 1);
  }
  sb->flows = calloc((size_t)nep * sb->nflow, sizeof *sb->flows);
  sb->open = calloc((size_t)nep * nvc, sizeof *sb->open);
  if (!sb->flows || !sb->open) {
    mesh_sb_free(sb);
    return NULL;
  }
  sb->meas_to = UINT64_MAX;
  return sb;
}

void mesh_sb_free(mesh_sb *sb) {
  if (!sb) return;
  if (sb->flows)
    for (size_t k = 0; k < (size_t)sb->nep * sb->nflow; k++) free(sb->flows[k].q);
  free(sb->flows);
  free(sb->open);
  free(sb->lat);
  free(sb);
}

void mesh_sb_set_measure(mesh_sb *sb, uint64_t from, uint64_t to) {
  sb->meas_from = from;
  sb->meas_to = to;
}

static void sb_error(mesh_sb *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_error(mesh_sb *sb, const char *fmt, ...) {
  if (sb->errors++ == 0) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sb->first, sizeof sb->first, fmt, ap);
    va_end(ap);
  }
}

long mesh_sb_create(mesh_sb *sb, unsigned src, unsigned dst, unsigned vc, unsigned len,
                    uint64_t cycle) {
  if (src >= sb->nep || dst >= sb->nep || vc >= sb->nvc || len < 1 || len > 8) return -1;
  struct flow *fl = &sb->flows[(size_t)src * sb->nflow + dst * sb->nvc + vc];
  if (fl->n == fl->cap) {
    size_t cap = fl->cap ? 2 * fl->cap : 8;
    struct pkt *q = malloc(cap * sizeof *q);
    if (!q) return -1;
    for (size_t k = 0; k < fl->n; k++) q[k] = fl->q[(fl->first + k) % fl->cap];
    free(fl->q);
    fl->q = q;
    fl->cap = cap;
    fl->first = 0;
  }
  struct pkt *p = &fl->q[(fl->first + fl->n) % fl->cap];
  p->created = cycle;
  p->seq = fl->next_seq++;
  p->len = (uint8_t)len;
  fl->n++;
  sb->created++;
  return (long)p->seq;
}

static void record_latency(mesh_sb *sb, const struct pkt *p, uint64_t cycle) {
  if (p->created < sb->meas_from || p->created >= sb->meas_to) return;
  if (sb->nlat == sb->caplat) {
    size_t cap = sb->caplat ? 2 * sb->caplat : 1024;
    uint64_t *l = realloc(sb->lat, cap * sizeof *l);
    if (!l) return;
    sb->lat = l;
    sb->caplat = cap;
  }
  sb->lat[sb->nlat++] = cycle - p->created;
  sb->lat_sorted = 0;
}

/* Head flit at endpoint ep on vc: open the packet. */
static int deliver_head(mesh_sb *sb, unsigned ep, const noc_flit *f, uint64_t cycle,
                        struct open_pkt *op) {
  noc_header h;
  noc_header_unpack(f, &h);
  unsigned k = addr_key(h.src_chip, h.src_x, h.src_y);
  if (!sb->ep_of[k]) {
    sb_error(sb, "cycle %llu endpoint %u vc %u: head flit from unknown source (%u,%u,%u) "
             "(corrupted header 0x%016llx)", (unsigned long long)cycle, ep, f->vc, h.src_chip,
             h.src_x, h.src_y, (unsigned long long)f->data[0]);
    return -1;
  }
  unsigned src = sb->ep_of[k] - 1u;
  unsigned dst = h.flow / sb->nvc, fvc = h.flow % sb->nvc;
  if (h.flow >= sb->nflow || dst != ep || fvc != f->vc) {
    sb_error(sb, "cycle %llu endpoint %u vc %u: packet from %u flow %u seq %u belongs to "
             "endpoint %u vc %u (misrouted, VC changed or corrupted header)",
             (unsigned long long)cycle, ep, f->vc, src, h.flow, h.seq, dst, fvc);
    return -1;
  }
  struct mesh_addr a = sb->addr[ep];
  if (h.dst_chip != a.chip || h.dst_x != a.x || h.dst_y != a.y) {
    sb_error(sb, "cycle %llu endpoint %u vc %u: packet from %u flow %u seq %u: header "
             "destination (%u,%u,%u) is not this endpoint's (%u,%u,%u)",
             (unsigned long long)cycle, ep, f->vc, src, h.flow, h.seq, h.dst_chip, h.dst_x,
             h.dst_y, a.chip, a.x, a.y);
    return -1;
  }
  struct flow *fl = &sb->flows[(size_t)src * sb->nflow + h.flow];
  if (fl->n == 0) {
    sb_error(sb, "cycle %llu endpoint %u vc %u: packet from %u flow %u seq %u delivered but none "
             "is outstanding (duplicate)", (unsigned long long)cycle, ep, f->vc, src, h.flow,
             h.seq);
    return -1;
  }
  struct pkt *p = &fl->q[fl->first];
  if ((p->seq & 0xFFFFu) != h.seq) {
    /* sequence numbers of one flow in flight differ by less than 2^15 */
    unsigned ahead = (h.seq - p->seq) & 0xFFFFu;
    sb_error(sb, "cycle %llu endpoint %u vc %u: packet from %u flow %u: expected seq %u, got "
             "seq %u (%s)", (unsigned long long)cycle, ep, f->vc, src, h.flow, p->seq & 0xFFFFu,
             h.seq, ahead < 0x8000u ? "earlier packets missing or reordered"
                                    : "duplicate or reordered");
    return -1;
  }
  if (h.len != p->len) {
    sb_error(sb, "cycle %llu endpoint %u vc %u: packet from %u flow %u seq %u: header len %u, "
             "expected %u", (unsigned long long)cycle, ep, f->vc, src, h.flow, h.seq, h.len,
             p->len);
    return -1;
  }
  op->open = 1;
  op->src = src;
  op->flow = h.flow;
  op->seq = p->seq;
  op->len = p->len;
  op->idx = 0;
  op->p = *p;
  fl->first = (fl->first + 1) % fl->cap;
  fl->n--;
  return 0;
}

int mesh_sb_deliver(mesh_sb *sb, unsigned ep, const noc_flit *f, uint64_t cycle) {
  if (ep >= sb->nep || f->vc >= sb->nvc) {
    sb_error(sb, "cycle %llu: flit at endpoint %u vc %u out of range", (unsigned long long)cycle,
             ep, f->vc);
    return -1;
  }
  struct open_pkt *op = &sb->open[ep * sb->nvc + f->vc];
  if (f->head) {
    if (op->open) {
      sb_error(sb, "cycle %llu endpoint %u vc %u: head flit while packet from %u flow %u seq %u "
               "has delivered %u of %u flits (interleaved or tail lost)",
               (unsigned long long)cycle, ep, f->vc, op->src, op->flow, op->seq & 0xFFFFu,
               op->idx, op->len);
      op->open = 0;
    }
    if (deliver_head(sb, ep, f, cycle, op)) return -1;
  } else if (!op->open) {
    sb_error(sb, "cycle %llu endpoint %u vc %u: body flit with no packet open (head lost or "
             "duplicate flit)", (unsigned long long)cycle, ep, f->vc);
    return -1;
  }
  unsigned idx = op->idx;
  unsigned bad = 0;
  noc_flit want;
  mesh_sb_make_flit(sb, op->src, op->flow / sb->nvc, op->flow % sb->nvc, op->seq, op->len, idx,
                    &want);
  for (unsigned w = 0; w < NOC_FLIT_WORDS_MAX; w++)
    if (f->data[w] != want.data[w]) bad |= 1u << w;
  int last = idx + 1 == op->len;
  if (bad) {
    unsigned w = (unsigned)__builtin_ctz(bad);
    uint64_t exp = want.data[w];
    sb_error(sb, "cycle %llu endpoint %u vc %u: packet from %u flow %u seq %u flit %u/%u "
             "corrupted: word %u expected 0x%016llx, actual 0x%016llx",
             (unsigned long long)cycle, ep, f->vc, op->src, op->flow, op->seq & 0xFFFFu, idx,
             op->len, w, (unsigned long long)exp, (unsigned long long)f->data[w]);
  } else if ((unsigned)f->tail != (unsigned)last) {
    sb_error(sb, "cycle %llu endpoint %u vc %u: packet from %u flow %u seq %u flit %u/%u: tail "
             "mark %u, expected %u", (unsigned long long)cycle, ep, f->vc, op->src, op->flow,
             op->seq & 0xFFFFu, idx, op->len, f->tail, last);
  }
  op->idx++;
  if (last || f->tail) {
    op->open = 0;
    sb->delivered++;
    if (!bad && last && f->tail) record_latency(sb, &op->p, cycle);
  }
  return bad || (unsigned)f->tail != (unsigned)last ? -1 : 0;
}

size_t mesh_sb_finish(mesh_sb *sb) {
  size_t left = 0;
  for (size_t k = 0; k < (size_t)sb->nep * sb->nflow; k++) {
    const struct flow *fl = &sb->flows[k];
    if (!fl->n) continue;
    const struct pkt *p = &fl->q[fl->first];
    unsigned src = (unsigned)(k / sb->nflow), flow = (unsigned)(k % sb->nflow);
    sb_error(sb, "end of run: %zu packet(s) from %u flow %u (to endpoint %u vc %u) never "
             "delivered, the first seq %u created in cycle %llu (lost)", fl->n, src, flow,
             flow / sb->nvc, flow % sb->nvc, p->seq & 0xFFFFu, (unsigned long long)p->created);
    left += fl->n;
  }
  for (unsigned k = 0; k < sb->nep * sb->nvc; k++) {
    const struct open_pkt *op = &sb->open[k];
    if (op->open)
      sb_error(sb, "end of run: endpoint %u vc %u: packet from %u flow %u seq %u stopped after "
               "%u of %u flits", k / sb->nvc, k % sb->nvc, op->src, op->flow, op->seq & 0xFFFFu,
               op->idx, op->len);
  }
  return left;
}

uint64_t mesh_sb_errors(const mesh_sb *sb) { return sb->errors; }
const char *mesh_sb_first_error(const mesh_sb *sb) { return sb->first; }
uint64_t mesh_sb_created(const mesh_sb *sb) { return sb->created; }
uint64_t mesh_sb_delivered(const mesh_sb *sb) { return sb->delivered; }
uint64_t mesh_sb_outstanding(const mesh_sb *sb) { return sb->created - sb->delivered; }

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

void mesh_sb_latency(mesh_sb *sb, struct mesh_lat *out) {
  memset(out, 0, sizeof *out);
  if (!sb->nlat) return;
  if (!sb->lat_sorted) {
    qsort(sb->lat, sb->nlat, sizeof *sb->lat, cmp_u64);
    sb->lat_sorted = 1;
  }
  double sum = 0;
  for (size_t k = 0; k < sb->nlat; k++) sum += (double)sb->lat[k];
  out->n = sb->nlat;
  out->min = sb->lat[0];
  out->max = sb->lat[sb->nlat - 1];
  /* nearest-rank percentiles */
  size_t r50 = (sb->nlat * 50 + 99) / 100, r99 = (sb->nlat * 99 + 99) / 100;
  out->p50 = sb->lat[(r50 ? r50 : 1) - 1];
  out->p99 = sb->lat[(r99 ? r99 : 1) - 1];
  out->mean = sum / (double)sb->nlat;
}
