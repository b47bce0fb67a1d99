#!/bin/sh
# deps.sh — installs the Debian packages rasd needs, only those missing.
#   sh scripts/deps.sh           install what is missing (root: apt-get; else sudo)
#   sh scripts/deps.sh --check   exit 1 (quietly) if anything is missing
# The list follows design.md §6; runtime peers for `make bench` included.
set -eu
PKGS="build-essential pkg-config clang libclang-rt-14-dev valgrind
libutf8proc-dev libstemmer-dev libsqlite3-dev libjansson-dev libxml2-dev libxxhash-dev
libmicrohttpd-dev libarchive-dev hunspell-ar sqlite3 jq unzip time python3-nltk python3-sklearn
libicu-dev"
PKGS="$PKGS libcurl4-openssl-dev libxml2-utils curl"
PKGS="$PKGS curl wrk chromium chromium-driver fonts-noto-core python3-selenium"
PKGS="$PKGS libpq-dev postgresql-15"
PKGS="$PKGS gcovr"
missing=""
for p in $PKGS; do
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$st" in *"install ok installed"*) ;; *) missing="$missing $p" ;; esac
done
if [ "${1:-}" = "--check" ]; then
  [ -z "$missing" ] && exit 0
  exit 1
fi
[ -z "$missing" ] && exit 0
echo "deps: installing:$missing" >&2
if [ "$(id -u)" = 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "deps: not root and no sudo; run as root: apt-get install -y$missing" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || true
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
