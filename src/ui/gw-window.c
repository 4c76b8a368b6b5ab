/* gw-window.c — the main window: map, counters, latest cases and the connection state */

#include "config.h"

#include <glib/gi18n.h>

#include "gw-labels.h"
#include "gw-hall-timeline.h"
#include "gw-map-view.h"
#include "gw-stats-view.h"
#include "gw-window.h"

#define N_LATEST          30
#define STALE_AMBER_USEC  (60 * G_USEC_PER_SEC)
#define STALE_RED_USEC    (300 * G_USEC_PER_SEC)

enum { KPI_RECEIVED, KPI_OPEN, KPI_LATE, KPI_CLOSED, N_KPIS };

struct _GwWindow {
  AdwApplicationWindow  parent_instance;

  GwApplication        *app;
  GwFeed               *feed;
  guint                 tick_id;
  gboolean              dirty;       /* the store changed since the last refresh */
  gboolean              shown_data;

  GwMapView            *map_view;

  AdwViewSwitcherTitle *window_title;
  GtkBox               *stats_slot;
  GtkBox               *map_slot;
  GtkGrid              *kpi_grid;
  GtkListBox           *latest_list;
  GtkLabel             *state_label;
  GtkLabel             *age_label;
  GtkLabel             *error_label;
  GtkLabel             *kpi_values[N_KPIS];
};

G_DEFINE_FINAL_TYPE (GwWindow, gw_window, ADW_TYPE_APPLICATION_WINDOW)

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

static void
refresh_state (GwWindow *self)
{
  GtkWidget *age = GTK_WIDGET (self->age_label);
  GwTime now = g_get_real_time ();
  GwFeedState state = self->feed ? gw_feed_get_state (self->feed) : GW_FEED_STATE_CONNECTING;
  GwTime data_time = self->feed ? gw_feed_get_data_time (self->feed) : 0;
  const char *error = self->feed ? gw_feed_get_last_error (self->feed) : NULL;
  g_autofree char *state_line = NULL;

  if (state == GW_FEED_STATE_RECONNECTING && gw_feed_get_retry_at (self->feed) > now)
    {
      g_autofree char *wait = format_age (gw_feed_get_retry_at (self->feed) - now);
      /* Translators: "Reconnecting in 4 s" */
      state_line = g_strdup_printf (_("Reconnecting in %s"), wait);
    }
  else
    state_line = g_strdup (state_text (state));
  gtk_label_set_text (self->state_label, state_line);
  adw_view_switcher_title_set_subtitle (self->window_title, state_line);

  gtk_widget_remove_css_class (age, "state-stale-amber");
  gtk_widget_remove_css_class (age, "state-stale-red");
  if (data_time == 0)
    gtk_label_set_text (self->age_label, _("No data yet"));
  else
    {
      g_autofree char *span = format_age (now - data_time);
      g_autofree char *text = g_strdup_printf (_("Data %s old"), span);

      gtk_label_set_text (self->age_label, text);
      if (now - data_time > STALE_RED_USEC)
        gtk_widget_add_css_class (age, "state-stale-red");
      else if (now - data_time > STALE_AMBER_USEC)
        gtk_widget_add_css_class (age, "state-stale-amber");
    }
  gtk_label_set_text (self->error_label, error ? error : "");
}

static GtkWidget *
latest_row (GwStore    *store,
            GwIncident *incident,
            GwTime      now)
{
  GwDepartment *dept = incident->department
                       ? gw_store_lookup_department (store, incident->department) : NULL;
  GwCell *cell = incident->cell_code ? gw_store_lookup_cell (store, incident->cell_code) : NULL;
  g_autofree char *subtitle = g_strdup_printf ("%s · %s · %s",
                                              cell ? cell->name : incident->address,
                                              dept ? dept->name : _("Unassigned"),
                                              gw_stage_get_label (incident->stage));
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), incident->title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (gw_incident_is_late (incident, now))
    {
      GtkWidget *late = gtk_label_new (_("Late"));
      gtk_widget_add_css_class (late, "error");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), late);
    }
  return row;
}

typedef struct {
  GwTime      day_start;
  guint       received;
  guint       closed;
  GwIncident *latest[N_LATEST];  /* most recently updated first */
  guint       n_latest;
} Tally;

