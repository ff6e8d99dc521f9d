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
        /// Line of the `resources` text's first line in the test file (for messages).
        public var resourcesLine: Int
        public var tier: String?
        public var values: YAMLNode?
        public var params: [String: [String: YAMLNode]]
        public var expectations: [Expectation]
        public var location: SourceSpan
    }

    public struct Expectation: Sendable {
        public enum Verdict: String, Sendable, CaseIterable {
            case pass, fail, error
        }

        public var rule: String
        /// `namespace/Kind/name`, `Kind/name`, or `values`.
        public var resource: String
        public var verdict: Verdict
        /// Where the finding must point, within the case's `resources` text.
        public var line: Int?
        public var column: Int?
        public var location: SourceSpan
    }
}
