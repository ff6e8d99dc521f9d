import AirlockCore
import Foundation

/// JUnit XML: one `<testsuite>` per rule that has a test case and one `<testcase>` per (rule,
/// evaluated object), so passing checks are visible too. Input, policy and configuration errors
/// form an extra suite, `airlock.inputs`. Written as a stream (`XMLStreamWriter`), flushed every few hundred test cases.
///
/// By default the document is valid against both the Ant schema (windyroad-JUnit.xsd) and the
/// Jenkins xUnit schema (junit-10.xsd); see docs/reports.md for why `<testsuites>` then has no
/// attributes.
public struct JUnitReporter: Reporter {
    /// The suite holding diagnostics that belong to no rule.
    public static let inputsSuiteName = "airlock.inputs"
    /// The testcase standing for a rule that did not run.
    public static let notRunCaseName = "(rule not run)"
    /// The test case of a rule of the user's policies that evaluated no object.
    public static let matchedNothingCaseName = "(no object matched)"
    /// Written as every suite's `hostname`: the real host name would make output vary by machine.
    public static let hostname = "airlock"

    /// Adds `name`, `tests`, `failures`, `errors` and `time` to `<testsuites>` (read by GitLab
    /// and Jenkins). The Ant schema forbids any attribute there, so this gives up Ant validity.
    public var rootAttributes: Bool

    /// Creates a reporter; by default the root has no attributes (valid against both schemas).
    public init(rootAttributes: Bool = false) {
        self.rootAttributes = rootAttributes
    }

    public func write<Sink: TextOutputStream>(_ result: CheckResult, context: ReportContext, to sink: inout Sink) throws {
        let suites = Self.suites(for: result)
        let timestamp = Self.timestamp(context.timestamp)
        var xml = XMLStreamWriter()
        xml.startDocument()
        xml.startElement("testsuites")
        if rootAttributes {
            xml.attribute("name", context.toolName)
            xml.attribute("tests", String(suites.reduce(0) { $0 + $1.testCount }))
            xml.attribute("failures", String(suites.reduce(0) { $0 + $1.count(.failure) }))
            xml.attribute("errors", String(suites.reduce(0) { $0 + $1.count(.error) }))
            xml.attribute("time", "0")
        }
        for (id, suite) in suites.enumerated() {
            write(suite, id: id, timestamp: timestamp, to: &xml, flushingTo: &sink)
            xml.flush(to: &sink)
        }
        xml.endElement()
        xml.endDocument()
        xml.flush(to: &sink)
    }

    private func write<Sink: TextOutputStream>(_ suite: Suite, id: Int, timestamp: String, to xml: inout XMLStreamWriter, flushingTo sink: inout Sink) {
        xml.startElement("testsuite")
        xml.attribute("name", suite.name)
        xml.attribute("tests", String(suite.testCount))
        xml.attribute("failures", String(suite.count(.failure)))
        xml.attribute("errors", String(suite.count(.error)))
        xml.attribute("skipped", String(suite.count(.skipped)))
        xml.attribute("time", "0")
        xml.attribute("timestamp", timestamp)
        xml.attribute("hostname", Self.hostname)
        xml.attribute("id", String(id))
        xml.attribute("package", suite.package)

        xml.startElement("properties")
        for (name, value) in suite.properties {
            xml.element("property", attributes: [("name", name), ("value", value)])
        }
        xml.endElement()

        var written = 0
        // Nearly every test case is an evaluated object that passed: its markup but the name is made once.
        let passed = xml.repeatedElement("testcase", varying: "name", fixed: [("classname", suite.classname), ("time", "0")])
        suite.forEachCase { name, outcome in
            if written % 512 == 511 { xml.flush(to: &sink) }
            written += 1
            if case .evaluated(let position) = name, case .passed = outcome {
                suite.evaluated.withUTF8Name(at: position) { xml.write(passed, value: $0) }
                return
            }
            xml.startElement("testcase")
            switch name {
            case .evaluated(let position): suite.evaluated.withUTF8Name(at: position) { xml.attribute("name", utf8: $0) }
            case .named(let text): xml.attribute("name", text)
            }
            xml.attribute("classname", suite.classname)
            xml.attribute("time", "0")
            switch outcome {
            case .passed:
                break
            case .failure(let message, let type, let details):
                xml.element("failure", attributes: [("message", message), ("type", type)], text: details)
            case .error(let message, let type, let details):
                xml.element("error", attributes: [("message", message), ("type", type)], text: details)
            case .skipped(let message, let details):
                xml.element("skipped", attributes: [("message", message)], text: details)
            }
            xml.endElement()
        }
        xml.element("system-out")
        xml.element("system-err")
        xml.endElement()
    }

