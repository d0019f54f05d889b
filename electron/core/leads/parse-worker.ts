import { workerData } from 'node:worker_threads'
import { AppError } from '../errors'
import { createPreparer, type PrepareSetup } from './prepare'
import { readTable } from './read-table'
import { metaOf, type ParseWorkerInput, type ParseWorkerMessage } from './row-source'

/** The second thread of an import: reads the file and prepares its rows (row-source.ts). */
const input = workerData as ParseWorkerInput
const counter = new Int32Array(input.signal)

function post(m: ParseWorkerMessage): void {
  input.port.postMessage(m)
  Atomics.add(counter, 0, 1)
  Atomics.notify(counter, 0)
}

async function run(): Promise<void> {
  let table
  try {
    table = await readTable(Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength), input.read)
  } catch (err) {
    if (err instanceof AppError) post({ type: 'error', code: err.code, key: err.key, params: err.params })
    else post({ type: 'error', code: 'INTERNAL', key: 'errors.INTERNAL' })
    return
  }
  post({ type: 'meta', meta: metaOf(table) })
  // Wait for the mapping and the do-not-call list.
  const setup = await new Promise<Omit<PrepareSetup, 'headers'>>((resolve) => input.port.once('message', resolve))
  const prepare = createPreparer({ ...setup, headers: table.headers })
  const rows = table.rows
  for (let k = 0; k < rows.length; ) {
    const out: unknown[] = []
    for (const end = Math.min(k + 5000, rows.length); k < end; k++) prepare(rows[k].rowNo, rows[k].cells, out)
    post({ type: 'chunk', data: out })
  }
  post({ type: 'end' })
}

void run()
