/* test-tls.c — TLS verification is on by default; an optional CA file and client certificate
 *
 * A throwaway CA, a server certificate for 127.0.0.1 (subjectAltName IP:127.0.0.1) and a
 * client certificate, both signed by it, are made with the openssl command in a temporary
 * directory; so is a second CA that signed nothing we serve. A TLS SoupServer in this
 * process serves a small Dispatch API whose bodies were fetched from a real
 * gridwatch-dispatchd (--demo-street and one reported case), so they have the server's
 * own shapes. Feeds come from gw_connect_create_feed(), as the app makes them, and the
 * real `gridwatch --export-cases` is run against the same server.
 * Nothing sleeps: the main context is iterated until a condition holds, under a timeout.
 */
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "gw-connect.h"
#include "gw-dispatch-feed.h"
#include "gw-test-dispatchd.h"

#if defined(__SANITIZE_ADDRESS__)
/* LeakSanitizer's walk over dynamic thread-local storage crashes once the TLS module
 * (glib-networking, dlopen()ed) has run on a thread here; skip that walk. $ASAN_OPTIONS
 * is read after this and still applies. */
const char *__asan_default_options (void);
const char *
__asan_default_options (void)
{
  return "intercept_tls_get_addr=0";
}
#endif

#define WAIT_SECONDS 20
#define CASE_ID      "tls-case-1"
#define TOKEN        "tls-t0ken"

/* ---- throwaway certificates ---------------------------------------------------- */

typedef struct {
  char *dir;
  char *ca;        /* the test CA's certificate (PEM) */
  char *other_ca;  /* a CA that signed nothing served here */
  char *server;    /* server certificate and key for 127.0.0.1 */
  char *client;    /* client certificate and key */
} Certs;

static Certs *the_certs;

static const char ext_cnf[] =
  "[req]\n"
  "distinguished_name = dn\n"
  "[dn]\n"
  "[ca]\n"
  "basicConstraints = critical, CA:TRUE\n"
  "keyUsage = critical, keyCertSign, cRLSign\n"
  "subjectKeyIdentifier = hash\n"
  "[server]\n"
  "basicConstraints = critical, CA:FALSE\n"
  "keyUsage = critical, digitalSignature\n"
  "extendedKeyUsage = serverAuth\n"
  "subjectAltName = IP:127.0.0.1\n"
  "authorityKeyIdentifier = keyid\n"
  "[client]\n"
  "basicConstraints = critical, CA:FALSE\n"
  "keyUsage = critical, digitalSignature\n"
  "extendedKeyUsage = clientAuth\n"
  "authorityKeyIdentifier = keyid\n";

/* A test that dies must not leave its children running. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* Runs `openssl ARGS...` in @dir; fails the test with openssl's own words. Called before
 * any server of this process runs, so waiting for it blocks nothing. */
static void
run_openssl (const char         *dir,
             const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  g_ptr_array_add (argv, "openssl");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_set_cwd (launcher, dir);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (proc))
    g_error ("openssl %s failed:\n%s", args[0], out);
}

static char *
concat_pem (const char *dir,
            const char *cert,
            const char *key,
            const char *name)
{
  g_autofree char *cert_path = g_build_filename (dir, cert, NULL);
  g_autofree char *key_path = g_build_filename (dir, key, NULL);
  g_autofree char *a = NULL, *b = NULL, *both = NULL;
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_get_contents (cert_path, &a, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (key_path, &b, NULL, &error);
  g_assert_no_error (error);
  both = g_strconcat (a, b, NULL);
  g_file_set_contents (path, both, -1, &error);
  g_assert_no_error (error);
  return path;
}

#define EC_KEY "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"

static void
make_ca (const char *dir,
         const char *name,
         const char *subject)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *cert = g_strconcat (name, ".pem", NULL);

  run_openssl (dir, (const char *[]) { "req", "-config", "ext.cnf", "-x509", "-new", EC_KEY,
                                       "-keyout", key, "-out", cert, "-days", "2",
                                       "-subj", subject, "-extensions", "ca", NULL });
}

