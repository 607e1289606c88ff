import { PERMISSION_MODULES, permissionFor } from '../../src/ashby/index.js';
import { MODULE_PROBES } from '../../src/credentials/index.js';

describe('module probes', () => {
  it.each(Object.entries(MODULE_PROBES))(
    "%s is probed with %s, which needs exactly that module's read permission",
    (moduleKey, endpoint) => {
      expect(permissionFor(endpoint)).toMatchObject({ moduleKey, access: 'read' });
    },
  );

  it('only modules with no cheap read are left unprobed', () => {
    const unprobed = PERMISSION_MODULES.map((m) => m.key).filter((k) => !(k in MODULE_PROBES));
    expect(unprobed.sort()).toEqual(['apiKeys', 'notetaker', 'reports']);
  });
});
