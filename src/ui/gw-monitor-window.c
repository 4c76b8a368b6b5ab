/* gw-monitor-window.c — one view of the wall on one monitor, and the monitor plan */

#include "config.h"

#include <glib/gi18n.h>

#include "gw-department-board.h"
#include "gw-feed-status.h"
#include "gw-hall-timeline.h"
#include "gw-map-view.h"
#include "gw-monitor-window.h"
#include "gw-stats-view.h"
#include "gw-wall-style.h"
#include "gw-window.h"

#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

#define ARRANGER_KEY "gw-wall-arranger"

static const char * const view_names[] = {
  [GW_WALL_VIEW_NONE] = "none",
  [GW_WALL_VIEW_WALL] = "wall",
  [GW_WALL_VIEW_MAP] = "map",
  [GW_WALL_VIEW_TIMELINE] = "timeline",
  [GW_WALL_VIEW_BOARD] = "board",
  [GW_WALL_VIEW_STATS] = "stats",
};

gboolean
gw_wall_view_from_string (const char *str,
                          GwWallView *out)
{
  /* "none" is not a view one assigns: leaving a monitor out says that. */
  for (guint i = GW_WALL_VIEW_WALL; str != NULL && i < G_N_ELEMENTS (view_names); i++)
    if (g_ascii_strcasecmp (str, view_names[i]) == 0)
      {
        *out = (GwWallView) i;
        return TRUE;
      }
  return FALSE;
}

const char *
gw_wall_view_to_string (GwWallView view)
{
  g_return_val_if_fail ((guint) view < G_N_ELEMENTS (view_names), NULL);
  return view_names[view];
}

GwWallView *
gw_wall_plan (GVariant           *assignments,
              const char * const *connectors,
              guint               primary,
              GStrv              *problems)
{
  g_autoptr(GStrvBuilder) notes = g_strv_builder_new ();
  g_autoptr(GHashTable) views = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = connectors ? g_strv_length ((char **) connectors) : 0;
  GwWallView *plan = g_new0 (GwWallView, MAX (n, 1));
  gboolean any = FALSE, noted = FALSE;
  GVariantIter iter;
  const char *connector, *name;

  if (assignments != NULL && g_variant_is_of_type (assignments, G_VARIANT_TYPE ("a{ss}")))
    {
      g_variant_iter_init (&iter, assignments);
      while (g_variant_iter_next (&iter, "{&s&s}", &connector, &name))
        {
          GwWallView view;

          if (!gw_wall_view_from_string (name, &view))
            {
              g_autofree char *note = g_strdup_printf (_("Monitor %s: unknown view “%s” (use wall, map, timeline, board or stats); ignored"),
                                                       connector, name);
              g_strv_builder_add (notes, note);
              noted = TRUE;
              continue;
            }
          g_hash_table_insert (views, (gpointer) connector, GINT_TO_POINTER (view));
        }
    }

  for (guint i = 0; i < n; i++)
    {
      gpointer view;

      if (connectors[i] != NULL && connectors[i][0] != '\0' &&
          g_hash_table_lookup_extended (views, connectors[i], NULL, &view))
        {
          plan[i] = GPOINTER_TO_INT (view);
          any = TRUE;
        }
    }

  /* Nothing would show: the whole wall on the primary monitor rather than a dark hall. */
  if (!any && n > 0)
    {
      if (g_hash_table_size (views) > 0)
        {
          g_strv_builder_add (notes, _("None of the monitors in wall-monitors is connected; the wall goes on the primary monitor"));
          noted = TRUE;
        }
      plan[MIN (primary, n - 1)] = GW_WALL_VIEW_WALL;
    }

  if (problems != NULL)
    *problems = noted ? g_strv_builder_end (notes) : NULL;
  return plan;
}

/* The window */

struct _GwMonitorWindow {
  AdwApplicationWindow  parent_instance;

  GwApplication        *app;
  GwFeed               *feed;
  GwWallView            view;
  char                 *connector;
  guint                 tick_id;

