import { RuleViolation } from '../../core/web/errors';
import { allowedTransitions, assertPartnerTransition, PARTNER_STATUSES, PartnerStatus } from './partner-status.util';

const LEGAL: [PartnerStatus, PartnerStatus][] = [
  ['applied', 'under_review'], ['under_review', 'approved'], ['under_review', 'rejected'], ['approved', 'active'],
  ['active', 'suspended'], ['suspended', 'active'], ['active', 'exiting'], ['suspended', 'exiting'], ['exiting', 'exited'],
];

describe('partner status machine', () => {
  const facts = { contractSignedOn: '2026-01-01', reason: 'checked' };
  for (const from of PARTNER_STATUSES) {
    for (const to of PARTNER_STATUSES) {
      const legal = LEGAL.some(([f, t]) => f === from && t === to);
      it(`${from} -> ${to} is ${legal ? 'allowed' : 'refused'}`, () => {
        if (legal) expect(assertPartnerTransition(from, to, facts)).toBe(to);
        else expect(() => assertPartnerTransition(from, to, facts)).toThrow(RuleViolation);
      });
    }
  }
  it('lists exactly the legal targets', () => {
    expect([...allowedTransitions('under_review')].sort()).toEqual(['approved', 'rejected']);
    expect(allowedTransitions('exited')).toEqual([]);
  });
  it('needs the contract date to activate', () => {
    expect(() => assertPartnerTransition('approved', 'active', { reason: 'x' })).toThrow(/contract signed date/);
  });
  it('needs a reason to approve, reject, suspend or start exit', () => {
    expect(() => assertPartnerTransition('under_review', 'rejected', {})).toThrow(/reason is required/);
    expect(() => assertPartnerTransition('active', 'suspended', { reason: '  ' })).toThrow(/reason is required/);
  });
  it('explains a refused transition', () => {
    expect(() => assertPartnerTransition('rejected', 'active', facts)).toThrow('A partner cannot go from rejected to active: rejected is a final status.');
  });
});
