/* test-desk.c — the desk: Cases page, actions, search, live updates and privacy
 *
 * Runs the real application (not g_application_run: registered and activated) against
 * the real gridwatch-dispatchd simulating the demo street on loopback, under Xvfb with
 * GTK_A11Y=test and GSETTINGS_BACKEND=memory. Drives the window through its actions,
 * checks the accessible tree, counts what a search shows against the store, keeps the
 * selection through live updates, masks callers on the wall and at the desk unless
 * show-personal-data is on, keeps the latest-cases list to the store's newest, and saves
 * the Cases page as desk.png to look at.
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "gw-application.h"
#include "gw-case-list.h"
#include "gw-desk-view.h"
#include "gw-incident-card.h"
#include "gw-latest-row.h"
#include "gw-preferences-window.h"
#include "gw-privacy.h"
#include "gw-settings.h"
#include "gw-test-dispatchd.h"
#include "gw-test-ui.h"
#include "gw-window.h"

static GwTestDispatchd *server;
static GwApplication *app;
static GwWindow *window;
static GwDeskView *desk;
static GSettings *settings;

/* ---- privacy functions ----------------------------------------------------------- */

static void
test_mask (void)
{
  const struct { const char *in, *want; } names[] = {
    { "张三丰", "张**" }, { "张三", "张**" }, { "欧阳娜娜", "欧**" }, { "John Smith", "J*" },
    { "  Li  ", "L*" }, { "", NULL }, { NULL, NULL },
  };
  const struct { const char *in, *want; } phones[] = {
    { "13812345678", "138****5678" },
    { "+86 138 1234 5678", "+86 1** **** 5678" },
    { "0371-65881234", "037*-****1234" },
    { "12345", "***45" },
    { "110", "***" },
    { "", NULL }, { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *got = gw_privacy_mask_name (names[i].in);
      g_assert_cmpstr (got, ==, names[i].want);
    }
  for (guint i = 0; i < G_N_ELEMENTS (phones); i++)
    {
      g_autofree char *got = gw_privacy_mask_phone (phones[i].in);
      g_assert_cmpstr (got, ==, phones[i].want);
    }
  g_assert_false (gw_privacy_may_show (TRUE, settings));
  g_assert_false (gw_privacy_may_show (FALSE, NULL));
}

/* A few frames: layout after a change. */
static void
settle (void)
{
  gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 3;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

/* ---- helpers --------------------------------------------------------------------- */

static GwStore *
store (void)
{
  return gw_application_get_store (app);
}

static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return GTK_WIDGET (w);
    }
  return NULL;
}

static const char *
visible_page (void)
{
  GtkWidget *w = GTK_WIDGET (desk);

  /* The AdwViewStack that holds the desk view. */
  while (w != NULL && !ADW_IS_VIEW_STACK (w))
    w = gtk_widget_get_parent (w);
  g_assert_nonnull (w);
  return adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (w));
}

typedef struct {
  char  *needle;
  guint  n;
} Count;

static gboolean
matches (const char *text, const char *needle)
{
  g_autofree char *folded = text ? g_utf8_casefold (text, -1) : NULL;

  return folded != NULL && strstr (folded, needle) != NULL;
}

static void
count_cb (gpointer data, gpointer user_data)
{
  GwIncident *inc = data;
  Count *c = user_data;

  c->n += matches (inc->title, c->needle) || matches (inc->address, c->needle) ||
          matches (inc->id, c->needle);
}

static guint
expected_matches (const char *search)
{
  Count c = { g_utf8_casefold (search, -1), 0 };

  gw_store_foreach (store (), count_cb, &c);
  g_free (c.needle);
  return c.n;
}

static void
search_changed_cb (GtkSearchEntry *entry, gboolean *changed)
{
  *changed = TRUE;
}

/* Types @text as the user would and waits for the entry's search-changed. */
static void
search_for (const char *text)
{
  GtkEditable *entry = gw_desk_view_get_search_entry (desk);
  gboolean changed = FALSE;
  gulong id;

  if (g_str_equal (gtk_editable_get_text (entry), text))
    return;
  id = g_signal_connect (entry, "search-changed", G_CALLBACK (search_changed_cb), &changed);
  gtk_editable_set_text (entry, text);
  gw_test_wait_until (changed, 10);
  g_signal_handler_disconnect (entry, id);
}

static void
assert_row_count (guint n)
{
  GwCaseList *list = gw_desk_view_get_case_list (desk);

  g_assert_cmpuint (gw_case_list_get_n_items (list), ==, n);
  gtk_test_accessible_assert_relation (GTK_ACCESSIBLE (gw_case_list_get_column_view (list)),
                                       GTK_ACCESSIBLE_RELATION_ROW_COUNT, (int) n);
}

