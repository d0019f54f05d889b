import { parentPort, workerData } from 'node:worker_threads'
import { readFileSync } from 'node:fs'
import { openDatabase } from '../db/open'
import { importRows, ImportCancelled, type ImportOptions } from './import'
import type { ReadOptions } from './read-table'
import { openRowSource } from './row-source'
import { AppError } from '../errors'
import { LeadSearch } from './search-repo'

/**
 * Runs one import on its own thread and its own SQLite connection, so the hub and the desktop
 * keep answering while a big list is parsed and written. Cancel is a shared flag the import
 * checks between rows; the transaction then rolls back.
 */
export interface WorkerInput {
  dbFile: string
  nativeBinding?: string
  file: string
  now: string
  opts: ImportOptions & ReadOptions
  cancel: SharedArrayBuffer
  parseWorkerFile: string | null
}

export type WorkerMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; result: ReturnType<typeof importRows> }
  | { type: 'failed'; code: string; key: string; params?: Record<string, string | number>; message: string }
  | { type: 'cancelled' }
  | { type: 'indexed' }

async function run(input: WorkerInput): Promise<WorkerMessage> {
  const cancel = new Int32Array(input.cancel)
  const db = openDatabase(input.dbFile, { nativeBinding: input.nativeBinding })
  try {
    const src = await openRowSource(readFileSync(input.file), input.opts, input.parseWorkerFile)
    const result = importRows(db, src, input.opts, {
      now: new Date(input.now),
      isCancelled: () => Atomics.load(cancel, 0) === 1,
      onProgress: (done, total) => parentPort!.postMessage({ type: 'progress', done, total } satisfies WorkerMessage)
    })
    parentPort!.postMessage({ type: 'done', result } satisfies WorkerMessage)
    // The pool is usable now; the search index catches up before the thread ends.
    new LeadSearch(db).indexAll()
    return { type: 'indexed' }
  } catch (err) {
    if (err instanceof ImportCancelled) return { type: 'cancelled' }
    if (err instanceof AppError)
      return { type: 'failed', code: err.code, key: err.key, params: err.params, message: err.message }
    return { type: 'failed', code: 'INTERNAL', key: 'errors.INTERNAL', message: String((err as Error)?.stack ?? err) }
  } finally {
    db.close()
  }
}

if (parentPort) {
  void run(workerData as WorkerInput).then((m) => parentPort!.postMessage(m))
}
