// Reads a ZIP's central directory and inflates its entries: enough to check an export
// without a dependency (the streamed ZIP may use data descriptors; the central
// directory always has the sizes).
import zlib from 'node:zlib'

export function readZip(buf: Buffer): Map<string, Buffer> {
  let eocd = -1
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw new Error('not a ZIP: no end of central directory')
  let entries = buf.readUInt16LE(eocd + 10)
  let cd = buf.readUInt32LE(eocd + 16)
  // ZIP64: the real counts and offset are in the ZIP64 end record.
  if (cd === 0xffffffff || entries === 0xffff) {
    const loc = buf.readUInt32LE(eocd - 20) === 0x07064b50 ? Number(buf.readBigUInt64LE(eocd - 12)) : -1
    if (loc < 0) throw new Error('ZIP64 without its locator')
    entries = Number(buf.readBigUInt64LE(loc + 32))
    cd = Number(buf.readBigUInt64LE(loc + 48))
  }
  const out = new Map<string, Buffer>()
  let p = cd
  for (let n = 0; n < entries; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory entry at ${p}`)
    const method = buf.readUInt16LE(p + 10)
    let csize = buf.readUInt32LE(p + 20)
    const nameLen = buf.readUInt16LE(p + 28)
    const extraLen = buf.readUInt16LE(p + 30)
    const commentLen = buf.readUInt16LE(p + 32)
    let local = buf.readUInt32LE(p + 42)
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8')
    // ZIP64 extra field (0x0001) holds whichever sizes/offset overflowed, in order.
    let e = p + 46 + nameLen
    const end = e + extraLen
    while (e + 4 <= end) {
      const id = buf.readUInt16LE(e)
      const len = buf.readUInt16LE(e + 2)
      if (id === 0x0001) {
        let q = e + 4
        const usize = buf.readUInt32LE(p + 24)
        if (usize === 0xffffffff) q += 8
        if (csize === 0xffffffff) (csize = Number(buf.readBigUInt64LE(q))), (q += 8)
        if (local === 0xffffffff) local = Number(buf.readBigUInt64LE(q))
      }
      e += 4 + len
    }
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28)
    const raw = buf.subarray(dataAt, dataAt + csize)
    out.set(name, method === 0 ? Buffer.from(raw) : method === 8 ? zlib.inflateRawSync(raw) : (() => { throw new Error(`${name}: method ${method}`) })())
    p = end + commentLen
  }
  return out
}
