// API errors in the current language: known codes have their own text; anything else
// falls back to the server's message, which is English.
import { ApiError } from './api'
import { dicts, i18n, t } from './i18n'

export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const key = 'error.' + e.code
    if (key in dicts[i18n.lang()]) {
      // invalid_input carries the specifics (a CSV line number, a field): keep them.
      return e.code === 'invalid_input' && e.message ? `${t(key)} (${e.message})` : t(key)
    }
    return e.message || t('error.unknown')
  }
  // A bug of ours, not the server's answer: keep the detail for whoever opens the console.
  console.error(e)
  return t('error.unknown')
}
