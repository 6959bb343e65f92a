import { EntityManager } from 'typeorm';
import { Actor } from '../../core/auth/actor';
import { CustomerStage } from './customer-rules.util';

/**
 * Events the customers module emits (awaited with emitAsync inside the change's transaction, so a listener's
 * writes commit or roll back with the change). `manager` is that transaction.
 */
export const CUSTOMER_STAGE_CHANGED = 'customer.stage-changed';
export const CUSTOMER_REASSIGNED = 'customer.reassigned';

export interface CustomerStageChangedEvent {
  customerId: number;
  from: CustomerStage;
  to: CustomerStage;
  effectiveOn: string;
  actor: Actor;
  manager: EntityManager;
}

export interface CustomerReassignedEvent {
  customerId: number;
  fromPartnerId: number | null;
  toPartnerId: number | null;
  toManagerUserId: number | null;
  effectiveOn: string;
  actor: Actor;
  manager: EntityManager;
}

/** A customer's class A/B/C changed (#17); the duties module re-plans its open checklist items in the same transaction. */
export const CUSTOMER_CLASS_CHANGED = 'customer.class-changed';

export interface CustomerClassChangedEvent {
  customerId: number;
  from: 'A' | 'B' | 'C';
  to: 'A' | 'B' | 'C';
  changedOn: string;
  actor: Actor;
  manager: EntityManager;
  /** filled by the listener: how many open items it re-planned */
  moved?: { items: number };
}
