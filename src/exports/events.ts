/** The ledger events of exports. Offline exports generated, and a state's export key registered or removed. */
export const EXPORT_EVENTS = {
  generated: 'export.generated',
  keyRegistered: 'export-key.registered',
  keyRemoved: 'export-key.removed',
} as const;
