/** The seat's microphone and speaker, chosen in settings and kept on the seat. */
const INPUT_KEY = 'leadline.audio.input'
const OUTPUT_KEY = 'leadline.audio.output'

export function chosenInput(): string | null {
  return localStorage.getItem(INPUT_KEY)
}
export function chosenOutput(): string | null {
  return localStorage.getItem(OUTPUT_KEY)
}
export function chooseInput(id: string | null): void {
  if (id) localStorage.setItem(INPUT_KEY, id)
  else localStorage.removeItem(INPUT_KEY)
}
export function chooseOutput(id: string | null): void {
  if (id) localStorage.setItem(OUTPUT_KEY, id)
  else localStorage.removeItem(OUTPUT_KEY)
}

/** Microphone constraints for a call: the chosen device, with echo cancellation and noise suppression. */
export function micConstraints(): MediaTrackConstraints {
  const id = chosenInput()
  return {
    echoCancellation: true,
    noiseSuppression: true,
    autoGainControl: true,
    ...(id ? { deviceId: { exact: id } } : {})
  }
}

/** Sends an audio element to the chosen speaker, where the browser can. */
export async function routeToSpeaker(el: HTMLAudioElement): Promise<void> {
  const id = chosenOutput()
  const sink = el as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> }
  if (id && sink.setSinkId) await sink.setSinkId(id).catch(() => {})
}

/**
 * Chromium feeds a remote WebRTC track to WebAudio only while a media element plays it: a muted
 * element that does, for as long as the stream is used (set its srcObject to null to let it go).
 */
export function keepFlowing(stream: MediaStream): HTMLAudioElement {
  const holder = new Audio()
  holder.muted = true
  holder.srcObject = stream
  void holder.play().catch(() => {})
  return holder
}
