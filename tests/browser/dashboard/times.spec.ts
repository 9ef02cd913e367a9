// Times and dates as the dashboard's readers expect them. The browser runs in New York
// (UTC-05:00 in December) while the captures were made in India (UTC+05:30): a capture's
// times read on its own clock with that offset written, the server's own times (the
// audit log) on the browser's clock with its offset written, and neither is ever shown
// unlabelled. Dates are typed day/month/year with a 24-hour time in both languages;
// a date that does not exist is refused in the page's language and nothing changes.
import { expect, test } from './fixtures'

test.use({ timezoneId: 'America/New_York' })

const pad = (n: number) => String(n).padStart(2, '0')
/** "HH:MM:SS" of an instant on a clock `offset` minutes from UTC. */
function clock(utc: string | number, offset: number): string {
  const d = new Date(new Date(utc).getTime() + offset * 60_000)
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
}

test('a capture\'s times read on its own clock, the server\'s on the browser\'s, each labelled', async ({ signIn, world }) => {
  const c = world.captures['hz-queue']
  const detail = await world.coord.LKO.get<{ captured_at: { utc: string; offset_minutes: number } }>(`/api/v1/review/captures/${c.id}`)
  expect(detail.captured_at.offset_minutes).toBe(330)
  const page = await signIn('coord-lko', 'hi')
  expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('America/New_York')

  // The capture page: Indian wall-clock digits, labelled, on the 24-hour clock in Hindi.
  await page.goto(world.ui + `/#/capture/${c.id}`)
  const deviceTime = page.locator('[data-field="capture.device_time"]')
  await expect(deviceTime).toContainText(`${clock(detail.captured_at.utc, 330)} (UTC+05:30)`)
  await expect(deviceTime).not.toContainText(clock(detail.captured_at.utc, -300))
  // Arrival is on the same clock as capture, so the two compare at a glance.
  await expect(page.locator('[data-field="capture.server_time"]')).toContainText('(UTC+05:30)')
  // The feed's card says the same.
  await page.goto(world.ui + '/#/feed?q=queue')
  await expect(page.locator(`.capture-card[data-id="${c.id}"] .meta.muted`)).toContainText(`${clock(detail.captured_at.utc, 330)} (UTC+05:30)`)

  // The audit log: the server's clock of record, shown on the browser's, labelled.
  await page.goto(world.ui + '/#/audit')
  const first = await world.coord.LKO.get<{ items: { at: string }[] }>('/api/v1/admin/audit?limit=1')
  const row = page.locator('tbody tr[data-action]').first()
  await expect(row.locator('td').first()).toHaveText(new RegExp(`${clock(first.items[0].at, -300)} \\(UTC-05:00\\)`))

  // In English, the same instant on the 12-hour clock, with the offset still written.
  await signIn('coord-lko', 'en')
  await page.goto(world.ui + `/#/capture/${c.id}`)
  const [hh, mm] = clock(detail.captured_at.utc, 330).split(':').map(Number)
  await expect(deviceTime).toContainText(`${hh % 12 || 12}:${pad(mm)}`)
  await expect(deviceTime).toContainText(/(am|pm) \(UTC\+05:30\)/)
})

test('dates are typed day/month/year with a 24-hour time, and a wrong one is refused in the page\'s language', async ({ signIn, world }) => {
  const page = await signIn('coord-lko', 'hi')
  await page.goto(world.ui + '/#/feed')
  const from = page.getByLabel('से', { exact: true })
  // Not the browser's own date input, which reads mm/dd/yyyy and am/pm whatever the page's language.
  await expect(from).toHaveAttribute('placeholder', 'दिन/माह/वर्ष')
  expect(await page.locator('input[type=date], input[type=datetime-local]').count()).toBe(0)

  // 31 February: refused in Hindi, the field marked, the filters left as they were.
  await from.fill('31/02/2026')
  await page.getByRole('button', { name: 'लागू करें' }).click()
  await expect(page.locator('.filter-error')).toHaveText('से: “31/02/2026” कोई तारीख़ नहीं है। दिन/महीना/साल लिखें, जैसे 03/12/2026।')
  await expect(from).toHaveAttribute('aria-invalid', 'true')
  await expect(page).toHaveURL(/#\/feed$/)
  // A time past the 24-hour clock.
  await from.fill('03/12/2026')
  await page.getByLabel('से: समय').fill('25:10')
  await page.getByRole('button', { name: 'लागू करें' }).click()
  await expect(page.locator('.filter-error')).toContainText('“25:10” कोई समय नहीं है')
  await expect(page).toHaveURL(/#\/feed$/)
  // "From" after "To".
  await page.getByLabel('से: समय').fill('')
  await page.getByLabel('तक', { exact: true }).fill('02/12/2026')
  await page.getByRole('button', { name: 'लागू करें' }).click()
  await expect(page.locator('.filter-error')).toContainText('“से” की तारीख़ “तक” के बाद की है')
  await expect(page).toHaveURL(/#\/feed$/)

  // A good one, typed with Devanagari digits: 3 December 2026 14:30 in New York (UTC-5),
  // and the whole of 4 December as the end.
  await from.fill('०३/१२/२०२६')
  await page.getByLabel('से: समय').fill('14:30')
  await page.getByLabel('तक', { exact: true }).fill('4/12/2026')
  await page.getByRole('button', { name: 'लागू करें' }).click()
  await expect(page).toHaveURL(/from=2026-12-03T19%3A30%3A00.000Z/)
  await expect(page).toHaveURL(/to=2026-12-05T04%3A59%3A59.999Z/)
  // Drawn again from the address, day first, on the 24-hour clock.
  await expect(page.getByLabel('से', { exact: true })).toHaveValue('03/12/2026')
  await expect(page.getByLabel('से: समय')).toHaveValue('14:30')
  await expect(page.getByLabel('तक', { exact: true })).toHaveValue('04/12/2026')

  // The same refusal in English.
  await signIn('coord-lko', 'en')
  await page.goto(world.ui + '/#/audit')
  await page.getByLabel('From', { exact: true }).fill('2026-12-03')
  await page.getByRole('button', { name: 'Apply' }).click()
  await expect(page.locator('.filter-error')).toHaveText('From: “2026-12-03” is not a date. Write day/month/year, e.g. 03/12/2026.')
  await expect(page).toHaveURL(/#\/audit$/)
})
