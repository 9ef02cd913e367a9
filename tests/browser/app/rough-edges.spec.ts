// What volunteers tripped over on the capture and settings screens: a missing or
// refused camera (said at once, in words, never a raw browser error, and never over a
// later success), a typed location that ages honestly, a caption that does not carry
// over to the next capture, an upload speed in terms of photos rather than KiB/s, and
// Hindi dates day-first on a 24-hour clock.
import { expect, test } from './fixtures'

// Indian time on this machine, so a kit's publication time (on the device's clock) is
// known: 2026-11-21T12:00Z is 17:30.
test.use({ timezoneId: 'Asia/Kolkata' })

type Fake = { calls: string[]; lastCapture?: { req: { caption: string; tags: string[]; event: string | null } }; settings: { bandwidth_kib: number | null } }
type Page = import('@playwright/test').Page
const fake = (page: Page) => page.evaluate(() => (window as unknown as { __fake: Fake }).__fake)
const JPEG = (n: number) => ({ name: `p${n}.jpg`, mimeType: 'image/jpeg', buffer: Buffer.from([0xff, 0xd8, 0xff, 0xe0, n, 2, 3, 4]) })

/** The WebView's camera as a test wants it: which devices exist, and a getUserMedia that
 *  hangs, fails at once with a DOMException name, or waits until the test fails it
 *  (window.__camera.fail(name); window.__camera.asked once the app asked). */
async function camera(page: Page, devices: string[], answer: 'hang' | 'wait' | string) {
  await page.addInitScript(
    ([kinds, how]) => {
      let settle: ((name: string) => void) | null = null
      const cam = { asked: false, fail: (name: string) => settle?.(name) }
      ;(window as unknown as { __camera: unknown }).__camera = cam
      Object.defineProperty(navigator, 'mediaDevices', {
        value: {
          enumerateDevices: async () => kinds.map((kind) => ({ kind, deviceId: kind, groupId: '', label: '' })),
          getUserMedia: () =>
            new Promise((_, reject) => {
              cam.asked = true
              if (how === 'hang') return
              if (how === 'wait') settle = (name) => reject(new DOMException('Camera failed', name))
              else reject(new DOMException('Permission denied', how))
            }),
        },
      })
    },
    [devices, answer] as const,
  )
}

test('with no camera, Photo says so at once in the volunteer\'s words, and a later success clears it', async ({ page, open }) => {
  // getUserMedia would never answer (as a WebView without a camera may hang): the answer
  // must come from knowing there is no camera.
  await camera(page, ['audiooutput'], 'hang')
  await open({ captures: 0, lang: 'hi' }, '#/capture')
  await page.getByTestId('capture-photo').click()
  const alert = page.locator('[role=alert][data-error=no_camera]')
  await expect(alert).toContainText('इस डिवाइस पर कोई कैमरा नहीं मिला')
  // Nothing raw from the browser, in any language.
  await expect(alert.locator('.detail')).toHaveCount(0)
  await expect(page.locator('main')).not.toContainText('Error')
  await page.getByTestId('lang-switch').click()
  await expect(alert).toContainText('No camera was found on this device. Use "Choose file" instead.')
  // The microphone is missing too.
  await page.getByTestId('capture-audio').click()
  await expect(page.locator('[role=alert][data-error=no_microphone]')).toContainText('No microphone was found')
  // A file chosen instead is stored, and the error goes.
  await page.getByTestId('file-input').setInputFiles(JPEG(1))
  await expect(page.getByTestId('capture-status')).toHaveAttribute('data-state', 'stored')
  await expect(page.locator('[role=alert]')).toHaveCount(0)
})

test('a camera that fails after the volunteer moved on does not speak over the success', async ({ page, open }) => {
  await camera(page, ['videoinput', 'audioinput'], 'wait')
  await open({ captures: 0, lang: 'en' }, '#/capture')
  await page.getByTestId('capture-photo').click()
  await page.waitForFunction(() => (window as unknown as { __camera: { asked: boolean } }).__camera.asked)
  // The volunteer gives up waiting and chooses a file; it is stored.
  await page.getByTestId('file-input').setInputFiles(JPEG(2))
  await expect(page.getByTestId('capture-status')).toHaveAttribute('data-state', 'stored')
  // Only now does the camera fail.
  await page.evaluate(() => (window as unknown as { __camera: { fail: (n: string) => void } }).__camera.fail('OverconstrainedError'))
  await expect(page.getByTestId('recorder')).not.toHaveAttribute('data-opening')
  await expect(page.locator('[role=alert]')).toHaveCount(0)
  await expect(page.getByTestId('capture-status')).toContainText('Photo stored safely on this device')
  await expect(page.locator('main')).not.toContainText('OverconstrainedError')
})

test('a camera the app may not use says what to do, not the browser\'s error name', async ({ page, open }) => {
  await camera(page, ['videoinput'], 'NotAllowedError')
  await open({ captures: 0, lang: 'en' }, '#/capture')
  await page.getByTestId('capture-video').click()
  const alert = page.locator('[role=alert][data-error=camera_denied]')
  await expect(alert).toContainText("The app may not use the camera. Allow it in the device's settings")
  await expect(page.locator('main')).not.toContainText('NotAllowedError')
  await page.getByTestId('lang-switch').click()
  await expect(alert).toContainText('ऐप को कैमरा इस्तेमाल करने की अनुमति नहीं है')
})

