/* sd-coaching-info.c — reading a booking with its people (see
 * sd-coaching-info.h). */
#include "api/sd-coaching-info.h"

static void
read_person (SdDbRows         *rows,
             guint             i,
             const char       *prefix,
             SdCoachingPerson *out)
{
  char column[32];

#define READ(field) \
  g_snprintf (column, sizeof column, "%s" #field, prefix); \
  out->field = sd_db_rows_text (rows, i, column);
  READ (id);
  READ (email);
  READ (name);
  READ (language);
  READ (time_zone);
#undef READ
}

void
sd_coaching_info_read (SdDbRows       *rows,
                       guint           i,
                       SdCoachingInfo *out)
{
  out->id = sd_db_rows_text (rows, i, "id");
  out->org_id = sd_db_rows_text (rows, i, "org_id");
  out->group_id = sd_db_rows_text (rows, i, "group_id");
  out->group_name = sd_db_rows_text (rows, i, "group_name");
  out->session_type = sd_db_rows_text (rows, i, "session_type");
  out->status = sd_db_rows_text (rows, i, "status");
  out->notes = sd_db_rows_text (rows, i, "notes");
  if (out->notes == NULL)
    out->notes = "";
  out->cancel_reason = sd_db_rows_text (rows, i, "cancel_reason");
  out->cancelled_by = sd_db_rows_text (rows, i, "cancelled_by");
  out->start = sd_db_rows_int (rows, i, "start_at");
  out->end = sd_db_rows_int (rows, i, "end_at");
  out->sequence = sd_db_rows_int (rows, i, "sequence");
  out->created_at = sd_db_rows_int (rows, i, "created_at");
  out->updated_at = sd_db_rows_int (rows, i, "updated_at");
  read_person (rows, i, "e_", &out->expert);
  read_person (rows, i, "s_", &out->student);
}

gboolean
sd_coaching_info_load (SdDbConn    *conn,
                       const char  *org_id,
                       const char  *booking_id,
                       SdDbRows   **rows,
                       GError     **error)
{
  *rows = sd_db_query (conn, error, SD_COACHING_INFO_SELECT " WHERE b.id = $1 AND b.org_id = $2",
                       "ss", booking_id, org_id);
  return *rows != NULL;
}
