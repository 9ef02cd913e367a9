// Administration through the dashboard: areas imported from CSV (a bad line changes
// nothing), a coordinator created with a one-time password that works, an invite shown
// as QR code and link that a real device enrols with, the device's last seen and
// pending counts, and a revoke the device obeys at its next sync.
import { expect, test } from './fixtures'
import { Session } from './support/api'
import { Device } from './support/device'

test('areas: a bad CSV line is refused with its number and nothing is imported', async ({ signIn, world }) => {
  const page = await signIn('admin')
  await page.getByRole('link', { name: 'Areas' }).click()
  await expect(page.locator('.tree li[data-code=VNS-B1]')).toBeVisible()
  const csv = page.getByLabel('or paste the CSV')
  await csv.fill('code,level,name_en,name_hi,parent_code\nVNS-B2,booth,Booth 2 Assi,बूथ 2 अस्सी,VNS\nVNS-B3,planet,Mars,मंगल,VNS\n')
  await page.getByRole('button', { name: 'Import', exact: true }).click()
  await expect(page.locator('form [role=status].error')).toContainText('3')
  expect((await world.admin.get('/api/v1/admin/areas')).map((a: { code: string }) => a.code)).not.toContain('VNS-B2')

  await csv.fill('code,level,name_en,name_hi,parent_code\nVNS-B2,booth,Booth 2 Assi,बूथ 2 अस्सी,VNS\n')
  await page.getByRole('button', { name: 'Import', exact: true }).click()
  await expect(page.locator('#areas-import-status')).toHaveText('Imported 1 area.')
  await expect(page.locator('.tree li[data-code=VNS-B2]')).toContainText('Booth 2 Assi')
})

test('users: a new coordinator gets a one-time password that signs in', async ({ signIn, world }) => {
  const page = await signIn('admin')
  await page.getByRole('link', { name: 'Users' }).click()
  await page.getByLabel('Name', { exact: true }).fill('coord-ui')
  await page.getByLabel('Role', { exact: true }).selectOption('coordinator')
  await page.getByLabel('Area', { exact: true }).selectOption('VNS')
  await page.getByRole('button', { name: 'Create', exact: true }).click()
  const password = (await page.locator('.one-time-password').textContent())!.trim()
  expect(password.length).toBeGreaterThanOrEqual(10)
  await expect(page.locator('tr[data-user=coord-ui]')).toContainText('VNS')
  const s = await Session.login(world.api, 'coord-ui', password)
  expect(s.me?.area_code).toBe('VNS')
  expect(s.me?.must_change_password).toBe(true)
})

test('invites and devices: QR + link enrol a real device, which shows up, syncs and is revoked', async ({ signIn, world }) => {
  const page = await signIn('coord-vns')
  await page.getByRole('link', { name: 'Invites' }).click()
  await page.getByLabel('Area', { exact: true }).selectOption('VNS-B1')
  await page.getByRole('button', { name: 'Create invite' }).click()
  const card = page.locator('.print-card')
  await expect(card).toBeVisible()
  // The QR code is drawn: dark and light modules both present.
  const shades = await card.locator('canvas.qr').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
    let dark = 0
    for (let i = 0; i < d.length; i += 4) if (d[i] < 100) dark++
    return { dark, all: d.length / 4 }
  })
  expect(shades.dark).toBeGreaterThan(shades.all * 0.2)
  expect(shades.dark).toBeLessThan(shades.all * 0.8)
  const link = (await card.locator('.invite-link').textContent())!.trim()
  expect(link).toMatch(/\/join\/[0-9A-Z-]+$/)
  await expect(page.locator('tbody tr', { hasText: 'VNS-B1' }).first()).toBeVisible()
  // Printing shows the card alone.
  await page.emulateMedia({ media: 'print' })
  await expect(page.locator('header.shell')).not.toBeVisible()
  await expect(card.locator('canvas.qr')).toBeVisible()
  await page.emulateMedia({ media: 'screen' })

  const d = new Device('invited')
  try {
    await d.enroll(link)
    await d.capture(world.media.jpeg('invited device'), { lat: 25.3, lon: 83.0, caption: 'From the invited device' })
    await d.sync()
    await page.getByRole('link', { name: 'Devices' }).click()
    const row = page.locator(`tr[data-device="${d.id}"]`)
    await expect(row).toContainText('invited')
    await expect(row).toContainText('VNS-B1')
    await expect(row.locator('td').nth(2)).not.toHaveText('never')
    await expect(row.locator('td').nth(4)).toHaveText('1')
    await expect(row.locator('td').nth(5)).toHaveText('0')

    await row.getByRole('button', { name: 'Revoke…' }).click()
    await row.getByLabel('also wipe its media').check()
    await row.getByRole('button', { name: 'Revoke now' }).click()
    await expect(page.locator(`tr[data-device="${d.id}"]`)).toContainText('revoked')
    // The device learns at its next sync: exit 6, sync could not finish (revoked).
    expect(await d.exitCode('sync', '--once')).toBe(6)
  } finally {
    d.remove()
  }
})
