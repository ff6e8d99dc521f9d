import YAMLSource

/// A test file for policies (`kind: PolicyTest`): cases of inputs with the expected verdict per
/// rule and resource. See docs/policy-tests.md.
public struct PolicyTest: Sendable {
    public var name: String
    public var file: String
    public var cases: [Case]

    public struct Case: Sendable {
        public var name: String
        /// A YAML stream of resources, as its own little input file.
        public var resources: String
        /// Where the `resources` text's first line is in the test file, when it is a literal block
        /// scalar (`resources: |`), whose lines are the file's: the line, and the indentation
        /// stripped from each line. Errors in the text are placed in the file with it.
        public var resourcesStart: (line: Int, indent: Int)?
        public var tier: String?
        /// The namespace of namespaced objects that state none (`--namespace`; default `default`).
        public var namespace: String?
        public var values: YAMLNode?
        /// Each policy's params by its name: the mapping of the overrides of a policy of airlock's
        /// format, the whole params of a ValidatingAdmissionPolicy.
        public var params: [String: YAMLNode]
        public var expectations: [Expectation]
        public var location: SourceSpan
        /// A package or bundle input, resolved against the test file's folder. A path ending in
        /// `.tar.gz`, `.tgz`, `.tar` or `.tar.zst` that does not exist is built at test time from
        /// the folder `X.d` (or the folder of the same name without the suffix).
        public var package: String?
        public var bundle: String?
        /// Registry folder holding index.yaml (bound as `registry`).
        public var registry: String?
        /// PEM public key file that signatures are verified with.
        public var key: String?
        /// For a bundle built at test time: `auto` writes a matching `.sha256` sidecar beside it;
        /// any other text is written as the sidecar's digest.
        public var sidecar: String?

        /// Whether the case checks a package or bundle rather than manifests.
        public var isArtifact: Bool { package != nil || bundle != nil }
    }

    public struct Expectation: Sendable {
        public enum Verdict: String, Sendable, CaseIterable {
            case pass, fail, error
        }

        public var rule: String
        /// `namespace/Kind/name`, `Kind/name`, or `values`.
        public var resource: String
        public var verdict: Verdict
        /// Where the finding (or, for `error`, the evaluation error) must point, within the case's
        /// `resources` text.
        public var line: Int?
        public var column: Int?
        /// Text the finding's (or error's) message must contain.
        public var message: String?
        public var location: SourceSpan
    }
}
