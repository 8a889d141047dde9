/* Scenario files (see scenario.h). */
#include "run/scenario.h"

#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { K_U64, K_U32, K_I32, K_DBL, K_BOOL, K_STR, K_PATH, K_ENUM };

struct key {
  const char *section, *name;
  enum kind kind;
  size_t off;          /* offset in struct scenario */
  double lo, hi;       /* range for numbers; buffer size for strings */
  const char *const *names; /* enum names, NULL-terminated, value = index */
  const char *help;
};

static const char *const systems[] = {"phy-link", "mesh", "two-chip", NULL};
static const char *const traffics[] = {"none", "uniform", "transpose", "bitcomp", "hotspot", NULL};
static const char *const waves[] = {"none", "fst", "vcd", NULL};

#define OFF(f) offsetof(struct scenario, f)
static const struct key keys[] = {
    {"run", "name", K_STR, OFF(name), 0, sizeof(((struct scenario *)0)->name), NULL, "run name"},
    {"run", "cycles", K_U64, OFF(cycles), 1, 1e12, NULL, "simulated cycles"},
    {"run", "seed", K_U64, OFF(seed), 0, 1.8e19, NULL, "random seed"},
    {"run", "window", K_U32, OFF(window), 16, 1 << 24, NULL, "throughput window, cycles"},
    {"run", "stop_on_mismatch", K_BOOL, OFF(stop_on_mismatch), 0, 1, NULL, "stop at the first mismatch"},
    {"run", "waves", K_ENUM, OFF(waves), 0, 0, waves, "waveform format"},
    {"run", "waves_from", K_U64, OFF(waves_from), 0, 1e12, NULL, "first dumped cycle"},
    {"run", "waves_to", K_U64, OFF(waves_to), 0, 1e12, NULL, "last dumped cycle"},
    {"system", "type", K_ENUM, OFF(system), 0, 0, systems, "system under test"},
    {"system", "chips", K_U32, OFF(chips), 1, 16, NULL, "chips"},
    {"system", "mesh", K_U32, OFF(mesh_k), 1, 8, NULL, "k for a k x k mesh per chip"},
    {"system", "lanes", K_U32, OFF(lanes), 1, 8, NULL, "optical lanes per link"},
    {"system", "firmware", K_PATH, OFF(firmware), 0, sizeof(((struct scenario *)0)->firmware), NULL,
     "management firmware ELF (two-chip)"},
    {"system", "marker_period", K_U32, OFF(marker_period), 32, 65535, NULL, "alignment-marker period, rows"},
    {"traffic", "pattern", K_ENUM, OFF(pattern), 0, 0, traffics, "mesh traffic pattern"},
    {"traffic", "rate", K_DBL, OFF(rate), 0, 1, NULL, "offered flits/node/cycle"},
    {"traffic", "hotspot_x", K_U32, OFF(hotspot_x), 0, 7, NULL, "hotspot tile x"},
    {"traffic", "hotspot_y", K_U32, OFF(hotspot_y), 0, 7, NULL, "hotspot tile y"},
    {"traffic", "dma_bytes", K_U64, OFF(dma_bytes), 0, 1ull << 32, NULL, "bytes moved by DMA"},
    {"channel", "fiber_cycles", K_U32, OFF(fiber_cycles), 0, 100000, NULL, "fiber latency, cycles"},
    {"channel", "skew_cycles", K_U32, OFF(skew_cycles), 0, 16, NULL, "largest lane skew, cycles"},
    {"channel", "ber", K_DBL, OFF(ber), 0, 0.01, NULL, "bit-error rate"},
    {"channel", "burst_rate", K_DBL, OFF(burst_rate), 0, 0.01, NULL, "bursts per bit"},
    {"channel", "burst_len", K_U32, OFF(burst_len), 1, 10000, NULL, "bits per burst"},
    {"channel", "lost_lane", K_I32, OFF(lost_lane), -1, 7, NULL, "lane lost mid-run (-1: none)"},
    {"channel", "lost_cycle", K_U64, OFF(lost_cycle), 0, 1e12, NULL, "cycle the lane is lost"},
    {"channel", "drift_k_per_ms", K_DBL, OFF(drift_k_per_ms), -1000, 1000, NULL, "ring temperature drift, K/ms"},
    {"channel", "retune", K_BOOL, OFF(retune), 0, 1, NULL, "firmware retunes the rings"},
    {"energy", "card", K_STR, OFF(card), 0, sizeof(((struct scenario *)0)->card), NULL, "energy card"},
    {"check", "throughput_tolerance", K_DBL, OFF(throughput_tolerance), 0, 1, NULL, "relative"},
    {"check", "energy_tolerance", K_DBL, OFF(energy_tolerance), 0, 1, NULL, "relative"},
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

void scenario_defaults(struct scenario *s) {
  memset(s, 0, sizeof(*s));
  snprintf(s->name, sizeof(s->name), "default");
  s->cycles = 200000;
  s->seed = 1;
  s->window = 1024;
  s->stop_on_mismatch = true;
  s->waves = SCN_WAVES_NONE;
  s->system = SCN_SYS_TWO_CHIP;
  s->chips = 2;
  s->mesh_k = 1;
  s->lanes = 8;
  s->marker_period = 1024;
  s->pattern = SCN_TR_UNIFORM;
  s->rate = 0.1;
  s->dma_bytes = 1u << 20;
  s->fiber_cycles = 10;
  s->burst_len = 32;
  s->lost_lane = -1;
  s->retune = true;
  snprintf(s->card, sizeof(s->card), "product");
  snprintf(s->firmware, sizeof(s->firmware), "build/fw/optile-fw.elf");
}

static const struct key *find(const char *section, const char *name) {
  for (size_t i = 0; i < NKEYS; i++)
    if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].name, name) == 0) return &keys[i];
  return NULL;
}

