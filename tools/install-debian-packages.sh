#!/usr/bin/env bash
# Installs the native libraries TransferKit loads, on Debian or Ubuntu: libjpeg-turbo (JPEG decoding) and OpenBLAS
# (optional GEMM provider). Works as root (a fresh container has no sudo) and as a user with sudo, and refreshes the
# package lists first (a fresh machine has none, so apt-get install alone fails with "Unable to locate package").
# Extra package names given as arguments are installed too.
set -euo pipefail
if [ "$(id -u)" = 0 ]; then
  as_root() { "$@"; }
elif command -v sudo >/dev/null; then
  as_root() { sudo "$@"; }
else
  echo "install-debian-packages.sh: run it as root, or install sudo: apt-get needs root to install packages." >&2
  exit 1
fi
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
  libturbojpeg0 libopenblas0-pthread "$@" >/dev/null
echo "Installed libturbojpeg0 and libopenblas0-pthread${*:+ and $*}."
