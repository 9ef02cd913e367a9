// Times, sizes and names as people of either language read them.
import { i18n, t } from './i18n'
import type { Area } from './types'

const locale = () => (i18n.lang() === 'hi' ? 'hi-IN' : 'en-IN')
/** Hindi readers expect the 24-hour clock ("15:05", not "3:05 pm"). */
const clock = (): Intl.DateTimeFormatOptions => (i18n.lang() === 'hi' ? { hourCycle: 'h23' } : {})

/** An instant (RFC 3339 or Unix ms) recorded by the server, in the browser's zone, with
 * that zone's offset written after it: a reader in another zone than the capture's
 * must see which clock a time is on. */
export function when(v: string | number | null | undefined): string {
  if (v === null || v === undefined || v === '') return '—'
  const d = new Date(v)
  if (Number.isNaN(d.getTime())) return String(v)
  return zoned(d, -d.getTimezoneOffset())
}

/** The device's own wall clock at capture, in the offset it was set to (labelled). */
export function deviceTime(utc: string | number, offsetMinutes: number): string {
  const d = new Date(utc)
  if (Number.isNaN(d.getTime())) return String(utc)
  return zoned(d, offsetMinutes)
}

/** "UTC+05:30": how a time's offset is written beside it, in either language. */
export function offsetLabel(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+'
  const abs = Math.abs(offsetMinutes)
  const hh = String(Math.floor(abs / 60)).padStart(2, '0')
  const mm = String(abs % 60).padStart(2, '0')
  return `UTC${sign}${hh}:${mm}`
}

/** An instant as the wall clock of a place `offsetMinutes` from UTC reads it, with the
 * offset written: day first, and the 24-hour clock in Hindi. */
function zoned(d: Date, offsetMinutes: number): string {
  const shifted = new Date(d.getTime() + offsetMinutes * 60_000)
  const text = new Intl.DateTimeFormat(locale(), {
    dateStyle: 'medium',
    timeStyle: 'medium',
    timeZone: 'UTC',
    ...clock(),
  }).format(shifted)
  return `${text} (${offsetLabel(offsetMinutes)})`
}

/** "3 min ago" style, for last-seen columns. */
export function ago(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return t('time.never')
  const ms = Date.now() - new Date(v).getTime()
  const rtf = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' })
  const s = Math.round(ms / 1000)
  if (Math.abs(s) < 60) return rtf.format(-s, 'second')
  const m = Math.round(s / 60)
  if (Math.abs(m) < 60) return rtf.format(-m, 'minute')
  const hr = Math.round(m / 60)
  if (Math.abs(hr) < 48) return rtf.format(-hr, 'hour')
  return rtf.format(-Math.round(hr / 24), 'day')
}

export function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB']
  let v = n
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v.toFixed(i ? 1 : 0)} ${units[i]}`
}

export function num(n: number): string {
  return new Intl.NumberFormat(locale()).format(n)
}

/** The area's name in the current language (the other one, then the code, if empty). */
export function areaName(a: Pick<Area, 'code' | 'name_en' | 'name_hi'> | undefined, code = ''): string {
  if (!a) return code
  const name = i18n.lang() === 'hi' ? a.name_hi || a.name_en : a.name_en || a.name_hi
  return name || a.code
}

/** A kit's or any bilingual text: the current language first. */
export function pick(en: string, hi: string): string {
  return i18n.lang() === 'hi' ? hi || en : en || hi
}

/** A length of time in its largest sensible unit ("6 days", "3 hours", "12 minutes"). */
export function duration(ms: number): string {
  const mins = Math.round(ms / 60_000)
  const [value, unit] = mins >= 2880 ? [Math.round(mins / 1440), 'day'] : mins >= 120 ? [Math.round(mins / 60), 'hour'] : [mins, 'minute']
  return new Intl.NumberFormat(locale(), { style: 'unit', unit, unitDisplay: 'long' }).format(value)
}
