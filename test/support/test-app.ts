import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Client } from 'pg';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { Role, SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { UsersService } from '../../src/core/auth/users.service';

export const TEST_PASSWORD = 'test-password-1';

export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run tests through jest (globalSetup starts a database)');
  return url;
}

export const onRealPostgres = () => process.env.TEST_DATABASE_KIND === 'postgres';

/** Each test file starts from an empty schema; migrations then build it from zero. */
export async function resetDatabase(url = testDatabaseUrl()): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('DROP SCHEMA IF EXISTS pgboss CASCADE');
    await c.query('DROP SCHEMA IF EXISTS public CASCADE');
    await c.query('CREATE SCHEMA public');
  } finally {
    await c.end();
  }
}

export function useTestEnvironment(extra: Record<string, string> = {}): void {
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: testDatabaseUrl(),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    RUN_MIGRATIONS_ON_START: 'true',
    DATABASE_POOL_SIZE: '10',
    JOBS_SCHEDULES: 'false',
    JOBS_POLL_SECONDS: '1',
    // every test request comes from 127.0.0.1: per-address limits are tested on their own (test/trust/lockout)
    LOGIN_MAX_PER_IP: '100000',
    APPLY_MAX_PER_HOUR: '100000',
    ...extra,
  });
}

/** A signed-in browser-like session: keeps cookies and sends the CSRF token on every state-changing call. */
export class Session {
  constructor(public readonly agent: TestAgent, public csrf: string, public readonly user?: { id: number; username: string; role: Role; partnerId: number | null }) {}
  get(url: string) { return this.agent.get(url); }
  getJson(url: string) { return this.agent.get(url).set('Accept', 'application/json'); }
  post(url: string, body: object = {}) { return this.agent.post(url).set('x-csrf-token', this.csrf).send(body); }
  put(url: string, body: object = {}) { return this.agent.put(url).set('x-csrf-token', this.csrf).send(body); }
  patch(url: string, body: object = {}) { return this.agent.patch(url).set('x-csrf-token', this.csrf).send(body); }
  delete(url: string) { return this.agent.delete(url).set('x-csrf-token', this.csrf); }
  /** an HTML form post, as a browser sends it */
  postForm(url: string, form: Record<string, string | number>) {
    return this.agent.post(url).type('form').send({ ...Object.fromEntries(Object.entries(form).map(([k, v]) => [k, String(v)])), _csrf: this.csrf });
  }
  /** multipart upload with the token as the first form field, as the upload forms send it (never in the URL) */
  upload(url: string, field: string, content: string | Buffer, filename = 'upload.csv', fields: Record<string, string> = {}) {
    let r = this.agent.post(url).field('_csrf', this.csrf);
    for (const [k, v] of Object.entries(fields)) r = r.field(k, v);
    return r.attach(field, Buffer.isBuffer(content) ? content : Buffer.from(content), filename);
  }
}

export class TestApp {
  private counter = 0;
  constructor(public readonly app: NestExpressApplication) {}

  get http() { return this.app.getHttpServer(); }
  get db(): DataSource { return this.app.get<DataSource>(getDataSourceToken()); }
  get<T>(token: { new (...args: never[]): T } | string | symbol): T { return this.app.get(token as never); }

  async createUser(role: Role, opts: { partnerId?: number; username?: string; password?: string } = {}) {
    const username = opts.username ?? `${role.replace('_', '')}${++this.counter}`;
    const user = await this.app.get(UsersService).create(SYSTEM_ACTOR, {
      username, password: opts.password ?? TEST_PASSWORD, role, partnerId: role === 'partner' ? opts.partnerId : undefined,
    });
    return { id: user.id, username, password: opts.password ?? TEST_PASSWORD, role, partnerId: user.partnerId };
  }

