// Queue: every capture with its preview, state, live upload progress, last error in
// words and a retry; filters by state and kind; counts and bytes waiting. Paged
// queries and a virtualised list keep it smooth with 10,000 captures.

import { field, h, setAttrT, tx } from '../dom'
import { showError } from '../errors'
import { bytes, captureTime, count } from '../format'
import { i18n } from '../i18n'
import { api, KINDS, STATES, type CaptureState, type MediaKind, type QueueItem, type Status } from '../ipc'
import { app, refreshStatus, statusChanged, syncEvents } from '../state'
import { VirtualList } from '../virtual-list'
import { answerState, verdictBadge } from '../verdict'

const ROW_HEIGHT = 96
const PAGE = 100

// Previews as object URLs, the most recent few hundred kept.
const thumbs = new Map<string, Promise<string | null>>()
function thumbUrl(sha: string): Promise<string | null> {
  let p = thumbs.get(sha)
  if (!p) {
    p = api
      .thumbnail(sha)
      .then((buf) => (buf.byteLength ? URL.createObjectURL(new Blob([buf], { type: 'image/jpeg' })) : null))
      .catch(() => null)
    thumbs.set(sha, p)
    if (thumbs.size > 400) {
      const [oldest, url] = thumbs.entries().next().value!
      thumbs.delete(oldest)
      void url.then((u) => u && URL.revokeObjectURL(u))
    }
  }
  return p
}

const KIND_ICON: Record<MediaKind, string> = { photo: '◉', video: '▶', audio: '♪', note: '✎' }

function percent(item: QueueItem): number {
  if (item.state === 'synced' || item.state === 'uploaded') return 100
  return item.size ? Math.floor((item.upload_offset * 100) / item.size) : 0
}

function row(item: QueueItem | undefined, retry: (id: string) => void): HTMLElement {
  if (!item) return h('div', { class: 'qrow placeholder', 'aria-busy': 'true' }, tx('queue.loading'))
  const img = h('div', { class: 'thumb', 'aria-hidden': 'true' }, KIND_ICON[item.kind])
  void thumbUrl(item.sha256).then((url) => {
    if (url) img.replaceChildren(h('img', { src: url, alt: '', loading: 'lazy' }))
  })
  const title = item.caption || item.original_name || i18n.t(`kind.${item.kind}`)
  const pct = percent(item)
  const bar = h('progress', { max: '100', value: String(pct), 'data-testid': 'progress' })
  setAttrT(bar, 'aria-label', 'queue.progress', { pct })
  const why = item.failure ?? item.last_error
  const answer = answerState(item)
  // The verdict and where the answer stands, on a line of their own: the badge keeps its
  // width, the note gives way.
  const verdictLine =
    item.review === 'pending'
      ? null
      : h(
          'p',
          { class: `qverdict v-${item.review}` },
          verdictBadge(item.review, true),
          answer
            ? h('span', { class: 'qanswer', 'data-testid': 'answer-state', 'data-answer': answer }, tx(`queue.answer_${answer}`))
            : item.review_note
              ? h('span', { class: 'qvnote', 'data-testid': 'verdict-note' }, tx('queue.verdict_note', { note: item.review_note }))
              : null,
        )
  const el = h(
    'div',
    { class: 'qrow', 'data-id': item.id, 'data-state': item.state, 'data-review': item.review, 'data-testid': 'queue-row' },
    img,
    h(
      'div',
      { class: 'qmain' },
      // The title opens the capture; its hit area covers the whole row (CSS), the row's
      // buttons stay above it.
      h('p', { class: 'qtitle' }, h('a', { href: `#/item/${item.id}`, class: 'qopen', 'data-testid': 'open' }, title)),
      h(
        'p',
        { class: 'qmeta' },
        h('span', { class: `badge s-${item.state}`, 'data-testid': 'state' }, tx(`state.${item.state}`)),
        ' ',
        h('span', { 'data-testid': 'taken' }, captureTime(item.captured_at)),
        ' · ',
        bytes(item.size),
        item.location ? '' : h('span', { class: 'warn', 'data-testid': 'no-fix' }, ' · ', tx('queue.no_location')),
      ),
      item.state === 'synced' ? null : bar,
      why ? h('p', { class: item.failure ? 'qerror' : 'qnote', 'data-testid': 'why' }, why) : null,
      verdictLine,
    ),
  )
  if (item.review === 'needs_info' && !answer && item.state === 'synced') {
    const b = h('a', { href: `#/item/${item.id}/answer`, class: 'button retry', 'data-testid': 'answer' }, tx('queue.answer'))
    setAttrT(b, 'aria-label', 'queue.answer_one', { title })
    el.append(b)
  }
  if (item.state === 'failed') {
    const b = h('button', { type: 'button', class: 'retry', 'data-testid': 'retry', onclick: () => retry(item.id) }, tx('queue.retry'))
    setAttrT(b, 'aria-label', 'queue.retry_one', { title })
    el.append(b)
  }
  return el
}

