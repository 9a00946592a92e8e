export interface RateLimitHitTable {
  /**
   * `<limit>:<client>`: the limit's name (visitor, address, sign-in) and an HMAC of the client's
   * key under the site secret, so no address or browser id is stored.
   */
  bucket: string;
  /** Requests counted in the window that is running (or last ran). */
  hits: number;
  /**
   * When that window ends, in ms since the epoch on the app's clock. A bigint column: PostgreSQL's
   * driver reads it back as a string, which the repository turns into a number.
   */
  window_ends_at: number | string;
}
