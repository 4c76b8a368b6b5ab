/* gw-keyring.h — access tokens and API keys live in the user's keyring (libsecret)
 *
 * Never in GSettings, files or logs. Each secret is keyed by the server's URL.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void     gw_keyring_lookup_async  (const char          *server_url,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
/* The secret, or NULL with no error when there is none (or no keyring to ask). */
char    *gw_keyring_lookup_finish (GAsyncResult        *result,
                                   GError             **error);
void     gw_keyring_store_async   (const char          *server_url,
                                   const char          *secret,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean gw_keyring_store_finish  (GAsyncResult        *result,
                                   GError             **error);

G_END_DECLS
