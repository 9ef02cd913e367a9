// Hindi and English are both complete: no key missing on either side, every key the
// code asks for exists, and no screen shows a raw key; Devanagari is drawn with the
// bundled Noto Sans Devanagari, not whatever the machine has.
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
// ui/lib has no package.json, so Node takes its files for CommonJS; an ESM import of it
// fails, a require (which Playwright transpiles to CommonJS) works.
const { missingKeys } = createRequire(import.meta.url)('../../../ui/lib/i18n.ts') as typeof import('../../../ui/lib/i18n')
import { expect, test } from './fixtures'
import { REPO } from './support/paths'

const dir = path.join(REPO, 'ui', 'dashboard', 'src')
const dicts = {
  en: JSON.parse(fs.readFileSync(path.join(dir, 'i18n', 'en.json'), 'utf8')) as Record<string, string>,
  hi: JSON.parse(fs.readFileSync(path.join(dir, 'i18n', 'hi.json'), 'utf8')) as Record<string, string>,
}

function sources(d: string): string[] {
  return fs.readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(d, e.name)) : e.name.endsWith('.ts') ? [path.join(d, e.name)] : [])
}

test('both dictionaries have every key', () => {
  expect(missingKeys(dicts)).toEqual({ hi: [], en: [] })
})

test('every key the code uses is defined, including the families built at run time', () => {
  const used = new Set<string>()
  for (const f of sources(dir)) {
    for (const m of fs.readFileSync(f, 'utf8').matchAll(/\b(tn?)\(\s*'([a-z0-9_.]+)'/g)) {
      // tn('key', n) reads key.one or key.other, by the language's plural rules.
      if (m[1] === 'tn') for (const form of ['one', 'other']) used.add(`${m[2]}.${form}`)
      else used.add(m[2])
    }
  }
  const families: Record<string, string[]> = {
    kind: ['photo', 'video', 'audio', 'note'],
    review: ['pending', 'approved', 'rejected', 'needs_info'],
    role: ['admin', 'coordinator'],
    source: ['gps', 'network', 'exif', 'manual'],
    provenance: ['verified', 'unsigned', 'invalid'],
    level: ['state', 'region', 'district', 'lok_sabha', 'vidhan_sabha', 'mandal', 'booth'],
    export: ['csv', 'geojson', 'zip'],
    'audit.action': ['login', 'login_failed', 'logout', 'password_change', 'review', 'export', 'media_view', 'kit_publish', 'invite_create', 'user_create', 'device_revoke', 'areas_import'],
    error: ['network', 'unauthorized', 'forbidden', 'not_found', 'invalid_input', 'rate_limited', 'internal', 'unknown'],
  }
  for (const [prefix, names] of Object.entries(families)) for (const n of names) used.add(`${prefix}.${n}`)
  expect(used.size).toBeGreaterThan(150)
  const undefinedKeys = [...used].filter((k) => !(k in dicts.en) || !(k in dicts.hi)).sort()
  expect(undefinedKeys).toEqual([])
})

test('in Hindi no screen shows a raw key, and Devanagari uses the bundled font', async ({ signIn, world }) => {
  const page = await signIn('admin', 'hi')
  const keys = new Set(Object.keys(dicts.en))
  const screens = ['feed', 'map', `capture/${world.captures['hz-rally'].id}`, 'kits', 'admin/areas', 'admin/users', 'admin/invites', 'admin/devices', 'audit', 'account']
  for (const s of screens) {
    await page.goto(world.ui + '/#/' + s)
    await expect(page.locator('main h1')).toBeVisible()
    await page.waitForLoadState('networkidle')
    const words: string[] = await page.locator('body').evaluate((b) => (b as HTMLElement).innerText.split(/\s+/))
    const raw = words.filter((w) => keys.has(w.replace(/[.,:;()]+$/, '')))
    expect(raw, `raw keys on #/${s}`).toEqual([])
    await expect(page.locator('main h1')).toHaveText(/[\u0900-\u097F]/)
  }
  await page.evaluate(() => document.fonts.ready)
  const font = await page.evaluate(async () => {
    await document.fonts.load('16px "Noto Sans Devanagari"', 'साक्षी')
    return [...document.fonts].filter((f) => f.family.includes('Noto Sans Devanagari') && f.status === 'loaded').length
  })
  expect(font).toBeGreaterThan(0)
  // The file came from this server's /assets/, not from the system or a CDN.
  const fontUrls = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /noto-sans-devanagari.*\.woff2?$/.test(n)))
  expect(fontUrls.length).toBeGreaterThan(0)
  for (const u of fontUrls) expect(u.startsWith(world.ui + '/assets/')).toBe(true)
})
