import AirlockCore
import Foundation
import XCTest

/// A run whose rules all load but none runs checked nothing: like a run without rules, it is an
/// error (exit 2), not a pass.
final class RulesNotRunTests: XCTestCase {
    private let deleteOnly = """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: delete-only}
        spec:
          matchConstraints:
            resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [DELETE], resources: [deployments]}]
          validations:
          - expression: "false"
        """
    private let edgeOnly = """
        apiVersion: airlock.dev/v1
        kind: Policy
        metadata: {name: edge-only}
        spec: {category: general, severity: high, title: t, match: {kinds: [Deployment], tiers: [edge]}, validations: [{expression: "false"}]}
        """

    /// The result of checking one Deployment (or `input`) with `policies`, without the built-in
    /// pack or a tier.
    private func run(_ policies: [String], input: String = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: a}\n") throws -> CheckResult {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-not-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(input.utf8).write(to: folder.appendingPathComponent("in.yaml"))
        try Data(policies.joined(separator: "\n---\n").utf8).write(to: folder.appendingPathComponent("p.yaml"))
        var options = CheckOptions()
        options.paths = [folder.appendingPathComponent("in.yaml").path]
        options.policyPaths = [folder.appendingPathComponent("p.yaml").path]
        options.includeBuiltinPolicies = false
        return CheckRunner.run(options)
    }

    func testARunWhoseRulesAllDidNotRunIsAnError() throws {
        let one = try run([deleteOnly])
        XCTAssertEqual(one.diagnostics.map(\.message), ["no rule to run: the only rule of this run did not run (each report says why)"])
        XCTAssertEqual(one.exitCode, 2)
        let two = try run([deleteOnly, edgeOnly])
        XCTAssertEqual(two.diagnostics.map(\.message), ["no rule to run: none of the 2 rules of this run ran (each report says why)"])
        XCTAssertEqual(two.exitCode, 2)
    }

    /// One rule that runs is a run: the others are noted, as before.
    func testOneRuleThatRunsIsEnough() throws {
        let mixed = try run([deleteOnly, edgeOnly, edgeOnly.replacingOccurrences(of: "edge-only", with: "anywhere").replacingOccurrences(of: ", tiers: [edge]", with: "")])
        XCTAssertEqual(mixed.diagnostics.map(\.message), [])
        XCTAssertEqual(mixed.exitCode, 1)
        XCTAssertEqual(mixed.rules.filter { $0.notRun != nil }.map(\.rule.id), ["delete-only", "edge-only"])
    }

    /// A rule limited to some tiers did not run for want of a tier only when the inputs hold
    /// objects of its kinds: without any (a package's run, which has no Namespace), the tier
    /// would change nothing, and saying it did not run is noise.
    func testATierOnlyMattersForObjectsOfTheRulesKinds() throws {
        let anywhere = edgeOnly.replacingOccurrences(of: "edge-only", with: "anywhere").replacingOccurrences(of: "kinds: [Deployment], tiers: [edge]", with: "kinds: [ConfigMap]")
        let result = try run([edgeOnly, anywhere], input: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: a}\n")
        XCTAssertEqual(result.rules.filter { $0.notRun != nil }.map(\.rule.id), [])
        XCTAssertEqual(result.rules.first { $0.rule.id == "edge-only" }?.evaluated, [])
        XCTAssertEqual(try run([edgeOnly, anywhere]).rules.filter { $0.notRun != nil }.map(\.rule.id), ["edge-only"])
    }
}
