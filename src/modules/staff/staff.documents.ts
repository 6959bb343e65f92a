import { Injectable } from '@nestjs/common';
import { Actor } from '../../core/auth/actor';
import { DocumentOwner, DocumentOwnerResolver, OwnerAccess } from '../documents/document-owner';
import { StaffService } from './staff.service';

/** A staff member's photo: the member's own partner adds it; channel managers and admins see it. */
@Injectable()
@DocumentOwner('staff_member')
export class StaffMemberDocuments implements DocumentOwnerResolver {
  constructor(private readonly staff: StaffService) {}

  async access(actor: Actor, id: number): Promise<OwnerAccess> {
    const s = await this.staff.get(actor, id); // 404 for another partner's staff member
    const own = actor.role === 'partner' && actor.partnerId === s.partnerId;
    return {
      partnerId: s.partnerId, label: 'documents:owner.staff_member', labelParams: { name: s.name, partner: `${s.partnerCode} ${s.partnerName}` },
      backHref: own ? `/my/staff/${id}` : `/staff/${id}`,
      canUpload: own ? ['staff_photo'] : [],
    };
  }
}
