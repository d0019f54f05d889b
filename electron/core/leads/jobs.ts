import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import type { ImportJob } from '../../../shared/contract'
import type { CoreDeps } from '../context'
import { AppError } from '../errors'
import { ImportCancelled, type ImportOptions, type ImportResult } from './import'
import type { ReadOptions } from './read-table'
import { definedOnly, type ImportRules, type LeadsService } from './service'
import type { WorkerInput, WorkerMessage } from './import-worker'

interface Job extends ImportJob {
  userId: number
  cancel: Int32Array
}

/**
 * Background imports, one at a time (SQLite has one writer). With a worker file the import runs
 * on its own thread; without one (unit tests on the TypeScript sources) it runs in-process.
 */
export class ImportJobs {
  private jobs = new Map<string, Job>()

  constructor(
    private deps: CoreDeps,
    private leads: LeadsService,
    private dbFile: string,
    private workerFile: string | null,
    private parseWorkerFile: string | null,
    private nativeBinding: string | undefined,
    private importRules: (campaignId: number) => ImportRules
  ) {}

  running(): Job | undefined {
    return [...this.jobs.values()].find((j) => j.state === 'running')
  }

  start(
    user: { id: number; username: string },
    file: string,
    opts: ImportOptions & ReadOptions,
    source: string,
    onEnd: () => void
  ): ImportJob {
    if (this.running()) throw new AppError('CONFLICT', 'errors.importRunning')
    const jobId = randomBytes(12).toString('base64url')
    const shared = new SharedArrayBuffer(4)
    const job: Job = {
      jobId,
      state: 'running',
      fileName: opts.fileName,
      done: 0,
      total: 0,
      result: null,
      error: null,
      userId: user.id,
      cancel: new Int32Array(shared)
    }
    this.jobs.set(jobId, job)
    const full = { ...this.importRules(opts.campaignId), ...definedOnly(opts) }

    const progress = (done: number, total: number) => {
      job.done = done
      job.total = total
      this.deps.events.emit('leads.importProgress', { userId: user.id, jobId, done, total })
    }
    const finish = (state: 'done' | 'failed' | 'cancelled', result: ImportResult | null, error: AppError | null) => {
      job.state = state
      job.result = result
      job.error = error ? { code: error.code, message: error.message } : null
      if (result) {
        this.deps.audit.write({
          userId: user.id,
          username: user.username,
          action: 'leads.import',
          entity: 'import_batch',
          entityId: result.batchId,
          details: { fileName: opts.fileName, source: opts.source, ...result },
          source
        })
        this.deps.events.emit('leads.changed', { reason: 'import' })
      } else if (state === 'cancelled') {
        this.deps.audit.write({
          userId: user.id,
          username: user.username,
          action: 'leads.import.cancelled',
          details: { fileName: opts.fileName },
          source
        })
      }
      this.deps.events.emit('leads.importFinished', { userId: user.id, jobId, state, batchId: result?.batchId ?? null })
      onEnd()
    }

    if (this.workerFile && existsSync(this.workerFile)) {
      const input: WorkerInput = {
        dbFile: this.dbFile,
        nativeBinding: this.nativeBinding,
        file,
        now: this.deps.clock.now().toISOString(),
        opts: full,
        cancel: shared,
        parseWorkerFile: this.parseWorkerFile
      }
      const worker = new Worker(this.workerFile, { workerData: input })
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'progress') progress(m.done, m.total)
        else if (m.type === 'done') finish('done', m.result, null)
        else if (m.type === 'indexed') this.deps.events.emit('leads.changed', { reason: 'indexed' })
        else if (m.type === 'cancelled') finish('cancelled', null, new AppError('CONFLICT', 'errors.importCancelled'))
        else finish('failed', null, new AppError(m.code as never, m.key, m.params))
      })
      worker.on('error', (err) => finish('failed', null, err instanceof AppError ? err : new AppError('INTERNAL')))
    } else {
      setImmediate(() => {
        this.leads
          .importTableFromFile(file, full, {
            onProgress: progress,
            isCancelled: () => Atomics.load(job.cancel, 0) === 1
          })
          .then(
            (r) => finish('done', r, null),
            (err: unknown) => {
              if (err instanceof ImportCancelled)
                finish('cancelled', null, new AppError('CONFLICT', 'errors.importCancelled'))
              else finish('failed', null, err instanceof AppError ? err : new AppError('INTERNAL'))
            }
          )
      })
    }
    return this.view(job)
  }

  get(jobId: string, userId: number): ImportJob {
    const job = this.jobs.get(jobId)
    if (!job || job.userId !== userId) throw new AppError('NOT_FOUND')
    return this.view(job)
  }

  cancel(jobId: string, userId: number): void {
    const job = this.jobs.get(jobId)
    if (!job || job.userId !== userId) throw new AppError('NOT_FOUND')
    Atomics.store(job.cancel, 0, 1)
  }

  private view(job: Job): ImportJob {
    const { jobId, state, fileName, done, total, result, error } = job
    return { jobId, state, fileName, done, total, result, error }
  }
}
