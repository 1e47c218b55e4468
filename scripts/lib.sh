# Shared settings for the scripts in this folder (sourced, not run).
#
# Everything this project builds outside the clone lives under one cache
# directory, so a fresh clone on a warm machine reuses it:
#   SESSION_ACCOUNT_CACHE  default: ${XDG_CACHE_HOME:-~/.cache}/session-account
#   CARGO_TARGET_DIR       default: $SESSION_ACCOUNT_CACHE/target
#
# The Cairo toolchain (scarb, snforge) is optional for the Rust side, which
# embeds the committed classes (harness/sdk/classes, harness/testkit/classes);
# the versions are pinned in .tool-versions (starkup / asdf install them).

set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SESSION_ACCOUNT_CACHE="${SESSION_ACCOUNT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/session-account}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$SESSION_ACCOUNT_CACHE/target}"

# The classes scarb builds (target/release/<package>_<Contract>...), and the
# crate that embeds each (<crate>/classes/<Contract>.contract_class.json): the
# account in the SDK, the token and router its tests deploy next to it in the
# test kit.
BUILT_CLASSES_DIR="$REPO_ROOT/target/release"
CLASSES=(
  session_account:SessionAccount:harness/sdk
  session_account_testing:TestToken:harness/testkit
  session_account_testing:TestRouter:harness/testkit
  session_account_testing:ViewBatch:harness/testkit
  session_account_testing:HookedToken:harness/testkit
)

class_package() { local c="${1%:*}"; printf '%s' "${c%%:*}"; }
class_name() { local c="${1%:*}"; printf '%s' "${c#*:}"; }
class_crate() { printf '%s' "${1##*:}"; }
built_class() { printf '%s/%s_%s.contract_class.json' "$BUILT_CLASSES_DIR" "$(class_package "$1")" "$(class_name "$1")"; }
committed_class() { printf '%s/%s/classes/%s.contract_class.json' "$REPO_ROOT" "$(class_crate "$1")" "$(class_name "$1")"; }

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf '\n!!! %s\n\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The version .tool-versions pins for `tool`.
pinned_version() { awk -v tool="$1" '$1 == tool { print $2 }' "$REPO_ROOT/.tool-versions"; }

# Whether scarb and snforge are installed; warns when their versions differ
# from .tool-versions (the committed class is checked against scarb's build,
# so another scarb may well disagree).
have_cairo_toolchain() {
  command -v scarb >/dev/null 2>&1 && command -v snforge >/dev/null 2>&1 || return 1
  local scarb_version snforge_version
  scarb_version="$(scarb --version | awk 'NR == 1 { print $2 }')"
  snforge_version="$(snforge --version | awk '{ print $2 }')"
  [[ "$scarb_version" == "$(pinned_version scarb)" ]] \
    || warn "scarb $scarb_version found, .tool-versions pins $(pinned_version scarb)"
  [[ "$snforge_version" == "$(pinned_version starknet-foundry)" ]] \
    || warn "snforge $snforge_version found, .tool-versions pins starknet-foundry $(pinned_version starknet-foundry)"
  return 0
}

# Builds the classes with scarb (release profile, as committed).
build_classes() {
  (cd "$REPO_ROOT" && scarb --release build --target-kinds starknet-contract)
  local class
  for class in "${CLASSES[@]}"; do
    [[ -f "$(built_class "$class")" ]] || die "scarb did not write $(built_class "$class")"
  done
}
