import { Actor } from '../auth/actor';

/** Shows only the last 4 digits of an account number (the full number is for finance and the partner itself). */
export function maskAccount(no: string): string {
  const digits = (no ?? '').replace(/\s/g, '');
  return digits.length <= 4 ? '****' : `${'*'.repeat(Math.min(12, digits.length - 4))}${digits.slice(-4)}`;
}

/** THE masking rule: the full bank account is read by finance, and by the users of the partner it belongs to. */
export function mayReadBankAccount(actor: Pick<Actor, 'role' | 'partnerId'> | null | undefined, ownerPartnerId: number | null | undefined): boolean {
  if (!actor) return false;
  if (actor.role === 'finance') return true;
  return actor.role === 'partner' && actor.partnerId != null && ownerPartnerId != null && Number(ownerPartnerId) === Number(actor.partnerId);
}

const ACCOUNT_KEYS = ['bankAccountNo', 'bank_account_no', 'bankAccount', 'bank_account'] as const;
const OWNER_KEYS = ['partnerId', 'partner_id'] as const;

/** The partner an object with a bank account belongs to: its partnerId, or its own id when it is a partner row. */
function ownerOf(obj: Record<string, unknown>): number | null {
  for (const k of OWNER_KEYS) if (obj[k] != null) return Number(obj[k]);
  const isPartnerRow = typeof obj.code === 'string' && obj.id != null && ('cooperationType' in obj || 'cooperation_type' in obj);
  return isPartnerRow ? Number(obj.id) : null;
}

/**
 * Masks every bank account number in an answer (JSON body or page model) the actor may not read in full. Walks
 * plain objects and arrays only, copies what it changes (entities held elsewhere stay untouched), depth-bounded.
 */
export function maskBankAccounts<T>(value: T, actor: Pick<Actor, 'role' | 'partnerId'> | null | undefined, depth = 0): T {
  if (depth > 12 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => { const m = maskBankAccounts(v, actor, depth + 1); if (m !== v) changed = true; return m; });
    return (changed ? out : value) as T;
  }
  const proto = Object.getPrototypeOf(value);
  if (value instanceof Date || Buffer.isBuffer(value) || (proto !== Object.prototype && proto !== null && !isEntityLike(value))) return value;
  const obj = value as Record<string, unknown>;
  let copy: Record<string, unknown> | null = null;
  const allowed = mayReadBankAccount(actor, ownerOf(obj));
  for (const [k, v] of Object.entries(obj)) {
    let next = v;
    if ((ACCOUNT_KEYS as readonly string[]).includes(k) && typeof v === 'string' && v !== '' && !allowed) next = maskAccount(v);
    else if (v !== null && typeof v === 'object') next = maskBankAccounts(v, actor, depth + 1);
    if (next !== v) (copy ??= { ...obj })[k] = next;
  }
  return (copy ?? value) as T;
}

/** TypeORM entities are class instances with plain data: walked like plain objects (but never streams, sockets …). */
function isEntityLike(value: object): boolean {
  return typeof (value as { pipe?: unknown }).pipe !== 'function' && typeof (value as { then?: unknown }).then !== 'function'
    && !(value instanceof Map) && !(value instanceof Set);
}
