import { ConflictException, NotFoundException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { computeScoreY, IndicatorMethod } from './score.util';
import { ScoreSheet } from './scoring.entities';

/** A sheet line with its indicator, as pages, the API and the Y computation need it. */
export interface SheetLineView {
  lineId: number;
  indicatorId: number;
  code: string;
  name: string;
  family: string;
  weight: string;
  method: IndicatorMethod;
  deductionKinds: string[];
  score: string | null;
  inputs: Record<string, unknown> | null;
  comment: string;
}

/** Loads and row-locks a sheet for a change (SELECT … FOR UPDATE), 404 when missing. */
export async function lockSheet(m: EntityManager, id: number): Promise<ScoreSheet> {
  const sheet = await m.getRepository(ScoreSheet).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  if (!sheet) throw new NotFoundException('scoring:errors.sheetNotFound');
  return sheet;
}

export async function sheetLines(m: EntityManager, sheetId: number): Promise<SheetLineView[]> {
  const rows: Record<string, unknown>[] = await m.query(
    `SELECT l.id AS line_id, i.id AS indicator_id, i.code, i.name, i.family, i.weight::text AS weight, i.method,
            i.deduction_kinds, l.score::text AS score, l.inputs, l.comment
       FROM score_sheet_line l JOIN scoring_indicator i ON i.id = l.indicator_id
      WHERE l.sheet_id = $1 ORDER BY i.position, i.id`, [sheetId]);
  return rows.map((r) => ({
    lineId: r.line_id as number, indicatorId: r.indicator_id as number, code: r.code as string, name: r.name as string,
    family: r.family as string, weight: r.weight as string, method: r.method as IndicatorMethod,
    deductionKinds: (r.deduction_kinds as string[]) ?? [], score: (r.score as string | null) ?? null,
    inputs: (r.inputs as Record<string, unknown> | null) ?? null, comment: (r.comment as string) ?? '',
  }));
}

/** Y of the sheet from its lines (null while a score is missing). */
export async function currentScoreY(m: EntityManager, sheetId: number): Promise<string | null> {
  const lines = await sheetLines(m, sheetId);
  return computeScoreY(lines.map((l) => ({ weight: l.weight, score: l.score })))?.toFixed(2) ?? null;
}

/**
 * Applies a change to a sheet only if nobody changed it since it was read (optimistic lock on `version`).
 * Two managers confirming at once: the second UPDATE finds the version moved on and gets 409.
 */
export async function updateSheetIfUnchanged(m: EntityManager, sheet: Pick<ScoreSheet, 'id' | 'version'>, patch: Record<string, unknown>): Promise<number> {
  const cols = Object.keys(patch);
  const sets = cols.map((c, i) => `${c} = $${i + 3}`).join(', ');
  const rows: { version: number }[] = await m.query(
    `UPDATE score_sheet SET ${sets}${sets ? ', ' : ''}version = version + 1 WHERE id = $1 AND version = $2 RETURNING version`,
    [sheet.id, sheet.version, ...cols.map((c) => patch[c])]);
  const updated = Array.isArray(rows[0]) ? (rows[0] as unknown as { version: number }[]) : rows;
  if (!updated.length) {
    throw new ConflictException('scoring:errors.concurrent');
  }
  return updated[0].version;
}
