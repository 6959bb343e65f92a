import { RuleViolation } from '../../core/web/errors';
import { CustomerClass, CustomerStage, isCustomerClass, isStage } from './customer-rules.util';

/** Fields a channel manager edits on a customer (#17); the code is its key for imports and CRM, the class changes with a reason. */
export const CUSTOMER_EDITABLE_FIELDS = ['name', 'industry', 'region'] as const;
export type CustomerEditableField = (typeof CUSTOMER_EDITABLE_FIELDS)[number];

export interface NewCustomerInput { code?: string; name?: string; industry?: string; region?: string; customerClass?: string; stage?: string }
export interface CheckedCustomer { code: string; name: string; industry: string; region: string; customerClass: CustomerClass; stage: CustomerStage }

const trim = (v: string | undefined | null) => (v ?? '').trim();

/** The name/industry/region rule shared by create and edit (the same limits as the CSV import). */
export function checkCustomerFields(input: { name?: string; industry?: string; region?: string }): { name: string; industry: string; region: string } {
  const name = trim(input.name);
  const industry = trim(input.industry);
  const region = trim(input.region);
  if (!name) throw new RuleViolation('customers:edit.errors.name', 'name');
  if (name.length > 200) throw new RuleViolation('customers:csv.tooLong', 'name', { max: 200 });
  if (!industry) throw new RuleViolation('customers:edit.errors.industry', 'industry');
  if (industry.length > 100) throw new RuleViolation('customers:csv.tooLong', 'industry', { max: 100 });
  if (!region) throw new RuleViolation('customers:edit.errors.region', 'region');
  return { name, industry, region };
}

/** A new customer as typed in the page form or sent to the API: refusals name their field. */
export function checkNewCustomer(input: NewCustomerInput): CheckedCustomer {
  const code = trim(input.code);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(code)) throw new RuleViolation('customers:csv.codeFormat', 'code');
  const fields = checkCustomerFields(input);
  const customerClass = trim(input.customerClass).toUpperCase();
  if (!isCustomerClass(customerClass)) throw new RuleViolation('customers:csv.class', 'customerClass');
  const stage = trim(input.stage) || 'acquisition';
  if (!isStage(stage)) throw new RuleViolation('customers:edit.errors.stage', 'stage');
  return { code, ...fields, customerClass, stage };
}

/** A class change needs another class and a reason. */
export function checkClassChange(from: CustomerClass, to: string, reason: string | undefined | null): CustomerClass {
  const cls = trim(to).toUpperCase();
  if (!isCustomerClass(cls)) throw new RuleViolation('customers:csv.class', 'customerClass');
  if (cls === from) throw new RuleViolation('customers:edit.errors.sameClass', 'customerClass', { class: from });
  if (!trim(reason)) throw new RuleViolation('customers:edit.errors.classReason', 'classReason');
  if (trim(reason).length > 500) throw new RuleViolation('customers:csv.tooLong', 'classReason', { max: 500 });
  return cls;
}