static bool section_known(const char *section) {
  for (size_t i = 0; i < NKEYS; i++)
    if (strcmp(keys[i].section, section) == 0) return true;
  return false;
}

/* Parse value into the field; 0 or -1 with the problem (no location) in err. */
static int assign(struct scenario *s, const struct key *k, const char *v, char *err, size_t n) {
  char *end = NULL;
  void *p = (char *)s + k->off;
  while (*v == ' ' || *v == '\t') v++;
  if (*v == '\0') {
    snprintf(err, n, "empty value");
    return -1;
  }
  switch (k->kind) {
    case K_U64:
    case K_U32:
    case K_I32: {
      errno = 0;
      long long x = strtoll(v, &end, 0);
      if (errno || *end) {
        snprintf(err, n, "'%s' is not an integer", v);
        return -1;
      }
      if ((double)x < k->lo || (double)x > k->hi) {
        snprintf(err, n, "%lld is out of range %.0f..%.0f", x, k->lo, k->hi);
        return -1;
      }
      if (k->kind == K_U64) *(uint64_t *)p = (uint64_t)x;
      else if (k->kind == K_U32) *(uint32_t *)p = (uint32_t)x;
      else *(int32_t *)p = (int32_t)x;
      return 0;
    }
    case K_DBL: {
      errno = 0;
      double x = strtod(v, &end);
      if (errno || *end || !isfinite(x)) {
        snprintf(err, n, "'%s' is not a number", v);
        return -1;
      }
      if (x < k->lo || x > k->hi) {
        snprintf(err, n, "%g is out of range %g..%g", x, k->lo, k->hi);
        return -1;
      }
      *(double *)p = x;
      return 0;
    }
    case K_BOOL:
      if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "1")) *(bool *)p = true;
      else if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "0")) *(bool *)p = false;
      else {
        snprintf(err, n, "'%s' is not true or false", v);
        return -1;
      }
      return 0;
    case K_STR: {
      size_t len = strlen(v);
      if (len >= (size_t)k->hi) {
        snprintf(err, n, "longer than %d characters", (int)k->hi - 1);
        return -1;
      }
      for (size_t i = 0; i < len; i++)
        if (!(v[i] == '-' || v[i] == '_' || v[i] == '.' || (v[i] >= '0' && v[i] <= '9') ||
              (v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z'))) {
          snprintf(err, n, "'%s' may hold only letters, digits, '-', '_' and '.'", v);
          return -1;
        }
      memcpy(p, v, len + 1);
      return 0;
    }
    case K_PATH: {
      size_t len = strlen(v);
      if (len == 0 || len >= (size_t)k->hi) {
        snprintf(err, n, "a path of 1 to %d characters is needed", (int)k->hi - 1);
        return -1;
      }
      for (size_t i = 0; i < len; i++)
        if (v[i] <= ' ' || v[i] > '~') {
          snprintf(err, n, "'%s': a path without spaces or control characters is needed", v);
          return -1;
        }
      memcpy(p, v, len + 1);
      return 0;
    }
    case K_ENUM:
      for (int i = 0; k->names[i]; i++)
        if (!strcmp(v, k->names[i])) {
          *(int *)p = i;
          return 0;
        }
      {
        size_t o = (size_t)snprintf(err, n, "'%s' is not one of", v);
        for (int i = 0; k->names[i] && o < n; i++)
          o += (size_t)snprintf(err + o, n - o, " %s", k->names[i]);
      }
      return -1;
  }
  snprintf(err, n, "internal: unknown key kind");
  return -1;
}

/* libinih is built without line numbers in its handler, so the reader
 * counts lines: the handler runs right after its line was read. */
struct parse {
  struct scenario *s;
  FILE *f;
  const char *path;
  int line;
  bool seen[NKEYS];
  int failed;
  char *err;
  size_t errlen;
};

