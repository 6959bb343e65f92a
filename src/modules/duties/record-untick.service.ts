import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { countChanged } from './sql.util';

/**
 * The checklist items a service record counts for — same customer, quarter and holder, a template that accepts its
 * type, not "not applicable" — each with how many of its matching records still count (all but the excluded ones,
 * $2), capped at `cap`. $1 = the record.
 */
const itemsOfRecord = (cap: 'fulfilled_count' | 'required_count') => `
  SELECT ci2.id, LEAST(ci2.${cap}, count(o.id))::int AS n
    FROM service_record r
    JOIN checklist_item ci2 ON ci2.customer_id = r.customer_id AND ci2.period = r.period AND ci2.partner_id = r.partner_id
                           AND ci2.status <> 'not_applicable'
    JOIN duty_template t ON t.id = ci2.duty_template_id AND r.record_type = ANY(t.record_types)
    LEFT JOIN service_record o ON o.customer_id = ci2.customer_id AND o.period = ci2.period AND o.partner_id = ci2.partner_id
                              AND o.record_type = ANY(t.record_types) AND o.id <> ALL($2::bigint[])
   WHERE r.id = $1
   GROUP BY ci2.id, ci2.${cap}`;

/**
 * Takes back the ticks of a service record that did not hold up (verification, #17): the checklist items the record
 * counted for keep only as many fulfilments as there are records left that still count. An item that drops below its
 * required count is open again; not-applicable items stay as they are (they do not count for completion anyway).
 *
 * Records do not store which items they ticked, so "left that still count" is the rule: it takes back exactly the
 * tick this record gave, and nothing when other records already fulfilled the item (this one came after fulfilment).
 * The caller checks the quarter lock.
 */
@Injectable()
export class RecordUntickService {
  /** @param excludedRecordIds every record of that customer that no longer counts, this one included. Returns the items changed. */
  async untick(recordId: string, excludedRecordIds: string[], m: EntityManager): Promise<number> {
    const excluded = [...new Set([String(recordId), ...excludedRecordIds.map(String)])];
    return countChanged(m,
      `UPDATE checklist_item ci
          SET fulfilled_count = x.n,
              status = CASE WHEN x.n >= ci.required_count THEN 'fulfilled' ELSE 'open' END,
              fulfilled_at = CASE WHEN x.n >= ci.required_count THEN ci.fulfilled_at END
         FROM (${itemsOfRecord('fulfilled_count')}) x
        WHERE ci.id = x.id AND x.n < ci.fulfilled_count
        RETURNING 1`, [recordId, excluded]);
  }

  /**
   * The reverse, when a "not confirmed" is corrected to confirmed: the items the record counts for get back as many
   * fulfilments as records now count (up to the required count), as they had when each record ticked them.
   * @param excludedRecordIds records of that customer that still do not count (this one not among them). Returns the items changed.
   */
  async retick(recordId: string, excludedRecordIds: string[], m: EntityManager): Promise<number> {
    const excluded = [...new Set(excludedRecordIds.map(String))].filter((id) => id !== String(recordId));
    return countChanged(m,
      `UPDATE checklist_item ci
          SET fulfilled_count = x.n,
              status = CASE WHEN x.n >= ci.required_count THEN 'fulfilled' ELSE 'open' END,
              fulfilled_at = CASE WHEN x.n >= ci.required_count THEN coalesce(ci.fulfilled_at, now()) END
         FROM (${itemsOfRecord('required_count')}) x
        WHERE ci.id = x.id AND x.n > ci.fulfilled_count
        RETURNING 1`, [recordId, excluded]);
  }
}
