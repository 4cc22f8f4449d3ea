import { describe, expect, it } from 'vitest';
import { defaultPort, passwordLabel, queueState, settingsBody } from './mailapi';

describe('alarm mail', () => {
  const form = { host: ' mail.plant.example ', port: 587, security: 'starttls' as const, username: ' plant ', sender: 'Plantlog <p@plant.example>' };

  it('sends the password only when typed, and "" to remove it', () => {
    expect(settingsBody(form, '', false)).toEqual({
      host: 'mail.plant.example',
      port: 587,
      security: 'starttls',
      username: 'plant',
      sender: 'Plantlog <p@plant.example>',
    });
    expect(settingsBody(form, 'pw', false).password).toBe('pw');
    expect(settingsBody(form, 'pw', true).password).toBe('');
  });

  it('knows the usual ports', () => {
    expect([defaultPort('starttls'), defaultPort('tls'), defaultPort('none')]).toEqual([587, 465, 25]);
  });

  it('says where the password is and how a mail stands', () => {
    expect(passwordLabel({ password: 'memory', password_note: 'no D-Bus' })).toContain('Kept in memory only');
    expect(passwordLabel({ password: 'none', password_note: '' })).toBe('No password stored');
    expect(queueState({ state: 'waiting', attempts: 0, last_error: null })).toBe('Waiting');
    expect(queueState({ state: 'waiting', attempts: 3, last_error: 'connection refused' })).toBe(
      'Waiting (3 tries): connection refused',
    );
    expect(queueState({ state: 'failed', attempts: 1, last_error: '550 no such user' })).toBe('Refused: 550 no such user');
    expect(queueState({ state: 'sent', attempts: 1, last_error: null })).toBe('Sent');
  });
});
