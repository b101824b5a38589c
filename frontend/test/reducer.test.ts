//! The pure reducer: state replacement, versions across reconnects, own ballots, errors.

import { describe, expect, it } from 'vitest';
import { busyWith, initialState, moderating, ownVote, ownWords, reduce, type ClientEvent, type ClientState } from '../src/lib/reducer';
import { indicator, stateMsg, summary } from './fixtures';

const run = (events: ClientEvent[], from: ClientState = initialState) => events.reduce(reduce, from);

const welcome = (ballots = {}): ClientEvent => ({
  type: 'welcome',
  id: 1,
  role: 'participant',
  code: '482913',
  token: 'tok-1',
  ballots,
});

describe('state messages', () => {
  it('replace the whole session', () => {
    const s = run([welcome(), stateMsg(3, { title: 'A', participants: 2 }), stateMsg(4, { title: 'B' })]);
    expect(s.session?.title).toBe('B');
    expect(s.session?.participants).toBe(9);
    expect(s.version).toBe(4);
  });

  it('ignore a lower version within a connection', () => {
    const s = run([welcome(), stateMsg(5, { title: 'new' }), stateMsg(4, { title: 'old' })]);
    expect(s.session?.title).toBe('new');
    expect(s.version).toBe(5);
  });

  it('take the first state after a welcome whatever its version (the server may have restarted)', () => {
    const before = run([{ type: 'connection', status: 'open' }, welcome(), stateMsg(40, { title: 'before' })]);
    const after = run(
      [
        { type: 'connection', status: 'reconnecting' },
        { type: 'connection', status: 'open' },
        welcome(),
        stateMsg(2, { title: 'after restart' }),
      ],
      before,
    );
    expect(after.session?.title).toBe('after restart');
    expect(after.version).toBe(2);
    // …and from then on the usual rule applies again.
    expect(reduce(after, stateMsg(1, { title: 'stale' })).session?.title).toBe('after restart');
  });

  it('are taken when there is no session yet', () => {
    const s = reduce(initialState, stateMsg(7));
    expect(s.version).toBe(7);
    expect(s.session?.code).toBe('482913');
  });

  it('keep the session while reconnecting', () => {
    const s = run([welcome(), stateMsg(3), { type: 'connection', status: 'reconnecting' }]);
    expect(s.connection).toBe('reconnecting');
    expect(s.session).not.toBeNull();
  });
});

describe('own ballots', () => {
  it('come from welcome.ballots', () => {
    const s = run([welcome({ L1: { round: 1, answer: 3 }, L2: { round: 2, answer: 'not_relevant' } })]);
    expect(s.token).toBe('tok-1');
    expect(ownVote(s, 'L1', 1)).toEqual({ answer: 3, status: 'received' });
    expect(ownVote(s, 'L2', 2)).toEqual({ answer: 'not_relevant', status: 'received' });
    expect(ownVote(s, 'L2', 3)).toEqual({ answer: null, status: 'none' });
  });

  it('show a sent vote as sending until it is acked, then as received', () => {
    const sent = run([welcome(), { type: 'sent', id: 7, command: { type: 'vote', item: 'L2', round: 1, answer: 4 } }]);
    expect(ownVote(sent, 'L2', 1)).toEqual({ answer: 4, status: 'sending' });
    const acked = reduce(sent, { type: 'ack', id: 7 });
    expect(ownVote(acked, 'L2', 1)).toEqual({ answer: 4, status: 'received' });
    expect(acked.ballots.L2).toEqual({ round: 1, answer: 4 });
    expect(acked.pending).toEqual({});
  });

  it('let the newest vote in flight win over an acked one', () => {
    const s = run([
      welcome({ L2: { round: 1, answer: 2 } }),
      { type: 'sent', id: 8, command: { type: 'vote', item: 'L2', round: 1, answer: 3 } },
      { type: 'sent', id: 9, command: { type: 'vote', item: 'L2', round: 1, answer: 5 } },
    ]);
    expect(ownVote(s, 'L2', 1)).toEqual({ answer: 5, status: 'sending' });
    const acked = run([{ type: 'ack', id: 8 }, { type: 'ack', id: 9 }], s);
    expect(ownVote(acked, 'L2', 1)).toEqual({ answer: 5, status: 'received' });
  });

  it('are replaced by a new welcome, while votes in flight stay pending for the resend', () => {
    const s = run([
      welcome({ L1: { round: 1, answer: 1 } }),
      { type: 'sent', id: 5, command: { type: 'vote', item: 'L2', round: 1, answer: 4 } },
      { type: 'connection', status: 'reconnecting' },
      welcome({ L3: { round: 1, answer: 2 } }),
    ]);
    expect(s.ballots).toEqual({ L3: { round: 1, answer: 2 } });
    expect(ownVote(s, 'L2', 1).status).toBe('sending');
    expect(ownVote(reduce(s, { type: 'ack', id: 5 }), 'L2', 1)).toEqual({ answer: 4, status: 'received' });
  });

  it('do not carry an earlier round into a re-vote', () => {
    const s = run([welcome({ L2: { round: 1, answer: 3 } })]);
    expect(ownVote(s, 'L2', 2)).toEqual({ answer: null, status: 'none' });
  });

  it('ignore an ack for an unknown id', () => {
    const s = run([welcome()]);
    expect(reduce(s, { type: 'ack', id: 99 })).toBe(s);
  });
});

