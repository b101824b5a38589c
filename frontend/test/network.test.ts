//! The join address a console shows, from where it was opened and where the server listens.

import { describe, expect, it } from 'vitest';
import { isLoopbackHost, joinBase } from '../src/facilitate/network';

describe('join address', () => {
  it('recognises names that only reach this machine', () => {
    expect(['localhost', '127.0.0.1', '[::1]', '::1'].every(isLoopbackHost)).toBe(true);
    expect(['192.168.1.20', 'samsyn.example.se'].some(isLoopbackHost)).toBe(false);
  });

  it('uses the LAN address on localhost, warns on loopback only, and leaves other addresses alone', () => {
    const lan = { loopback_only: false, join_base: 'http://192.168.1.20:8080' };
    expect(joinBase(lan, 'http://127.0.0.1:8080', '127.0.0.1')).toEqual({ base: 'http://192.168.1.20:8080', unreachable: false });
    expect(joinBase({ loopback_only: true, join_base: null }, 'http://localhost:8080', 'localhost')).toEqual({ base: 'http://localhost:8080', unreachable: true });
    expect(joinBase(lan, 'https://samsyn.example.se', 'samsyn.example.se')).toEqual({ base: 'https://samsyn.example.se', unreachable: false });
    expect(joinBase(null, 'http://localhost:8080', 'localhost')).toEqual({ base: 'http://localhost:8080', unreachable: false });
  });
});
