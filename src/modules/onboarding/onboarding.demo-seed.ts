import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../../core/auth/actor';
import { UsersService } from '../../core/auth/users.service';
import { DEMO_PASSWORD } from '../../core/cli/demo-seed.runner';
import { cliLanguage, tDeep } from '../../core/i18n/i18n';
import { DemoSeed, DemoSeedContext } from '../../core/web/discovery';
import { creditCodeCheckChar } from '../partners/credit-code.util';
import { CooperationType, Tier } from '../partners/partner.entity';
import { PartnerStatus } from '../partners/partner-status.util';
import { PartnersService } from '../partners/partners.service';
import { OnboardingSettingsService } from './onboarding-settings.service';
import { ApplicationReview, OnboardingApplication } from './onboarding.entities';
import { scorecardTotal, suggestDecision } from './scorecard.util';

interface DemoPartner { code: string; name: string; region: string; type: CooperationType; tier: Tier | null; status: PartnerStatus; points: (number | null)[] | null }

/** Partners in every status, as onboarding would have produced them (application, scorecard, decision, activation). */
const PARTNERS: DemoPartner[] = [
  { code: 'GY-P-00001', name: '贵州黔通信息技术有限公司', region: '贵阳市', type: 'sales_and_service', tier: 'A', status: 'active', points: [10, 9, 9, 9] },
  { code: 'ZY-P-00002', name: '遵义联创信息技术有限公司', region: '遵义市', type: 'sales_and_service', tier: 'B', status: 'active', points: [8, 8, 7, 8] },
  { code: 'AS-P-00003', name: '安顺云帆网络科技有限公司', region: '安顺市', type: 'service', tier: 'B', status: 'active', points: [9, 6, 8, 7] },
  { code: 'BJ-P-00004', name: '毕节恒通电子工程有限公司', region: '毕节市', type: 'sales', tier: 'C', status: 'active', points: [6, 8, 7, 6] },
  { code: 'TR-P-00005', name: '铜仁梵净通讯器材有限公司', region: '铜仁市', type: 'sales', tier: 'B', status: 'suspended', points: [7, 8, 8, 7] },
  { code: 'QN-P-00006', name: '都匀创新通信工程有限公司', region: '都匀市', type: 'service', tier: null, status: 'applied', points: null },
  { code: 'QDN-P-00007', name: '凯里苗岭信息服务有限公司', region: '凯里市', type: 'sales_and_service', tier: null, status: 'under_review', points: [8, 7, null, null] },
  { code: 'LPS-P-00008', name: '六盘水凉都网络服务有限公司', region: '六盘水市', type: 'sales_and_service', tier: 'B', status: 'approved', points: [8, 8, 8, 7] },
  { code: 'QXN-P-00009', name: '兴义快捷通讯代理有限公司', region: '兴义市', type: 'sales', tier: null, status: 'rejected', points: [4, 6, 5, 3] },
];

/** Contacts of the demo partners (one per partner, in order). */
const CONTACTS = ['王磊', '李娜', '张伟', '刘洋', '陈静', '杨帆', '赵敏', '黄勇', '周丽'];
/** Regions each demo partner intends to serve (names of the region list). */
const INTENDED: Record<string, string> = {
  'GY-P-00001': '贵阳市、安顺市', 'ZY-P-00002': '遵义市', 'AS-P-00003': '安顺市、贵阳市', 'BJ-P-00004': '毕节市', 'TR-P-00005': '铜仁市',
  'QN-P-00006': '都匀市、福泉市', 'QDN-P-00007': '凯里市、黔东南州', 'LPS-P-00008': '六盘水市、盘州市', 'QXN-P-00009': '兴义市',
};

/** Steps from applied to each status, with back-dated effective dates so past quarters see the partners working. */
const STARTED = '开始引入评审';
const PATH: Record<string, { to: PartnerStatus; on: string; reason: string }[]> = {
  applied: [],
  under_review: [{ to: 'under_review', on: '2026-11-20', reason: STARTED }],
  approved: [{ to: 'under_review', on: '2026-11-02', reason: STARTED }, { to: 'approved', on: '2026-11-10', reason: '本地服务团队完整，评审得分高于通过分数线' }],
  rejected: [{ to: 'under_review', on: '2026-10-08', reason: STARTED }, { to: 'rejected', on: '2026-10-15', reason: '无售后服务人员，评审得分低于通过分数线' }],
  active: [{ to: 'under_review', on: '2024-11-05', reason: STARTED }, { to: 'approved', on: '2024-11-20', reason: '评审得分高于通过分数线' }, { to: 'active', on: '2024-12-01', reason: '合作协议已于 2024-12-01 签订' }],
  suspended: [{ to: 'under_review', on: '2024-11-05', reason: STARTED }, { to: 'approved', on: '2024-11-20', reason: '评审得分高于通过分数线' }, { to: 'active', on: '2024-12-01', reason: '合作协议已于 2024-12-01 签订' }, { to: 'suspended', on: '2026-10-20', reason: '多次服务记录逾期提交，暂停合作待整改' }],
};

@Injectable()
@DemoSeed(10)
export class OnboardingDemoSeeder {
  constructor(private readonly partners: PartnersService, private readonly settings: OnboardingSettingsService, private readonly users: UsersService) {}

