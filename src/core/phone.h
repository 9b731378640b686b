/* phone — how a person's phone number is shown. One masking rule for households (5.6) and
 * cadres (issue 11): a county or township reader sees 138****1234, enough to recognise a number
 * but not to call it; the full number is read only through an audited reveal. */
#ifndef ZHUCUN_PHONE_H
#define ZHUCUN_PHONE_H

#define PHONE_MASKED_SIZE 16

/* Writes the first three and the last four characters around "****"; a number shorter than
 * 7 characters is masked entirely ("****"), since its ends would be most of it. */
void phone_mask(const char *phone, char out[PHONE_MASKED_SIZE]);

#endif
