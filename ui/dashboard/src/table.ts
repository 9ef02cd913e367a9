// Tables that become a stack of cards on a phone: a wide table in a 360-px screen either
// squeezes its columns to a word each or scrolls sideways and hides its last columns.
// Each cell carries its column's name (data-label), which the phone stylesheet writes
// beside the value (style.css, table.stack); wider screens see an ordinary table.
import { h, type Child } from './dom'

/** A table with a caption and column headings, stacked as cards on a phone. */
export function stackTable(cls: string | null, caption: string, heads: string[], body: HTMLTableSectionElement): HTMLTableElement {
  return h('table', { class: cls ? `stack ${cls}` : 'stack' },
    h('caption', null, caption),
    h('thead', null, h('tr', null, heads.map((k) => h('th', { scope: 'col' }, k)))),
    body)
}

/** One cell under the column `label`; the value is wrapped so that on a phone the label
 * and the value sit side by side whatever the value is made of. */
export function cell(label: string, ...children: Child[]): HTMLTableCellElement {
  return h('td', { 'data-label': label }, h('div', { class: 'cell-value' }, children))
}
