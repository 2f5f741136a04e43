/* sd-api.h — helpers shared by the API families (api/sd-api-*.c). */
#pragma once

#include "sd-request.h"
#include "sd-route.h"
#include "store/sd-db.h"
#include "tandem-error.h"

G_BEGIN_DECLS

/* The public JSON of the user in row @i of @rows (columns id, email, name,
 * role, org_id, language, time_zone, created_at). */
JsonObject *sd_api_user_json        (SdDbRows *rows, guint i);

/* The column list that sd_api_user_json() reads, for SELECTs. */
#define SD_API_USER_COLUMNS "id, email, name, role, org_id, language, time_zone, created_at"

/* Creates a session for @user_id in @org_id inside the open transaction and
 * returns the token (only ever shown once). */
char       *sd_api_create_session   (SdRequest   *req,
                                     const char  *org_id,
                                     const char  *user_id,
                                     GError     **error);

/* A new time-ordered UUID (version 7: unix milliseconds, then a counter
 * that keeps ids made by this process in the same millisecond increasing,
 * then random bits), in lowercase text.  Sorting such ids as text sorts
 * them by creation, which both backends do the same way: lists that order
 * by (created_at, id) then show rows made in the same second in the order
 * they were made. */
char       *sd_api_ordered_id       (void);

/* Copy of @text (NULL reads as "") safe for one line of a mail header or a
 * sentence: control characters and line separators become spaces. */
char       *sd_api_one_line         (const char *text);

/* Lowercased, trimmed e-mail; NULL when it is not an address. */
char       *sd_api_normalize_email  (const char *email);

/* Is @tz an IANA time zone name that GLib knows? */
gboolean    sd_api_valid_time_zone  (const char *tz);

/* Turns an SD_DB_ERROR_CONSTRAINT into @code with @message; leaves other
 * errors as they are. */
void        sd_api_map_constraint   (GError        **error,
                                     TandemErrorCode code,
                                     const char     *message);

/* Set the 429 reply headers and error for a rate limit. */
gboolean    sd_api_rate_limited     (SdRequest  *req,
                                     guint       retry_after_s,
                                     GError    **error);

G_END_DECLS

G_BEGIN_DECLS

/* An invitation found by its code (see sd_api_invitation_find). */
typedef struct {
  char *id;
  char *org_id;
  char *group_id;
  char *group_name;
  char *email;
  char *inviter_name;
  char *status;
  gint64 expires_at;
  gboolean has_avatar;
} SdApiInvitation;

void        sd_api_invitation_clear (SdApiInvitation *inv);

/* Find the invitation with @code (any organization).  Wrong codes count
 * against the caller's IP (rate limited: 429).  Fails with NOT_FOUND for
 * an unknown code; with INVITATION_EXPIRED, INVITATION_USED (accepted) or
 * GONE (revoked) when @usable is TRUE and it cannot be used. */
gboolean    sd_api_invitation_find  (SdRequest        *req,
                                     const char       *code,
                                     gboolean          usable,
                                     SdApiInvitation  *out,
                                     GError          **error);

/* Inside an open write transaction as the invitation's organization: marks
 * the invitation accepted by @user_id and adds the user to its group.  Fails
 * with INVITATION_USED if it was taken meanwhile, ALREADY_MEMBER when the
 * user is in the group already. */
gboolean    sd_api_invitation_redeem (SdRequest             *req,
                                      const SdApiInvitation *inv,
                                      const char            *user_id,
                                      GError               **error);

G_END_DECLS

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SdApiInvitation, sd_api_invitation_clear)
