import AirlockCore
import AirlockReports
import Foundation
import XCTest

/// Every SARIF log the reporters write validates against the OASIS SARIF 2.1.0 schema.
final class SARIFSchemaTests: XCTestCase {
    private func validator(file: StaticString = #filePath, line: UInt = #line) throws -> JSONSchemaValidator {
        guard let url = Fixture.sharedSchema("sarif/sarif-schema-2.1.0.json") else {
            throw XCTSkip("SARIF schema not found at ../shared/schemas/sarif/sarif-schema-2.1.0.json beside the package root")
        }
        let schema = try JSONValue.parse(String(decoding: try Data(contentsOf: url), as: UTF8.self))
        return JSONSchemaValidator(schema: schema)
    }

    func testEveryResultValidates() throws {
        try assertEveryResultValidates(against: try validator())
    }

    /// The draft-07 variant many tools name in `$schema` (the older "Schemata" URL).
    func testEveryResultValidatesAgainstTheDraft07Variant() throws {
        guard let url = Fixture.sharedSchema("sarif/variants/sarif-schema-2.1.0.draft-07.json") else {
            throw XCTSkip("draft-07 SARIF schema variant not found under ../shared/schemas/sarif/variants")
        }
        let schema = try JSONValue.parse(String(decoding: try Data(contentsOf: url), as: UTF8.self))
        try assertEveryResultValidates(against: JSONSchemaValidator(schema: schema))
    }

    private func assertEveryResultValidates(against validator: JSONSchemaValidator) throws {
        let reporters: [(String, SARIFReporter)] = [
            ("default", SARIFReporter()), ("truncated", SARIFReporter(maxResults: 2, maxMessageLength: 20, maxRelatedLocations: 1, maxTags: 1)),
        ]
        for (name, result) in Fixture.allResults {
            for (variant, reporter) in reporters {
                let log = try JSONValue.parse(try reporter.render(result, context: Fixture.context))
                let errors = validator.validate(log)
                XCTAssertEqual(errors, [], "SARIF for \(name) (\(variant)) is invalid:\n" + errors.joined(separator: "\n"))
            }
        }
    }

    /// The shipped example report (reports/, written by the real binary) validates too.
    func testShippedExampleReportValidates() throws {
        let text = try String(contentsOf: Fixture.packageRoot.appendingPathComponent("reports/airlock.sarif"), encoding: .utf8)
        let errors = try validator().validate(try JSONValue.parse(text))
        XCTAssertEqual(errors, [], "reports/airlock.sarif is invalid:\n" + errors.joined(separator: "\n"))
    }

    func testValidatorRejectsAMisspelledProperty() throws {
        let validator = try validator()
        let text = try SARIFReporter().render(Fixture.result, context: Fixture.context)
        for (from, to) in [("\"ruleIndex\"", "\"ruleIndx\""), ("\"startLine\"", "\"startLin\""), ("\"level\" : \"error\"", "\"level\" : \"fatal\"")] {
            XCTAssertTrue(text.contains(from), "fixture SARIF lacks \(from)")
            let broken = try JSONValue.parse(text.replacingOccurrences(of: from, with: to))
            XCTAssertFalse(validator.validate(broken).isEmpty, "replacing \(from) with \(to) should make the log invalid")
        }
    }

