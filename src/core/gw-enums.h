/* gw-enums.h — domain enumerations and their wire names
 *
 * Stages follow GB/T 30428.8 plus the stages real systems add.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  GW_STAGE_RECEIVED,       /* 信息收集 */
  GW_STAGE_REGISTERED,     /* 案卷建立 */
  GW_STAGE_DISPATCHED,     /* 任务派遣 */
  GW_STAGE_ON_SITE,        /* 任务处理 */
  GW_STAGE_REPORTED_DONE,  /* 处理反馈 */
  GW_STAGE_CLOSED,         /* 核查结案 */
  GW_STAGE_EVALUATED,      /* 综合评价 */
  GW_STAGE_REWORK,         /* 返工 */
  GW_STAGE_EXTENDED,       /* 延期 */
  GW_STAGE_PARKED,         /* 挂账/缓办 */
  GW_STAGE_RETURNED,       /* 回退 */
  GW_STAGE_APPEAL,         /* 申诉 */
  GW_N_STAGES
} GwStage;

typedef enum {
  GW_SOURCE_HOTLINE,  /* 12345 */
  GW_SOURCE_PATROL,   /* grid worker patrol */
  GW_SOURCE_VIDEO,
  GW_SOURCE_APP,
  GW_SOURCE_OTHER,
  GW_N_SOURCES
} GwSource;

typedef enum {
  GW_PRIORITY_NORMAL,
  GW_PRIORITY_URGENT,
  GW_PRIORITY_CRITICAL,
  GW_N_PRIORITIES
} GwPriority;

/* The priority of a decoded report that gave none: the class's default applies. */
#define GW_PRIORITY_DEFAULT GW_N_PRIORITIES

typedef enum {
  GW_CLASS_KIND_EVENT,      /* 事件 */
  GW_CLASS_KIND_COMPONENT,  /* 部件 */
  GW_N_CLASS_KINDS
} GwClassKind;

typedef enum {
  GW_SATISFACTION_NONE,        /* no return visit answer */
  GW_SATISFACTION_SATISFIED,   /* 满意 */
  GW_SATISFACTION_BASIC,       /* 基本满意, counts 0.9 */
  GW_SATISFACTION_UNSATISFIED, /* 不满意 */
  GW_N_SATISFACTIONS
} GwSatisfaction;

/* Wire names ("on_site", "hotline", ...). from_string returns FALSE for unknown names. */
const char *gw_stage_to_string        (GwStage         stage);
gboolean    gw_stage_from_string      (const char     *str,
                                       GwStage        *out);
const char *gw_source_to_string       (GwSource        source);
gboolean    gw_source_from_string     (const char     *str,
                                       GwSource       *out);
const char *gw_priority_to_string     (GwPriority      priority);
gboolean    gw_priority_from_string   (const char     *str,
                                       GwPriority     *out);
const char *gw_class_kind_to_string   (GwClassKind     kind);
gboolean    gw_class_kind_from_string (const char     *str,
                                       GwClassKind    *out);
const char *gw_satisfaction_to_string (GwSatisfaction  s);
gboolean    gw_satisfaction_from_string (const char   *str,
                                       GwSatisfaction *out);

/* Closed and evaluated cases are closed; everything else is open. */
gboolean    gw_stage_is_closed        (GwStage         stage);

G_END_DECLS
