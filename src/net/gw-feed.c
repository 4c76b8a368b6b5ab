/* gw-feed.c — base class of the sources that fill a GwStore */

#include "config.h"

#include "gw-feed.h"

#include <string.h>

#define BACKOFF_MIN_MS  1000
#define BACKOFF_MAX_MS  60000

typedef struct {
  GwStore     *store;
  SoupSession *session;
  char        *url;
  char        *token;
  GTlsCertificate *certificate;
  GTlsDatabase    *extra_ca;    /* trusted in addition to the system's CAs */

  GwFeedState  state;
  GwTime       state_since;
  GwTime       retry_at;
  GwTime       data_time;
  char        *last_error;
  gboolean     synced;

  guint        backoff_ms;
  guint        retry_id;
  GSourceFunc  retry_func;
} GwFeedPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (GwFeed, gw_feed, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SESSION,
  PROP_URL,
  PROP_TOKEN,
  PROP_TLS_CERTIFICATE,
  PROP_EXTRA_CA,
  PROP_STATE,
  PROP_STATE_SINCE,
  PROP_RETRY_AT,
  PROP_DATA_TIME,
  PROP_LAST_ERROR,
  PROP_SYNCED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
gw_feed_state_to_string (GwFeedState state)
{
  static const char *names[] = { "offline", "connecting", "catching-up", "live", "reconnecting" };

  g_return_val_if_fail (state <= GW_FEED_STATE_RECONNECTING, NULL);
  return names[state];
}

void
gw_feed_start (GwFeed *self)
{
  g_return_if_fail (GW_IS_FEED (self));
  GW_FEED_GET_CLASS (self)->start (self);
}

void
gw_feed_stop (GwFeed *self)
{
  g_return_if_fail (GW_IS_FEED (self));
  gw_feed_cancel_retry (self);
  GW_FEED_GET_CLASS (self)->stop (self);
  gw_feed_set_state (self, GW_FEED_STATE_OFFLINE);
}

void
gw_feed_restore (GwFeed *self,
                 gint64  seq,
                 GwTime  saved_at)
{
  GwFeedPrivate *priv = gw_feed_get_instance_private (self);

  g_return_if_fail (GW_IS_FEED (self));

  priv->data_time = saved_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA_TIME]);
  gw_feed_set_synced (self, TRUE);
  if (GW_FEED_GET_CLASS (self)->resume != NULL)
    GW_FEED_GET_CLASS (self)->resume (self, seq);
}

GwStore *
gw_feed_get_store (GwFeed *self)
{
  GwFeedPrivate *priv = gw_feed_get_instance_private (self);
  return priv->store;
}

const char *
gw_feed_get_url (GwFeed *self)
{
  GwFeedPrivate *priv = gw_feed_get_instance_private (self);
  return priv->url;
}

SoupSession *
gw_feed_get_session (GwFeed *self)
{
  GwFeedPrivate *priv = gw_feed_get_instance_private (self);
  return priv->session;
}

GwFeedState
gw_feed_get_state (GwFeed *self)
{
  GwFeedPrivate *priv = gw_feed_get_instance_private (self);
  return priv->state;
}

GwTime
gw_feed_get_state_since (GwFeed *self)
{
  GwFeedPrivate *priv = gw_feed_get_instance_private (self);
  return priv->state_since;
}

GwTime
gw_feed_get_retry_at (GwFeed *self)
{
  GwFeedPrivate *priv = gw_feed_get_instance_private (self);
  return priv->retry_at;
}

GwTime
gw_feed_get_data_time (GwFeed *self)
{
  GwFeedPrivate *priv = gw_feed_get_instance_private (self);
  return priv->data_time;
}

const char *
gw_feed_get_last_error (GwFeed *self)
{
  GwFeedPrivate *priv = gw_feed_get_instance_private (self);
  return priv->last_error;
}

gboolean
gw_feed_get_synced (GwFeed *self)
{
  GwFeedPrivate *priv = gw_feed_get_instance_private (self);
  return priv->synced;
}

void
gw_feed_set_state (GwFeed      *self,
                   GwFeedState  state)
{
  GwFeedPrivate *priv = gw_feed_get_instance_private (self);

  if (priv->state == state)
    return;
  priv->state = state;
  priv->state_since = g_get_real_time ();
  if (state != GW_FEED_STATE_RECONNECTING && priv->retry_at != 0)
    {
      priv->retry_at = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_AT]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_SINCE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
gw_feed_set_synced (GwFeed   *self,
                    gboolean  synced)
{
  GwFeedPrivate *priv = gw_feed_get_instance_private (self);

  if (priv->synced == synced)
    return;
  priv->synced = synced;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCED]);
}

