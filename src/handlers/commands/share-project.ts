import type { SubCommand } from './types.js';

export const shareProjectCommand: SubCommand = {
  name: 'share-project',
  usage: 'share-project',
  summary: 'share one of your projects (Web or Desktop) with people who hold a seat; opens a form',
  adminOnly: false,
  run: async ({ actor, openForm }) => openForm('share_project', await actor()),
};
