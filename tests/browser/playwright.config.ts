// Browser tests in Debian's chromium (never a downloaded browser). Each project starts
// what it needs itself (a static UI server, or a real saakshi-server) in its fixtures.
// Screenshots are kept as test output in screenshots/; the README shows them.
import { defineConfig } from '@playwright/test'

import { CHROMIUM, CHROMIUM_ARGS } from './chromium'

export default defineConfig({
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    launchOptions: {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    },
    trace: 'off',
  },
  projects: [
    { name: 'app', testDir: 'app' },
    { name: 'dashboard', testDir: 'dashboard' },
  ],
})
