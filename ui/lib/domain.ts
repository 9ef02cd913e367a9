// The capture vocabulary both UIs show, as saakshi-domain writes it in JSON
// (crates/saakshi-domain/src: MediaKind, Location, Area). The field app gets it through
// the Tauri commands, the dashboard through the server's API; one declaration here.

export type MediaKind = 'photo' | 'video' | 'audio' | 'note'
export type LocationSource = 'gps' | 'network' | 'exif' | 'manual'

export interface Location {
  lat: number
  lon: number
  accuracy_m: number | null
  altitude_m: number | null
  source: LocationSource
  fix_time: string | null
}

/** What a capture says of itself (saakshi-domain's CaptureRecord, as both UIs show it). */
export interface CaptureFields {
  id: string
  kind: MediaKind
  sha256: string
  size: number
  mime: string
  original_name: string | null
  captured_at: { utc: string; offset_minutes: number }
  location: Location | null
  caption: string
  tags: string[]
  event: string | null
}

export interface Area {
  code: string
  level: string
  name_en: string
  name_hi: string
}
