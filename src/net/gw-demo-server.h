/* gw-demo-server.h — runs the bundled gridwatch-dispatchd with its simulator
 *
 * `gridwatch --demo` talks to it through the same REST path a real deployment uses.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GW_TYPE_DEMO_SERVER (gw_demo_server_get_type ())
G_DECLARE_FINAL_TYPE (GwDemoServer, gw_demo_server, GW, DEMO_SERVER, GObject)

GwDemoServer *gw_demo_server_new          (void);
/* Extra arguments for the server, e.g. {"--speed", "60", NULL}. */
void          gw_demo_server_set_args     (GwDemoServer        *self,
                                           const char * const  *args);
/* Starts the server on a free loopback port; finishes once it accepts connections. */
void          gw_demo_server_start_async  (GwDemoServer        *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
/* Returns the server's base URL. */
char         *gw_demo_server_start_finish (GwDemoServer        *self,
                                           GAsyncResult        *result,
                                           GError             **error);
/* Asks the server to stop (SIGTERM); it commits and exits. */
void          gw_demo_server_stop         (GwDemoServer        *self);

/* Where gridwatch-dispatchd is: beside this program, else on PATH. */
char         *gw_demo_server_find_binary  (void);

G_END_DECLS
