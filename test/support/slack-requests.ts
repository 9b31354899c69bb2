// Signed Slack requests: shared with the sandbox, which sends the same ones from the browser's clicks.
export * from '../../src/sandbox/slack-requests.js';
