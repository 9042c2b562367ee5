/** The time source, injectable so tests control the clock. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
