/* Run results: checks, JUnit XML, JSON summary (see results.h). */
#include "run/results.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int results_init(struct results *r) {
  memset(r, 0, sizeof(*r));
  r->summary = json_object();
  return r->summary ? 0 : -1;
}

void results_free(struct results *r) {
  free(r->checks);
  json_decref(r->summary);
  memset(r, 0, sizeof(*r));
}

int results_check(struct results *r, const char *group, const char *name, bool pass,
                  const char *fmt, ...) {
  if (r->n == r->cap) {
    size_t cap = r->cap ? 2 * r->cap : 32;
    struct check *c = realloc(r->checks, cap * sizeof(*c));
    if (!c) {
      fprintf(stderr, "optile: out of memory recording check %s\n", name);
      abort();
    }
    r->checks = c;
    r->cap = cap;
  }
  struct check *c = &r->checks[r->n++];
  snprintf(c->group, sizeof(c->group), "%s", group);
  snprintf(c->name, sizeof(c->name), "%s", name);
  c->pass = pass;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->msg, sizeof(c->msg), fmt, ap);
  va_end(ap);
  return pass ? 0 : -1;
}

size_t results_failed(const struct results *r) {
  size_t f = 0;
  for (size_t i = 0; i < r->n; i++) f += !r->checks[i].pass;
  return f;
}

static void xml_escaped(FILE *f, const char *s) {
  for (; *s; s++) {
    switch (*s) {
      case '<': fputs("&lt;", f); break;
      case '>': fputs("&gt;", f); break;
      case '&': fputs("&amp;", f); break;
      case '"': fputs("&quot;", f); break;
      case '\'': fputs("&apos;", f); break;
      default:
        /* XML 1.0 forbids most control characters. */
        if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t') fputc('?', f);
        else fputc(*s, f);
    }
  }
}

int results_write_junit(const struct results *r, const char *suite, double seconds,
                        const char *path, char *err, size_t errlen) {
  FILE *f = fopen(path, "w");
  if (!f) {
    snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    return -1;
  }
  fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  fprintf(f, "<testsuites tests=\"%zu\" failures=\"%zu\" time=\"%.3f\">\n", r->n, results_failed(r), seconds);
  fprintf(f, "  <testsuite name=\"");
  xml_escaped(f, suite);
  fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" time=\"%.3f\">\n", r->n, results_failed(r), seconds);
  for (size_t i = 0; i < r->n; i++) {
    const struct check *c = &r->checks[i];
    fprintf(f, "    <testcase classname=\"");
    xml_escaped(f, c->group);
    fprintf(f, "\" name=\"");
    xml_escaped(f, c->name);
    fprintf(f, "\" time=\"0\"");
    if (c->pass) {
      fprintf(f, ">\n      <system-out>");
      xml_escaped(f, c->msg);
      fprintf(f, "</system-out>\n    </testcase>\n");
    } else {
      fprintf(f, ">\n      <failure message=\"");
      xml_escaped(f, c->msg);
      fprintf(f, "\" type=\"mismatch\"/>\n    </testcase>\n");
    }
  }
  fprintf(f, "  </testsuite>\n</testsuites>\n");
  if (fclose(f)) {
    snprintf(err, errlen, "%s: write failed: %s", path, strerror(errno));
    return -1;
  }
  return 0;
}

int results_write_summary(const struct results *r, const char *path, char *err, size_t errlen) {
  json_t *checks = json_array();
  for (size_t i = 0; i < r->n; i++) {
    const struct check *c = &r->checks[i];
    json_array_append_new(checks, json_pack("{s:s, s:s, s:b, s:s}", "group", c->group, "name",
                                            c->name, "pass", c->pass, "message", c->msg));
  }
  json_object_set_new(r->summary, "checks", checks);
  json_object_set_new(r->summary, "verdict", json_string(results_failed(r) ? "FAIL" : "PASS"));
  if (json_dump_file(r->summary, path, JSON_INDENT(2) | JSON_SORT_KEYS)) {
    snprintf(err, errlen, "%s: cannot write JSON", path);
    return -1;
  }
  return 0;
}
