@testable import AirlockCore
import CEL
import XCTest

/// The engine's view of an evaluated object finds its containers and pod spec once for all its
/// rules; every other view (a lookup's, which keyed variables share between threads) finds them
/// each time.
final class ObjectMemoTests: XCTestCase {
    private let objects = inventory("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: team-a}
        spec:
          template:
            spec:
              containers:
              - {name: app, image: registry.local:5000/web:1.0}
              initContainers:
              - {name: init, image: registry.local:5000/init:1.0}
        """)

    private var deployment: Resource { objects.resources[0] }

    func testOnlyTheEvaluatedObjectsOwnViewHasAMemo() throws {
        XCTAssertNil(YAMLCELHost.inventoryObject(of: CELValue(resource: deployment))?.memo)
        let view = CELValue(resource: deployment, memo: YAMLCELHost.ObjectMemo())
        XCTAssertNotNil(YAMLCELHost.inventoryObject(of: view)?.memo)
        // A field of the object is not the object.
        XCTAssertNil(YAMLCELHost.inventoryObject(of: try XCTUnwrap(view.child("spec"))))
    }

    func testContainersAreFoundOnceAndReadFromTheMemoAfter() throws {
        let memo = YAMLCELHost.ObjectMemo()
        let view = CELValue(resource: deployment, memo: memo)
        let first = WorkloadFunctions.containers(of: view)
        guard case .list(let found)? = memo.containers, case .list(let returned) = first else {
            return XCTFail("the containers are not kept: \(String(describing: memo.containers))")
        }
        XCTAssertEqual(returned.count, 2)
        XCTAssertEqual(found.count, 2)
        // What the memo holds is what later calls return, whatever the object says by then.
        memo.containers = .list(CELList([]))
        guard case .list(let again) = WorkloadFunctions.containers(of: view) else { return XCTFail("no list") }
        XCTAssertEqual(again.count, 0)
        // Without a memo the containers are found from the object every time.
        guard case .list(let unmemoized) = WorkloadFunctions.containers(of: CELValue(resource: deployment)) else { return XCTFail("no list") }
        XCTAssertEqual(unmemoized.count, 2)
    }

    func testThePodSpecIsFoundOnceAndReadFromTheMemoAfter() throws {
        let memo = YAMLCELHost.ObjectMemo()
        let view = CELValue(resource: deployment, memo: memo)
        let podSpec = try podSpecProgram()
        guard case .map(let spec) = podSpec.evaluate(["object": view]), case .map(let kept)? = memo.podSpec else {
            return XCTFail("the pod spec is not kept: \(String(describing: memo.podSpec))")
        }
        XCTAssertEqual(spec.count, 2)
        XCTAssertEqual(kept.count, 2)
        memo.podSpec = .null
        guard case .null = podSpec.evaluate(["object": view]) else { return XCTFail("not read from the memo") }
        guard case .map = podSpec.evaluate(["object": CELValue(resource: deployment)]) else { return XCTFail("no pod spec without a memo") }
    }

    /// The memo's values are views of the object, whose host holds the memo: once the engine is
    /// done with the object, neither may keep the other alive.
    func testTheEvaluatedObjectsViewIsFreedWithIt() throws {
        weak var host: CELCollectionHost?
        let podSpec = try podSpecProgram()
        do {
            let evaluated = PolicyEngine.EvaluatedObject(deployment, namespaceObject: .null, shared: SharedVariables.Values(count: 0), declaredPlural: nil)
            guard case .list(let containers) = WorkloadFunctions.containers(of: evaluated.object), containers.count == 2,
                  case .map = podSpec.evaluate(["object": evaluated.object]),
                  case .map(let object) = evaluated.object else { return XCTFail("no containers or pod spec") }
            host = object.host
        }
        XCTAssertNil(host)
    }

    private func podSpecProgram() throws -> CELProgram {
        try CELEnvironment(declaredVariables: ["object"], functions: WorkloadFunctions.all(objects)).compile("podSpec(object)")
    }
}
