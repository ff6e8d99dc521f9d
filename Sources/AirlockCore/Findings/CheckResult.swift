/// Everything one run produced, in deterministic order: the single input of every reporter.
public struct CheckResult: Sendable, Codable {
    /// One rule's run: the objects it evaluated, so that JUnit can list passing test cases
    /// and a rule that matched nothing still shows that it ran.
    public struct RuleRun: Sendable, Codable {
        public var rule: RuleDescriptor
        /// Display names of evaluated objects (`namespace/Kind/name`, or the input file), sorted.
        public var evaluated: EvaluatedObjects
        /// Why the rule did not run at all, when it could not (it applies only at some
        /// deployment tiers and the run has no tier): a rule that did not run must not read as
        /// one that passed.
        public var notRun: String?
        /// Why a rule of the user's own policies (`--policies`, not the built-in pack) evaluated
        /// no object of a run that read some, with the kind it may have meant (`none of the 4
        /// objects of the inputs is of its kinds (Deploymnet: did you mean Deployment?)`): a
        /// misspelt kind matches nothing, and the run would pass as if it had checked them.
        public var matchedNothing: String?
        /// The subjects the rule applies to but was not evaluated on, while it was evaluated on
        /// others (one of two bundles whose manifest could not be read, for a rule reading it):
        /// the rule ran, but passing on the others says nothing of these.
        public var skipped: [Skip]

        /// A subject (a package, a bundle) a rule was not evaluated on, and why.
        public struct Skip: Sendable, Codable, Hashable {
            public var subject: String
            public var reason: String

            public init(subject: String, reason: String) {
                self.subject = subject
                self.reason = reason
            }
        }

        public init(rule: RuleDescriptor, evaluated: EvaluatedObjects, notRun: String? = nil, matchedNothing: String? = nil, skipped: [Skip] = []) {
            self.rule = rule
            self.evaluated = evaluated
            self.notRun = notRun
            self.matchedNothing = matchedNothing
            self.skipped = skipped
        }

        public init(rule: RuleDescriptor, evaluated: [String]) {
            self.init(rule: rule, evaluated: EvaluatedObjects(evaluated))
        }
    }

    /// An input file that was read, with its SHA-256 (hex).
    public struct Artifact: Sendable, Codable, Hashable {
        public var path: String
        public var sha256: String

        public init(path: String, sha256: String) {
            self.path = path
            self.sha256 = sha256
        }
    }

    public var rules: [RuleRun]
    public var findings: [Finding]
    public var diagnostics: [Diagnostic]
    public var artifacts: [Artifact]
    /// Findings at or above this severity fail the run; `info` findings never do.
    public var failOn: Severity
    /// Whether evaluation errors make the run untrustworthy (exit 2). Input and policy errors always do.
    public var failOnError: Bool
    /// What the user should know that is neither a finding nor an error: the hidden folders the
    /// folder walk skipped though they hold YAML (see `InputDiscovery.skippedFolderNote`), the
    /// files that hold no document (`ManifestSet.emptyFileNote`), a Kyverno PolicyException not
    /// applied, a kind of a user's rule that looks misspelt.
    public var notes: [String]
    /// The names of the inputs whose paths are not UTF-8, which escape their bytes (`caf\xE9.yaml`,
    /// see `InputDiscovery.escapedName`): a report that names a file by its bytes, as a SARIF
    /// URI does, reads them with `InputDiscovery.unescapedName`.
    public var namesEscapingBytes: Set<String>

    public init(
        rules: [RuleRun], findings: [Finding], diagnostics: [Diagnostic], artifacts: [Artifact],
        failOn: Severity = .low, failOnError: Bool = true, notes: [String] = [], namesEscapingBytes: Set<String> = []
    ) {
        self.rules = rules
        self.findings = findings
        self.diagnostics = diagnostics
        self.artifacts = artifacts
        self.failOn = failOn
        self.failOnError = failOnError
        self.notes = notes
        self.namesEscapingBytes = namesEscapingBytes
    }

    /// Findings that count against the gate: not suppressed, above `info`, at or above `failOn`.
    public var failingFindings: [Finding] { findings.filter(failsTheGate) }

    /// Whether `finding` counts against the gate (see `failingFindings`).
    public func failsTheGate(_ finding: Finding) -> Bool {
        finding.suppression == nil && finding.severity > .info && finding.severity >= failOn
    }

    /// Whether `diagnostic` makes the result untrustworthy: every one but an evaluation error
    /// under `failOnError == false`.
    public func failsTheGate(_ diagnostic: Diagnostic) -> Bool {
        diagnostic.kind != .evaluation || failOnError
    }

    /// 0 passed, 1 findings at or above `failOn`, 2 the result cannot be trusted.
    public var exitCode: Int32 {
        let untrusted = diagnostics.contains(where: failsTheGate)
        if untrusted { return 2 }
        return failingFindings.isEmpty ? 0 : 1
    }
}
