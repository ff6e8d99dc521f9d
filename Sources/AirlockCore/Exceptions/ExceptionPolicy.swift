import CEL

/// Applies accepted risks and the baseline to a run's findings: matching findings become
/// suppressed; expired exceptions no longer suppress and are reported; exceptions that match
/// nothing are reported as stale, so the file does not rot.
public struct ExceptionPolicy: Sendable {
    public var risks: [AcceptedRisk]
    public var baseline: Baseline?
    /// `YYYY-MM-DD` the expiry dates are judged against.
    public var today: String

    public init(risks: [AcceptedRisk], baseline: Baseline?, today: String) {
        self.risks = risks
        self.baseline = baseline
        self.today = today
    }

    public static let expiredRule = RuleDescriptor(
        id: "exception-expired", title: "Exceptions are renewed or removed when they expire",
        description: "An accepted risk passed its expiry date; the findings it covered count again.",
        remediation: "Fix the finding, or renew the exception with a new expiry date and a fresh justification.",
        category: .general, severity: .medium, controls: ["NIST-800-53:CA-7"])

    public static let staleRule = RuleDescriptor(
        id: "exception-stale", title: "Exceptions match a finding",
        description: "An exception matches no finding of this run, so it accepts nothing and should be removed.",
        remediation: "Remove the exception, or correct its rule and match.",
        category: .general, severity: .low, controls: ["NIST-800-53:CA-7"])

    /// `; did you mean X?` naming the rule a stale exception's misspelt `rule` may have meant, or
    /// ` (misspelt?)` when no rule is that close.
    private static func misspelling(of rule: String, among rules: Set<String>) -> String {
        let hint = NameSuggestion.hint(for: rule, among: rules)
        return hint.isEmpty ? " (misspelt?)" : hint
    }

    /// Why `risk`, stale, misses findings it would match but for its namespace: they have none.
    private static func namespaceHint(for risk: AcceptedRisk, among findings: [Finding]) -> String {
        guard risk.namespace?.isEmpty == false, risk.objectFile == nil else { return "" }
        var anyNamespace = risk
        anyNamespace.namespace = nil
        guard findings.contains(where: { ($0.resource?.namespace.isEmpty ?? true) && anyNamespace.matches($0) }) else { return "" }
        return "; a namespace matches only objects in one, and a finding of no object or of a cluster-scoped object has none: name: \"*\" (or the object's kind and name) accepts it"
    }

    /// The findings with suppressions set, plus findings about the exceptions themselves, and
    /// the rules those belong to. `rules` are the ids of the run's rules that ran: a stale
    /// exception naming none of them says so (a misspelt rule), when they are given. `known` are
    /// the ids of every rule loaded: an exception for one of them that did not run in this run
    /// (left out by the profile or the config, or limited to tiers and the run has none) is not
    /// judged, as its rule made no finding it could match (`bundle verify` reading the
    /// `.airlock-exceptions.yaml` of the manifests' rules, or `check` without `--tier`, called
    /// them stale, misspelt, and failed).
    public func apply(to findings: [Finding], rules: Set<String>? = nil, known: Set<String>? = nil) -> (findings: [Finding], extraRules: [CheckResult.RuleRun]) {
        var used = Array(repeating: false, count: risks.count)
        // How many findings of each fingerprint the baseline still accepts: identical findings
        // (one rule, object and message, as for several containers with one image) are counted.
        var baselined = (baseline?.fingerprints ?? []).reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
        let candidates = CandidateRisks(risks)
        var result = findings.map { finding -> Finding in
            var finding = finding
            for index in candidates.indices(for: finding) where risks[index].matches(finding) {
                let risk = risks[index]
                used[index] = true
                if !risk.isExpired(on: today), finding.suppression == nil { finding.suppression = risk.suppression }
            }
            return finding
        }
        for (index, risk) in risks.enumerated() {
            let subject = [risk.kind, risk.namespace, risk.name].compactMap { $0 }.joined(separator: "/")
            if risk.isExpired(on: today) {
                result.append(Finding(
                    ruleID: Self.expiredRule.id, category: .general, severity: Self.expiredRule.severity,
                    message: "exception for \(risk.rule) on \(subject.isEmpty ? "*" : subject) (owner \(risk.owner)) expired on \(risk.expires)",
                    location: risk.location))
            } else if !used[index] {
                let unknown = rules.map { !$0.contains(risk.rule) } ?? false
                if unknown, known?.contains(risk.rule) == true { continue }
                result.append(Finding(
                    ruleID: Self.staleRule.id, category: .general, severity: Self.staleRule.severity,
                    message: "exception for \(risk.rule) on \(subject.isEmpty ? "*" : subject) (owner \(risk.owner)) matches no finding"
                        + (unknown ? ": no rule of this run is named \(risk.rule)" + Self.misspelling(of: risk.rule, among: (rules ?? []).union(known ?? [])) : "")
                        + Self.namespaceHint(for: risk, among: findings),
                    location: risk.location))
            }
        }
        // The baseline applies to the findings about exceptions too: `--write-baseline` records
        // them, and a run with the baseline it just wrote must not fail on them.
        // A fingerprint is a SHA-256 of the finding's identity: made only when there is a baseline.
        if !baselined.isEmpty {
            for index in result.indices where result[index].suppression == nil {
                let fingerprint = Fingerprint.base(of: result[index])
                if let accepted = baselined[fingerprint], accepted > 0 {
                    baselined[fingerprint] = accepted - 1
                    result[index].suppression = Suppression(kind: .baseline, justification: "present in the baseline")
                }
            }
        }
        var rules: [CheckResult.RuleRun] = []
        if !risks.isEmpty {
            rules.append(CheckResult.RuleRun(rule: Self.expiredRule, evaluated: Array(Set(risks.map(\.location.file))).sorted()))
            rules.append(CheckResult.RuleRun(rule: Self.staleRule, evaluated: Array(Set(risks.map(\.location.file))).sorted()))
        }
        return (result, rules)
    }
}

/// The accepted risks that may match a finding, so that each finding is offered only those:
/// an exception naming one object exactly is found by the finding's rule and object, one with a
/// pattern (or a field left out) among its rule's others. Thousands of findings against
/// thousands of exceptions were compared pair by pair.
private struct CandidateRisks {
    private struct Key: Hashable {
        let rule: String
        let kind: String
        let namespace: String
        let name: String
    }

    private var exact: [Key: [Int]] = [:]
    private var patterns: [String: [Int]] = [:]

    init(_ risks: [AcceptedRisk]) {
        for (index, risk) in risks.enumerated() {
            if let kind = risk.kind, let namespace = risk.namespace, let name = risk.name,
               risk.objectFile != nil || ![kind, namespace, name].contains(where: Glob.hasWildcard) {
                exact[Key(rule: risk.rule, kind: kind, namespace: namespace, name: name), default: []].append(index)
            } else {
                patterns[risk.rule, default: []].append(index)
            }
        }
    }

    /// The positions of the risks that may match `finding`, in order.
    func indices(for finding: Finding) -> [Int] {
        let byPattern = patterns[finding.ruleID] ?? []
        guard let resource = finding.resource else { return byPattern }
        let byObject = exact[Key(rule: finding.ruleID, kind: resource.kind, namespace: resource.namespace, name: resource.name)] ?? []
        return byPattern.isEmpty ? byObject : (byObject + byPattern).sorted()
    }
}
