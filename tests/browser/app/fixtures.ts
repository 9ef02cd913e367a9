// The field app's UI (ui/app/dist, built by scripts/lib/app.sh) served over loopback,
// with the Tauri shell replaced by fake-shell.js on top of @tauri-apps/api/mocks: the
// page's index.html gets one module script ahead of the app's, so the mocks are in
// place before the app's first `invoke`.
import { test as base, expect, type Page } from '@playwright/test'
import { createServer, type Server } from 'node:http'
import { existsSync, readFileSync } from 'node:fs'
import { extname, join, normalize, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../../..')
export const DIST = join(ROOT, 'ui/app/dist')
const MOCKS = join(ROOT, 'ui/app/node_modules/@tauri-apps/api/mocks.js')
const FAKE = join(import.meta.dirname, 'fake-shell.js')
export const SHOTS = join(ROOT, 'docs/screenshots/app')

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.json': 'application/json',
}

function serve(): Promise<{ server: Server; url: string }> {
  if (!existsSync(join(DIST, 'index.html'))) {
    throw new Error(`${DIST}/index.html is missing: build the UI first (npm run build in ui/app)`)
  }
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    let file: string
    if (path === '/__mocks__/mocks.js') file = MOCKS
    else if (path === '/__mocks__/fake-shell.js') file = FAKE
    else file = join(DIST, normalize(path === '/' ? '/index.html' : path))
    if (!file.startsWith(DIST) && file !== MOCKS && file !== FAKE) {
      res.writeHead(403).end()
      return
    }
    try {
      let body: Buffer | string = readFileSync(file)
      if (file.endsWith('index.html')) {
        body = body.toString().replace('<head>', '<head><script type="module" src="/__mocks__/fake-shell.js"></script>')
      }
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body)
    } catch {
      res.writeHead(404).end()
    }
  })
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address()
      ok({ server, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` })
    }),
  )
}

export interface Seed {
  captures?: number
  failed?: number
  enrolled?: boolean
  lang?: 'hi' | 'en' | null
  kits?: boolean
  /** The newest three synced captures carry verdicts: needs_info, rejected, approved. */
  reviewed?: boolean
}

export const test = base.extend<{ open: (seed: Seed, hash?: string) => Promise<Page> }, { baseUrl: string }>({
  baseUrl: [
    async ({}, use) => {
      const { server, url } = await serve()
      await use(url)
      server.close()
    },
    { scope: 'worker' },
  ],
  open: async ({ page, baseUrl }, use) => {
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await use(async (seed, hash = '') => {
      await page.addInitScript((s) => {
        ;(window as unknown as { __SAAKSHI_SEED__: unknown }).__SAAKSHI_SEED__ = s
      }, seed)
      await page.goto(`${baseUrl}/${hash}`)
      await expect(page.locator('body[data-ready=true]')).toBeAttached()
      return page
    })
    expect(errors, 'uncaught errors in the page').toEqual([])
  },
})

export { expect }

/** Waits until every web font the page uses has loaded (screenshots show real glyphs). */
export async function fontsReady(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await document.fonts.ready
  })
}
