@testable import AirlockCore
import XCTest
import YAMLSource

/// Which namespace an object is in, as kubectl and the API server read it, and objects that
/// the inputs define twice.
final class ObjectScopeTests: XCTestCase {
    /// The objects of `text` and the errors of reading them, after the checks across documents.
    private func decode(_ text: String) -> (inventory: Inventory, errors: [String]) {
        let loaded = YAMLLoader().load(Array(text.utf8), file: "in.yaml")
        XCTAssertEqual(loaded.errors, [])
        var resources: [Resource] = []
        var errors: [Diagnostic] = []
        for document in loaded.documents {
            let decoded = ManifestDecoder(defaultNamespace: "alpha").resources(in: document)
            resources += decoded.resources
            errors += decoded.errors
        }
        let (inventory, redefinitions) = CrossDocumentChecks.inventory(of: resources)
        return (inventory, (errors + redefinitions).map(\.description))
    }

    /// What `object.metadata.namespace` reads for each object of `inventory` (`-` for none).
    private func namespaceViews(_ inventory: Inventory) -> [String] {
        messages(of: inventory, kinds: "\"*\"", messageExpression: """
            (has(object.metadata.namespace) ? string(object.metadata.namespace) : '-') + ' ' +
            string(size(object.metadata)) + ' ' + string(object.metadata.exists(k, k == 'namespace'))
            """)
    }

