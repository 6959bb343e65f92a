/**
 * Sign-in benchmark (issue #14: "sign-in p95 < 300 ms on this machine"). Not a timed test: run it by hand.
 *
 *   npm run bench:signin                       (embedded PGlite in ./data/bench-signin)
 *   DATABASE_URL=postgres://… npm run bench:signin -- --count 200
 *
 * Starts the portal in this process on a free port (throttle limits raised for the run: one address signs in many
 * times), creates one user with a known password, then signs in --count times one after another through
 * `POST /api/auth/login` and prints p50/p95 next to two floors measured in the same run: the argon2id check alone
 * (the cost the OWASP parameters buy) and a trivial signed-in request (`GET /api/auth/me`).
 */
import '../../src/core/i18n/business-time-zone';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { hashPassword, verifyPassword } from '../../src/core/auth/password.util';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const COUNT = arg('count', 100);
const PASSWORD = 'Bench-Signin-Harbor-2026';

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = process.hrtime.bigint();
  const v = await fn();
  return [Number(process.hrtime.bigint() - t0) / 1e6, v];
}

async function main(): Promise<void> {
  Object.assign(process.env, {
    NODE_ENV: process.env.DATABASE_URL ? 'production' : 'development', SESSION_SECRET: process.env.SESSION_SECRET ?? 'bench-signin-secret-0123456789abcdef', JOBS_SCHEDULES: 'false',
    LOGIN_MAX_FAILURES: '100000', LOGIN_MAX_PER_IP: '100000', LOG_LEVEL: 'warn',
    PGLITE_DATA_DIR: process.env.PGLITE_DATA_DIR ?? './data/bench-signin',
  });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(), { logger: ['error', 'warn'] });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const db = app.get<DataSource>(getDataSourceToken());
  try {
    const username = 'bench.signin';
    const hash = await hashPassword(PASSWORD);
    const [existing] = await db.query(`SELECT id FROM user_account WHERE lower(username) = $1`, [username]);
    if (existing) await db.query(`UPDATE user_account SET password_hash = $2, active = true WHERE id = $1`, [existing.id, hash]);
    else await db.query(`INSERT INTO user_account (username, display_name, role, password_hash, active) VALUES ($1, 'Bench', 'finance', $2, true)`, [username, hash]);

    const headers = { 'content-type': 'application/json', accept: 'application/json', origin: base };
    const signIn = async () => {
      const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers, body: JSON.stringify({ username, password: PASSWORD }) });
      if (res.status !== 200) throw new Error(`sign-in answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
      return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    };
    // warm-up (JIT, connection pool, prepared statements)
    for (let i = 0; i < 5; i++) await signIn();

    const login: number[] = [];
    let cookie = '';
    for (let i = 0; i < COUNT; i++) {
      const [t, c] = await timed(signIn);
      login.push(t);
      cookie = c;
      if ((i + 1) % 20 === 0) process.stdout.write(`  ${i + 1}/${COUNT}\r`);
    }
    const argon: number[] = [];
    for (let i = 0; i < COUNT; i++) argon.push((await timed(() => verifyPassword(hash, PASSWORD)))[0]);
    const me: number[] = [];
    for (let i = 0; i < COUNT; i++) {
      me.push((await timed(async () => {
        const r = await fetch(`${base}/api/auth/me`, { headers: { cookie, accept: 'application/json' } });
        if (r.status !== 200) throw new Error(`GET /api/auth/me answered ${r.status}`);
        await r.arrayBuffer();
      }))[0]);
    }
    console.log(`\nSign-in benchmark: ${COUNT} sign-ins one after another (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'})`);
    console.log(`  POST /api/auth/login        p50 ${ms(pct(login, 50))}  p95 ${ms(pct(login, 95))}   (target p95 < 300 ms)`);
    console.log(`  floor: argon2id verify      p50 ${ms(pct(argon, 50))}  p95 ${ms(pct(argon, 95))}`);
    console.log(`  floor: GET /api/auth/me     p50 ${ms(pct(me, 50))}  p95 ${ms(pct(me, 95))}`);
    console.log(`  sign-in / argon2 verify = ${(pct(login, 50) / pct(argon, 50)).toFixed(2)}× (p50); sign-in / signed-in request = ${(pct(login, 50) / pct(me, 50)).toFixed(1)}× (p50)`);
    console.log(`  p95 target ${pct(login, 95) < 300 ? 'met' : 'NOT met'} on this machine`);
  } finally {
    await app.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
