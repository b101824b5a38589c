// Baseline: the protocol subset of protocol.mjs over the `ws` package, written for speed: no
// per-message compression, no client tracking by the library, and each state frame turned into one
// Buffer that every socket of the feed sends as it is (ws frames a Buffer without copying it).
//
//   node ws-server.mjs [--host 127.0.0.1] [--port 0]
//
// Prints `listening on http://HOST:PORT`; the WebSocket is at /ws, as Samsyn's.

import http from 'node:http';
import { WebSocketServer } from 'ws';
import { Client, Hub, feedSockets, handleHttp, listenOptions } from './protocol.mjs';

const TEXT = { binary: false };

/** The sockets of each session's feeds. */
const socketsOf = feedSockets();

const hub = new Hub({
  encode: (state) => Buffer.from(JSON.stringify(state)),
  broadcast(session, feed, buffer) {
    const sockets = socketsOf(session, feed);
    for (const socket of sockets) socket.send(buffer, TEXT);
    return sockets.size;
  },
});

// No Nagle delay for small acks, like Samsyn (Node's default, made explicit).
const server = http.createServer({ noDelay: true }, (request, response) => {
  handleHttp(hub, request, response).catch(() => response.destroy());
});
const wss = new WebSocketServer({
  server,
  path: '/ws',
  perMessageDeflate: false,
  clientTracking: false,
  // Samsyn closes the connection on a frame over 64 KiB.
  maxPayload: 64 * 1024,
});

wss.on('connection', (socket) => {
  let joined = null;
  const client = new Client(hub, {
    reply: (message) => socket.send(JSON.stringify(message)),
    frame: (buffer) => socket.send(buffer, TEXT),
    subscribe(session, feed) {
      joined = socketsOf(session, feed);
      joined.add(socket);
    },
  });
  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      socket.send(JSON.stringify({ type: 'error', id: null, code: 'bad_message', message: 'messages are JSON text' }));
      return;
    }
    let message;
    try {
      message = JSON.parse(data.toString('utf8'));
    } catch (error) {
      socket.send(JSON.stringify({ type: 'error', id: null, code: 'bad_message', message: String(error.message) }));
      return;
    }
    client.onMessage(message);
  });
  socket.on('close', () => {
    joined?.delete(socket);
    client.onClose();
  });
  socket.on('error', () => {});
});

server.listen(listenOptions(process.argv), () => {
  const { address, port } = server.address();
  console.log(`Node ws baseline listening on http://${address}:${port}`);
});
