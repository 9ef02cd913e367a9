// Kits: composed in the dashboard from an approved capture, published to one booth; a
// device in that booth has it after its next sync, devices elsewhere (the other booth
// of the same district, and the other district) do not.
import { expect, test } from './fixtures'

test('publish a kit → a device in the target area gets it, devices outside do not', async ({ signIn, world }) => {
  const page = await signIn('coord-lko')
  const c = world.captures['am-meeting']
  // Only approved captures can go in a kit: approve it first, in the dashboard.
  await page.goto(world.ui + `/#/capture/${c.id}`)
  await page.getByRole('button', { name: 'Approve' }).click()
  await expect(page.locator('.review-panel [data-review]')).toHaveAttribute('data-review', 'approved')

  await page.getByRole('link', { name: 'Kits' }).click()
  const pick = page.locator(`.pick-captures input[value="${c.id}"]`)
  await expect(pick).toBeVisible()
  // Pending and rejected captures are not offered.
  await expect(page.locator(`.pick-captures input[value="${world.captures['hz-rally'].id}"]`)).toHaveCount(0)
  await expect(page.locator(`.pick-captures input[value="${world.captures['hz-banner'].id}"]`)).toHaveCount(0)
  // Nothing from another district is offered, as capture or as area.
  await expect(page.locator(`.pick-captures input[value="${world.captures['vn-ghat'].id}"]`)).toHaveCount(0)
  await expect(page.locator('.pick-areas input[value="VNS-B1"]')).toHaveCount(0)

  // Publishing with no area is refused before anything is sent.
  await page.getByLabel('Title in English').fill('Aminabad meeting kit')
  await page.getByLabel('Title in Hindi').fill('अमीनाबाद सभा किट')
  await page.getByLabel('Caption in Hindi').fill('आज की सभा की तस्वीर')
  await pick.check()
  await page.getByRole('button', { name: 'Publish' }).click()
  await expect(page.locator('form [role=status]')).toHaveText('Choose at least one area.')
  await page.locator('.pick-areas input[value="LKO-B2"]').check()
  await page.getByRole('button', { name: 'Publish' }).click()
  await expect(page.locator('form [role=status]')).toContainText('Published "Aminabad meeting kit" to 1 area')
  await expect(page.locator('.kit', { hasText: 'Aminabad meeting kit' })).toBeVisible()

  const titles = async (d: typeof world.devices.lko2) => {
    await d.sync()
    return (await d.kits()).map((k) => k.title_en)
  }
  expect(await titles(world.devices.lko2)).toContain('Aminabad meeting kit')
  const kit = (await world.devices.lko2.kits()).find((k) => k.title_en === 'Aminabad meeting kit')!
  expect(kit.title_hi).toBe('अमीनाबाद सभा किट')
  // The media arrived on the device (its hash verified on the way in).
  expect(kit.items.map((i) => i.sha256)).toEqual([c.sha256])
  expect(kit.present).toEqual([true])
  expect(await titles(world.devices.lko1)).not.toContain('Aminabad meeting kit')
  expect(await titles(world.devices.vns1)).not.toContain('Aminabad meeting kit')
})
