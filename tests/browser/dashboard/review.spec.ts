// Review: the detail screen shows the media, both clocks, the location with its
// accuracy and the provenance; a verdict given there reaches the device at its next
// pull (the real `saakshi sync --once`, then `saakshi show --json`).
import { expect, test } from './fixtures'

/** The verdict as `saakshi show --json` prints it: `review` (`pending` until one is
 * pulled) and `review_note`. */
function verdictOnDevice(shown: Record<string, unknown>): { verdict: unknown; note: unknown } {
  return { verdict: shown.review, note: shown.review_note ?? null }
}

test('approve in the dashboard → the device has the verdict after its next sync', async ({ signIn, world }) => {
  const page = await signIn('coord-lko')
  const c = world.captures['am-padyatra']
  await page.goto(world.ui + `/#/capture/${c.id}`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(c.caption)
  // The photo itself, streamed from the media endpoint, decoded by the browser.
  const img = page.locator('section.media img.viewer')
  await expect(img).toHaveAttribute('src', `/api/v1/media/${c.sha256}`)
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBeGreaterThan(0)
  await expect(page.locator('[data-field="capture.sha256"]')).toHaveText(c.sha256)
  await expect(page.locator('[data-field="capture.accuracy"]')).toHaveText(`± ${c.gps![2]} m`)
  await expect(page.locator('[data-field="capture.device_time"]')).toContainText('UTC+05:30')
  await expect(page.locator('[data-field="capture.server_time"]')).not.toHaveText('—')
  // The CLI reports its clock against the server's on every push.
  await expect(page.locator('[data-field="capture.device_skew"]')).toHaveText(/(in step with|ahead of|behind) the server/)
  // The device signed the capture when it was made; the server checked the signature.
  await expect(page.locator('.provenance [data-verdict]')).toHaveAttribute('data-verdict', 'verified')
  // The small map: the point and its accuracy circle.
  await expect(page.locator('.map.small .point')).toHaveCount(1)
  await expect(page.locator('.map.small path.accuracy')).toHaveCount(1)

  await expect(page.locator('.review-panel [data-review]')).toHaveAttribute('data-review', 'pending')
  await page.getByRole('button', { name: 'Approve' }).click()
  await expect(page.locator('.review-panel [data-review]')).toHaveAttribute('data-review', 'approved')
  await expect(page.locator('.review-panel [role=status]')).toHaveText('Saved. The device sees it at its next sync.')

  const device = world.devices.lko2
  expect(['pending', null]).toContain(verdictOnDevice(await device.show(c.id)).verdict)
  await device.sync()
  expect(verdictOnDevice(await device.show(c.id)).verdict).toBe('approved')
})

test('needs info asks for a note, and the note reaches the device', async ({ signIn, world }) => {
  const page = await signIn('coord-lko', 'hi')
  const c = world.captures['am-poster']
  await page.goto(world.ui + `/#/capture/${c.id}`)
  await page.getByRole('button', { name: 'जानकारी माँगें' }).click()
  // Refused without a note, in Hindi.
  await expect(page.locator('.review-panel [role=status]')).toHaveText('पहले टिप्पणी लिखें: कार्यकर्ता को कारण पता होना चाहिए।')
  await page.getByLabel('कार्यकर्ता के लिए टिप्पणी').fill('Which ward is this? कौन सा वार्ड?')
  await page.getByRole('button', { name: 'जानकारी माँगें' }).click()
  await expect(page.locator('.review-panel [data-review]')).toHaveAttribute('data-review', 'needs_info')
  await expect(page.locator('.review-note')).toHaveText('Which ward is this? कौन सा वार्ड?')

  const device = world.devices.lko2
  await device.sync()
  expect(verdictOnDevice(await device.show(c.id))).toEqual({ verdict: 'needs_info', note: 'Which ward is this? कौन सा वार्ड?' })
})

test('audio plays from the media endpoint (the browser streams it with Range)', async ({ signIn, world }) => {
  const page = await signIn('coord-lko')
  const c = world.captures['hz-speech']
  const ranges: string[] = []
  page.on('request', (r) => r.url().includes(`/api/v1/media/${c.sha256}`) && ranges.push(r.headers()['range'] ?? ''))
  await page.goto(world.ui + `/#/capture/${c.id}`)
  const audio = page.locator('section.media audio')
  await expect(audio).toHaveAttribute('src', `/api/v1/media/${c.sha256}`)
  // The seed's clips are one second long; a decoded duration proves the bytes arrived whole.
  await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.duration)).toBeCloseTo(1, 1)
  expect(ranges.some((r) => r.startsWith('bytes='))).toBe(true)
})