  GtkBox               *view_slot;
  GtkLabel             *state_label;
  GtkLabel             *age_label;
  GtkLabel             *clock_label;
};

G_DEFINE_FINAL_TYPE (GwMonitorWindow, gw_monitor_window, ADW_TYPE_APPLICATION_WINDOW)

static void
refresh_status (GwMonitorWindow *self)
{
  g_autoptr(GDateTime) local = g_date_time_new_now_local ();
  g_autofree char *clock = g_date_time_format (local, "%H:%M");

  gw_feed_status_show (self->feed, self->state_label, self->age_label);
  gtk_label_set_text (self->clock_label, clock);
}

static gboolean
tick_cb (gpointer user_data)
{
  refresh_status (user_data);
  return G_SOURCE_CONTINUE;
}

static void
app_feed_cb (GwApplication   *app,
             GParamSpec      *pspec,
             GwMonitorWindow *self)
{
  g_set_object (&self->feed, gw_application_get_feed (app));
  refresh_status (self);
}

static GtkWidget *
heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

static void
build_view (GwMonitorWindow *self)
{
  GwStore *store = gw_application_get_store (self->app);
  GtkWidget *child = NULL;

  switch (self->view)
    {
    case GW_WALL_VIEW_MAP:
      child = gw_map_view_new ();
      gw_map_view_set_store (GW_MAP_VIEW (child), store);
      gtk_widget_remove_css_class (GTK_WIDGET (self->view_slot), "wall-side");
      break;
    case GW_WALL_VIEW_TIMELINE:
      child = gw_hall_timeline_new ();
      gw_hall_timeline_set_store (GW_HALL_TIMELINE (child), store);
      if (gw_application_get_settings (self->app) != NULL)
        gw_hall_timeline_set_hours (GW_HALL_TIMELINE (child),
                                    g_settings_get_uint (gw_application_get_settings (self->app),
                                                         "hall-timeline-hours"));
      break;
    case GW_WALL_VIEW_BOARD:
      gtk_box_append (self->view_slot, heading (_("Departments")));
      child = gw_department_board_new ();
      gw_department_board_set_store (GW_DEPARTMENT_BOARD (child), store);
      break;
    case GW_WALL_VIEW_STATS:
      child = gw_stats_view_new ();
      gw_stats_view_set_store (GW_STATS_VIEW (child), store);
      break;
    case GW_WALL_VIEW_WALL:
    case GW_WALL_VIEW_NONE:
    default:
      g_return_if_reached ();
    }
  gtk_widget_set_vexpand (child, TRUE);
  gtk_widget_set_hexpand (child, TRUE);
  gtk_box_append (self->view_slot, child);
}

