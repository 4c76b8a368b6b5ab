/* gw-demo-server.c — runs the bundled gridwatch-dispatchd with its simulator */

#include "gw-demo-server.h"

#include <signal.h>
#include <sys/prctl.h>

struct _GwDemoServer {
  GObject           parent_instance;

  GSubprocess      *proc;
  GDataInputStream *out;
  GStrv             args;
};

G_DEFINE_FINAL_TYPE (GwDemoServer, gw_demo_server, G_TYPE_OBJECT)

GwDemoServer *
gw_demo_server_new (void)
{
  return g_object_new (GW_TYPE_DEMO_SERVER, NULL);
}

void
gw_demo_server_set_args (GwDemoServer       *self,
                         const char * const *args)
{
  g_strfreev (self->args);
  self->args = g_strdupv ((GStrv) args);
}

char *
gw_demo_server_find_binary (void)
{
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);

  if (self_exe != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self_exe);
      g_autofree char *beside = g_build_filename (dir, "gridwatch-dispatchd", NULL);
      if (g_file_test (beside, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&beside);
    }
  return g_find_program_in_path ("gridwatch-dispatchd");
}

/* The demo server must not outlive the app, even if the app crashes. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
line_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object),
                                                                     result, NULL, &error);

  if (line == NULL)
    {
      if (error == NULL)
        error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                             "gridwatch-dispatchd exited before it was ready");
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else if (g_str_has_prefix (line, "listening on "))
    g_task_return_pointer (task, g_strdup (line + strlen ("listening on ")), g_free);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                             "unexpected output from gridwatch-dispatchd: %s", line);
}

void
gw_demo_server_start_async (GwDemoServer        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *binary = gw_demo_server_find_binary ();
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "gridwatch", NULL);

  if (binary == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               "gridwatch-dispatchd is not installed");
      return;
    }
  g_mkdir_with_parents (dir, 0700);

  g_ptr_array_add (argv, g_steal_pointer (&binary));
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup ("127.0.0.1:0"));
  g_ptr_array_add (argv, g_strdup ("--simulate"));
  g_ptr_array_add (argv, g_strdup ("--db"));
  g_ptr_array_add (argv, g_build_filename (dir, "demo-dispatch.db", NULL));
  for (guint i = 0; self->args != NULL && self->args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (self->args[i]));
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  self->proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                             &error);
  if (self->proc == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  self->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->proc));
  g_data_input_stream_read_line_async (self->out, G_PRIORITY_DEFAULT, cancellable,
                                       line_read_cb, g_steal_pointer (&task));
}

char *
gw_demo_server_start_finish (GwDemoServer  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
gw_demo_server_stop (GwDemoServer *self)
{
  if (self->proc != NULL)
    g_subprocess_send_signal (self->proc, SIGTERM);
  g_clear_object (&self->out);
  g_clear_object (&self->proc);
}

static void
gw_demo_server_dispose (GObject *object)
{
  GwDemoServer *self = (GwDemoServer *) object;

  gw_demo_server_stop (self);
  g_clear_pointer (&self->args, g_strfreev);

  G_OBJECT_CLASS (gw_demo_server_parent_class)->dispose (object);
}

static void
gw_demo_server_class_init (GwDemoServerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = gw_demo_server_dispose;
}

static void
gw_demo_server_init (GwDemoServer *self)
{
}
