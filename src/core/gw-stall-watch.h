/* gw-stall-watch.h — the longest stall of the main loop, for benchmarks
 *
 * A high-priority timer on the thread-default main context every 2 ms: any gap between
 * its runs beyond that is time the loop spent in something else. gridwatch reports it
 * with GW_REPORT_STALLS (GW_TRACE_STALLS also prints each stall over 16 ms); the
 * benchmarks use it in-process.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _GwStallWatch GwStallWatch;

GwStallWatch *gw_stall_watch_new        (void);
void          gw_stall_watch_free       (GwStallWatch *self);
/* Forgets what was seen so far. */
void          gw_stall_watch_reset      (GwStallWatch *self);
/* The longest stall since new or reset, in ms, and how many passed 16 ms (a frame). */
double        gw_stall_watch_get_max_ms (GwStallWatch *self);
guint         gw_stall_watch_get_over_frame (GwStallWatch *self);
/* Brackets the drawing of a frame (layout, snapshot, render): the longest stall outside
 * frames is what the rest of the program held the loop for. */
void          gw_stall_watch_frame_begin (GwStallWatch *self);
void          gw_stall_watch_frame_end   (GwStallWatch *self);
double        gw_stall_watch_get_max_outside_frames_ms (GwStallWatch *self);

/* A field of /proc/self/status in KiB ("VmHWM": the peak resident memory, "VmRSS"),
 * 0 if unknown: the load benchmarks report it beside the stalls. */
gint64        gw_process_memory_kib (const char *field);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwStallWatch, gw_stall_watch_free)

G_END_DECLS
