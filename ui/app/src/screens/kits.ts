// Kits: what coordinators published to this device's area, with its media and caption,
// ready to share: the OS share sheet where the WebView has one (phones), else save the
// media and copy the caption (laptops).

import { h, setAttrT, tx } from '../dom'
import { showError } from '../errors'
import { bytes, dateTime } from '../format'
import { i18n } from '../i18n'
import { api, type Kit } from '../ipc'

function title(k: Kit): string {
  const hi = i18n.lang() === 'hi'
  return (hi ? k.title_hi || k.title_en : k.title_en || k.title_hi) || i18n.t('kits.untitled')
}

function caption(k: Kit): string {
  const hi = i18n.lang() === 'hi'
  return hi ? k.caption_hi || k.caption_en : k.caption_en || k.caption_hi
}

function ext(mime: string): string {
  return { 'image/jpeg': 'jpg', 'image/png': 'png', 'video/mp4': 'mp4', 'audio/mpeg': 'mp3', 'audio/wav': 'wav', 'audio/x-wav': 'wav' }[mime] ?? mime.split('/')[1] ?? 'bin'
}

async function mediaFiles(k: Kit): Promise<File[]> {
  const files: File[] = []
  for (const [i, item] of k.items.entries()) {
    if (!k.present[i]) continue
    const buf = await api.media(item.sha256)
    files.push(new File([buf], `saakshi-${i + 1}.${ext(item.mime)}`, { type: item.mime }))
  }
  return files
}

function kitCard(k: Kit, status: HTMLElement, errors: HTMLElement): HTMLElement {
  const media = h('div', { class: 'kit-media' })
  k.items.forEach((item, i) => {
    if (!k.present[i]) {
      media.append(h('div', { class: 'thumb missing' }, tx('kits.downloading')))
      return
    }
    const slot = h('div', { class: 'thumb' })
    if (item.mime.startsWith('image/')) {
      void api.media(item.sha256).then((buf) => {
        const img = h('img', { src: URL.createObjectURL(new Blob([buf], { type: item.mime })) })
        setAttrT(img, 'alt', 'kits.media_alt', { n: i + 1, title: title(k) })
        slot.append(img)
      })
    } else slot.append(tx(item.mime.startsWith('video/') ? 'kind.video' : 'kind.audio'), ` · ${bytes(item.size)}`)
    media.append(slot)
  })

  const say = (key: string, vars?: Record<string, string | number>) => status.replaceChildren(tx(key, vars))
  const share = h('button', { type: 'button', class: 'primary', 'data-testid': 'kit-share' }, tx('kits.share'))
  share.addEventListener('click', async () => {
    showError(errors, null)
    try {
      const files = await mediaFiles(k)
      const data: ShareData = { title: title(k), text: caption(k), files }
      if (navigator.canShare?.(data)) {
        await navigator.share(data)
        say('kits.shared')
        return
      }
      // No share sheet (a laptop): save each file and copy the caption instead.
      const saved: string[] = []
      for (const [i, item] of k.items.entries()) {
        if (k.present[i]) saved.push(await api.saveMedia(item.sha256, `saakshi-${k.id.slice(-6)}-${i + 1}.${ext(item.mime)}`))
      }
      await navigator.clipboard?.writeText(caption(k)).catch(() => {})
      say('kits.saved', { n: saved.length, where: saved[0]?.replace(/[/\\][^/\\]*$/, '') ?? '' })
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') return
      showError(errors, e)
    }
  })
  const copy = h('button', { type: 'button', 'data-testid': 'kit-copy' }, tx('kits.copy'))
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(caption(k))
      say('kits.copied')
    } catch (e) {
      showError(errors, { kind: 'clipboard', detail: String(e) })
    }
  })
  return h(
    'article',
    { class: 'card kit', 'data-testid': 'kit' },
    h('h3', {}, title(k)),
    h('p', { class: 'qmeta' }, tx('kits.published', { when: dateTime(k.published_at) })),
    media,
    h('p', { class: 'kit-caption' }, caption(k)),
    h('div', { class: 'row' }, share, copy),
  )
}

export function kitsScreen(root: HTMLElement): () => void {
  const list = h('div', { class: 'kits', 'data-testid': 'kits' })
  const status = h('p', { class: 'confirm', role: 'status', 'aria-live': 'polite' })
  const errors = h('div', { class: 'errors', 'aria-live': 'assertive' })
  let kits: Kit[] = []
  const render = () => {
    list.replaceChildren(...(kits.length ? kits.map((k) => kitCard(k, status, errors)) : [h('p', { class: 'empty', 'data-testid': 'kits-empty' }, tx('kits.empty'))]))
  }
  root.append(h('h2', {}, tx('nav.kits')), status, errors, list)
  api
    .kits()
    .then((k) => {
      kits = k
      render()
    })
    .catch((e) => showError(errors, e))
  // Titles and captions come in both languages: redraw them on a switch.
  return i18n.onChange(render)
}
