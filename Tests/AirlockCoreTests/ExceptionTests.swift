import AirlockCore
import Foundation
import XCTest

final class ExceptionTests: XCTestCase {
    private func finding(_ rule: String, kind: String, namespace: String, name: String) -> Finding {
        Finding(ruleID: rule, category: .registryLocality, severity: .high, message: "m",
                location: SourceSpan(file: "m.yaml", line: 1, column: 1),
                resource: ResourceRef(apiVersion: "batch/v1", kind: kind, namespace: namespace, name: name))
    }

    private let file = """
        exceptions:
          - rule: registry-locality
            match: {kind: CronJob, namespace: team-alpha, name: etl-*}
            justification: vendor image under review, ticket SEC-1042
            owner: platform-security
            expires: "2026-12-31"
          - rule: registry-locality
            match: {kind: Job, name: old-*}
            justification: legacy
            owner: ops
            expires: "2026-01-31"
          - rule: image-pinned
            match: {name: nothing-matches}
            justification: stale
            owner: ops
            expires: "2027-01-01"
        """

    /// `expires` is the last day an exception holds (README): on that day it suppresses, on the
    /// next it is reported expired.
    func testAnExceptionHoldsThroughItsExpiryDay() {
        let risks = ExceptionsFile.load(Array("""
            exceptions:
              - {rule: registry-locality, match: {name: p}, justification: j, owner: o, expires: "2026-12-31"}
            """.utf8), file: "ex.yaml").risks
        let found = finding("registry-locality", kind: "Pod", namespace: "a", name: "p")
        let onTheDay = ExceptionPolicy(risks: risks, baseline: nil, today: "2026-12-31").apply(to: [found])
        XCTAssertEqual(onTheDay.findings.map { "\($0.ruleID) \($0.suppression?.kind.rawValue ?? "-")" }, ["registry-locality external"])
        let dayAfter = ExceptionPolicy(risks: risks, baseline: nil, today: "2027-01-01").apply(to: [found])
        XCTAssertEqual(dayAfter.findings.map { "\($0.ruleID) \($0.suppression?.kind.rawValue ?? "-")" }.sorted(),
                       ["exception-expired -", "registry-locality -"])
    }

    func testSuppressExpireAndStale() {
        let loaded = ExceptionsFile.load(Array(file.utf8), file: "exc.yaml")
        XCTAssertEqual(loaded.errors, [])
        let policy = ExceptionPolicy(risks: loaded.risks, baseline: nil, today: "2026-11-25")
        let applied = policy.apply(to: [
            finding("registry-locality", kind: "CronJob", namespace: "team-alpha", name: "etl-nightly"),
            finding("registry-locality", kind: "CronJob", namespace: "team-bravo", name: "etl-nightly"),
            finding("registry-locality", kind: "Job", namespace: "team-alpha", name: "old-import"),
        ])
        XCTAssertEqual(applied.findings.map { $0.suppression?.kind }, [.external, nil, nil, nil, nil])
        XCTAssertEqual(applied.findings[0].suppression?.owner, "platform-security")
        XCTAssertEqual(applied.findings[3].ruleID, "exception-expired")
        XCTAssertEqual(applied.findings[3].location, SourceSpan(file: "exc.yaml", line: 7, column: 5))
        XCTAssertEqual(applied.findings[4].ruleID, "exception-stale")
        XCTAssertEqual(applied.findings[4].location?.line, 12)
    }

