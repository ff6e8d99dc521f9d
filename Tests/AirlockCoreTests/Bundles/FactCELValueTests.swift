@testable import AirlockCore
import CEL
import XCTest

/// The CEL views of package and bundle facts, and the fact functions.
final class FactCELValueTests: XCTestCase {
    private func evaluate(_ expression: String, _ bindings: [String: CELValue]) throws -> CELValue {
        let environment = CELEnvironment(declaredVariables: Set(bindings.keys), functions: FactFunctions.all)
        let program = try environment.compile(expression)
        return program.evaluate(Bindings(values: bindings), costLimit: 1_000_000)
    }

    private final class Bindings: CELActivation {
        let values: [String: CELValue]
        init(values: [String: CELValue]) { self.values = values }
        func resolve(_ name: String) -> CELValue? { values[name] }
    }

    func testPackageViewKeepsPositionsAndFacts() throws {
        let facts = PackageFacts.read(TestData.bundles.appendingPathComponent("package-bad/sales-operations").path)
        let value = facts.celValue()
        guard case .bool(true) = try evaluate("p.name == 'sales-operations' && p.declaredFiles.exists(d, !d.exists) && !p.hasReadme", ["p": value]) else {
            return XCTFail("unexpected package view")
        }
        let declared = try XCTUnwrap(value.child("declaredFiles")?.child("1"))
        XCTAssertEqual(declared.positioned?.position.line, 9)
        XCTAssertEqual(value.positioned?.position(ofKey: .string("version"))?.line, 2)
    }

    func testRegistryAndFactFunctions() throws {
        let registry = PackageRegistryIndex.load(folder: TestData.bundles.appendingPathComponent("registry").path).celValue
        guard case .bool(true) = try evaluate(
            "r['customer-service'].exists(v, v.version == '1.2.0') && semver('1.10.0') > semver('1.9.0') && satisfies('2.1.0', '^2.0.0') && isSPDX('MIT OR Apache-2.0') && !isDNSLabel('Bad_Name') && semver('1.3.0-rc.1').isPrerelease()",
            ["r": registry]) else {
            return XCTFail("fact functions disagree")
        }
        guard case .list(let reached) = try evaluate("reachable({'a': ['b'], 'b': ['a']}, 'a')", [:]) else { return XCTFail("not a list") }
        XCTAssertEqual(reached.count, 2)
    }

    /// What the API server accepts as a request, a limit or a quota's amount: a quantity not
    /// below zero, as text (trimmed, as its decoder trims it) or a finite number.
    func testIsResourceAmount() throws {
        let cases: [(String, Bool)] = [
            ("'500m'", true), ("'1.5Gi'", true), ("'1e3'", true), ("' 2Gi\\t'", true), ("'\\u00a02'", true),
            ("'-0'", true), ("'-0.0Mi'", true), ("'+1'", true), ("2", true), ("0.5", true), ("0", true),
            ("'-1'", false), ("' -1m'", false), ("'2 GB'", false), ("'1GB'", false), ("''", false), ("'   '", false),
            ("-1", false), ("-0.5", false), ("double('inf')", false), ("double('NaN')", false),
            ("true", false), ("null", false), ("['1']", false), ("{'cpu': '1'}", false),
        ]
        // The second time the texts' answers are those kept from the first.
        for (argument, expected) in cases + cases {
            guard case .bool(let result) = try evaluate("isResourceAmount(\(argument))", [:]) else { return XCTFail("not a bool: \(argument)") }
            XCTAssertEqual(result, expected, argument)
        }
    }
}
