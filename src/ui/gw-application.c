/* gw-application.c — the Gridwatch application: one store, one feed, its windows */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gw-about.h"
#include "gw-application.h"
#include "gw-demo-server.h"
#include "gw-keyring.h"
#include "gw-preferences-window.h"
#include "gw-settings.h"
#include "gw-snapshot-keeper.h"
#include "gw-stall-watch.h"
#include "gw-monitor-window.h"
#include "gw-window.h"

struct _GwApplication {
  AdwApplication    parent_instance;

  GwConnectOptions  options;
  gboolean          wall;
  gboolean          restart;     /* quit to start again with the source in Preferences */
  GSettings        *settings;
  GwStore          *store;
  GwFeed           *feed;
  GwDemoServer     *demo;
  GwSnapshotKeeper *keeper;
  GCancellable     *cancellable;
  gboolean          restored;    /* the store holds the cached picture */
  gint64            restored_seq;
  GwTime            restored_at;
  GwStallWatch     *stall_watch; /* GW_REPORT_STALLS: from the first frame on */
};

G_DEFINE_FINAL_TYPE (GwApplication, gw_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_FEED,
  PROP_WALL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
quit_when_live_cb (GwApplication *self)
{
  if (gw_feed_get_state (self->feed) != GW_FEED_STATE_LIVE)
    return;
  if (self->stall_watch != NULL)
    g_print ("live %" G_GINT64_FORMAT "\nstall-max-ms %.1f\nstall-max-outside-frames-ms %.1f\n"
             "stalls-over-frame %u\nincidents %u\npeak-rss-kib %" G_GINT64_FORMAT "\n",
             g_get_monotonic_time (), gw_stall_watch_get_max_ms (self->stall_watch),
             gw_stall_watch_get_max_outside_frames_ms (self->stall_watch),
             gw_stall_watch_get_over_frame (self->stall_watch),
             gw_store_get_n_incidents (self->store), gw_process_memory_kib ("VmHWM"));
  g_application_quit (G_APPLICATION (self));
}

/* The window's first frame is start-up, not loading: the watch starts after it. */
static void
first_frame_cb (GdkFrameClock *clock,
                GwApplication *self)
{
  g_signal_handlers_disconnect_by_func (clock, first_frame_cb, self);
  gw_stall_watch_reset (self->stall_watch);
}

static void
frame_begin_cb (GdkFrameClock *clock,
                GwApplication *self)
{
  gw_stall_watch_frame_begin (self->stall_watch);
}

static void
frame_end_cb (GdkFrameClock *clock,
              GwApplication *self)
{
  gw_stall_watch_frame_end (self->stall_watch);
}

static void
follow (GwApplication *self,
        const char    *url)
{
  g_autoptr(GError) error = NULL;

  if (!(self->feed = gw_connect_create_feed (&self->options, self->store, url, &error)))
    {
      g_warning ("Cannot connect: %s", error->message);
      return;
    }
  if (self->restored)
    gw_feed_restore (self->feed, self->restored_seq, self->restored_at);
  /* For the start-up and load benchmarks: sync, save the cache, leave. */
  if (g_getenv ("GW_EXIT_WHEN_LIVE") != NULL)
    g_signal_connect_swapped (self->feed, "notify::state", G_CALLBACK (quit_when_live_cb), self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FEED]);
  gw_feed_start (self->feed);
}

static void
token_resolved_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GwApplication) self = user_data;

  gw_connect_resolve_token_finish (&self->options, result);
  follow (self, NULL);
}

static void
demo_started_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GwApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = gw_demo_server_start_finish (GW_DEMO_SERVER (object), result, &error);

  if (url == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot start the demo server: %s", error->message);
      return;
    }
  follow (self, url);
}

/* An Open311 API key saved in Preferences lives in the keyring under the endpoint. */
static void
api_key_found_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GwApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  char *key = gw_keyring_lookup_finish (result, &error);

  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->options.api_key = key;
  follow (self, NULL);
}

static void connect_source (GwApplication *self);

static void
restored_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GwApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  self->restored = gw_snapshot_keeper_restore_finish (self->keeper, result, &self->restored_seq,
                                                      &self->restored_at, &error);
  if (!self->restored && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!self->restored && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_warning ("Starting without the cached picture: %s", error->message);
  connect_source (self);
}

/* The last known picture first, so a wall comes up with data even when the server is down. */
static void
restore (GwApplication *self)
{
  const char *source = self->options.demo ? "demo:" : self->options.server_url
                                                      ? self->options.server_url
                                                      : self->options.open311_url;
  g_autofree char *path = gw_snapshot_cache_default_path (source);

  self->keeper = gw_snapshot_keeper_new (self->store, path, source);
  gw_snapshot_keeper_restore_async (self->keeper, self->cancellable, restored_cb,
                                    g_object_ref (self));
}

