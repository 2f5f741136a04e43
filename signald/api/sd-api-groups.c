/* sd-api-groups.c — being written (groups/invitations family). */
#include "api/sd-api.h"

const SdRoute sd_api_groups_routes[] = {
  { NULL }
};
