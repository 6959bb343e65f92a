import { Body, Controller, Get, NotFoundException, Param, ParseIntPipe, Post, Query, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import sharp from 'sharp';
import { pipeline } from 'node:stream/promises';
import { Actor } from '../../core/auth/actor';
import { CurrentUser } from '../../core/auth/current-user.decorator';
import { AnyRole, Roles } from '../../core/auth/roles.decorator';
import { contentDisposition, sendXlsx } from '../../core/export/xlsx.util';
import { wantsJson } from '../../core/web/http-exception.filter';
import { buildPager, parseListQuery, plainQuery } from '../../core/web/list-query';
import { uploadInterceptor } from '../../core/web/upload';
import { DOCUMENT_KINDS, isImage, isOwnerKind, KIND_RULES, MAX_UPLOAD_MB, typeLabels } from './document-kinds.util';
import { DOCUMENT_LIST, DocumentsListService, parseDocumentFilter, readableOwnerKinds } from './documents-list.service';
import { DocumentsService, UploadedFile as Upload } from './documents.service';

const THUMB_PX = 320;
const XLSX_MAX_ROWS = 100_000;
const kbOf = (bytes: number) => Math.max(1, Math.round(bytes / 1024)).toLocaleString('en');

/** The documents of one record (list, thumbnails, upload), downloads and soft deletion. Access: the record's own rule. */
@ApiExcludeController()
@Controller('documents')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService, private readonly lists: DocumentsListService) {}

  /** Staff: the latest documents across the records they read (filter, sort, pages, `?format=xlsx`). */
  @Get()
  @Roles('admin', 'channel_manager', 'finance')
  async recent(@CurrentUser() actor: Actor, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const filter = parseDocumentFilter(plainQuery(query));
    const list = parseListQuery(query, DOCUMENT_LIST);
    const owners = readableOwnerKinds(actor);
    const kinds = DOCUMENT_KINDS.filter((k) => owners.includes(KIND_RULES[k].owner));
    if (query.format === 'xlsx') {
      const all = await this.lists.page(actor, filter, { ...list, offset: 0, size: XLSX_MAX_ROWS });
      const filters: [string, string][] = [];
      if (filter.kind) filters.push([req.t('documents:col.kind'), req.t(`documents:kind.${filter.kind}`)]);
      if (filter.q) filters.push([req.t('documents:list.filterQ'), filter.q]);
      await sendXlsx(res, `${req.t('documents:list.title')}.xlsx`, {
        title: req.t('documents:list.title'), exportedAtLabel: req.t('common:list.exportedAt'), filters,
        columns: [
          { header: req.t('documents:col.uploadedAt'), key: 'uploadedAt', kind: 'datetime', width: 18 },
          { header: req.t('documents:col.name'), key: 'originalName', width: 36 },
          { header: req.t('documents:col.kind'), key: 'kindLabel', width: 24 },
          { header: req.t('documents:col.record'), key: 'record', width: 20 },
          { header: req.t('documents:col.partner'), key: 'partner', width: 30 },
          { header: req.t('documents:col.size'), key: 'sizeBytes', kind: 'number', width: 12 },
          { header: req.t('documents:col.uploadedBy'), key: 'uploadedByName', width: 16 },
        ],
        rows: all.rows.map((r: Record<string, unknown>) => ({ ...r, kindLabel: req.t(`documents:kind.${r.kind}`), record: `${req.t(`documents:ownerKind.${r.ownerKind}`)} #${r.ownerId}`, partner: r.partnerCode ? `${r.partnerCode} ${r.partnerName}` : '' })),
      });
      return;
    }
    const { rows, total } = await this.lists.page(actor, filter, list);
    res.render('documents/recent', { title: 'documents:list.title', rows: rows.map((r: { sizeBytes: number }) => ({ ...r, kb: kbOf(r.sizeBytes) })), filter, kinds, list, pager: buildPager(total, list, '/documents', query) });
  }

  @Get('on/:ownerKind/:ownerId')
  @AnyRole()
  async page(@CurrentUser() actor: Actor, @Param('ownerKind') ownerKind: string, @Param('ownerId', ParseIntPipe) ownerId: number, @Req() req: Request, @Res() res: Response) {
    if (!isOwnerKind(ownerKind)) throw new NotFoundException('documents:errors.notFound');
    const { access, documents } = await this.documents.list(actor, ownerKind, ownerId);
    if (wantsJson(req)) { res.json({ canUpload: access.canUpload, documents }); return; }
    const uploadKinds = access.canUpload.map((k) => ({ kind: k, types: typeLabels(k).join('/'), maxMb: Math.round(this.documents.limitOf(k) / 1024 / 1024) }));
    res.render('documents/list', {
      title: 'documents:page.title', ownerLabel: req.t(access.label, access.labelParams), backHref: access.backHref, ownerKind, ownerId,
      documents: documents.map((d) => ({ ...d, kb: kbOf(d.sizeBytes), deletable: access.canUpload.includes(d.kind) })), uploadKinds, onlyKind: uploadKinds.length === 1 ? uploadKinds[0].kind : null,
    });
  }

  @Post('on/:ownerKind/:ownerId')
  @AnyRole()
  @UseInterceptors(uploadInterceptor(MAX_UPLOAD_MB * 1024 * 1024))
  async upload(@CurrentUser() actor: Actor, @Param('ownerKind') ownerKind: string, @Param('ownerId', ParseIntPipe) ownerId: number,
    @Body('kind') kind: unknown, @UploadedFile() file: Upload | undefined, @Req() req: Request, @Res() res: Response) {
    if (!isOwnerKind(ownerKind)) throw new NotFoundException('documents:errors.notFound');
    const doc = await this.documents.upload(actor, ownerKind, ownerId, kind, file);
    if (wantsJson(req)) { res.status(201).json(doc); return; }
    req.flash('success', 'documents:flash.uploaded', { name: doc.originalName });
    res.redirect(303, `/documents/on/${ownerKind}/${ownerId}`);
  }

  /** The file itself: its stored type, its original (Chinese) name, never sniffed by the browser. */
  @Get(':id')
  @AnyRole()
  async download(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Res() res: Response) {
    const { doc, stream } = await this.documents.open(actor, id);
    res.setHeader('Content-Type', doc.mimeType);
    res.setHeader('Content-Length', String(doc.sizeBytes));
    res.setHeader('Content-Disposition', contentDisposition(doc.originalName));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, no-store');
    await pipeline(stream, res);
  }

  /** A small JPEG of an image document (sharp), for the list. */
  @Get(':id/thumbnail')
  @AnyRole()
  async thumbnail(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Res() res: Response) {
    const { doc } = await this.documents.get(actor, id);
    if (!isImage(doc.mimeType)) throw new NotFoundException('documents:errors.notFound');
    const { stream } = await this.documents.open(actor, id);
    res.setHeader('Content-Type', 'image/jpeg');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, max-age=3600');
    await pipeline(stream, sharp({ limitInputPixels: 50_000_000 }).rotate().resize(THUMB_PX, THUMB_PX, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 75 }), res);
  }

  @Post(':id/delete')
  @AnyRole()
  async remove(@CurrentUser() actor: Actor, @Param('id', ParseIntPipe) id: number, @Req() req: Request, @Res() res: Response) {
    const doc = await this.documents.remove(actor, id);
    if (wantsJson(req)) { res.status(200).json({ id, deleted: true }); return; }
    req.flash('success', 'documents:flash.deleted', { name: doc.originalName });
    res.redirect(303, `/documents/on/${doc.ownerKind}/${doc.ownerId}`);
  }
}


