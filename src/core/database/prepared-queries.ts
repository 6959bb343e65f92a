import { createHash } from 'node:crypto';
import { Pool, QueryResult } from 'pg';

/**
 * Hot, fixed SQL texts (session lookup, the signed-in user, a service-record submission) run as named prepared
 * statements: PostgreSQL plans them once per connection instead of on every call. Planning was most of the
 * database time of a record submission (2.7k/s unnamed vs 8.7k/s named, same statement, `npm run bench:records`).
 *
 * Only for a bounded set of texts — each distinct text stays prepared on every pooled connection.
 * PGlite serves all socket connections from one backend, where a second connection preparing the same name
 * fails ("prepared statement already exists"), so on PGlite the texts run unnamed.
 */
export class PreparedQueries {
  private readonly names = new Map<string, string>();

  constructor(private readonly pool: Pick<Pool, 'query'>, readonly named: boolean) {}

  async rows<R>(text: string, values: unknown[]): Promise<R[]> {
    return (await this.run(text, values)).rows as R[];
  }

  /** The pg Pool shape that libraries taking a pool (the session store) call: query(text, values). */
  asPool(): Pick<Pool, 'query'> {
    return { query: ((text: string, values?: unknown[]) => this.run(text, values ?? [])) as Pool['query'] };
  }

  private run(text: string, values: unknown[]): Promise<QueryResult> {
    return this.pool.query(this.named ? { name: this.nameOf(text), text, values } : { text, values });
  }

  private nameOf(text: string): string {
    let name = this.names.get(text);
    if (!name) this.names.set(text, (name = statementName(text)));
    return name;
  }
}

/** Same text, same name, in every process; distinct texts never share one (PostgreSQL keeps 63 bytes of a name). */
export function statementName(text: string): string {
  return `pp_${createHash('sha256').update(text).digest('hex').slice(0, 40)}`;
}
