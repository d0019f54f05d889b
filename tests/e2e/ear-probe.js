// What a page hears, measured inside it (an init script for the monitoring tests and bench/monitor):
// every media element given a stream (srcObject) is noted, and `__ear` analyses the streams of the
// ones that play aloud (not muted) — what goes to the speaker or headset — and the page's microphone
// streams. Nothing in the page changes: the setter and getUserMedia are wrapped, not replaced.
;(() => {
  const elements = new Set()
  const mics = []
  const desc = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject')
  Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
    configurable: true,
    get() {
      return desc.get.call(this)
    },
    set(v) {
      if (v) elements.add(this)
      desc.set.call(this, v)
    }
  })
  const gum = navigator.mediaDevices && navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices)
  if (gum)
    navigator.mediaDevices.getUserMedia = async (c) => {
      const s = await gum(c)
      mics.push(s)
      return s
    }
  let ctx = null
  const sources = new WeakMap()
  const live = (s) => s && s.getAudioTracks().some((t) => t.readyState === 'live')
  function streams(what) {
    if (what === 'mic') return mics.filter(live)
    return [...elements].filter((e) => !e.muted && live(e.srcObject)).map((e) => e.srcObject)
  }
  async function context() {
    ctx = ctx || new AudioContext()
    await ctx.resume()
    return ctx
  }
  function sourceOf(c, s) {
    let src = sources.get(s)
    if (!src) {
      src = c.createMediaStreamSource(s)
      sources.set(s, src)
    }
    return src
  }
  /** Per channel (left, right) of everything heard: analysers, to disconnect afterwards. */
  function tap(c, what, make) {
    const nodes = []
    const chans = [[], []]
    for (const s of streams(what)) {
      const split = c.createChannelSplitter(2)
      sourceOf(c, s).connect(split)
      nodes.push(split)
      for (let ch = 0; ch < 2; ch++) {
        const n = make()
        split.connect(n.input, ch)
        chans[ch].push(n)
        nodes.push(n.input)
      }
    }
    return {
      chans,
      done: () =>
        nodes.forEach((n) => {
          try {
            n.disconnect()
          } catch {
            // already disconnected
          }
        })
    }
  }
  /** An analyser of 4096 bins, unsmoothed: each read is the last 85 ms as they are. */
  function spectrum(c) {
    const a = c.createAnalyser()
    a.fftSize = 4096
    a.smoothingTimeConstant = 0
    return { input: a, a }
  }
  window.__ear = {
    /** The loudest level (dB) near `hz` over `ms`, per channel; mono streams count as left. */
    async level(hz, ms = 1500, what = 'out') {
      const c = await context()
      const { chans, done } = tap(c, what, () => spectrum(c))
      const best = [-160, -160]
      const until = performance.now() + ms
      while (performance.now() < until) {
        await new Promise((r) => setTimeout(r, 40))
        for (let ch = 0; ch < 2; ch++)
          for (const { a } of chans[ch]) {
            const bins = new Float32Array(a.frequencyBinCount)
            a.getFloatFrequencyData(bins)
            const w = c.sampleRate / a.fftSize
            for (let i = Math.floor((hz - 25) / w); i <= Math.ceil((hz + 25) / w); i++)
              if (bins[i] > best[ch]) best[ch] = bins[i]
          }
      }
      done()
      return { left: best[0], right: best[1], any: Math.max(best[0], best[1]), streams: streams(what).length }
    },
    /**
     * Which side a tone near `hz` is on, as a listener hears it: every 40 ms over `ms`, the tone's
     * power (its own FFT bin and the two beside it, so a neighbouring tone 60 Hz away stays out) on
     * the left and on the right; frames where neither side has it (the tone's pauses) are left out.
     * Returns the median of left minus right (dB) over the frames that have it, the frames counted,
     * and each side's mean level over them: a moment of jitter-buffer stretching or a packet
     * concealed under load moves a frame or two, not the median.
     */
    async sides(hz, ms = 1500, what = 'out') {
      const c = await context()
      const { chans, done } = tap(c, what, () => spectrum(c))
      const w = c.sampleRate / 4096
      const centre = Math.round(hz / w)
      const power = (list) => {
        let p = 0
        for (const { a } of list) {
          const bins = new Float32Array(a.frequencyBinCount)
          a.getFloatFrequencyData(bins)
          for (let i = centre - 1; i <= centre + 1; i++) p += Math.pow(10, bins[i] / 10)
        }
        return p
      }
      const diffs = []
      let sumL = 0
      let sumR = 0
      const until = performance.now() + ms
      while (performance.now() < until) {
        await new Promise((r) => setTimeout(r, 40))
        const l = power(chans[0])
        const r = power(chans[1])
        if (10 * Math.log10(Math.max(l, r) + 1e-16) < -60) continue
        diffs.push(10 * Math.log10((l + 1e-16) / (r + 1e-16)))
        sumL += l
        sumR += r
      }
      done()
      diffs.sort((a, b) => a - b)
      const n = diffs.length
      const db = (p) => (n ? 10 * Math.log10(p / n + 1e-16) : -160)
      return {
        leftMinusRight: n ? (n % 2 ? diffs[(n - 1) / 2] : (diffs[n / 2 - 1] + diffs[n / 2]) / 2) : NaN,
        frames: n,
        left: db(sumL),
        right: db(sumR)
      }
    },
    /**
     * Starts noting when a tone near `hz` begins (epoch ms), in what the page plays or in its
     * microphone; `channel` 0 or 1 watches one side only (the supervisor's left is the operator).
     */
    async watch(hz, what = 'out', channel = null) {
      const c = await context()
      const { chans } = tap(c, what, () => {
        // two narrow band-passes in a row: a neighbouring tone (440 Hz beside 500) stays well below
        const f1 = c.createBiquadFilter()
        const f2 = c.createBiquadFilter()
        for (const f of [f1, f2]) {
          f.type = 'bandpass'
          f.frequency.value = hz
          f.Q.value = 20
        }
        const a = c.createAnalyser()
        a.fftSize = 256
        f1.connect(f2).connect(a)
        return { input: f1, a }
      })
      const onsets = []
      let on = false
      const buf = new Float32Array(256)
      const watched = channel === null ? chans[0].concat(chans[1]) : chans[channel]
      const timer = setInterval(() => {
        let rms = 0
        for (const { a } of watched) {
          a.getFloatTimeDomainData(buf)
          let s = 0
          for (const v of buf) s += v * v
          rms = Math.max(rms, Math.sqrt(s / buf.length))
        }
        const db = 20 * Math.log10(rms + 1e-9)
        if (!on && db > -45) {
          on = true
          onsets.push(performance.timeOrigin + performance.now())
        } else if (on && db < -55) on = false
      }, 4)
      window.__ear.stop = () => clearInterval(timer)
      window.__ear.onsets = onsets
      return watched.length
    }
  }
})()
