/* gw-window.c — the main window: map, counters, latest cases and the connection state */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "gw-alert-banner.h"
#include "gw-department-board.h"
#include "gw-desk-view.h"
#include "gw-feed-status.h"
#include "gw-map-tour.h"
#include "gw-labels.h"
#include "gw-latest-row.h"
#include "gw-hall-timeline.h"
#include "gw-map-view.h"
#include "gw-replay-bar.h"
#include "gw-stats-view.h"
#include "gw-ticker.h"
#include "gw-wall-style.h"
#include "gw-window.h"

#define N_LATEST          30

enum { KPI_RECEIVED, KPI_OPEN, KPI_LATE, KPI_CLOSED, KPI_ON_TIME, N_KPIS };

/* The side panels the wall rotates through, in order. */
static const char * const side_pages[] = { "board", "latest", "stats" };

struct _GwWindow {
  AdwApplicationWindow  parent_instance;

  GwApplication        *app;
  GwFeed               *feed;
  guint                 tick_id;
  gboolean              dirty;       /* the store changed since the last refresh */
  gboolean              shown_data;

  GwMapView            *map_view;
  GwHallTimeline       *hall;
  GwReplay             *replay;      /* while replaying (win.replay … win.live) */
  GwReplayBar          *replay_bar;  /* built on the first win.replay */
  GwTicker             *ticker;
  GwDepartmentBoard    *board;
  GSettings            *settings;
  gboolean              wall;
  guint                 rotate_id;
  GwMapTour            *tour;
  guint                 stage_counts[GW_N_STAGES];

  AdwViewSwitcherTitle *window_title;
  AdwViewStack         *view_stack;
  GwDeskView           *desk_view;   /* built when first needed, in desk_slot */
  GtkBox               *desk_slot;
  GtkBox               *stats_slot;
  GtkBox               *map_slot;
  GtkBox               *kpi_grid;
  AdwHeaderBar         *header_bar;
  GtkWidget            *status_bar;
  GtkWidget            *side_panel;
  GtkWidget            *clock_box;
  GtkLabel             *clock_label;
  GtkLabel             *date_label;
  GtkStack             *side_stack;
  GtkBox               *board_box;
  GtkGrid              *stage_grid;
  GtkBox               *ticker_bar;
  GtkWidget            *kpi_boxes[N_KPIS];
  GtkListBox           *latest_list;
  GtkLabel             *state_label;
  GtkLabel             *age_label;
  GtkLabel             *error_label;
  GtkLabel             *kpi_values[N_KPIS];
};

G_DEFINE_FINAL_TYPE (GwWindow, gw_window, ADW_TYPE_APPLICATION_WINDOW)

static void
refresh_state (GwWindow *self)
{
  const char *error = self->feed ? gw_feed_get_last_error (self->feed) : NULL;

  gw_feed_status_show (self->feed, self->state_label, self->age_label);
  adw_view_switcher_title_set_subtitle (self->window_title, gtk_label_get_text (self->state_label));
  gtk_label_set_text (self->error_label, error ? error : "");
}

/* One line of the latest cases: what, where, who and at which stage. */
static void
set_latest_row (GwLatestRow *row,
                GwStore     *store,
                GwIncident  *incident,
                GwTime       now)
{
  GwDepartment *dept = incident->department
                       ? gw_store_lookup_department (store, incident->department) : NULL;
  GwCell *cell = incident->cell_code ? gw_store_lookup_cell (store, incident->cell_code) : NULL;
  g_autofree char *subtitle = g_strdup_printf ("%s · %s · %s",
                                              cell ? cell->name : incident->address,
                                              dept ? dept->name : _("Unassigned"),
                                              gw_stage_get_label (incident->stage));

  gw_latest_row_set (row, incident->id, incident->title, subtitle,
                     gw_incident_is_late (incident, now));
}

