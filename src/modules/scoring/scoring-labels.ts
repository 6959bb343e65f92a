import { t } from '../../core/i18n/i18n';

/** The names the seeded scheme (migration Scoring, version 1) stored for its indicators. */
export const SEEDED_INDICATOR_NAMES: Record<string, string> = {
  DUTY_COMPLETION: 'Duty completion rate (quarterly checklist)',
  COMPLAINT_TIMELINESS: 'Complaints handled on time',
  RECORD_TIMELINESS: 'Service records entered on time',
  PROFESSIONAL_QUALITY: 'Professional quality (business knowledge, handling standards)',
  SERVICE_ATTITUDE: 'Service attitude (customer feedback, courtesy)',
  COMPLIANCE: 'Compliance (deductions per violation)',
};

/**
 * An indicator's name for a page: the catalogue key `scoring:indicator.<CODE>` while the indicator still carries the
 * seeded name (or its Chinese/English catalogue text, as saved from the scheme form), else the name an admin gave it.
 * Views show it with `{{t nameRef}}` (text that is not a key passes through unchanged).
 */
export function indicatorNameRef(code: string, name: string): string {
  const seeded = SEEDED_INDICATOR_NAMES[code];
  if (!seeded) return name;
  const key = `scoring:indicator.${code}`;
  const n = (name ?? '').trim();
  return n === seeded || n === t('zh-CN', key) || n === t('en', key) ? key : name;
}
