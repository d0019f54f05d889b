// AudioWorklet: min/max of each channel per frame of `frame` samples (20 ms), as int8, posted
// in batches. Left = operator, right = customer (the recorder's channel merger).
class PeaksProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super()
    this.frame = Math.round(sampleRate * (options.processorOptions.frameMs / 1000))
    this.n = 0
    this.mins = [1, 1]
    this.maxs = [-1, -1]
    this.out = []
  }
  process(inputs) {
    const input = inputs[0]
    const len = input.length ? input[0].length : 128
    for (let i = 0; i < len; i++) {
      for (let c = 0; c < 2; c++) {
        const ch = input[c] || input[0]
        const v = ch ? ch[i] : 0
        if (v < this.mins[c]) this.mins[c] = v
        if (v > this.maxs[c]) this.maxs[c] = v
      }
      if (++this.n >= this.frame) {
        for (let c = 0; c < 2; c++) {
          this.out.push(Math.max(-127, Math.round(this.mins[c] * 127)), Math.min(127, Math.round(this.maxs[c] * 127)))
          this.mins[c] = 1
          this.maxs[c] = -1
        }
        this.n = 0
        if (this.out.length >= 40) {
          this.port.postMessage(Int8Array.from(this.out))
          this.out = []
        }
      }
    }
    return true
  }
}
registerProcessor('leadline-peaks', PeaksProcessor)