void
gw_feed_touch (GwFeed *self)
{
  GwFeedPrivate *priv = gw_feed_get_instance_private (self);

  priv->data_time = g_get_real_time ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA_TIME]);
}

void
gw_feed_set_error (GwFeed     *self,
                   const char *message)
{
  GwFeedPrivate *priv = gw_feed_get_instance_private (self);

  if (g_strcmp0 (priv->last_error, message) == 0)
    return;
  g_free (priv->last_error);
  priv->last_error = g_strdup (message);
  if (message != NULL)
    g_message ("%s: %s", priv->url ? priv->url : "feed", message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static gboolean
retry_cb (gpointer user_data)
{
  GwFeed *self = user_data;
  GwFeedPrivate *priv = gw_feed_get_instance_private (self);

  priv->retry_id = 0;
  priv->retry_func (self);
  return G_SOURCE_REMOVE;
}

guint
gw_feed_schedule_retry (GwFeed      *self,
                        GSourceFunc  func)
{
  GwFeedPrivate *priv = gw_feed_get_instance_private (self);
  guint delay;

  gw_feed_cancel_retry (self);
  priv->backoff_ms = CLAMP (priv->backoff_ms * 2, BACKOFF_MIN_MS, BACKOFF_MAX_MS);
  /* Full jitter in the upper half, so a hall of walls does not reconnect in step. */
  delay = priv->backoff_ms / 2 + g_random_int_range (0, priv->backoff_ms / 2 + 1);
  priv->retry_func = func;
  priv->retry_id = g_timeout_add (delay, retry_cb, self);
  gw_feed_set_state (self, GW_FEED_STATE_RECONNECTING);
  priv->retry_at = g_get_real_time () + (GwTime) delay * 1000;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_AT]);
  return delay;
}

void
gw_feed_reset_backoff (GwFeed *self)
{
  GwFeedPrivate *priv = gw_feed_get_instance_private (self);
  priv->backoff_ms = 0;
}

void
gw_feed_cancel_retry (GwFeed *self)
{
  GwFeedPrivate *priv = gw_feed_get_instance_private (self);
  g_clear_handle_id (&priv->retry_id, g_source_remove);
}

/* The system's trust said "unknown CA": the extra CAs may still vouch for the chain,
 * for this host, and nothing else may be wrong with it. */
static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       GwFeed               *self)
{
  GwFeedPrivate *priv = gw_feed_get_instance_private (self);
  GUri *uri = soup_message_get_uri (msg);
  g_autoptr(GSocketConnectable) identity = NULL;

  if (errors != G_TLS_CERTIFICATE_UNKNOWN_CA)
    return FALSE;
  identity = g_network_address_new (g_uri_get_host (uri), g_uri_get_port (uri));
  return g_tls_database_verify_chain (priv->extra_ca, certificate,
                                      G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER, identity,
                                      NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, NULL) == 0;
}

void
gw_feed_prepare_message (GwFeed      *self,
                         SoupMessage *msg)
{
  GwFeedPrivate *priv = gw_feed_get_instance_private (self);

  if (priv->certificate != NULL)
    soup_message_set_tls_client_certificate (msg, priv->certificate);
  if (priv->extra_ca != NULL)
    g_signal_connect_object (msg, "accept-certificate",
                             G_CALLBACK (accept_certificate_cb), self, 0);

  if (priv->token != NULL && priv->token[0] != '\0')
    {
      g_autofree char *value = g_strconcat ("Bearer ", priv->token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg),
                                    "Authorization", value);
    }
}

SoupSession *
gw_feed_new_session (void)
{
  /* One long event stream holds a connection; the default of 2 would starve the rest. */
  return soup_session_new_with_options ("max-conns-per-host", 8,
                                        "timeout", 30,
                                        "user-agent", "Gridwatch/" PACKAGE_VERSION " ",
                                        NULL);
}

static void
gw_feed_constructed (GObject *object)
{
  GwFeed *self = GW_FEED (object);
  GwFeedPrivate *priv = gw_feed_get_instance_private (self);

  G_OBJECT_CLASS (gw_feed_parent_class)->constructed (object);

  if (priv->session == NULL)
    priv->session = gw_feed_new_session ();
}

