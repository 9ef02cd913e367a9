// Tells the volunteer when coordinators' verdicts arrive with a sync, whatever screen is
// open: one verdict is named (and when it asks for information, the coordinator's
// question is quoted) and leads to its capture; several are counted and lead to the
// queue. It stays until dismissed or followed.

import { h, tx } from './dom'
import { count } from './format'
import { i18n } from './i18n'
import type { Review } from './ipc'
import { syncEvents } from './state'

interface Arrived {
  id: string
  verdict: Exclude<Review, 'pending'>
  note: string | null
}

export function verdictNotice(): HTMLElement {
  const el = h('div', { class: 'notice', role: 'status', 'aria-live': 'polite', hidden: true, 'data-testid': 'verdict-notice' })
  let arrived: Arrived[] = []
  const dismiss = () => {
    arrived = []
    render()
  }
  const render = () => {
    if (!arrived.length) {
      el.hidden = true
      el.replaceChildren()
      return
    }
    const one = arrived.length === 1 ? arrived[0] : null
    const text = !one
      ? tx('notice.reviewed_many', { n: count(arrived.length) })
      : one.verdict === 'needs_info' && one.note
        ? tx('notice.needs_info', { note: one.note })
        : tx('notice.reviewed_one', { verdict: i18n.t(`verdict.${one.verdict}`) })
    el.replaceChildren(
      h('p', {}, text),
      one
        ? h('a', { class: 'button primary', href: `#/item/${one.id}`, 'data-testid': 'notice-open', onclick: dismiss }, tx(one.verdict === 'needs_info' ? 'notice.open_answer' : 'notice.open_capture'))
        : h('a', { class: 'button', href: '#/queue', 'data-testid': 'notice-open', onclick: dismiss }, tx('notice.open_queue')),
      h('button', { type: 'button', 'data-testid': 'notice-dismiss', onclick: dismiss }, tx('notice.dismiss')),
    )
    el.hidden = false
  }
  syncEvents.on((e) => {
    if (e.event !== 'reviewed') return
    // The same capture reviewed again counts once, with its latest verdict.
    arrived = [...arrived.filter((a) => a.id !== e.capture_id), { id: e.capture_id, verdict: e.verdict, note: e.note }]
    render()
  })
  // The verdict's word is put in the sentence: say it again in the new language.
  i18n.onChange(render)
  return el
}
