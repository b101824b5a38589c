// The subset of Samsyn's protocol (docs/protocol.md) that `samsyn-load` uses, for the Node.js baselines of
// the side-by-side benchmark: sessions with choice, words and (never opened) scale items; hello as
// participant, screen or facilitator; vote, word, open, close; acks that a resent command gets again.
// State lives in memory only. State frames are coalesced as Samsyn does it above 100 phones online
// (src/live/actor.rs, src/web/fanout.rs): screens at most every 25 ms, the facilitator every 50 ms,
// each phone a frame a quarter as long again apart as handing the last phone frame to every phone took
// (at least 100 ms, at most 1 s), each frame serialized once per audience and shared by every socket.
// (Samsyn's writer threads sweep the newest frame round the phones at that pace, in slices of 4,096
// past that many; a single-threaded server hands each frame to all at once, which sends every phone
// as many frames.)
// The transports (ws-server.mjs, socketio-server.mjs, ../bun/bun-server.mjs) only move bytes.

import { randomBytes, randomUUID } from 'node:crypto';

/** Shortest time between two frames for screens (Samsyn's STATE_INTERVAL) ... */
export const STATE_INTERVAL_MS = 25;
/** ... and for the facilitator (Samsyn's CONSOLE_INTERVAL). */
export const CONSOLE_INTERVAL_MS = 50;

/** The phone cadence when handing the last phone frame to every phone took `lastDeliveryMs` (Samsyn's
 * `fanout::sweep_period` for a crowd): a quarter as long again, at least 100 ms, at most 1 s apart. */
export function phoneInterval(lastDeliveryMs) {
  return Math.min(Math.max(100, lastDeliveryMs * 1.25), 1000);
}

/** Every text is `{sv, en}`; a plain string stands for both languages. */
function text(value) {
  if (value === undefined || value === null) return { sv: '', en: '' };
  if (typeof value === 'string') return { sv: value, en: value };
  return { sv: String(value.sv ?? ''), en: String(value.en ?? value.sv ?? '') };
}

/** A word as Samsyn shows it: as written, case kept, NFKC, no invisible characters, spaces trimmed and
 * collapsed. In lower case, it is the word as Samsyn stores it. */
function spellingOf(raw) {
  return raw
    .normalize('NFKC')
    .replace(/\s/gu, ' ')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim()
    .replace(/ +/gu, ' ');
}


class ProtocolError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/**
 * The sockets following each feed of each session, for a server that writes to them itself:
 * `const socketsOf = feedSockets(); socketsOf(session, 'phone').add(ws)`.
 */
export function feedSockets() {
  const feeds = new WeakMap();
  return (session, feed) => {
    let byFeed = feeds.get(session);
    if (!byFeed) {
      byFeed = { screen: new Set(), facilitator: new Set(), phone: new Set() };
      feeds.set(session, byFeed);
    }
    return byFeed[feed];
  };
}

/** All sessions of one server, and the figures `/metrics` shows. */
export class Hub {
  /** `transport.encode(frame)` turns a state object into what is sent; `transport.broadcast(session, feed,
   * encoded)` sends it to every socket of that feed and returns how many. */
  constructor(transport) {
    this.transport = transport;
    this.sessions = new Map();
    this.delivered = 0;
    this.connections = { participant: 0, screen: 0, facilitator: 0 };
  }

  /** `POST /api/sessions`: returns [status, body]. */
  createSession(body) {
    let spec;
    try {
      spec = Spec.parse(body);
    } catch (error) {
      return [400, { code: 'invalid_items', message: error.message }];
    }
    let code;
    do {
      code = String(100000 + Math.floor(Math.random() * 900000));
    } while (this.sessions.has(code));
    const key = randomBytes(32).toString('hex');
    this.sessions.set(code, new Session(this, code, key, spec));
    const links = { facilitator: `/facilitate/${code}#key=${key}`, join: `/join/${code}`, screen: `/screen/${code}` };
    return [201, { code, facilitator_key: key, links }];
  }

