import AirlockCore
import CEL
import XCTest

/// The result types airlock's functions declare for the type check (``CELFunction/resultType``)
/// against what they give: each is called with every combination of sample arguments, and each
/// value that is not an error must be of the declared type.
final class HostFunctionTypesTests: XCTestCase {
    func testHostFunctionsGiveTheTypesTheyDeclare() throws {
        let inventory = inventory("""
            apiVersion: v1
            kind: Namespace
            metadata: {name: team-a}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: team-a}
            data: {URL: "http://db.team-a.svc:5432"}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: team-a}
            spec:
              template:
                spec:
                  containers:
                  - name: app
                    image: registry.local:5000/app:1.0
                    command: [serve, --upstream=http://api.team-b.svc:80]
                    envFrom: [{configMapRef: {name: settings}}]
                    env: [{name: A, value: "$(URL)/x"}, {name: B, valueFrom: {fieldRef: {fieldPath: status.podIP}}}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: deny, namespace: team-a}
            spec: {podSelector: {}, egress: [{}]}
            """)
        let functions = InventoryFunctions.all(inventory) + WorkloadFunctions.all(inventory) + ImageFunctions.all + FactFunctions.all
        let names = ["a", "b", "c", "d"]
        let environment = CELEnvironment(declaredVariables: names, functions: functions)
        let samples = try ["'registry.local:5000/app:1.0'", "'mongodb://db.team-a.svc:1,mongo.example.com:2/x'", "'1.2.3'", "'>=1.0.0'",
                           "'MIT'", "'Deployment'", "'team-a'", "'web'", "{'a': ['b'], 'b': ['a']}", "semver('1.2.3')", "1", "null"]
            .map { try environment.compile($0).evaluate([:]) }
            + inventory.resources.map { CELValue(resource: $0) }
        var checked = 0
        for function in functions where function.resultType != .dyn {
            let arity = try XCTUnwrap(function.arity)
            let call = function.kind == .receiver
                ? "a.\(function.name)(\(names[1..<arity].joined(separator: ", ")))"
                : "\(function.name)(\(names[0..<arity].joined(separator: ", ")))"
            let program = try environment.compile(call)
            let combinations = (0..<arity).reduce([[CELValue]]([[]])) { partial, _ in partial.flatMap { prefix in samples.map { prefix + [$0] } } }
            for arguments in combinations {
                let value = program.evaluate(Dictionary(uniqueKeysWithValues: zip(names, arguments)))
                if case .error = value { continue }
                checked += 1
                XCTAssertTrue(CELStaticType(of: value).mayBe(function.resultType), "\(call) with \(arguments) gave \(value), not \(function.resultType)")
                if case .list(let element) = function.resultType, element != .dyn, case .list(let list) = value {
                    XCTAssertTrue(list.elements.allSatisfy { CELStaticType(of: $0) == element }, "\(call) with \(arguments) gave \(value)")
                }
            }
        }
        XCTAssertGreaterThan(checked, 200)
    }

    /// With those types the check reads airlock's functions as it reads the standard ones.
    func testTheCheckReadsTheDeclaredTypes() {
        let compiled = compile("""
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: typed}
            spec:
              category: general
              severity: low
              title: Typed
              match: {kinds: [Deployment]}
              validations:
              - expression: containerEnvValues(object).contains('http://')
              - expression: containers(object).image.startsWith('registry.local')
              - expression: containerArgs(object).all(a, a > 1)
            """, inventory: inventory(""))
        XCTAssertEqual(compiled.errors.map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.message)" }, [
            "10:44 typed: found no matching overload for 'contains' applied to 'list(string).(string)' (membership is written `x in list`)",
            "11:35 typed: type 'list(dyn)' does not support field selection (selecting 'image')",
            "12:48 typed: found no matching overload for '_>_' applied to '(string, int)'",
        ])
    }
}