describe('errors', () => {
  it('drop the failed vote and keep the earlier acked answer', () => {
    const s = run([
      welcome({ L2: { round: 1, answer: 2 } }),
      { type: 'sent', id: 7, command: { type: 'vote', item: 'L2', round: 1, answer: 4 } },
      { type: 'error', id: 7, code: 'round_closed', message: 'Voting on round 1 of L2 is closed.' },
    ]);
    expect(s.pending).toEqual({});
    expect(ownVote(s, 'L2', 1)).toEqual({ answer: 2, status: 'received' });
    expect(s.error).toMatchObject({ id: 7, code: 'round_closed', command: { type: 'vote', item: 'L2' } });
    expect(s.errorCount).toBe(1);
  });

  it('are kept when the message could not be read (id null) and can be dismissed', () => {
    const s = run([welcome(), { type: 'error', id: null, code: 'bad_message', message: 'not JSON' }]);
    expect(s.error).toEqual({ id: null, code: 'bad_message', message: 'not JSON', command: undefined });
    expect(reduce(s, { type: 'dismiss_error' }).error).toBeNull();
  });

  it('count repeats so that the same error is announced again', () => {
    const e: ClientEvent = { type: 'error', id: null, code: 'internal', message: '' };
    expect(run([e, e]).errorCount).toBe(2);
  });

  it('from a refused hello make the connection fail for good', () => {
    const s = reduce(initialState, {
      type: 'connection',
      status: 'failed',
      error: { type: 'error', id: 1, code: 'unknown_session', message: 'No session 000000' },
    });
    expect(s.connection).toBe('failed');
    expect(s.fatal).toEqual({ id: 1, code: 'unknown_session', message: 'No session 000000' });
  });
});

describe('facilitator commands', () => {
  it('make the item busy until answered', () => {
    const s = run([
      { type: 'welcome', id: 1, role: 'facilitator', code: '482913' },
      { type: 'sent', id: 2, command: { type: 'close', item: 'L2' } },
    ]);
    expect(busyWith(s, 'L2')).toBe(true);
    expect(busyWith(s, 'L1')).toBe(false);
    expect(busyWith(reduce(s, { type: 'ack', id: 2 }), 'L2')).toBe(false);
    expect(s.ballots).toEqual({});
  });
});

