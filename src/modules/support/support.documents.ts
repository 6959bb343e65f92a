import { Injectable } from '@nestjs/common';
import { Actor } from '../../core/auth/actor';
import { DocumentOwner, DocumentOwnerResolver, OwnerAccess } from '../documents/document-owner';
import { SupportService } from './support.service';

/** Attachments of a support request: the partner adds them (screenshots, customer papers), staff add theirs to the answer. */
@Injectable()
@DocumentOwner('support_request')
export class SupportRequestDocuments implements DocumentOwnerResolver {
  constructor(private readonly support: SupportService) {}

  async access(actor: Actor, id: number): Promise<OwnerAccess> {
    const r = await this.support.getForActor(actor, id); // 404 for another partner's request
    const own = actor.role === 'partner' && actor.partnerId === r.partnerId;
    const staff = actor.role === 'admin' || actor.role === 'channel_manager';
    return {
      partnerId: r.partnerId, label: 'documents:owner.support_request', labelParams: { id, partner: `${r.partnerCode} ${r.partnerName}` },
      backHref: own ? `/my/support/${id}` : `/support/${id}`,
      canUpload: (own || staff) && r.status !== 'closed' ? ['support_attachment'] : [],
    };
  }
}
