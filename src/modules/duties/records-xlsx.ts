import { Request, Response } from 'express';
import { sendXlsx } from '../../core/export/xlsx.util';
import { RecordFilters } from './records.service';

/** A list of service records as Excel (the partner's /my/records and, #17, the manager's /duties/records). */
export async function sendRecordsXlsx(req: Request, res: Response, rows: { recordType: string; complaintOnTime: boolean | null; attachmentNames: string[] }[], filter: RecordFilters, titleKey = 'duties:records.title'): Promise<void> {
  const filters: [string, string][] = [];
  if (filter.period) filters.push([req.t('duties:col.period'), filter.period]);
  if (filter.q) filters.push([req.t('duties:records.filterCustomer'), filter.q]);
  if (filter.recordType) filters.push([req.t('duties:col.type'), req.t(`duties:recordType.${filter.recordType}`)]);
  await sendXlsx(res, `${req.t(titleKey)}.xlsx`, {
    title: req.t(titleKey), exportedAtLabel: req.t('common:list.exportedAt'), filters,
    columns: [
      { header: req.t('duties:col.occurredAt'), key: 'occurredAt', kind: 'datetime', width: 18 },
      { header: req.t('duties:col.period'), key: 'period', width: 10 },
      { header: req.t('duties:col.customerCode'), key: 'customerCode', width: 14 },
      { header: req.t('duties:col.customer'), key: 'customerName', width: 30 },
      { header: req.t('duties:col.type'), key: 'typeLabel', width: 14 },
      { header: req.t('duties:col.receivedAt'), key: 'receivedAt', kind: 'datetime', width: 18 },
      { header: req.t('duties:col.complaintOnTime'), key: 'onTime', width: 12 },
      { header: req.t('duties:col.description'), key: 'description', width: 40 },
      { header: req.t('duties:col.outcome'), key: 'outcome', width: 24 },
      { header: req.t('duties:col.amount'), key: 'amount', kind: 'money', width: 14 },
      { header: req.t('duties:col.attachments'), key: 'attachments', width: 24 },
      { header: req.t('duties:col.createdAt'), key: 'createdAt', kind: 'datetime', width: 18 },
    ],
    rows: rows.map((r: { recordType: string; complaintOnTime: boolean | null; attachmentNames: string[] }) => ({
      ...r, typeLabel: req.t(`duties:recordType.${r.recordType}`), attachments: (r.attachmentNames ?? []).join('; '),
      onTime: r.complaintOnTime === null ? '' : req.t(r.complaintOnTime ? 'duties:records.onTime' : 'duties:records.late'),
    })),
  });
}
