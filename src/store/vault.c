/* vault — libsodium secretbox (XSalsa20-Poly1305) with a random nonce per value, and
 * crypto_generichash keyed with a subkey derived from the same master key. */
#include "store/vault.h"

#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/log.h"

struct vault {
  unsigned char box_key[crypto_secretbox_KEYBYTES];
  unsigned char hash_key[crypto_generichash_KEYBYTES];
  unsigned char audit_key[32];
};

void vault_key_path_for(const char *db_path, char *out, size_t len) { snprintf(out, len, "%s.key", db_path); }

static int read_key(const char *path, unsigned char master[32])
{
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  ssize_t n = read(fd, master, 32);
  close(fd);
  return n == 32 ? 0 : -1;
}

static int write_key(const char *path, unsigned char master[32])
{
  randombytes_buf(master, 32);
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return -1;
  ssize_t n = write(fd, master, 32);
  int rc = (n == 32 && fsync(fd) == 0) ? 0 : -1;
  close(fd);
  return rc;
}

int vault_open(const char *path, int create, struct vault **out)
{
  *out = NULL;
  unsigned char master[32];
  if (read_key(path, master) != 0) {
    if (!create || write_key(path, master) != 0) {
      log_error("vault", "cannot %s the key file %s", create ? "create" : "read", path);
      return -1;
    }
  }
  struct vault *v = sodium_malloc(sizeof *v);
  if (!v) { sodium_memzero(master, sizeof master); return -1; }
  crypto_kdf_derive_from_key(v->box_key, sizeof v->box_key, 1, "zhucunID", master);
  crypto_kdf_derive_from_key(v->hash_key, sizeof v->hash_key, 2, "zhucunID", master);
  crypto_kdf_derive_from_key(v->audit_key, sizeof v->audit_key, 1, "zhucunAU", master);
  sodium_memzero(master, sizeof master);
  *out = v;
  return 0;
}

void vault_close(struct vault *v)
{
  if (v) sodium_free(v); /* sodium_free wipes the memory */
}

int vault_encrypt(const struct vault *v, const char *plain, unsigned char **out, size_t *out_len)
{
  size_t len = strlen(plain);
  *out_len = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
  *out = malloc(*out_len);
  if (!*out) return -1;
  randombytes_buf(*out, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(*out + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, len, *out, v->box_key);
  return 0;
}

int vault_decrypt(const struct vault *v, const unsigned char *in, size_t in_len, char **out)
{
  *out = NULL;
  if (in_len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) return -1;
  size_t len = in_len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
  *out = malloc(len + 1);
  if (!*out) return -1;
  if (crypto_secretbox_open_easy((unsigned char *)*out, in + crypto_secretbox_NONCEBYTES,
                                 in_len - crypto_secretbox_NONCEBYTES, in, v->box_key) != 0) {
    free(*out);
    *out = NULL;
    return -1;
  }
  (*out)[len] = '\0';
  return 0;
}

void vault_lookup_hash(const struct vault *v, const char *plain, unsigned char out[32])
{
  crypto_generichash(out, 32, (const unsigned char *)plain, strlen(plain), v->hash_key, sizeof v->hash_key);
}

void vault_audit_key(const struct vault *v, unsigned char out[32]) { memcpy(out, v->audit_key, sizeof v->audit_key); }
