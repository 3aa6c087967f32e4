import type { ChangeFeed } from "../../db/listener.js";

/** The channel the database announces catalog changes on (see the catalog_change_feed migration). */
export const CATALOG_CHANNEL = "lyceum_catalog";

/**
 * Catalog pages as anonymous visitors see them (the same for everyone), kept in this process
 * as the response body already serialized, per query.
 *
 * A page is only served from here after `sync()` answered true for the request: the change
 * feed has then delivered every change committed before the request arrived (a course
 * published, renamed, enrolled in; a lesson added; an instructor renamed), and any of them
 * emptied the cache. When the feed is down `sync()` answers false and pages are read from
 * the database. A page read while a change arrived is not kept (the generation moved on).
 */
export class ListingCache {
  private readonly pages = new Map<string, string>();
  private generationValue = 0;

  constructor(
    private readonly feed: ChangeFeed,
    private readonly maxPages = 500,
  ) {}

  /** Whether pages may be served for a request arriving now (waits for the feed to catch up). */
  sync(): Promise<boolean> {
    return this.feed.sync();
  }

  get generation(): number {
    return this.generationValue;
  }

  /** Something in the catalog changed, or the feed went down or came up. */
  clear(): void {
    this.generationValue += 1;
    this.pages.clear();
  }

  page(key: string): string | undefined {
    return this.pages.get(key);
  }

  store(generation: number, key: string, body: string): void {
    if (generation !== this.generationValue) return;
    // Bounded: the oldest page is forgotten first (Map keeps insertion order).
    if (!this.pages.has(key) && this.pages.size >= this.maxPages) {
      const oldest = this.pages.keys().next().value;
      if (oldest !== undefined) this.pages.delete(oldest);
    }
    this.pages.set(key, body);
  }
}