  /** The Prometheus text of the counters the benchmark reads, named as Samsyn names them. */
  metrics() {
    const c = this.connections;
    return (
      `samsyn_live_sessions ${this.sessions.size}\n` +
      `samsyn_connections{role="participant"} ${c.participant}\n` +
      `samsyn_connections{role="screen"} ${c.screen}\n` +
      `samsyn_connections{role="facilitator"} ${c.facilitator}\n` +
      `samsyn_updates_delivered_total ${this.delivered}\n`
    );
  }
}

/** The agenda of a session, from the body of `POST /api/sessions`. */
class Spec {
  static parse(body) {
    if (typeof body !== 'object' || body === null) throw new Error('the body must be a JSON object');
    const spec = new Spec();
    spec.title = typeof body.title === 'string' ? body.title : '';
    spec.scales = {};
    spec.items = (body.items ?? []).map((item, index) => {
      const base = {
        id: String(item.id ?? `i${index + 1}`),
        kind: item.kind,
        title: text(item.title),
        description: text(item.description),
      };
      switch (item.kind) {
        case 'choice': {
          const options = (item.options ?? []).map(text);
          if (options.length < 2 || options.length > 12) throw new Error(`items[${index}].options: 2 to 12 options`);
          return { ...base, options, multiple: Boolean(item.multiple), results: item.results ?? 'live' };
        }
        case 'words':
          return {
            ...base,
            max_words: item.max_words ?? 3,
            max_chars: item.max_chars ?? 40,
            results: item.results ?? 'live',
          };
        case 'scale': {
          // Item-set scales are listed once under `scales`, named s1, s2, … as Samsyn names them.
          const name = `s${Object.keys(spec.scales).length + 1}`;
          spec.scales[name] = {
            levels: (item.scale?.levels ?? []).map((l) => ({
              level: l.level,
              label: text(l.label),
              definition: text(l.definition),
            })),
            not_relevant: null,
          };
          return { ...base, scale: name, results: item.results ?? 'after_reveal' };
        }
        default:
          throw new Error(`items[${index}].kind: this baseline knows choice, words and scale`);
      }
    });
    return spec;
  }
}

/** The first round of an item, with its tally and who answered what. */
class Round {
  constructor(item) {
    this.number = 1;
    this.open = true;
    if (item.kind === 'choice') {
      this.counts = new Array(item.options.length).fill(0);
      this.ballots = new Map(); // participant → chosen options
    } else {
      this.words = new Map(); // word → count
      this.wordsBy = new Map(); // participant → words, as stored
      this.spellings = new Map(); // word → (spelling → count), in the order first seen
    }
  }

  get voted() {
    return (this.ballots ?? this.wordsBy).size;
  }
}

/** One session: its state, its participants, and the coalesced frames of its three feeds. */
class Session {
  constructor(hub, code, key, spec) {
    this.hub = hub;
    this.code = code;
    this.key = key;
    this.spec = spec;
    this.rounds = spec.items.map(() => null);
    this.phases = spec.items.map(() => 'pending');
    this.current = null;
    this.version = 0;
    this.tokens = new Map(); // resume token → participant number (0, 1, …)
    this.online = new Map(); // participant number → open connections
    this.consoles = 0; // open facilitator connections, all by key link here
    this.joinTimes = []; // when each new participant of the last minute joined (ms, oldest first)
    this.recent = new Map(); // participant number → {id, key, reply}: the last applied command, for a resend
    this.screensBehind = false;
    this.consoleBehind = false;
    this.phonesBehind = false;
    this.lastScreens = -Infinity;
    this.lastConsole = -Infinity;
    this.lastPhones = -Infinity;
    this.phoneDelivery = 0; // ms the last phone frame took to hand to every phone
    this.timer = null;
    this.timerAt = Infinity;
    this.immediate = null;
    this.frames = { screen: null, facilitator: null, phone: null };
    this.publish();
    this.publishToPhones();
  }

  itemIndex(id) {
    const index = this.spec.items.findIndex((item) => item.id === id);
    if (index < 0) throw new ProtocolError('unknown_item', `no item ${id} in this session`);
    return index;
  }

