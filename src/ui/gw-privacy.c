/* gw-privacy.c — callers' names and phone numbers, masked unless the desk may see them */

#include "config.h"

#include <string.h>

#include "gw-privacy.h"

/* Han, Hiragana/Katakana, Hangul: scripts where a name's first character is the family
 * name and the rest is masked with a fixed "**" so the length does not show either. */
static gboolean
is_cjk (gunichar c)
{
  GUnicodeScript script = g_unichar_get_script (c);

  return script == G_UNICODE_SCRIPT_HAN || script == G_UNICODE_SCRIPT_HANGUL ||
         script == G_UNICODE_SCRIPT_HIRAGANA || script == G_UNICODE_SCRIPT_KATAKANA;
}

char *
gw_privacy_mask_name (const char *name)
{
  g_autofree char *stripped = NULL;
  GString *out;
  gunichar first;

  if (name == NULL)
    return NULL;
  stripped = g_strstrip (g_strdup (name));
  if (stripped[0] == '\0' || !g_utf8_validate (stripped, -1, NULL))
    return stripped[0] == '\0' ? NULL : g_strdup ("*");

  first = g_utf8_get_char (stripped);
  out = g_string_new (NULL);
  g_string_append_unichar (out, first);
  g_string_append (out, is_cjk (first) ? "**" : "*");
  return g_string_free (out, FALSE);
}

char *
gw_privacy_mask_phone (const char *phone)
{
  guint n_digits = 0, seen = 0, keep_head, keep_tail;
  GString *out;

  if (phone == NULL || phone[0] == '\0')
    return NULL;
  for (const char *p = phone; *p != '\0'; p++)
    n_digits += g_ascii_isdigit (*p);

  if (n_digits >= 8)
    {
      keep_head = 3;
      keep_tail = 4;
    }
  else
    {
      /* Short numbers (extensions, hotlines) would show almost everything otherwise. */
      keep_head = 0;
      keep_tail = n_digits > 4 ? 2 : 0;
    }

  out = g_string_sized_new (strlen (phone));
  for (const char *p = phone; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        {
          /* Separators and a leading '+' are kept; letters (notes typed in the number
           * field) could be anything and are masked too. */
          g_string_append_c (out, g_ascii_isalpha (*p) || (guchar) *p >= 0x80 ? '*' : *p);
          if ((guchar) *p >= 0x80)
            while ((((guchar) p[1]) & 0xC0) == 0x80)
              p++;
          continue;
        }
      seen++;
      g_string_append_c (out, seen <= keep_head || seen > n_digits - keep_tail ? *p : '*');
    }
  return g_string_free (out, FALSE);
}

gboolean
gw_privacy_may_show (gboolean   wall,
                     GSettings *settings)
{
  if (wall || settings == NULL)
    return FALSE;
  return g_settings_get_boolean (settings, "show-personal-data");
}

char *
gw_privacy_format_reporter (const GwIncident *incident,
                            gboolean          reveal)
{
  g_autofree char *name = NULL;
  g_autofree char *phone = NULL;

  g_return_val_if_fail (incident != NULL, NULL);

  if (reveal)
    {
      name = incident->reporter_name && incident->reporter_name[0]
             ? g_strdup (incident->reporter_name) : NULL;
      phone = incident->reporter_phone && incident->reporter_phone[0]
              ? g_strdup (incident->reporter_phone) : NULL;
    }
  else
    {
      name = gw_privacy_mask_name (incident->reporter_name);
      phone = gw_privacy_mask_phone (incident->reporter_phone);
    }
  if (name != NULL && phone != NULL)
    return g_strdup_printf ("%s · %s", name, phone);
  return g_strdup (name != NULL ? name : phone);
}
