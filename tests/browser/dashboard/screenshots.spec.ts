// Screenshots for the README, made from the seeded world: 1280×800 in both languages,
// and the feed and a capture on a 360-px phone. They land in docs/screenshots/dashboard.
import fs from 'node:fs'
import path from 'node:path'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { expectPoints } from './support/map'
import { SCREENSHOTS } from './support/paths'

fs.mkdirSync(SCREENSHOTS, { recursive: true })

async function shot(page: Page, name: string, fullPage = false) {
  await page.evaluate(() => document.fonts.ready)
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage })
}

for (const lang of ['en', 'hi'] as const) {
  test(`screenshots at 1280×800 (${lang})`, async ({ page, signIn, world }) => {
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.addInitScript((l) => localStorage.setItem('saakshi.dashboard.lang', l), lang)
    await page.goto(world.ui + '/')
    await expect(page.locator('form.login')).toBeVisible()
    await shot(page, `login-${lang}`)
    // A published kit for the kits screen (once per world; this spec may run alone).
    const kits = await world.coord.LKO.get('/api/v1/kits')
    if (!kits.some((k: { title_en: string }) => k.title_en === 'Morning at the booths')) {
      await world.coord.LKO.post('/api/v1/kits', {
        title_en: 'Morning at the booths', title_hi: 'बूथों पर सुबह',
        caption_en: 'Queues from first light. Share widely.', caption_hi: 'सुबह से ही कतारें। सबको भेजें।',
        capture_ids: [world.captures['hz-queue'].id], area_codes: ['LKO'],
      })
    }
    await signIn('coord-lko', lang)
    await expect(page.locator('.capture-card img.thumb').first()).toBeVisible()
    await page.waitForLoadState('networkidle')
    await shot(page, `feed-${lang}`)
    await page.goto(world.ui + '/#/map')
    await expect(page.locator('.count')).toHaveAttribute('data-total', /\d+/)
    await expectPoints(page, Number(await page.locator('.count').getAttribute('data-total')))
    await shot(page, `map-${lang}`)
    await page.goto(world.ui + `/#/capture/${world.captures['hz-banner'].id}`)
    await expect(page.locator('section.media img.viewer')).toBeVisible()
    await expect(page.locator('.map.small path.accuracy')).toHaveCount(1)
    await page.waitForLoadState('networkidle')
    await shot(page, `capture-${lang}`, true)
    await page.goto(world.ui + '/#/kits')
    await expect(page.locator('.pick-captures')).not.toContainText(lang === 'en' ? 'Loading' : 'लोड')
    await shot(page, `kits-${lang}`)
    await page.goto(world.ui + '/#/admin/invites')
    // The areas arrive after the page: a required, still empty select would stop the form.
    await expect(page.locator('select[name=area_code]')).not.toHaveValue('')
    await page.locator('form.card button[type=submit]').click()
    await expect(page.locator('.print-card canvas.qr')).toBeVisible()
    await shot(page, `invite-${lang}`, true)
    await page.goto(world.ui + '/#/admin/devices')
    await expect(page.locator('tbody tr[data-device]').first()).toBeVisible()
    await shot(page, `devices-${lang}`)
  })
}

test('screenshots on a 360-px phone', async ({ page, signIn, world }) => {
  await page.setViewportSize({ width: 360, height: 740 })
  await signIn('coord-lko', 'hi')
  await expect(page.locator('.capture-card img.thumb').first()).toBeVisible()
  // Nothing wider than the phone: no sideways scrolling.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
  await shot(page, 'feed-phone-hi')
  await page.goto(world.ui + `/#/capture/${world.captures['hz-rally'].id}`)
  await expect(page.locator('section.media img.viewer')).toBeVisible()
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
  await shot(page, 'capture-phone-hi')
  // English words are longer than Hindi ones here: the capture page again, in English.
  await signIn('coord-lko', 'en')
  await page.goto(world.ui + `/#/capture/${world.captures['hz-banner'].id}`)
  await expect(page.locator('section.media img.viewer')).toBeVisible()
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
  await shot(page, 'capture-phone-en', true)
})