  join(token) {
    let participant = token === undefined ? undefined : this.tokens.get(token);
    if (participant === undefined) {
      token = randomUUID();
      participant = this.tokens.size;
      this.tokens.set(token, participant);
      this.version += 1;
      this.joinTimes.push(performance.now());
    }
    this.online.set(participant, (this.online.get(participant) ?? 0) + 1);
    this.changed();
    return { participant, token };
  }

  leave(participant) {
    const count = this.online.get(participant);
    if (count === undefined) return;
    if (count <= 1) this.online.delete(participant);
    else this.online.set(participant, count - 1);
    this.changed();
  }

  /** This participant's answers in the latest round of each item, by item id in order (`welcome.ballots`). */
  ballotsOf(participant) {
    const entries = [];
    this.spec.items.forEach((item, index) => {
      const round = this.rounds[index];
      if (!round) return;
      const options = round.ballots?.get(participant);
      const words = round.wordsBy?.get(participant);
      if (options) entries.push([item.id, { round: round.number, answer: options }]);
      else if (words) entries.push([item.id, { round: round.number, words }]);
    });
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return Object.fromEntries(entries);
  }

  /** A participant's vote or word; returns the ack. A resend of the last command (same id, same
   * command) gets the first answer again instead of being applied twice. */
  participantCommand(participant, msg) {
    const key = msg.type === 'vote' ? `v${msg.item}|${msg.round}|${JSON.stringify(msg.answer)}` : `w${msg.item}|${msg.round}|${msg.text}`;
    const last = this.recent.get(participant);
    if (last && last.id === msg.id && last.key === key) return last.reply;
    // Like Samsyn's `public_version`: a participant's further answers in a round change what phones and
    // screens see without counting as a change, so nobody can count changed answers.
    const round = this.rounds[this.spec.items.findIndex((item) => item.id === msg.item)];
    const answered = round?.ballots?.has(participant) || round?.wordsBy?.has(participant);
    const reply = msg.type === 'vote' ? this.vote(participant, msg) : this.word(participant, msg);
    this.recent.set(participant, { id: msg.id, key, reply });
    if (!answered) this.version += 1;
    this.changed();
    return reply;
  }

  openRound(msg, kind) {
    const index = this.itemIndex(msg.item);
    const item = this.spec.items[index];
    if (item.kind !== kind) throw new ProtocolError('invalid_answer', `${item.id} is a ${item.kind} item`);
    const round = this.rounds[index];
    if (!round || !round.open || msg.round !== round.number) {
      throw new ProtocolError('round_closed', `round ${msg.round} of ${item.id} is not open`);
    }
    return [item, round];
  }

  vote(participant, msg) {
    const [item, round] = this.openRound(msg, 'choice');
    const answer = msg.answer;
    const valid =
      Array.isArray(answer) &&
      answer.length >= 1 &&
      (item.multiple || answer.length === 1) &&
      new Set(answer).size === answer.length &&
      answer.every((o) => Number.isInteger(o) && o >= 0 && o < item.options.length);
    if (!valid) throw new ProtocolError('invalid_answer', 'the answer does not fit the item');
    for (const o of round.ballots.get(participant) ?? []) round.counts[o] -= 1;
    for (const o of answer) round.counts[o] += 1;
    round.ballots.set(participant, answer);
    return { type: 'ack', id: msg.id };
  }

  word(participant, msg) {
    const [item, round] = this.openRound(msg, 'words');
    if (typeof msg.text !== 'string') throw new ProtocolError('bad_message', 'text must be a string');
    const spelling = spellingOf(msg.text);
    const word = spelling.toLowerCase();
    if (!word || [...word].length > item.max_chars || !/[\p{L}\p{N}]/u.test(word) || /[<>{}]/.test(word)) {
      throw new ProtocolError('invalid_word', 'not a word this item takes');
    }
    const mine = round.wordsBy.get(participant) ?? [];
    if (mine.includes(word)) throw new ProtocolError('duplicate_word', 'you have already sent that word');
    if (mine.length >= item.max_words) throw new ProtocolError('too_many_words', 'no more words in this round');
    round.wordsBy.set(participant, [...mine, word]);
    round.words.set(word, (round.words.get(word) ?? 0) + 1);
    const spellings = round.spellings.get(word) ?? new Map();
    spellings.set(spelling, (spellings.get(spelling) ?? 0) + 1);
    round.spellings.set(word, spellings);
    return { type: 'ack', id: msg.id, word };
  }

