import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads'
import { IMPORT_THREAD_LIMITS } from './zip-check'
import { AppError } from '../errors'
import { createPreparer, type PrepareSetup } from './prepare'
import { readTable, type ReadOptions, type Table } from './read-table'

/** What the writer needs to know of a file before its first row. */
export interface TableMeta {
  kind: Table['kind']
  encoding: string | null
  sheet: string | null
  headers: string[]
  total: number
}

/**
 * Prepared rows for the writer, pulled synchronously a chunk at a time: the import's transaction
 * is one synchronous SQLite transaction, whichever thread prepares the rows.
 */
export interface RowSource {
  readonly meta: TableMeta
  /** Starts preparing with the chosen mapping and the do-not-call list. */
  start(setup: Omit<PrepareSetup, 'headers'>): void
  /** The next chunk (STRIDE values a record), or null when all rows are done. */
  next(): unknown[] | null
  close(): void
}

const CHUNK = 5000

export function metaOf(t: Table): TableMeta {
  return { kind: t.kind, encoding: t.encoding, sheet: t.sheet, headers: t.headers, total: t.rows.length }
}

/** Prepares on the writer's own thread (small files, and tests on the TypeScript sources). */
export function inThreadSource(table: Table): RowSource {
  let prepare: ((rowNo: number, cells: string[], out: unknown[]) => void) | null = null
  let k = 0
  return {
    meta: metaOf(table),
    start(setup) {
      prepare = createPreparer({ ...setup, headers: table.headers })
    },
    next() {
      if (!prepare) throw new Error('start() first')
      if (k >= table.rows.length) return null
      const out: unknown[] = []
      for (const end = Math.min(k + CHUNK, table.rows.length); k < end; k++)
        prepare(table.rows[k].rowNo, table.rows[k].cells, out)
      return out
    },
    close() {}
  }
}

export type ParseWorkerMessage =
  | { type: 'meta'; meta: TableMeta }
  | { type: 'chunk'; data: unknown[] }
  | { type: 'end' }
  | { type: 'error'; code: string; key: string; params?: Record<string, string | number> }

export interface ParseWorkerInput {
  bytes: Uint8Array
  read: ReadOptions
  port: MessagePort
  signal: SharedArrayBuffer
  /** Only read the file and send back its first rows (the import's preview), then end. */
  preview?: number
}

/** What the preview thread sends back: the table's facts, its first rows, and how many there are. */
export type PreviewMessage =
  | { type: 'preview'; table: Omit<Table, 'rows'> & { rows: Table['rows'] }; total: number }
  | { type: 'error'; code: string; key: string; params?: Record<string, string | number> }

/**
 * Reads a file on a thread of its own, with the import's memory limits, and returns its first
 * `sample` rows and the count: a big file (or a bomb) never holds up the hub's thread, which
 * answers every seat meanwhile. A thread that runs out of memory is a clear refusal, not a crash.
 */
export function previewOffThread(
  workerFile: string,
  bytes: Uint8Array,
  read: ReadOptions,
  sample: number
): Promise<{ table: Table; total: number }> {
  const { port1, port2 } = new MessageChannel()
  const worker = new Worker(workerFile, {
    resourceLimits: IMPORT_THREAD_LIMITS,
    workerData: {
      bytes,
      read,
      port: port2,
      signal: new SharedArrayBuffer(4),
      preview: sample
    } satisfies ParseWorkerInput,
    transferList: [port2]
  })
  return new Promise((resolve, reject) => {
    const done = () => {
      port1.close()
      void worker.terminate()
    }
    port1.once('message', (m: PreviewMessage) => {
      done()
      if (m.type === 'error') reject(new AppError(m.code as never, m.key, m.params))
      else resolve({ table: m.table, total: m.total })
    })
    worker.once('error', (err) => {
      done()
      reject(
        (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new AppError('INVALID_INPUT', 'errors.fileTooComplex')
          : err
      )
    })
  })
}

/** Waiting on the worker is bounded: a thread that died cannot hang the import for ever. */
const SILENCE_LIMIT_MS = 120_000

/**
 * Reads and prepares on a second thread (the machine has two cores): while this thread writes
 * one chunk, the other prepares the next. Messages come through a port read synchronously, with
 * a shared counter to sleep on until the next one is posted.
 */
export function threadedSource(workerFile: string, bytes: Uint8Array, read: ReadOptions): RowSource {
  const { port1, port2 } = new MessageChannel()
  const signal = new SharedArrayBuffer(4)
  const counter = new Int32Array(signal)
  const worker = new Worker(workerFile, {
    resourceLimits: IMPORT_THREAD_LIMITS,
    workerData: { bytes, read, port: port2, signal } satisfies ParseWorkerInput,
    transferList: [port2]
  })
  worker.unref()
  let ended = false

  const receive = (): ParseWorkerMessage => {
    let waited = 0
    for (;;) {
      const seen = Atomics.load(counter, 0)
      const m = receiveMessageOnPort(port1)
      if (m) {
        const msg = m.message as ParseWorkerMessage
        if (msg.type === 'error') {
          close()
          throw new AppError(msg.code as never, msg.key, msg.params)
        }
        return msg
      }
      if (Atomics.wait(counter, 0, seen, 1000) === 'timed-out' && (waited += 1000) > SILENCE_LIMIT_MS) {
        close()
        throw new AppError('INTERNAL')
      }
    }
  }
  const close = () => {
    if (ended) return
    ended = true
    port1.close()
    void worker.terminate()
  }

  const first = receive()
  if (first.type !== 'meta') throw new AppError('INTERNAL')
  return {
    meta: first.meta,
    start(setup) {
      port1.postMessage(setup)
    },
    next() {
      if (ended) return null
      const m = receive()
      if (m.type === 'end') {
        close()
        return null
      }
      return m.type === 'chunk' ? m.data : []
    },
    close
  }
}

/** The threaded source when the built parse worker is at hand and the file is big enough to gain. */
export async function openRowSource(
  bytes: Buffer,
  read: ReadOptions,
  parseWorkerFile: string | null
): Promise<RowSource> {
  if (parseWorkerFile && bytes.length > 4 * 1024 * 1024) return threadedSource(parseWorkerFile, bytes, read)
  return inThreadSource(await readTable(bytes, read))
}
