CREATE TABLE "post_pacing" (
	"key" text PRIMARY KEY NOT NULL,
	"next_at" bigint NOT NULL
);
