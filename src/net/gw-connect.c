/* gw-connect.c — which server to follow, from the command line or the settings */

#include "gw-connect.h"

#include <string.h>

#include "config.h"

#include "gw-dispatch-feed.h"
#include "gw-keyring.h"
#include "gw-open311-feed.h"

void
gw_connect_options_clear (GwConnectOptions *options)
{
  g_clear_pointer (&options->server_url, g_free);
  g_clear_pointer (&options->open311_url, g_free);
  g_clear_pointer (&options->api_key, g_free);
  g_clear_pointer (&options->jurisdiction, g_free);
  g_clear_pointer (&options->ca_file, g_free);
  g_clear_pointer (&options->client_cert, g_free);
  /* The token is a secret: wipe it, not just free it. */
  if (options->token != NULL)
    memset (options->token, 0, strlen (options->token));
  g_clear_pointer (&options->token, g_free);
  options->demo = FALSE;
}

static gboolean
valid_http_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return uri != NULL && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0' &&
         (g_strcmp0 (g_uri_get_scheme (uri), "http") == 0 ||
          g_strcmp0 (g_uri_get_scheme (uri), "https") == 0);
}

gboolean
gw_connect_options_check (GwConnectOptions  *options,
                          GError           **error)
{
  guint n = (options->server_url != NULL) + (options->open311_url != NULL) + options->demo;

  if (n != 1)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           n == 0 ? "say where the data comes from: --server URL, --open311 URL or --demo"
                                  : "use only one of --server, --open311 and --demo");
      return FALSE;
    }
  if (options->server_url != NULL && !valid_http_url (options->server_url))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--server: not an http(s) URL: %s", options->server_url);
      return FALSE;
    }
  if (options->open311_url != NULL && !valid_http_url (options->open311_url))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--open311: not an http(s) URL: %s", options->open311_url);
      return FALSE;
    }
  return TRUE;
}

GwFeed *
gw_connect_create_feed (GwConnectOptions  *options,
                        GwStore           *store,
                        const char        *url,
                        GError           **error)
{
  g_autofree char *base = g_strdup (url ? url : options->server_url);
  g_autoptr(SoupSession) session = gw_feed_new_session ();
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GTlsDatabase) extra_ca = NULL;

  /* The CA file adds to the system's trust (see GwFeed's accept-certificate check). */
  if (options->ca_file != NULL &&
      !(extra_ca = g_tls_file_database_new (options->ca_file, error)))
    {
      g_prefix_error (error, "--ca-file: ");
      return NULL;
    }
  if (options->client_cert != NULL &&
      !(certificate = g_tls_certificate_new_from_file (options->client_cert, error)))
    {
      g_prefix_error (error, "--client-cert: ");
      return NULL;
    }

  if (url == NULL && options->open311_url != NULL)
    return g_object_new (GW_TYPE_OPEN311_FEED,
                         "store", store,
                         "url", options->open311_url,
                         "api-key", options->api_key,
                         "jurisdiction-id", options->jurisdiction,
                         "session", session,
                         "tls-certificate", certificate,
                         "extra-ca", extra_ca,
                         NULL);

  /* Accept a trailing slash in what people type. */
  while (base != NULL && g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';
  return g_object_new (GW_TYPE_DISPATCH_FEED,
                       "store", store,
                       "url", base,
                       "token", options->token,
                       "session", session,
                       "tls-certificate", certificate,
                       "extra-ca", extra_ca,
                       NULL);
}

static void
token_found_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *token = gw_keyring_lookup_finish (result, &error);

  g_task_return_pointer (task, token, g_free);
}

void
gw_connect_resolve_token_async (GwConnectOptions    *options,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  if (options->token != NULL || options->server_url == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      g_object_unref (task);
      return;
    }
  gw_keyring_lookup_async (options->server_url, cancellable, token_found_cb, task);
}

void
gw_connect_resolve_token_finish (GwConnectOptions *options,
                                 GAsyncResult     *result)
{
  char *token = g_task_propagate_pointer (G_TASK (result), NULL);

  if (token != NULL)
    {
      g_free (options->token);
      options->token = token;
    }
}
