#!/usr/bin/env bash
# LibreOffice Writer (headless) and poppler's pdftoppm/pdftotext, for the test that renders the
# evaluation report (.docx, a 公文) to PDF and looks at its pages. Debian's packages only; the
# platform itself never needs them.
set -uo pipefail
if command -v soffice >/dev/null && command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null; then exit 0; fi
if ! command -v apt-get >/dev/null; then echo "no apt-get: install LibreOffice Writer and poppler-utils by hand" >&2; exit 1; fi
echo "installing libreoffice-writer-nogui and poppler-utils from Debian's packages for the report test…" >&2
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo -n"; fi
{ $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libreoffice-writer-nogui poppler-utils; } >&2 \
  || { echo "could not install libreoffice-writer-nogui/poppler-utils" >&2; exit 1; }
