// Baseline: the protocol subset of protocol.mjs over Socket.IO, WebSocket transport only. Every
// protocol message is an event named "msg". State frames go out with `io.to(room).emit`: Socket.IO
// encodes the packet once per broadcast and, with per-message compression off, prepares the WebSocket
// frame once for the whole room (socket.io-adapter's pre-encoded frame); each session has one room per feed.
//
//   node socketio-server.mjs [--host 127.0.0.1] [--port 0]
//
// Prints `listening on http://HOST:PORT`; clients connect to /socket.io/?EIO=4&transport=websocket.

import http from 'node:http';
import { Server } from 'socket.io';
import { Client, Hub, handleHttp, listenOptions } from './protocol.mjs';

const room = (session, feed) => `${session.code}/${feed}`;

// No Nagle delay for small acks, like Samsyn (Node's default, made explicit).
const server = http.createServer({ noDelay: true }, (request, response) => {
  // Socket.IO answers its own path; everything else is the shared HTTP side.
  if (!request.url.startsWith('/socket.io/')) handleHttp(hub, request, response).catch(() => response.destroy());
});

const io = new Server(server, {
  transports: ['websocket'],
  perMessageDeflate: false,
  httpCompression: false,
  serveClient: false,
  // Samsyn pings every 20 s.
  pingInterval: 20_000,
  pingTimeout: 20_000,
  // Samsyn closes the connection on a frame over 64 KiB.
  maxHttpBufferSize: 64 * 1024,
});

const hub = new Hub({
  // Socket.IO serializes the object itself, once per broadcast.
  encode: (state) => state,
  broadcast(session, feed, state) {
    const name = room(session, feed);
    const members = io.of('/').adapter.rooms.get(name)?.size ?? 0;
    if (members > 0) io.to(name).emit('msg', state);
    return members;
  },
});

io.on('connection', (socket) => {
  const client = new Client(hub, {
    reply: (message) => socket.emit('msg', message),
    frame: (state) => socket.emit('msg', state),
    subscribe: (session, feed) => socket.join(room(session, feed)),
  });
  socket.on('msg', (message) => client.onMessage(message));
  socket.on('disconnect', () => client.onClose());
});

server.listen(listenOptions(process.argv), () => {
  const { address, port } = server.address();
  console.log(`Socket.IO baseline listening on http://${address}:${port}`);
});