    /// Exceptions naming one object and exceptions with patterns are applied in file order: the
    /// first that matches suppresses, every one that matches is used (none is stale).
    func testExactAndPatternExceptionsApplyInFileOrder() {
        let loaded = ExceptionsFile.load(Array("""
            exceptions:
              - {rule: r, match: {kind: Job, namespace: a, name: "j-*"}, justification: pattern, owner: o, expires: "2099-01-01"}
              - {rule: r, match: {kind: Job, namespace: a, name: j-1}, justification: exact, owner: o, expires: "2099-01-01"}
              - {rule: r, match: {kind: Job, namespace: a, name: k-1}, justification: only, owner: o, expires: "2099-01-01"}
              - {rule: s, match: {kind: Job, namespace: a, name: k-1}, justification: other rule, owner: o, expires: "2099-01-01"}
            """.utf8), file: "exc.yaml")
        XCTAssertEqual(loaded.errors, [])
        let applied = ExceptionPolicy(risks: loaded.risks, baseline: nil, today: "2026-12-05").apply(to: [
            finding("r", kind: "Job", namespace: "a", name: "j-1"),
            finding("r", kind: "Job", namespace: "a", name: "k-1"),
            finding("r", kind: "Job", namespace: "b", name: "k-1"),
        ])
        XCTAssertEqual(applied.findings.map { $0.suppression?.justification }, ["pattern", "only", nil, nil])
        XCTAssertEqual(applied.findings.last?.message, "exception for s on Job/a/k-1 (owner o) matches no finding")
        // Told the run's rules, a stale exception naming none of them says so.
        let named = ExceptionPolicy(risks: loaded.risks, baseline: nil, today: "2026-12-05").apply(to: [], rules: ["r"])
        XCTAssertEqual(named.findings.map(\.message), [
            "exception for r on Job/a/j-* (owner o) matches no finding", "exception for r on Job/a/j-1 (owner o) matches no finding",
            "exception for r on Job/a/k-1 (owner o) matches no finding",
            "exception for s on Job/a/k-1 (owner o) matches no finding: no rule of this run is named s (misspelt?)",
        ])
    }

    func testIncompleteExceptionsAreRejected() {
        let loaded = ExceptionsFile.load(Array("exceptions:\n  - rule: x\n    expires: soon\n".utf8), file: "exc.yaml")
        XCTAssertEqual(loaded.risks.count, 0)
        XCTAssertEqual(loaded.errors.map(\.description), [
            "exc.yaml:2:5: exceptions[].match must name the objects the exception covers (kind, namespace or name, globs allowed; name: \"*\" for every object, and for a finding of no object: values, a bundle, a package): without it the rule would be off everywhere",
            "exc.yaml:2:5: exceptions[].justification is required",
            "exc.yaml:2:5: exceptions[].owner is required",
            "exc.yaml:3:14: exceptions[].expires must be a date YYYY-MM-DD, got \"soon\"",
        ])
    }

    /// Blank fields and impossible dates are refused, and so is a glob in `rule`: an exception
    /// names one rule (`rule: "image-*"` was taken for a misspelt rule, a stale exception).
    func testBlankFieldsWildcardRulesAndImpossibleDatesAreRejected() {
        let text = "exceptions:\n  - rule: \"image-*\"\n    match: {kind: Pod}\n    justification: \"\"\n    owner: \" \"\n    expires: \"2099-02-30\"\n"
        let loaded = ExceptionsFile.load(Array(text.utf8), file: "exc.yaml")
        XCTAssertEqual(loaded.risks.count, 0)
        XCTAssertEqual(loaded.errors.map(\.description), [
            "exc.yaml:2:11: exceptions[].rule \"image-*\" is a glob, and an exception names one rule (there is no wildcard rule): write one for each rule it accepts",
            "exc.yaml:4:20: exceptions[].justification must not be blank",
            "exc.yaml:5:12: exceptions[].owner must not be blank",
            "exc.yaml:6:14: exceptions[].expires must be a date YYYY-MM-DD, got \"2099-02-30\"",
        ])
    }

