// When the location given for a capture contradicts the photo's own GPS position, or
// looks swapped, the shell stores nothing and says why (src-tauri commands/capture.rs,
// the core's import/location_check.rs). This panel shows both positions side by side
// and lets the volunteer choose: the photo's own, the swapped one, or theirs as given.

import { h, tx } from '../dom'
import { coords, count } from '../format'
import type { Location } from '../ipc'

/** One doubt, as the shell serialises saakshi-core's LocationDoubt. */
export type LocationDoubt =
  | { doubt: 'far_from_photo'; photo: Location; distance_km: number }
  | { doubt: 'looks_swapped'; swapped: Location }

/** What the volunteer chose: a location to store, and whether it was confirmed as given. */
export interface Choice {
  location: Location
  confirmed: boolean
}

export function doubtPanel(given: Location, doubts: LocationDoubt[], choose: (c: Choice | null) => void): HTMLElement {
  const far = doubts.find((d) => d.doubt === 'far_from_photo')
  const swap = doubts.find((d) => d.doubt === 'looks_swapped')
  const button = (key: string, testid: string, c: Choice | null, primary = false) =>
    h('button', { type: 'button', class: primary ? 'primary' : '', 'data-testid': testid, onclick: () => choose(c) }, tx(key))
  return h(
    'section',
    { class: 'alert info location-doubt', role: 'alert', 'data-testid': 'location-doubt' },
    h('strong', {}, tx('doubt.title')),
    h(
      'ul',
      {},
      h('li', { 'data-testid': 'doubt-given' }, tx('doubt.given', { where: coords(given) })),
      far ? h('li', { 'data-testid': 'doubt-photo' }, tx('doubt.photo', { where: coords(far.photo), km: count(Math.round(far.distance_km)) })) : null,
      swap ? h('li', { 'data-testid': 'doubt-swapped' }, tx('doubt.swapped', { where: coords(swap.swapped) })) : null,
    ),
    h('p', {}, tx('doubt.nothing_stored')),
    h(
      'div',
      { class: 'row' },
      swap ? button('doubt.use_swapped', 'doubt-use-swapped', { location: swap.swapped, confirmed: false }, true) : null,
      far ? button('doubt.use_photo', 'doubt-use-photo', { location: far.photo, confirmed: false }, !swap) : null,
      button('doubt.keep', 'doubt-keep', { location: given, confirmed: true }),
      button('doubt.cancel', 'doubt-cancel', null),
    ),
  )
}
