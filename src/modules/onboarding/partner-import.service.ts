import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { CsvImportError, parseCsv } from '../../core/csv/csv.util';
import { DEFAULT_LANGUAGE, t } from '../../core/i18n/i18n';
import { todayIso } from '../../core/period/period.util';
import { RegionsService } from '../regions/regions.service';
import { PartnersService } from '../partners/partners.service';
import { ExistingPartners, PARTNER_IMPORT_COLUMNS, PARTNER_IMPORT_OPTIONAL, validatePartnerRows } from './partner-import.util';

export interface ImportResult { imported: number; active: number; suspended: number; firstCertificationId: string | null; lastCertificationId: string | null }

/**
 * Takes over an existing partner base from CSV: all or nothing, in one transaction. Each partner gets a
 * certification id, its status history row, its tier history row and an audit entry.
 */
@Injectable()
export class PartnerImportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource, private readonly partners: PartnersService, private readonly audit: AuditService, private readonly regions: RegionsService,
  ) {}

  async import(actor: Actor, file: string | Buffer, onProgress?: (done: number, total: number) => void): Promise<ImportResult> {
    const { rows } = parseCsv(file, PARTNER_IMPORT_COLUMNS, { optionalColumns: PARTNER_IMPORT_OPTIONAL });
    if (!rows.length) throw new CsvImportError([{ row: 2, column: '(file)', message: 'onboarding:csv.noRows' }]);
    const [existing, match, prefectures] = await Promise.all([this.existing(rows.map((r) => r.values)), this.regions.matcher(), this.regions.prefectureNames()]);
    const { partners, errors } = validatePartnerRows(rows, existing, { match, list: prefectures.join('、') });
    if (errors.length) throw new CsvImportError(errors.slice(0, 500), errors.length);
    const today = todayIso();
    const future = partners.find((p) => p.contractSignedOn && p.contractSignedOn > today);
    if (future) throw new CsvImportError([{ row: future.row, column: 'contract_signed_on', message: 'onboarding:csv.future' }]);

    return this.db.transaction(async (m) => {
      const certIds = await this.partners.reserveCertificationIds(partners.length, m);
      for (const [i, p] of partners.entries()) {
        await this.partners.createPartner(actor, { ...p, certificationId: certIds[i] }, {
          status: p.status, reason: t(DEFAULT_LANGUAGE, p.status === 'suspended' ? 'onboarding:reason.importedSuspended' : 'onboarding:reason.imported'),
          effectiveOn: p.contractSignedOn ?? today, tierSource: 'import',
        }, m);
        if (onProgress && ((i + 1) % 500 === 0 || i + 1 === partners.length)) onProgress(i + 1, partners.length);
      }
      await this.audit.record(actor, { action: 'partner.import', entityType: 'partner', entityId: 'import', after: { rows: partners.length, firstCode: partners[0].code, lastCode: partners[partners.length - 1].code } }, m);
      return {
        imported: partners.length, active: partners.filter((p) => p.status === 'active').length, suspended: partners.filter((p) => p.status === 'suspended').length,
        firstCertificationId: certIds[0] ?? null, lastCertificationId: certIds[certIds.length - 1] ?? null,
      };
    });
  }

  private async existing(values: Record<string, string>[]): Promise<ExistingPartners> {
    const codes = values.map((v) => (v.code ?? '').toUpperCase()).filter(Boolean);
    const credit = values.map((v) => (v.credit_code ?? '').trim().toUpperCase()).filter(Boolean);
    const names = values.map((v) => (v.name ?? '').toLowerCase()).filter(Boolean);
    const rows: { code: string; credit_code: string; lname: string }[] = await this.db.query(
      `SELECT code, credit_code, lower(name) AS lname FROM partner WHERE code = ANY($1::text[]) OR credit_code = ANY($2::text[]) OR lower(name) = ANY($3::text[])`,
      [codes, credit, names]);
    return { codes: new Set(rows.map((r) => r.code)), creditCodes: new Set(rows.map((r) => r.credit_code)), names: new Set(rows.map((r) => r.lname)) };
  }
}
