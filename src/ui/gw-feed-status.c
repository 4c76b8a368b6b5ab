/* gw-feed-status.c — the connection state and the data age, as the wall shows them */

#include "config.h"

#include <glib/gi18n.h>

#include "gw-feed-status.h"

#define STALE_AMBER_USEC  (60 * G_USEC_PER_SEC)
#define STALE_RED_USEC    (300 * G_USEC_PER_SEC)

/* "3 s", "5 min", "2 h": short enough to read across the hall. */
static char *
format_age (GwTime usec)
{
  int s = (int) MIN (MAX (usec / G_USEC_PER_SEC, 0), G_MAXINT);

  if (s < 60)
    return g_strdup_printf (_("%d s"), s);
  if (s < 3600)
    return g_strdup_printf (_("%d min"), s / 60);
  return g_strdup_printf (_("%d h"), s / 3600);
}

static const char *
state_text (GwFeedState state)
{
  switch (state)
    {
    case GW_FEED_STATE_OFFLINE:
      return _("Offline");
    case GW_FEED_STATE_CONNECTING:
      return _("Connecting");
    case GW_FEED_STATE_CATCHING_UP:
      return _("Catching up");
    case GW_FEED_STATE_LIVE:
      return _("Live");
    case GW_FEED_STATE_RECONNECTING:
    default:
      return _("Reconnecting");
    }
}

void
gw_feed_status_show (GwFeed   *feed,
                     GtkLabel *state_label,
                     GtkLabel *age_label)
{
  GtkWidget *age = GTK_WIDGET (age_label);
  GwTime now = g_get_real_time ();
  GwFeedState state = feed ? gw_feed_get_state (feed) : GW_FEED_STATE_CONNECTING;
  GwTime data_time = feed ? gw_feed_get_data_time (feed) : 0;
  g_autofree char *state_line = NULL;

  if (state == GW_FEED_STATE_RECONNECTING && gw_feed_get_retry_at (feed) > now)
    {
      g_autofree char *wait = format_age (gw_feed_get_retry_at (feed) - now);
      /* Translators: "Reconnecting in 4 s" */
      state_line = g_strdup_printf (_("Reconnecting in %s"), wait);
    }
  else
    state_line = g_strdup (state_text (state));
  gtk_label_set_text (state_label, state_line);

  gtk_widget_remove_css_class (age, "state-stale-amber");
  gtk_widget_remove_css_class (age, "state-stale-red");
  if (data_time == 0)
    gtk_label_set_text (age_label, _("No data yet"));
  else
    {
      g_autofree char *span = format_age (now - data_time);
      g_autofree char *text = g_strdup_printf (_("Data %s old"), span);

      gtk_label_set_text (age_label, text);
      if (now - data_time > STALE_RED_USEC)
        gtk_widget_add_css_class (age, "state-stale-red");
      else if (now - data_time > STALE_AMBER_USEC)
        gtk_widget_add_css_class (age, "state-stale-amber");
    }
}
