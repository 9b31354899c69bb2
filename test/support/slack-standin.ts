// The Slack stand-in lives with the sandbox, which grows it into a small Slack; tests use the same one.
export * from '../../src/sandbox/slack-standin.js';
