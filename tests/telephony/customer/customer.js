// The customer in the SIP test: a second sip.js agent that registers, answers every call and
// sends a steady tone, so the recording's right channel can be told from the operator's left.
import { Registerer, RegistererState, SessionState, UserAgent, Web } from './sipjs/index.js'

const params = new URLSearchParams(location.search)
const user = params.get('user')
const ws = params.get('ws')
const toneHz = Number(params.get('tone') ?? 440)
// speak=1.5-4: the tone sounds only from 1.5 s to 4 s after the call is established (a known answer for the analysis);
// speak=manual: silent until the test calls customer.speak(from, to), seconds from then
const speakParam = params.get('speak')
const speak = speakParam === 'manual' ? 'manual' : (speakParam?.split('-').map(Number) ?? null)
window.customer = {
  registered: false,
  calls: 0,
  state: 'none',
  speak: (from, to) => {
    const t0 = gainNode.context.currentTime
    gainNode.gain.setValueAtTime(0.5, t0 + from)
    gainNode.gain.setValueAtTime(0, t0 + to)
  }
}
let gainNode = null

function toneStream() {
  return async () => {
    const ctx = new AudioContext()
    await ctx.resume()
    const osc = ctx.createOscillator()
    osc.frequency.value = toneHz
    const gain = ctx.createGain()
    gain.gain.value = speak ? 0 : 0.5
    gainNode = gain
    const dest = ctx.createMediaStreamDestination()
    osc.connect(gain).connect(dest)
    osc.start()
    return dest.stream
  }
}

const ua = new UserAgent({
  uri: UserAgent.makeURI(`sip:${user}@127.0.0.1`),
  // the test bed's Kamailio asks for digest authentication: extension E's password is secret-E
  authorizationUsername: user,
  authorizationPassword: `secret-${user}`,
  transportOptions: { server: ws },
  logLevel: 'warn',
  sessionDescriptionHandlerFactory: Web.defaultSessionDescriptionHandlerFactory(toneStream()),
  sessionDescriptionHandlerFactoryOptions: {
    peerConnectionConfiguration: { iceServers: [] },
    iceGatheringTimeout: 500
  },
  delegate: {
    onInvite: (inv) => {
      window.customer.calls++
      // the number the PBX says is calling (外显): what a carrier shows the customer
      window.customer.assertedIdentity = inv.request.getHeader('P-Asserted-Identity') ?? null
      inv.stateChange.addListener((s) => {
        window.customer.state = s
        if (s === SessionState.Established) {
          document.getElementById('remote').srcObject = inv.sessionDescriptionHandler.remoteMediaStream
          if (Array.isArray(speak) && gainNode) {
            const t0 = gainNode.context.currentTime
            gainNode.gain.setValueAtTime(0.5, t0 + speak[0])
            gainNode.gain.setValueAtTime(0, t0 + speak[1])
          }
        }
      })
      inv.accept({ sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } })
    }
  }
})
await ua.start()
const reg = new Registerer(ua, { expires: 300 })
reg.stateChange.addListener((s) => (window.customer.registered = s === RegistererState.Registered))
await reg.register()
