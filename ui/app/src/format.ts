// Numbers as people read them, in the language of the moment.

import { i18n } from './i18n'
import type { Location } from './ipc'

function locale(): string {
  return i18n.lang() === 'hi' ? 'hi-IN' : 'en-IN'
}

export function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let v = n
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  const digits = u === 0 || v >= 100 ? 0 : 1
  return `${v.toLocaleString(locale(), { maximumFractionDigits: digits })} ${i18n.t(`unit.${units[u]}`)}`
}

export function count(n: number): string {
  return n.toLocaleString(locale())
}

/** "12 s ago", "3 min ago", … for the age of a location fix. */
export function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  if (s < 10) return i18n.t('age.now')
  if (s < 60) return i18n.t('age.seconds', { n: count(s) })
  const m = Math.round(s / 60)
  if (m < 60) return i18n.t('age.minutes', { n: count(m) })
  return i18n.t('age.hours', { n: count(Math.round(m / 60)) })
}

/** "about 25 seconds", "about 2 minutes": a wait as people say it. */
export function duration(seconds: number): string {
  const s = Math.max(1, Math.round(seconds))
  if (s < 90) return i18n.t('duration.seconds', { n: count(s) })
  return i18n.t('duration.minutes', { n: count(Math.round(s / 60)) })
}

export function coords(l: Location): string {
  const f = (v: number) => v.toLocaleString(locale(), { minimumFractionDigits: 5, maximumFractionDigits: 5 })
  return `${f(l.lat)}, ${f(l.lon)}`
}

// Hindi readers expect 20/11/2026, 14:05 (24-hour, day first); English keeps the
// month's name and am/pm. `timeZone` picks whose wall clock is shown.
function format(d: Date, timeZone?: string): string {
  const opts: Intl.DateTimeFormatOptions =
    i18n.lang() === 'hi'
      ? { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }
      : { dateStyle: 'medium', timeStyle: 'short', timeZone }
  return new Intl.DateTimeFormat(locale(), opts).format(d)
}

/** An instant the server recorded (a kit's publication) on this device's clock, with
 *  that clock's offset named, so it is never mistaken for a capture's own time. */
export function dateTime(iso: string): string {
  const d = new Date(iso)
  return `${format(d)} (${offsetLabel(-d.getTimezoneOffset())})`
}

/** "UTC+05:30": the offset a capture's clock was set to. */
export function offsetLabel(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+'
  const abs = Math.abs(offsetMinutes)
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}

/** When a capture was taken, on the wall clock of the device that took it (its own
 *  offset, named), as the dashboard shows it: not on the clock of whoever looks. */
export function captureTime(t: { utc: string; offset_minutes: number }): string {
  const shifted = new Date(new Date(t.utc).getTime() + t.offset_minutes * 60_000)
  return `${format(shifted, 'UTC')} (${offsetLabel(t.offset_minutes)})`
}
