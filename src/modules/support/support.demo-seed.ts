import { Injectable } from '@nestjs/common';
import { DemoSeed, DemoSeedContext, DemoSeeder } from '../../core/web/discovery';
import { DEFAULT_RESPONSE_HOURS } from './support.util';

/** Demo: support requests in every state (one overdue, one answered to rate, one rated), for the first active partners. */
@Injectable()
@DemoSeed(80)
export class SupportDemoSeed implements DemoSeeder {
  async seed(ctx: DemoSeedContext): Promise<void> {
    const m = ctx.manager;
    const active = ((ctx.bag.activePartnerIds as number[] | undefined) ?? []).slice(0, 3);
    if (!active.length) return ctx.log('support: no active partners in the demo; skipped');
    const managerId = (ctx.bag['user:manager'] as number | undefined) ?? null;
    const hoursOf = new Map<string, number>(((await m.query(`SELECT tier, support_response_hours AS h FROM tier_policy`)) as { tier: string; h: number }[]).map((r) => [r.tier.trim(), r.h]));
    const requests: { kind: string; subject: string; description: string; ageHours: number; answer?: string; rating?: number; comment?: string }[] = [
      { kind: 'technical', subject: '专线割接需要核心网配合', description: '客户计划周末割接互联网专线，需要省公司传输与核心网工程师远程配合。', ageHours: 30 },
      { kind: 'solution', subject: '智慧园区综合解决方案', description: '客户拟建设园区视频监控与物联网平台，请提供行业解决方案与报价参考。', ageHours: 2 },
      { kind: 'joint_visit', subject: '联合拜访客户高层', description: '客户信息中心主任希望与移动公司渠道经理共同交流明年预算。', ageHours: 50, answer: '已安排渠道经理下周二上午一同拜访。' },
      { kind: 'training', subject: '云专线产品培训', description: '新入职的三名工程师需要云专线开通与排障培训。', ageHours: 120, answer: '已报名 12 月第一期产品培训班。', rating: 5, comment: '安排及时，内容实用。' },
      { kind: 'marketing', subject: '5G 专网宣传资料', description: '请提供 5G 专网宣传折页（电子版）用于客户走访。', ageHours: 72, answer: '宣传折页已上传附件。', rating: 3, comment: '资料较旧，希望更新案例。' },
    ];
    let n = 0;
    for (const [i, r] of requests.entries()) {
      const partnerId = active[i % active.length];
      const [p] = await m.query(`SELECT tier FROM partner WHERE id = $1`, [partnerId]);
      const tier = (p?.tier as string | null)?.trim() || null;
      const hours = (tier && hoursOf.get(tier)) || DEFAULT_RESPONSE_HOURS;
      const created = new Date(Date.now() - r.ageHours * 3_600_000);
      const answeredAt = r.answer ? new Date(created.getTime() + Math.min(hours, 3) * 3_600_000) : null;
      const ratedAt = r.rating ? new Date(answeredAt!.getTime() + 3_600_000) : null;
      await m.query(
        `INSERT INTO support_request (partner_id, kind, subject, description, tier, response_hours, status, created_by, created_at, due_at,
                                      answer, answered_by, answered_at, rating, rating_comment, rated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
        [partnerId, r.kind, r.subject, r.description, tier, hours, r.rating ? 'closed' : r.answer ? 'answered' : 'open',
          (ctx.bag[`partnerUser:${partnerId}`] as number | undefined) ?? null, created, new Date(created.getTime() + hours * 3_600_000),
          r.answer ?? null, r.answer ? managerId : null, answeredAt, r.rating ?? null, r.comment ?? null, ratedAt]);
      n++;
    }
    ctx.log(`support: ${n} requests`);
  }
}
