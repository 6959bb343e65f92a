import { tDeep } from '../../core/i18n/i18n';
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
    expect(() => assertPartnerTransition('approved', 'active', { reason: 'x' })).toThrow('partners:errors.contractDateFirst');
  });
  it('needs a reason to approve, reject, suspend or start exit', () => {
    expect(() => assertPartnerTransition('under_review', 'rejected', {})).toThrow('partners:errors.reasonRequired');
    expect(() => assertPartnerTransition('active', 'suspended', { reason: '  ' })).toThrow('partners:errors.reasonRequired');
  });
  it('explains a refused transition', () => {
    let err: RuleViolation | undefined;
    try { assertPartnerTransition('rejected', 'active', facts); } catch (e) { err = e as RuleViolation; }
    expect(err).toMatchObject({ message: 'partners:errors.transitionFinal', field: 'status', params: { from: 'partners:status.rejected', to: 'partners:status.active' } });
    expect(tDeep('en', 'partners:errors.transitionFinal', { from: 'partners:status.rejected', to: 'partners:status.active' })).toBe('A partner cannot go from rejected to active: rejected is a final status.');
    expect(tDeep('zh-CN', 'partners:errors.transition', { from: 'partners:status.under_review', to: 'partners:status.active', options: ['partners:status.approved', 'partners:status.rejected'] }))
      .toBe('合作伙伴不能从“评审中”变为“合作中”：“评审中”只能变为已批准、未通过。');
  });
});
