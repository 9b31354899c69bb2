ALTER TABLE "slack_inbox" ADD COLUMN "owner" text;--> statement-breakpoint
ALTER TABLE "slack_inbox" ADD COLUMN "lease_until" bigint;