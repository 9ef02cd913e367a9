// The capture screen (#/item/<id>, opened from a queue row): the media, what the capture
// says of itself on its own clock, how far it got in plain words, the coordinator's
// verdict with its note, and the answer to a "needs information" verdict; the notice that
// tells the volunteer when verdicts arrive. Both languages.
import { expect, test } from './fixtures'

type Capture = {
  id: string
  kind: string
  sha256: string
  state: string
  review: string
  review_note: string | null
  answered_at: string | null
  revision: number
  location: unknown
}
type Fake = { captures: Capture[]; answered?: unknown; purged?: string[]; calls: string[]; emit: (e: string, p: unknown) => Promise<void> }
type Page = import('@playwright/test').Page
const fake = (page: Page) => page.evaluate(() => (window as unknown as { __fake: Fake }).__fake)
const all = async (page: Page) => (await fake(page)).captures
const emit = (page: Page, p: unknown) => page.evaluate((payload) => (window as unknown as { __fake: Fake }).__fake.emit('sync', payload), p)
const setFake = (page: Page, id: string, fields: Partial<Capture>) =>
  page.evaluate(([i, f]) => Object.assign((window as unknown as { __fake: Fake }).__fake.captures.find((c) => c.id === i)!, f), [id, fields] as const)

test('a capture opens with its photo, its own time, its place and how far it got, in both languages', async ({ open }) => {
  const page = await open({ captures: 30, lang: 'en' }, '#/queue')
  // Capture 25: a photo part-way up (a third sent, the last try failed).
  const c = (await all(page)).find((x) => x.id.startsWith('019a0019-'))!
  expect(c).toMatchObject({ kind: 'photo', state: 'previewed' })
  await page.goto(page.url().replace(/#.*/, `#/item/${c.id}`))
  await expect(page.getByTestId('item-title')).toHaveText('जनसभा में भारी भीड़ #25')
  await expect(page.getByTestId('item-photo')).toBeVisible()
  await page.waitForFunction(() => (document.querySelector('[data-testid=item-photo]') as HTMLImageElement).naturalWidth > 0)
  const details = page.getByTestId('item-details')
  await expect(details.locator('[data-field=kind]')).toHaveText('Photo')
  // 04:55 UTC, taken at +05:30: 10:25 in the morning where it was taken.
  await expect(details.locator('[data-field=taken]')).toHaveText('20 Nov 2026, 10:25 am (UTC+05:30)')
  await expect(details.locator('[data-field=place]')).toContainText('26.84695, 80.94620 ±12 m · GPS')
  await expect(details.locator('[data-field=tags]')).toHaveText('rally')
  await expect(details.locator('[data-field=event]')).toHaveText('UP yatra 2026')
  const sync = page.getByTestId('item-sync')
  await expect(sync).toContainText('Sending: 33% (')
  await expect(sync).toContainText('If the network drops, it continues from here.')
  await expect(sync).toContainText('Last try: cannot reach the server (connection refused)')
  await expect(page.getByTestId('item-verdict')).toContainText('Coordinators can review it once it reaches the server.')

  // Progress moves the words in place.
  await emit(page, { event: 'progress', capture_id: c.id, done: 3_100_025, total: 3_100_025 })
  await expect(sync).toContainText('Sending: 100% (')

  await page.getByTestId('lang-switch').click()
  await expect(details.locator('[data-field=kind]')).toHaveText('फ़ोटो')
  await expect(details.locator('[data-field=taken]')).toHaveText('20/11/2026, 10:25 (UTC+05:30)')
  await expect(sync).toContainText('भेजा जा रहा है: 100%')
  await expect(page.getByTestId('back')).toHaveText('कतार पर वापस')
})

test('a verdict asking for information is answered on the capture screen: a new version, waiting, then sent', async ({ open }) => {
  const page = await open({ captures: 30, reviewed: true, lang: 'en' }, '#/queue')
  const asked = (await all(page)).find((c) => c.review === 'needs_info')!
  await page.locator(`[data-id="${asked.id}"]`).getByTestId('open').click()
  const verdict = page.getByTestId('item-verdict')
  await expect(verdict.getByTestId('verdict')).toHaveText('Needs information')
  await expect(verdict.getByTestId('verdict-note')).toHaveText('कौन सा बूथ? Which booth is this?')
  const form = page.getByTestId('answer-form')
  await expect(form).toBeVisible()

  // Unchanged: refused in words, nothing sent.
  await page.getByTestId('answer-send').click()
  await expect(form.locator('[role=alert]')).toContainText('Your answer changes nothing: add what the coordinator asked for.')
  // A place out of range: refused before anything is sent.
  await page.getByTestId('answer-change-place').click()
  await page.getByTestId('answer-lat').fill('91')
  await page.getByTestId('answer-send').click()
  await expect(form.locator('[role=alert]')).toContainText('Latitude must be between -90 and 90')
  await page.getByTestId('lang-switch').click()
  await expect(form.locator('[role=alert]')).toContainText('अक्षांश -90 से 90')
  await page.getByTestId('lang-switch').click()
  expect((await fake(page)).answered).toBeUndefined()

  await page.getByTestId('answer-lat').fill('26.8501')
  await page.getByTestId('answer-lon').fill('80.9499')
  await page.getByTestId('answer-accuracy').fill('15')
  await page.getByTestId('answer-caption').fill('Booth 104, Hazratganj: the east gate')
  await page.getByTestId('answer-tags').fill('rally, booth-104')
  await page.getByTestId('answer-send').click()
  await expect(page.getByTestId('answer-saved')).toContainText('Your answer is saved and will be sent with the next sync.')
  expect((await fake(page)).answered).toEqual({
    id: asked.id,
    answer: {
      caption: 'Booth 104, Hazratganj: the east gate',
      tags: ['rally', 'booth-104'],
      location: { lat: 26.8501, lon: 80.9499, accuracy_m: 15, altitude_m: null, source: 'manual', fix_time: null },
    },
  })
  // Waiting to be sent: said so, and no second answer until it is.
  const state = page.getByTestId('answer-state')
  await expect(state).toHaveAttribute('data-answer', 'waiting')
  await expect(state).toHaveText('Your answer is saved and waits to be sent.')
  await expect(form).toHaveCount(0)
  await expect(page.getByTestId('item-sync')).toContainText('Your answer is saved on this device.')
  await expect(page.getByTestId('item-details').locator('[data-field=version]')).toHaveText('2 (changed after capture)')
  await expect(page.getByTestId('item-details').locator('[data-field=place]')).toContainText('26.85010, 80.94990 ±15 m · entered by hand')
  await expect(page.getByTestId('item-title')).toHaveText('Booth 104, Hazratganj: the east gate')

  // The sync sends it: the screen follows the event.
  await setFake(page, asked.id, { state: 'synced' })
  await emit(page, { event: 'state', capture_id: asked.id, state: 'synced', reason: null })
  await expect(state).toHaveAttribute('data-answer', 'sent')
  await expect(state).toHaveText('Your answer reached the server. The coordinator will look again.')
  await expect(page.getByTestId('answer-saved')).toBeHidden()
  await expect(page.getByTestId('item-sync')).toContainText('Safely on the server.')
  await page.getByTestId('lang-switch').click()
  await expect(state).toHaveText('आपका जवाब सर्वर तक पहुँच गया। समन्वयक इसे फिर से देखेंगे।')
  // More can be added on request.
  await page.getByTestId('answer-more').click()
  await expect(page.getByTestId('answer-caption')).toHaveValue('Booth 104, Hazratganj: the east gate')

  // A new verdict arrives on the open screen: it replaces the old one, unanswered.
  await setFake(page, asked.id, { review: 'approved', review_note: 'ठीक है, धन्यवाद', answered_at: null })
  await emit(page, { event: 'reviewed', capture_id: asked.id, verdict: 'approved', note: 'ठीक है, धन्यवाद' })
  await expect(page.getByTestId('item-verdict').getByTestId('verdict')).toHaveText('स्वीकृत')
  await expect(page.getByTestId('item-verdict').getByTestId('verdict-note')).toHaveText('ठीक है, धन्यवाद')
  await expect(page.getByTestId('answer-form')).toHaveCount(0)
})

test('the shell refusing an answer (not yet on the server) is said in both languages', async ({ open }) => {
  const page = await open({ captures: 30, reviewed: true, lang: 'en' }, '#/queue')
  const asked = (await all(page)).find((c) => c.review === 'needs_info')!
  await page.goto(page.url().replace(/#.*/, `#/item/${asked.id}/answer`))
  await expect(page.getByTestId('answer-caption')).toBeFocused()
  // Meanwhile the capture went back on its way (a retry): the core refuses.
  await setFake(page, asked.id, { state: 'registered' })
  await page.getByTestId('answer-caption').fill('Booth 104')
  await page.getByTestId('answer-send').click()
  const alert = page.getByTestId('answer-form').locator('[role=alert]')
  await expect(alert).toContainText('has not reached the server yet')
  await page.getByTestId('lang-switch').click()
  await expect(alert).toContainText('अभी सर्वर तक नहीं पहुँचा है')
  expect((await fake(page)).answered).toBeUndefined()
})

test('a rejected capture shows the reason and asks nothing', async ({ open }) => {
  const page = await open({ captures: 30, reviewed: true, lang: 'hi' }, '#/queue')
  const refused = (await all(page)).find((c) => c.review === 'rejected')!
  await page.goto(page.url().replace(/#.*/, `#/item/${refused.id}`))
  const verdict = page.getByTestId('item-verdict')
  await expect(verdict.getByTestId('verdict')).toHaveText('अस्वीकृत')
  await expect(verdict).toContainText('समन्वयक ने लिखा:')
  await expect(verdict.getByTestId('verdict-note')).toHaveText('Blurred; please take it again')
  await expect(page.getByTestId('answer-form')).toHaveCount(0)
  await expect(page.getByTestId('item-sync')).toContainText('सर्वर पर सुरक्षित है।')
})

test('audio plays in the app; a video it cannot decode, and media no longer here, are labelled', async ({ open }) => {
  const page = await open({ captures: 30, lang: 'en' }, '#/queue')
  const caps = await all(page)
  const audio = caps.find((c) => c.kind === 'audio')!
  await page.goto(page.url().replace(/#.*/, `#/item/${audio.id}`))
  await page.getByTestId('item-play').click()
  const player = page.getByTestId('item-player')
  await expect(player).toHaveAttribute('controls', '')
  await page.waitForFunction(() => (document.querySelector('[data-testid=item-player]') as HTMLMediaElement).duration > 0.4)
  await expect(page.getByTestId('media-label')).toHaveCount(0)

  // These "video" bytes are a picture: no player decodes them, and the screen says so.
  const video = caps.find((c) => c.kind === 'video')!
  await page.goto(page.url().replace(/#.*/, `#/item/${video.id}`))
  const play = page.getByTestId('item-play')
  if (await play.count()) await play.click()
  await expect(page.getByTestId('media-label')).toContainText('This video cannot be played in the app on this device.')
  await page.getByTestId('lang-switch').click()
  await expect(page.getByTestId('media-label')).toContainText('यह वीडियो इस डिवाइस पर ऐप में नहीं चल सकता।')
  await page.getByTestId('lang-switch').click()

  // A photo whose media was cleared after sync: its preview, and a word why.
  const photo = caps.find((c) => c.kind === 'photo' && c.state === 'synced')!
  await page.evaluate((sha) => ((window as unknown as { __fake: Fake }).__fake.purged = [sha]), photo.sha256)
  await page.goto(page.url().replace(/#.*/, `#/item/${photo.id}`))
  await expect(page.getByTestId('media-label')).toContainText('The photo is no longer on this device (it is on the server).')
  await expect(page.getByTestId('item-photo')).toBeVisible()
})

test('a capture that is not on this device says so', async ({ open }) => {
  const page = await open({ captures: 3, lang: 'en' }, '#/item/019affff-0000-7000-8000-000000000000')
  await expect(page.getByTestId('item-title')).toHaveText('This capture is not on this device')
  await expect(page.locator('[role=alert][data-error=not_found]')).toContainText('That item no longer exists.')
})

test('verdicts that arrive with a sync are announced on any screen and lead to the capture', async ({ open }) => {
  const page = await open({ captures: 30, lang: 'en' }, '#/capture')
  const notice = page.getByTestId('verdict-notice')
  await expect(notice).toBeHidden()
  const synced = (await all(page)).filter((c) => c.state === 'synced')
  const [first, second, third] = synced
  await setFake(page, first.id, { review: 'needs_info', review_note: 'Which booth is this?' })
  await emit(page, { event: 'reviewed', capture_id: first.id, verdict: 'needs_info', note: 'Which booth is this?' })
  await expect(notice).toBeVisible()
  await expect(notice).toContainText('A coordinator needs more information about one of your captures: “Which booth is this?”')
  await expect(page.getByTestId('notice-open')).toHaveText('Open and answer')
  await page.getByTestId('lang-switch').click()
  await expect(notice).toContainText('समन्वयक को आपके एक कैप्चर के बारे में और जानकारी चाहिए: “Which booth is this?”')
  await page.getByTestId('lang-switch').click()

  // The same capture again counts once; others are counted, and lead to the queue.
  await emit(page, { event: 'reviewed', capture_id: first.id, verdict: 'needs_info', note: 'Which booth is this?' })
  await expect(notice).toContainText('A coordinator needs more information')
  await emit(page, { event: 'reviewed', capture_id: second.id, verdict: 'approved', note: null })
  await emit(page, { event: 'reviewed', capture_id: third.id, verdict: 'rejected', note: 'Wrong event' })
  await expect(notice).toContainText('Coordinators reviewed 3 of your captures.')
  await page.getByTestId('notice-open').click()
  await expect(notice).toBeHidden()
  await expect(page).toHaveURL(/#\/queue$/)

  // One verdict leads straight to its capture, at the question.
  await emit(page, { event: 'reviewed', capture_id: first.id, verdict: 'needs_info', note: 'Which booth is this?' })
  await page.getByTestId('notice-open').click()
  await expect(page).toHaveURL(new RegExp(`#/item/${first.id}$`))
  await expect(page.getByTestId('item-verdict').getByTestId('verdict-note')).toHaveText('Which booth is this?')
  await expect(page.getByTestId('answer-form')).toBeVisible()
})
