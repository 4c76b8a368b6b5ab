/* gw-dispatch-server.h — the Dispatch API over HTTP (SoupServer) */
#pragma once

#include <glib-object.h>

#include "gw-dispatch-db.h"

G_BEGIN_DECLS

#define GW_TYPE_DISPATCH_SERVER (gw_dispatch_server_get_type ())
G_DECLARE_FINAL_TYPE (GwDispatchServer, gw_dispatch_server, GW, DISPATCH_SERVER, GObject)

/* Largest request body accepted; larger ones get 413. */
#define GW_DISPATCH_MAX_BODY (64 * 1024)

GwDispatchServer *gw_dispatch_server_new      (GwDispatchDb      *db);
/* @address is "HOST:PORT"; port 0 picks a free one. Returns the base URI. */
char             *gw_dispatch_server_listen   (GwDispatchServer  *self,
                                               const char        *address,
                                               GError           **error);
/* Ends every event stream and stops listening. */
void              gw_dispatch_server_shutdown (GwDispatchServer  *self);
guint             gw_dispatch_server_get_n_streams (GwDispatchServer *self);

G_END_DECLS
