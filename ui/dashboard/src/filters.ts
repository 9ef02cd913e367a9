// The capture filters shared by the feed, the map and the exports. They live in the
// route's query, so switching between feed and map keeps them, and the export links
// carry exactly what is on screen.
import { areasInScope, depth, devicesInScope } from './cache'
import { dateTimeField, readRange } from './datetime'
import { field, h } from './dom'
import { areaName } from './format'
import { t } from './i18n'
import { go } from './router'

export const FILTER_KEYS = ['area', 'from', 'to', 'kind', 'tag', 'event', 'review', 'device', 'located', 'q'] as const
export const KINDS = ['photo', 'video', 'audio', 'note'] as const
export const REVIEW_STATES = ['pending', 'approved', 'rejected', 'needs_info'] as const

/** Only the filter keys of a route's query, in API form. */
export function filterParams(params: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams()
  for (const k of FILTER_KEYS) {
    const v = params.get(k)
    if (v) out.set(k, v)
  }
  return out
}

export function filterQuery(params: URLSearchParams, extra: Record<string, string> = {}): string {
  const q = filterParams(params)
  for (const [k, v] of Object.entries(extra)) q.set(k, v)
  const s = q.toString()
  return s ? '?' + s : ''
}

function select(name: string, value: string, options: [string, string][]): HTMLSelectElement {
  return h(
    'select',
    { name },
    h('option', { value: '' }, t('filter.any')),
    options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)),
  )
}

/** The filter form, folded away unless a filter is set (or, with `openWide`, on a wide
 * screen); submitting it navigates to `path` with the new query. */
export function filterForm(path: string, params: URLSearchParams, openWide = true): HTMLDetailsElement {
  const active = filterParams(params)
  const open = active.size > 0 || (openWide && window.matchMedia('(min-width: 761px)').matches)
  return h('details', { class: 'filter-box', open },
    h('summary', null, t('filter.label'), active.size ? ` (${active.size})` : ''),
    filterFields(path, params))
}

function filterFields(path: string, params: URLSearchParams): HTMLFormElement {
  const area = select('area', params.get('area') ?? '', [])
  const device = select('device', params.get('device') ?? '', [])
  // Pickers fill in when their lists arrive; a failure leaves "any" and the feed says why.
  areasInScope()
    .then((areas) => {
      for (const a of areas) {
        const indent = '\u00a0\u00a0'.repeat(depth(a, areas))
        area.append(h('option', { value: a.code, selected: a.code === params.get('area') },
          `${indent}${areaName(a)} (${a.code})`))
      }
    })
    .catch(() => {})
  devicesInScope()
    .then((devices) => {
      for (const d of devices) {
        device.append(h('option', { value: d.id, selected: d.id === params.get('device') }, `${d.name} (${d.area_code})`))
      }
    })
    .catch(() => {})
  const q = h('input', { name: 'q', type: 'search', value: params.get('q') ?? '' })
  const from = dateTimeField(t('filter.from'), 'from', params.get('from'), { time: true })
  const to = dateTimeField(t('filter.to'), 'to', params.get('to'), { time: true, end: true })
  const problem = h('p', { class: 'error filter-error', role: 'alert' })
  const tag = h('input', { name: 'tag', value: params.get('tag') ?? '' })
  const event = h('input', { name: 'event', value: params.get('event') ?? '' })
  const kind = select('kind', params.get('kind') ?? '', KINDS.map((k) => [k, t(`kind.${k}`)]))
  const review = select('review', params.get('review') ?? '', REVIEW_STATES.map((r) => [r, t(`review.${r}`)]))
  const located = select('located', params.get('located') ?? '', [
    ['true', t('filter.located.yes')],
    ['false', t('filter.located.no')],
  ])
  const form = h(
    'form',
    {
      class: 'filters',
      role: 'search',
      'aria-label': t('filter.label'),
      onsubmit: (ev: Event) => {
        ev.preventDefault()
        // A date that is not one stops here, with the filters on screen left as they were.
        const range = readRange(from, to)
        if ('error' in range) return void (problem.textContent = range.error)
        const next = new URLSearchParams()
        const set = (k: string, v: string) => v && next.set(k, v)
        set('q', q.value.trim())
        set('area', area.value)
        set('kind', kind.value)
        set('review', review.value)
        set('located', located.value)
        set('device', device.value)
        set('tag', tag.value.trim())
        set('event', event.value.trim())
        set('from', range.from)
        set('to', range.to)
        go(path, next)
      },
    },
    field(t('filter.q'), q),
    field(t('filter.area'), area),
    field(t('filter.kind'), kind),
    field(t('filter.review'), review),
    field(t('filter.located'), located),
    field(t('filter.device'), device),
    field(t('filter.tag'), tag),
    field(t('filter.event'), event),
    from.el,
    to.el,
    problem,
    h('div', { class: 'filter-actions' },
      h('button', { type: 'submit', class: 'primary' }, t('filter.apply')),
      h('button', { type: 'button', onclick: () => go(path) }, t('filter.clear'))),
  )
  return form
}
