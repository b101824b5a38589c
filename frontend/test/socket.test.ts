//! The socket client against a fake WebSocket and fake timers: hello, backoff, resend, give-up.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BACKOFF_MS,
  CROWDED_BACKOFF_MS,
  JOIN_TIMEOUT_MS,
  crowdedDelay,
  SocketClient,
  backoffDelay,
  socketUrl,
  type ConnectionStatus,
  type WebSocketLike,
} from '../src/lib/socket';
import type { ErrorMsg, ServerMsg } from '../src/lib/types';

class FakeSocket implements WebSocketLike {
  sent: Record<string, unknown>[] = [];
  closed = false;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.closed = true;
  }
  // ---- driven by the test ----
  open() {
    this.onopen?.({});
  }
  receive(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  drop() {
    this.onerror?.({});
    this.onclose?.({});
  }
  /** The hello this socket sent, answered with a welcome. */
  welcome(extra: Record<string, unknown> = {}) {
    const hello = this.sent.find((m) => m.type === 'hello');
    if (!hello) throw new Error('no hello sent');
    this.receive({ type: 'welcome', id: hello.id, role: hello.role, code: hello.code, ...extra });
  }
}

let sockets: FakeSocket[];
let messages: ServerMsg[];
let statuses: ConnectionStatus[];
let token: string | undefined;

function client(random = () => 0) {
  return new SocketClient({
    url: 'ws://example.test/ws',
    hello: () => (token ? { role: 'participant', code: '482913', token } : { role: 'participant', code: '482913' }),
    onMessage: (m) => messages.push(m),
    onStatus: (s) => statuses.push(s),
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as number) },
    random,
  });
}

const last = () => sockets[sockets.length - 1];

/** Opens the newest socket and answers its hello. */
function join(extra: Record<string, unknown> = {}) {
  last().open();
  last().welcome(extra);
}

beforeEach(() => {
  vi.useFakeTimers();
  sockets = [];
  messages = [];
  statuses = [];
  token = undefined;
});

afterEach(() => {
  vi.useRealTimers();
});

