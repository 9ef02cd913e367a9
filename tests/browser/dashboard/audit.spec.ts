// The audit log records sign-ins, reviews and admin actions, and its filters narrow it.
import { expect, test } from './fixtures'

test('the audit log lists sign-ins, reviews, imports and media views, filterable by action and actor', async ({ signIn, world }) => {
  const page = await signIn('admin')
  // Looking at a photo is recorded too.
  const photo = world.captures['vn-line']
  await page.goto(world.ui + `/#/capture/${photo.id}`)
  await expect.poll(() => page.locator('section.media img.viewer').evaluate((i: HTMLImageElement) => i.naturalWidth)).toBeGreaterThan(0)
  await page.getByRole('link', { name: 'Audit log' }).click()
  await expect(page.locator('tbody tr[data-action]').first()).toBeVisible()

  for (const action of ['login', 'review', 'areas_import', 'media_view']) {
    await page.getByLabel('Action', { exact: true }).selectOption(action)
    await page.getByRole('button', { name: 'Apply' }).click()
    await expect(page).toHaveURL(new RegExp(`action=${action}`))
    const rows = page.locator('tbody tr[data-action]')
    await expect(rows.first()).toBeVisible()
    expect(await page.locator(`tbody tr[data-action]:not([data-action="${action}"])`).count()).toBe(0)
  }
  // The seed's reviews were given by the Lucknow coordinator.
  await page.getByLabel('Action', { exact: true }).selectOption('review')
  await page.getByLabel('Who', { exact: true }).fill('coord-lko')
  await page.getByRole('button', { name: 'Apply' }).click()
  await expect(page.locator('tbody tr[data-action=review]').first()).toContainText('coord-lko')
  const actors = await page.locator('tbody tr[data-action] td:nth-child(2)').allTextContents()
  expect(actors.length).toBeGreaterThan(0)
  expect(new Set(actors)).toEqual(new Set(['coord-lko']))

  // A time range: from tomorrow on, nothing has happened yet; up to today, it has.
  // Dates are typed day/month/year (en-GB writes them so), in the browser's zone.
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toLocaleDateString('en-GB')
  await page.getByRole('button', { name: 'Clear' }).click()
  await expect(page).toHaveURL(/#\/audit$/)
  // The form is drawn anew (the old one had an action chosen).
  await expect(page.getByLabel('Action', { exact: true })).toHaveValue('')
  await page.getByLabel('From', { exact: true }).fill(day(1))
  await page.getByRole('button', { name: 'Apply' }).click()
  await expect(page.locator('tbody .empty')).toHaveText('Nothing recorded for these filters.')
  await page.getByLabel('From', { exact: true }).fill(day(-1))
  await page.getByLabel('To', { exact: true }).fill(day(0))
  await page.getByRole('button', { name: 'Apply' }).click()
  await expect(page.locator('tbody tr[data-action]').first()).toBeVisible()
})

// Every entry reads as words in the page's language: no code such as `needs_info`, no
// JSON of export filters, no English detail in the Hindi page.
test('the audit log says what happened in words, in both languages', async ({ signIn, world }) => {
  // One of each kind of detail: a verdict asking for information (the note the needs-info
  // spec also gives this capture), a filtered export, an invite.
  const c = world.captures['am-poster']
  await world.coord.LKO.post(`/api/v1/review/captures/${c.id}/review`, { verdict: 'needs_info', note: 'Which ward is this? कौन सा वार्ड?' })
  expect(await world.coord.LKO.status('GET', '/api/v1/review/export.csv?kind=photo&area=LKO-B2')).toBe(200)
  for (const lang of ['en', 'hi'] as const) {
    const page = await signIn('admin', lang)
    await page.goto(world.ui + '/#/audit')
    await expect(page.locator('tbody tr[data-action=export]').first()).toBeVisible()
    const text = await page.locator('main table').innerText()
    expect(text).not.toMatch(/needs_info|kit_publish|[{}]|"\w+":/)
    const asked = page.locator('tbody tr[data-action=review]', { hasText: 'Which ward' }).first()
    const exported = page.locator('tbody tr[data-action=export]').first()
    const invited = page.locator('tbody tr[data-action=invite_create]').first()
    if (lang === 'en') {
      await expect(asked).toContainText('Needs info “Which ward is this? कौन सा वार्ड?”')
      await expect(asked.locator('a')).toHaveText(`capture …${c.id.slice(-8)}`)
      await expect(exported).toContainText('CSV file')
      await expect(exported).toContainText('filtered by Area: LKO-B2 · Kind: Photo')
      await expect(invited).toContainText('for 1 device, valid 7 days')
    } else {
      await expect(asked).toContainText('जानकारी चाहिए “Which ward is this? कौन सा वार्ड?”')
      await expect(asked).toContainText('समीक्षा की')
      await expect(exported).toContainText('CSV फ़ाइल')
      await expect(exported).toContainText('फ़िल्टर: क्षेत्र: LKO-B2 · प्रकार: फ़ोटो')
      await expect(invited).toContainText('1 डिवाइस के लिए, 7 दिन तक मान्य')
      expect(text).not.toMatch(/\b(uses|days|items to|from)\b/)
    }
  }
})