/* Saves @widget's window as @name, to look at. */
static void
render_window (GtkWidget *widget, const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GwTestImage) image = NULL;
  GtkSnapshot *snapshot;
  int width, height;

  gw_test_wait_until (gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0, 5);
  settle ();
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  image = gw_test_image_render (gtk_native_get_renderer (GTK_NATIVE (widget)), node, width,
                                height, name);
  g_assert_nonnull (image);
}

/* ---- tests ----------------------------------------------------------------------- */

static void
test_actions (void)
{
  GtkWidget *focus, *prefs, *about, *help;

  /* The Cases page through its action, and win.search puts the cursor in the search. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-view",
                                  g_variant_new_string ("statistics"));
  g_assert_cmpstr (visible_page (), ==, "statistics");
  g_action_group_activate_action (G_ACTION_GROUP (window), "search", NULL);
  g_assert_cmpstr (visible_page (), ==, "cases");
  gw_test_wait_until (gtk_window_get_focus (GTK_WINDOW (window)) != NULL, 5);
  focus = gtk_window_get_focus (GTK_WINDOW (window));
  g_assert_true (focus == GTK_WIDGET (gw_desk_view_get_search_entry (desk)) ||
                 gtk_widget_is_ancestor (focus, GTK_WIDGET (gw_desk_view_get_search_entry (desk))));

  /* The accelerators the shortcuts window lists. */
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.search");
    g_assert_cmpstr (accels[0], ==, "<Control>f");
  }
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                  "app.preferences");
    g_assert_cmpstr (accels[0], ==, "<Control>comma");
  }
  /* Replay from the keyboard: the wall has no menu. */
  {
    g_auto(GStrv) replay = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.replay");
    g_auto(GStrv) live = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.live");
    g_assert_cmpstr (replay[0], ==, "<Control>r");
    g_assert_cmpstr (live[0], ==, "<Control>l");
  }

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  prefs = find_toplevel (GW_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (prefs);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (prefs)) == GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (prefs));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==,
                   GTK_LICENSE_GPL_3_0);
  render_window (about, "about.png");
  gtk_window_destroy (GTK_WINDOW (about));

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-help-overlay", NULL);
  help = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (help);
  render_window (help, "help-overlay.png");
  gtk_window_destroy (GTK_WINDOW (help));

  /* The app's icon is found (from the GResource when not installed). */
  g_assert_true (gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                          APP_ID));
  g_assert_true (gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                          APP_ID "-symbolic"));
}

static void
test_accessible (void)
{
  GtkAccessible *entry = GTK_ACCESSIBLE (gw_desk_view_get_search_entry (desk));
  GtkAccessible *view = GTK_ACCESSIBLE (gw_case_list_get_column_view (gw_desk_view_get_case_list (desk)));

  gtk_test_accessible_assert_role (entry, GTK_ACCESSIBLE_ROLE_SEARCH_BOX);
  gtk_test_accessible_assert_property (entry, GTK_ACCESSIBLE_PROPERTY_LABEL, "Search cases");
  g_assert_true (gtk_test_accessible_has_role (view, GTK_ACCESSIBLE_ROLE_TREE_GRID) ||
                 gtk_test_accessible_has_role (view, GTK_ACCESSIBLE_ROLE_GRID) ||
                 gtk_test_accessible_has_role (view, GTK_ACCESSIBLE_ROLE_LIST));
  search_for ("");
  gw_desk_view_refresh (desk);
  assert_row_count (gw_store_get_n_incidents (store ()));
}

static void
test_search (void)
{
  GwIncident *sample;
  g_autofree char *id = NULL;
  g_autofree char *word = NULL;
  g_autoptr(GPtrArray) all = gw_store_list (store ());
  guint n;

  g_assert_cmpuint (all->len, >, 10);
  sample = g_ptr_array_index (all, all->len / 2);
  id = g_strdup (sample->id);

  /* By case number: that case (and any whose number contains it). */
  search_for (id);
  gw_desk_view_refresh (desk);
  n = expected_matches (id);
  g_assert_cmpuint (n, >=, 1);
  assert_row_count (n);

  /* Case does not matter: the number typed in lower case finds the same. */
  {
    g_autofree char *lower = g_ascii_strdown (id, -1);

    search_for (lower);
    gw_desk_view_refresh (desk);
    g_assert_cmpuint (expected_matches (lower), ==, n);
    assert_row_count (n);
  }

  /* By a word of a title, in another case: several cases. */
  word = g_utf8_substring (sample->title, 0, MIN (2, g_utf8_strlen (sample->title, -1)));
  search_for (word);
  gw_desk_view_refresh (desk);
  n = expected_matches (word);
  g_assert_cmpuint (n, >=, 1);
  assert_row_count (n);
  g_assert_cmpuint (n, <, gw_store_get_n_incidents (store ()));

  /* Nothing matches. */
  search_for ("no such case anywhere 0xdeadbeef");
  gw_desk_view_refresh (desk);
  assert_row_count (0);

  search_for ("");
  gw_desk_view_refresh (desk);
  assert_row_count (gw_store_get_n_incidents (store ()));
}

