// Where the real binaries and the built dashboard are. CI points the env vars at its
// own target dir; the defaults follow CARGO_TARGET_DIR like cargo does.
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..')
const target = process.env.CARGO_TARGET_DIR ?? path.join(REPO, 'target')

export const SERVER_BIN = process.env.SAAKSHI_SERVER_BIN ?? path.join(target, 'debug', 'saakshi-server')
export const CLI_BIN = process.env.SAAKSHI_CLI_BIN ?? path.join(target, 'debug', 'saakshi')
export const SAMPLES_BIN = process.env.SAAKSHI_SAMPLES_BIN ?? path.join(target, 'debug', 'saakshi-samples')
export const DASHBOARD_DIST = path.join(REPO, 'ui', 'dashboard', 'dist')
export const SCREENSHOTS = path.join(REPO, 'docs', 'screenshots', 'dashboard')
