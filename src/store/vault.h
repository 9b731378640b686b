/* vault — encryption of personal data at rest (ID numbers: 个人信息保护法, 等保 数据保密性).
 * A 32-byte key file beside the database (mode 0600) keys two things: secretbox encryption
 * of the number, and a keyed BLAKE2b hash of it, which lets the system find a person by ID
 * number without decrypting every row. Losing the key file loses the numbers: back it up.
 * A third subkey keys the audit log's chain (store/audit.h), so it too rests on a file kept apart
 * from the database. The same secretbox protects cadre phones and household health notes. */
#ifndef ZHUCUN_VAULT_H
#define ZHUCUN_VAULT_H

#include <stddef.h>

struct vault;

/* Reads the key at path, creating it (0600) if create is set and it is absent. */
int vault_open(const char *path, int create, struct vault **out);
void vault_close(struct vault *v);
/* out: nonce || ciphertext, malloc'd, owned by the caller. */
int vault_encrypt(const struct vault *v, const char *plain, unsigned char **out, size_t *out_len);
/* out: NUL-terminated, malloc'd, owned by the caller (sodium_memzero it after use). */
int vault_decrypt(const struct vault *v, const unsigned char *in, size_t in_len, char **out);
/* A keyed 32-byte hash for look-ups. */
void vault_lookup_hash(const struct vault *v, const char *plain, unsigned char out[32]);
/* The audit chain's HMAC key (a subkey of its own, context "zhucunAU"). */
void vault_audit_key(const struct vault *v, unsigned char out[32]);
/* "<db path>.key" */
void vault_key_path_for(const char *db_path, char *out, size_t len);

#endif
