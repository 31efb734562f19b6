import type { Message } from '../types';
import type { AdversaryContext } from './types';

/** How many of the latest messages a liar remembers, and how many view-change messages per replica beside them. */
export const HEARING_MEMORY = 128;
const VIEW_CHANGES_PER_REPLICA = 4;

/**
 * What a liar has heard: the latest messages delivered to its replica, and — kept longer, since a view change is rare
 * and its material precious — the latest view-change messages (VIEW-CHANGEs and NEW-VIEWs), bounded per replica.
 */
export class Hearing {
  private readonly recent: Message[] = [];
  private next = 0;
  private viewChanges: Message[] = [];

  add(ctx: AdversaryContext, msg: Message): void {
    const role = ctx.protocol.roleOf(msg.type);
    if (role === 'view-change' || role === 'new-view') {
      this.viewChanges.push(msg);
      const limit = VIEW_CHANGES_PER_REPLICA * ctx.n;
      if (this.viewChanges.length > 2 * limit) this.viewChanges = this.viewChanges.slice(-limit);
      return;
    }
    if (this.recent.length < HEARING_MEMORY) this.recent.push(msg);
    else this.recent[this.next] = msg;
    this.next = (this.next + 1) % HEARING_MEMORY;
  }

  /** Everything it remembers, the view-change messages first, each group oldest first. */
  all(): Message[] {
    const recent = this.recent.length < HEARING_MEMORY ? this.recent : [...this.recent.slice(this.next), ...this.recent.slice(0, this.next)];
    return [...this.viewChanges, ...recent];
  }
}
