import AirlockCore
import AirlockReports
import CLibXML2
import XCTest

/// The JUnit report validates against the Ant (windyroad) and Jenkins xUnit schemas with libxml2.
final class JUnitSchemaTests: XCTestCase {
    private static let antSchema = "junit/windyroad-JUnit.xsd"
    private static let jenkinsSchema = "junit/jenkins-xunit-junit-10.xsd"

    func testDefaultReportValidatesAgainstBothSchemas() throws {
        for schema in [Self.antSchema, Self.jenkinsSchema] {
            for (name, result) in Fixture.allResults {
                let xml = try JUnitReporter().render(result, context: Fixture.context)
                XCTAssertTrue(try validate(xml, schema: schema), "\(name) JUnit is invalid against \(schema)")
            }
        }
    }

    func testRootAttributesValidateAgainstJenkinsOnly() throws {
        let xml = try JUnitReporter(rootAttributes: true).render(Fixture.result, context: Fixture.context)
        XCTAssertTrue(try validate(xml, schema: Self.jenkinsSchema))
        XCTAssertFalse(try validate(xml, schema: Self.antSchema, quiet: true), "the Ant schema forbids attributes on <testsuites>")
    }

    func testSchemaCheckIsNotVacuous() throws {
        let xml = try JUnitReporter().render(Fixture.result, context: Fixture.context)
        let broken = xml.replacingOccurrences(of: "<testcase ", with: "<testcas ")
        XCTAssertFalse(try validate(broken, schema: Self.antSchema, quiet: true))
    }

    func testEveryRuleAndObjectIsATestCase() throws {
        let suites = try JUnitReporter().render(Fixture.result, context: Fixture.context)
        for run in Fixture.rules where run.rule.id != "bundle.checksum" {
            XCTAssertTrue(suites.contains("name=\"\(run.rule.id)\""), "no testsuite for \(run.rule.id)")
        }
        XCTAssertFalse(suites.contains("name=\"bundle.checksum\""), "a rule that evaluated nothing has no suite")
        XCTAssertTrue(suites.contains("name=\"\(JUnitReporter.inputsSuiteName)\""))
        XCTAssertTrue(suites.contains("\\u{1}"), "the control character must be replaced by a visible escape")
        XCTAssertFalse(suites.unicodeScalars.contains("\u{1}"))
    }

