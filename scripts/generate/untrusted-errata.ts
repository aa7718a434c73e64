/**
 * Hand-kept corrections to the untrusted-attribute rules (scripts/generate/untrusted-attributes.ts),
 * each with its reason. The generator refuses an entry that no longer matches the spec, so the
 * list cannot go stale silently.
 */

export interface Erratum {
  type: string;
  attribute: string;
  reason: string;
}

/**
 * Response attributes that carry writable free text although no request writes them under that
 * name: they are derived from what a customer, a storefront or an integration sent.
 */
export const DERIVED: readonly Erratum[] = [
  {
    type: "event",
    attribute: "event_properties",
    reason:
      "the `properties` an event was sent with (create_event, create_client_event, bulk jobs)",
  },
  {
    type: "flow-message",
    attribute: "definition",
    reason: "written inside the flow's definition (create_flow: definition.actions[].data.message)",
  },
  {
    type: "import-error",
    attribute: "original_payload",
    reason: "the profile a bulk import sent, returned as it was (bulk_import_profiles)",
  },
  {
    type: "import-error",
    attribute: "detail",
    reason: "Klaviyo's message about a profile the import refused, which may quote it",
  },
  {
    type: "metric-property",
    attribute: "property",
    reason: "the keys of event properties, which anyone holding the public key can send",
  },
  {
    type: "metric-property",
    attribute: "label",
    reason: "a label made from the property key (see `property`)",
  },
  {
    type: "object-record",
    attribute: "record_properties",
    reason: "the `record` of data source records (create_data_source_record, bulk jobs)",
  },
  {
    type: "push-token",
    attribute: "metadata",
    reason:
      "the `device_metadata` a device sent (create_client_push_token), returned under this name",
  },
];

/** Written strings that cannot hold free text: Klaviyo confines them to a small alphabet or set. */
export const CONFINED: readonly Erratum[] = [
  {
    type: "campaign",
    attribute: "audiences",
    reason: "ids of lists and segments: Klaviyo refuses an id that names neither",
  },
  {
    type: "flow",
    attribute: "status",
    reason: "draft, manual or live (the spec states the values only in prose)",
  },
  {
    type: "profile",
    attribute: "phone_number",
    reason: "a phone number in E.164: a plus sign and digits, checked by Klaviyo",
  },
  {
    type: "template",
    attribute: "editor_type",
    reason: "CODE, USER_DRAGGABLE or SYSTEM_DRAGGABLE (the spec states the values only in prose)",
  },
];
