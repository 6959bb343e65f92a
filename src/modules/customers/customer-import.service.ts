import { RegionScopeService } from '../../core/auth/region-scope.service';
import { inRegionScope } from '../../core/auth/region-scope.util';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { CsvImportError, CsvRowError, parseCsv } from '../../core/csv/csv.util';
import { todayIso } from '../../core/period/period.util';
import { PartnersService } from '../partners/partners.service';
import { RegionsService } from '../regions/regions.service';
import { assignmentRefusals } from './assignment-quota.util';
import { CUSTOMER_CSV_COLUMNS, validateCustomerRows } from './customer-import.util';
import { CustomersService } from './customers.service';

const CHUNK = 1000;

/** Customers + their first assignment from CSV, all or nothing in one transaction. */
@Injectable()
export class CustomerImportService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly partners: PartnersService, private readonly audit: AuditService,
    private readonly regions: RegionsService, private readonly customers: CustomersService, private readonly scope: RegionScopeService) {}

  async importCsv(actor: Actor, content: string | Buffer, progress?: (done: number, total: number) => void): Promise<{ customers: number; assignments: number }> {
    const { rows } = parseCsv(content, CUSTOMER_CSV_COLUMNS);
    if (!rows.length) throw new CsvImportError([{ row: 1, column: '(header)', message: 'common:csv.noRows' }]);
    const [region, prefectures] = await Promise.all([this.regions.matcher(), this.regions.prefectureNames()]);
    return this.db.transaction(async (m) => {
      const codes = rows.map((r) => r.values.code).filter(Boolean);
      const existing: { code: string }[] = await m.query(`SELECT code FROM customer WHERE code = ANY($1::text[])`, [codes]);
      const partners = await this.partners.findByCodes(rows.map((r) => r.values.partner_code ?? '').filter(Boolean), m);
      const today = todayIso();
      const { ok, errors } = validateCustomerRows(rows, {
        existingCodes: new Set(existing.map((e) => e.code)),
        partners: new Map([...partners].map(([code, p]) => [code, { id: p.id, status: p.status }])),
        today,
        region,
        regionList: prefectures.join('、'),
      });
      errors.push(...(await this.quotaRefusals(ok, m)));
      // a channel manager scoped to regions (#17) imports customers of their regions only
      const scope = await this.scope.forActor(actor, m);
      for (const r of ok) if (!inRegionScope(scope, r.region)) errors.push({ row: r.row, column: 'region', message: 'regions:scope.outside', params: { region: r.region, list: (scope ?? []).join('、') } });
      if (errors.length) throw new CsvImportError(errors.sort((a, b) => a.row - b.row).slice(0, 500), errors.length);
      const actorId = actor.id > 0 ? actor.id : null;
      let assignments = 0;
      for (let i = 0; i < ok.length; i += CHUNK) {
        const chunk = ok.slice(i, i + CHUNK);
        const ids: { id: number; code: string }[] = await m.query(
          `INSERT INTO customer (code, name, industry, region, customer_class, stage)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
           RETURNING id, code`,
          [chunk.map((r) => r.code), chunk.map((r) => r.name), chunk.map((r) => r.industry), chunk.map((r) => r.region), chunk.map((r) => r.customerClass), chunk.map((r) => r.stage)]);
        const idByCode = new Map(ids.map((r) => [r.code, r.id]));
        await m.query(
          `INSERT INTO customer_stage_history (customer_id, from_stage, to_stage, effective_on, actor_user_id, reason)
           SELECT id, NULL, stage, COALESCE(d, $4::date), $3, 'customers:reason.imported'
             FROM unnest($1::int[], $2::date[]) AS x(id, d) JOIN customer c USING (id)`,
          [chunk.map((r) => idByCode.get(r.code)), chunk.map((r) => r.assignedFrom), actorId, today]);
        const assigned = chunk.filter((r) => r.partnerId);
        if (assigned.length) {
          await m.query(
            `INSERT INTO customer_assignment (customer_id, partner_id, valid_from, reason, actor_user_id)
             SELECT * , 'customers:reason.imported', $4::int FROM unnest($1::int[], $2::int[], $3::date[])`,
            [assigned.map((r) => idByCode.get(r.code)), assigned.map((r) => r.partnerId), assigned.map((r) => r.assignedFrom), actorId]);
          assignments += assigned.length;
        }
        progress?.(Math.min(i + CHUNK, ok.length), ok.length);
      }
      await this.audit.record(actor, { action: 'customer.import', entityType: 'customer_import', entityId: new Date().toISOString(), after: { customers: ok.length, assignments } }, m);
      return { customers: ok.length, assignments };
    });
  }

  /** Tier quota and regions (seed 003 资源合理倾斜) for every assigned row, counting the file's own rows as they come. */
  private async quotaRefusals(ok: { row: number; partnerId: number | null; region: string }[], m: EntityManager): Promise<CsvRowError[]> {
    const assigned = ok.filter((r) => r.partnerId);
    if (!assigned.length) return [];
    const { partners, regions } = await this.customers.assignmentContext(assigned.map((r) => r.partnerId!), m);
    const added = new Map<number, number>();
    const errors: CsvRowError[] = [];
    for (const r of assigned) {
      const facts = partners.get(r.partnerId!);
      if (!facts) continue;
      const current = facts.current + (added.get(r.partnerId!) ?? 0);
      for (const refusal of assignmentRefusals({ ...facts, current, adding: 1, customerRegion: r.region, regions })) {
        errors.push({ row: r.row, column: 'partner_code', message: refusal.message, params: refusal.params });
      }
      added.set(r.partnerId!, (added.get(r.partnerId!) ?? 0) + 1);
    }
    return errors;
  }
}
