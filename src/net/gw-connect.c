/* gw-connect.c — which server to follow, from the command line or the settings */

#include "gw-connect.h"

#include <string.h>

#include "gw-dispatch-feed.h"

void
gw_connect_options_clear (GwConnectOptions *options)
{
  g_clear_pointer (&options->server_url, g_free);
  g_clear_pointer (&options->open311_url, g_free);
  g_clear_pointer (&options->api_key, g_free);
  g_clear_pointer (&options->jurisdiction, g_free);
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

  return uri != NULL && g_uri_get_host (uri) != NULL &&
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
gw_connect_create_feed (GwConnectOptions *options,
                        GwStore          *store,
                        const char       *url)
{
  g_autofree char *base = g_strdup (url ? url : options->server_url);

  /* Accept a trailing slash in what people type. */
  while (base != NULL && g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';
  return GW_FEED (gw_dispatch_feed_new (store, base, options->token));
}
