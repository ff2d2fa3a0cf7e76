#!/usr/bin/env bash
# Runs jest with the VM-modules flag: PGlite loads parts of itself with dynamic import(),
# which jest's module sandbox only allows with it.
exec node --experimental-vm-modules --no-warnings=ExperimentalWarning "$(dirname "$0")/../node_modules/jest/bin/jest.js" "$@"
