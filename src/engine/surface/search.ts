/**
 * search_tools' retrieval, from a user's own words to the tool that answers them:
 * - a BM25 index (MiniSearch) over each tool's name, description (and its first sentence),
 *   toolset and argument names, plus the everyday words for its things and action and the words
 *   that tell it from its twins (tools/vocabulary.ts): "turn off a flow" meets update_flow_status;
 * - the request's verb ("list", "get rid of", "is ... ?") says which action it wants, and counts
 *   through that, not as a word: "list profiles" is get_profiles, not a list tool;
 * - the best hits are weighed by how much of their name the request covers, in its words or the
 *   everyday ones: delete_coupon, not delete_coupon_code, for "delete the expired coupon".
 * Built once per tool selection, on the first search. Misspelt words are not matched: a model
 * relays the request, and fuzzy matching cost more in precision than it found.
 */
import MiniSearch from "minisearch";
import { CONCEPTS, PHRASES, QUESTION_WORDS, TOOL_TERMS, VERBS } from "../../../tools/vocabulary.js";
import type { ToolDefinition } from "../definition.js";
import { firstSentence } from "./compact-schema.js";

interface ToolDocument {
  id: string;
  name: string;
  group: string;
  description: string;
  /** The description's first sentence: what the tool is for, in plain words. */
  summary: string;
  args: string;
  vocabulary: string;
}

/** Words that say nothing about which tool (questions keep their verbs: "how many", "which"). */
const STOP_WORDS = new Set(
  "a an the to for of my our me i we all and or in on with from by this that these those is are was were be been do does did can could would should please it its at as into about some any there their them you your just want need like".split(
    " ",
  ),
);

/** Plurals and -ing to one form, the same for tools and queries: "profiles" meets "profile". */
function normalizeTerm(term: string): string | null {
  const word = term.toLowerCase();
  if (STOP_WORDS.has(word) || word.length < 2) return null;
  if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(sses|xes|ches|shes)$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("s") && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  if (word.length > 5 && word.endsWith("ing")) return word.slice(0, -3);
  return word;
}

/** The normalized term, and the word as written too when they differ: "lists" favours get_lists. */
function indexTerms(term: string): string | string[] | null {
  const normalized = normalizeTerm(term);
  const word = term.toLowerCase();
  return normalized && normalized !== word ? [normalized, word] : normalized;
}

const words = (text: string): string[] =>
  text
    .split(/[^a-zA-Z0-9]+/)
    .map((word) => normalizeTerm(word))
    .filter((word): word is string => word !== null);

/** Concepts as sets of normalized name words, with their everyday words. */
const CONCEPT_WORDS = Object.entries(CONCEPTS).map(([klaviyo, everyday]) => ({
  klaviyo,
  words: words(klaviyo),
  everyday,
}));

/** The everyday words for the tool's things (concepts its name holds) and for its action. */
function vocabularyOf(tool: ToolDefinition): string {
  const nameWords = new Set(words(tool.name));
  const found = CONCEPT_WORDS.filter(
    (concept) =>
      concept.klaviyo === tool.group ||
      (concept.words.length > 0 && concept.words.every((word) => nameWords.has(word))),
  ).map((concept) => concept.everyday);
  const verb = VERBS[tool.name.split("_")[0] ?? ""];
  return [...found, verb ?? "", TOOL_TERMS[tool.name] ?? ""].join(" ");
}

function documentOf(tool: ToolDefinition): ToolDocument {
  return {
    id: tool.name,
    name: tool.name.replace(/_beta$/, ""),
    group: tool.group,
    description: tool.description,
    summary: firstSentence(tool.description),
    args: Object.keys(tool.args).join(" "),
    vocabulary: vocabularyOf(tool),
  };
}

/** get_list_relationships_tags -> get_list_tags, get_ids_for_x -> get_x: the full twin's name. */
export function fullTwinOf(name: string): string {
  return name.replace("_relationships_", "_").replace(/(^|_)ids?_for_/, "$1");
}

/** A read that returns only ids, or a link between resources: its plain twin comes first. */
export function idsOnly(tool: ToolDefinition): boolean {
  return fullTwinOf(tool.name) !== tool.name;
}

