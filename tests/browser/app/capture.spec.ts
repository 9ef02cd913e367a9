// Capture through Chromium's fake camera and microphone (real getUserMedia and
// MediaRecorder), from a chosen file, with and without a location; bad input is
// refused in both languages and stores nothing.
import { CHROMIUM, CHROMIUM_ARGS } from '../chromium'
import { expect, test } from './fixtures'

test.use({
  permissions: ['camera', 'microphone'],
  launchOptions: {
    executablePath: CHROMIUM,
    args: [
      ...CHROMIUM_ARGS,
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ],
  },
})

type Fake = { calls: string[]; captures: unknown[]; lastCapture?: { req: { location: unknown; caption: string; tags: string[]; event: string | null; name: string }; size: number; head: number[] }; thumbnailSet?: { sha256: string; size: number } }
const fake = (page: import('@playwright/test').Page) => page.evaluate(() => (window as unknown as { __fake: Fake }).__fake)

test('a photo from the camera is stored and confirmed, marked without a location', async ({ open }) => {
  const page = await open({ captures: 0, lang: 'en' }, '#/capture')
  await page.getByTestId('caption').fill('जनसभा / public meeting')
  await page.getByTestId('tags').fill('rally, booth-104')
  await page.getByTestId('event').fill('UP yatra 2026')
  await page.getByTestId('capture-photo').click()
  await expect(page.getByTestId('recorder')).toBeVisible()
  await page.waitForFunction(() => (document.querySelector('[data-testid=preview]') as HTMLVideoElement).videoWidth > 0)
  await page.getByTestId('shutter').click()
  const status = page.getByTestId('capture-status')
  await expect(status).toHaveAttribute('data-state', 'stored')
  await expect(status).toContainText('Photo stored safely on this device')
  await expect(status).toContainText('stored without a location')
  const f = await fake(page)
  expect(f.lastCapture!.head.slice(0, 2)).toEqual([0xff, 0xd8]) // a JPEG from the camera's frame
  expect(f.lastCapture!.size).toBeGreaterThan(1000)
  expect(f.lastCapture!.req).toMatchObject({ location: null, caption: 'जनसभा / public meeting', tags: ['rally', 'booth-104'], event: 'UP yatra 2026' })
  expect(f.lastCapture!.req.name).toMatch(/^photo-\d{8}T\d{6}\.jpg$/)
})

test('a video is recorded, stored, and gets a preview from its frame', async ({ open }) => {
  const page = await open({ captures: 0, lang: 'hi' }, '#/capture')
  await page.getByTestId('capture-video').click()
  await page.waitForFunction(() => (document.querySelector('[data-testid=preview]') as HTMLVideoElement).videoWidth > 0)
  await page.getByTestId('shutter').click()
  await expect(page.getByTestId('recorder')).toHaveAttribute('data-recording', 'true')
  await page.waitForTimeout(1500)
  await page.getByTestId('shutter').click()
  await expect(page.getByTestId('capture-status')).toHaveAttribute('data-state', 'stored')
  await expect(page.getByTestId('capture-status')).toContainText('वीडियो इस डिवाइस पर सुरक्षित सहेजा गया')
  await expect.poll(async () => (await fake(page)).thumbnailSet?.size ?? 0).toBeGreaterThan(500)
  const f = await fake(page)
  expect(f.lastCapture!.head).toEqual([0x1a, 0x45, 0xdf, 0xa3]) // WebM from MediaRecorder
})

test('audio is recorded from the microphone', async ({ open }) => {
  const page = await open({ captures: 0, lang: 'en' }, '#/capture')
  await page.getByTestId('capture-audio').click()
  await expect(page.getByTestId('recorder')).toHaveAttribute('data-mode', 'audio')
  await page.getByTestId('shutter').click()
  await page.waitForTimeout(1200)
  await page.getByTestId('shutter').click()
  await expect(page.getByTestId('capture-status')).toContainText('Audio stored safely')
})

