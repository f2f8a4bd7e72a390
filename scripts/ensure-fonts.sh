#!/usr/bin/env bash
# A Chinese font for the charts in the .docx evaluation reports (Debian's fonts-noto-cjk).
# Optional: without it the reports are still written, with chart labels the font cannot show.
set -uo pipefail
if command -v fc-list >/dev/null && [ -n "$(fc-list :lang=zh 2>/dev/null | head -1)" ]; then exit 0; fi
if ! command -v apt-get >/dev/null; then echo "no Chinese font found; charts in reports will lack labels" >&2; exit 0; fi
echo "installing fonts-noto-cjk from Debian's packages for report charts…" >&2
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo -n"; fi
{ $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq fonts-noto-cjk; } >&2 \
  || echo "could not install fonts-noto-cjk; charts in reports will lack labels" >&2
exit 0