static char *
dup_setting (GSettings  *settings,
             const char *key)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  return value[0] != '\0' ? g_steal_pointer (&value) : NULL;
}

/* With no source on the command line, the one chosen in Preferences. */
static void
options_from_settings (GwApplication *self)
{
  GwConnectOptions *o = &self->options;
  g_autofree char *kind = NULL;

  if (o->demo || o->server_url != NULL || o->open311_url != NULL)
    return;
  kind = g_settings_get_string (self->settings, "source-kind");
  if (g_str_equal (kind, "dispatch"))
    o->server_url = dup_setting (self->settings, "server-url");
  else if (g_str_equal (kind, "open311"))
    {
      o->open311_url = dup_setting (self->settings, "open311-url");
      g_clear_pointer (&o->jurisdiction, g_free);
      o->jurisdiction = dup_setting (self->settings, "open311-jurisdiction");
    }
  else
    o->demo = TRUE;
  if (o->ca_file == NULL)
    o->ca_file = dup_setting (self->settings, "ca-file");
  if (o->client_cert == NULL)
    o->client_cert = dup_setting (self->settings, "client-cert");
}

static void
read_icon_theme_thread (GTask        *task,
                        gpointer      source,
                        gpointer      theme,
                        GCancellable *cancellable)
{
  g_autoptr(GtkIconPaintable) icon = gtk_icon_theme_lookup_icon (theme, "open-menu-symbolic", NULL,
                                                                 16, 1, GTK_TEXT_DIR_NONE, 0);
}

/* GTK reads the icon themes' indexes again after GtkApplication adds our resource path,
 * at the first icon, on the main thread (some 15 ms). Once the theme is set up on the
 * main thread a lookup may run in any thread (gtkicontheme.c): a worker reads them
 * while the window is being built. */
static void
read_icon_theme_in_thread (void)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

  g_task_set_task_data (task, g_object_ref (theme), g_object_unref);
  g_task_run_in_thread (task, read_icon_theme_thread);
}

static void
gw_application_startup (GApplication *app)
{
  GwApplication *self = GW_APPLICATION (app);
  g_autoptr(GError) error = NULL;

  self->settings = gw_settings_new ();
  if (g_settings_get_boolean (self->settings, "start-in-wall"))
    self->wall = TRUE;
  options_from_settings (self);
  if (!gw_connect_options_check (&self->options, &error))
    {
      /* Nothing usable: show the demo rather than an empty wall. */
      g_warning ("Showing the demo: %s", error->message);
      gw_connect_options_clear (&self->options);
      self->options.demo = TRUE;
    }
  /* The cache loads in a worker while GTK starts up. */
  restore (self);

  G_APPLICATION_CLASS (gw_application_parent_class)->startup (app);
  read_icon_theme_in_thread ();
  gtk_window_set_default_icon_name (APP_ID);

  if (self->wall)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                        ADW_COLOR_SCHEME_FORCE_DARK);
}

/* After the cache (if any) is in the store: reach the server. */
static void
connect_source (GwApplication *self)
{
  if (self->options.demo)
    {
      const char * const args[] = { "--speed", "60", "--history-days", "7", NULL };

      self->demo = gw_demo_server_new ();
      gw_demo_server_set_args (self->demo, args);
      gw_demo_server_start_async (self->demo, self->cancellable, demo_started_cb,
                                  g_object_ref (self));
    }
  else if (self->options.open311_url != NULL && self->options.api_key == NULL)
    gw_keyring_lookup_async (self->options.open311_url, self->cancellable, api_key_found_cb,
                             g_object_ref (self));
  else
    gw_connect_resolve_token_async (&self->options, self->cancellable, token_resolved_cb,
                                    g_object_ref (self));
}

static void
gw_application_activate (GApplication *app)
{
  GwApplication *self = GW_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (gw_window_new (self));
  /* Presents it; in wall mode full screen on the monitors of the wall-monitors setting
   * (or the primary), with the other views on theirs. */
  gw_monitor_window_arrange (self);
  if (!GW_IS_WINDOW (window))
    gtk_window_present (window);
  if (g_getenv ("GW_REPORT_STALLS") != NULL && self->stall_watch == NULL)
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

      self->stall_watch = gw_stall_watch_new ();
      g_signal_connect (clock, "before-paint", G_CALLBACK (frame_begin_cb), self);
      g_signal_connect_after (clock, "after-paint", G_CALLBACK (frame_end_cb), self);
      g_signal_connect (clock, "after-paint", G_CALLBACK (first_frame_cb), self);
    }
}

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
flushed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;

  gw_snapshot_keeper_flush_finish (GW_SNAPSHOT_KEEPER (object), result, NULL);
  *done = TRUE;
}

