/* gw-report-private.h — what gw-report.c computes and the drawing code reads */
#pragma once

#include <cairo.h>
#include <pango/pango.h>

#include "gw-metrics.h"

G_BEGIN_DECLS

/* A4 in points; every length below is in points. */
#define GW_REPORT_PAGE_WIDTH  595.276
#define GW_REPORT_PAGE_HEIGHT 841.890
#define GW_REPORT_MARGIN      42.0
#define GW_REPORT_FOOTER      24.0
#define GW_REPORT_BODY_WIDTH  (GW_REPORT_PAGE_WIDTH - 2 * GW_REPORT_MARGIN)

typedef struct {
  guint  row;    /* in the result */
  int    rank;   /* 0: unranked */
  double score;  /* NaN: unranked */
} GwReportRow;

typedef struct {
  /* The snapshot, taken on the caller's thread. */
  GPtrArray       *incidents;
  GPtrArray       *cells;
  GPtrArray       *departments;
  GPtrArray       *classes;
  GwMetricsQuery   query;        /* now set; reference arrays point at the ones above */
  char            *street;
  char            *path;
  /* Computed in the worker. */
  GwMetricsResult *result;
  guint            total_row;
  GArray          *in_range;     /* GwMetricsCaseDetail of every case in range */
  GArray          *late;         /* GwMetricsCaseDetail, most overdue first */
  GArray          *ranked;       /* GwReportRow, league order, total row left out */
  GHashTable      *department_names;  /* id → name (borrowed) */
  GHashTable      *cell_names;        /* code → name (borrowed) */
} GwReportJob;

/* Where the drawing is: a cursor that moves down the page and breaks pages. */
typedef struct {
  GwReportJob  *job;
  cairo_t      *cr;
  PangoFontMap *font_map;  /* this thread's own: pango's default map is per thread */
  PangoContext *pango;
  double        y;
  guint         page;      /* 1-based page being drawn; 0 before the first */
  guint         n_pages;   /* 0 while counting */
} GwReportPen;

typedef enum {
  GW_REPORT_ALIGN_LEFT,
  GW_REPORT_ALIGN_CENTER,
  GW_REPORT_ALIGN_RIGHT,
} GwReportAlign;

typedef enum {
  GW_REPORT_TEXT_BOLD    = 1 << 0,
  GW_REPORT_TEXT_WRAP    = 1 << 1,  /* else one line, ellipsized */
  GW_REPORT_TEXT_NUMERIC = 1 << 2,  /* tabular figures */
} GwReportTextFlags;

/* Colours as 0xRRGGBB (GNOME palette). */
#define GW_REPORT_INK     0x241f31
#define GW_REPORT_GREY    0x5e5c64
#define GW_REPORT_LINE    0xc0bfbc
#define GW_REPORT_STRIPE  0xf6f5f4
#define GW_REPORT_BLUE    0x3584e4
#define GW_REPORT_GREEN   0x2ec27e
#define GW_REPORT_RED     0xc01c28
#define GW_REPORT_ORANGE  0xe66100

void   gw_report_pen_init         (GwReportPen     *pen,
                                   GwReportJob     *job,
                                   cairo_surface_t *surface,
                                   guint            n_pages);
void   gw_report_pen_finish       (GwReportPen     *pen);
/* Starts a new page when fewer than @height points are left on this one; TRUE if so. */
gboolean gw_report_pen_need       (GwReportPen     *pen,
                                   double           height);
void   gw_report_set_color        (cairo_t         *cr,
                                   guint32          rgb);
/* Draws @text in a box @width wide at (@x, @y); returns its height. A NULL @cr (or
 * pen->cr) only measures. */
double gw_report_text             (GwReportPen     *pen,
                                   double           x,
                                   double           y,
                                   double           width,
                                   const char      *text,
                                   double           size,
                                   GwReportTextFlags flags,
                                   GwReportAlign    align,
                                   guint32          rgb);
/* A section heading; keeps at least @keep points of the section with it. */
void   gw_report_heading          (GwReportPen     *pen,
                                   const char      *text,
                                   double           keep);
/* Local "2026-11-01 08:00"; "" for GW_TIME_NONE. */
char  *gw_report_format_time      (GwTime           t);
/* The row's name as people read it ("(unassigned)" translated). */
const char *gw_report_row_label   (GwReportJob     *job,
                                   guint            row);

void   gw_report_draw_title       (GwReportPen     *pen);
void   gw_report_draw_headline    (GwReportPen     *pen);
void   gw_report_draw_league_table (GwReportPen    *pen);
void   gw_report_draw_late_list   (GwReportPen     *pen);

/* gw-report-charts.c */
void   gw_report_draw_score_bars  (GwReportPen     *pen);
void   gw_report_draw_trend       (GwReportPen     *pen);
void   gw_report_draw_durations   (GwReportPen     *pen);

G_END_DECLS
