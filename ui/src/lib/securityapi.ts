// The security endpoints of the Plantlog API: one's own second factor, the admin's
// security settings, sessions, certificate, vendor accounts, the access review and the
// audit chain's check. Requests go through the app's one ApiClient (its errors, its
// session hooks).

import type { ApiClient } from './api';
import type {
  AccessReviewView,
  CertInfo,
  ChainReport,
  Enrolment,
  NewVendor,
  SecurityView,
  SecuritySettings,
  SessionView,
  User,
  VendorAccount,
  VendorChange,
} from './types';

export class SecurityApi {
  private readonly c: ApiClient;

  constructor(client: ApiClient) {
    this.c = client;
  }

  /** Quiet: the enrolment page handles its own errors, also before full access. */
  mfaStart(): Promise<Enrolment> {
    return this.c.request('POST', '/api/me/mfa/start', undefined, true);
  }
  /** Switches the second factor on; returns the recovery codes (shown once). */
  mfaConfirm(code: string): Promise<{ recovery_codes: string[] }> {
    return this.c.request('POST', '/api/me/mfa/confirm', { code }, true);
  }
  mfaRemove(): Promise<void> {
    return this.c.request('POST', '/api/me/mfa/remove');
  }
  resetMfa(id: number): Promise<void> {
    return this.c.request('POST', `/api/users/${id}/mfa/reset`);
  }
  security(): Promise<SecurityView> {
    return this.c.request('GET', '/api/security');
  }
  /** Lowering the audit floor needs `confirm_text` "shorten the audit log". */
  putSecurity(settings: SecuritySettings, confirm_text?: string): Promise<SecurityView> {
    return this.c.request('PUT', '/api/security', confirm_text ? { ...settings, confirm_text } : settings);
  }
  uploadCertificate(certificate_pem: string, private_key_pem: string): Promise<CertInfo> {
    return this.c.request('POST', '/api/security/certificate', { certificate_pem, private_key_pem });
  }
  sessions(): Promise<SessionView[]> {
    return this.c.request('GET', '/api/sessions');
  }
  endSession(id: number): Promise<void> {
    return this.c.request('DELETE', `/api/sessions/${id}`);
  }
  vendors(): Promise<VendorAccount[]> {
    return this.c.request('GET', '/api/vendors');
  }
  createVendor(v: NewVendor): Promise<User> {
    return this.c.request('POST', '/api/vendors', v);
  }
  updateVendor(id: number, change: VendorChange): Promise<User> {
    return this.c.request('PATCH', `/api/vendors/${id}`, change);
  }
  accessReview(): Promise<AccessReviewView> {
    return this.c.request('GET', '/api/access-review');
  }
  verifyAudit(): Promise<ChainReport> {
    return this.c.request('GET', '/api/audit/verify');
  }
}
