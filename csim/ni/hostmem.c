/*
 * hostmem.c - sparse host memory and fixed-latency request channels
 * (docs/spec.md section 6.2).
 */
#include "ni/hostmem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct slot {
    uint64_t pn;   /* page number + 1 (0 = empty slot) */
    uint8_t *page;
} slot;

struct hostmem {
    slot *tab;
    size_t cap;    /* power of two */
    size_t used;
    char err[160];
};

struct hostmem_port {
    hostmem *m;
    unsigned lat, depth;
    hostmem_req *q;
    unsigned rd, count;
    uint64_t now;
    uint64_t errors;
};

static void seterr(char *buf, size_t len, const char *fmt, ...) {
    if (!buf || len == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

static size_t hash(uint64_t pn, size_t cap) {
    pn ^= pn >> 33;
    pn *= 0xff51afd7ed558ccdull;
    pn ^= pn >> 33;
    return (size_t)pn & (cap - 1);
}

hostmem *hostmem_new(char *err, size_t errlen) {
    hostmem *m = calloc(1, sizeof *m);
    if (m) {
        m->cap = 64;
        m->tab = calloc(m->cap, sizeof *m->tab);
    }
    if (!m || !m->tab) {
        free(m);
        seterr(err, errlen, "hostmem: out of memory");
        return NULL;
    }
    return m;
}

void hostmem_free(hostmem *m) {
    if (!m) return;
    for (size_t i = 0; i < m->cap; i++) free(m->tab[i].page);
    free(m->tab);
    free(m);
}

const char *hostmem_error(const hostmem *m) { return m->err; }
size_t hostmem_pages(const hostmem *m) { return m->used; }

static uint8_t *find(const hostmem *m, uint64_t pn) {
    size_t i = hash(pn, m->cap);
    for (;;) {
        if (m->tab[i].pn == 0) return NULL;
        if (m->tab[i].pn == pn + 1) return m->tab[i].page;
        i = (i + 1) & (m->cap - 1);
    }
}

static int grow(hostmem *m) {
    size_t ncap = m->cap * 2;
    slot *nt = calloc(ncap, sizeof *nt);
    if (!nt) return -1;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->tab[i].pn) continue;
        size_t j = hash(m->tab[i].pn - 1, ncap);
        while (nt[j].pn) j = (j + 1) & (ncap - 1);
        nt[j] = m->tab[i];
    }
    free(m->tab);
    m->tab = nt;
    m->cap = ncap;
    return 0;
}

static uint8_t *get(hostmem *m, uint64_t pn) {
    uint8_t *p = find(m, pn);
    if (p) return p;
    if ((m->used + 1) * 2 > m->cap && grow(m)) return NULL;
    p = calloc(1, HOSTMEM_PAGE);
    if (!p) return NULL;
    size_t i = hash(pn, m->cap);
    while (m->tab[i].pn) i = (i + 1) & (m->cap - 1);
    m->tab[i].pn = pn + 1;
    m->tab[i].page = p;
    m->used++;
    return p;
}

static int range_ok(const char *fn, char *err, size_t errlen, uint64_t addr, size_t len) {
    if (len && addr + (uint64_t)len - 1 < addr) {
        seterr(err, errlen, "%s: range 0x%llx + %zu wraps past 2^64", fn, (unsigned long long)addr, len);
        return 0;
    }
    return 1;
}

int hostmem_read(const hostmem *m, uint64_t addr, void *buf, size_t len) {
    if (!range_ok("hostmem_read", (char *)m->err, sizeof m->err, addr, len)) return -1;
    uint8_t *b = buf;
    while (len) {
        uint64_t off = addr % HOSTMEM_PAGE;
        size_t n = HOSTMEM_PAGE - off;
        if (n > len) n = len;
        const uint8_t *p = find(m, addr / HOSTMEM_PAGE);
        if (p) memcpy(b, p + off, n);
        else memset(b, 0, n);
        b += n;
        addr += n;
        len -= n;
    }
    return 0;
}

static int write_or_fill(hostmem *m, const char *fn, uint64_t addr, const uint8_t *src, int value,
                         size_t len) {
    if (!range_ok(fn, m->err, sizeof m->err, addr, len)) return -1;
    while (len) {
        uint64_t off = addr % HOSTMEM_PAGE;
        size_t n = HOSTMEM_PAGE - off;
        if (n > len) n = len;
        uint8_t *p = get(m, addr / HOSTMEM_PAGE);
        if (!p) {
            seterr(m->err, sizeof m->err, "%s: out of memory at 0x%llx", fn, (unsigned long long)addr);
            return -1;
        }
        if (src) {
            memcpy(p + off, src, n);
            src += n;
        } else {
            memset(p + off, value, n);
        }
        addr += n;
        len -= n;
    }
    return 0;
}

