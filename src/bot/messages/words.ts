/** Small pieces the messages share. */
import type { Icon } from '../../domain/index.js';

/** The colour of a pool's usage: green, orange from 90%, red when full. */
export const LEVEL_ICON: Record<'ok' | 'warn' | 'full', Icon> = { ok: 'large_green_circle', warn: 'large_orange_circle', full: 'red_circle' };
