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