typedef struct {
  GwTime      day_start;
  guint       received;
  guint       closed;
  GwIncident *latest[N_LATEST];  /* most recently updated first */
  guint       n_latest;
  guint       stages[GW_N_STAGES];  /* open cases by stage */
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
  if (gw_incident_is_open (incident) && (guint) incident->stage < GW_N_STAGES)
    t->stages[incident->stage]++;

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

/* The "stats" side panel: open cases by stage, as label pairs rebuilt only on change. */
static void
refresh_stages (GwWindow    *self,
                const guint *counts)
{
  GtkWidget *child;
  int row = 0;

  if (memcmp (counts, self->stage_counts, sizeof self->stage_counts) == 0 &&
      gtk_widget_get_first_child (GTK_WIDGET (self->stage_grid)) != NULL)
    return;
  memcpy (self->stage_counts, counts, sizeof self->stage_counts);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->stage_grid))))
    gtk_grid_remove (self->stage_grid, child);
  for (guint stage = 0; stage < GW_N_STAGES; stage++)
    {
      g_autofree char *text = NULL;
      GtkWidget *name, *value;

      if (counts[stage] == 0)
        continue;
      text = g_strdup_printf ("%u", counts[stage]);
      name = gtk_label_new (gw_stage_get_label (stage));
      value = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_widget_set_hexpand (name, TRUE);
      gtk_label_set_xalign (GTK_LABEL (value), 1);
      gtk_widget_add_css_class (value, "numeric");
      gtk_grid_attach (self->stage_grid, name, 0, row, 1, 1);
      gtk_grid_attach (self->stage_grid, value, 1, row, 1, 1);
      row++;
    }
  if (row == 0)
    gtk_grid_attach (self->stage_grid, gtk_label_new (_("No open cases")), 0, 0, 2, 1);
}

/* The wall's clock: "14:05" and a localised date ("12月3日 星期四" in Chinese). */
static void
refresh_clock (GwWindow *self)
{
  /* Our own weekday names: the wall's system locale may lack the hall's language. */
  const char *weekdays[] = {
    NC_("weekday", "Monday"), NC_("weekday", "Tuesday"), NC_("weekday", "Wednesday"),
    NC_("weekday", "Thursday"), NC_("weekday", "Friday"), NC_("weekday", "Saturday"),
    NC_("weekday", "Sunday"),
  };
  g_autoptr(GDateTime) local = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (local, "%H:%M");
  /* Translators: the wall clock's day, a g_date_time_format() string; in Chinese
   * "%-m月%-d日" gives "12月3日" */
  g_autofree char *day = g_date_time_format (local, C_("wall date", "%B %-d"));
  /* Translators: the wall clock's date: %1$s the weekday, %2$s the day ("December 3");
   * in Chinese "%2$s %1$s" gives "12月3日 星期四" */
  g_autofree char *date = g_strdup_printf (C_("wall date", "%1$s, %2$s"),
                                           g_dpgettext2 (NULL, "weekday",
                                                         weekdays[g_date_time_get_day_of_week (local) - 1]),
                                           day);

  gtk_label_set_text (self->clock_label, time);
  gtk_label_set_text (self->date_label, date);
}

/* The on-time KPI is the department board's total: one definition on the whole wall. */
static void
board_computed_cb (GwWindow          *self,
                   GwDepartmentBoard *board)
{
  double rate = gw_department_board_get_total_on_time (board);
  g_autofree char *text = isnan (rate) ? g_strdup ("—") : g_strdup_printf ("%.0f%%", 100 * rate);

  gtk_label_set_text (self->kpi_values[KPI_ON_TIME], text);
}

