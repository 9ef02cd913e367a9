// The commands and events of the Tauri shell (src-tauri/src/commands/), typed. Every
// screen talks to the device through this file only, so the browser tests can replace
// the shell with @tauri-apps/api/mocks and exercise the same code.

import { invoke } from '@tauri-apps/api/core'
import { listen, type UnlistenFn } from '@tauri-apps/api/event'
import type { Area, CaptureFields, Location, MediaKind } from '../../lib/domain'
import type { Kit as WireKit } from '../../lib/generated/api'

export type { Area, Location, LocationSource, MediaKind } from '../../lib/domain'
export type CaptureState = 'captured' | 'registered' | 'previewed' | 'uploaded' | 'synced' | 'failed'

export const STATES: CaptureState[] = ['captured', 'registered', 'previewed', 'uploaded', 'synced', 'failed']
export const KINDS: MediaKind[] = ['photo', 'video', 'audio']

/** A coordinator's verdict as the device holds it (`pending` until one arrives). */
export type Review = 'pending' | 'approved' | 'rejected' | 'needs_info'

/** A capture as the queue shows it (the core's SyncItem, flattened). */
export interface QueueItem extends CaptureFields {
  /** 1 as captured; each answer to a coordinator makes the next. */
  revision: number
  state: CaptureState
  failure: string | null
  review: Review
  /** The coordinator's note with the verdict (the reason, or what to add). */
  review_note: string | null
  /** When the volunteer answered the verdict in force (RFC 3339), if they did. */
  answered_at: string | null
  upload_offset: number
  last_error: string | null
  attempts: number
}

/** What an answer to a coordinator may change (saakshi-core revise::Answer). */
export interface Answer {
  caption: string
  tags: string[]
  /** null keeps the capture's place. */
  location: Location | null
}

export interface QueuePage {
  total: number
  items: QueueItem[]
}

export interface QueueFilter {
  state: CaptureState | null
  kind: MediaKind | null
  limit: number
  offset: number
}

/** What the sync loop is doing, as the header shows it. */
export type SyncPhase =
  | { phase: 'not_enrolled' }
  | { phase: 'revoked' }
  | { phase: 'syncing' }
  | { phase: 'idle' }
  | { phase: 'waiting'; reason: string; retry_in_ms: number }
  | { phase: 'update_required'; reason: string }

export interface StateCount {
  state: CaptureState
  count: number
  bytes: number
}

export interface Status {
  states: StateCount[]
  pending_count: number
  pending_bytes: number
  media_bytes: number
  database_bytes: number
  server: string | null
  area: Area | null
  sync: SyncPhase
}

export interface Settings {
  wifi_only: boolean
  /** KiB a second; null for no cap. */
  bandwidth_kib: number | null
  lang: 'hi' | 'en' | null
}

export interface AppInfo {
  platform: string
  mobile: boolean
  version: string
}

/** A kit as the server publishes it (saakshi-domain's wire Kit, generated), and which of
 * its items this device holds. */
export type Kit = WireKit & { present: boolean[] }

export interface CaptureRequest {
  name: string
  location: Location | null
  caption: string
  tags: string[]
  event: string | null
  /** Keep the location although the shell doubted it (it contradicts the photo's own
   *  GPS position, or looks swapped). */
  location_confirmed?: boolean
}

export interface CaptureOutcome {
  outcome: 'stored' | 'already_captured'
  capture: QueueItem
}

/** The shell's error: `kind` picks the translated sentence, `detail` is for support. */
export interface AppError {
  kind: string
  field?: string | null
  detail: string
}

/** The sync engine's events (saakshi-core SyncEvent), forwarded as they happen. */
export type SyncEvent =
  | { event: 'progress'; capture_id: string; done: number; total: number }
  | { event: 'state'; capture_id: string; state: CaptureState; reason: string | null }
  | { event: 'waiting'; reason: string; retry_in_ms: number }
  | { event: 'reviewed'; capture_id: string; verdict: Exclude<Review, 'pending'>; note: string | null }
  | { event: 'revoked'; wiped: boolean }
  | { event: 'idle' }

export function isAppError(e: unknown): e is AppError {
  return typeof e === 'object' && e !== null && 'kind' in e && 'detail' in e
}

export const api = {
  appInfo: () => invoke<AppInfo>('app_info'),
  status: () => invoke<Status>('status'),
  queue: (filter: QueueFilter) => invoke<QueuePage>('queue', { filter }),
  /** One capture with its sync progress and verdict (the capture screen). */
  queueItem: (id: string) => invoke<QueueItem>('queue_item', { id }),
  retry: (id: string | null) => invoke<number>('retry', { id }),
  /** Answers a coordinator's "needs information": the capture's next revision. */
  answer: (id: string, answer: Answer) => invoke<CaptureFields & { revision: number }>('answer', { id, answer }),
  kits: () => invoke<Kit[]>('kits'),
  settings: () => invoke<Settings>('settings'),
  setSettings: (settings: Settings) => invoke<Settings>('set_settings', { settings }),
  enroll: (invite: string, code: string | null, name: string) =>
    invoke<Area>('enroll', { invite, code, name }),
  syncNow: () => invoke<void>('sync_now'),
  /** Tells the shell the first screen is on the glass (it logs the time since launch). */
  firstPaint: () => invoke<void>('first_paint'),
  /** Stores media bytes as a capture; the bytes travel as the raw request body. */
  capture: (bytes: Uint8Array, req: CaptureRequest) =>
    invoke<CaptureOutcome>('capture', bytes, {
      headers: { 'x-capture': encodeURIComponent(JSON.stringify(req)) },
    }),
  /** A preview made in the WebView (a video's frame) for media that has none. */
  setThumbnail: (sha256: string, jpeg: Uint8Array) =>
    invoke<void>('set_thumbnail', jpeg, { headers: { 'x-sha256': sha256 } }),
  /** JPEG bytes of a preview; empty when there is none. */
  thumbnail: (sha256: string) => invoke<ArrayBuffer>('thumbnail', { sha256 }),
  media: (sha256: string) => invoke<ArrayBuffer>('media', { sha256 }),
  saveMedia: (sha256: string, name: string) => invoke<string>('save_media', { sha256, name }),
  onSync: (fn: (e: SyncEvent) => void): Promise<UnlistenFn> =>
    listen<SyncEvent>('sync', (e) => fn(e.payload)),
  onSyncPhase: (fn: (p: SyncPhase) => void): Promise<UnlistenFn> =>
    listen<SyncPhase>('sync-phase', (e) => fn(e.payload)),
}
