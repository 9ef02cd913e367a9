// A coordinator's verdict as a badge: a small drawn sign (tick, cross, question mark; no
// emoji, which phones draw differently or not at all) and the word, in the volunteer's
// language. The sign tells the three apart at a glance, the word says it.

import { tx } from './dom'
import type { QueueItem, Review } from './ipc'

export type Verdict = Exclude<Review, 'pending'>

const SVG = 'http://www.w3.org/2000/svg'

// 16×16 strokes inside a circle.
const SIGNS: Record<Verdict, string[]> = {
  approved: ['M4.6 8.4l2.3 2.3 4.5-5'],
  rejected: ['M5.4 5.4l5.2 5.2', 'M10.6 5.4l-5.2 5.2'],
  needs_info: ['M6.2 6.2a1.9 1.9 0 1 1 2.6 1.7c-.5.3-.8.6-.8 1.2v.5', 'M8 11.6v.1'],
}

function sign(verdict: Verdict): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg')
  svg.setAttribute('viewBox', '0 0 16 16')
  svg.setAttribute('class', 'vsign')
  svg.setAttribute('aria-hidden', 'true')
  const ring = document.createElementNS(SVG, 'circle')
  ring.setAttribute('cx', '8')
  ring.setAttribute('cy', '8')
  ring.setAttribute('r', '7')
  svg.append(ring)
  for (const d of SIGNS[verdict]) {
    const p = document.createElementNS(SVG, 'path')
    p.setAttribute('d', d)
    svg.append(p)
  }
  return svg
}

/** The badge of a verdict; `short` words it for a queue row. */
export function verdictBadge(verdict: Verdict, short = false): HTMLElement {
  const el = document.createElement('span')
  el.className = `badge verdict v-${verdict}`
  el.dataset.testid = 'verdict'
  el.dataset.verdict = verdict
  el.append(sign(verdict), tx(short ? `verdict_short.${verdict}` : `verdict.${verdict}`))
  return el
}

/** Where the volunteer's answer to a "needs information" verdict stands, if there is one:
 *  saved and waiting to be sent, or on the server. */
export function answerState(item: Pick<QueueItem, 'review' | 'answered_at' | 'state'>): 'waiting' | 'sent' | null {
  if (item.review !== 'needs_info' || !item.answered_at) return null
  return item.state === 'synced' ? 'sent' : 'waiting'
}
