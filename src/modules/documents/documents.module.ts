import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { dirname, join, resolve } from 'node:path';
import { AppConfig } from '../../core/config/app-config.service';
import { PROJECT_ROOT } from '../../core/paths';
import { BLOB_STORE, BlobStore } from './blob-store';
import { DocumentsController } from './documents.controller';
import { DocumentsListService } from './documents-list.service';
import { DocumentsService } from './documents.service';
import { LocalBlobStore } from './local-blob.store';
import { parseStorageUrl, S3BlobStore } from './s3-blob.store';

/** The blob store the settings ask for: S3 when STORAGE_URL is set, else local disk beside the embedded database. */
export function blobStoreFor(config: AppConfig): BlobStore {
  const url = config.get('STORAGE_URL');
  if (url) return new S3BlobStore(parseStorageUrl(url));
  const dir = config.get('DOCUMENTS_DIR') || join(dirname(resolve(config.get('PGLITE_DATA_DIR'))), 'documents');
  return new LocalBlobStore(dir, [join(PROJECT_ROOT, 'views')]);
}

/**
 * documents: files attached to records of other modules. Those modules add a `@DocumentOwner` provider (their own
 * access rule) and link to `/documents/on/<owner kind>/<id>`; this module stores, lists, serves and deletes.
 */
@Module({
  imports: [DiscoveryModule],
  controllers: [DocumentsController],
  providers: [DocumentsService, DocumentsListService, { provide: BLOB_STORE, inject: [AppConfig], useFactory: blobStoreFor }],
  exports: [DocumentsService],
})
export class DocumentsModule {}
