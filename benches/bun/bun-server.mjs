// Peer: the protocol subset of ../node/protocol.mjs on Bun.serve, Bun's own HTTP and WebSocket server
// (uWebSockets underneath). The protocol, the state and the coalescing are the Node peers'; only the
// transport is Bun's. Two ways to fan a state frame out, both sending each audience's frame as one
// string serialized once:
//
// - publish (the default): every audience is a topic; `server.publish` hands the frame to uWebSockets,
//   which turns it into one WebSocket frame and copies it to every subscriber without going back to
//   JavaScript. A reader that cannot keep up has its frames queued by uWebSockets; one more than
//   BACKPRESSURE_LIMIT behind is closed, as Samsyn drops a reader whose writes block for 10 s.
// - send (`--fanout send`): a loop over the audience's sockets in JavaScript, `ws.sendText` each. A socket
//   that still has unsent bytes gets no new frame; when it drains it gets the audience's newest frame,
//   as Samsyn skips a busy socket and catches it up. Bun turns the string into UTF-8 on every call, yet
//   on our 2-core machine the two cost about the same server CPU per delivery.
//
//   bun bun-server.mjs [--host 127.0.0.1] [--port 0] [--fanout publish|send]
//
// Prints `listening on http://HOST:PORT`; the WebSocket is at /ws, as Samsyn's.

import { Client, Hub, feedSockets, listenOptions } from '../node/protocol.mjs';

/** Bytes queued for one reader before it is closed (publish) or sent no more frames until drained (send):
 * far above what this workload's stalls queue (5 s of frames at 10 a second, about 100 KB). */
const BACKPRESSURE_LIMIT = 4 * 1024 * 1024;
/** Largest request body `POST /api/sessions` reads. */
const MAX_BODY = 1 << 20;

const fanout = option('--fanout', 'publish');
if (fanout !== 'publish' && fanout !== 'send') {
  console.error(`--fanout must be publish or send, not ${fanout}`);
  process.exit(2);
}

const topic = (session, feed) => `${session.code}/${feed}`;

/** send: the sockets of each session's feeds. */
const socketsOf = feedSockets();

const hub = new Hub({
  encode: (state) => JSON.stringify(state),
  broadcast:
    fanout === 'publish'
      ? (session, feed, frame) => {
          const name = topic(session, feed);
          const subscribers = server.subscriberCount(name);
          if (subscribers > 0) server.publish(name, frame);
          return subscribers;
        }
      : (session, feed, frame) => {
          let sent = 0;
          for (const ws of socketsOf(session, feed)) {
            if (ws.getBufferedAmount() > 0) {
              ws.data.behind = true;
            } else {
              ws.sendText(frame);
              sent += 1;
            }
          }
          return sent;
        },
});

function upgradeData() {
  return { client: null, session: null, feed: null, behind: false };
}

const { host, port } = listenOptions(process.argv);
const server = Bun.serve({
  hostname: host,
  port,
  development: false,
  async fetch(request, server) {
    const path = new URL(request.url).pathname;
    if (path === '/ws') {
      if (server.upgrade(request, { data: upgradeData() })) return undefined;
      return Response.json({ code: 'bad_message', message: 'expected a WebSocket upgrade' }, { status: 400 });
    }
    if (request.method === 'POST' && path === '/api/sessions') {
      let body;
      try {
        const text = await request.text();
        if (text.length > MAX_BODY) throw new Error('too large');
        body = JSON.parse(text || '{}');
      } catch (error) {
        return Response.json({ code: 'bad_message', message: String(error.message) }, { status: 400 });
      }
      const [status, answer] = hub.createSession(body);
      return Response.json(answer, { status });
    }
    if (request.method === 'GET' && path === '/metrics') {
      return new Response(hub.metrics(), { headers: { 'content-type': 'text/plain; version=0.0.4' } });
    }
    if (request.method === 'GET' && path === '/healthz') return new Response('ok');
    return Response.json({ code: 'not_found', message: 'not here' }, { status: 404 });
  },
  websocket: {
    perMessageDeflate: false,
    // Samsyn closes the connection on a frame over 64 KiB.
    maxPayloadLength: 64 * 1024,
    backpressureLimit: BACKPRESSURE_LIMIT,
    closeOnBackpressureLimit: fanout === 'publish',
    // Samsyn pings every 20 s and drops a client silent for three intervals.
    idleTimeout: 60,
    sendPings: true,
    open(ws) {
      ws.data.client = new Client(hub, {
        reply: (message) => ws.sendText(JSON.stringify(message)),
        frame: (frame) => ws.sendText(frame),
        subscribe(session, feed) {
          ws.data.session = session;
          ws.data.feed = feed;
          if (fanout === 'publish') ws.subscribe(topic(session, feed));
          else socketsOf(session, feed).add(ws);
        },
      });
    },
    message(ws, data) {
      if (typeof data !== 'string') {
        ws.sendText(JSON.stringify({ type: 'error', id: null, code: 'bad_message', message: 'messages are JSON text' }));
        return;
      }
      let message;
      try {
        message = JSON.parse(data);
      } catch (error) {
        ws.sendText(JSON.stringify({ type: 'error', id: null, code: 'bad_message', message: String(error.message) }));
        return;
      }
      ws.data.client.onMessage(message);
    },
    // send: a socket that was skipped gets its audience's newest frame once its queue is empty.
    drain(ws) {
      const { session, feed } = ws.data;
      if (!ws.data.behind || session === null || ws.getBufferedAmount() > 0) return;
      ws.data.behind = false;
      ws.sendText(session.frames[feed]);
      hub.delivered += 1;
    },
    close(ws) {
      const { client, session, feed } = ws.data;
      if (fanout === 'send' && session !== null) socketsOf(session, feed).delete(ws);
      client?.onClose();
    },
  },
});

console.log(`Bun peer (${fanout}) listening on http://${server.hostname}:${server.port}`);

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}
