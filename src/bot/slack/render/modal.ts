/** Forms (src/domain/form.ts) as Slack modals, and the App Home: Block Kit surfaces beyond a message. */
import type { HomeView, InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { Choice, Form, FormField, Message } from '../../../domain/index.js';
import { slackBlocks } from './block-kit.js';
import { context } from './blocks.js';

const plainText = (text: string, max: number) => ({ type: 'plain_text' as const, text: text.length <= max ? text : `${text.slice(0, max - 1)}…` });
const option = (c: Choice): PlainTextOption => ({
  text: plainText(c.label, 75),
  value: c.value.slice(0, 150),
  ...(c.description ? { description: plainText(c.description, 75) } : {}),
});

function input(f: FormField): InputBlock {
  const common = {
    type: 'input' as const,
    block_id: f.key.block,
    label: plainText(f.label, 2000),
    ...(f.optional ? { optional: true } : {}),
    ...(f.hint ? { hint: plainText(f.hint, 2000) } : {}),
  };
  const action_id = f.key.action;
  const i = f.input;
  switch (i.type) {
    case 'text':
      if (i.format === 'url') return { ...common, element: { type: 'url_text_input', action_id, ...(i.placeholder ? { placeholder: plainText(i.placeholder, 150) } : {}), ...(i.initial ? { initial_value: i.initial } : {}) } };
      if (i.format === 'email') return { ...common, element: { type: 'email_text_input', action_id, ...(i.placeholder ? { placeholder: plainText(i.placeholder, 150) } : {}), ...(i.initial ? { initial_value: i.initial } : {}) } };
      return {
        ...common,
        element: {
          type: 'plain_text_input',
          action_id,
          ...(i.multiline ? { multiline: true } : {}),
          ...(i.maxLength ? { max_length: i.maxLength } : {}),
          ...(i.placeholder ? { placeholder: plainText(i.placeholder, 150) } : {}),
          ...(i.initial ? { initial_value: i.initial } : {}),
        },
      };
    case 'choice': {
      const options = i.options.slice(0, 100).map(option);
      const initial = options.find((o) => o.value === i.initial);
      if (i.style === 'radio') return { ...common, element: { type: 'radio_buttons', action_id, options: options.slice(0, 10), ...(initial ? { initial_option: initial } : {}) } };
      return { ...common, element: { type: 'static_select', action_id, options, ...(initial ? { initial_option: initial } : {}), ...(i.placeholder ? { placeholder: plainText(i.placeholder, 150) } : {}) } };
    }
    case 'people':
      return { ...common, element: { type: 'multi_users_select', action_id, ...(i.placeholder ? { placeholder: plainText(i.placeholder, 150) } : {}) } };
    case 'file':
      // Slack's file input (not in @slack/types yet)
      return { ...common, element: { type: 'file_input', action_id, filetypes: [...i.filetypes], max_files: i.maxFiles } as never };
  }
}

/** A form as a Slack modal: its words, then one input block per field. */
export function toModal(form: Form): ModalView {
  return {
    type: 'modal',
    callback_id: form.id,
    ...(form.metadata !== undefined ? { private_metadata: form.metadata } : {}),
    title: plainText(form.title, 24),
    submit: plainText(form.submit, 24),
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [...slackBlocks(form.intro ?? []), ...form.fields.map(input)],
  };
}

/** The form replaced by a message (progress, then the result). */
export function modalMessage(title: string, m: Message): ModalView {
  return {
    type: 'modal',
    title: plainText(title, 24),
    close: { type: 'plain_text', text: 'Done' },
    // a button inside a modal has no response_url to answer through: results there are read-only
    blocks: slackBlocks(m.blocks.filter((b) => b.kind !== 'actions').map((b) => (b.kind === 'paragraph' ? { ...b, action: undefined } : b))).slice(0, 100),
  };
}

/** The person's overview as the App Home (at most 100 blocks). */
export function homeView(m: Message): HomeView {
  const blocks: KnownBlock[] = slackBlocks(m.blocks);
  return { type: 'home', blocks: blocks.length > 100 ? [...blocks.slice(0, 99), context('More than fits here.')] : blocks };
}
