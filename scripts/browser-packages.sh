#!/usr/bin/env bash
# What the browser tests use: Debian's chromium, a CJK font (Chinese pages and printouts) and poppler (printed pages
# to text and images). Installed with apt-get when one is missing and this user may install packages (root, or sudo
# without a password); otherwise it says what is missing, and those tests skip with the reason.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -i "noto.*cjk" >/dev/null || missing+=(fonts-noto-cjk)  # not -q: fc-list, cut short, fails the pipe
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo="sudo -n"
else
  sudo="cannot"
fi
if ! command -v apt-get >/dev/null || [ "$sudo" = cannot ]; then
  echo "browser tests will skip: ${missing[*]} not installed (apt-get install ${missing[*]}, as root)" >&2
  exit 0
fi
echo "installing ${missing[*]} for the browser tests …" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null
