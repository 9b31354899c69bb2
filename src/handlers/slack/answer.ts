import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from './context.js';

/**
 * Answers whoever clicked: through the click's response_url when it has one (a message button),
 * or in their DM when it has none (a button inside a modal).
 */
export function answerClicker(respond: RespondFn | undefined, client: WebClient, userId: string) {
  return async (m: SlackMessage, replace = false): Promise<void> => {
    if (respond) {
      await respond(replace ? { replace_original: true, text: m.text, blocks: m.blocks } : { response_type: 'ephemeral', replace_original: false, text: m.text, blocks: m.blocks });
    } else {
      await client.chat.postMessage({ channel: userId, text: m.text, blocks: m.blocks });
    }
  };
}
