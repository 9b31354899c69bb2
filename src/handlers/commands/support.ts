import type { SubCommand } from './types.js';

export const supportCommand: SubCommand = {
  name: 'support',
  usage: 'support',
  summary: 'ask for help: a form that sends support what they need, with your seats and invitations',
  adminOnly: false,
  run: async ({ actor, openForm }) => openForm('support', await actor()),
};
