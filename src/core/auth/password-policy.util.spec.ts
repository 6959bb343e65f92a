import { checkPasswordPolicy } from './password-policy.util';

describe('password policy', () => {
  it.each([
    ['aaaaaaaaaa', 'auth:policy.weak.repeat'],
    ['1234567890', 'auth:policy.weak.common'],
    ['13579bdfhj', 'auth:policy.weak.sequence'],
    ['          ', 'auth:policy.blank'],
    ['qwertyuiop', 'auth:policy.weak.common'],
    ['zxcvbnm,./;', 'auth:policy.weak.keyboard'],
    ['password12', 'auth:policy.weak.common'],
  ])('refuses %j with a reason', (pw, why) => {
    expect(checkPasswordPolicy(pw)).toEqual({ message: why });
  });

  it('refuses short and overlong passwords with the limit', () => {
    expect(checkPasswordPolicy('Xk9#2p')).toEqual({ message: 'auth:errors.passwordShort', params: { min: 10 } });
    expect(checkPasswordPolicy('x'.repeat(201))).toEqual({ message: 'auth:errors.passwordLong', params: { max: 200 } });
    expect(checkPasswordPolicy(undefined)).toEqual({ message: 'auth:errors.passwordShort', params: { min: 10 } });
  });

  it("refuses the person's username, display name and partner name, in any case", () => {
    expect(checkPasswordPolicy('zhangwei-Quartz-77', { username: 'zhangwei' })).toEqual({ message: 'auth:policy.containsName' });
    expect(checkPasswordPolicy('Li Na river lantern', { displayName: 'li na' })).toEqual({ message: 'auth:policy.containsName' });
    expect(checkPasswordPolicy('贵阳云帆通信有限公司', { partnerName: '贵阳云帆通信有限公司' })).toEqual({ message: 'auth:policy.containsName' });
    expect(checkPasswordPolicy('Guiyang Yunfan 2026!', { partnerName: 'guiyang yunfan' })).toEqual({ message: 'auth:policy.containsName' });
  });

  it('accepts a long unguessable passphrase', () => {
    expect(checkPasswordPolicy('river-lantern-Quartz-81', { username: 'zhangwei', displayName: '张伟', partnerName: '云帆通信' })).toBeNull();
    expect(checkPasswordPolicy('test-password-1')).toBeNull();
  });
});
