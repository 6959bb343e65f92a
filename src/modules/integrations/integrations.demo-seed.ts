import { Injectable } from '@nestjs/common';
import { DemoSeed, DemoSeedContext, DemoSeeder } from '../../core/web/discovery';
import { hashToken } from './token.util';

/**
 * Two demo service accounts (BOSS billing, finance ERP) with a token each and an ERP webhook subscription, so the
 * admin pages show something. The demo tokens are random and never printed: an admin issues a real one to try the API.
 */
@Injectable()
@DemoSeed(90)
export class IntegrationsDemoSeed implements DemoSeeder {
  async seed(ctx: DemoSeedContext): Promise<void> {
    const m = ctx.manager;
    const accounts: [string, string, string, string[]][] = [
      ['boss-billing', '计费中心 王工', '每日从计费系统推送酬金计提', ['accruals:write', 'customers:write']],
      ['finance-erp', '财务部 李会计', '读取已审批结算批次与付款明细，回传付款确认，接收批次事件推送', ['settlement:read', 'payouts:read', 'webhooks:manage']],
    ];
    for (const [name, owner, purpose, scopes] of accounts) {
      const [{ id }] = await m.query(`INSERT INTO service_account (name, owner, purpose) VALUES ($1, $2, $3) RETURNING id`, [name, owner, purpose]);
      const token = `ppt_demo_${name}_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
      await m.query(`INSERT INTO service_token (service_account_id, token_hash, prefix, scopes, expires_at, rate_per_minute) VALUES ($1, $2, $3, $4, now() + interval '365 days', 600)`,
        [id, hashToken(token), token.slice(0, 12), scopes]);
      if (name === 'finance-erp') {
        await m.query(`INSERT INTO webhook_subscription (service_account_id, url, events, secret) VALUES ($1, 'https://erp.example.invalid/portal-hooks', $2, $3)`,
          [id, ['batch.approved', 'batch.paid'], `whsec_demo_${Math.random().toString(36).slice(2)}`]);
      }
    }
  }
}
