// Hash routes (`#/feed?kind=photo`), so the server only ever serves index.html and
// /assets/*. Filters live in the query part: a filtered view can be bookmarked, and the
// feed, the map and the export links share it.

export interface Route {
  /** `#/admin/areas` → ['admin', 'areas'] */
  path: string[]
  params: URLSearchParams
}

export function currentRoute(): Route {
  const raw = location.hash.replace(/^#\/?/, '')
  const [p, q] = raw.split('?', 2)
  const path = p.split('/').filter(Boolean).map(decodeURIComponent)
  return { path: path.length ? path : ['feed'], params: new URLSearchParams(q ?? '') }
}

export function href(path: string, params?: URLSearchParams | Record<string, string>): string {
  const q = new URLSearchParams(params as Record<string, string>).toString()
  return '#/' + path + (q ? '?' + q : '')
}

export function go(path: string, params?: URLSearchParams | Record<string, string>): void {
  location.hash = href(path, params)
}
