// Switching language: every remembered text on the page is rewritten in place, and the
// choice is kept on the device so the next start opens in it.

import type { Lang } from '../../lib/i18n'
import { retranslate } from './dom'
import { i18n } from './i18n'
import { api } from './ipc'

export async function setLanguage(lang: Lang): Promise<void> {
  i18n.setLang(lang)
  localStorage.setItem('saakshi.lang', lang)
  retranslate(document)
  try {
    const s = await api.settings()
    await api.setSettings({ ...s, lang })
  } catch {
    // The choice still holds for this session (localStorage); the store is a nicety.
  }
}
