// One capture, opened from the queue (#/item/<id>): its media, what it says of itself
// (time on its own clock, place, caption, tags), how far it got on its way to the server
// in plain words, and the coordinator's verdict with the note. When the verdict asks for
// information, the answer is given here: the core makes the capture's next revision
// (same media, signed again) and the sync sends it (crates/saakshi-core/src/revise.rs).

import { field, h, setT, tx } from '../dom'
import { showError } from '../errors'
import { bytes, captureTime, coords, count } from '../format'
import { i18n } from '../i18n'
import { api, isAppError, type Location, type QueueItem } from '../ipc'
import { manualFix } from '../location'
import { refreshStatus, syncEvents } from '../state'
import { answerState, verdictBadge } from '../verdict'

function parseTags(text: string): string[] {
  return text
    .split(/[,،\n]/)
    .map((t) => t.trim())
    .filter(Boolean)
}

/** A kind's word inside a sentence ("the video itself"); Hindi has no capitals. */
function kindWord(item: QueueItem): string {
  const word = i18n.t(`kind.${item.kind}`)
  return i18n.lang() === 'en' ? word.toLowerCase() : word
}

function title(item: QueueItem): string {
  return item.caption || item.original_name || i18n.t(`kind.${item.kind}`)
}

function place(l: Location | null): HTMLElement {
  if (!l) return h('span', { class: 'warn' }, tx('item.no_location'))
  const accuracy = l.accuracy_m === null ? tx('capture.accuracy_unknown') : tx('capture.accuracy_m', { m: Math.round(l.accuracy_m) })
  return h('span', {}, coords(l), ' ', accuracy, ' · ', tx(`source.${l.source}`))
}

/** Where the capture is on its way, in words a volunteer uses. */
function syncWords(item: QueueItem): HTMLElement {
  const kind = kindWord(item)
  const done = item.state === 'synced' || item.state === 'uploaded' ? item.size : item.upload_offset
  const pct = item.size ? Math.floor((done * 100) / item.size) : 0
  const line = (() => {
    switch (item.state) {
      case 'captured':
        return tx(item.revision > 1 ? 'item.sync_answer_waiting' : 'item.sync_captured')
      case 'registered':
        return tx('item.sync_registered', { kind })
      case 'previewed':
        return done > 0 ? tx('item.sync_sending', { pct: count(pct), done: bytes(done), size: bytes(item.size) }) : tx('item.sync_previewed', { kind })
      case 'uploaded':
        return tx('item.sync_uploaded')
      case 'synced':
        return tx('item.sync_synced')
      case 'failed':
        return tx('item.sync_failed')
    }
  })()
  const el = h('div', { 'data-testid': 'item-sync', 'data-state': item.state }, h('p', { class: `sync-line s-${item.state}` }, line))
  if (item.state !== 'synced' && item.state !== 'captured' && item.state !== 'failed') {
    el.append(h('progress', { max: '100', value: String(pct), 'aria-label': i18n.t('queue.progress', { pct }) }))
  }
  // The core's own words (English) for why it stopped: for whoever helps the volunteer.
  const why = item.failure ?? item.last_error
  if (why) el.append(h('p', { class: 'hint' }, tx(item.failure ? 'item.why_failed' : 'item.last_try'), ' ', h('span', { lang: 'en' }, why)))
  return el
}

function details(item: QueueItem): HTMLElement {
  const rows: [string, Node | string][] = [
    ['item.kind', i18n.t(`kind.${item.kind}`)],
    ['item.taken', captureTime(item.captured_at)],
    ['item.place', place(item.location)],
    ['capture.caption', item.caption || '—'],
    ['capture.tags', item.tags.length ? item.tags.join(', ') : '—'],
    ['capture.event', item.event ?? '—'],
    ['item.size', bytes(item.size)],
  ]
  if (item.original_name) rows.push(['item.file', item.original_name])
  if (item.revision > 1) rows.push(['item.version', i18n.t('item.version_n', { n: item.revision })])
  return h('dl', { 'data-testid': 'item-details' }, ...rows.flatMap(([k, v]) => [h('dt', {}, tx(k)), h('dd', { 'data-field': k.replace(/^\w+\./, '') }, v)]))
}

/** The photo itself; audio and video once asked for (they can be large), or a label
 *  when this WebView cannot play them. */
