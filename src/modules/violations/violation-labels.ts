import { t } from '../../core/i18n/i18n';

/** The names the seeded catalogue (migration Violations) stored for its kinds. */
export const SEEDED_KIND_NAMES: Record<string, string> = {
  false_business: 'False business handling 虚假业务办理',
  info_leak: 'Customer information leak 客户信息泄露',
  overcharging: 'Overcharging 违规收费',
  missing_service: 'Missing required service 未履行服务职责',
  complaint_escalated: 'Complaint escalated 投诉升级',
};

/**
 * A kind's name for a page: the catalogue key `violations:kind.<code>` while the kind still carries its seeded name
 * (or the catalogue's Chinese/English text), else the name an admin gave it. Shown with `{{t nameRef}}`.
 */
export function kindNameRef(code: string, name: string): string {
  const seeded = SEEDED_KIND_NAMES[code];
  if (!seeded) return name;
  const key = `violations:kind.${code}`;
  const n = (name ?? '').trim();
  return n === seeded || n === t('zh-CN', key) || n === t('en', key) ? key : name;
}
