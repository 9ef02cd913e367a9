// The queue with 10,000 captures: only the rows in view exist, pages are fetched as
// needed, the end of the list is reachable; live progress and state events move the
// rows; filters and retry work.
import { expect, test } from './fixtures'

type Fake = { calls: string[]; captures: { id: string; state: string; size: number }[]; emit: (e: string, p: unknown) => Promise<void> }

test('10,000 captures: a bounded number of rows, paged queries, the end reachable', async ({ open }) => {
  const page = await open({ captures: 10_000, lang: 'en' }, '#/queue')
  const list = page.getByTestId('queue-list')
  await expect(list).toHaveAttribute('aria-rowcount', '10000')
  await expect(page.getByTestId('queue-row').first()).toBeVisible()
  expect(await page.getByTestId('queue-row').count()).toBeLessThan(40)
  // Newest first: capture #9999 on top.
  await expect(page.getByTestId('queue-row').first()).toContainText('9999')

  await list.evaluate((el) => (el.scrollTop = el.scrollHeight))
  await expect(page.locator('[aria-posinset="10000"]')).toContainText('#0')
  expect(await page.getByTestId('queue-row').count()).toBeLessThan(40)
  const queries = (await page.evaluate(() => (window as unknown as { __fake: Fake }).__fake.calls)).filter((c) => c === 'queue')
  expect(queries.length).toBeLessThanOrEqual(4)
  await expect(page.getByTestId('queue-summary')).toContainText('captures waiting to sync')
})

test('progress and state events move the row in view', async ({ open }) => {
  const page = await open({ captures: 30, lang: 'en' }, '#/queue')
  const target = await page.evaluate(() => {
    const f = (window as unknown as { __fake: Fake }).__fake
    return f.captures.find((c) => c.state === 'previewed')!
  })
  const row = page.locator(`[data-id="${target.id}"]`)
  await expect(row.getByTestId('state')).toHaveText('Preview sent')
  await expect(row.getByTestId('why')).toContainText('cannot reach the server')
  const before = Number(await row.locator('progress').getAttribute('value'))
  await page.evaluate(
    ([id, size]) => (window as unknown as { __fake: Fake }).__fake.emit('sync', { event: 'progress', capture_id: id, done: Math.ceil(size * 0.9), total: size }),
    [target.id, target.size] as const,
  )
  await expect(row.locator('progress')).toHaveJSProperty('value', 90)
  expect(before).toBeLessThan(90)
  await page.evaluate((id) => (window as unknown as { __fake: Fake }).__fake.emit('sync', { event: 'state', capture_id: id, state: 'synced', reason: null }), target.id)
  await expect(row.getByTestId('state')).toHaveText('Synced')
  await expect(row.locator('progress')).toHaveCount(0)
})

test('failed captures show why, and retry sends them back', async ({ open }) => {
  const page = await open({ captures: 50, failed: 3, lang: 'hi' }, '#/queue')
  await page.getByTestId('filter-state').selectOption('failed')
  await expect(page.getByTestId('queue-row')).toHaveCount(3)
  const first = page.getByTestId('queue-row').first()
  await expect(first.getByTestId('why')).toContainText('media larger than 100 MiB')
  await expect(first.getByTestId('state')).toHaveText('विफल')
  await first.getByTestId('retry').click()
  await expect(page.getByTestId('queue-row')).toHaveCount(2)
  await page.getByTestId('retry-all').click()
  await expect(page.getByTestId('queue-empty')).toBeVisible()
  const failed = await page.evaluate(() => (window as unknown as { __fake: Fake }).__fake.captures.filter((c) => c.state === 'failed').length)
  expect(failed).toBe(0)
})

test('filter by kind', async ({ open }) => {
  const page = await open({ captures: 50, lang: 'en' }, '#/queue')
  await page.getByTestId('filter-kind').selectOption('video')
  await expect(page.getByTestId('queue-row').first()).toBeVisible()
  const texts = await page.getByTestId('queue-row').locator('.qtitle').allTextContents()
  expect(texts.length).toBe(10)
})

type Row = { id: string; state: string; review: string; review_note: string | null; captured_at: { utc: string } }
const captures = (page: import('@playwright/test').Page) =>
  page.evaluate(() => (window as unknown as { __fake: { captures: Row[] } }).__fake.captures)