/* One pass: today's counts, and the latest few kept in order by insertion (most cases
 * are older than the oldest kept and cost one comparison). */
static void
tally_cb (gpointer data,
          gpointer user_data)
{
  GwIncident *incident = data;
  Tally *t = user_data;
  guint at;

  t->received += incident->received_at >= t->day_start;
  t->closed += incident->closed_at >= t->day_start;

  if (t->n_latest == N_LATEST && incident->updated_at <= t->latest[N_LATEST - 1]->updated_at)
    return;
  at = MIN (t->n_latest, N_LATEST - 1);
  while (at > 0 && t->latest[at - 1]->updated_at < incident->updated_at)
    {
      t->latest[at] = t->latest[at - 1];
      at--;
    }
  t->latest[at] = incident;
  t->n_latest = MIN (t->n_latest + 1, N_LATEST);
}

/* Counters and the latest list; at most once a second however fast data comes. */
static void
refresh_data (GwWindow *self)
{
  GwStore *store = gw_application_get_store (self->app);
  g_autoptr(GDateTime) local = g_date_time_new_now_local ();
  g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (local),
                                                         g_date_time_get_month (local),
                                                         g_date_time_get_day_of_month (local),
                                                         0, 0, 0);
  g_autoptr(GPtrArray) late = NULL;
  GwTime now = g_get_real_time ();
  Tally tally = { g_date_time_to_unix (midnight) * G_USEC_PER_SEC };
  guint counts[N_KPIS];
  GtkWidget *child;

  self->dirty = FALSE;
  gw_store_foreach (store, tally_cb, &tally);
  late = gw_store_list_late (store, now);
  counts[KPI_RECEIVED] = tally.received;
  counts[KPI_OPEN] = gw_store_count_open (store);
  counts[KPI_LATE] = late->len;
  counts[KPI_CLOSED] = tally.closed;
  for (guint i = 0; i < N_KPIS; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", counts[i]);
      gtk_label_set_text (self->kpi_values[i], text);
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->latest_list))))
    gtk_list_box_remove (self->latest_list, child);
  for (guint i = 0; i < tally.n_latest; i++)
    gtk_list_box_append (self->latest_list, latest_row (store, tally.latest[i], now));
}

/* For the start-up benchmark: the monotonic time of the first frame that shows data. */
static void
after_paint_cb (GdkFrameClock *clock,
                GwWindow      *self)
{
  if (gw_store_get_n_incidents (gw_application_get_store (self->app)) == 0 || self->dirty)
    return;
  g_print ("first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, self);
  g_application_quit (G_APPLICATION (self->app));
}

static void
realize_cb (GwWindow *self)
{
  if (g_getenv ("GW_REPORT_FIRST_FRAME") != NULL)
    g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                      G_CALLBACK (after_paint_cb), self);
}

static gboolean
tick_cb (gpointer user_data)
{
  GwWindow *self = user_data;

  refresh_state (self);
  if (self->dirty)
    refresh_data (self);
  return G_SOURCE_CONTINUE;
}

static void
store_changed_cb (GwStore       *store,
                  GwStoreChange *change,
                  GwWindow      *self)
{
  /* The first data shows at once; after that at most once a second. */
  if (self->tick_id != 0 && gw_store_get_n_incidents (store) > 0 && !self->shown_data)
    {
      self->shown_data = TRUE;
      refresh_data (self);
      return;
    }
  self->dirty = TRUE;
}

static void
feed_notify_cb (GwFeed     *feed,
                GParamSpec *pspec,
                GwWindow   *self)
{
  refresh_state (self);
}

static void
app_feed_cb (GwApplication *app,
             GParamSpec    *pspec,
             GwWindow      *self)
{
  if (self->feed != NULL)
    g_signal_handlers_disconnect_by_data (self->feed, self);
  g_set_object (&self->feed, gw_application_get_feed (app));
  if (self->feed != NULL)
    {
      g_signal_connect (self->feed, "notify::state", G_CALLBACK (feed_notify_cb), self);
      g_signal_connect (self->feed, "notify::last-error", G_CALLBACK (feed_notify_cb), self);
    }
  refresh_state (self);
}

