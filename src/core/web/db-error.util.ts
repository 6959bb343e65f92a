import { FieldError } from './errors';

export interface DbErrorAnswer { statusCode: number; error: string; message: string; errors?: FieldError[] }

const INVALID_VALUE = new Set(['22P02', '22003', '22007', '22008', '22021', '22001']);
const CONCURRENT = new Set(['40001', '40P01', '55P03']);

/** `partner_id` → `partnerId`: the form's and the API's name for a column. */
const toField = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** The first column PostgreSQL names in an error's detail, e.g. `Key (reference)=(X) already exists.` → reference. */
function columnOf(e: { column?: string; detail?: string }): string | null {
  if (e.column) return e.column;
  const m = /^Key \(([a-z_][a-z0-9_]*)(?:, [^)]*)?\)=/.exec(e.detail ?? '');
  return m ? m[1] : null;
}

/**
 * A database refusal as the person's answer: a message key, and the field it concerns when PostgreSQL names the
 * column — never the database's own text (constraint names, type names, values), which goes to the log only.
 */
export function dbErrorAnswer(e: { code?: string; column?: string; detail?: string }): DbErrorAnswer | null {
  const code = e.code ?? '';
  const column = columnOf(e);
  const onField = (message: string) => (column ? { errors: [{ field: toField(column), message, params: { field: `fields:${toField(column)}` } }] } : {});
  if (code === '23505') return { statusCode: 409, error: 'CONFLICT', message: 'errors:db.duplicate', ...onField('errors:db.duplicateField') };
  if (CONCURRENT.has(code)) return { statusCode: 409, error: 'CONFLICT', message: 'errors:db.concurrent' };
  if (code === '23503') return { statusCode: 422, error: 'UNPROCESSABLE_ENTITY', message: 'errors:db.rule', ...onField('errors:db.unknownReference') };
  if (code === '23502') return { statusCode: 422, error: 'UNPROCESSABLE_ENTITY', message: 'errors:db.rule', ...onField('errors:db.requiredField') };
  if (code === '23514') return { statusCode: 422, error: 'UNPROCESSABLE_ENTITY', message: 'errors:db.rule' };
  if (INVALID_VALUE.has(code)) return { statusCode: 400, error: 'BAD_REQUEST', message: 'errors:db.invalidValue' };
  return null;
}
