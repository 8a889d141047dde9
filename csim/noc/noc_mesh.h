/*
 * noc_mesh.h - a kx x ky mesh of noc_router models wired as spec section 5.1
 * says: router (x, y) port E to router (x+1, y) port W, port S to (x, y+1)
 * port N, with plain wires (an output in cycle t is the neighbour's input in
 * cycle t, credits likewise).
 *
 * The ports that are not wired inside the mesh are *external*: every L port,
 * every X port (if enabled) and, if edge_ports is set, the mesh ports on the
 * mesh's border (for traffic agents). The caller drives external inputs with
 * noc_mesh_inject()/noc_mesh_credit() before noc_mesh_step(), and reads
 * external outputs with noc_mesh_out()/noc_mesh_credit_out() after it, with
 * the cycle convention of noc_router.h.
 */
#ifndef OPTILE_NOC_MESH_H
#define OPTILE_NOC_MESH_H

#include <stddef.h>
#include <stdint.h>

#include "noc/noc_router.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NOC_MESH_K_MAX 16u

/* Creation parameters. */
typedef struct noc_mesh_config {
    unsigned kx, ky;          /* mesh size, 1..16 each */
    noc_router_config router; /* per-router parameters; my_x, my_y and port_en
                                 are set by the mesh (my_chip, route, flit_w,
                                 num_vc, buf_depth, variant are used as given) */
    unsigned edge_ports;      /* 1: border mesh ports are enabled and external; 0: disabled */
    unsigned x_port;          /* 1: every router's X port is enabled and external; 0: disabled */
} noc_mesh_config;

typedef struct noc_mesh noc_mesh;

/* Creates the mesh in the reset state. Returns NULL on a bad configuration
 * (message naming the field in err) or out of memory. */
noc_mesh *noc_mesh_new(const noc_mesh_config *cfg, char *err, size_t errlen);

/* Frees the mesh and its routers. NULL is allowed. */
void noc_mesh_free(noc_mesh *m);

/* Resets every router (noc_router_reset) and the fault injection. */
void noc_mesh_reset(noc_mesh *m);

/* The router at (x, y), or NULL if outside the mesh. */
noc_router *noc_mesh_router(noc_mesh *m, unsigned x, unsigned y);

/* Current cycle. */
uint64_t noc_mesh_cycle(const noc_mesh *m);

/* Message of the last failed call ("" if none). */
const char *noc_mesh_error(const noc_mesh *m);

/* Inputs of the current cycle on an external port of router (x, y): a flit,
 * or a credit for its output. Returns 0, or -1 (message in noc_mesh_error)
 * if the port is internal, disabled or out of range, or the router refuses. */
int noc_mesh_inject(noc_mesh *m, unsigned x, unsigned y, unsigned port, const noc_flit *f);
int noc_mesh_credit(noc_mesh *m, unsigned x, unsigned y, unsigned port, unsigned vc);

/* Evaluates the current cycle of every router and the clock edge. */
void noc_mesh_step(noc_mesh *m);

/* Output flit / credit of the current cycle on any port of router (x, y)
 * (as noc_router_out / noc_router_credit_out). */
const noc_flit *noc_mesh_out(const noc_mesh *m, unsigned x, unsigned y, unsigned port);
int noc_mesh_credit_out(const noc_mesh *m, unsigned x, unsigned y, unsigned port);

/* 1 if port of router (x, y) is external (driven by the caller). */
int noc_mesh_is_external(const noc_mesh *m, unsigned x, unsigned y, unsigned port);

/* Fault injection (tests only): the next credit that router (x, y) returns
 * on its input `port` (an internal port) is not delivered to the upstream
 * router. Returns 0, or -1 if the port is not internal. */
int noc_mesh_lose_credit(noc_mesh *m, unsigned x, unsigned y, unsigned port);

/* Runs noc_router_check_quiescent on every router; returns 0 or -1 with a
 * message naming the router. */
int noc_mesh_check_quiescent(const noc_mesh *m, char *msg, size_t msglen);

/* Sums of every router's counters. */
void noc_mesh_sum_counters(const noc_mesh *m, noc_router_counters *sum);

#ifdef __cplusplus
}
#endif

#endif