/* Signs a new key's certificate for @subject with the test CA, using the [@ext] section. */
static void
make_leaf (const char *dir,
           const char *name,
           const char *subject,
           const char *ext,
           const char *serial)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *csr = g_strconcat (name, ".csr", NULL);
  g_autofree char *cert = g_strconcat (name, ".crt", NULL);

  run_openssl (dir, (const char *[]) { "req", "-config", "ext.cnf", "-new", EC_KEY,
                                       "-keyout", key, "-out", csr, "-subj", subject, NULL });
  run_openssl (dir, (const char *[]) { "x509", "-req", "-in", csr, "-CA", "ca.pem",
                                       "-CAkey", "ca.key", "-set_serial", serial,
                                       "-days", "2", "-out", cert, "-extfile", "ext.cnf",
                                       "-extensions", ext, NULL });
}

/* The certificates, made once per run; NULL after g_test_skip() without openssl or TLS. */
static Certs *
certs_get (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *cnf = NULL;
  Certs *c;

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("GIO has no TLS backend (glib-networking is not installed)");
      return NULL;
    }
  if (openssl == NULL)
    {
      g_test_skip ("the openssl command is not installed: it makes the test certificates "
                   "(build-aux/install-deps.sh installs it)");
      return NULL;
    }
  if (the_certs != NULL)
    return the_certs;

  c = g_new0 (Certs, 1);
  c->dir = g_dir_make_tmp ("gw-tls-XXXXXX", &error);
  g_assert_no_error (error);
  cnf = g_build_filename (c->dir, "ext.cnf", NULL);
  g_file_set_contents (cnf, ext_cnf, -1, &error);
  g_assert_no_error (error);

  make_ca (c->dir, "ca", "/CN=Gridwatch throwaway test CA");
  make_ca (c->dir, "other-ca", "/CN=Gridwatch unrelated test CA");
  make_leaf (c->dir, "server", "/CN=127.0.0.1", "server", "2");
  make_leaf (c->dir, "client", "/CN=gridwatch test client", "client", "3");
  c->ca = g_build_filename (c->dir, "ca.pem", NULL);
  c->other_ca = g_build_filename (c->dir, "other-ca.pem", NULL);
  c->server = concat_pem (c->dir, "server.crt", "server.key", "server.pem");
  c->client = concat_pem (c->dir, "client.crt", "client.key", "client.pem");
  the_certs = c;
  return c;
}

static void
certs_free (Certs *c)
{
  if (c == NULL)
    return;
  gw_test_remove_tree (c->dir);
  g_free (c->dir);
  g_free (c->ca);
  g_free (c->other_ca);
  g_free (c->server);
  g_free (c->client);
  g_free (c);
}

/* ---- the Dispatch API bodies, from the real server ------------------------------ */

typedef struct {
  GBytes *cells;
  GBytes *departments;
  GBytes *classes;
  GBytes *incidents;  /* one page, next_cursor null */
  guint   n_cells;
} DispatchData;

static DispatchData *the_data;

static GBytes *
fetch_ok (GwTestDispatchd *dispatchd,
          const char      *path)
{
  guint status = 0;
  GBytes *bytes = gw_test_http (dispatchd, "GET", path, NULL, &status, NULL);

  g_assert_cmpuint (status, ==, 200);
  return bytes;
}