/* Counters and the latest list; at most once a second however fast data comes. */
static void
refresh_data (GwWindow *self)
{
  GwStore *store = gw_application_get_store (self->app);
  g_autoptr(GPtrArray) late = NULL;
  GwTime now = g_get_real_time ();
  Tally tally = { gw_time_local_day_start (now) };
  guint counts[N_KPIS];
  GtkWidget *child;

  self->dirty = FALSE;
  gw_store_foreach (store, tally_cb, &tally);
  late = gw_store_list_late (store, now);
  counts[KPI_RECEIVED] = tally.received;
  counts[KPI_OPEN] = gw_store_count_open (store);
  counts[KPI_LATE] = late->len;
  counts[KPI_CLOSED] = tally.closed;
  /* While replaying the counters show the replay's time (replay_state_cb). */
  for (guint i = 0; i < KPI_ON_TIME && self->replay == NULL; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", counts[i]);
      gtk_label_set_text (self->kpi_values[i], text);
    }

  /* The rows stay; only their text changes (a redraw, not a relayout). */
  for (guint i = 0; i < tally.n_latest; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->latest_list, i);

      if (row == NULL)
        {
          gtk_list_box_append (self->latest_list, gw_latest_row_new ());
          row = gtk_list_box_get_row_at_index (self->latest_list, i);
        }
      set_latest_row (GW_LATEST_ROW (gtk_list_box_row_get_child (row)), store, tally.latest[i], now);
    }
  while ((child = GTK_WIDGET (gtk_list_box_get_row_at_index (self->latest_list, tally.n_latest))))
    gtk_list_box_remove (self->latest_list, child);
  refresh_stages (self, tally.stages);
}

/* For the start-up benchmark: the monotonic time of the first frame that shows data. */
static void
after_paint_cb (GdkFrameClock *clock,
                GwWindow      *self)
{
  if (gw_store_get_n_incidents (gw_application_get_store (self->app)) == 0 || self->dirty)
    return;
  /* A complete wall frame has the board and the on-time counter too (a worker computes them). */
  if (self->wall && self->board != NULL && gw_department_board_get_n_computed (self->board) == 0)
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
  if (self->wall)
    refresh_clock (self);
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
  if (self->replay_bar != NULL)
    gw_replay_bar_set_feed (self->replay_bar, self->feed);
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
  gtk_box_append (self->kpi_grid, box);
  self->kpi_boxes[which] = box;
  self->kpi_values[which] = GTK_LABEL (value);
}

/* Rotation of the side panels */

void
gw_window_rotate_step (GwWindow *self)
{
  const char *shown = gtk_stack_get_visible_child_name (self->side_stack);
  guint next = 0;

  g_return_if_fail (GW_IS_WINDOW (self));

  for (guint i = 0; shown != NULL && i < G_N_ELEMENTS (side_pages); i++)
    if (g_str_equal (shown, side_pages[i]))
      next = (i + 1) % G_N_ELEMENTS (side_pages);
  gtk_stack_set_visible_child_name (self->side_stack, side_pages[next]);
}

const char *
gw_window_get_side_page (GwWindow *self)
{
  return gtk_stack_get_visible_child_name (self->side_stack);
}

static gboolean
rotate_cb (gpointer user_data)
{
  gw_window_rotate_step (user_data);
  return G_SOURCE_CONTINUE;
}

/* Both timers follow the settings live, and only run on a wall. */
static void
update_timers (GwWindow *self)
{
  gboolean rotate = self->wall && self->settings != NULL &&
                    g_settings_get_boolean (self->settings, "rotate-panels");
  gboolean tour = self->wall && self->settings != NULL &&
                  g_settings_get_boolean (self->settings, "tour-late-cells");

  g_clear_handle_id (&self->rotate_id, g_source_remove);
  if (rotate)
    self->rotate_id = g_timeout_add_seconds (g_settings_get_uint (self->settings, "rotate-interval"),
                                             rotate_cb, self);
  gw_map_tour_set_running (self->tour, tour,
                           tour ? g_settings_get_uint (self->settings, "tour-interval") : 0);
}

gboolean
gw_window_get_rotating (GwWindow *self)
{
  return self->rotate_id != 0;
}

GwMapTour *
gw_window_get_tour (GwWindow *self)
{
  return self->tour;
}

