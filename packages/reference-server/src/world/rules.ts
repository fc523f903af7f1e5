// The rules layer: who may do what in a group, and the limits of the world. Each rule is a function
// of rows already read; it reads and writes nothing, and fails with the error the protocol answers.

import { invalidArgument, invalidState, permissionDenied } from '../errors.ts';
import type { GroupState, MemberRow, Role, Standing } from './store.ts';

const rank: Record<Role, number> = { owner: 3, admin: 2, member: 1 };

/** The longest mute QQ allows: 30 days, in seconds. */
export const maxMuteSeconds = 30 * 24 * 3600;
/** Likes one user can receive from the bot in a day. */
export const dailyLikeLimit = 20;
/** Most entries in one page of essence messages or group notifications. */
export const groupPageLimit = 50;
/** Most friend requests in one answer. */
export const friendRequestLimit = 100;
/** How deep forwarded messages may nest. */
export const maxForwardDepth = 3;

/** Fails unless `value` is an integer from `min` to `max`, naming the field. */
export function requireRange(field: string, value: number, min: number, max: number, unit = ''): void {
  if (!Number.isInteger(value) || value < min || value > max)
    throw invalidArgument(field, `expected ${min} to ${max}${unit}, got ${value}`);
}

/** Fails unless the member has at least `role` in the group. */
export function requireRole(member: Standing, role: Role, what: string): void {
  if (rank[member.role] < rank[role]) {
    throw permissionDenied(
      `${what} needs the ${role === 'owner' ? 'owner' : 'owner or an admin'} of group ${member.group_id}; ${member.user_id} is ${member.role === 'admin' ? 'an admin' : `the ${member.role}`}`,
    );
  }
}

/** Fails unless `actor` is an admin or the owner and ranks above `target`. */
export function requireOutranks(actor: MemberRow, target: MemberRow, what: string): void {
  requireRole(actor, 'admin', what);
  if (rank[actor.role] <= rank[target.role]) {
    throw permissionDenied(`${what}: ${actor.user_id} (${actor.role}) does not rank above ${target.user_id} (${target.role})`);
  }
}

/** Fails unless `actor` may manage a file or folder of the group: the uploader or creator, an admin, or the owner. */
export function requireFileRights(actor: MemberRow, ownerId: number, what: string): void {
  if (actor.user_id !== ownerId && actor.role === 'member') throw permissionDenied(`${what} needs the uploader, an admin or the owner`);
}

/** Fails unless the member may speak in the group now: not muted, and not a plain member under a whole-group mute. */
export function requireMaySpeak(group: GroupState, member: Standing, now: number): void {
  if (member.mute_until > now) throw invalidState(`${member.user_id} is muted in group ${group.group_id} until ${member.mute_until}`);
  if (group.whole_mute && member.role === 'member')
    throw invalidState(`group ${group.group_id} is muted as a whole; only the owner and admins can speak`);
}

/** Fails unless `name` is a usable file or folder name. */
export function requireFileName(field: string, name: string): void {
  if (name.trim() === '') throw invalidArgument(field, 'a name cannot be empty');
  if (/[/\\\0]/.test(name)) throw invalidArgument(field, 'a name cannot contain /, \\ or NUL');
  if (name.length > 255) throw invalidArgument(field, 'a name has at most 255 characters');
}
