/** A business rule said no. Pure functions throw this; the HTTP layer answers 422 with the message (and field). */
export class RuleViolation extends Error {
  constructor(message: string, public readonly field?: string) {
    super(message);
  }
}

export interface FieldError { field: string; message: string }

/** The one JSON error shape of the API. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  errors?: FieldError[];
  rows?: { row: number; column: string; message: string }[];
}