describe('backoffDelay', () => {
  it('grows 0.5, 1, 2, 4 s and then stays at 5 s', () => {
    expect([0, 1, 2, 3, 4, 5, 50].map((a) => backoffDelay(a, () => 0))).toEqual([500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('takes off up to a fifth at random and never exceeds 5 s', () => {
    expect(backoffDelay(0, () => 1)).toBe(400);
    expect(backoffDelay(9, () => 0.5)).toBe(4500);
    for (let a = 0; a < 10; a++) {
      const d = backoffDelay(a, Math.random);
      expect(d).toBeLessThanOrEqual(5000);
      expect(d).toBeGreaterThanOrEqual(BACKOFF_MS[Math.min(a, 4)] * 0.8);
    }
  });
});

describe('crowdedDelay', () => {
  it('waits 4, 8, 15 and then 30 s at most after a hello held back', () => {
    expect([0, 1, 2, 3, 4, 40].map((a) => crowdedDelay(a, () => 0))).toEqual([4000, 8000, 15000, 30000, 30000, 30000]);
  });

  it('spreads a room held back at once over half of each wait: the first retry after 2 to 4 s', () => {
    expect(crowdedDelay(0, () => 1)).toBe(2000);
    expect(crowdedDelay(0, () => 0.5)).toBe(3000);
    expect(crowdedDelay(9, () => 1)).toBe(15000);
    for (let a = 0; a < 10; a++) {
      const d = crowdedDelay(a, Math.random);
      expect(d).toBeLessThanOrEqual(30_000);
      expect(d).toBeGreaterThanOrEqual(CROWDED_BACKOFF_MS[Math.min(a, 3)] / 2);
    }
  });
});

describe('socketUrl', () => {
  it('follows the page protocol and host', () => {
    expect(socketUrl({ protocol: 'https:', host: 'samsyn.example.se' })).toBe('wss://samsyn.example.se/ws');
    expect(socketUrl({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/ws');
  });
});

describe('SocketClient', () => {
  it('sends hello on open and is open after the welcome', () => {
    token = 'tok-1';
    const c = client();
    c.start();
    expect(statuses).toEqual(['connecting']);
    expect(sockets).toHaveLength(1);
    last().open();
    expect(last().sent).toEqual([{ type: 'hello', id: 1, role: 'participant', code: '482913', token: 'tok-1' }]);
    last().welcome({ token: 'tok-1', ballots: {} });
    expect(statuses).toEqual(['connecting', 'open']);
    expect(c.status).toBe('open');
    expect(messages[0]).toMatchObject({ type: 'welcome', id: 1 });
  });

  it('reconnects after 0.5, 1, 2, 4, 5, 5 s while the server stays away', () => {
    const c = client();
    c.start();
    join();
    last().drop();
    expect(c.status).toBe('reconnecting');
    const waits = [500, 1000, 2000, 4000, 5000, 5000];
    for (const wait of waits) {
      const before = sockets.length;
      vi.advanceTimersByTime(wait - 1);
      expect(sockets.length).toBe(before);
      vi.advanceTimersByTime(1);
      expect(sockets.length).toBe(before + 1);
      last().drop(); // refused again
    }
    expect(statuses).toEqual(['connecting', 'open', 'reconnecting']);
  });

  it('starts the backoff again after a successful welcome', () => {
    const c = client();
    c.start();
    join();
    last().drop();
    vi.advanceTimersByTime(500);
    last().drop();
    vi.advanceTimersByTime(1000);
    join();
    expect(c.status).toBe('open');
    last().drop();
    vi.advanceTimersByTime(499);
    const before = sockets.length;
    vi.advanceTimersByTime(1);
    expect(sockets.length).toBe(before + 1);
  });

  it('reads the hello again for every connection, so a stored token is used on reconnect', () => {
    const c = client();
    c.start();
    join({ token: 'fresh' });
    token = 'fresh';
    last().drop();
    vi.advanceTimersByTime(500);
    last().open();
    expect(last().sent[0]).toMatchObject({ type: 'hello', token: 'fresh' });
  });

  it('queues commands until the welcome', () => {
    const c = client();
    c.start();
    const id = c.send({ type: 'vote', item: 'L2', round: 1, answer: 4 });
    last().open();
    expect(last().sent.map((m) => m.type)).toEqual(['hello']);
    last().welcome();
    expect(last().sent[1]).toEqual({ type: 'vote', id, item: 'L2', round: 1, answer: 4 });
  });

  it('resends unacknowledged commands after a new welcome, with their ids, oldest first', () => {
    const c = client();
    c.start();
    join();
    const done: (ErrorMsg | null)[] = [];
    const a = c.send({ type: 'vote', item: 'L1', round: 1, answer: 2 }, (e) => done.push(e));
    const b = c.send({ type: 'vote', item: 'L2', round: 1, answer: 3 });
    const d = c.send({ type: 'vote', item: 'L2', round: 1, answer: 5 });
    last().receive({ type: 'ack', id: a });
    expect(done).toEqual([null]);
    expect(c.pendingIds()).toEqual([b, d]);
    last().drop();
    vi.advanceTimersByTime(500);
    join();
    const resent = last().sent.filter((m) => m.type === 'vote');
    expect(resent.map((m) => m.id)).toEqual([b, d]);
    // The hello of the new connection got an id not used by any command.
    const hello = last().sent[0];
    expect([a, b, d]).not.toContain(hello.id);
  });

  it('keeps a command refused as unavailable, reconnects and resends it', () => {
    const c = client();
    c.start();
    join();
    const done: (ErrorMsg | null)[] = [];
    const id = c.send({ type: 'vote', item: 'L1', round: 1, answer: 3 }, (e) => done.push(e));
    const first = last();
    first.receive({ type: 'error', id, code: 'unavailable', message: 'try again' });
    expect(done).toEqual([]);
    expect(first.closed).toBe(true);
    expect(c.pendingIds()).toEqual([id]);
    vi.advanceTimersByTime(500);
    join();
    expect(last()).not.toBe(first);
    expect(last().sent.filter((m) => m.type === 'vote').map((m) => m.id)).toEqual([id]);
    last().receive({ type: 'ack', id });
    expect(done).toEqual([null]);
  });

  it('settles a command with the server error and forgets it', () => {
    const c = client();
    c.start();
    join();
    const done: (ErrorMsg | null)[] = [];
    const id = c.send({ type: 'close', item: 'L2' }, (e) => done.push(e));
    const err = { type: 'error', id, code: 'invalid_transition', message: 'L2 is not voting' };
    last().receive(err);
    expect(done).toEqual([err]);
    expect(c.pendingIds()).toEqual([]);
    expect(messages[messages.length - 1]).toEqual(err);
  });

  it('gives up for good when the session does not exist', () => {
    const statusErrors: (ErrorMsg | undefined)[] = [];
    const c = new SocketClient({
      url: 'ws://x/ws',
      hello: () => ({ role: 'screen', code: '000000' }),
      onMessage: () => {},
      onStatus: (_s, e) => statusErrors.push(e),
      createSocket: (url) => {
        const s = new FakeSocket(url);
        sockets.push(s);
        return s;
      },
      timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as number) },
      random: () => 0,
    });
    c.start();
    last().open();
    last().receive({ type: 'error', id: 1, code: 'unknown_session', message: 'no such session' });
    expect(c.status).toBe('failed');
    expect(statusErrors[statusErrors.length - 1]).toMatchObject({ code: 'unknown_session' });
    expect(last().closed).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('says hello as a facilitator without a key, and gives up for good when the sign-in is missing', () => {
    const c = new SocketClient({
      url: 'ws://x/ws',
      hello: () => ({ role: 'facilitator', code: '482913' }),
      onMessage: () => {},
      onStatus: () => {},
      createSocket: (url) => {
        const s = new FakeSocket(url);
        sockets.push(s);
        return s;
      },
      timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as number) },
      random: () => 0,
    });
    c.start();
    last().open();
    expect(last().sent[0]).toEqual({ type: 'hello', id: 1, role: 'facilitator', code: '482913' });
    last().receive({ type: 'error', id: 1, code: 'unauthorized', message: 'sign in first' });
    expect(c.status).toBe('failed');
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('retries when the hello fails with a passing error', () => {
    const c = client();
    c.start();
    last().open();
    last().receive({ type: 'error', id: 1, code: 'internal', message: 'store busy' });
    expect(c.status).toBe('connecting');
    vi.advanceTimersByTime(500);
    expect(sockets).toHaveLength(2);
  });

  it('waits a few seconds, then longer, when many new phones from the network were just let in, and says why', () => {
    const errors: (string | undefined)[] = [];
    const c = new SocketClient({
      url: 'ws://example.test/ws',
      hello: () => ({ role: 'participant', code: '482913' }),
      onMessage: (m) => messages.push(m),
      onStatus: (s, e) => {
        statuses.push(s);
        errors.push(e?.code);
      },
      createSocket: (url) => {
        const s = new FakeSocket(url);
        sockets.push(s);
        return s;
      },
      timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as number) },
      random: () => 0,
    });
    c.start();
    const refuse = () => {
      last().open();
      const hello = last().sent.find((m) => m.type === 'hello')!;
      last().receive({ type: 'error', id: hello.id, code: 'rate_limited', message: 'many new phones from this network just joined; try again in a few seconds' });
    };
    refuse();
    expect(sockets[0].closed).toBe(true);
    expect(c.status).toBe('connecting');
    expect(errors).toEqual([undefined, 'rate_limited']);
    // A phone waking up does not ask sooner than the server asked.
    c.reconnectNow();
    expect(sockets).toHaveLength(1);
    for (const wait of [4000, 8000, 15000, 30000, 30000]) {
      const before = sockets.length;
      vi.advanceTimersByTime(wait - 1);
      expect(sockets.length).toBe(before);
      vi.advanceTimersByTime(1);
      expect(sockets.length).toBe(before + 1);
      refuse();
    }
    expect(c.status).toBe('connecting');
    vi.advanceTimersByTime(30_000);
    join({ token: 'tok-1' });
    expect(c.status).toBe('open');
    expect(errors[errors.length - 1]).toBeUndefined();
    // Once in, a lost connection is the ordinary reconnect, and a later hold starts again at 4 s.
    last().drop();
    vi.advanceTimersByTime(500);
    expect(sockets).toHaveLength(8);
    refuse();
    expect(c.status).toBe('reconnecting');
    vi.advanceTimersByTime(3999);
    expect(sockets).toHaveLength(8);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(9);
  });

  it('gives up a connection that never gets a welcome', () => {
    const c = client();
    c.start();
    vi.advanceTimersByTime(JOIN_TIMEOUT_MS - 1);
    expect(sockets[0].closed).toBe(false);
    vi.advanceTimersByTime(1);
    expect(sockets[0].closed).toBe(true);
    vi.advanceTimersByTime(500);
    expect(sockets).toHaveLength(2);
    expect(c.status).toBe('connecting');
  });

  it('ignores events from a socket it already gave up', () => {
    const c = client();
    c.start();
    const first = last();
    first.open();
    vi.advanceTimersByTime(JOIN_TIMEOUT_MS); // gives up the first socket
    first.welcome(); // late, from the old socket: its handlers are detached
    expect(c.status).toBe('connecting');
    first.drop();
    vi.advanceTimersByTime(500);
    expect(sockets).toHaveLength(2);
  });

  it('reconnects at once when asked (phone woke up)', () => {
    const c = client();
    c.start();
    join();
    last().drop();
    c.reconnectNow();
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(10_000);
    expect(sockets).toHaveLength(2); // the scheduled attempt was cancelled
  });

  it('gives up a connection the browser calls offline, and resends what it held once back', () => {
    const c = client();
    c.start();
    join();
    const first = last();
    // The network is gone: the socket itself says nothing, the page's offline event calls drop().
    c.drop();
    expect(first.closed).toBe(true);
    expect(c.status).toBe('reconnecting');
    const id = c.send({ type: 'vote', item: 'L1', round: 1, answer: 5 });
    expect(first.sent.some((m) => m.type === 'vote')).toBe(false);
    first.receive({ type: 'ack', id }); // a late frame from the dropped socket is ignored
    expect(c.pendingIds()).toEqual([id]);
    // Online again: reconnectNow() skips the backoff; the vote goes out after the welcome.
    c.reconnectNow();
    expect(sockets).toHaveLength(2);
    join();
    expect(c.status).toBe('open');
    expect(last().sent.filter((m) => m.type === 'vote')).toEqual([{ type: 'vote', id, item: 'L1', round: 1, answer: 5 }]);
  });

  it('ignores drop() while no connection is up, and after stop()', () => {
    const c = client();
    c.drop();
    expect(sockets).toHaveLength(0);
    c.start();
    join();
    last().drop();
    c.drop(); // already lost and waiting for the retry
    vi.advanceTimersByTime(500);
    expect(sockets).toHaveLength(2);
    c.stop();
    c.drop();
    expect(c.status).toBe('closed');
  });

  it('stops reconnecting after stop()', () => {
    const c = client();
    c.start();
    join();
    c.stop();
    expect(sockets[0].closed).toBe(true);
    expect(c.status).toBe('closed');
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('ignores frames that are not JSON', () => {
    const c = client();
    c.start();
    join();
    last().onmessage?.({ data: 'not json' });
    last().onmessage?.({ data: 42 });
    expect(messages).toHaveLength(1);
    expect(c.status).toBe('open');
  });
});
