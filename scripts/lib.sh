# Shared settings for the scripts in this folder (sourced, not run).
#
# Everything this project installs or builds outside the clone lives under one
# cache directory, so a fresh clone on a warm machine reuses it:
#   SESSION_ACCOUNT_CACHE       default: ${XDG_CACHE_HOME:-~/.cache}/session-account
#   SESSION_ACCOUNT_CAIRO_HOME  default: $SESSION_ACCOUNT_CACHE/cairo-2.1.0
#   CARGO_TARGET_DIR            default: $SESSION_ACCOUNT_CACHE/target

set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SESSION_ACCOUNT_CACHE="${SESSION_ACCOUNT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/session-account}"
export SESSION_ACCOUNT_CAIRO_HOME="${SESSION_ACCOUNT_CAIRO_HOME:-$SESSION_ACCOUNT_CACHE/cairo-2.1.0}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$SESSION_ACCOUNT_CACHE/target}"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