test('a location typed in is shown with its accuracy and travels with the capture', async ({ open }) => {
  const page = await open({ captures: 0, lang: 'en' }, '#/capture')
  await page.getByTestId('manual-toggle').click()
  await page.getByTestId('lat').fill('26.8467')
  await page.getByTestId('lon').fill('80.9462')
  await page.getByTestId('accuracy').fill('25')
  await page.getByTestId('manual-use').click()
  await expect(page.getByTestId('location-text')).toContainText('26.84670, 80.94620')
  await expect(page.getByTestId('location-text')).toContainText('±25 m')
  await expect(page.getByTestId('location-text')).toContainText('entered by hand')
  await page.getByTestId('file-input').setInputFiles({ name: 'booth.jpg', mimeType: 'image/jpeg', buffer: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]) })
  await expect(page.getByTestId('capture-status')).toHaveAttribute('data-state', 'stored')
  await expect(page.getByTestId('capture-status')).not.toContainText('without a location')
  const f = await fake(page)
  expect(f.lastCapture!.req.location).toMatchObject({ lat: 26.8467, lon: 80.9462, accuracy_m: 25, source: 'manual' })
  expect(f.lastCapture!.req.name).toBe('booth.jpg')
})

test('a latitude out of range is refused in both languages and nothing is stored', async ({ open }) => {
  const page = await open({ captures: 0, lang: 'en' }, '#/capture')
  await page.getByTestId('manual-toggle').click()
  await page.getByTestId('lat').fill('91')
  await page.getByTestId('lon').fill('80.9')
  await page.getByTestId('manual-use').click()
  const alert = page.locator('[data-testid=location] [role=alert]')
  await expect(alert).toContainText('Latitude must be between -90 and 90')
  await page.getByTestId('lang-switch').click()
  await expect(alert).toContainText('अक्षांश -90 से 90')
  await expect(page.getByTestId('location-text')).toContainText('अभी कोई स्थान नहीं')
  expect((await fake(page)).calls).not.toContain('capture')
})

// Wording only: the fake shell does the refusing here. The core's own refusal of bytes
// that are not media is tested in crates/saakshi-core/tests/import.rs and the CLI's
// bad_input tests.
test('the words of a "not media" refusal, in both languages, and the screen stores nothing', async ({ open }) => {
  const page = await open({ captures: 0, lang: 'hi' }, '#/capture')
  await page.getByTestId('file-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') })
  const alert = page.locator('[role=alert][data-error=not_media]')
  await expect(alert).toContainText('यह फ़ोटो, वीडियो या ऑडियो फ़ाइल नहीं है')
  await page.getByTestId('lang-switch').click()
  await expect(alert).toContainText('This is not a photo, video or audio file')
  expect((await fake(page)).captures).toHaveLength(0)
})

test('what was typed survives a language switch and a visit to another screen', async ({ open }) => {
  const page = await open({ captures: 0, lang: 'en' }, '#/capture')
  await page.getByTestId('caption').fill('Booth 104, 9 am')
  await page.getByTestId('lang-switch').click()
  await expect(page.getByTestId('capture-photo')).toContainText('फ़ोटो')
  await expect(page.getByTestId('caption')).toHaveValue('Booth 104, 9 am')
  await page.getByTestId('nav-queue').click()
  await page.getByTestId('nav-capture').click()
  await expect(page.getByTestId('caption')).toHaveValue('Booth 104, 9 am')
})

// The shell refuses a location the core doubts (src-tauri check_location, tested there
// against the real core) and answers both positions; here, that the app shows them and
// stores the capture with the one the volunteer chooses, and nothing before.
type Doubt = { doubt: 'far_from_photo'; photo: object; distance_km: number } | { doubt: 'looks_swapped'; swapped: object }
const doubt = (page: import('@playwright/test').Page, given: { lat: number; lon: number }, doubts: Doubt[]) =>
  page.evaluate(([g, d]) => ((window as unknown as { __fake: { doubt: unknown } }).__fake.doubt = { given: g, doubts: d }), [given, doubts] as const)