    /// An exception that names no object would turn its rule off everywhere, as a forgotten
    /// `match` did: it is refused, and every object is accepted only when said (`name: "*"`).
    func testAnExceptionMustSayWhatItMatches() {
        for match in ["", "    match: {}\n", "    match: null\n"] {
            let text = "exceptions:\n  - rule: x\n\(match)    justification: j\n    owner: o\n    expires: \"2099-01-31\"\n"
            let loaded = ExceptionsFile.load(Array(text.utf8), file: "exc.yaml")
            XCTAssertEqual(loaded.risks.count, 0, match)
            XCTAssertEqual(loaded.errors.map(\.description).first?.contains("exceptions[].match must name the objects the exception covers"), true, match)
        }
        let everything = "exceptions:\n  - rule: x\n    match: {name: \"*\"}\n    justification: j\n    owner: o\n    expires: \"2099-01-31\"\n"
        let loaded = ExceptionsFile.load(Array(everything.utf8), file: "exc.yaml")
        XCTAssertEqual(loaded.errors, [])
        XCTAssertEqual(loaded.risks.map(\.name), ["*"])
        // `name: "*"` also accepts a finding of no object (a values rule's), which a pattern
        // naming a kind does not.
        let valuesFinding = Finding(ruleID: "x", category: .registryLocality, severity: .high, message: "m", location: SourceSpan(file: "v.yaml", line: 1, column: 1))
        XCTAssertEqual(loaded.risks.first?.matches(valuesFinding), true)
        XCTAssertEqual(loaded.risks.first?.matches(finding("x", kind: "Job", namespace: "a", name: "j")), true)
        var ofPods = loaded.risks.first
        ofPods?.kind = "Pod"
        XCTAssertEqual(ofPods?.matches(valuesFinding), false)
    }

    /// `namespace: "*"` means any namespace: a finding of no object (values, "no Namespace among
    /// the inputs") and one of a cluster-scoped object have none, so it accepts neither; it
    /// suppressed both, a values finding and a ClusterRoleBinding's, as `name: "*"` does.
    func testANamespacePatternMatchesOnlyObjectsInANamespace() {
        let text = """
            exceptions:
              - {rule: x, match: {namespace: "*"}, justification: j, owner: o, expires: "2099-01-31"}
              - {rule: x, match: {kind: "*", namespace: "*", name: "*"}, justification: j, owner: o, expires: "2099-01-31"}
              - {rule: x, match: {namespace: "team-*"}, justification: j, owner: o, expires: "2099-01-31"}

            """
        let loaded = ExceptionsFile.load(Array(text.utf8), file: "exc.yaml")
        XCTAssertEqual(loaded.errors, [])
        let valuesFinding = Finding(ruleID: "x", category: .registryLocality, severity: .high, message: "m", location: SourceSpan(file: "v.yaml", line: 1, column: 1))
        let clusterScoped = finding("x", kind: "ClusterRoleBinding", namespace: "", name: "admins")
        let namespaced = finding("x", kind: "Job", namespace: "team-a", name: "j")
        XCTAssertEqual(loaded.risks.map { $0.matches(valuesFinding) }, [false, false, false])
        XCTAssertEqual(loaded.risks.map { $0.matches(clusterScoped) }, [false, false, false])
        XCTAssertEqual(loaded.risks.map { $0.matches(namespaced) }, [true, true, true])
        // `namespace: ""` is how an exception names a cluster-scoped object, as it always was.
        var clusterRoleBinding = loaded.risks[2]
        (clusterRoleBinding.kind, clusterRoleBinding.namespace, clusterRoleBinding.name) = ("ClusterRoleBinding", "", "admins")
        XCTAssertEqual([clusterScoped, namespaced, valuesFinding].map(clusterRoleBinding.matches), [true, false, false])
        // Stale, the exception says why, and what accepts those findings.
        let applied = ExceptionPolicy(risks: loaded.risks, baseline: nil, today: "2026-11-25").apply(to: [valuesFinding, clusterScoped])
        let hint = "; a namespace matches only objects in one, and a finding of no object or of a cluster-scoped object has none: name: \"*\" (or the object's kind and name) accepts it"
        XCTAssertEqual(applied.findings.compactMap { $0.ruleID == "exception-stale" ? $0.message : nil }, [
            "exception for x on * (owner o) matches no finding" + hint,
            "exception for x on */*/* (owner o) matches no finding" + hint,
            "exception for x on team-* (owner o) matches no finding" + hint,
        ])
    }

