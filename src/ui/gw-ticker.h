/* gw-ticker.h — a rotating line of new and late cases for the wall, drawn in snapshot()
 *
 * One case at a time, each for a few seconds, sliding up to the next: first the cases
 * received in the last hour (newest first), then the open cases past their deadline (most
 * overdue first). A coloured tag says which. Only the title, place and department show:
 * never personal data. The list is rebuilt from the store when it changes, at most once
 * per step, and the line keeps its place when the case it shows is still in the list.
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-store.h"

G_BEGIN_DECLS

typedef enum {
  GW_TICKER_NEW,
  GW_TICKER_LATE,
} GwTickerKind;

/* How many of each kind the line cycles through, and how long each stays. */
#define GW_TICKER_MAX_PER_KIND  8
#define GW_TICKER_NEW_WINDOW    GW_USEC_PER_HOUR
#define GW_TICKER_STEP_SECONDS  6

#define GW_TYPE_TICKER (gw_ticker_get_type ())
G_DECLARE_FINAL_TYPE (GwTicker, gw_ticker, GW, TICKER, GtkWidget)

GtkWidget    *gw_ticker_new            (void);
void          gw_ticker_set_store      (GwTicker *self,
                                        GwStore  *store);
/* A fixed "now" (tests); GW_TIME_NONE follows the clock. */
void          gw_ticker_set_now        (GwTicker *self,
                                        GwTime    now);
/* Rebuilds the list from the store now. */
void          gw_ticker_refresh        (GwTicker *self);
/* Shows the next item, as the timer does every GW_TICKER_STEP_SECONDS. */
void          gw_ticker_advance        (GwTicker *self);

guint         gw_ticker_get_n_items    (GwTicker *self);
guint         gw_ticker_get_current    (GwTicker *self);
GwTickerKind  gw_ticker_get_item_kind  (GwTicker *self,
                                        guint     i);
const char   *gw_ticker_get_item_id    (GwTicker *self,
                                        guint     i);
/* The line as drawn after the tag. */
const char   *gw_ticker_get_item_text  (GwTicker *self,
                                        guint     i);

G_END_DECLS
