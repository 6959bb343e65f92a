import { tDeep } from '../../core/i18n/i18n';
import { RegionName } from '../regions/region-match.util';
import { Candidate, checklistProgress, completionRefusal, openChecklistItems, rankCandidates, receiverRefusal, regionCovers, assertChecklistUpdate, Refusal } from './handover.util';

/** a refusal as an English or Chinese reader sees it */
const en = (r: Refusal | null) => (r ? tDeep('en', r.message, r.params) : null);
const zh = (r: Refusal | null) => (r ? tDeep('zh-CN', r.message, r.params) : null);
const REGIONS: RegionName[] = [
  { name: '贵阳市', nameEn: 'Guiyang', aliases: ['筑城'], parent: null },
  { name: '安顺市', nameEn: 'Anshun', aliases: [], parent: null },
  { name: '遵义市', nameEn: 'Zunyi', aliases: [], parent: null },
  { name: '西秀区', nameEn: 'Xixiu', aliases: [], parent: '安顺市' },
];

const blank = { receivingPartnerId: null, receivingManagerUserId: null, effectiveOn: null, documentsTransferred: false, openRecordsTransferred: false, arrearsListTransferred: false, customerInformedOn: null, receiverAcknowledged: false };
const full = { ...blank, receivingPartnerId: 5, effectiveOn: '2026-11-25', documentsTransferred: true, openRecordsTransferred: true, arrearsListTransferred: true, customerInformedOn: '2026-11-24', receiverAcknowledged: true };

describe('handover checklist', () => {
  it('lists every open item of a fresh handover and none of a finished one', () => {
    expect(openChecklistItems(blank)).toEqual(['receiver', 'documentsTransferred', 'openRecordsTransferred', 'arrearsListTransferred', 'customerInformedOn', 'receiverAcknowledged']);
    expect(openChecklistItems(full)).toEqual([]);
    expect(checklistProgress({ ...full, receiverAcknowledged: false })).toEqual({ done: 5, total: 6 });
  });
  it('counts a channel manager as a receiver', () => {
    expect(openChecklistItems({ ...full, receivingPartnerId: null, receivingManagerUserId: 3 })).toEqual([]);
  });
  it('refuses completion while a customer is held, an item is open, or a handover takes effect after the exit date', () => {
    expect(en(completionRefusal([{ ...full, customerCode: 'C1' }], 1, '2026-11-25'))).toMatch(/1 customer\(s\) are still assigned/);
    expect(completionRefusal([{ ...full, customerInformedOn: null, customerCode: 'C1' }], 0, '2026-11-25')).toEqual({ message: 'exit:refusal.notFinished', params: { customers: 'C1' } });
    expect(zh(completionRefusal([{ ...full, customerInformedOn: null, customerCode: 'C1' }], 0, '2026-11-25'))).toBe('客户 C1 的移交清单尚未完成。');
    expect(en(completionRefusal([{ ...full, effectiveOn: '2026-12-01', customerCode: 'C2' }], 0, '2026-11-25'))).toMatch(/after the exit date/);
    expect(completionRefusal([{ ...full, customerCode: 'C1' }], 0, '2026-11-25')).toBeNull();
  });
  it('refuses ticks before a receiver is chosen and a future information date', () => {
    expect(() => assertChecklistUpdate({ ...blank, documentsTransferred: true }, '2026-11-25')).toThrow('exit:errors.receiverFirst');
    expect(() => assertChecklistUpdate({ ...full, customerInformedOn: '2026-11-26' }, '2026-11-25')).toThrow('exit:errors.informedInFuture');
  });
});

describe('receiving partner candidates', () => {
  const c = (over: Partial<Candidate>): Candidate => ({ partnerId: 1, code: 'P1', name: 'P1', status: 'active', region: 'Guiyang', tier: 'B', quota: 10, currentCustomers: 2, lastScore: '90.00', ...over });
  it('matches regions case-insensitively within a list', () => {
    expect(regionCovers('Zunyi, Guiyang', 'guiyang')).toBe(true);
    expect(regionCovers('Zunyi', 'Guiyang')).toBe(false);
  });
  it('matches regions through the region list: English or Chinese spelling, counties under their prefecture', () => {
    expect(regionCovers('Anshun', '安顺市', REGIONS)).toBe(true);
    expect(regionCovers('安顺市', 'anshun', REGIONS)).toBe(true);
    expect(regionCovers('遵义市、贵阳市', 'Guiyang', REGIONS)).toBe(true);
    expect(regionCovers('安顺市', '西秀区', REGIONS)).toBe(true);
    expect(regionCovers('遵义市', '安顺市', REGIONS)).toBe(false);
    expect(receiverRefusal(c({ region: 'Anshun' }), '安顺市', 99, REGIONS)).toBeNull();
    expect(zh(receiverRefusal(c({ region: '遵义市' }), '安顺市', 99, REGIONS))).toBe('P1 服务地区为 遵义市，不覆盖客户所在地区 安顺市');
  });
  it('refuses inactive, full, wrong-region partners and the exiting partner itself', () => {
    expect(en(receiverRefusal(c({ status: 'exiting' }), 'Guiyang', 99))).toMatch(/P1 is exiting; only an active partner/);
    expect(zh(receiverRefusal(c({ status: 'exiting' }), 'Guiyang', 99))).toMatch(/P1 当前为退出中/);
    expect(en(receiverRefusal(c({ currentCustomers: 10 }), 'Guiyang', 99))).toMatch(/quota \(10\/10/);
    expect(en(receiverRefusal(c({}), 'Zunyi', 99))).toMatch(/not the customer's region Zunyi/);
    expect(en(receiverRefusal(c({ partnerId: 99 }), 'Guiyang', 99))).toMatch(/its own customers/);
    expect(receiverRefusal(c({}), 'Guiyang', 99)).toBeNull();
  });
  it('ranks eligible first, then tier, then last score, then spare capacity', () => {
    const ranked = rankCandidates([
      c({ partnerId: 2, code: 'C-tier', tier: 'C', lastScore: '99' }),
      c({ partnerId: 3, code: 'A-low', tier: 'A', lastScore: '80' }),
      c({ partnerId: 4, code: 'A-high', tier: 'A', lastScore: '95' }),
      c({ partnerId: 5, code: 'full', tier: 'A', lastScore: '100', currentCustomers: 10 }),
      c({ partnerId: 6, code: 'A-high-roomy', tier: 'A', lastScore: '95', currentCustomers: 0 }),
      c({ partnerId: 99, code: 'self' }),
    ], 'Guiyang', 99);
    expect(ranked.map((r) => r.code)).toEqual(['A-high-roomy', 'A-high', 'A-low', 'C-tier', 'full']);
    expect(ranked[4]).toMatchObject({ eligible: false });
  });
});