static void
add_kpi (GwWindow   *self,
         guint       which,
         const char *label)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *value = gtk_label_new ("0");
  GtkWidget *caption = gtk_label_new (label);

  gtk_widget_add_css_class (value, "kpi-value");
  gtk_widget_add_css_class (caption, "kpi-label");
  gtk_box_append (GTK_BOX (box), value);
  gtk_box_append (GTK_BOX (box), caption);
  if (which == KPI_LATE)
    gtk_widget_add_css_class (box, "kpi-late");
  gtk_grid_attach (self->kpi_grid, box, which, 0, 1, 1);
  self->kpi_values[which] = GTK_LABEL (value);
}

/* A bar in the hall timeline opens its case on the map. */
static void
hall_incident_activated_cb (GwWindow   *self,
                            GwIncident *incident)
{
  gw_map_view_show_incident (self->map_view, incident);
}

GwWindow *
gw_window_new (GwApplication *app)
{
  GwWindow *self = g_object_new (GW_TYPE_WINDOW, "application", app, NULL);

  self->app = app;
  self->map_view = GW_MAP_VIEW (gw_map_view_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->map_view), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->map_view), TRUE);
  gw_map_view_set_store (self->map_view, gw_application_get_store (app));
  gtk_box_append (self->map_slot, GTK_WIDGET (self->map_view));
  {
    GtkWidget *hall = gw_hall_timeline_new ();

    /* The last hours of every department's cases, under the map. */
    gtk_widget_set_size_request (hall, -1, 220);
    gtk_widget_set_vexpand (hall, FALSE);
    gw_hall_timeline_set_store (GW_HALL_TIMELINE (hall), gw_application_get_store (app));
    g_signal_connect_object (hall, "incident-activated",
                             G_CALLBACK (hall_incident_activated_cb), self, G_CONNECT_SWAPPED);
    gtk_box_append (self->map_slot, hall);
  }
  {
    GtkWidget *stats = gw_stats_view_new ();

    gtk_widget_set_hexpand (stats, TRUE);
    gtk_widget_set_vexpand (stats, TRUE);
    gw_stats_view_set_store (GW_STATS_VIEW (stats), gw_application_get_store (app));
    gtk_box_append (self->stats_slot, stats);
  }
  g_signal_connect_object (gw_application_get_store (app), "changed",
                           G_CALLBACK (store_changed_cb), self, 0);
  g_signal_connect_object (app, "notify::feed", G_CALLBACK (app_feed_cb), self, 0);
  app_feed_cb (app, NULL, self);
  self->dirty = TRUE;
  refresh_data (self);
  return self;
}

GtkBox *
gw_window_get_map_slot (GwWindow *self)
{
  return self->map_slot;
}

static void
gw_window_dispose (GObject *object)
{
  GwWindow *self = (GwWindow *) object;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->feed != NULL)
    g_signal_handlers_disconnect_by_data (self->feed, self);
  g_clear_object (&self->feed);
  gtk_widget_dispose_template (GTK_WIDGET (self), GW_TYPE_WINDOW);

  G_OBJECT_CLASS (gw_window_parent_class)->dispose (object);
}

static void
gw_window_class_init (GwWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gw_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/gridwatch/Gridwatch/ui/gw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GwWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, GwWindow, map_slot);
  gtk_widget_class_bind_template_child (widget_class, GwWindow, stats_slot);
  gtk_widget_class_bind_template_child (widget_class, GwWindow, kpi_grid);
  gtk_widget_class_bind_template_child (widget_class, GwWindow, latest_list);
  gtk_widget_class_bind_template_child (widget_class, GwWindow, state_label);
  gtk_widget_class_bind_template_child (widget_class, GwWindow, age_label);
  gtk_widget_class_bind_template_child (widget_class, GwWindow, error_label);
}

static void
gw_window_init (GwWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  add_kpi (self, KPI_RECEIVED, _("Received today"));
  add_kpi (self, KPI_OPEN, _("Open"));
  add_kpi (self, KPI_LATE, _("Late"));
  add_kpi (self, KPI_CLOSED, _("Closed today"));
  self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
  g_signal_connect (self, "realize", G_CALLBACK (realize_cb), NULL);
}
