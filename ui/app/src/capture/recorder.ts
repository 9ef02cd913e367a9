// The WebView's camera and microphone: a live preview, a still from it, or a recording.

export type RecorderKind = 'photo' | 'video' | 'audio'

export function mediaAvailable(): boolean {
  return !!navigator.mediaDevices?.getUserMedia
}

/** Why a camera or microphone could not be opened, in the terms the volunteer can act on. */
export type DeviceProblem = 'missing' | 'denied' | 'busy'

/** The device a kind needs is absent (or the WebView cannot reach any): known at once,
 *  without waiting for getUserMedia, which on some WebViews hangs before it fails. */
export async function deviceMissing(kind: RecorderKind): Promise<DeviceProblem | null> {
  if (!mediaAvailable()) return 'missing'
  if (!navigator.mediaDevices.enumerateDevices) return null
  const want = kind === 'audio' ? 'audioinput' : 'videoinput'
  const devices = await navigator.mediaDevices.enumerateDevices().catch(() => null)
  if (!devices) return null
  return devices.some((d) => d.kind === want) ? null : 'missing'
}

/** getUserMedia's DOMException names, sorted by what would help. */
export function deviceProblem(e: unknown): DeviceProblem {
  const name = (e as { name?: string } | null)?.name ?? ''
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return 'denied'
  if (name === 'NotReadableError' || name === 'TrackStartError' || name === 'AbortError') return 'busy'
  // NotFoundError, OverconstrainedError (no camera matches at all) and the rest.
  return 'missing'
}

/** The error kind the UI words (error.<kind> in the dictionaries). */
export function problemKind(kind: RecorderKind, why: DeviceProblem): string {
  const device = kind === 'audio' ? 'microphone' : 'camera'
  return why === 'missing' ? `no_${device}` : `${device}_${why}`
}

export async function openStream(kind: RecorderKind): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia({
    video: kind === 'audio' ? false : { facingMode: 'environment', width: { ideal: 1920 } },
    audio: kind !== 'photo',
  })
}

export function stopStream(stream: MediaStream | null): void {
  stream?.getTracks().forEach((t) => t.stop())
}

/** The preview's current frame as a JPEG, scaled so its longer side is at most `max`. */
export function frameJpeg(video: HTMLVideoElement, max = 4096, quality = 0.92): Promise<Blob> {
  const w = video.videoWidth
  const h = video.videoHeight
  if (!w || !h) return Promise.reject(new Error('the camera has not shown a frame yet'))
  const scale = Math.min(1, max / Math.max(w, h))
  const canvas = document.createElement('canvas')
  canvas.width = Math.round(w * scale)
  canvas.height = Math.round(h * scale)
  canvas.getContext('2d')!.drawImage(video, 0, 0, canvas.width, canvas.height)
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('no JPEG encoder'))), 'image/jpeg', quality),
  )
}

/** A MIME type this WebView can record, preferring ones the server's sniffing knows. */
function recordingType(kind: RecorderKind): string | undefined {
  const options =
    kind === 'audio'
      ? ['audio/webm;codecs=opus', 'audio/mp4', 'audio/ogg;codecs=opus', 'audio/webm']
      : ['video/webm;codecs=vp8,opus', 'video/mp4', 'video/webm']
  return options.find((t) => typeof MediaRecorder !== 'undefined' && MediaRecorder.isTypeSupported(t))
}

/** Records until `stop()`; resolves with the whole recording. */
export function record(stream: MediaStream, kind: RecorderKind): { stop: () => Promise<Blob> } {
  const mimeType = recordingType(kind)
  const rec = new MediaRecorder(stream, mimeType ? { mimeType } : undefined)
  const parts: Blob[] = []
  rec.ondataavailable = (e) => e.data.size && parts.push(e.data)
  const done = new Promise<Blob>((resolve) => {
    rec.onstop = () => resolve(new Blob(parts, { type: rec.mimeType }))
  })
  rec.start(1000)
  return {
    stop: () => {
      rec.stop()
      return done
    },
  }
}

/** A small preview of a video file (its frame at 0.5 s), or null when it cannot be read. */
export async function videoThumbnail(blob: Blob): Promise<Blob | null> {
  const url = URL.createObjectURL(blob)
  const video = document.createElement('video')
  video.muted = true
  video.preload = 'auto'
  video.src = url
  try {
    await new Promise<void>((resolve, reject) => {
      video.onloadeddata = () => resolve()
      video.onerror = () => reject(new Error('unreadable video'))
      setTimeout(() => reject(new Error('timeout')), 5000)
    })
    video.currentTime = Math.min(0.5, (video.duration || 1) / 2)
    await new Promise<void>((resolve) => {
      video.onseeked = () => resolve()
      setTimeout(resolve, 2000)
    })
    // The server takes previews up to 64 KiB: 320 px at 0.7 stays well under it.
    return await frameJpeg(video, 320, 0.7)
  } catch {
    return null
  } finally {
    URL.revokeObjectURL(url)
  }
}
