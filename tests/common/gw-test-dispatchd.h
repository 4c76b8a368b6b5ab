/* gw-test-dispatchd.h — runs the real gridwatch-dispatchd on loopback for tests */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct {
  GSubprocess *proc;
  char        *dir;      /* temporary directory, removed by free */
  char        *db_path;
  char        *url;      /* "http://127.0.0.1:PORT" */
  char        *token;    /* sent by gw_test_http when set */
  SoupSession *session;
} GwTestDispatchd;

/* Starts the server on a free port with a database in a new temporary directory.
 * @args: extra command-line arguments, NULL-terminated. */
GwTestDispatchd *gw_test_dispatchd_start   (const char * const *args);
/* Starts it again on the same database (after stop). */
void             gw_test_dispatchd_restart (GwTestDispatchd    *self,
                                            const char * const *args);
/* SIGTERM, then waits; asserts a clean exit. */
void             gw_test_dispatchd_stop    (GwTestDispatchd    *self);
void             gw_test_dispatchd_free    (GwTestDispatchd    *self);

/* One request; returns the body, sets *status and (optionally) the response headers.
 * @body may be NULL; @content_type defaults to application/json. */
GBytes          *gw_test_http              (GwTestDispatchd    *self,
                                            const char         *method,
                                            const char         *path,
                                            const char         *body,
                                            guint              *status,
                                            SoupMessageHeaders **headers);
/* Same, with extra request headers as NULL-terminated name, value pairs. */
GBytes          *gw_test_http_full         (GwTestDispatchd    *self,
                                            const char         *method,
                                            const char         *path,
                                            const char         *content_type,
                                            const char         *body,
                                            gsize               body_len,
                                            const char * const *request_headers,
                                            guint              *status,
                                            SoupMessageHeaders **headers);
/* GETs @path expecting 200 and returns the parsed JSON root. */
JsonNode        *gw_test_get_json          (GwTestDispatchd    *self,
                                            const char         *path);

/* One run of the real `gridwatch` command line. */
typedef struct {
  gboolean done;
  int      status;   /* exit status */
  char    *err;      /* what it wrote to stderr */
} GwTestRun;

void             gw_test_run_clear         (GwTestRun          *run);
/* Runs $GW_GRIDWATCH headless (no display) with @args, @token in GRIDWATCH_TOKEN (NULL:
 * none), iterating the main context until it exits, so servers in this process keep
 * answering. Clears @run first. */
void             gw_test_run_gridwatch     (GwTestRun          *run,
                                            const char         *token,
                                            const char * const *args);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (GwTestRun, gw_test_run_clear)

/* Removes @path and everything under it, best effort; symlinks are removed, not
 * followed. NULL or a missing path: nothing to do. */
void             gw_test_remove_tree       (const char         *path);

/* A loopback port that was free a moment ago, for servers that must keep their address
 * across restarts. */
guint            gw_test_free_port         (void);

/* Iterates the default main context until @cond holds; fails after @seconds. */
#define gw_test_wait_until(cond, seconds) G_STMT_START {                        \
    gint64 _gw_end = g_get_monotonic_time () + (seconds) * G_USEC_PER_SEC;    \
    guint _gw_tick = g_timeout_add (50, gw_test_tick_cb, NULL);               \
    while (!(cond))                                                            \
      {                                                                        \
        if (g_get_monotonic_time () > _gw_end)                                 \
          g_error ("timed out after %d s waiting for: %s", (int) (seconds), #cond); \
        g_main_context_iteration (NULL, TRUE);                                 \
      }                                                                        \
    g_source_remove (_gw_tick);                                                \
  } G_STMT_END
gboolean         gw_test_tick_cb           (gpointer user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwTestDispatchd, gw_test_dispatchd_free)

G_END_DECLS
