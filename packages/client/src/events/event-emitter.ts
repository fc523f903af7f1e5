// Typed notifications on every runtime: the part of Node.js's EventEmitter that apps use (on,
// once, off, emit and their aliases, so node:events' once() and on() work with it too), listeners
// called synchronously in the order they were added, as Node.js does; no node:events import, so a
// browser bundle needs no polyfill.

type Listener = (...args: unknown[]) => void;

/** Typed notifications: `Events` maps each name to the arguments its listeners get. */
export class EventEmitter<Events extends { [K in keyof Events]: unknown[] }> {
  readonly #listeners = new Map<keyof Events, { listener: Listener; once: boolean }[]>();

  #add<K extends keyof Events>(name: K, listener: (...args: Events[K]) => void, once: boolean): this {
    const list = this.#listeners.get(name) ?? [];
    list.push({ listener: listener as unknown as Listener, once });
    this.#listeners.set(name, list);
    return this;
  }

  /** Calls `listener` on every notification `name`. */
  on<K extends keyof Events>(name: K, listener: (...args: Events[K]) => void): this {
    return this.#add(name, listener, false);
  }

  /** The same as `on`. */
  addListener<K extends keyof Events>(name: K, listener: (...args: Events[K]) => void): this {
    return this.#add(name, listener, false);
  }

  /** Calls `listener` on the next notification `name` only. */
  once<K extends keyof Events>(name: K, listener: (...args: Events[K]) => void): this {
    return this.#add(name, listener, true);
  }

  /** Removes the most recently added registration of `listener`, as Node.js does. */
  off<K extends keyof Events>(name: K, listener: (...args: Events[K]) => void): this {
    const list = this.#listeners.get(name);
    if (!list) return this;
    for (let index = list.length - 1; index >= 0; index--) {
      if (list[index]?.listener === (listener as unknown as Listener)) {
        list.splice(index, 1);
        break;
      }
    }
    if (list.length === 0) this.#listeners.delete(name);
    return this;
  }

  /** The same as `off`. */
  removeListener<K extends keyof Events>(name: K, listener: (...args: Events[K]) => void): this {
    return this.off(name, listener);
  }

  /** Removes every listener of `name`, or of every notification. */
  removeAllListeners(name?: keyof Events): this {
    if (name === undefined) this.#listeners.clear();
    else this.#listeners.delete(name);
    return this;
  }

  /** How many listeners `name` has. */
  listenerCount(name: keyof Events): number {
    return this.#listeners.get(name)?.length ?? 0;
  }

  /** Calls every listener of `name` with `args`; true when there was one. */
  emit<K extends keyof Events>(name: K, ...args: Events[K]): boolean {
    const list = this.#listeners.get(name);
    if (!list || list.length === 0) return false;
    for (const entry of [...list]) {
      if (entry.once) this.off(name, entry.listener as unknown as (...args: Events[K]) => void);
      entry.listener(...args);
    }
    return true;
  }
}