  /** Sets an invited user's password through the link of their invitation mail (read from the outbox), as the person would. */
  async acceptInvitation(username: string, password: string): Promise<void> {
    const [mail] = await this.db.query(
      `SELECT m.params FROM mail_outbox m JOIN user_account u ON u.id = m.user_id WHERE u.username = $1 AND m.template = 'invitation' ORDER BY m.id DESC LIMIT 1`, [username]);
    if (!mail) throw new Error(`no invitation mail for ${username}`);
    const token = String(mail.params.link).split('/').pop();
    const res = await this.anonymous().agent.post(`/invitation/${token}`).set('Origin', 'http://127.0.0.1').set('Host', '127.0.0.1').set('Accept', 'application/json')
      .send({ password, passwordConfirm: password });
    if (res.status !== 303) throw new Error(`accepting the invitation of ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  }

  /**
   * The language test sessions ask for (Accept-Language). The suites written before the portal spoke Chinese
   * assert its English texts, so they ask for English; the i18n tests ask for zh-CN (the default) explicitly.
   */
  lang: 'en' | 'zh-CN' | '' = 'en';

  private agent(lang = this.lang) {
    const agent = request.agent(this.http);
    if (lang) agent.set('Accept-Language', lang);
    return agent;
  }

  anonymous(lang = this.lang): Session {
    return new Session(this.agent(lang), '');
  }

  async anonymousWithCsrf(lang = this.lang): Promise<Session> {
    const agent = this.agent(lang);
    const res = await agent.get('/api/auth/csrf').expect(200);
    return new Session(agent, res.body.token);
  }

  async login(username: string, password = TEST_PASSWORD, lang = this.lang): Promise<Session> {
    const s = await this.anonymousWithCsrf(lang);
    const res = await s.post('/api/auth/login', { username, password });
    if (res.status !== 200) throw new Error(`login of ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return new Session(s.agent, res.body.csrfToken, res.body.user);
  }

  /** Creates a user of that role (a partner user needs partnerId) and signs in. */
  async loginAs(role: Role, opts: { partnerId?: number } = {}): Promise<Session> {
    const u = await this.createUser(role, opts);
    return this.login(u.username, u.password);
  }

  /** Inserts an active partner directly (with its status history), for tests of other modules. */
  async createPartner(overrides: Partial<Record<string, unknown>> = {}): Promise<{ id: number; code: string; name: string }> {
    const n = ++this.counter;
    const code = (overrides.code as string) ?? `T-P-${String(n).padStart(5, '0')}`;
    const values = {
      code, name: `Test Partner ${n} ${randomDigits()}`, credit_code: testCreditCode(n),
      cooperation_type: 'sales_and_service', tier: 'B', status: 'active', region: '贵阳市', contract_signed_on: '2025-01-01',
      certification_id: `CERT-T-${n}-${randomDigits()}`, bank_account_no: '6222020000001234',
      bank_name: 'ICBC Guiyang', bank_account_name: `Test Partner ${n}`,
      ...Object.fromEntries(Object.entries(overrides).filter(([k]) => k !== 'activeFrom').map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v])),
    } as Record<string, unknown>;
    const cols = Object.keys(values);
    const [row] = await this.db.query(
      `INSERT INTO partner (${cols.join(',')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(',')}) RETURNING id, code, name`, cols.map((c) => values[c]));
    await this.db.query(
      `INSERT INTO partner_status_history (partner_id, from_status, to_status, effective_on, reason) VALUES ($1, NULL, $2, $3, 'test fixture')`,
      [row.id, values.status, (overrides.activeFrom as string) ?? '2025-01-01']);
    return row;
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}

/** Digits only: a random run of letters could spell an English UI word ("you", "due") that the zh-CN page checks flag. */
function randomDigits(): string {
  return String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
}

/** A syntactically valid unified social credit code (checksum computed), unique per n. */
export function testCreditCode(n: number): string {
  const body = `91520100${String(n).padStart(9, '0')}`; // 17 chars: registration dept 9, type 1, region 520100, 9-digit org code
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = body.split('').reduce((acc, ch, i) => acc + alphabet.indexOf(ch) * weights[i], 0);
  return body + alphabet[(31 - (sum % 31)) % 31];
}

export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  useTestEnvironment(env);
  await resetDatabase();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot()] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: ['error'], bufferLogs: false });
  configureApp(app);
  await app.init();
  return new TestApp(app);
}