  facilitatorCommand(msg) {
    const index = this.itemIndex(msg.item);
    const item = this.spec.items[index];
    if (msg.type === 'open') {
      if (this.phases[index] !== 'pending' || item.kind === 'scale') {
        throw new ProtocolError('invalid_transition', `cannot open ${item.id} now`);
      }
      this.rounds[index] = new Round(item);
      this.phases[index] = 'voting';
      this.current = item.id;
      this.version += 2; // the round opened, and the item became current
    } else if (msg.type === 'close') {
      if (this.phases[index] !== 'voting') throw new ProtocolError('invalid_transition', `${item.id} is not voting`);
      this.rounds[index].open = false;
      this.phases[index] = 'closed';
      this.version += 1;
    } else {
      throw new ProtocolError('bad_message', `this baseline does not implement ${msg.type}`);
    }
    this.changed();
    return { type: 'ack', id: msg.id };
  }

  /** A change: publish at once if the last frame is old enough, else when the interval is over. Waiting
   * for the end of this turn of the event loop gathers every message read in it into one frame, as
   * Samsyn's actor gathers a batch. */
  changed() {
    this.screensBehind = true;
    this.consoleBehind = true;
    if (this.immediate === null) {
      this.immediate = setImmediate(() => {
        this.immediate = null;
        this.tick();
      });
    }
  }

  tick() {
    const now = performance.now();
    if (this.screensBehind && now >= this.lastScreens + STATE_INTERVAL_MS) {
      this.publishScreens();
      this.screensBehind = false;
      this.phonesBehind = true;
      this.lastScreens = now;
    }
    if (this.consoleBehind && now >= this.lastConsole + CONSOLE_INTERVAL_MS) {
      this.publishConsole();
      this.consoleBehind = false;
      this.lastConsole = now;
    }
    if (this.phonesBehind && now >= this.lastPhones + phoneInterval(this.phoneDelivery)) {
      this.publishToPhones();
      this.phonesBehind = false;
      this.lastPhones = now;
    }
    let due = Infinity;
    if (this.screensBehind) due = this.lastScreens + STATE_INTERVAL_MS;
    if (this.consoleBehind) due = Math.min(due, this.lastConsole + CONSOLE_INTERVAL_MS);
    if (this.phonesBehind) due = Math.min(due, this.lastPhones + phoneInterval(this.phoneDelivery));
    if (due < this.timerAt) {
      clearTimeout(this.timer);
      this.timerAt = due;
      this.timer = setTimeout(() => {
        this.timer = null;
        this.timerAt = Infinity;
        this.tick();
      }, Math.max(0, Math.ceil(due - now)));
    }
  }

  /** Serializes the state once per audience and hands it to every screen and the facilitator. */
  publish() {
    this.publishScreens();
    this.publishConsole();
  }

  publishScreens() {
    this.frames.screen = this.hub.transport.encode(this.render(false));
    this.hub.delivered += this.hub.transport.broadcast(this, 'screen', this.frames.screen);
  }

  publishConsole() {
    this.frames.facilitator = this.hub.transport.encode(this.render(true));
    this.hub.delivered += this.hub.transport.broadcast(this, 'facilitator', this.frames.facilitator);
  }

  /** Serializes the phones' view once, at their cadence, and hands it to every phone. */
  publishToPhones() {
    this.frames.phone = this.hub.transport.encode(this.render(false, true));
    const started = performance.now();
    this.hub.delivered += this.hub.transport.broadcast(this, 'phone', this.frames.phone);
    this.phoneDelivery = performance.now() - started;
  }

