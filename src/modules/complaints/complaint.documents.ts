import { Injectable } from '@nestjs/common';
import { Actor } from '../../core/auth/actor';
import { DocumentOwner, DocumentOwnerResolver, OwnerAccess } from '../documents/document-owner';
import { ComplaintsService } from './complaints.service';

/** Attachments of a work order: whoever may read the order reads them; its partner and staff add them until it is closed. */
@Injectable()
@DocumentOwner('complaint')
export class ComplaintDocuments implements DocumentOwnerResolver {
  constructor(private readonly complaints: ComplaintsService) {}

  async access(actor: Actor, id: number): Promise<OwnerAccess> {
    const o = await this.complaints.getForActor(actor, id); // 404 for another partner's order
    const own = actor.role === 'partner';
    const mayAdd = o.status !== 'closed' && (own || actor.role === 'admin' || actor.role === 'channel_manager');
    return {
      partnerId: o.partnerId, label: 'documents:owner.complaint', labelParams: { id, customer: `${o.customerCode} ${o.customerName}` },
      backHref: own ? `/my/complaints/${id}` : `/complaints/${id}`, canUpload: mayAdd ? ['complaint_attachment'] : [],
    };
  }
}
