import { maskAccount, maskBankAccounts, mayReadBankAccount } from './bank-account.util';

describe('bank account masking', () => {
  const manager = { role: 'channel_manager' as const, partnerId: null };
  const finance = { role: 'finance' as const, partnerId: null };
  const own = { role: 'partner' as const, partnerId: 7 };
  const other = { role: 'partner' as const, partnerId: 8 };

  it('masks all but the last four digits', () => {
    expect(maskAccount('6217 0027 1000 0123 456')).toBe('************3456');
    expect(maskAccount('123')).toBe('****');
  });

  it('lets finance and the owning partner read in full, nobody else', () => {
    expect(mayReadBankAccount(finance, 7)).toBe(true);
    expect(mayReadBankAccount(own, 7)).toBe(true);
    expect(mayReadBankAccount(other, 7)).toBe(false);
    expect(mayReadBankAccount(manager, 7)).toBe(false);
    expect(mayReadBankAccount({ role: 'admin', partnerId: null }, 7)).toBe(false);
    expect(mayReadBankAccount(null, 7)).toBe(false);
    expect(mayReadBankAccount(own, null)).toBe(false);
  });

  it('masks nested answers by their owner, without touching the original', () => {
    const partner = { id: 7, code: 'P-7', cooperationType: 'agent', bankAccountNo: '6217002710000123456' };
    const answer = { proposal: { id: 1, partnerId: 7 }, partner, lines: [{ partner_id: 7, bank_account_no: '6217002710000123456' }] };
    const forManager = maskBankAccounts(answer, manager);
    expect(forManager.partner.bankAccountNo).toBe('************3456');
    expect(forManager.lines[0].bank_account_no).toBe('************3456');
    expect(partner.bankAccountNo).toBe('6217002710000123456');
    expect(maskBankAccounts(answer, own)).toBe(answer);
    expect(maskBankAccounts(answer, other).partner.bankAccountNo).toBe('************3456');
    expect(maskBankAccounts(answer, finance)).toBe(answer);
  });

  it('masks an account whose owner is unknown for everyone but finance', () => {
    const application = { id: 3, partnerId: null, bankAccountNo: '6222020200112233' };
    expect(maskBankAccounts(application, own).bankAccountNo).toBe('************2233');
    expect(maskBankAccounts(application, finance).bankAccountNo).toBe('6222020200112233');
  });
});
