/* tg-remote-list-group.h — a preferences group listing what the server
 * holds for one group, the part TgBlockedGroup and TgSessionTypesGroup
 * share: it loads the list (GET of the subclass's path, one page of items
 * with an "id"), keeps the items, shows a row per item in the subclass's
 * list box, and sends changes (tg_remote_list_group_send(): a call, a toast
 * when it fails, then a reload).  Loading is TRUE from a reload or change
 * until the list is back; a new group or reload cancels what was under
 * way. */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TG_TYPE_REMOTE_LIST_GROUP (tg_remote_list_group_get_type ())

G_DECLARE_DERIVABLE_TYPE (TgRemoteListGroup, tg_remote_list_group, TG, REMOTE_LIST_GROUP, AdwPreferencesGroup)

struct _TgRemoteListGroupClass
{
  AdwPreferencesGroupClass parent_class;

  /* The path of the list of @group_id (for GET). */
  char      *(*list_path) (TgRemoteListGroup *self,
                           const char        *group_id);
  /* Whether to list @item (which has an id); NULL: all. */
  gboolean   (*keep)      (TgRemoteListGroup *self,
                           JsonObject        *item);
  /* The row showing @item, the @index-th listed. */
  GtkWidget *(*make_row)  (TgRemoteListGroup *self,
                           JsonObject        *item,
                           guint              index);

  /* The toasts (N_() strings, translated when shown) when the list cannot
   * be loaded and when a change fails. */
  const char *load_error;
  const char *change_error;
};

/* The list box the rows go to (the subclass's template child); call from
 * the subclass's init. */
void        tg_remote_list_group_set_list_box (TgRemoteListGroup *self,
                                               GtkListBox        *list);

void        tg_remote_list_group_set_group    (TgRemoteListGroup *self,
                                               const char        *group_id);
const char *tg_remote_list_group_get_group    (TgRemoteListGroup *self);
void        tg_remote_list_group_reload       (TgRemoteListGroup *self);
gboolean    tg_remote_list_group_is_loading   (TgRemoteListGroup *self);
/* The items listed (the server's objects), in order. */
guint       tg_remote_list_group_get_n_items  (TgRemoteListGroup *self);
JsonObject *tg_remote_list_group_get_item     (TgRemoteListGroup *self,
                                               guint              index);
/* The item listed with @id, or NULL (also for a NULL @id). */
JsonObject *tg_remote_list_group_find         (TgRemoteListGroup *self,
                                               const char        *id);
/* @method on "/groups/GID/coaching/@rest" with @body (may be NULL); then
 * a reload.  Nothing without a group. */
void        tg_remote_list_group_send         (TgRemoteListGroup *self,
                                               const char        *method,
                                               const char        *rest,
                                               JsonObject        *body);

G_END_DECLS
