// AudioWorklet: min/max of each channel per frame of `frame` samples (20 ms), as int8, posted in
// batches. Left = operator, right = customer (the recorder's channel merger). Each render quantum
// is scanned one channel at a time over its typed array, a frame boundary at a time: the audio
// thread runs this 375 times a second for the whole call.
class PeaksProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super()
    this.frame = Math.round(sampleRate * (options.processorOptions.frameMs / 1000))
    this.n = 0
    this.lo = new Float32Array([1, 1])
    this.hi = new Float32Array([-1, -1])
    this.out = new Int8Array(40)
    this.o = 0
  }
  process(inputs) {
    const input = inputs[0]
    const len = input.length ? input[0].length : 128
    let i = 0
    while (i < len) {
      const end = Math.min(len, i + (this.frame - this.n))
      for (let c = 0; c < 2; c++) {
        const ch = input[c] || input[0]
        let lo = this.lo[c]
        let hi = this.hi[c]
        if (ch)
          for (let k = i; k < end; k++) {
            const v = ch[k]
            if (v < lo) lo = v
            if (v > hi) hi = v
          }
        else {
          if (0 < lo) lo = 0
          if (0 > hi) hi = 0
        }
        this.lo[c] = lo
        this.hi[c] = hi
      }
      this.n += end - i
      i = end
      if (this.n >= this.frame) this.flush()
    }
    return true
  }
  flush() {
    for (let c = 0; c < 2; c++) {
      this.out[this.o++] = Math.max(-127, Math.round(this.lo[c] * 127))
      this.out[this.o++] = Math.min(127, Math.round(this.hi[c] * 127))
      this.lo[c] = 1
      this.hi[c] = -1
    }
    this.n = 0
    if (this.o >= this.out.length) {
      this.port.postMessage(this.out)
      this.out = new Int8Array(40)
      this.o = 0
    }
  }
}
registerProcessor('leadline-peaks', PeaksProcessor)