    /// `2024-01-01T00:00:00`: UTC without a zone designator, as the Ant schema requires.
    static func timestamp(_ date: Date) -> String { UTCDateTime(date).dateTime }

    // MARK: - Building suites

    enum Outcome {
        case passed
        case failure(message: String, type: String, details: String)
        case error(message: String, type: String, details: String)
        case skipped(message: String, details: String)

        enum Kind { case failure, error, skipped }

        var kind: Kind? {
            switch self {
            case .passed: return nil
            case .failure: return .failure
            case .error: return .error
            case .skipped: return .skipped
            }
        }
    }

    struct TestCase {
        var name: String
        var outcome: Outcome
    }

    /// A rule's suite, or the inputs suite. Its test cases are the objects the rule evaluated,
    /// each passed unless `reported` has it, merged by name with `reported`, then `trailing`. An
    /// evaluated object's name is written from its bytes: a rule may have evaluated every object
    /// of the input, and making a string of each name was most of the report's cost.
    struct Suite {
        var name: String
        var package: String
        var classname: String
        var properties: [(String, String)]
        /// Sorted.
        var evaluated: EvaluatedObjects = []
        /// Objects with findings or errors, sorted by name, each once.
        var reported: [TestCase] = []
        /// After every object: a rule that did not run, the inputs suite's errors.
        var trailing: [TestCase] = []

        enum CaseName {
            /// The name at this position of `evaluated`.
            case evaluated(Int)
            case named(String)
        }

        /// Every test case in order, each object once. Each reported object's place among the
        /// evaluated ones is found by bisection: a rule may have evaluated every object of the
        /// input and reported a few.
        func forEachCase(_ body: (CaseName, Outcome) -> Void) {
            var position = 0
            func passed(upTo end: Int) {
                for passed in position..<end where passed == 0 || !evaluated.namesEqual(passed - 1, passed) { body(.evaluated(passed), .passed) }
                position = end
            }
            for testCase in reported {
                passed(upTo: firstEvaluated(notBefore: testCase.name, from: position))
                body(.named(testCase.name), testCase.outcome)
                while position < evaluated.count, evaluated.compareName(at: position, with: testCase.name) == 0 { position += 1 }
            }
            passed(upTo: evaluated.count)
            for testCase in trailing { body(.named(testCase.name), testCase.outcome) }
        }

        /// The first position from `start` on whose evaluated object's name is not before `name`.
        private func firstEvaluated(notBefore name: String, from start: Int) -> Int {
            var (low, high) = (start, evaluated.count)
            while low < high {
                let middle = (low + high) / 2
                if evaluated.compareName(at: middle, with: name) < 0 { low = middle + 1 } else { high = middle }
            }
            return low
        }

        /// Whether the suite has no test case: its rule had nothing to evaluate and ran.
        var isEmpty: Bool { evaluated.isEmpty && reported.isEmpty && trailing.isEmpty }

        var testCount: Int {
            var count = 0
            forEachCase { _, _ in count += 1 }
            return count
        }

        /// Test cases of `kind` (a passed object is of none).
        func count(_ kind: Outcome.Kind) -> Int { (reported + trailing).filter { $0.outcome.kind == kind }.count }
    }