/* Live updates replace the rows; the selected case stays selected and the list where
 * the user scrolled it. */
static void
test_live_selection (void)
{
  GwCaseList *list = gw_desk_view_get_case_list (desk);
  GtkAdjustment *vadj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (gw_case_list_get_column_view (list)));
  g_autoptr(GwIncident) update = NULL;
  g_autofree char *id = NULL;
  GwStoreBatch *batch;
  double target;
  gint64 seq;

  search_for ("");
  gw_desk_view_refresh (desk);
  g_assert_cmpuint (gw_case_list_get_n_items (list), >, 5);
  id = g_strdup (gw_case_list_get_item (list, 3)->id);
  g_assert_true (gw_desk_view_select_id (desk, id));
  g_assert_cmpstr (gw_case_list_get_selected (list)->id, ==, id);

  /* The simulator changes something: the selection survives the refresh. */
  seq = gw_store_get_seq (store ());
  gw_test_wait_until (gw_store_get_seq (store ()) > seq, 30);
  gw_desk_view_refresh (desk);
  g_assert_nonnull (gw_case_list_get_selected (list));
  g_assert_cmpstr (gw_case_list_get_selected (list)->id, ==, id);

  /* Now one change at a known moment: the feed stops, the store gets a new version of
   * the selected case while the list is scrolled half way down. */
  gw_feed_stop (gw_application_get_feed (app));
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-view",
                                  g_variant_new_string ("cases"));
  gw_test_wait_until (gtk_adjustment_get_upper (vadj) > gtk_adjustment_get_page_size (vadj) + 200, 10);
  settle ();
  target = (gtk_adjustment_get_upper (vadj) - gtk_adjustment_get_page_size (vadj)) / 2;
  gtk_adjustment_set_value (vadj, target);
  settle ();
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (vadj), target, 1);

  update = gw_incident_copy (gw_store_lookup (store (), id));
  update->seq++;
  update->updated_at = g_get_real_time ();
  g_free (update->title);
  update->title = g_strdup ("Updated while selected");
  batch = gw_store_batch_new ();
  gw_store_batch_upsert (batch, update);
  gw_store_apply (store (), batch);

  /* The desk's own once-a-second refresh picks it up. */
  gw_test_wait_until (gw_case_list_get_selected (list) == gw_store_lookup (store (), id), 5);
  settle ();
  g_assert_cmpstr (gw_case_list_get_selected (list)->title, ==, "Updated while selected");
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (vadj), target, 1);
}

/* ---- the latest cases ------------------------------------------------------------- */

static GwLatestRow *
latest_at (GtkListBox *list,
           int         i)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);

  return row != NULL ? GW_LATEST_ROW (gtk_list_box_row_get_child (row)) : NULL;
}

static guint
n_latest (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, n) != NULL)
    n++;
  return n;
}

typedef struct {
  GHashTable *shown;
  GwTime      oldest_shown;
  guint       newer_left_out;
} LeftOut;

static void
left_out_cb (gpointer data, gpointer user_data)
{
  GwIncident *inc = data;
  LeftOut *l = user_data;

  if (!g_hash_table_contains (l->shown, inc->id) && inc->updated_at > l->oldest_shown)
    l->newer_left_out++;
}

static void
newest_cb (gpointer data, gpointer user_data)
{
  GwTime *newest = user_data;

  *newest = MAX (*newest, ((GwIncident *) data)->updated_at);
}

static GwIncidentCard *
shown_card (GtkWidget *root)
{
  if (GW_IS_INCIDENT_CARD (root))
    return gtk_widget_get_visible (root) ? GW_INCIDENT_CARD (root) : NULL;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GwIncidentCard *card = shown_card (c);

      if (card != NULL)
        return card;
    }
  return NULL;
}

/* The list shows the store's newest cases, newest first, with their late state; a change
 * redraws the same rows; a click opens the case on the map. */