GwMonitorWindow *
gw_monitor_window_new (GwApplication *app,
                       GwWallView     view)
{
  GwMonitorWindow *self;

  g_return_val_if_fail (GW_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (view > GW_WALL_VIEW_WALL && view <= GW_WALL_VIEW_STATS, NULL);

  self = g_object_new (GW_TYPE_MONITOR_WINDOW, "application", app, NULL);
  self->app = app;
  self->view = view;
  build_view (self);
  g_signal_connect_object (app, "notify::feed", G_CALLBACK (app_feed_cb), self, 0);
  app_feed_cb (app, NULL, self);
  gw_wall_style_attach (GTK_WINDOW (self));
  return self;
}

GwWallView
gw_monitor_window_get_view (GwMonitorWindow *self)
{
  return self->view;
}

const char *
gw_monitor_window_get_connector (GwMonitorWindow *self)
{
  return self->connector;
}

static void
gw_monitor_window_dispose (GObject *object)
{
  GwMonitorWindow *self = GW_MONITOR_WINDOW (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_object (&self->feed);
  gw_wall_style_detach (GTK_WINDOW (self));
  gtk_widget_dispose_template (GTK_WIDGET (self), GW_TYPE_MONITOR_WINDOW);

  G_OBJECT_CLASS (gw_monitor_window_parent_class)->dispose (object);
}

static void
gw_monitor_window_finalize (GObject *object)
{
  GwMonitorWindow *self = GW_MONITOR_WINDOW (object);

  g_free (self->connector);

  G_OBJECT_CLASS (gw_monitor_window_parent_class)->finalize (object);
}

static void
gw_monitor_window_class_init (GwMonitorWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gw_monitor_window_dispose;
  object_class->finalize = gw_monitor_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/gridwatch/Gridwatch/ui/gw-monitor-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GwMonitorWindow, view_slot);
  gtk_widget_class_bind_template_child (widget_class, GwMonitorWindow, state_label);
  gtk_widget_class_bind_template_child (widget_class, GwMonitorWindow, age_label);
  gtk_widget_class_bind_template_child (widget_class, GwMonitorWindow, clock_label);
}

static void
gw_monitor_window_init (GwMonitorWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
}

/* The arranger: one per application, alive as long as it is. */

typedef struct {
  GwApplication *app;        /* not a reference: the data dies with it */
  GListModel    *monitors;
  GPtrArray     *extra;      /* GtkWindow*: the windows we opened besides the main one */
  guint          idle_id;
  gulong         items_id;
} Arranger;

static GwWindow *
main_window (GwApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (GW_IS_WINDOW (l->data))
      {
        /* Not one of the extra wall windows we opened on other monitors. */
        if (g_object_get_data (l->data, ARRANGER_KEY) == NULL)
          return l->data;
      }
  return NULL;
}

static void
close_extra (Arranger *arranger)
{
  while (arranger->extra->len > 0)
    {
      GtkWindow *window = g_ptr_array_steal_index (arranger->extra, arranger->extra->len - 1);
      gtk_window_destroy (window);
      g_object_unref (window);
    }
}

static guint
primary_index (GdkDisplay *display,
               GListModel *monitors)
{
#ifdef GDK_WINDOWING_X11
  if (GDK_IS_X11_DISPLAY (display))
    {
      GdkMonitor *primary = gdk_x11_display_get_primary_monitor (display);
      for (guint i = 0; primary != NULL && i < g_list_model_get_n_items (monitors); i++)
        {
          g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, i);
          if (monitor == primary)
            return i;
        }
    }
#endif
  return 0;
}

/* Full screen on @monitor; the monitor's size too, for a display with no window manager
 * to honour the request (a kiosk X server). */
static void
place (GtkWindow  *window,
       GdkMonitor *monitor)
{
  GdkRectangle geometry;

  gdk_monitor_get_geometry (monitor, &geometry);
  if (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    gtk_window_set_default_size (window, geometry.width, geometry.height);
  gtk_window_fullscreen_on_monitor (window, monitor);
  gtk_window_present (window);
}

static void
arrange (Arranger *arranger)
{
  GwApplication *app = arranger->app;
  GwWindow *main = main_window (app);
  GSettings *settings = gw_application_get_settings (app);
  g_autoptr(GVariant) assignments = NULL;
  g_autoptr(GPtrArray) connectors = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) problems = NULL;
  g_autofree GwWallView *plan = NULL;
  gboolean main_placed = FALSE;
  guint n;

  close_extra (arranger);
  if (main == NULL)
    return;
  if (!gw_application_get_wall (app))
    {
      gtk_window_unfullscreen (GTK_WINDOW (main));
      gtk_window_present (GTK_WINDOW (main));
      return;
    }

  n = g_list_model_get_n_items (arranger->monitors);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GdkMonitor) monitor = g_list_model_get_item (arranger->monitors, i);
      g_ptr_array_add (connectors, g_strdup (gdk_monitor_get_connector (monitor)));
    }
  g_ptr_array_add (connectors, NULL);
  if (settings != NULL)
    assignments = g_settings_get_value (settings, "wall-monitors");
  plan = gw_wall_plan (assignments, (const char * const *) connectors->pdata,
                       primary_index (gdk_display_get_default (), arranger->monitors), &problems);
  for (guint i = 0; problems != NULL && problems[i] != NULL; i++)
    g_warning ("wall-monitors: %s", problems[i]);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GdkMonitor) monitor = g_list_model_get_item (arranger->monitors, i);
      GtkWindow *window;

      if (plan[i] == GW_WALL_VIEW_NONE)
        continue;
      if (plan[i] == GW_WALL_VIEW_WALL && !main_placed)
        {
          main_placed = TRUE;
          place (GTK_WINDOW (main), monitor);
          continue;
        }
      if (plan[i] == GW_WALL_VIEW_WALL)
        {
          window = GTK_WINDOW (gw_window_new (app));
          g_object_set_data (G_OBJECT (window), ARRANGER_KEY, arranger);
        }
      else
        {
          window = GTK_WINDOW (gw_monitor_window_new (app, plan[i]));
          GW_MONITOR_WINDOW (window)->connector = g_strdup (g_ptr_array_index (connectors, i));
        }
      g_ptr_array_add (arranger->extra, g_object_ref (window));
      place (window, monitor);
    }
  /* The main window holds the application; it waits hidden when no monitor shows it. */
  if (!main_placed)
    gtk_widget_set_visible (GTK_WIDGET (main), FALSE);
}

