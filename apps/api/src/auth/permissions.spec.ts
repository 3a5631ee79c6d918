import { API_ROLES } from './api-role';
import { PERMISSIONS, PERMISSION_ROLES, roleMay } from './permissions';

describe('the permission table', () => {
  it('lets admin do everything', () => {
    for (const permission of PERMISSIONS) expect(roleMay('admin', permission)).toBe(true);
  });

  it('keeps ingest apart from the reading roles: it uploads and follows its files, and reads nothing else', () => {
    expect(PERMISSIONS.filter((permission) => roleMay('ingest', permission))).toEqual([
      'ingestions:read',
      'uploads:write',
    ]);
    expect(roleMay('analyst', 'uploads:write')).toBe(false);
  });

  it('gives managers claim detail and analysts not, and neither of them replay, fixes, keys or the audit log', () => {
    expect(roleMay('manager', 'claims:read')).toBe(true);
    expect(roleMay('analyst', 'claims:read')).toBe(false);
    for (const role of ['analyst', 'manager'] as const) {
      for (const permission of ['dead-letters:replay', 'reference:write', 'api-keys:manage', 'audit:read'] as const) {
        expect(roleMay(role, permission)).toBe(false);
      }
    }
  });

  it('shows small cells to managers and admins, and withholds them from analysts', () => {
    expect(PERMISSION_ROLES['kpis:small-cells']).toEqual(['manager', 'admin']);
  });

  it('names only known roles', () => {
    for (const roles of Object.values(PERMISSION_ROLES)) {
      for (const role of roles) expect(API_ROLES).toContain(role);
    }
  });
});