static void
test_latest (void)
{
  GtkListBox *list = gw_window_get_latest_list (window);
  g_autoptr(GHashTable) shown = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GwIncident) update = NULL;
  GwLatestRow *before[30];
  g_autofree char *id = NULL;
  LeftOut left_out = { shown, G_MAXINT64, 0 };
  GwStoreBatch *batch;
  GwIncidentCard *card;
  GwTime now, newest = 0;
  guint n;

  gw_feed_stop (gw_application_get_feed (app));
  n = MIN (G_N_ELEMENTS (before), gw_store_get_n_incidents (store ()));
  gw_test_wait_until (n_latest (list) == n, 5);
  for (guint i = 0; i < n; i++)
    before[i] = latest_at (list, i);

  /* The oldest case shown is updated last: it moves to the top, drawn by the same rows. */
  id = g_strdup (gw_latest_row_get_incident_id (before[n - 1]));
  update = gw_incident_copy (gw_store_lookup (store (), id));
  update->seq++;
  gw_store_foreach (store (), newest_cb, &newest);
  update->updated_at = newest + 1;  /* the simulator's clock may run ahead */
  g_free (update->title);
  update->title = g_strdup ("Moved to the top");
  batch = gw_store_batch_new ();
  gw_store_batch_upsert (batch, update);
  gw_store_apply (store (), batch);
  gw_test_wait_until (g_strcmp0 (gw_latest_row_get_incident_id (latest_at (list, 0)), id) == 0, 5);
  g_assert_cmpstr (gw_latest_row_get_title (latest_at (list, 0)), ==, "Moved to the top");
  g_assert_cmpuint (n_latest (list), ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_true (latest_at (list, i) == before[i]);

  /* Every row against the store: newest first, the late mark as the deadline says. */
  now = g_get_real_time ();
  for (guint i = 0; i < n; i++)
    {
      GwLatestRow *row = latest_at (list, i);
      GwIncident *inc = gw_store_lookup (store (), gw_latest_row_get_incident_id (row));

      g_assert_nonnull (inc);
      g_assert_cmpstr (gw_latest_row_get_title (row), ==, inc->title);
      g_assert_cmpint (inc->updated_at, <=, left_out.oldest_shown);
      left_out.oldest_shown = inc->updated_at;
      g_hash_table_add (shown, inc->id);
      /* Only a deadline passing between the refresh and now may disagree. */
      if (gw_latest_row_get_late (row) != gw_incident_is_late (inc, now))
        g_assert_cmpint (ABS (inc->deadline - now), <, 5 * G_USEC_PER_SEC);
    }
  /* ... and none left out is newer than the oldest shown. */
  gw_store_foreach (store (), left_out_cb, &left_out);
  g_assert_cmpuint (left_out.newer_left_out, ==, 0);

  /* A click on a row, from the Cases page: back to the wall with the case's card. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-view",
                                  g_variant_new_string ("cases"));
  g_signal_emit_by_name (list, "row-activated", gtk_list_box_get_row_at_index (list, 0));
  g_assert_cmpstr (visible_page (), ==, "wall");
  gw_test_wait_until ((card = shown_card (GTK_WIDGET (gw_window_get_map_view (window)))) != NULL, 5);
  gtk_popover_popdown (GTK_POPOVER (card));
}

typedef struct {
  GwIncident *found;
} FindReporter;

static void
find_reporter_cb (gpointer data, gpointer user_data)
{
  GwIncident *inc = data;
  FindReporter *f = user_data;

  if (f->found == NULL && inc->reporter_name != NULL && g_utf8_strlen (inc->reporter_name, -1) >= 2 &&
      inc->reporter_phone != NULL && strlen (inc->reporter_phone) >= 11)
    f->found = inc;
}

static void
test_privacy (void)
{
  FindReporter f = { NULL };
  g_autofree char *id = NULL, *name = NULL, *phone = NULL, *masked = NULL;
  const char *shown;

  gw_store_foreach (store (), find_reporter_cb, &f);
  g_assert_nonnull (f.found);
  id = g_strdup (f.found->id);
  name = g_strdup (f.found->reporter_name);
  phone = g_strdup (f.found->reporter_phone);
  masked = gw_privacy_format_reporter (f.found, FALSE);

  search_for (id);
  gw_desk_view_refresh (desk);
  g_assert_true (gw_desk_view_select_id (desk, id));

  /* At the desk with the setting off (the default): masked. */
  g_assert_false (g_settings_get_boolean (settings, "show-personal-data"));
  shown = gw_desk_view_get_reporter_text (desk);
  g_assert_cmpstr (shown, ==, masked);
  g_assert_null (strstr (shown, name));
  g_assert_null (strstr (shown, phone));

  /* Allowed at the desk: the caller in clear. */
  g_settings_set_boolean (settings, "show-personal-data", TRUE);
  gw_test_wait_until (strstr (gw_desk_view_get_reporter_text (desk), phone) != NULL, 5);
  g_assert_nonnull (strstr (gw_desk_view_get_reporter_text (desk), name));

  /* The wall masks whatever the setting says. */
  gw_application_set_wall (app, TRUE);
  g_assert_true (gw_desk_view_get_wall (desk));
  shown = gw_desk_view_get_reporter_text (desk);
  g_assert_null (strstr (shown, name));
  g_assert_null (strstr (shown, phone));
  g_assert_cmpstr (shown, ==, masked);

  gw_application_set_wall (app, FALSE);
  g_assert_nonnull (strstr (gw_desk_view_get_reporter_text (desk), phone));
  g_settings_set_boolean (settings, "show-personal-data", FALSE);
  gw_test_wait_until (strstr (gw_desk_view_get_reporter_text (desk), phone) == NULL, 5);
  search_for ("");
}