    /// `messageExpression` for each object of `kinds` in `inventory`, after its name, sorted.
    private func messages(of inventory: Inventory, kinds: String, messageExpression: String) -> [String] {
        let policy = """
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: views}
            spec:
              category: general
              severity: low
              title: t
              match: {kinds: [\(kinds)]}
              validations:
              - expression: "false"
                messageExpression: >-
            \(messageExpression.split(separator: "\n").map { "          " + $0 }.joined(separator: "\n"))
            """
        let compiled = compile(policy, inventory: inventory)
        XCTAssertEqual(compiled.errors, [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        XCTAssertEqual(outcome.diagnostics, [])
        return outcome.findings.map { "\($0.resource?.qualifiedName ?? "") \($0.message)" }.sorted()
    }

    /// An empty or null namespace is none (what Helm renders for an unset value); a namespace
    /// stated on a cluster-scoped kind is dropped, as the API server drops it; a kind of the same
    /// name in another group is namespaced.
    func testEmptyNamespacesAreUnsetAndClusterScopedObjectsHaveNone() {
        let (inventory, errors) = decode("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: empty, namespace: ""}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: nulled, namespace: ~}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: team, namespace: default}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: reader, namespace: ""}
            ---
            apiVersion: example.com/v1
            kind: Namespace
            metadata: {name: custom}
            ---
            apiVersion: networking.k8s.io/v1
            kind: IPAddress
            metadata: {name: 10.96.0.10}
            ---
            apiVersion: resource.k8s.io/v1
            kind: ResourceSlice
            metadata: {name: node-0-gpu}
            ---
            apiVersion: extensions/v1beta1
            kind: PodSecurityPolicy
            metadata: {name: restricted}
            ---
            apiVersion: snapshot.storage.k8s.io/v1
            kind: VolumeSnapshotClass
            metadata: {name: csi}
            ---
            apiVersion: argoproj.io/v1alpha1
            kind: ClusterWorkflowTemplate
            metadata: {name: etl}
            """)
        XCTAssertEqual(errors, [])
        XCTAssertEqual(namespaceViews(inventory), [
            "ClusterRole/reader - 1 false",
            "ClusterWorkflowTemplate/etl - 1 false",
            "IPAddress/10.96.0.10 - 1 false",
            // name, and the labels holding kubernetes.io/metadata.name that every Namespace has.
            "Namespace/team - 2 false",
            "PodSecurityPolicy/restricted - 1 false",
            "ResourceSlice/node-0-gpu - 1 false",
            "VolumeSnapshotClass/csi - 1 false",
            "alpha/ConfigMap/empty alpha 2 true",
            "alpha/ConfigMap/nulled alpha 2 true",
            "alpha/Namespace/custom alpha 2 true",
        ])
        XCTAssertEqual(decode("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: 12}\n").errors, [
            "in.yaml:3:32: Pod p: metadata.namespace must be a string",
        ])
    }

    /// A CustomResourceDefinition among the inputs that declares its kind `scope: Cluster` makes
    /// that kind's objects cluster-scoped; the same kind in another group stays namespaced.
    func testACustomResourceDefinitionAmongTheInputsDeclaresItsKindsScope() {
        let (inventory, errors) = decode("""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.com}
            spec:
              group: example.com
              scope: Cluster
              names: {kind: Widget, plural: widgets}
            ---
            apiVersion: example.com/v1
            kind: Widget
            metadata: {name: w, namespace: stray}
            ---
            apiVersion: other.io/v1
            kind: Widget
            metadata: {name: w}
            """)
        XCTAssertEqual(errors, [])
        XCTAssertEqual(inventory.resources.map(\.ref.qualifiedName), [
            "CustomResourceDefinition/widgets.example.com", "Widget/w", "alpha/Widget/w",
        ])
    }

    /// Two objects of one group, kind, namespace and name are an error at the second: which one
    /// the cluster would hold is not known. Different groups, namespaces or `generateName` are
    /// different objects.
    func testAnObjectDefinedTwiceIsAnError() {
        let (_, errors) = decode("""
            apiVersion: v1
            kind: Service
            metadata: {name: api}
            ---
            apiVersion: serving.knative.dev/v1
            kind: Service
            metadata: {name: api}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: api, namespace: bravo}
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {generateName: run-}
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {generateName: run-}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: api, namespace: alpha}
            ---
            apiVersion: example.com/v1
            kind: Widget
            metadata: {name: w}
            ---
            apiVersion: other.io/v1
            kind: Widget
            metadata: {name: w}
            ---
            apiVersion: example.com/v2
            kind: Widget
            metadata: {name: w}
            """)
        XCTAssertEqual(errors, [
            "in.yaml:21:1: alpha/Service/api is defined twice: kubectl apply keeps the last, helm install refuses them; keep one (first at line 1)",
            "in.yaml:33:1: alpha/Widget/w is defined twice: kubectl apply keeps the last, helm install refuses them; keep one (first at line 25)",
        ])
    }

    /// Every later copy names the first one, and how many there are: with three, the third
    /// names the first, not the second (which is itself a copy).
    func testACopyNamesTheFirstDefinitionAndCountsThem() {
        let copy = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: alpha}\n"
        let (_, errors) = decode([copy, copy, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other, namespace: alpha}\n", copy].joined(separator: "---\n"))
        XCTAssertEqual(errors, [
            "in.yaml:5:1: alpha/ConfigMap/settings is defined 3 times: kubectl apply keeps the last, helm install refuses them; keep one (first at line 1)",
            "in.yaml:13:1: alpha/ConfigMap/settings is defined 3 times: kubectl apply keeps the last, helm install refuses them; keep one (first at line 1)",
        ])
    }

    /// The API server writes no kind or apiVersion in the items of a typed list (`GET
    /// /api/v1/pods` gives a `PodList`; kubectl adds them): such an item is of the list's, and its
    /// view reads them. In a `kind: List` an item must state its own.
    func testItemsOfATypedListAreOfItsKind() {
        let (inventory, errors) = decode("""
            {"kind": "PodList", "apiVersion": "v1", "metadata": {"resourceVersion": "9"}, "items": [
              {"metadata": {"name": "p0"}, "spec": {}},
              {"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "p1"}}
            ]}
            ---
            apiVersion: v1
            kind: List
            items:
            - metadata: {name: anonymous}
            """)
        XCTAssertEqual(errors, ["in.yaml:9:3: document is not a Kubernetes object: missing kind"])
        XCTAssertEqual(messages(of: inventory, kinds: "Pod", messageExpression: "object.apiVersion + ' ' + object.kind + ' ' + object.map(k, k).join(',')"), [
            "alpha/Pod/p0 v1 Pod metadata,spec,kind,apiVersion",
            "alpha/Pod/p1 v1 Pod kind,apiVersion,metadata",
        ])
    }

    /// apimachinery gives an item of a typed list the list's kind and apiVersion only when it
    /// states neither; one stating only its kind kept no apiVersion (kubectl refuses it) and was
    /// read as `v1` `Deployment`, a workload no rule knows, so its privileged pod passed unchecked.
    func testAnItemOfATypedListStatingOnlyItsKindOrApiVersionIsAnError() {
        let (inventory, errors) = decode("""
            apiVersion: v1
            kind: PodList
            items:
            - kind: Deployment
              metadata: {name: web}
              spec: {template: {spec: {containers: [{name: c, image: x, securityContext: {privileged: true}}]}}}
            - apiVersion: apps/v1
              metadata: {name: db}
            - metadata: {name: p0}
            """)
        XCTAssertEqual(errors, [
            "in.yaml:4:3: Deployment has no apiVersion",
            "in.yaml:7:3: document is not a Kubernetes object: missing kind",
        ])
        XCTAssertEqual(inventory.resources.map { "\($0.apiVersion) \($0.ref.qualifiedName)" }, ["v1 alpha/Pod/p0"])
    }

    /// Overlapping cluster exports hold the same object twice: one `uid` and `resourceVersion` is
    /// one state of one object, read once; two states of it are an error as before.
    func testTheSameObjectExportedTwiceIsReadOnce() {
        let (inventory, errors) = decode("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, uid: 6f1c, resourceVersion: "42"}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, uid: 6f1c, resourceVersion: "42"}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, uid: 9a0e, resourceVersion: "7"}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, uid: 9a0e, resourceVersion: "8"}
            """)
        XCTAssertEqual(inventory.resources.map { "\($0.ref.qualifiedName) \($0.node.line)" }, [
            "alpha/Deployment/web 1", "alpha/ConfigMap/settings 9", "alpha/ConfigMap/settings 13",
        ])
        XCTAssertEqual(errors, [
            "in.yaml:13:1: alpha/ConfigMap/settings is defined twice: kubectl apply keeps the last, helm install refuses them; keep one (first at line 9)",
        ])
    }

