import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '../../core/auth/actor';
import { DocumentOwner, DocumentOwnerResolver, OwnerAccess } from '../documents/document-owner';
import { HandoverService } from './handover.service';

/** Handover papers of one customer's handover: added by managers while the handover is open, read by staff and the exiting partner. */
@Injectable()
@DocumentOwner('handover_item')
export class HandoverItemDocuments implements DocumentOwnerResolver {
  constructor(private readonly handovers: HandoverService, @InjectDataSource() private readonly db: DataSource) {}

  async access(actor: Actor, id: number): Promise<OwnerAccess> {
    const { item, handover } = await this.handovers.loadItem(id);
    const own = actor.role === 'partner' && actor.partnerId === handover.partnerId;
    if (actor.role === 'partner' && !own) throw new NotFoundException('exit:errors.itemNotFound');
    const [c] = await this.db.query(`SELECT code FROM customer WHERE id = $1`, [item.customerId]);
    const manager = ['admin', 'channel_manager'].includes(actor.role);
    return {
      partnerId: handover.partnerId, label: 'documents:owner.handover_item', labelParams: { id, customer: c?.code ?? '' },
      backHref: own ? '/my/exit' : `/exits/${handover.proposalId}/handover`,
      canUpload: manager && handover.status === 'open' ? ['handover_paper'] : [],
    };
  }
}
