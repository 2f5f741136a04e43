/* tg-group-row.h — a group in the sidebar: its picture (or initials), its
 * name and how many members it has. */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TG_TYPE_GROUP_ROW (tg_group_row_get_type ())

G_DECLARE_FINAL_TYPE (TgGroupRow, tg_group_row, TG, GROUP_ROW, AdwActionRow)

/* A row for @group (a Group of the API; the row keeps a reference). */
TgGroupRow *tg_group_row_new       (JsonObject *group);
JsonObject *tg_group_row_get_group (TgGroupRow *self);
const char *tg_group_row_get_id    (TgGroupRow *self);
/* Loads the picture again (it changed). */
void        tg_group_row_reload_avatar (TgGroupRow *self);

G_END_DECLS
