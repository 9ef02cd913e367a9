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
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toLocaleDateString('en-CA')
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
