// What every screen shares: the shell's info, the latest status, and sync events. Sync
// runs in the shell whatever screen is open; screens only listen while they are shown.

import { api, type AppInfo, type Status, type SyncEvent, type SyncPhase } from './ipc'

type Listener<T> = (v: T) => void

class Hub<T> {
  private fns = new Set<Listener<T>>()
  on(fn: Listener<T>): () => void {
    this.fns.add(fn)
    return () => this.fns.delete(fn)
  }
  emit(v: T): void {
    this.fns.forEach((fn) => fn(v))
  }
}

export const syncEvents = new Hub<SyncEvent>()
export const statusChanged = new Hub<Status>()

export const app = {
  info: { platform: 'linux', mobile: false, version: '' } as AppInfo,
  status: null as Status | null,
}

let pending: ReturnType<typeof setTimeout> | null = null

/** Fetches the status again soon (many events in a burst make one request). */
export function refreshStatus(delay = 150): void {
  if (pending) return
  pending = setTimeout(async () => {
    pending = null
    try {
      app.status = await api.status()
      statusChanged.emit(app.status)
    } catch {
      // The header keeps its last figures; the next event tries again.
    }
  }, delay)
}

export async function startListening(): Promise<void> {
  await api.onSync((e) => {
    syncEvents.emit(e)
    if (e.event !== 'progress') refreshStatus()
  })
  await api.onSyncPhase((p: SyncPhase) => {
    if (app.status) {
      app.status = { ...app.status, sync: p }
      statusChanged.emit(app.status)
    }
    refreshStatus()
  })
}