static JsonNode *
parse_bytes (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  json_parser_load_from_data (parser, data, (gssize) len, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static DispatchData *
data_get (void)
{
  static const char report[] =
    "{\"id\": \"" CASE_ID "\", \"title\": \"Overflowing bin\", \"class\": \"0103\","
    " \"source\": \"patrol\", \"location\": {\"lon\": 113.6055, \"lat\": 34.7580},"
    " \"address\": \"Test Road 1\"}";
  static const char * const args[] = { "--demo-street", NULL };
  g_autoptr(GwTestDispatchd) dispatchd = NULL;
  g_autoptr(GBytes) created = NULL;
  g_autoptr(JsonNode) cells = NULL, page = NULL;
  JsonArray *items;
  DispatchData *d;
  guint status = 0;

  if (the_data != NULL)
    return the_data;
  dispatchd = gw_test_dispatchd_start (args);
  created = gw_test_http (dispatchd, "POST", "/api/v1/incidents", report, &status, NULL);
  g_assert_cmpuint (status, ==, 201);

  d = g_new0 (DispatchData, 1);
  d->cells = fetch_ok (dispatchd, "/api/v1/cells");
  d->departments = fetch_ok (dispatchd, "/api/v1/departments");
  d->classes = fetch_ok (dispatchd, "/api/v1/classes");
  d->incidents = fetch_ok (dispatchd, "/api/v1/incidents?limit=1000");
  gw_test_dispatchd_stop (dispatchd);

  cells = parse_bytes (d->cells);
  d->n_cells = json_array_get_length (json_object_get_array_member (json_node_get_object (cells),
                                                                    "features"));
  g_assert_cmpuint (d->n_cells, >, 0);
  page = parse_bytes (d->incidents);
  items = json_object_get_array_member (json_node_get_object (page), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "id"),
                   ==, CASE_ID);
  g_assert_true (json_object_get_null_member (json_node_get_object (page), "next_cursor"));
  the_data = d;
  return d;
}

static void
data_free (DispatchData *d)
{
  if (d == NULL)
    return;
  g_bytes_unref (d->cells);
  g_bytes_unref (d->departments);
  g_bytes_unref (d->classes);
  g_bytes_unref (d->incidents);
  g_free (d);
}

/* ---- the TLS server ------------------------------------------------------------- */

typedef struct {
  SoupServer      *server;
  char            *url;              /* https://127.0.0.1:PORT */
  DispatchData    *data;
  GTlsCertificate *client;           /* the client certificate it expects */
  guint            n_requests;       /* requests that reached the API */
  guint            n_client_cert;    /* ... on a connection that presented the test
                                      * client certificate */
  GHashTable      *verified;         /* GSocket* of those connections */
  guint            n_streams;        /* event streams opened */
  char            *authorization;    /* the last Authorization header */
} Server;

static void
api_cb (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  Server *srv = user_data;
  GTlsCertificate *peer = soup_server_message_get_tls_peer_certificate (msg);
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  GSocket *socket = soup_server_message_get_socket (msg);
  GBytes *body = NULL;

  /* libsoup gives the peer certificate to a connection's first message only. */
  srv->n_requests++;
  if (peer != NULL && g_tls_certificate_is_same (peer, srv->client))
    g_hash_table_add (srv->verified, g_object_ref (socket));
  if (g_hash_table_contains (srv->verified, socket))
    srv->n_client_cert++;
  g_free (srv->authorization);
  srv->authorization = g_strdup (soup_message_headers_get_one (request, "Authorization"));

  if (strcmp (path, "/api/v1/events") == 0)
    {
      /* An opening comment, then the stream stays open (chunked, never completed). */
      static const char hello[] = ": connected\n\n";
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
      SoupMessageBody *out = soup_server_message_get_response_body (msg);

      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      soup_message_body_set_accumulate (out, FALSE);
      soup_message_body_append (out, SOUP_MEMORY_STATIC, hello, strlen (hello));
      soup_server_message_unpause (msg);
      srv->n_streams++;
      return;
    }
  if (strcmp (path, "/api/v1/cells") == 0)
    body = srv->data->cells;
  else if (strcmp (path, "/api/v1/departments") == 0)
    body = srv->data->departments;
  else if (strcmp (path, "/api/v1/classes") == 0)
    body = srv->data->classes;
  else if (strcmp (path, "/api/v1/incidents") == 0)
    body = srv->data->incidents;
  if (body == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

/* The certificate verified against the server's tls-database: accept it. libsoup 3.2
 * asks even when verification found nothing wrong, and refuses unless told. */
static gboolean
accept_certificate_cb (SoupServerMessage    *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  return errors == 0;
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  /* The first request of a connection starts before its handshake. */
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), NULL);
}

/* FALSE (test skipped) without openssl or a TLS backend. */
static gboolean
server_start (Server   *srv,
              gboolean  require_client_cert)
{
  Certs *certs = certs_get ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  GSList *uris;

  memset (srv, 0, sizeof *srv);
  if (certs == NULL)
    return FALSE;
  srv->data = data_get ();
  srv->client = g_tls_certificate_new_from_file (certs->client, &error);
  g_assert_no_error (error);
  certificate = g_tls_certificate_new_from_file (certs->server, &error);
  g_assert_no_error (error);
  database = g_tls_file_database_new (certs->ca, &error);
  g_assert_no_error (error);

  srv->verified = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, NULL);
  srv->server = soup_server_new ("tls-certificate", certificate, NULL);
  if (require_client_cert)
    {
      soup_server_set_tls_database (srv->server, database);
      soup_server_set_tls_auth_mode (srv->server, G_TLS_AUTHENTICATION_REQUIRED);
      g_signal_connect (srv->server, "request-started", G_CALLBACK (request_started_cb), NULL);
    }
  soup_server_add_handler (srv->server, "/api/v1", api_cb, srv, NULL);
  soup_server_listen_local (srv->server, 0,
                            SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (srv->server);
  g_assert_nonnull (uris);
  g_assert_cmpstr (g_uri_get_scheme (uris->data), ==, "https");
  srv->url = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}

static void
server_stop (Server *srv)
{
  if (srv->server != NULL)
    soup_server_disconnect (srv->server);
  g_clear_object (&srv->server);
  g_clear_object (&srv->client);
  g_clear_pointer (&srv->verified, g_hash_table_unref);
  g_clear_pointer (&srv->url, g_free);
  g_clear_pointer (&srv->authorization, g_free);
}

/* ---- feeds ---------------------------------------------------------------------- */

typedef struct {
  GwStore *store;
  GwFeed  *feed;
  guint    n_retries;  /* back-offs scheduled (retry-at set) */
} Client;

static void
retry_at_cb (GwFeed     *feed,
             GParamSpec *pspec,
             Client     *client)
{
  if (gw_feed_get_retry_at (feed) != 0)
    client->n_retries++;
}

/* Creates and starts the feed for @url with @ca_file and @client_cert, as the app does. */
static void
client_start (Client     *client,
              const char *url,
              const char *ca_file,
              const char *client_cert)
{
  g_auto(GwConnectOptions) options = { 0 };
  g_autoptr(GError) error = NULL;

  memset (client, 0, sizeof *client);
  options.server_url = g_strdup (url);
  options.token = g_strdup (TOKEN);
  options.ca_file = g_strdup (ca_file);
  options.client_cert = g_strdup (client_cert);
  g_assert_true (gw_connect_options_check (&options, &error));
  g_assert_no_error (error);

  client->store = gw_store_new ();
  client->feed = gw_connect_create_feed (&options, client->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (GW_IS_DISPATCH_FEED (client->feed));
  g_signal_connect (client->feed, "notify::retry-at", G_CALLBACK (retry_at_cb), client);
  gw_feed_start (client->feed);
}

/* Stops the feed and waits until its last callback let go of it. */
static void
client_stop (Client *client)
{
  gpointer weak = client->feed;

  g_signal_handlers_disconnect_by_data (client->feed, client);
  gw_feed_stop (client->feed);
  g_object_add_weak_pointer (G_OBJECT (client->feed), &weak);
  g_clear_object (&client->feed);
  gw_test_wait_until (weak == NULL, WAIT_SECONDS);
  g_clear_object (&client->store);
}

static gboolean
contains_nocase (const char *text,
                 const char *part)
{
  g_autofree char *a = g_utf8_casefold (text, -1);
  g_autofree char *b = g_utf8_casefold (part, -1);

  return strstr (a, b) != NULL;
}

/* The feed failed before any sync, says why, and keeps trying (two back-offs). */
static void
assert_refused (Client *client,
                Server *srv)
{
  GwFeed *feed = client->feed;

  gw_test_wait_until (client->n_retries >= 2, WAIT_SECONDS);
  g_assert_cmpint (gw_feed_get_state (feed), ==, GW_FEED_STATE_RECONNECTING);
  g_assert_cmpint (gw_feed_get_retry_at (feed), >, 0);
  g_assert_false (gw_feed_get_synced (feed));
  g_assert_nonnull (gw_feed_get_last_error (feed));
  g_assert_true (g_str_has_prefix (gw_feed_get_last_error (feed), "Cannot reach the server: "));
  g_assert_cmpuint (gw_store_get_cells (client->store)->len, ==, 0);
  g_assert_cmpuint (gw_store_get_n_incidents (client->store), ==, 0);
  /* Not one request got through the handshake. */
  g_assert_cmpuint (srv->n_requests, ==, 0);
}

/* The feed synced everything over TLS and follows the event stream. */
static void
assert_synced (Client *client,
               Server *srv)
{
  GwFeed *feed = client->feed;

  gw_test_wait_until (gw_feed_get_synced (feed) &&
                      gw_feed_get_state (feed) == GW_FEED_STATE_LIVE, WAIT_SECONDS);
  g_assert_null (gw_feed_get_last_error (feed));
  g_assert_cmpuint (client->n_retries, ==, 0);
  g_assert_cmpuint (gw_store_get_cells (client->store)->len, ==, srv->data->n_cells);
  g_assert_cmpuint (gw_store_get_departments (client->store)->len, >, 0);
  g_assert_cmpuint (gw_store_get_classes (client->store)->len, >, 0);
  g_assert_cmpuint (gw_store_get_n_incidents (client->store), ==, 1);
  g_assert_nonnull (gw_store_lookup (client->store, CASE_ID));
  g_assert_cmpuint (srv->n_streams, ==, 1);
  /* The token travels inside the TLS connection. */
  g_assert_cmpstr (srv->authorization, ==, "Bearer " TOKEN);
}

/* ---- tests ---------------------------------------------------------------------- */

static void
test_default_verifies (void)
{
  Server srv;
  Client client;

  if (!server_start (&srv, FALSE))
    return;

  /* The system does not trust the throwaway CA: no sync, a reason in plain words. */
  client_start (&client, srv.url, NULL, NULL);
  assert_refused (&client, &srv);
  g_test_message ("without --ca-file: %s", gw_feed_get_last_error (client.feed));
  g_assert_true (contains_nocase (gw_feed_get_last_error (client.feed), "certificate"));
  client_stop (&client);

  /* Trusting some other CA does not make this server trusted. */
  client_start (&client, srv.url, the_certs->other_ca, NULL);
  assert_refused (&client, &srv);
  g_assert_true (contains_nocase (gw_feed_get_last_error (client.feed), "certificate"));
  client_stop (&client);

  server_stop (&srv);
}

static void
test_ca_file (void)
{
  Server srv;
  Client client;

  if (!server_start (&srv, FALSE))
    return;

  client_start (&client, srv.url, the_certs->ca, NULL);
  assert_synced (&client, &srv);
  g_assert_cmpuint (srv.n_client_cert, ==, 0);
  client_stop (&client);

  /* The CA is trusted, yet the name is checked: the certificate is for 127.0.0.1 only. */
  g_autofree char *by_name = g_strdup_printf ("https://localhost:%s",
                                              strrchr (srv.url, ':') + 1);
  srv.n_requests = 0;
  client_start (&client, by_name, the_certs->ca, NULL);
  assert_refused (&client, &srv);
  g_test_message ("wrong name: %s", gw_feed_get_last_error (client.feed));
  g_assert_true (contains_nocase (gw_feed_get_last_error (client.feed), "certificate"));
  client_stop (&client);

  server_stop (&srv);
}

static void
test_client_cert (void)
{
  Server srv;
  Client client;

  if (!server_start (&srv, TRUE))
    return;

  /* The server demands a client certificate: without one nothing gets through. */
  client_start (&client, srv.url, the_certs->ca, NULL);
  assert_refused (&client, &srv);
  g_test_message ("without --client-cert: %s", gw_feed_get_last_error (client.feed));
  client_stop (&client);

  /* With the certificate and key in one PEM file it syncs, and every request, the
   * event stream's too, presented it. */
  client_start (&client, srv.url, the_certs->ca, the_certs->client);
  assert_synced (&client, &srv);
  g_assert_cmpuint (srv.n_requests, ==, 5);
  g_assert_cmpuint (srv.n_client_cert, ==, srv.n_requests);
  client_stop (&client);

  server_stop (&srv);
}

static void
test_bad_files (void)
{
  Certs *certs = certs_get ();
  g_autoptr(GwStore) store = gw_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *garbage = NULL;

  if (certs == NULL)
    return;
  garbage = g_build_filename (certs->dir, "ext.cnf", NULL);  /* not PEM */

  {
    g_auto(GwConnectOptions) options = { 0 };
    options.server_url = g_strdup ("https://127.0.0.1:1");
    options.ca_file = g_strdup ("/nonexistent/gridwatch-ca.pem");
    g_assert_null (gw_connect_create_feed (&options, store, NULL, &error));
    g_assert_nonnull (error);
    g_assert_true (g_str_has_prefix (error->message, "--ca-file: "));
    g_clear_error (&error);
  }
  {
    g_auto(GwConnectOptions) options = { 0 };
    options.server_url = g_strdup ("https://127.0.0.1:1");
    options.ca_file = g_strdup (garbage);
    g_assert_null (gw_connect_create_feed (&options, store, NULL, &error));
    g_assert_nonnull (error);
    g_assert_true (g_str_has_prefix (error->message, "--ca-file: "));
    g_clear_error (&error);
  }
  {
    g_auto(GwConnectOptions) options = { 0 };
    options.server_url = g_strdup ("https://127.0.0.1:1");
    options.ca_file = g_strdup (certs->ca);
    options.client_cert = g_strdup ("/nonexistent/gridwatch-client.pem");
    g_assert_null (gw_connect_create_feed (&options, store, NULL, &error));
    g_assert_nonnull (error);
    g_assert_true (g_str_has_prefix (error->message, "--client-cert: "));
    g_clear_error (&error);
  }
  {
    /* The Open311 feed takes the same options. */
    g_auto(GwConnectOptions) options = { 0 };
    options.open311_url = g_strdup ("https://127.0.0.1:1/open311/v2");
    options.ca_file = g_strdup ("/nonexistent/gridwatch-ca.pem");
    g_assert_null (gw_connect_create_feed (&options, store, NULL, &error));
    g_assert_nonnull (error);
    g_assert_true (g_str_has_prefix (error->message, "--ca-file: "));
    g_clear_error (&error);
  }
}

/* gw-connect.h: "a CA file adds to the system's trust". A public server must still be
 * trusted when --ca-file names a private CA. Checked on the feed's session database with
 * an anchor the system trusts. */
static void
test_ca_file_keeps_system_trust (void)
{
  static const char bundle[] = "/etc/ssl/certs/ca-certificates.crt";
  Certs *certs = certs_get ();
  GTlsDatabase *system = NULL;
  GTlsDatabase *database;
  GTlsCertificate *anchor = NULL;
  GList *list = NULL;
  g_autoptr(GwStore) store = gw_store_new ();
  g_autoptr(GwFeed) feed = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GwConnectOptions) options = { 0 };
  GTlsCertificateFlags flags;

  if (certs == NULL)
    return;
  system = g_tls_backend_get_default_database (g_tls_backend_get_default ());
  if (g_file_test (bundle, G_FILE_TEST_IS_REGULAR))
    list = g_tls_certificate_list_new_from_file (bundle, NULL);
  for (GList *l = list; l != NULL && anchor == NULL; l = l->next)
    if (g_tls_database_verify_chain (system, l->data, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                     NULL, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, NULL) == 0)
      anchor = g_object_ref (l->data);
  g_list_free_full (list, g_object_unref);
  g_object_unref (system);
  if (anchor == NULL)
    {
      g_test_skip ("no CA the system trusts was found in /etc/ssl/certs/ca-certificates.crt");
      return;
    }

  options.server_url = g_strdup ("https://127.0.0.1:1");
  options.ca_file = g_strdup (certs->ca);
  feed = gw_connect_create_feed (&options, store, NULL, &error);
  g_assert_no_error (error);
  database = soup_session_get_tls_database (gw_feed_get_session (feed));
  g_assert_nonnull (database);

  /* The CA file is held beside the session's trust, which stays the system's (the
   * feed accepts a chain the system calls "unknown CA" when the file vouches for it:
   * /tls/ca-file shows that end to end) ... */
  {
    g_autoptr(GTlsDatabase) extra = NULL;
    g_autoptr(GTlsCertificate) ca = g_tls_certificate_new_from_file (certs->ca, &error);

    g_assert_no_error (error);
    g_object_get (feed, "extra-ca", &extra, NULL);
    g_assert_nonnull (extra);
    flags = g_tls_database_verify_chain (extra, ca, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                         NULL, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (flags, ==, 0);
  }
  /* ... and what the system trusts is still trusted. */
  flags = g_tls_database_verify_chain (database, anchor, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                       NULL, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (anchor);
  g_assert_cmpint (flags, ==, 0);
}

/* ---- the command line ----------------------------------------------------------- */

static void
test_cli (void)
{
  Server srv;
  g_auto(GwTestRun) run = { 0 };
  g_autofree char *out = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  if (!server_start (&srv, TRUE))
    return;
  out = g_build_filename (the_certs->dir, "cases.json", NULL);

  /* No --ca-file: exit 1 with the reason, and no file. */
  gw_test_run_gridwatch (&run, TOKEN, (const char *[]) { "--server", srv.url, "--export-cases", out, NULL });
  g_test_message ("stderr: %s", run.err);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (contains_nocase (run.err, "certificate"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_clear_pointer (&run.err, g_free);

  /* A --ca-file that is not there: said, with the option's name. */
  gw_test_run_gridwatch (&run, TOKEN, (const char *[]) { "--server", srv.url, "--ca-file", "/nonexistent/ca.pem",
                                          "--export-cases", out, NULL });
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "--ca-file: "));
  g_clear_pointer (&run.err, g_free);

  /* --ca-file without the client certificate the server demands. */
  gw_test_run_gridwatch (&run, TOKEN, (const char *[]) { "--server", srv.url, "--ca-file", the_certs->ca,
                                          "--export-cases", out, NULL });
  g_test_message ("stderr: %s", run.err);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "cannot sync from "));
  g_assert_cmpuint (srv.n_requests, ==, 0);
  g_clear_pointer (&run.err, g_free);

  /* Both: it syncs and writes the case. */
  gw_test_run_gridwatch (&run, TOKEN, (const char *[]) { "--server", srv.url, "--ca-file", the_certs->ca,
                                          "--client-cert", the_certs->client,
                                          "--export-cases", out, NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpuint (srv.n_requests, >=, 4);
  g_assert_cmpuint (srv.n_client_cert, ==, srv.n_requests);
  g_file_get_contents (out, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (contents, "\"" CASE_ID "\""));
  g_clear_pointer (&run.err, g_free);
  g_remove (out);

  server_stop (&srv);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* Loopback only: no desktop proxy settings may route these connections. (libproxy,
   * GIO's default resolver here, also throws C++ exceptions that sanitizer builds of
   * this C program cannot handle.) Inherited by the gridwatch runs. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tls/default-verifies", test_default_verifies);
  g_test_add_func ("/tls/ca-file", test_ca_file);
  g_test_add_func ("/tls/client-cert", test_client_cert);
  g_test_add_func ("/tls/bad-files", test_bad_files);
  g_test_add_func ("/tls/ca-file-keeps-system-trust", test_ca_file_keeps_system_trust);
  g_test_add_func ("/tls/cli", test_cli);

  status = g_test_run ();
  certs_free (the_certs);
  data_free (the_data);
  return status;
}
