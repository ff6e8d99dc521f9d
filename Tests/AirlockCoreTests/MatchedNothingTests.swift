@testable import AirlockCore
import CEL
import Foundation
import XCTest

/// A rule of the user's own policies that evaluated none of the objects read is noted with why,
/// and a misspelt kind or resource with what it may have meant; the verdict stays the same.
final class MatchedNothingTests: XCTestCase {
    private let inputs = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: a}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: a}
        """

    private func policy(_ name: String, match: String) -> String {
        """
        apiVersion: airlock.dev/v1
        kind: Policy
        metadata: {name: \(name)}
        spec: {category: general, severity: high, title: t, match: \(match), validations: [{expression: "true"}]}
        """
    }

    private let misspeltResource = """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: replicas.example.com}
        spec:
          matchConstraints:
            resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deploymnets]}]
          validations:
          - expression: "true"
        """

    /// `policies` run on `inputs`, with the built-in pack when `builtin` is true.
    private func run(_ policies: [String], builtin: Bool = false) throws -> CheckResult {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-matched-nothing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(inputs.utf8).write(to: folder.appendingPathComponent("in.yaml"))
        try Data(policies.joined(separator: "\n---\n").utf8).write(to: folder.appendingPathComponent("p.yaml"))
        var options = CheckOptions()
        options.paths = [folder.appendingPathComponent("in.yaml").path]
        options.policyPaths = [folder.appendingPathComponent("p.yaml").path]
        options.includeBuiltinPolicies = builtin
        options.settings.tier = "edge"
        return CheckRunner.run(options)
    }

    private func notes(_ result: CheckResult) -> [String: String] {
        Dictionary(uniqueKeysWithValues: result.rules.compactMap { run in run.matchedNothing.map { (run.rule.id, $0) } })
    }

    func testAMisspeltKindIsNotedWithTheKindItMayMean() throws {
        let result = try run([
            policy("bare", match: "{kinds: [Deploymnet]}"),
            policy("qualified", match: "{kinds: [apps/v1/Deploymnet, StatefulSt]}"),
            policy("lower-case", match: "{kinds: [deployment]}"),
            policy("custom", match: "{kinds: [Widget]}"),
            policy("used", match: "{kinds: [Deployment, Deploymnet]}"),
        ])
        XCTAssertEqual(notes(result), [
            "bare": "none of the 2 objects of the inputs is of its kinds (Deploymnet); did you mean Deployment?",
            "qualified": "none of the 2 objects of the inputs is of its kinds (apps/v1/Deploymnet, StatefulSt); did you mean apps/v1/Deployment for apps/v1/Deploymnet, StatefulSet for StatefulSt?",
            "lower-case": "none of the 2 objects of the inputs is of its kinds (deployment); did you mean Deployment?",
            "custom": "none of the 2 objects of the inputs is of its kinds (Widget)",
        ])
        // A rule that checks objects through one entry is told of a misspelt other entry too.
        XCTAssertEqual(result.notes, [
            "rule used: its kinds entry Deploymnet is no kind of the inputs or of Kubernetes, so it matches no object; did you mean Deployment?",
        ])
        XCTAssertEqual(result.diagnostics.map(\.message), [])
        XCTAssertEqual(result.exitCode, 0)
    }

    /// A lookup of a misspelt kind finds nothing, and a rule reading the empty list passes: the
    /// rule is told what the kind may have meant. Kinds of the inputs, of Kubernetes, `*` and
    /// names near none are not noted.
    func testAMisspeltKindOfALookupIsNotedWithTheKindItMayMean() throws {
        func lookup(_ name: String, _ expression: String) -> String {
            """
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: \(name)}
            spec: {category: general, severity: high, title: t, match: {kinds: [Deployment]}, validations: [{expression: "\(expression)"}]}
            """
        }
        let result = try run([
            lookup("typo", "resources('Serivce', object.metadata.namespace).all(s, true)"),
            lookup("typos", "resource('Servce', 'a', 'web') == null && resources('ConfigMaps').size() == 0"),
            lookup("fine", "resources('Service').size() + resources('*').size() + resources('Widget').size() + resources('Node').size() > 0"),
        ])
        XCTAssertEqual(result.notes, [
            "rule typo: it looks up the kind 'Serivce', which is no kind of the inputs or of Kubernetes, so the lookup finds no object; did you mean Service?",
            "rule typos: it looks up the kinds 'ConfigMaps', 'Servce', which are no kind of the inputs or of Kubernetes, so the lookups find no object; did you mean ConfigMap for 'ConfigMaps', Service for 'Servce'?",
        ])
        XCTAssertEqual(result.exitCode, 0)
    }

    /// Kyverno's `resource.List` and `resource.Get` name a plural resource: a singular one finds
    /// nothing (the API server would refuse it), and is noted as a misspelt kind is.
    func testAMisspeltResourceOfAKyvernoLookupIsNoted() throws {
        let policy = """
            apiVersion: policies.kyverno.io/v1
            kind: ValidatingPolicy
            metadata: {name: no-lb}
            spec:
              matchConstraints:
                resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]
              validations:
              - expression: >-
                  resource.List('v1', 'service', object.metadata.namespace).items.all(s, s.spec.type != 'LoadBalancer') &&
                  resource.List('apps/v1', 'deployments', '').items.size() > 0
            """
        let result = try run([policy])
        XCTAssertEqual(result.notes, [
            "rule no-lb: it looks up the resource 'service', which is no resource of the inputs or of Kubernetes, so the lookup finds no object; did you mean services?",
        ])
    }

    func testAMisspeltResourceOfAnAdmissionPolicyIsNotedWithTheResourceItMayMean() throws {
        XCTAssertEqual(notes(try run([misspeltResource])), [
            "replicas.example.com": "none of the 2 objects of the inputs is of the resources its resourceRules name (deploymnets); did you mean deployments?",
        ])
    }

    func testObjectsOfItsKindsLeftOutByItsOtherCriteriaAreCounted() throws {
        XCTAssertEqual(notes(try run([policy("elsewhere", match: "{kinds: [Deployment, Service], namespaces: [b]}")])), [
            "elsewhere": "2 of the 2 objects of the inputs are of its kinds (Deployment, Service), and its other match criteria (namespaces, selectors, tiers) or matchConditions leave out every one",
        ])
    }

    /// A values rule of the user's in a run without `--values` checks nothing: it passed with no
    /// word of it, as a rule of a misspelt kind did.
    func testAValuesRuleInARunWithoutValuesIsNoted() throws {
        let values = """
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: tier-set}
            spec: {category: general, severity: high, title: t, target: values, validations: [{expression: "has(object.global)"}]}
            """
        let result = try run([values])
        XCTAssertEqual(notes(result), ["tier-set": "it checks Helm values, and this run read none (give them with --values)"])
        // The run's manifests, which no rule reads, are an error of their own.
        XCTAssertEqual(result.diagnostics.map(\.message), [
            "read as manifests, and no rule of this run checks manifests (none is loaded): check them with `airlock check`, or `airlock gate pre-deploy` and its deploy profile",
        ])
    }

    /// The built-in pack has many rules for what a given input lacks (KAgents, bundles): a run
    /// stays as quiet as before.
    func testTheBuiltinPackIsNeverNoted() throws {
        let result = try run([policy("bare", match: "{kinds: [Deploymnet]}")], builtin: true)
        XCTAssertTrue(result.rules.contains { $0.evaluated.isEmpty && $0.rule.id != "bare" })
        XCTAssertEqual(Array(notes(result).keys), ["bare"])
    }

    func testSuggestions() {
        let kinds = Set(BuiltinKinds.groups.keys)
        XCTAssertEqual(NameSuggestion.candidates(for: "Deploymnet", among: kinds), ["Deployment"])
        XCTAssertEqual(NameSuggestion.candidates(for: "Endpoint", among: kinds), ["Endpoints"])
        XCTAssertEqual(NameSuggestion.candidates(for: "Pods", among: kinds), ["Pod"])
        XCTAssertEqual(NameSuggestion.candidates(for: "pod", among: kinds), ["Pod"])
        // A short name that is no misspelling of a near one, and a kind of its own.
        XCTAssertEqual(NameSuggestion.candidates(for: "Foo", among: kinds), [])
        XCTAssertEqual(NameSuggestion.candidates(for: "Route", among: kinds), [])
        XCTAssertEqual(NameSuggestion.candidates(for: "Deployment", among: kinds), [])
        XCTAssertEqual(NameSuggestion.candidates(for: "Rol", among: ["Role", "Roe"]), [])
        XCTAssertEqual(NameSuggestion.candidates(for: "Nodr", among: ["Node", "Nods"]), ["Node", "Nods"])
    }
}
