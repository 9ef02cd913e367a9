// Media under its sandboxing policy still shows, in the dashboard and opened on its own,
// and the dashboard's page keeps to its own policy (the fixture fails on any violation).
import { expect, test } from './fixtures'

test('a photo shows in the capture view and opened directly, under the media policy', async ({ signIn, world }) => {
  const page = await signIn('admin')
  const photo = world.captures['hz-queue']
  await page.goto(world.ui + `/#/capture/${photo.id}`)
  await expect.poll(() => page.locator('section.media img.viewer').evaluate((i: HTMLImageElement) => i.naturalWidth)).toBeGreaterThan(0)

  const resp = await page.goto(world.ui + `/api/v1/media/${photo.sha256}`)
  const headers = resp!.headers()
  expect(headers['content-type']).toBe('image/jpeg')
  expect(headers['x-content-type-options']).toBe('nosniff')
  expect(headers['content-security-policy']).toContain('sandbox')
  await expect.poll(() => page.locator('img').first().evaluate((i: HTMLImageElement) => i.naturalWidth)).toBeGreaterThan(0)
})

test('audio plays from the server under the dashboard policy', async ({ signIn, world }) => {
  const page = await signIn('admin')
  const clip = world.captures['hz-speech']
  await page.goto(world.ui + `/#/capture/${clip.id}`)
  // HAVE_METADATA or more: the browser fetched and decoded the clip's header.
  await expect.poll(() => page.locator('section.media audio').evaluate((a: HTMLAudioElement) => a.readyState)).toBeGreaterThanOrEqual(1)
})
