/* Monitor-level VCD writer (see xc_vcd.h). */
#include "xcheck/xc_vcd.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORDS (XC_VCD_MAX_BITS / 64)

struct var {
  char code[8];
  unsigned width;
  uint64_t *val; /* last written value, (width + 63) / 64 words */
  bool written;
};

struct xc_vcd {
  FILE *f;
  uint64_t from, to;
  struct var *vars;
  size_t n, cap;
  char scope[256];     /* scope currently open in the header */
  bool begun, time_written, first;
  uint64_t now;
};

static void code_of(size_t i, char *out) {
  size_t k = 0;
  do {
    out[k++] = (char)(33 + i % 94);
    i /= 94;
  } while (i && k < 7);
  out[k] = 0;
}

xc_vcd_t *xc_vcd_open(const char *path, uint64_t from, uint64_t to, char *err, size_t errlen) {
  xc_vcd_t *v = calloc(1, sizeof(*v));
  if (!v) {
    snprintf(err, errlen, "vcd: out of memory");
    return NULL;
  }
  v->f = fopen(path, "w");
  if (!v->f) {
    snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    free(v);
    return NULL;
  }
  v->from = from;
  v->to = to;
  v->first = true;
  fprintf(v->f, "$comment optile monitor-level waves, one value per cycle $end\n$timescale 1ns $end\n");
  return v;
}

/* Split a dotted scope into at most 16 components (pointers into buf). */
static int split(char *buf, char **comp) {
  int n = 0;
  for (char *p = buf; *p && n < 16;) {
    comp[n++] = p;
    char *d = strchr(p, '.');
    if (!d) break;
    *d = 0;
    p = d + 1;
  }
  return n;
}

/* Close the open scopes `scope` does not share, open the rest. */
static void enter_scope(xc_vcd_t *v, const char *scope) {
  char a[256], b[256], *ca[16], *cb[16];
  snprintf(a, sizeof(a), "%s", v->scope);
  snprintf(b, sizeof(b), "%s", scope);
  int na = split(a, ca), nb = split(b, cb), common = 0;
  while (common < na && common < nb && !strcmp(ca[common], cb[common])) common++;
  for (int k = common; k < na; k++) fprintf(v->f, "$upscope $end\n");
  for (int k = common; k < nb; k++) fprintf(v->f, "$scope module %s $end\n", cb[k]);
  snprintf(v->scope, sizeof(v->scope), "%s", scope);
}

int xc_vcd_var(xc_vcd_t *v, const char *scope, const char *name, unsigned width) {
  if (v->begun || width < 1 || width > XC_VCD_MAX_BITS) return -1;
  if (v->n == v->cap) {
    size_t cap = v->cap ? 2 * v->cap : 64;
    struct var *nv = realloc(v->vars, cap * sizeof(*nv));
    if (!nv) return -1;
    v->vars = nv;
    v->cap = cap;
  }
  struct var *x = &v->vars[v->n];
  memset(x, 0, sizeof(*x));
  x->width = width;
  x->val = calloc((width + 63) / 64, sizeof(uint64_t));
  if (!x->val) return -1;
  code_of(v->n, x->code);
  enter_scope(v, scope);
  if (width == 1) fprintf(v->f, "$var wire 1 %s %s $end\n", x->code, name);
  else fprintf(v->f, "$var wire %u %s %s [%u:0] $end\n", width, x->code, name, width - 1);
  return (int)v->n++;
}

void xc_vcd_begin(xc_vcd_t *v) {
  enter_scope(v, "");
  fprintf(v->f, "$enddefinitions $end\n");
  v->begun = true;
}

bool xc_vcd_at(xc_vcd_t *v, uint64_t cycle) {
  if (!v || cycle < v->from || (v->to && cycle > v->to)) return false;
  v->now = cycle;
  v->time_written = false;
  return true;
}

static void write_value(xc_vcd_t *v, struct var *x) {
  if (!v->time_written) {
    fprintf(v->f, "#%" PRIu64 "\n", v->now);
    v->time_written = true;
  }
  if (x->width == 1) {
    fprintf(v->f, "%c%s\n", (x->val[0] & 1) ? '1' : '0', x->code);
    return;
  }
  char buf[XC_VCD_MAX_BITS + 2];
  size_t k = 0;
  int started = 0;
  for (int b = (int)x->width - 1; b >= 0; b--) {
    int bit = (int)(x->val[b / 64] >> (b % 64) & 1);
    if (bit) started = 1;
    if (started) buf[k++] = (char)('0' + bit);
  }
  if (!k) buf[k++] = '0';
  buf[k] = 0;
  fprintf(v->f, "b%s %s\n", buf, x->code);
}

void xc_vcd_set(xc_vcd_t *v, int id, const uint64_t *words) {
  if (!v || id < 0 || (size_t)id >= v->n) return;
  struct var *x = &v->vars[id];
  size_t nw = (x->width + 63) / 64;
  uint64_t tmp[WORDS];
  memcpy(tmp, words, nw * sizeof(uint64_t));
  if (x->width % 64) tmp[nw - 1] &= (1ull << (x->width % 64)) - 1;
  if (x->written && !memcmp(tmp, x->val, nw * sizeof(uint64_t))) return;
  memcpy(x->val, tmp, nw * sizeof(uint64_t));
  x->written = true;
  write_value(v, x);
}

void xc_vcd_set64(xc_vcd_t *v, int id, uint64_t value) {
  uint64_t w[WORDS] = {0};
  w[0] = value;
  xc_vcd_set(v, id, w);
}

int xc_vcd_close(xc_vcd_t *v) {
  if (!v) return 0;
  int rc = fclose(v->f) ? -1 : 0;
  for (size_t i = 0; i < v->n; i++) free(v->vars[i].val);
  free(v->vars);
  free(v);
  return rc;
}