  /** The `state` message, in the shape and field order Samsyn's is (src/domain/view.rs). Phones get
   * only the current item and the items open for answers, and only their scales. */
  render(facilitator, phone = false) {
    const spec = this.spec;
    const shown = spec.items
      .map((item, index) => [item, index])
      .filter(([item, index]) => !phone || item.id === this.current || this.rounds[index]?.open === true);
    const scales = phone
      ? Object.fromEntries(Object.entries(spec.scales).filter(([id]) => shown.some(([item]) => item.scale === id)))
      : spec.scales;
    const scaleItems = spec.items.filter((item) => item.kind === 'scale');
    const top = Math.max(0, ...Object.values(spec.scales).flatMap((s) => s.levels.map((l) => l.level)));
    const summary = facilitator
      ? {
          top,
          indicators: scaleItems.map((item) => ({
            id: item.id,
            area: null,
            title: item.title,
            level: null,
            note: null,
            dissent: null,
            first_consensus: null,
            first_n: 0,
            rounds: 0,
            replaces: [],
          })),
          areas: [],
          disagreements: [],
          open: scaleItems.length,
          priorities: [],
        }
      : null;
    // Only the facilitator's view names who runs the consoles open now ("" for a key link's holder) and
    // counts the new participants of the last minute. (Samsyn also counts participants who joined in a burst
    // from one address; these peers see no addresses, so `flagged` stays 0.)
    let console = {};
    if (facilitator) {
      const minuteAgo = performance.now() - 60_000;
      while (this.joinTimes.length > 0 && this.joinTimes[0] < minuteAgo) this.joinTimes.shift();
      console = {
        consoles: this.consoles > 0 ? [''] : [],
        joins: { last_minute: this.joinTimes.length, flagged: 0, left_out: 0 },
      };
    }
    return {
      type: 'state',
      version: this.version,
      session: {
        code: this.code,
        title: spec.title,
        catalogue: null,
        participants: this.online.size,
        ...console,
        room_word: null,
        current: this.current,
        profanity_filter: true,
        summary_shared: false,
        occasion: null,
        summary,
        actions: facilitator ? [] : null,
        scales,
        areas: [],
        items: shown.map(([item, index]) => this.renderItem(item, index, facilitator)),
      },
    };
  }

  renderItem(item, index, facilitator) {
    const view = { id: item.id, area: null, title: item.title, description: item.description, kind: item.kind };
    if (item.kind === 'choice') Object.assign(view, { options: item.options, multiple: item.multiple });
    if (item.kind === 'words') Object.assign(view, { max_words: item.max_words, max_chars: item.max_chars });
    if (item.kind === 'scale') view.scale = item.scale;
    view.results = item.results;
    view.phase = this.phases[index];
    const round = this.rounds[index];
    view.rounds = round
      ? [
          {
            number: round.number,
            open: round.open,
            revealed: false,
            voted: round.voted,
            tally: facilitator || item.results === 'live' ? this.tally(round, facilitator) : null,
            spread: null,
          },
        ]
      : [];
    view.consensus = null;
    view.history = [];
    return view;
  }

  tally(round, facilitator) {
    if (round.counts) return { counts: round.counts };
    // Most frequent first, ties alphabetical; the public view lists at most 100 (nothing here is hidden).
    const groups = [...round.words].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const shown = facilitator ? groups : groups.slice(0, 100);
    const words = shown.map(([word, count]) => {
      // `display`: the most common spelling (the first seen on a tie), where it differs from the word.
      let display;
      let most = 0;
      for (const [spelling, uses] of round.spellings.get(word) ?? []) {
        if (uses > most) [display, most] = [spelling, uses];
      }
      const shownAs = display !== undefined && display !== word ? { display } : {};
      return facilitator
        ? { text: word, ...shownAs, count, hidden: false, filtered: false, variants: [] }
        : { text: word, ...shownAs, count };
    });
    return { words, total: words.reduce((sum, w) => sum + w.count, 0) };
  }
}

/** One connection's side of the protocol. `link` is the transport's socket:
 * `reply(message)`, `frame(encoded)` (a state frame), `subscribe(session, feed)`. */
export class Client {
  constructor(hub, link) {
    this.hub = hub;
    this.link = link;
    this.session = null;
    this.role = null;
    this.participant = null;
  }