/** Each everyday verb, and the actions (first words of tool names) it may mean. */
const ACTIONS_BY_WORD = new Map<string, ReadonlySet<string>>();
for (const [action, synonyms] of Object.entries(VERBS)) {
  for (const word of [action, ...words(synonyms)]) {
    ACTIONS_BY_WORD.set(word, new Set([...(ACTIONS_BY_WORD.get(word) ?? []), action]));
  }
}
const PHRASE_ACTIONS = new Map(
  Object.entries(PHRASES).map(([phrase, actions]) => [phrase, new Set(actions.split(" "))]),
);
const QUESTIONS = new Set(QUESTION_WORDS.split(" "));
const GET = new Set(["get", "query"]);
/** Words that say a request is about a browser or storefront, where the client tools belong. */
const CLIENT_SIDE = /\b(browser|website|storefront|client|javascript|front.?end|onsite|on-site)\b/i;

/**
 * A token that looks like an id: letters and digits mixed ("01HX", "RsT9"). Not the word "id":
 * "find the metric id" asks to look one up in a collection.
 */
const ONE_ID = /\b(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{3,}\b/;

interface Intent {
  /** The actions the request asks for, from its verb, phrase or question word. */
  actions?: ReadonlySet<string>;
  /** The request without that verb: its other words find the things. */
  rest: string;
  verb: string;
}

/** What the query asks to do: "list profiles" is get, "get rid of X" delete, "is X live?" get. */
function intentOf(query: string): Intent {
  const raw = query
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let meaningful = 0;
  for (let i = 0; i < raw.length; i++) {
    const phrase = PHRASE_ACTIONS.get(`${raw[i]} ${raw[i + 1]}`);
    const word = normalizeTerm(raw[i] as string);
    const actions =
      phrase ??
      (i === 0 && QUESTIONS.has(raw[i] as string) ? GET : undefined) ??
      (word ? ACTIONS_BY_WORD.get(word) : undefined);
    if (actions) {
      // A question word stays in the request ("who" is about people); a verb leaves it.
      const taken = phrase ? 2 : QUESTIONS.has(raw[i] as string) ? 0 : 1;
      const rest = [...raw.slice(0, i), ...raw.slice(i + taken)].join(" ");
      return { actions, rest, verb: raw.slice(i, i + Math.max(taken, 1)).join(" ") };
    }
    // A verb comes first, or after a few words ("the audience count looks stale, recalculate").
    if (word && ++meaningful >= 4) break;
  }
  return { rest: query, verb: "" };
}

/** Everyday word -> the Klaviyo words of the concepts it belongs to. */
const CONCEPTS_BY_WORD = new Map<string, string[]>();
for (const concept of CONCEPT_WORDS) {
  for (const word of words(concept.everyday)) {
    CONCEPTS_BY_WORD.set(word, [...(CONCEPTS_BY_WORD.get(word) ?? []), ...concept.words]);
  }
}

/**
 * The Klaviyo words a request names: its own, those its everyday words stand for, its actions
 * (`request` is the request without its verb: "list" in "list automations" is not a list).
 */
function coveredWords(request: string, actions: ReadonlySet<string> | undefined): Set<string> {
  const covered = new Set<string>(actions ?? []);
  for (const word of words(request)) {
    covered.add(word);
    for (const klaviyo of CONCEPTS_BY_WORD.get(word) ?? []) covered.add(klaviyo);
    for (const action of ACTIONS_BY_WORD.get(word) ?? []) covered.add(action);
  }
  return covered;
}

/** What the ranking knows of a tool beyond its text. */
interface Rank {
  actions: ReadonlySet<string>;
  client: boolean;
  standing: number;
  needsId: boolean;
  /** Its name's words (normalized), "beta" aside. */
  nameWords: string[];
}

interface Index {
  search: MiniSearch<ToolDocument>;
  byName: ReadonlyMap<string, ToolDefinition>;
  ranks: ReadonlyMap<string, Rank>;
}

/** How much a match counts in each field: the name most, the everyday words next. */
const FIELD_BOOST = { name: 3, vocabulary: 2, description: 1, summary: 1, group: 0.5, args: 0.3 };
/** The request's verb acts through the actions it names; its words count for little. */
const VERB_FIELD_BOOST = Object.fromEntries(
  Object.entries(FIELD_BOOST).map(([field, boost]) => [field, boost * 0.3]),
);
/** How much more a tool counts when it does what the request asks (its action). */
const ACTION_BOOST = 2.5;
/** A request with an id asks for one resource; one without, for a collection. */
const ONE_OR_MANY_BOOST = 1.3;
/** How many of MiniSearch's best hits are weighed by name coverage; the rest follow as ranked. */
const RERANKED = 100;
/** Share of a score that depends on how much of the tool's name the request covers. */
const COVERAGE_WEIGHT = 0.7;

const indexes = new WeakMap<readonly ToolDefinition[], Index>();

function indexOf(tools: readonly ToolDefinition[]): Index {
  let index = indexes.get(tools);
  if (!index) {
    const search = new MiniSearch<ToolDocument>({
      fields: ["name", "group", "description", "summary", "args", "vocabulary"],
      tokenize: (text) => text.split(/[^a-zA-Z0-9]+/),
      processTerm: indexTerms,
      searchOptions: {
        boost: FIELD_BOOST,
      },
    });
    search.addAll(tools.map(documentOf));
    const names = new Set(tools.map((tool) => tool.name));
    const ranks = new Map(
      tools.map((tool) => [
        tool.name,
        {
          // Its action, and a verb its name holds further on (create_campaign_clone: clone).
          // Beta tools read with list_, as get_ does.
          actions: new Set(
            tool.name
              .split("_")
              .filter((word, i) => i === 0 || word in VERBS)
              .map((word) => (word === "list" ? "get" : word)),
          ),
          // Browser-side tools (the client toolset) only when the request says so.
          client: tool.group === "client",
          // Plain tools before their ids-only twins and reverse lookups, stable ones before a
          // beta twin of the same endpoint.
          standing:
            (idsOnly(tool) && names.has(fullTwinOf(tool.name)) ? 0.7 : 1) *
            (/_for_/.test(tool.name) ? 0.8 : 1) *
            (tool.beta?.stableTwin ? 0.85 : 1),
          needsId: tool.operation.path.includes("{"),
          nameWords: words(tool.name).filter((word) => word !== "beta"),
        },
      ]),
    );
    index = { search, byName: new Map(tools.map((tool) => [tool.name, tool])), ranks };
    indexes.set(tools, index);
  }
  return index;
}

/**
 * The tools that best answer `query`, best first. Plain tools rank above their ids-only and
 * relationship twins, stable tools above a beta twin of the same endpoint, and tools whose
 * action the query asks for ("list profiles": get_*) above the rest.
 */
export function rankTools(
  tools: readonly ToolDefinition[],
  query: string,
  accept: (tool: ToolDefinition) => boolean = () => true,
): ToolDefinition[] {
  const { search, byName, ranks } = indexOf(tools);
  const { actions, rest, verb } = intentOf(query);
  const clientSide = CLIENT_SIDE.test(query);
  // An id in the request ("event 4KpQ", "list XyZ12") asks for one resource; else, a collection.
  const asksForOne = ONE_ID.test(query);
  // The verb acts through the actions it names; its own words count for little, so that "list
  // profiles" is not about lists.
  const searched =
    actions && words(rest).length > 0
      ? { combineWith: "OR", queries: [rest, { queries: [verb], boost: VERB_FIELD_BOOST }] }
      : query;
  const boostOf = (rank: Rank): number => {
    let doesAsked = false;
    for (const action of rank.actions) doesAsked ||= actions?.has(action) === true;
    return (
      rank.standing *
      (doesAsked ? ACTION_BOOST : 1) *
      (rank.needsId === asksForOne ? ONE_OR_MANY_BOOST : 1) *
      (rank.client && !clientSide ? 0.8 : 1)
    );
  };
  const boosts = new Map<string, number>();
  const hits = search.search(searched as Parameters<typeof search.search>[0], {
    filter: (hit) => {
      const tool = byName.get(hit.id as string);
      return tool !== undefined && accept(tool);
    },
    // Called for every matching term of every tool: computed once per tool.
    boostDocument: (id) => {
      let boost = boosts.get(id as string);
      if (boost === undefined) {
        const rank = ranks.get(id as string);
        boost = rank ? boostOf(rank) : 1;
        boosts.set(id as string, boost);
      }
      return boost;
    },
  });
  // How much of each tool's name the request covers, in its words or the everyday words for
  // them: delete_coupon covers "delete the expired coupon" fully, delete_coupon_code does not.
  const covered = coveredWords(rest, actions);
  // An email address or a phone number is a person's.
  if (/\S@\S+\.\S|\+\d{6,}/.test(query)) covered.add("profile");
  const tool = (hit: { id: unknown }) => byName.get(hit.id as string) as ToolDefinition;
  const reranked = hits.slice(0, RERANKED).map((hit) => {
    const nameWords = ranks.get(hit.id as string)?.nameWords ?? [];
    const coverage = nameWords.filter((word) => covered.has(word)).length / (nameWords.length || 1);
    return {
      tool: tool(hit),
      score: hit.score * (1 - COVERAGE_WEIGHT + COVERAGE_WEIGHT * coverage),
    };
  });
  reranked.sort((a, b) => b.score - a.score);
  return [...reranked.map((entry) => entry.tool), ...hits.slice(RERANKED).map(tool)];
}
