import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { allowedHostNames, crossOriginWrite, crossSiteRead, hostAllowed, interfaceAddresses, isJson, presentedSecret, sameSecret } from './security';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('host door checks', () => {
  it('accepts only the bound address (and loopback names) on the right port', () => {
    const loop = allowedHostNames('127.0.0.1');
    expect(hostAllowed('127.0.0.1:5178', loop, 5178, false)).toBe(true);
    expect(hostAllowed('LOCALHOST:5178', loop, 5178, false)).toBe(true);
    expect(hostAllowed('[::1]:5178', loop, 5178, false)).toBe(true);
    expect(hostAllowed('127.0.0.1', loop, 80, false)).toBe(true); // no port: the scheme's default
    expect(hostAllowed('127.0.0.1:5179', loop, 5178, false)).toBe(false);
    expect(hostAllowed('attacker.test:5178', loop, 5178, false)).toBe(false);
    expect(hostAllowed('[attacker.test]:5178', loop, 5178, false)).toBe(false);
    expect(hostAllowed('127.0.0.1:5178@attacker.test', loop, 5178, false)).toBe(false);
    expect(hostAllowed(undefined, loop, 5178, false)).toBe(false);
    const lan = allowedHostNames('192.0.2.7', ['scanner.local']);
    expect(hostAllowed('192.0.2.7:443', lan, 443, true)).toBe(true);
    expect(hostAllowed('scanner.local', lan, 443, true)).toBe(true);
    expect(hostAllowed('localhost:443', lan, 443, true)).toBe(false); // not bound there
    const all = allowedHostNames('0.0.0.0');
    for (const a of interfaceAddresses().filter((x) => !x.includes(':'))) expect(hostAllowed(`${a}:1`, all, 1, false)).toBe(true);
    expect(hostAllowed('attacker.test:1', all, 1, false)).toBe(false);
  });

  it('finds the secret in a Bearer header or its own cookie, and compares whatever the lengths', () => {
    expect(presentedSecret(req({ authorization: 'Bearer abc' }), 'c')).toBe('abc');
    expect(presentedSecret(req({ cookie: 'other=1; c=xyz; d=2' }), 'c')).toBe('xyz');
    expect(presentedSecret(req({ cookie: 'cc=xyz' }), 'c')).toBeNull();
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abcd', 'abc')).toBe(false);
    expect(sameSecret('', 'abc')).toBe(false);
    expect(sameSecret(null, 'abc')).toBe(false);
  });

  it('lets writes through only from the same origin, as JSON; reads as sub-resources only from the same origin', () => {
    const own = 'http://127.0.0.1:5178';
    expect(crossOriginWrite(req({}), own)).toBeNull(); // a script: judged by its Bearer secret
    expect(crossOriginWrite(req({ origin: own, 'sec-fetch-site': 'same-origin' }), own)).toBeNull();
    expect(crossOriginWrite(req({ origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-site' }), own)).toMatch(/same-site/);
    expect(crossOriginWrite(req({ origin: 'http://127.0.0.1:3000' }), own)).toMatch(/3000/);
    expect(crossOriginWrite(req({ 'sec-fetch-site': 'none' }), own)).not.toBeNull();
    expect(isJson(req({ 'content-type': 'application/json; charset=utf-8' }))).toBe(true);
    expect(isJson(req({ 'content-type': 'text/plain' }))).toBe(false);
    expect(isJson(req({}))).toBe(false);
    expect(crossSiteRead(req({ 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' }))).not.toBeNull();
    expect(crossSiteRead(req({ 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'iframe' }))).not.toBeNull();
    expect(crossSiteRead(req({ 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' }))).toBeNull();
    expect(crossSiteRead(req({ 'sec-fetch-site': 'same-origin' }))).toBeNull();
  });
});
