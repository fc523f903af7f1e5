// Generated from the action table (src/sandbox/actions.ts) by test/sandbox-commands.test.ts. Do not edit: change
// the table and run `pnpm --filter @milky/reference-server exec vitest run sandbox-commands -u`.

import type { ActionName } from '../actions.ts';
import type { ActionCommand } from '../commands.ts';

/** Every sandbox action as the command line knows it, by name, in the table's order. */
export const commands: { readonly [N in ActionName]: ActionCommand } = {
  "create_user": {"help":"add a person to the world","words":["...nickname"],"fields":{"user_id":{"type":"integer"},"nickname":{"type":"string"},"sex":{"anyOf":[{"const":"male"},{"const":"female"},{"const":"unknown"}]},"qid":{"type":"string"},"age":{"type":"integer"},"level":{"type":"integer"},"city":{"type":"string"},"bio":{"type":"string"}},"required":["nickname"]},
  "create_group": {"help":"create a group with its members (the bot among them or not)","words":["...name"],"fields":{"group_id":{"type":"integer"},"name":{"type":"string"},"owner_id":{"type":"integer"},"members":{"type":"array","items":{"type":"object","required":["user_id"]}},"max_member_count":{"type":"integer"},"description":{"type":"string"}},"required":["name","owner_id"]},
  "befriend": {"help":"make a user a friend of the bot at once","words":["user_id"],"fields":{"user_id":{"type":"integer"},"remark":{"type":"string"}},"required":["user_id"]},
  "say": {"help":"send a message: in --group_id, in a temporary chat --via_group_id, or in the actor's chat with the bot","words":["...message"],"fields":{"as":{"type":"integer"},"group_id":{"type":"integer"},"via_group_id":{"type":"integer"},"message":{"type":"array","items":{}}},"required":["as","message"]},
  "recall": {"help":"recall one's message, or as an admin a member's","words":["message_seq"],"fields":{"as":{"type":"integer"},"group_id":{"type":"integer"},"via_group_id":{"type":"integer"},"message_seq":{"type":"integer"}},"required":["as","message_seq"]},
  "nudge": {"help":"nudge the bot in the friend chat, or in a group any member (the bot by default)","words":[],"fields":{"as":{"type":"integer"},"group_id":{"type":"integer"},"user_id":{"type":"integer"}},"required":["as"]},
  "friend_request": {"help":"ask the bot to be friends","words":["...comment"],"fields":{"as":{"type":"integer"},"comment":{"type":"string"},"via":{"type":"string"},"is_filtered":{"type":"boolean"}},"required":["as"]},
  "join_request": {"help":"ask to join a group","words":["group_id","...comment"],"fields":{"as":{"type":"integer"},"group_id":{"type":"integer"},"comment":{"type":"string"},"is_filtered":{"type":"boolean"}},"required":["as","group_id"]},
  "invite": {"help":"invite someone into a group (an admin's invitation takes effect at once)","words":["user_id"],"fields":{"as":{"type":"integer"},"group_id":{"type":"integer"},"user_id":{"type":"integer"}},"required":["as","group_id","user_id"]},
  "invite_bot": {"help":"invite the bot into a group","words":["group_id"],"fields":{"as":{"type":"integer"},"group_id":{"type":"integer"},"source_group_id":{"type":"integer"}},"required":["as","group_id"]},
  "join": {"help":"join a group directly","words":["group_id"],"fields":{"as":{"type":"integer"},"group_id":{"type":"integer"}},"required":["as","group_id"]},
  "leave": {"help":"leave a group","words":["group_id"],"fields":{"as":{"type":"integer"},"group_id":{"type":"integer"}},"required":["as","group_id"]},
  "disband": {"help":"disband a group, as its owner: it is gone from the world","words":["group_id"],"fields":{"as":{"type":"integer"},"group_id":{"type":"integer"}},"required":["as","group_id"]},
  "kick": {"help":"remove a member (the bot too)","words":["user_id"],"fields":{"as":{"type":"integer"},"group_id":{"type":"integer"},"user_id":{"type":"integer"},"reject_add_request":{"type":"boolean"}},"required":["as","group_id","user_id"]},
  "mute": {"help":"mute a member for some seconds; 0 lifts it","words":["user_id","duration"],"fields":{"as":{"type":"integer"},"group_id":{"type":"integer"},"user_id":{"type":"integer"},"duration":{"type":"integer"}},"required":["as","group_id","user_id","duration"]},
  "whole_mute": {"help":"turn whole-group mute on or off","words":["is_mute"],"fields":{"as":{"type":"integer"},"group_id":{"type":"integer"},"is_mute":{"type":"boolean"}},"required":["as","group_id","is_mute"]},
  "rename_group": {"help":"rename a group","words":["...new_group_name"],"fields":{"as":{"type":"integer"},"group_id":{"type":"integer"},"new_group_name":{"type":"string"}},"required":["as","group_id","new_group_name"]},
  "set_admin": {"help":"appoint or dismiss an admin","words":["user_id","is_set"],"fields":{"as":{"type":"integer"},"group_id":{"type":"integer"},"user_id":{"type":"integer"},"is_set":{"type":"boolean"}},"required":["as","group_id","user_id"]},
  "essence": {"help":"mark or unmark an essence message","words":["message_seq","is_set"],"fields":{"as":{"type":"integer"},"group_id":{"type":"integer"},"message_seq":{"type":"integer"},"is_set":{"type":"boolean"}},"required":["as","group_id","message_seq"]},
  "react": {"help":"react to a group message","words":["message_seq","reaction"],"fields":{"as":{"type":"integer"},"group_id":{"type":"integer"},"message_seq":{"type":"integer"},"reaction":{"type":"string"},"reaction_type":{"anyOf":[{"const":"face"},{"const":"emoji"}]},"is_add":{"type":"boolean"}},"required":["as","group_id","message_seq","reaction"]},
  "upload": {"help":"upload a file to a group, or send it in the actor's chat with the bot","words":["file_uri"],"fields":{"as":{"type":"integer"},"group_id":{"type":"integer"},"parent_folder_id":{"type":"string"},"file_name":{"type":"string"},"file_uri":{"type":"string"}},"required":["as","file_name","file_uri"]},
  "pin": {"help":"pin or unpin a chat of the bot, as from another device","words":["message_scene","peer_id","is_pinned"],"fields":{"message_scene":{"anyOf":[{"const":"friend"},{"const":"group"},{"const":"temp"}]},"peer_id":{"type":"integer"},"is_pinned":{"type":"boolean"}},"required":["message_scene","peer_id","is_pinned"]},
  "offline": {"help":"take the bot offline (APIs answer -403)","words":["...reason"],"fields":{"reason":{"type":"string"}},"required":[]},
  "online": {"help":"bring the bot back online","words":[],"fields":{},"required":[]},
  "world": {"help":"everyone, the friends, and every group with its members","words":[],"fields":{},"required":[]},
  "messages": {"help":"a page of a chat, going back from start_message_seq (the newest by default)","words":["message_scene","peer_id"],"fields":{"message_scene":{"anyOf":[{"const":"friend"},{"const":"group"},{"const":"temp"}]},"peer_id":{"type":"integer"},"start_message_seq":{"type":"integer"},"limit":{"type":"integer"}},"required":["message_scene","peer_id"]},
  "group_files": {"help":"a folder of a group's files (the root by default): its files and folders","words":["group_id","parent_folder_id"],"fields":{"group_id":{"type":"integer"},"parent_folder_id":{"type":"string"}},"required":["group_id"]},
  "forwarded_messages": {"help":"the messages of a forwarded bundle, by the forward_id of its segment","words":["forward_id"],"fields":{"forward_id":{"type":"string"}},"required":["forward_id"]},
  "file_url": {"help":"a download link of a file of a message","words":["file_id"],"fields":{"file_id":{"type":"string"}},"required":["file_id"]},
};
