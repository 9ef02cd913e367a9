// Errors in the user's language. The shell names each error by kind (see AppError in
// src-tauri/src/error.rs); the sentence comes from the dictionaries, so every error
// reads in Hindi and in English. The shell's own words (English, for support) follow
// as a detail line.

import { h, tx } from './dom'
import { i18n } from './i18n'
import { isAppError } from './ipc'

/** The dictionary key for an error, with the field for validation errors. */
export function errorKey(e: unknown): string {
  if (!isAppError(e)) return 'error.internal'
  if (e.kind === 'invalid' && e.field) {
    const key = `error.invalid.${e.field}`
    if (i18n.t(key) !== key) return key
  }
  const key = `error.${e.kind}`
  return i18n.t(key) !== key ? key : 'error.internal'
}

/** A role=alert box with the translated sentence and the technical detail. */
export function errorBox(e: unknown): HTMLElement {
  const detail = isAppError(e) ? e.detail : String(e)
  return h(
    'div',
    { class: 'alert error', role: 'alert', 'data-error': isAppError(e) ? e.kind : 'internal' },
    h('strong', {}, tx(errorKey(e))),
    detail ? h('p', { class: 'detail', lang: 'en' }, detail) : null,
  )
}

/** Shows an error (or nothing) in a slot. */
export function showError(slot: HTMLElement, e: unknown | null): void {
  slot.replaceChildren(...(e === null ? [] : [errorBox(e)]))
}