function media(item: QueueItem): { el: HTMLElement; stop: () => void } {
  const el = h('div', { class: 'item-media', 'data-testid': 'item-media' })
  const urls: string[] = []
  const url = (buf: ArrayBuffer, type: string) => {
    const u = URL.createObjectURL(new Blob([buf], { type }))
    urls.push(u)
    return u
  }
  // Texts that name the kind are written again on a language switch (the word inside
  // them changes too, which the remembered text alone would not do).
  const named: [HTMLElement, string][] = []
  const vars = () => ({ kind: kindWord(item), size: bytes(item.size) })
  const say = <E extends HTMLElement>(e: E, key: string): E => {
    named.push([e, key])
    setT(e, key, vars())
    return e
  }
  const label = (key: string) => say(h('p', { class: 'media-label', 'data-testid': 'media-label' }), key)
  const offLang = i18n.onChange(() => named.forEach(([e, key]) => setT(e, key, vars())))
  if (item.kind === 'photo') {
    el.append(label('item.loading'))
    void api
      .media(item.sha256)
      .then((buf) => el.replaceChildren(h('img', { src: url(buf, item.mime), alt: title(item), 'data-testid': 'item-photo' })))
      .catch(async () => {
        // Media may have been cleared from the device after sync; the preview stays.
        const thumb = await api.thumbnail(item.sha256).catch(() => new ArrayBuffer(0))
        el.replaceChildren(
          ...(thumb.byteLength ? [h('img', { src: url(thumb, 'image/jpeg'), alt: title(item), 'data-testid': 'item-photo' })] : []),
          label('item.media_not_here'),
        )
      })
  } else {
    const tag = item.kind === 'video' ? 'video' : 'audio'
    const probe = document.createElement(tag)
    if (!probe.canPlayType(item.mime)) {
      el.append(label('item.cannot_play'))
    } else {
      const play = say(h('button', { type: 'button', class: 'primary', 'data-testid': 'item-play' }), 'item.play')
      play.addEventListener('click', async () => {
        play.disabled = true
        try {
          const buf = await api.media(item.sha256)
          const player = h(tag, { controls: true, src: url(buf, item.mime), 'data-testid': 'item-player' }) as HTMLMediaElement
          // Some recordings name a type this WebView takes but cannot decode after all.
          player.addEventListener('error', () => el.replaceChildren(label('item.cannot_play')))
          el.replaceChildren(player)
        } catch {
          el.replaceChildren(label('item.media_not_here'))
        }
      })
      el.append(play)
    }
  }
  return {
    el,
    stop: () => {
      offLang()
      urls.forEach((u) => URL.revokeObjectURL(u))
    },
  }
}

/** Caption, tags and place, changed as the coordinator asked, sent as the next revision. */
function answerForm(item: QueueItem, answered: () => void): HTMLElement {
  const errors = h('div', { class: 'errors', 'aria-live': 'assertive' })
  const caption = h('textarea', { id: 'answer-caption', rows: '3', maxlength: '4000', 'data-testid': 'answer-caption' })
  caption.value = item.caption
  const tags = h('input', { id: 'answer-tags', type: 'text', autocomplete: 'off', 'data-testid': 'answer-tags' })
  tags.value = item.tags.join(', ')
  const lat = h('input', { id: 'answer-lat', type: 'text', inputmode: 'decimal', autocomplete: 'off', 'data-testid': 'answer-lat' })
  const lon = h('input', { id: 'answer-lon', type: 'text', inputmode: 'decimal', autocomplete: 'off', 'data-testid': 'answer-lon' })
  const acc = h('input', { id: 'answer-accuracy', type: 'text', inputmode: 'decimal', autocomplete: 'off', 'data-testid': 'answer-accuracy' })
  if (item.location) {
    lat.value = String(item.location.lat)
    lon.value = String(item.location.lon)
    acc.value = item.location.accuracy_m === null ? '' : String(item.location.accuracy_m)
  }
  const placeBox = h('fieldset', { class: 'answer-place', hidden: true }, h('legend', {}, tx('item.new_place')), h('div', { class: 'grid3' }, field('capture.lat', lat), field('capture.lon', lon), field('capture.accuracy', acc)))
  const changePlace = h('button', { type: 'button', 'aria-expanded': 'false', 'data-testid': 'answer-change-place' }, tx('item.change_place'))
  changePlace.addEventListener('click', () => {
    placeBox.hidden = !placeBox.hidden
    changePlace.setAttribute('aria-expanded', String(!placeBox.hidden))
    if (!placeBox.hidden) lat.focus()
  })
  const send = h('button', { type: 'submit', class: 'primary', 'data-testid': 'answer-send' }, tx('answer.send'))
  const form = h(
    'form',
    { class: 'answer', novalidate: true, 'data-testid': 'answer-form' },
    h('h3', {}, tx('answer.title')),
    h('p', { class: 'hint' }, tx('answer.hint')),
    field('capture.caption', caption),
    field('capture.tags', tags, 'capture.tags_hint'),
    h('div', { class: 'row' }, changePlace),
    placeBox,
    errors,
    h('div', { class: 'row' }, send),
  )
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    let location: Location | null = null
    if (!placeBox.hidden) {
      const num = (s: string) => (s.trim() === '' ? NaN : Number(s.trim().replace(',', '.')))
      const fix = manualFix(num(lat.value), num(lon.value), acc.value.trim() === '' ? null : num(acc.value))
      if (!fix || fix.status !== 'fix') {
        showError(errors, { kind: 'invalid', field: 'location', detail: '' })
        return
      }
      location = fix.location
    }
    send.disabled = true
    try {
      await api.answer(item.id, { caption: caption.value, tags: parseTags(tags.value), location })
      showError(errors, null)
      answered()
    } catch (err) {
      showError(errors, err)
      send.disabled = false
    }
  })
  return form
}

