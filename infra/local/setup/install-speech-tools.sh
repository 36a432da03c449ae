#!/bin/sh
# Installs the offline speech tools the local runtime and `npm run bench -- transcription` can use, from Debian's
# own packages: pocketsphinx with its US English model (a PIPELINE DEMO recogniser, never a clinical transcriber)
# and espeak-ng (synthetic speech for tests and the benchmark). Idempotent: installs only what is missing.
set -eu

PACKAGES="pocketsphinx pocketsphinx-en-us espeak-ng"

missing=""
for package in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $package"
  fi
done

if [ -z "$missing" ]; then
  echo "speech tools already installed:$(printf ' %s' $PACKAGES)"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "apt-get not found: install$missing with your system's package manager" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "run as root (or install sudo) to install:$missing" >&2
    exit 1
  fi
fi

echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086 # word splitting of the package list is intended
$SUDO apt-get install -y -q --no-install-recommends $missing

command -v pocketsphinx_continuous >/dev/null && command -v espeak-ng >/dev/null
echo "speech tools installed; LOCAL_TRANSCRIBER=pocketsphinx npm start uses the offline demo recogniser"