test('a typed location ages like a found one and, when old, asks to be checked rather than searched', async ({ page, open }) => {
  await page.clock.install()
  await open({ captures: 0, lang: 'en' }, '#/capture')
  await page.getByTestId('manual-toggle').click()
  await page.getByTestId('lat').fill('26.8467')
  await page.getByTestId('lon').fill('80.9462')
  await page.getByTestId('manual-use').click()
  const text = page.getByTestId('location-text')
  await expect(text).toContainText('entered just now')
  await expect(page.getByTestId('stale')).toHaveCount(0)
  await page.clock.fastForward('03:00')
  await expect(text).toContainText('entered 3 min ago')
  await expect(page.getByTestId('stale')).toHaveText(' · entered a while ago: check it is still where you are')
  await expect(text).not.toContainText('just now')
  await expect(text).not.toContainText('find it again')
  await page.getByTestId('lang-switch').click()
  await expect(text).toContainText('3 मिनट पहले भरा गया')
  await expect(page.getByTestId('stale')).toContainText('काफ़ी पहले भरा गया: देख लें कि आप अब भी वहीं हैं')
})

test('after a capture the caption is cleared for the next one; tags and event stay', async ({ open }) => {
  const page = await open({ captures: 0, lang: 'en' }, '#/capture')
  await page.getByTestId('caption').fill('Stage at the rally')
  await page.getByTestId('tags').fill('rally, booth-104')
  await page.getByTestId('event').fill('UP yatra 2026')
  await page.getByTestId('file-input').setInputFiles(JPEG(3))
  await expect(page.getByTestId('capture-status')).toHaveAttribute('data-state', 'stored')
  expect((await fake(page)).lastCapture!.req.caption).toBe('Stage at the rally')
  await expect(page.getByTestId('caption')).toHaveValue('')
  await expect(page.getByTestId('tags')).toHaveValue('rally, booth-104')
  await expect(page.getByTestId('event')).toHaveValue('UP yatra 2026')
  // Not brought back by a visit elsewhere either.
  await page.getByTestId('nav-queue').click()
  await page.getByTestId('nav-capture').click()
  await expect(page.getByTestId('caption')).toHaveValue('')
  await page.getByTestId('file-input').setInputFiles(JPEG(4))
  await expect.poll(async () => (await fake(page)).lastCapture!.req).toMatchObject({ caption: '', tags: ['rally', 'booth-104'], event: 'UP yatra 2026' })
})

test('upload speed is offered as time per photo, never in KiB/s, in both languages', async ({ open }) => {
  const page = await open({ lang: 'en' }, '#/settings')
  const speed = page.getByTestId('bandwidth')
  await expect(page.locator('main')).not.toContainText(/KiB|kbps|KB\/s/)
  const options = await speed.locator('option').allTextContents()
  expect(options).toEqual([
    'As fast as the network allows',
    'Very slow: a 3 MB photo in about 2 minutes',
    'Slow: a 3 MB photo in about 24 seconds',
    'Medium: a 3 MB photo in about 6 seconds',
  ])
  await speed.selectOption({ label: 'Slow: a 3 MB photo in about 24 seconds' })
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('settings-saved')).toHaveText('Saved')
  expect((await fake(page)).settings.bandwidth_kib).toBe(128)
  await page.getByTestId('language').selectOption('hi')
  await expect(speed.locator('option:checked')).toHaveText('धीमी: 3 MB की फ़ोटो लगभग 24 सेकंड में')
  await expect(page.locator('main')).not.toContainText(/KiB/)
})

test('a speed set another way (the command line) is kept and shown in the same words', async ({ open }) => {
  const page = await open({ lang: 'en' }, '#/capture')
  await page.evaluate(() => ((window as unknown as { __fake: Fake }).__fake.settings.bandwidth_kib = 300))
  await page.getByTestId('nav-settings').click()
  await expect(page.getByTestId('bandwidth').locator('option:checked')).toHaveText('Set earlier: a 3 MB photo in about 10 seconds')
  await page.getByTestId('wifi-only').check()
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('settings-saved')).toHaveText('Saved')
  expect((await fake(page)).settings.bandwidth_kib).toBe(300)
})

test('Hindi dates are day first on a 24-hour clock', async ({ open }) => {
  const page = await open({ lang: 'hi', kits: true }, '#/kits')
  // Published 2026-11-21T12:00Z: 17:30 on this (Indian) machine.
  await expect(page.getByTestId('kit').locator('.qmeta')).toContainText('21/11/2026, 17:30 (UTC+05:30)')
  await expect(page.getByTestId('kit').locator('.qmeta')).not.toContainText(/am|pm|अपराह्न|पूर्वाह्न/)
  await page.getByTestId('lang-switch').click()
  await expect(page.getByTestId('kit').locator('.qmeta')).toContainText('21 Nov 2026, 5:30 pm (UTC+05:30)')
})
