/**
 * The monitoring link is one WebRTC connection between two pages of the same hub, on the centre's
 * LAN: host candidates are enough, and the whole offer goes in one message once they are gathered
 * (no trickle), so the hub passes two messages per session.
 */
export function newPeer(): RTCPeerConnection {
  return new RTCPeerConnection({ iceServers: [], bundlePolicy: 'max-bundle' })
}

/** The local description once its candidates are in (or after `ms`, with what there is). */
export async function gathered(pc: RTCPeerConnection, ms = 1500): Promise<string> {
  if (pc.iceGatheringState !== 'complete')
    await new Promise<void>((resolve) => {
      const done = () => {
        if (pc.iceGatheringState !== 'complete') return
        pc.removeEventListener('icegatheringstatechange', done)
        resolve()
      }
      pc.addEventListener('icegatheringstatechange', done)
      setTimeout(resolve, ms)
    })
  return pc.localDescription?.sdp ?? ''
}

/**
 * What the desk's encoder is asked for: stereo (the two sides), and no more than wideband — the
 * supervisor hears a phone call, and a narrower encoder keeps monitoring cheap on the operator's machine.
 */
export function monitorCodec(sdp: string): string {
  const pt = /a=rtpmap:(\d+) opus\/48000/i.exec(sdp)?.[1]
  if (!pt) return sdp
  return sdp.replace(new RegExp(`a=fmtp:${pt} ([^\r\n]*)`), (line, params: string) =>
    params.includes('maxplaybackrate')
      ? line
      : `a=fmtp:${pt} ${params};stereo=1;sprop-stereo=1;maxplaybackrate=16000;maxaveragebitrate=40000`
  )
}