test('verdicts show at a glance, each with its own sign, with the coordinator\'s note, in both languages', async ({ open }) => {
  const page = await open({ captures: 30, reviewed: true, lang: 'en' }, '#/queue')
  const all = await captures(page)
  const asked = all.find((c) => c.review === 'needs_info')!
  const refused = all.find((c) => c.review === 'rejected')!
  const approved = all.find((c) => c.review === 'approved')!
  const row = (c: Row) => page.locator(`[data-id="${c.id}"]`)
  await expect(row(asked).getByTestId('verdict')).toHaveText('Needs info')
  await expect(row(asked).getByTestId('verdict-note')).toHaveText('Coordinator: कौन सा बूथ? Which booth is this?')
  await expect(row(refused).getByTestId('verdict')).toHaveText('Rejected')
  await expect(row(refused).getByTestId('verdict-note')).toHaveText('Coordinator: Blurred; please take it again')
  await expect(row(approved).getByTestId('verdict')).toHaveText('Approved')
  await expect(row(approved).getByTestId('verdict-note')).toHaveCount(0)
  // A drawn sign per verdict, three different ones, and no emoji anywhere on a row.
  const signs = await Promise.all([asked, refused, approved].map((c) => row(c).locator('[data-testid=verdict] svg').innerHTML()))
  expect(new Set(signs).size).toBe(3)
  for (const c of [asked, refused, approved]) expect(await row(c).textContent()).not.toMatch(/\p{Extended_Pictographic}/u)
  // The badge is never cut short on a phone: the note gives way.
  await page.setViewportSize({ width: 360, height: 640 })
  const badge = row(asked).getByTestId('verdict')
  expect(await badge.evaluate((b) => b.scrollWidth <= b.clientWidth)).toBe(true)
  // A capture with no verdict yet shows none.
  const pending = all.find((c) => c.review === 'pending' && c.state === 'synced')!
  await expect(row(pending).getByTestId('verdict')).toHaveCount(0)

  await page.getByTestId('lang-switch').click()
  await expect(row(asked).getByTestId('verdict')).toHaveText('जानकारी चाहिए')
  await expect(row(asked).getByTestId('verdict-note')).toHaveText('समन्वयक: कौन सा बूथ? Which booth is this?')
  await expect(row(refused).getByTestId('verdict')).toHaveText('अस्वीकृत')
  await expect(row(approved).getByTestId('verdict')).toHaveText('स्वीकृत')
})

test('every row opens its capture; the answer button opens it at the answer', async ({ open }) => {
  const page = await open({ captures: 30, failed: 2, reviewed: true, lang: 'en' }, '#/queue')
  const all = await captures(page)
  // A row without a verdict, clicked anywhere on it (not only on its title).
  const plain = all.find((c) => c.review === 'pending' && c.state === 'previewed')!
  await page.locator(`[data-id="${plain.id}"]`).click({ position: { x: 200, y: 70 } })
  await expect(page).toHaveURL(new RegExp(`#/item/${plain.id}$`))
  await expect(page.getByTestId('item-details')).toBeVisible()
  await expect(page.getByTestId('nav-queue')).toHaveAttribute('aria-current', 'page')
  await page.getByTestId('back').click()
  // Only the capture asked about offers an answer, and its button leads to the form.
  await expect(page.getByTestId('answer')).toHaveCount(1)
  const asked = all.find((c) => c.review === 'needs_info')!
  await page.locator(`[data-id="${asked.id}"]`).getByTestId('answer').click()
  await expect(page).toHaveURL(new RegExp(`#/item/${asked.id}/answer$`))
  await expect(page.getByTestId('answer-caption')).toBeFocused()
  // A failed row's Retry still retries, it does not open the capture.
  await page.getByTestId('back').click()
  await page.getByTestId('filter-state').selectOption('failed')
  await page.getByTestId('queue-row').first().getByTestId('retry').click()
  await expect(page.getByTestId('queue-row')).toHaveCount(1)
  await expect(page).toHaveURL(/#\/queue$/)
})

test('a row shows where the answer to a verdict stands', async ({ open }) => {
  const page = await open({ captures: 30, reviewed: true, lang: 'en' }, '#/queue')
  const asked = (await captures(page)).find((c) => c.review === 'needs_info')!
  const row = page.locator(`[data-id="${asked.id}"]`)
  await page.evaluate((id) => {
    const f = (window as unknown as { __fake: { captures: (Row & { answered_at: string | null })[] } }).__fake
    Object.assign(f.captures.find((c) => c.id === id)!, { answered_at: '2026-11-21T10:00:00Z', state: 'captured', revision: 2 })
  }, asked.id)
  await page.getByTestId('nav-capture').click()
  await page.getByTestId('nav-queue').click()
  await expect(row.getByTestId('answer-state')).toHaveText('Your answer waits to be sent')
  await expect(row.getByTestId('answer')).toHaveCount(0)
  await page.evaluate((id) => {
    const f = (window as unknown as { __fake: { captures: Row[] } }).__fake
    f.captures.find((c) => c.id === id)!.state = 'synced'
  }, asked.id)
  await page.getByTestId('nav-capture').click()
  await page.getByTestId('nav-queue').click()
  await expect(row.getByTestId('answer-state')).toHaveText('Your answer was sent')
  await page.getByTestId('lang-switch').click()
  await expect(row.getByTestId('answer-state')).toHaveText('आपका जवाब भेज दिया गया')
})

test('a capture\'s time is its own clock\'s, labelled, whatever this machine\'s zone', async ({ browser, baseUrl }) => {
  // The machine runs on New York time; the captures were taken on Indian time.
  const context = await browser.newContext({ timezoneId: 'America/New_York' })
  const page = await context.newPage()
  await page.addInitScript(() => {
    ;(window as unknown as { __SAAKSHI_SEED__: unknown }).__SAAKSHI_SEED__ = { captures: 1, lang: 'en' }
  })
  await page.goto(`${baseUrl}/#/queue`)
  const taken = page.getByTestId('queue-row').first().getByTestId('taken')
  // Capture 0: 2026-11-20T04:30Z at +05:30, i.e. 10:00 in the morning where it was taken.
  await expect(taken).toHaveText('20 Nov 2026, 10:00 am (UTC+05:30)')
  await page.getByTestId('lang-switch').click()
  // Hindi: day first, 24 hours, no am/pm.
  await expect(taken).toHaveText('20/11/2026, 10:00 (UTC+05:30)')
  await context.close()
})
