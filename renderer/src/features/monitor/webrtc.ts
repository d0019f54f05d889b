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
