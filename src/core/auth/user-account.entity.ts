import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Role } from './actor';

@Entity('user_account')
export class UserAccount {
  @PrimaryGeneratedColumn('identity') id: number;
  @Column() username: string;
  @Column() displayName: string;
  @Column({ type: 'text', select: false, nullable: true }) passwordHash: string | null;
  @Column({ type: 'varchar', nullable: true }) email: string | null;
  @Column({ type: 'timestamptz', nullable: true }) passwordChangedAt: Date | null;
  @Column({ type: 'text', select: false, nullable: true }) totpSecret: string | null;
  @Column({ type: 'timestamptz', nullable: true }) totpEnabledAt: Date | null;
  @Column({ type: 'varchar' }) role: Role;
  @Column({ type: 'integer', nullable: true }) partnerId: number | null;
  @Column() active: boolean;
  @Column({ type: 'text', nullable: true }) deactivatedReason: string | null;
  @Column({ type: 'varchar', nullable: true }) locale: string | null;
  @Column({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) lastLoginAt: Date | null;
}
