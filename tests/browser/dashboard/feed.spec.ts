// The feed narrows to exactly the seeded captures each filter should keep, for the
// Lucknow coordinator (whose scope holds only Lucknow's captures).
import { count, expect, test } from './fixtures'
import { SEEDS, DISTRICT, DEVICE_AREA, type SeedCapture } from './support/seed'
import type { Page } from '@playwright/test'
import { Device } from './support/device'

const lko = SEEDS.filter((s) => DISTRICT[s.device] === 'LKO')

async function expectFeed(page: Page, n: number, captions?: string[]) {
  await expect(page.locator('.count')).toHaveAttribute('data-total', String(n))
  await expect(page.locator('.capture-card')).toHaveCount(n)
  if (captions) {
    for (const c of captions) await expect(page.locator('.capture-card', { hasText: c })).toHaveCount(1)
  }
}

async function filter(page: Page, set: (page: Page) => Promise<void>) {
  await page.getByRole('button', { name: 'Clear' }).click()
  // The screen is drawn anew: wait for its unfiltered count before touching its form.
  await expectFeed(page, lko.length)
  await set(page)
  await page.getByRole('button', { name: 'Apply' }).click()
}

test('filters narrow the feed to the right captures', async ({ signIn }) => {
  const page = await signIn('coord-lko')
  await expectFeed(page, lko.length)

  const cases: [string, (p: Page) => Promise<void>, (s: SeedCapture) => boolean][] = [
    ['kind audio', (p) => p.getByLabel('Kind', { exact: true }).selectOption('audio'), (s) => s.kind === 'audio'],
    ['without location', (p) => p.getByLabel('Location', { exact: true }).selectOption('false'), (s) => !s.gps],
    ['with location', (p) => p.getByLabel('Location', { exact: true }).selectOption('true'), (s) => !!s.gps],
    ['caption search', (p) => p.getByLabel('Search captions', { exact: true }).fill('Aminabad'), (s) => s.caption.includes('Aminabad')],
    ['tag', (p) => p.getByLabel('Tag', { exact: true }).fill('rally'), (s) => s.tags.includes('rally')],
    ['event', (p) => p.getByLabel('Event', { exact: true }).fill('Hazratganj rally'), (s) => s.event === 'Hazratganj rally'],
    ['area booth 2', (p) => p.getByLabel('Area', { exact: true }).selectOption('LKO-B2'), (s) => DEVICE_AREA[s.device] === 'LKO-B2'],
    [
      'area booth 1 + photo + located',
      async (p) => {
        await p.getByLabel('Area', { exact: true }).selectOption('LKO-B1')
        await p.getByLabel('Kind', { exact: true }).selectOption('photo')
        await p.getByLabel('Location', { exact: true }).selectOption('true')
      },
      (s) => DEVICE_AREA[s.device] === 'LKO-B1' && s.kind === 'photo' && !!s.gps,
    ],
    // Booth 1 is reviewed only while seeding, so these counts hold whatever other specs do.
    [
      'booth 1 approved',
      async (p) => {
        await p.getByLabel('Area', { exact: true }).selectOption('LKO-B1')
        await p.getByLabel('Review', { exact: true }).selectOption('approved')
      },
      (s) => DEVICE_AREA[s.device] === 'LKO-B1' && s.review?.verdict === 'approved',
    ],
    [
      'booth 1 pending',
      async (p) => {
        await p.getByLabel('Area', { exact: true }).selectOption('LKO-B1')
        await p.getByLabel('Review', { exact: true }).selectOption('pending')
      },
      (s) => DEVICE_AREA[s.device] === 'LKO-B1' && !s.review,
    ],
  ]
  for (const [name, set, pred] of cases) {
    await test.step(name, async () => {
      await filter(page, set)
      const expected = lko.filter(pred)
      expect(expected.length, `${name}: the seed must make this filter meaningful`).toBeGreaterThan(0)
      expect(expected.length).toBeLessThan(lko.length)
      await expectFeed(page, expected.length, expected.map((s) => s.caption))
    })
  }
})

test('the device filter and the time range', async ({ signIn, world }) => {
  const page = await signIn('coord-lko')
  await page.getByLabel('Device', { exact: true }).selectOption(world.devices.lko2.id)
  await page.getByRole('button', { name: 'Apply' }).click()
  await expectFeed(page, count(lko, (s) => s.device === 'lko2'))
  // A range that ends before anything was captured holds nothing.
  await page.getByRole('button', { name: 'Clear' }).click()
  await expectFeed(page, lko.length)
  await page.getByLabel('To', { exact: true }).fill('01/01/2020')
  await page.getByRole('button', { name: 'Apply' }).click()
  await expect(page.locator('.count')).toHaveAttribute('data-total', '0')
  await expect(page.locator('.feed .empty')).toBeVisible()
})

test('a capture synced while the feed is open appears without a reload', async ({ signIn, world }) => {
  const page = await signIn('coord-vns')
  await expect(page.locator('.capture-card').first()).toBeVisible()
  const before = Number(await page.locator('.count').getAttribute('data-total'))
  expect(before).toBeGreaterThanOrEqual(SEEDS.filter((s) => DISTRICT[s.device] === 'VNS').length)
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42))
  const d = world.devices.vns1
  await d.capture(world.media.jpeg('live'), { lat: 25.309, lon: 83.011, accuracy: 7, caption: 'Live from the ghat', tags: ['live'] })
  await d.sync()
  await expect(page.locator('.capture-card.fresh', { hasText: 'Live from the ghat' })).toBeVisible({ timeout: 20_000 })
  await expect(page.locator('.count')).toHaveAttribute('data-total', String(before + 1))
  // Same document: no reload happened.
  expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42)
})

test('the feed pages: 50 first, the rest behind "Show more", each capture once', async ({ signIn, world }) => {
  // Its own district, so no other spec's counts move.
  await world.admin.post('/api/v1/admin/areas/import',
    'code,level,name_en,name_hi,parent_code\nAGR,district,Agra,आगरा,UP\nAGR-B1,booth,Booth 1 Sadar,बूथ 1 सदर,AGR\n', 'text/csv')
  const inv = await world.admin.post<{ link: string }>('/api/v1/admin/invites', { area_code: 'AGR-B1', uses: 1, days: 1 })
  const d = new Device('agra')
  try {
    await d.enroll(inv.link)
    const files = Array.from({ length: 61 }, (_, i) => world.media.wav(`agra-${i}`))
    // One `saakshi capture` call for all of them: captured in this order, oldest first.
    const made = await d.json<{ capture: { id: string } }[]>('capture', ...files, '--caption', 'Agra clip')
    await d.sync()
    const page = await signIn('admin')
    await page.goto(world.ui + '/#/feed?area=AGR')
    await expect(page.locator('.count')).toHaveAttribute('data-total', '61')
    await expect(page.locator('.capture-card')).toHaveCount(50)
    await page.getByRole('button', { name: 'Show more' }).click()
    await expect(page.locator('.capture-card')).toHaveCount(61)
    await expect(page.getByRole('button', { name: 'Show more' })).toBeHidden()
    const ids = await page.locator('.capture-card').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id!))
    expect([...ids].sort()).toEqual(made.map((m) => m.capture.id).sort())
  } finally {
    d.remove()
  }
})