    func testExpiryDatesAreCalendarDates() {
        for valid in ["2026-12-31", "2024-02-29", "2000-02-29", "2099-04-30"] { XCTAssertTrue(ExpiryDate.isValid(valid), valid) }
        for invalid in ["2099-02-30", "2100-02-29", "2025-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00",
                        "+026-01-01", "2026-1-01", "2026-01-1 ", "20260101", ""] {
            XCTAssertFalse(ExpiryDate.isValid(invalid), invalid)
        }
    }

    func testBaselineRoundTrip() throws {
        let old = finding("registry-locality", kind: "Pod", namespace: "a", name: "p")
        let baseline = try JSONDecoder().decode(Baseline.self, from: try Baseline(findings: [old]).encoded())
        var moved = old
        moved.location?.line = 40
        let new = finding("registry-locality", kind: "Pod", namespace: "a", name: "q")
        let applied = ExceptionPolicy(risks: [], baseline: baseline, today: "2026-11-25").apply(to: [moved, new])
        XCTAssertEqual(applied.findings.map { $0.suppression?.kind }, [.baseline, nil])
    }

    /// An entry that is not a fingerprint would accept nothing without a word: it is an error.
    func testABaselineEntryThatIsNotAFingerprintIsAnError() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("baseline-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(#"{"schemaVersion": "1", "fingerprints": ["zz"]}"#.utf8).write(to: URL(fileURLWithPath: path))
        guard case .failure(let error) = Baseline.load(path) else { return XCTFail("a baseline of \"zz\" loaded") }
        XCTAssertEqual(error.message, #"baseline entry "zz" is not a fingerprint (64 lower-case hex digits, as --write-baseline writes them)"#)
        let good = try Baseline(findings: [finding("registry-locality", kind: "Pod", namespace: "a", name: "p")]).encoded()
        try good.write(to: URL(fileURLWithPath: path))
        guard case .success = Baseline.load(path) else { return XCTFail("a written baseline did not load") }
    }

    /// A baseline is read as strictly as every other input: a key given twice (a second
    /// `fingerprints` would replace the first), an unknown field, a missing one are errors at their place.
    func testABaselineIsReadStrictly() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("baseline-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fingerprint = String(repeating: "a", count: 64)
        for (text, message) in [
            (#"{"schemaVersion":"1","fingerprints":["\#(fingerprint)"],"fingerprints":[]}"#,
             #"\#(path):1:106: not an airlock baseline: duplicate key "fingerprints" (first at line 1, column 22); readers disagree on which one wins"#),
            (#"{"schemaVersion":"1","fingerprints":[],"extra":1}"#, #"\#(path):1:40: not an airlock baseline: unknown field extra (known: fingerprints, schemaVersion)"#),
            (#"{"schemaVersion":"1"}"#, #"\#(path):1:1: not an airlock baseline: fingerprints is required"#),
            (#"{"schemaVersion":"2","fingerprints":[]}"#, #"\#(path):1:18: baseline schemaVersion 2 is not supported"#),
            ("[]", #"\#(path):1:1: not an airlock baseline: expected one object with schemaVersion and fingerprints, as --write-baseline writes it"#),
        ] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            guard case .failure(let error) = Baseline.load(path) else { return XCTFail("\(text) loaded") }
            XCTAssertEqual(error.description, message, text)
        }
    }

    /// A baseline that cannot be read says why, at its path: a file that is not there, a folder,
    /// text that is not JSON (at the line and column where it stops being JSON).
    func testAnUnreadableBaselineSaysWhy() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baseline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let malformed = folder.appendingPathComponent("malformed.json")
        try Data("{\"schemaVersion\": \"1\",\n  \"fingerprints\": [,]}\n".utf8).write(to: malformed)
        for (path, message) in [
            (folder.appendingPathComponent("missing.json").path, "missing.json:1:1: cannot read file: No such file or directory"),
            (folder.path, ":1:1: cannot read file: it is a folder"),
            (malformed.path, "malformed.json:2:20: not an airlock baseline: malformed JSON: while parsing a flow node, did not find expected node content"),
        ] {
            guard case .failure(let error) = Baseline.load(path) else { return XCTFail("\(path) loaded") }
            XCTAssertEqual(error.kind, .configuration, path)
            XCTAssertEqual(error.description, path.hasSuffix(".json") ? folder.path + "/" + message : path + message)
        }
    }

    /// `--baseline b.json --write-baseline b.json` updates the baseline: the findings it already
    /// accepted stay in it (they were dropped, and the next run failed on all of them), a new one
    /// is added, and one an exception accepts is still left out.
    func testABaselineWrittenFromABaselinedRunKeepsItsFindings() throws {
        let old = finding("registry-locality", kind: "Pod", namespace: "a", name: "p")
        let new = finding("registry-locality", kind: "Pod", namespace: "a", name: "q")
        let excepted = finding("registry-locality", kind: "Pod", namespace: "a", name: "r")
        let risks = ExceptionsFile.load(Array("""
            exceptions:
              - {rule: registry-locality, match: {name: r}, justification: j, owner: o, expires: "2099-01-01"}
            """.utf8), file: "ex.yaml").risks
        XCTAssertEqual(risks.count, 1)
        let first = try JSONDecoder().decode(Baseline.self, from: try Baseline(findings: [old]).encoded())
        let applied = ExceptionPolicy(risks: risks, baseline: first, today: "2026-11-25").apply(to: [old, new, excepted])
        XCTAssertEqual(applied.findings.map { $0.suppression?.kind }, [.baseline, nil, .external])
        let updated = Baseline(findings: applied.findings)
        XCTAssertEqual(updated.fingerprints, [old, new].map(Fingerprint.base(of:)).sorted())
        let next = ExceptionPolicy(risks: [], baseline: updated, today: "2026-11-25").apply(to: [old, new])
        XCTAssertEqual(next.findings.map { $0.suppression?.kind }, [.baseline, .baseline])
    }

    /// The findings about exceptions (stale, expired) are recorded by `--write-baseline`, and the
    /// baseline accepts them: a run with the baseline it just wrote passed no more (exit 1 on an
    /// exception-stale finding), though it had no new finding.
    func testABaselineAcceptsTheFindingsAboutExceptions() throws {
        let risks = ExceptionsFile.load(Array("""
            exceptions:
              - {rule: registry-locality, match: {name: gone}, justification: j, owner: o, expires: "2099-01-01"}
              - {rule: registry-locality, match: {name: p}, justification: j, owner: o, expires: "2020-01-01"}
            """.utf8), file: "ex.yaml").risks
        XCTAssertEqual(risks.count, 2)
        let found = finding("registry-locality", kind: "Pod", namespace: "a", name: "p")
        let before = ExceptionPolicy(risks: risks, baseline: nil, today: "2026-11-25").apply(to: [found])
        XCTAssertEqual(before.findings.map(\.ruleID).sorted(), ["exception-expired", "exception-stale", "registry-locality"])
        let baseline = try JSONDecoder().decode(Baseline.self, from: try Baseline(findings: before.findings).encoded())
        XCTAssertEqual(baseline.fingerprints.count, 3)
        let after = ExceptionPolicy(risks: risks, baseline: baseline, today: "2026-11-25").apply(to: [found])
        XCTAssertEqual(after.findings.map { "\($0.ruleID) \($0.suppression?.kind.rawValue ?? "-")" }.sorted(),
                       ["exception-expired baseline", "exception-stale baseline", "registry-locality baseline"])
    }

    /// An exception whose rule did not run (limited to tiers in a run without one, or left out by
    /// the profile, as `bundle verify` leaves out the manifests' rules of a shared
    /// `.airlock-exceptions.yaml`) cannot be judged: it is not stale. It was reported as matching
    /// nothing ("remove the exception", or "misspelt?") and failed the run. A rule no policy
    /// defines is still a stale, misspelt one, named with the rule it may have meant (it was only
    /// "misspelt?", as `--config` already named it).
    func testAnExceptionWhoseRuleDidNotRunIsNotStale() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-stale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = folder.appendingPathComponent("svc.yaml")
        try Data("apiVersion: v1\nkind: Service\nmetadata: {name: ui, namespace: team-a}\nspec: {type: LoadBalancer}\n".utf8).write(to: manifest)
        let exceptions = folder.appendingPathComponent("exceptions.yaml")
        try Data("""
            exceptions:
              - {rule: service-no-loadbalancer, match: {name: ui}, justification: j, owner: o, expires: "2099-01-01"}
              - {rule: service-no-loadbalancr, match: {name: ui}, justification: j, owner: o, expires: "2099-01-01"}
            """.utf8).write(to: exceptions)
        var options = CheckOptions()
        options.paths = [manifest.path]
        options.exceptionsFile = exceptions.path
        let stale = { (result: CheckResult) in result.findings.filter { $0.ruleID == "exception-stale" }.map(\.message) }
        let withoutTier = CheckRunner.run(options)
        XCTAssertEqual(withoutTier.rules.first { $0.rule.id == "service-no-loadbalancer" }?.notRun != nil, true)
        XCTAssertEqual(stale(withoutTier), [
            "exception for service-no-loadbalancr on ui (owner o) matches no finding: no rule of this run is named service-no-loadbalancr; did you mean service-no-loadbalancer?",
        ])
        options.settings.tier = "edge"
        let atEdge = CheckRunner.run(options)
        XCTAssertEqual(atEdge.findings.first { $0.ruleID == "service-no-loadbalancer" }?.suppression?.kind, .external)
        XCTAssertEqual(stale(atEdge).count, 1)
        options.profile = Profile.builtin().profiles.first { $0.name == "verify" }
        XCTAssertNotNil(options.profile)
        options.allowEmpty = true
        XCTAssertEqual(stale(CheckRunner.run(options)).count, 1)
    }

    /// `gate pre-publish` on a package reads the repository's shared `.airlock-exceptions.yaml`
    /// too: an exception for a rule of manifests (which ran on none, as the run read none) cannot
    /// be judged, and failed the gate as stale. One for a rule of the run's inputs still is.
    func testAnExceptionForARuleOfInputsTheRunDidNotReadIsNotStale() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-stale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let exceptions = folder.appendingPathComponent("exceptions.yaml")
        try Data("""
            exceptions:
              - {rule: image-registry-allowed, match: {kind: Deployment, name: "*"}, justification: j, owner: o, expires: "2099-01-01"}
              - {rule: package-readme, match: {name: "*"}, justification: j, owner: o, expires: "2099-01-01"}
            """.utf8).write(to: exceptions)
        var options = CheckOptions()
        options.packagePaths = [packageRoot.appendingPathComponent("testdata/bundles/package-good/customer-service").path]
        options.profile = Profile.builtin().profiles.first { $0.name == "publish" }
        options.exceptionsFile = exceptions.path
        let result = CheckRunner.run(options)
        XCTAssertEqual(result.diagnostics.map(\.message), [])
        XCTAssertEqual(result.findings.filter { $0.ruleID == "exception-stale" }.map(\.message), [
            "exception for package-readme on * (owner o) matches no finding",
        ])
    }

    func testTheBaselineCountsIdenticalFindings() throws {
        let old = finding("registry-locality", kind: "Pod", namespace: "a", name: "p")
        let baseline = try JSONDecoder().decode(Baseline.self, from: try Baseline(findings: [old, old]).encoded())
        let applied = ExceptionPolicy(risks: [], baseline: baseline, today: "2026-11-25").apply(to: [old, old, old])
        XCTAssertEqual(applied.findings.map { $0.suppression?.kind }, [.baseline, .baseline, nil])
    }

    /// `namespaces-present` reports a namespace at its first object in input order: inputs in
    /// another order move it to another file, and a baseline still knows it (a finding of no
    /// object is fingerprinted by rule and message, not by file).
    func testABaselineKnowsAFindingOfNoObjectInAnotherFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-order-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (first, second) = (folder.appendingPathComponent("10-config.yaml"), folder.appendingPathComponent("20-app.yaml"))
        try Data("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: team-x}\n".utf8).write(to: first)
        try Data("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: team-x}\n".utf8).write(to: second)
        var options = CheckOptions()
        options.paths = [second.path, first.path]
        let before = CheckRunner.run(options)
        XCTAssertEqual(before.failingFindings.map { "\($0.ruleID) \($0.location?.file ?? "")" }, ["namespaces-present \(second.path)"])
        let baseline = folder.appendingPathComponent("baseline.json")
        try Baseline(findings: before.findings).encoded().write(to: baseline)

        options.paths = [first.path, second.path]
        options.baselineFile = baseline.path
        let after = CheckRunner.run(options)
        XCTAssertEqual(after.findings.map { "\($0.ruleID) \($0.location?.file ?? "") \($0.suppression?.kind.rawValue ?? "-")" },
                       ["namespaces-present \(first.path) baseline"])
        XCTAssertEqual(after.exitCode, 0)
    }

    func testInlineAnnotation() {
        let inventory = inventory("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
              annotations:
                airlock.dev/exception.registry-locality: "vendor image; owner=sec; expires=2027-01-01"
                airlock.dev/exception.image-pinned: "no owner given"
                airlock.dev/exception.quota: "under review; owner=sec; expires=2024-01-31; expires=2099-12-31"
                airlock.dev/exception.egress: "under review; owner=sec; owner=ops; expires=2099-12-31"
            """)
        let parsed = InlineException.risks(of: inventory.resources[0])
        XCTAssertEqual(parsed.risks.map(\.rule), ["registry-locality"])
        XCTAssertEqual(parsed.risks.first?.owner, "sec")
        XCTAssertEqual(parsed.errors.map(\.location?.line), [7, 8, 9])
        // A second date (or owner) is refused, not read in place of the first.
        XCTAssertEqual(parsed.errors.dropFirst().map(\.message), [
            "exception annotation airlock.dev/exception.quota gives expires= more than once",
            "exception annotation airlock.dev/exception.egress gives owner= more than once",
        ])
    }

    /// An annotation names its own object: not a glob, not another file's object of that name,
    /// and not every rule.
    func testInlineExceptionsApplyToTheirObjectOnly() {
        let inventory = inventory("""
            apiVersion: v1
            kind: Pod
            metadata:
              generateName: web-
              namespace: a
              annotations:
                airlock.dev/exception.registry-locality: "vendor image; owner=sec; expires=2027-01-01"
                airlock.dev/exception.*: "everything; owner=sec; expires=2027-01-01"
            """, file: "m.yaml")
        let risks = InlineException.risks(of: inventory.resources[0]).risks
        let generated = finding("registry-locality", kind: "Pod", namespace: "a", name: "web-*")
        let sameName = finding("registry-locality", kind: "Pod", namespace: "a", name: "web-api")
        var otherFile = generated
        otherFile.location?.file = "other.yaml"
        let otherRule = finding("image-pinned", kind: "Pod", namespace: "a", name: "web-*")
        let applied = ExceptionPolicy(risks: risks, baseline: nil, today: "2026-11-25").apply(to: [generated, sameName, otherFile, otherRule])
        XCTAssertEqual(applied.findings.prefix(4).map { $0.suppression?.kind }, [.inline, nil, nil, nil])
    }

    /// An exceptions file of many broken entries lists 1,000 errors and counts the rest in one
    /// more, at the first not listed: `- {}` repeated took about 1 KB of memory per 5 bytes.
    func testErrorsOfAnExceptionsFileAreListedUpToALimit() {
        let text = "exceptions:\n" + String(repeating: "- {rule: r, match: {name: x}}\n", count: 1_200)
        let loaded = ExceptionsFile.load(Array(text.utf8), file: "x.yaml")
        XCTAssertEqual(loaded.errors.count, 1_001)
        XCTAssertEqual(loaded.errors.first?.message, "exceptions[].justification is required")
        XCTAssertEqual(loaded.errors.last?.message, "2600 more errors in this file are not listed (at most 1000 are)")
        XCTAssertEqual(loaded.errors.last?.kind, .configuration)
        XCTAssertEqual(loaded.errors.last?.location?.line, 335)
    }
}
