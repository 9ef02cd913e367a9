// The app's one I18n instance over its two dictionaries (same keys; a test fails when
// one lacks a key the other has, or the code uses a key neither has).

import { createI18n, type Lang } from '../../lib/i18n'
import en from './i18n/en.json'
import hi from './i18n/hi.json'

export const DICTS = { en, hi } as Record<Lang, Record<string, string>>
export const i18n = createI18n(DICTS, 'hi')
