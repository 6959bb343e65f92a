import { RuleViolation } from '../../core/web/errors';
import { assignmentRefusals, decideAssignment, quotaOf } from './assignment-quota.util';

const regions = [
  { name: '贵阳市', nameEn: 'Guiyang', aliases: [], parent: null },
  { name: '安顺市', nameEn: 'Anshun', aliases: ['安顺'], parent: null },
  { name: '花溪区', nameEn: 'Huaxi', aliases: [], parent: '贵阳市' },
];
const base = { partnerCode: 'P-1', tier: 'C', quota: 50, current: 49, partnerRegion: '贵阳市', customerRegion: '贵阳市', regions };

describe('tier quota and region rule for assignments', () => {
  it('allows up to the quota, refuses beyond it, counting what an import adds', () => {
    expect(assignmentRefusals(base)).toEqual([]);
    expect(assignmentRefusals({ ...base, current: 50 })).toEqual([{ message: 'customers:errors.quotaFull', params: { code: 'P-1', tier: 'C', current: 50, quota: 50 } }]);
    expect(assignmentRefusals({ ...base, current: 45, adding: 6 })[0].message).toBe('customers:errors.quotaFull');
    expect(assignmentRefusals({ ...base, current: 45, adding: 5 })).toEqual([]);
  });

  it('refuses a customer outside the partner\'s regions, a county counting under its prefecture', () => {
    expect(assignmentRefusals({ ...base, customerRegion: '花溪区' })).toEqual([]);
    expect(assignmentRefusals({ ...base, customerRegion: '安顺市' })[0]).toEqual({ message: 'customers:errors.outsideRegion', params: { code: 'P-1', region: '贵阳市', customerRegion: '安顺市' } });
    expect(assignmentRefusals({ ...base, partnerRegion: '贵阳市、安顺', customerRegion: '安顺市' })).toEqual([]);
    expect(assignmentRefusals({ ...base, current: 50, customerRegion: '安顺市' }).map((r) => r.message)).toEqual(['customers:errors.quotaFull', 'customers:errors.outsideRegion']);
  });

  it('refuses with the first reason on the field unless a manager overrides with a reason', () => {
    const refusals = assignmentRefusals({ ...base, current: 50 });
    expect(() => decideAssignment(refusals, { role: 'channel_manager' })).toThrow(RuleViolation);
    try { decideAssignment(refusals, { role: 'admin', reason: '  ' }); } catch (e) { expect((e as RuleViolation).field).toBe('partnerId'); }
    expect(decideAssignment(refusals, { role: 'channel_manager', reason: ' 大客户指定 ' })).toEqual({ overridden: true, overrideReason: '大客户指定' });
    expect(decideAssignment([], { role: 'admin', reason: 'x' })).toEqual({ overridden: false, overrideReason: null });
    expect(() => decideAssignment(refusals, { role: 'partner', reason: 'please' })).toThrow('customers:errors.overrideNotAllowed');
  });

  it('reads the quota from the tier policy; no tier counts as the lowest tier', () => {
    const policies = [{ tier: 'A', customerQuota: 200 }, { tier: 'B', customerQuota: 100 }, { tier: 'C', customerQuota: 50 }];
    expect(quotaOf('A', policies)).toBe(200);
    expect(quotaOf(null, policies)).toBe(50);
  });
});
