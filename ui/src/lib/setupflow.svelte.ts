// Where the setup path goes next, across pages: after a machine is added the add-device
// form opens for it; after a device is added its tag editor opens.

export const setupFlow = $state({ addDeviceFor: '', editTagsOf: '' });
