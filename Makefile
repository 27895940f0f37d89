# DTI platform — build, run and test.
#
# Sources are found by wildcard so a new module needs no Makefile edit:
#   src/**/*.c          -> linked into build/dti (src/cli/main.c holds main())
#   tests/unit/test_*.c -> one cmocka binary each, linked with every object but main.o
#   tests/fuzz/fuzz_*.c -> one libFuzzer binary each (clang), same objects
#
# Every test binary is built twice: plain and under ASan+UBSan.

CC      ?= cc
CLANG   ?= clang
PKGS    := libmicrohttpd jansson sqlite3 libpq libsodium libutf8proc icu-uc icu-i18n liboath xlsxwriter libmagic libcrypto libzip expat libqpdf
CSTD    := -std=c17 -D_GNU_SOURCE
WARN    := -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wstrict-prototypes -Wvla -Wno-unused-parameter
CFLAGS  ?= -O2 -g
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lzxcvbn -lpthread -lm
ALL_CFLAGS  = $(CSTD) $(WARN) $(CFLAGS) $(PKG_CFLAGS) -Isrc -MMD -MP
# The flags Debian builds its own packages with (dpkg-buildflags, hardening=+all), plus
# -fcf-protection (CET) which dpkg 1.21 does not add yet. Plain objects and build/dti only:
# the sanitizer and fuzzer builds have their own instrumentation. tests/cli/hardening.sh checks
# the result with hardening-check.
HARDEN_CFLAGS  := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fstack-clash-protection -fPIE
ifneq ($(filter x86_64 i%86,$(shell uname -m)),)
HARDEN_CFLAGS  += -fcf-protection
endif
HARDEN_LDFLAGS := -pie -Wl,-z,relro -Wl,-z,now
SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer

SRC      := $(shell find src -name '*.c' | sort)
LIB_SRC  := $(filter-out src/cli/main.c,$(SRC))
OBJ      := $(SRC:%.c=build/obj/%.o)
LIB_OBJ  := $(LIB_SRC:%.c=build/obj/%.o)
SAN_OBJ  := $(LIB_SRC:%.c=build/san/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/tests/%)
UNIT_SAN := $(UNIT_SRC:tests/unit/%.c=build/tests-san/%)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_TIME ?= 5

.PHONY: all deps build web run test unit fuzz fuzz-quick bench clean
# Objects are intermediate files of pattern chains: keep them, or make deletes them after linking.
.SECONDARY:
# Quiet by default; `make V=1` prints the full commands.
ifeq ($(V),1)
Q :=
else
Q := @
endif
all: build

deps:
	@scripts/install-deps.sh

build: build/dti web

build/dti: $(OBJ)
	@echo "LINK    $@"
	$(Q)$(CC) $(CFLAGS) $(HARDEN_LDFLAGS) -o $@ $(OBJ) $(PKG_LIBS)

# The server under ASan+UBSan, for tests/cli/http_raw.sh (raw-socket attacks on a live server).
build/dti-san: $(SAN_OBJ) build/san/src/cli/main.o
	@echo "LINK    $@"
	$(Q)$(CC) $(CFLAGS) -O1 $(SAN) -o $@ $^ $(PKG_LIBS)

build/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) $(HARDEN_CFLAGS) -c $< -o $@

build/san/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "CC-SAN  $<"
	$(Q)$(CC) $(ALL_CFLAGS) -O1 $(SAN) -c $< -o $@

build/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "LINK    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(HARDEN_CFLAGS) $(HARDEN_LDFLAGS) -Itests/unit -o $@ $< $(LIB_OBJ) $(PKG_LIBS) $$(pkg-config --libs cmocka)

build/tests-san/%: tests/unit/%.c $(SAN_OBJ)
	@mkdir -p $(dir $@)
	@echo "LINK    $@"
	$(Q)$(CC) $(ALL_CFLAGS) -O1 $(SAN) -Itests/unit -o $@ $< $(SAN_OBJ) $(PKG_LIBS) $$(pkg-config --libs cmocka)

# libFuzzer needs clang for every object it instruments.
FUZZ_FLAGS := $(CSTD) $(WARN) -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined $(PKG_CFLAGS) -Isrc
FUZZ_OBJ := $(LIB_SRC:%.c=build/fuzzobj/%.o)
build/fuzzobj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "CC-FUZZ $<"
	$(Q)$(CLANG) $(FUZZ_FLAGS) -MMD -MP -c $< -o $@

build/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJ)
	@mkdir -p $(dir $@)
	@echo "LINK    $@"
	$(Q)$(CLANG) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(PKG_LIBS)

# Benchmarks (bench/score.sh, bench/framework_cache.sh): linked with the library objects like a
# unit test.
build/bench/%: bench/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(HARDEN_CFLAGS) $(HARDEN_LDFLAGS) -o $@ $< $(LIB_OBJ) $(PKG_LIBS)

# The UI's API types are generated from `build/dti openapi` (web/scripts/gen-types.mjs).
web: build/dti
	@scripts/build-web.sh

# `run`, `test` and `bench` install first, then re-enter make so pkg-config flags are read
# after the libraries exist (on a fresh machine they don't when this Makefile is parsed).
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
run:
	@scripts/install-deps.sh
	@$(MAKE) --no-print-directory -j$(JOBS) build
	@scripts/run.sh

unit: $(UNIT_BIN) $(UNIT_SAN)
	@scripts/run-unit.sh $(UNIT_BIN) $(UNIT_SAN)

fuzz-quick: $(FUZZ_BIN)
	@scripts/run-fuzz.sh $(FUZZ_TIME) $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	@scripts/run-fuzz.sh 300 $(FUZZ_BIN)

test:
	@scripts/install-deps.sh
	@$(MAKE) --no-print-directory -j$(JOBS) build build/dti-san $(UNIT_BIN) $(UNIT_SAN) $(FUZZ_BIN)
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory fuzz-quick
	@scripts/test.sh

bench:
	@scripts/install-deps.sh
	@$(MAKE) --no-print-directory -j$(JOBS) build
	@scripts/bench.sh

clean:
	rm -rf build

-include $(OBJ:.o=.d) $(SAN_OBJ:.o=.d) $(FUZZ_OBJ:.o=.d)
