import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '../../core/auth/actor';
import { DocumentOwner, DocumentOwnerResolver, OwnerAccess } from '../documents/document-owner';

/** The partner's invoice (发票) file for its line of an approved batch: added by the partner, read by it and by staff. */
@Injectable()
@DocumentOwner('settlement_line')
export class SettlementLineDocuments implements DocumentOwnerResolver {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async access(actor: Actor, id: number): Promise<OwnerAccess> {
    const [l] = await this.db.query(
      `SELECT l.partner_id AS "partnerId", b.period, b.status, p.code, p.name FROM settlement_line l
         JOIN settlement_batch b ON b.id = l.batch_id JOIN partner p ON p.id = l.partner_id WHERE l.id = $1`, [id]);
    if (!l || (actor.role === 'partner' && l.partnerId !== actor.partnerId)) throw new NotFoundException('documents:errors.notFound');
    const own = actor.role === 'partner';
    return {
      partnerId: l.partnerId, label: 'documents:owner.settlement_line', labelParams: { period: l.period, partner: `${l.code} ${l.name}` },
      backHref: own ? `/my/statements/${l.period}` : ['admin', 'finance'].includes(actor.role) ? `/settlement/statements/${l.partnerId}/${l.period}` : '/',
      // the invoice comes once the statement is approved (#16): finance checks it before paying
      canUpload: own && ['approved', 'exported', 'paid'].includes(l.status) ? ['invoice'] : [],
    };
  }
}
