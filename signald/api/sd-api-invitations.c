/* sd-api-invitations.c — being written (groups/invitations family). */
#include "api/sd-api.h"

const SdRoute sd_api_invitations_routes[] = {
  { NULL }
};
