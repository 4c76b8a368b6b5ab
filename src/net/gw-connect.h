/* gw-connect.h — which server to follow, from the command line or the settings */
#pragma once

#include "gw-feed.h"

G_BEGIN_DECLS

typedef struct {
  char     *server_url;    /* Dispatch API base, or NULL */
  char     *open311_url;   /* Open311 GeoReport v2 endpoint, or NULL */
  char     *api_key;       /* Open311 API key */
  char     *jurisdiction;  /* Open311 jurisdiction_id */
  char     *token;         /* Dispatch API bearer token */
  char     *ca_file;       /* extra CA certificates (PEM) to trust, or NULL */
  char     *client_cert;   /* client certificate and key (PEM), or NULL */
  gboolean  demo;          /* start the bundled server with its simulator */
} GwConnectOptions;

void     gw_connect_options_clear (GwConnectOptions  *options);
/* Exactly one of server, Open311 or demo; explains what is wrong otherwise. */
gboolean gw_connect_options_check (GwConnectOptions  *options,
                                   GError           **error);
/* The feed for @options; @url overrides the server URL (the demo server's). TLS
 * verification is always on; a CA file adds to the system's trust. */
GwFeed  *gw_connect_create_feed   (GwConnectOptions  *options,
                                   GwStore           *store,
                                   const char        *url,
                                   GError           **error);
/* Fills in the token from the keyring when none was given. */
void     gw_connect_resolve_token_async  (GwConnectOptions    *options,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
void     gw_connect_resolve_token_finish (GwConnectOptions    *options,
                                          GAsyncResult        *result);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (GwConnectOptions, gw_connect_options_clear)

G_END_DECLS
