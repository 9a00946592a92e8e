import {
  afterAttempt,
  afterSuccess,
  delayFor,
  notified,
  ownerToBeNotified,
  refusedUntil,
  THROTTLE,
  truncatedAddress,
  type ThrottleState,
} from '../../server/admin/login-throttle';

const NOW = new Date('2026-11-21T10:00:00Z');
const MINUTE = 60_000;
const at = (minutes: number) => new Date(NOW.getTime() + minutes * MINUTE);
const failures = (count: number, startedAt = NOW): ThrottleState => ({ failures: count, windowStartedAt: startedAt.toISOString(), lockedUntil: null, notifiedAt: null });
const none = { pair: undefined, address: undefined, account: undefined };

describe('login throttle policy', () => {
  describe('afterAttempt', () => {
    it('counts attempts in a window and locks at the limit for lockMinutes', () => {
      let state: ThrottleState | undefined;
      for (let i = 0; i < THROTTLE.lockPairAfter - 1; i++) state = afterAttempt(state, NOW, THROTTLE.lockPairAfter);
      expect(state).toEqual({ ...failures(THROTTLE.lockPairAfter - 1), lockedUntil: null });
      state = afterAttempt(state, NOW, THROTTLE.lockPairAfter);
      expect(state.lockedUntil).toBe(at(THROTTLE.lockMinutes).toISOString());
    });

    it('never locks a counter without a limit: the account-wide one', () => {
      let state: ThrottleState | undefined;
      for (let i = 0; i < 1000; i++) state = afterAttempt(state, NOW);
      expect(state).toEqual(failures(1000));
    });

    it('starts afresh once the window is over, forgetting that the owner was told', () => {
      const told = notified(failures(7), NOW);
      expect(afterAttempt(told, at(10))).toMatchObject({ failures: 8, notifiedAt: NOW.toISOString() });
      expect(afterAttempt(told, at(THROTTLE.windowMinutes + 1))).toEqual(failures(1, at(THROTTLE.windowMinutes + 1)));
    });
  });

  describe('refusedUntil', () => {
    it('refuses while the pair or the address is locked, the later lock winning', () => {
      const pair = { ...failures(5), lockedUntil: at(15).toISOString() };
      const address = { ...failures(20), lockedUntil: at(12).toISOString() };
      expect(refusedUntil({ ...none, pair }, NOW)).toEqual(at(15));
      expect(refusedUntil({ ...none, address }, NOW)).toEqual(at(12));
      expect(refusedUntil({ ...none, pair, address }, NOW)).toEqual(at(15));
      expect(refusedUntil({ ...none, pair }, at(16))).toBeUndefined();
    });

    it('never refuses because of the account\'s own count, however high', () => {
      const account = { ...failures(10_000), lockedUntil: at(15).toISOString() };
      expect(refusedUntil({ ...none, account }, NOW)).toBeUndefined();
    });
  });

  describe('delayFor', () => {
    it('slows an address from slowAfter failures on the pair or overall, up to maxDelayMs', () => {
      expect(delayFor({ ...none, pair: failures(THROTTLE.slowAfter - 1) }, NOW)).toBe(0);
      expect(delayFor({ ...none, pair: failures(THROTTLE.slowAfter) }, NOW)).toBe(1000);
      expect(delayFor({ ...none, address: failures(THROTTLE.slowAfter + 1) }, NOW)).toBe(2000);
      expect(delayFor({ ...none, address: failures(19) }, NOW)).toBe(THROTTLE.maxDelayMs);
      expect(delayFor({ ...none, pair: failures(4) }, at(THROTTLE.windowMinutes + 1))).toBe(0);
    });

    it('does not slow the owner for a few failures elsewhere, but slows everyone past the account-wide ceiling', () => {
      expect(delayFor({ ...none, account: failures(THROTTLE.slowAccountAfter - 1) }, NOW)).toBe(0);
      expect(delayFor({ ...none, account: failures(THROTTLE.slowAccountAfter) }, NOW)).toBe(THROTTLE.maxDelayMs);
    });
  });

  it('gives back the attempt counted for a success, unlocking below the limit', () => {
    const locked = { ...failures(THROTTLE.lockAddressAfter), lockedUntil: at(15).toISOString() };
    expect(afterSuccess(locked, NOW, THROTTLE.lockAddressAfter)).toMatchObject({ failures: THROTTLE.lockAddressAfter - 1, lockedUntil: null });
    expect(afterSuccess(failures(3), NOW)).toMatchObject({ failures: 2 });
    expect(afterSuccess(undefined, NOW)).toBeUndefined();
  });

  describe('ownerToBeNotified', () => {
    it('is true once the account reaches notifyOwnerAfter failures in a window, and not again in that window', () => {
      expect(ownerToBeNotified(failures(THROTTLE.notifyOwnerAfter - 1), NOW)).toBe(false);
      expect(ownerToBeNotified(failures(THROTTLE.notifyOwnerAfter), NOW)).toBe(true);
      expect(ownerToBeNotified(notified(failures(THROTTLE.notifyOwnerAfter), NOW), at(1))).toBe(false);
      expect(ownerToBeNotified(failures(THROTTLE.notifyOwnerAfter), at(THROTTLE.windowMinutes + 1))).toBe(false);
      expect(ownerToBeNotified(undefined, NOW)).toBe(false);
    });
  });

  describe('truncatedAddress', () => {
    it('keeps only the network: /24 for IPv4, /48 for IPv6', () => {
      expect(truncatedAddress('203.0.113.77')).toBe('203.0.113.x');
      expect(truncatedAddress('::ffff:198.51.100.9')).toBe('198.51.100.x');
      expect(truncatedAddress('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
      expect(truncatedAddress('2001:db8::1')).toBe('2001:db8:0::/48');
      expect(truncatedAddress('unknown')).toBe('?');
    });
  });
});