describe('ballots of every kind', () => {
  it('come from welcome.ballots: choice, points and words', () => {
    const s = run([
      welcome({
        hot: { round: 1, answer: [1] },
        prio: { round: 1, answer: [50, 20, 30] },
        ord: { round: 2, words: ['framtid', 'möjligheter'] },
      }),
    ]);
    expect(ownVote(s, 'hot', 1)).toEqual({ answer: [1], status: 'received' });
    expect(ownVote(s, 'prio', 1)).toEqual({ answer: [50, 20, 30], status: 'received' });
    expect(ownWords(s, 'ord', 2)).toEqual({ stored: ['framtid', 'möjligheter'], sending: [], held: [] });
    // A words ballot has no answer, and an earlier round's words are not this round's.
    expect(ownVote(s, 'ord', 2)).toEqual({ answer: null, status: 'none' });
    expect(ownWords(s, 'ord', 3)).toEqual({ stored: [], sending: [], held: [] });
  });

  it('record a choice or points vote when it is acked', () => {
    const s = run([
      welcome(),
      { type: 'sent', id: 3, command: { type: 'vote', item: 'prio', round: 1, answer: [60, 0, 40] } },
      { type: 'ack', id: 3 },
    ]);
    expect(s.ballots.prio).toEqual({ round: 1, answer: [60, 0, 40] });
  });
});

describe('words', () => {
  const word = (id: number, text: string, round = 1): ClientEvent => ({ type: 'sent', id, command: { type: 'word', item: 'ord', round, text } });

  it('show a sent word as sending, then as stored in the form the ack gives', () => {
    const sent = run([welcome(), word(4, '  Framtid ')]);
    expect(ownWords(sent, 'ord', 1)).toEqual({ stored: [], sending: ['  Framtid '], held: [] });
    const acked = reduce(sent, { type: 'ack', id: 4, word: 'framtid' });
    expect(ownWords(acked, 'ord', 1)).toEqual({ stored: ['framtid'], sending: [], held: [] });
    expect(acked.ballots.ord).toEqual({ round: 1, words: ['framtid'] });
  });

  it('add words in the order acked, keep earlier ones, and start afresh in a new round', () => {
    const s = run([
      welcome({ ord: { round: 1, words: ['framtid'] } }),
      word(5, 'Möjligheter'),
      word(6, 'oro'),
      { type: 'ack', id: 5, word: 'möjligheter' },
      { type: 'ack', id: 6, word: 'oro' },
    ]);
    expect(ownWords(s, 'ord', 1).stored).toEqual(['framtid', 'möjligheter', 'oro']);
    const next = run([word(7, 'hopp', 2), { type: 'ack', id: 7, word: 'hopp' }], s);
    expect(next.ballots.ord).toEqual({ round: 2, words: ['hopp'] });
  });

  it('store the normalised text when an ack carries no word', () => {
    const s = run([welcome(), word(4, ' Får  Vi '), { type: 'ack', id: 4 }]);
    expect(ownWords(s, 'ord', 1).stored).toEqual(['får vi']);
  });

  it('report a refused word with its command, so the phone can explain it', () => {
    const s = run([welcome(), word(4, 'framtid'), { type: 'error', id: 4, code: 'too_many_words', message: 'max 3' }]);
    expect(s.error).toMatchObject({ code: 'too_many_words', command: { type: 'word', text: 'framtid' } });
    expect(ownWords(s, 'ord', 1)).toEqual({ stored: [], sending: [], held: [] });
  });

  it('take a "duplicate" for a word resent after a reconnect that the welcome shows stored as no error', () => {
    const s = run([
      welcome(),
      word(4, 'Framtid'),
      { type: 'connection', status: 'reconnecting' },
      { type: 'connection', status: 'open' },
      welcome({ ord: { round: 1, words: ['framtid'] } }),
      { type: 'error', id: 4, code: 'duplicate_word', message: 'already sent' },
    ]);
    expect(s.error).toBeNull();
    expect(s.pending).toEqual({});
    expect(ownWords(s, 'ord', 1)).toEqual({ stored: ['framtid'], sending: [], held: [] });
  });

  it('do not make the item busy for the facilitator, but moderation marks its word', () => {
    const s = run([
      { type: 'welcome', id: 1, role: 'facilitator', code: '482913' },
      { type: 'sent', id: 2, command: { type: 'hide_word', item: 'ord', word: 'tråkigt' } },
      { type: 'sent', id: 3, command: { type: 'merge_words', item: 'ord', word: 'digitaliseringen', into: 'digitalisering' } },
      { type: 'sent', id: 4, command: { type: 'set_filter', enabled: false } },
    ]);
    expect(busyWith(s, 'ord')).toBe(false);
    expect(moderating(s, 'ord', 'tråkigt')).toBe(true);
    expect(moderating(s, 'ord', 'digitalisering')).toBe(true);
    expect(moderating(s, 'ord', 'framtid')).toBe(false);
    expect(moderating(s, 'ord', null)).toBe(true);
    expect(moderating(reduce(s, { type: 'ack', id: 4 }), 'ord', null)).toBe(false);
  });
});