    /// A `uid` and `resourceVersion` read once only where the copies are the same object in the
    /// same state: an object copied from an export as the start of another (another name, its
    /// `uid` and `resourceVersion` left in) was dropped unread, a hand-edited copy too; the same
    /// export written as YAML and as JSON (other key order and style), or as an item of a typed
    /// list (which states no kind), is still read once.
    func testAnExportedUIDAndVersionReadOnceOnlyWhereTheCopiesAgree() {
        let (inventory, errors) = decode("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, uid: 6f1c, resourceVersion: "42"}
            spec: {replicas: 2, template: {spec: {hostNetwork: false}}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: miner, uid: 6f1c, resourceVersion: "42"}
            spec: {replicas: 2, template: {spec: {hostNetwork: true}}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, uid: 6f1c, resourceVersion: "42"}
            spec: {replicas: 2, template: {spec: {hostNetwork: true}}}
            ---
            {"kind": "Deployment", "apiVersion": "apps/v1", "spec": {"template": {"spec": {"hostNetwork": false}}, "replicas": 2},
             "metadata": {"resourceVersion": "42", "uid": "6f1c", "name": "web"}}
            ---
            {"kind": "DeploymentList", "apiVersion": "apps/v1", "items": [
             {"metadata": {"name": "web", "uid": "6f1c", "resourceVersion": "42"}, "spec": {"replicas": 2, "template": {"spec": {"hostNetwork": false}}}}]}
            """)
        XCTAssertEqual(inventory.resources.map { "\($0.ref.qualifiedName) \($0.node.line)" }, [
            "alpha/Deployment/web 1", "alpha/Deployment/miner 6", "alpha/Deployment/web 11",
        ])
        XCTAssertEqual(errors, [
            "in.yaml:11:1: alpha/Deployment/web is defined twice: kubectl apply keeps the last, helm install refuses them; keep one (first at line 1)",
        ])
    }

    /// A bare kind in `match.kinds` or `resources()` is Kubernetes' own: a Calico
    /// `NetworkPolicy` or an `example.com` `Pod` is another kind (found as `group/Kind`), and
    /// `extensions/v1beta1` still serves a `Deployment`.
    func testABareKindIsKubernetesOwn() {
        let (inventory, errors) = decode("""
            apiVersion: projectcalico.org/v3
            kind: NetworkPolicy
            metadata: {name: deny}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: deny}
            ---
            apiVersion: example.com/v1
            kind: Pod
            metadata: {name: p}
            ---
            apiVersion: extensions/v1beta1
            kind: Deployment
            metadata: {name: d}
            """)
        XCTAssertEqual(errors, [], "two kinds, not one object defined twice")
        let policy = """
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: kinds}
            spec:
              category: general
              severity: low
              title: t
              match: {kinds: [NetworkPolicy, Pod, Deployment, "projectcalico.org/*/NetworkPolicy"]}
              validations:
              - expression: "false"
                messageExpression: >-
                  object.apiVersion + ' ' + string(size(resources('NetworkPolicy', 'alpha'))) + ' ' +
                  string(size(resources('projectcalico.org/NetworkPolicy', 'alpha'))) + ' ' +
                  string(resource('Pod', 'alpha', 'p') == null)
            """
        let compiled = compile(policy, inventory: inventory)
        XCTAssertEqual(compiled.errors, [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        XCTAssertEqual(outcome.findings.map(\.message), [
            "projectcalico.org/v3 1 1 true",
            "networking.k8s.io/v1 1 1 true",
            "extensions/v1beta1 1 1 true",
        ])
    }

    /// The objects of `resources()` and `resource()` are found by a bare kind, or by `group/Kind`
    /// for one of Kubernetes' own kinds in another group: any other kind with a group or version
    /// (`apps/Deployment`, a custom kind's `example.com/Widget`, `apps/v1/Deployment`) names no
    /// object ever, and is an evaluation error rather than an empty list, which would pass a rule
    /// such as "no LoadBalancer Service in this namespace" without looking.
    func testAKindNoObjectIsFoundAsIsAnError() {
        let (inventory, errors) = decode("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: d}
            ---
            apiVersion: example.com/v1
            kind: Widget
            metadata: {name: w}
            """)
        XCTAssertEqual(errors, [])
        let policy = """
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: lookups}
            spec:
              category: general
              severity: low
              title: t
              match: {kinds: [Deployment]}
              validations:
              - expression: "size(resources('Deployment')) == 1 && size(resources('Widget', 'alpha')) == 1"
              - expression: "size(resources('projectcalico.org/NetworkPolicy')) == 0"
              - expression: "size(resources('apps/Deployment')) == 1"
              - expression: "size(resources('example.com/Widget', 'alpha')) == 1"
              - expression: "resource('apps/v1/Deployment', 'alpha', 'd') != null"
            """
        let compiled = compile(policy, inventory: inventory)
        XCTAssertEqual(compiled.errors, [])
        let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
        XCTAssertEqual(outcome.findings.map(\.message), [])
        let bare = "a kind is named bare (Deployment, Widget), and only one of Kubernetes' own kinds in another group as group/Kind (projectcalico.org/NetworkPolicy)"
        XCTAssertEqual(outcome.diagnostics.map(\.message), [
            "lookups: validations[2]: resources(): no object is ever found as \"apps/Deployment\" (did you mean \"Deployment\"?): " + bare,
            "lookups: validations[3]: resources(): no object is ever found as \"example.com/Widget\" (did you mean \"Widget\"?): " + bare,
            "lookups: validations[4]: resource(): no object is ever found as \"apps/v1/Deployment\" (did you mean \"Deployment\"?): " + bare,
        ])
    }

    /// `*` in a part of a kind stands for any run of characters: `*.*/*/*` is every kind of a
    /// group with a dot (custom resources and Kubernetes' `*.k8s.io` groups), not `apps` or the
    /// core group; `*.kubeflow.org` is Kubeflow's groups, not `kubeflow.org.evil.com`;
    /// `customResources` adds every group Kubernetes does not serve; `excludeKinds` leaves kinds out.
    func testWildcardsInAKindStandForAnyRunOfCharacters() {
        let (inventory, errors) = decode("""
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {name: w, namespace: alpha}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: np, namespace: alpha}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: d, namespace: alpha}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: c, namespace: alpha}
            ---
            apiVersion: kubeflow.org/v1
            kind: PyTorchJob
            metadata: {name: root, namespace: alpha}
            ---
            apiVersion: training.kubeflow.org/v1
            kind: TFJob
            metadata: {name: sub, namespace: alpha}
            ---
            apiVersion: kubeflow.org.evil.com/v1
            kind: PyTorchJob
            metadata: {name: lookalike, namespace: alpha}
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: s, namespace: alpha}
            ---
            apiVersion: sparkoperator.k8s.io/v1beta2
            kind: SparkApplication
            metadata: {name: spark, namespace: alpha}
            """)
        XCTAssertEqual(errors, [])
        func matched(_ kinds: String, excluding excludeKinds: String = "[]", customResources: Bool = false) -> [String] {
            let compiled = compile("""
                apiVersion: airlock.dev/v1
                kind: Policy
                metadata: {name: kinds}
                spec:
                  category: general
                  severity: low
                  title: t
                  match: {kinds: \(kinds), excludeKinds: \(excludeKinds), customResources: \(customResources)}
                  validations:
                  - expression: "false"
                """, inventory: inventory)
            XCTAssertEqual(compiled.errors, [])
            let outcome = PolicyEngine(policies: compiled.policies, settings: EvaluationSettings()).evaluate(inventory)
            return outcome.findings.map { $0.resource?.name ?? "" }
        }
        XCTAssertEqual(matched(#"["*.*/*/*"]"#), ["w", "np", "root", "sub", "lookalike", "spark"])
        XCTAssertEqual(matched(#"["*kubeflow.org/v1/*Job"]"#), ["root", "sub"])
        XCTAssertEqual(matched(#"["*.kubeflow.org/*/*"]"#), ["sub"])
        XCTAssertEqual(matched(#"["*Set"]"#), ["s"])
        XCTAssertEqual(matched(#"["apps/*/*"]"#), ["d", "s"])
        XCTAssertEqual(matched(#"["*.*/*/*"]"#, excluding: #"["*.k8s.io/*/*", "*.evil.com/*/*"]"#), ["w", "root", "sub"])
        XCTAssertEqual(matched(#"["*"]"#, excluding: #"[ConfigMap, StatefulSet]"#), ["w", "np", "d", "root", "sub", "lookalike", "spark"])
        // Every custom resource: a group with a dot that Kubernetes does not serve, the Spark
        // operator's sparkoperator.k8s.io among them, besides the kinds named.
        XCTAssertEqual(matched("[]", customResources: true), ["w", "root", "sub", "lookalike", "spark"])
        XCTAssertEqual(matched("[ConfigMap]", excluding: "[kubeflow.org/v1/PyTorchJob]", customResources: true), ["w", "c", "sub", "lookalike", "spark"])
    }

    /// A custom resource's group has a dot and is not one Kubernetes serves; some groups' `image`
    /// keys are not images containers run.
    func testCustomResourceGroups() {
        let custom = ["argoproj.io", "gateway.networking.k8s.io", "sparkoperator.k8s.io", "k8s.io", "cluster.x-k8s.io", "networking.k8s.io.evil.com"]
        let kubernetes = ["", "apps", "batch", "networking.k8s.io", "rbac.authorization.k8s.io", "metrics.k8s.io", "flowcontrol.apiserver.k8s.io"]
        XCTAssertEqual(custom.filter { APIGroups.isCustom($0[...]) }, custom)
        XCTAssertEqual(kubernetes.filter { APIGroups.isCustom($0[...]) }, [])
        XCTAssertEqual(
            ["kyverno.io", "reports.kyverno.io", "constraints.gatekeeper.sh", "infrastructure.cluster.x-k8s.io", "compute.gcp.upbound.io",
             "install.istio.io", "notkyverno.io", "networking.istio.io", "argoproj.io"].filter { APIGroups.holdsOtherImages($0[...]) },
            ["kyverno.io", "reports.kyverno.io", "constraints.gatekeeper.sh", "infrastructure.cluster.x-k8s.io", "compute.gcp.upbound.io", "install.istio.io"])
    }
}