static void
gw_application_shutdown (GApplication *app)
{
  GwApplication *self = GW_APPLICATION (app);
  gboolean flushed = FALSE;
  gint64 give_up = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

  /* Keep the latest picture for the next start; the write runs in a worker. */
  if (self->keeper != NULL)
    {
      guint wake = g_timeout_add (100, wake_cb, NULL);

      gw_snapshot_keeper_flush_async (self->keeper, NULL, flushed_cb, &flushed);
      while (!flushed && g_get_monotonic_time () < give_up)
        g_main_context_iteration (NULL, TRUE);
      g_source_remove (wake);
    }
  g_cancellable_cancel (self->cancellable);
  if (self->feed != NULL)
    gw_feed_stop (self->feed);
  if (self->demo != NULL)
    gw_demo_server_stop (self->demo);

  G_APPLICATION_CLASS (gw_application_parent_class)->shutdown (app);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  GtkWindow *prefs = GTK_WINDOW (gw_preferences_window_new (parent));

  gtk_window_present (prefs);
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  GwApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (gw_about_window_new (parent, self->settings)));
}

/* A new source means a new store, cache and feed: start afresh as a new process, so
 * nothing of the old source's picture or feed position can leak into the new one. */
static void
reconnect_activated (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  GwApplication *self = user_data;

  self->restart = TRUE;
  g_application_quit (G_APPLICATION (self));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "preferences", preferences_activated },
  { "about", about_activated },
  { "reconnect", reconnect_activated },
};

GwApplication *
gw_application_new (GwConnectOptions *options,
                    gboolean          wall)
{
  GwApplication *self = g_object_new (GW_TYPE_APPLICATION,
                                      "application-id", APP_ID,
                                      "flags", G_APPLICATION_DEFAULT_FLAGS,
                                      "resource-base-path", "/org/gridwatch/Gridwatch",
                                      NULL);

  self->options = *options;
  memset (options, 0, sizeof *options);
  self->wall = wall;
  return self;
}

GwStore *
gw_application_get_store (GwApplication *self)
{
  return self->store;
}

GwFeed *
gw_application_get_feed (GwApplication *self)
{
  return self->feed;
}

gboolean
gw_application_get_wall (GwApplication *self)
{
  g_return_val_if_fail (GW_IS_APPLICATION (self), FALSE);

  return self->wall;
}

void
gw_application_set_wall (GwApplication *self,
                         gboolean       wall)
{
  g_return_if_fail (GW_IS_APPLICATION (self));

  wall = !!wall;
  if (self->wall == wall)
    return;
  self->wall = wall;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WALL]);
}

gboolean
gw_application_get_restart (GwApplication *self)
{
  return self->restart;
}

GSettings *
gw_application_get_settings (GwApplication *self)
{
  return self->settings;
}

static void
gw_application_dispose (GObject *object)
{
  GwApplication *self = (GwApplication *) object;

  g_clear_pointer (&self->stall_watch, gw_stall_watch_free);
  g_clear_object (&self->feed);
  g_clear_object (&self->demo);
  g_clear_object (&self->keeper);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  gw_connect_options_clear (&self->options);

  G_OBJECT_CLASS (gw_application_parent_class)->dispose (object);
}

static void
gw_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  GwApplication *self = GW_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_FEED:
      g_value_set_object (value, self->feed);
      break;
    case PROP_WALL:
      g_value_set_boolean (value, self->wall);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_application_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  GwApplication *self = GW_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_WALL:
      gw_application_set_wall (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_application_class_init (GwApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = gw_application_dispose;
  object_class->get_property = gw_application_get_property;
  object_class->set_property = gw_application_set_property;
  app_class->startup = gw_application_startup;
  app_class->activate = gw_application_activate;
  app_class->shutdown = gw_application_shutdown;

  properties[PROP_FEED] =
    g_param_spec_object ("feed", NULL, NULL, GW_TYPE_FEED,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Wall mode: full screen, dark, personal data always masked. */
  properties[PROP_WALL] =
    g_param_spec_boolean ("wall", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gw_application_init (GwApplication *self)
{
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *prefs_accels[] = { "<Control>comma", NULL };
  const char *search_accels[] = { "<Control>f", NULL };
  const char *fullscreen_accels[] = { "F11", NULL };
  /* The wall has no menu: the keyboard starts a replay and goes back to live. */
  const char *replay_accels[] = { "<Control>r", NULL };
  const char *live_accels[] = { "<Control>l", NULL };
  const char *views[] = { "wall", "statistics", "cases" };

  self->store = gw_store_new ();
  self->cancellable = g_cancellable_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         prefs_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.search", search_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.fullscreen",
                                         fullscreen_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.replay", replay_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.live", live_accels);
  /* Views by position, as in the view switcher. */
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      g_autofree char *detailed = g_strdup_printf ("win.show-view::%s", views[i]);
      g_autofree char *accel = g_strdup_printf ("<Alt>%u", i + 1);
      const char *accels[] = { accel, NULL };

      gtk_application_set_accels_for_action (GTK_APPLICATION (self), detailed, accels);
    }
}
