import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message as the SMTP server received it, decoded enough to assert on. */
export interface ReceivedMail { to: string[]; subject: string; text: string; html: string; raw: string }

/** A real SMTP server in the test process (smtp-server): the portal sends through nodemailer over TCP to it. */
export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  /** while set, every message is refused with this SMTP error (to test failures and retries) */
  refuse: string | null = null;
  private server!: SMTPServer;
  port = 0;

  async start(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (this.refuse) return callback(Object.assign(new Error(this.refuse), { responseCode: 451 }));
          const raw = Buffer.concat(chunks).toString('utf8');
          this.mails.push({ to: session.envelope.rcptTo.map((r) => r.address), ...parseMessage(raw), raw });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  get url(): string { return `smtp://127.0.0.1:${this.port}`; }

  async waitFor(n: number, timeoutMs = 20_000): Promise<ReceivedMail[]> {
    for (const end = Date.now() + timeoutMs; this.mails.length < n && Date.now() < end;) await new Promise((r) => setTimeout(r, 100));
    return this.mails;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function decodeWords(s: string): string {
  return s.replace(/\s*\r?\n\s+/g, ' ').replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*/g, (_, _cs, enc: string, data: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'));
}

function splitPart(part: string): { headers: Record<string, string>; body: string } {
  const i = part.search(/\r?\n\r?\n/);
  const head = part.slice(0, i).replace(/\r?\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m) headers[m[1].toLowerCase()] = m[2];
  }
  return { headers, body: part.slice(i).replace(/^\r?\n\r?\n/, '') };
}

function decodeBody(headers: Record<string, string>, body: string): string {
  const enc = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

export function parseMessage(raw: string): { subject: string; text: string; html: string } {
  const top = splitPart(raw);
  const out = { subject: decodeWords(top.headers.subject ?? ''), text: '', html: '' };
  const walk = (headers: Record<string, string>, body: string) => {
    const type = (headers['content-type'] ?? 'text/plain').toLowerCase();
    const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
    if (type.startsWith('multipart/') && boundary) {
      for (const p of body.split(`--${boundary}`).slice(1)) {
        if (p.startsWith('--')) break;
        const sub = splitPart(p.replace(/^\r?\n/, ''));
        walk(sub.headers, sub.body);
      }
    } else if (type.startsWith('text/html')) out.html = decodeBody(headers, body);
    else if (type.startsWith('text/plain')) out.text = decodeBody(headers, body);
  };
  walk(top.headers, top.body);
  return out;
}
