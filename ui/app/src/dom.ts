// A few lines instead of a framework: build elements, and keep their text in the
// language of the moment. Text made with `tx` carries its key (data-t), so switching
// language rewrites it in place and nothing the user typed is lost.

import { i18n } from './i18n'

type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>
type Child = Node | string | null | undefined | false

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value)
    else if (value === true) el.setAttribute(name, '')
    else el.setAttribute(name, String(value))
  }
  append(el, ...children)
  return el
}

export function append(el: Element, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue
    el.append(typeof c === 'string' ? document.createTextNode(c) : c)
  }
}

type Vars = Record<string, string | number>

/** A span whose text is the translation of `key`, kept current across switches. */
export function tx(key: string, vars?: Vars): HTMLSpanElement {
  const el = document.createElement('span')
  setT(el, key, vars)
  return el
}

/** Sets an element's text to `key` (and remembers it for the next switch). */
export function setT(el: HTMLElement, key: string, vars?: Vars): void {
  el.dataset.t = key
  if (vars) el.dataset.tVars = JSON.stringify(vars)
  else delete el.dataset.tVars
  el.textContent = i18n.t(key, vars)
}

/** Translated attributes (aria-label, placeholder, title), kept current the same way. */
export function setAttrT(el: HTMLElement, attr: string, key: string, vars?: Vars): void {
  const map = JSON.parse(el.dataset.tAttrs ?? '{}') as Record<string, [string, Vars?]>
  map[attr] = [key, vars]
  el.dataset.tAttrs = JSON.stringify(map)
  el.setAttribute(attr, i18n.t(key, vars))
}

/** Rewrites every remembered text and attribute under `root` in the current language. */
export function retranslate(root: ParentNode): void {
  root.querySelectorAll<HTMLElement>('[data-t]').forEach((el) => {
    const vars = el.dataset.tVars ? (JSON.parse(el.dataset.tVars) as Vars) : undefined
    el.textContent = i18n.t(el.dataset.t!, vars)
  })
  root.querySelectorAll<HTMLElement>('[data-t-attrs]').forEach((el) => {
    const map = JSON.parse(el.dataset.tAttrs!) as Record<string, [string, Vars?]>
    for (const [attr, [key, vars]] of Object.entries(map)) el.setAttribute(attr, i18n.t(key, vars))
  })
}

/** A labelled form field: the label names the control for screen readers. */
export function field(labelKey: string, control: HTMLElement, hintKey?: string): HTMLElement {
  const id = control.id || `f-${labelKey.replace(/\W/g, '-')}`
  control.id = id
  const label = h('label', { for: id }, tx(labelKey))
  const wrap = h('div', { class: 'field' }, label, control)
  if (hintKey) {
    const hint = h('p', { class: 'hint', id: `${id}-hint` }, tx(hintKey))
    control.setAttribute('aria-describedby', hint.id)
    wrap.append(hint)
  }
  return wrap
}