    static func suites(for result: CheckResult) -> [Suite] {
        let findings = ReportOrdering.findings(result.findings.flatMap(unfolded))
        let diagnostics = ReportOrdering.diagnostics(result.diagnostics)
        let findingsByRule = Dictionary(grouping: findings, by: \.ruleID)
        let ruleDiagnostics = Dictionary(grouping: diagnostics.filter { $0.ruleID != nil }) { $0.ruleID ?? "" }

        // A rule that had nothing to evaluate (a bundle rule in a run without bundles, a rule of
        // kinds the inputs do not hold) has no suite: the other reports say nothing of it either,
        // and dozens of empty suites would bury the ones that count. A rule that could not run,
        // or a rule of the user's that matched nothing, has a skipped test case and so its suite.
        var suites = ReportOrdering.rules(result).map { run in
            ruleSuite(run, findings: findingsByRule[run.rule.id] ?? [], diagnostics: ruleDiagnostics[run.rule.id] ?? [], gate: result)
        }.filter { !$0.isEmpty }
        let inputs = diagnostics.filter { $0.ruleID == nil }
        if !inputs.isEmpty {
            suites.append(inputsSuite(inputs))
        }
        return suites
    }

    /// `finding` and the findings folded into it, each for its own object's test case (every
    /// object a rule evaluated fails or passes on its own), saying where it is reported.
    private static func unfolded(_ finding: Finding) -> [Finding] {
        let reportedAt = finding.resource.map { " (reported once, at \($0.qualifiedName))" } ?? ""
        return finding.unfolded.enumerated().map { index, copy in
            var copy = copy
            if index > 0 { copy.message += reportedAt }
            return copy
        }
    }

    private static func ruleSuite(_ run: CheckResult.RuleRun, findings: [Finding], diagnostics: [Diagnostic], gate: CheckResult) -> Suite {
        let rule = run.rule
        let evaluated = run.evaluated.sorted()
        let findingsByObject = Dictionary(grouping: findings) { $0.resource == nil ? subjectName(of: $0.location, in: evaluated) : $0.objectName }
        let diagnosticsByObject = Dictionary(grouping: diagnostics) { $0.resource == nil ? subjectName(of: $0.location, in: evaluated) : $0.objectName }
        let reported = Set(findingsByObject.keys).union(diagnosticsByObject.keys).sorted().map { object in
            TestCase(name: object, outcome: outcome(
                findings: findingsByObject[object] ?? [], diagnostics: diagnosticsByObject[object] ?? [], rule: rule, gate: gate))
        }
        var properties = [
            ("title", rule.title), ("category", rule.category.rawValue), ("severity", rule.severity.rawValue),
        ]
        if !rule.controls.isEmpty { properties.append(("controls", rule.controls.joined(separator: ", "))) }
        var suite = Suite(
            name: rule.id.isEmpty ? "(unnamed rule)" : rule.id, package: "airlock.\(rule.category.rawValue)",
            classname: classname(rule), properties: properties, evaluated: evaluated, reported: reported)
        // A rule that could not run is a skipped test, so that CI shows it apart from one that
        // passed on nothing.
        if let reason = run.notRun {
            suite.trailing.append(TestCase(name: notRunCaseName, outcome: .skipped(message: "did not run: \(reason)", details: "")))
        }
        // A subject the rule ran on beside others it could not: skipped, not absent from a suite that passes.
        for skip in run.skipped {
            suite.trailing.append(TestCase(name: skip.subject, outcome: .skipped(message: "not evaluated: \(skip.reason)", details: "")))
        }
        // A rule of the user's that checked nothing (a misspelt kind) is no empty passing suite.
        if let reason = run.matchedNothing {
            suite.trailing.append(TestCase(name: matchedNothingCaseName, outcome: .skipped(message: "evaluated no object: \(reason)", details: "")))
        }
        return suite
    }

    /// The test case of a finding or error of no object: the subject its rule evaluated it on,
    /// as the rule run names it (a package or bundle, which holds the file, or whose sidecar or
    /// signature it is: `b.tar.gz` for `b.tar.gz!x/manifest.yaml` and `b.tar.gz.sha256`; a
    /// bundle's tier values file; else the `values` or the `inventory` as a whole), so that the
    /// subject's test case fails, rather than pass beside another named by the file; else the
    /// file, as for an object the rule did not list.
    static func subjectName(of location: SourceSpan?, in evaluated: EvaluatedObjects) -> String {
        func contains(_ name: String) -> Bool {
            var (low, high) = (0, evaluated.count)
            while low < high {
                let middle = (low + high) / 2
                let order = evaluated.compareName(at: middle, with: name)
                if order == 0 { return true }
                if order < 0 { low = middle + 1 } else { high = middle }
            }
            return false
        }
        if let file = location?.file {
            if contains(file) { return file }
            for index in file.indices.reversed() where "!/.".contains(file[index]) {
                let prefix = String(file[..<index])
                if !prefix.isEmpty, contains(prefix) { return prefix }
            }
        }
        for whole in ["values", "inventory"] where contains(whole) { return whole }
        return location?.file ?? "(no object)"
    }

