//! The one WebSocket of a view: hello, request ids, acks, reconnect with backoff, resend.
//! Knows the protocol envelope only; no DOM, no UI. The WebSocket constructor and the
//! timers are injected so that the reconnect logic is tested without a browser.

import type { Command, ErrorMsg, Hello, ServerMsg } from './types';

/**
 * `connecting`: before the first welcome; `open`: joined (welcome received);
 * `reconnecting`: the connection was lost and the client is trying again;
 * `failed`: the server refused the hello for good (no such session, wrong key);
 * `closed`: stopped by the page.
 */
export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'failed' | 'closed';

/** The part of the browser's WebSocket that the client uses. */
export interface WebSocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export type TimerHandle = unknown;

export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Delays before reconnect attempts 1, 2, 3, …, in ms; the last one repeats. */
export const BACKOFF_MS: readonly number[] = [500, 1000, 2000, 4000, 5000];

/** Share of a delay taken off at random, so that a room of phones does not reconnect in step. */
export const JITTER = 0.2;

/**
 * How long a connection may take from `new WebSocket` to `welcome` before it is
 * given up and retried, in ms. Covers a half-open network where nothing ever arrives.
 */
export const JOIN_TIMEOUT_MS = 10_000;

/**
 * Delays before trying a hello again that the server held back with `rate_limited` (many new phones
 * from this network just joined, or too many failed hellos from it), in ms; the last one repeats. The
 * server asks for a few seconds; a room refused at once must not come back at once, so the delays grow
 * to half a minute and are spread wide.
 */
export const CROWDED_BACKOFF_MS: readonly number[] = [4000, 8000, 15000, 30000];

/** Share of a crowded delay taken off at random: the first retry lands between 2 and 4 s. */
export const CROWDED_JITTER = 0.5;

/** Hello errors after which retrying cannot help. */
const FATAL_HELLO_CODES = new Set(['unknown_session', 'forbidden', 'unauthorized', 'bad_message', 'already_joined']);

/** Delay before reconnect attempt `attempt` (0-based): never above the last step of BACKOFF_MS. */
export function backoffDelay(attempt: number, random: () => number): number {
  const base = BACKOFF_MS[Math.min(Math.max(attempt, 0), BACKOFF_MS.length - 1)];
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(base * (1 - JITTER * r));
}

/** Delay before try `attempt` (0-based) after a hello held back with `rate_limited`: at most 30 s. */
export function crowdedDelay(attempt: number, random: () => number): number {
  const base = CROWDED_BACKOFF_MS[Math.min(Math.max(attempt, 0), CROWDED_BACKOFF_MS.length - 1)];
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(base * (1 - CROWDED_JITTER * r));
}

export interface SocketClientOptions {
  url: string;
  /** Called for every connection, so that a token stored after the first welcome is used on reconnect. */
  hello: () => Hello;
  /** Every message from the server, in order, after the client has done its own bookkeeping. */
  onMessage: (msg: ServerMsg) => void;
  /**
   * The status, with the error of a refused hello: for good with `failed`; with `connecting` or
   * `reconnecting`, a `rate_limited` one the client waits out before it tries again.
   */
  onStatus?: (status: ConnectionStatus, error?: ErrorMsg) => void;
  createSocket?: (url: string) => WebSocketLike;
  timers?: Timers;
  random?: () => number;
}

/** Called once per command with null (acknowledged) or the server's error. */
export type Done = (error: ErrorMsg | null) => void;

interface PendingCommand {
  frame: string;
  done?: Done;
}

export class SocketClient {
  private readonly opts: SocketClientOptions;
  private readonly createSocket: (url: string) => WebSocketLike;
  private readonly timers: Timers;
  private readonly random: () => number;

  private ws: WebSocketLike | null = null;
  /**
   * Ids grow over the client's whole life, not per connection: a command resent on a new
   * connection keeps its id and is still unique there, and the reducer can match its ack.
   */
  private nextId = 1;
  private helloId: number | null = null;
  private joined = false;
  private everJoined = false;
  private attempt = 0;
  /** Hellos held back (`rate_limited`) in a row, and whether the wait now is one of theirs. */
  private crowded = 0;
  private crowdedWait = false;
  private retryTimer: TimerHandle | null = null;
  private joinTimer: TimerHandle | null = null;
  private running = false;
  /** Commands not yet acknowledged, in id order (Map keeps insertion order). */
  private readonly pending = new Map<number, PendingCommand>();

  status: ConnectionStatus = 'closed';

  constructor(opts: SocketClientOptions) {
    this.opts = opts;
    this.createSocket =
      opts.createSocket ?? ((url) => new WebSocket(url) as unknown as WebSocketLike);
    this.timers = opts.timers ?? {
      setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
    };
    this.random = opts.random ?? Math.random;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.setStatus(this.everJoined ? 'reconnecting' : 'connecting');
    this.connect();
  }

  /** Closes the connection and stops reconnecting. Pending commands are kept for a later start(). */
  stop(): void {
    this.running = false;
    this.clearTimers();
    const ws = this.ws;
    this.detach();
    ws?.close(1000, 'bye');
    this.setStatus('closed');
  }

  /**
   * Sends a command now if joined, else as soon as a welcome arrives; resends it after
   * every reconnect until it is answered. Returns the request id.
   */
  send(command: Command, done?: Done): number {
    const id = this.nextId++;
    const frame = JSON.stringify({ ...command, id });
    this.pending.set(id, { frame, done });
    if (this.joined) this.ws?.send(frame);
    return id;
  }

  /** Skips the wait before the next attempt, e.g. when the phone wakes up or goes online. */
  reconnectNow(): void {
    // The server asked this network to wait: waking up is no reason to ask again sooner.
    if (!this.running || this.ws !== null || this.retryTimer === null || this.crowdedWait) return;
    this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.connect();
  }

