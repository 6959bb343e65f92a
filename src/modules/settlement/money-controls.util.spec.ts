import { adjustmentGate, approvalRefusal, approvalsRequired, deciderRefusal, unacknowledged } from './money-controls.util';

describe('money controls (pure rules)', () => {
  it('needs two approvals only above the setting', () => {
    expect(approvalsRequired('1000000.00', '1000000.00')).toBe(1);
    expect(approvalsRequired('1000000.01', '1000000.00')).toBe(2);
    expect(approvalsRequired('0.00', '0')).toBe(1);
  });
  it('refuses the maker and a second approval by the same person', () => {
    expect(approvalRefusal(7, 7, [])).toBe('settlement:errors.makerCannotApprove');
    expect(approvalRefusal(7, 8, [8])).toBe('settlement:errors.alreadyApprovedByYou');
    expect(approvalRefusal(7, 8, [9])).toBeNull();
    expect(approvalRefusal(null, 8, [])).toBeNull();
  });
  it('never lets the system actor (no user) approve, made by someone or not', () => {
    expect(approvalRefusal(null, null, [])).toBe('settlement:errors.approverMustBeUser');
    expect(approvalRefusal(7, null, [8])).toBe('settlement:errors.approverMustBeUser');
  });
  it('bounds adjustments and sends large ones for approval', () => {
    expect(adjustmentGate('-999999999999.99', '10000', '1000000')).toBe('tooLarge');
    expect(adjustmentGate('1000000.00', '10000', '1000000')).toBe('pending');
    expect(adjustmentGate('-10000.01', '10000', '1000000')).toBe('pending');
    expect(adjustmentGate('10000.00', '10000', '1000000')).toBe('approved');
  });
  it('lets only another real user decide', () => {
    expect(deciderRefusal(3, 3)).toBe('settlement:errors.requesterCannotDecide');
    expect(deciderRefusal(3, null)).toBe('settlement:errors.deciderMustBeUser');
    expect(deciderRefusal(null, 4)).toBeNull();
    expect(deciderRefusal(3, 4)).toBeNull();
  });
  it('lists flagged lines not ticked', () => {
    expect(unacknowledged([{ id: '1' }, { id: '2' }], [2])).toEqual(['1']);
    expect(unacknowledged([], [])).toEqual([]);
  });
});
