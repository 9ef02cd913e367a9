// Every screen, in Hindi and English, on a 360×640 phone and a 1280×800 laptop: the
// text is in the chosen language (no key shows through), Devanagari comes from the
// bundled font, nothing overflows sideways, and every control has a name a screen
// reader can say. Each combination is kept as a screenshot (docs/screenshots/app/).
import { join } from 'node:path'
import { expect, fontsReady, SHOTS, test, type Seed } from './fixtures'

const SIZES = [
  { name: 'phone', width: 360, height: 640 },
  { name: 'laptop', width: 1280, height: 800 },
] as const
// The fake shell's capture 37 (fake-shell.js makeCapture): with 38 captures seeded and
// reviewed, the newest synced one, a photo a coordinator asked about.
const ASKED = `019a0025-0000-7000-8000-${(37 * 7919).toString(16).padStart(12, '0')}`
const SCREENS: { name: string; hash: string; seed: Seed; ready: string }[] = [
  { name: 'first-run', hash: '', seed: { lang: null, enrolled: false }, ready: '[data-testid=first-hi]' },
  { name: 'capture', hash: '#/capture', seed: { captures: 40 }, ready: '[data-testid=capture-photo]' },
  { name: 'queue', hash: '#/queue', seed: { captures: 10_000, failed: 2, reviewed: true }, ready: '[data-testid=queue-row] img' },
  { name: 'item', hash: `#/item/${ASKED}`, seed: { captures: 38, reviewed: true }, ready: '[data-testid=answer-form]' },
  { name: 'kits', hash: '#/kits', seed: { captures: 3, kits: true }, ready: '[data-testid=kit] img' },
  { name: 'settings', hash: '#/settings', seed: { captures: 40 }, ready: '[data-testid=storage] dd' },
  { name: 'enroll', hash: '#/enroll', seed: { captures: 2, enrolled: false }, ready: '[data-testid=invite]' },
]

for (const size of SIZES) {
  for (const lang of ['hi', 'en'] as const) {
    for (const screen of SCREENS) {
      test(`${screen.name} in ${lang} at ${size.width}x${size.height}`, async ({ page, open }) => {
        const fonts: string[] = []
        page.on('request', (r) => r.url().includes('noto-sans-devanagari') && fonts.push(r.url()))
        await page.setViewportSize({ width: size.width, height: size.height })
        const seed = { ...screen.seed, lang: screen.name === 'first-run' ? null : lang }
        await open(seed, screen.hash)
        if (screen.name === 'first-run') {
          // The first run asks in both languages; the choice decides the rest.
          await expect(page.getByText('अपनी भाषा चुनें')).toBeVisible()
          await expect(page.getByText('Choose your language')).toBeVisible()
        } else {
          await expect(page.locator('html')).toHaveAttribute('lang', lang)
          const tab = { enroll: 'settings', item: 'queue' }[screen.name] ?? screen.name
          await expect(page.getByTestId(`nav-${tab}`)).toBeVisible()
        }
        await expect(page.locator(screen.ready).first()).toBeVisible()
        await fontsReady(page)

        // Translated text never shows its key.
        const raw = await page.$$eval('[data-t]', (els) =>
          els.filter((e) => e.textContent === (e as HTMLElement).dataset.t).map((e) => (e as HTMLElement).dataset.t),
        )
        expect(raw).toEqual([])
        if (lang === 'hi' && screen.name !== 'first-run') {
          await expect(page.locator('nav')).toContainText(/[\u0900-\u097F]/)
        }
        if (lang === 'en' && screen.name !== 'first-run') {
          await expect(page.locator('nav')).not.toContainText(/[\u0900-\u097F]/)
        }

        // Devanagari is drawn with the bundled Noto Sans Devanagari, not a system font.
        expect(fonts.some((u) => u.includes('devanagari-devanagari-400'))).toBe(true)
        const bundled = await page.evaluate(() =>
          [...document.fonts].some((f) => f.family.includes('Noto Sans Devanagari') && f.status === 'loaded' && /U\+0?900/.test(f.unicodeRange)),
        )
        expect(bundled).toBe(true)

        // Usable at this width: no sideways scrolling.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
        expect(overflow).toBeLessThanOrEqual(0)

        // Every visible control has a name for screen readers.
        const unnamed = await page.$$eval('button, input, select, textarea, a[href]', (els) =>
          els
            .filter((e) => (e as HTMLElement).offsetParent !== null && !(e as HTMLInputElement).classList.contains('visually-hidden'))
            .filter((e) => {
              const el = e as HTMLInputElement
              const name =
                el.getAttribute('aria-label') ||
                (el.labels && [...el.labels].map((l) => l.textContent).join('')) ||
                (el.tagName !== 'INPUT' && el.tagName !== 'SELECT' && el.tagName !== 'TEXTAREA' ? el.textContent : '')
              return !name || !name.trim()
            })
            .map((e) => e.outerHTML.slice(0, 80)),
        )
        expect(unnamed).toEqual([])

        // Every preview decoded, so the screenshot does not depend on timing.
        await page.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0))
        await page.screenshot({ path: join(SHOTS, `${screen.name}-${lang}-${size.name}.png`) })
      })
    }
  }
}
