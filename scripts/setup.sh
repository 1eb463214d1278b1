#!/usr/bin/env bash
# Installs every Debian 12 package atiende needs to build, test and run. Idempotent: it installs only
# what is missing, so re-running it is cheap. Run as root (or with sudo available).
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config git ca-certificates curl
  # libraries (see ../shared/docs/DEBIAN_DEPS.md)
  nlohmann-json3-dev libboost1.74-dev libssl-dev libsqlite3-dev sqlite3 libstemmer-dev libre2-dev
  libphonenumber-dev libutf8proc-dev libicu-dev libspdlog-dev libcli11-dev libtomlplusplus-dev
  libpoppler-cpp-dev libgumbo-dev libhnswlib-dev libpq-dev postgresql-15
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev python3 python3-xapian fasttext
  # thesauri for synonym-aware retrieval
  mythes-es mythes-en-us
  # web UI tests (real Chromium driven by playwright-core)
  chromium
  # fixtures: PDF generation for ingest tests
  enscript ghostscript
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
APT=(${SUDO} env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 -y -q)

missing=()
installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${PACKAGES[@]}" 2>/dev/null | awk '/install ok installed/ {print $1}' || true)
for package in "${PACKAGES[@]}"; do
  if ! grep -qx "$package" <<<"$installed"; then missing+=("$package"); fi
done
# Node.js: a machine may already have a newer Node (e.g. NodeSource, whose nodejs conflicts with
# Debian's npm); install Debian's only when node or npm is absent.
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${#missing[@]} package(s): ${missing[*]}"
  "${APT[@]}" update
  "${APT[@]}" install --no-install-recommends "${missing[@]}"
else
  echo "setup: all Debian packages present"
fi

# playwright-core for the Chromium tests (no browser download: it drives Debian's chromium).
if [ -f tests/web/package.json ]; then
  if [ ! -d tests/web/node_modules/playwright-core ]; then
    echo "setup: npm install in tests/web"
    (cd tests/web && npm install --no-audit --no-fund --silent)
  fi
fi
