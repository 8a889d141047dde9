/*
 * noc_mesh.c - wires noc_router models into a mesh (see noc_mesh.h).
 */
#include "noc/noc_mesh.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One internal link direction: router `dst` input `dport` is fed by router
 * `src` output `sport` (and returns its credits to it). */
typedef struct link {
    noc_router *src, *dst;
    uint8_t sport, dport;
    uint8_t lose; /* fault injection: credits to lose on this link */
} link;

struct noc_mesh {
    noc_mesh_config cfg;
    unsigned n;
    noc_router **r;
    link *links;
    unsigned nlinks;
    int *link_of; /* [router*6 + input port] -> link index or -1 */
    char err[192];
};

static void seterr(char *buf, size_t len, const char *fmt, ...) {
    if (!buf || len == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

static unsigned opposite(unsigned p) {
    switch (p) {
    case NOC_PORT_N: return NOC_PORT_S;
    case NOC_PORT_S: return NOC_PORT_N;
    case NOC_PORT_E: return NOC_PORT_W;
    default: return NOC_PORT_E;
    }
}

/* neighbour of (x, y) through mesh port p, or -1 */
static int neighbour(const noc_mesh_config *c, unsigned x, unsigned y, unsigned p) {
    switch (p) {
    case NOC_PORT_N: return y > 0 ? (int)((y - 1) * c->kx + x) : -1;
    case NOC_PORT_S: return y + 1 < c->ky ? (int)((y + 1) * c->kx + x) : -1;
    case NOC_PORT_E: return x + 1 < c->kx ? (int)(y * c->kx + x + 1) : -1;
    case NOC_PORT_W: return x > 0 ? (int)(y * c->kx + x - 1) : -1;
    default: return -1;
    }
}

noc_mesh *noc_mesh_new(const noc_mesh_config *cfg, char *err, size_t errlen) {
    if (!cfg) {
        seterr(err, errlen, "noc_mesh: config is NULL");
        return NULL;
    }
    if (cfg->kx < 1 || cfg->kx > NOC_MESH_K_MAX || cfg->ky < 1 || cfg->ky > NOC_MESH_K_MAX) {
        seterr(err, errlen, "noc_mesh: kx x ky = %u x %u: each must be 1..%u", cfg->kx, cfg->ky,
               NOC_MESH_K_MAX);
        return NULL;
    }
    noc_mesh *m = calloc(1, sizeof *m);
    if (!m) {
        seterr(err, errlen, "noc_mesh: out of memory");
        return NULL;
    }
    m->cfg = *cfg;
    m->n = cfg->kx * cfg->ky;
    m->r = calloc(m->n, sizeof *m->r);
    m->links = calloc((size_t)m->n * 4, sizeof *m->links);
    m->link_of = malloc((size_t)m->n * NOC_NUM_PORTS * sizeof *m->link_of);
    if (!m->r || !m->links || !m->link_of) {
        noc_mesh_free(m);
        seterr(err, errlen, "noc_mesh: out of memory");
        return NULL;
    }
    for (unsigned k = 0; k < m->n * NOC_NUM_PORTS; k++) m->link_of[k] = -1;
    for (unsigned y = 0; y < cfg->ky; y++) {
        for (unsigned x = 0; x < cfg->kx; x++) {
            noc_router_config rc = cfg->router;
            rc.my_x = x;
            rc.my_y = y;
            rc.port_en = 1u << NOC_PORT_L;
            if (cfg->x_port) rc.port_en |= 1u << NOC_PORT_X;
            for (unsigned p = 0; p < 4; p++)
                if (cfg->edge_ports || neighbour(cfg, x, y, p) >= 0) rc.port_en |= 1u << p;
            char e2[192];
            m->r[y * cfg->kx + x] = noc_router_new(&rc, e2, sizeof e2);
            if (!m->r[y * cfg->kx + x]) {
                seterr(err, errlen, "noc_mesh: router (%u,%u): %s", x, y, e2);
                noc_mesh_free(m);
                return NULL;
            }
        }
    }
    for (unsigned y = 0; y < cfg->ky; y++) {
        for (unsigned x = 0; x < cfg->kx; x++) {
            unsigned k = y * cfg->kx + x;
            for (unsigned p = 0; p < 4; p++) {
                int nb = neighbour(cfg, x, y, p);
                if (nb < 0) continue;
                link *l = &m->links[m->nlinks];
                l->dst = m->r[k];
                l->dport = (uint8_t)p;
                l->src = m->r[nb];
                l->sport = (uint8_t)opposite(p);
                m->link_of[k * NOC_NUM_PORTS + p] = (int)m->nlinks;
                m->nlinks++;
            }
        }
    }
    return m;
}

void noc_mesh_free(noc_mesh *m) {
    if (!m) return;
    if (m->r)
        for (unsigned k = 0; k < m->n; k++) noc_router_free(m->r[k]);
    free(m->r);
    free(m->links);
    free(m->link_of);
    free(m);
}

void noc_mesh_reset(noc_mesh *m) {
    for (unsigned k = 0; k < m->n; k++) noc_router_reset(m->r[k]);
    for (unsigned l = 0; l < m->nlinks; l++) m->links[l].lose = 0;
    m->err[0] = 0;
}

noc_router *noc_mesh_router(noc_mesh *m, unsigned x, unsigned y) {
    if (x >= m->cfg.kx || y >= m->cfg.ky) return NULL;
    return m->r[y * m->cfg.kx + x];
}

uint64_t noc_mesh_cycle(const noc_mesh *m) { return noc_router_cycle(m->r[0]); }
const char *noc_mesh_error(const noc_mesh *m) { return m->err; }

int noc_mesh_is_external(const noc_mesh *m, unsigned x, unsigned y, unsigned port) {
    if (x >= m->cfg.kx || y >= m->cfg.ky || port >= NOC_NUM_PORTS) return 0;
    unsigned k = y * m->cfg.kx + x;
    if (m->link_of[k * NOC_NUM_PORTS + port] >= 0) return 0;
    return (noc_router_get_config(m->r[k])->port_en >> port) & 1u;
}

static int check_ext(noc_mesh *m, const char *fn, unsigned x, unsigned y, unsigned port) {
    if (!noc_mesh_is_external(m, x, y, port)) {
        seterr(m->err, sizeof m->err, "%s: router (%u,%u) port %u (%s) is not an external port",
               fn, x, y, port, noc_port_name(port));
        return -1;
    }
    return 0;
}

int noc_mesh_inject(noc_mesh *m, unsigned x, unsigned y, unsigned port, const noc_flit *f) {
    if (check_ext(m, "noc_mesh_inject", x, y, port)) return -1;
    noc_router *r = m->r[y * m->cfg.kx + x];
    if (noc_router_inject(r, port, f)) {
        seterr(m->err, sizeof m->err, "router (%u,%u): %s", x, y, noc_router_error(r));
        return -1;
    }
    return 0;
}

int noc_mesh_credit(noc_mesh *m, unsigned x, unsigned y, unsigned port, unsigned vc) {
    if (check_ext(m, "noc_mesh_credit", x, y, port)) return -1;
    noc_router *r = m->r[y * m->cfg.kx + x];
    if (noc_router_credit(r, port, vc)) {
        seterr(m->err, sizeof m->err, "router (%u,%u): %s", x, y, noc_router_error(r));
        return -1;
    }
    return 0;
}

const noc_flit *noc_mesh_out(const noc_mesh *m, unsigned x, unsigned y, unsigned port) {
    if (x >= m->cfg.kx || y >= m->cfg.ky) return NULL;
    return noc_router_out(m->r[y * m->cfg.kx + x], port);
}

int noc_mesh_credit_out(const noc_mesh *m, unsigned x, unsigned y, unsigned port) {
    if (x >= m->cfg.kx || y >= m->cfg.ky) return -1;
    return noc_router_credit_out(m->r[y * m->cfg.kx + x], port);
}

int noc_mesh_lose_credit(noc_mesh *m, unsigned x, unsigned y, unsigned port) {
    if (x >= m->cfg.kx || y >= m->cfg.ky || port >= NOC_NUM_PORTS ||
        m->link_of[(y * m->cfg.kx + x) * NOC_NUM_PORTS + port] < 0) {
        seterr(m->err, sizeof m->err, "noc_mesh_lose_credit: router (%u,%u) port %u is not internal",
               x, y, port);
        return -1;
    }
    m->links[m->link_of[(y * m->cfg.kx + x) * NOC_NUM_PORTS + port]].lose++;
    return 0;
}

void noc_mesh_step(noc_mesh *m) {
    /* gather: every internal input of cycle c is a neighbour's registered
     * output of cycle c, so all gathers happen before any router steps */
    for (unsigned l = 0; l < m->nlinks; l++) {
        link *k = &m->links[l];
        if (noc_router_link(k->src, k->sport, k->dst, k->dport, k->lose)) k->lose--;
    }
    for (unsigned i = 0; i < m->n; i++) noc_router_step(m->r[i]);
}

int noc_mesh_check_quiescent(const noc_mesh *m, char *msg, size_t msglen) {
    char e[192];
    for (unsigned k = 0; k < m->n; k++) {
        if (noc_router_check_quiescent(m->r[k], e, sizeof e)) {
            seterr(msg, msglen, "router (%u,%u): %s", k % m->cfg.kx, k / m->cfg.kx, e);
            return -1;
        }
    }
    return 0;
}

void noc_mesh_sum_counters(const noc_mesh *m, noc_router_counters *sum) {
    memset(sum, 0, sizeof *sum);
    for (unsigned k = 0; k < m->n; k++) {
        const noc_router_counters *c = noc_router_get_counters(m->r[k]);
        for (unsigned p = 0; p < NOC_NUM_PORTS; p++) {
            sum->flits_in[p] += c->flits_in[p];
            sum->flits_out[p] += c->flits_out[p];
            sum->stall[p] += c->stall[p];
            sum->occ[p] += c->occ[p];
            sum->buf_wr[p] += c->buf_wr[p];
            sum->buf_rd[p] += c->buf_rd[p];
            sum->xbar[p] += c->xbar[p];
            sum->va[p] += c->va[p];
            sum->sa[p] += c->sa[p];
        }
        sum->err_route += c->err_route;
        sum->err_proto += c->err_proto;
        sum->err_ovf += c->err_ovf;
        sum->err_credit += c->err_credit;
    }
}
