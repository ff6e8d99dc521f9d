import AirlockCore
import CEL
import XCTest
import YAMLSource

/// An object named by `generateName` alone has a name at admission (the prefix and a suffix the API
/// server adds), so its view reads `metadata.name` as the prefix followed by `*`: policies written
/// for Kubernetes that read the name evaluate, and messages name the object.
final class GeneratedNameTests: XCTestCase {
    private let text = """
        apiVersion: batch/v1
        kind: Job
        metadata:
          generateName: migrate-
          namespace: alpha
        spec: {}
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: "", generateName: seed-, namespace: alpha}
        spec: {}
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: fixed, generateName: unused-, namespace: alpha}
        spec: {}
        """

    func testTheViewReadsTheGeneratedNameAsThePrefixAndAStar() {
        let loaded = YAMLLoader().load(Array(text.utf8), file: "in.yaml")
        let resources = loaded.documents.flatMap { ManifestDecoder(defaultNamespace: "default").resources(in: $0).resources }
        let inventory = Inventory(resources)
        let compiled = compile("""
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: names}
            spec:
              category: general
              severity: low
              title: t
              match: {kinds: [Job]}
              validations:
              - expression: "false"
                messageExpression: >-
                  object.metadata.name + ' ' + string(size(object.metadata)) + ' ' +
                  object.metadata.map(k, k).join(',') + ' ' + resource('Job', 'alpha', object.metadata.name).metadata.name
                path: metadata.name
            """, inventory: inventory)
        XCTAssertEqual(compiled.errors, [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        XCTAssertEqual(outcome.diagnostics, [])
        XCTAssertEqual(outcome.findings.map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.message)" }, [
            // The name is added after the written keys; a path through it points at `metadata`.
            "3:1 migrate-* 3 generateName,namespace,name migrate-*",
            // A written empty name is replaced where it stands.
            "10:18 seed-* 3 name,generateName,namespace seed-*",
            // A written name is the object's own.
            "15:18 fixed 3 name,generateName,namespace fixed",
        ])
    }
}
