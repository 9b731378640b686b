/* at_rest — migration 066's step: the cadre phones and members' health notes that older versions
 * kept in plain text are sealed with the vault (as new ones are, store/cadres and store/households),
 * and the plain values emptied in the same transaction; migration 067 then drops the plain columns. */
#ifndef ZHUCUN_AT_REST_H
#define ZHUCUN_AT_REST_H

struct db;
struct vault;

/* Inside the migration's transaction. DB_OK, or DB_ERROR (nothing is committed). */
int at_rest_seal_plain(struct db *db, const struct vault *vault);

#endif
