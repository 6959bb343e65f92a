import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Not } from 'typeorm';
import { AuditService } from '../../core/audit/audit.service';
import { Actor } from '../../core/auth/actor';
import { RegionScopeService } from '../../core/auth/region-scope.service';
import { CsvImportError, CsvRowError, parseCsv, toCsv } from '../../core/csv/csv.util';
import { RuleViolation } from '../../core/web/errors';
import { formatCoefficient } from './quality-coefficient.util';
import { parseIndicatorScore } from './score.util';
import { currentScoreY, sheetLines, updateSheetIfUnchanged } from './score-sheet.repository';
import { ScoreSheet, ScoreSheetLine } from './scoring.entities';
import { ScoringService } from './scoring.service';

export const IMPORT_COLUMNS = ['partner_code', 'indicator_code', 'score', 'comment'] as const;
export const EXPORT_COLUMNS = ['partner_code', 'score_y', 'coefficient_p', 'status'] as const;

/**
 * Spreadsheet path for managers: manual indicator scores in (all or nothing), every sheet of a period out — for a
 * channel manager with regions, the partners of those regions only (#17; another region's partner is an unknown code).
 */
@Injectable()
export class ScoringCsvService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly scoring: ScoringService, private readonly audit: AuditService,
    private readonly regionScope: RegionScopeService) {}

  /**
   * Imports `partner_code,indicator_code,score,comment` into the draft sheets of the period in ONE transaction.
   * Every bad row is collected (row 1 = header); if any, nothing is written.
   */
  async importManualScores(actor: Actor, period: string, content: string | Buffer): Promise<{ rows: number; sheets: number }> {
    const { rows } = parseCsv(content, IMPORT_COLUMNS);
    if (!rows.length) throw new CsvImportError([{ row: 2, column: '(file)', message: 'scoring:csv.noRows' }]);
    return this.db.transaction(async (m) => {
      await this.scoring.getPeriod(period, m).catch(() => { throw new RuleViolation('scoring:errors.periodNotOpenedImport', 'period', { period }); });
      // newest revision per partner, locked so nothing changes under the import
      const sheets = await m.getRepository(ScoreSheet).find({ where: { period, status: Not('confirmed' as const) }, lock: { mode: 'pessimistic_write' } });
      const codes: { id: number; code: string }[] = await m.query(`SELECT id, code FROM partner WHERE code = ANY($1::text[]) AND ($2::text[] IS NULL OR region = ANY($2::text[]))`,
        [rows.map((r) => r.values.partner_code), await this.regionScope.forActor(actor, m)]);
      const partnerByCode = new Map(codes.map((c) => [c.code, c.id]));
      const sheetByPartner = new Map(sheets.map((s) => [s.partnerId, s]));
      const linesBySheet = new Map<number, Awaited<ReturnType<typeof sheetLines>>>();
      const errors: CsvRowError[] = [];
      const seen = new Set<string>();
      const writes: { sheet: ScoreSheet; lineId: number; score: string; comment: string }[] = [];
      for (const { row, values } of rows) {
        if (values.__extra) errors.push({ row, column: '(row)', message: 'scoring:csv.extraCells' });
        const partnerId = partnerByCode.get(values.partner_code);
        if (!values.partner_code) { errors.push({ row, column: 'partner_code', message: 'scoring:csv.required' }); continue; }
        if (!partnerId) { errors.push({ row, column: 'partner_code', message: 'scoring:csv.noPartner', params: { code: values.partner_code } }); continue; }
        const sheet = sheetByPartner.get(partnerId);
        if (!sheet) { errors.push({ row, column: 'partner_code', message: 'scoring:csv.noSheet', params: { code: values.partner_code, period } }); continue; }
        if (sheet.status !== 'draft') { errors.push({ row, column: 'partner_code', message: 'scoring:csv.notDraft', params: { code: values.partner_code, status: `scoring:status.${sheet.status}` } }); continue; }
        if (!linesBySheet.has(sheet.id)) linesBySheet.set(sheet.id, await sheetLines(m, sheet.id));
        const line = linesBySheet.get(sheet.id)!.find((l) => l.code === values.indicator_code);
        if (!line) { errors.push({ row, column: 'indicator_code', message: 'scoring:csv.notIndicator', params: { code: values.indicator_code || '—' } }); continue; }
        if (line.method !== 'manual') { errors.push({ row, column: 'indicator_code', message: 'scoring:csv.computed', params: { code: line.code } }); continue; }
        const key = `${partnerId}:${line.code}`;
        if (seen.has(key)) { errors.push({ row, column: 'indicator_code', message: 'scoring:csv.twice', params: { code: line.code, partner: values.partner_code } }); continue; }
        seen.add(key);
        let score: string;
        try {
          score = parseIndicatorScore(values.score);
        } catch (e) {
          const v = e as RuleViolation;
          errors.push({ row, column: 'score', message: v.message, params: v.params });
          continue;
        }
        if (values.comment.length > 2000) { errors.push({ row, column: 'comment', message: 'scoring:csv.commentTooLong' }); continue; }
        writes.push({ sheet, lineId: line.lineId, score, comment: values.comment });
      }
      if (errors.length) throw new CsvImportError(errors.slice(0, 500), errors.length);
      for (const w of writes) await m.getRepository(ScoreSheetLine).update({ id: w.lineId }, { score: w.score, comment: w.comment });
      const touched = [...new Set(writes.map((w) => w.sheet))];
      for (const sheet of touched) {
        const y = await currentScoreY(m, sheet.id);
        await updateSheetIfUnchanged(m, sheet, { score_y: y });
      }
      await this.audit.record(actor, { action: 'scoring.import', entityType: 'scoring_period', entityId: period, after: { rows: writes.length, sheets: touched.length } }, m);
      return { rows: writes.length, sheets: touched.length };
    });
  }

  /** `partner_code,score_y,coefficient_p,status` for the newest revision of every sheet; P with 6 decimals. */
  async exportPeriod(actor: Actor, period: string): Promise<string> {
    await this.scoring.getPeriod(period);
    const rows = await this.scoring.periodSheets(period, undefined, await this.regionScope.forActor(actor));
    return toCsv(EXPORT_COLUMNS, rows.map((r) => [r.partnerCode, r.scoreY ?? '', r.scoreY ? formatCoefficient(r.scoreY) : '', r.status]));
  }
}
