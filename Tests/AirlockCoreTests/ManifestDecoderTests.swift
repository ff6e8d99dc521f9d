import AirlockCore
import XCTest
import YAMLSource

final class ManifestDecoderTests: XCTestCase {
    /// Decodes `text` as `check` reads manifests: documents with duplicate keys are kept for the
    /// decoder to reject the List items holding them.
    private func decodeKeepingDuplicateKeys(_ text: String) -> (names: [String], errors: [String]) {
        let loaded = YAMLLoader(keepsDocumentsWithDuplicateKeys: true).load(Array(text.utf8), file: "list.yaml")
        XCTAssertEqual(loaded.errors, [])
        var names: [String] = []
        var errors: [String] = []
        for document in loaded.documents {
            let decoded = ManifestDecoder().resources(in: document)
            names += decoded.resources.map(\.name)
            errors += decoded.errors.map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0): \($0.message)" }
        }
        return (names, errors)
    }

    func testADuplicateKeyRejectsOnlyTheListItemsHoldingIt() {
        let decoded = decodeKeepingDuplicateKeys("""
            apiVersion: v1
            kind: List
            items:
            - {apiVersion: v1, kind: ConfigMap, metadata: {name: first}}
            - apiVersion: v1
              kind: ConfigMap
              metadata: {name: twice, name: again}
            - apiVersion: v1
              kind: ConfigMap
              metadata: {name: anchored}
              data: &shared {a: "1", a: "2"}
            - {apiVersion: v1, kind: ConfigMap, metadata: {name: aliased}, data: *shared}
            - {apiVersion: v1, kind: ConfigMap, metadata: {name: merged}, data: {<<: *shared}}
            - {apiVersion: v1, kind: ConfigMap, metadata: {name: overridden}, data: {<<: *shared, a: "3"}}
            - {apiVersion: v1, kind: ConfigMap, metadata: {name: two-merges}, data: {<<: {a: "1"}, <<: {b: "2"}}}
            - {apiVersion: v1, kind: ConfigMap, metadata: {name: last}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: alone}
            data: {b: "1", b: "2"}
            ---
            apiVersion: v1
            kind: List
            items: [{apiVersion: v1, kind: ConfigMap, metadata: {name: in-broken-list}}]
            metadata: {resourceVersion: "1", resourceVersion: "2"}
            """)
        XCTAssertEqual(decoded.names, ["first", "last"])
        XCTAssertEqual(decoded.errors, [
            "7:27: duplicate key \"name\" (first at line 7, column 14); readers disagree on which one wins",
            "11:26: duplicate key \"a\" (first at line 11, column 18); readers disagree on which one wins",
            "15:88: duplicate key \"<<\" (first at line 15, column 74); readers disagree on which one wins",
            "21:16: duplicate key \"b\" (first at line 21, column 8); readers disagree on which one wins",
            "26:34: duplicate key \"resourceVersion\" (first at line 26, column 12); readers disagree on which one wins",
        ])
    }

    /// Other readers of YAML (values, policies, exceptions) still drop the whole document.
    func testTheDefaultLoaderDropsADocumentWithADuplicateKey() {
        let loaded = YAMLLoader().load(Array("kind: List\nitems: [{a: 1, a: 2}]\n".utf8), file: "v.yaml")
        XCTAssertEqual(loaded.documents.count, 0)
        XCTAssertEqual(loaded.errors.map(\.line), [2])
    }

    func testListsNamespacesAndIndexes() {
        let inventory = inventory("""
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Namespace
              metadata: {name: team-a, labels: {classification: secret}}
            - apiVersion: v1
              kind: ResourceQuota
              metadata: {name: quota, namespace: team-a}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: reader}
            """)
        XCTAssertEqual(inventory.count, 4)
        XCTAssertEqual(inventory.resource(kind: "ResourceQuota", namespace: "team-a", name: "quota")?.provenance.line, 7)
        XCTAssertEqual(inventory.resource(kind: "ConfigMap", namespace: "default", name: "settings")?.provenance.documentIndex, 1)
        XCTAssertNotNil(inventory.resource(kind: "ClusterRole", namespace: "", name: "reader"))
        XCTAssertEqual(inventory.resources(kind: "Namespace").first?.labels, ["classification": "secret"])
        XCTAssertEqual(inventory.resources(namespace: "team-a").count, 1)
        XCTAssertEqual(inventory.namespaceObject(of: inventory.resources(kind: "ResourceQuota")[0])?.name, "team-a")
    }

    /// kubectl and Helm decode any document with `items` as a list and apply its items, never the
    /// object it looks like: the items are checked, and the document is an error.
    func testItemsOfADocumentThatIsNoListAreTheObjects() throws {
        let loaded = YAMLLoader().load(Array("""
            apiVersion: v1
            kind: Pod
            metadata: {name: decoy, namespace: kube-system}
            items:
            - apiVersion: apps/v1
              kind: DaemonSet
              metadata: {name: hidden, namespace: kube-system}
            - metadata: {name: unstated, namespace: kube-system}
            ---
            apiVersion: v1
            kind: List
            """.utf8), file: "x.yaml")
        let decoded = loaded.documents.map { ManifestDecoder().resources(in: $0) }
        XCTAssertEqual(decoded.flatMap(\.resources).map(\.ref.qualifiedName), ["kube-system/DaemonSet/hidden", "kube-system/Pod/unstated"])
        XCTAssertEqual(decoded.flatMap(\.errors).map(\.description), [
            "x.yaml:4:1: Pod has a top-level items field: kubectl and Helm read such a document as a list and apply its items, never the Pod itself; its items are checked as the objects",
            "x.yaml:10:1: List has no items (and no metadata, as an object would have)",
        ])
    }

    func testDefaultNamespaceIsConfigurable() throws {
        let document = try XCTUnwrap(YAMLLoader().load(Array("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n".utf8), file: "p").documents.first)
        XCTAssertEqual(ManifestDecoder(defaultNamespace: "ops").resources(in: document).resources.first?.namespace, "ops")
    }

    func testDocumentsThatAreNotObjects() throws {
        func errors(_ text: String, file: String = "x.yaml") throws -> [String] {
            let document = try XCTUnwrap(YAMLLoader().load(Array(text.utf8), file: file).documents.first)
            return ManifestDecoder().resources(in: document).errors.map(\.description)
        }
        XCTAssertEqual(try errors("- a\n- b\n"), ["x.yaml:1:1: document is not a Kubernetes object: expected a mapping with apiVersion and kind, found a sequence"])
        XCTAssertEqual(try errors("apiVersion: v1\nmetadata: {name: x}\n"), ["x.yaml:1:1: document is not a Kubernetes object: missing kind"])
        XCTAssertEqual(try errors("image: {tag: 1}\nreplicaCount: 2\n"),
                       ["x.yaml:1:1: document is not a Kubernetes object: missing kind and apiVersion (a Helm values file? give it with --values)"])
        XCTAssertEqual(try errors("name: x\nversion: 1.0.0\n", file: "sub/package.yaml"),
                       ["sub/package.yaml:1:1: document is not a Kubernetes object: missing kind and apiVersion (a domain package's manifest? check the package with gate pre-publish)"])
        // A kustomization builds objects; checked as one, what it builds would pass unseen.
        XCTAssertEqual(try errors("resources: [deploy.yaml]\n", file: "app/kustomization.yaml"),
                       ["app/kustomization.yaml:1:1: document is not a Kubernetes object: missing kind and apiVersion (a kustomize build input? check what `kubectl kustomize` renders from its folder)"])
        XCTAssertEqual(try errors("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nmetadata: {name: app}\nimages: [{name: nginx, newName: evil/nginx}]\n"),
                       ["x.yaml:1:13: Kustomization is a kustomize build input, not a Kubernetes object: check what `kubectl kustomize` renders from its folder instead"])
        XCTAssertEqual(try errors("apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"),
                       ["x.yaml:1:13: Component is a kustomize build input, not a Kubernetes object: check what `kubectl kustomize` renders from its folder instead"])
        XCTAssertEqual(try errors("apiVersion: v1\nkind:\nmetadata: {name: x}\n"), ["x.yaml:2:6: document is not a Kubernetes object: kind is empty"])
        XCTAssertEqual(try errors("apiVersion: v1\nkind: [Pod]\nmetadata: {name: x}\n"),
                       ["x.yaml:2:7: document is not a Kubernetes object: kind is a sequence, not a kind name"])
        XCTAssertEqual(try errors("kind: Pod\nmetadata: {name: x}\n"), ["x.yaml:1:1: Pod has no apiVersion"])
        XCTAssertEqual(try errors("kind: Pod\napiVersion: v1\nmetadata: {}\n"), ["x.yaml:3:11: Pod has no metadata.name"])
        XCTAssertEqual(try errors("kind: Pod\napiVersion: v1\nmetadata: {name: 12345}\n"), ["x.yaml:3:18: Pod: metadata.name must be a non-empty string"])
    }

    func testHelmSourceIsKeptInProvenance() {
        let inventory = inventory("---\n# Source: app/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
        XCTAssertEqual(inventory.resources.first?.provenance.helmSource, "app/templates/cm.yaml")
    }
}
