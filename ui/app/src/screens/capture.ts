// Capture: photo, video and audio through the WebView's camera and microphone, or
// media already on the device; the location with its accuracy and age; caption, tags
// and event. The bytes go to the shell, which stores them durably before it answers.

import { field, h, setAttrT, setT, tx } from '../dom'
import { showError } from '../errors'
import { age, bytes, coords } from '../format'
import { i18n } from '../i18n'
import { api, isAppError, type CaptureRequest, type QueueItem } from '../ipc'
import { locate, manualFix, STALE_MS, type Fix } from '../location'
import { app, refreshStatus } from '../state'
import { deviceMissing, deviceProblem, frameJpeg, openStream, problemKind, record, stopStream, videoThumbnail, type DeviceProblem, type RecorderKind } from '../capture/recorder'
import { doubtPanel, type LocationDoubt } from '../capture/location-doubt'

// Kept across visits to other screens: the fix and what was typed.
let fix: Fix = { status: 'none' }
const draft = { caption: '', tags: '', event: '' }

function stamp(kind: string, type: string): string {
  const ext = type.includes('mp4') ? 'mp4' : type.includes('ogg') ? 'ogg' : type.includes('jpeg') ? 'jpg' : 'webm'
  const t = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')
  return `${kind}-${t}.${ext}`
}

function parseTags(text: string): string[] {
  return text
    .split(/[,،\n]/)
    .map((t) => t.trim())
    .filter(Boolean)
}

function locationCard(): { card: HTMLElement; stop: () => void } {
  const card = h('section', { class: 'card location', 'data-testid': 'location' })
  setAttrT(card, 'aria-label', 'capture.location')
  const text = h('p', { class: 'loc-text', role: 'status', 'aria-live': 'polite', 'data-testid': 'location-text' })
  const locateBtn = h('button', { type: 'button', 'data-testid': 'locate' }, tx('capture.locate'))
  const manualBtn = h('button', { type: 'button', 'aria-expanded': 'false', 'data-testid': 'manual-toggle' }, tx('capture.manual'))
  const lat = h('input', { id: 'lat', type: 'text', inputmode: 'decimal', autocomplete: 'off', 'data-testid': 'lat' })
  const lon = h('input', { id: 'lon', type: 'text', inputmode: 'decimal', autocomplete: 'off', 'data-testid': 'lon' })
  const acc = h('input', { id: 'accuracy', type: 'text', inputmode: 'decimal', autocomplete: 'off', 'data-testid': 'accuracy' })
  const manualErr = h('div', { class: 'errors' })
  const useBtn = h('button', { type: 'button', class: 'primary', 'data-testid': 'manual-use' }, tx('capture.manual_use'))
  const manual = h(
    'div',
    { class: 'manual', hidden: true },
    h('div', { class: 'grid3' }, field('capture.lat', lat), field('capture.lon', lon), field('capture.accuracy', acc)),
    manualErr,
    useBtn,
  )

  const render = () => {
    card.dataset.status = fix.status
    if (fix.status === 'fix') {
      const l = fix.location
      const stale = Date.now() - fix.at > STALE_MS
      const manual = l.source === 'manual'
      const accuracy = l.accuracy_m === null ? tx('capture.accuracy_unknown') : tx('capture.accuracy_m', { m: Math.round(l.accuracy_m) })
      // A typed place ages like a found one: "entered 3 min ago", and when old, a
      // reminder to check it (typing it again, not searching, is what helps).
      text.replaceChildren(
        h('strong', {}, coords(l)),
        ' ',
        accuracy,
        ' · ',
        tx(manual ? 'capture.entered_age' : 'capture.fix_age', { age: age(Date.now() - fix.at) }),
        ' · ',
        tx(`source.${l.source}`),
        stale ? h('span', { class: 'warn', 'data-testid': 'stale' }, ' · ', tx(manual ? 'capture.stale_manual' : 'capture.stale')) : '',
      )
    } else if (fix.status === 'locating') {
      text.replaceChildren(tx('capture.locating'))
    } else if (fix.status === 'failed') {
      text.replaceChildren(h('span', { class: 'warn' }, tx(`capture.fix_${fix.reason}`)), ' ', tx('capture.no_fix_allowed'))
    } else {
      text.replaceChildren(tx('capture.no_fix'), ' ', tx('capture.no_fix_allowed'))
    }
  }
  // The age keeps counting while the screen is open, and is said in the language of the
  // moment (it is a value inside the sentence, which a switch alone would not rewrite).
  const timer = setInterval(() => fix.status === 'fix' && render(), 5000)
  const offLang = i18n.onChange(render)

  locateBtn.addEventListener('click', async () => {
    fix = { status: 'locating' }
    render()
    fix = await locate(app.info.mobile)
    render()
  })
  manualBtn.addEventListener('click', () => {
    manual.hidden = !manual.hidden
    manualBtn.setAttribute('aria-expanded', String(!manual.hidden))
    if (!manual.hidden) lat.focus()
  })
  useBtn.addEventListener('click', () => {
    const num = (s: string) => (s.trim() === '' ? NaN : Number(s.trim().replace(',', '.')))
    const a = acc.value.trim() === '' ? null : num(acc.value)
    const f = manualFix(num(lat.value), num(lon.value), a)
    if (!f) {
      showError(manualErr, { kind: 'invalid', field: 'location', detail: '' })
      return
    }
    showError(manualErr, null)
    fix = f
    manual.hidden = true
    manualBtn.setAttribute('aria-expanded', 'false')
    render()
  })
  render()
  card.append(h('h2', {}, tx('capture.location')), text, h('div', { class: 'row' }, locateBtn, manualBtn), manual)
  return {
    card,
    stop: () => {
      clearInterval(timer)
      offLang()
    },
  }
}