  async seed(ctx: DemoSeedContext): Promise<void> {
    const m = ctx.manager;
    const partnerIds: Record<string, number> = {};
    const activePartnerIds: number[] = [];
    for (const [i, d] of PARTNERS.entries()) {
      const body = `91520${String(100 + i * 100).padStart(4, '0')}MA6D${String(i + 1).padStart(4, '0')}`;
      const p = await this.partners.createPartner(ctx.actor, {
        code: d.code, name: d.name, creditCode: body + creditCodeCheckChar(body), region: d.region, cooperationType: d.type,
        contactName: CONTACTS[i], contactPhone: `0851-8${String(6100000 + i * 137).slice(0, 7)}`,
        contactEmail: `contact@${d.code.toLowerCase()}.example.cn`, bankAccountName: d.name, bankName: '中国工商银行贵州省分行', bankAccountNo: `62220224020${String(10000000 + i * 7919)}`,
      }, { status: 'applied', reason: '渠道经理代为录入合作申请', effectiveOn: d.status === 'active' || d.status === 'suspended' ? '2024-10-28' : '2026-10-01' }, m);
      partnerIds[d.code] = p.id;
      const app = await m.getRepository(OnboardingApplication).save(m.getRepository(OnboardingApplication).create({
        partnerId: p.id, qualifications: '增值电信业务经营许可证；ISO 9001 质量管理体系认证；12 名持证服务工程师，覆盖本地市及下辖区县', documentNames: ['营业执照.pdf', '增值电信业务经营许可证.pdf', '服务团队名单.xlsx'],
        intendedRegions: INTENDED[d.code] ?? d.region, channel: 'manager', enteredBy: (ctx.bag['user:manager'] as number) ?? null,
      }));
      if (d.points) await this.review(ctx, m, app.id, p.id, d);
      await this.walk(ctx, p.id, d, m);
      if (d.status === 'active') activePartnerIds.push(p.id);
    }
    for (const [i, id] of activePartnerIds.entries()) {
      const code = Object.keys(partnerIds).find((c) => partnerIds[c] === id)!;
      const u = await this.users.create(ctx.actor, { username: `partner${i + 1}`, password: DEMO_PASSWORD, role: 'partner', partnerId: id, displayName: `${CONTACTS[PARTNERS.findIndex((x) => x.code === code)]}（${PARTNERS.find((x) => x.code === code)!.name.slice(0, 4)}）` }, m);
      ctx.bag[`partnerUser:${id}`] = u.id;
      ctx.logins.push({ username: u.username, password: DEMO_PASSWORD, role: 'partner', note: code });
    }
    ctx.bag.partnerIds = partnerIds;
    ctx.bag.activePartnerIds = activePartnerIds;
    ctx.bag.suspendedPartnerId = partnerIds['TR-P-00005'];
    ctx.log(tDeep(cliLanguage(), 'onboarding:cli.seeded', { partners: PARTNERS.length, active: activePartnerIds.length, logins: activePartnerIds.length }));
  }

  private async review(ctx: DemoSeedContext, m: EntityManager, applicationId: number, partnerId: number, d: DemoPartner): Promise<void> {
    const criteria = await this.settings.criteria({ activeOnly: true }, m);
    const { passMark } = await this.settings.settings(m);
    const lines = criteria.map((c, i) => ({ id: c.id, name: c.name, weight: c.weight, maxPoints: c.maxPoints, points: d.points![i] ?? null }));
    const complete = lines.every((l) => l.points !== null);
    const total = complete ? scorecardTotal(lines.map((l) => ({ ...l, points: l.points as number }))) : null;
    const decided = ['approved', 'rejected', 'active', 'suspended'].includes(d.status);
    const decisionOn = PATH[d.status].find((s) => s.to === 'approved' || s.to === 'rejected');
    await m.getRepository(ApplicationReview).insert({
      applicationId, partnerId, scores: lines, comments: d.status === 'rejected' ? '销售能力一般，无售后服务团队' : '服务团队完整，本地覆盖良好',
      total, passMark, suggestedDecision: total ? suggestDecision(total, passMark) : null, reviewerUserId: (ctx.bag['user:manager'] as number) ?? null,
      decision: decided ? (d.status === 'rejected' ? 'rejected' : 'approved') : null, reason: decided ? decisionOn?.reason ?? null : null,
      decidedAt: decided ? new Date(`${decisionOn?.on ?? '2026-01-01'}T10:00:00Z`) : null,
    });
  }

  private async walk(ctx: DemoSeedContext, partnerId: number, d: DemoPartner, m: EntityManager): Promise<void> {
    const actor: Actor = ctx.bag['user:manager'] ? { ...ctx.actor, id: ctx.bag['user:manager'] as number, username: 'manager' } : ctx.actor;
    for (const step of PATH[d.status]) {
      if (step.to === 'active') await this.partners.setContractSignedOn(actor, partnerId, step.on, m);
      await this.partners.transition(actor, partnerId, step.to, { reason: step.reason, effectiveOn: step.on }, m);
      if (step.to === 'approved' && d.tier) {
        await this.partners.setTier(actor, partnerId, d.tier, { source: 'approval', reason: step.reason }, m);
        await this.partners.issueCertification(actor, partnerId, m);
      }
    }
  }
}