static GskRenderNode *
paint (GdkPaintable *paintable,
       int           width,
       int           height)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  return gtk_snapshot_free_to_node (snapshot);
}

/* The Cases page with a case selected, to look at. */
static void
test_render (void)
{
  GtkWidget *widget = GTK_WIDGET (window);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GwTestImage) image = NULL;
  GwCaseList *list = gw_desk_view_get_case_list (desk);
  int width, height;

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-view",
                                  g_variant_new_string ("cases"));
  gw_desk_view_refresh (desk);
  gw_case_list_select (list, 0);
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  gw_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (desk)), 5);
  {
    gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
    while (g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, FALSE);
  }
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  /* A busy machine may not have laid the page out yet: draw once it can be drawn. */
  gw_test_wait_until ((node = paint (paintable, width, height)) != NULL, 5);
  image = gw_test_image_render (gtk_native_get_renderer (GTK_NATIVE (window)), node, width,
                                height, "desk.png");
  g_assert_nonnull (image);

  /* The application icons, as the theme loads them from the GResource. */
  {
    const char *names[] = { "org.gridwatch.Gridwatch", "org.gridwatch.Gridwatch-symbolic" };
    GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autoptr(GtkIconPaintable) icon = gtk_icon_theme_lookup_icon (theme, names[i], NULL, 256, 1,
                                                                       GTK_TEXT_DIR_LTR, 0);
        g_autofree char *file = g_strdup_printf ("%s.png", names[i]);
        g_autoptr(GskRenderNode) icon_node = NULL;
        g_autoptr(GwTestImage) icon_image = NULL;
        GtkSnapshot *s = gtk_snapshot_new ();
        GdkRGBA white = { 1, 1, 1, 1 };

        gtk_snapshot_append_color (s, &white, &GRAPHENE_RECT_INIT (0, 0, 256, 256));
        gdk_paintable_snapshot (GDK_PAINTABLE (icon), s, 256, 256);
        icon_node = gtk_snapshot_free_to_node (s);
        icon_image = gw_test_image_render (gtk_native_get_renderer (GTK_NATIVE (window)),
                                           icon_node, 256, 256, file);
        /* Not the missing-image icon: the pin's red is at the centre top of the app icon. */
        if (i == 0)
          {
            GdkRGBA red = { 0xe0 / 255.0, 0x28 / 255.0, 0x32 / 255.0, 1 };
            gw_test_image_assert_color (icon_image, 128, 60, &red, 0.15);
          }
      }
  }
}

int
main (int argc, char *argv[])
{
  const char * const args[] = { "--simulate", "--speed", "120", "--history-days", "1",
                                "--seed", "11", NULL };
  int status;

  app = gw_test_ui_start_app (&argc, &argv, args, &server, &window);
  desk = gw_window_get_desk_view (window);
  settings = gw_settings_new ();

  g_test_add_func ("/desk/mask", test_mask);
  g_test_add_func ("/desk/actions", test_actions);
  g_test_add_func ("/desk/accessible", test_accessible);
  g_test_add_func ("/desk/search", test_search);
  g_test_add_func ("/desk/live-selection", test_live_selection);
  g_test_add_func ("/desk/latest", test_latest);
  g_test_add_func ("/desk/privacy", test_privacy);
  g_test_add_func ("/desk/render", test_render);
  status = g_test_run ();

  g_clear_object (&settings);
  gw_test_ui_stop_app (app, server, window);
  return status;
}
