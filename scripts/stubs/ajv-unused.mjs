// Stand-in for ajv and ajv-formats in the CLI bundle. conf only constructs ajv when it is given a
// JSON schema, and Certdesk's store validates with its own checks instead (ajv's compile costs
// ~50 ms per start). If anything ever constructs it, fail loudly rather than skip validation.
function unused() {
  throw new Error('ajv is not bundled into the certdesk CLI: the store must not pass a JSON schema to conf');
}
export class Ajv2020 {
  constructor() {
    unused();
  }
}
export default { default: unused };
