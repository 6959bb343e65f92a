import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface CustomerFilters { region?: string; customerClass?: string; stage?: string; partnerId?: number; q?: string }

export interface CustomerListRow {
  id: number; code: string; name: string; industry: string; region: string; customerClass: string; stage: string;
  partnerId: number | null; partnerCode: string | null; partnerName: string | null; managerName: string | null; validFrom: string | null;
}

/** Read-only lists for the manager pages (filters, paging, holder names). */
@Injectable()
export class CustomerDirectoryService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(f: CustomerFilters, page = 1, pageSize = 50): Promise<{ rows: CustomerListRow[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => { params.push(v); where.push(sql.replace('?', `$${params.length}`)); };
    if (f.region) add('c.region = ?', f.region);
    if (f.customerClass) add('c.customer_class = ?', f.customerClass);
    if (f.stage) add('c.stage = ?', f.stage);
    if (f.partnerId) add('a.partner_id = ?', f.partnerId);
    if (f.q) { params.push(`%${f.q}%`); where.push(`(c.code ILIKE $${params.length} OR c.name ILIKE $${params.length})`); }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const from = `FROM customer c
      LEFT JOIN customer_assignment a ON a.customer_id = c.id AND a.valid_to IS NULL
      LEFT JOIN partner p ON p.id = a.partner_id
      LEFT JOIN user_account u ON u.id = a.manager_user_id`;
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n ${from} ${w}`, params);
    const rows = await this.db.query(
      `SELECT c.id, c.code, c.name, c.industry, c.region, c.customer_class AS "customerClass", c.stage,
              a.partner_id AS "partnerId", p.code AS "partnerCode", p.name AS "partnerName",
              COALESCE(NULLIF(u.display_name, ''), u.username) AS "managerName", a.valid_from::text AS "validFrom"
         ${from} ${w} ORDER BY c.code LIMIT ${pageSize} OFFSET ${(Math.max(1, page) - 1) * pageSize}`, params);
    return { rows, total: n };
  }

  async regions(): Promise<string[]> {
    return (await this.db.query(`SELECT DISTINCT region FROM customer WHERE region <> '' ORDER BY region`)).map((r: { region: string }) => r.region);
  }

  async holderOptions(): Promise<{ partners: { id: number; code: string; name: string }[]; managers: { id: number; name: string }[] }> {
    const partners = await this.db.query(`SELECT id, code, name FROM partner WHERE status = 'active' ORDER BY code`);
    const managers = await this.db.query(`SELECT id, COALESCE(NULLIF(display_name, ''), username) AS name FROM user_account WHERE role = 'channel_manager' AND active ORDER BY username`);
    return { partners, managers };
  }

  /** Assignment history with holder names, oldest first. */
  async assignmentsWithNames(customerId: number): Promise<{ partnerCode: string | null; partnerName: string | null; managerName: string | null; validFrom: string; validTo: string | null; reason: string }[]> {
    return this.db.query(
      `SELECT p.code AS "partnerCode", p.name AS "partnerName", COALESCE(NULLIF(u.display_name, ''), u.username) AS "managerName",
              a.valid_from::text AS "validFrom", a.valid_to::text AS "validTo", a.reason
         FROM customer_assignment a LEFT JOIN partner p ON p.id = a.partner_id LEFT JOIN user_account u ON u.id = a.manager_user_id
        WHERE a.customer_id = $1 ORDER BY a.valid_from, a.id`, [customerId]);
  }
}
