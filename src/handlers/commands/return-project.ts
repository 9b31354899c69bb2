import type { SubCommand } from './types.js';

export const returnProjectCommand: SubCommand = {
  name: 'return-project',
  usage: 'return-project',
  summary: 'send the link to your updated copy of a Desktop project back to its owner to merge',
  adminOnly: false,
  run: async ({ actor, openForm }) => openForm('return_project', await actor()),
};
