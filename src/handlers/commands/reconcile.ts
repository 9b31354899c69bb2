import type { SubCommand } from './types.js';

export const reconcileCommand: SubCommand = {
  name: 'reconcile',
  usage: 'reconcile',
  summary: 'compare a license with the user list exported from the ATLAS.ti account portal: who is in both, whose hand-off did not happen, who joined without an invitation',
  adminOnly: true,
  run: async ({ actor, openForm }) => openForm('reconcile', await actor()),
};