  /**
   * Gives up the current connection at once and reconnects with backoff, e.g. when the
   * browser says it went offline: a dead network closes no socket, so without this the page
   * would look connected (and a vote would say "sending") until TCP gives up, minutes later.
   * Unacknowledged commands are resent after the next welcome.
   */
  drop(): void {
    const ws = this.ws;
    if (!this.running || ws === null) return;
    this.lost(ws);
    ws.close(4002, 'offline');
  }

  /** Ids of commands sent but not answered yet. */
  pendingIds(): number[] {
    return [...this.pending.keys()];
  }

  private connect(): void {
    let ws: WebSocketLike;
    try {
      ws = this.createSocket(this.opts.url);
    } catch {
      this.ws = null;
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    this.joined = false;
    this.helloId = null;
    ws.onopen = () => {
      if (ws !== this.ws) return;
      this.helloId = this.nextId++;
      ws.send(JSON.stringify({ ...this.opts.hello(), type: 'hello', id: this.helloId }));
    };
    ws.onmessage = (ev) => {
      if (ws === this.ws) this.receive(ev.data);
    };
    ws.onclose = () => this.lost(ws);
    // A close event always follows an error event; the close does the work.
    ws.onerror = () => {};
    this.joinTimer = this.timers.setTimeout(() => {
      this.joinTimer = null;
      if (ws === this.ws && !this.joined) {
        ws.close(4000, 'join timeout');
        this.lost(ws);
      }
    }, JOIN_TIMEOUT_MS);
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let msg: ServerMsg;
    try {
      msg = JSON.parse(data) as ServerMsg;
    } catch {
      return;
    }
    if (msg === null || typeof msg !== 'object' || typeof msg.type !== 'string') return;

    if (msg.type === 'welcome' && msg.id === this.helloId) {
      this.joined = true;
      this.everJoined = true;
      this.attempt = 0;
      this.crowded = 0;
      if (this.joinTimer !== null) {
        this.timers.clearTimeout(this.joinTimer);
        this.joinTimer = null;
      }
      this.setStatus('open');
      this.opts.onMessage(msg);
      // Reconnect rule 4: resend whatever was not acknowledged, oldest first.
      for (const p of this.pending.values()) this.ws?.send(p.frame);
      return;
    }

    if (msg.type === 'error' && msg.id !== null && msg.id === this.helloId && !this.joined) {
      if (FATAL_HELLO_CODES.has(msg.code)) {
        this.running = false;
        this.clearTimers();
        const ws = this.ws;
        this.detach();
        ws?.close(1000, 'refused');
        this.setStatus('failed', msg);
      } else if (msg.code === 'rate_limited') {
        // Many new phones from this network just joined (or too many failed hellos): the server
        // asks for a few seconds. Wait longer each time, spread out, and say why meanwhile.
        const ws = this.ws;
        if (!ws) return;
        this.detach();
        ws.close(4001, 'crowded');
        const delay = crowdedDelay(this.crowded, this.random);
        this.crowded += 1;
        this.setStatus(this.everJoined ? 'reconnecting' : 'connecting', msg);
        this.retryIn(delay, true);
      } else {
        // e.g. `internal`: the server could not load the session now; try again later.
        const ws = this.ws;
        ws?.close(4001, 'retry');
        if (ws) this.lost(ws);
      }
      return;
    }

    if (msg.type === 'error' && msg.code === 'unavailable' && msg.id !== null && this.pending.has(msg.id)) {
      // The node this socket reached could not reach the session's node (one node of several is down or
      // taking the session over). The command stays pending: reconnect, probably to another node, and resend.
      const ws = this.ws;
      ws?.close(4001, 'retry');
      if (ws) this.lost(ws);
      return;
    }

    if ((msg.type === 'ack' || msg.type === 'error') && msg.id !== null) {
      const p = this.pending.get(msg.id);
      if (p) {
        this.pending.delete(msg.id);
        p.done?.(msg.type === 'error' ? msg : null);
      }
    }
    this.opts.onMessage(msg);
  }

  /** The connection `ws` is gone (closed, failed, timed out); handled once per connection. */
  private lost(ws: WebSocketLike): void {
    if (ws !== this.ws) return;
    this.detach();
    if (!this.running) return;
    this.setStatus(this.everJoined ? 'reconnecting' : 'connecting');
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    const delay = backoffDelay(this.attempt, this.random);
    this.attempt += 1;
    this.retryIn(delay, false);
  }

  private retryIn(delay: number, crowded: boolean): void {
    this.crowdedWait = crowded;
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      this.crowdedWait = false;
      if (this.running) this.connect();
    }, delay);
  }

  private detach(): void {
    const ws = this.ws;
    if (ws) {
      ws.onopen = null;
      ws.onmessage = null;
      ws.onclose = null;
      ws.onerror = null;
    }
    this.ws = null;
    this.joined = false;
    this.helloId = null;
    if (this.joinTimer !== null) {
      this.timers.clearTimeout(this.joinTimer);
      this.joinTimer = null;
    }
  }

  private clearTimers(): void {
    this.crowdedWait = false;
    if (this.retryTimer !== null) {
      this.timers.clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    if (this.joinTimer !== null) {
      this.timers.clearTimeout(this.joinTimer);
      this.joinTimer = null;
    }
  }

  private setStatus(status: ConnectionStatus, error?: ErrorMsg): void {
    if (status === this.status && error === undefined) return;
    this.status = status;
    this.opts.onStatus?.(status, error);
  }
}

/** `ws://` or `wss://` URL of the server's socket, from the page's own location. */
export function socketUrl(loc: { protocol: string; host: string }): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/ws`;
}
