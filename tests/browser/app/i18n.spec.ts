// Every visible string exists in Hindi and in English: the two dictionaries have the
// same keys, none empty, and every key the code asks for is in them.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { expect, test } from '@playwright/test'
import { missingKeys } from '../../../ui/lib/i18n'

const SRC = resolve(import.meta.dirname, '../../../ui/app/src')
const en = JSON.parse(readFileSync(join(SRC, 'i18n/en.json'), 'utf8')) as Record<string, string>
const hi = JSON.parse(readFileSync(join(SRC, 'i18n/hi.json'), 'utf8')) as Record<string, string>

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : []
  })
}

test('hi and en have the same keys, none empty', () => {
  expect(missingKeys({ hi, en })).toEqual({ hi: [], en: [] })
})

test('the check finds a key one side lacks', () => {
  // The guard above must be able to fail.
  expect(missingKeys({ hi: { a: 'क', b: ' ' }, en: { a: 'a', b: 'b', c: 'c' } })).toEqual({ hi: ['b', 'c'], en: [] })
})

test('every key the code uses is in both dictionaries', () => {
  const used = new Set<string>()
  // Literal keys: tx('k'), setT(el, 'k'), setAttrT(el, 'attr', 'k'), t('k'), kind: 'k'.
  const patterns = [/\btx\('([^'$]+)'/g, /\bsetT\([^,]+, '([^'$]+)'/g, /\bsetAttrT\([^,]+, '[^']+', '([^'$]+)'/g, /\bi18n\.t\('([^'$]+)'/g]
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8')
    for (const re of patterns) for (const m of text.matchAll(re)) used.add(m[1])
    // Error kinds the UI raises itself.
    for (const m of text.matchAll(/kind: '([a-z_]+)'/g)) used.add(`error.${m[1]}`)
    for (const m of text.matchAll(/kind: 'invalid', field: '([a-z_]+)'/g)) used.add(`error.invalid.${m[1]}`)
  }
  // Keys built from a family and a value.
  const families: Record<string, string[]> = {
    state: ['captured', 'registered', 'previewed', 'uploaded', 'synced', 'failed'],
    kind: ['photo', 'video', 'audio', 'note'],
    source: ['gps', 'network', 'exif', 'manual'],
    nav: ['capture', 'queue', 'kits', 'settings', 'enroll', 'item'],
    // Built from a verdict, a device problem or a speed (verdict.ts, recorder.ts, settings.ts).
    verdict: ['approved', 'rejected', 'needs_info'],
    verdict_short: ['approved', 'rejected', 'needs_info'],
    error: ['no_camera', 'no_microphone', 'camera_denied', 'camera_busy', 'microphone_denied', 'microphone_busy'],
    settings: ['speed_slowest', 'speed_gentle', 'speed_moderate', 'speed_custom'],
    'queue.answer': ['waiting', 'sent'],
    'item.answer': ['waiting', 'sent'],
    sync: ['not_enrolled', 'revoked'],
    'capture.fix': ['denied', 'unavailable', 'timeout'],
    'capture': ['photo', 'video', 'audio'],
    unit: ['B', 'KB', 'MB', 'GB', 'TB'],
  }
  for (const [family, values] of Object.entries(families)) {
    for (const v of values) used.add(family === 'capture.fix' || family.endsWith('.answer') ? `${family}_${v}` : `${family}.${v}`)
  }
  expect(used.size).toBeGreaterThan(100)
  const missing = [...used].filter((k) => !(k in en) || !(k in hi)).sort()
  expect(missing).toEqual([])
})
