import { workerData } from 'node:worker_threads'
import { AppError } from '../errors'
import { createPreparer, type PrepareSetup } from './prepare'
import { readTable, sniff, streamCsv, type Row } from './read-table'
import {
  metaOf,
  type ParseWorkerInput,
  type ParseWorkerMessage,
  type PreviewMessage,
  type TableMeta
} from './row-source'

/** The second thread of an import: reads the file and prepares its rows (row-source.ts). */
const input = workerData as ParseWorkerInput
const counter = new Int32Array(input.signal)

function post(m: ParseWorkerMessage): void {
  input.port.postMessage(m)
  Atomics.add(counter, 0, 1)
  Atomics.notify(counter, 0)
}

/** The preview: the table's facts and first rows, on this thread (row-source.ts previewOffThread). */
async function preview(sample: number): Promise<void> {
  try {
    const buf = Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength)
    const table = await readTable(buf, input.read)
    input.port.postMessage({
      type: 'preview',
      table: { ...table, rows: table.rows.slice(0, sample) },
      total: table.rows.length
    } satisfies PreviewMessage)
  } catch (err) {
    input.port.postMessage(
      (err instanceof AppError
        ? { type: 'error', code: err.code, key: err.key ?? 'errors.INTERNAL', params: err.params }
        : { type: 'error', code: 'INTERNAL', key: 'errors.INTERNAL' }) satisfies PreviewMessage
    )
  }
}

async function run(): Promise<void> {
  let meta: TableMeta
  let rows: Iterable<Row>
  try {
    const buf = Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength)
    if (sniff(buf) === 'csv') {
      // CSV is split into rows as it is prepared: the writer starts after the header, not after the file.
      const csv = streamCsv(buf, input.read)
      meta = { kind: 'csv', encoding: csv.encoding, sheet: null, headers: csv.headers, total: csv.estimatedRows }
      rows = csv.rows
    } else {
      const table = await readTable(buf, input.read)
      meta = metaOf(table)
      rows = table.rows
    }
  } catch (err) {
    if (err instanceof AppError) post({ type: 'error', code: err.code, key: err.key, params: err.params })
    else post({ type: 'error', code: 'INTERNAL', key: 'errors.INTERNAL' })
    return
  }
  post({ type: 'meta', meta })
  // Wait for the mapping and the do-not-call list.
  const setup = await new Promise<Omit<PrepareSetup, 'headers'>>((resolve) => input.port.once('message', resolve))
  const prepare = createPreparer({ ...setup, headers: meta.headers })
  let out: unknown[] = []
  let n = 0
  try {
    for (const r of rows) {
      prepare(r.rowNo, r.cells, out)
      if (++n % CHUNK_ROWS === 0) {
        post({ type: 'chunk', data: out })
        out = []
      }
    }
  } catch (err) {
    post({
      type: 'error',
      code: err instanceof AppError ? err.code : 'INTERNAL',
      key: err instanceof AppError ? err.key : 'errors.INTERNAL'
    })
    return
  }
  if (out.length) post({ type: 'chunk', data: out })
  post({ type: 'end' })
}

const CHUNK_ROWS = 5000

// the preview reads and answers; the import reads, then prepares as the writer asks
void (input.preview !== undefined ? preview(input.preview) : run())