static gboolean
arrange_idle_cb (gpointer user_data)
{
  Arranger *arranger = user_data;

  arranger->idle_id = 0;
  arrange (arranger);
  return G_SOURCE_REMOVE;
}

/* Monitors come and go in bursts (and get their connector a moment later): once per burst. */
static void
queue_arrange (Arranger *arranger)
{
  if (arranger->idle_id == 0)
    arranger->idle_id = g_idle_add (arrange_idle_cb, arranger);
}

static void
monitors_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     Arranger   *arranger)
{
  queue_arrange (arranger);
}

static void
arranger_free (gpointer data)
{
  Arranger *arranger = data;

  g_clear_handle_id (&arranger->idle_id, g_source_remove);
  g_clear_signal_handler (&arranger->items_id, arranger->monitors);
  close_extra (arranger);
  g_ptr_array_unref (arranger->extra);
  g_clear_object (&arranger->monitors);
  g_free (arranger);
}

static void
queue_arrange_settings_cb (GSettings     *settings,
                           const char    *key,
                           GwApplication *app)
{
  Arranger *arranger = g_object_get_data (G_OBJECT (app), ARRANGER_KEY);

  if (arranger != NULL)
    queue_arrange (arranger);
}

static void
queue_arrange_app_cb (GwApplication *app,
                      GParamSpec    *pspec,
                      gpointer       user_data)
{
  queue_arrange_settings_cb (NULL, NULL, app);
}

static void
app_shutdown_cb (GApplication *app,
                 gpointer      user_data)
{
  g_object_set_data (G_OBJECT (app), ARRANGER_KEY, NULL);
}

void
gw_monitor_window_arrange (GwApplication *app)
{
  Arranger *arranger;

  g_return_if_fail (GW_IS_APPLICATION (app));

  arranger = g_object_get_data (G_OBJECT (app), ARRANGER_KEY);
  if (arranger == NULL)
    {
      GSettings *settings = gw_application_get_settings (app);

      arranger = g_new0 (Arranger, 1);
      arranger->app = app;
      arranger->extra = g_ptr_array_new ();
      arranger->monitors = g_object_ref (gdk_display_get_monitors (gdk_display_get_default ()));
      arranger->items_id = g_signal_connect (arranger->monitors, "items-changed",
                                             G_CALLBACK (monitors_changed_cb), arranger);
      g_object_set_data_full (G_OBJECT (app), ARRANGER_KEY, arranger, arranger_free);
      if (settings != NULL)
        g_signal_connect_object (settings, "changed::wall-monitors",
                                 G_CALLBACK (queue_arrange_settings_cb), app, 0);
      g_signal_connect (app, "notify::wall", G_CALLBACK (queue_arrange_app_cb), NULL);
      g_signal_connect (app, "shutdown", G_CALLBACK (app_shutdown_cb), NULL);
    }
  arrange (arranger);
}
