import type { SubCommand } from './types.js';

/** Filled in by index.ts with the table itself, so the help can never miss a command. */
export const helpCommand = (table: () => SubCommand[]): SubCommand => ({
  name: 'help',
  usage: 'help',
  summary: 'these commands, and the difference between a license seat and project access',
  adminOnly: false,
  run: async ({ views, reply }) => reply(views.help(table())),
});