  onMessage(msg) {
    const id = Number.isSafeInteger(msg?.id) ? msg.id : null;
    try {
      if (typeof msg !== 'object' || msg === null || id === null) {
        throw new ProtocolError('bad_message', 'a message is a JSON object with type and id');
      }
      if (msg.type === 'hello') return this.hello(msg);
      if (!this.session) throw new ProtocolError('not_joined', 'say hello first');
      if (msg.type === 'vote' || msg.type === 'word') {
        if (this.role !== 'participant') throw new ProtocolError('forbidden', 'only participants answer');
        return this.link.reply(this.session.participantCommand(this.participant, msg));
      }
      if (msg.type === 'open' || msg.type === 'close') {
        if (this.role !== 'facilitator') throw new ProtocolError('forbidden', 'only the facilitator may do that');
        return this.link.reply(this.session.facilitatorCommand(msg));
      }
      throw new ProtocolError('bad_message', `unknown type ${msg.type}`);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      this.link.reply({ type: 'error', id, code: error.code, message: error.message });
    }
  }

  hello(msg) {
    if (this.session) throw new ProtocolError('already_joined', 'this connection has already said hello');
    const session = this.hub.sessions.get(String(msg.code ?? '').trim());
    if (!session) throw new ProtocolError('unknown_session', 'no session has that code');
    const role = msg.role;
    let welcome;
    let feed;
    if (role === 'participant') {
      const { participant, token } = session.join(typeof msg.token === 'string' ? msg.token : undefined);
      this.participant = participant;
      welcome = { type: 'welcome', id: msg.id, role, code: session.code, token, ballots: session.ballotsOf(participant) };
      feed = 'phone';
    } else if (role === 'screen' || role === 'facilitator') {
      if (role === 'facilitator' && msg.key !== session.key) throw new ProtocolError('forbidden', 'wrong key');
      if (role === 'facilitator') {
        session.consoles += 1;
        session.changed();
      }
      welcome = { type: 'welcome', id: msg.id, role, code: session.code };
      feed = role;
    } else {
      throw new ProtocolError('bad_message', 'role must be participant, screen or facilitator');
    }
    this.session = session;
    this.role = role;
    this.hub.connections[role] += 1;
    this.link.reply(welcome);
    this.link.frame(session.frames[feed]);
    this.link.subscribe(session, feed);
  }

  onClose() {
    if (!this.session) return;
    this.hub.connections[this.role] -= 1;
    if (this.role === 'participant') this.session.leave(this.participant);
    if (this.role === 'facilitator') {
      this.session.consoles -= 1;
      this.session.changed();
    }
  }
}

/** Reads a JSON request body of at most 1 MiB. */
export function readJson(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size > 1 << 20) {
        reject(new Error('too large'));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
      } catch (error) {
        reject(error);
      }
    });
    request.on('error', reject);
  });
}

/** The HTTP side both baselines share: creating sessions, `/metrics`, `/healthz`. */
export async function handleHttp(hub, request, response) {
  const path = request.url.split('?')[0];
  const send = (status, body, type = 'application/json') => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
    response.end(text);
  };
  if (request.method === 'POST' && path === '/api/sessions') {
    let body;
    try {
      body = await readJson(request);
    } catch (error) {
      return send(400, { code: 'bad_message', message: String(error.message) });
    }
    const [status, answer] = hub.createSession(body);
    return send(status, answer);
  }
  if (request.method === 'GET' && path === '/metrics') return send(200, hub.metrics(), 'text/plain; version=0.0.4');
  if (request.method === 'GET' && path === '/healthz') return send(200, 'ok', 'text/plain');
  return send(404, { code: 'not_found', message: 'not here' });
}

/** `--port N` and `--host H` from the command line (port 0: any free port). */
export function listenOptions(argv) {
  const value = (name, fallback) => {
    const at = argv.indexOf(name);
    return at >= 0 && argv[at + 1] !== undefined ? argv[at + 1] : fallback;
  };
  // The same accept backlog as Samsyn's listener (tokio's default), for a fair join storm.
  return { host: value('--host', '127.0.0.1'), port: Number(value('--port', '0')), backlog: 1024 };
}
