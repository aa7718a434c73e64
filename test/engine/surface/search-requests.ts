/**
 * An evaluation set for catalog mode's search_tools (issue 17): requests phrased the way
 * marketers, store owners, agency staff and developers ask for things, each with the tools that
 * answer it, so a test can report recall@1 and recall@5 of the search.
 *
 * How it was written: by imagining the users, in everyday words rather than Klaviyo's, with only
 * the tool reference (docs/tools.md, docs/beta-tools.md) to pick the answers; the search and
 * scoring code was not read, so the set does not lean on what the search happens to match.
 * `tools` lists every tool that fully answers a request (the best first); a tool that only helps
 * part of the way is left out. A request's toolset is the toolset of its first tool.
 */

export interface SearchRequest {
  /** What a user (or a model relaying them) would type or say. */
  request: string;
  /** The tools that answer it; the first is the best answer, any of them counts as a hit. */
  tools: readonly string[];
  /** Only with --beta. */
  beta?: true;
}

// One request a line reads as a table; the formatter would spread each over five lines.
// biome-ignore format: kept as a table
export const SEARCH_REQUESTS: readonly SearchRequest[] = [
  // accounts
  { request: "What timezone and currency is our Klaviyo account set to?", tools: ["get_accounts", "get_account"] },
  { request: "I need our public site key for the website snippet, where do I find it?", tools: ["get_accounts", "get_account"] },
  { request: "double-check the company address and sender contact info on file for our account", tools: ["get_accounts", "get_account"] },

  // campaigns
  { request: "list the SMS campaigns scheduled for next week", tools: ["get_campaigns"] },
  { request: "show all the messages in the A/B test campaign", tools: ["get_campaign_campaign_messages", "get_campaign_message"] },
  { request: "show me the email campaigns we sent this month", tools: ["get_campaigns"] },
  { request: "How many people will the Black Friday campaign reach?", tools: ["get_campaign_recipient_estimation"] },
  { request: "the audience count on the spring sale campaign looks stale, recalculate it", tools: ["refresh_campaign_recipient_estimation"] },
  { request: "is the recount of recipients for that campaign done yet?", tools: ["get_campaign_recipient_estimation_job"] },
  { request: "Send the Black Friday campaign now", tools: ["create_campaign_send_job"] },
  { request: "set up a draft email campaign to the VIP segment for Friday's product launch", tools: ["create_campaign"] },
  { request: "duplicate last week's newsletter so I can reuse it for this week", tools: ["create_campaign_clone"] },
  { request: "change the subject line and preview text of the Mother's Day email", tools: ["update_campaign_message"] },
  { request: "rename campaign 'Spring Sale v2' to 'Spring Sale' and exclude the unengaged segment", tools: ["update_campaign"] },
  { request: "STOP the campaign that's going out right now, it went to the wrong list!", tools: ["update_campaign_send_job"] },
  { request: "put the scheduled newsletter back into draft so I can fix a typo", tools: ["update_campaign_send_job"] },
  { request: "did yesterday's newsletter finish sending?", tools: ["get_campaign_send_job", "get_campaign"] },
  { request: "use our holiday template for the email in the December campaign", tools: ["assign_template_to_campaign_message"] },
  { request: "get rid of the old 'test 1' campaign", tools: ["delete_campaign"] },
  { request: "what's the subject line and from address on the Mother's Day email?", tools: ["get_campaign_message", "get_campaign_campaign_messages"] },
  { request: "swap the picture in our SMS campaign for the new product shot", tools: ["update_image_for_campaign_message"] },
  { request: "Which template does the welcome-back campaign email use?", tools: ["get_campaign_message_template", "get_campaign_message_relationships_template"] },
  { request: "which tags are on the Black Friday campaign", tools: ["get_campaign_tags", "get_campaign_relationships_tags"] },
  { request: "pull up the settings of campaign 01HX: audience, send time, tracking", tools: ["get_campaign", "get_campaigns"] },

  // catalogs
  { request: "what's the current price and stock of the Runner sneaker in size 10?", tools: ["get_catalog_variants", "get_catalog_variant", "get_catalog_item_variants"] },
  { request: "list the categories in our product catalog", tools: ["get_catalog_categories"] },
  { request: "show the page link and description we have for product shoe-123", tools: ["get_catalog_item", "get_catalog_items"] },
  { request: "add a new product to our catalog: the linen shirt, with its page link and price", tools: ["create_catalog_item", "spawn_create_items_job"] },
  { request: "upload 80 new products to the catalog in one go", tools: ["spawn_create_items_job"] },
  { request: "did my bulk product upload finish?", tools: ["get_create_items_job", "get_create_items_jobs"] },
  { request: "show me every product in the Summer Collection category", tools: ["get_catalog_category_items", "get_catalog_items"] },
  { request: "the blue hoodie in size M is now $45 and we have 12 left", tools: ["update_catalog_variant", "spawn_update_variants_job"] },
  { request: "look up the product with SKU TS-001", tools: ["get_catalog_variants"] },
  { request: "remove the discontinued lavender candle from our product feed", tools: ["delete_catalog_item", "spawn_delete_items_job"] },
  { request: "make a 'Gifts under $50' collection in the catalog", tools: ["create_catalog_category", "spawn_create_categories_job"] },
  { request: "which collections is the leather wallet listed in?", tools: ["get_catalog_item_categories", "get_catalog_item_relationships_categories"] },
  { request: "put the wool socks in the Winter category too", tools: ["create_catalog_item_relationships_categories", "create_catalog_category_relationships_items"] },
  { request: "let jane@example.com know when the size 8 boots are back in stock", tools: ["create_back_in_stock_subscription", "create_client_back_in_stock_subscription"] },
  { request: "all the sizes and colours we sell of the Runner sneaker", tools: ["get_catalog_item_variants", "get_catalog_variants"] },
  { request: "update the description and images of the ceramic mug product", tools: ["update_catalog_item", "spawn_update_items_job"] },

  // client
  { request: "from our website's JavaScript, record that a visitor viewed a product", tools: ["create_client_event"] },
  { request: "our iOS app needs to register a device's push token for the logged-in user", tools: ["create_or_update_client_push_token", "create_or_update_push_token"] },
  { request: "What IP addresses do Klaviyo's integrations call from? Our firewall needs an allowlist", tools: ["get_client_ip_allowlist"] },
  { request: "list the store locations (geofences) set up for our app", tools: ["get_client_geofences"] },
  { request: "a shopper left a 5-star review on the product page, submit it for moderation", tools: ["create_client_review"] },
  { request: "average star rating for each product over the last quarter", tools: ["get_client_review_values_reports"] },
  { request: "newsletter box in the site footer: sign up the email the visitor typed", tools: ["create_client_subscription", "subscribe_profiles"] },

  // conversations
  { request: "reply to Maria's text message saying her order shipped today", tools: ["create_conversation_message"] },
  { request: "answer the customer in their WhatsApp chat: we'll refund you today", tools: ["create_conversation_message"] },

  // coupons
  { request: "Which coupon does the code FALL-XYZ belong to?", tools: ["get_coupon_for_coupon_code", "get_coupon_relationships_coupon_codes"] },
  { request: "make a discount code SAVE20 for the summer coupon", tools: ["create_coupon_code"] },
  { request: "generate 500 unique one-time codes for the welcome offer", tools: ["spawn_coupon_code_bulk_create_job"] },
  { request: "set up a new coupon for our 15% off first-order discount", tools: ["create_coupon"] },
  { request: "Is code WELCOME-7F3K already used or expired?", tools: ["get_coupon_code"] },
  { request: "push the expiry of this coupon code to the end of the month", tools: ["update_coupon_code"] },
  { request: "how many unused codes are left for the BFCM coupon?", tools: ["get_coupon_codes_for_coupon"] },
  { request: "delete the expired holiday coupon", tools: ["delete_coupon"] },
  { request: "what discount coupons do we have set up?", tools: ["get_coupons"] },

  // custom_objects
  { request: "what fields does our Pet custom object have?", tools: ["get_current_schema_for_object_type", "get_object_schema"] },
  { request: "list the kinds of custom objects we've defined", tools: ["get_object_types"] },
  { request: "we want to keep each customer's pets in Klaviyo: create a Pet object", tools: ["create_object_type"] },
  { request: "push this batch of 300 rows from our subscriptions table into Klaviyo", tools: ["bulk_create_data_source_records", "create_data_source_record"] },
  { request: "show me the Vehicle records we've stored as custom objects", tools: ["get_records_for_object_type"] },
  { request: "why did some of my custom object records fail to load?", tools: ["get_ingestion_logs_for_object_type"] },
  { request: "connect a data source for our loyalty points database", tools: ["create_data_source"] },
  { request: "link the Pet schema to customer profiles", tools: ["create_profile_schema_relationship"] },

  // data_privacy
  { request: "delete a customer's data for GDPR: anna@example.com", tools: ["request_profile_deletion"] },
  { request: "A customer asked us to erase everything we have on them. Right to be forgotten.", tools: ["request_profile_deletion"] },
  { request: "CCPA deletion request for the phone number +1 555 010 0199", tools: ["request_profile_deletion"] },

  // events
  { request: "record that a customer placed an order for $89", tools: ["create_event", "bulk_create_events"] },
  { request: "show me everything john@acme.com did lately: opens, clicks, orders", tools: ["get_events"] },
  { request: "backfill 500 historical orders from our old shop into Klaviyo", tools: ["bulk_create_events"] },
  { request: "which customer does this event belong to?", tools: ["get_event_profile", "get_event_relationships_profile"] },
  { request: "show the details of event 4KpQ: items, value and when it happened", tools: ["get_event"] },
  { request: "pull all the Placed Order events from yesterday", tools: ["get_events"] },
  { request: "is this event an order or a click? what type is it", tools: ["get_event_metric", "get_event_relationships_metric"] },
  { request: "Track a 'Started Trial' action for a user from our backend", tools: ["create_event"] },
  { request: "log a cancelled subscription for three customers at once", tools: ["bulk_create_events", "create_event"] },
  { request: "who opened last week's newsletter?", tools: ["get_events"] },

  // flows
  { request: "I have a flow action id from the logs; which flow is it part of?", tools: ["get_flow_for_flow_action", "get_flow_action_relationships_flow"] },
  { request: "show the draft flows we never launched", tools: ["get_flows"] },
  { request: "turn off the abandoned cart flow", tools: ["update_flow_status"] },
  { request: "Pause the welcome series while we fix the copy", tools: ["update_flow_status"] },
  { request: "switch the post-purchase automation back on", tools: ["update_flow_status"] },
  { request: "list all our live automations", tools: ["get_flows"] },
  { request: "what are the steps in the winback flow?", tools: ["get_flow_flow_actions"] },
  { request: "what does the second email of the browse abandonment series say", tools: ["get_flow_message", "get_flow_action_messages"] },
  { request: "build a welcome flow that starts when someone joins the newsletter list", tools: ["create_flow"] },
  { request: "delete the old 2022 holiday flow", tools: ["delete_flow"] },
  { request: "change the wait before the second cart reminder to 2 days", tools: ["update_flow_action"] },
  { request: "remove the SMS step from the abandoned checkout flow", tools: ["delete_flow_action"] },
  { request: "is the birthday flow live or still a draft?", tools: ["get_flow", "get_flows"] },
  { request: "what template is the thank-you email in the post-purchase flow using?", tools: ["get_flow_message_template", "get_flow_message_relationships_template"] },
  { request: "Which tags does the winback flow have", tools: ["get_flow_tags", "get_flow_relationships_tags"] },

  // forms
  { request: "when was the footer form last edited?", tools: ["get_form", "get_forms"] },
  { request: "show me all the popups and signup forms on our site", tools: ["get_forms"] },
  { request: "create a new draft newsletter popup", tools: ["create_form"] },
  { request: "get rid of the old exit-intent popup", tools: ["delete_form"] },
  { request: "what A/B versions does the footer signup form have?", tools: ["get_versions_for_form", "get_version_ids_for_form"] },
  { request: "look at popup 'Spin to win' and tell me its settings", tools: ["get_form", "get_forms"] },

  // images
  { request: "size and format of image 123 in the library?", tools: ["get_image", "get_images"] },
  { request: "upload our new logo from this link to the image library", tools: ["upload_image_from_url"] },
  { request: "add the banner saved at ./assets/banner.png to Klaviyo", tools: ["upload_image_from_file"] },
  { request: "find the image named hero-bfcm in our library", tools: ["get_images"] },
  { request: "hide the old product photos so nobody picks them for emails", tools: ["update_image"] },

  // lists
  { request: "find the list named Newsletter and give me its id", tools: ["get_lists"] },
  { request: "import a spreadsheet of contacts into the Newsletter list", tools: ["spawn_bulk_profile_import_job"] },
  { request: "make a new list called 'Trade show leads 2025'", tools: ["create_list"] },
  { request: "add these three customers to the VIP list", tools: ["add_profiles_to_list"] },
  { request: "take bob@example.com off the wholesale list", tools: ["remove_profile_from_list"] },
  { request: "show me who's on the Newsletter list", tools: ["get_list_profiles"] },
  { request: "what lists do we have?", tools: ["get_lists"] },
  { request: "rename the 'Test' list to 'Beta testers'", tools: ["update_list"] },
  { request: "switch the newsletter list to double opt-in", tools: ["update_list"] },
  { request: "Delete the old 2019 import list, we don't use it", tools: ["delete_list"] },
  { request: "is sarah@shop.com on the VIP list?", tools: ["get_list_profiles", "get_list_relationships_profiles", "get_profile_lists"] },
  { request: "when was list XyZ12 created and does it use double opt-in?", tools: ["get_list", "get_lists"] },
  { request: "which automations kick off when someone joins the VIP list", tools: ["get_flows_triggered_by_list", "get_ids_for_flows_triggered_by_list"] },
  { request: "tags on the Newsletter list", tools: ["get_list_tags", "get_list_relationships_tags"] },

  // metrics
  { request: "Which events make up our combined revenue custom metric?", tools: ["get_metrics_for_custom_metric", "get_custom_metric", "get_metric_ids_for_custom_metric"] },
  { request: "show me sample values of the items field on Checkout Started", tools: ["get_metric_property", "get_properties_for_metric"] },
  { request: "what events are we tracking from Shopify?", tools: ["get_metrics"] },
  { request: "how many orders did we get each day last week?", tools: ["query_metric_aggregates"] },
  { request: "total revenue from Placed Order in March", tools: ["query_metric_aggregates"] },
  { request: "Unique shoppers who viewed a product, per week, this quarter", tools: ["query_metric_aggregates"] },
  { request: "what fields come with the Added to Cart event?", tools: ["get_properties_for_metric"] },
  { request: "combine Shopify and Amazon orders into one revenue number we can report on", tools: ["create_custom_metric"] },
  { request: "which event counts as revenue in our account?", tools: ["get_mapped_metrics", "get_mapped_metric", "get_metric_for_mapped_metric"] },
  { request: "use 'Order Completed' from our custom integration as the revenue event", tools: ["update_mapped_metric"] },
  { request: "look up metric RsT9: what is it?", tools: ["get_metric"] },
  { request: "delete the custom metric 'combined revenue test'", tools: ["delete_custom_metric"] },
  { request: "which flows fire when someone places an order?", tools: ["get_flows_triggered_by_metric", "get_ids_for_flows_triggered_by_metric"] },
  { request: "show the custom metrics we've defined", tools: ["get_custom_metrics"] },

  // profiles
  { request: "pull up Jane Doe's profile: location, custom properties, consent", tools: ["get_profile", "get_profiles"] },
  { request: "check whether this customer can receive marketing texts", tools: ["get_profile", "get_profiles"] },
  { request: "unsubscribe tom@example.com from our emails", tools: ["unsubscribe_profiles"] },
  { request: "look up the customer with email jane@doe.com", tools: ["get_profiles"] },
  { request: "add a new contact: Ana Perez, ana@example.com, from Madrid", tools: ["create_profile", "create_or_update_profile"] },
  { request: "Tom changed his phone number, update it", tools: ["update_profile", "create_or_update_profile"] },
  { request: "opt these people in to SMS marketing, they agreed at checkout", tools: ["subscribe_profiles"] },
  { request: "set loyalty_tier to Gold for this customer", tools: ["update_profile", "create_or_update_profile"] },
  { request: "we have duplicates: combine these two customer records into one", tools: ["merge_profiles"] },
  { request: "did my contact import go through?", tools: ["get_bulk_profile_import_job", "get_bulk_profile_import_jobs"] },
  { request: "why did some rows of yesterday's contact import fail", tools: ["get_bulk_profile_import_job_errors"] },
  { request: "never email anyone on the 'hard bounces' list again, no matter their consent", tools: ["suppress_profiles"] },
  { request: "a customer was blocked from emails by mistake, let them receive emails again", tools: ["unsuppress_profiles"] },
  { request: "which segments is this person in?", tools: ["get_profile_segments", "get_profile_relationships_segments"] },
  { request: "show the SMS chat history with this customer", tools: ["get_conversations_for_profile", "get_conversation_for_profile"] },
  { request: "what phones does this shopper get push notifications on", tools: ["get_push_tokens_for_profile", "get_push_tokens"] },
  { request: "sync this CRM contact by external id, create it if it isn't there", tools: ["create_or_update_profile"] },
  { request: "Is the suppression job I started finished?", tools: ["get_bulk_suppress_profiles_job", "get_bulk_suppress_profiles_jobs"] },
  { request: "show me customers who signed up in the last 7 days", tools: ["get_profiles"] },
  { request: "move our push tokens over from OneSignal", tools: ["create_or_update_push_token"] },
  { request: "stop push notifications to this old device, drop its token", tools: ["delete_push_token", "unregister_client_push_token"] },

  // reporting
  { request: "open rate and click rate of the Black Friday campaign", tools: ["query_campaign_values"] },
  { request: "how much revenue did the welcome flow make last quarter?", tools: ["query_flow_values", "query_flow_series"] },
  { request: "weekly chart of clicks for the abandoned cart emails", tools: ["query_flow_series"] },
  { request: "compare how our last five newsletters performed", tools: ["query_campaign_values"] },
  { request: "What's the signup rate of the homepage popup?", tools: ["query_form_values", "query_form_series"] },
  { request: "how fast is the VIP segment growing month over month", tools: ["query_segment_series", "query_segment_values"] },
  { request: "how many members did the engaged segment gain this year", tools: ["query_segment_values", "query_segment_series"] },
  { request: "daily popup views over the last 30 days", tools: ["query_form_series"] },
  { request: "conversion rate of the browse abandonment emails", tools: ["query_flow_values", "query_flow_series"] },

  // reviews
  { request: "reviews waiting for moderation", tools: ["get_reviews", "get_client_reviews"] },
  { request: "show me all the 1-star reviews from this month", tools: ["get_reviews", "get_client_reviews"] },
  { request: "publish Karen's review of the espresso machine", tools: ["update_review"] },
  { request: "reject this spammy review", tools: ["update_review"] },
  { request: "what exactly did review R123 say, and about which product?", tools: ["get_review", "get_reviews"] },

  // segments
  { request: "show me the newest people to join the VIP segment", tools: ["get_segment_profiles"] },
  { request: "create a segment of people who bought twice in the last 90 days", tools: ["create_segment"] },
  { request: "who's in the VIP segment?", tools: ["get_segment_profiles", "get_segment_relationships_profiles"] },
  { request: "list all our segments", tools: ["get_segments"] },
  { request: "what are the rules behind the 'Engaged 30 days' segment", tools: ["get_segment"] },
  { request: "change the lapsed customers segment to 120 days without a purchase", tools: ["update_segment"] },
  { request: "delete the unused test segment", tools: ["delete_segment"] },
  { request: "star the VIP segment so it's easy to find", tools: ["update_segment"] },
  { request: "Which flows does the winback segment trigger?", tools: ["get_flows_triggered_by_segment", "get_ids_for_flows_triggered_by_segment"] },
  { request: "is bob@example.com in the high spenders segment", tools: ["get_segment_profiles", "get_segment_relationships_profiles", "get_profile_segments"] },
  { request: "find the segments with 'churn' in the name", tools: ["get_segments"] },
  { request: "what tags are on the high spenders segment?", tools: ["get_segment_tags", "get_segment_relationships_tags"] },

  // tags
  { request: "which tag groups do we have", tools: ["get_tag_groups"] },
  { request: "what tags are in the Region group?", tools: ["get_tag_group_tags", "get_tag_group_relationships_tags"] },
  { request: "which lists carry the wholesale tag", tools: ["get_tag_relationships_lists"] },
  { request: "create a tag called 'Q4 promo'", tools: ["create_tag"] },
  { request: "tag all the Black Friday campaigns with BFCM", tools: ["create_tag_relationships_campaigns"] },
  { request: "which campaigns have the 'holiday' tag?", tools: ["get_tag_relationships_campaigns"] },
  { request: "Rename the tag 'promo' to 'promotions'", tools: ["update_tag"] },
  { request: "take the 'seasonal' tag off the winter flows", tools: ["delete_tag_relationships_flows"] },
  { request: "set up a tag group for regions", tools: ["create_tag_group"] },
  { request: "show every tag we use", tools: ["get_tags"] },

  // templates
  { request: "list our reusable content blocks", tools: ["get_all_universal_content"] },
  { request: "what's inside the shared header block?", tools: ["get_universal_content", "get_all_universal_content"] },
  { request: "make a new email template from this HTML", tools: ["create_template"] },
  { request: "copy the newsletter template so I can make a holiday version", tools: ["create_template_clone"] },
  { request: "preview how the order confirmation template looks with sample data", tools: ["create_template_render"] },
  { request: "show me the HTML of our welcome template", tools: ["get_template"] },
  { request: "find our templates with 'holiday' in the name", tools: ["get_templates"] },
  { request: "replace the HTML of the footer template with this new version", tools: ["update_template"] },
  { request: "delete the old draft template nobody uses", tools: ["delete_template"] },
  { request: "create a reusable footer block we can drop into all emails", tools: ["create_universal_content"] },
  { request: "update the text in the shared announcement bar block", tools: ["update_universal_content"] },

  // tracking_settings
  { request: "are UTM parameters added to our links automatically?", tools: ["get_tracking_settings", "get_tracking_setting"] },
  { request: "set utm_source to klaviyo and utm_medium to email for campaigns", tools: ["update_tracking_setting"] },
  { request: "turn off automatic UTM tagging on links", tools: ["update_tracking_setting"] },

  // web_feeds
  { request: "is the product feed working? show its url and status", tools: ["get_web_feed", "get_web_feeds"] },
  { request: "hook up our blog's JSON feed so emails can show the latest posts", tools: ["create_web_feed"] },
  { request: "which external data feeds do our templates pull from?", tools: ["get_web_feeds"] },
  { request: "change the URL of the product recommendations feed", tools: ["update_web_feed"] },

  // webhooks
  { request: "where does webhook W1 send to, and for which events?", tools: ["get_webhook", "get_webhooks"] },
  { request: "notify our server whenever someone subscribes: point it at https://hooks.example.com/k", tools: ["create_webhook"] },
  { request: "what events can a webhook listen to?", tools: ["get_webhook_topics"] },
  { request: "disable the webhook that points at our staging server", tools: ["update_webhook"] },
  { request: "list our webhooks", tools: ["get_webhooks"] },
  { request: "remove the webhook for the old ERP integration", tools: ["delete_webhook"] },

  // beta only
  { request: "export the VIP segment to a CSV file", tools: ["create_profile_bulk_export_job_beta"], beta: true },
  { request: "download all Placed Order events from 2024 as a spreadsheet", tools: ["create_event_bulk_export_job_beta"], beta: true },
  { request: "send a test email of the new template to me and my boss", tools: ["create_template_preview_send_job_beta"], beta: true },
  { request: "teach our AI support agent our return policy", tools: ["create_agent_knowledge_beta", "create_agent_knowledge_file_beta"], beta: true },
  { request: "which chats did the AI shopping assistant hand over to a human today?", tools: ["list_customer_agent_conversations_beta"], beta: true },
  { request: "make our AI assistant sound more playful and less formal", tools: ["update_customer_agent_beta"], beta: true },
  { request: "what are our brand colours in Klaviyo?", tools: ["get_brand_colors_beta"], beta: true },
  { request: "set up send.mystore.com as our email sending domain", tools: ["create_sending_domain_beta"], beta: true },
  { request: "check whether the DNS records for our sending domain are right now", tools: ["create_sending_domain_verification_job_beta"], beta: true },
  { request: "get us a toll-free number for texting customers", tools: ["create_text_messaging_sender_beta"], beta: true },
  { request: "how close are we to our plan's profile limit this billing period?", tools: ["list_billing_usage_beta", "get_billing_usage_beta"], beta: true },
  { request: "translate the welcome template into French and German", tools: ["create_translation_beta"], beta: true },
];
