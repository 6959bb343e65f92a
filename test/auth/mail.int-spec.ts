import { NestExpressApplication } from '@nestjs/platform-express';
import { MailService } from '../../src/core/mail/mail.service';
import { createTestApp, TestApp } from '../support/test-app';
import { SmtpSink } from './smtp-sink';

const outbox = async (t: TestApp) => t.db.query(`SELECT id, to_address, status, attempts, last_error, subject FROM mail_outbox ORDER BY id`);

/**
 * The mail core against a real SMTP server in this process: the outbox row and the send job are written in the
 * caller's transaction; an e-mail is rendered in the recipient's language and sent once; a crash between the commit
 * and the send still delivers it once when a process is back; without SMTP_URL mail is kept for admins.
 */
describe('mail: outbox + durable send job over SMTP', () => {
  const sink = new SmtpSink();
  let t: TestApp;

  beforeAll(async () => {
    await sink.start();
    // no workers in this first process: it stands for one that dies right after committing
    t = await createTestApp({ SMTP_URL: sink.url, JOBS_ENABLED: 'false', PUBLIC_URL: 'https://portal.example.cn' });
  });
  afterAll(async () => {
    await t?.close();
    await sink.stop();
  });

  async function portalBack(): Promise<TestApp> {
    const { NestFactory } = await import('@nestjs/core');
    const { AppModule } = await import('../../src/app.module');
    const { configureApp } = await import('../../src/app.setup');
    process.env.JOBS_ENABLED = 'true';
    const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(), { logger: ['error'] });
    configureApp(app);
    await app.init();
    return new TestApp(app);
  }

  it('a mail committed by a process that dies before sending is delivered once by the next process; a rolled-back one never', async () => {
    const mail = t.get(MailService);
    const link = mail.link('/password/reset/abc123');
    expect(link).toBe('https://portal.example.cn/password/reset/abc123');
    await t.db.transaction(async (m) => {
      await mail.queue({ to: 'zhang@example.cn', template: 'password-reset', lang: 'zh-CN', params: { displayName: '张伟', username: 'zhangwei', link, minutes: 60 }, dedupeKey: 'test:1' }, m);
    });
    // the same event again: not a second mail
    expect(await mail.queue({ to: 'zhang@example.cn', template: 'password-reset', lang: 'zh-CN', params: {}, dedupeKey: 'test:1' })).toBeNull();
    await expect(t.db.transaction(async (m) => {
      await mail.queue({ to: 'rolled-back@example.cn', template: 'password-reset', lang: 'en', params: { link }, dedupeKey: 'test:2' }, m);
      throw new Error('the change fails');
    })).rejects.toThrow('the change fails');
    expect((await outbox(t)).map((r: { to_address: string; status: string }) => [r.to_address, r.status])).toEqual([['zhang@example.cn', 'queued']]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(sink.mails).toHaveLength(0); // nobody sent it: this process runs no workers

    const back = await portalBack();
    try {
      const got = await sink.waitFor(1);
      expect(got).toHaveLength(1);
      expect(got[0].to).toEqual(['zhang@example.cn']);
      expect(got[0].subject).toBe('重置您的密码');
      expect(got[0].text).toContain('张伟，您好');
      expect(got[0].text).toContain('https://portal.example.cn/password/reset/abc123');
      expect(got[0].html).toContain('href="https://portal.example.cn/password/reset/abc123"');
      expect(got[0].html).toContain('<html lang="zh-CN">');
      await new Promise((r) => setTimeout(r, 2500));
      expect(sink.mails).toHaveLength(1); // exactly once
      const [row] = await outbox(back);
      expect(row).toMatchObject({ status: 'sent', attempts: 1, subject: '重置您的密码' });

      // English for an English reader
      await back.get(MailService).queue({ to: 'li@example.cn', template: 'invitation', lang: 'en', params: { displayName: 'Li Na', username: 'lina', inviter: 'Admin', link: 'https://portal.example.cn/invitation/xyz', hours: 72 } });
      const [, en] = await sink.waitFor(2);
      expect(en.subject).toBe('Your Partner Portal account: set your password');
      expect(en.text).toContain('https://portal.example.cn/invitation/xyz');

      // a refused send is visible with its error and is retried (here: run again by hand)
      sink.refuse = 'mailbox unavailable';
      const id = await back.get(MailService).queue({ to: 'wang@example.cn', template: 'invitation', lang: 'zh-CN', params: { link: 'x', hours: 72 } });
      let failed: { status: string; last_error: string | null; attempts: number } | undefined;
      for (let i = 0; i < 100 && failed?.status !== 'failed'; i++) { [failed] = await back.db.query(`SELECT status, last_error, attempts FROM mail_outbox WHERE id = $1`, [id]); await new Promise((r) => setTimeout(r, 100)); }
      expect(failed!.status).toBe('failed');
      expect(failed!.last_error).toContain('mailbox unavailable');
      sink.refuse = null;
      await back.get(MailService).deliver(id!);
      const [sent] = await back.db.query(`SELECT status, attempts FROM mail_outbox WHERE id = $1`, [id]);
      expect(sent).toEqual({ status: 'sent', attempts: 2 });

      // the admin sees every mail, its status and the error, in Chinese
      back.lang = 'zh-CN';
      const admin = await back.loginAs('admin');
      const page = await admin.get('/admin/mail').expect(200);
      expect(page.text).toContain('邮件发件箱');
      expect(page.text).toContain('zhang@example.cn');
      expect(page.text).toContain('已发送');
      const one = await admin.get(`/admin/mail/${row.id}`).expect(200);
      expect(one.text).toContain('https://portal.example.cn/password/reset/abc123');
      const partner = await back.loginAs('partner', { partnerId: (await back.createPartner()).id });
      await partner.get('/admin/mail').expect(403);
    } finally {
      await back.close();
      process.env.JOBS_ENABLED = 'false';
    }
  }, 90_000);
});

describe('mail without SMTP_URL: kept in the outbox for admins, never lost', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp({ SMTP_URL: '', JOBS_ENABLED: 'true' }); });
  afterAll(() => t?.close());

  it('is captured with its rendered text', async () => {
    const id = await t.get(MailService).queue({ to: 'a@example.cn', template: 'invitation', lang: 'zh-CN', params: { displayName: '李娜', link: 'http://localhost:3000/invitation/t1', hours: 72 } });
    let row: { status: string; subject: string | null } | undefined;
    for (let i = 0; i < 100 && row?.status !== 'captured'; i++) { [row] = await t.db.query(`SELECT status, subject FROM mail_outbox WHERE id = $1`, [id]); await new Promise((r) => setTimeout(r, 100)); }
    expect(row).toEqual({ status: 'captured', subject: '您在合作伙伴管理平台的账号：请设置密码' });
  });
});
