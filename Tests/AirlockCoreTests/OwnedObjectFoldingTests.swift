import AirlockCore
import Foundation
import XCTest
import YAMLSource

/// Findings that a controller's ReplicaSets and Pods repeat fold into the controller's.
final class OwnedObjectFoldingTests: XCTestCase {
    /// A Deployment, its ReplicaSet and two Pods as `kubectl get -o yaml` exports them: the Pods
    /// have an injected sidecar first.
    private let export = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop, uid: d-1}
        spec:
          replicas: 2
          template:
            spec:
              hostNetwork: true
              containers:
              - name: app
                image: docker.io/library/nginx:latest
        ---
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: web-7d9f
          namespace: shop
          uid: rs-1
          ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d-1, controller: true}]
        spec:
          replicas: 2
          template:
            spec:
              hostNetwork: true
              containers:
              - name: app
                image: docker.io/library/nginx:latest
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-7d9f-aaaaa
          namespace: shop
          ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-7d9f, uid: rs-1, controller: true}]
        spec:
          hostNetwork: true
          containers:
          - name: istio-proxy
            image: docker.io/istio/proxyv2:1.20.0
          - name: app
            image: docker.io/library/nginx:latest
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-7d9f-bbbbb
          namespace: shop
          ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-7d9f, uid: rs-1, controller: true}]
        spec:
          hostNetwork: true
          containers:
          - name: istio-proxy
            image: docker.io/istio/proxyv2:1.20.0
          - name: app
            image: docker.io/library/nginx:latest

        """

    /// The whole check with the built-in pack: 4 problems of the template reported once each, the
    /// sidecar's image (only in the Pods) once for both Pods; JUnit still fails every object.
    func testCheckFoldsAControllersObjectsIntoItsFindings() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-fold-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("export.yaml").path
        try Data(export.utf8).write(to: URL(fileURLWithPath: file))
        var options = CheckOptions()
        options.paths = [file]
        options.settings.tier = "edge"
        options.disabledRules = ["container-resources-for-quota"]

        options.foldOwned = false
        let each = CheckRunner.run(options).findings
        options.foldOwned = true
        let folded = CheckRunner.run(options).findings

        let hostNetwork = try XCTUnwrap(folded.first { $0.ruleID == "no-host-network" })
        XCTAssertEqual(hostNetwork.resource?.qualifiedName, "shop/Deployment/web")
        XCTAssertEqual(hostNetwork.alsoIn.map { $0.resource?.qualifiedName }, ["shop/ReplicaSet/web-7d9f", "shop/Pod/web-7d9f-aaaaa", "shop/Pod/web-7d9f-bbbbb"])
        XCTAssertEqual(hostNetwork.alsoIn.map { $0.location?.line }, [24, 36, 50])

        let images = folded.filter { $0.ruleID == "image-registry-allowed" }
        XCTAssertEqual(images.map { $0.resource?.qualifiedName }, ["shop/Deployment/web", "shop/Pod/web-7d9f-aaaaa"])
        XCTAssertEqual(images.map { $0.location?.line }, [11, 39])
        XCTAssertEqual(images.map { $0.alsoIn.map(\.location?.line) }, [[27, 41, 55], [53]])

        // A baseline written from the folded findings holds every object's, as the run it is
        // applied to matches them before folding.
        XCTAssertEqual(Baseline(findings: folded).fingerprints, Baseline(findings: each).fingerprints)

        // Nothing is lost: every finding of the unfolded run is a finding or an occurrence.
        let places = folded.flatMap { [$0.location] + $0.alsoIn.map(\.location) }
        XCTAssertEqual(Set(places), Set(each.map(\.location)))
        XCTAssertEqual(places.count, each.count)
        XCTAssertLessThan(folded.count, each.count)
    }

    /// An Argo Rollout makes its ReplicaSets from its pod template, as a Deployment does (and an
    /// OpenShift DeploymentConfig its ReplicationControllers, an OpenKruise CloneSet its Pods):
    /// what they and their Pods repeat is the Rollout's finding, not a second one of the ReplicaSet's.
    func testARolloutsReplicaSetsAndPodsFoldIntoIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-fold-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("rollout.yaml").path
        try Data("""
            apiVersion: v1
            kind: List
            items:
            - apiVersion: argoproj.io/v1alpha1
              kind: Rollout
              metadata: {name: web, namespace: shop, uid: ro-1}
              spec:
                template:
                  spec:
                    containers:
                    - {name: app, image: docker.io/library/nginx:1.25}
            - apiVersion: apps/v1
              kind: ReplicaSet
              metadata:
                name: web-7f9c8d
                namespace: shop
                uid: rs-1
                ownerReferences: [{apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: web, uid: ro-1, controller: true}]
              spec:
                template:
                  spec:
                    containers:
                    - {name: app, image: docker.io/library/nginx:1.25}
            - apiVersion: v1
              kind: Pod
              metadata:
                name: web-7f9c8d-aaaaa
                namespace: shop
                ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-7f9c8d, uid: rs-1, controller: true}]
              spec:
                containers:
                - {name: app, image: docker.io/library/nginx:1.25}
            - apiVersion: apps.openshift.io/v1
              kind: DeploymentConfig
              metadata: {name: api, namespace: shop, uid: dc-1}
              spec: {template: {spec: {containers: [{name: api, image: quay.io/org/api:1.0}]}}}
            - apiVersion: v1
              kind: ReplicationController
              metadata:
                name: api-1
                namespace: shop
                ownerReferences: [{apiVersion: apps.openshift.io/v1, kind: DeploymentConfig, name: api, uid: dc-1, controller: true}]
              spec: {template: {spec: {containers: [{name: api, image: quay.io/org/api:1.0}]}}}
            - apiVersion: apps.kruise.io/v1alpha1
              kind: CloneSet
              metadata: {name: cart, namespace: shop, uid: cs-1}
              spec: {template: {spec: {containers: [{name: cart, image: quay.io/org/cart:1.0}]}}}
            - apiVersion: v1
              kind: Pod
              metadata: {name: cart-bbbbb, namespace: shop, ownerReferences: [{apiVersion: apps.kruise.io/v1alpha1, kind: CloneSet, name: cart, uid: cs-1, controller: true}]}
              spec: {containers: [{name: cart, image: quay.io/org/cart:1.0}]}

            """.utf8).write(to: URL(fileURLWithPath: file))
        var options = CheckOptions()
        options.paths = [file]
        options.settings.tier = "edge"

        let images = CheckRunner.run(options).findings.filter { $0.ruleID == "image-registry-allowed" }
        XCTAssertEqual(images.map { $0.resource?.qualifiedName }, ["shop/Rollout/web", "shop/DeploymentConfig/api", "shop/CloneSet/cart"])
        XCTAssertEqual(images.map { [$0.location?.line, $0.location?.column] }, [[11, 30], [36, 60], [47, 61]])
        XCTAssertEqual(images.map { $0.alsoIn.map { $0.resource?.qualifiedName } },
                       [["shop/ReplicaSet/web-7f9c8d", "shop/Pod/web-7f9c8d-aaaaa"], ["shop/ReplicationController/api-1"], ["shop/Pod/cart-bbbbb"]])
        XCTAssertEqual(images.first?.alsoIn.map { [$0.location?.line, $0.location?.column] }, [[23, 30], [32, 26]])
    }

    private func finding(_ rule: String, _ inventory: Inventory, _ kind: String, _ name: String, at path: [String], suppression: Suppression? = nil) throws -> Finding {
        let resource = try XCTUnwrap(inventory.resources.first { $0.kind == kind && $0.name == name })
        var node = resource.node
        for step in path {
            node = try XCTUnwrap(Int(step).map { node.item(at: $0) } ?? node[step])
        }
        return Finding(ruleID: rule, category: .general, severity: .high, message: "m", location: SourceSpan(node),
                       resource: resource.ref, suppression: suppression)
    }

    private let accepted = Suppression(kind: .external, justification: "accepted")

    /// `findings` folded as a check folds them, their controllers assigned first.
    private func fold(_ findings: [Finding], _ objects: Inventory) -> [Finding] {
        OwnedObjectFolding.fold(ControllerChain(inventory: objects).assigningControllers(to: findings), inventory: objects)
    }

    func testRootSuppressionCoversItsObjectsAndContainersMatchByName() throws {
        let objects = inventory(export)
        let findings = [
            try finding("r", objects, "Deployment", "web", at: ["spec", "template", "spec", "containers", "0", "image"], suppression: accepted),
            try finding("r", objects, "Pod", "web-7d9f-aaaaa", at: ["spec", "containers", "1", "image"]),
            // The sidecar is at the index the app has in the Deployment: not the same container.
            try finding("r", objects, "Pod", "web-7d9f-bbbbb", at: ["spec", "containers", "0", "image"]),
        ]
        let folded = fold(findings, objects)
        XCTAssertEqual(folded.map { $0.resource?.name }, ["web", "web-7d9f-bbbbb"])
        XCTAssertEqual(folded[0].suppression, accepted)
        XCTAssertEqual(folded[0].alsoIn.map { $0.resource?.name }, ["web-7d9f-aaaaa"])
        XCTAssertEqual(folded[1].alsoIn, [])
    }

    /// An unsuppressed root takes suppressed Pods' findings: the Deployment's problem is not accepted.
    func testUnsuppressedRootTakesSuppressedObjects() throws {
        let objects = inventory(export)
        let folded = fold([
            try finding("r", objects, "Pod", "web-7d9f-aaaaa", at: ["spec", "hostNetwork"], suppression: accepted),
            try finding("r", objects, "Deployment", "web", at: ["spec", "template", "spec", "hostNetwork"]),
        ], objects)
        XCTAssertEqual(folded.map { $0.resource?.name }, ["web"])
        XCTAssertNil(folded[0].suppression)
        XCTAssertEqual(folded[0].alsoIn.map { $0.resource?.name }, ["web-7d9f-aaaaa"])
    }

    /// Without the root's finding, siblings fold only into a finding of the same suppression.
    func testSiblingsFoldByEqualSuppression() throws {
        let objects = inventory(export)
        let folded = fold([
            try finding("r", objects, "Pod", "web-7d9f-aaaaa", at: ["spec", "hostNetwork"], suppression: accepted),
            try finding("r", objects, "Pod", "web-7d9f-bbbbb", at: ["spec", "hostNetwork"]),
            try finding("r", objects, "ReplicaSet", "web-7d9f", at: ["spec", "template", "spec", "hostNetwork"]),
        ], objects)
        XCTAssertEqual(folded.map { $0.resource?.name }, ["web-7d9f-aaaaa", "web-7d9f"])
        XCTAssertEqual(folded.map { $0.alsoIn.map { $0.resource?.name } }, [[], ["web-7d9f-bbbbb"]])
    }

    /// Without the root's finding, which sibling is reported does not depend on the order of the
    /// findings (of the inputs): a ReplicaSet before its Pods, then the first Pod by place.
    func testTheReportedSiblingIsTheSameInAnyOrder() throws {
        let objects = inventory(export)
        let pods = [
            try finding("r", objects, "Pod", "web-7d9f-aaaaa", at: ["spec", "hostNetwork"]),
            try finding("r", objects, "Pod", "web-7d9f-bbbbb", at: ["spec", "hostNetwork"]),
        ]
        let replicaSet = try finding("r", objects, "ReplicaSet", "web-7d9f", at: ["spec", "template", "spec", "hostNetwork"])
        for order in [pods, pods.reversed()] {
            let folded = fold(order, objects)
            XCTAssertEqual(folded.map { $0.resource?.name }, ["web-7d9f-aaaaa"])
            XCTAssertEqual(folded.first?.alsoIn.map { $0.resource?.name }, ["web-7d9f-bbbbb"])
            XCTAssertEqual(fold(order + [replicaSet], objects).map { $0.resource?.name }, ["web-7d9f"])
            XCTAssertEqual(fold([replicaSet] + order, objects).map { $0.resource?.name }, ["web-7d9f"])
        }
    }

    /// Fields outside the pod template, other rules and objects of another controller stay apart.
    func testOnlyTheSameRuleAtTheSameTemplateFieldFolds() throws {
        let objects = inventory(export)
        let findings = [
            try finding("r", objects, "Deployment", "web", at: ["spec", "replicas"]),
            try finding("r", objects, "ReplicaSet", "web-7d9f", at: ["spec", "replicas"]),
            try finding("r", objects, "Deployment", "web", at: ["spec", "template", "spec", "hostNetwork"]),
            try finding("s", objects, "Pod", "web-7d9f-aaaaa", at: ["spec", "hostNetwork"]),
            try finding("r", objects, "Pod", "web-7d9f-aaaaa", at: ["spec", "containers"]),
        ]
        XCTAssertEqual(fold(findings, objects), ControllerChain(inventory: objects).assigningControllers(to: findings))
    }

    /// A reference whose uid is not the named object's is to an object that no longer exists.
    func testOwnerWithAnotherUIDIsNotTheController() throws {
        let objects = inventory(export.replacingOccurrences(of: "uid: rs-1, controller", with: "uid: rs-0, controller"))
        let findings = [
            try finding("r", objects, "ReplicaSet", "web-7d9f", at: ["spec", "template", "spec", "hostNetwork"]),
            try finding("r", objects, "Pod", "web-7d9f-aaaaa", at: ["spec", "hostNetwork"]),
        ]
        XCTAssertEqual(fold(findings, objects), ControllerChain(inventory: objects).assigningControllers(to: findings))
    }

    /// A finding about a missing field points at the key above it: the same key in both objects.
    func testKeyPositionsFold() throws {
        let objects = inventory(export)
        let deployment = try XCTUnwrap(objects.resources.first { $0.kind == "Deployment" })
        let replicaSet = try XCTUnwrap(objects.resources.first { $0.kind == "ReplicaSet" })
        let deploymentKey = try XCTUnwrap(deployment.node.value(at: ["spec", "template", "spec"])?.entries.first { $0.key.text == "containers" }?.key)
        let replicaSetKey = try XCTUnwrap(replicaSet.node.value(at: ["spec", "template", "spec"])?.entries.first { $0.key.text == "containers" }?.key)
        let findings = [
            Finding(ruleID: "r", category: .quota, severity: .low, message: "m", location: SourceSpan(deploymentKey), resource: deployment.ref),
            Finding(ruleID: "r", category: .quota, severity: .low, message: "m", location: SourceSpan(replicaSetKey), resource: replicaSet.ref),
        ]
        let folded = fold(findings, objects)
        XCTAssertEqual(folded.count, 1)
        XCTAssertEqual(folded.first?.alsoIn, [FoldedOccurrence(findings[1])])
        XCTAssertEqual(folded.first?.alsoIn.first?.description(foldedInto: folded[0]), "the same in shop/ReplicaSet/web-7d9f")
    }

    /// Another value at the same field is a problem of its own: a Pod whose image was changed by
    /// hand does not take the Deployment's accepted risk (nor does the Pods' container list, which
    /// has the sidecar, fold into the Deployment's).
    func testAnotherValueAtTheSameFieldIsNotFolded() throws {
        var changed = export
        let lastImage = try XCTUnwrap(changed.range(of: "docker.io/library/nginx:latest", options: .backwards))
        changed.replaceSubrange(lastImage, with: "ghcr.io/evil/miner:2.0")
        let objects = inventory(changed)
        let findings = [
            try finding("r", objects, "Deployment", "web", at: ["spec", "template", "spec", "containers", "0", "image"], suppression: accepted),
            try finding("r", objects, "Pod", "web-7d9f-aaaaa", at: ["spec", "containers", "1", "image"]),
            try finding("r", objects, "Pod", "web-7d9f-bbbbb", at: ["spec", "containers", "1", "image"]),
            try finding("s", objects, "Deployment", "web", at: ["spec", "template", "spec", "containers"]),
            try finding("s", objects, "Pod", "web-7d9f-aaaaa", at: ["spec", "containers"]),
        ]
        let folded = fold(findings, objects)
        XCTAssertEqual(folded.map { "\($0.ruleID) \($0.resource?.name ?? "")" }, ["r web", "r web-7d9f-bbbbb", "s web", "s web-7d9f-aaaaa"])
        XCTAssertEqual(folded[0].alsoIn.map { $0.resource?.name }, ["web-7d9f-aaaaa"])
        XCTAssertNil(folded[1].suppression)
    }

    /// Environment variables are matched by name (an injector adds one first), and a finding
    /// folds only when it says the same, the object's name and kind aside, and points at the same
    /// structure (`{requests: {}, cpu: "1"}` is not `{requests: {cpu: "1"}}`).
    func testNamedItemsMessagesAndStructuresDecide() throws {
        let objects = inventory("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop, uid: d-1}
            spec:
              template:
                spec:
                  containers:
                  - name: app
                    env: [{name: MODEL, value: "https://api.openai.com/v1"}]
                    resources: {requests: {}, cpu: "1"}
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: web-1
              namespace: shop
              ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d-1, controller: true}]
            spec:
              containers:
              - name: app
                env: [{name: AGENT_HOST, valueFrom: {fieldRef: {fieldPath: status.hostIP}}}, {name: MODEL, value: "https://api.openai.com/v1"}]
                resources: {requests: {cpu: "1"}}

            """)
        func finding(_ rule: String, _ name: String, at path: [String], message: String) throws -> Finding {
            var made = try self.finding(rule, objects, name == "web" ? "Deployment" : "Pod", name, at: path)
            made.message = message
            return made
        }
        let template = ["spec", "template", "spec", "containers", "0"]
        let findings = [
            try finding("env", "web", at: template + ["env", "0", "value"], message: "Deployment web: MODEL is public"),
            try finding("env", "web-1", at: ["spec", "containers", "0", "env", "1", "value"], message: "Pod web-1: MODEL is public"),
            try finding("said", "web", at: template + ["env", "0", "value"], message: "public"),
            try finding("said", "web-1", at: ["spec", "containers", "0", "env", "1", "value"], message: "public, or unknown"),
            try finding("resources", "web", at: template + ["resources"], message: "m"),
            try finding("resources", "web-1", at: ["spec", "containers", "0", "resources"], message: "m"),
        ]
        let folded = fold(findings, objects)
        XCTAssertEqual(folded.map { "\($0.ruleID) \($0.resource?.name ?? "") \($0.alsoIn.count)" },
                       ["env web 1", "said web 0", "said web-1 0", "resources web 0", "resources web-1 0"])
    }

    /// A Deployment's name is often in its containers' and images' names (`kubectl create
    /// deployment nginx --image nginx`): messages compare with the Pod's name read as the
    /// Deployment's, not with names left out.
    func testMessagesCompareWithTheObjectsNameReadAsTheRoots() throws {
        let objects = inventory(export)
        func finding(_ kind: String, _ name: String, at path: [String], message: String) throws -> Finding {
            var made = try self.finding("r", objects, kind, name, at: path)
            made.message = message
            return made
        }
        let folded = fold([
            try finding("Deployment", "web", at: ["spec", "template", "spec", "hostNetwork"], message: "Deployment web (image web:1) uses the host network"),
            try finding("Pod", "web-7d9f-aaaaa", at: ["spec", "hostNetwork"], message: "Pod web-7d9f-aaaaa (image web:1) uses the host network"),
            try finding("Pod", "web-7d9f-bbbbb", at: ["spec", "hostNetwork"], message: "Pod web-7d9f-bbbbb (image web:2) uses the host network"),
        ], objects)
        XCTAssertEqual(folded.map { "\($0.resource?.name ?? "") \($0.alsoIn.map { $0.resource?.name ?? "" })" }, ["web [\"web-7d9f-aaaaa\"]", "web-7d9f-bbbbb []"])
    }

    /// A baseline written before a rollout still covers the findings after it: the Pods' (a
    /// sidecar's image, only theirs) are fingerprinted by their Deployment, not by their names.
    func testABaselineOutlivesARollout() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-rollout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("export.yaml")
        var options = CheckOptions()
        options.paths = [file.path]
        options.settings.tier = "edge"

        try Data(export.utf8).write(to: file)
        let before = CheckRunner.run(options)
        XCTAssertEqual(before.exitCode, 1)
        let baseline = folder.appendingPathComponent("baseline.json")
        try Baseline(findings: before.findings).encoded().write(to: baseline)

        // The rollout: a new ReplicaSet and new Pods, the old ReplicaSet scaled down and gone.
        try Data(export.replacingOccurrences(of: "web-7d9f", with: "web-5c6e").replacingOccurrences(of: "rs-1", with: "rs-2").utf8).write(to: file)
        options.baselineFile = baseline.path
        let after = CheckRunner.run(options)
        XCTAssertEqual(after.diagnostics.map(\.message), [])
        XCTAssertEqual(after.failingFindings.map { "\($0.ruleID) \($0.resource?.name ?? "")" }, [])
        XCTAssertEqual(after.exitCode, 0)
        XCTAssertEqual(after.findings.count, before.findings.count)
    }
}