/* Wall or desk: the same widgets, arranged for the hall or for a person at a desk. */
static void
apply_mode (GwWindow *self)
{
  gboolean wall = gw_application_get_wall (self->app);

  self->wall = wall;
  gtk_widget_set_visible (GTK_WIDGET (self->header_bar), !wall);
  gtk_widget_set_visible (self->clock_box, wall);
  gtk_widget_set_visible (GTK_WIDGET (self->ticker_bar), wall);
  gtk_widget_set_visible (self->kpi_boxes[KPI_OPEN], !wall);
  gtk_widget_set_visible (self->kpi_boxes[KPI_ON_TIME], wall);
  /* Sizes come from the scaled wall CSS there, from these requests at the desk. */
  gtk_widget_set_size_request (GTK_WIDGET (self->hall), -1, wall ? -1 : 220);
  gtk_widget_set_size_request (self->side_panel, wall ? -1 : 420, -1);
  if (wall)
    {
      gtk_widget_add_css_class (self->side_panel, "wall-side");
      gtk_widget_add_css_class (self->status_bar, "wall-status");
      adw_view_stack_set_visible_child_name (self->view_stack, "wall");
      gtk_stack_set_visible_child_name (self->side_stack, "board");
      gw_wall_style_attach (GTK_WINDOW (self));
      refresh_clock (self);
    }
  else
    {
      gtk_widget_remove_css_class (self->side_panel, "wall-side");
      gtk_widget_remove_css_class (self->status_bar, "wall-status");
      gtk_stack_set_visible_child_name (self->side_stack, "latest");
      gw_wall_style_detach (GTK_WINDOW (self));
    }
  update_timers (self);
}

static void
wall_settings_changed_cb (GwWindow   *self,
                          const char *key,
                          GSettings  *settings)
{
  update_timers (self);
}

static gboolean
save_size_cb (GwWindow *self)
{
  int width, height;

  if (gw_application_get_wall (self->app) || self->settings == NULL)
    return FALSE;
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  return FALSE;
}

static void
setup_wall (GwWindow *self)
{
  GwStore *store = gw_application_get_store (self->app);

  self->ticker = GW_TICKER (gw_ticker_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->ticker), TRUE);
  gw_ticker_set_store (self->ticker, store);
  gtk_box_append (self->ticker_bar, GTK_WIDGET (self->ticker));

  self->tour = gw_map_tour_new (self->map_view, store);

  self->board = GW_DEPARTMENT_BOARD (gw_department_board_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->board), TRUE);
  g_signal_connect_object (self->board, "computed", G_CALLBACK (board_computed_cb), self,
                           G_CONNECT_SWAPPED);
  gw_department_board_set_store (self->board, store);
  gtk_box_append (self->board_box, GTK_WIDGET (self->board));

  self->settings = gw_application_get_settings (self->app);
  if (self->settings != NULL)
    {
      g_object_ref (self->settings);
      g_settings_bind (self->settings, "hall-timeline-hours", self->hall, "hours", G_SETTINGS_BIND_GET);
      g_settings_bind (self->settings, "hall-timeline-lanes", self->hall, "lane-by", G_SETTINGS_BIND_GET);
      /* The desk window comes back at the size it was left at (saved on close). */
      if (!gw_application_get_wall (self->app))
        {
          gtk_window_set_default_size (GTK_WINDOW (self),
                                       g_settings_get_int (self->settings, "window-width"),
                                       g_settings_get_int (self->settings, "window-height"));
          if (g_settings_get_boolean (self->settings, "window-maximized"))
            gtk_window_maximize (GTK_WINDOW (self));
          g_signal_connect (self, "close-request", G_CALLBACK (save_size_cb), NULL);
        }
      g_signal_connect_object (self->settings, "changed::rotate-panels",
                               G_CALLBACK (wall_settings_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::rotate-interval",
                               G_CALLBACK (wall_settings_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::tour-late-cells",
                               G_CALLBACK (wall_settings_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::tour-interval",
                               G_CALLBACK (wall_settings_changed_cb), self, G_CONNECT_SWAPPED);
    }
  g_signal_connect_object (self->app, "notify::wall", G_CALLBACK (apply_mode), self,
                           G_CONNECT_SWAPPED);
  apply_mode (self);
}

GwTicker *
gw_window_get_ticker (GwWindow *self)
{
  return self->ticker;
}

GwDepartmentBoard *
gw_window_get_board (GwWindow *self)
{
  return self->board;
}

GwMapView *
gw_window_get_map_view (GwWindow *self)
{
  return self->map_view;
}

GtkWidget *
gw_window_get_kpi_value (GwWindow *self,
                         guint     which)
{
  g_return_val_if_fail (which < N_KPIS, NULL);
  return GTK_WIDGET (self->kpi_values[which]);
}

/* A bar in the hall timeline opens its case on the map. */
static void
hall_incident_activated_cb (GwWindow   *self,
                            GwIncident *incident)
{
  gw_map_view_show_incident (self->map_view, incident);
}

/* A case from another page (a statistics drill-down, an alert): to the wall, on the map. */
static void
stats_incident_activated_cb (GwWindow   *self,
                             GwIncident *incident)
{
  adw_view_stack_set_visible_child_name (self->view_stack, "wall");
  gw_map_view_show_incident (self->map_view, incident);
}

/* A latest case, clicked: on the map with its card. */
static void
latest_activated_cb (GwWindow      *self,
                     GtkListBoxRow *row)
{
  GwLatestRow *latest = GW_LATEST_ROW (gtk_list_box_row_get_child (row));
  GwIncident *incident = gw_store_lookup (gw_application_get_store (self->app),
                                          gw_latest_row_get_incident_id (latest));

  if (incident != NULL)
    stats_incident_activated_cb (self, incident);
}

static GwDeskView *
ensure_desk_view (GwWindow *self)
{
  if (self->desk_view != NULL)
    return self->desk_view;
  self->desk_view = GW_DESK_VIEW (gw_desk_view_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->desk_view), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->desk_view), TRUE);
  gw_desk_view_set_store (self->desk_view, gw_application_get_store (self->app));
  g_object_bind_property (self->app, "wall", self->desk_view, "wall", G_BINDING_SYNC_CREATE);
  gtk_box_append (self->desk_slot, GTK_WIDGET (self->desk_view));
  return self->desk_view;
}

