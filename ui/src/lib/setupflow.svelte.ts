// Where the setup path goes next, across pages: after a machine is added the add-device
// form opens for it; after a device is added its tag editor opens; a scan's register
// saved as a tag opens its device's tag editor with the new row.

import type { TagForm } from './setup';

export const setupFlow = $state<{
  addDeviceFor: string;
  editTagsOf: string;
  /** A tag to add to a device's tag editor (a scan's "save as tag"). */
  pendingTag: { device: string; form: TagForm } | null;
}>({ addDeviceFor: '', editTagsOf: '', pendingTag: null });
