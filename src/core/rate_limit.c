/* rate_limit — fixed table of token buckets (see the header for why time is monotonic here). */
#include "core/rate_limit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX 96

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

/* FNV-1a over the seed and the key: cheap, and the random seed keeps slots unpredictable. */
static unsigned slot_of(const struct rate_limit *rl, const char *key)
{
  uint64_t h = 1469598103934665603ULL ^ rl->seed;
  for (const unsigned char *p = (const unsigned char *)key; *p; p++) h = (h ^ *p) * 1099511628211ULL;
  return (unsigned)(h % rl->slots);
}

/* The bucket of key, its tokens brought up to now_ms. Called with the lock held. */
static struct bucket *bucket_at(struct rate_limit *rl, const char *key, double now_ms)
{
  struct bucket *b = &rl->b[slot_of(rl, key)];
  if (b->key[0] && now_ms > b->at_ms) {
    b->tokens += (now_ms - b->at_ms) / rl->refill_ms;
    if (b->tokens > rl->burst) b->tokens = rl->burst;
    b->at_ms = now_ms;
  }
  if (!b->key[0] || (strncmp(b->key, key, KEY_MAX - 1) != 0 && b->tokens >= rl->burst)) {
    snprintf(b->key, sizeof b->key, "%s", key);
    b->tokens = rl->burst;
    b->at_ms = now_ms;
  }
  return b;
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
  struct bucket *b = &rl->b[slot_of(rl, key)];
  if (strncmp(b->key, key, KEY_MAX - 1) == 0) b->tokens = rl->burst;
  pthread_mutex_unlock(&rl->lock);
}
