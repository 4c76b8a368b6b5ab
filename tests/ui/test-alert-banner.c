/* test-alert-banner.c — the alert banner in a real window under Xvfb
 *
 * A real GwStore feeds the banner as the window does: a case that turns late through a store
 * change shows the orange bar, one whose deadline passes on the real clock shows it through
 * the tick, a new urgent case the red one; Acknowledge hides it. Each state is rendered to
 * PNG ($GW_TEST_OUTDIR) and the bar's colour checked. Sounds run through the real
 * GtkMediaFile backend: with no audio device they must fail quietly.
 */
#include "gw-test-ui.h"
#include <adwaita.h>
#include <string.h>

#include "gw-alert-banner.h"
#include "gw-settings.h"

#define WIDTH 1400
#define MIN_  GW_USEC_PER_MIN
#define HOUR  GW_USEC_PER_HOUR

typedef struct {
  GtkWidget     *window;
  GwAlertBanner *banner;
  GwStore       *store;
  GSettings     *settings;
  GPtrArray     *activated;  /* GwIncident* */
  gint64         seq;
} Fixture;

static GwIncident *
make (Fixture *f, const char *id, const char *title, GwPriority priority, GwTime deadline)
{
  GwIncident *incident = gw_incident_new ();

  incident->id = g_strdup (id);
  incident->title = g_strdup (title);
  incident->class_code = g_strdup ("0101");
  incident->address = g_strdup ("绿东村小区 3 号楼");
  incident->lon = 113.61;
  incident->lat = 34.75;
  incident->priority = priority;
  incident->stage = GW_STAGE_DISPATCHED;
  incident->received_at = g_get_real_time () - 10 * MIN_;
  incident->updated_at = g_get_real_time ();
  incident->deadline = deadline;
  incident->seq = ++f->seq;
  incident->timeline = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_stage_event_free);
  return incident;
}

static void
apply (Fixture *f, gboolean snapshot, GwIncident *incident)
{
  GwStoreBatch *batch = gw_store_batch_new ();

  if (incident != NULL)
    {
      gw_store_batch_upsert (batch, incident);
      gw_incident_unref (incident);
    }
  gw_store_batch_set_snapshot (batch, snapshot);
  gw_store_apply (f->store, batch);
}

/* Runs the main loop until @cond holds, failing after @seconds. */
#define ITERATE_UNTIL(cond, seconds) G_STMT_START {                           \
    gint64 end_ = g_get_monotonic_time () + (seconds) * G_USEC_PER_SEC;       \
    while (!(cond) && g_get_monotonic_time () < end_)                         \
      g_main_context_iteration (NULL, TRUE);                                  \
    g_assert_true (cond);                                                     \
  } G_STMT_END

static GtkWidget *
find_button (GtkWidget *root, const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* As a click does (activate would wait for the press animation). */
static void
click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static const char *
title_text (Fixture *f)
{
  return gtk_label_get_text (GTK_LABEL (gw_test_ui_find_by_class (GTK_WIDGET (f->banner), "gw-alert-title")));
}

static void
activated_cb (GwAlertBanner *banner, GwIncident *incident, Fixture *f)
{
  g_ptr_array_add (f->activated, gw_incident_ref (incident));
}

/* Shown fully: revealed, the slide finished, laid out at full height. */
static gboolean
fully_shown (Fixture *f)
{
  GtkWidget *bar = gw_test_ui_find_by_class (GTK_WIDGET (f->banner), "gw-alert-banner");
  GtkRevealer *revealer = GTK_REVEALER (gtk_widget_get_parent (bar));

  return gw_alert_banner_get_revealed (f->banner) && gtk_revealer_get_child_revealed (revealer) &&
         gtk_widget_get_height (GTK_WIDGET (f->banner)) >= gtk_widget_get_height (bar) &&
         gtk_widget_get_height (bar) > 0;
}

static gboolean
fully_hidden (Fixture *f)
{
  return !gw_alert_banner_get_revealed (f->banner) &&
         gtk_widget_get_height (GTK_WIDGET (f->banner)) == 0;
}

static GwTestImage *
render (Fixture *f, const char *name)
{
  GtkWidget *widget = GTK_WIDGET (f->banner);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (f->window));
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autoptr(GskRenderNode) node = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  gint64 end = g_get_monotonic_time () + 200 * 1000;

  /* Let pending frames draw what changed (the widget is rendered on its own below). */
  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  return gw_test_image_render (renderer, node, width, height, name);
}

