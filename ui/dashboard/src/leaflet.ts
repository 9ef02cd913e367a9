// Leaflet and its clustering plugin, bundled (no CDN), and the base map every screen uses.
import type * as Leaflet from 'leaflet'
import 'leaflet'
import 'leaflet.markercluster'
import 'leaflet/dist/leaflet.css'
import 'leaflet.markercluster/dist/MarkerCluster.css'
import 'leaflet.markercluster/dist/MarkerCluster.Default.css'
import { get } from './api'

// Leaflet's UMD build sets the global `L`, and the cluster plugin (also UMD) extends
// that global. The bundler's ESM view of 'leaflet' is a copy made before the plugin ran,
// so take the global, which has both.
const L = (window as unknown as { L: typeof Leaflet }).L

export default L

export interface MapConfig {
  tile_url: string | null
  attribution: string | null
}

let config: Promise<MapConfig> | null = null

/** The tile source from the server; null means none (no internet, or turned off). */
export function mapConfig(): Promise<MapConfig> {
  config ??= get<MapConfig>('/api/v1/dashboard/config').catch(() => ({ tile_url: null, attribution: null }))
  return config
}

/** A map in `el`: with tiles when configured, else a plain background (see style.css). */
export async function baseMap(el: HTMLElement, opts: L.MapOptions = {}): Promise<L.Map> {
  // maxZoom on the map itself: without a tile layer nothing else sets it, and the
  // cluster plugin needs it.
  const map = L.map(el, { zoomControl: true, attributionControl: true, maxZoom: 19, ...opts })
  const cfg = await mapConfig()
  if (cfg.tile_url) {
    L.tileLayer(cfg.tile_url, { attribution: cfg.attribution ?? '', maxZoom: 19 }).addTo(map)
  } else {
    el.classList.add('no-tiles')
  }
  return map
}
