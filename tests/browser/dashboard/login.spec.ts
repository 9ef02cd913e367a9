// Sign-in: a wrong password is refused in both languages; a first password must be
// replaced before anything else; sign-out returns to the login.
import { expect, test } from './fixtures'

for (const [lang, wrong] of [
  ['en', 'Wrong name or password.'],
  ['hi', 'नाम या पासवर्ड गलत है।'],
] as const) {
  test(`a wrong password is refused (${lang})`, async ({ page, world }) => {
    await page.addInitScript((l) => localStorage.setItem('saakshi.dashboard.lang', l), lang)
    await page.goto(world.ui + '/')
    await expect(page.locator('html')).toHaveAttribute('lang', lang)
    await page.locator('input[name=name]').fill('coord-lko')
    await page.locator('input[name=password]').fill('not-the-password')
    await page.locator('form.login button[type=submit]').click()
    await expect(page.getByRole('alert')).toHaveText(wrong)
    await expect(page.locator('header.shell')).toHaveCount(0)
  })
}

test('a first password must be changed, then the feed opens; sign-out ends the session', async ({ page, world }) => {
  await page.goto(world.ui + '/#/map')
  await page.locator('input[name=name]').fill(world.fresh.name)
  await page.locator('input[name=password]').fill(world.fresh.password)
  await page.locator('form.login button[type=submit]').click()
  // Sent to the account screen whatever was asked for.
  await expect(page).toHaveURL(/#\/account$/)
  await expect(page.locator('.notice')).toBeVisible()
  await page.locator('input[name=current]').fill(world.fresh.password)
  await page.locator('input[name=new]').fill('short')
  await page.locator('input[name=again]').fill('short')
  await page.getByRole('button', { name: 'Change password' }).click()
  await expect(page.locator('[role=status].error')).toHaveText('The new password needs at least 10 characters.')
  await page.locator('input[name=new]').fill('a-new-password-123')
  await page.locator('input[name=again]').fill('a-new-password-123')
  await page.getByRole('button', { name: 'Change password' }).click()
  await expect(page.locator('[role=status].ok')).toHaveText('Password changed.')
  await page.getByRole('link', { name: 'Feed' }).click()
  await expect(page.locator('.count')).toBeVisible()

  await page.locator('header.shell').getByRole('button', { name: 'Sign out' }).click()
  await expect(page.locator('form.login')).toBeVisible()
  // The cookie is gone server-side too: a reload still shows the login.
  await page.reload()
  await expect(page.locator('form.login')).toBeVisible()
  // And the old one-time password no longer works.
  await page.locator('input[name=name]').fill(world.fresh.name)
  await page.locator('input[name=password]').fill(world.fresh.password)
  await page.locator('form.login button[type=submit]').click()
  await expect(page.getByRole('alert')).toHaveText('Wrong name or password.')
})
