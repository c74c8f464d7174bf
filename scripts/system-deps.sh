#!/usr/bin/env bash
# Installs the Debian packages the service needs (PDF rendering, CJK fonts, PDF tools) when they are
# missing and apt-get is usable; otherwise prints the one command to run and stops.
set -euo pipefail

# Extra packages come as arguments (`make test` adds chromium and chromium-driver for browser tests, nginx-light
# for the check of deploy/nginx/rating.conf).
# fonts-noto-cjk and fonts-hanazono are the notices' fallbacks for characters the shipped fonts lack.
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-hanazono poppler-utils "$@")
# `rating backup` / `rating restore` on PostgreSQL run pg_dump and pg_restore (any installed client will do; Debian's
# postgresql-client matches its server's major version).
if ! command -v pg_dump >/dev/null 2>&1 || ! command -v pg_restore >/dev/null 2>&1; then
  packages+=(postgresql-client)
fi
# A Python without ensurepip (Debian's split python3-venv) cannot create the virtual environment.
python_bin="${PYTHON:-python3}"
if ! "$python_bin" -c "import ensurepip, venv" >/dev/null 2>&1; then
  packages+=(python3-venv)
fi

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$p")
  done
else
  echo "system-deps: not a Debian/Ubuntu system (no dpkg); make sure pango, harfbuzz-subset, a CJK font and poppler-utils are installed." >&2
  exit 0
fi

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "system-deps: missing Debian packages: ${missing[*]}"
if [[ "${RATING_NO_APT:-}" == "1" ]]; then
  echo "system-deps: RATING_NO_APT=1, not installing. Run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo_cmd=(sudo -n)
  else
    echo "" >&2
    echo "Cannot install them without root. Run this once, then run make again:" >&2
    echo "" >&2
    echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    echo "" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: apt-get not found; install: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "system-deps: installed ${missing[*]}"
