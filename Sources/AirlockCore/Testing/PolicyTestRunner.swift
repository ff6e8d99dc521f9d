import CEL
import Crypto
import Foundation
import YAMLSource

/// Runs policy tests: each case is evaluated as written and again in variants that must not change
/// the verdicts (after a byte-order mark; under a `helm template` header, which moves every line
/// down by two), and every policy must have at least one passing and one failing example.
public struct PolicyTestRunner: Sendable {
    public var policies: [Policy]
    public var tests: [PolicyTest]

    public init(policies: [Policy], tests: [PolicyTest]) {
        self.policies = policies
        self.tests = tests
    }

    public struct Report: Sendable {
        public var passed = 0
        public var failed = 0
        /// One line per failure, `file:line:col: test/case: what went wrong`.
        public var failures: [String] = []
    }

    /// A way of presenting a case's text that must give the same verdicts.
    private struct Variant {
        var name: String
        var prefix: String
        var lineShift: Int
    }

    private static let variants = [
        Variant(name: "as written", prefix: "", lineShift: 0),
        Variant(name: "after a byte-order mark", prefix: "\u{FEFF}", lineShift: 0),
        Variant(name: "under a helm template header", prefix: "---\n# Source: chart/templates/case.yaml\n", lineShift: 2),
    ]

