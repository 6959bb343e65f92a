import { parseAmount } from '../../core/money/money.util';
import { FieldError } from '../../core/web/errors';
import { isRecordType, RECORD_TYPES } from './duty-rules.util';

export interface RawRecordInput {
  recordType: string;
  occurredAt: string;
  receivedAt?: string | null;
  description: string;
  outcome?: string | null;
  amount?: string | null;
  attachmentNames?: string[] | string | null;
}

export interface CleanRecordInput {
  recordType: string;
  occurredAt: Date;
  receivedAt: Date | null;
  description: string;
  outcome: string;
  amount: string | null;
  attachmentNames: string[];
}

/** Allowed clock difference between the partner's device and the server before a time counts as "future". */
const CLOCK_SKEW_MS = 5 * 60_000;

function parseInstant(text: string | null | undefined): Date | null {
  const t = (text ?? '').trim();
  // accepts 2026-08-01T09:30, 2026-08-01 09:30, with optional seconds and zone; a bare date means 09:00 local
  if (!/^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(t)) return null;
  const d = new Date(t.length === 10 ? `${t}T09:00` : t.replace(' ', 'T'));
  return Number.isNaN(d.getTime()) ? null : d;
}

export function splitAttachmentNames(v: string[] | string | null | undefined): string[] {
  const list = Array.isArray(v) ? v : (v ?? '').split(/[;,\n]/);
  return list.map((s) => s.trim()).filter(Boolean);
}

/** The record types as catalogue keys (a message lists them in the reader's language). */
export const recordTypeKeys = (): string[] => RECORD_TYPES.map((r) => `duties:recordType.${r}`);

/**
 * Field checks of a service record that need no database: type, times (no future), complaint receipt, amount,
 * attachments. Messages are catalogue keys (`duties:record.*`) with their params.
 */
export function checkRecordInput(raw: RawRecordInput, now: Date): { value?: CleanRecordInput; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const err = (field: string, message: string, params?: Record<string, unknown>) => errors.push({ field, message, ...(params ? { params } : {}) });
  if (!isRecordType(raw.recordType)) err('recordType', 'duties:record.recordType', { list: recordTypeKeys() });
  const occurredAt = parseInstant(raw.occurredAt);
  if (!occurredAt) err('occurredAt', 'duties:record.instant');
  else if (occurredAt.getTime() > now.getTime() + CLOCK_SKEW_MS) err('occurredAt', 'duties:record.future');
  let receivedAt: Date | null = null;
  if (raw.recordType === 'complaint_handled') {
    receivedAt = parseInstant(raw.receivedAt);
    if (!receivedAt) err('receivedAt', 'duties:record.receivedRequired');
    else if (occurredAt && receivedAt > occurredAt) err('receivedAt', 'duties:record.receivedAfter');
  } else if ((raw.receivedAt ?? '').trim()) {
    err('receivedAt', 'duties:record.receivedOnlyComplaints');
  }
  const description = (raw.description ?? '').trim();
  if (!description) err('description', 'duties:record.descriptionRequired');
  else if (description.length > 2000) err('description', 'duties:record.tooLong', { max: 2000 });
  const outcome = (raw.outcome ?? '').trim();
  if (outcome.length > 1000) err('outcome', 'duties:record.tooLong', { max: 1000 });
  let amount: string | null = null;
  const amountText = (raw.amount ?? '').trim();
  if (amountText) {
    try { amount = parseAmount(amountText).toFixed(2); } catch (e) {
      err('amount', (e as Error).message, (e as { params?: Record<string, unknown> }).params);
    }
  } else if (raw.recordType === 'arrears_collected') {
    err('amount', 'duties:record.amountRequired');
  }
  const attachmentNames = splitAttachmentNames(raw.attachmentNames);
  if (attachmentNames.length > 10) err('attachmentNames', 'duties:record.tooManyAttachments', { max: 10 });
  if (attachmentNames.some((n) => n.length > 200 || /[\\/]/.test(n))) err('attachmentNames', 'duties:record.attachmentNames');
  if (errors.length) return { errors };
  return { value: { recordType: raw.recordType, occurredAt: occurredAt!, receivedAt, description, outcome, amount, attachmentNames }, errors };
}
