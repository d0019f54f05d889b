// Opens the hub's WebSocket while the app's code is still on its way: on a phone line the handshake
// costs a round trip (over half a second on 3G) that would otherwise come after the download. The
// app adopts this socket (renderer/src/api/client.ts, takeEarlySocket) and keeps what arrived
// before it did. Mirrors defaultHubUrl there; the desktop app (window.leadline) and a seat pointed
// at another hub (leadline.hubUrl) open their own connection instead.
;(function () {
  try {
    if (window.leadline || localStorage.getItem('leadline.hubUrl')) return
    var socket = new WebSocket((location.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + location.host + '/api/ws')
    var received = []
    socket.onmessage = function (ev) {
      received.push(ev)
    }
    window.__leadlineEarlySocket = { socket: socket, received: received }
  } catch {
    // the app opens its own
  }
})()
