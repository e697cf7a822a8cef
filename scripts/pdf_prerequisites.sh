#!/usr/bin/env bash
# What `make pdf` needs besides .venv: XeLaTeX with the LaTeX packages of
# Sphinx and Jupyter Book, xeCJK, latexmk, xindy, and the fonts (FreeFont for
# the text, Noto CJK for the Chinese terms).
#
# Usage: scripts/pdf_prerequisites.sh DEBIAN_PACKAGE...
#
# When everything is found (on any system), it says nothing. When something is
# missing and this is Debian or Ubuntu run as root, it installs the Debian
# packages given as arguments with apt-get (the only download; the build
# itself fetches nothing). Otherwise it says what is missing and what to
# install, and fails.
set -euo pipefail

commands=(xelatex latexmk xindy kpsewhich fc-list)
# LaTeX files loaded by Sphinx's LaTeX writer, jupyterBook.cls and our preamble.
latex_files=(
  fontspec.sty polyglossia.sty unicode-math.sty ucharclasses.sty xeCJK.sty ctexhook.sty
  fncychap.sty tabulary.sty capt-of.sty needspace.sty wrapfig.sty framed.sty
  fancyvrb.sty upquote.sty titlesec.sty changepage.sty mathrsfs.sty pgfplots.sty
  latinmodern-math.otf
)
fonts=("FreeSerif" "FreeSans" "FreeMono" "Noto Serif CJK SC" "Noto Sans CJK SC"
       "Noto Sans Mono CJK SC")

missing() {
  local found=()
  for cmd in "${commands[@]}"; do
    command -v "$cmd" >/dev/null 2>&1 || found+=("command $cmd")
  done
  if command -v kpsewhich >/dev/null 2>&1; then
    for file in "${latex_files[@]}"; do
      [ -n "$(kpsewhich "$file" 2>/dev/null)" ] || found+=("LaTeX file $file")
    done
  fi
  if command -v fc-list >/dev/null 2>&1; then
    for font in "${fonts[@]}"; do
      fc-list ":family=$font" family | grep -q . || found+=("font '$font'")
    done
  fi
  printf '%s\n' "${found[@]}"
}

absent="$(missing)"
[ -z "$absent" ] && exit 0

echo ">>> make pdf needs:" >&2
echo "$absent" | sed 's/^/      /' >&2
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo ">>> installing with apt-get: $*"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@"
  absent="$(missing)"
  [ -z "$absent" ] && exit 0
  echo ">>> still missing after apt-get install:" >&2
  echo "$absent" | sed 's/^/      /' >&2
  exit 1
fi
cat >&2 <<EOF
>>> Install them, then run make pdf again. On Debian or Ubuntu:
      sudo apt-get install --no-install-recommends $*
    Elsewhere: a TeX distribution with XeLaTeX, latexmk, xindy and xeCJK
    (TeX Live or MacTeX, with its CJK collection), the GNU FreeFont fonts
    (FreeSerif, FreeSans, FreeMono) and Noto CJK SC (Serif, Sans, Sans Mono).
EOF
exit 1