    func testValidatorKeywords() throws {
        let schema = try JSONValue.parse("""
            {"definitions": {"n": {"type": "integer", "minimum": 1}},
             "type": "object", "required": ["a"], "additionalProperties": false,
             "properties": {"a": {"$ref": "#/definitions/n"}, "b": {"type": "array", "items": {"enum": ["x", "y"]}, "uniqueItems": true, "minItems": 1},
                            "c": {"type": "string", "pattern": "^[0-9]+$"}, "d": {"oneOf": [{"type": "string"}, {"type": "number"}]},
                            "e": {"type": "string", "format": "uri"}}}
            """)
        let validator = JSONSchemaValidator(schema: schema)
        XCTAssertEqual(validator.validate(try JSONValue.parse(#"{"a": 2, "b": ["x", "y"], "c": "12", "d": "s", "e": "https://x"}"#)), [])
        let bad = [#"{}"#, #"{"a": 0}"#, #"{"a": 1.5}"#, #"{"a": true}"#, #"{"a": 1, "z": 1}"#, #"{"a": 1, "b": ["x", "x"]}"#,
                   #"{"a": 1, "b": []}"#, #"{"a": 1, "b": ["q"]}"#, #"{"a": 1, "c": "1a"}"#, #"{"a": 1, "d": null}"#, #"{"a": 1, "e": "rel/path"}"#]
        for text in bad {
            XCTAssertFalse(validator.validate(try JSONValue.parse(text)).isEmpty, "\(text) should be invalid")
        }
    }

    func testSARIFMapping() throws {
        let log = try JSONValue.parse(try SARIFReporter().render(Fixture.result, context: Fixture.context))
        guard case .array(let runs)? = log["runs"], let run = runs.first, case .array(let results)? = run["results"] else {
            return XCTFail("no runs[0].results")
        }
        XCTAssertEqual(results.count, Fixture.findings.count)
        XCTAssertEqual(run["invocations"].flatMap { if case .array(let a) = $0 { return a.first?["executionSuccessful"] } else { return nil } }, .bool(false))
        // The finding without location or resource keeps an empty locations array; the one with only
        // a resource keeps its logical location.
        let quota = results.first { $0["ruleId"] == .string("quota.required") }
        XCTAssertNotNil(quota?["locations"].flatMap { if case .array(let a) = $0 { return a.first?["logicalLocations"] } else { return nil } })
        let suppressedKinds = results.compactMap { result -> JSONValue? in
            if case .array(let list)? = result["suppressions"] { return list.first?["kind"] }
            return nil
        }
        XCTAssertEqual(Set(suppressedKinds.map { "\($0)" }), Set([JSONValue.string("external"), .string("inSource")].map { "\($0)" }))
    }

    /// A rule's description over GitHub's documented 1,024 characters is cut, marked, and given
    /// whole in the rule's help; a short one is left as it is, and the help holds the remediation.
    func testALongRuleDescriptionIsCutAndGivenWholeInTheHelp() throws {
        let log = try JSONValue.parse(try SARIFReporter(maxDescriptionLength: 40).render(Fixture.result, context: Fixture.context))
        guard case .array(let runs)? = log["runs"], case .array(let rules)? = runs.first?["tool"]?["driver"]?["rules"] else {
            return XCTFail("no rules")
        }
        let license = rules.first { $0["id"] == .string("package.license") }
        XCTAssertEqual(license?["fullDescription"]?["text"], .string("package.yaml declares a lice [truncated]"))
        XCTAssertEqual(license?["help"]?["text"], .string(
            "package.yaml declares a licence that is not approved.\n\nRemediation: Use an approved licence (Apache-2.0, MIT) or request an exception."))
        let labels = rules.first { $0["id"] == .string("general.labels") }
        XCTAssertEqual(labels?["fullDescription"]?["text"], .string("Every workload has a `team` label."))
        XCTAssertEqual(labels?["help"]?["text"], .string("Add metadata.labels.team."))
    }

    func testTruncationKeepsTheMostSevereAndSaysSo() throws {
        let log = try JSONValue.parse(try SARIFReporter(maxResults: 2).render(Fixture.resultWithoutDiagnostics, context: Fixture.context))
        guard case .array(let runs)? = log["runs"], case .array(let results)? = runs.first?["results"],
              case .array(let invocations)? = runs.first?["invocations"],
              case .array(let notifications)? = invocations.first?["toolExecutionNotifications"]
        else { return XCTFail("unexpected SARIF shape") }
        // The fixture's two criticals are one unsuppressed and one suppressed: the unsuppressed high
        // is kept before the suppressed critical.
        XCTAssertEqual(results.map { $0["level"] }, [.string("error"), .string("error")])
        XCTAssertEqual(Set(results.compactMap { $0["properties"]?["severity"] }.map { "\($0)" }),
                       Set([JSONValue.string("critical"), .string("high")].map { "\($0)" }))
        XCTAssertTrue(results.allSatisfy { $0["suppressions"] == nil })
        XCTAssertEqual(notifications.count, 1)
        XCTAssertEqual(notifications.first?["descriptor"]?["id"], .string("airlock/results-truncated"))
    }

    /// A baseline of many severe findings must not push the one new finding, the one that fails the
    /// run, out of a truncated log: GitHub would show no new alert for a failed gate.
    func testTruncationKeepsUnsuppressedFindingsBeforeSuppressedOnes() throws {
        let accepted = (0..<5).map { index in
            Finding(
                ruleID: "registry.local-only", category: .registryLocality, severity: .critical,
                message: "image quay.io/app\(index):1 is not from registry.local:5000",
                location: SourceSpan(file: "deploy/a.yaml", line: index + 1, column: 1),
                suppression: Suppression(kind: .baseline, justification: "in the baseline"))
        }
        let new = Finding(
            ruleID: "package.license", category: .package, severity: .low,
            message: "a new finding", location: SourceSpan(file: "deploy/z.yaml", line: 1, column: 1))
        let result = CheckResult(rules: Fixture.rules, findings: accepted + [new], diagnostics: [], artifacts: [], failOn: .low)
        let log = try JSONValue.parse(try SARIFReporter(maxResults: 3).render(result, context: Fixture.context))
        guard case .array(let runs)? = log["runs"], case .array(let results)? = runs.first?["results"]
        else { return XCTFail("unexpected SARIF shape") }
        XCTAssertEqual(results.count, 3)
        XCTAssertEqual(results.filter { $0["suppressions"] == nil }.map { $0["message"]?["text"] }, [.string("a new finding")])
    }
}
