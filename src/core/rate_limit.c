/* rate_limit — fixed table of token buckets (see the header for why time is monotonic here). */
#include "core/rate_limit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX 96
#define PROBE 8 /* slots looked at from a key's hash before two keys share one */

struct bucket {
  char key[KEY_MAX];
  double tokens;
  double at_ms; /* when tokens was last brought up to date */
};

struct rate_limit {
  pthread_mutex_t lock;
  unsigned slots;
  double burst;
  double refill_ms;
  uint64_t seed;
  struct bucket *b;
};

struct rate_limit *rate_limit_new(unsigned slots, int burst, int refill_seconds, uint64_t seed)
{
  struct rate_limit *rl = calloc(1, sizeof *rl);
  if (!rl) return NULL;
  rl->b = calloc(slots ? slots : 1, sizeof *rl->b);
  if (!rl->b) { free(rl); return NULL; }
  pthread_mutex_init(&rl->lock, NULL);
  rl->slots = slots ? slots : 1;
  rl->burst = burst > 0 ? burst : 1;
  rl->refill_ms = (refill_seconds > 0 ? refill_seconds : 1) * 1000.0;
  rl->seed = seed;
  return rl;
}

void rate_limit_free(struct rate_limit *rl)
{
  if (!rl) return;
  pthread_mutex_destroy(&rl->lock);
  free(rl->b);
  free(rl);
}

/* FNV-1a over the seed and the key, then MurmurHash3's finaliser: FNV's low bits depend only on
 * the keys' low bits, so modulo a power of two it would spread names poorly. The random seed keeps
 * slots unpredictable. */
static unsigned slot_of(const struct rate_limit *rl, const char *key)
{
  uint64_t h = 1469598103934665603ULL ^ rl->seed;
  for (const unsigned char *p = (const unsigned char *)key; *p; p++) h = (h ^ *p) * 1099511628211ULL;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return (unsigned)(h % rl->slots);
}

/* Brings b's tokens up to now_ms. */
static void refill(const struct rate_limit *rl, struct bucket *b, double now_ms)
{
  if (!b->key[0] || now_ms <= b->at_ms) return;
  b->tokens += (now_ms - b->at_ms) / rl->refill_ms;
  if (b->tokens > rl->burst) b->tokens = rl->burst;
  b->at_ms = now_ms;
}

/* The bucket of key, its tokens brought up to now_ms. Called with the lock held. The key's own
 * bucket if one of the PROBE slots from its hash holds it; else the first slot there that is empty
 * or full again; else (every slot of the window holds another key still counting) the home slot,
 * shared — stricter, never looser. Without the window two keys in 8192 slots met by chance
 * often enough that a fresh name inherited another's spent bucket (CI stop 18). */
static struct bucket *bucket_at(struct rate_limit *rl, const char *key, double now_ms)
{
  unsigned home = slot_of(rl, key), probe = rl->slots < PROBE ? rl->slots : PROBE;
  struct bucket *free_slot = NULL;
  for (unsigned i = 0; i < probe; i++) {
    struct bucket *b = &rl->b[(home + i) % rl->slots];
    refill(rl, b, now_ms);
    if (b->key[0] && strncmp(b->key, key, KEY_MAX - 1) == 0) return b;
    if (!free_slot && (!b->key[0] || b->tokens >= rl->burst)) free_slot = b;
  }
  if (!free_slot) return &rl->b[home];
  snprintf(free_slot->key, sizeof free_slot->key, "%s", key);
  free_slot->tokens = rl->burst;
  free_slot->at_ms = now_ms;
  return free_slot;
}

int rate_limit_wait(struct rate_limit *rl, const char *key, double now_ms)
{
  pthread_mutex_lock(&rl->lock);
  struct bucket *b = bucket_at(rl, key, now_ms);
  int wait = 0;
  if (b->tokens < 1.0) {
    wait = (int)((1.0 - b->tokens) * rl->refill_ms / 1000.0 + 0.999);
    if (wait < 1) wait = 1;
  }
  pthread_mutex_unlock(&rl->lock);
  return wait;
}

void rate_limit_charge(struct rate_limit *rl, const char *key, double now_ms)
{
  pthread_mutex_lock(&rl->lock);
  struct bucket *b = bucket_at(rl, key, now_ms);
  b->tokens = b->tokens >= 1.0 ? b->tokens - 1.0 : 0.0;
  pthread_mutex_unlock(&rl->lock);
}

void rate_limit_forget(struct rate_limit *rl, const char *key)
{
  pthread_mutex_lock(&rl->lock);
  unsigned home = slot_of(rl, key), probe = rl->slots < PROBE ? rl->slots : PROBE;
  for (unsigned i = 0; i < probe; i++) {
    struct bucket *b = &rl->b[(home + i) % rl->slots];
    if (b->key[0] && strncmp(b->key, key, KEY_MAX - 1) == 0) b->tokens = rl->burst;
  }
  pthread_mutex_unlock(&rl->lock);
}
