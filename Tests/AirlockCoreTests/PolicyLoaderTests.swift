import AirlockCore
import XCTest

final class PolicyLoaderTests: XCTestCase {
    private func errors(_ text: String) -> [String] {
        compile(text, inventory: Inventory()).errors.map(\.description)
    }

    private func policy(_ validations: String, extra: String = "") -> String {
        """
        apiVersion: airlock.dev/v1
        kind: Policy
        metadata: {name: sample}
        spec:
          category: general
          severity: low
          title: Sample\(extra)
          variables:
          - name: first
            expression: object.metadata.name
          validations:
        \(validations)
        """
    }

    func testUnknownFieldIsRejectedWithPosition() {
        XCTAssertEqual(
            errors(policy("  - expression: 'true'\n    mesage: typo")),
            ["policy.yaml:13:5: unknown field spec.validations[].mesage (known: as, expression, forEach, message, messageExpression, path, pathExpression, severity)"])
    }

    func testSyntaxErrorPointsIntoTheExpression() {
        let error = errors(policy("  - expression: object.metadata.name ==")).first ?? ""
        XCTAssertTrue(error.hasPrefix("policy.yaml:12:"), error)
    }

    func testErrorInsideABlockScalarMapsToTheFileLine() {
        let found = errors(policy("  - expression: |\n      object.metadata.name == 'a' &&\n        nosuch.field"))
        XCTAssertEqual(found.count, 1)
        XCTAssertTrue(found[0].hasPrefix("policy.yaml:14:9: sample: undeclared reference to 'nosuch'"), found[0])
    }

    /// Each style rewrites the text it holds (quotes, escapes, indentation, folded line breaks):
    /// the position is where `nosuch` is written, found by reading the file from the scalar's start.
    func testErrorPositionsFollowTheScalarStyle() {
        let cases: [(validation: String, line: Int, column: Int)] = [
            ("  - expression: \"object.kind == 'a' ||\n      nosuch(1)\"", 13, 7),
            ("  - expression: \"object.kind == 'a' \\\n      || nosuch(1)\"", 13, 10),
            ("  - expression: \"'\\u00e9\\x41' == object.kind || nosuch(1)\"", 12, 49),
            ("  - expression: 'object.kind == ''a'' || nosuch(1)'", 12, 42),
            ("  - expression: object.kind == 'a' ||\n      nosuch(1)", 13, 7),
            ("  - expression: >\n      object.kind == 'a' ||\n\n      nosuch(1)", 15, 7),
            ("  - expression: |2-\n      object.kind == 'a' ||\n        nosuch(1)", 14, 9),
            ("  - expression: >-\r\n      object.kind == 'a' ||\r\n      nosuch(1)", 14, 7),
        ]
        for (validation, line, column) in cases {
            let found = errors(policy(validation))
            XCTAssertEqual(found.count, 1, validation)
            XCTAssertTrue(found.first?.hasPrefix("policy.yaml:\(line):\(column): sample: undeclared reference to 'nosuch'") ?? false, "\(validation): \(found)")
        }
    }

    func testUnknownFunctionAndUndeclaredVariable() {
        let unknown = errors(policy("  - expression: frobnicate(object)"))
        XCTAssertTrue(unknown.first?.hasPrefix("policy.yaml:12:17: sample:") ?? false, "\(unknown)")
        XCTAssertTrue(unknown.first?.contains("frobnicate") ?? false)
        XCTAssertEqual(
            errors(policy("  - expression: variables.second == variables.first")),
            ["policy.yaml:12:27: sample: variables.second is not declared before this expression"])
    }

    func testMissingFieldsAndBadEnumsAreAllReportedAtOnce() {
        let found = errors("""
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: sample}
            spec:
              category: nonsense
              severity: urgent
              validations: []
            """)
        XCTAssertEqual(found, [
            "policy.yaml:5:13: spec.category is \"nonsense\"; expected one of: classification, airgap-egress, quota, registry-locality, package, bundle, general",
            "policy.yaml:6:13: spec.severity is \"urgent\"; expected one of: info, low, medium, high, critical",
            "policy.yaml:5:3: spec.title is required",
            "policy.yaml:7:16: spec.validations must list at least one validation",
        ])
    }
}
