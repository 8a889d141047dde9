/*
 * hostmem.h - host-memory model for the NI's DMA (docs/spec.md section 6.2).
 *
 * Storage: a sparse, byte-addressed, little-endian 64-bit address space in
 * 4 KiB pages allocated on first write; bytes never written read as 0.
 * hostmem_read/hostmem_write are the host CPU's accesses: no latency.
 *
 * Requests with latency: a hostmem_port is one request channel (the NI has
 * a read channel and a write channel). A request issued in the port's
 * current cycle c is performed at the end of cycle c + latency - 1, in issue
 * order (hostmem_port_tick is that clock edge); a read samples memory when
 * it is performed.
 */
#ifndef OPTILE_HOSTMEM_H
#define OPTILE_HOSTMEM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HOSTMEM_PAGE      4096u
#define HOSTMEM_REQ_MAX   64u      /* bytes per request at most */
#define HOSTMEM_LAT_MAX   1000000u /* latency bound, cycles */
#define HOSTMEM_DEPTH_MAX 65536u   /* outstanding requests bound per port */

typedef struct hostmem hostmem;

/* Creates an empty memory. Returns NULL (message in err) when out of memory. */
hostmem *hostmem_new(char *err, size_t errlen);

/* Frees the memory and its pages. NULL allowed. The ports created on it
 * must be freed first. */
void hostmem_free(hostmem *m);

/* Host access, no latency. Returns 0, or -1 if [addr, addr+len) wraps past
 * 2^64 or (write) a page cannot be allocated; message in hostmem_error. */
int hostmem_read(const hostmem *m, uint64_t addr, void *buf, size_t len);
int hostmem_write(hostmem *m, uint64_t addr, const void *buf, size_t len);

/* Fills [addr, addr+len) with byte `value`. Same errors as hostmem_write. */
int hostmem_fill(hostmem *m, uint64_t addr, uint8_t value, size_t len);

/* Little-endian scalar helpers (host access). Out-of-range addresses read 0
 * / are ignored with -1 as for hostmem_read/write. */
uint32_t hostmem_rd32(const hostmem *m, uint64_t addr);
uint64_t hostmem_rd64(const hostmem *m, uint64_t addr);
int hostmem_wr32(hostmem *m, uint64_t addr, uint32_t v);
int hostmem_wr64(hostmem *m, uint64_t addr, uint64_t v);

/* Pages allocated so far. */
size_t hostmem_pages(const hostmem *m);

/* Message of the last failed call ("" if none). */
const char *hostmem_error(const hostmem *m);

/* ---- request channels with latency -------------------------------------------- */

typedef struct hostmem_req {
    uint64_t addr;
    uint32_t len;    /* 0..HOSTMEM_REQ_MAX */
    uint8_t write;   /* 1: write data[0..len); 0: read into data[0..len) */
    uint32_t tag;    /* the requester's, returned unchanged */
    uint64_t issued; /* cycle of issue (set by the port) */
    uint8_t data[HOSTMEM_REQ_MAX];
} hostmem_req;

typedef struct hostmem_port hostmem_port;

/* Creates a channel on m with `latency` (1..HOSTMEM_LAT_MAX) cycles and at
 * most `depth` (1..HOSTMEM_DEPTH_MAX) outstanding requests, at cycle 0.
 * Returns NULL with a message naming the field on a bad argument. */
hostmem_port *hostmem_port_new(hostmem *m, unsigned latency, unsigned depth, char *err,
                               size_t errlen);

/* Frees the port (outstanding requests are dropped). NULL allowed. */
void hostmem_port_free(hostmem_port *p);

/* Drops outstanding requests and returns to cycle 0. */
void hostmem_port_reset(hostmem_port *p);

/* Issues a request in the current cycle. Returns 0, or -1 if `depth`
 * requests are outstanding, len > HOSTMEM_REQ_MAX, or the range wraps
 * (message in hostmem_error of the memory). */
int hostmem_port_issue(hostmem_port *p, const hostmem_req *r);

/* Requests issued and not yet performed. */
unsigned hostmem_port_outstanding(const hostmem_port *p);

/* The clock edge ending the current cycle: performs the requests due now
 * (issued latency - 1 cycles ago), in issue order, copying each (with read
 * data filled in) to done[] while fewer than max were copied; returns how
 * many were performed. A write that cannot allocate a page is performed as
 * a no-op and counted in hostmem_port_errors. */
unsigned hostmem_port_tick(hostmem_port *p, hostmem_req *done, unsigned max);

/* Current cycle of the port. */
uint64_t hostmem_port_cycle(const hostmem_port *p);

/* Latency of the port. */
unsigned hostmem_port_latency(const hostmem_port *p);

/* Writes that could not be performed (out of memory). */
uint64_t hostmem_port_errors(const hostmem_port *p);

#ifdef __cplusplus
}
#endif

#endif
