// undici's internal modules that src/klaviyo/undici.ts imports (undici 7 ships no types for them).
declare module "undici/lib/dispatcher/agent.js" {
  const Agent: typeof import("undici").Agent;
  export default Agent;
}
declare module "undici/lib/dispatcher/dispatcher.js" {
  const Dispatcher: { prototype: object };
  export default Dispatcher;
}
declare module "undici/lib/api/index.js" {
  const api: Record<string, unknown>;
  export default api;
}
declare module "undici/lib/web/fetch/formdata.js" {
  const formData: { FormData: typeof import("undici").FormData };
  export default formData;
}