static void
setup (Fixture *f, gconstpointer data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *filler = gtk_label_new ("地图");
  GwTime now = g_get_real_time ();
  GwStoreBatch *batch = gw_store_batch_new ();
  g_autoptr(GwIncident) a = NULL;
  g_autoptr(GwIncident) old_late = NULL;

  f->settings = gw_settings_new ();
  g_settings_set_boolean (f->settings, "alerts-muted", FALSE);
  f->activated = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
  f->store = gw_store_new ();
  /* The picture at start-up, with one case already late: no alert for it. */
  a = make (f, "A", "垃圾满溢 绿东村小区", GW_PRIORITY_NORMAL, now + HOUR);
  old_late = make (f, "OLD", "占道经营 已超期", GW_PRIORITY_URGENT, now - HOUR);
  gw_store_batch_upsert (batch, a);
  gw_store_batch_upsert (batch, old_late);
  gw_store_batch_set_snapshot (batch, TRUE);
  gw_store_apply (f->store, batch);

  f->banner = GW_ALERT_BANNER (gw_alert_banner_new ());
  gw_alert_banner_set_store (f->banner, f->store);
  g_signal_connect (f->banner, "incident-activated", G_CALLBACK (activated_cb), f);
  gtk_widget_set_vexpand (filler, TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->banner));
  gtk_box_append (GTK_BOX (box), filler);

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), WIDTH, 300);
  gtk_window_set_child (GTK_WINDOW (f->window), box);
  gtk_window_present (GTK_WINDOW (f->window));
  ITERATE_UNTIL (gtk_widget_get_mapped (box) && gtk_widget_get_width (box) == WIDTH, 5);
  g_assert_false (gw_alert_banner_get_revealed (f->banner));
}

static void
teardown (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_ptr_array_unref (f->activated);
  g_object_unref (f->store);
  g_object_unref (f->settings);
}

static void
test_late_then_ack (Fixture *f, gconstpointer data)
{
  const GdkRGBA orange = { 0xc6 / 255.0, 0x46 / 255.0, 0, 1 };
  GwAlertQueue *queue = gw_alert_banner_get_queue (f->banner);
  GwIncident *moved;
  guint played;

  /* A store change moves A's deadline into the past: it just turned late. */
  moved = gw_incident_copy (gw_store_lookup (f->store, "A"));
  moved->seq = ++f->seq;
  moved->deadline = g_get_real_time () - MIN_;
  apply (f, FALSE, moved);
  ITERATE_UNTIL (fully_shown (f), 5);
  g_assert_cmpuint (gw_alert_queue_get_n_pending (queue), ==, 1);
  g_assert_nonnull (strstr (title_text (f), "垃圾满溢 绿东村小区"));
  /* The sound was asked for; with no audio device it fails quietly, the loop runs on. */
  played = gw_alert_sound_get_n_played (gw_alert_banner_get_sound (f->banner));
  g_assert_cmpuint (played, ==, 1);
  {
    g_autoptr(GwTestImage) image = render (f, "alert-banner-late.png");

    gw_test_image_assert_color (image, 4, 4, &orange, 0.03);
    gw_test_image_assert_color (image, image->width / 2, image->height - 3, &orange, 0.03);
  }

  /* Show opens the case. */
  click (find_button (GTK_WIDGET (f->banner), "_Show"));
  g_assert_cmpuint (f->activated->len, ==, 1);
  g_assert_cmpstr (((GwIncident *) g_ptr_array_index (f->activated, 0))->id, ==, "A");

  /* Acknowledge hides the bar. */
  click (find_button (GTK_WIDGET (f->banner), "_Acknowledge"));
  g_assert_cmpuint (gw_alert_queue_get_n_pending (queue), ==, 0);
  ITERATE_UNTIL (fully_hidden (f), 5);
}

