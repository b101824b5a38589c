//! Preact hooks that wire a view to the server: the socket client feeding the reducer,
//! and the chosen language. The only lib module that touches window events.

import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import { initialState, reduce, type ClientState, type LocalEvent } from './reducer';
import { SocketClient, socketUrl, type Done } from './socket';
import type { Command, Hello, ServerMsg } from './types';
import { storeLang, storedLang, type Lang } from './i18n';

export interface Live {
  state: ClientState;
  /** Sends a command (queued while disconnected) and records it as pending. */
  send: (command: Command, done?: Done) => number;
  dispatch: (event: LocalEvent) => void;
}

/**
 * Connects once per mount. `hello` is read on every (re)connect; `onMessage` sees each
 * server message before the reducer does (e.g. to store a resume token).
 * Pass `hello = null` to stay offline (no code yet, or no key).
 */
export function useLive(hello: (() => Hello) | null, onMessage?: (msg: ServerMsg) => void): Live {
  const [state, dispatch] = useReducer(reduce, initialState);
  const clientRef = useRef<SocketClient | null>(null);
  const enabled = hello !== null;
  const helloRef = useRef(hello);
  helloRef.current = hello;
  const onMessageRef = useRef(onMessage);
  onMessageRef.current = onMessage;

  useEffect(() => {
    if (!enabled) return undefined;
    const client = new SocketClient({
      url: socketUrl(location),
      hello: () => helloRef.current!(),
      onMessage: (msg) => {
        onMessageRef.current?.(msg);
        dispatch(msg);
      },
      onStatus: (status, error) => dispatch({ type: 'connection', status, error }),
    });
    clientRef.current = client;
    client.start();
    // A phone that slept or lost its network should not wait out the backoff.
    const wake = () => {
      if (document.visibilityState === 'visible') client.reconnectNow();
    };
    // Going offline closes no socket by itself; say so at once instead of looking connected.
    const offline = () => client.drop();
    window.addEventListener('online', wake);
    window.addEventListener('offline', offline);
    document.addEventListener('visibilitychange', wake);
    return () => {
      window.removeEventListener('online', wake);
      window.removeEventListener('offline', offline);
      document.removeEventListener('visibilitychange', wake);
      client.stop();
      clientRef.current = null;
    };
  }, [enabled]);

  const send = useMemo(
    () => (command: Command, done?: Done) => {
      const client = clientRef.current;
      if (!client) return -1;
      const id = client.send(command, done);
      dispatch({ type: 'sent', id, command });
      return id;
    },
    [],
  );

  return { state, send, dispatch };
}

/** The chosen language, remembered in localStorage and mirrored in <html lang>. A choice is stored
 * the moment it is made, not in an effect after the next paint: a reload right after tapping
 * "English" keeps it, and opening a page never writes over what another tab chose meanwhile. */
export function useLang(): [Lang, (lang: Lang) => void] {
  const [lang, setLang] = useState<Lang>(storedLang);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const choose = useCallback((next: Lang) => {
    storeLang(next);
    setLang(next);
  }, []);
  return [lang, choose];
}
