//! Drives a session over the WebSocket protocol from a page of the server's own origin: a
//! facilitator socket and participant sockets kept open in that page, each command awaited until
//! the server acknowledges it (an error answer fails the test). For suites that need exact
//! states quickly; the UI paths are driven by hand in the other suites.

/**
 * A facilitator socket and `phones` participant sockets for a session, kept open in the driver
 * page. Answers helpers that send commands and wait for their acks.
 */
export async function connect(page, session, name, phones) {
  await page.evaluate(
    async ({ code, key, name, phones }) => {
      const open = async (onState) => {
        const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/ws`);
        await new Promise((ok, fail) => {
          ws.onopen = ok;
          ws.onerror = () => fail(new Error('the WebSocket did not open'));
        });
        let next = 1;
        const waiting = new Map();
        ws.onmessage = (e) => {
          const m = JSON.parse(e.data);
          if (m.type === 'state' && onState) onState(m.session);
          const pending = waiting.get(m.id);
          if (!pending) return;
          waiting.delete(m.id);
          if (m.type === 'error') pending.fail(new Error(`${pending.type}: ${m.code} ${m.message}`));
          else pending.ok(m);
        };
        const call = (msg) =>
          new Promise((ok, fail) => {
            const id = next++;
            waiting.set(id, { ok, fail, type: msg.type });
            ws.send(JSON.stringify({ ...msg, id }));
          });
        return { ws, call };
      };
      window.__samsyn ??= {};
      const world = { state: null, phones: [] };
      window.__samsyn[name] = world;
      world.fac = await open((s) => (world.state = s));
      await world.fac.call({ type: 'hello', role: 'facilitator', code, key });
      for (let i = 0; i < phones; i++) {
        const phone = await open(null);
        await phone.call({ type: 'hello', role: 'participant', code });
        world.phones.push(phone);
      }
    },
    { code: session.code, key: session.facilitator_key, name, phones },
  );
  return {
    fac: (command) => page.evaluate(({ name, command }) => window.__samsyn[name].fac.call(command), { name, command }),
    votes: (item, round, answers) =>
      page.evaluate(
        ({ name, item, round, answers }) => Promise.all(answers.map((answer, i) => window.__samsyn[name].phones[i].call({ type: 'vote', item, round, answer }))),
        { name, item, round, answers },
      ),
    /** Sends each word `count` times, from as many phones (each phone at most max_words words). */
    words: (item, round, list) =>
      page.evaluate(
        async ({ name, item, round, list }) => {
          const phones = window.__samsyn[name].phones;
          const sent = phones.map(() => 0);
          for (const [text, count] of list) {
            // The phones with the fewest words send it, so that nobody passes three.
            const order = phones.map((_, i) => i).sort((a, b) => sent[a] - sent[b]).slice(0, count);
            for (const i of order) {
              sent[i] += 1;
              if (sent[i] > 3) throw new Error('too many words for the phones');
              await phones[i].call({ type: 'word', item, round, text });
            }
          }
        },
        { name, item, round, list },
      ),
  };
}
