import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '../../core/auth/actor';
import { formatDate } from '../../core/i18n/format.util';
import { DocumentOwner, DocumentOwnerResolver, OwnerAccess } from '../documents/document-owner';
import { RecordsService } from './records.service';

/** Evidence on a service record (photos, signed visit sheets): read by whoever reads the record, added by its partner. */
@Injectable()
@DocumentOwner('service_record')
export class ServiceRecordDocuments implements DocumentOwnerResolver {
  constructor(private readonly records: RecordsService, @InjectDataSource() private readonly db: DataSource) {}

  async access(actor: Actor, id: number): Promise<OwnerAccess> {
    const r = await this.records.getForActor(actor, id); // 404 for another partner's record
    const [c] = await this.db.query(`SELECT code FROM customer WHERE id = $1`, [r.customer_id]);
    const own = actor.role === 'partner' && actor.partnerId === r.partner_id;
    return {
      partnerId: r.partner_id, label: 'documents:owner.service_record', labelParams: { id, customer: c?.code ?? '', date: formatDate(r.occurred_at) },
      backHref: own ? '/my/records' : ['admin', 'channel_manager'].includes(actor.role) ? `/customers/${r.customer_id}` : '/',
      canUpload: own ? ['record_evidence'] : [],
    };
  }
}
