/* Host memory for the NI testbench: sparse pages and the request pipelines
 * of docs/spec.md section 6.2. See ni_mem.h. */
#include "ni/ni_mem.h"

#include <stdlib.h>
#include <string.h>

enum { PAGE_BITS = 12, PAGE_SIZE = 1 << PAGE_BITS };

struct page {
  uint64_t num;              /* page number (addr >> PAGE_BITS) */
  uint8_t *data;             /* NULL: slot empty */
};

struct slot_rd {
  int valid;
  uint64_t addr;
  unsigned len;
};

struct ni_mem {
  unsigned memlat, width;
  /* open-addressing hash table of pages, power-of-two size */
  struct page *tab;
  size_t cap, used;
  /* request pipelines: slot (c + memlat - 1) % memlat holds the request of
   * cycle c; at cycle t, slot t % memlat is due */
  struct slot_rd *rd;
  struct ni_mem_wr *wr;
  uint64_t cycle;
  unsigned out_rd, out_wr;
  struct ni_mem_stats st;
  ni_mem_host_hook_fn host_hook;   /* told of every host write (a mirror) */
  void *host_hook_ctx;
};

static size_t hash_page(uint64_t num, size_t cap) {
  uint64_t h = num * 0x9E3779B97F4A7C15ull;
  return (size_t)(h >> 17) & (cap - 1);
}

static uint8_t *page_find(const ni_mem *m, uint64_t num) {
  size_t i = hash_page(num, m->cap);
  while (m->tab[i].data) {
    if (m->tab[i].num == num) return m->tab[i].data;
    i = (i + 1) & (m->cap - 1);
  }
  return NULL;
}

static int grow(ni_mem *m) {
  size_t ncap = m->cap * 2;
  struct page *nt = calloc(ncap, sizeof *nt);
  if (!nt) return -1;
  for (size_t j = 0; j < m->cap; j++) {
    if (!m->tab[j].data) continue;
    size_t i = hash_page(m->tab[j].num, ncap);
    while (nt[i].data) i = (i + 1) & (ncap - 1);
    nt[i] = m->tab[j];
  }
  free(m->tab);
  m->tab = nt;
  m->cap = ncap;
  return 0;
}

static uint8_t *page_get(ni_mem *m, uint64_t num) {
  uint8_t *p = page_find(m, num);
  if (p) return p;
  if (2 * (m->used + 1) > m->cap && grow(m) != 0) abort();
  p = calloc(1, PAGE_SIZE);
  if (!p) abort();
  size_t i = hash_page(num, m->cap);
  while (m->tab[i].data) i = (i + 1) & (m->cap - 1);
  m->tab[i].num = num;
  m->tab[i].data = p;
  m->used++;
  return p;
}

ni_mem *ni_mem_new(unsigned memlat, unsigned width) {
  if (memlat < 1 || width < 1 || width > NI_MEM_MAX_BYTES) return NULL;
  ni_mem *m = calloc(1, sizeof *m);
  if (!m) return NULL;
  m->memlat = memlat;
  m->width = width;
  m->cap = 256;
  m->tab = calloc(m->cap, sizeof *m->tab);
  m->rd = calloc(memlat, sizeof *m->rd);
  m->wr = calloc(memlat, sizeof *m->wr);
  if (!m->tab || !m->rd || !m->wr) {
    ni_mem_free(m);
    return NULL;
  }
  return m;
}

void ni_mem_free(ni_mem *m) {
  if (!m) return;
  if (m->tab) {
    for (size_t i = 0; i < m->cap; i++) free(m->tab[i].data);
  }
  free(m->tab);
  free(m->rd);
  free(m->wr);
  free(m);
}

/* the bytes into the pages (the host's writes and the NI's performed ones) */
static void mem_put(ni_mem *m, uint64_t addr, const void *src, size_t n) {
  const uint8_t *s = src;
  while (n) {
    size_t off = (size_t)(addr & (PAGE_SIZE - 1));
    size_t k = PAGE_SIZE - off;
    if (k > n) k = n;
    memcpy(page_get(m, addr >> PAGE_BITS) + off, s, k);
    addr += k;
    s += k;
    n -= k;
  }
}

void ni_mem_write(ni_mem *m, uint64_t addr, const void *src, size_t n) {
  mem_put(m, addr, src, n);
  if (m->host_hook) m->host_hook(m->host_hook_ctx, addr, src, n);
}

