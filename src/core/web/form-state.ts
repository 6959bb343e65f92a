import { NextFunction, Request, Response } from 'express';
import { FieldError } from './errors';

/**
 * A refused form comes back with what the person typed and each message beside its field. The error filter keeps
 * the submitted values and the (translated) field messages in the session for the next GET of the form's page;
 * the view helpers `val`, `fieldError` and `invalid` read them there.
 */
export interface RefusedForm { path: string; values: Record<string, unknown>; errors: { field: string; message: string }[] }
export interface FormState extends RefusedForm { shown: Set<string> }

declare module 'express-session' {
  interface SessionData {
    refusedForm?: RefusedForm;
  }
}

const SECRET = /password|secret|token|_csrf/i;
const MAX_TEXT = 20_000;

function keep(value: unknown, depth = 0): unknown {
  if (depth > 4) return undefined;
  if (typeof value === 'string') return value.length > MAX_TEXT ? value.slice(0, MAX_TEXT) : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.slice(0, 200).map((v) => keep(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !SECRET.test(k) && k !== '__proto__').slice(0, 200).map(([k, v]) => [k, keep(v, depth + 1)]));
  }
  return undefined;
}

/** Passwords and tokens are never kept; everything else that was typed is. */
export function rememberRefusedForm(req: Request, path: string, errors: FieldError[]): void {
  if (!req.session) return;
  const values = (keep(req.body ?? {}) ?? {}) as Record<string, unknown>;
  req.session.refusedForm = { path, values, errors: errors.map((e) => ({ field: e.field, message: e.message })) };
}

export function formStateMiddleware(req: Request, res: Response, next: NextFunction): void {
  let state: FormState | null | undefined;
  Object.defineProperty(res.locals, 'form', {
    enumerable: true,
    configurable: true,
    // consumed only by the page it belongs to, when that page renders
    get() {
      if (state !== undefined) return state;
      const saved = req.session?.refusedForm;
      if (saved && req.method === 'GET' && saved.path === req.path) {
        delete req.session!.refusedForm;
        state = { ...saved, shown: new Set<string>() };
      } else state = null;
      return state;
    },
  });
  next();
}

/** A value by dotted path (`scores.PQ.score`) or by its form name (`scores[PQ][score]`). */
export function valueAt(values: Record<string, unknown>, name: string): unknown {
  if (name in values) return values[name];
  const path = name.replace(/\[([^\]]*)\]/g, '.$1').split('.').filter(Boolean);
  let v: unknown = values;
  for (const p of path) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return v;
}

/** The messages of a field: errors named exactly so, or named by the form name's dotted path. */
export function errorsFor(state: FormState, name: string): string[] {
  const dotted = name.replace(/\[([^\]]*)\]/g, '.$1');
  return state.errors.filter((e) => e.field === name || e.field === dotted).map((e) => e.message);
}
