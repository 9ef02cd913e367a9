// The feed: captures in scope, newest first, filtered, paged; new arrivals appear at
// the top without a reload (the first page is asked for again every few seconds).
import { get } from '../api'
import { kindBadge, reviewBadge, thumbnail } from '../badges'
import { areasInScope } from '../cache'
import { h, mount } from '../dom'
import { errorText } from '../errors'
import { filterForm, filterQuery } from '../filters'
import { areaName, deviceTime } from '../format'
import { t, tn } from '../i18n'
import { href, type Route } from '../router'
import type { Area, CaptureSummary, Page } from '../types'

const PAGE = 50
const POLL_MS = 5000

export function feedView(root: HTMLElement, route: Route): () => void {
  const list = h('ol', { class: 'feed', 'aria-label': t('feed.list') })
  const count = h('p', { class: 'count', 'aria-live': 'polite' })
  const status = h('p', { class: 'error', role: 'alert' })
  const more = h('button', { type: 'button', hidden: true }, t('feed.more'))
  const seen = new Set<string>()
  let areas: Area[] = []
  let next: string | null = null
  let total = 0
  let stopped = false

  const exports = h(
    'div',
    { class: 'exports', role: 'group', 'aria-label': t('export.label') },
    h('span', null, t('export.label')),
    ['csv', 'geojson', 'zip'].map((ext) =>
      h('a', { class: 'button', href: `/api/v1/review/export.${ext}${filterQuery(route.params)}`, download: '' }, t(`export.${ext}`)),
    ),
  )

  const showCount = () => {
    count.textContent = tn('feed.count', total)
    count.dataset.total = String(total)
  }

  const card = (c: CaptureSummary, fresh = false) =>
    h(
      'li',
      { class: fresh ? 'capture-card fresh' : 'capture-card', 'data-id': c.id },
      h('a', { href: href(`capture/${c.id}`), class: 'card-link' },
        thumbnail(c),
        h('div', { class: 'card-body' },
          h('p', { class: 'caption' }, c.caption || h('span', { class: 'muted' }, t('capture.no_caption'))),
          h('p', { class: 'meta' }, kindBadge(c.kind), ' ', reviewBadge(c.review?.state),
            c.location ? null : h('span', { class: 'badge no-location' }, t('capture.no_location')),
            c.media === 'missing' ? h('span', { class: 'badge waiting' }, t('capture.media_waiting')) : null),
          h('p', { class: 'meta muted' },
            deviceTime(c.captured_at.utc, c.captured_at.offset_minutes), ' · ',
            areaName(areas.find((a) => a.code === (c.area_code ?? c.scope_area)), c.area_code ?? c.scope_area),
            ' · ', c.device_name ?? c.device_id.slice(-8)),
          c.tags.length ? h('p', { class: 'tags' }, c.tags.map((tag) => h('span', { class: 'tag' }, '#' + tag))) : null,
        )),
    )

  async function load(before?: string) {
    more.disabled = true
    try {
      const extra: Record<string, string> = { limit: String(PAGE) }
      if (before) extra.before = before
      const page = await get<Page<CaptureSummary>>(`/api/v1/review/captures${filterQuery(route.params, extra)}`)
      if (stopped) return
      for (const c of page.items) {
        if (seen.has(c.id)) continue
        seen.add(c.id)
        list.append(card(c))
      }
      next = page.next
      total = page.total ?? seen.size
      showCount()
      more.hidden = !next
      if (!list.children.length) {
        const filtered = [...route.params.values()].some((v) => v !== '')
        list.append(h('li', { class: 'empty' }, t(filtered ? 'feed.empty' : 'feed.none_yet')))
      }
    } catch (e) {
      status.textContent = errorText(e)
    } finally {
      more.disabled = false
    }
  }

  // New captures: anything on the first page not yet shown goes on top, newest first.
  async function poll() {
    try {
      const page = await get<Page<CaptureSummary>>(`/api/v1/review/captures${filterQuery(route.params, { limit: String(PAGE) })}`)
      if (stopped) return
      const fresh = page.items.filter((c) => !seen.has(c.id))
      if (fresh.length) {
        list.querySelector('.empty')?.remove()
        for (const c of fresh.reverse()) {
          seen.add(c.id)
          list.prepend(card(c, true))
        }
      }
      total = page.total ?? seen.size
      showCount()
      status.textContent = ''
    } catch (e) {
      if (!stopped) status.textContent = errorText(e)
    }
  }

  more.addEventListener('click', () => next && load(next))
  mount(
    root,
    h('h1', null, t('feed.title')),
    filterForm('feed', route.params),
    h('div', { class: 'toolbar' }, count, exports),
    status,
    list,
    more,
  )
  areasInScope()
    .then((a) => (areas = a))
    .catch(() => {})
    .finally(() => load())
  const timer = setInterval(poll, POLL_MS)
  return () => {
    stopped = true
    clearInterval(timer)
  }
}