void ni_mem_set_host_hook(ni_mem *m, ni_mem_host_hook_fn fn, void *ctx) {
  m->host_hook = fn;
  m->host_hook_ctx = ctx;
}

void ni_mem_read(const ni_mem *m, uint64_t addr, void *dst, size_t n) {
  uint8_t *d = dst;
  while (n) {
    size_t off = (size_t)(addr & (PAGE_SIZE - 1));
    size_t k = PAGE_SIZE - off;
    if (k > n) k = n;
    const uint8_t *p = page_find(m, addr >> PAGE_BITS);
    if (p) memcpy(d, p + off, k);
    else memset(d, 0, k);
    addr += k;
    d += k;
    n -= k;
  }
}

void ni_mem_write_u64(ni_mem *m, uint64_t addr, uint64_t v) {
  uint8_t b[8];
  for (int i = 0; i < 8; i++) b[i] = (uint8_t)(v >> (8 * i));
  ni_mem_write(m, addr, b, 8);
}

void ni_mem_write_u32(ni_mem *m, uint64_t addr, uint32_t v) {
  uint8_t b[4];
  for (int i = 0; i < 4; i++) b[i] = (uint8_t)(v >> (8 * i));
  ni_mem_write(m, addr, b, 4);
}

uint64_t ni_mem_read_u64(const ni_mem *m, uint64_t addr) {
  uint8_t b[8];
  uint64_t v = 0;
  ni_mem_read(m, addr, b, 8);
  for (int i = 7; i >= 0; i--) v = (v << 8) | b[i];
  return v;
}

uint32_t ni_mem_read_u32(const ni_mem *m, uint64_t addr) {
  uint8_t b[4];
  uint32_t v = 0;
  ni_mem_read(m, addr, b, 4);
  for (int i = 3; i >= 0; i--) v = (v << 8) | b[i];
  return v;
}

int ni_mem_cycle(ni_mem *m, const struct ni_mem_rd *rd, const struct ni_mem_wr *wr,
                 uint8_t *rdata) {
  unsigned due = (unsigned)(m->cycle % m->memlat);
  unsigned put = (unsigned)((m->cycle + m->memlat - 1) % m->memlat);
  int got = 0;

  if (m->out_rd > m->st.max_out_rd) m->st.max_out_rd = m->out_rd;
  if (m->out_wr > m->st.max_out_wr) m->st.max_out_wr = m->out_wr;

  /* take this cycle's requests */
  if (rd && rd->valid) {
    if (rd->len > m->width || m->rd[put].valid) m->st.proto_errors++;
    m->rd[put].valid = 1;
    m->rd[put].addr = rd->addr;
    m->rd[put].len = rd->len > m->width ? m->width : rd->len;
    m->out_rd++;
    m->st.reads++;
    m->st.read_bytes += m->rd[put].len;
  }
  if (wr && wr->valid) {
    uint64_t want = (wr->len >= 64) ? ~0ull : ((1ull << wr->len) - 1);
    if (wr->len < 1 || wr->len > m->width || wr->be != want || m->wr[put].valid) {
      m->st.proto_errors++;
    }
    m->wr[put] = *wr;
    m->wr[put].valid = 1;
    m->out_wr++;
    m->st.writes++;
    m->st.write_bytes += wr->len;
  }

  /* the edge ending this cycle: the due write, then the due read */
  if (m->wr[due].valid) {
    const struct ni_mem_wr *w = &m->wr[due];
    unsigned i = 0;
    while (i < m->width) {            /* write each run of enabled bytes */
      if (!((w->be >> i) & 1u)) {
        i++;
        continue;
      }
      unsigned j = i;
      while (j < m->width && ((w->be >> j) & 1u)) j++;
      mem_put(m, w->addr + i, &w->data[i], j - i);
      i = j;
    }
    m->wr[due].valid = 0;
    m->out_wr--;
  }
  if (m->rd[due].valid) {
    memset(rdata, 0, m->width);
    ni_mem_read(m, m->rd[due].addr, rdata, m->rd[due].len);
    m->rd[due].valid = 0;
    m->out_rd--;
    got = 1;
  }
  m->cycle++;
  return got;
}

unsigned ni_mem_outstanding_rd(const ni_mem *m) { return m->out_rd; }
unsigned ni_mem_outstanding_wr(const ni_mem *m) { return m->out_wr; }
const struct ni_mem_stats *ni_mem_stats(const ni_mem *m) { return &m->st; }
size_t ni_mem_pages(const ni_mem *m) { return m->used; }
