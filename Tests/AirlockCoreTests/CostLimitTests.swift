import AirlockCore
import Foundation
import XCTest

/// The cost budget of an evaluation grows with the inputs: a rule that looks through a namespace
/// passes on a large one, an expression quadratic in it still stops, and the error says which
/// flag raises the budget.
final class CostLimitTests: XCTestCase {
    private func run(_ validation: String, pods: Int) throws -> CheckResult {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-cost-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var inputs = "apiVersion: v1\nkind: Namespace\nmetadata: {name: big}\n"
        for pod in 0..<pods { inputs += "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p\(pod), namespace: big}\n" }
        try Data(inputs.utf8).write(to: folder.appendingPathComponent("in.yaml"))
        try Data("""
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: scan}
            spec:
              category: quota
              severity: low
              title: t
              description: d
              remediation: r
              match: {kinds: [Namespace]}
              validations:
              - expression: "\(validation)"
                message: m
            """.utf8).write(to: folder.appendingPathComponent("p.yaml"))
        var options = CheckOptions()
        options.paths = [folder.appendingPathComponent("in.yaml").path]
        options.policyPaths = [folder.appendingPathComponent("p.yaml").path]
        options.includeBuiltinPolicies = false
        options.settings.costLimit = 100
        return CheckRunner.run(options)
    }

    func testALinearScanOfANamespacePassesAndAQuadraticOneStops() throws {
        let linear = try run("resources('Pod', object.metadata.name).all(p, p.metadata.name != '')", pods: 2_000)
        XCTAssertEqual(linear.diagnostics.map(\.message), [])
        XCTAssertEqual(linear.exitCode, 0)

        let quadratic = try run(
            "resources('Pod', object.metadata.name).all(p, resources('Pod', object.metadata.name).all(q, q.metadata.name != p.metadata.name + '-'))",
            pods: 2_000)
        XCTAssertEqual(quadratic.diagnostics.map(\.message), ["scan: validations[0]: cost limit exceeded (raise it with --cel-cost-limit)"])
        XCTAssertEqual(quadratic.exitCode, 2)
    }

    /// A limit near the largest integer is no limit, not an overflow that stopped the process.
    func testAHugeLimitSaturates() {
        XCTAssertEqual(EvaluationSettings(costLimit: Int.max - 10).costLimit(forObjects: 5), Int.max)
        XCTAssertEqual(EvaluationSettings(costLimit: 100).costLimit(forObjects: 2), 2_100)
    }
}
