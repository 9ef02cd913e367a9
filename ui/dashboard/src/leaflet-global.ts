// leaflet.markercluster is a UMD script that extends the global `L`; this module runs
// before it (see leaflet.ts) so that the global exists.
import L from 'leaflet'
;(window as unknown as { L: typeof L }).L = L
export default L