/* The statistics and Cases pages are built when first shown: the wall's first frame
 * does not wait for them. */
static void
visible_page_cb (GwWindow *self)
{
  const char *page = adw_view_stack_get_visible_child_name (self->view_stack);
  GtkWidget *stats;

  if (g_strcmp0 (page, "cases") == 0)
    ensure_desk_view (self);
  if (g_strcmp0 (page, "statistics") != 0 || gtk_widget_get_first_child (GTK_WIDGET (self->stats_slot)))
    return;
  stats = gw_stats_view_new ();
  gtk_widget_set_hexpand (stats, TRUE);
  gtk_widget_set_vexpand (stats, TRUE);
  gw_stats_view_set_store (GW_STATS_VIEW (stats), gw_application_get_store (self->app));
  g_signal_connect_object (stats, "incident-activated",
                           G_CALLBACK (stats_incident_activated_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (self->stats_slot, stats);
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
    /* Alerts: a bar across the top of the content under the header bar, and a mute toggle. */
    GtkWidget *banner = gw_alert_banner_new ();
    GtkWidget *top = gtk_widget_get_parent (GTK_WIDGET (self->header_bar));

    gw_alert_banner_set_store (GW_ALERT_BANNER (banner), gw_application_get_store (app));
    g_signal_connect_object (banner, "incident-activated",
                             G_CALLBACK (stats_incident_activated_cb), self, G_CONNECT_SWAPPED);
    g_return_val_if_fail (GTK_IS_BOX (top), self);
    gtk_box_insert_child_after (GTK_BOX (top), banner, GTK_WIDGET (self->header_bar));
    adw_header_bar_pack_end (self->header_bar, gw_alert_banner_new_mute_button ());
  }
  {
    GtkWidget *hall = gw_hall_timeline_new ();

    /* The last hours of every department's cases, under the map. */
    gtk_widget_set_size_request (hall, -1, 220);
    gtk_widget_set_vexpand (hall, FALSE);
    gtk_widget_add_css_class (hall, "wall-hall");
    self->hall = GW_HALL_TIMELINE (hall);
    gw_hall_timeline_set_store (GW_HALL_TIMELINE (hall), gw_application_get_store (app));
    g_signal_connect_object (hall, "incident-activated",
                             G_CALLBACK (hall_incident_activated_cb), self, G_CONNECT_SWAPPED);
    gtk_box_append (self->map_slot, hall);
  }
  g_signal_connect_object (self->view_stack, "notify::visible-child",
                           G_CALLBACK (visible_page_cb), self, G_CONNECT_SWAPPED);
  visible_page_cb (self);
  setup_wall (self);
  g_signal_connect_object (gw_application_get_store (app), "changed",
                           G_CALLBACK (store_changed_cb), self, 0);
  g_signal_connect_object (app, "notify::feed", G_CALLBACK (app_feed_cb), self, 0);
  app_feed_cb (app, NULL, self);
  self->dirty = TRUE;
  refresh_data (self);
  return self;
}

static void
search_activated (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  GwWindow *self = user_data;

  adw_view_stack_set_visible_child_name (self->view_stack, "cases");
  gw_desk_view_focus_search (ensure_desk_view (self));
}

static void
fullscreen_activated (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  GtkWindow *window = user_data;

  if (gtk_window_is_fullscreen (window))
    gtk_window_unfullscreen (window);
  else
    gtk_window_fullscreen (window);
}

static void
show_view_activated (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  GwWindow *self = user_data;
  const char *name = g_variant_get_string (param, NULL);

  if (adw_view_stack_get_child_by_name (self->view_stack, name) != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, name);
}

/* Replay: the map, the hall timeline and the counters show the replay's time. */
static void
replay_state_cb (GwWindow *self)
{
  const GwReplayState *state = gw_replay_get_state (self->replay);
  guint counts[KPI_ON_TIME];

  if (state == NULL || gw_replay_get_live (self->replay))
    return;
  counts[KPI_RECEIVED] = state->n_received_today;
  counts[KPI_OPEN] = state->n_open;
  counts[KPI_LATE] = state->n_late;
  counts[KPI_CLOSED] = state->n_closed_today;
  for (guint i = 0; i < KPI_ON_TIME; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", counts[i]);
      gtk_label_set_text (self->kpi_values[i], text);
    }
}

static gboolean
drop_replay_cb (gpointer replay)
{
  g_object_unref (replay);
  return G_SOURCE_REMOVE;
}

static void
stop_replay (GwWindow *self,
             gboolean  disposing)
{
  GwReplay *replay = g_steal_pointer (&self->replay);

  if (replay == NULL)
    return;
  g_signal_handlers_disconnect_by_data (replay, self);
  gw_map_view_set_replay (self->map_view, NULL);
  gw_hall_timeline_set_replay (self->hall, NULL);
  gw_replay_bar_set_replay (self->replay_bar, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->replay_bar), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self), "replaying");
  if (disposing)
    {
      g_object_unref (replay);
      return;
    }
  /* This may run inside the replay's own notify: let it go once that returns. */
  g_idle_add (drop_replay_cb, replay);
  self->dirty = TRUE;
  refresh_data (self);
}

