import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '../../core/auth/actor';
import { AccountsService } from '../../core/auth/accounts.service';
import { RegionScopeService } from '../../core/auth/region-scope.service';
import { RuleViolation } from '../../core/web/errors';
import { Partner } from './partner.entity';
import { PartnersService } from './partners.service';

/** Statuses in which a partner's people may get logins (approved onwards, not after exit started). */
export const INVITABLE_STATUSES = ['approved', 'active', 'suspended'];

/** Channel-manager actions on an existing partner: logins, suspension and reactivation. */
@Injectable()
export class PartnerAccountsService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly partners: PartnersService, private readonly accounts: AccountsService, private readonly scope: RegionScopeService) {}

  /**
   * Invites a login for the partner's staff (role partner, bound to this partner): the person sets the password through
   * the mailed link; whoever invites never chooses or sees it.
   */
  async inviteUser(actor: Actor, partnerId: number, input: { username: string; displayName?: string; email: string }) {
    return this.db.transaction(async (m) => {
      await this.scope.assertPartner(actor, partnerId, m);
      const p = await this.partners.getById(partnerId, m);
      if (!INVITABLE_STATUSES.includes(p.status)) throw new RuleViolation('partners:errors.loginsAfterApproval', 'status', { status: `partners:status.${p.status}` });
      const u = await this.accounts.invite(actor, { ...input, role: 'partner', partnerId }, m);
      return { id: u.id, username: u.username, role: u.role, partnerId: u.partnerId, email: u.email, invited: true };
    });
  }

  async resendInvitation(actor: Actor, partnerId: number, userId: number) {
    await this.scope.assertPartner(actor, partnerId);
    return this.accounts.resendInvitation(actor, userId, { partnerId });
  }

  async suspend(actor: Actor, partnerId: number, reason: string): Promise<Partner> {
    await this.scope.assertPartner(actor, partnerId);
    return this.partners.transition(actor, partnerId, 'suspended', { reason });
  }

  async reactivate(actor: Actor, partnerId: number, reason: string): Promise<Partner> {
    await this.scope.assertPartner(actor, partnerId);
    const p = await this.partners.getById(partnerId);
    if (p.status !== 'suspended') throw new RuleViolation('partners:errors.onlySuspendedReactivate', 'status', { status: `partners:status.${p.status}` });
    return this.partners.transition(actor, partnerId, 'active', { reason });
  }
}
