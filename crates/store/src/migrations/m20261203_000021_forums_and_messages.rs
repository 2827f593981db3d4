//! Discussion forums (an offering's threads and posts, who follows them for digests, who read
//! them up to when) and messages (conversations between people of one institution, who is in
//! each and up to when they read it).

use sea_orm_migration::prelude::*;

use super::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                table("forum_threads")
                    .col(int("institution_id"))
                    .col(int("offering_id"))
                    .col(text("title"))
                    .col(int("started_by"))
                    .col(time("started_at"))
                    // The newest post's time (the list's order) and id (what is new is read by id,
                    // so two posts in the same instant still come in order).
                    .col(time("last_post_at"))
                    .col(int("last_post_id"))
                    .col(boolean("pinned", false))
                    .col(boolean("locked", false))
                    .foreign_key(&mut references("forum_threads", "institution_id", "institutions"))
                    .foreign_key(&mut references("forum_threads", "offering_id", "offerings"))
                    .foreign_key(&mut references("forum_threads", "started_by", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("forum_threads", &["institution_id", "offering_id", "last_post_at"], false)).await?;
        manager
            .create_table(
                table("forum_posts")
                    .col(int("institution_id"))
                    .col(int("thread_id"))
                    .col(int("posted_by"))
                    // Markdown.
                    .col(text("body"))
                    .col(time("posted_at"))
                    .col(time_null("edited_at"))
                    // A moderator's hiding: why, by whom, when.
                    .col(text_null("hidden_reason"))
                    .col(int_null("hidden_by"))
                    .col(time_null("hidden_at"))
                    .foreign_key(&mut references("forum_posts", "thread_id", "forum_threads"))
                    .foreign_key(&mut references("forum_posts", "posted_by", "users"))
                    .foreign_key(&mut references("forum_posts", "hidden_by", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("forum_posts", &["thread_id", "posted_at"], false)).await?;
        manager.create_index(index("forum_posts", &["institution_id", "posted_by"], false)).await?;
        manager
            .create_table(
                table("forum_subscriptions")
                    .col(int("institution_id"))
                    .col(int("offering_id"))
                    // None: the whole forum (every thread, new ones too).
                    .col(int_null("thread_id"))
                    .col(int("user_id"))
                    // Posts with a greater id go in the next digest.
                    .col(int("after_post_id"))
                    .foreign_key(&mut references("forum_subscriptions", "offering_id", "offerings"))
                    .foreign_key(&mut references("forum_subscriptions", "thread_id", "forum_threads"))
                    .foreign_key(&mut references("forum_subscriptions", "user_id", "users"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("forum_subscriptions", &["institution_id", "user_id", "offering_id"], false))
            .await?;
        manager
            .create_table(
                table("forum_reads")
                    .col(int("institution_id"))
                    .col(int("thread_id"))
                    .col(int("user_id"))
                    // The newest post there was when they last read the thread.
                    .col(int("last_post_id"))
                    .col(time("read_at"))
                    .foreign_key(&mut references("forum_reads", "thread_id", "forum_threads"))
                    .foreign_key(&mut references("forum_reads", "user_id", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("forum_reads", &["thread_id", "user_id"], true)).await?;
        manager.create_index(index("forum_reads", &["institution_id", "user_id"], false)).await?;
        manager
            .create_table(
                table("conversations")
                    .col(int("institution_id"))
                    .col(text("subject"))
                    // Written to an offering's whole class.
                    .col(int_null("offering_id"))
                    .col(int("started_by"))
                    .col(time("started_at"))
                    .col(time("last_message_at"))
                    .foreign_key(&mut references("conversations", "institution_id", "institutions"))
                    .foreign_key(&mut references("conversations", "offering_id", "offerings"))
                    .foreign_key(&mut references("conversations", "started_by", "users"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                table("conversation_members")
                    .col(int("institution_id"))
                    .col(int("conversation_id"))
                    .col(int("user_id"))
                    // The newest message there was when they last read it.
                    .col(int_null("read_up_to"))
                    // A message came since they last read it.
                    .col(boolean("unread", false))
                    .foreign_key(&mut references("conversation_members", "conversation_id", "conversations"))
                    .foreign_key(&mut references("conversation_members", "user_id", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("conversation_members", &["conversation_id", "user_id"], true)).await?;
        manager.create_index(index("conversation_members", &["institution_id", "user_id", "unread"], false)).await?;
        manager
            .create_table(
                table("messages")
                    .col(int("institution_id"))
                    .col(int("conversation_id"))
                    .col(int("sent_by"))
                    .col(text("body"))
                    .col(time("sent_at"))
                    .foreign_key(&mut references("messages", "conversation_id", "conversations"))
                    .foreign_key(&mut references("messages", "sent_by", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("messages", &["conversation_id", "sent_at"], false)).await
    }
}
