/**
 * What the dashboard and team services tell the socket side after a change is committed: an accepted edit
 * (broadcast to the dashboard's room) and a change in who may see what (the sockets concerned are re-checked).
 * The services never touch Socket.IO themselves, so they can be tested, and used by HTTP, without it.
 */
import type { DashUpdate } from '../../lib/contracts/dashboards';

export type AccessChange =
  /** A user's team role changed or they left a team: every dashboard they watch is re-checked for them. */
  | { kind: 'user'; userId: string }
  /** A dashboard's shares changed, or it was deleted: everybody watching it is re-checked. */
  | { kind: 'dashboard'; dashboardId: string; deleted: boolean };

export class DashboardEvents {
  private readonly updateListeners = new Set<(update: DashUpdate) => void>();
  private readonly accessListeners = new Set<(change: AccessChange) => void>();

  onUpdate(listener: (update: DashUpdate) => void): () => void {
    this.updateListeners.add(listener);
    return () => this.updateListeners.delete(listener);
  }

  onAccessChange(listener: (change: AccessChange) => void): () => void {
    this.accessListeners.add(listener);
    return () => this.accessListeners.delete(listener);
  }

  update(update: DashUpdate): void {
    for (const listener of this.updateListeners) listener(update);
  }

  accessChanged(change: AccessChange): void {
    for (const listener of this.accessListeners) listener(change);
  }
}
