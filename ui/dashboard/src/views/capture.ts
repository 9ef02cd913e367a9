// One capture: its media (streamed with Range by the browser's own players), every
// field of its record, where it was with the accuracy circle, both clocks, the
// provenance verdict, and the review actions whose verdict reaches the device.
import { get, post } from '../api'
import { kindBadge, reviewBadge } from '../badges'
import { h, mount, field, type Child } from '../dom'
import { errorText } from '../errors'
import { areaName, bytes, deviceTime, duration, when } from '../format'
import { t } from '../i18n'
import L, { baseMap } from '../leaflet'
import { href, type Route } from '../router'
import type { CaptureDetail, ReviewState } from '../types'

export function captureView(root: HTMLElement, route: Route): () => void {
  const id = route.path[1] ?? ''
  let map: L.Map | null = null
  let stopped = false
  mount(root, h('p', { class: 'muted' }, t('loading')))
  get<CaptureDetail>(`/api/v1/review/captures/${encodeURIComponent(id)}`)
    .then((c) => {
      if (stopped) return
      render(c)
    })
    .catch((e) => mount(root, back(), h('p', { class: 'error', role: 'alert' }, errorText(e))))

  function render(c: CaptureDetail) {
    const mapEl = c.location ? h('div', { class: 'map small', 'aria-label': t('capture.where') }) : null
    mount(
      root,
      back(),
      h('h1', null, c.caption || t(`kind.${c.kind}`)),
      h('div', { class: 'detail' },
        h('section', { class: 'media', 'aria-label': t('capture.media') }, media(c)),
        h('section', { class: 'facts' },
          provenance(c),
          reviewPanel(c, render),
          metadata(c),
          mapEl ? h('div', null, h('h2', null, t('capture.where')), mapEl) : h('p', { class: 'muted' }, t('capture.no_location')),
        )),
    )
    map?.remove()
    map = null
    if (mapEl && c.location) {
      const loc = c.location
      baseMap(mapEl, { scrollWheelZoom: false }).then((m) => {
        if (stopped) return m.remove()
        map = m
        const where: L.LatLngExpression = [loc.lat, loc.lon]
        // A view first: Leaflet cannot place vector layers (the circle) on a map without one.
        m.setView(where, 16)
        L.marker(where, { icon: L.divIcon({ className: `point review-${c.review?.state ?? 'pending'}`, iconSize: [16, 16] }), alt: t('capture.where') }).addTo(m)
        if (loc.accuracy_m) {
          const circle = L.circle(where, { radius: loc.accuracy_m, className: 'accuracy' }).addTo(m)
          m.fitBounds(circle.getBounds(), { maxZoom: 17, padding: [20, 20] })
        }
      })
    }
  }

  return () => {
    stopped = true
    map?.remove()
  }
}

function back(): HTMLElement {
  return h('a', { href: href('feed'), class: 'back' }, '← ', t('capture.back'))
}

function media(c: CaptureDetail): Child {
  if (c.media === 'missing') return h('p', { class: 'badge waiting' }, t('capture.media_waiting'))
  const src = `/api/v1/media/${c.sha256}`
  switch (c.kind) {
    case 'photo':
      return h('a', { href: src, target: '_blank', rel: 'noopener' },
        h('img', { class: 'viewer', src, alt: c.caption || t('kind.photo') }))
    case 'video':
      return h('video', { class: 'viewer', src, controls: true, preload: 'metadata', 'aria-label': t('kind.video') })
    case 'audio':
      return h('audio', { src, controls: true, preload: 'metadata', 'aria-label': t('kind.audio') })
    case 'note': {
      const pre = h('pre', { class: 'note' }, t('loading'))
      fetch(src).then((r) => r.text()).then((text) => (pre.textContent = text)).catch(() => (pre.textContent = '—'))
      return pre
    }
  }
}

function provenance(c: CaptureDetail): HTMLElement {
  const verdict = c.provenance?.verdict ?? 'unsigned'
  return h('section', { class: `provenance prov-${verdict}`, 'aria-label': t('capture.provenance') },
    h('h2', null, t('capture.provenance')),
    // The server's own detail is English: it goes in the tooltip, the verdict is translated.
    h('p', null, h('strong', { 'data-verdict': verdict, title: c.provenance?.detail ?? '' }, t(`provenance.${verdict}`))),
    h('p', { class: 'muted' }, t('provenance.device', { name: c.device_name ?? c.device_id })))
}

