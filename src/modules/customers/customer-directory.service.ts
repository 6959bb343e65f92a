import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ListQuery, ListSpec, plainQuery } from '../../core/web/list-query';
import { isCustomerClass, isStage } from './customer-rules.util';

export interface CustomerFilters {
  region?: string; customerClass?: string; stage?: string; partnerId?: number; q?: string;
  /** a scoped channel manager's regions (#17, RegionScopeService); null/absent = everything */
  scope?: string[] | null;
}

export interface CustomerListRow {
  id: number; code: string; name: string; industry: string; region: string; customerClass: string; stage: string;
  partnerId: number | null; partnerCode: string | null; partnerName: string | null; managerName: string | null; validFrom: string | null;
}

/** Sortable columns of the customer list (URL key → SQL expression). */
export const CUSTOMER_LIST: ListSpec = {
  sortable: {
    code: 'c.code', name: 'c.name', industry: 'c.industry', region: 'c.region', class: 'c.customer_class',
    stage: `array_position(ARRAY['acquisition','development','maturity','decline','churn']::varchar[], c.stage::varchar)`,
    holder: `COALESCE(p.code, NULLIF(u.display_name, ''), u.username)`, since: 'a.valid_from',
  },
  defaultSort: 'code', pageSize: 50, tieBreaker: 'c.id',
};

/** The filters of a list URL; anything unknown or malformed is dropped (never an error page). */
export function parseCustomerFilter(query: Record<string, unknown> | undefined): CustomerFilters {
  const q = plainQuery(query);
  const text = (v: string | undefined, max: number) => v?.trim().slice(0, max) || undefined;
  return {
    q: text(q.q, 100),
    region: text(q.region, 100),
    customerClass: isCustomerClass(q.customerClass) ? q.customerClass : undefined,
    stage: isStage(q.stage) ? q.stage : undefined,
    partnerId: /^\d{1,9}$/.test(q.partnerId ?? '') && Number(q.partnerId) > 0 ? Number(q.partnerId) : undefined,
  };
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, '\\$&');

/** Read-only lists for the manager pages (filters, sorting, paging, holder names). */
@Injectable()
export class CustomerDirectoryService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(f: CustomerFilters, list: Pick<ListQuery, 'sort' | 'dir' | 'offset' | 'size'>): Promise<{ rows: CustomerListRow[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => { params.push(v); where.push(sql.split('?').join(`$${params.length}`)); };
    // a prefecture also finds the customers of its counties
    if (f.region) add(`(c.region = ? OR c.region IN (SELECT r.name FROM region r JOIN region pr ON pr.id = r.parent_id WHERE pr.name = ?))`, f.region);
    if (f.scope) add('c.region = ANY(?::text[])', f.scope);
    if (f.customerClass) add('c.customer_class = ?', f.customerClass);
    if (f.stage) add('c.stage = ?', f.stage);
    if (f.partnerId) add('a.partner_id = ?', f.partnerId);
    if (f.q) add(`(c.code ILIKE ? OR c.name ILIKE ?)`, `%${likeEscape(f.q)}%`);
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const from = `FROM customer c
      LEFT JOIN customer_assignment a ON a.customer_id = c.id AND a.valid_to IS NULL
      LEFT JOIN partner p ON p.id = a.partner_id
      LEFT JOIN user_account u ON u.id = a.manager_user_id`;
    // the count needs the assignment only to filter by partner (one current assignment per customer; partner and user
    // are looked up by key): counting 200,000 customers through all four joins took 190 ms (bench:pages)
    const countFrom = f.partnerId ? 'FROM customer c JOIN customer_assignment a ON a.customer_id = c.id AND a.valid_to IS NULL' : 'FROM customer c';
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n ${countFrom} ${w}`, params);
    const sort = CUSTOMER_LIST.sortable[list.sort] ?? CUSTOMER_LIST.sortable[CUSTOMER_LIST.defaultSort];
    const dir = list.dir === 'desc' ? 'DESC' : 'ASC';
    const rows = await this.db.query(
      `SELECT c.id, c.code, c.name, c.industry, c.region, c.customer_class AS "customerClass", c.stage,
              a.partner_id AS "partnerId", p.code AS "partnerCode", p.name AS "partnerName",
              COALESCE(NULLIF(u.display_name, ''), u.username) AS "managerName", a.valid_from::text AS "validFrom"
         ${from} ${w} ORDER BY ${sort} ${dir} NULLS LAST, c.id ${dir}
        LIMIT ${Math.max(1, Math.floor(list.size))} OFFSET ${Math.max(0, Math.floor(list.offset))}`, params);
    return { rows, total: n };
  }

  async regions(): Promise<string[]> {
    return (await this.db.query(`SELECT DISTINCT region FROM customer WHERE region <> '' ORDER BY region`)).map((r: { region: string }) => r.region);
  }

  /** A partner named in a list filter: by code (typed) or id (a link). */
  async partnerByCode(code: string): Promise<{ id: number; code: string; name: string } | null> {
    return (await this.db.query(`SELECT id, code, name FROM partner WHERE code = $1`, [code]))[0] ?? null;
  }

  async partnerById(id: number): Promise<{ id: number; code: string; name: string } | null> {
    return (await this.db.query(`SELECT id, code, name FROM partner WHERE id = $1`, [id]))[0] ?? null;
  }

  /** Who can hold a customer: active partners (of `scope`, a channel manager's regions, when given) and the channel managers. */
  async holderOptions(scope: string[] | null = null): Promise<{ partners: { id: number; code: string; name: string }[]; managers: { id: number; name: string }[] }> {
    const partners = await this.db.query(
      `SELECT id, code, name FROM partner WHERE status = 'active' AND ($1::text[] IS NULL OR region = ANY($1::text[])) ORDER BY code`, [scope]);
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
