import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

const toBool = ({ value }: { value: unknown }) =>
  value === undefined ? undefined : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase()) ? true
    : ['0', 'false', 'no', 'off', ''].includes(String(value).toLowerCase()) ? false : value;
const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;

/** Every setting the portal reads from the environment, with its rule. */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test']) @IsOptional()
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt) @IsInt() @Min(0) @Max(65535) @IsOptional()
  PORT: number = 3000;

  /** Real PostgreSQL. When absent the embedded PGlite database under PGLITE_DATA_DIR is used. */
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' }) @IsOptional()
  DATABASE_URL?: string;

  @IsString() @IsOptional()
  PGLITE_DATA_DIR: string = './data/pglite';

  @Transform(toInt) @IsInt() @Min(1) @Max(100) @IsOptional()
  DATABASE_POOL_SIZE: number = 10;

  /** Required in production; in development a random secret is generated per data directory. */
  @IsString() @MinLength(32, { message: 'SESSION_SECRET must be at least 32 characters' }) @IsOptional()
  SESSION_SECRET?: string;

  @Transform(toBool) @IsBoolean() @IsOptional()
  COOKIE_SECURE: boolean = false;

  @Transform(toBool) @IsBoolean() @IsOptional()
  TRUST_PROXY: boolean = false;

  @Transform(toInt) @IsInt() @Min(1) @Max(1440) @IsOptional()
  SESSION_TTL_MINUTES: number = 480;

  @Transform(toInt) @IsInt() @Min(1) @IsOptional()
  LOGIN_MAX_FAILURES: number = 10;

  @Transform(toInt) @IsInt() @Min(1) @IsOptional()
  LOGIN_WINDOW_MINUTES: number = 15;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) @IsOptional()
  LOG_LEVEL: string = 'info';

  /** First admin created on start when no admin exists (production bootstrap without the CLI). */
  @Matches(/^[a-z0-9._-]{3,64}$/, { message: 'ADMIN_USERNAME must be 3-64 chars of a-z 0-9 . _ -' }) @IsOptional()
  ADMIN_USERNAME?: string;

  @IsString() @MinLength(12, { message: 'ADMIN_PASSWORD must be at least 12 characters' }) @IsOptional()
  ADMIN_PASSWORD?: string;

  @Transform(toBool) @IsBoolean() @IsOptional()
  RUN_MIGRATIONS_ON_START: boolean = true;

  /** Whether this process runs job workers (the queue itself is always there: every process can enqueue). */
  @Transform(toBool) @IsBoolean() @IsOptional()
  JOBS_ENABLED: boolean = true;

  /** Whether this process fires the built-in schedules (pg-boss makes each fire once across processes). */
  @Transform(toBool) @IsBoolean() @IsOptional()
  JOBS_SCHEDULES: boolean = true;

  @Transform(toInt) @IsInt() @Min(1) @Max(60) @IsOptional()
  JOBS_POLL_SECONDS: number = 2;

  /** How often pg-boss looks for jobs whose process died (expired) to retry them elsewhere. */
  @Transform(toInt) @IsInt() @Min(1) @Max(3600) @IsOptional()
  JOBS_MAINTENANCE_SECONDS: number = 60;

  /** The OpenAPI document at /api/docs: on by default except in production. */
  @Transform(toBool) @IsBoolean() @IsOptional()
  API_DOCS?: boolean;

  /** When the daily overdue-duty alerts run (HH:MM in the business time zone). */
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'DUTY_ALERTS_AT must be a time like 07:00' }) @IsOptional()
  DUTY_ALERTS_AT: string = '07:00';

  /** Log lines: human (pino-pretty) in development unless `json`; always JSON in production. */
  @IsIn(['pretty', 'json']) @IsOptional()
  LOG_FORMAT: string = 'pretty';

  /** Where mail goes: an smtp:// or smtps:// URL. Without it every e-mail is kept as 'captured' in the outbox (/admin/mail). */
  @Transform(({ value }) => (value === '' ? undefined : value)) @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' }) @IsOptional()
  SMTP_URL?: string;

  /** The sender of the portal's e-mail. */
  @IsString() @MinLength(3) @IsOptional()
  MAIL_FROM: string = 'Partner Portal <no-reply@localhost>';

  /** The portal's public address, for links in e-mail (invitations, password resets). */
  @Matches(/^https?:\/\/[^\s/]+(\/\S*)?$/, { message: 'PUBLIC_URL must be an http:// or https:// URL' }) @IsOptional()
  PUBLIC_URL: string = 'http://localhost:3000';

  /** A session ends this many hours after sign-in, however active (besides the idle expiry). */
  @Transform(toInt) @IsInt() @Min(1) @Max(720) @IsOptional()
  SESSION_ABSOLUTE_HOURS: number = 12;

  /** Sign-in attempts per address (any account) per LOGIN_WINDOW_MINUTES. */
  @Transform(toInt) @IsInt() @Min(1) @IsOptional()
  LOGIN_MAX_PER_IP: number = 100;

  /** Public application forms per address per hour. */
  @Transform(toInt) @IsInt() @Min(1) @IsOptional()
  APPLY_MAX_PER_HOUR: number = 10;

  /** Default requests per minute of a new service token (each token keeps its own limit; PostgreSQL-backed). */
  @Transform(toInt) @IsInt() @Min(1) @IsOptional()
  API_RATE_PER_MINUTE: number = 600;

  /** Default lifetime of a new service token, in days. */
  @Transform(toInt) @IsInt() @Min(1) @IsOptional()
  API_TOKEN_DAYS: number = 365;

  /** Webhook deliveries: attempts after the first, and the first retry delay in seconds (doubling each time). */
  @Transform(toInt) @IsInt() @Min(0) @IsOptional()
  WEBHOOK_RETRY_LIMIT: number = 8;

  @Transform(toInt) @IsInt() @Min(1) @IsOptional()
  WEBHOOK_RETRY_SECONDS: number = 10;

  /** Webhooks are never delivered to private, loopback or reserved addresses except these (comma-separated IPs or
   *  CIDR ranges, e.g. `10.20.0.0/16` for a receiver inside the operator's network). */
  @IsString() @IsOptional()
  WEBHOOK_ALLOWED_ADDRESSES: string = '';

  /** Roles that must sign in with a second factor (TOTP), e.g. `admin,finance`; empty: optional for staff. */
  @Matches(/^(|(admin|channel_manager|finance)(,(admin|channel_manager|finance))*)$/, { message: 'REQUIRE_MFA_FOR must be a comma-separated list of admin, channel_manager, finance' }) @IsOptional()
  REQUIRE_MFA_FOR: string = '';

  /** Key for TOTP secrets at rest (AES-256-GCM): 32 bytes as 64 hex digits or base64 (`openssl rand -hex 32`); empty: stored plain. */
  @Matches(/^(|[0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{42,44}={0,2})$/, { message: 'TOTP_SECRET_KEY must be 32 bytes: 64 hex digits or base64 (openssl rand -hex 32)' }) @IsOptional()
  TOTP_SECRET_KEY: string = '';

  /** The operator named on statements (对账单) and their PDF. */
  @IsString() @MinLength(2) @IsOptional()
  OPERATOR_NAME: string = '中国移动通信集团贵州有限公司';

  /** A CJK font for statement PDFs (.ttf/.otf/.ttc; Debian: fonts-noto-cjk), and for a .ttc the face's PostScript name. */
  @IsString() @IsOptional()
  STATEMENT_PDF_FONT: string = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

  @IsString() @IsOptional()
  STATEMENT_PDF_FONT_FACE: string = 'NotoSansCJKsc-Regular';

  /** Documents: S3-compatible object storage (s3://bucket[/prefix]?endpoint=…); without it, local disk under DOCUMENTS_DIR. */
  @Matches(/^s3:\/\/\S+$/, { message: 'STORAGE_URL must be an s3:// URL' }) @IsOptional()
  STORAGE_URL?: string;

  /** Local document store (default: `documents` beside the embedded database folder, e.g. ./data/documents). */
  @IsString() @IsOptional()
  DOCUMENTS_DIR?: string;

  /** Size limits per document kind in MB, e.g. `invoice=10,record_evidence=20` (kinds not named keep their default). */
  @Matches(/^\s*([a-z_]+\s*=\s*\d+(\.\d+)?\s*(,\s*|$))*$/, { message: 'DOCUMENT_LIMITS_MB must look like invoice=10,record_evidence=20' }) @IsOptional()
  DOCUMENT_LIMITS_MB?: string;

  /** Money controls (#16): a batch whose total exceeds this needs two approvals by two different finance users. */
  @Matches(/^\d{1,14}(\.\d{1,2})?$/, { message: 'BATCH_DUAL_APPROVAL_ABOVE must be an amount like 1000000.00' }) @IsOptional()
  BATCH_DUAL_APPROVAL_ABOVE: string = '1000000.00';

  /** A manual adjustment whose |amount| exceeds this waits for a second finance user's approval. */
  @Matches(/^\d{1,14}(\.\d{1,2})?$/, { message: 'ADJUSTMENT_APPROVAL_ABOVE must be an amount like 10000.00' }) @IsOptional()
  ADJUSTMENT_APPROVAL_ABOVE: string = '10000.00';

  /** The largest |amount| of one manual adjustment. */
  @Matches(/^\d{1,14}(\.\d{1,2})?$/, { message: 'ADJUSTMENT_MAX_AMOUNT must be an amount like 1000000.00' }) @IsOptional()
  ADJUSTMENT_MAX_AMOUNT: string = '1000000.00';

  /** A batch line paying more than this multiple of the partner's last four quarters' average is flagged for a second look. */
  @Matches(/^\d{1,4}(\.\d{1,2})?$/, { message: 'LINE_REVIEW_MULTIPLE must be a number like 3' }) @IsOptional()
  LINE_REVIEW_MULTIPLE: string = '3';

  /** Days a partner has to respond to an exit proposal; the exit is not completed before (an admin may override with a reason). */
  @Transform(toInt) @IsInt() @Min(0) @Max(90) @IsOptional()
  EXIT_RESPONSE_DAYS: number = 7;

  /** Days after a statement's approval (business dates) in which the partner may confirm it or raise an inquiry (#16). */
  @Transform(toInt) @IsInt() @Min(0) @Max(90) @IsOptional()
  STATEMENT_INQUIRY_DAYS: number = 7;

  /** Verified service records (#17): share (%) of a partner's quarterly service records drawn for verification, rounded up… */
  @Transform(toInt) @IsInt() @Min(0) @Max(100) @IsOptional()
  VERIFICATION_SAMPLE_PERCENT: number = 5;

  /** …but at least this many (capped at the partner's record count). */
  @Transform(toInt) @IsInt() @Min(0) @Max(1000) @IsOptional()
  VERIFICATION_SAMPLE_MIN: number = 3;

  /** The business time zone (an IANA name); every date and time shown and every "today" follows it. */
  @Matches(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/, { message: 'TZ must be a time zone name such as Asia/Shanghai' }) @IsOptional()
  TZ: string = 'Asia/Shanghai';
}

export class ConfigValidationError extends Error {}

/** Used by ConfigModule: a missing or malformed setting stops start-up with a message naming it. */
export function validateEnvironment(raw: Record<string, unknown>): EnvironmentVariables {
  const env = plainToInstance(EnvironmentVariables, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  const problems = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')} (got ${JSON.stringify(e.value)})`);
  if (env.NODE_ENV === 'production' && !env.SESSION_SECRET) problems.push('SESSION_SECRET: required when NODE_ENV=production');
  if (env.NODE_ENV === 'production' && !env.DATABASE_URL) problems.push('DATABASE_URL: required when NODE_ENV=production (the embedded database is for trial and development)');
  if (problems.length) throw new ConfigValidationError(`Invalid configuration: ${problems.join('; ')}`);
  return env;
}
