// Switching language: every remembered text on the page is rewritten in place, and the
// choice is kept in the device store so the next start opens in it.

import type { Lang } from '../../lib/i18n'
import { retranslate } from './dom'
import { i18n } from './i18n'
import { api } from './ipc'

export async function setLanguage(lang: Lang): Promise<void> {
  i18n.setLang(lang)
  retranslate(document)
  try {
    const s = await api.settings()
    await api.setSettings({ ...s, lang })
  } catch {
    // The switch holds for this session; the next start asks again.
  }
}
