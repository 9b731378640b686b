# zhucun — build, run, test, bench.
# `make run` and `make test` are the two front-door commands: both start with
# scripts/setup.sh, which installs whatever a fresh Debian 12 lacks.

CC      ?= gcc
PKGS    := libmicrohttpd jansson sqlite3 libpq libsodium xlsxwriter zlib libcurl
CFLAGS_COMMON := -std=c17 -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
                 -D_GNU_SOURCE -Isrc $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lz -lpthread -lm

# Release build: build/zhucun. Test build (ASan + UBSan): build/test/zhucun.
# B and UI_OUT move the build and the web UI elsewhere, so that two working copies of the
# tree (or two people on one machine) can build and test side by side.
B       ?= build
UI_OUT  ?= ui/dist
REL_CFLAGS  := $(CFLAGS_COMMON) -O2 -g
TEST_CFLAGS := $(CFLAGS_COMMON) -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
               -fno-sanitize-recover=undefined

SRCS      := $(shell find src -name '*.c' | sort)
LIB_SRCS  := $(filter-out src/main.c,$(SRCS))
SCHEMA    := $(sort $(wildcard src/store/schema/*.sql))
SCHEMA_PG := $(sort $(wildcard src/store/schema_pg/*.sql))
HDRS      := $(shell find src -name '*.h')
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))

REL_OBJS  := $(patsubst src/%.c,$(B)/obj/%.o,$(SRCS))
TEST_OBJS := $(patsubst src/%.c,$(B)/test/obj/%.o,$(SRCS))
TEST_LIB_OBJS := $(filter-out $(B)/test/obj/main.o,$(TEST_OBJS))
UNIT_BINS := $(patsubst tests/unit/%.c,$(B)/test/unit/%,$(UNIT_SRCS))

.PHONY: all setup build build-test ui run test unit test-pg api e2e fuzz bench clean

all: build

setup:
	@bash scripts/setup.sh

build: $(B)/zhucun

$(B)/zhucun: $(REL_OBJS)
	@echo "LD      $@"
	@$(CC) $(REL_CFLAGS) -o $@ $^ $(LDLIBS)

$(B)/obj/%.o: src/%.c $(HDRS) $(B)/obj/store/schema_sql.h $(B)/obj/store/schema_pg_sql.h
	@mkdir -p $(dir $@)
	@echo "CC      $<"
	@$(CC) $(REL_CFLAGS) -I$(B)/obj -c -o $@ $<

$(B)/test/obj/%.o: src/%.c $(HDRS) $(B)/obj/store/schema_sql.h $(B)/obj/store/schema_pg_sql.h
	@mkdir -p $(dir $@)
	@echo "CC-TEST $<"
	@$(CC) $(TEST_CFLAGS) -I$(B)/obj -c -o $@ $<

# The migrations are compiled into the binary so that it can never run
# against a schema it does not know.
$(B)/obj/store/schema_sql.h: $(SCHEMA) scripts/embed_schema.sh
	@mkdir -p $(dir $@)
	bash scripts/embed_schema.sh MIGRATIONS $(SCHEMA) > $@

$(B)/obj/store/schema_pg_sql.h: $(SCHEMA_PG) scripts/embed_schema.sh
	@mkdir -p $(dir $@)
	bash scripts/embed_schema.sh PG_MIGRATIONS $(SCHEMA_PG) > $@

# The OpenAPI document too: a server serves the description of the interface it was built with.
$(B)/obj/http/h_openapi.o $(B)/test/obj/http/h_openapi.o: $(B)/obj/http/openapi_json.h
$(B)/obj/http/openapi_json.h: docs/openapi.json scripts/embed_file.sh
	@mkdir -p $(dir $@)
	bash scripts/embed_file.sh OPENAPI_JSON docs/openapi.json > $@

build-test: $(B)/test/zhucun $(UNIT_BINS) $(B)/test/tools/pg_prepare_check

$(B)/test/zhucun: $(TEST_OBJS)
	@echo "LD-TEST $@"
	@$(CC) $(TEST_CFLAGS) -o $@ $^ $(LDLIBS)

$(B)/test/unit/%: tests/unit/%.c $(TEST_LIB_OBJS)
	@mkdir -p $(dir $@)
	@echo "LD-TEST $@"
	@$(CC) $(TEST_CFLAGS) -I$(B)/obj -o $@ $< $(TEST_LIB_OBJS) $(LDLIBS) -lcmocka

# Tools of the tests, on the store's own objects (tests/tools/NAME.c).
$(B)/test/tools/%: tests/tools/%.c $(TEST_LIB_OBJS)
	@mkdir -p $(dir $@)
	@echo "LD-TEST $@"
	@$(CC) $(TEST_CFLAGS) -I$(B)/obj -o $@ $< $(TEST_LIB_OBJS) $(LDLIBS)

ui: $(UI_OUT)/index.html

# gzip copies are made here, once, so that the server need not compress at start-up
$(UI_OUT)/index.html: $(shell find ui/src ui/public -type f 2>/dev/null) ui/index.html ui/package.json ui/vite.config.js
	cd ui && npx vite build --emptyOutDir --outDir $(abspath $(UI_OUT))
	find $(UI_OUT) -type f \( -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.svg' -o -name '*.json' \
	  -o -name '*.csv' \) -exec gzip -9 -k -f {} \;

var/zhucun.db: | build/zhucun
	@mkdir -p var
	build/zhucun init --demo --db $@

# The set-up runs first, in its own make, so that the build's pkg-config flags are read
# after the packages are there (on a fresh machine they are not, when this file is parsed).
JOBS := -j$(shell nproc 2>/dev/null || echo 2)

run:
	@bash scripts/setup.sh
	@$(MAKE) --no-print-directory $(JOBS) build ui
	@$(MAKE) --no-print-directory var/zhucun.db
	@echo "演示账号 (demo logins), password $$(sed -n 's/^#define DEMO_PASSWORD "\(.*\)"/\1/p' src/store/demo.h), 首次登录须修改 (changed at the first login):"
	@echo "  city_org 市委组织部 · ruijin_org 瑞金市委组织部 · shazhouba_sec 沙洲坝镇党委书记 · unit_leader1 派出单位 · cadre1 驻村干部"
	@echo "  sysadmin 系统管理员 · secadmin 安全管理员 · auditadmin 审计管理员"
	build/zhucun serve --db var/zhucun.db --ui ui/dist $(if $(PORT),--port $(PORT))

test:
	@bash scripts/setup.sh
	@$(MAKE) --no-print-directory $(JOBS) build build-test ui
	@bash tests/run_all.sh

unit: build-test
	@bash tests/run_all.sh unit

# the API suite on PostgreSQL alone (make test runs it too, beside the others)
test-pg: build build-test
	@bash tests/run_all.sh api_pg

api: build build-test
	@bash tests/run_all.sh api

e2e: build build-test ui
	@bash tests/run_all.sh e2e

# libFuzzer harnesses (clang), ZHUCUN_FUZZ_SECONDS each (60)
fuzz:
	@bash tests/run_all.sh fuzz

# The UI is built too, so that start-up and memory are measured with the UI as it is served
# (its gzip copies read, not made at start-up).
bench:
	@bash scripts/setup.sh
	@bash bench/setup.sh
	@$(MAKE) --no-print-directory $(JOBS) build ui
	@bash bench/run.sh

clean:
	rm -rf build ui/dist
