// Small pieces several screens show: review state, kind, thumbnail.
import { h } from './dom'
import { t } from './i18n'
import { kindIcon } from './icons'
import type { CaptureSummary, Kind, ReviewState } from './types'

export function reviewBadge(state: ReviewState = 'pending'): HTMLElement {
  return h('span', { class: `badge review-${state}`, 'data-review': state }, t(`review.${state}`))
}

export function kindBadge(kind: Kind): HTMLElement {
  return h('span', { class: 'badge kind', 'data-kind': kind }, kindIcon(kind), ' ', t(`kind.${kind}`))
}

export function thumbnail(c: CaptureSummary): HTMLElement {
  if (c.has_thumbnail) {
    return h('img', {
      class: 'thumb',
      src: `/api/v1/review/captures/${c.id}/thumbnail`,
      alt: c.caption || t(`kind.${c.kind}`),
      loading: 'lazy',
      width: 160,
      height: 120,
    })
  }
  return h('div', { class: 'thumb placeholder', 'aria-hidden': 'true' }, kindIcon(c.kind, 40))
}