static void
test_clock_and_urgent (Fixture *f, gconstpointer data)
{
  const GdkRGBA red = { 0xc0 / 255.0, 0x1c / 255.0, 0x28 / 255.0, 1 };
  GwAlertQueue *queue = gw_alert_banner_get_queue (f->banner);
  GtkWidget *mute;
  gboolean muted;

  /* A case due in a second turns late on the banner's own clock. */
  apply (f, FALSE, make (f, "B", "井盖缺失 建设路", GW_PRIORITY_NORMAL,
                         g_get_real_time () + G_USEC_PER_SEC));
  g_assert_false (gw_alert_banner_get_revealed (f->banner));
  ITERATE_UNTIL (fully_shown (f), 10);
  g_assert_nonnull (strstr (title_text (f), "井盖缺失 建设路"));

  /* Then a new urgent case: the bar turns red and offers "Acknowledge all". */
  apply (f, FALSE, make (f, "U", "燃气泄漏 中原路", GW_PRIORITY_URGENT, g_get_real_time () + HOUR));
  ITERATE_UNTIL (strstr (title_text (f), "燃气泄漏") != NULL, 5);
  g_assert_cmpuint (gw_alert_queue_get_n_pending (queue), ==, 2);
  g_assert_true (gtk_widget_get_visible (find_button (GTK_WIDGET (f->banner),
                                                      "Acknowledge A_ll")));
  {
    g_autoptr(GwTestImage) image = render (f, "alert-banner-urgent.png");

    gw_test_image_assert_color (image, 4, 4, &red, 0.03);
  }

  /* The mute toggle is the alerts-muted setting, and the queue follows it. */
  mute = gw_test_ui_find_by_class (GTK_WIDGET (f->banner), "gw-alert-banner");
  for (mute = gtk_widget_get_last_child (mute); !GTK_IS_TOGGLE_BUTTON (mute);
       mute = gtk_widget_get_prev_sibling (mute))
    ;
  click (mute);
  g_assert_true (g_settings_get_boolean (f->settings, "alerts-muted"));
  g_object_get (queue, "muted", &muted, NULL);
  g_assert_true (muted);
  {
    guint played = gw_alert_sound_get_n_played (gw_alert_banner_get_sound (f->banner));

    apply (f, FALSE, make (f, "U2", "火情 人民路", GW_PRIORITY_CRITICAL,
                           g_get_real_time () + HOUR));
    g_assert_cmpuint (gw_alert_queue_get_n_pending (queue), ==, 3);
    g_assert_cmpuint (gw_alert_sound_get_n_played (gw_alert_banner_get_sound (f->banner)),
                      ==, played);
  }

  /* Closing a case drops its alert; Acknowledge all clears the rest. */
  {
    GwIncident *closed = gw_incident_copy (gw_store_lookup (f->store, "U2"));
    closed->seq = ++f->seq;
    closed->stage = GW_STAGE_CLOSED;
    closed->closed_at = g_get_real_time ();
    apply (f, FALSE, closed);
  }
  g_assert_cmpuint (gw_alert_queue_get_n_pending (queue), ==, 2);
  click (find_button (GTK_WIDGET (f->banner), "Acknowledge A_ll"));
  ITERATE_UNTIL (fully_hidden (f), 5);
  g_assert_cmpuint (gw_alert_queue_get_n_pending (queue), ==, 0);
}

int
main (int argc, char **argv)
{
  gw_test_ui_init (&argc, &argv);
  /* The wall runs dark. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/org/gridwatch/Gridwatch/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  g_test_add ("/alert-banner/late-then-ack", Fixture, NULL, setup, test_late_then_ack, teardown);
  g_test_add ("/alert-banner/clock-and-urgent", Fixture, NULL, setup, test_clock_and_urgent,
              teardown);

  return g_test_run ();
}
