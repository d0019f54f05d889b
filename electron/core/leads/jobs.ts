import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import type { ImportJob, Locale } from '../../../shared/contract'
import type { CoreDeps } from '../context'
import type { Logger } from '../invoke'
import { IMPORT_THREAD_LIMITS } from './zip-check'
import { AppError, internalError } from '../errors'
import { ImportCancelled, type ImportOptions, type ImportPhase, type ImportResult } from './import'
import { ImportRepo } from './import-repo'
import type { ReadOptions } from './read-table'
import { definedOnly, type ImportRules, type LeadsService } from './service'
import { newStageFile, removeStrayStages } from './stage-repo'
import type { WorkerInput, WorkerMessage, WorkerTask } from './import-worker'

interface Job extends Omit<ImportJob, 'error'> {
  userId: number | null
  cancel: Int32Array
  /** Why it failed, kept whole: it is said in the language of whoever asks. */
  failure: AppError | null
}

type Finish = (state: 'done' | 'failed' | 'cancelled', result: ImportResult | null, error: AppError | null) => void

/** The main thread's side of an import thread's turn: given when the message is read, i.e. when this event loop is free. */
function giveTurn(turn: Int32Array): void {
  Atomics.store(turn, 0, 1)
  Atomics.notify(turn, 0)
}

