/* phone — the one masking rule for phone numbers (see phone.h). */
#include "core/phone.h"

#include <stdio.h>
#include <string.h>

void phone_mask(const char *phone, char out[PHONE_MASKED_SIZE])
{
  size_t n = phone ? strlen(phone) : 0;
  if (n == 0) { out[0] = '\0'; return; }
  if (n < 7) { snprintf(out, PHONE_MASKED_SIZE, "****"); return; }
  snprintf(out, PHONE_MASKED_SIZE, "%.3s****%.4s", phone, phone + (n >= 11 ? 7 : n - 4));
}
