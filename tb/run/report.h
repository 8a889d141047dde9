/* report.html with pictures: each plot is a data file plus gnuplot commands;
 * report_finish() runs gnuplot once (PNG, pngcairo) and writes the page.
 * Without gnuplot the page still lists every table and names the missing
 * pictures. */
#ifndef OPTILE_TB_REPORT_H
#define OPTILE_TB_REPORT_H

#include <stddef.h>
#include <stdio.h>

struct report;

/** Start a report in dir (which must exist). NULL with err on failure. */
struct report *report_new(const char *dir, const char *title, char *err, size_t errlen);
/** A plot: `data` is written to <id>.dat; `plot` is the gnuplot command(s)
 *  that draw it, referring to the file as '<id>.dat'. */
int report_plot(struct report *r, const char *id, const char *caption, const char *data,
                const char *plot);
/** Append raw HTML (a table, a paragraph) to the page. */
int report_html(struct report *r, const char *html);
/** HTML-escape text into the page. */
int report_text(struct report *r, const char *tag, const char *text);
/** Render pictures and write report.html; frees r. 0, or -1 with err. */
int report_finish(struct report *r, char *err, size_t errlen);

#endif
