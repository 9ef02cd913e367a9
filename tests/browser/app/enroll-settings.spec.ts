// Enrolment and settings: bad input is refused in both languages and changes nothing;
// good input is taken and shown.
import { expect, test } from './fixtures'

type Fake = { calls: string[]; server: string | null; painted?: boolean; settings: { bandwidth_kib: number | null; wifi_only: boolean; lang: string } }
const fake = (page: import('@playwright/test').Page) => page.evaluate(() => (window as unknown as { __fake: Fake }).__fake)

test('something that is not an invite is refused in both languages and nothing is sent', async ({ open }) => {
  const page = await open({ enrolled: false, lang: 'en' }, '#/enroll')
  await page.getByTestId('invite').fill('hello coordinator')
  await page.getByTestId('enroll-submit').click()
  const alert = page.locator('[role=alert][data-error=bad_invite]')
  await expect(alert).toContainText('That is not an invite')
  await page.getByTestId('lang-switch').click()
  await expect(alert).toContainText('यह आमंत्रण नहीं है')
  expect((await fake(page)).calls).not.toContain('enroll')
  expect((await fake(page)).server).toBeNull()
})

test('an invite the server refuses says so', async ({ open }) => {
  const page = await open({ enrolled: false, lang: 'hi' }, '#/enroll')
  await page.getByTestId('invite').fill('http://10.0.0.5:8470/join/ZZZZZ-ZZZZZ')
  await page.getByTestId('enroll-submit').click()
  await expect(page.locator('[role=alert][data-error=enroll_refused]')).toContainText('सर्वर ने यह आमंत्रण नहीं माना')
})

test('an invite link enrols the device and the header follows', async ({ open }) => {
  const page = await open({ enrolled: false, lang: 'en' }, '#/capture')
  await expect(page.getByTestId('sync-badge')).toContainText('Not enrolled')
  await page.getByTestId('not-enrolled').getByRole('link').click()
  await page.getByTestId('invite').fill('  http://10.0.0.5:8470/join/ABCDE-FGHJK ')
  await page.getByTestId('device-name').fill('Booth 104 volunteer')
  await page.getByTestId('enroll-submit').click()
  await expect(page.getByTestId('enrolled')).toContainText('Enrolled in Booth 104 (B-104)')
  await expect(page.getByTestId('sync-badge')).toContainText('Everything synced')
  expect((await fake(page)).server).toBe('http://10.0.0.5:8470')
})

// Wording only: the fake shell refuses the speed; the real check is the shell's own
// (src-tauri/src/commands/settings.rs, its unit tests).
test('the words of a refused upload speed, in both languages, and nothing is saved', async ({ open }) => {
  const page = await open({ lang: 'en' }, '#/settings')
  // A value the shell would refuse (the select offers none such; the shell still checks).
  await page.getByTestId('bandwidth').evaluate((el) => el.append(new Option('bad', '0')))
  await page.getByTestId('bandwidth').selectOption('0')
  await page.getByTestId('settings-save').click()
  await expect(page.getByRole('alert')).toContainText('That upload speed cannot be used.')
  await page.getByTestId('language').selectOption('hi')
  await expect(page.getByRole('alert')).toContainText('यह अपलोड गति इस्तेमाल नहीं की जा सकती')
  // The language was saved (it is a setting of its own); the cap was not.
  expect((await fake(page)).settings.bandwidth_kib).toBeNull()
})

test('settings are saved and the language choice is kept', async ({ open }) => {
  const page = await open({ lang: 'en', captures: 5 }, '#/settings')
  await page.getByTestId('wifi-only').check()
  await page.getByTestId('bandwidth').selectOption('512')
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('settings-saved')).toHaveText('Saved')
  expect((await fake(page)).settings).toMatchObject({ wifi_only: true, bandwidth_kib: 512 })
  await page.getByTestId('language').selectOption('hi')
  await expect(page.getByTestId('nav-queue')).toContainText('कतार')
  await expect.poll(async () => (await fake(page)).settings.lang).toBe('hi')
  await expect(page.getByTestId('enrolment')).toContainText('बूथ 104')
})

test('the first run asks for the language and opens in it', async ({ open }) => {
  const page = await open({ lang: null }, '')
  await page.getByTestId('first-hi').click()
  await expect(page.getByTestId('nav-capture')).toContainText('कैप्चर')
  await expect(page.locator('html')).toHaveAttribute('lang', 'hi')
  await expect.poll(async () => (await fake(page)).settings.lang).toBe('hi')
  expect((await fake(page)).painted).toBe(true)
})

test('kits show their media and caption in the chosen language, and share on a laptop saves', async ({ open }) => {
  const page = await open({ lang: 'hi', kits: true }, '#/kits')
  const kit = page.getByTestId('kit')
  await expect(kit).toContainText('रैली की झलकियाँ, लखनऊ')
  await expect(kit).toContainText('आज लखनऊ में हज़ारों लोग')
  await expect(kit.locator('img')).toHaveCount(2)
  await page.getByTestId('lang-switch').click()
  await expect(kit).toContainText('Rally highlights, Lucknow')
  await page.getByTestId('kit-share').click()
  await expect(page.locator('[role=status]').filter({ hasText: 'Saved 2 files' })).toBeVisible()
})
