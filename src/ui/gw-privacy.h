/* gw-privacy.h — callers' names and phone numbers, masked unless the desk may see them
 *
 * The wall is seen by anyone walking through the hall, so personal data is always
 * masked there; at a desk it shows only when GSettings show-personal-data is on.
 * Command-line exports are for supervisors and are not masked.
 */
#pragma once

#include <gio/gio.h>

#include "gw-incident.h"

G_BEGIN_DECLS

/* "张三丰" → "张**", "John Smith" → "J*"; NULL or empty stays NULL. */
char     *gw_privacy_mask_name      (const char *name);
/* "13812345678" → "138****5678": the first three and last four digits stay, other
 * digits become '*' and separators are kept; short numbers keep at most two digits. */
char     *gw_privacy_mask_phone     (const char *phone);
/* Whether personal data may be shown: never on the wall, at the desk as @settings say
 * (@settings may be NULL: masked). */
gboolean  gw_privacy_may_show       (gboolean    wall,
                                     GSettings  *settings);
/* "张** · 138****5678" (or the clear text when @reveal), or NULL when the case has no
 * reporter. */
char     *gw_privacy_format_reporter (const GwIncident *incident,
                                      gboolean          reveal);

G_END_DECLS
