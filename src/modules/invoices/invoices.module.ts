import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DocumentsModule } from '../documents/documents.module';
import { SettlementInvoice } from './invoice.entity';
import { InvoicesController } from './invoices.controller';
import { InvoicesService } from './invoices.service';

/** invoices (发票, #16): partners' invoices for approved statement lines and finance's check; payment asks for them. */
@Module({
  imports: [TypeOrmModule.forFeature([SettlementInvoice]), DocumentsModule],
  controllers: [InvoicesController],
  providers: [InvoicesService],
  exports: [InvoicesService],
})
export class InvoicesModule {}
