/**
 * A business rule said no. Pure functions throw this; the HTTP layer answers 422 with the message (and field).
 * `message` is a catalogue key (`module:errors.something`) with `params` for its placeholders; it is translated
 * into the reader's language where it is shown (page, JSON, CLI).
 */
export class RuleViolation extends Error {
  constructor(message: string, public readonly field?: string, public readonly params?: Record<string, unknown>) {
    super(message);
  }
}

/** One refused field. `message` is a catalogue key or text; `params` fill the key's placeholders. */
export interface FieldError { field: string; message: string; params?: Record<string, unknown> }

/** The one JSON error shape of the API (messages already translated into the caller's language). */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  errors?: FieldError[];
  rows?: { row: number; column: string; message: string }[];
  /** untranslated message key and params, for the translation step */
  params?: Record<string, unknown>;
  /** for server and database errors: the request's id in the log, to quote to an administrator */
  requestId?: string;
}
