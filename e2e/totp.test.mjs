// Checks the test suite's own TOTP implementation against RFC 6238 / RFC 4226 vectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { totp, hotp, base32Decode } from './lib.mjs';

test('base32 decodes the RFC 6238 seed', () => {
  assert.equal(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ').toString('ascii'), '12345678901234567890');
});

test('HOTP matches RFC 4226 appendix D', () => {
  const key = Buffer.from('12345678901234567890', 'ascii');
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  expected.forEach((code, i) => assert.equal(hotp(key, i), code));
});

test('TOTP matches RFC 6238 appendix B (SHA-1, last 6 digits)', () => {
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  const vectors = [
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
    [20000000000, '353130'],
  ];
  for (const [t, code] of vectors) assert.equal(totp(secret, t * 1000), code, `T=${t}`);
});
