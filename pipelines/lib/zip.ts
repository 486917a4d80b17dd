import { crc32, deflateRawSync } from 'node:zlib'

export interface ZipEntry {
  name: string
  data: Buffer
}

function dosDateTime(date: Date): [number, number] {
  const time = (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1)
  const day = ((date.getFullYear() - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate()
  return [time, day]
}

function header(size: number, fields: Array<[number, 2 | 4]>): Buffer {
  const buffer = Buffer.alloc(size)
  let offset = 0
  for (const [value, width] of fields) {
    offset =
      width === 2 ? buffer.writeUInt16LE(value, offset) : buffer.writeUInt32LE(value >>> 0, offset)
  }
  return buffer
}

/**
 * A deflated zip archive (what Lambda takes as code), written with zlib
 * alone: local headers, data, central directory, end record.
 */
export function zip(entries: ZipEntry[], date = new Date(Date.UTC(2020, 0, 1))): Buffer {
  const [time, day] = dosDateTime(date)
  const parts: Buffer[] = []
  const central: Buffer[] = []
  let offset = 0
  for (const entry of entries) {
    const name = Buffer.from(entry.name)
    const packed = deflateRawSync(entry.data)
    const crc = crc32(entry.data)
    const common: Array<[number, 2 | 4]> = [
      [20, 2],
      [0x0800, 2],
      [8, 2],
      [time, 2],
      [day, 2],
      [crc, 4],
      [packed.length, 4],
      [entry.data.length, 4],
      [name.length, 2],
      [0, 2],
    ]
    const local = header(30, [[0x04034b50, 4], ...common])
    parts.push(local, name, packed)
    central.push(
      header(46, [
        [0x02014b50, 4],
        [20, 2],
        ...common,
        [0, 2],
        [0, 2],
        [0, 2],
        [0, 4],
        [offset, 4],
      ]),
      name
    )
    offset += local.length + name.length + packed.length
  }
  const directory = Buffer.concat(central)
  const end = header(22, [
    [0x06054b50, 4],
    [0, 2],
    [0, 2],
    [entries.length, 2],
    [entries.length, 2],
    [directory.length, 4],
    [offset, 4],
    [0, 2],
  ])
  return Buffer.concat([...parts, directory, end])
}
