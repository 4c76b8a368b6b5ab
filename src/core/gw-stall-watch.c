/* gw-stall-watch.c — the longest stall of the main loop (see the header) */

#include "config.h"

#include "gw-stall-watch.h"

#include <string.h>

#define INTERVAL_MS  2
#define FRAME_USEC   16000

struct _GwStallWatch {
  GSource *source;
  gint64   last;
  gint64   max_gap;   /* µs beyond the interval */
  guint    over_frame;
  gint64   excluded;  /* µs of the current gap spent drawing frames */
  gint64   frame_start;
  gint64   max_data_gap;  /* the same, frames left out */
};

static gboolean
tick_cb (gpointer user_data)
{
  GwStallWatch *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 gap = now - self->last - INTERVAL_MS * 1000;

  if (gap > self->max_gap)
    self->max_gap = gap;
  if (gap - self->excluded > self->max_data_gap)
    self->max_data_gap = gap - self->excluded;
  self->excluded = 0;
  if (gap > FRAME_USEC)
    {
      self->over_frame++;
      if (g_getenv ("GW_TRACE_STALLS"))
        g_printerr ("stall %.1f ms ending at %.6f\n", gap / 1000.0, now / 1e6);
    }
  self->last = now;
  return G_SOURCE_CONTINUE;
}

GwStallWatch *
gw_stall_watch_new (void)
{
  GwStallWatch *self = g_new0 (GwStallWatch, 1);

  self->source = g_timeout_source_new (INTERVAL_MS);
  g_source_set_priority (self->source, G_PRIORITY_HIGH);
  g_source_set_callback (self->source, tick_cb, self, NULL);
  g_source_set_static_name (self->source, "[gridwatch] stall watch");
  g_source_attach (self->source, g_main_context_get_thread_default ());
  gw_stall_watch_reset (self);
  return self;
}

void
gw_stall_watch_free (GwStallWatch *self)
{
  if (self == NULL)
    return;
  g_source_destroy (self->source);
  g_source_unref (self->source);
  g_free (self);
}

void
gw_stall_watch_reset (GwStallWatch *self)
{
  self->last = g_get_monotonic_time ();
  self->max_gap = 0;
  self->over_frame = 0;
  self->excluded = 0;
  self->max_data_gap = 0;
}

void
gw_stall_watch_frame_begin (GwStallWatch *self)
{
  self->frame_start = g_get_monotonic_time ();
}

void
gw_stall_watch_frame_end (GwStallWatch *self)
{
  if (self->frame_start != 0)
    self->excluded += g_get_monotonic_time () - self->frame_start;
  self->frame_start = 0;
}

double
gw_stall_watch_get_max_outside_frames_ms (GwStallWatch *self)
{
  return self->max_data_gap / 1000.0;
}

double
gw_stall_watch_get_max_ms (GwStallWatch *self)
{
  return self->max_gap / 1000.0;
}

guint
gw_stall_watch_get_over_frame (GwStallWatch *self)
{
  return self->over_frame;
}

gint64
gw_process_memory_kib (const char *field)
{
  g_autofree char *status = NULL;
  g_autofree char *key = g_strconcat ("\n", field, ":", NULL);
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, key)) == NULL)
    return 0;
  return g_ascii_strtoll (line + strlen (key), NULL, 10);
}