/**
 * Background imports, one at a time. With a worker file the import runs on its own thread;
 * without one (unit tests on the TypeScript sources) it runs in-process. Either way it writes the
 * pool in short slices (import.ts), so the requests of the hub never wait behind it.
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
    private importRules: (campaignId: number) => ImportRules,
    private logger: Logger
  ) {}

  running(): Job | undefined {
    return [...this.jobs.values()].find((j) => j.state === 'running')
  }

  private newJob(fileName: string, userId: number | null): Job {
    const job: Job = {
      jobId: randomBytes(12).toString('base64url'),
      state: 'running',
      phase: 'reading',
      fileName,
      done: 0,
      total: 0,
      result: null,
      failure: null,
      userId,
      cancel: new Int32Array(new SharedArrayBuffer(4))
    }
    this.jobs.set(job.jobId, job)
    return job
  }

  private progress(job: Job, done: number, total: number, phase: ImportPhase): void {
    job.done = done
    job.total = total
    job.phase = phase
    if (job.userId !== null)
      this.deps.events.emit('leads.importProgress', { userId: job.userId, jobId: job.jobId, done, total, phase })
  }

  start(
    user: { id: number; username: string },
    file: string,
    opts: ImportOptions & ReadOptions,
    source: string,
    onEnd: () => void,
    locale: Locale
  ): ImportJob {
    if (this.running()) throw new AppError('CONFLICT', 'errors.importRunning')
    const job = this.newJob(opts.fileName, user.id)
    const full = { ...this.importRules(opts.campaignId), ...definedOnly(opts) }
    const stageFile = newStageFile(this.deps.dataDir)

    const finish: Finish = (state, result, error) => {
      this.ended(job, state, result, error, {
        username: user.username,
        fileName: opts.fileName,
        source,
        listSource: opts.source
      })
      onEnd()
    }
    if (this.workerFile && existsSync(this.workerFile)) {
      this.inWorker(job, finish, {
        kind: 'import',
        file,
        now: this.deps.clock.now().toISOString(),
        opts: full,
        stageFile,
        parseWorkerFile: this.parseWorkerFile
      })
    } else {
      setImmediate(() => {
        this.leads
          .importTableFromFile(file, full, {
            onProgress: (done, total, phase) => this.progress(job, done, total, phase),
            isCancelled: () => Atomics.load(job.cancel, 0) === 1,
            onCommitted: () => (job.phase = 'writing'),
            stageFile
          })
          .then(
            (r) => finish('done', r, null),
            (err: unknown) => this.failed(job, finish, err)
          )
      })
    }
    return this.view(job, locale)
  }

  /**
   * Finishes the imports a crash or a kill stopped while they wrote into the pool (their batch
   * exists, so they are committed), and removes what imports stopped while reading left behind.
   * Run by the process that owns the data folder (the hub, the desktop), once, at its start.
   */
  resume(): void {
    const repo = new ImportRepo(this.deps.db)
    const pending = repo.writing().map((id) => repo.batch(id)!)
    removeStrayStages(this.deps.dataDir, new Set(pending.map((b) => b.stage_file ?? '')))
    for (const b of pending) {
      if (!b.stage_file || !existsSync(b.stage_file)) {
        this.logger.error(
          `import batch ${b.id} (${b.file_name}) was stopped while writing and its staged rows are gone: it keeps the rows written so far`
        )
        repo.finish(b.id)
        continue
      }
      this.logger.warn(`import batch ${b.id} (${b.file_name}) was stopped while writing: finishing it`)
      const job = this.newJob(b.file_name, b.created_by)
      job.phase = 'writing'
      const finish: Finish = (state, result, error) =>
        this.ended(job, state, result, error, {
          username: null,
          fileName: b.file_name,
          source: 'resume',
          listSource: b.source,
          resumed: true
        })
      const area = this.importRules(b.campaign_id).area
      if (this.workerFile && existsSync(this.workerFile)) {
        this.inWorker(job, finish, { kind: 'resume', batchId: b.id, stageFile: b.stage_file, area })
      } else {
        this.leads
          .finishStaged(b.id, b.stage_file, area, (done, total, phase) => this.progress(job, done, total, phase))
          .then(
            (r) => finish('done', r, null),
            (err: unknown) => this.failed(job, finish, err)
          )
      }
    }
  }

  private inWorker(job: Job, finish: Finish, task: WorkerTask): void {
    const turn = new Int32Array(new SharedArrayBuffer(4))
    const input: WorkerInput = {
      ...task,
      dbFile: this.dbFile,
      nativeBinding: this.nativeBinding,
      cancel: job.cancel.buffer as SharedArrayBuffer,
      turn: turn.buffer as SharedArrayBuffer
    }
    // a file that would need more memory than any list ends the import thread, not the hub
    const worker = new Worker(this.workerFile!, { workerData: input, resourceLimits: IMPORT_THREAD_LIMITS })
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'turn') giveTurn(turn)
      else if (m.type === 'progress') this.progress(job, m.done, m.total, m.phase)
      else if (m.type === 'committed') job.phase = 'writing'
      else if (m.type === 'done') finish('done', m.result, null)
      else if (m.type === 'indexed') this.deps.events.emit('leads.changed', { reason: 'indexed' })
      else if (m.type === 'cancelled') finish('cancelled', null, new AppError('CONFLICT', 'errors.importCancelled'))
      else if (m.code === 'INTERNAL')
        finish('failed', null, internalError(this.logger, `import of ${job.fileName}`, m.message))
      else finish('failed', null, new AppError(m.code as never, m.key, m.params))
    })
    worker.on('error', (err) => this.failed(job, finish, err))
  }

  private failed(job: Job, finish: Finish, err: unknown): void {
    if (err instanceof ImportCancelled) finish('cancelled', null, new AppError('CONFLICT', 'errors.importCancelled'))
    else if (err instanceof AppError && err.code !== 'INTERNAL') finish('failed', null, err)
    else finish('failed', null, internalError(this.logger, `import of ${job.fileName}`, err))
  }

  private ended(
    job: Job,
    state: 'done' | 'failed' | 'cancelled',
    result: ImportResult | null,
    error: AppError | null,
    who: { username: string | null; fileName: string; source: string; listSource: string; resumed?: boolean }
  ): void {
    if (job.state !== 'running') return
    job.state = state
    job.result = result
    job.failure = error
    if (result) {
      this.deps.audit.write({
        userId: job.userId,
        username: who.username,
        action: 'leads.import',
        entity: 'import_batch',
        entityId: result.batchId,
        details: {
          fileName: who.fileName,
          source: who.listSource,
          ...(who.resumed ? { resumed: true } : {}),
          ...result
        },
        source: who.source
      })
      this.deps.events.emit('leads.changed', { reason: 'import' })
    } else if (state === 'cancelled' && job.userId !== null) {
      this.deps.audit.write({
        userId: job.userId,
        username: who.username,
        action: 'leads.import.cancelled',
        details: { fileName: who.fileName },
        source: who.source
      })
    }
    if (job.userId !== null)
      this.deps.events.emit('leads.importFinished', {
        userId: job.userId,
        jobId: job.jobId,
        state,
        batchId: result?.batchId ?? null
      })
  }

  get(jobId: string, userId: number, locale: Locale): ImportJob {
    const job = this.jobs.get(jobId)
    if (!job || job.userId !== userId) throw new AppError('NOT_FOUND')
    return this.view(job, locale)
  }

  /** Stops an import that is still reading its list; once it writes into the pool it finishes. */
  cancel(jobId: string, userId: number): void {
    const job = this.jobs.get(jobId)
    if (!job || job.userId !== userId) throw new AppError('NOT_FOUND')
    if (job.state !== 'running') return
    if (job.phase === 'writing') throw new AppError('CONFLICT', 'errors.importWriting')
    Atomics.store(job.cancel, 0, 1)
  }

  private view(job: Job, locale: Locale): ImportJob {
    const { jobId, state, phase, fileName, done, total, result, failure } = job
    const error = failure ? { code: failure.code, message: failure.toShape(locale).message } : null
    return { jobId, state, phase, fileName, done, total, result, error }
  }
}
