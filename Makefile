# rasd — plain make + pkg-config. Targets:
#   make            build build/rasd and build/librasd.a (release, -O2)
#   make run        install missing Debian packages, build, run on the seeds
#   make test       ASan+UBSan build, unit + golden + end-to-end tests
#   make bench      throughput benchmarks against the Python peers (reads ../shared)
#   make eval       quality: NER F1, date span F1, name-key P/R, near-copy P/R
#   make model      retrain models/ner.bin from ../shared/data/ner (deterministic)
#   make fuzz       libFuzzer targets (FUZZ_SECONDS each, default 60)
#   make install    PREFIX=/usr/local DESTDIR=
CC      ?= gcc
PREFIX  ?= /usr/local
DESTDIR ?=
PKGS    := libutf8proc libxxhash libxml-2.0 jansson sqlite3
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
CSTD    := -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L
DEPCFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
DEPLIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lpthread -lm
INC     := -Iinclude -Isrc

LIB_SRC := $(wildcard src/util/*.c src/text/*.c src/ingest/*.c src/story/*.c src/store/*.c src/annotate/*.c)
CLI_SRC := $(wildcard src/cli/*.c)
LEXICONS := data/lexicon/stopwords.txt data/lexicon/clitic-protected.txt \
            data/lexicon/imperfect-verbs.txt

# variant directories: release (default) and asan (tests)
R := build/release
A := build/asan

RELEASE_CFLAGS := $(CSTD) $(WARN) -O2 -g $(INC) $(DEPCFLAGS)
ASAN_CFLAGS    := $(CSTD) $(WARN) -O1 -g -fno-omit-frame-pointer \
                  -fsanitize=address,undefined -fno-sanitize-recover=all $(INC) $(DEPCFLAGS)

.PHONY: all run test bench fuzz install clean deps eval
all: build/rasd build/librasd.a

deps:
	@sh scripts/deps.sh

# ---- generated sources: lexicons embedded in the library ----
build/embed: tools/embed.c
	@mkdir -p build
	$(CC) -O2 -o $@ $<
build/gen/lexicons.c: build/embed $(LEXICONS)
	@mkdir -p build/gen
	build/embed lex_stopwords data/lexicon/stopwords.txt > $@.tmp
	build/embed lex_protected data/lexicon/clitic-protected.txt >> $@.tmp
	build/embed lex_verbs data/lexicon/imperfect-verbs.txt >> $@.tmp
	mv $@.tmp $@
GEN_SRC := build/gen/lexicons.c
# the NER model (models/ner.bin, made by `make model`); an empty one if absent,
# so a fresh tree can still build the trainer
NER_MODEL := $(wildcard models/ner.bin)
build/gen/ner_model.c: build/embed $(NER_MODEL)
	@mkdir -p build/gen
	build/embed ner_model_bin $(if $(NER_MODEL),$(NER_MODEL),/dev/null) > $@.tmp
	mv $@.tmp $@
GEN_SRC += build/gen/ner_model.c
# the date recogniser's lexicon (src/annotate/dates.c)
build/gen/dates_lexicon.c: build/embed data/lexicon/dates.txt
	@mkdir -p build/gen
	build/embed lex_dates data/lexicon/dates.txt > $@.tmp
	mv $@.tmp $@
GEN_SRC += build/gen/dates_lexicon.c
# the name-key alias table (src/annotate/names.c)
build/gen/aliases.c: build/embed data/lexicon/aliases.txt
	@mkdir -p build/gen
	build/embed lex_aliases data/lexicon/aliases.txt > $@.tmp
	mv $@.tmp $@
GEN_SRC += build/gen/aliases.c
# Arabic given names whose long vowels are fixed (src/annotate/names.c)
build/gen/arabic_names.c: build/embed data/lexicon/arabic-names.txt
	@mkdir -p build/gen
	build/embed lex_arabic_names data/lexicon/arabic-names.txt > $@.tmp
	mv $@.tmp $@
GEN_SRC += build/gen/arabic_names.c

# ---- objects per variant ----
$(R)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(RELEASE_CFLAGS) -MMD -MP -c -o $@ $<
$(A)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) -MMD -MP -c -o $@ $<

LIB_OBJ_R := $(patsubst %.c,$(R)/%.o,$(LIB_SRC) $(GEN_SRC))
LIB_OBJ_A := $(patsubst %.c,$(A)/%.o,$(LIB_SRC) $(GEN_SRC))
CLI_OBJ_R := $(patsubst %.c,$(R)/%.o,$(CLI_SRC))
CLI_OBJ_A := $(patsubst %.c,$(A)/%.o,$(CLI_SRC))

build/librasd.a: $(LIB_OBJ_R)
	rm -f $@ && ar rcs $@ $^
$(A)/librasd.a: $(LIB_OBJ_A)
	rm -f $@ && ar rcs $@ $^
build/rasd: $(CLI_OBJ_R) $(LIB_OBJ_R)
	$(CC) -o $@ $(CLI_OBJ_R) $(LIB_OBJ_R) $(DEPLIBS)
$(A)/rasd: $(CLI_OBJ_A) $(LIB_OBJ_A)
	$(CC) -fsanitize=address,undefined -o $@ $(CLI_OBJ_A) $(LIB_OBJ_A) $(DEPLIBS)

# ---- tests ----
TEST_SRC := $(wildcard tests/unit/*.c)
TEST_OBJ_A := $(patsubst %.c,$(A)/%.o,$(TEST_SRC))
$(A)/rasd-test: $(TEST_OBJ_A) $(LIB_OBJ_A)
	$(CC) -fsanitize=address,undefined -o $@ $(TEST_OBJ_A) $(LIB_OBJ_A) $(DEPLIBS)

test: deps-check $(A)/rasd-test $(A)/rasd build/rasd
	@sh tests/run.sh $(A)

deps-check:
	@sh scripts/deps.sh --check || sh scripts/deps.sh

# ---- run: the main job on the bundled seed articles ----
RUN_DB ?= build/seeds.db
run: deps-check build/rasd
	@sh scripts/demo.sh $(RUN_DB)

# ---- benchmarks ----
BENCH_CORPUS ?= ../shared/corpora/saudinewsnet
build/bench-text: bench/bench_text.c build/librasd.a
	$(CC) $(RELEASE_CFLAGS) -O3 -o $@ $< build/librasd.a $(DEPLIBS)
bench: deps-check build/bench-text build/rasd build/bench-ner
	@sh bench/run.sh $(BENCH_CORPUS)
	@sh bench/ingest.sh $(BENCH_CORPUS)
	build/bench-ner $(NER_DATA)

# ---- near-copy detection against exact Jaccard (first 5,000 SaudiNewsNet articles) ----
build/eval-nearcopy: tools/eval_nearcopy.c build/librasd.a
	$(CC) $(RELEASE_CFLAGS) -o $@ $< build/librasd.a $(DEPLIBS)
.PHONY: eval-nearcopy
eval-nearcopy: build/eval-nearcopy
	@sh bench/extract_days.sh $(BENCH_CORPUS) build/bench/snn-days
	build/eval-nearcopy -n 5000 -t 0.6 build/bench/snn-days/*.json
eval: eval-nearcopy

# ---- fuzzing (clang libFuzzer) ----
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS := $(CSTD) -g -O1 -fsanitize=fuzzer,address,undefined $(INC) $(DEPCFLAGS)
build/fuzz/%: tests/fuzz/%.c $(LIB_SRC) $(GEN_SRC)
	@mkdir -p build/fuzz
	clang $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRC) $(GEN_SRC) $(DEPLIBS)
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/*.c))
fuzz: $(FUZZ_TARGETS)
	@for t in $(FUZZ_TARGETS); do \
	  name=$$(basename $$t); mkdir -p build/fuzz/corpus-$$name; \
	  echo "== fuzzing $$name for $(FUZZ_SECONDS)s"; \
	  $$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
	      build/fuzz/corpus-$$name tests/fuzz/seeds || exit 1; done

# ---- install ----
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include
	install -m 755 build/rasd $(DESTDIR)$(PREFIX)/bin/rasd
	install -m 644 build/librasd.a $(DESTDIR)$(PREFIX)/lib/librasd.a
	install -m 644 include/rasd.h $(DESTDIR)$(PREFIX)/include/rasd.h

clean:
	rm -rf build

# ---- NER: training, evaluation, speed ----
NER_DATA ?= ../shared/data/ner/anercorp-clean.train.txt
build/train-ner: tools/train_ner.c build/librasd.a
	$(CC) $(RELEASE_CFLAGS) -o $@ $< build/librasd.a $(DEPLIBS)
build/eval-ner: tools/eval_ner.c build/librasd.a
	$(CC) $(RELEASE_CFLAGS) -o $@ $< build/librasd.a $(DEPLIBS)
build/bench-ner: bench/bench_ner.c build/librasd.a
	$(CC) $(RELEASE_CFLAGS) -O3 -o $@ $< build/librasd.a $(DEPLIBS)
.PHONY: model bench-ner
model: build/train-ner
	build/train-ner --split train -o models/ner.bin $(NER_DATA)
eval: build/eval-ner
	build/eval-ner --split dev $(NER_DATA)
bench-ner: build/bench-ner
	build/bench-ner $(NER_DATA)

# ---- dates: span F1 on the Wojood sample (see tools/eval_dates.c) ----
DATES_DATA ?= ../shared/data/dates/wojood-sample.val.txt
build/eval-dates: tools/eval_dates.c build/librasd.a
	$(CC) $(RELEASE_CFLAGS) -o $@ $< build/librasd.a $(DEPLIBS)
.PHONY: eval-dates
eval-dates: build/eval-dates
	build/eval-dates $(DATES_DATA)
eval: eval-dates

# ---- name keys: precision/recall of "same key" (see tools/eval_names.c) ----
NAMES_DATA ?= ../shared/data/names/arabic-english-names.dev.csv
build/eval-names: tools/eval_names.c build/librasd.a
	$(CC) $(RELEASE_CFLAGS) -o $@ $< build/librasd.a $(DEPLIBS)
.PHONY: eval-names
eval-names: build/eval-names
	build/eval-names $(NAMES_DATA)
eval: eval-names

-include $(shell find build -name '*.d' 2>/dev/null)