function metadata(c: CaptureDetail): HTMLElement {
  const loc = c.location
  // Every time on this page reads on the capture's own clock (its offset written beside
  // it), so that they compare at a glance whatever zone the reviewer's browser is in.
  const off = c.captured_at.offset_minutes
  const here = (v: string | number | null | undefined) => (v == null || v === '' ? '—' : deviceTime(v, off))
  const rows: [string, Child][] = [
    ['capture.kind', kindBadge(c.kind)],
    ['capture.device_time', deviceTime(c.captured_at.utc, off)],
    ['capture.server_time', here(c.received_at)],
    ['capture.clock_gap', c.received_at ? gap(c.captured_at.utc, c.received_at) : '—'],
    ['capture.device_skew', skew(c.device_clock_skew_ms)],
    ['capture.corrected_time', c.device_clock_skew_ms != null
      ? deviceTime(new Date(c.captured_at.utc).getTime() - c.device_clock_skew_ms, off)
      : '—'],
    ['capture.area', c.area ? `${areaName(c.area)} (${c.area.code})` : c.area_code ?? c.scope_area],
    ['capture.device', `${c.device_name ?? ''} (${c.device_id})`],
    ['capture.tags', c.tags.length ? c.tags.map((x) => '#' + x).join(' ') : '—'],
    ['capture.event', c.event ?? '—'],
    ['capture.lat_lon', loc ? `${loc.lat.toFixed(6)}, ${loc.lon.toFixed(6)}` : t('capture.no_location')],
    ['capture.accuracy', loc?.accuracy_m != null ? `± ${loc.accuracy_m} m` : '—'],
    ['capture.altitude', loc?.altitude_m != null ? `${loc.altitude_m} m` : '—'],
    ['capture.location_source', loc ? t(`source.${loc.source}`) : '—'],
    ['capture.fix_time', here(loc?.fix_time)],
    ['capture.mime', c.mime],
    ['capture.size', `${bytes(c.size)} (${c.size})`],
    ['capture.file', c.original_name ?? '—'],
    ['capture.sha256', h('code', { class: 'hash' }, c.sha256)],
    ['capture.id', h('code', null, c.id)],
    ['capture.revision', String(c.revision)],
  ]
  return h('section', { 'aria-label': t('capture.details') },
    h('h2', null, t('capture.details')),
    h('dl', { class: 'facts-list' }, rows.map(([k, v]) => [h('dt', null, t(k)), h('dd', { 'data-field': k }, v)])))
}

// Capture time is the device's clock, arrival the server's: a large gap is either a
// long offline wait or a wrong device clock, and a reviewer should see which.
function gap(captured: string, received: string): string {
  const ms = new Date(received).getTime() - new Date(captured).getTime()
  return t(ms < 0 ? 'capture.gap_before' : 'capture.gap_after', { d: duration(Math.abs(ms)) })
}

// The device reports its clock against the server's with every push; the last figure
// says how far to trust its capture times (and corrects them, if the clock was steady).
function skew(ms: number | null | undefined): string {
  if (ms == null) return t('capture.skew_unknown')
  const s = Math.round(ms / 1000)
  if (s === 0) return t('capture.skew_none')
  return t(s > 0 ? 'capture.skew_ahead' : 'capture.skew_behind', { n: Math.abs(s) })
}

function reviewPanel(c: CaptureDetail, rerender: (c: CaptureDetail) => void): HTMLElement {
  const r = c.review ?? { state: 'pending' as ReviewState, note: null, by: null, at: null }
  const note = h('textarea', { name: 'note', rows: 2 })
  const status = h('p', { role: 'status', class: 'muted' })
  const act = async (verdict: Exclude<ReviewState, 'pending'>) => {
    const text = note.value.trim()
    if (verdict !== 'approved' && !text) {
      status.className = 'error'
      status.textContent = t('review.note_required')
      note.focus()
      return
    }
    try {
      const updated = await post<CaptureDetail>(`/api/v1/review/captures/${c.id}/review`, text ? { verdict, note: text } : { verdict })
      rerender(updated)
      document.querySelector('.review-panel [role=status]')!.textContent = t('review.saved')
    } catch (e) {
      status.className = 'error'
      status.textContent = errorText(e)
    }
  }
  return h('section', { class: 'review-panel', 'aria-label': t('review.title') },
    h('h2', null, t('review.title')),
    h('p', null, reviewBadge(r.state),
      r.by ? h('span', { class: 'muted' }, ' ', t('review.by', { who: r.by, when: when(r.at) })) : null),
    r.note ? h('blockquote', { class: 'review-note' }, r.note) : null,
    field(t('review.note'), note, t('review.note_hint')),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'approve', onclick: () => act('approved') }, t('review.approve')),
      h('button', { type: 'button', class: 'needs-info', onclick: () => act('needs_info') }, t('review.ask')),
      h('button', { type: 'button', class: 'reject', onclick: () => act('rejected') }, t('review.reject'))),
    status)
}