describe('summary and action plan', () => {
  const facilitator: ClientEvent = { type: 'welcome', id: 1, role: 'facilitator', code: '482913' };

  it('come with the state and are replaced with it', () => {
    const plan = [{ id: 'a1', item: 'I1', text: 'Inventera nätet', owner: '', due: null, status: 'todo' as const }];
    const s = run([
      facilitator,
      stateMsg(3, { summary_shared: false, summary: summary([indicator('L1', 2)]), actions: plan, occasion: null }),
      stateMsg(4, { summary_shared: true, summary: summary([indicator('L1', 3)]), actions: [], occasion: { organisation: 'Exempelby', field: null, date: '2026-11-23', finished_at: 1 } }),
    ]);
    expect(s.session?.summary_shared).toBe(true);
    expect(s.session?.summary?.indicators[0].level).toBe(3);
    expect(s.session?.actions).toEqual([]);
    expect(s.session?.occasion?.organisation).toBe('Exempelby');
  });

  it('report a refused action with its command, so that its form can show the error at the field', () => {
    const command = { type: 'set_action' as const, item: 'I1', text: 'x', owner: '', due: '2027-13-01', status: 'todo' as const };
    const s = run([
      facilitator,
      { type: 'sent', id: 5, command },
      { type: 'error', id: 5, code: 'invalid_field', message: 'due: a date is written YYYY-MM-DD' },
    ]);
    expect(s.error).toMatchObject({ code: 'invalid_field', command: { type: 'set_action', due: '2027-13-01' } });
    expect(s.pending).toEqual({});
  });

  it('do not make the indicator of an action busy', () => {
    const s = run([
      facilitator,
      { type: 'sent', id: 5, command: { type: 'set_action', item: 'I1', text: 'x', owner: '', due: null, status: 'todo' } },
      { type: 'sent', id: 6, command: { type: 'start_prioritisation', max_level: 3, budget: 100 } },
    ]);
    expect(busyWith(s, 'I1')).toBe(false);
    expect(Object.keys(s.pending)).toHaveLength(2);
  });
});

