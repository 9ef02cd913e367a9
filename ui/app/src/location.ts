// Where the device is: the geolocation plugin on a phone (it asks the OS), the WebView's
// own geolocation on a laptop, or what the user types. A capture without a fix is
// allowed; it is stored with no location and the queue says so.

import type { Location, LocationSource } from './ipc'

export type Fix =
  | { status: 'none' }
  | { status: 'locating' }
  | { status: 'failed'; reason: 'denied' | 'unavailable' | 'timeout' }
  | { status: 'fix'; location: Location; at: number }

/** A fix older than this is shown as stale and refreshed before the next capture. */
export const STALE_MS = 2 * 60_000

interface Position {
  coords: { latitude: number; longitude: number; accuracy: number; altitude: number | null }
  timestamp: number
}

function toLocation(p: Position, source: LocationSource): Fix {
  return {
    status: 'fix',
    at: p.timestamp,
    location: {
      lat: p.coords.latitude,
      lon: p.coords.longitude,
      accuracy_m: Number.isFinite(p.coords.accuracy) ? p.coords.accuracy : null,
      altitude_m: p.coords.altitude ?? null,
      source,
      fix_time: new Date(p.timestamp).toISOString(),
    },
  }
}

async function fromPlugin(): Promise<Fix> {
  const geo = await import('@tauri-apps/plugin-geolocation')
  let perm = await geo.checkPermissions()
  if (perm.location !== 'granted') perm = await geo.requestPermissions(['location'])
  if (perm.location !== 'granted') return { status: 'failed', reason: 'denied' }
  const p = await geo.getCurrentPosition({ enableHighAccuracy: true, timeout: 20_000, maximumAge: 10_000 })
  return toLocation(p, 'gps')
}

function fromWebView(): Promise<Fix> {
  if (!('geolocation' in navigator)) return Promise.resolve({ status: 'failed', reason: 'unavailable' })
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      // A browser does not say whether it used satellites or Wi-Fi; "network" is the
      // honest default on a laptop.
      (p) => resolve(toLocation(p, 'network')),
      (err) =>
        resolve({
          status: 'failed',
          reason: err.code === err.PERMISSION_DENIED ? 'denied' : err.code === err.TIMEOUT ? 'timeout' : 'unavailable',
        }),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 10_000 },
    )
  })
}

/** Asks for a fresh fix. */
export async function locate(mobile: boolean): Promise<Fix> {
  try {
    return mobile ? await fromPlugin() : await fromWebView()
  } catch {
    return { status: 'failed', reason: 'unavailable' }
  }
}

/** What the user typed, checked; `null` means the numbers are out of range. */
export function manualFix(lat: number, lon: number, accuracy: number | null): Fix | null {
  const ok =
    Number.isFinite(lat) &&
    Number.isFinite(lon) &&
    lat >= -90 &&
    lat <= 90 &&
    lon >= -180 &&
    lon <= 180 &&
    (accuracy === null || (Number.isFinite(accuracy) && accuracy >= 0 && accuracy <= 1_000_000))
  if (!ok) return null
  const now = Date.now()
  return {
    status: 'fix',
    at: now,
    location: { lat, lon, accuracy_m: accuracy, altitude_m: null, source: 'manual', fix_time: null },
  }
}
