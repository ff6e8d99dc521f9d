import Foundation
import XCTest

/// Every real-world manifest in ../shared/realworld loads; the files airlock must reject are listed
/// here with the reason.
final class RealWorldTests: XCTestCase {
    /// Files that are not (only) Kubernetes objects or are broken on purpose, with the first error expected.
    static let rejected: [String: String] = [
        "ahmetb__kubernetes-network-policy-recipes/recipes__yaml-blocks-from-markdown.yaml": "document is not a Kubernetes object: missing kind",
        "argoproj__argo-cd/manifests__ha__base__redis-ha__chart__values.yaml": "document is not a Kubernetes object: missing kind",
        "cert-manager__cert-manager/deploy__charts__cert-manager__values.yaml": "document is not a Kubernetes object: missing kind and apiVersion (a Helm values file? give it with --values)",
        "projectcapsule__capsule/charts__capsule__values.yaml": "document is not a Kubernetes object: missing kind",
        "stackrox__kube-linter/pkg__command__lint__testdata__invalid.yaml": "malformed YAML",
        "stackrox__kube-linter/tests__checks__cel.yml": "duplicate key \"apiVersion\"",
        "yannh__kubeconform/fixtures__duplicate_property.yaml": "duplicate key \"containers\"",
        "yannh__kubeconform/fixtures__duplicates.yaml": "default/ReplicationController/bob is defined twice: kubectl apply keeps the last, helm install refuses them; keep one (first at line 3)",
        "yannh__kubeconform/fixtures__missing_kind_value.yaml": "document is not a Kubernetes object: kind is empty",
        "yannh__kubeconform/fixtures__blank.yaml": "the inputs hold no Kubernetes resource",
        "yannh__kubeconform/fixtures__comment.yaml": "the inputs hold no Kubernetes resource",
        "yannh__kubeconform/fixtures__list_empty_valid.yaml": "the inputs hold no Kubernetes resource",
    ]

    func testEveryRealWorldFileLoadsOrIsRejectedForAKnownReason() throws {
        let folder = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/realworld")
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw XCTSkip("../shared/realworld is absent; these tests need the shared test data")
        }
        let repos = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        var checked = 0
        for repo in repos {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(repo).path)) ?? []
            for file in files.sorted() where file.hasSuffix(".yaml") || file.hasSuffix(".yml") || file.hasSuffix(".json") {
                let key = "\(repo)/\(file)"
                let result = try airlock(["inventory", "--format", "json", folder.appendingPathComponent(key).path])
                checked += 1
                if let reason = Self.rejected[key] {
                    XCTAssertEqual(result.exitCode, 2, key)
                    XCTAssertTrue(result.stderr.contains(reason), "\(key): \(result.stderr)")
                } else {
                    XCTAssertEqual(result.exitCode, 0, "\(key): \(result.stderr.prefix(500))")
                }
            }
        }
        XCTAssertGreaterThan(checked, 40)
    }
}