describe('the room word', () => {
  const vote = (answer: number, room_word?: string) => ({ type: 'vote' as const, item: 'L1', round: 1, answer, ...(room_word ? { room_word } : {}) });

  it('keeps an answer made before the word is known, shown as chosen, newest choice only', () => {
    const s = run([welcome(), { type: 'hold', command: vote(2) }, { type: 'hold', command: vote(4) }]);
    expect(s.held).toEqual([vote(4)]);
    expect(ownVote(s, 'L1', 1)).toEqual({ answer: 4, status: 'held' });
    expect(ownVote(s, 'L1', 2)).toEqual({ answer: null, status: 'none' });
    const released = reduce(s, { type: 'released', count: 1 });
    expect(released.held).toEqual([]);
    expect(ownVote(released, 'L1', 1).status).toBe('none');
  });

  it('keeps held words once each, apart from those sent', () => {
    const word = (text: string) => ({ type: 'word' as const, item: 'ord', round: 1, text });
    const s = run([welcome(), { type: 'hold', command: word('Framtid') }, { type: 'hold', command: word(' framtid ') }, { type: 'hold', command: word('oro') }]);
    expect(ownWords(s, 'ord', 1)).toEqual({ stored: [], sending: [], held: ['Framtid', 'oro'] });
    expect(ownWords(s, 'ord', 2).held).toEqual([]);
  });

  it('takes back an answer refused for the word, without the word, so it is sent again with the right one', () => {
    const s = run([welcome(), { type: 'sent', id: 5, command: vote(3, 'fel') }, { type: 'error', id: 5, code: 'wrong_room_word', message: 'the room word is wrong' }]);
    expect(s.pending).toEqual({});
    expect(s.held).toEqual([vote(3)]);
    expect(s.error).toMatchObject({ code: 'wrong_room_word', command: vote(3, 'fel') });
    expect(ownVote(s, 'L1', 1)).toEqual({ answer: 3, status: 'held' });
  });

  it('keeps the newer choice when an older answer is refused after the person chose again', () => {
    const s = run([
      welcome(),
      { type: 'sent', id: 5, command: vote(3, 'gammal') },
      { type: 'hold', command: vote(5) },
      { type: 'error', id: 5, code: 'wrong_room_word', message: '' },
    ]);
    expect(s.held).toEqual([vote(5)]);
  });

  it('does not hold an answer refused for another reason', () => {
    const s = run([welcome(), { type: 'sent', id: 5, command: vote(3, 'kanel') }, { type: 'error', id: 5, code: 'left_out', message: '' }]);
    expect(s.held).toEqual([]);
    expect(s.error?.code).toBe('left_out');
  });
});

describe('a participant left out of the count', () => {
  it('knows it from a refused answer, until an answer is accepted again', () => {
    const vote = (answer: number) => ({ type: 'vote' as const, item: 'L1', round: 1, answer });
    let s = run([welcome(), { type: 'sent', id: 5, command: vote(3) }, { type: 'ack', id: 5 }]);
    expect(s.leftOut).toBe(false);
    s = run([{ type: 'sent', id: 6, command: vote(4) }, { type: 'error', id: 6, code: 'left_out', message: '' }], s);
    expect(s.leftOut).toBe(true);
    // The ballot it had stays its own, but no longer counts.
    expect(ownVote(s, 'L1', 1)).toEqual({ answer: 3, status: 'received' });
    s = run([{ type: 'sent', id: 7, command: vote(2) }, { type: 'error', id: 7, code: 'round_closed', message: '' }], s);
    expect(s.leftOut).toBe(true);
    s = run([{ type: 'sent', id: 8, command: vote(2) }, { type: 'ack', id: 8 }], s);
    expect(s.leftOut).toBe(false);
  });
});

describe('a hello held back while many join', () => {
  it('is waited out calmly until the client is in, and forgotten on a plain reconnect', () => {
    const held = { type: 'error' as const, id: 1, code: 'rate_limited', message: 'many new phones' };
    let s = run([{ type: 'connection', status: 'connecting', error: held }]);
    expect(s.crowded).toBe(true);
    expect(s.fatal).toBeNull();
    s = reduce(s, { type: 'connection', status: 'connecting' });
    expect(s.crowded).toBe(true);
    s = reduce(s, { type: 'connection', status: 'open' });
    expect(s.crowded).toBe(false);
    s = reduce(s, { type: 'connection', status: 'reconnecting' });
    expect(s.crowded).toBe(false);
    s = reduce(s, { type: 'connection', status: 'reconnecting', error: { ...held, code: 'internal' } });
    expect(s.crowded).toBe(false);
  });
});
