import { Injectable } from '@nestjs/common';
import { Actor } from '../../core/auth/actor';
import { todayIso } from '../../core/period/period.util';
import { DocumentOwner, DocumentOwnerResolver, OwnerAccess } from '../documents/document-owner';
import { ViolationsService } from './violations.service';

/** Evidence (added by managers) and the partner's response attachments (added by the partner within the response window). */
@Injectable()
@DocumentOwner('violation')
export class ViolationDocuments implements DocumentOwnerResolver {
  constructor(private readonly violations: ViolationsService) {}

  async access(actor: Actor, id: number): Promise<OwnerAccess> {
    const v = await this.violations.getForActor(actor, id); // 404 for another partner's violation
    const open = v.status !== 'voided';
    const own = actor.role === 'partner' && actor.partnerId === v.partnerId;
    return {
      partnerId: v.partnerId, label: 'documents:owner.violation', labelParams: { id, partner: `${v.partnerCode} ${v.partnerName}` },
      backHref: own ? `/my/violations/${id}` : `/violations/${id}`,
      canUpload: own ? (open && todayIso() <= String(v.responseDueOn) ? ['violation_response'] : [])
        : ['admin', 'channel_manager'].includes(actor.role) && open ? ['violation_evidence'] : [],
    };
  }
}