function verdictCard(item: QueueItem, openAnswer: boolean, answered: () => void): HTMLElement {
  const card = h('section', { class: 'card verdict-card', 'data-testid': 'item-verdict', 'data-review': item.review })
  card.append(h('h3', {}, tx('item.verdict')))
  if (item.review === 'pending') {
    card.append(h('p', { 'data-testid': 'verdict-pending' }, tx(item.state === 'synced' ? 'item.not_reviewed' : 'item.not_reviewed_yet_sent')))
    return card
  }
  card.append(h('p', {}, verdictBadge(item.review)))
  if (item.review_note) {
    card.append(h('p', { class: 'label' }, tx('item.coordinator_wrote')), h('blockquote', { class: 'question', 'data-testid': 'verdict-note' }, item.review_note))
  }
  if (item.review !== 'needs_info') return card
  const answer = answerState(item)
  if (answer) {
    card.append(h('p', { class: `alert ${answer === 'sent' ? 'ok' : 'info'}`, role: 'status', 'data-testid': 'answer-state', 'data-answer': answer }, tx(`item.answer_${answer}`)))
    if (answer === 'waiting') return card
  } else if (item.state !== 'synced') {
    // The core refuses while the capture is on its way (revise.rs); say so before asking.
    card.append(h('p', { class: 'hint' }, tx('item.answer_after_sync')))
    return card
  }
  const form = answerForm(item, answered)
  if (answer === 'sent' && !openAnswer) {
    // Answered already: more can be added, but the form does not ask for it again.
    form.hidden = true
    const more = h('button', { type: 'button', 'data-testid': 'answer-more' }, tx('item.answer_more'))
    more.addEventListener('click', () => {
      more.remove()
      form.hidden = false
      form.querySelector('textarea')?.focus()
    })
    card.append(more)
  }
  card.append(form)
  if (openAnswer && !form.hidden) queueMicrotask(() => form.querySelector('textarea')?.focus())
  return card
}

export function itemScreen(root: HTMLElement, arg = ''): () => void {
  const [id, action] = arg.split('/')
  const errors = h('div', { class: 'errors', 'aria-live': 'assertive' })
  const heading = h('h2', { 'data-testid': 'item-title' })
  const saved = h('p', { class: 'alert ok', role: 'status', hidden: true, 'data-testid': 'answer-saved' }, tx('answer.sent'))
  const mediaSlot = h('section', { class: 'card' })
  const verdictSlot = h('div', {})
  const detailsSlot = h('section', { class: 'card' })
  const syncSlot = h('section', { class: 'card' })
  const back = h('a', { href: '#/queue', class: 'back', 'data-testid': 'back' }, tx('item.back'))
  // The coordinator's word first: on a phone it is what the volunteer came for.
  root.append(back, heading, errors, saved, verdictSlot, mediaSlot, detailsSlot, syncSlot)

  let item: QueueItem | null = null
  let stopMedia = () => {}
  let openAnswer = action === 'answer'

  const renderText = () => {
    if (!item) return
    heading.textContent = title(item)
    detailsSlot.replaceChildren(h('h3', {}, tx('capture.details')), details(item))
    syncSlot.replaceChildren(h('h3', {}, tx('item.sync')), syncWords(item))
  }
  const renderVerdict = () => {
    if (!item) return
    verdictSlot.replaceChildren(
      verdictCard(item, openAnswer, () => {
        openAnswer = false
        saved.hidden = false
        refreshStatus(0)
        void load()
      }),
    )
  }
  const load = async () => {
    try {
      const first = item === null
      item = await api.queueItem(id)
      root.dataset.id = item.id
      // "Saved, will be sent" holds only until it is sent; the verdict card says the rest.
      if (answerState(item) !== 'waiting') saved.hidden = true
      if (first) {
        const m = media(item)
        stopMedia = m.stop
        mediaSlot.replaceChildren(m.el)
      }
      renderText()
      renderVerdict()
    } catch (e) {
      showError(errors, e)
      if (isAppError(e) && e.kind === 'not_found') setT(heading, 'item.gone')
    }
  }
  void load()

  // Progress moves the words in place; a new state or verdict reloads what it changes.
  let reload: ReturnType<typeof setTimeout> | null = null
  const off = syncEvents.on((e) => {
    if (!item || !('capture_id' in e) || e.capture_id !== item.id) return
    if (e.event === 'progress') {
      item.upload_offset = e.done
      syncSlot.replaceChildren(h('h3', {}, tx('item.sync')), syncWords(item))
      return
    }
    if (reload) return
    reload = setTimeout(() => {
      reload = null
      void load()
    }, 0)
  })
  // Times and numbers are written in the language of the moment.
  const offLang = i18n.onChange(renderText)
  return () => {
    off()
    offLang()
    stopMedia()
    if (reload) clearTimeout(reload)
  }
}