    /// The JUnit verdict is the gate's: with `--fail-on critical` and `--no-fail-on-error`, a run
    /// that passes (exit 0) has no failed or errored test case; what it found is a skip that says why.
    func testTestCasesFailOnlyWhatFailsTheGate() throws {
        var passing = Fixture.result
        passing.diagnostics = Fixture.diagnostics.filter { $0.kind == .evaluation }
        passing.findings = Fixture.findings.filter { $0.severity < .critical || $0.suppression != nil }
        passing.failOn = .critical
        passing.failOnError = false
        XCTAssertEqual(passing.exitCode, 0)
        let xml = try JUnitReporter().render(passing, context: Fixture.context)
        XCTAssertFalse(xml.contains("<failure"), xml)
        XCTAssertFalse(xml.contains("<error"), xml)
        XCTAssertTrue(xml.contains(#"<skipped message="high finding, not failing the gate (below --fail-on critical): Deployment &quot;api&quot;"#), xml)
        XCTAssertTrue(xml.contains(#"<skipped message="evaluation error, not failing the gate (--no-fail-on-error): no such key: spec.hard""#), xml)

        var failing = passing
        failing.failOn = .high
        failing.failOnError = true
        let strict = try JUnitReporter().render(failing, context: Fixture.context)
        XCTAssertTrue(strict.contains(#"<failure message="Deployment &quot;api&quot;"#), strict)
        XCTAssertTrue(strict.contains(#"<error message="no such key: spec.hard" type="evaluation">"#), strict)
        XCTAssertTrue(strict.contains(#"<skipped message="low finding, not failing the gate (below --fail-on high): licence"#), strict)
    }

    /// A finding of no object fails the test case of the subject its rule evaluated (the values,
    /// the inventory, a bundle holding its file or whose sidecar it is), not one of its own beside
    /// that subject's, passed: a failed values rule read as one test passed and one failed.
    func testAFindingOfNoObjectFailsItsSubjectsTestCase() throws {
        func rule(_ id: String) -> RuleDescriptor {
            RuleDescriptor(id: id, title: id, description: "", remediation: "", category: .general, severity: .high, controls: [])
        }
        func finding(_ id: String, at file: String) -> Finding {
            Finding(ruleID: id, category: .general, severity: .high, message: "m", location: SourceSpan(file: file, line: 3, column: 1))
        }
        let result = CheckResult(
            rules: [
                CheckResult.RuleRun(rule: rule("on-values"), evaluated: ["values"]),
                CheckResult.RuleRun(rule: rule("on-inventory"), evaluated: ["inventory"]),
                CheckResult.RuleRun(rule: rule("on-bundles"), evaluated: ["a.tar.gz", "b.tar.gz", "dir/c"]),
            ],
            findings: [
                finding("on-values", at: "values/values-tenants.yaml"), finding("on-inventory", at: "ns.yaml"),
                finding("on-bundles", at: "b.tar.gz!x/manifest.yaml"), finding("on-bundles", at: "b.tar.gz.sha256"),
                finding("on-bundles", at: "dir/c/manifest.yaml"),
            ],
            diagnostics: [], artifacts: [])
        let xml = try JUnitReporter().render(result, context: Fixture.context)
        // `suite: case verdict, ...` for each suite, from the document's lines.
        var cases: [String] = []
        for line in xml.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            func attribute(_ name: String) -> String {
                guard let start = text.range(of: " \(name)=\"") else { return "" }
                return String(text[start.upperBound...].prefix { $0 != "\"" })
            }
            if text.hasPrefix("<testsuite ") { cases.append(attribute("name") + ":") }
            if text.hasPrefix("<testcase ") { cases[cases.count - 1] += " " + attribute("name") + (text.hasSuffix("/>") ? " passed" : " failed") }
        }
        XCTAssertEqual(cases, [
            "on-bundles: a.tar.gz passed b.tar.gz failed dir/c failed",
            "on-inventory: inventory failed",
            "on-values: values failed",
        ])
    }

    /// A rule with nothing to evaluate (a bundle rule in a run without bundles) has no suite, as
    /// the other reports say nothing of it; one that could not run keeps its skipped test case.
    /// Suite ids stay consecutive.
    func testARuleWithNothingToEvaluateHasNoSuite() throws {
        func rule(_ id: String) -> RuleDescriptor {
            RuleDescriptor(id: id, title: id, description: "", remediation: "", category: .bundle, severity: .high, controls: [])
        }
        let result = CheckResult(
            rules: [
                CheckResult.RuleRun(rule: rule("bundle-checksum"), evaluated: [String]()),
                CheckResult.RuleRun(rule: rule("edge-only"), evaluated: EvaluatedObjects([]), notRun: "no tier"),
                CheckResult.RuleRun(rule: rule("on-pods"), evaluated: ["a/Pod/p"]),
            ],
            findings: [], diagnostics: [], artifacts: [])
        let xml = try JUnitReporter().render(result, context: Fixture.context)
        let suites = xml.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("<testsuite ") }.map {
            $0.split(separator: " ").filter { $0.hasPrefix("name=") || $0.hasPrefix("tests=") || $0.hasPrefix("skipped=") || $0.hasPrefix("id=") }.joined(separator: " ")
        }
        XCTAssertEqual(suites, [#"name="edge-only" tests="1" skipped="1" id="0""#, #"name="on-pods" tests="1" skipped="0" id="1""#])
        XCTAssertTrue(try validate(xml, schema: Self.antSchema))
    }

    /// The shipped example report (reports/, written by the real binary) validates against both.
    func testShippedExampleReportValidatesAgainstBothSchemas() throws {
        let xml = try String(contentsOf: Fixture.packageRoot.appendingPathComponent("reports/airlock.xml"), encoding: .utf8)
        XCTAssertTrue(try validate(xml, schema: Self.antSchema))
        XCTAssertTrue(try validate(xml, schema: Self.jenkinsSchema))
    }

    /// Parses `xml` and validates it against `../shared/schemas/<schema>`; skips when absent.
    private func validate(_ xml: String, schema: String, quiet: Bool = false) throws -> Bool {
        guard let url = Fixture.sharedSchema(schema) else {
            throw XCTSkip("JUnit schema not found at ../shared/schemas/\(schema) beside the package root")
        }
        guard let parserContext = xmlSchemaNewParserCtxt(url.path) else { throw XCTSkip("libxml2 cannot open \(schema)") }
        defer { xmlSchemaFreeParserCtxt(parserContext) }
        guard let parsedSchema = xmlSchemaParse(parserContext) else {
            XCTFail("libxml2 cannot parse the schema \(schema)")
            return false
        }
        defer { xmlSchemaFree(parsedSchema) }
        guard let validContext = xmlSchemaNewValidCtxt(parsedSchema) else { return false }
        defer { xmlSchemaFreeValidCtxt(validContext) }
        if quiet {
            xmlSchemaSetValidErrors(validContext, nil, nil, nil)
        }
        let count = Int32(xml.utf8.count)
        let options = Int32(XML_PARSE_NONET.rawValue) | (quiet ? Int32(XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue) : 0)
        guard let document = xml.withCString({ xmlReadMemory($0, count, "junit.xml", "UTF-8", options) }) else {
            if !quiet { XCTFail("libxml2 cannot parse the report as XML") }
            return false
        }
        defer { xmlFreeDoc(document) }
        return xmlSchemaValidateDoc(validContext, document) == 0
    }
}