export function captureScreen(root: HTMLElement): () => void {
  const status = h('div', { class: 'confirm', role: 'status', 'aria-live': 'polite', 'data-testid': 'capture-status' })
  const errors = h('div', { class: 'errors', 'aria-live': 'assertive' })
  // Captures held back because their location is in doubt, each waiting for a choice.
  const doubts = h('div', { class: 'doubts' })
  let stream: MediaStream | null = null
  let busy = false

  const caption = h('textarea', { id: 'caption', rows: '2', maxlength: '4000', 'data-testid': 'caption' })
  caption.value = draft.caption
  caption.addEventListener('input', () => (draft.caption = caption.value))
  const tags = h('input', { id: 'tags', type: 'text', autocomplete: 'off', 'data-testid': 'tags' })
  tags.value = draft.tags
  tags.addEventListener('input', () => (draft.tags = tags.value))
  const event = h('input', { id: 'event', type: 'text', maxlength: '200', autocomplete: 'off', 'data-testid': 'event' })
  event.value = draft.event
  event.addEventListener('input', () => (draft.event = event.value))

  const request = (name: string): CaptureRequest => ({
    name,
    location: fix.status === 'fix' ? fix.location : null,
    caption: caption.value.trim(),
    tags: parseTags(tags.value),
    event: event.value.trim() || null,
  })

  /** Sends one piece of media to the shell; says so when it is safely stored. The
   *  request is what was on screen when the media was made (a retry after a location
   *  doubt sends it again, with only the chosen location changed). */
  async function store(blob: Blob, name: string, thumb?: Blob | null, req: CaptureRequest = request(name)): Promise<QueueItem | null> {
    attempt++
    const started = performance.now()
    setT(status, 'capture.storing', { name })
    status.dataset.state = 'storing'
    showError(errors, null)
    try {
      const res = await api.capture(new Uint8Array(await blob.arrayBuffer()), req)
      const ms = Math.round(performance.now() - started)
      if (thumb && res.outcome === 'stored') {
        // A video's frame as its preview; the capture is already safe without it.
        api.setThumbnail(res.capture.sha256, new Uint8Array(await thumb.arrayBuffer())).catch(() => {})
      }
      status.dataset.state = res.outcome
      status.replaceChildren(
        h('span', { class: 'tick', 'aria-hidden': 'true' }, '✓ '),
        res.outcome === 'stored'
          ? tx('capture.stored', { kind: i18n.t(`kind.${res.capture.kind}`), size: bytes(res.capture.size), ms })
          : tx('capture.already'),
        res.capture.location ? '' : h('span', { class: 'warn' }, ' · ', tx('capture.stored_without_fix')),
      )
      status.dataset.ms = String(ms)
      if (res.outcome === 'stored') {
        // The caption described this capture; the next one needs its own (tags and event
        // usually hold for the whole event, so they stay).
        caption.value = ''
        draft.caption = ''
      }
      refreshStatus(0)
      return res.capture
    } catch (e) {
      status.dataset.state = 'error'
      status.replaceChildren()
      if (isAppError(e) && e.kind === 'location_doubt' && req.location) {
        status.dataset.state = 'doubt'
        askAboutLocation(blob, name, thumb ?? null, req, (e as unknown as { doubts: LocationDoubt[] }).doubts ?? [])
        return null
      }
      showError(errors, e)
      return null
    }
  }

  /** Both positions side by side; the media is stored again with the one chosen. */
  function askAboutLocation(blob: Blob, name: string, thumb: Blob | null, req: CaptureRequest, found: LocationDoubt[]) {
    const panel = doubtPanel(req.location!, found, (choice) => {
      panel.remove()
      if (!choice) {
        status.replaceChildren()
        delete status.dataset.state
        return
      }
      void store(blob, name, thumb, { ...req, location: choice.location, location_confirmed: choice.confirmed })
    })
    doubts.append(panel)
    panel.querySelector('button')?.focus()
  }

  // --- camera / microphone panel -------------------------------------------------
  const preview = h('video', { class: 'preview', autoplay: true, muted: true, playsinline: true, 'data-testid': 'preview' })
  const shutter = h('button', { type: 'button', class: 'shutter', 'data-testid': 'shutter' })
  const close = h('button', { type: 'button', 'data-testid': 'close-camera' }, tx('capture.close'))
  const panel = h('section', { class: 'card recorder', hidden: true, 'data-testid': 'recorder' }, preview, h('div', { class: 'row' }, shutter, close))
  let recording: { stop: () => Promise<Blob> } | null = null
  let recordingThumb: Promise<Blob | null> = Promise.resolve(null)
  let mode: RecorderKind = 'photo'

  function closePanel() {
    recording = null
    stopStream(stream)
    stream = null
    panel.hidden = true
    preview.srcObject = null
  }
  close.addEventListener('click', closePanel)

  // Each camera attempt and each stored capture takes a number: an attempt that fails
  // after something newer happened (a file chosen meanwhile) is not reported.
  let attempt = 0
  async function openPanel(kind: RecorderKind) {
    const mine = ++attempt
    showError(errors, null)
    closePanel()
    mode = kind
    // Until this attempt ends, whatever the outcome (tests wait on it).
    panel.dataset.opening = String(mine)
    setT(status, kind === 'audio' ? 'capture.opening_microphone' : 'capture.opening_camera')
    status.dataset.state = 'opening'
    const failed = (why: DeviceProblem) => {
      if (mine !== attempt) return
      status.replaceChildren()
      delete status.dataset.state
      showError(errors, { kind: problemKind(kind, why), detail: '' })
    }
    let opened: MediaStream
    try {
      // No camera at all is known at once; asking for one anyway can hang for seconds.
      const missing = await deviceMissing(kind)
      if (missing) return failed(missing)
      opened = await openStream(kind)
    } catch (e) {
      return failed(deviceProblem(e))
    } finally {
      if (panel.dataset.opening === String(mine)) delete panel.dataset.opening
    }
    if (mine !== attempt) {
      // Something newer happened while the camera opened: let it go.
      stopStream(opened)
      return
    }
    stream = opened
    status.replaceChildren()
    delete status.dataset.state
    preview.hidden = kind === 'audio'
    preview.srcObject = stream
    panel.hidden = false
    panel.dataset.mode = kind
    setT(shutter, kind === 'photo' ? 'capture.shutter' : 'capture.start_recording')
    shutter.focus()
  }

  shutter.addEventListener('click', async () => {
    if (busy || !stream) return
    if (mode === 'photo') {
      busy = true
      try {
        const jpeg = await frameJpeg(preview)
        await store(jpeg, stamp('photo', 'image/jpeg'))
      } catch {
        // No frame from the camera (it stopped, or never showed one).
        showError(errors, { kind: 'no_camera', detail: '' })
      } finally {
        busy = false
      }
      return
    }
    if (!recording) {
      // The video's preview is taken as recording starts, from the live frame.
      recordingThumb = mode === 'video' ? frameJpeg(preview, 320, 0.7).catch(() => null) : Promise.resolve(null)
      recording = record(stream, mode)
      panel.dataset.recording = 'true'
      setT(shutter, 'capture.stop_recording')
      return
    }
    busy = true
    const blob = await recording.stop()
    const thumb = await recordingThumb
    recording = null
    delete panel.dataset.recording
    setT(shutter, 'capture.start_recording')
    await store(blob, stamp(mode, blob.type), thumb)
    busy = false
  })

  // --- choose file ------------------------------------------------------------------
  const picker = h('input', { type: 'file', accept: 'image/*,video/*,audio/*', multiple: true, class: 'visually-hidden', id: 'pick', 'data-testid': 'file-input' })
  const pickLabel = h('label', { for: 'pick', class: 'big-button', 'data-testid': 'choose-file' }, h('span', { class: 'icon', 'aria-hidden': 'true' }, '▣'), tx('capture.choose'))
  picker.addEventListener('change', async () => {
    const files = [...(picker.files ?? [])]
    picker.value = ''
    for (const f of files) {
      const thumb = f.type.startsWith('video/') ? await videoThumbnail(f) : null
      await store(f, f.name, thumb)
    }
  })

  const big = (kind: RecorderKind, icon: string) =>
    h('button', { type: 'button', class: 'big-button', 'data-testid': `capture-${kind}`, onclick: () => openPanel(kind) }, h('span', { class: 'icon', 'aria-hidden': 'true' }, icon), tx(`capture.${kind}`))

  const notEnrolled =
    app.status && !app.status.server
      ? h('div', { class: 'alert info', 'data-testid': 'not-enrolled' }, tx('capture.not_enrolled'), ' ', h('a', { href: '#/enroll' }, tx('capture.enrol_now')))
      : null

  const loc = locationCard()
  root.append(
    h('h2', { class: 'visually-hidden' }, tx('nav.capture')),
    notEnrolled ?? '',
    h('div', { class: 'big-buttons' }, big('photo', '◉'), big('video', '▶'), big('audio', '♪'), pickLabel, picker),
    panel,
    status,
    errors,
    doubts,
    loc.card,
    h(
      'section',
      { class: 'card details' },
      h('h2', {}, tx('capture.details')),
      field('capture.caption', caption),
      field('capture.tags', tags, 'capture.tags_hint'),
      field('capture.event', event),
    ),
  )
  if (fix.status === 'none' && app.info.mobile) loc.card.querySelector<HTMLButtonElement>('[data-testid=locate]')!.click()
  return () => {
    closePanel()
    loc.stop()
  }
}
