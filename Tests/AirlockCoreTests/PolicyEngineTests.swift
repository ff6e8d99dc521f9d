@testable import AirlockCore
import CEL
import Foundation
import XCTest

final class PolicyEngineTests: XCTestCase {
    private let namespaces = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: team-a, labels: {team: a}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: team-b, labels: {team: b}}
        ---
        apiVersion: v1
        kind: ResourceQuota
        metadata: {name: quota, namespace: team-a}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: team-b}
        spec:
          template:
            spec:
              containers:
              - name: ok
                image: registry.local:5000/web:1.0
              - name: bad
                image: docker.io/web:1.0
        """

    private let quotaPolicy = """
        apiVersion: airlock.dev/v1
        kind: Policy
        metadata: {name: namespace-has-quota}
        spec:
          category: quota
          severity: high
          title: Tenant namespaces have a ResourceQuota
          match:
            kinds: [Namespace]
            objectSelector: {matchExpressions: [{key: team, operator: Exists}]}
          validations:
          - expression: size(resources('ResourceQuota', object.metadata.name)) > 0
            messageExpression: "'namespace ' + object.metadata.name + ' has no ResourceQuota'"
        ---
        apiVersion: airlock.dev/v1
        kind: Policy
        metadata: {name: local-images}
        spec:
          category: registry-locality
          severity: medium
          title: Images are local
          params: {registries: ["registry.local:5000"]}
          match: {kinds: [apps/v1/Deployment]}
          validations:
          - forEach: object.spec.template.spec.containers
            as: container
            expression: image(container.image).registry in params.registries
            message: image is not local
            path: image
        """

    func testChunksCoverEveryObjectOnceAndShrinkTowardsTheEnd() {
        XCTAssertEqual(PolicyEngine.chunks(of: 0, cores: 2), [])
        XCTAssertEqual(PolicyEngine.chunks(of: 100, cores: 2), [0..<64, 64..<100])
        XCTAssertEqual(PolicyEngine.chunks(of: 10_000, cores: 1).prefix(2), [0..<625, 625..<1210])
        for (count, cores) in [(1, 1), (65, 2), (4_096, 2), (100_000, 2), (100_000, 64)] {
            let chunks = PolicyEngine.chunks(of: count, cores: cores)
            XCTAssertEqual(chunks.first?.lowerBound, 0)
            XCTAssertEqual(chunks.last?.upperBound, count)
            XCTAssertTrue(zip(chunks, chunks.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound && $0.count >= $1.count }, "\(count) objects, \(cores) cores")
            XCTAssertTrue(chunks.dropLast().allSatisfy { $0.count >= 64 })
        }
        // 100,000 objects on 2 cores: about 150 chunks, the last thirty of 64 objects.
        let large = PolicyEngine.chunks(of: 100_000, cores: 2)
        XCTAssertEqual(large.first?.count, 3_125)
        XCTAssertTrue((140...170).contains(large.count), "\(large.count) chunks")
        XCTAssertEqual(large.suffix(30).map(\.count).max(), 64)
    }

    func testCrossResourceLookupAndFieldPositions() {
        let inventory = inventory(namespaces)
        let compiled = compile(quotaPolicy, inventory: inventory)
        XCTAssertEqual(compiled.errors, [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        XCTAssertEqual(outcome.diagnostics, [])
        let summary = outcome.findings.map { "\($0.ruleID) \($0.resource?.qualifiedName ?? "") \($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.message)" }.sorted()
        XCTAssertEqual(summary, [
            "local-images team-b/Deployment/web 23:16 image is not local",
            "namespace-has-quota Namespace/team-b 5:1 namespace team-b has no ResourceQuota",
        ])
        XCTAssertEqual(outcome.ruleRuns.first { $0.rule.id == "namespace-has-quota" }?.evaluated, ["Namespace/team-a", "Namespace/team-b"])
    }

    /// A `pathExpression` points the finding at a field known only when the validation fails: as
    /// a list of keys (one may hold dots) or a dotted string; one that fails, or gives a text that
    /// is no path (`metadata..namespace` was read as `metadata.namespace`), falls back to `path`.
    func testComputedPathsPointAtTheFieldAtFault() {
        let text = """
            apiVersion: v1
            kind: ResourceQuota
            metadata: {name: q, namespace: team-a, labels: {example.com/tier: gold}}
            spec:
              hard:
                pods: "10"
                requests.cpu: lots
            """
        func policy(_ name: String, _ pathExpression: String) -> String {
            lowPolicy(name, kinds: "ResourceQuota", spec: """
                validations:
                - expression: "false"
                  path: metadata.name
                  pathExpression: \(pathExpression)
                """)
        }
        let policies = [
            policy("key-with-dots", #""['spec', 'hard', object.spec.hard.filter(k, !isQuantity(object.spec.hard[k]))[0]]""#),
            policy("dotted-string", #""'metadata.' + 'namespace'""#),
            policy("label-list", #""['metadata', 'labels', 'example.com/tier']""#),
            policy("fails", #""[object.missing]""#),
            policy("no-path", #""'metadata..' + 'namespace'""#),
        ].joined(separator: "\n---\n")
        let inventory = inventory(text)
        let compiled = compile(policies, inventory: inventory)
        XCTAssertEqual(compiled.errors, [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        XCTAssertEqual(outcome.findings.map { "\($0.ruleID) \($0.location?.line ?? 0):\($0.location?.column ?? 0)" }.sorted(), [
            "dotted-string 3:32", "fails 3:18", "key-with-dots 7:19", "label-list 3:67", "no-path 3:18",
        ])
    }

    /// A list index in a path is a key of its own (`containers.1.image`) or in brackets after its
    /// list (`containers[1].image`, as JSONPath writes it): both point at the second image.
    func testAPathIndexMayBeWrittenInBrackets() {
        let text = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: team-a}
            spec:
              template:
                spec:
                  containers:
                  - {name: a, image: a:1}
                  - {name: b, image: b:1}
            """
        let placements = ["path: spec.template.spec.containers.1.image", "path: spec.template.spec.containers[1].image"]
        XCTAssertEqual(findingPositions(placedBy: placements, on: text), ["placed-0 9:26", "placed-1 9:26"])
    }

    /// Where a Deployment policy that always fails reports on `text`, one policy for each of
    /// `placements` (a `path:` or `pathExpression:` line): `placed-INDEX LINE:COLUMN`, sorted.
    private func findingPositions(placedBy placements: [String], on text: String) -> [String] {
        let policies = placements.enumerated().map { index, placement in
            lowPolicy("placed-\(index)", kinds: "Deployment", spec: """
                validations:
                - expression: "false"
                  \(placement)
                """)
        }.joined(separator: "\n---\n")
        let inventory = inventory(text)
        let compiled = compile(policies, inventory: inventory)
        XCTAssertEqual(compiled.errors, [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        return outcome.findings.map { "\($0.ruleID) \($0.location?.line ?? 0):\($0.location?.column ?? 0)" }.sorted()
    }

    /// A key holding dots is quoted in brackets in a path (`labels['app.kubernetes.io/name']`),
    /// as a ValidatingAdmissionPolicy's `fieldPath` writes it, in `path` and in a
    /// `pathExpression` that gives text: both point at the label's value.
    func testAPathKeyHoldingDotsMayBeQuotedInBrackets() {
        let text = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: team-a
              labels: {app.kubernetes.io/name: web}
            """
        let placements = [
            "path: metadata.labels['app.kubernetes.io/name']",
            #"pathExpression: "\"metadata.labels['app.kubernetes.io/name']\"""#,
        ]
        XCTAssertEqual(findingPositions(placedBy: placements, on: text), ["placed-0 6:36", "placed-1 6:36"])
    }

    /// An expression that can only fail, or can never give what its place needs, is an error
    /// when the policy loads, at the expression: even where no object would reach it. Types flow
    /// from variables and from a `forEach` list into its element.
    func testExpressionsThatCanOnlyFailAreRefusedWhenThePolicyLoads() {
        let compiled = compile(lowPolicy("typed", kinds: "ConfigMap", spec: """
            variables:
            - name: count
              expression: size(object.data)
            - name: names
              expression: "['a', 'b']"
            validations:
            - expression: "object.kind == 'Secret' ? variables.count > '3' : true"
            - expression: size(object.data)
            - expression: "false"
              messageExpression: "'found ' + variables.count"
            - forEach: variables.names
              as: name
              expression: name > 1
            - forEach: variables.count
              expression: "true"
            - expression: "false"
              messageExpression: size(object.data)
            """), inventory: inventory(""))
        XCTAssertEqual(compiled.errors.map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.message)" }, [
            "15:60 typed: found no matching overload for '_>_' applied to '(int, string)'",
            "16:17 typed: validations[1] must evaluate to a bool, not an int",
            "18:34 typed: found no matching overload for '_+_' applied to '(string, int)' (text is joined to a number with string(x))",
            "21:22 typed: found no matching overload for '_>_' applied to '(string, int)'",
            "22:14 typed: validations[4].forEach must evaluate to a list, not an int",
            "25:24 typed: validations[5].messageExpression must evaluate to a string, not an int",
        ])
    }

    /// The built-in pack is not type-checked at every start (see `PolicyCompiler.compile`):
    /// here each of its files, loaded as a user's policy would be, passes the check.
    func testTheBuiltinPackPassesTheTypeCheck() {
        var checked = 0
        for file in PolicySource.builtin where file.path != Profile.builtinFile {
            let compiled = compile(file.contents, inventory: inventory(""), file: file.path)
            XCTAssertEqual(compiled.errors, [], file.path)
            XCTAssertFalse(compiled.policies.contains(where: \.policy.isBuiltin))
            checked += compiled.policies.count
        }
        XCTAssertEqual(checked, PolicySource.load(paths: [], includeBuiltin: true).policies.count)
    }

    /// A `forEach` that gives no list is an error at the value when it is one of the object's (a
    /// map written where a list belongs), and says what it gave.
    func testAForEachThatGivesNoListIsAnErrorAtTheValue() {
        let inventory = inventory("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: c, namespace: team-a}
            data:
              items: {a: b}
            """)
        let compiled = compile(lowPolicy("items", kinds: "ConfigMap", spec: """
            validations:
            - forEach: object.data.items
              expression: "true"
            - forEach: dyn(1)
              expression: "true"
            """), inventory: inventory)
        XCTAssertEqual(compiled.errors, [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        XCTAssertEqual(outcome.diagnostics.map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.message)" }, [
            "5:10 items: validations[0].forEach must evaluate to a list, not a map",
            "1:1 items: validations[1].forEach must evaluate to a list, not an int",
        ])
    }

    /// An element without a position of its own (a string, an index) has its path followed from
    /// the object, so a forEach over the indices of a list of strings points at each entry.
    func testAPathOfAnElementWithoutAPositionStartsAtTheObject() {
        let inventory = inventory("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: c, namespace: team-a}
            data:
              hosts: [a.local, b.example.com, c.local]
            """)
        let compiled = compile(lowPolicy("hosts", kinds: "ConfigMap", spec: """
            validations:
            - forEach: lists.range(size(object.data.hosts))
              as: index
              expression: object.data.hosts[index].endsWith('.local')
              messageExpression: object.data.hosts[index]
              pathExpression: "['data', 'hosts', index]"
            - forEach: object.data.hosts
              as: host
              expression: host.endsWith('.local')
              path: data
            """), inventory: inventory)
        XCTAssertEqual(compiled.errors, [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        XCTAssertEqual(outcome.diagnostics, [])
        XCTAssertEqual(outcome.findings.map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.message)" }, [
            "5:20 b.example.com",
            "4:1 Counts",
        ])
    }

    /// A rule limited to some tiers matches nothing when the run has no tier: it says it did not
    /// run instead of passing on nothing. With a tier it runs, or is simply out of scope.
    func testATierLimitedRuleWithoutATierIsReportedAsNotRun() {
        let inventory = inventory(namespaces)
        let policies = quotaPolicy.replacingOccurrences(
            of: "match: {kinds: [apps/v1/Deployment]}", with: "match: {kinds: [apps/v1/Deployment], tiers: [edge, datacenter]}")
        let compiled = compile(policies, inventory: inventory)
        XCTAssertEqual(compiled.errors, [])
        func runs(tier: String?) -> [String: (evaluated: Int, notRun: String?)] {
            let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings(tier: tier)).evaluate(inventory)
            return Dictionary(uniqueKeysWithValues: outcome.ruleRuns.map { ($0.rule.id, ($0.evaluated.count, $0.notRun)) })
        }
        let withoutTier = runs(tier: nil)
        XCTAssertEqual(withoutTier["local-images"]?.evaluated, 0)
        XCTAssertEqual(
            withoutTier["local-images"]?.notRun,
            "it applies only at tiers edge, datacenter, and no deployment tier was given (--tier, or global.tier in the --values files)")
        XCTAssertEqual(withoutTier["namespace-has-quota"]?.evaluated, 2)
        XCTAssertNil(withoutTier["namespace-has-quota"]?.notRun)

        XCTAssertEqual(runs(tier: "edge")["local-images"]?.evaluated, 1)
        XCTAssertNil(runs(tier: "edge")["local-images"]?.notRun)
        XCTAssertEqual(runs(tier: "connected")["local-images"]?.evaluated, 0)
        XCTAssertNil(runs(tier: "connected")["local-images"]?.notRun)
        // A tier that is none (global.tier: Edge) runs no tier-limited rule, and says so.
        XCTAssertEqual(runs(tier: "Edge")["local-images"]?.evaluated, 0)
        XCTAssertEqual(
            runs(tier: "Edge")["local-images"]?.notRun,
            "it applies only at tiers edge, datacenter, and the deployment tier \"Edge\" is not one (edge, datacenter or connected)")
        XCTAssertNil(runs(tier: "Edge")["namespace-has-quota"]?.notRun)
    }

    /// Expressions find bindings, variables and the `forEach` element by their declared position.
    func testVariablesAndForEachElementsResolveByPosition() {
        let inventory = inventory(namespaces)
        let compiled = compile("""
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: positions}
            spec:
              category: general
              severity: low
              title: Reads variables and elements
              params: {suffix: "1.0"}
              match: {kinds: [Deployment]}
              variables:
              - name: containers
                expression: object.spec.template.spec.containers
              - name: names
                expression: variables.containers.map(c, c.name)
              validations:
              - forEach: variables.containers
                as: item
                expression: item.name == 'ok' || !item.image.endsWith(params.suffix)
                messageExpression: "'container ' + item.name + ' of ' + variables.names.join(',')"
              - forEach: variables.names
                as: name
                expression: name != 'bad' && params.suffix == '1.0'
                messageExpression: "'named ' + name"
            """, inventory: inventory)
        XCTAssertEqual(compiled.errors, [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        XCTAssertEqual(outcome.diagnostics, [])
        XCTAssertEqual(outcome.findings.map(\.message), ["container bad of ok,bad", "named bad"])
    }

    /// Policies that define a variable with the same expression of the object alone share its
    /// value: it is evaluated once per object, even when read while a `forEach` element is bound.
    func testVariablesOfTheObjectAloneAreEvaluatedOncePerObject() throws {
        let calls = Calls()
        let counted = calls.function(named: "counted")
        func policy(_ name: String, forEachAs element: String) -> String {
            lowPolicy(name, kinds: "Deployment", spec: """
                variables:
                - name: name
                  expression: counted(object).metadata.name
                validations:
                - forEach: "[1]"
                  as: \(element)
                  expression: "false"
                  messageExpression: "'\(name) ' + variables.name"
                """)
        }
        let text = [policy("first", forEachAs: "e"), policy("second", forEachAs: "m")].joined(separator: "\n---\n")
        let loaded = PolicyLoader().load(Array(text.utf8), file: "policy.yaml")
        XCTAssertEqual(loaded.errors, [])
        let compiler = PolicyCompiler(functions: [counted])
        let policies = try loaded.policies.map { try compiler.compile($0, params: .null).get() }
        let outcome = PolicyEngine(policies: policies, settings: EvaluationSettings()).evaluate(inventory(namespaces))
        XCTAssertEqual(outcome.diagnostics, [])
        XCTAssertEqual(outcome.findings.map(\.message).sorted(), ["first web", "second web"])
        XCTAssertEqual(calls.total, 1)
    }

    /// A variable that looks across the inputs and reads nothing of the object directly is, once
    /// one of its evaluations costs 1,000 units or more, evaluated once for each set of values of
    /// the variables it reads, when those are scalars (through the keyed variables it reads, whose
    /// own values are then not needed), and so is one computed from it; a cheap one, or one
    /// reading a list, is evaluated per object.
    func testCostlyKeyedVariablesAreEvaluatedOncePerSetOfScalarInputs() throws {
        let (perNamespace, perSize, perList, cheap) = (Calls(), Calls(), Calls(), Calls())
        let costly = "cel.bind(spin, lists.range(2000).all(i, i >= 0), "
        let text = lowPolicy("keyed", kinds: "Deployment", spec: """
            variables:
            - name: ns
              expression: object.metadata.namespace
            - name: quotas
              expression: "\(costly)perNamespace(resources('ResourceQuota', variables.ns)))"
            - name: quotaCount
              expression: size(variables.quotas)
            - name: replicas
              expression: "has(object.spec.replicas) ? object.spec.replicas : 1"
            - name: label
              expression: "\(costly)perSize(variables.quotaCount > 0 && variables.replicas > 2 ? 'large' : 'small'))"
            - name: containers
              expression: object.spec.template.spec.containers
            - name: images
              expression: "\(costly)perList(variables.containers).map(c, c.image).filter(i, resource('ConfigMap', '', i) == null))"
            - name: quotaNames
              expression: cheap(resources('ResourceQuota', variables.ns)).map(q, q.metadata.name)
            validations:
            - expression: "size(variables.images) > 0 && size(variables.quotaNames) >= 0 && variables.label == 'small'"
              messageExpression: "variables.ns + ' ' + variables.label"
            """)
        let loaded = PolicyLoader().load(Array(text.utf8), file: "policy.yaml")
        XCTAssertEqual(loaded.errors, [])
        // Namespace a: a quota and four Deployments of 3, 1, 3 and 1 replicas; b: two, 3 and 1.
        let deployments = (0..<6).map { index in
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d\(index), namespace: \(index < 4 ? "a" : "b")}\n"
                + "spec: {replicas: \(index % 2 == 0 ? 3 : 1), template: {spec: {containers: [{name: c, image: x}]}}}\n"
        }
        let objects = inventory((["apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q, namespace: a}\n"] + deployments).joined(separator: "---\n"))
        let counters = [("perNamespace", perNamespace), ("perSize", perSize), ("perList", perList), ("cheap", cheap)].map { $1.function(named: $0) }
        let compiler = PolicyCompiler(functions: InventoryFunctions.all(objects) + counters)
        let policies = try loaded.policies.map { try compiler.compile($0, params: .null).get() }
        let outcome = PolicyEngine(policies: policies, settings: EvaluationSettings()).evaluate(objects)
        XCTAssertEqual(outcome.diagnostics, [])
        XCTAssertEqual(outcome.findings.map(\.message), ["a large", "a large"])
        XCTAssertEqual(perNamespace.total, 2, "once per namespace")
        XCTAssertEqual(perSize.total, 4, "once per namespace and number of replicas")
        XCTAssertEqual(perList.total, 6, "once per object: it reads a list")
        XCTAssertEqual(cheap.total, 6, "once per object: it costs little")
    }

    /// A variable that reads params or other variables is shared by the policies whose params
    /// are equal and whose variables it reads are shared in turn.
    func testVariablesReadingParamsAndSharedVariablesAreShared() throws {
        let (baseCalls, derivedCalls) = (Calls(), Calls())
        func policy(_ name: String, base: String, suffix: String) -> String {
            lowPolicy(name, kinds: "Deployment", spec: """
                params: {suffix: "\(suffix)"}
                variables:
                - name: base
                  expression: base(\(base))
                - name: derived
                  expression: derived(variables.base.metadata.name + params.suffix)
                validations:
                - expression: "false"
                  messageExpression: "'\(name) ' + variables.derived"
                """)
        }
        let text = [
            policy("first", base: "object", suffix: "-x"), policy("same", base: "object", suffix: "-x"),
            policy("other-params", base: "object", suffix: "-y"), policy("other-base", base: "namespaceObject", suffix: "-x"),
        ].joined(separator: "\n---\n")
        let loaded = PolicyLoader().load(Array(text.utf8), file: "policy.yaml")
        XCTAssertEqual(loaded.errors, [])
        let compiler = PolicyCompiler(functions: [baseCalls.function(named: "base"), derivedCalls.function(named: "derived")])
        let policies = try loaded.policies.map { try compiler.compile($0, params: ParamOverrides().params(for: $0).get()).get() }
        let outcome = PolicyEngine(policies: policies, settings: EvaluationSettings()).evaluate(inventory(namespaces))
        XCTAssertEqual(outcome.diagnostics, [])
        XCTAssertEqual(outcome.findings.map(\.message).sorted(), ["first web-x", "other-base team-b-x", "other-params web-y", "same web-x"])
        XCTAssertEqual(baseCalls.total, 2)
        XCTAssertEqual(derivedCalls.total, 3)
    }

    /// Params equal in CEL but of another type (`1` and `1.0`), or in another order, are not the
    /// same params for sharing: expressions can tell them apart.
    func testParamsOfAnotherTypeOrOrderAreNotShared() {
        func policy(_ name: String, params: String) -> String {
            lowPolicy(name, kinds: "Deployment", spec: """
                params: \(params)
                variables:
                - name: seen
                  expression: object.metadata.name + ' ' + string(type(params.p)) + ' ' + params.m.map(k, k).join(',')
                validations:
                - expression: "false"
                  messageExpression: "'\(name) ' + variables.seen"
                """)
        }
        let text = [
            policy("int", params: "{p: 1, m: {a: 1, b: 2}}"), policy("double", params: "{p: 1.0, m: {a: 1, b: 2}}"),
            policy("reordered", params: "{p: 1, m: {b: 2, a: 1}}"),
        ].joined(separator: "\n---\n")
        let inventory = inventory(namespaces)
        let compiled = compile(text, inventory: inventory)
        XCTAssertEqual(compiled.errors, [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        XCTAssertEqual(outcome.findings.map(\.message).sorted(), ["double web double a,b", "int web int a,b", "reordered web int b,a"])
    }

    /// A variable that reads only params (and run-wide bindings) is computed once, not per object;
    /// one that reads the object, per object.
    func testVariablesOfTheRunAloneAreEvaluatedOnce() throws {
        let (constantCalls, objectCalls) = (Calls(), Calls())
        let text = lowPolicy("counts", kinds: "Deployment", spec: """
            params: {prefix: "app "}
            variables:
            - name: prefix
              expression: constant(params.prefix)
            - name: name
              expression: variables.prefix + perObject(object).metadata.name
            validations:
            - expression: "false"
              messageExpression: variables.name
            """)
        let loaded = PolicyLoader().load(Array(text.utf8), file: "policy.yaml")
        XCTAssertEqual(loaded.errors, [])
        let compiler = PolicyCompiler(functions: [constantCalls.function(named: "constant"), objectCalls.function(named: "perObject")])
        let policies = try loaded.policies.map { try compiler.compile($0, params: ParamOverrides().params(for: $0).get()).get() }
        let deployments = (1...3).map { "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d\($0), namespace: team-a}\n" }
        let outcome = PolicyEngine(policies: policies, settings: EvaluationSettings()).evaluate(inventory(deployments.joined(separator: "---\n")))
        XCTAssertEqual(outcome.findings.map(\.message), ["app d1", "app d2", "app d3"])
        XCTAssertEqual(constantCalls.total, 1)
        XCTAssertEqual(objectCalls.total, 3)
    }

    /// Variables are evaluated inside the expression that reads them first, so a chain of them is
    /// a recursion: its length is limited when the policy loads (`variables.NAME` reads) and while
    /// evaluating (reads through the whole `variables` map, a variable reading itself included).
    /// The longest chain allowed, each expression nested almost to the parse limit, evaluates.
    func testChainsOfVariablesAreLimitedAndTheLongestAllowedEvaluates() {
        let inventory = inventory(namespaces)
        let depth = PolicyCompiler.maxVariableDepth
        func chain(_ name: String, length: Int, read: (Int) -> String, check: String) -> String {
            let variables = (0..<length).map { index in
                "- name: v\(index)\n  expression: \"\(index == 0 ? "0" : read(index - 1))\""
            }
            return lowPolicy(name, kinds: "Deployment", spec: "variables:\n" + variables.joined(separator: "\n") + "\nvalidations:\n- expression: \(check)")
        }
        let nested = { (index: Int) in String(repeating: "(", count: 123) + "variables.v\(index) + 1" + String(repeating: ")", count: 123) }
        let longest = compile(chain("longest", length: depth, read: nested, check: "variables.v\(depth - 1) == \(depth - 1)"), inventory: inventory)
        XCTAssertEqual(longest.errors, [])
        let outcome = PolicyEngine(policies: longest.policies, settings: EvaluationSettings()).evaluate(inventory)
        XCTAssertEqual(outcome.diagnostics, [])
        XCTAssertEqual(outcome.findings, [])

        let tooLong = compile(chain("too-long", length: depth + 1, read: { "variables.v\($0) + 1" }, check: "'true'"), inventory: inventory)
        XCTAssertEqual(tooLong.errors.map(\.description), [
            "policy.yaml:\(11 + 2 * depth):28: too-long: variables.v\(depth) reads a chain of more than \(depth) variables reading variables (the limit)",
        ])
        let tooMany = compile(chain("too-many", length: PolicyCompiler.maxVariables + 1, read: { _ in "1" }, check: "'true'"), inventory: inventory)
        XCTAssertEqual(tooMany.errors.map(\.description), [
            "policy.yaml:\(11 + 2 * PolicyCompiler.maxVariables):17: too-many: more than \(PolicyCompiler.maxVariables) variables (the limit per policy)",
        ])

        // Read as `variables['NAME']` or `variables.?NAME`, variables could form chains and cycles
        // the declarations do not show: refused when the policy loads.
        let throughTheMap = compile(chain("map", length: 3, read: { "variables['v\($0)'] + 1" }, check: "variables.v2 == 2"), inventory: inventory)
        XCTAssertEqual(throughTheMap.errors.map(\.message), [
            "map: variables are read by name (variables.NAME), not whole, by a key or optionally",
            "map: variables are read by name (variables.NAME), not whole, by a key or optionally",
        ])
        let itself = chain("itself", length: 1, read: { _ in "" }, check: "variables.v0 == 0")
            .replacingOccurrences(of: "expression: \"0\"", with: "expression: \"variables.?v0.orValue(0)\"")
        XCTAssertEqual(compile(itself, inventory: inventory).errors.map(\.message), [
            "itself: variables are read by name (variables.NAME), not whole, by a key or optionally",
        ])
    }

    /// As in Kubernetes, a messageExpression giving an empty or blank text falls back to
    /// `message`, else to the title; so does one with a line break in a ValidatingAdmissionPolicy
    /// (airlock's own policies keep it: reports escape it), whose messages are trimmed and whose
    /// last fallback is Kubernetes' `failed expression: EXPRESSION`.
    func testBlankComputedMessagesFallBack() {
        let inventory = inventory(namespaces)
        let compiled = compile(lowPolicy("messages", kinds: "Deployment", spec: #"""
            validations:
            - {expression: "false", messageExpression: "''", message: empty}
            - {expression: "false", messageExpression: "' \\t '", message: blank}
            - {expression: "false", messageExpression: "'two\\nlines'", message: unused}
            - {expression: "false", messageExpression: "''"}
            - {expression: "false", messageExpression: "' computed '", message: unused}
            """#) + #"""

            ---
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: admission}
            spec:
              matchConstraints:
                resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]
              validations:
              - {expression: "false", messageExpression: "'two\\nlines'", message: one line}
              - {expression: "  1 > 2 ", messageExpression: "'  padded  '"}
              - {expression: "  1 > 3 ", messageExpression: "'  '", message: "  spaced "}
              - {expression: "  1 > 4 ", messageExpression: "lists.range(5121).map(i, 'x').join('')"}
            """#, inventory: inventory)
        XCTAssertEqual(compiled.errors, [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        XCTAssertEqual(outcome.findings.map(\.message).sorted(), [
            " computed ", "Counts", "blank", "empty", "failed expression: 1 > 4", "one line", "padded", "spaced", "two\nlines",
        ])
    }

    /// A ValidatingAdmissionPolicy written with Kubernetes' format library loads (the type check
    /// accepts it) and reports Kubernetes' messages.
    func testAdmissionPolicyWithTheFormatLibrary() {
        let inventory = inventory(namespaces + """

            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: team-a, labels: {tier: -front}}
            """)
        let compiled = compile("""
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: label-values}
            spec:
              matchConstraints:
                resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}]
              variables:
              - name: invalid
                expression: "object.metadata.?labels.orValue({}).filter(k, format.labelValue().validate(object.metadata.labels[k]).hasValue())"
              validations:
              - expression: "variables.invalid.size() == 0"
                messageExpression: "variables.invalid[0] + ': ' + format.labelValue().validate(object.metadata.labels[variables.invalid[0]]).value().join('; ')"
            """, inventory: inventory)
        XCTAssertEqual(compiled.errors, [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        XCTAssertEqual(outcome.diagnostics, [])
        XCTAssertEqual(outcome.findings.map(\.message), [
            "tier: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        ])
    }

    func testEvaluationErrorsAreReportedNotPassed() {
        let inventory = inventory(namespaces)
        let compiled = compile("""
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: broken}
            spec:
              category: general
              severity: low
              title: Reads a missing field
              match: {kinds: [Namespace]}
              validations:
              - expression: object.spec.missing == 1
            """, inventory: inventory)
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        XCTAssertEqual(outcome.findings, [])
        XCTAssertEqual(outcome.diagnostics.count, 2)
        XCTAssertEqual(outcome.diagnostics.first?.kind, .evaluation)
        XCTAssertEqual(outcome.diagnostics.first?.ruleID, "broken")
    }

    /// A validation that gives no bool is an error that names the type it gave, at each object.
    func testAValidationGivingNoBoolNamesTheTypeItGave() {
        let inventory = inventory(namespaces)
        let compiled = compile("""
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: textual}
            spec:
              category: general
              severity: low
              title: Gives a name
              match: {kinds: [Namespace]}
              validations:
              - expression: "true"
              - expression: object.metadata.name
            """, inventory: inventory)
        XCTAssertEqual(compiled.errors, [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        XCTAssertEqual(outcome.findings, [])
        XCTAssertEqual(Set(outcome.diagnostics.map(\.message)), ["textual: validations[1] must evaluate to a bool, not string"])
        XCTAssertEqual(outcome.diagnostics.count, 2)
    }

    /// An error for a missing key points at the mapping it was looked up in: the object's labels,
    /// a `forEach` element's nested mapping, or another object read through a lookup. A missing
    /// key of a map the expression built has no position: the error stays at the object.
    func testAMissingKeyIsReportedWhereItWasLookedUp() {
        let inventory = inventory(namespaces)
        let compiled = compile("""
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: labels}
            spec:
              category: general
              severity: low
              title: t
              match: {kinds: [Namespace]}
              validations:
              - expression: object.metadata.labels.owner != ''
              - expression: "{'a': 1}.b == 1"
            ---
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: containers}
            spec:
              category: general
              severity: low
              title: t
              match: {kinds: [Deployment]}
              validations:
              - forEach: object.spec.template.spec.containers
                as: container
                expression: container.resources.limits == {}
              - expression: namespaceObject.spec.finalizers == []
            """, inventory: inventory)
        XCTAssertEqual(compiled.errors, [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        let errors = outcome.diagnostics.map { "\($0.resource?.qualifiedName ?? "") \($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.message)" }
        XCTAssertEqual(errors.sorted(), [
            // `{team: a}` on line 3, after `metadata: {name: team-a, labels: `.
            "Namespace/team-a 3:34 labels: validations[0]: no such key: owner",
            "Namespace/team-a 1:1 labels: validations[1]: no such key: b",
            "Namespace/team-b 7:34 labels: validations[0]: no such key: owner",
            "Namespace/team-b 5:1 labels: validations[1]: no such key: b",
            // The two containers (`- name: ok`, `- name: bad`).
            "team-b/Deployment/web 20:9 containers: validations[0]: no such key: resources",
            "team-b/Deployment/web 22:9 containers: validations[0]: no such key: resources",
            // The Namespace team-b, where `spec` is missing.
            "team-b/Deployment/web 5:1 containers: validations[1]: no such key: spec",
        ].sorted())
    }

    /// A value of the wrong type (a Helm value rendered as text, `labels: map[a:b]`) is reported
    /// where it is written, whether the failing expression reads it or a variable passes it on.
    func testAnErrorOnAValueOfTheWrongTypeIsReportedWhereItIsWritten() {
        let inventory = inventory("""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: team-a
              labels: map[team:a]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: s, namespace: team-a}
            spec: map[type:LoadBalancer]

            """)
        let compiled = compile("""
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: shapes}
            spec:
              category: general
              severity: low
              title: t
              match: {kinds: [Namespace, Service]}
              variables:
              - name: labels
                expression: "has(object.metadata.labels) ? object.metadata.labels : {}"
              - name: spec
                expression: "has(object.spec) && object.spec != null ? object.spec : {}"
              validations:
              - expression: "object.kind != 'Namespace' || 'team' in object.metadata.labels"
              - expression: "object.kind != 'Namespace' || variables.labels.all(k, k != '')"
              - expression: "object.kind != 'Service' || !has(variables.spec.type)"
            """, inventory: inventory)
        XCTAssertEqual(compiled.errors, [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        XCTAssertEqual(outcome.diagnostics.map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.message)" }.sorted(), [
            "10:7 shapes: validations[2]: no such overload: has() on string",
            "5:11 shapes: validations[0]: no such overload: @in(string, string)",
            "5:11 shapes: validations[1]: no such overload: comprehension over string",
        ])
    }

    /// A function of one argument that refuses the value it is given (`int('three')`, a quantity
    /// or an image reference it cannot read) is reported where that value is written: it was at
    /// the `forEach` element, or the object, lines away from the value at fault.
    func testAnErrorOnTheValueAFunctionReadsIsReportedWhereItIsWritten() {
        let inventory = inventory("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
              annotations: {replicas: "three"}
            spec:
              containers:
              - name: c
                image: "Registry.Local:5000/X:1"
                resources:
                  limits: {memory: 1 GB}

            """)
        let compiled = compile("""
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: values}
            spec:
              category: general
              severity: low
              title: t
              match: {kinds: [Pod]}
              validations:
              - forEach: object.spec.containers
                as: c
                expression: image(c.image).registry == 'registry.local:5000'
              - forEach: object.spec.containers
                as: c
                expression: quantity(c.resources.limits.memory).compareTo(quantity('1Gi')) <= 0
              - expression: int(object.metadata.annotations.replicas) < 3
              - expression: int('x' + object.metadata.name) < 3
            """, inventory: inventory)
        XCTAssertEqual(compiled.errors, [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        XCTAssertEqual(outcome.diagnostics.map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.message)" }.sorted(), [
            "11:24 values: validations[1]: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': '1 GB'",
            // A value the expression computed has no place: the error stays at the object.
            "1:1 values: validations[3]: type conversion error: cannot convert 'xp' to int",
            "5:27 values: validations[2]: type conversion error: cannot convert 'three' to int",
            "9:12 values: validations[0]: invalid image reference \"Registry.Local:5000/X:1\": malformed repository path component \"X\"",
        ])
    }

    /// Policies whose variables have one expression share its value, but each names an error
    /// after its own variable.
    func testASharedVariablesErrorNamesEachPolicysOwnVariable() {
        let inventory = inventory(namespaces)
        func policy(_ name: String, variable: String) -> String {
            lowPolicy(name, kinds: "Namespace", spec: "variables:\n- {name: \(variable), expression: object.spec.missing}\nvalidations:\n- expression: variables.\(variable) == 1")
        }
        let compiled = compile(policy("pa", variable: "alpha") + "\n---\n" + policy("pb", variable: "beta"), inventory: inventory)
        XCTAssertEqual(compiled.errors, [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        XCTAssertEqual(Set(outcome.diagnostics.map(\.message)), ["pa: variables.alpha: no such key: spec", "pb: variables.beta: no such key: spec"])
    }

    /// Two validations over one failing variable report its error once per object, naming the
    /// variable; the others name their validation, and are all kept.
    func testTheSameErrorIsReportedOncePerObject() {
        let inventory = inventory(namespaces)
        let compiled = compile("""
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: broken}
            spec:
              category: general
              severity: low
              title: Reads a missing field twice
              match: {kinds: [Namespace]}
              variables:
              - {name: missing, expression: "[object.spec.missing]"}
              validations:
              - {forEach: variables.missing, as: m, expression: "m == 1"}
              - {forEach: variables.missing, as: m, expression: "m == 2"}
              - expression: object.metadata.other == 1
            """, inventory: inventory)
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        XCTAssertEqual(outcome.diagnostics.map(\.message), [
            "broken: variables.missing: no such key: spec", "broken: validations[2]: no such key: other",
            "broken: variables.missing: no such key: spec", "broken: validations[2]: no such key: other",
        ])
    }

    /// A container a YAML alias lists again is one place: its finding is reported once, by each
    /// rule, while a container of its own at another place is a finding of its own.
    func testAnElementRepeatedByAnAliasIsOneFinding() {
        let inventory = inventory("""
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: alpha}
            spec:
              containers:
              - &web {name: web, image: "docker.io/nginx:latest"}
              - *web
              - {name: other, image: "docker.io/nginx:latest"}
            """)
        let compiled = compile(lowPolicy("pinned", kinds: "Pod", spec: """
            validations:
            - {forEach: object.spec.containers, as: c, expression: "!c.image.endsWith(':latest')", message: latest, path: image}
            - {forEach: object.spec.containers, as: c, expression: "c.name != 'web'", message: latest, path: image}
            """), inventory: inventory)
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        XCTAssertEqual(outcome.diagnostics.map(\.message), [])
        XCTAssertEqual(outcome.findings.compactMap { $0.location.map { "\($0.line):\($0.column)" } }, ["6:29", "8:26"])
    }

    /// A Kyverno Pod policy checks a pod controller as Kyverno's autogen does: `object.spec` and
    /// `object.metadata` are its pod template's, the name and namespace its own, and a finding's
    /// `fieldPath` points into the template. Its variables are its own, never shared with a
    /// policy that reads the controller itself through the same expression.
    func testAKyvernoPodPolicyReadsAPodControllersTemplate() {
        let inventory = inventory("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: team-a, labels: {app: outer}}
            spec:
              template:
                metadata: {labels: {app: inner}}
                spec:
                  containers: [{name: web, image: docker.io/nginx:1}]
            ---
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: tick, namespace: team-a}
            spec:
              jobTemplate:
                spec:
                  template:
                    spec:
                      containers: [{name: t, image: registry.local/t:1}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: team-a, labels: {app: pod}}
            spec:
              containers: [{name: a, image: docker.io/a:1}]
            """)
        let compiled = compile("""
            apiVersion: policies.kyverno.io/v1
            kind: ValidatingPolicy
            metadata: {name: a-local-images}
            spec:
              matchConstraints:
                resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
              variables: [{name: spec, expression: object.spec}]
              validations:
              - expression: "variables.spec.containers.all(c, c.image.startsWith('registry.local/'))"
                messageExpression: "object.kind + ' ' + object.metadata.name + ' in ' + object.metadata.namespace + ', app ' + object.metadata.labels.app"
                fieldPath: spec.containers
            ---
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: b-templates}
            spec:
              category: general
              severity: low
              title: Has a template
              match: {kinds: [Deployment]}
              variables: [{name: spec, expression: object.spec}]
              validations: [{expression: has(variables.spec.template)}]
            """, inventory: inventory)
        XCTAssertEqual(compiled.errors.map(\.description), [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        XCTAssertEqual(outcome.diagnostics.map(\.message), [])
        XCTAssertEqual(outcome.findings.map { "\($0.location.map { "\($0.line):\($0.column)" } ?? "-") \($0.message)" }, [
            "8:7 Deployment web in team-a, app inner",
            "24:3 Pod p in team-a, app pod",
        ])
    }

    /// A pod spec or container list of a shape Kubernetes refuses is an evaluation error, never
    /// an empty list of containers.
    func testMalformedPodSpecsFailInsteadOfHavingNoContainers() {
        let inventory = inventory("""
            apiVersion: v1
            kind: Pod
            metadata: {name: map-of-init-containers, namespace: a}
            spec:
              initContainers: {evil: {name: evil, image: evil.io/x:latest}}
              containers: [{name: c, image: registry.local:5000/c:1}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: string-spec, namespace: a}
            spec: {template: {spec: nope}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: null-containers, namespace: a}
            spec: {template: {spec: {containers: null}}}
            """)
        let compiled = compile("""
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: images}
            spec:
              category: general
              severity: low
              title: Counts containers
              match: {kinds: [Pod, Deployment]}
              validations:
              - expression: size(containers(object)) < 0
            """, inventory: inventory)
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        XCTAssertEqual(outcome.diagnostics.map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.message)" }.sorted(), [
            "11:25 images: validations[0]: Deployment spec.template.spec is a string, not a mapping",
            "5:19 images: validations[0]: the pod spec's initContainers is a map, not a list",
        ])
        XCTAssertEqual(outcome.findings.map(\.resource?.name), ["null-containers"])
    }

    /// A null item of a container list is the empty container the API server decodes it to (no
    /// name, image, env or resources), at the item's place: rules guarding `has(c.image)` read it
    /// without an error, and one requiring a field reports it there.
    func testANullContainerIsAnEmptyOneAtItsPlace() {
        let inventory = inventory("""
            apiVersion: v1
            kind: Pod
            metadata: {name: null-container, namespace: a}
            spec:
              containers:
              - {name: c, image: registry.local:5000/c:1}
              - null
              initContainers: [null]
            """)
        let compiled = compile("""
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: images}
            spec:
              category: general
              severity: low
              title: Every container names an image
              match: {kinds: [Pod]}
              validations:
              - forEach: containers(object)
                as: container
                expression: has(container.image) && !has(container.env)
            """, inventory: inventory)
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        XCTAssertEqual(outcome.diagnostics.map(\.message), [])
        XCTAssertEqual(outcome.findings.map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0)" }, ["7:5", "8:20"])
    }

    /// `containerEnv(object)` lists every environment variable of every container with the
    /// container's name, each at its own place: two containers with the same variable get a
    /// finding each, at their own value and naming their own container.
    func testContainerEnvPointsAtEachVariable() {
        let inventory = inventory("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: app, namespace: a}
            spec:
              template:
                spec:
                  containers:
                  - name: main
                    env:
                    - {name: SAFE, value: ok}
                    - {name: URL, value: bad}
                    - null
                    - {name: KEY, valueFrom: {secretKeyRef: {name: s, key: k}}}
                  - name: sidecar
                    env: [{name: URL, value: bad}]
                  initContainers: [{name: init}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: env-map, namespace: a}
            spec:
              containers: [{name: c, env: {URL: bad}}]
            """)
        let compiled = compile("""
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: env}
            spec:
              category: general
              severity: low
              title: No bad values
              match: {kinds: [Deployment, Pod]}
              validations:
              - forEach: containerEnv(object)
                as: envVar
                expression: "!has(envVar.value) || envVar.value != 'bad'"
                messageExpression: "'container ' + envVar.container + ': ' + envVar.name"
                path: value
            """, inventory: inventory)
        XCTAssertEqual(compiled.errors, [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        // At the offending value.
        XCTAssertEqual(outcome.diagnostics.map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.message)" },
                       ["22:31 env: validations[0].forEach: a container's env is a map, not a list"])
        XCTAssertEqual(outcome.findings.map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.message)" }, [
            "11:30 container main: URL", "15:34 container sidecar: URL",
        ])
    }

    /// `request` exists only for ValidatingAdmissionPolicies; `oldObject` is null (no update).
    func testRequestIsUnboundOutsideAdmissionPoliciesAndOldObjectIsNull() {
        let inventory = inventory(namespaces)
        let compiled = compile("""
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: reads-request}
            spec:
              category: general
              severity: low
              title: Reads the admission request
              match: {kinds: [Namespace]}
              validations:
              - expression: oldObject == null && request.operation == 'CREATE'
            """, inventory: inventory)
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        XCTAssertEqual(outcome.findings, [])
        XCTAssertEqual(outcome.diagnostics.map(\.message), Array(repeating: "reads-request: validations[0]: no such attribute: 'request' is not bound", count: 2))
    }

    func testCostLimitStopsRunawayExpressions() {
        let inventory = inventory(namespaces)
        let compiled = compile("""
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: expensive}
            spec:
              category: general
              severity: low
              title: Nested comprehensions
              match: {kinds: [Namespace]}
              validations:
              - expression: "[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10].all(c, a + b + c > 0)))"
            """, inventory: inventory)
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings(costLimit: 500)).evaluate(inventory)
        XCTAssertEqual(outcome.diagnostics.count, 2)
        XCTAssertTrue(outcome.diagnostics.allSatisfy { $0.message.contains("cost limit") }, "\(outcome.diagnostics)")
    }

    /// The example ValidatingAdmissionPolicy of the Kubernetes documentation, unchanged.
    func testValidatingAdmissionPolicyFromTheKubernetesDocsRunsUnchanged() {
        let inventory = inventory("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: small, namespace: default}
            spec: {replicas: 3}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: large, namespace: default}
            spec: {replicas: 7}
            """)
        let compiled = compile("""
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata:
              name: "demo-policy.example.com"
            spec:
              failurePolicy: Fail
              matchConstraints:
                resourceRules:
                - apiGroups:   ["apps"]
                  apiVersions: ["v1"]
                  operations:  ["CREATE", "UPDATE"]
                  resources:   ["deployments"]
              validations:
                - expression: "object.spec.replicas <= 5"
                # The same, placed at the field (Kubernetes' fieldPath).
                - expression: "object.spec.replicas <= 6"
                  fieldPath: spec.replicas
            """, inventory: inventory)
        XCTAssertEqual(compiled.errors, [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        XCTAssertEqual(outcome.findings.map { "\($0.resource?.name ?? "") \($0.location?.line ?? 0):\($0.location?.column ?? 0)" }, ["large 6:1", "large 9:18"])
        XCTAssertEqual(outcome.findings.first?.ruleID, "demo-policy.example.com")
    }

    /// Kubernetes skips the object when any matchCondition is false, whatever their order: an
    /// error counts only when none is false.
    func testAFalseMatchConditionExcludesTheObjectWhateverFailsBeforeIt() {
        let inventory = inventory("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: default}
            spec: {replicas: 3}
            """)
        func outcome(_ conditions: String) -> PolicyEngine.Outcome {
            let compiled = compile("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: conditions.example.com}
                spec:
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}
                  matchConditions: \(conditions)
                  validations:
                  - expression: "false"
                """, inventory: inventory)
            XCTAssertEqual(compiled.errors, [])
            return PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        }
        let failing = "{name: missing, expression: \"object.metadata.nothere == 'x'\"}"
        for conditions in ["[\(failing), {name: never, expression: 'false'}]", "[{name: never, expression: 'false'}, \(failing)]"] {
            let excluded = outcome(conditions)
            XCTAssertEqual(excluded.diagnostics, [], conditions)
            XCTAssertEqual(excluded.findings, [], conditions)
        }
        let failed = outcome("[\(failing), {name: always, expression: 'true'}]")
        XCTAssertEqual(failed.diagnostics.map(\.message), ["conditions.example.com: matchCondition missing: no such key: nothere"])
        XCTAssertEqual(failed.findings, [])
        let counted = compile("""
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: conditions.example.com}
            spec:
              matchConstraints: {resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]}
              matchConditions: [{name: count, expression: "size(object.metadata)"}]
              validations: [{expression: "false"}]
            """, inventory: inventory)
        XCTAssertEqual(counted.errors.map(\.message), ["conditions.example.com: matchCondition count must evaluate to a bool, not an int"])
        let textual = outcome("[{name: text, expression: \"object.metadata.name\"}]")
        XCTAssertEqual(textual.diagnostics.map(\.message), ["conditions.example.com: matchCondition text must evaluate to a bool, not string"])
    }

    /// The API server always gives a namespaced object's `namespaceObject`, and a `paramKind`'s
    /// `params`; airlock has them only from the inputs and --param-file, and a field selection
    /// on the null it has otherwise says so, not only "field selection on null_type".
    func testSelectingOnANullNamespaceObjectOrParamsSaysWhy() {
        let inventory = inventory("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop}
            spec: {replicas: 3}
            """)
        let compiled = compile("""
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: env.example.com}
            spec:
              paramKind: {apiVersion: v1, kind: ConfigMap}
              matchConstraints:
                resourceRules:
                - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}
              validations:
              - expression: "namespaceObject.metadata.labels.environment == 'prod'"
              - expression: "object.spec.replicas <= params.data.maxReplicas"
            """, inventory: inventory)
        XCTAssertEqual(compiled.errors, [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        let why = "(the policy reads namespaceObject, which is null here: the Namespace shop is not among the inputs; "
            + "the policy reads params, which is null: none were given (--param-file for a paramKind))"
        XCTAssertEqual(outcome.diagnostics.map(\.message), [
            "env.example.com: validations[0]: no such overload: field selection on null_type " + why,
            "env.example.com: validations[1]: no such overload: field selection on null_type " + why,
        ])
    }

    func testAdmissionPolicyMatchConstraintsKeepTheirKubernetesMeaning() {
        let inventory = inventory("""
            apiVersion: v1
            kind: Namespace
            metadata: {name: dev, labels: {env: dev}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: dev}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: unlisted}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: reader}
            ---
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.com}
            spec: {group: example.com, scope: Cluster, names: {kind: Widget, plural: widgets}}
            ---
            apiVersion: example.com/v1
            kind: Widget
            metadata: {name: gadget, namespace: dev}
            """)
        func admissionPolicy(_ name: String, _ constraints: String) -> String {
            """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: \(name)}
            spec:
              matchConstraints:
            \(constraints.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
              validations:
              - expression: "false"
            """
        }
        let compiled = compile([
            admissionPolicy("delete-only", """
                resourceRules:
                - {apiGroups: [apps], apiVersions: [v1], operations: [DELETE], resources: [deployments]}
                """),
            admissionPolicy("named", """
                resourceRules:
                - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments], resourceNames: [web]}
                """),
            admissionPolicy("subresources", """
                resourceRules:
                - {apiGroups: [apps], apiVersions: [v1], operations: ["*"], resources: [deployments/scale, deployment]}
                """),
            admissionPolicy("not-dev", """
                namespaceSelector: {matchExpressions: [{key: env, operator: NotIn, values: [dev]}]}
                resourceRules:
                - {apiGroups: ["*"], apiVersions: ["*"], operations: [CREATE], resources: ["*/*"]}
                """),
            admissionPolicy("cluster-scoped", """
                resourceRules:
                - {apiGroups: ["*"], apiVersions: ["*"], operations: [CREATE], resources: ["*"], scope: Cluster}
                """),
            admissionPolicy("namespaced", """
                resourceRules:
                - {apiGroups: ["*"], apiVersions: ["*"], operations: [CREATE], resources: ["*"], scope: "*"}
                excludeResourceRules:
                - {apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*"], scope: Cluster}
                """),
        ].joined(separator: "\n---\n"), inventory: inventory)
        XCTAssertEqual(compiled.errors, [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        let found = Dictionary(grouping: outcome.findings, by: \.ruleID).mapValues { $0.compactMap { $0.resource?.name }.sorted() }
        XCTAssertNil(found["delete-only"])
        XCTAssertEqual(found["named"], ["web"])
        XCTAssertNil(found["subresources"])
        // Cluster-scoped objects (a custom kind whose definition says so too) are never excluded by
        // a namespaceSelector; the namespace with no Namespace object has no labels, so NotIn admits it.
        XCTAssertEqual(found["not-dev"], ["gadget", "reader", "web", "widgets.example.com"])
        // A rule's scope matches by where the object lives: a Namespace is cluster-scoped.
        XCTAssertEqual(found["cluster-scoped"], ["dev", "gadget", "reader", "widgets.example.com"])
        XCTAssertEqual(found["namespaced"], ["api", "web"])
        let notRun = Dictionary(uniqueKeysWithValues: outcome.ruleRuns.map { ($0.rule.id, $0.notRun) })
        XCTAssertEqual(
            notRun["delete-only"],
            "its resourceRules apply only to DELETE, and airlock checks each object as the API server would on its creation")
        XCTAssertEqual(notRun["named"], .some(nil))
    }

    /// The API server labels every Namespace `kubernetes.io/metadata.name: <its name>` (and
    /// overwrites another value), so a namespace selector on that label, the usual way to name
    /// namespaces, selects by name: whether or not the Namespace is among the inputs and writes
    /// the label, in a ValidatingAdmissionPolicy (a Kyverno policy's exclusions) and a Policy,
    /// and an objectSelector of Namespaces sees it too.
    func testNamespaceSelectorSeesTheNameLabelOfEveryNamespace() {
        let inventory = inventory("""
            apiVersion: v1
            kind: Namespace
            metadata: {name: pebble}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: team-a, labels: {kubernetes.io/metadata.name: other}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: excluded-listed, namespace: pebble}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: excluded-unlisted, namespace: bind}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: selected, namespace: team-a}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: other, namespace: team-b}
            """)
        let compiled = compile("""
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: not-excluded}
            spec:
              matchConstraints:
                namespaceSelector:
                  matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [bind, pebble]}]
                resourceRules:
                - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
              validations:
              - expression: "false"
            ---
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: team-a-only}
            spec:
              category: general
              severity: low
              title: t
              match:
                kinds: [Pod, Namespace]
                namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: team-a}}
              validations:
              - expression: "false"
            ---
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: namespaces-but-pebble}
            spec:
              category: general
              severity: low
              title: t
              match:
                kinds: [Namespace]
                objectSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [pebble]}]}
              validations:
              - expression: "false"
            """, inventory: inventory)
        XCTAssertEqual(compiled.errors, [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        let found = Dictionary(grouping: outcome.findings, by: \.ruleID).mapValues { $0.compactMap { $0.resource?.name }.sorted() }
        XCTAssertEqual(found["not-excluded"], ["other", "selected"])
        XCTAssertEqual(found["team-a-only"], ["selected", "team-a"])
        // A Namespace's own labels hold it as well, for an objectSelector.
        XCTAssertEqual(found["namespaces-but-pebble"], ["team-a"])
    }

    /// With `matchPolicy: Equivalent` (the default) a rule on one version of a resource matches
    /// the others of its group, which the API server converts the request to; `Exact` does not.
    func testAdmissionMatchPolicyEquivalentMatchesOtherVersionsOfTheResource() {
        let inventory = inventory("""
            apiVersion: autoscaling/v1
            kind: HorizontalPodAutoscaler
            metadata: {name: api, namespace: dev}
            spec: {maxReplicas: 50}
            """)
        func admissionPolicy(_ name: String, matchPolicy: String) -> String {
            """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: \(name)}
            spec:
              matchConstraints:
                \(matchPolicy)
                resourceRules:
                - {apiGroups: [autoscaling], apiVersions: [v2], operations: [CREATE], resources: [horizontalpodautoscalers]}
              validations:
              - expression: object.spec.maxReplicas <= 5
            """
        }
        let compiled = compile([
            admissionPolicy("default", matchPolicy: ""), admissionPolicy("equivalent", matchPolicy: "matchPolicy: Equivalent"),
            admissionPolicy("exact", matchPolicy: "matchPolicy: Exact"),
        ].joined(separator: "\n---\n"), inventory: inventory)
        XCTAssertEqual(compiled.errors, [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        XCTAssertEqual(outcome.findings.map(\.ruleID).sorted(), ["default", "equivalent"])
        XCTAssertEqual(compile(admissionPolicy("bad", matchPolicy: "matchPolicy: Loose"), inventory: inventory).errors.map(\.message), [
            "spec.matchConstraints.matchPolicy is \"Loose\"; expected one of: Exact, Equivalent",
        ])
    }

    /// A custom resource's name in `resourceRules` and `request.resource` is the plural its
    /// CustomResourceDefinition declares, when the inputs hold it (`mice`, not `mouses`).
    func testAdmissionResourceRulesUseTheDeclaredPlural() {
        let mice = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: mice.example.com}
            spec:
              group: example.com
              scope: Namespaced
              names: {kind: Mouse, plural: mice, singular: mouse}
              versions: [{name: v1, served: true, storage: true}]
            ---
            apiVersion: example.com/v1
            kind: Mouse
            metadata: {name: jerry, namespace: dev}
            """
        let policy = """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: no-mice}
            spec:
              matchConstraints:
                resourceRules:
                - {apiGroups: [example.com], apiVersions: [v1], operations: [CREATE], resources: [mice]}
              validations:
              - expression: "false"
                messageExpression: "request.resource.resource"
            """
        let declared = inventory(mice)
        let outcome = PolicyEngine(policies: compile(policy, inventory: declared).policies, settings: EvaluationSettings()).evaluate(declared)
        XCTAssertEqual(outcome.findings.map(\.message), ["mice"])
        // Without its definition the plural is derived from the kind, as the API server would.
        let undeclared = inventory("apiVersion: example.com/v1\nkind: Mouse\nmetadata: {name: jerry, namespace: dev}\n")
        XCTAssertEqual(PolicyEngine(policies: compile(policy, inventory: undeclared).policies, settings: EvaluationSettings()).evaluate(undeclared).findings, [])
    }

    /// A variable that reads only params is computed once before any object, so a param of the
    /// wrong form is an error of the run (and its rule does not run) even when no object reaches
    /// the expression that reads it; one that computes is used as before.
    func testParamVariablesThatFailStopTheirPolicyBeforeAnyObject() {
        let inventory = inventory("""
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: a}
            spec: {containers: [{name: c}]}
            """)
        func policy(_ name: String, networks: String) -> String {
            lowPolicy(name, kinds: "Pod", spec: """
                params: {networks: \(networks)}
                variables:
                - name: networks
                  expression: params.networks.map(n, cidr(n))
                validations:
                - expression: "!has(object.spec.hostIP) || variables.networks.exists(n, n.containsIP(object.spec.hostIP))"
                """)
        }
        // A variable that reads the values, and an admission policy's variable of params, fail
        // only where read, as Kubernetes evaluates variables (values and params may be absent).
        let lazy = lowPolicy("values", kinds: "Pod", spec: """
            variables:
            - name: tenants
              expression: values.tenants
            validations:
            - expression: values == null || size(variables.tenants) > 0
            """) + "\n---\n" + """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: admission}
            spec:
              paramKind: {apiVersion: v1, kind: ConfigMap}
              matchConstraints:
                resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
              variables:
              - name: limit
                expression: params.limit
              validations:
              - expression: params == null || size(object.spec.containers) <= variables.limit
            """
        let compiled = compile(
            [policy("bad", networks: "[10.0.0.0/8, 10.0.0.0/33]"), policy("good", networks: "[10.0.0.0/8]"), lazy].joined(separator: "\n---\n"),
            inventory: inventory)
        XCTAssertEqual(compiled.errors, [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        XCTAssertEqual(outcome.diagnostics.map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.message)" }, [
            "12:40 bad: variables.networks: network address parse error during conversion from string: '10.0.0.0/33' (computed once from the params)",
        ])
        let runs = Dictionary(uniqueKeysWithValues: outcome.ruleRuns.map { ($0.rule.id, ($0.evaluated.count, $0.notRun)) })
        XCTAssertEqual(runs["bad"]?.0, 0)
        XCTAssertEqual(runs["bad"]?.1, "its variables.networks cannot be computed from its params")
        for name in ["good", "values", "admission"] {
            XCTAssertEqual(runs[name]?.0, 1, name)
            XCTAssertNil(runs[name]?.1, name)
        }
        XCTAssertEqual(outcome.findings.count, 0)
    }
}

/// Counts the calls of CEL functions that return their argument, from any thread.
private final class Calls: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var total: Int { lock.withLock { count } }

    func function(named name: String) -> CELFunction {
        CELFunction(name: name, kind: .global, arity: 1) { arguments in
            self.lock.withLock { self.count += 1 }
            return arguments[0]
        }
    }
}

/// A policy of category general and severity low titled "Counts" on `kinds`, with `spec` (the
/// lines after `match`, unindented) under its spec.
private func lowPolicy(_ name: String, kinds: String, spec: String) -> String {
    """
    apiVersion: airlock.dev/v1
    kind: Policy
    metadata: {name: \(name)}
    spec:
      category: general
      severity: low
      title: Counts
      match: {kinds: [\(kinds)]}
    \(spec.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n"))
    """
}
