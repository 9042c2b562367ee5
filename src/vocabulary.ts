/** Terms shared by several domains. */

/** The kinds of point of contact a state may list (a contact may serve several). */
export const DOMAINS = ['diplomatic', 'policy', 'technical'] as const;
export type Domain = (typeof DOMAINS)[number];

/** Confidential by default; public only by the owning state's choice. */
export const VISIBILITIES = ['confidential', 'public'] as const;
export type Visibility = (typeof VISIBILITIES)[number];
