// The map: every located capture of the filtered set, clustered. Without tiles it still
// shows the points on a plain background with each area's name among its points,
// so a coordinator offline sees where things happened relative to each other.
import { get } from '../api'
import { h, mount } from '../dom'
import { errorText } from '../errors'
import { filterForm, filterQuery, REVIEW_STATES } from '../filters'
import { areaName } from '../format'
import { t, tn } from '../i18n'
import L, { baseMap } from '../leaflet'
import { go, type Route } from '../router'
import type { Area, MapPoint } from '../types'

interface Points {
  points: MapPoint[]
  areas: Area[]
}

export function mapView(root: HTMLElement, route: Route): () => void {
  const mapEl = h('div', { class: 'map', id: 'capture-map', role: 'region', 'aria-label': t('map.label') })
  const count = h('p', { class: 'count', 'aria-live': 'polite' })
  const status = h('p', { class: 'error', role: 'alert' })
  const legend = h('ul', { class: 'legend', 'aria-label': t('map.legend') },
    REVIEW_STATES.map((s) => h('li', null, h('span', { class: `dot review-${s}`, 'aria-hidden': 'true' }), t(`review.${s}`))))
  mount(root, h('h1', null, t('map.title')), filterForm('map', route.params, false), count, status, mapEl, legend)

  let map: L.Map | null = null
  let stopped = false
  ;(async () => {
    try {
      const [data, m] = await Promise.all([
        get<Points>(`/api/v1/review/points${filterQuery(route.params)}`),
        baseMap(mapEl),
      ])
      if (stopped) return m.remove()
      map = m
      count.textContent = tn('map.count', data.points.length)
      count.dataset.total = String(data.points.length)
      draw(m, data)
    } catch (e) {
      status.textContent = errorText(e)
    }
  })()
  return () => {
    stopped = true
    map?.remove()
  }
}

function draw(map: L.Map, data: Points) {
  // A view before any layer (Leaflet needs one to place them); the fit comes after.
  map.setView([23.5, 80.5], 5) // India, which is also what shows when there is nothing
  const cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 })
  for (const p of data.points) {
    const marker = L.marker([p.lat, p.lon], {
      icon: L.divIcon({ className: `point review-${p.review}`, iconSize: [16, 16], html: '' }),
      title: `${t(`kind.${p.kind}`)} · ${t(`review.${p.review}`)}`,
      alt: t(`kind.${p.kind}`),
      keyboard: true,
    })
    marker.on('click', () => go(`capture/${p.id}`))
    cluster.addLayer(marker)
  }
  cluster.addTo(map)
  // Area names among their points: the landmarks when there are no tiles. A name goes
  // only where its points are: an area whose captures lie in places far apart (a booth
  // code reused, a wrong location) gets its name at each place, never once midway
  // between them, where nothing happened.
  const byArea = new Map<string, MapPoint[]>()
  for (const p of data.points) byArea.set(p.area_code, [...(byArea.get(p.area_code) ?? []), p])
  for (const [code, pts] of byArea) {
    const name = areaName(data.areas.find((a) => a.code === code), code)
    for (const place of places(pts)) {
      const lat = place.reduce((s, p) => s + p.lat, 0) / place.length
      const lon = place.reduce((s, p) => s + p.lon, 0) / place.length
      L.marker([lat, lon], {
        icon: L.divIcon({ className: 'area-label', html: h('span', { 'data-area': code }, name), iconSize: [0, 0] }),
        interactive: false,
        keyboard: false,
        // Under the points, so a label never hides a capture.
        zIndexOffset: -1000,
      }).addTo(map)
    }
  }
  if (data.points.length) {
    map.fitBounds(L.latLngBounds(data.points.map((p) => [p.lat, p.lon] as [number, number])), { padding: [40, 40], maxZoom: 14, animate: false })
  }
}

/** How far apart (km) points may be and still share one label. */
const NEAR_KM = 3

/** Great-circle distance in km. */
function km(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180
  const dLat = (b.lat - a.lat) * rad
  const dLon = (b.lon - a.lon) * rad
  const x = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2
  return 12_742 * Math.asin(Math.min(1, Math.sqrt(x)))
}

/** One area's points in places: each place is the points within NEAR_KM of its first. */
function places(pts: MapPoint[]): MapPoint[][] {
  const out: MapPoint[][] = []
  for (const p of pts) {
    const near = out.find((g) => km(g[0], p) <= NEAR_KM)
    if (near) near.push(p)
    else out.push([p])
  }
  return out
}
