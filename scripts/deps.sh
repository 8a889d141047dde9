#!/usr/bin/env bash
# Installs what optile needs on Debian 12: the Debian packages listed in
# scripts/deps-debian.txt and, in a virtual environment under build/venv,
# the Python register-map generators pinned in scripts/requirements.txt.
# Does nothing when everything is present. Not root: prints the command.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
venv=${OPTILE_VENV:-$top/build/venv}

mapfile -t pkgs < <(grep -v '^\s*#' "$here/deps-debian.txt" | awk 'NF {print $1}')
missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "deps: missing Debian packages: ${missing[*]}" >&2
    echo "deps: run as root:  $cmd" >&2
    exit 1
  fi
  echo "deps: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Python generators: always Debian's python3 (python3-venv is in the list),
# so a different python3 first on PATH does not matter.
req="$here/requirements.txt"
stamp="$venv/.optile-requirements"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$req" "$stamp"; then
  echo "deps: creating Python environment $venv"
  rm -rf "$venv"
  /usr/bin/python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$req"
  cp "$req" "$stamp"
fi
