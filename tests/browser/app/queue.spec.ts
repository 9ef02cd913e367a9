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

type Row = { id: string; state: string; review: string; review_note: string | null }
const captures = (page: import('@playwright/test').Page) =>
  page.evaluate(() => (window as unknown as { __fake: { captures: Row[] } }).__fake.captures)

test('verdicts show at a glance, with the coordinator\'s note, in both languages', async ({ open }) => {
  const page = await open({ captures: 30, reviewed: true, lang: 'en' }, '#/queue')
  const all = await captures(page)
  const asked = all.find((c) => c.review === 'needs_info')!
  const refused = all.find((c) => c.review === 'rejected')!
  const approved = all.find((c) => c.review === 'approved')!
  const row = (c: Row) => page.locator(`[data-id="${c.id}"]`)
  await expect(row(asked).getByTestId('verdict')).toHaveText('Needs information')
  await expect(row(asked).getByTestId('verdict-note')).toHaveText('Coordinator: कौन सा बूथ? Which booth is this?')
  await expect(row(refused).getByTestId('verdict')).toHaveText('Rejected')
  await expect(row(refused).getByTestId('verdict-note')).toHaveText('Coordinator: Blurred; please take it again')
  await expect(row(approved).getByTestId('verdict')).toHaveText('Approved')
  await expect(row(approved).getByTestId('verdict-note')).toHaveCount(0)
  // A capture with no verdict yet shows none.
  const pending = all.find((c) => c.review === 'pending' && c.state === 'synced')!
  await expect(row(pending).getByTestId('verdict')).toHaveCount(0)

  await page.getByTestId('lang-switch').click()
  await expect(row(asked).getByTestId('verdict')).toHaveText('जानकारी चाहिए')
  await expect(row(asked).getByTestId('verdict-note')).toHaveText('समन्वयक: कौन सा बूथ? Which booth is this?')
  await expect(row(refused).getByTestId('verdict')).toHaveText('अस्वीकृत')
  await expect(row(approved).getByTestId('verdict')).toHaveText('स्वीकृत')
})

test('a verdict that arrives is announced on any screen and lands on its row', async ({ open }) => {
  const page = await open({ captures: 30, lang: 'en' }, '#/capture')
  const notice = page.getByTestId('verdict-notice')
  await expect(notice).toBeHidden()
  const target = (await captures(page)).find((c) => c.state === 'synced')!
  const emit = (p: unknown) => page.evaluate((payload) => (window as unknown as { __fake: Fake }).__fake.emit('sync', payload), p)
  await emit({ event: 'reviewed', capture_id: target.id, verdict: 'needs_info', note: 'Which booth is this?' })
  await expect(notice).toBeVisible()
  await expect(notice).toContainText('A coordinator needs more information about one of your captures: “Which booth is this?”')
  await page.getByTestId('lang-switch').click()
  await expect(notice).toContainText('समन्वयक को आपके एक कैप्चर के बारे में और जानकारी चाहिए: “Which booth is this?”')
  await page.getByTestId('lang-switch').click()

  // Two more: counted, not listed.
  await emit({ event: 'reviewed', capture_id: target.id, verdict: 'approved', note: null })
  await emit({ event: 'reviewed', capture_id: target.id, verdict: 'approved', note: null })
  await expect(notice).toContainText('Coordinators reviewed 3 of your captures.')

  // The notice leads to the queue, where the row shows the latest verdict as it arrived.
  await page.evaluate((id) => {
    const f = (window as unknown as { __fake: { captures: Row[] } }).__fake
    Object.assign(f.captures.find((c) => c.id === id)!, { review: 'approved', review_note: null })
  }, target.id)
  await page.getByTestId('notice-open').click()
  await expect(notice).toBeHidden()
  const row = page.locator(`[data-id="${target.id}"]`)
  await expect(row.getByTestId('verdict')).toHaveText('Approved')
  // A verdict arriving while the queue is open redraws the row.
  await emit({ event: 'reviewed', capture_id: target.id, verdict: 'rejected', note: 'Wrong event' })
  await expect(row.getByTestId('verdict')).toHaveText('Rejected')
  await expect(row.getByTestId('verdict-note')).toHaveText('Coordinator: Wrong event')
  await page.getByTestId('notice-dismiss').click()
  await expect(notice).toBeHidden()
})

test('a needs-information verdict is answered from its row: a new revision, queued to send', async ({ open }) => {
  const page = await open({ captures: 30, reviewed: true, lang: 'en' }, '#/queue')
  const asked = (await captures(page)).find((c) => c.review === 'needs_info')!
  const row = page.locator(`[data-id="${asked.id}"]`)
  // Only the capture asked about has the button.
  await expect(page.getByTestId('answer')).toHaveCount(1)
  await row.getByTestId('answer').click()
  const dialog = page.getByTestId('answer-dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog.getByTestId('answer-question')).toHaveText('कौन सा बूथ? Which booth is this?')
  // Sending it unchanged is refused, in words, and nothing changes.
  await dialog.getByTestId('answer-send').click()
  await expect(dialog.locator('[role=alert]')).toContainText('Your answer changes nothing: add what the coordinator asked for.')
  await dialog.getByTestId('answer-caption').fill('Booth 104, Hazratganj: the east gate')
  await dialog.getByTestId('answer-tags').fill('booth-104, gate')
  await dialog.getByTestId('answer-send').click()
  await expect(dialog).toHaveCount(0)
  await expect(page.getByTestId('answer-sent')).toBeVisible()
  const sent = await page.evaluate(() => (window as unknown as { __fake: { answered: unknown } }).__fake.answered)
  expect(sent).toEqual({ id: asked.id, answer: { caption: 'Booth 104, Hazratganj: the east gate', tags: ['booth-104', 'gate'], location: null } })
  // The row shows the answer waiting to be sent, and the question still beside it.
  await expect(row.getByTestId('state')).toHaveText('On this device')
  await expect(row.locator('.qtitle')).toHaveText('Booth 104, Hazratganj: the east gate')
  await expect(row.getByTestId('verdict')).toHaveText('Needs information')

  await page.getByTestId('lang-switch').click()
  await expect(row.getByTestId('answer')).toHaveText('जवाब दें')
  await row.getByTestId('answer').click()
  await expect(page.getByTestId('answer-dialog')).toContainText('समन्वयक पूछ रहे हैं:')
  await page.getByTestId('answer-cancel').click()
  await expect(page.getByTestId('answer-dialog')).toHaveCount(0)
})
