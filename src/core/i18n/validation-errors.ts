import { ValidationError } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { FieldError } from '../web/errors';
import { isMessageKey } from './i18n';

/**
 * class-validator's refusals as field errors with catalogue keys: a decorator's own message when it is a key
 * (`{ message: 'onboarding:validation.name' }`), else the generic `validation:<constraint>` message with the
 * constraint's arguments (min, max, …) and the field's label (`fields:<name>`).
 */
export function validationFieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([constraint, text]): FieldError => {
      if (isMessageKey(text)) return { field, message: text, params: { field: fieldLabelKey(e.property) } };
      const args = constraintArgs(e, constraint, text);
      return { field, message: `validation:${constraint}`, params: { field: fieldLabelKey(e.property), ...args } };
    });
    return own.concat(validationFieldErrors(e.children ?? [], field));
  });
}

/** The label of a field in the `fields` catalogue; numeric path segments (array items) have no label of their own. */
export function fieldLabelKey(property: string): string {
  return /^\d+$/.test(property) ? `fields:item` : `fields:${property.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

function constraintArgs(e: ValidationError, constraint: string, text: string): Record<string, unknown> {
  const target = e.target?.constructor;
  // without the validated object (or its metadata) the numbers of class-validator's own message are the arguments
  const fromText = () => {
    const nums = text.replace(e.property, '').match(/-?\d+(\.\d+)?/g) ?? [];
    return { ...(nums[0] !== undefined ? { a: nums[0] } : {}), ...(nums[1] !== undefined ? { b: nums[1] } : {}) };
  };
  if (!target || target === Object) return fromText();
  const metas = getMetadataStorage().getTargetValidationMetadatas(target, '', true, false)
    .filter((m) => m.propertyName === e.property && (m.name === constraint || m.type === constraint));
  if (!metas.length) return fromText();
  const c = metas[0]?.constraints ?? [];
  const out: Record<string, unknown> = {};
  if (c[0] !== undefined) out.a = Array.isArray(c[0]) ? c[0].filter((v) => v !== '').join(', ') : c[0] instanceof RegExp ? '' : c[0];
  if (c[1] !== undefined && !(typeof c[1] === 'object')) out.b = c[1];
  return out;
}