static void
replay_live_cb (GwWindow *self)
{
  if (gw_replay_get_live (self->replay))
    stop_replay (self, FALSE);
}

/* The replay scrubber (win.replay, win.live) under the hall timeline, hidden while live. */
static GwReplayBar *
ensure_replay_bar (GwWindow *self)
{
  if (self->replay_bar != NULL)
    return self->replay_bar;
  self->replay_bar = GW_REPLAY_BAR (gw_replay_bar_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->replay_bar), FALSE);
  gw_replay_bar_set_feed (self->replay_bar, self->feed);
  gtk_box_append (self->map_slot, GTK_WIDGET (self->replay_bar));
  return self->replay_bar;
}

static void
replay_activated (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  GwWindow *self = user_data;

  if (self->replay == NULL)
    {
      self->replay = gw_replay_new (gw_application_get_store (self->app));
      g_signal_connect_swapped (self->replay, "state-changed", G_CALLBACK (replay_state_cb), self);
      g_signal_connect_swapped (self->replay, "notify::live", G_CALLBACK (replay_live_cb), self);
      gw_map_view_set_replay (self->map_view, self->replay);
      gw_hall_timeline_set_replay (self->hall, self->replay);
      gw_replay_bar_set_replay (ensure_replay_bar (self), self->replay);
      gw_replay_bar_select_today (self->replay_bar);
      gtk_widget_add_css_class (GTK_WIDGET (self), "replaying");
    }
  adw_view_stack_set_visible_child_name (self->view_stack, "wall");
  gtk_widget_set_visible (GTK_WIDGET (self->replay_bar), TRUE);
  gtk_widget_child_focus (GTK_WIDGET (self->replay_bar), GTK_DIR_TAB_FORWARD);
}

