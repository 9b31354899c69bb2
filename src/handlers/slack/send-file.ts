/**
 * A file into the person's DM with the app, with Slack's current upload API (files.upload is
 * retired): files.getUploadURLExternal, the bytes to the URL it returns, then
 * files.completeUploadExternal into the DM, which takes a conversation id, not a user id.
 */
import type { WebClient } from '@slack/web-api';
import { DomainError } from '../../domain/index.js';
import type { FileDelivered, FileToSend } from '../commands/types.js';

export async function sendSlackFile(client: WebClient, userId: string, file: FileToSend, logger?: { warn(msg: string, extra?: unknown): void }): Promise<FileDelivered> {
  try {
    const opened = await client.conversations.open({ users: userId });
    const channel = opened.channel?.id;
    if (!channel) throw new Error('conversations.open returned no channel');
    // web-api's filesUploadV2 runs the three steps (and throws when one fails)
    await client.filesUploadV2({ channel_id: channel, file: Buffer.from(file.content, 'utf8'), filename: file.filename, title: file.filename, initial_comment: file.comment });
    return { how: 'file' };
  } catch (e) {
    logger?.warn(`could not upload ${file.filename}`, e instanceof Error ? e.message : e);
    const code = (e as { data?: { error?: string } }).data?.error;
    if (code === 'missing_scope' || code === 'not_allowed_token_type') {
      throw new DomainError('UNAVAILABLE', `I may not upload files in this workspace yet (the app lacks the files:write scope), so ${file.filename} is not in your messages. Ask whoever manages the Slack app to reinstall it from the current manifest.`);
    }
    throw new DomainError('UNAVAILABLE', `Slack did not take the file ${file.filename}, so it is not in your messages. Nothing else changed: please run the export again in a minute.`);
  }
}