int hostmem_write(hostmem *m, uint64_t addr, const void *buf, size_t len) {
    return write_or_fill(m, "hostmem_write", addr, buf, 0, len);
}

int hostmem_fill(hostmem *m, uint64_t addr, uint8_t value, size_t len) {
    return write_or_fill(m, "hostmem_fill", addr, NULL, value, len);
}

uint32_t hostmem_rd32(const hostmem *m, uint64_t addr) {
    uint8_t b[4] = {0};
    (void)hostmem_read(m, addr, b, 4);
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

uint64_t hostmem_rd64(const hostmem *m, uint64_t addr) {
    return (uint64_t)hostmem_rd32(m, addr) | (uint64_t)hostmem_rd32(m, addr + 4) << 32;
}

int hostmem_wr32(hostmem *m, uint64_t addr, uint32_t v) {
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    return hostmem_write(m, addr, b, 4);
}

int hostmem_wr64(hostmem *m, uint64_t addr, uint64_t v) {
    if (hostmem_wr32(m, addr, (uint32_t)v)) return -1;
    return hostmem_wr32(m, addr + 4, (uint32_t)(v >> 32));
}

/* ---- ports ---------------------------------------------------------------------- */

hostmem_port *hostmem_port_new(hostmem *m, unsigned latency, unsigned depth, char *err,
                               size_t errlen) {
    if (!m) {
        seterr(err, errlen, "hostmem_port: memory is NULL");
        return NULL;
    }
    if (latency < 1 || latency > HOSTMEM_LAT_MAX) {
        seterr(err, errlen, "hostmem_port: latency = %u: must be 1..%u", latency, HOSTMEM_LAT_MAX);
        return NULL;
    }
    if (depth < 1 || depth > HOSTMEM_DEPTH_MAX) {
        seterr(err, errlen, "hostmem_port: depth = %u: must be 1..%u", depth, HOSTMEM_DEPTH_MAX);
        return NULL;
    }
    hostmem_port *p = calloc(1, sizeof *p);
    if (p) p->q = calloc(depth, sizeof *p->q);
    if (!p || !p->q) {
        free(p);
        seterr(err, errlen, "hostmem_port: out of memory");
        return NULL;
    }
    p->m = m;
    p->lat = latency;
    p->depth = depth;
    return p;
}

void hostmem_port_free(hostmem_port *p) {
    if (!p) return;
    free(p->q);
    free(p);
}

void hostmem_port_reset(hostmem_port *p) {
    p->rd = p->count = 0;
    p->now = 0;
    p->errors = 0;
}

int hostmem_port_issue(hostmem_port *p, const hostmem_req *r) {
    if (p->count >= p->depth) {
        seterr(p->m->err, sizeof p->m->err, "hostmem_port_issue: cycle %llu: %u requests "
               "outstanding (depth)", (unsigned long long)p->now, p->count);
        return -1;
    }
    if (r->len > HOSTMEM_REQ_MAX) {
        seterr(p->m->err, sizeof p->m->err, "hostmem_port_issue: len = %u > %u", r->len,
               HOSTMEM_REQ_MAX);
        return -1;
    }
    if (!range_ok("hostmem_port_issue", p->m->err, sizeof p->m->err, r->addr, r->len)) return -1;
    unsigned s = p->rd + p->count;
    if (s >= p->depth) s -= p->depth;
    hostmem_req *q = &p->q[s];
    q->addr = r->addr;
    q->len = r->len;
    q->write = r->write ? 1 : 0;
    q->tag = r->tag;
    q->issued = p->now;
    if (q->write) memcpy(q->data, r->data, r->len);
    p->count++;
    return 0;
}

unsigned hostmem_port_outstanding(const hostmem_port *p) { return p->count; }
uint64_t hostmem_port_cycle(const hostmem_port *p) { return p->now; }
unsigned hostmem_port_latency(const hostmem_port *p) { return p->lat; }
uint64_t hostmem_port_errors(const hostmem_port *p) { return p->errors; }

unsigned hostmem_port_tick(hostmem_port *p, hostmem_req *done, unsigned max) {
    unsigned n = 0;
    while (p->count) {
        hostmem_req *q = &p->q[p->rd];
        if (q->issued + p->lat - 1 != p->now) break; /* in issue order, equal latency */
        if (q->write) {
            if (hostmem_write(p->m, q->addr, q->data, q->len)) p->errors++;
        } else {
            (void)hostmem_read(p->m, q->addr, q->data, q->len);
        }
        if (n < max) done[n] = *q;
        n++;
        p->rd = p->rd + 1 == p->depth ? 0 : p->rd + 1;
        p->count--;
    }
    p->now++;
    return n;
}
