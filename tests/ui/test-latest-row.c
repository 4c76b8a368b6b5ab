/* test-latest-row.c — one line of the latest-cases list, drawn in snapshot()
 *
 * Under Xvfb: a late row draws the error colour at its right end and nowhere else; the
 * text is cut short at a narrow width and whole at a wide one; the height comes from
 * the font, not the text; setting the same content again notifies nothing; and the
 * accessible label names the case and says when it is late.
 */
#include <adwaita.h>

#include "gw-latest-row.h"
#include "gw-test-ui.h"

#define TITLE    "淮河路与伏牛路交叉口西南角占道经营，商户夜间在人行道摆摊"
#define SUBTITLE "友爱路社区第7网格 · 城管 · Dispatched"

typedef struct {
  GtkWidget   *window;
  GwLatestRow *row;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 200);
  f->row = GW_LATEST_ROW (gw_latest_row_new ());
  gtk_widget_set_halign (GTK_WIDGET (f->row), GTK_ALIGN_START);
  gtk_widget_set_size_request (GTK_WIDGET (f->row), 360, -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->row));
  gtk_window_set_child (GTK_WINDOW (f->window), box);
  gw_latest_row_set (f->row, "C1", TITLE, SUBTITLE, TRUE);
  gtk_window_present (GTK_WINDOW (f->window));
  gw_test_ui_settle (GTK_WIDGET (f->row), NULL, NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
}

/* Pixels clearly red (the theme's error colour), in columns [x0, x1). */
static guint
count_red (const GwTestImage *image, int x0, int x1)
{
  guint n = 0;

  for (int y = 0; y < image->height; y++)
    for (int x = x0; x < x1; x++)
      {
        GdkRGBA c;

        gw_test_image_pixel (image, x, y, &c);
        n += c.red > 0.6 && c.green < 0.4 && c.blue < 0.4;
      }
  return n;
}

static void
test_late_mark (Fixture *f, gconstpointer data)
{
  g_autoptr(GwTestImage) late = gw_test_ui_render_on_window (f->window, GTK_WIDGET (f->row),
                                                               "latest-row-late.png");
  g_autoptr(GwTestImage) on_time = NULL;
  int split = late->width * 3 / 4;

  /* "Late" at the right end, the text left of it in the ordinary colours. */
  g_assert_cmpuint (count_red (late, split, late->width), >, 20);
  g_assert_cmpuint (count_red (late, 0, split), ==, 0);

  gw_latest_row_set (f->row, "C1", TITLE, SUBTITLE, FALSE);
  gw_test_ui_settle (GTK_WIDGET (f->row), NULL, NULL);
  on_time = gw_test_ui_render_on_window (f->window, GTK_WIDGET (f->row), "latest-row.png");
  g_assert_cmpuint (count_red (on_time, 0, on_time->width), ==, 0);
}

static void
test_ellipsized (Fixture *f, gconstpointer data)
{
  g_assert_true (gw_latest_row_is_ellipsized (f->row));

  gtk_widget_set_size_request (GTK_WIDGET (f->row), 1100, -1);
  gw_test_ui_settle (GTK_WIDGET (f->row), NULL, NULL);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->row)), >=, 1100);
  g_assert_false (gw_latest_row_is_ellipsized (f->row));
}

static void
test_height_from_font (Fixture *f, gconstpointer data)
{
  int cjk, latin, empty;

  gtk_widget_measure (GTK_WIDGET (f->row), GTK_ORIENTATION_VERTICAL, -1, &cjk, NULL, NULL, NULL);
  gw_latest_row_set (f->row, "C2", "Fly-posting", "Cell 5 · City management · Closed", FALSE);
  gtk_widget_measure (GTK_WIDGET (f->row), GTK_ORIENTATION_VERTICAL, -1, &latin, NULL, NULL, NULL);
  gw_latest_row_set (f->row, NULL, NULL, NULL, FALSE);
  gtk_widget_measure (GTK_WIDGET (f->row), GTK_ORIENTATION_VERTICAL, -1, &empty, NULL, NULL, NULL);

  /* Two lines of text and some room: whatever the text, so new text never relayouts. */
  g_assert_cmpint (cjk, >, 24);
  g_assert_cmpint (latin, ==, cjk);
  g_assert_cmpint (empty, ==, cjk);
  g_assert_false (gtk_widget_get_request_mode (GTK_WIDGET (f->row)) == GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH);
}

static void
count_notify_cb (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  GPtrArray *names = user_data;

  g_ptr_array_add (names, (gpointer) g_param_spec_get_name (pspec));
}

static void
test_notify (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  g_signal_connect (f->row, "notify", G_CALLBACK (count_notify_cb), names);
  gw_latest_row_set (f->row, "C1", TITLE, SUBTITLE, TRUE);
  g_assert_cmpuint (names->len, ==, 0);

  gw_latest_row_set (f->row, "C1", TITLE, SUBTITLE, FALSE);
  g_assert_cmpuint (names->len, ==, 1);
  g_assert_cmpstr (names->pdata[0], ==, "late");

  g_object_set (f->row, "title", "积水", NULL);
  g_assert_cmpuint (names->len, ==, 2);
  g_assert_cmpstr (names->pdata[1], ==, "title");
  g_assert_cmpstr (gw_latest_row_get_title (f->row), ==, "积水");
  g_assert_cmpstr (gw_latest_row_get_subtitle (f->row), ==, SUBTITLE);
  g_assert_cmpstr (gw_latest_row_get_incident_id (f->row), ==, "C1");
  g_assert_false (gw_latest_row_get_late (f->row));
  g_signal_handlers_disconnect_by_func (f->row, count_notify_cb, names);
}

static void
test_accessible (Fixture *f, gconstpointer data)
{
  g_autofree char *late = g_strdup_printf ("%s, %s, Late", TITLE, SUBTITLE);
  g_autofree char *on_time = g_strdup_printf ("%s, %s", TITLE, SUBTITLE);
  g_autofree char *error = NULL;

  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (f->row), GTK_ACCESSIBLE_ROLE_LABEL));
  error = gtk_test_accessible_check_property (GTK_ACCESSIBLE (f->row), GTK_ACCESSIBLE_PROPERTY_LABEL, late);
  g_assert_null (error);
  gw_latest_row_set (f->row, "C1", TITLE, SUBTITLE, FALSE);
  error = gtk_test_accessible_check_property (GTK_ACCESSIBLE (f->row), GTK_ACCESSIBLE_PROPERTY_LABEL, on_time);
  g_assert_null (error);
}

int
main (int argc, char **argv)
{
  gw_test_ui_init (&argc, &argv);

  g_test_add ("/latest-row/late-mark", Fixture, NULL, fixture_setup, test_late_mark, fixture_teardown);
  g_test_add ("/latest-row/ellipsized", Fixture, NULL, fixture_setup, test_ellipsized, fixture_teardown);
  g_test_add ("/latest-row/height-from-font", Fixture, NULL, fixture_setup, test_height_from_font, fixture_teardown);
  g_test_add ("/latest-row/notify", Fixture, NULL, fixture_setup, test_notify, fixture_teardown);
  g_test_add ("/latest-row/accessible", Fixture, NULL, fixture_setup, test_accessible, fixture_teardown);
  return g_test_run ();
}
