/* Host memory for the NI testbench (docs/spec.md section 6.2): byte
 * addressed, 64-bit addresses, sparse (4 KiB pages allocated on first write,
 * unwritten bytes read as 0). The host reads and writes it with no latency;
 * the NI's requests take `memlat` cycles: a request issued in cycle c is
 * performed at the edge ending cycle c + memlat - 1, writes before reads.
 *
 * ni_mem_cycle() is called once per cycle with the requests the NI issues in
 * that cycle. It performs the write due at the end of the cycle, then samples
 * the read due then and returns its data: the NI takes it into its state at
 * that edge (the read-data channel of rtl/ni/ni_memif.sv).
 */
#ifndef OPTILE_TB_NI_MEM_H
#define OPTILE_TB_NI_MEM_H

#include <stddef.h>
#include <stdint.h>

enum { NI_MEM_MAX_BYTES = 64 };   /* widest request (B) this model takes */

typedef struct ni_mem ni_mem;

struct ni_mem_rd {
  int valid;
  uint64_t addr;
  unsigned len;                   /* 0..B */
};

struct ni_mem_wr {
  int valid;
  uint64_t addr;
  unsigned len;                   /* 1..B */
  uint64_t be;                    /* byte enables, bit i for data[i] */
  uint8_t data[NI_MEM_MAX_BYTES];
};

struct ni_mem_stats {
  uint64_t reads, writes, read_bytes, write_bytes;
  unsigned max_out_rd, max_out_wr;   /* most requests outstanding at a cycle start */
  uint64_t proto_errors;             /* bad length, be not matching len, slot clash */
};

/** `memlat` >= 1 cycles; `width` = B, the read-data width in bytes. */
ni_mem *ni_mem_new(unsigned memlat, unsigned width);
void ni_mem_free(ni_mem *m);

/* host side, no latency */
void ni_mem_write(ni_mem *m, uint64_t addr, const void *src, size_t n);
void ni_mem_read(const ni_mem *m, uint64_t addr, void *dst, size_t n);
void ni_mem_write_u64(ni_mem *m, uint64_t addr, uint64_t v);
void ni_mem_write_u32(ni_mem *m, uint64_t addr, uint32_t v);
uint64_t ni_mem_read_u64(const ni_mem *m, uint64_t addr);
uint32_t ni_mem_read_u32(const ni_mem *m, uint64_t addr);
/** Called after every host-side write (ni_mem_write and the _u32/_u64
 *  forms; not the NI's performed writes) with its address and bytes, so a
 *  second memory (a golden model's) can mirror what the host writes. NULL
 *  removes it. */
typedef void (*ni_mem_host_hook_fn)(void *ctx, uint64_t addr, const void *src, size_t n);
void ni_mem_set_host_hook(ni_mem *m, ni_mem_host_hook_fn fn, void *ctx);

/** One cycle of the NI side. rd/wr: requests issued this cycle (NULL = none).
 *  Returns 1 and fills rdata[0..width-1] (bytes >= len are 0) if a read is
 *  performed at the end of this cycle, else 0. */
int ni_mem_cycle(ni_mem *m, const struct ni_mem_rd *rd, const struct ni_mem_wr *wr,
                 uint8_t *rdata);

/** Requests issued and not yet performed. */
unsigned ni_mem_outstanding_rd(const ni_mem *m);
unsigned ni_mem_outstanding_wr(const ni_mem *m);
const struct ni_mem_stats *ni_mem_stats(const ni_mem *m);
/** Pages allocated so far. */
size_t ni_mem_pages(const ni_mem *m);

#endif
