import { Session } from './test-app';

export interface FinishedJob {
  id: string;
  state: string;
  done: number | null;
  total: number | null;
  result: { ok: boolean; message?: string; params?: Record<string, unknown>; link?: { href: string; label: string }; errors?: { row: number; column: string; message: string }[]; errorTotal?: number } | null;
}

/** A web form that starts long work answers 303 to /jobs/:id: the job id. */
export function jobIdOf(res: { status: number; headers: Record<string, string> }): string {
  const m = /^\/jobs\/([0-9a-f-]{36})$/.exec(res.headers.location ?? '');
  if (res.status !== 303 || !m) throw new Error(`expected a redirect to a job page, got ${res.status} ${res.headers.location ?? ''}`);
  return m[1];
}

/** Waits (as the starter) until the job has finished, through /api/jobs/:id, and returns it. */
export async function waitForJob(s: Session, id: string, ms = 60_000): Promise<FinishedJob> {
  const end = Date.now() + ms;
  for (;;) {
    const res = await s.getJson(`/api/jobs/${id}`);
    if (res.status !== 200) throw new Error(`job ${id}: ${res.status}`);
    if (!res.body.running) return res.body as FinishedJob;
    if (Date.now() > end) throw new Error(`job ${id} still ${res.body.state} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Follows a 303 to the job page, waits for the job, returns it with its finished page's HTML. */
export async function followJob(s: Session, res: { status: number; headers: Record<string, string> }): Promise<FinishedJob & { page: string }> {
  const id = jobIdOf(res);
  const job = await waitForJob(s, id);
  const page = await s.get(`/jobs/${id}`);
  if (page.status !== 200) throw new Error(`job page ${id}: ${page.status}`);
  return { ...job, page: page.text };
}
