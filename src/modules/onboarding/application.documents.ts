import { Injectable, NotFoundException } from '@nestjs/common';
import { Actor } from '../../core/auth/actor';
import { DocumentOwner, DocumentOwnerResolver, OwnerAccess } from '../documents/document-owner';
import { ApplicationsService } from './applications.service';

/** Qualification papers (营业执照, 资质证书 …) of an application: read and added by the managers who review it. */
@Injectable()
@DocumentOwner('application')
export class ApplicationDocuments implements DocumentOwnerResolver {
  constructor(private readonly applications: ApplicationsService) {}

  async access(actor: Actor, id: number): Promise<OwnerAccess> {
    // applications are the managers' work (like their pages); anyone else: as if it did not exist
    if (!['admin', 'channel_manager'].includes(actor.role)) throw new NotFoundException('documents:errors.notFound');
    // a manager scoped to regions (#17): another region's application answers 404 like a missing one
    const { partner } = await this.applications.get(id, undefined, actor);
    return {
      partnerId: partner.id, label: 'documents:owner.application', labelParams: { id, name: partner.name },
      backHref: `/onboarding/applications/${id}`, canUpload: ['qualification'],
    };
  }
}
