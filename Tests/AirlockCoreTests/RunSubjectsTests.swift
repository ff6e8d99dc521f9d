@testable import AirlockCore
import CEL
import Foundation
import XCTest

/// A run compiles only the built-in rules it can evaluate (``RunSubjects``): what it finds must be
/// exactly what compiling every rule finds.
final class RunSubjectsTests: XCTestCase {
    private let objects = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: team-a, labels: {classification: secret, tier: edge}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: team-a}
        spec:
          template:
            spec:
              containers:
              - name: app
                image: docker.io/library/nginx:latest
                env: [{name: MODEL, value: "https://api.openai.com/v1"}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: team-a}
        spec: {type: LoadBalancer, ports: [{port: 80}]}
        """

    func testCompilingOnlyTheRulesARunCanEvaluateChangesNothing() throws {
        let inventory = inventory(objects)
        let values = try CELEnvironment().compile("{'global': {'tier': 'edge', 'airgap': {'enabled': false}}, 'tenants': [{'name': 'team-b'}]}")
            .evaluate([:])
        var compiledFewer = 0
        for (tier, values) in [(nil, CELValue.null), ("edge", .null), ("connected", .null), ("edge", values)] {
            let settings = EvaluationSettings(tier: tier, values: values)
            let subjects = RunSubjects(inventory: inventory, settings: settings, hasPackages: false, hasBundles: false)
            let all = CheckRunner.compilePolicies(CheckOptions(), inventory: inventory)
            let needed = CheckRunner.compilePolicies(CheckOptions(), inventory: inventory, subjects: subjects)
            XCTAssertEqual(all.errors, [])
            XCTAssertEqual(needed.errors, [])
            XCTAssertEqual(needed.policies.map(\.descriptor.id), all.policies.map(\.descriptor.id))
            let described = needed.policies.filter { $0.variables.isEmpty && $0.validations.isEmpty }.count
            // The bundle and package rules at least are only described.
            XCTAssertGreaterThan(described, 20, "tier \(tier ?? "none")")
            compiledFewer += described
            let expected = PolicyEngine(policies: all.policies, settings: settings).evaluate(inventory)
            let actual = PolicyEngine(policies: needed.policies, settings: settings).evaluate(inventory)
            XCTAssertFalse(expected.findings.isEmpty)
            XCTAssertEqual(actual.findings, expected.findings, "tier \(tier ?? "none")")
            XCTAssertEqual(actual.diagnostics, expected.diagnostics)
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            XCTAssertEqual(try encoder.encode(actual.ruleRuns), try encoder.encode(expected.ruleRuns))
        }
        XCTAssertGreaterThan(compiledFewer, 0)
    }

    /// Objects of two apiVersion and kind pairs that read alike once joined by a space are of two
    /// kinds: the custom resource (group `v1 foo.io`) is checked by the image rules, whose kinds
    /// admit every custom resource, though the first object, of the core group, is of no rule.
    func testKindsThatReadAlikeJoinedAreTwoKinds() throws {
        let inventory = inventory("""
            apiVersion: v1
            kind: foo.io/v1 Bar
            metadata: {name: a, namespace: default}
            ---
            apiVersion: v1 foo.io/v1
            kind: Bar
            metadata: {name: b, namespace: default}
            spec: {image: "docker.io/library/nginx:latest"}
            """)
        let settings = EvaluationSettings(tier: "edge")
        let subjects = RunSubjects(inventory: inventory, settings: settings, hasPackages: false, hasBundles: false)
        let all = CheckRunner.compilePolicies(CheckOptions(), inventory: inventory)
        let needed = CheckRunner.compilePolicies(CheckOptions(), inventory: inventory, subjects: subjects)
        let pinned = try XCTUnwrap(needed.policies.first { $0.descriptor.id == "image-pinned" })
        XCTAssertFalse(pinned.validations.isEmpty)
        let expected = PolicyEngine(policies: all.policies, settings: settings).evaluate(inventory)
        let actual = PolicyEngine(policies: needed.policies, settings: settings).evaluate(inventory)
        XCTAssertTrue(expected.findings.contains { $0.ruleID == "image-pinned" })
        XCTAssertEqual(actual.findings, expected.findings)
    }

    /// A bundle's tier values files are evaluated by the values rules, with or without --values.
    func testABundleNeedsTheValuesRules() {
        func compiled(hasBundles: Bool) -> Bool {
            let subjects = RunSubjects(inventory: Inventory(), settings: EvaluationSettings(), hasPackages: false, hasBundles: hasBundles)
            let policies = CheckRunner.compilePolicies(CheckOptions(), inventory: Inventory(), subjects: subjects).policies
            return !(policies.first { $0.descriptor.id == "values-tier-known" }?.validations.isEmpty ?? true)
        }
        XCTAssertTrue(compiled(hasBundles: true))
        XCTAssertFalse(compiled(hasBundles: false))
    }

    /// A rule given params is compiled whatever the run evaluates, so that a param it cannot use
    /// is an error of the run, as it always was: a regex that does not compile, for a rule of
    /// ResourceQuotas in a run that has none.
    func testABuiltinRuleGivenParamsIsCompiled() {
        var options = CheckOptions()
        options.params.set(policy: "tenant-budgetquota", key: "costPattern", value: .string("(["), origin: .flag(value: "(["))
        let subjects = RunSubjects(inventory: Inventory(), settings: EvaluationSettings(tier: "edge"), hasPackages: false, hasBundles: false)
        let compiled = CheckRunner.compilePolicies(options, inventory: Inventory(), subjects: subjects)
        XCTAssertEqual(compiled.errors.count, 1)
        XCTAssertEqual(compiled.errors.map(\.description), ["--param tenant-budgetquota.costPattern=([: invalid regex '([': missing terminating ] for character class at offset 2"])
        XCTAssertTrue(compiled.policies.first { $0.descriptor.id == "image-pinned" }?.validations.isEmpty ?? false)
    }
}
