import { parentPort, workerData } from 'node:worker_threads'
import { readFileSync } from 'node:fs'
import { openDatabase } from '../db/open'
import { importRows, ImportCancelled, writeStaged, type ImportOptions, type ImportPhase } from './import'
import type { PhoneAreaRules } from '../phone/area'
import type { ReadOptions } from './read-table'
import { openRowSource } from './row-source'
import { AppError } from '../errors'
import { LeadSearch } from './search-repo'
import { ImportStage } from './stage-repo'

/**
 * Runs one import on its own thread and its own SQLite connection, so the hub and the desktop
 * keep answering while a big list is parsed and written. Cancel is a shared flag the import
 * checks between chunks while it reads. Before each slice it writes, the thread asks the main
 * thread for its turn and waits until that thread's event loop has come round (the requests that
 * were waiting have written), at most TURN_WAIT_MS: a writer on the main thread waits behind one
 * slice at most, never behind the whole list.
 */
/** What the thread is to do: import a file, or finish writing a batch a crash stopped. */
export type WorkerTask =
  | {
      kind: 'import'
      file: string
      now: string
      opts: ImportOptions & ReadOptions
      stageFile: string
      parseWorkerFile: string | null
    }
  | { kind: 'resume'; batchId: number; stageFile: string; area?: PhoneAreaRules }

export type WorkerInput = WorkerTask & {
  dbFile: string
  nativeBinding?: string
  cancel: SharedArrayBuffer
  turn: SharedArrayBuffer
}

export type WorkerMessage =
  | { type: 'progress'; done: number; total: number; phase: ImportPhase }
  | { type: 'committed'; batchId: number }
  | { type: 'turn' }
  | { type: 'done'; result: Awaited<ReturnType<typeof importRows>> }
  | { type: 'failed'; code: string; key: string; params?: Record<string, string | number>; message: string }
  | { type: 'cancelled' }
  | { type: 'indexed' }

const TURN_WAIT_MS = 250

function post(m: WorkerMessage): void {
  parentPort!.postMessage(m)
}

async function run(input: WorkerInput): Promise<WorkerMessage> {
  const cancel = new Int32Array(input.cancel)
  const turnFlag = new Int32Array(input.turn)
  const turn = () => {
    Atomics.store(turnFlag, 0, 0)
    post({ type: 'turn' })
    Atomics.wait(turnFlag, 0, 0, TURN_WAIT_MS)
  }
  const onProgress = (done: number, total: number, phase: ImportPhase) => post({ type: 'progress', done, total, phase })
  const db = openDatabase(input.dbFile, { nativeBinding: input.nativeBinding })
  try {
    let result
    if (input.kind === 'import') {
      const src = await openRowSource(readFileSync(input.file), input.opts, input.parseWorkerFile)
      result = await importRows(
        db,
        src,
        input.opts,
        {
          now: new Date(input.now),
          isCancelled: () => Atomics.load(cancel, 0) === 1,
          onProgress,
          turn,
          onCommitted: (batchId) => post({ type: 'committed', batchId })
        },
        { file: input.stageFile, nativeBinding: input.nativeBinding }
      )
    } else {
      const stage = new ImportStage(input.stageFile, input.nativeBinding)
      result = await writeStaged(db, input.batchId, stage, input.area, { onProgress, turn })
    }
    post({ type: 'done', result })
    // The pool is usable now; the search index catches up before the thread ends, a slice at a time.
    new LeadSearch(db).indexAll(undefined, turn)
    return { type: 'indexed' }
  } catch (err) {
    if (err instanceof ImportCancelled) return { type: 'cancelled' }
    if (err instanceof AppError && err.code !== 'INTERNAL')
      return { type: 'failed', code: err.code, key: err.key, params: err.params, message: err.message }
    return { type: 'failed', code: 'INTERNAL', key: 'errors.INTERNAL', message: String((err as Error)?.stack ?? err) }
  } finally {
    db.close()
  }
}

if (parentPort) {
  void run(workerData as WorkerInput).then((m) => post(m))
}
