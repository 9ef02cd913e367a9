// Browser tests in Debian's chromium (never a downloaded browser). Each project starts
// what it needs itself (a static UI server, or a real saakshi-server) in its fixtures.
// Screenshots are kept as test output in screenshots/; the README shows them.
import { defineConfig } from '@playwright/test'

export default defineConfig({
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    launchOptions: {
      executablePath: process.env.SAAKSHI_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    trace: 'off',
  },
  projects: [
    { name: 'app', testDir: 'app' },
    { name: 'dashboard', testDir: 'dashboard' },
  ],
})
