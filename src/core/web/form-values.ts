/**
 * class-transformer @Transform helpers for values arriving from HTML forms (everything is a string there) and JSON.
 * They only convert; the class-validator decorators after them decide what is valid.
 */
type Input = { value: unknown };

/** '' / null / undefined mean "not given"; anything else becomes a Number (NaN fails @IsInt with the field's message). */
export const toOptionalInt = ({ value }: Input) => (value === '' || value === null || value === undefined ? undefined : Number(value));

/** Like toOptionalInt, but a blank stays blank so a required field reports its own "must be a whole number" message. */
export const toIntKeepBlank = ({ value }: Input) => (value === '' || value === undefined || value === null ? value : Number(value));

/** A checkbox or JSON boolean: true, 'true', 'on' and '1' are true; everything else is false. */
export const toBoolean = ({ value }: Input) => value === true || value === 'true' || value === 'on' || value === '1';

/** Like toBoolean, but a blank value means "leave unchanged" (undefined) rather than false. */
export const toBooleanBlankUnset = ({ value }: Input) => (value === undefined || value === '' ? undefined : toBoolean({ value }));
