/* gw-test-dispatchd.c — runs the real gridwatch-dispatchd on loopback for tests */

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "gw-test-dispatchd.h"

#include <signal.h>
#include <sys/prctl.h>

/* A test that dies must not leave its server running and holding the test's pipes. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
spawn (GwTestDispatchd    *self,
       const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *line = NULL;
  const char *binary = g_getenv ("GW_DISPATCHD");

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (char *) binary);
  g_ptr_array_add (argv, "--listen");
  g_ptr_array_add (argv, "127.0.0.1:0");
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, self->db_path);
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  self->proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                             &error);
  g_assert_no_error (error);

  /* The server prints its address once it accepts connections: read, don't sleep. */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->proc));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  g_free (self->url);
  self->url = g_strdup (line + strlen ("listening on "));
}

GwTestDispatchd *
gw_test_dispatchd_start (const char * const *args)
{
  GwTestDispatchd *self = g_new0 (GwTestDispatchd, 1);
  g_autoptr(GError) error = NULL;

  self->dir = g_dir_make_tmp ("gw-test-XXXXXX", &error);
  g_assert_no_error (error);
  self->db_path = g_build_filename (self->dir, "dispatch.db", NULL);
  self->session = soup_session_new_with_options ("timeout", 30, "max-conns-per-host", 64, NULL);
  spawn (self, args);
  return self;
}

void
gw_test_dispatchd_restart (GwTestDispatchd    *self,
                           const char * const *args)
{
  g_assert_null (self->proc);
  spawn (self, args);
}

void
gw_test_dispatchd_stop (GwTestDispatchd *self)
{
  g_autoptr(GError) error = NULL;

  if (self->proc == NULL)
    return;
  /* Drop idle keep-alive connections to the old process. */
  soup_session_abort (self->session);
  g_subprocess_send_signal (self->proc, SIGTERM);
  g_subprocess_wait_check (self->proc, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&self->proc);
}

void
gw_test_remove_tree (const char *path)
{
  GStatBuf st;

  if (path == NULL || g_lstat (path, &st) != 0)
    return;
  /* lstat, not stat: a symlink is removed as a link, never followed out of the tree. */
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          gw_test_remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

void
gw_test_dispatchd_free (GwTestDispatchd *self)
{
  if (self->proc != NULL)
    {
      g_subprocess_force_exit (self->proc);
      g_subprocess_wait (self->proc, NULL, NULL);
      g_clear_object (&self->proc);
    }
  gw_test_remove_tree (self->dir);
  g_clear_object (&self->session);
  g_free (self->dir);
  g_free (self->db_path);
  g_free (self->url);
  g_free (self->token);
  g_free (self);
}

GBytes *
gw_test_http_full (GwTestDispatchd     *self,
                   const char          *method,
                   const char          *path,
                   const char          *content_type,
                   const char          *body,
                   gsize                body_len,
                   const char * const  *request_headers,
                   guint               *status,
                   SoupMessageHeaders **headers)
{
  g_autofree char *uri = g_strconcat (self->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *req;
  GBytes *bytes;

  g_assert_nonnull (msg);
  req = soup_message_get_request_headers (msg);
  if (self->token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);
      soup_message_headers_replace (req, "Authorization", auth);
    }
  for (guint i = 0; request_headers != NULL && request_headers[i] != NULL; i += 2)
    soup_message_headers_replace (req, request_headers[i], request_headers[i + 1]);
  if (body != NULL)
    {
      g_autoptr(GBytes) payload = g_bytes_new (body, body_len);
      soup_message_set_request_body_from_bytes (msg, content_type ? content_type
                                                                  : "application/json", payload);
    }

  bytes = soup_session_send_and_read (self->session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  if (headers != NULL)
    *headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return bytes;
}

GBytes *
gw_test_http (GwTestDispatchd     *self,
              const char          *method,
              const char          *path,
              const char          *body,
              guint               *status,
              SoupMessageHeaders **headers)
{
  return gw_test_http_full (self, method, path, NULL, body, body ? strlen (body) : 0,
                            NULL, status, headers);
}

JsonNode *
gw_test_get_json (GwTestDispatchd *self,
                  const char      *path)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  guint status;
  gsize len;
  const char *data;

  bytes = gw_test_http (self, "GET", path, NULL, &status, NULL);
  data = g_bytes_get_data (bytes, &len);
  if (status != 200)
    g_error ("GET %s: %u %.*s", path, status, (int) len, data);
  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

gboolean
gw_test_tick_cb (gpointer user_data)
{
  /* Only wakes the loop so the caller can check its deadline. */
  return G_SOURCE_CONTINUE;
}

guint
gw_test_free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

void
gw_test_run_clear (GwTestRun *run)
{
  g_clear_pointer (&run->err, g_free);
  run->done = FALSE;
  run->status = 0;
}

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GwTestRun *run = user_data;
  GSubprocess *proc = G_SUBPROCESS (object);
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (proc, result, NULL, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  run->status = g_subprocess_get_exit_status (proc);
  run->done = TRUE;
}

void
gw_test_run_gridwatch (GwTestRun          *run,
                       const char         *token,
                       const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  const char *binary = g_getenv ("GW_GRIDWATCH");

  gw_test_run_clear (run);
  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (char *) binary);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  if (token != NULL)
    g_subprocess_launcher_setenv (launcher, "GRIDWATCH_TOKEN", token, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "GRIDWATCH_TOKEN");
  /* Headless: the exports must not need a display. */
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (proc, NULL, NULL, communicate_cb, run);
  gw_test_wait_until (run->done, 60);
  g_test_message ("gridwatch exited %d: %s", run->status, run->err);
}
