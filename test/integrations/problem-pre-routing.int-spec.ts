import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/core/auth/actor';
import { ServiceAccountsService } from '../../src/modules/integrations/service-accounts.service';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The machine API answers every error as problem details (RFC 9457), also those raised before one of its routes is
 * reached: an unknown path, a body that is not JSON. The portal's own routes keep their error shape.
 */
describe('/api/v1 errors before routing are problem details', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp();
    const accounts = t.get(ServiceAccountsService);
    const { id } = await accounts.create({ ...SYSTEM_ACTOR, id: 0 }, { name: 'pre-routing', owner: '测试', purpose: '错误格式' });
    token = (await accounts.issue({ ...SYSTEM_ACTOR, id: 0 }, id, { scopes: ['customers:write'] })).token;
  }, 60_000);
  afterAll(() => t?.close());

  it('an unknown path answers 404 problem details, in Chinese unless asked otherwise', async () => {
    const res = await request(t.http).get('/api/v1/no-such-thing').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = JSON.parse(res.text);
    expect(body).toMatchObject({ status: 404, code: 'not_found', instance: '/api/v1/no-such-thing', type: 'https://portal.example/problems/not-found' });
    expect(body.title).toMatch(/[\u4e00-\u9fff]/);
    const en = JSON.parse((await request(t.http).get('/api/v1/no-such-thing').set('Accept-Language', 'en')).text);
    expect(en.title).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('a body that is not JSON answers 400 problem details before the route runs', async () => {
    const res = await request(t.http).put('/api/v1/customers/PR-C1').set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json').send('{"name": ');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.text)).toMatchObject({ status: 400, code: 'bad_request' });
    expect(await t.db.query(`SELECT 1 FROM customer WHERE code = 'PR-C1'`)).toHaveLength(0);
  });

  it('the portal\'s own API keeps its error shape', async () => {
    const res = await request(t.http).get('/api/no-such-thing').set('Accept-Language', 'en');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({ statusCode: 404 });
  });
});
