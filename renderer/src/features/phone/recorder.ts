import type { ApiClient } from '../../api/client'
import { ApiError } from '../../api/errors'
import { toBase64 } from '../../api/files'
import workletUrl from './peaks-worklet.js?url'
import type { CallMedia } from './types'

const FRAME_MS = 20
/** A chunk about every second (core's recordings.start says the same). */
const CHUNK_MS = 1000

/**
 * Records an established call in stereo — operator on the left, customer on the right — as
 * Opus/WebM through a channel merger, sending a chunk to core about every second together with
 * the waveform peaks computed meanwhile (so QA opens an hour-long call without decoding it).
 * Chunks go in order; a chunk that fails to send is retried while the hub is away (core ignores
 * one it already has). Stopping never hangs: what could not be sent in time is reported, and the
 * recording is closed with what core has.
 */
export class CallRecorder {
  private seq = 0
  /** Chunks core has stored (or acknowledged): the recording is complete when this is every chunk. */
  private stored = 0
  /** The first chunk that could not be sent; later ones would leave a gap, so they are not sent. */
  private failure: unknown = null
  private queue: Promise<void> = Promise.resolve()
  private peaks: Int8Array[] = []
  private readonly started = performance.now()
  private stopped: Promise<void>

  /** Known once core has answered recordings.start; chunks wait for it in the queue. */
  recordingId = 0

  private constructor(
    private api: ApiClient,
    /** core's recordings.start, in flight while the recorder already runs */
    started: Promise<{ recordingId: number }>,
    private ctx: AudioContext,
    private rec: MediaRecorder,
    /** Nodes to disconnect when the context is the call's (shared), or null when the recorder owns it. */
    private shared: AudioNode[] | null,
    /** The call's own nodes the recorder taps, with what it connected them to (cut only that). */
    private tapped: [AudioNode, AudioNode][] = []
  ) {
    this.stopped = new Promise((resolve) => rec.addEventListener('stop', () => resolve(), { once: true }))
    rec.addEventListener('dataavailable', (e) => this.enqueue(e.data))
    this.queue = started.then(
      (s) => void (this.recordingId = s.recordingId),
      (err: unknown) => void (this.failure = err)
    )
  }

  /**
   * Starts recording at once on answer: every moment before the recorder runs would be lost from
   * the recording, so core's recordings.start is not waited for (the chunks are, in their queue).
   */
  static async start(
    api: ApiClient,
    callId: number,
    media: CallMedia,
    callContext?: AudioContext | null,
    onRecording?: () => void
  ): Promise<CallRecorder> {
    const mime = MediaRecorder.isTypeSupported('audio/webm;codecs=opus') ? 'audio/webm;codecs=opus' : 'audio/webm'
    const started = api.invoke('recordings.start', { callId, mime })
    // The call's own AudioContext when there is one: a second one would be a second audio thread.
    const ctx = callContext && callContext.state !== 'closed' ? callContext : new AudioContext()
    await ctx.resume()
    await ctx.audioWorklet.addModule(workletUrl)
    const merger = ctx.createChannelMerger(2)
    // the call's own nodes where the line has them (same context), else its streams
    const own = ctx === callContext
    const localSrc = (own && media.localNode) || ctx.createMediaStreamSource(media.local)
    const remoteSrc = (own && media.remoteNode) || ctx.createMediaStreamSource(media.remote)
    localSrc.connect(merger, 0, 0)
    remoteSrc.connect(merger, 0, 1)
    const tapped = [localSrc, remoteSrc].filter((n) => n === media.localNode || n === media.remoteNode)
    const dest = ctx.createMediaStreamDestination()
    dest.channelCount = 2
    merger.connect(dest)
    const peaksNode = new AudioWorkletNode(ctx, 'leadline-peaks', {
      numberOfInputs: 1,
      numberOfOutputs: 0,
      channelCount: 2,
      channelCountMode: 'explicit',
      processorOptions: { frameMs: FRAME_MS }
    })
    merger.connect(peaksNode)
    const rec = new MediaRecorder(dest.stream, { mimeType: mime, audioBitsPerSecond: 48_000 })
    const r = new CallRecorder(
      api,
      started,
      ctx,
      rec,
      own ? [localSrc, remoteSrc, merger, peaksNode, dest].filter((n) => !tapped.includes(n)) : null,
      tapped.map((n) => [n, merger])
    )
    peaksNode.port.onmessage = (e: MessageEvent<Int8Array>) => r.peaks.push(e.data)
    rec.start(CHUNK_MS)
    onRecording?.()
    // a refusal by core (no such call) is the caller's to hear; the recorder then stops
    try {
      await started
    } catch (err) {
      await r.stop().catch(() => {})
      throw err
    }
    return r
  }

  private enqueue(blob: Blob): void {
    const seq = this.seq++
    const peaks = this.takePeaks()
    const durationMs = Math.round(performance.now() - this.started)
    this.queue = this.queue.then(async () => {
      if (this.failure !== null) return
      try {
        const data = toBase64(new Uint8Array(await blob.arrayBuffer()))
        for (let attempt = 0; ; attempt++) {
          try {
            await this.api.invoke('recordings.chunk', {
              recordingId: this.recordingId,
              seq,
              data,
              peaks: toBase64(peaks),
              durationMs
            })
            this.stored = seq + 1
            return
          } catch (err) {
            // Only a hub that is away is worth asking again; a refusal will not change.
            const retry = err instanceof ApiError && err.code === 'UNAVAILABLE'
            if (!retry || attempt >= 5) throw err
            await new Promise((r) => setTimeout(r, 500 * 2 ** attempt))
          }
        }
      } catch (err) {
        this.failure = err
      }
    })
  }

  private takePeaks(): Uint8Array {
    const n = this.peaks.reduce((s, p) => s + p.length, 0)
    const out = new Int8Array(n - (n % 4))
    let o = 0
    for (const p of this.peaks) {
      const take = Math.min(p.length, out.length - o)
      out.set(p.subarray(0, take), o)
      o += take
    }
    this.peaks = []
    return new Uint8Array(out.buffer)
  }

  /**
   * Stops, sends the last chunk and closes the recording in core. Waits at most `withinMs` for the
   * chunks still on their way; resolves with what went wrong (null when the recording is whole).
   */
  async stop(withinMs = 20_000): Promise<unknown> {
    const inTime = <T>(p: Promise<T>, ms: number) =>
      Promise.race([p, new Promise<'late'>((r) => setTimeout(() => r('late'), ms))])
    if (this.rec.state !== 'inactive') this.rec.stop()
    await inTime(this.stopped, 3000)
    if ((await inTime(this.queue, withinMs)) === 'late' && this.failure === null)
      this.failure = new ApiError({
        code: 'UNAVAILABLE',
        message: 'recording chunks still unsent',
        key: 'desk.recordingUnsent'
      })
    // (no recording to close when core refused to start one)
    if (this.recordingId)
      try {
        await this.api.invoke('recordings.finish', {
          recordingId: this.recordingId,
          durationMs: Math.round(performance.now() - this.started),
          chunks: this.stored
        })
      } catch (err) {
        this.failure ??= err
      }
    if (this.shared) {
      this.tapped.forEach(([node, to]) => {
        try {
          node.disconnect(to)
        } catch {
          // already gone with the call's context
        }
      })
      this.shared.forEach((n) => {
        try {
          n.disconnect()
        } catch {
          // already gone with the call's context
        }
      })
    } else await this.ctx.close().catch(() => {})
    return this.failure
  }
}