static void
gw_feed_dispose (GObject *object)
{
  GwFeed *self = GW_FEED (object);
  GwFeedPrivate *priv = gw_feed_get_instance_private (self);

  gw_feed_cancel_retry (self);
  g_clear_object (&priv->session);
  g_clear_object (&priv->store);
  g_clear_object (&priv->certificate);
  g_clear_object (&priv->extra_ca);

  G_OBJECT_CLASS (gw_feed_parent_class)->dispose (object);
}

static void
gw_feed_finalize (GObject *object)
{
  GwFeedPrivate *priv = gw_feed_get_instance_private (GW_FEED (object));

  g_free (priv->url);
  if (priv->token != NULL)
    memset (priv->token, 0, strlen (priv->token));
  g_free (priv->token);
  g_free (priv->last_error);

  G_OBJECT_CLASS (gw_feed_parent_class)->finalize (object);
}

static void
gw_feed_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  GwFeed *self = GW_FEED (object);
  GwFeedPrivate *priv = gw_feed_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, priv->store);
      break;
    case PROP_SESSION:
      g_value_set_object (value, priv->session);
      break;
    case PROP_URL:
      g_value_set_string (value, priv->url);
      break;
    case PROP_TOKEN:
      g_value_set_string (value, priv->token);
      break;
    case PROP_TLS_CERTIFICATE:
      g_value_set_object (value, priv->certificate);
      break;
    case PROP_EXTRA_CA:
      g_value_set_object (value, priv->extra_ca);
      break;
    case PROP_STATE:
      g_value_set_int (value, priv->state);
      break;
    case PROP_STATE_SINCE:
      g_value_set_int64 (value, priv->state_since);
      break;
    case PROP_RETRY_AT:
      g_value_set_int64 (value, priv->retry_at);
      break;
    case PROP_DATA_TIME:
      g_value_set_int64 (value, priv->data_time);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, priv->last_error);
      break;
    case PROP_SYNCED:
      g_value_set_boolean (value, priv->synced);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_feed_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  GwFeedPrivate *priv = gw_feed_get_instance_private (GW_FEED (object));

  switch (prop_id)
    {
    case PROP_STORE:
      priv->store = g_value_dup_object (value);
      break;
    case PROP_SESSION:
      priv->session = g_value_dup_object (value);
      break;
    case PROP_URL:
      priv->url = g_value_dup_string (value);
      break;
    case PROP_TOKEN:
      priv->token = g_value_dup_string (value);
      break;
    case PROP_TLS_CERTIFICATE:
      priv->certificate = g_value_dup_object (value);
      break;
    case PROP_EXTRA_CA:
      priv->extra_ca = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gw_feed_class_init (GwFeedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = gw_feed_constructed;
  object_class->dispose = gw_feed_dispose;
  object_class->finalize = gw_feed_finalize;
  object_class->get_property = gw_feed_get_property;
  object_class->set_property = gw_feed_set_property;

  properties[PROP_STORE] = g_param_spec_object ("store", NULL, NULL, GW_TYPE_STORE, construct);
  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, SOUP_TYPE_SESSION,
                                                  construct);
  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, construct);
  properties[PROP_TOKEN] = g_param_spec_string ("token", NULL, NULL, NULL, construct);
  properties[PROP_TLS_CERTIFICATE] = g_param_spec_object ("tls-certificate", NULL, NULL,
                                                          G_TYPE_TLS_CERTIFICATE, construct);
  properties[PROP_EXTRA_CA] = g_param_spec_object ("extra-ca", NULL, NULL,
                                                   G_TYPE_TLS_DATABASE, construct);
  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, GW_FEED_STATE_OFFLINE,
                                             GW_FEED_STATE_RECONNECTING,
                                             GW_FEED_STATE_OFFLINE, ro);
  properties[PROP_STATE_SINCE] = g_param_spec_int64 ("state-since", NULL, NULL,
                                                     0, G_MAXINT64, 0, ro);
  properties[PROP_RETRY_AT] = g_param_spec_int64 ("retry-at", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_DATA_TIME] = g_param_spec_int64 ("data-time", NULL, NULL,
                                                   0, G_MAXINT64, 0, ro);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, ro);
  properties[PROP_SYNCED] = g_param_spec_boolean ("synced", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gw_feed_init (GwFeed *self)
{
  GwFeedPrivate *priv = gw_feed_get_instance_private (self);
  priv->state_since = g_get_real_time ();
}
