// Name conflicts: before creating, look for an entity of the same name in the
// same scope in Broadstreet; if one exists, use "Name (1)", "Name (2)", …
// Names handed out in this run are reserved, so two local entities of one
// name never get the same resolved name.
import type { EntityType } from '../../domain/enums.ts';
import type { RemoteScope, WireEntity } from '../spec.ts';

/** The names of one type under one parent (the network, or an advertiser for campaigns), in Broadstreet ids. */
export interface NameScope extends RemoteScope {
  type: EntityType;
}

/** Lists a scope's entities in Broadstreet (the type's spec says how). */
export type ListScope = (scope: NameScope) => Promise<WireEntity[]>;

const keyOf = (scope: NameScope) => `${scope.type}:${scope.parentId}`;

export class RemoteNames {
  private readonly lists = new Map<string, Promise<Map<string, number[]>>>();
  private readonly reserved = new Map<string, Set<string>>();

  constructor(private readonly listScope: ListScope) {}

  /** A scope known to be empty in Broadstreet (its parent was created by this run). */
  markEmpty(scope: NameScope): void {
    this.lists.set(keyOf(scope), Promise.resolve(new Map()));
  }

  /**
   * Starts reading a scope's names now, so that its first create need not
   * wait a round trip for them later (the zones' list while the advertisers
   * are created). A failed read is forgotten, as in names(): the first
   * resolve reads again and reports it.
   */
  prefetch(scope: NameScope): void {
    this.names(scope).catch(() => {});
  }

  /** The first free name among name, "name (1)", "name (2)", …, reserved for the caller. */
  async resolve(scope: NameScope, name: string): Promise<string> {
    const taken = await this.names(scope);
    const reserved = this.reservedIn(scope);
    for (let n = 0; ; n += 1) {
      const candidate = n === 0 ? name : `${name} (${n})`;
      if (!taken.has(candidate) && !reserved.has(candidate)) {
        reserved.add(candidate);
        return candidate;
      }
    }
  }

  /** Reserves a name chosen earlier (a resumed intent). */
  reserve(scope: NameScope, name: string): void {
    this.reservedIn(scope).add(name);
  }

  /** The id of the entity called `name` in Broadstreet now, if any (re-reads the scope). */
  async lookup(scope: NameScope, name: string): Promise<number | undefined> {
    this.lists.delete(keyOf(scope));
    const ids = (await this.names(scope)).get(name);
    return ids && Math.max(...ids);
  }

  /** The ids of every entity called `name` in Broadstreet now (re-reads the scope). */
  async idsOf(scope: NameScope, name: string): Promise<number[]> {
    this.lists.delete(keyOf(scope));
    return (await this.names(scope)).get(name) ?? [];
  }

  /** Records an entity this run created, so later lookups in the scope need no refetch. */
  async added(scope: NameScope, name: string, id: number): Promise<void> {
    const names = await this.names(scope);
    names.set(name, [...(names.get(name) ?? []), id]);
  }

  private reservedIn(scope: NameScope): Set<string> {
    const key = keyOf(scope);
    let set = this.reserved.get(key);
    if (!set) this.reserved.set(key, (set = new Set()));
    return set;
  }

  private names(scope: NameScope): Promise<Map<string, number[]>> {
    const key = keyOf(scope);
    let list = this.lists.get(key);
    if (!list) {
      list = this.listScope(scope).then((entities) => {
        const names = new Map<string, number[]>();
        for (const { id, name } of entities) names.set(name, [...(names.get(name) ?? []), id]);
        return names;
      });
      list.catch(() => this.lists.delete(key));
      this.lists.set(key, list);
    }
    return list;
  }
}
