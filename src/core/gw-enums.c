/* gw-enums.c — wire names of the domain enumerations */
#include "gw-enums.h"

#include <string.h>

static const char *const stage_names[GW_N_STAGES] = {
  "received", "registered", "dispatched", "on_site", "reported_done", "closed",
  "evaluated", "rework", "extended", "parked", "returned", "appeal",
};
static const char *const source_names[GW_N_SOURCES] = {
  "hotline", "patrol", "video", "app", "other",
};
static const char *const priority_names[GW_N_PRIORITIES] = {
  "normal", "urgent", "critical",
};
static const char *const class_kind_names[GW_N_CLASS_KINDS] = {
  "event", "component",
};
/* GW_SATISFACTION_NONE has no wire name: it is written as null. */
static const char *const satisfaction_names[GW_N_SATISFACTIONS] = {
  NULL, "satisfied", "basic", "unsatisfied",
};

static const char *
lookup_name (const char *const *names, guint n, int value)
{
  if (value < 0 || (guint) value >= n)
    return NULL;
  return names[value];
}

static gboolean
lookup_value (const char *const *names, guint n, const char *str, int *out)
{
  if (str == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (names[i] != NULL && strcmp (names[i], str) == 0)
      {
        *out = (int) i;
        return TRUE;
      }
  return FALSE;
}

/* Each pair goes through an int so the out pointer keeps its enum type. */
#define DEFINE_ENUM_NAMES(prefix, Type, names)                             \
  const char *                                                             \
  prefix##_to_string (Type value)                                          \
  {                                                                        \
    return lookup_name (names, G_N_ELEMENTS (names), (int) value);         \
  }                                                                        \
  gboolean                                                                 \
  prefix##_from_string (const char *str, Type *out)                        \
  {                                                                        \
    int v;                                                                 \
    if (!lookup_value (names, G_N_ELEMENTS (names), str, &v))              \
      return FALSE;                                                        \
    if (out != NULL)                                                       \
      *out = (Type) v;                                                     \
    return TRUE;                                                           \
  }

DEFINE_ENUM_NAMES (gw_stage, GwStage, stage_names)
DEFINE_ENUM_NAMES (gw_source, GwSource, source_names)
DEFINE_ENUM_NAMES (gw_priority, GwPriority, priority_names)
DEFINE_ENUM_NAMES (gw_class_kind, GwClassKind, class_kind_names)
DEFINE_ENUM_NAMES (gw_satisfaction, GwSatisfaction, satisfaction_names)

gboolean
gw_stage_is_closed (GwStage stage)
{
  return stage == GW_STAGE_CLOSED || stage == GW_STAGE_EVALUATED;
}
