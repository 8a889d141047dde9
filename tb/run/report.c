/* report.html with gnuplot pictures (see report.h). */
#include "run/report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

struct report {
  char dir[512];
  FILE *body;       /* page body, kept in memory */
  char *body_buf;
  size_t body_len;
  FILE *gp;         /* gnuplot script */
  char title[128];
  int plots;
};

static void escape(FILE *f, const char *s) {
  for (; *s; s++) {
    if (*s == '<') fputs("&lt;", f);
    else if (*s == '>') fputs("&gt;", f);
    else if (*s == '&') fputs("&amp;", f);
    else fputc(*s, f);
  }
}

struct report *report_new(const char *dir, const char *title, char *err, size_t errlen) {
  struct report *r = calloc(1, sizeof(*r));
  char path[600];
  if (!r) {
    snprintf(err, errlen, "report: out of memory");
    return NULL;
  }
  snprintf(r->dir, sizeof(r->dir), "%s", dir);
  snprintf(r->title, sizeof(r->title), "%s", title);
  r->body = open_memstream(&r->body_buf, &r->body_len);
  snprintf(path, sizeof(path), "%s/report.gp", dir);
  r->gp = fopen(path, "w");
  if (!r->body || !r->gp) {
    snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    if (r->body) fclose(r->body);
    if (r->gp) fclose(r->gp);
    free(r->body_buf);
    free(r);
    return NULL;
  }
  fprintf(r->gp, "set terminal pngcairo size 900,420 font 'sans,10' noenhanced\nset grid\nset key outside right\n");
  return r;
}

int report_plot(struct report *r, const char *id, const char *caption, const char *data,
                const char *plot) {
  char path[600];
  snprintf(path, sizeof(path), "%s/%s.dat", r->dir, id);
  FILE *f = fopen(path, "w");
  if (!f) return -1;
  fputs(data, f);
  if (fclose(f)) return -1;
  fprintf(r->gp, "set output '%s.png'\nset title \"%s\"\n%s\nunset title\nreset session\n"
                 "set terminal pngcairo size 900,420 font 'sans,10' noenhanced\nset grid\nset key outside right\n",
          id, caption, plot);
  fprintf(r->body, "<figure><img src=\"%s.png\" alt=\"", id);
  escape(r->body, caption);
  fprintf(r->body, "\"><figcaption>");
  escape(r->body, caption);
  fprintf(r->body, " (data: <a href=\"%s.dat\">%s.dat</a>)</figcaption></figure>\n", id, id);
  r->plots++;
  return 0;
}

int report_html(struct report *r, const char *html) { return fputs(html, r->body) < 0 ? -1 : 0; }

int report_text(struct report *r, const char *tag, const char *text) {
  fprintf(r->body, "<%s>", tag);
  escape(r->body, text);
  fprintf(r->body, "</%s>\n", tag);
  return 0;
}

int report_finish(struct report *r, char *err, size_t errlen) {
  int rc = 0;
  char path[600], cmd[1400];
  fclose(r->gp);
  fclose(r->body);
  const char *note = "";
  if (r->plots) {
    snprintf(cmd, sizeof(cmd), "cd '%s' && gnuplot report.gp > gnuplot.log 2>&1", r->dir);
    int st = system(cmd);
    if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
      note = "<p><strong>gnuplot failed or is missing: the pictures are absent; see gnuplot.log "
             "and the .dat files.</strong></p>\n";
  }
  snprintf(path, sizeof(path), "%s/report.html", r->dir);
  FILE *f = fopen(path, "w");
  if (!f) {
    snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    rc = -1;
  } else {
    fprintf(f, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>");
    escape(f, r->title);
    fprintf(f, "</title><style>body{font-family:sans-serif;max-width:1000px;margin:auto}"
               "table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 8px;"
               "text-align:right}th{background:#eee}.fail{color:#b00;font-weight:bold}"
               ".pass{color:#070;font-weight:bold}</style></head><body>\n<h1>");
    escape(f, r->title);
    fprintf(f, "</h1>\n%s", note);
    if (r->body_buf) fwrite(r->body_buf, 1, r->body_len, f);
    fprintf(f, "</body></html>\n");
    if (fclose(f)) {
      snprintf(err, errlen, "%s: write failed", path);
      rc = -1;
    }
  }
  free(r->body_buf);
  free(r);
  return rc;
}