static char *reader(char *str, int num, void *stream) {
  struct parse *p = stream;
  char *r = fgets(str, num, p->f);
  if (r) p->line++;
  return r;
}

static int handler(void *user, const char *section, const char *name, const char *value) {
  struct parse *p = user;
  char why[256];
  if (p->failed) return 0;
  const struct key *k = find(section, name);
  if (!k) {
    if (!section_known(section))
      snprintf(p->err, p->errlen, "%s:%d: unknown section [%s]", p->path, p->line, section);
    else
      snprintf(p->err, p->errlen, "%s:%d: %s.%s: unknown key", p->path, p->line, section, name);
    p->failed = 1;
    return 0;
  }
  size_t idx = (size_t)(k - keys);
  if (p->seen[idx]) {
    snprintf(p->err, p->errlen, "%s:%d: %s.%s: given twice", p->path, p->line, section, name);
    p->failed = 1;
    return 0;
  }
  p->seen[idx] = true;
  if (assign(p->s, k, value, why, sizeof(why))) {
    snprintf(p->err, p->errlen, "%s:%d: %s.%s: %s", p->path, p->line, section, name, why);
    p->failed = 1;
    return 0;
  }
  return 1;
}

int scenario_load(struct scenario *s, const char *path, char *err, size_t errlen) {
  struct parse p;
  memset(&p, 0, sizeof(p));
  p.s = s;
  p.path = path;
  p.err = err;
  p.errlen = errlen;
  p.f = fopen(path, "r");
  if (!p.f) {
    snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    return -1;
  }
  /* The run name defaults to the file's base name without .ini. */
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  snprintf(s->name, sizeof(s->name), "%.*s", (int)strcspn(base, "."), base);
  snprintf(s->path, sizeof(s->path), "%s", path);
  int rc = ini_parse_stream(reader, &p, handler, &p);
  fclose(p.f);
  if (p.failed) return -1;
  if (rc > 0) {
    snprintf(err, errlen, "%s:%d: syntax error (expected [section] or key = value)", path, rc);
    return -1;
  }
  if (rc < 0) {
    snprintf(err, errlen, "%s: cannot read", path);
    return -1;
  }
  return scenario_validate(s, err, errlen);
}

int scenario_set(struct scenario *s, const char *key, const char *value, char *err, size_t errlen) {
  char section[32];
  const char *dot = strchr(key, '.');
  char why[256];
  if (!dot || (size_t)(dot - key) >= sizeof(section)) {
    snprintf(err, errlen, "%s: expected section.key", key);
    return -1;
  }
  snprintf(section, sizeof(section), "%.*s", (int)(dot - key), key);
  const struct key *k = find(section, dot + 1);
  if (!k) {
    snprintf(err, errlen, "%s: unknown key", key);
    return -1;
  }
  if (assign(s, k, value, why, sizeof(why))) {
    snprintf(err, errlen, "%s: %s", key, why);
    return -1;
  }
  return 0;
}

int scenario_validate(const struct scenario *s, char *err, size_t errlen) {
  const char *where = s->path[0] ? s->path : "scenario";
  if (s->waves != SCN_WAVES_NONE && s->waves_to && s->waves_to < s->waves_from) {
    snprintf(err, errlen, "%s: run.waves_to (%llu) is before run.waves_from (%llu)", where,
             (unsigned long long)s->waves_to, (unsigned long long)s->waves_from);
    return -1;
  }
  if (s->lost_lane >= (int32_t)s->lanes) {
    snprintf(err, errlen, "%s: channel.lost_lane %d: the link has only %u lanes", where,
             (int)s->lost_lane, (unsigned)s->lanes);
    return -1;
  }
  if (s->pattern == SCN_TR_HOTSPOT && (s->hotspot_x >= s->mesh_k || s->hotspot_y >= s->mesh_k)) {
    snprintf(err, errlen, "%s: traffic.hotspot_x/y (%u, %u) lies outside the %ux%u mesh", where,
             (unsigned)s->hotspot_x, (unsigned)s->hotspot_y, (unsigned)s->mesh_k, (unsigned)s->mesh_k);
    return -1;
  }
  if (s->system == SCN_SYS_TWO_CHIP && s->chips != 2) {
    snprintf(err, errlen, "%s: system.chips is %u, the two-chip system needs 2", where, (unsigned)s->chips);
    return -1;
  }
  if (s->system == SCN_SYS_TWO_CHIP && s->mesh_k != 1) {
    snprintf(err, errlen, "%s: system.mesh is %u, the two-chip system has one tile per chip (mesh = 1); "
             "multi-tile meshes run as system.type = mesh", where, (unsigned)s->mesh_k);
    return -1;
  }
  return 0;
}

const char *scenario_system_name(enum scn_system v) { return systems[v]; }
const char *scenario_traffic_name(enum scn_traffic v) { return traffics[v]; }
const char *scenario_waves_name(enum scn_waves v) { return waves[v]; }