const typeLocation = async (page: import('@playwright/test').Page, lat: string, lon: string) => {
  await page.getByTestId('manual-toggle').click()
  await page.getByTestId('lat').fill(lat)
  await page.getByTestId('lon').fill(lon)
  await page.getByTestId('manual-use').click()
}
const JPEG = { name: 'booth.jpg', mimeType: 'image/jpeg', buffer: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]) }
const KANPUR = { lat: 26.4499, lon: 80.3319, accuracy_m: null, altitude_m: null, source: 'exif', fix_time: null }

test('a typed location far from the photo\'s own GPS shows both, in both languages, and stores the one chosen', async ({ open }) => {
  const page = await open({ captures: 0, lang: 'en' }, '#/capture')
  await typeLocation(page, '26.8467', '80.9462')
  await doubt(page, { lat: 26.8467, lon: 80.9462 }, [{ doubt: 'far_from_photo', photo: KANPUR, distance_km: 74.6 }])
  await page.getByTestId('file-input').setInputFiles(JPEG)
  const panel = page.getByTestId('location-doubt')
  await expect(panel).toBeVisible()
  await expect(page.getByTestId('capture-status')).toHaveAttribute('data-state', 'doubt')
  await expect(panel.getByTestId('doubt-given')).toHaveText('The location you gave: 26.84670, 80.94620')
  await expect(panel.getByTestId('doubt-photo')).toHaveText('The photo\'s own GPS says: 26.44990, 80.33190, 75 km away')
  expect((await fake(page)).lastCapture).toBeUndefined()
  await page.getByTestId('lang-switch').click()
  await expect(panel.getByTestId('doubt-photo')).toHaveText('फ़ोटो का अपना GPS बताता है: 26.44990, 80.33190, 75 किमी दूर')
  await expect(panel.getByTestId('doubt-use-photo')).toHaveText('फ़ोटो वाली जगह लें')
  await panel.getByTestId('doubt-use-photo').click()
  await expect(page.getByTestId('capture-status')).toHaveAttribute('data-state', 'stored')
  await expect(panel).toBeHidden()
  const f = await fake(page)
  expect(f.lastCapture!.req.location).toMatchObject({ lat: 26.4499, lon: 80.3319, source: 'exif' })
  expect(f.lastCapture!.req).not.toHaveProperty('location_confirmed', true)
})

test('swapped coordinates: kept only when the volunteer says so, and "do not store" stores nothing', async ({ open }) => {
  const page = await open({ captures: 0, lang: 'en' }, '#/capture')
  await typeLocation(page, '80.9462', '26.8467')
  const swapped = { lat: 26.8467, lon: 80.9462, accuracy_m: null, altitude_m: null, source: 'manual', fix_time: null }
  await doubt(page, { lat: 80.9462, lon: 26.8467 }, [{ doubt: 'looks_swapped', swapped }])
  await page.getByTestId('file-input').setInputFiles(JPEG)
  const panel = page.getByTestId('location-doubt')
  await expect(panel.getByTestId('doubt-swapped')).toHaveText('Latitude and longitude look swapped; the other way round it is 26.84670, 80.94620')
  await expect(panel.getByTestId('doubt-use-photo')).toHaveCount(0)
  await panel.getByTestId('doubt-cancel').click()
  await expect(panel).toBeHidden()
  expect((await fake(page)).lastCapture).toBeUndefined()

  await page.getByTestId('file-input').setInputFiles(JPEG)
  await panel.getByTestId('doubt-keep').click()
  await expect(page.getByTestId('capture-status')).toHaveAttribute('data-state', 'stored')
  const f = await fake(page)
  expect(f.lastCapture!.req).toMatchObject({ location: { lat: 80.9462, lon: 26.8467 }, location_confirmed: true })
})
