// A few lines instead of a framework: screens build their DOM with `h` and replace
// their container's children when data or the language changes.

export type Child = Node | string | number | null | undefined | false | Child[]
type Attrs = Record<string, unknown>

/** An element with attributes, properties, listeners (`onclick`…) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value as EventListener)
    } else if (key === 'class') {
      el.className = String(value)
    } else if (key === 'style' && typeof value === 'object') {
      Object.assign(el.style, value)
    } else if (key in el && typeof value !== 'string') {
      // Properties such as `checked`, `disabled`, `selected` and `value` as numbers.
      ;(el as unknown as Record<string, unknown>)[key] = value
    } else {
      el.setAttribute(key, value === true ? '' : String(value))
    }
  }
  append(el, children)
  return el
}

function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue
    if (Array.isArray(c)) append(el, c)
    else el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)))
  }
}

/** Replaces everything inside `el`. */
export function mount(el: Element, ...children: Child[]): void {
  el.replaceChildren()
  append(el, children)
}

let nextId = 0

/** A labelled form field. The label points at its control by id rather than wrapping
 * it, so the control's name is the label alone (not the label plus a select's options). */
export function field(label: string, control: HTMLElement, hint?: string): HTMLDivElement {
  control.id ||= `f${++nextId}`
  const note = hint ? h('small', { class: 'hint', id: `${control.id}-hint` }, hint) : null
  if (note) control.setAttribute('aria-describedby', note.id)
  return h('div', { class: 'field' }, h('label', { class: 'field-label', for: control.id }, label), control, note)
}
