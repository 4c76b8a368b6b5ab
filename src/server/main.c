/* main.c — gridwatch-dispatchd, the reference Dispatch API server */

#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>

#include "gw-dispatch-db.h"
#include "gw-dispatch-server.h"
#include "gw-simulator.h"
#include "gw-street.h"

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GwDispatchDb) db = NULL;
  g_autoptr(GwDispatchServer) server = NULL;
  g_autoptr(GwSimulator) simulator = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *token = NULL;
  g_autofree char *uri = NULL;
  gboolean simulate = FALSE;
  gboolean demo_street = FALSE;
  double speed = 1.0;
  gint64 seed = 20261125;
  int history_days = 0;
  int heartbeat = 15;
  int max_streams = 256;
  gint64 retention = 100000;
  const GOptionEntry entries[] = {
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
      "Address to listen on (default 127.0.0.1:8411; port 0 picks a free one)", "ADDR:PORT" },
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &db_path, "SQLite database file", "FILE" },
    { "token", 't', 0, G_OPTION_ARG_STRING, &token,
      "Require this bearer token (or set GRIDWATCH_TOKEN)", "TOKEN" },
    { "simulate", 's', 0, G_OPTION_ARG_NONE, &simulate, "Play the demo street", NULL },
    { "demo-street", 0, 0, G_OPTION_ARG_NONE, &demo_street,
      "Load the demo street's cells, departments and classes without playing it", NULL },
    { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &speed, "Simulation speed, 1 to 3600 (default 1)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Simulation seed", "N" },
    { "history-days", 0, 0, G_OPTION_ARG_INT, &history_days,
      "Back-fill this many days of history when the database is new", "N" },
    { "heartbeat", 0, 0, G_OPTION_ARG_INT, &heartbeat,
      "Seconds between event-stream heartbeats (default 15)", "S" },
    { "max-streams", 0, 0, G_OPTION_ARG_INT, &max_streams,
      "Most concurrent event streams (default 256)", "N" },
    { "retain-changes", 0, 0, G_OPTION_ARG_INT64, &retention,
      "Changes kept for resuming clients (default 100000)", "N" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("— serve the Gridwatch Dispatch API");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("gridwatch-dispatchd: %s\n", error->message);
      return 2;
    }
  if (speed < 1 || speed > 3600 || history_days < 0 || heartbeat < 1 || max_streams < 0 ||
      retention < 1)
    {
      g_printerr ("gridwatch-dispatchd: --speed must be 1–3600; --history-days, --heartbeat,"
                  " --max-streams and --retain-changes must not be negative\n");
      return 2;
    }
  if (token == NULL && g_getenv ("GRIDWATCH_TOKEN") != NULL)
    token = g_strdup (g_getenv ("GRIDWATCH_TOKEN"));
  if (db_path == NULL)
    {
      g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "gridwatch", NULL);
      g_mkdir_with_parents (dir, 0700);
      db_path = g_build_filename (dir, "dispatchd.db", NULL);
    }

  if (!(db = gw_dispatch_db_open (db_path, &error)))
    {
      g_printerr ("gridwatch-dispatchd: %s\n", error->message);
      return 1;
    }
  gw_dispatch_db_set_retention (db, retention);

  if (simulate)
    {
      /* The simulator stamps the database's writes with its own clock. */
      simulator = gw_simulator_new (db, (guint64) seed, speed);
      if (!gw_simulator_prepare (simulator, &error) ||
          (history_days > 0 && gw_dispatch_db_count_incidents (db) == 0 &&
           !gw_simulator_backfill (simulator, history_days, &error)))
        {
          g_printerr ("gridwatch-dispatchd: simulator: %s\n", error->message);
          return 1;
        }
    }
  else if (demo_street && !gw_dispatch_db_has_reference (db))
    {
      g_autoptr(GPtrArray) cells = gw_street_cells ();
      g_autoptr(GPtrArray) departments = gw_street_departments ();
      g_autoptr(GPtrArray) classes = gw_street_classes ();

      if (!gw_dispatch_db_replace_reference (db, cells, departments, classes, &error))
        {
          g_printerr ("gridwatch-dispatchd: %s\n", error->message);
          return 1;
        }
    }

  server = g_object_new (GW_TYPE_DISPATCH_SERVER,
                         "db", db,
                         "token", token,
                         "heartbeat-seconds", (guint) heartbeat,
                         "max-streams", (guint) max_streams,
                         "speed", simulate ? speed : 1.0,
                         NULL);
  if (!(uri = gw_dispatch_server_listen (server, listen ? listen : "127.0.0.1:8411", &error)))
    {
      g_printerr ("gridwatch-dispatchd: cannot listen on %s: %s\n",
                  listen ? listen : "127.0.0.1:8411", error->message);
      return 1;
    }
  /* Handlers first: whoever reads the line below may stop us at once. */
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);

  /* Tests and `gridwatch --demo` read this line to learn the port. */
  printf ("listening on %s\n", uri);
  fflush (stdout);

  if (simulate)
    gw_simulator_start (simulator);

  g_main_loop_run (loop);

  /* Every acknowledged write is already committed; closing folds the WAL in. */
  if (simulate)
    gw_simulator_stop (simulator);
  gw_dispatch_server_shutdown (server);
  gw_dispatch_db_close (db);
  g_printerr ("gridwatch-dispatchd: stopped at change %" G_GINT64_FORMAT "\n",
              gw_dispatch_db_get_seq (db));
  return 0;
}
