// Groups, as one entry point over the services that hold each concern: settings and standing,
// membership, the notification list, announcements and essence, reactions and nudges. Each
// method forwards to the service that holds it; the services name what they use.

import { GroupBoard } from './group-board.ts';
import { GroupInteractions } from './group-interactions.ts';
import { GroupMembership } from './group-membership.ts';
import { GroupNotifications } from './group-notifications.ts';
import { GroupSettings } from './group-settings.ts';
import type { Messages } from './messages.ts';
import type { Transactions } from './outbox.ts';
import type { Links, ResourceStore } from './resources.ts';
import type { Store } from './store.ts';

export type { JoinedBy, NewGroup } from './group-membership.ts';
export { maxMuteSeconds } from './rules.ts';

/** What the group services use between them. */
export interface GroupsDeps {
  readonly store: Store;
  readonly tx: Transactions;
  readonly resources: ResourceStore;
  readonly links: Links;
  readonly messages: Messages;
}

/** Every group operation, each forwarded to the service that holds its concern. */
export class Groups {
  readonly notices: GroupNotifications;
  readonly settings: GroupSettings;
  readonly membership: GroupMembership;
  readonly board: GroupBoard;
  readonly interactions: GroupInteractions;

  constructor(deps: GroupsDeps) {
    const { store, tx, resources, links, messages } = deps;
    this.notices = new GroupNotifications({ store });
    this.settings = new GroupSettings({ store, tx, resources, notifications: this.notices });
    this.membership = new GroupMembership({ store, tx, notifications: this.notices });
    this.board = new GroupBoard({ store, tx, resources, links, messages });
    this.interactions = new GroupInteractions({ store, tx });
  }

  readonly notifications: GroupNotifications['list'] = (...args) => this.notices.list(...args);
  readonly setName: GroupSettings['setName'] = (...args) => this.settings.setName(...args);
  readonly setAvatar: GroupSettings['setAvatar'] = (...args) => this.settings.setAvatar(...args);
  readonly setCard: GroupSettings['setCard'] = (...args) => this.settings.setCard(...args);
  readonly setTitle: GroupSettings['setTitle'] = (...args) => this.settings.setTitle(...args);
  readonly setAdmin: GroupSettings['setAdmin'] = (...args) => this.settings.setAdmin(...args);
  readonly mute: GroupSettings['mute'] = (...args) => this.settings.mute(...args);
  readonly wholeMute: GroupSettings['wholeMute'] = (...args) => this.settings.wholeMute(...args);
  readonly create: GroupMembership['create'] = (...args) => this.membership.create(...args);
  readonly joinDirectly: GroupMembership['joinDirectly'] = (...args) => this.membership.joinDirectly(...args);
  readonly kick: GroupMembership['kick'] = (...args) => this.membership.kick(...args);
  readonly quit: GroupMembership['quit'] = (...args) => this.membership.quit(...args);
  readonly disband: GroupMembership['disband'] = (...args) => this.membership.disband(...args);
  readonly join: GroupMembership['join'] = (...args) => this.membership.join(...args);
  readonly requestJoin: GroupMembership['requestJoin'] = (...args) => this.membership.requestJoin(...args);
  readonly invite: GroupMembership['invite'] = (...args) => this.membership.invite(...args);
  readonly answerRequest: GroupMembership['answerRequest'] = (...args) => this.membership.answerRequest(...args);
  readonly inviteBot: GroupMembership['inviteBot'] = (...args) => this.membership.inviteBot(...args);
  readonly answerInvitation: GroupMembership['answerInvitation'] = (...args) => this.membership.answerInvitation(...args);
  readonly announcements: GroupBoard['announcements'] = (...args) => this.board.announcements(...args);
  readonly announce: GroupBoard['announce'] = (...args) => this.board.announce(...args);
  readonly deleteAnnouncement: GroupBoard['deleteAnnouncement'] = (...args) => this.board.deleteAnnouncement(...args);
  readonly essence: GroupBoard['essence'] = (...args) => this.board.essence(...args);
  readonly setEssence: GroupBoard['setEssence'] = (...args) => this.board.setEssence(...args);
  readonly react: GroupInteractions['react'] = (...args) => this.interactions.react(...args);
  readonly reactions: GroupInteractions['reactions'] = (...args) => this.interactions.reactions(...args);
  readonly nudge: GroupInteractions['nudge'] = (...args) => this.interactions.nudge(...args);
}
