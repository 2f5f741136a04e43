/* tg-review.c — a review read from the server's JSON; see tg-review.h. */
#define G_LOG_DOMAIN "tg-review"

#include "tg-review.h"

struct _TgReview
{
  GObject parent_instance;

  char *id;
  char *parent_id;
  char *author_id;
  char *author_name;
  gint64 at_ms;
  gint64 end_ms;
  char *text;
  TgDrawing *drawing;
  GListStore *replies;
};

G_DEFINE_FINAL_TYPE (TgReview, tg_review, G_TYPE_OBJECT)

static void
tg_review_finalize (GObject *object)
{
  TgReview *self = TG_REVIEW (object);

  g_free (self->id);
  g_free (self->parent_id);
  g_free (self->author_id);
  g_free (self->author_name);
  g_free (self->text);
  g_clear_pointer (&self->drawing, tg_drawing_unref);
  g_clear_object (&self->replies);
  G_OBJECT_CLASS (tg_review_parent_class)->finalize (object);
}

static void
tg_review_class_init (TgReviewClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tg_review_finalize;
}

static void
tg_review_init (TgReview *self)
{
  self->replies = g_list_store_new (TG_TYPE_REVIEW);
  self->end_ms = -1;
}

static const char *
string_member (JsonObject *o,
               const char *name)
{
  JsonNode *node = json_object_get_member (o, name);
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
int_member (JsonObject *o,
            const char *name)
{
  JsonNode *node = json_object_get_member (o, name);
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return -1;
  return json_node_get_int (node);
}

TgReview *
tg_review_new_from_json (JsonObject  *o,
                         GError     **error)
{
  g_return_val_if_fail (o != NULL, NULL);

  JsonNode *author = json_object_get_member (o, "author");
  JsonObject *author_o = author != NULL && JSON_NODE_HOLDS_OBJECT (author) ? json_node_get_object (author) : NULL;
  if (string_member (o, "id") == NULL || author_o == NULL || int_member (o, "at_ms") < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "a review needs an id, an author and at_ms");
      return NULL;
    }

  g_autoptr(TgReview) self = g_object_new (TG_TYPE_REVIEW, NULL);
  self->id = g_strdup (string_member (o, "id"));
  self->parent_id = g_strdup (string_member (o, "parent_id"));
  self->author_id = g_strdup (string_member (author_o, "id"));
  self->author_name = g_strdup (string_member (author_o, "name"));
  self->at_ms = int_member (o, "at_ms");
  self->end_ms = int_member (o, "end_ms");
  self->text = g_strdup (string_member (o, "text"));
  if (self->text == NULL)
    self->text = g_strdup ("");

  JsonNode *drawing = json_object_get_member (o, "drawing");
  if (drawing != NULL && JSON_NODE_HOLDS_OBJECT (drawing))
    {
      g_autoptr(GError) drawing_error = NULL;
      self->drawing = tg_drawing_new_from_json (drawing, &drawing_error);
      if (self->drawing == NULL)
        g_debug ("review %s: %s", self->id, drawing_error->message);
      else if (tg_drawing_get_n_shapes (self->drawing) == 0)
        g_clear_pointer (&self->drawing, tg_drawing_unref);
    }

  JsonNode *replies = json_object_get_member (o, "replies");
  if (replies != NULL && JSON_NODE_HOLDS_ARRAY (replies))
    {
      JsonArray *array = json_node_get_array (replies);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          if (!JSON_NODE_HOLDS_OBJECT (item))
            continue;
          g_autoptr(TgReview) reply = tg_review_new_from_json (json_node_get_object (item), error);
          if (reply == NULL)
            return NULL;
          g_list_store_append (self->replies, reply);
        }
    }
  return g_steal_pointer (&self);
}

const char *
tg_review_get_id (TgReview *self)
{
  g_return_val_if_fail (TG_IS_REVIEW (self), NULL);
  return self->id;
}

const char *
tg_review_get_parent_id (TgReview *self)
{
  g_return_val_if_fail (TG_IS_REVIEW (self), NULL);
  return self->parent_id;
}

const char *
tg_review_get_author_id (TgReview *self)
{
  g_return_val_if_fail (TG_IS_REVIEW (self), NULL);
  return self->author_id;
}

const char *
tg_review_get_author_name (TgReview *self)
{
  g_return_val_if_fail (TG_IS_REVIEW (self), NULL);
  return self->author_name;
}

gint64
tg_review_get_at_ms (TgReview *self)
{
  g_return_val_if_fail (TG_IS_REVIEW (self), -1);
  return self->at_ms;
}

gint64
tg_review_get_end_ms (TgReview *self)
{
  g_return_val_if_fail (TG_IS_REVIEW (self), -1);
  return self->end_ms;
}

const char *
tg_review_get_text (TgReview *self)
{
  g_return_val_if_fail (TG_IS_REVIEW (self), NULL);
  return self->text;
}

TgDrawing *
tg_review_get_drawing (TgReview *self)
{
  g_return_val_if_fail (TG_IS_REVIEW (self), NULL);
  return self->drawing;
}

GListModel *
tg_review_get_replies (TgReview *self)
{
  g_return_val_if_fail (TG_IS_REVIEW (self), NULL);
  return G_LIST_MODEL (self->replies);
}
