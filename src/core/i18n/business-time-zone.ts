/**
 * The business time zone: "today", due dates and every timestamp shown follow the portal process's zone.
 * The operator works in Guizhou, so the default is Asia/Shanghai; TZ overrides it. Imported first by every
 * entry point (web, CLI, tests) so that Date's local-time methods already use it.
 */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
if (!process.env.TZ) process.env.TZ = DEFAULT_TIME_ZONE;
export const businessTimeZone = (): string => process.env.TZ || DEFAULT_TIME_ZONE;
