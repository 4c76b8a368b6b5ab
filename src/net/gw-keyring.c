/* gw-keyring.c — access tokens and API keys live in the user's keyring (libsecret) */

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "gw-keyring.h"

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    "org.gridwatch.Gridwatch.Token", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *secret = secret_password_lookup_finish (result, &error);

  /* No keyring service (a wall without a session keyring) means no stored token. */
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("Keyring unavailable: %s", error->message);
      g_clear_error (&error);
    }
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, secret, (GDestroyNotify) secret_password_free);
}

void
gw_keyring_lookup_async (const char          *server_url,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  secret_password_lookup (token_schema (), cancellable, lookup_cb, task,
                          "server", server_url, NULL);
}

char *
gw_keyring_lookup_finish (GAsyncResult  *result,
                          GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
gw_keyring_store_async (const char          *server_url,
                        const char          *secret,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *label = g_strdup_printf (_("Gridwatch access token for %s"), server_url);

  secret_password_store (token_schema (), SECRET_COLLECTION_DEFAULT, label, secret,
                         cancellable, store_cb, task, "server", server_url, NULL);
}

gboolean
gw_keyring_store_finish (GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