    public func run() -> Report {
        var report = Report()
        let byID = Dictionary(policies.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let cases = tests.flatMap { test in test.cases.map { (test: test, testCase: $0) } }
        // Cases are independent: they run on every core, on the threads that compile their
        // policies (see `CompilerThread`), and are reported in order.
        let results = ResultSlots<[Problem]>(count: cases.count)
        CompilerThread.concurrentPerform(iterations: cases.count) { index in
            results[index] = problems(of: cases[index].testCase, byID: byID)
        }
        var verdictsSeen: [String: Set<PolicyTest.Expectation.Verdict>] = [:]
        for (index, (test, testCase)) in cases.enumerated() {
            for expectation in testCase.expectations { verdictsSeen[expectation.rule, default: []].insert(expectation.verdict) }
            let problems = results[index] ?? []
            if problems.isEmpty {
                report.passed += 1
            } else {
                report.failed += 1
                report.failures += problems.map { problem in
                    let place = problem.place ?? testCase.location
                    return "\(place.file):\(place.line):\(place.column): \(test.name)/\(testCase.name): \(problem.text)"
                }
            }
        }
        for policy in policies.sorted(by: { $0.id < $1.id }) {
            let seen = verdictsSeen[policy.id] ?? []
            for needed in [PolicyTest.Expectation.Verdict.pass, .fail] where !seen.contains(needed) {
                report.failed += 1
                report.failures.append("\(policy.location.file):\(policy.location.line):\(policy.location.column): \(policy.id): no \(needed == .pass ? "passing" : "failing") example in the tests")
            }
        }
        return report
    }

    /// What is wrong with `testCase`: rules it names that no policy in `byID` defines, else what
    /// its first variant that goes wrong finds.
    private func problems(of testCase: PolicyTest.Case, byID: [String: Policy]) -> [Problem] {
        let unknown = testCase.expectations.filter { byID[$0.rule] == nil }.map { expectation in
            Problem("no policy \(expectation.rule) is loaded\(NameSuggestion.hint(for: expectation.rule, among: Set(byID.keys)))", at: expectation.location)
        }
        guard unknown.isEmpty else { return unknown }
        let rules = Set(testCase.expectations.map(\.rule)).compactMap { byID[$0] }
        for variant in testCase.isArtifact ? [Self.variants[0]] : Self.variants {
            let problems = run(testCase, policies: rules, variant: variant)
            if !problems.isEmpty { return problems }
        }
        return []
    }

    private func run(_ testCase: PolicyTest.Case, policies: [Policy], variant: Variant) -> [Problem] {
        let file = "case:\(testCase.name)"
        let loaded = YAMLLoader().load(Array((variant.prefix + testCase.resources).utf8), file: file)
        var problems: [Problem] = loaded.errors.map { "resources: \(Self.placed($0, of: testCase, shift: variant.lineShift).description)" }
        var resources: [Resource] = []
        let decoder = ManifestDecoder(defaultNamespace: testCase.namespace ?? "default")
        for document in loaded.documents {
            let decoded = decoder.resources(in: document)
            resources += decoded.resources
            problems += decoded.errors.map { "resources: \(Self.placed($0, of: testCase, shift: variant.lineShift).description)" }
        }
        let (inventory, redefinitions) = CrossDocumentChecks.inventory(of: resources)
        problems += redefinitions.map { "resources: \(Self.placed($0, of: testCase, shift: variant.lineShift).description)" }
        // Params for a rule the case does not run would apply to nothing (a misspelt id, or the
        // params written without the rule's id around them).
        let ids = Set(policies.map(\.id))
        problems += testCase.params.keys.sorted().filter { !ids.contains($0) }.map {
            "params names \($0), which is no rule this case's expectations run (params are given per rule: {RULE: {PARAM: VALUE}})"
        }
        var overrides = ParamOverrides()
        let admissionPolicies = Set(policies.filter(\.isAdmissionPolicy).map(\.id))
        for (policy, entries) in testCase.params where !admissionPolicies.contains(policy) {
            for (key, value) in entries.entries {
                overrides.set(policy: policy, key: key.text ?? "", value: CELValue(yaml: value), origin: .file(key: SourceSpan(key), value: SourceSpan(value)))
            }
        }
        let compiler = PolicyCompiler(inventory: inventory)
        var compiled: [CompiledPolicy] = []
        for policy in policies {
            // A ValidatingAdmissionPolicy's params are the mapping under its name, whole.
            let params = policy.isAdmissionPolicy
                ? .success(testCase.params[policy.id].map { CELValue(yaml: $0) } ?? .null)
                : overrides.params(for: policy)
            switch params {
            case .failure(let error): problems.append("params: \(error.description)")
            case .success(let params):
                switch compiler.compile(policy, params: params, overrides: overrides.values[policy.id] ?? [:]) {
                case .success(let program): compiled.append(program)
                case .failure(let list): problems.append("policy: \(list.diagnostics[0].description)")
                }
            }
        }
        guard problems.isEmpty else { return problems }
        let values = testCase.values.map { CELValue(yaml: $0) } ?? .null
        var tier = testCase.tier
        if tier == nil, let global = testCase.values?["global"]?["tier"]?.string { tier = global }
        let engine = PolicyEngine(policies: compiled, settings: EvaluationSettings(tier: tier, values: values))
        var outcome = engine.evaluate(inventory)
        if testCase.isArtifact {
            let artifacts = Self.artifacts(testCase)
            problems += artifacts.problems.map { Problem($0) }
            engine.evaluate(artifacts.inputs, into: &outcome)
            problems += artifacts.inputs.diagnostics.map { "input: \($0.description)" }
        }
        let targets = Dictionary(policies.map { ($0.id, $0.target) }, uniquingKeysWith: { first, _ in first })
        func subject(_ rule: String, _ resource: ResourceRef?) -> String {
            switch targets[rule] {
            case .package?: return "package"
            case .bundle?: return "bundle"
            case .inventory?: return "inventory"
            default: return Self.subject(resource)
            }
        }
        let label = variant.lineShift == 0 && variant.prefix.isEmpty ? "" : " (\(variant.name))"
        let places = CasePlaces(file: file, shift: variant.lineShift)
        let objects = inventory.resources.map { Self.subject($0.ref) }
        /// Why the rule did not evaluate `resource`: it did not run (a rule limited to tiers in a
        /// case without one), the case has no values for a values rule, or no such object at all.
        func notApplied(_ rule: String, _ resource: String) -> String {
            if let reason = outcome.ruleRuns.first(where: { $0.rule.id == rule })?.notRun { return "the rule did not run: \(reason)" }
            if targets[rule] == .values, testCase.values == nil, !testCase.isArtifact { return "the case gives no values (values: {...}) for the values rule" }
            guard targets[rule] == .resource, !objects.contains(resource) else { return "the rule did not apply" }
            return "the case holds no object \(resource) (it holds \(objects.isEmpty ? "none" : objects.joined(separator: ", ")))"
        }
        // Rules and subjects whose expectations were not met: each such problem lists what was
        // found, which is not reported again as unexpected.
        var mismatched: Set<String> = []
        for expectation in testCase.expectations {
            let findings = outcome.findings.filter { $0.ruleID == expectation.rule && subject($0.ruleID, $0.resource) == expectation.resource }
            let errors = outcome.diagnostics.filter { $0.ruleID == expectation.rule && subject(expectation.rule, $0.resource) == expectation.resource }
            let runs = outcome.ruleRuns.first { $0.rule.id == expectation.rule }?.evaluated ?? []
            // Artifacts and a bundle's tier values files are evaluated under their file names.
            let evaluated = [Policy.Target.package, .bundle].contains(targets[expectation.rule]) && ["package", "bundle"].contains(expectation.resource)
                || (targets[expectation.rule] == .values && testCase.isArtifact && expectation.resource == "values")
                ? !runs.isEmpty : runs.contains(expectation.resource)
            /// A problem with this expectation, reported at its line of the test file.
            func problem(_ text: String) {
                problems.append(Problem("\(expectation.rule) on \(expectation.resource): \(text)\(label)", at: expectation.location))
            }
            switch expectation.verdict {
            case .pass:
                if !evaluated { problem("expected pass, but \(notApplied(expectation.rule, expectation.resource))") }
                for finding in findings { problem("expected pass, got finding at \(places.position(finding.location)): \(finding.message)") }
                for error in errors { problem("expected pass, got error: \(error.message)") }
            case .fail:
                for error in errors { problem("expected fail, got error: \(error.message)") }
                if findings.isEmpty, errors.isEmpty {
                    problem("expected fail, got \(evaluated ? "pass" : notApplied(expectation.rule, expectation.resource))")
                } else if !findings.isEmpty, let mismatch = Self.mismatch(
                    findings.map { ($0.location, $0.message) }, expected: expectation, places: places, of: "a finding") {
                    problem(mismatch)
                    mismatched.insert("\(expectation.rule) \(expectation.resource)")
                }
            case .error:
                if errors.isEmpty {
                    problem("expected an evaluation error, got \(findings.isEmpty ? "pass" : "a finding")")
                } else if let mismatch = Self.mismatch(errors.map { ($0.location, $0.message) }, expected: expectation, places: places, of: "an evaluation error") {
                    problem(mismatch)
                    mismatched.insert("\(expectation.rule) \(expectation.resource)")
                }
            }
        }
        // A finding or error the case does not expect fails it: on a rule and subject it names no
        // expectation of, or, on an object, one that none of its `fail` (`error`) expectations
        // there describes, so a case that gives places or messages lists every finding of an
        // object. (A package, bundle, values file or inventory gathers a whole artifact's
        // findings: there each expectation asks only for its own.) An error would make a check
        // exit 2.
        let expected = Set(testCase.expectations.map { "\($0.rule) \($0.resource)" })
        func isUnexpected(_ rule: String, _ resource: String, _ verdict: PolicyTest.Expectation.Verdict, _ location: SourceSpan?, _ message: String) -> Bool {
            guard expected.contains("\(rule) \(resource)") else { return true }
            guard targets[rule] == .resource, !mismatched.contains("\(rule) \(resource)") else { return false }
            let alike = testCase.expectations.filter { $0.rule == rule && $0.resource == resource && $0.verdict == verdict }
            return !alike.isEmpty && !alike.contains { Self.describes($0, location, message, places: places) }
        }
        for finding in outcome.findings {
            let resource = subject(finding.ruleID, finding.resource)
            guard isUnexpected(finding.ruleID, resource, .fail, finding.location, finding.message) else { continue }
            problems.append("unexpected finding of \(finding.ruleID) on \(resource) at \(places.position(finding.location)): \(finding.message)\(label)")
        }
        for error in outcome.diagnostics {
            guard let rule = error.ruleID else { continue }
            let resource = subject(rule, error.resource)
            guard isUnexpected(rule, resource, .error, error.location, error.message) else { continue }
            problems.append("unexpected error of \(rule) on \(resource): \(error.message)\(label)")
        }
        return problems
    }

    static func subject(_ resource: ResourceRef?) -> String { resource?.qualifiedName ?? "values" }

    /// An error in a case's resources, placed in the test file when the text is a literal block
    /// of it (its lines are the file's, `shift` lines of a variant's prefix before them).
    private static func placed(_ error: YAMLError, of testCase: PolicyTest.Case, shift: Int) -> YAMLError {
        guard let place = placed(line: error.line, column: error.column, of: testCase, shift: shift) else { return error }
        return YAMLError(file: place.file, line: place.line, column: place.column, message: error.message)
    }

    /// A diagnostic about a case's resources, placed likewise.
    private static func placed(_ diagnostic: Diagnostic, of testCase: PolicyTest.Case, shift: Int) -> Diagnostic {
        var diagnostic = diagnostic
        if let location = diagnostic.location, let place = placed(line: location.line, column: location.column, of: testCase, shift: shift) {
            diagnostic.location = place
        }
        return diagnostic
    }

    /// Where line and column of a case's resources text are in the test file.
    private static func placed(line: Int, column: Int, of testCase: PolicyTest.Case, shift: Int) -> SourceSpan? {
        guard let start = testCase.resourcesStart, line > shift else { return nil }
        return SourceSpan(file: testCase.location.file, line: start.line + line - 1 - shift, column: column + start.indent)
    }

    /// Reads the case's package or bundle, building a missing archive from its folder first.
    static func artifacts(_ testCase: PolicyTest.Case) -> (inputs: ArtifactInputs, problems: [String]) {
        var problems: [String] = []
        var options = BundleReadOptions()
        if let key = testCase.key {
            do {
                options.publicKeyPEM = String(decoding: try FileDigest.readSmallFile(key, limit: 64 << 10), as: UTF8.self)
            } catch {
                problems.append("key: \(error)")
            }
        }
        var inputs = ArtifactInputs(keyGiven: options.publicKeyPEM != nil)
        inputs.registry = testCase.registry.map { PackageRegistryIndex.load(folder: $0) }
        var scratch: URL?
        defer { if let scratch { try? FileManager.default.removeItem(at: scratch) } }
        func prepared(_ path: String) -> String {
            guard !FileManager.default.fileExists(atPath: path), let compression = TestArchiveBuilder.compression(of: path) else { return path }
            let name = URL(fileURLWithPath: path).lastPathComponent
            var folder = path + ".d"
            if !FileManager.default.fileExists(atPath: folder) {
                for suffix in [".tar.gz", ".tgz", ".tar.zst", ".tar"] where path.hasSuffix(suffix) { folder = String(path.dropLast(suffix.count)); break }
            }
            do {
                let bytes = try TestArchiveBuilder.tar(try TestArchiveBuilder.entries(ofFolder: URL(fileURLWithPath: folder)), compression: compression)
                let directory = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-policy-test-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                scratch = directory
                let archive = directory.appendingPathComponent(name)
                try Data(bytes).write(to: archive)
                if let sidecar = testCase.sidecar {
                    let digest = sidecar == "auto" ? Hex.string(SHA256.hash(data: bytes)) : sidecar
                    try Data((digest + "  " + name + "\n").utf8).write(to: URL(fileURLWithPath: archive.path + ".sha256"))
                }
                return archive.path
            } catch {
                problems.append("cannot build \(name) from \(folder): \(error)")
                return path
            }
        }
        if let package = testCase.package { inputs.packages.append(PackageFacts.read(prepared(package), options: options)) }
        if let bundle = testCase.bundle { inputs.bundles.append(BundleFacts.read(prepared(bundle), options: options)) }
        return (inputs, problems)
    }

    /// What is wrong when none of `got` (a finding's or an error's place and message) is at the
    /// expectation's line and column (when given) with a message containing its text (when
    /// given); nil when one is.
    private static func mismatch(
        _ got: [(location: SourceSpan?, message: String)], expected expectation: PolicyTest.Expectation, places: CasePlaces, of kind: String
    ) -> String? {
        guard expectation.line != nil || expectation.message != nil else { return nil }
        guard !got.contains(where: { describes(expectation, $0.location, $0.message, places: places) }) else { return nil }
        let place = expectation.line.map { "at \($0):\(expectation.column.map(String.init) ?? "*")" }
        let wanted = [place, expectation.message.map { "with a message containing \"\($0)\"" }].compactMap { $0 }.joined(separator: " ")
        return "expected \(kind) \(wanted), got " + got.map { "\(places.position($0.location)): \($0.message)" }.joined(separator: "; ")
    }

    /// Whether `expectation` describes a finding or error at `location` with `message`; one
    /// without `line`, `column` or `message` describes any.
    private static func describes(_ expectation: PolicyTest.Expectation, _ location: SourceSpan?, _ message: String, places: CasePlaces) -> Bool {
        (expectation.line.map { location.map(places.line) == $0 } ?? true)
            && (expectation.column == nil || location?.column == expectation.column)
            && (expectation.message.map { message.contains($0) } ?? true)
    }

    /// Why a case fails, at the expectation it is about (else the case is named at its start). A
    /// text alone is a problem of the whole case.
    struct Problem: ExpressibleByStringInterpolation, Sendable {
        let text: String
        let place: SourceSpan?

        init(_ text: String, at place: SourceSpan? = nil) {
            self.text = text
            self.place = place
        }

        init(stringLiteral text: String) { self.init(text) }
        init(stringInterpolation: DefaultStringInterpolation) { self.init(String(stringInterpolation: stringInterpolation)) }
    }

    /// Places of a variant's findings as a case's expectations give them: a place in the case's
    /// `resources` text (`file`) is moved back up by the `shift` lines of the variant's prefix; one
    /// elsewhere, in the case's inline `values` (of the test file), is where it is.
    private struct CasePlaces {
        let file: String
        let shift: Int

        func line(of span: SourceSpan) -> Int { span.file == file ? span.line - shift : span.line }

        func position(_ span: SourceSpan?) -> String {
            guard let span else { return "?" }
            return "\(line(of: span)):\(span.column)"
        }
    }
}