static void
live_activated (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  stop_replay (user_data, FALSE);
}

GwReplayBar *
gw_window_get_replay_bar (GwWindow *self)
{
  g_return_val_if_fail (GW_IS_WINDOW (self), NULL);
  return ensure_replay_bar (self);
}

static const GActionEntry win_actions[] = {
  { "replay", replay_activated },
  { "live", live_activated },
  { "search", search_activated },
  { "fullscreen", fullscreen_activated },
  { "show-view", show_view_activated, "s" },
};

GtkListBox *
gw_window_get_latest_list (GwWindow *self)
{
  g_return_val_if_fail (GW_IS_WINDOW (self), NULL);
  return self->latest_list;
}

GwDeskView *
gw_window_get_desk_view (GwWindow *self)
{
  g_return_val_if_fail (GW_IS_WINDOW (self), NULL);
  return ensure_desk_view (self);
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
  g_clear_handle_id (&self->rotate_id, g_source_remove);
  g_clear_object (&self->tour);
  if (self->feed != NULL)
    g_signal_handlers_disconnect_by_data (self->feed, self);
  g_clear_object (&self->feed);
  g_clear_object (&self->settings);
  stop_replay (self, TRUE);
  gw_wall_style_detach (GTK_WINDOW (self));
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
  gtk_widget_class_bind_template_child (widget_class, GwWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, GwWindow, desk_slot);
  gtk_widget_class_bind_template_child (widget_class, GwWindow, map_slot);
  gtk_widget_class_bind_template_child (widget_class, GwWindow, stats_slot);
  gtk_widget_class_bind_template_child (widget_class, GwWindow, kpi_grid);
  gtk_widget_class_bind_template_child (widget_class, GwWindow, latest_list);
  gtk_widget_class_bind_template_child (widget_class, GwWindow, state_label);
  gtk_widget_class_bind_template_child (widget_class, GwWindow, age_label);
  gtk_widget_class_bind_template_child (widget_class, GwWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, GwWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, GwWindow, status_bar);
  gtk_widget_class_bind_template_child (widget_class, GwWindow, side_panel);
  gtk_widget_class_bind_template_child (widget_class, GwWindow, clock_box);
  gtk_widget_class_bind_template_child (widget_class, GwWindow, clock_label);
  gtk_widget_class_bind_template_child (widget_class, GwWindow, date_label);
  gtk_widget_class_bind_template_child (widget_class, GwWindow, side_stack);
  gtk_widget_class_bind_template_child (widget_class, GwWindow, board_box);
  gtk_widget_class_bind_template_child (widget_class, GwWindow, stage_grid);
  gtk_widget_class_bind_template_child (widget_class, GwWindow, ticker_bar);
}

static void
gw_window_init (GwWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions,
                                   G_N_ELEMENTS (win_actions), self);

  add_kpi (self, KPI_RECEIVED, _("Received today"));
  add_kpi (self, KPI_OPEN, _("Open"));
  add_kpi (self, KPI_LATE, _("Late"));
  add_kpi (self, KPI_CLOSED, _("Closed today"));
  /* 按期结案率 over 7 days, as the department board defines it. */
  add_kpi (self, KPI_ON_TIME, _("On time (7 days)"));
  gtk_label_set_text (self->kpi_values[KPI_ON_TIME], "—");
  g_signal_connect_swapped (self->latest_list, "row-activated", G_CALLBACK (latest_activated_cb), self);
  self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
  g_signal_connect (self, "realize", G_CALLBACK (realize_cb), NULL);
}
