# scripts/lib/python.sh — root commands and pinned Python venvs for the test scripts (sourced, not run).
# Used by scripts/fuzz-api, scripts/web-tests, scripts/two-instances and reliability/run.
#
#   source scripts/lib/python.sh
#   bx_as_root CMD...                  # CMD as root: directly when root, else with `sudo -n`; fails otherwise
#   bx_venv VENV REQUIREMENTS MODULE   # VENV with the pins of REQUIREMENTS, (re)made only when MODULE does not
#                                      # import or the pins changed; fails (and removes VENV) when pip fails

bx_as_root() {
    if [[ $(id -u) == 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -n "$@"
    else
        return 1
    fi
}

bx_venv() {
    local venv=$1 requirements=$2 module=$3
    if cmp -s "$requirements" "$venv/requirements.txt" 2>/dev/null && "$venv/bin/python" -c "import $module" 2>/dev/null; then
        return 0
    fi
    printf 'installing %s into %s\n' "$requirements" "$venv" >&2
    rm -rf "$venv"
    if ! python3 -m venv "$venv" 2>/dev/null; then
        # Debian's python3 needs python3-venv for `-m venv` (ensurepip).
        rm -rf "$venv"
        { bx_as_root apt-get update -qq &&
            bx_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; } || true
        python3 -m venv "$venv" || { printf 'ERROR: python3 -m venv %s failed\n' "$venv" >&2; return 1; }
    fi
    if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$requirements"; then
        printf 'ERROR: pip install -r %s failed\n' "$requirements" >&2
        rm -rf "$venv"
        return 1
    fi
    cp "$requirements" "$venv/requirements.txt"
}
