/* gw-bench-desk.c — what one refresh of the desk's Cases page costs on the main thread
 *
 *   dbus-run-session -- xvfb-run -a -s "-screen 0 1920x1080x24" ./gw-bench-desk
 *
 * A store of N_CASES synthetic cases behind a GwDeskView in a 1600×900 window.
 *   full refresh  filters every case in the store (search, filters), sets the list's
 *                 rows (a case shown unchanged keeps its row) and puts the selection
 *                 back: when a filter changes
 *   live update   N_CHANGED cases change in the store; only their rows are redone: what
 *                 the page does (at most once a second) while the feed runs
 * Main-thread time per refresh; layout and drawing of the next frame are not counted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <adwaita.h>

#include "gw-desk-view.h"

#define N_CASES  20000
#define N_RUNS   30
#define N_CHANGED 50

static const char *titles[] = { "垃圾满溢", "占道经营", "井盖缺失", "违章停车", "噪音扰民",
                                "路灯不亮", "绿化损坏", "乱贴广告" };

static GwStore *
make_store (void)
{
  GwStore *store = gw_store_new ();
  GwStoreBatch *batch = gw_store_batch_new ();
  GwTime now = g_get_real_time ();

  for (guint i = 0; i < N_CASES; i++)
    {
      GwIncident *inc = gw_incident_new ();

      inc->id = g_strdup_printf ("LD2026%08u", i);
      inc->title = g_strdup_printf ("%s %u号楼", titles[i % G_N_ELEMENTS (titles)], i % 97);
      inc->address = g_strdup_printf ("绿东村小区 %u 号楼", i % 211);
      inc->class_code = g_strdup_printf ("01%02u", i % 8);
      inc->cell_code = g_strdup_printf ("410102006002%02u", i % 40);
      inc->department = g_strdup_printf ("dept-%u", i % 12);
      inc->stage = (GwStage) (i % 6);
      inc->received_at = now - (GwTime) (i % 10000) * 60 * G_USEC_PER_SEC;
      inc->deadline = inc->received_at + 4 * GW_USEC_PER_HOUR;
      inc->closed_at = gw_stage_is_closed (inc->stage) ? inc->received_at + GW_USEC_PER_HOUR
                                                        : GW_TIME_NONE;
      inc->updated_at = inc->received_at;
      inc->seq = i + 1;
      inc->reporter_name = g_strdup ("王小明");
      inc->reporter_phone = g_strdup ("13812345678");
      inc->timeline = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_stage_event_free);
      gw_store_batch_upsert (batch, inc);
      gw_incident_unref (inc);
    }
  gw_store_apply (store, batch);
  return store;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static void
run (GwDeskView *desk, const char *name, const char *search)
{
  double ms[N_RUNS], sum = 0;

  gtk_editable_set_text (gw_desk_view_get_search_entry (desk), search);
  for (guint i = 0; i < N_RUNS; i++)
    {
      gint64 t0 = g_get_monotonic_time ();

      gw_desk_view_refresh (desk);
      ms[i] = (g_get_monotonic_time () - t0) / 1000.0;
      sum += ms[i];
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  qsort (ms, N_RUNS, sizeof ms[0], cmp_double);
  printf ("%-22s %7u rows  mean %7.2f ms  p95 %7.2f ms  max %7.2f ms\n", name,
          gw_case_list_get_n_items (gw_desk_view_get_case_list (desk)), sum / N_RUNS,
          ms[(N_RUNS * 95) / 100], ms[N_RUNS - 1]);
}

/* N_CHANGED cases get a new version (next stage), then the page catches up. */
static void
run_live (GwStore *store, GwDeskView *desk, const char *name, const char *search)
{
  double ms[N_RUNS], sum = 0;

  gtk_editable_set_text (gw_desk_view_get_search_entry (desk), search);
  gw_desk_view_refresh (desk);
  for (guint i = 0; i < N_RUNS; i++)
    {
      GwStoreBatch *batch = gw_store_batch_new ();
      gint64 t0;

      for (guint k = 0; k < N_CHANGED; k++)
        {
          g_autofree char *id = g_strdup_printf ("LD2026%08u", (i * 997 + k * 389) % N_CASES);
          GwIncident *inc = gw_incident_copy (gw_store_lookup (store, id));

          inc->seq++;
          inc->stage = (inc->stage + 1) % 6;
          inc->updated_at = g_get_real_time ();
          gw_store_batch_upsert (batch, inc);
          gw_incident_unref (inc);
        }
      gw_store_apply (store, batch);
      t0 = g_get_monotonic_time ();
      gw_desk_view_refresh (desk);
      ms[i] = (g_get_monotonic_time () - t0) / 1000.0;
      sum += ms[i];
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  qsort (ms, N_RUNS, sizeof ms[0], cmp_double);
  printf ("%-22s %7u rows  mean %7.2f ms  p95 %7.2f ms  max %7.2f ms\n", name,
          gw_case_list_get_n_items (gw_desk_view_get_case_list (desk)), sum / N_RUNS,
          ms[(N_RUNS * 95) / 100], ms[N_RUNS - 1]);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GwStore) store = NULL;
  GtkWidget *window, *desk;

  gtk_init ();
  adw_init ();
  store = make_store ();
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1600, 900);
  desk = gw_desk_view_new ();
  gtk_window_set_child (GTK_WINDOW (window), desk);
  gtk_window_present (GTK_WINDOW (window));
  gw_desk_view_set_store (GW_DESK_VIEW (desk), store);
  while (!gtk_widget_get_mapped (desk))
    g_main_context_iteration (NULL, TRUE);

  printf ("desk full refresh over %u cases (%d runs each)\n", N_CASES, N_RUNS);
  run (GW_DESK_VIEW (desk), "all cases", "");
  gw_desk_view_select_id (GW_DESK_VIEW (desk), "LD202600000100");
  run (GW_DESK_VIEW (desk), "all, one selected", "");
  run (GW_DESK_VIEW (desk), "search \"占道\"", "占道");
  run (GW_DESK_VIEW (desk), "search case number", "LD202600019999");
  run (GW_DESK_VIEW (desk), "search, no match", "no such case");
  printf ("desk live update: %u cases changed in the store each run\n", N_CHANGED);
  run_live (store, GW_DESK_VIEW (desk), "all cases", "");
  run_live (store, GW_DESK_VIEW (desk), "search \"占道\"", "占道");
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
