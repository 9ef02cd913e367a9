// How the dashboard says things: counts in the language's singular or plural (Hindi
// takes the singular for 0 and 1), times in the capture's own offset and, in Hindi, on
// the 24-hour clock; the users page refused outright to a coordinator; an invite link
// that no phone can reach called out.
import { expect, test } from './fixtures'

test('counts read as one and as many, in both languages', async ({ signIn, world }) => {
  const page = await signIn('coord-lko', 'en')
  // One capture is tagged "poster".
  await page.goto(world.ui + '/#/feed?tag=poster')
  await expect(page.locator('.count')).toHaveAttribute('data-total', '1')
  await expect(page.locator('.count')).toHaveText('1 capture')
  await page.goto(world.ui + '/#/feed?tag=rally')
  await expect(page.locator('.count')).toHaveText(/^\d+ captures$/)
  await page.goto(world.ui + '/#/feed?tag=no-such-tag')
  await expect(page.locator('.count')).toHaveText('0 captures')
  await expect(page.locator('li.empty')).toHaveText('No captures match these filters.')

  await signIn('coord-lko', 'hi')
  await page.goto(world.ui + '/#/feed?tag=poster')
  await expect(page.locator('.count')).toHaveText('1 कैप्चर')
})

test('a capture\'s time is its own, labelled; Hindi uses the 24-hour clock', async ({ signIn, world }) => {
  const page = await signIn('coord-lko', 'hi')
  await page.goto(world.ui + `/#/capture/${world.captures['hz-rally'].id}`)
  const dt = page.locator('dd', { hasText: 'UTC+05:30' }).first()
  await expect(dt).toBeVisible()
  const text = (await dt.textContent()) ?? ''
  expect(text).not.toMatch(/am|pm|पूर्वाह्न|अपराह्न/i)
  expect(text).toMatch(/\d{1,2}:\d{2}:\d{2}/)
})

test('a coordinator who opens the users page by its address sees only the refusal', async ({ signIn, world }) => {
  const page = await signIn('coord-lko', 'en')
  await page.goto(world.ui + '/#/admin/users')
  await expect(page.getByTestId('users-refused')).toHaveText('That is outside your area or your role.')
  await expect(page.locator('main form')).toHaveCount(0)
  await expect(page.locator('main table')).toHaveCount(0)
})

test('an invite link no phone can reach is called out, with how to fix it', async ({ signIn, world }) => {
  // The test server listens on 127.0.0.1 with no public address set.
  const page = await signIn('coord-lko', 'en')
  await page.goto(world.ui + '/#/admin/invites')
  // The areas arrive after the page: a required, still empty select would stop the form.
  await expect(page.locator('select[name=area_code]')).not.toHaveValue('')
  await page.locator('form.card button[type=submit]').click()
  await expect(page.locator('.invite-link')).toHaveText(/^http:\/\/127\.0\.0\.1:\d+\/join\//)
  await expect(page.getByTestId('invite-loopback')).toContainText('Phones cannot reach this address')
  await expect(page.getByTestId('invite-loopback')).toContainText('SAAKSHI_PUBLIC_URL')
  // The example address carries this server's own port (the test server's is not 8470).
  const port = new URL((await page.locator('.invite-link').textContent()) ?? '').port
  expect(port).not.toBe('8470')
  await expect(page.getByTestId('invite-loopback')).toContainText(`SAAKSHI_PUBLIC_URL=http://<its address on your network>:${port} `)
})