function summary(s: Status): HTMLElement {
  const chips = s.states
    .filter((c) => c.count > 0)
    .map((c) => h('li', { class: `chip s-${c.state}`, 'data-state': c.state }, tx(`state.${c.state}`), ` ${count(c.count)}`))
  return h(
    'div',
    { class: 'summary', 'data-testid': 'queue-summary' },
    h('p', {}, s.pending_count ? tx('queue.pending', { n: count(s.pending_count), size: bytes(s.pending_bytes) }) : tx('queue.all_synced')),
    h('ul', { class: 'chips' }, ...chips),
  )
}

export function queueScreen(root: HTMLElement): () => void {
  const filter: { state: CaptureState | null; kind: MediaKind | null } = { state: null, kind: null }
  const errors = h('div', { class: 'errors', 'aria-live': 'assertive' })

  const stateSel = h('select', { id: 'filter-state', 'data-testid': 'filter-state' }, h('option', { value: '' }, tx('queue.all_states')), ...STATES.map((s) => h('option', { value: s }, tx(`state.${s}`))))
  const kindSel = h('select', { id: 'filter-kind', 'data-testid': 'filter-kind' }, h('option', { value: '' }, tx('queue.all_kinds')), ...KINDS.map((k) => h('option', { value: k }, tx(`kind.${k}`))))
  const retryAll = h('button', { type: 'button', 'data-testid': 'retry-all' }, tx('queue.retry_all'))
  const sumSlot = h('div', {})
  const empty = h('p', { class: 'empty', hidden: true, 'data-testid': 'queue-empty' }, tx('queue.empty'))

  const retry = async (id: string | null) => {
    try {
      await api.retry(id)
      showError(errors, null)
      refreshStatus(0)
      await list.refresh()
    } catch (e) {
      showError(errors, e)
    }
  }

  const list = new VirtualList<QueueItem>({
    rowHeight: ROW_HEIGHT,
    pageSize: PAGE,
    label: i18n.t('nav.queue'),
    fetchPage: (offset, limit) => api.queue({ ...filter, offset, limit }),
    renderRow: (item) => row(item, (id) => void retry(id)),
  })
  setAttrT(list.el, 'aria-label', 'nav.queue')
  list.el.dataset.testid = 'queue-list'
  list.el.addEventListener('loaded', () => {
    empty.hidden = list.count() > 0
  })

  const onFilter = () => {
    filter.state = (stateSel.value || null) as CaptureState | null
    filter.kind = (kindSel.value || null) as MediaKind | null
    void list.reset().catch((e) => showError(errors, e))
  }
  stateSel.addEventListener('change', onFilter)
  kindSel.addEventListener('change', onFilter)
  retryAll.addEventListener('click', () => void retry(null))

  const renderSummary = (s: Status) => {
    sumSlot.replaceChildren(summary(s))
    const failed = s.states.find((c) => c.state === 'failed')?.count ?? 0
    retryAll.hidden = failed === 0
  }
  if (app.status) renderSummary(app.status)

  // Live progress: move the bar of the row in view; a state change redraws its page.
  let refreshTimer: ReturnType<typeof setTimeout> | null = null
  const offSync = syncEvents.on((e) => {
    if (e.event === 'progress') {
      list.forEachLoaded((item, index) => {
        if (item.id !== e.capture_id) return
        item.upload_offset = e.done
        const bar = list.el.querySelector<HTMLProgressElement>(`[data-id="${item.id}"] progress`)
        if (bar) {
          bar.value = percent(item)
          setAttrT(bar, 'aria-label', 'queue.progress', { pct: percent(item) })
        } else list.rerender(index)
      })
    } else if (e.event === 'reviewed') {
      list.forEachLoaded((item, index) => {
        if (item.id !== e.capture_id) return
        item.review = e.verdict
        item.review_note = e.note
        item.answered_at = null
        list.rerender(index)
      })
    } else if (e.event === 'state') {
      list.forEachLoaded((item, index) => {
        if (item.id !== e.capture_id) return
        item.state = e.state
        item.failure = e.state === 'failed' ? e.reason : null
        list.rerender(index)
      })
      if (!refreshTimer)
        refreshTimer = setTimeout(() => {
          refreshTimer = null
          void list.refresh()
        }, 1000)
    }
  })
  const offStatus = statusChanged.on(renderSummary)
  // Times and sizes are written in the language of the moment: redraw the rows in view.
  const offLang = i18n.onChange(() => list.forEachLoaded((_, index) => list.rerender(index)))

  root.append(
    h('h2', {}, tx('nav.queue')),
    sumSlot,
    h('div', { class: 'filters' }, field('queue.filter_state', stateSel), field('queue.filter_kind', kindSel), retryAll),
    errors,
    empty,
    list.el,
  )
  void list.reset().catch((e) => showError(errors, e))
  return () => {
    offSync()
    offStatus()
    offLang()
    if (refreshTimer) clearTimeout(refreshTimer)
  }
}
