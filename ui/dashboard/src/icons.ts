// The kinds' icons as inline SVG (24×24 outline paths, drawn in the text colour): emoji
// need an emoji font, and a stock Debian browser without one draws boxes.
import type { Kind } from './types'

const SVG = 'http://www.w3.org/2000/svg'

const PATHS: Record<Kind, string[]> = {
  // A camera: body, lens.
  photo: ['M4 7h3l2-3h6l2 3h3v13H4z', 'M12 10a3.5 3.5 0 1 0 0 7a3.5 3.5 0 1 0 0-7z'],
  // A film camera: body, the lens cone.
  video: ['M3 6h12v12H3z', 'M15 10l6-3v10l-6-3z'],
  // A microphone: head, stand.
  audio: ['M9 3h6v10H9z', 'M6 11a6 6 0 0 0 12 0', 'M12 17v4M9 21h6'],
  // A page with lines.
  note: ['M6 3h9l3 3v15H6z', 'M9 10h6M9 14h6M9 18h4'],
}

/** The kind's icon; hidden from screen readers (the kind's name is written beside it). */
export function kindIcon(kind: Kind, size = 16): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg')
  svg.setAttribute('viewBox', '0 0 24 24')
  svg.setAttribute('width', String(size))
  svg.setAttribute('height', String(size))
  svg.setAttribute('aria-hidden', 'true')
  svg.setAttribute('class', 'icon')
  svg.setAttribute('data-icon', kind)
  for (const d of PATHS[kind]) {
    const p = document.createElementNS(SVG, 'path')
    p.setAttribute('d', d)
    p.setAttribute('fill', 'none')
    p.setAttribute('stroke', 'currentColor')
    p.setAttribute('stroke-width', '1.8')
    p.setAttribute('stroke-linejoin', 'round')
    p.setAttribute('stroke-linecap', 'round')
    svg.append(p)
  }
  return svg
}