    /// At most one result element per testcase (the Ant schema's rule), and the verdict the gate
    /// gives (`gate`): an error that fails the gate wins, then findings that fail it; what does
    /// not fail it (suppressed findings, `info` ones or those below `--fail-on`, evaluation errors
    /// under `--no-fail-on-error`) is a skip, so that CI marks no test failed on a run that
    /// passed. The details text lists everything that happened to the object.
    private static func outcome(findings: [Finding], diagnostics: [Diagnostic], rule: RuleDescriptor, gate: CheckResult) -> Outcome {
        // Nearly every case: nothing to describe.
        if findings.isEmpty, diagnostics.isEmpty { return .passed }
        let active = findings.filter { $0.suppression == nil }
        let suppressed = findings.filter { $0.suppression != nil }
        var lines: [String] = diagnostics.map { "\(place($0.location))error: \($0.message)" }
        lines += active.map { "\(place($0.location))\($0.message)" }
        lines += suppressed.map { "\(place($0.location))\($0.message) [suppressed: \($0.suppression?.justification ?? "")]" }
        if !active.isEmpty || !suppressed.isEmpty, !rule.remediation.isEmpty {
            lines.append("remediation: \(rule.remediation)")
        }
        let details = lines.joined(separator: "\n")

        let errors = diagnostics.filter(gate.failsTheGate)
        if let first = errors.first {
            return .error(message: summarise(first.message, count: errors.count), type: first.kind.rawValue, details: details)
        }
        let failing = active.filter(gate.failsTheGate)
        if let first = failing.first {
            let worst = failing.map(\.severity).max() ?? first.severity
            return .failure(message: summarise(first.message, count: failing.count), type: worst.rawValue, details: details)
        }
        if let first = diagnostics.first {
            return .skipped(message: "evaluation error, not failing the gate (--no-fail-on-error): \(first.message)", details: details)
        }
        if let first = active.first {
            let threshold = first.severity == .info ? "info findings never fail" : "below --fail-on \(gate.failOn.rawValue)"
            return .skipped(message: "\(first.severity.rawValue) finding, not failing the gate (\(threshold)): \(first.message)", details: details)
        }
        if let first = suppressed.first {
            return .skipped(message: first.suppression?.justification ?? "suppressed", details: details)
        }
        return .passed
    }

    private static func inputsSuite(_ diagnostics: [Diagnostic]) -> Suite {
        var used: [String: Int] = [:]
        let cases = diagnostics.map { diagnostic in
            let base = diagnostic.location.map { "\($0.file):\($0.line):\($0.column)" } ?? "(\(diagnostic.kind.rawValue))"
            let count = (used[base] ?? 0) + 1
            used[base] = count
            // GitLab keeps only the first of several test cases with the same name.
            let name = count == 1 ? base : "\(base) #\(count)"
            return TestCase(name: name, outcome: .error(
                message: diagnostic.message, type: diagnostic.kind.rawValue,
                details: "\(place(diagnostic.location))\(diagnostic.kind.rawValue) error: \(diagnostic.message)"))
        }
        return Suite(
            name: inputsSuiteName, package: "airlock", classname: inputsSuiteName,
            properties: [("description", "Inputs, policies and configuration airlock could not use")], trailing: cases)
    }

    /// `<category>.<rule id>`, without repeating the category when the id already starts with it.
    private static func classname(_ rule: RuleDescriptor) -> String {
        let category = rule.category.rawValue
        return rule.id.hasPrefix(category + ".") ? rule.id : "\(category).\(rule.id)"
    }

    private static func place(_ span: SourceSpan?) -> String {
        span.map { "\($0.file):\($0.line):\($0.column): " } ?? ""
    }

    private static func summarise(_ message: String, count: Int) -> String {
        count == 1 ? message : "\(message) (and \(count - 1) more)"
    }
}
