/* gw-alert-sound.c — plays the alert sounds we ship, quietly failing without audio */

#include "config.h"

#include "gw-alert-sound.h"

#define RESOURCE_DIR "/org/gridwatch/Gridwatch/sounds/"

struct _GwAlertSound {
  GObject         parent_instance;

  GtkMediaStream *streams[GW_N_ALERT_KINDS];  /* made on first use */
  gboolean        failed[GW_N_ALERT_KINDS];
  guint           n_played;
};

G_DEFINE_FINAL_TYPE (GwAlertSound, gw_alert_sound, G_TYPE_OBJECT)

static const char *const resources[GW_N_ALERT_KINDS] = {
  [GW_ALERT_URGENT] = RESOURCE_DIR "alert-urgent.wav",
  [GW_ALERT_LATE] = RESOURCE_DIR "alert-late.wav",
};

/* A stream that cannot play (no media backend, no audio sink) reports it as an error; say
 * so once in the debug log and stop trying, rather than warn on every alert. */
static void
stream_error_cb (GtkMediaStream *stream,
                 GParamSpec     *pspec,
                 GwAlertSound   *self)
{
  const GError *error = gtk_media_stream_get_error (stream);

  if (error == NULL)
    return;
  for (guint kind = 0; kind < GW_N_ALERT_KINDS; kind++)
    if (self->streams[kind] == stream && !self->failed[kind])
      {
        self->failed[kind] = TRUE;
        g_debug ("Alert sound %s cannot play: %s", resources[kind], error->message);
      }
}

static GtkMediaStream *
ensure_stream (GwAlertSound *self,
               GwAlertKind   kind)
{
  if (self->streams[kind] == NULL)
    {
      self->streams[kind] = gtk_media_file_new_for_resource (resources[kind]);
      g_signal_connect_object (self->streams[kind], "notify::error",
                               G_CALLBACK (stream_error_cb), self, 0);
      stream_error_cb (self->streams[kind], NULL, self);
    }
  return self->streams[kind];
}

void
gw_alert_sound_play (GwAlertSound *self,
                     GwAlertKind   kind)
{
  GtkMediaStream *stream;

  g_return_if_fail (GW_IS_ALERT_SOUND (self));
  g_return_if_fail (kind < GW_N_ALERT_KINDS);

  self->n_played++;
  if (self->failed[kind])
    return;
  stream = ensure_stream (self, kind);
  if (gtk_media_stream_get_error (stream) != NULL)
    return;
  /* Only one alert sound at a time: a new one cuts the other short. */
  for (guint other = 0; other < GW_N_ALERT_KINDS; other++)
    if (other != kind && self->streams[other] != NULL)
      gtk_media_stream_pause (self->streams[other]);
  /* Seeking an unprepared stream is refused; a new stream starts at 0 anyway. */
  if (gtk_media_stream_is_prepared (stream) && gtk_media_stream_is_seekable (stream))
    gtk_media_stream_seek (stream, 0);
  gtk_media_stream_play (stream);
}

void
gw_alert_sound_stop (GwAlertSound *self)
{
  g_return_if_fail (GW_IS_ALERT_SOUND (self));

  for (guint kind = 0; kind < GW_N_ALERT_KINDS; kind++)
    if (self->streams[kind] != NULL)
      gtk_media_stream_pause (self->streams[kind]);
}

gboolean
gw_alert_sound_has_failed (GwAlertSound *self,
                           GwAlertKind   kind)
{
  g_return_val_if_fail (GW_IS_ALERT_SOUND (self), TRUE);
  g_return_val_if_fail (kind < GW_N_ALERT_KINDS, TRUE);

  return self->failed[kind];
}

guint
gw_alert_sound_get_n_played (GwAlertSound *self)
{
  g_return_val_if_fail (GW_IS_ALERT_SOUND (self), 0);
  return self->n_played;
}

GwAlertSound *
gw_alert_sound_new (void)
{
  return g_object_new (GW_TYPE_ALERT_SOUND, NULL);
}

static void
gw_alert_sound_dispose (GObject *object)
{
  GwAlertSound *self = (GwAlertSound *) object;

  for (guint kind = 0; kind < GW_N_ALERT_KINDS; kind++)
    {
      if (self->streams[kind] != NULL)
        gtk_media_stream_pause (self->streams[kind]);
      g_clear_object (&self->streams[kind]);
    }

  G_OBJECT_CLASS (gw_alert_sound_parent_class)->dispose (object);
}

static void
gw_alert_sound_class_init (GwAlertSoundClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = gw_alert_sound_dispose;
}

static void
gw_alert_sound_init (GwAlertSound *self)
{
}
